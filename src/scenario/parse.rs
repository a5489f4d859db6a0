//! Reading and validating scenario TOML. Only a TOML syntax error stops the reading;
//! everything else (unknown keys, wrong types, bad values, names the dataset does not
//! know, overlapping windows) is collected, so one `wfhsim validate` reports every problem
//! of a file, each at its line and column.
//!
//! Owns the entry point and the [`Reader`]'s checks of single values (types, numbers,
//! shares, dates, names, choices, tables and their keys); what each table of the format
//! holds is read in [`sections`].

mod sections;

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::names::{nearest, unknown_name};
use super::spans::{Node, Span, flatten, join, line_col};
use super::{Problem, Scenario, ScenarioError};
use crate::calendar::Date;
use crate::data::Dataset;

/// Parses and validates one scenario file. `file` names it in every message.
pub fn parse_scenario(file: &str, text: &str, ds: &Dataset) -> Result<Scenario, ScenarioError> {
    let err = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        problems,
    };
    let root: Table = text.parse().map_err(|e: toml::de::Error| {
        let at = e.span().map(|s| line_col(text, s.start));
        let message = e.message().trim().replace('\n', "; ");
        let quoted = at
            .and_then(|(l, c)| {
                let src = text.lines().nth(l - 1)?;
                let pad = " ".repeat(l.to_string().len());
                Some(format!(
                    "\n{l} | {src}\n{pad} | {}^",
                    " ".repeat(c.saturating_sub(1))
                ))
            })
            .unwrap_or_default();
        err(vec![Problem {
            key: String::new(),
            at,
            message: format!("TOML syntax error: {message}{quoted}"),
        }])
    })?;
    let mut spans = BTreeMap::new();
    // Cannot fail on text that parsed above; without positions, messages just lack them.
    if let Ok(Node::Map(v)) = toml::from_str::<Node>(text) {
        flatten("", &Node::Map(v), &mut spans);
    }
    let mut r = Reader {
        ds,
        text,
        spans,
        suggested: Vec::new(),
        problems: Vec::new(),
    };
    let s = r.scenario(&root, file, text);
    if r.problems.is_empty() {
        Ok(s)
    } else {
        // In file order; problems without a position (the whole file) last.
        r.problems.sort_by_key(|p| (p.at.is_none(), p.at));
        Err(err(r.problems))
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

/// A number as a reader would write it: plain, or in exponent form when it is huge or
/// tiny (so 1e308 is not printed with 309 digits).
fn num(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a.is_finite() && !(1e-6..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// What a share out of range means, with the fraction a percentage was probably meant as.
fn share_problem(v: f64) -> String {
    let shown = num(v);
    if v > 1.0 && v <= 100.0 && v.fract() == 0.0 {
        let f = (v / 100.0 * 1e6).round() / 1e6;
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean {f}?")
    } else {
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%")
    }
}

/// One pass over the parsed TOML that collects every problem with its position.
struct Reader<'a> {
    ds: &'a Dataset,
    text: &'a str,
    spans: BTreeMap<String, Span>,
    /// Keys suggested for a misspelt one: not reported again as missing.
    suggested: Vec<String>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn at(&self, path: &str) -> Option<(usize, usize)> {
        self.spans.get(path).map(|s| line_col(self.text, s.start))
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        let at = self.at(path);
        self.problems.push(Problem {
            key: path.to_string(),
            at,
            message: message.into(),
        });
    }

    fn wrong_type(&mut self, path: &str, expected: &str, v: &Value) {
        self.problem(path, format!("expected {expected}, found {}", describe(v)));
    }

    /// Reports keys of `t` not in `allowed`, at the key's own column where it can be found.
    fn unknown_keys(&mut self, tpath: &str, t: &Table, allowed: &[&str]) {
        for k in t.keys().filter(|k| !allowed.contains(&k.as_str())) {
            let at = self.spans.get(&join(tpath, k)).map(|s| {
                let before = self.text.get(..s.start).unwrap_or_default();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let start = before[line_start..]
                    .rfind(k.as_str())
                    .map_or(s.start, |i| line_start + i);
                line_col(self.text, start)
            });
            if let Some(b) = nearest(k, allowed) {
                self.suggested.push(join(tpath, b));
            }
            self.problems.push(Problem {
                key: tpath.to_string(),
                at,
                message: unknown_name("key", k, allowed),
            });
        }
    }

    /// A required key: a missing one is reported at its table.
    fn req<'v>(&mut self, tpath: &str, t: &'v Table, key: &str, hint: &str) -> Option<&'v Value> {
        let v = t.get(key);
        if v.is_none() && !self.suggested.contains(&join(tpath, key)) {
            let at = self.at(tpath);
            self.problems.push(Problem {
                key: join(tpath, key),
                at,
                message: format!("missing; {hint}"),
            });
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
                self.problem(path, format!("{f} is not allowed: give a finite number"));
                None
            }
            _ => {
                self.wrong_type(path, "a number", v);
                None
            }
        }
    }

    /// A share: a number in 0..1.
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
            self.problem(
                path,
                format!(
                    "expected a number, found the string \"{s}\"; write {s} as {f} (0.5 means 50%)"
                ),
            );
            return None;
        }
        let x = self.number(path, v)?;
        if (0.0..=1.0).contains(&x) {
            Some(x)
        } else {
            self.problem(path, share_problem(x));
            None
        }
    }

    fn date(&mut self, path: &str, v: &Value) -> Option<Date> {
        match v {
            Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    Date::from_ymd(d.year as i32, d.month as u32, d.day as u32)
                }
                _ => {
                    self.problem(
                        path,
                        format!("{dt} is not a plain date; write it as YYYY-MM-DD"),
                    );
                    None
                }
            },
            Value::String(s) if Date::parse(s).is_some() => {
                self.problem(
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

    /// A list of names, each checked against the dataset's `valid` names.
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
            self.problem(
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
    use super::{num, share_problem};

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(50.0), "50");
        assert_eq!(num(1e308), "1e308");
        assert_eq!(num(-2.5e-9), "-2.5e-9");
        assert_eq!(num(0.0), "0");
        assert_eq!(
            share_problem(1e308),
            "1e308 is outside 0..1: a share is a fraction, 0.5 means 50%"
        );
    }

    #[test]
    fn only_percentages_that_are_shares_get_a_suggestion() {
        let ds = crate::data::Dataset::builtin().unwrap();
        let text = include_str!("../../scenarios/dki-2023.toml");
        let msg = |share: &str| {
            let t = text.replace("share = 0.75", &format!("share = \"{share}\""));
            super::parse_scenario("f.toml", &t, &ds)
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
