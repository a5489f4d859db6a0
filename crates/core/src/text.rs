//! Text a user gives — scenario and design strings, dataset fields, run and sweep names —
//! and the rules that keep it safe wherever it lands: no control characters other than
//! newline and tab (they make SVG charts invalid XML, put NUL bytes into the briefing and
//! drive terminals), bounded lengths (a chart's text fitting grows with a title's length),
//! the one rule for names that become file and folder names, and how a control character
//! is shown when text is printed. Numbers in messages are written by [`num`].
//!
//! Owns the rules only; the scenario validator, the design reader, the dataset's CSV
//! reader and the job layer apply them and say which file and key a problem is at.

/// Longest title, `title_id`, policy name or dataset name/code, in characters: long enough
/// for any real title, short enough that a chart's text fitting stays fast.
pub const MAX_TITLE_CHARS: usize = 200;

/// Longest description, or other dataset field (sources, notes), in characters.
pub const MAX_TEXT_CHARS: usize = 5000;

/// Longest name of a run, sweep, target or scenario, in bytes (a file system counts a
/// name's bytes): the hidden working folder `.NAME.partial-PID` adds at most 20 bytes and
/// must stay under the usual 255-byte limit of one path component.
pub const MAX_NAME_BYTES: usize = 200;

/// True for a control character that text may not hold: C0 (U+0000–U+001F) other than
/// newline and tab, DEL (U+007F) and C1 (U+0080–U+009F).
fn is_refused_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `c` as a visible escape: `\n`, `\t`, `\r`, `\x1b` for other C0 and DEL, `\u{9b}` for C1.
fn escape_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// `s` with every control character (newline and tab included) written as a visible
/// escape, so that printing it cannot move the cursor, retitle or recolour a terminal.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

/// What is wrong with a text value that may be at most `max_chars` characters long and
/// may hold newlines and tabs but no other control character; `None` if nothing is.
pub fn text_problem(s: &str, max_chars: usize) -> Option<String> {
    let n = s.chars().count();
    if n > max_chars {
        return Some(format!(
            "is {n} characters long; at most {max_chars} are allowed"
        ));
    }
    let (i, c) = s
        .chars()
        .enumerate()
        .find(|&(_, c)| is_refused_control(c))?;
    let mut shown = String::new();
    escape_char(c, &mut shown);
    Some(format!(
        "holds the control character {shown} (U+{:04X}) at character {}; text may hold newlines and tabs but no other control characters",
        c as u32,
        i + 1
    ))
}

/// What is wrong with `name` as the name of a run, sweep, target or scenario — it becomes
/// a file or folder name and a word on command lines — as the end of a sentence that
/// begins with what the name is; `None` if nothing is.
pub fn name_problem(name: &str) -> Option<String> {
    let shown = escape_controls(name);
    let why = if name.trim().is_empty() {
        "must not be empty or only spaces".to_string()
    } else if name.chars().any(char::is_control) {
        "must not hold control characters, newlines or tabs".to_string()
    } else if name.contains(['/', '\\']) || name.starts_with('.') {
        "must be a plain folder name: no '/' or '\\', not beginning with '.'".to_string()
    } else if name.starts_with('-') {
        "must not begin with '-' (a command line would read it as an option)".to_string()
    } else if name.len() > MAX_NAME_BYTES {
        format!(
            "is {} bytes long; a name has at most {MAX_NAME_BYTES} bytes (it names a folder)",
            name.len()
        )
    } else {
        return None;
    };
    Some(format!("'{shown}' {why}"))
}

/// A number as a reader would write it: plain, or in exponent form when it is huge or
/// tiny (so 1e308 is not printed with 309 digits).
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a.is_finite() && !(1e-6..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_visibly() {
        assert_eq!(
            escape_controls("\u{1b}]0;PWNED\u{7}\u{1b}[31mRED"),
            "\\x1b]0;PWNED\\x07\\x1b[31mRED"
        );
        assert_eq!(
            escape_controls("a\nb\tc\r\u{7f}\u{9b}é"),
            "a\\nb\\tc\\r\\x7f\\u{9b}é"
        );
    }

    #[test]
    fn text_allows_newline_and_tab_only() {
        assert_eq!(text_problem("a\nb\tc ü", 10), None);
        assert_eq!(
            text_problem("ab\u{0}", 10).unwrap(),
            "holds the control character \\x00 (U+0000) at character 3; text may hold newlines and tabs but no other control characters"
        );
        assert!(
            text_problem("\u{85}", 10)
                .unwrap()
                .contains("\\u{85} (U+0085)")
        );
        assert_eq!(
            text_problem("abcd", 3).unwrap(),
            "is 4 characters long; at most 3 are allowed"
        );
    }

    #[test]
    fn names_are_plain_short_and_not_options() {
        assert_eq!(name_problem("dki-2023"), None);
        assert_eq!(name_problem(&"a".repeat(200)), None);
        for bad in [
            "", " ", "\t", "a\nb", "a/b", "..", ".x", "-x", "x\\y", "a\u{1b}b",
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        assert_eq!(
            name_problem(&"é".repeat(101)).unwrap(),
            format!(
                "'{}' is 202 bytes long; a name has at most 200 bytes (it names a folder)",
                "é".repeat(101)
            )
        );
        assert_eq!(
            name_problem("a\nb").unwrap(),
            "'a\\nb' must not hold control characters, newlines or tabs"
        );
    }

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(50.0), "50");
        assert_eq!(num(1e308), "1e308");
        assert_eq!(num(-2.5e-9), "-2.5e-9");
        assert_eq!(num(0.0), "0");
    }
}
