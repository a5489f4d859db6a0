//! Scenario variants for sweeps: a base scenario resolved to one TOML table (its `extends`
//! chain merged), and variants of it with some keys set, each read and validated exactly
//! as a file is.
//!
//! A key is a dotted path into the scenario's TOML (`accounting.rebound`,
//! `policy.1.assignment`, `policy.2.schedule.1.share`), where a number picks an array's
//! element (1-based) and `*` every element. Three shorthand tails say what planners vary:
//! `policy.N.share` sets the share of every schedule entry of the policy,
//! `policy.N.compliance` fixes its compliance (central = low = high = the value; its
//! model, rho and ramp stay), and
//! `policy.N.weeks` ends the policy that many weeks after its first day (entries starting
//! later are dropped, the last one kept is cut).

use std::path::Path;

use toml::{Table, Value};

use super::extends::{Origin, resolve};
use super::load::read_resolved;
use super::{Problem, Scenario, ScenarioError};
use crate::calendar::Date;
use crate::data::Dataset;

/// A base scenario, resolved.
#[derive(Debug, Clone)]
pub struct Template {
    /// The scenario's `name`.
    pub name: String,
    table: Table,
}

/// A key's value could not be set (the path does not fit the scenario's shape).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

impl Template {
    /// The scenario `base` names — a shipped scenario's name or a path ending in `.toml`,
    /// relative to `folder_of` (the design file) — resolved and validated.
    pub fn load(
        base: &str,
        folder_of: Option<&Path>,
        ds: &Dataset,
    ) -> Result<Template, ScenarioError> {
        let stem = Path::new(base)
            .file_stem()
            .map_or(base.to_string(), |s| s.to_string_lossy().into_owned());
        let label = folder_of.map_or("design".to_string(), |p| p.display().to_string());
        let text = format!(
            "extends = {}\nname = {}\n",
            Value::from(base),
            Value::from(stem.as_str())
        );
        let origin = folder_of.map_or(Origin::Text, |p| Origin::File(p.to_path_buf()));
        let err = |problems: Vec<Problem>| ScenarioError {
            file: label.clone(),
            problems,
        };
        let mut res = resolve(&label, &text, origin).map_err(err)?;
        // The base keeps its own name.
        res.table.remove("extends");
        let name = match res.table.get("name") {
            Some(Value::String(s)) => s.clone(),
            _ => stem,
        };
        let t = Template {
            name,
            table: res.table,
        };
        // The base itself must be a valid scenario.
        t.variant(&label, &[], ds)?;
        Ok(t)
    }

    /// The value at `key` in the base, if it is a number (a sweep's central value).
    pub fn number(&self, key: &str) -> Option<f64> {
        let mut t = self.table.clone();
        let mut found = None;
        visit(&mut t, key, &mut |v| {
            if found.is_none() {
                found = number_of(v);
            }
        })
        .ok()?;
        found
    }

    /// A scenario's text (its `extends` may name a shipped scenario) read and validated as
    /// a file named `file` is (problems at their line and column), then resolved to one
    /// table to edit.
    pub fn from_text(file: &str, text: &str, ds: &Dataset) -> Result<Template, ScenarioError> {
        let sc = super::load::parse_scenario(file, text, ds)?;
        let mut res = resolve(file, text, Origin::Text).map_err(|problems| ScenarioError {
            file: file.to_string(),
            problems,
        })?;
        res.table.remove("extends");
        Ok(Template {
            name: sc.name,
            table: res.table,
        })
    }

    /// The resolved scenario, every base merged in.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The base with every (key, value) of `sets` applied, read and validated as a file
    /// named `label` would be. A problem is reported without a position (the text is
    /// generated).
    pub fn variant(
        &self,
        label: &str,
        sets: &[(String, Value)],
        ds: &Dataset,
    ) -> Result<Scenario, ScenarioError> {
        self.edited(label, sets, ds).map(|(_, sc)| sc)
    }

