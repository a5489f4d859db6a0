//! One factor of a design: what it varies (a scenario key or a dataset row), its settings
//! (a range or levels) and the value it is held at — read from its `[[factor]]` table and
//! checked against the dataset's provenance and every base scenario.

use toml::{Table, Value};

use crate::data::Dataset;
use crate::scenario::Template;

/// What a factor varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A key of the scenario (dotted path, see [`crate::scenario::Template`]).
    Scenario(String),
    /// A row of the dataset's provenance table (the key without `data.`).
    Data(String),
}

/// A factor's settings.
#[derive(Debug, Clone, PartialEq)]
pub enum Settings {
    /// A numeric interval (low, high).
    Range(f64, f64),
    /// Listed values (numbers, strings, lists...).
    Levels(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// As written in the design (`policy.1.compliance`, `data.role_share.private.administrative`).
    pub key: String,
    pub label: String,
    pub target: Target,
    pub settings: Settings,
    /// The value every other point holds it at (oat's base, grid's response curves).
    pub central: Value,
}

impl Factor {
    /// Low and high settings (oat; the ends of a range or the first and last level).
    pub fn low_high(&self) -> (Value, Value) {
        match &self.settings {
            Settings::Range(a, b) => (Value::Float(*a), Value::Float(*b)),
            Settings::Levels(l) => (l[0].clone(), l[l.len() - 1].clone()),
        }
    }

