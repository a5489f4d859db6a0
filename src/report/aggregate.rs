//! From engine counts to reported numbers: per replicate, multiply the workers at home per
//! (day, cell) by the cell's coefficients and add them up by region and mode; across
//! replicates, reduce to the median and the 5th/95th percentiles. Pure arithmetic in a
//! fixed order (no parallel float sums), so results are identical on any thread count.

use crate::calendar::Date;
use crate::emissions::{self as em, Coefficients, N_BASE, N_METRICS};

/// Metrics of the daily table, in column order.
pub const DAILY_METRICS: [&str; 13] = [
    "trips_avoided",
    "person_km_avoided",
    "vehicle_km_avoided",
    "vehicle_km_rebound",
    "co2_gross_kg",
    "co2_rebound_kg",
    "co2_avoided_kg",
    "pm25_avoided_kg",
    "pm10_avoided_kg",
    "nox_avoided_kg",
    "co_avoided_kg",
    "hc_avoided_kg",
    "so2_avoided_kg",
];

fn daily_metrics(v: &[f64]) -> [f64; 13] {
    let net = |p: usize| v[em::GROSS + p] - v[em::REBOUND + p];
    [
        v[em::TRIPS],
        v[em::PKM],
        v[em::VKM],
        v[em::VKM_REBOUND],
        v[em::GROSS],
        v[em::REBOUND],
        net(0),
        net(1),
        net(2),
        net(3),
        net(4),
        net(5),
        net(6),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Home,
    Work,
    All,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Home => "home",
            Basis::Work => "work",
            Basis::All => "all",
        }
    }
}

/// Shape of the per-day row grid: home regions × (modes + all), work regions × (modes +
/// all), then the all-regions row × (modes + all).
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub n: usize,
    pub nm: usize,
    pub days: usize,
}

impl Grid {
    pub fn rows_per_day(&self) -> usize {
        (2 * self.n + 1) * (self.nm + 1)
    }
    pub fn row(&self, basis: Basis, region: usize, mode: usize) -> usize {
        let w = self.nm + 1;
        match basis {
            Basis::Home => region * w + mode,
            Basis::Work => (self.n + region) * w + mode,
            Basis::All => 2 * self.n * w + mode,
        }
    }
    /// (basis, region, mode) of a row; region/mode `None` = all.
    pub fn key(&self, row: usize) -> (Basis, Option<usize>, Option<usize>) {
        let w = self.nm + 1;
        let (r, m) = (row / w, row % w);
        let mode = (m < self.nm).then_some(m);
        if r < self.n {
            (Basis::Home, Some(r), mode)
        } else if r < 2 * self.n {
            (Basis::Work, Some(r - self.n), mode)
        } else {
            (Basis::All, None, mode)
        }
    }
    /// Summary rows: 0 = all, 1..=n home regions, n+1..=2n work regions, 2n+1 = DKI
    /// workplaces (used for the DKI percentages only).
    pub fn summary_rows(&self) -> usize {
        2 * self.n + 2
    }
}

/// One replicate's sums.
pub struct ReplicateSums {
    /// `daily[(day * rows_per_day + row) * N_METRICS + metric]`, full-population units.
    pub daily: Vec<f64>,
    /// `summary[srow * (N_METRICS + N_BASE) + k]`: avoided metrics then baseline.
    pub summary: Vec<f64>,
}

