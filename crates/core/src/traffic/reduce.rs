//! From every replicate's road sums to reported numbers: the traffic rows (medians and
//! bands), the road summary rows (window totals against all traffic, Dishub's counts,
//! the cordon and DKI's inventory), and the detectability of the change in DKI's daily
//! count. Fixed order, no parallel float sums.

use rayon::prelude::*;

use super::detect::{self, Comparison};
use super::draw::NK;
use super::emission::NP;
use super::step::{RoadContext, RoadSums};
use super::totals::{Scope, summary_rows};
use crate::calendar::Date;
use crate::results::quantile::{median, quantiles};
use crate::results::roads::{Detectability, RoadResult, TrafficRow};
use crate::results::{Band, SummaryRow};

fn band(reps: &[RoadSums], f: impl Fn(&RoadSums) -> f64) -> Band {
    quantiles(&mut reps.iter().map(f).collect::<Vec<_>>())
}

/// Bands of one number over the replicates, with one reused buffer; a number that is +0.0
/// in every replicate (most rows outside a policy's reach) skips the sort — the same bits
/// [`quantiles`] would give.
struct Quantiles {
    buf: Vec<f64>,
}

impl Quantiles {
    fn new(n: usize) -> Quantiles {
        Quantiles {
            buf: Vec::with_capacity(n),
        }
    }

    fn band(&mut self, reps: &[RoadSums], f: impl Fn(&RoadSums) -> f64) -> Band {
        self.buf.clear();
        self.buf.extend(reps.iter().map(f));
        if self.buf.iter().all(|v| v.to_bits() == 0) {
            return Band::default();
        }
        quantiles(&mut self.buf)
    }

    /// The median of [`Quantiles::band`], by selection (the same bits).
    fn median(&mut self, reps: &[RoadSums], f: impl Fn(&RoadSums) -> f64) -> f64 {
        self.buf.clear();
        self.buf.extend(reps.iter().map(f));
        if self.buf.iter().all(|v| v.to_bits() == 0) {
            return Band::default().median();
        }
        median(&mut self.buf)
    }
}

/// Reduces a scenario's replicates. `dates` are the plan's working days, `in_window`
/// marks the policy window's.
pub fn reduce(
    ctx: &RoadContext,
    reps: &[RoadSums],
    dates: &[Date],
    in_window: &[bool],
) -> (RoadResult, Vec<SummaryRow>) {
    reduce_with(ctx, reps, dates, in_window, true)
}

/// The road summary rows only (no per-day traffic rows): what a sweep keeps of each
/// replicate.
pub fn summary(
    ctx: &RoadContext,
    reps: &[RoadSums],
    dates: &[Date],
    in_window: &[bool],
) -> Vec<SummaryRow> {
    reduce_with(ctx, reps, dates, in_window, false).1
}

fn reduce_with(
    ctx: &RoadContext,
    reps: &[RoadSums],
    dates: &[Date],
    in_window: &[bool],
    traffic_rows: bool,
) -> (RoadResult, Vec<SummaryRow>) {
    let rows = if traffic_rows {
        TrafficRows::new(ctx, reps).all(dates)
    } else {
        Vec::new()
    };
    let scope = Scope::new(ctx, dates.len(), in_window);
    let mut summary = summary_rows(&scope, reps);
    summary.extend(super::level::summary_rows(&scope, reps));
    let result = RoadResult {
        rows,
        dki_daily_pct: (0..dates.len())
            .map(|d| (dates[d], band(reps, |s| 100.0 * scope.daily_change(s, d))))
            .collect(),
        detect: Detector::new(&scope, reps).all(),
        remainder_clamped: reps.iter().map(|s| s.remainder_clamped).sum(),
        speed_clamped: reps.iter().map(|s| s.speed_clamped as u64).sum(),
        calibration: Vec::new(),
    };
    (result, summary)
}