    /// The factor's value at `u` in [0, 1) of its range (lhs, sobol).
    pub fn at(&self, u: f64) -> Value {
        match &self.settings {
            Settings::Range(a, b) => Value::Float(a + u * (b - a)),
            Settings::Levels(l) => l[((u * l.len() as f64) as usize).min(l.len() - 1)].clone(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        match &self.settings {
            Settings::Range(..) => true,
            Settings::Levels(l) => l.iter().all(|v| as_number(v).is_some()),
        }
    }
}

/// A TOML number as f64.
pub fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

const FACTOR_KEYS: [&str; 5] = ["key", "label", "range", "levels", "central"];

/// The dataset rows a sweep can fix: what the replicates draw (accounting and road
/// inputs) and the structural rows the replicates weigh by.
pub fn sweepable(ds: &Dataset) -> Vec<String> {
    let mut k: Vec<String> = ds
        .inputs
        .accounting
        .all()
        .chain(ds.inputs.roads.all())
        .map(|u| u.key.clone())
        .collect();
    k.extend(
        crate::structural::Reference::new(ds)
            .keys()
            .into_iter()
            .map(String::from),
    );
    k
}

/// Where a design's problems go: each names the key it is about.
pub(super) type Problems<'a> = dyn FnMut(&str, String) + 'a;

/// Reads a `[[factor]]` table (`at` names it in messages); None after reporting problems.
pub(super) fn factor(
    t: &Table,
    at: &str,
    scenarios: &[Template],
    ds: &Dataset,
    p: &mut Problems,
) -> Option<Factor> {
    for k in t.keys() {
        if !FACTOR_KEYS.contains(&k.as_str()) {
            p(
                &format!("{at}.{k}"),
                format!("unknown key; a factor has {}", FACTOR_KEYS.join(", ")),
            );
        }
    }
    let Some(Value::String(key)) = t.get("key") else {
        p(
            &format!("{at}.key"),
            format!(
                "{} is not allowed; name a scenario key (e.g. \"policy.1.compliance\") or a dataset row as \"data.<key>\"",
                shown(t.get("key"))
            ),
        );
        return None;
    };
    let here = format!("{at} ('{key}')");
    let label = match t.get("label") {
        Some(Value::String(s)) => s.clone(),
        None => key.clone(),
        Some(v) => {
            p(&format!("{here}.label"), format!("{v} is not a string"));
            key.clone()
        }
    };
    let target = factor_target(key, &here, ds, p)?;
    let settings = settings(t, &here, &target, ds, p)?;
    if let Target::Data(k) = &target {
        check_within_provenance(k, &settings, &here, ds, p)?;
    }
    let central = central(t, &target, &settings, scenarios, ds);
    if let Target::Scenario(k) = &target {
        check_fits_scenarios(k, &central, &settings, scenarios, &here, ds, p);
    }
    Some(Factor {
        key: key.clone(),
        label,
        target,
        settings,
        central,
    })
}

/// A scenario key, or a dataset row (`data.<key>`) that a sweep can vary.
fn factor_target(key: &str, here: &str, ds: &Dataset, p: &mut Problems) -> Option<Target> {
    let Some(k) = key.strip_prefix("data.") else {
        return Some(Target::Scenario(key.to_string()));
    };
    if ds.params.row(k).is_none() {
        let keys: Vec<&str> = ds.params.iter().map(|r| r.key.as_str()).collect();
        let near = crate::scenario::nearest_name(k, &keys);
        p(
            here,
            format!(
                "the dataset has no parameter '{k}'{}; `wfhsim data` lists every key",
                near.map_or(String::new(), |n| format!(" (did you mean 'data.{n}'?)"))
            ),
        );
        return None;
    }
    if !sweepable(ds).iter().any(|s| s == k) {
        p(
            here,
            format!(
                "'{k}' shapes the population or the commuter matrix, which a sweep builds once from the dataset; a sweep can vary the rows the replicates draw (accounting, road and structural inputs: `wfhsim data` marks them with a range) — to vary this one, run each value as its own dataset folder (`wfhsim data --export`, then `wfhsim run --data`)"
            ),
        );
        return None;
    }
    Some(Target::Data(k.to_string()))
}

/// The factor's range or levels, as given; without either, a dataset row's provenance range.
fn settings(
    t: &Table,
    here: &str,
    target: &Target,
    ds: &Dataset,
    p: &mut Problems,
) -> Option<Settings> {
    Some(match (t.get("range"), t.get("levels")) {
        (Some(_), Some(_)) => {
            p(here, "has both range and levels; give one".into());
            return None;
        }
        (Some(Value::Array(r)), None) => {
            let nums: Vec<Option<f64>> = r.iter().map(as_number).collect();
            match nums.as_slice() {
                [Some(a), Some(b)] if a.is_finite() && b.is_finite() && a < b => {
                    Settings::Range(*a, *b)
                }
                _ => {
                    p(
                        &format!("{here}.range"),
                        format!(
                            "{} is not allowed; give [low, high] with low < high",
                            Value::Array(r.clone())
                        ),
                    );
                    return None;
                }
            }
        }
        (Some(v), None) => {
            p(
                &format!("{here}.range"),
                format!("{v} is not allowed; give [low, high]"),
            );
            return None;
        }
        (None, Some(Value::Array(l))) if l.len() >= 2 => Settings::Levels(l.clone()),
        (None, Some(v)) => {
            p(
                &format!("{here}.levels"),
                format!("{v} is not allowed; give a list of at least two values"),
            );
            return None;
        }
        (None, None) => return default_settings(here, target, ds, p),
    })
}

/// A dataset row's range defaults to its provenance low–high; a scenario key has none.
fn default_settings(
    here: &str,
    target: &Target,
    ds: &Dataset,
    p: &mut Problems,
) -> Option<Settings> {
    match target {
        Target::Data(k) => {
            let (lo, _, hi) = ds.params.row(k).expect("checked by factor_target").range();
            if lo < hi {
                Some(Settings::Range(lo, hi))
            } else {
                p(
                    here,
                    format!(
                        "the dataset gives '{k}' no range (low = high = {lo}); give range = [low, high] or levels"
                    ),
                );
                None
            }
        }
        Target::Scenario(_) => {
            p(here, "needs range = [low, high] or levels = [...]".into());
            None
        }
    }
}

/// A dataset row may move only within its provenance range.
fn check_within_provenance(
    k: &str,
    settings: &Settings,
    here: &str,
    ds: &Dataset,
    p: &mut Problems,
) -> Option<()> {
    let (lo, c, hi) = ds.params.row(k).expect("checked by factor_target").range();
    let values: Vec<f64> = match settings {
        Settings::Range(a, b) => vec![*a, *b],
        Settings::Levels(l) => {
            let nums: Vec<Option<f64>> = l.iter().map(as_number).collect();
            if nums.iter().any(Option::is_none) {
                p(
                    &format!("{here}.levels"),
                    "a dataset row takes numbers only".into(),
                );
                return None;
            }
            nums.into_iter().flatten().collect()
        }
    };
    let tol = 1e-12 * (hi.abs() + 1.0);
    if let Some(v) = values.iter().find(|v| **v < lo - tol || **v > hi + tol) {
        p(
            here,
            format!(
                "{v} is outside the provenance range of '{k}' ({lo} to {hi}, central {c}); a sweep stays within what the sources allow"
            ),
        );
        return None;
    }
    Some(())
}

/// The value the factor is held at: as given, else the base's value (the dataset row's or
/// the first base scenario's that has the key), else the middle of the range or the first
/// level.
fn central(
    t: &Table,
    target: &Target,
    settings: &Settings,
    scenarios: &[Template],
    ds: &Dataset,
) -> Value {
    if let Some(v) = t.get("central") {
        return v.clone();
    }
    let from_base = match target {
        Target::Data(k) => ds.params.row(k).map(|r| Value::Float(r.value)),
        Target::Scenario(k) => scenarios.iter().find_map(|s| s.number(k)).map(Value::Float),
    };
    match (from_base, settings) {
        (Some(v), _) => v,
        (None, Settings::Range(a, b)) => Value::Float((a + b) / 2.0),
        (None, Settings::Levels(l)) => l[0].clone(),
    }
}

/// A scenario key must fit every base scenario at each of its settings; the first misfit
/// is reported.
fn check_fits_scenarios(
    k: &str,
    central: &Value,
    settings: &Settings,
    scenarios: &[Template],
    here: &str,
    ds: &Dataset,
    p: &mut Problems,
) {
    let mut values = vec![central.clone()];
    match settings {
        Settings::Range(a, b) => values.extend([Value::Float(*a), Value::Float(*b)]),
        Settings::Levels(l) => values.extend(l.iter().cloned()),
    }
    for s in scenarios {
        for v in &values {
            if let Err(e) = s.variant(here, &[(k.to_string(), v.clone())], ds) {
                let msgs: Vec<String> = e
                    .problems
                    .iter()
                    .map(|x| {
                        if x.key.is_empty() {
                            x.message.clone()
                        } else {
                            format!("{}: {}", x.key, x.message)
                        }
                    })
                    .collect();
                p(
                    here,
                    format!("at {v} in scenario '{}': {}", s.name, msgs.join("; ")),
                );
                return;
            }
        }
    }
}

/// A value as a message shows it.
pub(super) fn shown(v: Option<&Value>) -> String {
    match v {
        None => "nothing (the key is missing)".into(),
        Some(Value::String(s)) => format!("\"{s}\""),
        Some(v) => v.to_string(),
    }
}
