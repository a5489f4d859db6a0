//! A sweep's design file: which base scenarios, which factors with which levels or
//! ranges, which method, how many replicates, which outcomes — read and checked against the
//! dataset and the base scenarios before anything runs. Every message names the file and
//! the key, the value found and what is allowed.

use std::path::Path;

use toml::{Table, Value};

use super::factor::{Factor, Settings, as_number, factor, shown};
use super::outcome::{OUTCOMES, Outcome};
use crate::data::Dataset;
use crate::scenario::Template;

pub const SCHEMA_VERSION: i64 = 1;

/// How the points are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every combination of every factor's levels.
    Grid,
    /// One factor at a time to its low and its high setting, the others central.
    Oat,
    /// A Latin hypercube of `samples` points over the factors' ranges.
    Lhs,
    /// Saltelli's design for Sobol indices: `samples` × (factors + 2) points.
    Sobol,
}

impl Method {
    pub const NAMES: [&'static str; 4] = ["grid", "oat", "lhs", "sobol"];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Grid => "grid",
            Method::Oat => "oat",
            Method::Lhs => "lhs",
            Method::Sobol => "sobol",
        }
    }
}

/// Which factor a `wfhsim target` search moves, towards which outcome level.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpec {
    /// Index into [`Design::factors`].
    pub factor: usize,
    pub outcome: Outcome,
    pub value: f64,
    /// Share of replicates that must reach the value (0.9 by default).
    pub probability: f64,
    /// Stop when the bracket is narrower than this (default: 1/200 of the range).
    pub tolerance: f64,
    /// Points of the response curve drawn around the answer.
    pub curve_points: usize,
}

#[derive(Debug, Clone)]
pub struct Design {
    /// Where the design was read from, for messages.
    pub file: String,
    pub name: String,
    pub title: String,
    /// None in a design made for `wfhsim target` only.
    pub method: Option<Method>,
    pub scenarios: Vec<Template>,
    pub factors: Vec<Factor>,
    pub replicates: u32,
    pub samples: usize,
    /// Seed of the design's own sampling (lhs, sobol): the points depend on the design
    /// file alone, never on the run's seed or the number of shards.
    pub design_seed: u64,
    pub outcomes: Vec<Outcome>,
    pub target: Option<TargetSpec>,
    /// SHA-256 of the design file's bytes.
    pub sha256: String,
}

/// A design that cannot be used: every problem, one per line, each naming the file and key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct DesignError(pub Vec<String>);

/// The largest number of points a design may have.
pub const MAX_POINTS: usize = 1_000_000;

const KEYS: [&str; 11] = [
    "schema_version",
    "name",
    "title",
    "method",
    "scenarios",
    "replicates",
    "samples",
    "design_seed",
    "outcomes",
    "factor",
    "target",
];
const TARGET_KEYS: [&str; 6] = [
    "factor",
    "outcome",
    "value",
    "probability",
    "tolerance",
    "curve_points",
];