/// Vehicles counted per vehicle-km, per replicate: Dishub's weekday count over the
/// baseline vehicle-km on DKI's roads; applied to every region's roads
/// ("count-equivalent").
fn vehicles_per_vkm(ctx: &RoadContext, reps: &[RoadSums]) -> Vec<f64> {
    let dki_regions: Vec<usize> = (0..ctx.n).filter(|&r| ctx.is_dki[r]).collect();
    reps.iter()
        .map(|s| {
            let b: f64 = dki_regions
                .iter()
                .flat_map(|&r| (0..NK).flat_map(move |k| [ctx.row(r, k, 0), ctx.row(r, k, 1)]))
                .map(|i| s.baseline_vkm[i])
                .sum();
            if b > 0.0 { s.draw.counted_dki / b } else { 0.0 }
        })
        .collect()
}

/// The traffic rows: medians and bands per (day, region, class, period).
struct TrafficRows<'a> {
    ctx: &'a RoadContext,
    reps: &'a [RoadSums],
    per_vkm: Vec<f64>,
    /// What does not change from day to day, once per (region, class, period).
    base_vkm: Vec<f64>,
    base_vehicles: Vec<f64>,
    /// Per period.
    base_speed: [f64; 2],
}

impl<'a> TrafficRows<'a> {
    fn new(ctx: &'a RoadContext, reps: &'a [RoadSums]) -> TrafficRows<'a> {
        let rpd = ctx.rows_per_day();
        let mut q = Quantiles::new(reps.len());
        let mut t = TrafficRows {
            ctx,
            reps,
            per_vkm: vehicles_per_vkm(ctx, reps),
            base_vkm: Vec::new(),
            base_vehicles: Vec::new(),
            base_speed: [0.0; 2],
        };
        t.base_vkm = (0..rpd)
            .map(|i| q.median(reps, |s| s.baseline_vkm[i]))
            .collect();
        t.base_vehicles = (0..rpd)
            .map(|i| t.counted(|s| s.baseline_vkm[i]).median())
            .collect();
        t.base_speed = std::array::from_fn(|p| q.median(reps, |s| s.speed[p]));
        t
    }

    /// Quantiles of a vehicle-km per replicate, in vehicles counted.
    fn counted(&self, f: impl Fn(&RoadSums) -> f64) -> Band {
        quantiles(
            &mut self
                .reps
                .iter()
                .zip(&self.per_vkm)
                .map(|(s, c)| f(s) * c)
                .collect::<Vec<_>>(),
        )
    }

    /// Every day's rows, days side by side (each row is its own replicates' numbers, and
    /// the days are kept in order: the same rows as one day after another).
    fn all(&self, dates: &[Date]) -> Vec<TrafficRow> {
        let per_day: Vec<Vec<TrafficRow>> = dates
            .par_iter()
            .enumerate()
            .map_init(
                || Quantiles::new(self.reps.len()),
                |q, (d, &date)| {
                    let mut rows = Vec::with_capacity(self.ctx.rows_per_day());
                    for r in 0..self.ctx.n {
                        for k in 0..NK {
                            for p in 0..2 {
                                rows.push(self.row(q, d, date, r, k, p));
                            }
                        }
                    }
                    rows
                },
            )
            .collect();
        per_day.concat()
    }

    /// The row of working day `d` (`date`), region `r`, class `k`, period `p`.
    fn row(
        &self,
        q: &mut Quantiles,
        d: usize,
        date: Date,
        r: usize,
        k: usize,
        p: usize,
    ) -> TrafficRow {
        let (reps, i) = (self.reps, self.ctx.row(r, k, p));
        let kg = Self::kg(reps, q, d, i);
        let scenario_vkm = |s: &RoadSums| {
            let c = s.cell(d, i);
            s.baseline_vkm[i] - c.gross_vkm + c.rebound_vkm + c.induced_vkm
        };
        TrafficRow {
            date,
            region: r,
            class: k,
            period: p,
            baseline_vkm: self.base_vkm[i],
            baseline_vehicles: self.base_vehicles[i],
            vehicles: self.counted(scenario_vkm),
            vkm: q.band(reps, scenario_vkm),
            gross_vkm: q.median(reps, |s| s.cell(d, i).gross_vkm),
            rebound_vkm: q.median(reps, |s| s.cell(d, i).rebound_vkm),
            induced_vkm: q.median(reps, |s| s.cell(d, i).induced_vkm),
            baseline_speed: self.base_speed[p],
            speed: q.band(reps, |s| s.day(d).new_speed[r * 2 + p]),
            congestion_vh: q.median(reps, |s| s.cell(d, i).congestion_vh),
            induced_vh: q.median(reps, |s| s.cell(d, i).induced_vh),
            kg,
        }
    }

    /// Medians of the kg of each pollutant in cell `i` of day `d`: gross, rebound,
    /// congestion, induced, net.
    fn kg(reps: &[RoadSums], q: &mut Quantiles, d: usize, i: usize) -> [[f64; 5]; NP] {
        std::array::from_fn(|qi| {
            let g = q.median(reps, |s| s.cell(d, i).gross_kg[qi]);
            let rb = q.median(reps, |s| s.cell(d, i).rebound_kg[qi]);
            let c = q.median(reps, |s| s.cell(d, i).congestion_kg[qi]);
            let ind = q.median(reps, |s| s.cell(d, i).induced_kg[qi]);
            let net = q.median(reps, |s| {
                let cell = s.cell(d, i);
                cell.gross_kg[qi] - cell.rebound_kg[qi] + cell.congestion_kg[qi]
                    - cell.induced_kg[qi]
            });
            [g, rb, c, ind, net]
        })
    }
}

