//! From every replicate's road sums to reported numbers: the traffic rows (medians and
//! bands), the road summary rows (window totals against all traffic, Dishub's counts,
//! the cordon and DKI's inventory), and the detectability of the change in DKI's daily
//! count. Fixed order, no parallel float sums.

use super::detect::{self, Comparison};
use super::draw::{NK, PEAK};
use super::emission::NP;
use super::step::{RoadContext, RoadSums, field};
use crate::calendar::Date;
use crate::results::reduce::quantiles;
use crate::results::roads::{Detectability, RoadResult, TrafficRow};
use crate::results::schema::{Component, MetricId};
use crate::results::{Band, Basis, SummaryRow};

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
}

/// One replicate's window totals of a road summary row, per component of
/// [`Component::ROAD`], and its baseline over the window.
struct Totals {
    c: [f64; 4],
    baseline: f64,
}

impl Totals {
    fn of(g: f64, r: f64, c: f64, baseline: f64) -> Totals {
        Totals {
            c: [g, r, c, g - r + c],
            baseline,
        }
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
    let rpd = ctx.rows_per_day();
    let n = ctx.n;
    let at = |s: &RoadSums, d: usize, i: usize, f: usize| s.rows[(d * rpd + i) * field::N + f];
    // Vehicles counted per vehicle-km: Dishub's weekday count over the baseline vehicle-km
    // on DKI's roads, per replicate; applied to every region's roads ("count-equivalent").
    let dki_regions: Vec<usize> = (0..n).filter(|&r| ctx.is_dki[r]).collect();
    let per_vkm: Vec<f64> = reps
        .iter()
        .map(|s| {
            let b: f64 = dki_regions
                .iter()
                .flat_map(|&r| (0..NK).flat_map(move |k| [ctx.row(r, k, 0), ctx.row(r, k, 1)]))
                .map(|i| s.baseline_vkm[i])
                .sum();
            if b > 0.0 { s.draw.counted_dki / b } else { 0.0 }
        })
        .collect();
    let with_ratio = |f: &dyn Fn(&RoadSums) -> f64| {
        quantiles(
            &mut reps
                .iter()
                .zip(&per_vkm)
                .map(|(s, c)| f(s) * c)
                .collect::<Vec<_>>(),
        )
    };
    let mut rows = Vec::new();
    if traffic_rows {
        // What does not change from day to day, once per (region, class, period).
        let mut q = Quantiles::new(reps.len());
        let base_vkm: Vec<f64> = (0..rpd)
            .map(|i| q.band(reps, |s| s.baseline_vkm[i]).median())
            .collect();
        let base_vehicles: Vec<f64> = (0..rpd)
            .map(|i| with_ratio(&|s| s.baseline_vkm[i]).median())
            .collect();
        let base_speed: [f64; 2] = std::array::from_fn(|p| q.band(reps, |s| s.speed[p]).median());
        rows.reserve(dates.len() * rpd);
        for (d, &date) in dates.iter().enumerate() {
            for r in 0..n {
                for k in 0..NK {
                    for (p, &speed_p) in base_speed.iter().enumerate() {
                        let i = ctx.row(r, k, p);
                        let mut kg = [[0.0; 4]; NP];
                        for (qi, out) in kg.iter_mut().enumerate() {
                            let g = q.band(reps, |s| at(s, d, i, field::GROSS_KG + qi)).median();
                            let rb = q
                                .band(reps, |s| at(s, d, i, field::REBOUND_KG + qi))
                                .median();
                            let c = q
                                .band(reps, |s| at(s, d, i, field::CONGESTION_KG + qi))
                                .median();
                            let net = q
                                .band(reps, |s| {
                                    at(s, d, i, field::GROSS_KG + qi)
                                        - at(s, d, i, field::REBOUND_KG + qi)
                                        + at(s, d, i, field::CONGESTION_KG + qi)
                                })
                                .median();
                            *out = [g, rb, c, net];
                        }
                        let scenario_vkm = |s: &RoadSums| {
                            s.baseline_vkm[i] - at(s, d, i, field::GROSS_VKM)
                                + at(s, d, i, field::REBOUND_VKM)
                        };
                        rows.push(TrafficRow {
                            date,
                            region: r,
                            class: k,
                            period: p,
                            baseline_vkm: base_vkm[i],
                            baseline_vehicles: base_vehicles[i],
                            vehicles: with_ratio(&scenario_vkm),
                            vkm: q.band(reps, scenario_vkm),
                            gross_vkm: q.band(reps, |s| at(s, d, i, field::GROSS_VKM)).median(),
                            rebound_vkm: q.band(reps, |s| at(s, d, i, field::REBOUND_VKM)).median(),
                            baseline_speed: speed_p,
                            speed: q.band(reps, |s| s.new_speed[(d * n + r) * 2 + p]),
                            congestion_vh: q
                                .band(reps, |s| at(s, d, i, field::CONGESTION_VH))
                                .median(),
                            kg,
                        });
                    }
                }
            }
        }
    }
    let window: Vec<usize> = (0..dates.len()).filter(|&d| in_window[d]).collect();
    let wd = window.len() as f64;
    let dki: Vec<usize> = (0..n).filter(|&r| ctx.is_dki[r]).collect();
    let periods_all = [0usize, 1];
    let periods_peak = [PEAK];
    // Sums of a field over window days, regions and periods (all classes).
    let sum = |s: &RoadSums, regions: &[usize], periods: &[usize], f: usize| -> f64 {
        let mut t = 0.0;
        for &d in &window {
            for &r in regions {
                for k in 0..NK {
                    for &p in periods {
                        t += at(s, d, ctx.row(r, k, p), f);
                    }
                }
            }
        }
        t
    };
    let base = |s: &RoadSums, regions: &[usize], periods: &[usize]| -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for &p in periods {
                    t += s.baseline_vkm[ctx.row(r, k, p)];
                }
            }
        }
        t
    };
    let base_vh = |s: &RoadSums, regions: &[usize], periods: &[usize]| -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for &p in periods {
                    t += s.baseline_vkm[ctx.row(r, k, p)] / s.speed[p];
                }
            }
        }
        t
    };
    let base_kg = |s: &RoadSums, regions: &[usize], q: usize| -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for p in 0..2 {
                    t += s.baseline_kg[ctx.row(r, k, p) * NP + q];
                }
            }
        }
        t
    };
    // Vehicles counted: the count scales with vehicle-km on DKI's roads.
    let counted = |s: &RoadSums, periods: &[usize], f: usize| -> f64 {
        let b = base(s, &dki, &periods_all);
        if b > 0.0 {
            s.draw.counted_dki * sum(s, &dki, periods, f) / b
        } else {
            0.0
        }
    };
    let peak_fraction = |s: &RoadSums| {
        let b = base(s, &dki, &periods_all);
        if b > 0.0 {
            base(s, &dki, &periods_peak) / b
        } else {
            0.0
        }
    };
    let cordon = |s: &RoadSums, periods: &[usize]| -> f64 {
        window
            .iter()
            .flat_map(|&d| periods.iter().map(move |&p| s.cordon_avoided[d * 2 + p]))
            .sum()
    };
    type Spec<'a> = (
        Basis,
        Option<usize>,
        MetricId,
        Box<dyn Fn(&RoadSums) -> Totals + 'a>,
    );
    let mut specs: Vec<Spec> = Vec::new();
    let regions_of =
        |r: Option<usize>| -> Vec<usize> { r.map_or_else(|| dki.clone(), |r| vec![r]) };
    for (basis, region) in
        std::iter::once((Basis::DkiRoads, None)).chain((0..n).map(|r| (Basis::Roads, Some(r))))
    {
        let regs = regions_of(region);
        if basis == Basis::DkiRoads {
            specs.push((
                basis,
                region,
                MetricId::VEHICLES,
                Box::new(move |s: &RoadSums| {
                    Totals::of(
                        counted(s, &periods_all, field::GROSS_VKM),
                        counted(s, &periods_all, field::REBOUND_VKM),
                        0.0,
                        s.draw.counted_dki * wd,
                    )
                }),
            ));
        }
        let r2 = regs.clone();
        specs.push((
            basis,
            region,
            MetricId::VEHICLE_KM,
            Box::new(move |s: &RoadSums| {
                Totals::of(
                    sum(s, &r2, &periods_all, field::GROSS_VKM),
                    sum(s, &r2, &periods_all, field::REBOUND_VKM),
                    0.0,
                    base(s, &r2, &periods_all) * wd,
                )
            }),
        ));
        let r2 = regs.clone();
        specs.push((
            basis,
            region,
            MetricId::VEHICLE_HOURS,
            Box::new(move |s: &RoadSums| {
                Totals::of(
                    sum(s, &r2, &periods_all, field::GROSS_VH),
                    sum(s, &r2, &periods_all, field::REBOUND_VH),
                    sum(s, &r2, &periods_all, field::CONGESTION_VH),
                    base_vh(s, &r2, &periods_all) * wd,
                )
            }),
        ));
        for q in 0..NP {
            let r2 = regs.clone();
            let dki_rows = basis == Basis::DkiRoads;
            specs.push((
                basis,
                region,
                MetricId::pollutant(q),
                Box::new(move |s: &RoadSums| {
                    Totals::of(
                        sum(s, &r2, &periods_all, field::GROSS_KG + q),
                        sum(s, &r2, &periods_all, field::REBOUND_KG + q),
                        sum(s, &r2, &periods_all, field::CONGESTION_KG + q),
                        // DKI's rows are compared with its inventory; a region's with the
                        // modelled emissions of all its traffic.
                        if dki_rows {
                            s.draw.inventory_kg_per_day[q] * wd
                        } else {
                            base_kg(s, &r2, q) * wd
                        },
                    )
                }),
            ));
        }
    }
    specs.push((
        Basis::DkiRoadsPeak,
        None,
        MetricId::VEHICLES,
        Box::new(|s: &RoadSums| {
            Totals::of(
                counted(s, &periods_peak, field::GROSS_VKM),
                counted(s, &periods_peak, field::REBOUND_VKM),
                0.0,
                s.draw.counted_dki * peak_fraction(s) * wd,
            )
        }),
    ));
    specs.push((
        Basis::DkiRoadsPeak,
        None,
        MetricId::VEHICLE_KM,
        Box::new(|s: &RoadSums| {
            Totals::of(
                sum(s, &dki, &periods_peak, field::GROSS_VKM),
                sum(s, &dki, &periods_peak, field::REBOUND_VKM),
                0.0,
                base(s, &dki, &periods_peak) * wd,
            )
        }),
    ));
    specs.push((
        Basis::DkiRoadsPeak,
        None,
        MetricId::VEHICLE_HOURS,
        Box::new(|s: &RoadSums| {
            Totals::of(
                sum(s, &dki, &periods_peak, field::GROSS_VH),
                sum(s, &dki, &periods_peak, field::REBOUND_VH),
                sum(s, &dki, &periods_peak, field::CONGESTION_VH),
                base_vh(s, &dki, &periods_peak) * wd,
            )
        }),
    ));
    specs.push((
        Basis::DkiCordon,
        None,
        MetricId::VEHICLES,
        Box::new(|s: &RoadSums| {
            Totals::of(
                cordon(s, &periods_all),
                0.0,
                0.0,
                s.draw.cordon_entries * wd,
            )
        }),
    ));
    specs.push((
        Basis::DkiCordonPeak,
        None,
        MetricId::VEHICLES,
        Box::new(|s: &RoadSums| {
            Totals::of(
                cordon(s, &periods_peak),
                0.0,
                0.0,
                s.draw.cordon_entries * peak_fraction(s) * wd,
            )
        }),
    ));

    let mut summary = Vec::new();
    for (basis, region, metric, f) in &specs {
        let t: Vec<Totals> = reps.iter().map(f).collect();
        for (j, component) in Component::ROAD.into_iter().enumerate() {
            let total = quantiles(&mut t.iter().map(|x| x.c[j]).collect::<Vec<_>>());
            summary.push(SummaryRow {
                basis: *basis,
                region: *region,
                metric: *metric,
                component,
                total,
                per_day_p50: total.median() / wd.max(1.0),
                baseline_p50: quantiles(&mut t.iter().map(|x| x.baseline).collect::<Vec<_>>())
                    .median(),
                pct: quantiles(
                    &mut t
                        .iter()
                        .map(|x| {
                            if x.baseline > 0.0 {
                                100.0 * x.c[j] / x.baseline
                            } else {
                                f64::NAN
                            }
                        })
                        .collect::<Vec<_>>(),
                ),
                pct_dki: None,
            });
        }
    }

    // DKI's daily count: the fall per working day, per replicate.
    let daily_change = |s: &RoadSums, d: usize| -> f64 {
        let b = base(s, &dki, &periods_all);
        let mut x = 0.0;
        for &r in &dki {
            for k in 0..NK {
                for p in 0..2 {
                    let i = ctx.row(r, k, p);
                    x += at(s, d, i, field::GROSS_VKM) - at(s, d, i, field::REBOUND_VKM);
                }
            }
        }
        if b > 0.0 { x / b } else { 0.0 }
    };
    let series: Vec<Vec<f64>> = reps
        .iter()
        .map(|s| window.iter().map(|&d| daily_change(s, d)).collect())
        .collect();
    let dki_daily_pct = (0..dates.len())
        .map(|d| (dates[d], band(reps, |s| 100.0 * daily_change(s, d))))
        .collect();
    let sigma = |f: fn(&RoadSums) -> f64| -> [f64; 3] {
        let b = band(reps, f);
        [b.median(), b.low(), b.high()]
    };
    let s_city = sigma(|s| s.draw.sigma_city);
    let s_site = sigma(|s| s.draw.sigma_site);
    let days = window.len();
    let detect = Comparison::ALL
        .into_iter()
        .map(|c| {
            let n_days = c.days(days);
            let effects: Vec<f64> = series.iter().map(|x| c.effect(x)).collect();
            let effect_pct = quantiles(&mut effects.iter().map(|e| 100.0 * e).collect::<Vec<_>>());
            let mde = |s: f64| 100.0 * detect::mde(s, n_days, n_days);
            let mde_city_pct = s_city.map(mde);
            let mde_site_pct = s_site.map(mde);
            let hits = reps
                .iter()
                .zip(&effects)
                .filter(|(s, e)| {
                    detect::visible(**e, detect::mde(s.draw.sigma_city, n_days, n_days))
                })
                .count();
            Detectability {
                comparison: c.as_str(),
                days: n_days,
                effect_pct,
                mde_city_pct,
                mde_site_pct,
                visible_city: days > 0 && detect::visible(effect_pct.median(), mde_city_pct[0]),
                visible_site: days > 0 && detect::visible(effect_pct.median(), mde_site_pct[0]),
                p_visible_city: if days > 0 {
                    hits as f64 / reps.len().max(1) as f64
                } else {
                    0.0
                },
            }
        })
        .collect();
    let result = RoadResult {
        rows,
        dki_daily_pct,
        detect,
        remainder_clamped: reps.iter().map(|s| s.remainder_clamped).sum(),
        speed_clamped: reps.iter().map(|s| s.speed_clamped as u64).sum(),
    };
    (result, summary)
}
