//! Reading scenario TOML into a [`Scenario`]: syntax, types, unknown keys and the
//! dataset's names turned into indices. Only a TOML syntax error stops the reading; every
//! other problem is collected, then the value goes through [`validate`](super::validate)
//! and each problem of either kind is reported at its `file:line:col`, so one
//! `wfhsim validate` reports every problem of a file at once.
//!
//! Owns the entry point and the [`Reader`]'s checks of single values (types, numbers,
//! dates, names, choices, tables and their keys); what each table of the format holds is
//! read in [`sections`].

pub(super) mod measures;
pub(super) mod sections;

use std::collections::BTreeSet;

use toml::{Table, Value};

use super::extends::Resolved;
use super::names::{nearest, unknown_name};
use super::spans::{join, line_col};
use super::validate::{num, validate_read};
use super::{Problem, Scenario};
use crate::calendar::Date;
use crate::data::Dataset;

/// Reads a resolved scenario table and validates the value: the scenario, or every problem
/// (the resolver's, the reader's and the validator's), in file order.
pub(super) fn read(res: &Resolved, ds: &Dataset) -> Result<Scenario, Vec<Problem>> {
    let mut r = Reader {
        ds,
        res,
        suggested: Vec::new(),
        problems: Vec::new(),
        unread: BTreeSet::new(),
    };
    let s = r.scenario(&res.table);
    for p in validate_read(&s, ds, &r.unread) {
        r.problem(&p.key, p.message);
    }
    let mut problems = res.problems.clone();
    problems.append(&mut r.problems);
    if problems.is_empty() {
        Ok(s)
    } else {
        // The file itself first, then its bases; in file order, problems without a
        // position (the whole file) last.
        problems.sort_by(|a, b| {
            let key = |p: &Problem| (p.file.is_some(), p.file.clone(), p.at.is_none(), p.at);
            key(a).cmp(&key(b))
        });
        Err(problems)
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the number {}", num(*f)),
        Value::Boolean(b) => format!("{b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(_) => "a list [...]".into(),
        Value::Table(_) => "a table".into(),
    }
}

/// One pass over the parsed TOML that collects every problem with its position.
struct Reader<'a> {
    ds: &'a Dataset,
    res: &'a Resolved,
    /// Keys suggested for a misspelt one: not reported again as missing.
    suggested: Vec<String>,
    problems: Vec<Problem>,
    /// Key paths whose value could not be read (reported here) or was copied as a
    /// default from another key: the validator does not judge their stand-ins.
    unread: BTreeSet<String>,
}

