//! A sweep's design file: which base scenarios, which factors with which levels or
//! ranges, which method, how many replicates, which outcomes — read and checked against the
//! dataset and the base scenarios before anything runs. Every message names the file and
//! the key, the value found and what is allowed. The [target] section is read by
//! `design_target`.

use std::path::Path;

use toml::{Table, Value};

use super::design_target::target;
use super::factor::{Factor, Problems, Settings, as_number, factor, shown};
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

/// Where a Saltelli design's base samples A and B come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    /// One scrambled Sobol′ sequence in 2 × factors dimensions (the default).
    Sequence,
    /// Two independent Latin hypercubes (what earlier versions used).
    Lhs,
}

impl Sampling {
    pub const NAMES: [&'static str; 2] = ["sobol", "lhs"];

    pub fn as_str(self) -> &'static str {
        match self {
            Sampling::Sequence => "sobol",
            Sampling::Lhs => "lhs",
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
    /// A Saltelli design's base samples (`sampling`; ignored by other methods).
    pub sampling: Sampling,
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

const KEYS: [&str; 12] = [
    "schema_version",
    "name",
    "title",
    "method",
    "scenarios",
    "replicates",
    "samples",
    "sampling",
    "design_seed",
    "outcomes",
    "factor",
    "target",
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
        check_keys_and_version(&table, &mut p);
        let name = string(&table, "name", &mut p);
        let title = string(&table, "title", &mut p);
        check_texts(&name, &title, &mut p);
        let method = method(&table, &mut p);
        let max_replicates = crate::simulate::MAX_REPLICATES as i64;
        let replicates = int(&table, "replicates", 10, 1, max_replicates, &mut p) as u32;
        let samples = int(&table, "samples", 64, 2, MAX_POINTS as i64, &mut p) as usize;
        let design_seed = int(&table, "design_seed", 1, 0, i64::MAX, &mut p) as u64;
        let outcomes = outcomes(&table, &mut p);
        let scenarios = base_scenarios(&table, path, ds, &mut p);
        let factors = factors(&table, &scenarios, ds, &mut p);
        if let Some(m) = method {
            check_settings_fit_method(m, &factors, &mut p);
        }
        let sampling = sampling(&table, method, factors.len(), &mut p);
        let target = match table.get("target") {
            None => None,
            Some(Value::Table(t)) => target(t, &factors, &mut p),
            Some(v) => {
                let v = shown(Some(v));
                p(
                    "target",
                    format!("{v} is not a table; write a [target] section"),
                );
                None
            }
        };
        check_point_count(method, &factors, samples, &mut p);
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
            sampling,
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

/// Every top-level key is one a design has, and the schema version is the supported one.
fn check_keys_and_version(table: &Table, p: &mut Problems) {
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
}

/// A required non-empty string (empty after a problem).
fn string(table: &Table, key: &str, p: &mut Problems) -> String {
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
}

/// The design's name names its folder (the one rule for names); its title lands in
/// charts, bounded and free of control characters as a scenario's is.
fn check_texts(name: &str, title: &str, p: &mut Problems) {
    if let Some(m) = crate::text::name_problem(name).filter(|_| !name.trim().is_empty()) {
        p("name", m);
    }
    if let Some(m) = crate::text::text_problem(title, crate::text::MAX_TITLE_CHARS) {
        p("title", m);
    }
}

/// The method; only a design with a [target] section may leave it out.
fn method(table: &Table, p: &mut Problems) -> Option<Method> {
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
    method
}

/// A Saltelli design's base samples: `sampling = "sobol"` (the default) or `"lhs"`; no
/// other method takes the key. The Sobol′ sequence has dimensions for so many factors.
fn sampling(table: &Table, method: Option<Method>, factors: usize, p: &mut Problems) -> Sampling {
    let given = table.get("sampling");
    let found = match given {
        None => Some(Sampling::Sequence),
        Some(Value::String(s)) if s == "sobol" => Some(Sampling::Sequence),
        Some(Value::String(s)) if s == "lhs" => Some(Sampling::Lhs),
        Some(_) => None,
    };
    let Some(sampling) = found else {
        let allowed = Sampling::NAMES.join(", ");
        p(
            "sampling",
            format!("{} is not one of {allowed}", shown(given)),
        );
        return Sampling::Sequence;
    };
    if given.is_some() && method != Some(Method::Sobol) {
        p(
            "sampling",
            "only a method = \"sobol\" design takes it; leave it out".into(),
        );
    }
    let most = super::sequence::MAX_DIMENSIONS / 2;
    if method == Some(Method::Sobol) && sampling == Sampling::Sequence && factors > most {
        p(
            "sampling",
            format!(
                "the Sobol′ sequence has dimensions for at most {most} factors and the design has {factors}; use fewer factors or sampling = \"lhs\""
            ),
        );
    }
    sampling
}

/// An optional integer in `min..=max`; `default` when absent or after a problem.
fn int(table: &Table, key: &str, default: i64, min: i64, max: i64, p: &mut Problems) -> i64 {
    match table.get(key) {
        None => default,
        Some(Value::Integer(i)) if (min..=max).contains(i) => *i,
        v => {
            p(key, format!("{} is outside {min}..{max}", shown(v)));
            default
        }
    }
}

/// The outcomes to analyse: all of them when not listed.
fn outcomes(table: &Table, p: &mut Problems) -> Vec<Outcome> {
    match table.get("outcomes") {
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
    }
}

/// The base scenarios, loaded by shipped name or by path relative to the design file.
fn base_scenarios(table: &Table, path: &Path, ds: &Dataset, p: &mut Problems) -> Vec<Template> {
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
    scenarios
}

/// The [[factor]] sections, each checked against the dataset and the base scenarios.
fn factors(table: &Table, scenarios: &[Template], ds: &Dataset, p: &mut Problems) -> Vec<Factor> {
    let mut factors: Vec<Factor> = Vec::new();
    match table.get("factor") {
        Some(Value::Array(a)) if !a.is_empty() => {
            for (i, f) in a.iter().enumerate() {
                let at = format!("factor[{}]", i + 1);
                match f {
                    Value::Table(t) => {
                        if let Some(f) = factor(t, &at, scenarios, ds, p) {
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
    factors
}

/// A grid needs levels, each listed once: a factor given as a range has no levels to
/// combine, and a level listed twice would make the same points twice.
fn check_settings_fit_method(m: Method, factors: &[Factor], p: &mut Problems) {
    for (i, f) in factors.iter().enumerate() {
        let at = format!("factor[{}]", i + 1);
        match (m, &f.settings) {
            (Method::Grid, Settings::Range(..)) => p(
                &at,
                format!("'{}' has a range; a grid needs levels = [...]", f.key),
            ),
            (Method::Grid, Settings::Levels(l)) => {
                if let Some(v) = repeated(l) {
                    p(
                        &format!("{at}.levels"),
                        format!("{v} is listed twice; a grid needs each level once"),
                    );
                }
            }
            (Method::Lhs | Method::Sobol, Settings::Levels(_)) if !f.is_numeric() => {
                // Listed non-numeric levels are sampled as equal strata: allowed.
            }
            _ => {}
        }
    }
}

/// The first level listed again (numbers compared as numbers: `1` and `1.0` are one).
fn repeated(levels: &[Value]) -> Option<&Value> {
    let same = |a: &Value, b: &Value| match (as_number(a), as_number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    };
    levels
        .iter()
        .enumerate()
        .find(|(i, v)| levels[..*i].iter().any(|w| same(w, v)))
        .map(|(_, v)| v)
}

/// A design makes at most [`MAX_POINTS`] points.
fn check_point_count(method: Option<Method>, factors: &[Factor], samples: usize, p: &mut Problems) {
    let n_points = method.map_or(0, |m| count_points(m, factors, samples));
    if n_points > MAX_POINTS {
        p(
            "samples",
            format!(
                "the design has {n_points} points, more than {MAX_POINTS}; use fewer samples, factors or levels"
            ),
        );
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
