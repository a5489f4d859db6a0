//! The band of a difference between two scenarios of one run. Every scenario of a run
//! draws the same inputs in replicate r (common random numbers), so scenario A's and
//! scenario B's totals in replicate r differ by their policies alone: the band of the
//! per-replicate differences A_r − B_r is the comparison's uncertainty. Separate bands
//! cannot give it — they overlap even when A exceeds B in every replicate, and a line
//! between two bands is no replicate's path. Two replicate sets that did not draw the
//! same inputs (two runs of other seeds) are compared over every pair instead
//! ([`all_pairs`]).

mod independent;

pub use independent::all_pairs;

use super::quantile::quantiles;
use super::{Band, Basis, Component, MetricId, ScenarioResult};

/// Scenario `a` minus scenario `b` on one summary row without a region (the whole area,
/// or DKI on its road and cordon rows), over the replicates both ran.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedRow {
    /// Indices of the two scenarios in the run, `a` before `b`.
    pub a: usize,
    pub b: usize,
    pub basis: Basis,
    pub metric: MetricId,
    pub component: Component,
    /// Quantiles of A_r − B_r over the policy windows' totals.
    pub difference: Band,
    /// The same per working day of the window, when both windows have the same number
    /// of working days (else none: a per-day difference of unequal windows mixes
    /// lengths); on a level's rows ([`super::schema::Unit::is_level`]) the difference
    /// itself, always.
    pub per_day: Option<Band>,
    /// Share of replicates in which A's total exceeds B's.
    pub a_greater: f64,
    /// Share of replicates in which B's total exceeds A's (the rest are ties).
    pub b_greater: f64,
    pub replicates: usize,
}

/// Every pair of scenarios (each earlier one against each later one, in run order) on
/// every summary row without a region, from the scenarios' per-replicate totals.
pub fn paired(scenarios: &[ScenarioResult]) -> Vec<PairedRow> {
    let mut out = Vec::new();
    for (a, sa) in scenarios.iter().enumerate() {
        for (b, sb) in scenarios.iter().enumerate().skip(a + 1) {
            out.extend(pair(a, sa, b, sb));
        }
    }
    out
}

fn pair(a: usize, sa: &ScenarioResult, b: usize, sb: &ScenarioResult) -> Vec<PairedRow> {
    let days = (sa.window_working_days == sb.window_working_days && sa.window_working_days > 0)
        .then_some(sa.window_working_days as f64);
    let n = sa.replicate_totals.len().min(sb.replicate_totals.len());
    sa.summary
        .iter()
        .enumerate()
        .filter(|(_, r)| r.region.is_none())
        .filter_map(|(i, r)| {
            let j = sb.summary.iter().position(|q| {
                (q.basis, q.region, q.metric, q.component)
                    == (r.basis, r.region, r.metric, r.component)
            })?;
            let a_r: Vec<f64> = (0..n).map(|k| sa.replicate_totals[k][i]).collect();
            let b_r: Vec<f64> = (0..n).map(|k| sb.replicate_totals[k][j]).collect();
            // A level's difference is already one per working day, whatever the windows.
            let days = if r.metric.is_level() { Some(1.0) } else { days };
            let d = difference(&a_r, &b_r, days);
            Some(PairedRow {
                a,
                b,
                basis: r.basis,
                metric: r.metric,
                component: r.component,
                difference: d.total,
                per_day: d.per_day,
                a_greater: d.a_greater,
                b_greater: d.b_greater,
                replicates: n,
            })
        })
        .collect()
}

/// Daily values this close, relative to the larger, are equal: two scenarios that avoid
/// the same on a day (the same share for the same workers) sum the same worker-days in
/// another order, and their values differ in the last bits only.
const ROUNDING: f64 = 1e-9;

/// The paired difference of per-replicate daily values, with values equal but for
/// rounding taken as ties ([`ROUNDING`]).
fn daily_difference(a: &[f64], b: &[f64]) -> Difference {
    let b: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| {
            let same = (x - y).abs() <= ROUNDING * x.abs().max(y.abs());
            if same { x } else { y }
        })
        .collect();
    difference(a, &b, None)
}

/// The paired difference a_r − b_r on each day: `a[r][d]` and `b[r][d]` are replicate
/// r's values on day d of the same days, over the replicates and days both have. Each
/// day's band is of the differences themselves, not a difference of two days' bands.
pub fn by_day(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Difference> {
    let n = a.len().min(b.len());
    let days = a[..n]
        .iter()
        .chain(&b[..n])
        .map(Vec::len)
        .min()
        .unwrap_or(0);
    (0..days)
        .map(|d| {
            let on = |x: &[Vec<f64>]| x[..n].iter().map(|r| r[d]).collect::<Vec<f64>>();
            daily_difference(&on(a), &on(b))
        })
        .collect()
}

/// The paired difference per day over the days `days` (indices, within every replicate's
/// values) of `a[r][d]` and `b[r][d]`: each replicate's mean over those days of a and of
/// b, then the band of their differences (a week's effect per day, replicate by
/// replicate).
pub fn mean_over_days(a: &[Vec<f64>], b: &[Vec<f64>], days: std::ops::Range<usize>) -> Difference {
    let n = a.len().min(b.len());
    let mean = |v: &[Vec<f64>]| -> Vec<f64> {
        let k = days.len().max(1) as f64;
        v[..n]
            .iter()
            .map(|r| {
                r.get(days.clone())
                    .map_or(f64::NAN, |x| x.iter().sum::<f64>() / k)
            })
            .collect()
    };
    daily_difference(&mean(a), &mean(b))
}

/// The paired difference of two series of per-replicate totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Quantiles of a_r − b_r.
    pub total: Band,
    /// The same divided by `days`, when given.
    pub per_day: Option<Band>,
    /// Share of replicates with a_r > b_r.
    pub a_greater: f64,
    /// Share of replicates with a_r < b_r.
    pub b_greater: f64,
}

/// The band of a_r − b_r over the replicates both have (the same quantile rule as every
/// band), and the share of replicates in which a exceeds b.
pub fn difference(a: &[f64], b: &[f64], days: Option<f64>) -> Difference {
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = diffs.len().max(1) as f64;
    Difference {
        total: quantiles(&mut diffs.clone()),
        per_day: days.map(|d| quantiles(&mut diffs.iter().map(|x| x / d).collect::<Vec<_>>())),
        a_greater: diffs.iter().filter(|&&x| x > 0.0).count() as f64 / n,
        b_greater: diffs.iter().filter(|&&x| x < 0.0).count() as f64 / n,
    }
}

#[cfg(test)]
mod tests;