impl Design {
    /// Reads a design from `text`; `path` (the file) names it in messages and is the folder
    /// base scenario paths are relative to.
    pub fn parse(path: &Path, text: &str, ds: &Dataset) -> Result<Design, DesignError> {
        let file = path.display().to_string();
        let mut problems: Vec<String> = Vec::new();
        let table: Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                return Err(DesignError(vec![format!(
                    "{file}: not valid TOML: {}",
                    e.to_string().trim()
                )]));
            }
        };
        let mut p = |key: &str, m: String| problems.push(format!("{file}: {key}: {m}"));
        for k in table.keys() {
            if !KEYS.contains(&k.as_str()) {
                p(k, format!("unknown key; a design has {}", KEYS.join(", ")));
            }
        }
        match table.get("schema_version") {
            Some(Value::Integer(SCHEMA_VERSION)) => {}
            v => p(
                "schema_version",
                format!(
                    "{} is not supported; write schema_version = {SCHEMA_VERSION}",
                    shown(v)
                ),
            ),
        }
        let string = |key: &str, p: &mut dyn FnMut(&str, String)| -> String {
            match table.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                v => {
                    p(
                        key,
                        format!("{} is not allowed; give a non-empty string", shown(v)),
                    );
                    String::new()
                }
            }
        };
        let name = string("name", &mut p);
        let title = string("title", &mut p);
        let method = match table.get("method") {
            Some(Value::String(s)) => match s.as_str() {
                "grid" => Some(Method::Grid),
                "oat" => Some(Method::Oat),
                "lhs" => Some(Method::Lhs),
                "sobol" => Some(Method::Sobol),
                _ => None,
            },
            _ => None,
        };
        if method.is_none() && !(table.get("method").is_none() && table.contains_key("target")) {
            p(
                "method",
                format!(
                    "{} is not one of {}",
                    shown(table.get("method")),
                    Method::NAMES.join(", ")
                ),
            );
        }
        let int =
            |key: &str, default: i64, min: i64, max: i64, p: &mut dyn FnMut(&str, String)| -> i64 {
                match table.get(key) {
                    None => default,
                    Some(Value::Integer(i)) if (min..=max).contains(i) => *i,
                    v => {
                        p(key, format!("{} is outside {min}..{max}", shown(v)));
                        default
                    }
                }
            };
        let replicates = int(
            "replicates",
            10,
            1,
            crate::simulate::MAX_REPLICATES as i64,
            &mut p,
        ) as u32;
        let samples = int("samples", 64, 2, MAX_POINTS as i64, &mut p) as usize;
        let design_seed = int("design_seed", 1, 0, i64::MAX, &mut p) as u64;
        let outcomes: Vec<Outcome> = match table.get("outcomes") {
            None => OUTCOMES.to_vec(),
            Some(Value::Array(a)) if !a.is_empty() => a
                .iter()
                .filter_map(|v| {
                    let found = v.as_str().and_then(Outcome::find);
                    if found.is_none() {
                        p(
                            "outcomes",
                            format!(
                                "{v} is not an outcome; allowed: {}",
                                Outcome::names().join(", ")
                            ),
                        );
                    }
                    found
                })
                .collect(),
            v => {
                p(
                    "outcomes",
                    format!(
                        "{} is not allowed; give a list of outcome names ({})",
                        shown(v),
                        Outcome::names().join(", ")
                    ),
                );
                Vec::new()
            }
        };
        // Base scenarios.
        let mut scenarios = Vec::new();
        match table.get("scenarios") {
            Some(Value::Array(a)) if !a.is_empty() => {
                for v in a {
                    let Some(s) = v.as_str() else {
                        p(
                            "scenarios",
                            format!("{v} is not a scenario name or path (a string)"),
                        );
                        continue;
                    };
                    match Template::load(s, Some(path), ds) {
                        Ok(t) => {
                            if scenarios.iter().any(|x: &Template| x.name == t.name) {
                                p("scenarios", format!("'{}' is listed twice", t.name));
                            }
                            scenarios.push(t)
                        }
                        Err(e) => p("scenarios", format!("'{s}': {e}")),
                    }
                }
            }
            v => p(
                "scenarios",
                format!(
                    "{} is not allowed; list the base scenarios: shipped names (e.g. \"dki-2023\") or paths ending in .toml relative to this file",
                    shown(v)
                ),
            ),
        }
        // Factors.
        let mut factors: Vec<Factor> = Vec::new();
        match table.get("factor") {
            Some(Value::Array(a)) if !a.is_empty() => {
                for (i, f) in a.iter().enumerate() {
                    let at = format!("factor[{}]", i + 1);
                    match f {
                        Value::Table(t) => {
                            if let Some(f) = factor(t, &at, &scenarios, ds, &mut p) {
                                if factors.iter().any(|x| x.key == f.key) {
                                    p(&at, format!("'{}' is listed twice", f.key));
                                }
                                factors.push(f);
                            }
                        }
                        _ => p(&at, "is not a table; write [[factor]] sections".into()),
                    }
                }
            }
            v => p(
                "factor",
                format!(
                    "{} is not allowed; give at least one [[factor]] with a key and a range or levels",
                    shown(v)
                ),
            ),
        }
        if let Some(m) = method {
            for (i, f) in factors.iter().enumerate() {
                let at = format!("factor[{}]", i + 1);
                match (m, &f.settings) {
                    (Method::Grid, Settings::Range(..)) => p(
                        &at,
                        format!("'{}' has a range; a grid needs levels = [...]", f.key),
                    ),
                    (Method::Lhs | Method::Sobol, Settings::Levels(_)) if !f.is_numeric() => {
                        // Listed non-numeric levels are sampled as equal strata: allowed.
                    }
                    _ => {}
                }
            }
        }
        let target = match table.get("target") {
            None => None,
            Some(Value::Table(t)) => target(t, &factors, &mut p),
            Some(v) => {
                p(
                    "target",
                    format!(
                        "{} is not a table; write a [target] section",
                        shown(Some(v))
                    ),
                );
                None
            }
        };
        let n_points = method.map_or(0, |m| count_points(m, &factors, samples));
        if n_points > MAX_POINTS {
            p(
                "samples",
                format!(
                    "the design has {n_points} points, more than {MAX_POINTS}; use fewer samples, factors or levels"
                ),
            );
        }
        if !problems.is_empty() {
            return Err(DesignError(problems));
        }
        Ok(Design {
            file,
            name,
            title,
            method,
            scenarios,
            factors,
            replicates,
            samples,
            design_seed,
            outcomes,
            target,
            sha256: crate::scenario::sha256_hex(&[text.as_bytes()]),
        })
    }

    /// Number of points the design makes (0 for a target-only design).
    pub fn n_points(&self) -> usize {
        self.method
            .map_or(0, |m| count_points(m, &self.factors, self.samples))
    }
}