impl Reader<'_> {
    /// Where `path` was written: the file (`None` for the file being loaded), the path in
    /// that file, and its line and column if the value itself is there.
    fn locate(&self, path: &str) -> (Option<String>, String, Option<(usize, usize)>) {
        let res = self.res;
        let file = |src: usize| (src != res.root).then(|| res.sources[src].name.clone());
        if let Some(p) = res.places.get(path) {
            let at = line_col(&res.sources[p.src].text, p.span.start);
            return (file(p.src), p.local.clone(), Some(at));
        }
        match res.places.nearest(path) {
            Some((p, rest)) => (file(p.src), format!("{}{rest}", p.local), None),
            None => (None, path.to_string(), None),
        }
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let (file, key, at) = self.locate(path);
        self.problems.push(Problem {
            key,
            at,
            file,
            message: message.into(),
        });
    }

    /// A value that could not be read: reported, and left out of the validator's rules.
    fn unreadable(&mut self, path: &str, message: impl Into<String>) {
        self.problem(path, message);
        self.unread.insert(path.to_string());
    }

    fn wrong_type(&mut self, path: &str, expected: &str, v: &Value) {
        self.unreadable(path, format!("expected {expected}, found {}", describe(v)));
    }

    /// Reports keys of `t` not in `allowed`, at the key's own column where it can be found.
    fn unknown_keys(&mut self, tpath: &str, t: &Table, allowed: &[&str]) {
        for k in t.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let (file, key, _) = self.locate(tpath);
            let at = self.res.places.get(&join(tpath, k)).map(|p| {
                let text = &self.res.sources[p.src].text;
                let s = &p.span;
                let before = text.get(..s.start).unwrap_or_default();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let start = before[line_start..]
                    .rfind(k.as_str())
                    .map_or(s.start, |i| line_start + i);
                line_col(text, start)
            });
            if let Some(b) = nearest(k, allowed) {
                self.suggested.push(join(tpath, b));
            }
            self.problems.push(Problem {
                key,
                at,
                file,
                message: unknown_name("key", k, allowed),
            });
        }
    }

    /// A required key: a missing one is reported at its table.
    fn req<'v>(&mut self, tpath: &str, t: &'v Table, key: &str, hint: &str) -> Option<&'v Value> {
        let v = t.get(key);
        let path = join(tpath, key);
        if v.is_none() {
            self.unread.insert(path.clone());
            if !self.suggested.contains(&path) {
                let (file, table, at) = self.locate(tpath);
                self.problems.push(Problem {
                    key: join(&table, key),
                    at,
                    file,
                    message: format!("missing; {hint}"),
                });
            }
        }
        v
    }

    fn string(&mut self, path: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong_type(path, "a string in quotes", v);
                None
            }
        }
    }

    fn number(&mut self, path: &str, v: &Value) -> Option<f64> {
        match v {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            Value::Float(f) => {
                self.unreadable(path, format!("{f} is not allowed: give a finite number"));
                None
            }
            _ => {
                self.wrong_type(path, "a number", v);
                None
            }
        }
    }

    /// A share: a number (that it lies in 0..1 is the validator's rule); a percentage
    /// written as a string gets the fraction it means.
    fn share(&mut self, path: &str, v: &Value) -> Option<f64> {
        if let Value::String(s) = v
            && let Some(pct) = s
                .strip_suffix('%')
                .and_then(|n| n.trim().parse::<f64>().ok())
                // Only a percentage that is a share gets a suggestion; "1e400%" is
                // reported as any other string.
                .filter(|p| (0.0..=100.0).contains(p))
        {
            let f = (pct / 100.0 * 1e6).round() / 1e6;
            self.unreadable(
                path,
                format!(
                    "expected a number, found the string \"{s}\"; write {s} as {f} (0.5 means 50%)"
                ),
            );
            return None;
        }
        self.number(path, v)
    }

    fn date(&mut self, path: &str, v: &Value) -> Option<Date> {
        match v {
            Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    let date = Date::from_ymd(d.year as i32, d.month as u32, d.day as u32);
                    if date.is_none() {
                        self.unread.insert(path.to_string());
                    }
                    date
                }
                _ => {
                    self.unreadable(
                        path,
                        format!("{dt} is not a plain date; write it as YYYY-MM-DD"),
                    );
                    None
                }
            },
            Value::String(s) if Date::parse(s).is_some() => {
                self.unreadable(
                    path,
                    format!(
                        "expected a date, found the string \"{s}\"; write dates without quotes: {s}"
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(path, "a date YYYY-MM-DD (without quotes)", v);
                None
            }
        }
    }

    /// A list of names, each looked up among the dataset's `valid` names. If any is not
    /// there, the list as a whole is unread (its rules would judge what is left).
    fn names(&mut self, path: &str, what: &str, v: &Value, valid: &[&str]) -> Vec<usize> {
        let Value::Array(items) = v else {
            let eg = valid.first().unwrap_or(&"...");
            self.wrong_type(path, &format!("a list of {what} names, e.g. [\"{eg}\"]"), v);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if let Some(g) = self.string(&p, item) {
                match valid.iter().position(|v| *v == g) {
                    Some(ix) => out.push(ix),
                    None => self.problem(&p, unknown_name(what, &g, valid)),
                }
            }
        }
        if out.len() < items.len() {
            self.unread.insert(path.to_string());
        }
        out
    }

    fn choice<T: Copy>(&mut self, path: &str, v: &Value, allowed: &[(&str, T)]) -> Option<T> {
        let names: Vec<String> = allowed.iter().map(|(n, _)| format!("'{n}'")).collect();
        let s = match v {
            Value::String(s) => s,
            _ => {
                self.wrong_type(path, &format!("one of {}", names.join(", ")), v);
                return None;
            }
        };
        let found = allowed.iter().find(|(n, _)| n == s).map(|(_, x)| *x);
        if found.is_none() {
            self.unreadable(
                path,
                format!("'{s}' is not allowed; use one of {}", names.join(", ")),
            );
        }
        found
    }

    fn table<'v>(
        &mut self,
        path: &str,
        v: &'v Value,
        allowed: &[&str],
        what: &str,
    ) -> Option<&'v Table> {
        match v {
            Value::Table(t) => {
                self.unknown_keys(path, t, allowed);
                Some(t)
            }
            _ => {
                self.wrong_type(path, what, v);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_percentages_that_are_shares_get_a_suggestion() {
        let ds = crate::data::Dataset::builtin().unwrap();
        let text = include_str!("../../../../scenarios/dki-2023.toml");
        let msg = |share: &str| {
            let t = text.replace("share = 0.75", &format!("share = \"{share}\""));
            crate::scenario::parse_scenario("f.toml", &t, &ds)
                .unwrap_err()
                .to_string()
        };
        assert!(
            msg("75%").contains("write 75% as 0.75 (0.5 means 50%)"),
            "{}",
            msg("75%")
        );
        let huge = msg("1e400%");
        assert!(!huge.contains("write 1e400%"), "{huge}");
        assert!(huge.contains("found the string \"1e400%\""), "{huge}");
    }
}
