//! From engine counts to reported numbers: per replicate, multiply the workers at home per
//! (day, cell) by the cell's coefficients and add them up by region and mode; across
//! replicates, reduce to the quantiles of the schema. Pure arithmetic in a fixed order (no
//! parallel float sums), so results are identical on any thread count.

use rayon::prelude::*;

use super::days::Days;
use super::grid::{Basis, Grid};
use super::quantile::{quantiles, with_errors};
use super::schema::{self, Component, MetricId, N_METRICS, N_SLOTS, daily_columns, value};
use super::{Coefficients, DailyRow, SummaryRow};
use crate::calendar::Date;

/// One replicate's sums.
pub struct ReplicateSums {
    /// Per working day, `[row * N_SLOTS + slot]`, full-population units; a day with
    /// nobody at home is all +0.0, kept once ([`Days`]).
    pub daily: Days<Vec<f64>>,
    /// `summary[srow * (N_SLOTS + N_METRICS) + k]`: avoided slots, then the baseline of
    /// each metric.
    pub summary: Vec<f64>,
}

const SUMMARY_WIDTH: usize = N_SLOTS + N_METRICS;

/// Sums one replicate. `counts` are the workers at home per (day, cell) (the engine's
/// counts, weighted by the replicate's structure under full uncertainty),
/// `coef` the accounting's coefficients per cell, `workers` the population per cell, `in_window` marks days inside the policy window
/// (over which baselines are summed), `is_dki` the DKI regions.
pub fn replicate_sums(
    g: Grid,
    counts: &[f64],
    coef: &Coefficients,
    workers: &[f64],
    in_window: &[bool],
    is_dki: &[bool],
    scale: f64,
) -> ReplicateSums {
    let cells = g.n * g.n * g.nm;
    let rpd = g.rows_per_day();
    let mut summary = vec![0.0; g.summary_rows() * SUMMARY_WIDTH];
    let inv = 1.0 / scale;
    let mut total = vec![0.0; cells];
    let day_counts = |d: usize| &counts[d * cells..(d + 1) * cells];
    let quiet = |d: usize| day_counts(d).iter().all(|&k| k == 0.0);
    let daily = Days::build(g.days, quiet, |d| {
        let mut day = vec![0.0; rpd * N_SLOTS];
        for (c, &k) in day_counts(d).iter().enumerate() {
            if k == 0.0 {
                continue;
            }
            total[c] += k;
            let (od, m) = (c / g.nm, c % g.nm);
            let (h, w) = (od / g.n, od % g.n);
            let cf = &coef.wfh[c * N_SLOTS..(c + 1) * N_SLOTS];
            let f = k * inv;
            for row in [
                g.row(Basis::Home, h, m),
                g.row(Basis::Home, h, g.nm),
                g.row(Basis::Work, w, m),
                g.row(Basis::Work, w, g.nm),
                g.row(Basis::All, 0, m),
                g.row(Basis::All, 0, g.nm),
            ] {
                let o = row * N_SLOTS;
                for (x, cv) in day[o..o + N_SLOTS].iter_mut().zip(cf) {
                    *x += f * cv;
                }
            }
        }
        day
    });
    let window_days = in_window.iter().filter(|&&b| b).count() as f64;
    for c in 0..cells {
        let od = c / g.nm;
        let (h, w) = (od / g.n, od % g.n);
        let mut srows = vec![0, 1 + h, 1 + g.n + w];
        if is_dki[w] {
            srows.push(g.dki_summary_row());
        }
        let fa = total[c] * inv;
        let fb = workers[c] * inv * window_days;
        for s in srows {
            let o = s * SUMMARY_WIDTH;
            for k in 0..N_SLOTS {
                summary[o + k] += fa * coef.wfh[c * N_SLOTS + k];
            }
            for k in 0..N_METRICS {
                summary[o + N_SLOTS + k] += fb * coef.base[c * N_METRICS + k];
            }
        }
    }
    ReplicateSums { daily, summary }
}