/// Sums one replicate. `counts` are the engine's workers at home per (day, cell),
/// `workers` the population per cell, `in_window` marks days inside the policy window
/// (over which baselines are summed), `is_dki` the DKI regions.
pub fn replicate_sums(
    g: Grid,
    counts: &[u32],
    coef: &Coefficients,
    workers: &[u64],
    in_window: &[bool],
    is_dki: &[bool],
    scale: f64,
) -> ReplicateSums {
    let cells = g.n * g.n * g.nm;
    let rpd = g.rows_per_day();
    let mut daily = vec![0.0; g.days * rpd * N_METRICS];
    let sw = N_METRICS + N_BASE;
    let mut summary = vec![0.0; g.summary_rows() * sw];
    let inv = 1.0 / scale;
    let mut total = vec![0u64; cells];
    for d in 0..g.days {
        for c in 0..cells {
            let k = counts[d * cells + c];
            if k == 0 {
                continue;
            }
            total[c] += k as u64;
            let (od, m) = (c / g.nm, c % g.nm);
            let (h, w) = (od / g.n, od % g.n);
            let cf = &coef.wfh[c * N_METRICS..(c + 1) * N_METRICS];
            let f = k as f64 * inv;
            for row in [
                g.row(Basis::Home, h, m),
                g.row(Basis::Home, h, g.nm),
                g.row(Basis::Work, w, m),
                g.row(Basis::Work, w, g.nm),
                g.row(Basis::All, 0, m),
                g.row(Basis::All, 0, g.nm),
            ] {
                let o = (d * rpd + row) * N_METRICS;
                for (x, cv) in daily[o..o + N_METRICS].iter_mut().zip(cf) {
                    *x += f * cv;
                }
            }
        }
    }
    let window_days = in_window.iter().filter(|&&b| b).count() as f64;
    for c in 0..cells {
        let (od, _) = (c / g.nm, c % g.nm);
        let (h, w) = (od / g.n, od % g.n);
        let mut srows = vec![0, 1 + h, 1 + g.n + w];
        if is_dki[w] {
            srows.push(2 * g.n + 1);
        }
        let fa = total[c] as f64 * inv;
        let fb = workers[c] as f64 * inv * window_days;
        for s in srows {
            let o = s * sw;
            for k in 0..N_METRICS {
                summary[o + k] += fa * coef.wfh[c * N_METRICS + k];
            }
            for k in 0..N_BASE {
                summary[o + N_METRICS + k] += fb * coef.base[c * N_BASE + k];
            }
        }
    }
    ReplicateSums { daily, summary }
}

/// 5th, 50th and 95th percentiles (linear interpolation between order statistics).
pub fn quantiles(v: &mut [f64]) -> [f64; 3] {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let x = p * (v.len() - 1) as f64;
        let (i, f) = (x.floor() as usize, x - x.floor());
        if i + 1 < v.len() {
            v[i] + f * (v[i + 1] - v[i])
        } else {
            v[i]
        }
    };
    [q(0.05), q(0.5), q(0.95)]
}

#[derive(Debug, Clone)]
pub struct DailyRow {
    pub date: Date,
    pub basis: Basis,
    pub region: Option<usize>,
    pub mode: Option<usize>,
    pub baseline_trips: f64,
    /// Per [`DAILY_METRICS`]: p05, p50, p95.
    pub q: [[f64; 3]; 13],
}

/// One metric × component of the summary table: avoided = Σ sign × per-replicate sums at
/// `parts`, compared with the baseline at `base`.
#[derive(Debug, Clone)]
pub struct SummaryMetric {
    pub name: &'static str,
    pub unit: &'static str,
    pub component: &'static str,
    pub parts: Vec<(usize, f64)>,
    pub base: usize,
}

/// Every summary metric with its gross, rebound and net components.
pub fn summary_metrics() -> Vec<SummaryMetric> {
    let triple = |name, unit, gross: usize, rebound: usize, base| {
        [
            ("gross", vec![(gross, 1.0)]),
            ("rebound", vec![(rebound, 1.0)]),
            ("net", vec![(gross, 1.0), (rebound, -1.0)]),
        ]
        .map(|(component, parts)| SummaryMetric {
            name,
            unit,
            component,
            parts,
            base,
        })
    };
    let mut v: Vec<SummaryMetric> = Vec::new();
    v.extend(triple(
        "trips",
        "trips",
        em::TRIPS,
        em::TRIPS_REBOUND,
        em::B_TRIPS,
    ));
    v.extend(triple(
        "person_km",
        "km",
        em::PKM,
        em::PKM_REBOUND,
        em::B_PKM,
    ));
    v.extend(triple(
        "vehicle_km",
        "km",
        em::VKM,
        em::VKM_REBOUND,
        em::B_VKM,
    ));
    for (p, name) in crate::data::POLLUTANTS.iter().enumerate() {
        v.extend(triple(
            name,
            "kg",
            em::GROSS + p,
            em::REBOUND + p,
            em::B_EM + p,
        ));
    }
    v
}

