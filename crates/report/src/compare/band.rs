//! The band of B − A on a row of `diff`, from each run's per-replicate totals. Two runs
//! with the same dataset, seed, scale, replicate count and uncertainty drew the same
//! inputs in replicate r (common random numbers: every draw is keyed by seed, replicate
//! and stream), so B_r − A_r is the change itself, replicate by replicate: they are
//! *paired*. Otherwise the replicates are independent draws and B − A is compared over
//! every pair (B_j − A_i). Either way P(B > A) is the share of differences above zero,
//! a tie counting for neither side. Overlap of the two runs' own bands is no test of
//! either: it is not used.
//!
//! The rule and the arithmetic only (the quantiles are the core's); no I/O.

use serde::Serialize;

use super::{Input, RunMeta, differences};
use wfhsim_core::results::paired::{Difference, all_pairs, difference};

/// How the rows' difference bands are formed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pairing {
    /// Replicate r of B minus replicate r of A.
    Paired,
    /// Every replicate of B minus every replicate of A; `because` names each input that
    /// differs, in the warnings' words.
    Independent { because: Vec<String> },
    /// No band: a run has no per-replicate totals; `because` says which file is missing.
    Unavailable { because: String },
}

impl Pairing {
    /// The kind as the CSV writes it: `paired`, `independent` or `unavailable`.
    pub fn kind(&self) -> &'static str {
        match self {
            Pairing::Paired => "paired",
            Pairing::Independent { .. } => "independent",
            Pairing::Unavailable { .. } => "unavailable",
        }
    }
}

impl Input {
    /// Whether runs that differ in this input drew different inputs in replicate r. The
    /// version does not: the draws are keyed by seed, replicate and stream, whichever
    /// wfhsim made them (its warning says the model may have changed).
    pub fn breaks_pairing(self) -> bool {
        !matches!(self, Input::Version)
    }
}

/// Paired when no input that keys the draws differs; else independent, naming each.
pub fn pairing(a: &RunMeta, b: &RunMeta) -> Pairing {
    let because: Vec<String> = differences(a, b)
        .iter()
        .filter(|d| d.input.breaks_pairing())
        .map(|d| d.text(["A", "B"]))
        .collect();
    if because.is_empty() {
        Pairing::Paired
    } else {
        Pairing::Independent { because }
    }
}

/// The band of B − A per policy working day on one row, and the shares of differences
/// with B above and below A.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DifferenceBand {
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    /// Share of differences with B > A (replicates when paired, pairs otherwise).
    pub p_b_greater: f64,
    /// Share with B < A; the rest are ties.
    pub p_a_greater: f64,
}

impl DifferenceBand {
    /// From the core's `b − a` difference (its `a_greater` is B above A).
    fn of(d: &Difference) -> DifferenceBand {
        DifferenceBand {
            p05: d.total.low(),
            p50: d.total.median(),
            p95: d.total.high(),
            p_b_greater: d.a_greater,
            p_a_greater: d.b_greater,
        }
    }
}

/// A row's per-day values in one run: its totals (replicate, total) over `days`.
pub struct Side<'a> {
    pub totals: &'a [(i64, f64)],
    pub days: f64,
}

impl Side<'_> {
    fn per_day(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        self.totals.iter().map(|&(k, t)| (k, t / self.days))
    }
}

/// B − A per policy working day (each run's totals over its own window's working days):
/// replicate by replicate when paired (the replicates both have), over every pair when
/// independent. None when unavailable or when no replicate is left to compare.
pub fn band(pairing: &Pairing, a: &Side, b: &Side) -> Option<DifferenceBand> {
    let d = match pairing {
        Pairing::Paired => {
            let (x, y): (Vec<f64>, Vec<f64>) = a
                .per_day()
                .filter_map(|(k, va)| {
                    let i = b.totals.binary_search_by_key(&k, |&(j, _)| j).ok()?;
                    Some((va, b.totals[i].1 / b.days))
                })
                .unzip();
            (!x.is_empty()).then(|| difference(&y, &x, None))
        }
        Pairing::Independent { .. } => {
            let x: Vec<f64> = a.per_day().map(|(_, v)| v).collect();
            let y: Vec<f64> = b.per_day().map(|(_, v)| v).collect();
            all_pairs(&y, &x)
        }
        Pairing::Unavailable { .. } => None,
    }?;
    Some(DifferenceBand::of(&d))
}

#[cfg(test)]
mod tests;
