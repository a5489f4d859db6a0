//! A small CSV reader for the dataset tables: header row, comma separated, fields may be
//! double-quoted (with `""` for a quote). Every record remembers its line number so that
//! errors can point at `file:line`.
//!
//! What Excel writes is accepted: a UTF-8 byte-order mark ("CSV UTF-8"), CRLF line ends and
//! trailing empty lines. A file separated by `;` (Excel's CSV under a locale with decimal
//! commas, such as Indonesian) is refused with how to save it instead: reading `0,62` as a
//! number there and as two fields here would be a silent guess.

use super::DataError;

/// The text of a file read as bytes. Text that is not UTF-8 (Excel's plain "CSV (Comma
/// delimited)" writes the system's code page, where `é` is the byte 0xE9) is refused at its
/// first bad byte, by line and character, rather than read with replacement characters.
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, DataError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        // Everything before `at` is UTF-8; a byte-order mark is not a character to count.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let before = before.strip_prefix('\u{feff}').unwrap_or(before);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        DataError::Malformed {
            file: file.to_string(),
            line: before.matches('\n').count() + 1,
            message: format!(
                "character {} is not UTF-8 (byte 0x{:02X}); save the file as \"CSV UTF-8 (Comma delimited)\"",
                before[line_start..].chars().count() + 1,
                bytes[at]
            ),
        }
    })
}

#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    /// Line of the header row (1-based).
    pub header_line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

impl Table {
    pub fn parse(file: &str, text: &str) -> Result<Table, DataError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (head_ix, head) = lines.next().ok_or_else(|| DataError::Malformed {
            file: file.to_string(),
            line: 1,
            message: "the file is empty: a header row is required".into(),
        })?;
        if !head.contains(',') && head.contains(';') {
            return Err(DataError::Malformed {
                file: file.into(),
                line: head_ix + 1,
                message: format!(
                    "the header '{}' is separated by ';', as Excel writes CSV where the decimal separator is a comma; save the file as \"CSV UTF-8 (Comma delimited)\" with '.' as the decimal separator (File > Options > Advanced > uncheck \"Use system separators\")",
                    head.trim()
                ),
            });
        }
        let header = split(head).map_err(|m| DataError::Malformed {
            file: file.into(),
            line: head_ix + 1,
            message: m,
        })?;
        let mut rows = Vec::new();
        for (i, l) in lines {
            let fields = split(l).map_err(|m| DataError::Malformed {
                file: file.into(),
                line: i + 1,
                message: m,
            })?;
            if fields.len() != header.len() {
                return Err(DataError::Malformed {
                    file: file.into(),
                    line: i + 1,
                    message: format!(
                        "{} fields where the header has {}",
                        fields.len(),
                        header.len()
                    ),
                });
            }
            check_texts(file, i + 1, &header, &fields)?;
            rows.push(Row {
                line: i + 1,
                fields,
            });
        }
        Ok(Table {
            file: file.to_string(),
            header_line: head_ix + 1,
            header,
            rows,
        })
    }

    /// Refuses a second row with the same value in `column` (a table's key), naming both
    /// lines.
    pub fn unique(&self, column: &str) -> Result<(), DataError> {
        let c = self.columns(&[column])?[0];
        let mut seen: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for r in &self.rows {
            let v = r.fields[c].as_str();
            if let Some(first) = seen.insert(v, r.line) {
                return Err(DataError::Invalid {
                    at: format!("{}:{}", self.file, r.line),
                    message: format!("{column} '{v}' is already defined at {}:{first}", self.file),
                });
            }
        }
        Ok(())
    }

    /// Indices of the required columns; every missing one is named at once.
    pub fn columns(&self, names: &[&str]) -> Result<Vec<usize>, DataError> {
        let idx: Vec<Option<usize>> = names
            .iter()
            .map(|n| self.header.iter().position(|h| h == n))
            .collect();
        let missing: Vec<&str> = names
            .iter()
            .zip(&idx)
            .filter(|(_, i)| i.is_none())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(DataError::MissingColumn {
                file: self.file.clone(),
                line: self.header_line,
                column: missing.join("', '"),
                required: names.join(","),
                found: self.header.join(","),
            });
        }
        Ok(idx.into_iter().flatten().collect())
    }
}

/// Every field is text that lands in charts, tables and terminals: bounded (codes, names
/// and keys as titles are, other fields as descriptions) and free of control characters
/// other than tab ([`crate::text::text_problem`]).
fn check_texts(
    file: &str,
    line: usize,
    header: &[String],
    fields: &[String],
) -> Result<(), DataError> {
    use crate::text::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, text_problem};
    for (column, field) in header.iter().zip(fields) {
        let max = if ["code", "name", "key"].contains(&column.as_str()) {
            MAX_TITLE_CHARS
        } else {
            MAX_TEXT_CHARS
        };
        if let Some(message) = text_problem(field, max) {
            return Err(DataError::BadValue {
                file: file.to_string(),
                line,
                column: column.clone(),
                message,
            });
        }
    }
    Ok(())
}

fn split(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') if cur.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                out.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(cur);
    Ok(out.into_iter().map(|f| f.trim().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_line_numbers() {
        let t = Table::parse("t.csv", "a,b\n# comment\n1,\"x, \"\"y\"\"\"\n\n2,z\n").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].fields, vec!["1", "x, \"y\""]);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn ragged_row_is_an_error_with_its_line() {
        let e = Table::parse("t.csv", "a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(e.to_string(), "t.csv:3: 1 fields where the header has 2");
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_at_its_line_and_character() {
        let e = decode("t.csv", b"\xef\xbb\xbfa,b\r\n1,Caf\xe9\r\n".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:2: character 6 is not UTF-8 (byte 0xE9); save the file as \"CSV UTF-8 (Comma delimited)\""
        );
        assert_eq!(decode("t.csv", "é".into()).unwrap(), "é");
    }

    #[test]
    fn control_characters_and_long_names_are_refused_at_their_column() {
        let e = Table::parse("t.csv", "code,note\nx,\"a\u{1b}]0;T\u{7}\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:2: column 'note': holds the control character \\x1b (U+001B) at character 2; text may hold newlines and tabs but no other control characters"
        );
        let long = format!("code,note\n{},x\n", "c".repeat(201));
        let e = Table::parse("t.csv", &long).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv:2: column 'code': is 201 characters long; at most 200 are allowed"
        );
        assert!(Table::parse("t.csv", "code,note\nx,a\tb\n").is_ok());
    }

    #[test]
    fn unclosed_quote() {
        let e = Table::parse("t.csv", "a\n\"x\n").unwrap_err();
        assert!(e.to_string().contains("not closed"));
    }

    #[test]
    fn every_missing_column_is_named_with_the_header_line() {
        let t = Table::parse("t.csv", "# note\ncode,kind\nx,y\n").unwrap();
        assert_eq!(
            t.columns(&["code", "name", "kind", "unit"])
                .unwrap_err()
                .to_string(),
            "t.csv:2: missing column 'name', 'unit' (the header must have code,name,kind,unit; it has code,kind)"
        );
        assert_eq!(t.columns(&["kind", "code"]).unwrap(), vec![1, 0]);
    }
}