#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub basis: Basis,
    pub region: Option<usize>,
    pub metric: &'static str,
    pub unit: &'static str,
    pub component: &'static str,
    pub total: [f64; 3],
    pub per_day_p50: f64,
    pub baseline_p50: f64,
    pub pct: [f64; 3],
    /// Percent of the baseline of workers with a DKI workplace (region "all" rows only).
    pub pct_dki: Option<[f64; 3]>,
}

/// Reduces every replicate's sums to quantile rows.
pub fn reduce(
    g: Grid,
    reps: &[ReplicateSums],
    dates: &[Date],
    baseline_trips_per_day: &[f64],
    window_days: usize,
) -> (Vec<DailyRow>, Vec<SummaryRow>) {
    let rpd = g.rows_per_day();
    let mut daily = Vec::new();
    let mut buf = vec![0.0; reps.len()];
    for (d, &date) in dates.iter().enumerate() {
        for (row, &base) in baseline_trips_per_day.iter().enumerate().take(rpd) {
            if base <= 0.0 {
                continue;
            }
            let per_rep: Vec<[f64; 13]> = reps
                .iter()
                .map(|r| {
                    daily_metrics(
                        &r.daily[(d * rpd + row) * N_METRICS..(d * rpd + row + 1) * N_METRICS],
                    )
                })
                .collect();
            let mut q = [[0.0; 3]; 13];
            for (k, qk) in q.iter_mut().enumerate() {
                buf.iter_mut().zip(&per_rep).for_each(|(b, m)| *b = m[k]);
                *qk = quantiles(&mut buf);
            }
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
    }
    let sw = N_METRICS + N_BASE;
    let wd = window_days.max(1) as f64;
    let mut summary = Vec::new();
    let dki = 2 * g.n + 1;
    for s in 0..dki {
        let (basis, region) = match s {
            0 => (Basis::All, None),
            s if s <= g.n => (Basis::Home, Some(s - 1)),
            s => (Basis::Work, Some(s - 1 - g.n)),
        };
        for sm in summary_metrics() {
            let val = |r: &ReplicateSums, s: usize| -> f64 {
                sm.parts
                    .iter()
                    .map(|&(k, sign)| sign * r.summary[s * sw + k])
                    .sum()
            };
            let pct_of = |r: &ReplicateSums, s: usize| {
                let base = r.summary[s * sw + N_METRICS + sm.base];
                if base > 0.0 {
                    100.0 * val(r, s) / base
                } else {
                    f64::NAN
                }
            };
            let mut t: Vec<f64> = reps.iter().map(|r| val(r, s)).collect();
            let mut bl: Vec<f64> = reps
                .iter()
                .map(|r| r.summary[s * sw + N_METRICS + sm.base])
                .collect();
            let mut pc: Vec<f64> = reps.iter().map(|r| pct_of(r, s)).collect();
            let total = quantiles(&mut t);
            let pct_dki = (s == 0)
                .then(|| quantiles(&mut reps.iter().map(|r| pct_of(r, dki)).collect::<Vec<_>>()));
            summary.push(SummaryRow {
                basis,
                region,
                metric: sm.name,
                unit: sm.unit,
                component: sm.component,
                total,
                per_day_p50: total[1] / wd,
                baseline_p50: quantiles(&mut bl)[1],
                pct: quantiles(&mut pc),
                pct_dki,
            });
        }
    }
    (daily, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_known_samples() {
        let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        assert_eq!(quantiles(&mut v), [5.0, 50.0, 95.0]);
        assert_eq!(quantiles(&mut [3.0]), [3.0, 3.0, 3.0]);
        let q = quantiles(&mut [0.0, 10.0]);
        assert!(
            (q[0] - 0.5).abs() < 1e-12 && (q[1] - 5.0).abs() < 1e-12 && (q[2] - 9.5).abs() < 1e-12
        );
    }

    #[test]
    fn grid_rows_round_trip() {
        let g = Grid {
            n: 3,
            nm: 2,
            days: 1,
        };
        for row in 0..g.rows_per_day() {
            let (b, r, m) = g.key(row);
            let back = g.row(b, r.unwrap_or(0), m.unwrap_or(g.nm));
            assert_eq!(back, row);
        }
    }
}