    /// [`Template::variant`] and the variant's TOML text: a self-contained scenario file
    /// (no `extends`) that reads as the same scenario.
    pub fn edited(
        &self,
        label: &str,
        sets: &[(String, Value)],
        ds: &Dataset,
    ) -> Result<(String, Scenario), ScenarioError> {
        let err = |problems: Vec<Problem>| ScenarioError {
            file: label.to_string(),
            problems: problems
                .into_iter()
                .map(|mut p| {
                    p.at = None;
                    p.file = None;
                    p
                })
                .collect(),
        };
        let mut table = self.table.clone();
        for (key, value) in sets {
            set(&mut table, key, value)
                .map_err(|e| err(vec![Problem::at_key(key.clone(), e.0)]))?;
        }
        let text = toml::to_string(&table).map_err(|e| {
            err(vec![Problem::at_key(
                "",
                format!("cannot write the variant: {e}"),
            )])
        })?;
        let res = resolve(label, &text, Origin::Text).map_err(err)?;
        let sc = read_resolved(&res, ds).map_err(err)?;
        Ok((text, sc))
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(*i as f64),
        Value::Table(t) => t.get("central").and_then(number_of),
        _ => None,
    }
}

/// Sets `key` to `value` in a scenario table.
pub fn set(table: &mut Table, key: &str, value: &Value) -> Result<(), KeyError> {
    let segs: Vec<&str> = key.split('.').collect();
    // Shorthands on a policy.
    if segs.len() == 3 && segs[0] == "policy" {
        match segs[2] {
            "share" => {
                let path = format!("policy.{}.schedule.*.share", segs[1]);
                return visit(table, &path, &mut |v| *v = value.clone());
            }
            "compliance" => {
                let Some(x) = number_of(value) else {
                    return Err(KeyError(format!("'{key}' needs a number, not {value}")));
                };
                // Fixes central, low and high; the model and ramp stay as the base has them.
                return visit(table, &format!("policy.{}", segs[1]), &mut |p| {
                    if let Value::Table(p) = p {
                        let c = p
                            .entry("compliance")
                            .or_insert_with(|| Value::Table(Table::new()));
                        if !c.is_table() {
                            *c = Value::Table(Table::new());
                        }
                        if let Value::Table(c) = c {
                            for k in ["central", "low", "high"] {
                                c.insert(k.into(), Value::Float(x));
                            }
                        }
                    }
                });
            }
            "weeks" => {
                let Some(w) = number_of(value) else {
                    return Err(KeyError(format!(
                        "'{key}' needs a number of weeks, not {value}"
                    )));
                };
                let mut problem = None;
                visit(table, &format!("policy.{}", segs[1]), &mut |p| {
                    if let Err(e) = set_weeks(p, w) {
                        problem.get_or_insert(e);
                    }
                })?;
                return problem.map_or(Ok(()), Err);
            }
            _ => {}
        }
    }
    let (last, parents) = segs.split_last().expect("split gives at least one segment");
    let parent_path = parents.join(".");
    let mut missing = None;
    let mut apply = |v: &mut Value| match v {
        Value::Table(t) => {
            t.insert(last.to_string(), value.clone());
        }
        Value::Array(a) => match last.parse::<usize>() {
            Ok(i) if (1..=a.len()).contains(&i) => a[i - 1] = value.clone(),
            _ => {
                missing.get_or_insert(KeyError(format!(
                    "'{key}': '{last}' is not an element of a list of {} (1..{})",
                    a.len(),
                    a.len()
                )));
            }
        },
        _ => {
            missing.get_or_insert(KeyError(format!("'{key}': '{parent_path}' is not a table")));
        }
    };
    if parents.is_empty() {
        table.insert(last.to_string(), value.clone());
        return Ok(());
    }
    let mut root = Value::Table(std::mem::take(table));
    let r = visit_value(&mut root, parents, key, true, &mut apply);
    if let Value::Table(t) = root {
        *table = t;
    }
    r?;
    missing.map_or(Ok(()), Err)
}

/// Calls `f` on every value `path` reaches (`*` fans out over an array).
fn visit(table: &mut Table, path: &str, f: &mut dyn FnMut(&mut Value)) -> Result<(), KeyError> {
    let segs: Vec<&str> = path.split('.').collect();
    let mut root = Value::Table(std::mem::take(table));
    let r = visit_value(&mut root, &segs, path, false, f);
    if let Value::Table(t) = root {
        *table = t;
    }
    r
}

