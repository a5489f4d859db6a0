//! A run folder's `run.json` checked before its tables are read: at least one scenario,
//! region and mode, each named once; each scenario's period and policy window real dates
//! in order, the window inside the period; the scale in (0, 1] and at least one replicate;
//! the reproduce record naming the same scenarios. What it allows the tables to hold is
//! [`Known`], against which [`super::check`] reads every row.

use std::collections::BTreeMap;

use super::ALL;
use super::check::{Problem, show};
use crate::export::RunInfo;
use wfhsim_core::calendar::Date;

/// A scenario's days: its period and its policy window (none without a share in force).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span {
    pub period: (Date, Date),
    pub window: Option<(Date, Date)>,
}

/// What `run.json` allows the tables to hold: scenarios (with their days), the region
/// codes and the mode codes, each with [`ALL`].
#[derive(Debug)]
pub(super) struct Known {
    pub scenarios: BTreeMap<String, Span>,
    pub regions: BTreeMap<String, ()>,
    pub modes: BTreeMap<String, ()>,
    /// The run's replicate count (`reproduce.replicates`).
    pub replicates: u32,
}

fn bad(at: impl Into<String>, value: impl Into<String>, allowed: impl Into<String>) -> Problem {
    Problem::new("run.json", at.into(), value.into(), allowed.into())
}

/// A list of names: at least one, each non-empty and once. `key` is the list's key.
fn names<'a>(key: &str, names: impl Iterator<Item = &'a str>) -> Result<Vec<&'a str>, Problem> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, n) in names.enumerate() {
        if n.is_empty() {
            return Err(bad(format!("{key}[{i}]"), "''", "a non-empty name"));
        }
        if let Some(first) = seen.insert(n, i) {
            let allowed = format!("each name once ({key}[{first}] has it too)");
            return Err(bad(format!("{key}[{i}]"), format!("'{n}'"), allowed));
        }
    }
    if seen.is_empty() {
        return Err(bad(key, "[]", format!("at least one of {key}")));
    }
    Ok(seen.into_keys().collect())
}

/// The codes a table may name: the list's and [`ALL`].
fn codes(list: Vec<&str>) -> BTreeMap<String, ()> {
    list.into_iter()
        .chain([ALL])
        .map(|c| (c.to_string(), ()))
        .collect()
}

/// A `YYYY-MM-DD` text of `run.json`.
fn date(at: &str, text: Option<&str>) -> Result<Date, Problem> {
    let text = text.unwrap_or_default();
    Date::parse(text).ok_or_else(|| bad(at, format!("'{text}'"), "a date YYYY-MM-DD"))
}

/// Scenario `i`'s period (its `period.start` and `period.end` settings) and window.
fn span(info: &RunInfo, i: usize) -> Result<Span, Problem> {
    let s = &info.scenarios[i];
    let setting = |k: &str| s.settings.get(k).map(|v| v.trim_matches('"'));
    let at = |k: &str| format!("scenarios[{i}].settings.{k}");
    let start = date(&at("period.start"), setting("period.start"))?;
    let end = date(&at("period.end"), setting("period.end"))?;
    if end < start {
        return Err(bad(
            at("period.end"),
            end.to_string(),
            format!("on or after period.start {start}"),
        ));
    }
    let window = match &s.window {
        None => None,
        Some((a, b)) => {
            let at = format!("scenarios[{i}].window");
            let (from, to) = (date(&at, Some(a))?, date(&at, Some(b))?);
            if !(start <= from && from <= to && to <= end) {
                let allowed = format!("first day <= last day, inside the period {start}..{end}");
                return Err(bad(at, format!("{from}..{to}"), allowed));
            }
            Some((from, to))
        }
    };
    Ok(Span {
        period: (start, end),
        window,
    })
}

/// The reproduce record: a scale in (0, 1], at least one replicate, the same scenarios.
fn reproduce(info: &RunInfo) -> Result<(), Problem> {
    let r = &info.reproduce;
    if !(r.scale > 0.0 && r.scale <= 1.0) {
        return Err(bad("reproduce.scale", show(r.scale), "a number in (0, 1]"));
    }
    if r.replicates < 1 {
        return Err(bad("reproduce.replicates", "0", "at least 1"));
    }
    let listed: Vec<&str> = r.scenarios.iter().map(|s| s.name.as_str()).collect();
    let run: Vec<&str> = info.scenarios.iter().map(|s| s.name.as_str()).collect();
    if listed != run {
        let allowed = format!("the names of scenarios: {}", run.join(", "));
        return Err(bad("reproduce.scenarios", listed.join(", "), allowed));
    }
    Ok(())
}

/// Checks `run.json` and returns what its tables may hold.
pub(super) fn check(info: &RunInfo) -> Result<Known, Problem> {
    names("scenarios", info.scenarios.iter().map(|s| s.name.as_str()))?;
    let regions = names("regions", info.regions.iter().map(|g| g.code.as_str()))?;
    let modes = names("modes", info.modes.iter().map(|m| m.code.as_str()))?;
    reproduce(info)?;
    for (i, e) in info.events.iter().enumerate() {
        date(&format!("events[{i}].date"), Some(&e.date))?;
    }
    let mut scenarios = BTreeMap::new();
    for (i, s) in info.scenarios.iter().enumerate() {
        scenarios.insert(s.name.clone(), span(info, i)?);
    }
    Ok(Known {
        scenarios,
        regions: codes(regions),
        modes: codes(modes),
        replicates: info.reproduce.replicates,
    })
}
