//! `wfhsim diff`: two finished run folders compared — per common scenario and summary row
//! (region basis × region × metric × component), the per-policy-day p50 of A and B, their
//! difference, and the band of B − A with P(B > A) from the runs' per-replicate totals —
//! paired when both runs drew the same inputs, over every pair otherwise ([`band`]); the
//! settings of each common scenario
//! whose SHA-256 differs, key by key; the scenarios only one run has; and warnings when the
//! runs' inputs differ (dataset, seed, scale, replicates, uncertainty, wfhsim version).
//!
//! The comparison only; `cli::diff` prints it. A [`Diff`] serializes (JSON) with its keys
//! in a fixed order.

mod band;
mod read;
mod sweep;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

pub use band::{DifferenceBand, Pairing, Side, band, pairing};
pub use read::{PerDay, Replicates, RowKey, RunSide, SummaryRow};
pub use sweep::sweep_of_run;

use crate::export::{ExportError, RunInfo};
use crate::view::REPLICATES_FILE;

/// Which summary rows are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    /// The whole study area (region basis `all`) and DKI's roads and cordon (the `dki_*`
    /// bases): the headline rows.
    Headline,
    /// The rows of one region code (`all`, `dki` or a region of the dataset) on every basis.
    Region(String),
    /// Every row.
    Every,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub rows: Rows,
    /// Only the rows of this metric (e.g. `trips`, `pm25`).
    pub metric: Option<String>,
    /// A row is changed when |B − A| > tolerance × |A| (per-day p50); 0 = any difference.
    pub tolerance: f64,
    /// Keep unchanged rows too.
    pub all: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    Read(#[from] ExportError),
    #[error("unknown region '{0}' (valid: {1})")]
    UnknownRegion(String, String),
    #[error("unknown metric '{0}' (valid: {1})")]
    UnknownMetric(String, String),
    #[error("--tolerance {0} must be a finite number >= 0")]
    Tolerance(f64),
    /// `report --sweep` with a sweep of another dataset, version or scenarios.
    #[error("{0}")]
    NotTheRunsSweep(String),
}

/// What a run was made with.
#[derive(Debug, Clone, Serialize)]
pub struct RunMeta {
    pub dir: String,
    pub wfhsim_version: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub uncertainty: String,
    pub dataset_sha256: String,
}

/// One compared row; values per policy working day.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: String,
    pub region_basis: String,
    pub region: String,
    pub metric: String,
    pub component: String,
    pub unit: String,
    pub a: PerDay,
    pub b: PerDay,
    /// B − A of the p50.
    pub delta: f64,
    /// 100 × delta / |A|; none when A is 0.
    pub delta_pct: Option<f64>,
    /// The band of B − A per policy working day and P(B > A), formed as the diff's
    /// [`Pairing`] says; none when it is unavailable.
    pub difference: Option<DifferenceBand>,
    pub changed: bool,
}

/// A setting of a scenario that differs; `None` where a run does not have the key.
#[derive(Debug, Clone, Serialize)]
pub struct SettingChange {
    pub key: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// A common scenario whose SHA-256 differs, and its settings that differ (none when only
/// comments or layout changed).
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioChange {
    pub scenario: String,
    pub sha256_a: String,
    pub sha256_b: String,
    pub settings: Vec<SettingChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub a: RunMeta,
    pub b: RunMeta,
    pub warnings: Vec<String>,
    /// How the rows' difference bands are formed.
    pub pairing: Pairing,
    pub tolerance: f64,
    /// The common scenarios, in A's order.
    pub scenarios: Vec<String>,
    pub rows_compared: usize,
    pub rows_changed: usize,
    /// The changed rows (every compared row with [`Options::all`]).
    pub rows: Vec<Row>,
    pub changed_scenarios: Vec<ScenarioChange>,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
}

impl Diff {
    /// Nothing differs: no changed row, no changed scenario, no scenario in one run only.
    pub fn no_differences(&self) -> bool {
        self.rows_changed == 0
            && self.changed_scenarios.is_empty()
            && self.only_in_a.is_empty()
            && self.only_in_b.is_empty()
    }
}

impl RunMeta {
    /// The inputs of the run folder `dir` whose `run.json` is `info`.
    pub fn of(dir: &str, info: &RunInfo) -> RunMeta {
        let r = &info.reproduce;
        RunMeta {
            dir: dir.to_string(),
            wfhsim_version: r.wfhsim_version.clone(),
            seed: r.seed,
            replicates: r.replicates,
            scale: r.scale,
            uncertainty: r.uncertainty.clone(),
            dataset_sha256: r.dataset_sha256.clone(),
        }
    }
}

fn meta(s: &RunSide) -> RunMeta {
    RunMeta::of(&s.dir, &s.info)
}

/// An input of a run (or sweep) that can differ from another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Dataset,
    Seed,
    Scale,
    Replicates,
    Uncertainty,
    Version,
}