/// Reduces every replicate's sums to quantile rows: the daily rows with a non-zero
/// baseline, and per summary row every metric × component.
pub fn reduce(
    g: Grid,
    reps: &[ReplicateSums],
    dates: &[Date],
    baseline_trips_per_day: &[f64],
    window_days: usize,
) -> (Vec<DailyRow>, Vec<SummaryRow>) {
    (
        daily_rows(g, reps, dates, baseline_trips_per_day),
        summary_rows(g, reps, window_days),
    )
}

/// Days side by side (each row is its own replicates' numbers, and the days are kept in
/// order: the same rows as one day after another).
fn daily_rows(
    g: Grid,
    reps: &[ReplicateSums],
    dates: &[Date],
    baseline_trips_per_day: &[f64],
) -> Vec<DailyRow> {
    let rpd = g.rows_per_day();
    let columns = daily_columns();
    let per_day: Vec<Vec<DailyRow>> = dates
        .par_iter()
        .enumerate()
        .map_init(
            || vec![0.0; reps.len()],
            |buf, (d, &date)| {
                let mut daily = Vec::new();
                for (row, &base) in baseline_trips_per_day.iter().enumerate().take(rpd) {
                    if base <= 0.0 {
                        continue;
                    }
                    let o = row * N_SLOTS;
                    let q = columns
                        .iter()
                        .map(|&(m, c)| {
                            for (b, r) in buf.iter_mut().zip(reps) {
                                *b = value(&r.daily.get(d)[o..o + N_SLOTS], m, c);
                            }
                            quantiles(buf)
                        })
                        .collect();
                    let (basis, region, mode) = g.key(row);
                    daily.push(DailyRow {
                        date,
                        basis,
                        region,
                        mode,
                        baseline_trips: base,
                        q,
                    });
                }
                daily
            },
        )
        .collect();
    per_day.concat()
}

/// The summary rows of the replicates `reps` (of one replicate: its own values).
pub fn summary_rows(g: Grid, reps: &[ReplicateSums], window_days: usize) -> Vec<SummaryRow> {
    let wd = window_days.max(1) as f64;
    let dki = g.dki_summary_row();
    let mut summary = Vec::new();
    for s in 0..dki {
        let (basis, region) = g.summary_key(s);
        for (m, _) in schema::metrics() {
            for c in Component::ALL {
                fn at(r: &ReplicateSums, s: usize) -> &[f64] {
                    &r.summary[s * SUMMARY_WIDTH..(s + 1) * SUMMARY_WIDTH]
                }
                let val = |r: &ReplicateSums, s: usize| value(at(r, s), m, c);
                let base = |r: &ReplicateSums, s: usize| at(r, s)[N_SLOTS + m.0];
                let pct_of = |r: &ReplicateSums, s: usize| {
                    if base(r, s) > 0.0 {
                        100.0 * val(r, s) / base(r, s)
                    } else {
                        f64::NAN
                    }
                };
                let band = |f: &dyn Fn(&ReplicateSums) -> f64| {
                    quantiles(&mut reps.iter().map(f).collect::<Vec<_>>())
                };
                let (total, total_error) =
                    with_errors(&mut reps.iter().map(|r| val(r, s)).collect::<Vec<_>>());
                summary.push(SummaryRow {
                    basis,
                    region,
                    metric: m,
                    component: c,
                    total,
                    total_error,
                    per_day_p50: total.median() / wd,
                    baseline_p50: band(&|r| base(r, s)).median(),
                    pct: band(&|r| pct_of(r, s)),
                    pct_dki: (s == 0).then(|| band(&|r| pct_of(r, dki))),
                });
            }
        }
    }
    summary
}

/// The value of a summary component in one replicate's sums (for tests and checks).
pub fn summary_value(r: &ReplicateSums, srow: usize, m: MetricId, c: Component) -> f64 {
    value(
        &r.summary[srow * SUMMARY_WIDTH..(srow + 1) * SUMMARY_WIDTH],
        m,
        c,
    )
}
