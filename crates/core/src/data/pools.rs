//! Named alternative definitions of dataset rows. A row `pool.<name>.<key>` holds
//! another definition's value, range, source and note for the row `<key>` (DKI's eligible
//! pool as Dishub's "ASN on regular office hours" instead of BKD's PNS outside direct
//! service; the central pool as headquarters only). [`Dataset::with_pools`] puts those
//! rows in place of the defaults in the dataset's own files and loads it again, so every
//! derivation, the population, the structural draws and the dataset's hash follow the
//! chosen definition — one switch per run, since every scenario of a run shares one
//! population.

use std::collections::BTreeMap;

use super::{DataError, Dataset};

/// The prefix of an alternative definition's rows.
pub const PREFIX: &str = "pool.";

impl Dataset {
    /// The names of the alternative definitions the dataset offers, each with the rows it
    /// replaces, in name order.
    pub fn pools(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in self.params.iter() {
            if let Some((name, key)) = split(&p.key) {
                out.entry(name.to_string())
                    .or_default()
                    .push(key.to_string());
            }
        }
        out
    }

    /// The dataset with the rows of each named definition in place of the defaults.
    pub fn with_pools(self, names: &[String]) -> Result<Dataset, DataError> {
        if names.is_empty() {
            return Ok(self);
        }
        let pools = self.pools();
        let mut files = self.files.clone();
        for name in names {
            let Some(keys) = pools.get(name) else {
                let known: Vec<&str> = pools.keys().map(String::as_str).collect();
                return Err(DataError::UnknownPool {
                    name: name.clone(),
                    known: if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    },
                });
            };
            for key in keys {
                self.replace(&mut files, &format!("{PREFIX}{name}.{key}"), key)?;
            }
        }
        Dataset::from_files(files)
    }

    /// Writes the line of row `from`, renamed `to`, over the line of row `to`.
    fn replace(
        &self,
        files: &mut [(String, String)],
        from: &str,
        to: &str,
    ) -> Result<(), DataError> {
        let missing = |k: &str| {
            DataError::Inconsistent(format!("{from}: the row {k} it replaces does not exist"))
        };
        let target = self
            .params
            .iter()
            .find(|p| p.key == to)
            .ok_or_else(|| missing(to))?;
        let source = self
            .params
            .iter()
            .find(|p| p.key == from)
            .ok_or_else(|| missing(from))?;
        let line = row_line(files, &source.origin)?;
        if !line.starts_with(&format!("{from},")) {
            return Err(DataError::Inconsistent(format!(
                "{}: the row {from} must begin with its key unquoted",
                source.origin
            )));
        }
        let renamed = format!("{to}{}", &line[from.len()..]);
        let (file, number) = place(&target.origin)?;
        let text = &mut files
            .iter_mut()
            .find(|(n, _)| *n == file)
            .ok_or_else(|| missing(to))?
            .1;
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines[number - 1] = &renamed;
        *text = lines.join("\n");
        Ok(())
    }
}

/// `pool.<name>.<key>` → (name, key).
fn split(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix(PREFIX)?.split_once('.')
}

/// (file, 1-based line) of an origin `parameters/x.csv:12`.
fn place(origin: &str) -> Result<(&str, usize), DataError> {
    origin
        .rsplit_once(':')
        .and_then(|(f, n)| Some((f, n.parse().ok()?)))
        .ok_or_else(|| DataError::Inconsistent(format!("no line for the row at {origin}")))
}

/// The text of the row at `origin`.
fn row_line(files: &[(String, String)], origin: &str) -> Result<String, DataError> {
    let (file, number) = place(origin)?;
    files
        .iter()
        .find(|(n, _)| n == file)
        .and_then(|(_, t)| t.split('\n').nth(number - 1))
        .map(str::to_string)
        .ok_or_else(|| DataError::Inconsistent(format!("no line for the row at {origin}")))
}

#[cfg(test)]
mod tests;