/// An input that differs between two results, with its value in each.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub input: Input,
    pub a: String,
    pub b: String,
}

impl Difference {
    /// "the datasets differ: X in A, Y in B", the two sides named as given.
    pub fn text(&self, [side_a, side_b]: [&str; 2]) -> String {
        let what = match self.input {
            Input::Dataset => "the datasets differ",
            Input::Seed => "the seeds differ",
            Input::Scale => "the scales differ",
            Input::Replicates => "the replicates differ",
            Input::Uncertainty => "the uncertainty differs",
            Input::Version => "the wfhsim versions differ",
        };
        format!("{what}: {} in {side_a}, {} in {side_b}", self.a, self.b)
    }

    /// What the difference may mean for the numbers compared.
    pub fn why(&self) -> &'static str {
        match self.input {
            Input::Dataset => "differences may come from the data",
            Input::Seed => "differences inside the 5-95% bands may be Monte-Carlo noise",
            Input::Scale => "a smaller population is a noisier one",
            Input::Replicates => "the bands are estimated from different numbers of draws",
            Input::Uncertainty => "the bands draw different inputs",
            Input::Version => "the model itself may have changed",
        }
    }
}

/// Each input that differs between `a` and `b`, in a fixed order.
pub fn differences(a: &RunMeta, b: &RunMeta) -> Vec<Difference> {
    [
        (
            Input::Dataset,
            a.dataset_sha256.clone(),
            b.dataset_sha256.clone(),
        ),
        (Input::Seed, a.seed.to_string(), b.seed.to_string()),
        (Input::Scale, a.scale.to_string(), b.scale.to_string()),
        (
            Input::Replicates,
            a.replicates.to_string(),
            b.replicates.to_string(),
        ),
        (
            Input::Uncertainty,
            a.uncertainty.clone(),
            b.uncertainty.clone(),
        ),
        (
            Input::Version,
            a.wfhsim_version.clone(),
            b.wfhsim_version.clone(),
        ),
    ]
    .into_iter()
    .filter(|(_, x, y)| x != y)
    .map(|(input, a, b)| Difference { input, a, b })
    .collect()
}

/// A warning per input that differs.
fn warnings(a: &RunMeta, b: &RunMeta) -> Vec<String> {
    differences(a, b)
        .iter()
        .map(|d| format!("{}; {}", d.text(["A", "B"]), d.why()))
        .collect()
}

/// Whether `b` differs from `a` beyond the relative tolerance. A value that is not a
/// finite number, on either side, is a change whichever run is A: no tolerance can say
/// it is close to anything. (The run folders' checks refuse such values before they get
/// here; this keeps the comparison symmetrical whatever it is given.)
fn differs(a: f64, b: f64, tolerance: f64) -> bool {
    if !(a.is_finite() && b.is_finite()) {
        return true;
    }
    (b - a).abs() > tolerance * a.abs()
}

fn selected(k: &RowKey, opts: &Options) -> bool {
    if opts.metric.as_ref().is_some_and(|m| *m != k.metric) {
        return false;
    }
    match &opts.rows {
        Rows::Headline => k.region_basis == "all" || k.region_basis.starts_with("dki_"),
        Rows::Region(r) => k.region == *r,
        Rows::Every => true,
    }
}