/// Whether DKI's daily count could see the change, per [`Comparison`]: each replicate's
/// effect against its own noise (σ and AR(1) ρ drawn like the other road inputs), the
/// before window being the comparison's number of working days just before the policy
/// window.
struct Detector<'a> {
    reps: &'a [RoadSums],
    /// Per replicate: the fall per window day.
    series: Vec<Vec<f64>>,
    /// Window days.
    days: usize,
}

/// One replicate's comparison: its effect, the city-wide and one site's MDE, and the
/// power of the city-wide test (fractions of the count).
struct Seen {
    effect: f64,
    mde_city: f64,
    mde_site: f64,
    power_city: f64,
}

impl<'a> Detector<'a> {
    fn new(scope: &Scope, reps: &'a [RoadSums]) -> Detector<'a> {
        Detector {
            reps,
            series: reps
                .iter()
                .map(|s| {
                    scope
                        .window
                        .iter()
                        .map(|&d| scope.daily_change(s, d))
                        .collect()
                })
                .collect(),
            days: scope.window.len(),
        }
    }

    fn all(&self) -> Vec<Detectability> {
        Comparison::ALL
            .into_iter()
            .map(|c| self.compare(c))
            .collect()
    }

    /// Replicate `r` under comparison `c` of `n` days each side: the before window ends
    /// where the policy window starts, the compared days start `gap` working days later.
    fn seen(&self, c: Comparison, n: usize, r: usize) -> Seen {
        let draw = &self.reps[r].draw;
        let (gap, effect) = c.strongest(&self.series[r]);
        let design = detect::Design {
            n_before: n,
            n_during: n,
            gap,
        };
        let se = detect::se_factor(design, draw.ar1);
        Seen {
            effect,
            mde_city: detect::mde(draw.sigma_city, design, draw.ar1),
            mde_site: detect::mde(draw.sigma_site, design, draw.ar1),
            power_city: detect::power(effect, draw.sigma_city * se),
        }
    }

    fn compare(&self, c: Comparison) -> Detectability {
        let days = self.days;
        let n_days = c.days(days);
        let seen: Vec<Seen> = (0..self.reps.len())
            .map(|r| self.seen(c, n_days, r))
            .collect();
        let pct_band = |f: fn(&Seen) -> f64| {
            quantiles(&mut seen.iter().map(|x| 100.0 * f(x)).collect::<Vec<_>>())
        };
        let effect_pct = pct_band(|x| x.effect);
        let mde3 = |b: Band| [b.median(), b.low(), b.high()];
        let mde_city_pct = mde3(pct_band(|x| x.mde_city));
        let mde_site_pct = mde3(pct_band(|x| x.mde_site));
        let power_sum: f64 = seen.iter().map(|x| x.power_city).sum();
        Detectability {
            comparison: c.as_str(),
            days: n_days,
            effect_pct,
            mde_city_pct,
            mde_site_pct,
            visible_city: days > 0 && detect::visible(effect_pct.median(), mde_city_pct[0]),
            visible_site: days > 0 && detect::visible(effect_pct.median(), mde_site_pct[0]),
            power_city: if days > 0 {
                power_sum / self.reps.len().max(1) as f64
            } else {
                0.0
            },
        }
    }
}