fn count_points(m: Method, factors: &[Factor], samples: usize) -> usize {
    match m {
        Method::Grid => factors
            .iter()
            .map(|f| match &f.settings {
                Settings::Levels(l) => l.len(),
                Settings::Range(..) => 2,
            })
            .try_fold(1usize, |a, b| a.checked_mul(b))
            .unwrap_or(usize::MAX),
        Method::Oat => 1 + 2 * factors.len(),
        Method::Lhs => samples,
        Method::Sobol => samples.saturating_mul(factors.len() + 2),
    }
}

fn target(t: &Table, factors: &[Factor], p: &mut dyn FnMut(&str, String)) -> Option<TargetSpec> {
    for k in t.keys() {
        if !TARGET_KEYS.contains(&k.as_str()) {
            p(
                &format!("target.{k}"),
                format!("unknown key; [target] has {}", TARGET_KEYS.join(", ")),
            );
        }
    }
    let factor = match t.get("factor").and_then(Value::as_str) {
        Some(k) => match factors.iter().position(|f| f.key == k) {
            Some(i) if matches!(factors[i].settings, Settings::Range(..)) => Some(i),
            Some(_) => {
                p(
                    "target.factor",
                    format!("'{k}' has levels; the search needs a factor with range = [low, high]"),
                );
                None
            }
            None => {
                p(
                    "target.factor",
                    format!(
                        "'{k}' is not one of the design's factors ({})",
                        factors
                            .iter()
                            .map(|f| f.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                None
            }
        },
        None => {
            p(
                "target.factor",
                "give the key of the factor to move (one of the [[factor]] keys)".into(),
            );
            None
        }
    };
    let outcome = match t
        .get("outcome")
        .and_then(Value::as_str)
        .map(|s| (s, Outcome::find(s)))
    {
        Some((_, Some(o))) => Some(o),
        other => {
            p(
                "target.outcome",
                format!(
                    "{} is not an outcome; allowed: {}",
                    other.map_or("nothing".into(), |(s, _)| format!("\"{s}\"")),
                    Outcome::names().join(", ")
                ),
            );
            None
        }
    };
    let value = match t.get("value").and_then(as_number) {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            p(
                "target.value",
                format!("{} is not a number", shown(t.get("value"))),
            );
            None
        }
    };
    let probability = match t.get("probability") {
        None => 0.9,
        Some(v) => match as_number(v) {
            Some(x) if x > 0.0 && x < 1.0 => x,
            _ => {
                p(
                    "target.probability",
                    format!("{v} is outside (0, 1); e.g. 0.9 for 90% of replicates"),
                );
                0.9
            }
        },
    };
    let curve_points = match t.get("curve_points") {
        None => 9,
        Some(Value::Integer(i)) if (3..=101).contains(i) => *i as usize,
        Some(v) => {
            p("target.curve_points", format!("{v} is outside 3..101"));
            9
        }
    };
    let (factor, outcome, value) = (factor?, outcome?, value?);
    let Settings::Range(lo, hi) = factors[factor].settings else {
        return None;
    };
    let tolerance = match t.get("tolerance") {
        None => (hi - lo) / 200.0,
        Some(v) => match as_number(v) {
            Some(x) if x > 0.0 && x < hi - lo => x,
            _ => {
                p(
                    "target.tolerance",
                    format!("{v} is outside (0, {}) (the factor's range)", hi - lo),
                );
                (hi - lo) / 200.0
            }
        },
    };
    Some(TargetSpec {
        factor,
        outcome,
        value,
        probability,
        tolerance,
        curve_points,
    })
}