/// The settings of scenario `name` that differ between the runs.
fn settings_change(name: &str, a: &RunSide, b: &RunSide) -> Option<ScenarioChange> {
    let sha = |s: &RunSide| {
        s.info
            .reproduce
            .scenarios
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.sha256.clone())
            .unwrap_or_default()
    };
    let (sha_a, sha_b) = (sha(a), sha(b));
    if sha_a == sha_b {
        return None;
    }
    let empty = BTreeMap::new();
    let settings = |s: &'_ RunSide| -> BTreeMap<String, String> {
        s.info
            .scenarios
            .iter()
            .find(|x| x.name == name)
            .map_or_else(|| empty.clone(), |x| x.settings.clone())
    };
    let (sa, sb) = (settings(a), settings(b));
    let mut keys: Vec<&String> = sa.keys().chain(sb.keys()).collect();
    keys.sort();
    keys.dedup();
    let changes = keys
        .into_iter()
        .filter(|k| sa.get(*k) != sb.get(*k))
        .map(|k| SettingChange {
            key: k.clone(),
            a: sa.get(k).cloned(),
            b: sb.get(k).cloned(),
        })
        .collect();
    Some(ScenarioChange {
        scenario: name.to_string(),
        sha256_a: sha_a,
        sha256_b: sha_b,
        settings: changes,
    })
}

/// The pairing of two runs; unavailable when either has no per-replicate totals.
fn pairing_of(a: &RunSide, b: &RunSide, ma: &RunMeta, mb: &RunMeta) -> Pairing {
    let missing = [a, b].into_iter().find(|s| s.replicates.is_none());
    match missing {
        Some(s) => Pairing::Unavailable {
            because: format!(
                "{} is missing (a run written before wfhsim kept each replicate's totals); run it again for the band of the difference",
                Path::new(&s.dir).join(REPLICATES_FILE).display()
            ),
        },
        None => pairing(ma, mb),
    }
}

/// The band of B − A on a summary row present in both runs, from each run's replicates of
/// that row; none when a run has no replicates of it.
fn row_band(
    pairing: &Pairing,
    (a, ra): (&RunSide, &SummaryRow),
    (b, rb): (&RunSide, &SummaryRow),
) -> Option<DifferenceBand> {
    let ta = a.replicates.as_ref()?.get(&ra.key)?;
    let tb = b.replicates.as_ref()?.get(&rb.key)?;
    band(
        pairing,
        &Side {
            totals: ta,
            days: ra.working_days,
        },
        &Side {
            totals: tb,
            days: rb.working_days,
        },
    )
}

/// Refuses a tolerance, region or metric that run `a` cannot be compared on.
fn check_options(a: &RunSide, opts: &Options) -> Result<(), CompareError> {
    if !(opts.tolerance.is_finite() && opts.tolerance >= 0.0) {
        return Err(CompareError::Tolerance(opts.tolerance));
    }
    if let Rows::Region(r) = &opts.rows {
        let mut valid = vec!["all".to_string(), "dki".to_string()];
        valid.extend(a.info.regions.iter().map(|g| g.code.clone()));
        if !valid.contains(r) {
            return Err(CompareError::UnknownRegion(r.clone(), valid.join(", ")));
        }
    }
    if let Some(m) = &opts.metric {
        let mut valid: Vec<&str> = Vec::new();
        for r in &a.rows {
            if !valid.contains(&r.key.metric.as_str()) {
                valid.push(&r.key.metric);
            }
        }
        if !valid.contains(&m.as_str()) {
            return Err(CompareError::UnknownMetric(m.clone(), valid.join(", ")));
        }
    }
    Ok(())
}