fn visit_value(
    v: &mut Value,
    segs: &[&str],
    key: &str,
    create: bool,
    f: &mut dyn FnMut(&mut Value),
) -> Result<(), KeyError> {
    let Some((seg, rest)) = segs.split_first() else {
        f(v);
        return Ok(());
    };
    match v {
        Value::Array(a) => {
            if *seg == "*" {
                for x in a.iter_mut() {
                    visit_value(x, rest, key, create, f)?;
                }
                return Ok(());
            }
            match seg.parse::<usize>() {
                Ok(i) if (1..=a.len()).contains(&i) => {
                    visit_value(&mut a[i - 1], rest, key, create, f)
                }
                _ => Err(KeyError(format!(
                    "'{key}': '{seg}' is not an element of a list of {} (use 1..{} or *)",
                    a.len(),
                    a.len()
                ))),
            }
        }
        Value::Table(t) => {
            if !t.contains_key(*seg) {
                if create {
                    t.insert(seg.to_string(), Value::Table(Table::new()));
                } else {
                    let mut keys: Vec<&str> = t.keys().map(String::as_str).collect();
                    keys.sort_unstable();
                    return Err(KeyError(format!(
                        "'{key}': the scenario has no '{seg}' here (it has: {})",
                        keys.join(", ")
                    )));
                }
            }
            visit_value(
                t.get_mut(*seg).expect("inserted above"),
                rest,
                key,
                create,
                f,
            )
        }
        _ => Err(KeyError(format!(
            "'{key}': '{seg}' is inside a value that is not a table or list"
        ))),
    }
}

/// The longest `weeks` taken: ten years.
const MAX_WEEKS: f64 = 520.0;

/// Ends a policy `weeks` after its first scheduled day.
fn set_weeks(policy: &mut Value, weeks: f64) -> Result<(), KeyError> {
    let bad = |m: &str| KeyError(format!("weeks: {m}"));
    if !(weeks > 0.0 && weeks.is_finite()) {
        return Err(bad(&format!("{weeks} is not a positive number of weeks")));
    }
    if weeks > MAX_WEEKS {
        return Err(bad(&format!(
            "{weeks} weeks is longer than any order ({MAX_WEEKS} weeks at most)"
        )));
    }
    let Some(Value::Array(schedule)) = policy.get_mut("schedule") else {
        return Err(bad("the policy has no schedule"));
    };
    let date = |v: Option<&Value>| match v {
        Some(Value::Datetime(d)) => Date::parse(&d.to_string()),
        Some(Value::String(s)) => Date::parse(s),
        _ => None,
    };
    let first = schedule
        .iter()
        .filter_map(|e| date(e.get("from")))
        .min()
        .ok_or_else(|| bad("the schedule has no dates"))?;
    let days = (weeks * 7.0).round() as i64;
    let end = Date(first.0 + days as i32 - 1);
    schedule.retain(|e| date(e.get("from")).is_some_and(|f| f <= end));
    for e in schedule.iter_mut() {
        if date(e.get("to")).is_some_and(|t| t > end)
            && let Value::Table(t) = e
        {
            let d: toml::value::Datetime = end
                .to_string()
                .parse()
                .map_err(|e| bad(&format!("cannot write the date {end}: {e}")))?;
            t.insert("to".into(), Value::Datetime(d));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Value {
        let text = "schedule = [{ from = 2023-08-21, to = 2023-09-03, share = 0.5 }, \
                    { from = 2023-09-04, to = 2023-09-07, share = 0.75 }, \
                    { from = 2023-09-08, to = 2023-10-21, share = 0.5 }]";
        Value::Table(toml::from_str(text).unwrap())
    }

    fn dates(p: &Value) -> Vec<(String, String)> {
        p["schedule"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let d = |k: &str| match &e[k] {
                    Value::Datetime(d) => d.to_string(),
                    other => panic!("{k}: {other}"),
                };
                (d("from"), d("to"))
            })
            .collect()
    }

    #[test]
    fn weeks_end_a_policy_that_long_after_its_first_day_and_refuse_what_no_order_is() {
        // Two weeks from Monday 21 Aug: to Sunday 3 Sep; the later entries are dropped.
        let mut p = policy();
        set_weeks(&mut p, 2.0).unwrap();
        assert_eq!(dates(&p), [("2023-08-21".into(), "2023-09-03".into())]);
        // Two and a half weeks: the summit entry is cut at 7 Sep (day 18).
        let mut p = policy();
        set_weeks(&mut p, 2.5).unwrap();
        assert_eq!(
            dates(&p),
            [
                ("2023-08-21".into(), "2023-09-03".into()),
                ("2023-09-04".into(), "2023-09-07".into())
            ]
        );
        for (w, message) in [
            (0.0, "weeks: 0 is not a positive number of weeks"),
            (f64::NAN, "weeks: NaN is not a positive number of weeks"),
            (
                1e10,
                "weeks: 10000000000 weeks is longer than any order (520 weeks at most)",
            ),
        ] {
            assert_eq!(set_weeks(&mut policy(), w).unwrap_err().0, message);
        }
    }
}