/// Compares two run sides.
pub fn compare(a: &RunSide, b: &RunSide, opts: &Options) -> Result<Diff, CompareError> {
    check_options(a, opts)?;
    let names =
        |s: &RunSide| -> Vec<String> { s.info.scenarios.iter().map(|x| x.name.clone()).collect() };
    let (na, nb) = (names(a), names(b));
    let common: Vec<String> = na.iter().filter(|n| nb.contains(n)).cloned().collect();
    let only_in_a = na.iter().filter(|n| !nb.contains(n)).cloned().collect();
    let only_in_b = nb.iter().filter(|n| !na.contains(n)).cloned().collect();

    let (ma, mb) = (meta(a), meta(b));
    let mut warnings = warnings(&ma, &mb);
    let pairing = pairing_of(a, b, &ma, &mb);
    let in_b: HashMap<&RowKey, &SummaryRow> = b.rows.iter().map(|r| (&r.key, r)).collect();
    let in_a: HashMap<&RowKey, &SummaryRow> = a.rows.iter().map(|r| (&r.key, r)).collect();
    let mut rows = Vec::new();
    let (mut compared, mut changed, mut unmatched_a) = (0, 0, 0);
    for ra in &a.rows {
        if !common.contains(&ra.key.scenario) || !selected(&ra.key, opts) {
            continue;
        }
        let Some(rb) = in_b.get(&ra.key) else {
            unmatched_a += 1;
            continue;
        };
        compared += 1;
        let (x, y) = (ra.per_day, rb.per_day);
        let is_changed = differs(x.p50, y.p50, opts.tolerance);
        changed += usize::from(is_changed);
        if !(is_changed || opts.all) {
            continue;
        }
        let delta = y.p50 - x.p50;
        rows.push(Row {
            scenario: ra.key.scenario.clone(),
            region_basis: ra.key.region_basis.clone(),
            region: ra.key.region.clone(),
            metric: ra.key.metric.clone(),
            component: ra.key.component.clone(),
            unit: ra.unit.clone(),
            a: x,
            b: y,
            delta,
            delta_pct: (x.p50 != 0.0 && x.p50.is_finite()).then(|| 100.0 * delta / x.p50.abs()),
            difference: row_band(&pairing, (a, ra), (b, rb)),
            changed: is_changed,
        });
    }
    let unmatched_b = b
        .rows
        .iter()
        .filter(|r| common.contains(&r.key.scenario) && selected(&r.key, opts))
        .filter(|r| !in_a.contains_key(&r.key))
        .count();
    for (n, side) in [(unmatched_a, "A"), (unmatched_b, "B")] {
        if n > 0 {
            warnings.push(format!(
                "{n} summary rows of the common scenarios are only in {side} (different regions or metrics); they are not compared"
            ));
        }
    }
    let changed_scenarios = common
        .iter()
        .filter_map(|n| settings_change(n, a, b))
        .collect();
    Ok(Diff {
        a: ma,
        b: mb,
        warnings,
        pairing,
        tolerance: opts.tolerance,
        scenarios: common,
        rows_compared: compared,
        rows_changed: changed,
        rows,
        changed_scenarios,
        only_in_a,
        only_in_b,
    })
}

/// Reads both run folders and compares them.
pub fn diff(a: &Path, b: &Path, opts: &Options) -> Result<Diff, CompareError> {
    let a = RunSide::read(a)?;
    let b = RunSide::read(b)?;
    compare(&a, &b, opts)
}

#[cfg(test)]
mod tests {
    use super::differs;

    #[test]
    fn a_row_changes_beyond_the_relative_tolerance() {
        assert!(!differs(10.0, 10.0, 0.0));
        assert!(differs(10.0, 10.000001, 0.0));
        assert!(!differs(10.0, 10.5, 0.05));
        assert!(differs(10.0, 10.6, 0.05));
        assert!(!differs(0.0, -0.0, 0.0));
        assert!(differs(0.0, 1e-9, 0.5));
    }

    #[test]
    fn a_value_that_is_not_finite_is_a_change_on_either_side() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for y in [5.0, x] {
                for tolerance in [0.0, 0.5] {
                    assert!(differs(x, y, tolerance), "{x} vs {y}");
                    assert!(differs(y, x, tolerance), "{y} vs {x}");
                }
            }
        }
    }
}
