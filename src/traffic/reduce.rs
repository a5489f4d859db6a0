//! From every replicate's road sums to reported numbers: the traffic rows (medians and
//! bands), the road summary rows (window totals against all traffic, Dishub's counts,
//! the cordon and DKI's inventory), and the detectability of the change in DKI's daily
//! count. Fixed order, no parallel float sums.

use super::detect::{self, Comparison};
use super::draw::{NK, PEAK};
use super::emission::NP;
use super::step::{RoadCell, RoadContext, RoadSums};
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
    let rows = if traffic_rows {
        TrafficRows::new(ctx, reps).all(dates)
    } else {
        Vec::new()
    };
    let scope = Scope::new(ctx, dates.len(), in_window);
    let summary = summary_rows(&specs(&scope), reps, scope.wd);
    let result = RoadResult {
        rows,
        dki_daily_pct: (0..dates.len())
            .map(|d| (dates[d], band(reps, |s| 100.0 * scope.daily_change(s, d))))
            .collect(),
        detect: Detector::new(&scope, reps).all(),
        remainder_clamped: reps.iter().map(|s| s.remainder_clamped).sum(),
        speed_clamped: reps.iter().map(|s| s.speed_clamped as u64).sum(),
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
    q: Quantiles,
    /// What does not change from day to day, once per (region, class, period).
    base_vkm: Vec<f64>,
    base_vehicles: Vec<f64>,
    /// Per period.
    base_speed: [f64; 2],
}

impl<'a> TrafficRows<'a> {
    fn new(ctx: &'a RoadContext, reps: &'a [RoadSums]) -> TrafficRows<'a> {
        let rpd = ctx.rows_per_day();
        let mut t = TrafficRows {
            ctx,
            reps,
            per_vkm: vehicles_per_vkm(ctx, reps),
            q: Quantiles::new(reps.len()),
            base_vkm: Vec::new(),
            base_vehicles: Vec::new(),
            base_speed: [0.0; 2],
        };
        t.base_vkm = (0..rpd)
            .map(|i| t.q.band(reps, |s| s.baseline_vkm[i]).median())
            .collect();
        t.base_vehicles = (0..rpd)
            .map(|i| t.counted(|s| s.baseline_vkm[i]).median())
            .collect();
        t.base_speed = std::array::from_fn(|p| t.q.band(reps, |s| s.speed[p]).median());
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

    fn all(mut self, dates: &[Date]) -> Vec<TrafficRow> {
        let mut rows = Vec::with_capacity(dates.len() * self.ctx.rows_per_day());
        for (d, &date) in dates.iter().enumerate() {
            for r in 0..self.ctx.n {
                for k in 0..NK {
                    for p in 0..2 {
                        rows.push(self.row(d, date, r, k, p));
                    }
                }
            }
        }
        rows
    }

    /// The row of working day `d` (`date`), region `r`, class `k`, period `p`.
    fn row(&mut self, d: usize, date: Date, r: usize, k: usize, p: usize) -> TrafficRow {
        let (reps, i) = (self.reps, self.ctx.row(r, k, p));
        let kg = self.kg(d, i);
        let scenario_vkm =
            |s: &RoadSums| s.baseline_vkm[i] - s.cell(d, i).gross_vkm + s.cell(d, i).rebound_vkm;
        TrafficRow {
            date,
            region: r,
            class: k,
            period: p,
            baseline_vkm: self.base_vkm[i],
            baseline_vehicles: self.base_vehicles[i],
            vehicles: self.counted(scenario_vkm),
            vkm: self.q.band(reps, scenario_vkm),
            gross_vkm: self.q.band(reps, |s| s.cell(d, i).gross_vkm).median(),
            rebound_vkm: self.q.band(reps, |s| s.cell(d, i).rebound_vkm).median(),
            baseline_speed: self.base_speed[p],
            speed: self.q.band(reps, |s| s.days[d].new_speed[r * 2 + p]),
            congestion_vh: self.q.band(reps, |s| s.cell(d, i).congestion_vh).median(),
            kg,
        }
    }

    /// Medians of the kg of each pollutant in cell `i` of day `d`: gross, rebound,
    /// congestion, net.
    fn kg(&mut self, d: usize, i: usize) -> [[f64; 4]; NP] {
        let reps = self.reps;
        std::array::from_fn(|qi| {
            let g = self.q.band(reps, |s| s.cell(d, i).gross_kg[qi]).median();
            let rb = self.q.band(reps, |s| s.cell(d, i).rebound_kg[qi]).median();
            let c = self
                .q
                .band(reps, |s| s.cell(d, i).congestion_kg[qi])
                .median();
            let net = self
                .q
                .band(reps, |s| {
                    let cell = s.cell(d, i);
                    cell.gross_kg[qi] - cell.rebound_kg[qi] + cell.congestion_kg[qi]
                })
                .median();
            [g, rb, c, net]
        })
    }
}

const ALL_PERIODS: [usize; 2] = [0, 1];
const PEAK_ONLY: [usize; 1] = [PEAK];

/// What the road summary rows sum over: the policy window's working days, and DKI's
/// regions.
struct Scope<'a> {
    ctx: &'a RoadContext,
    /// Indices of the window's working days among the plan's.
    window: Vec<usize>,
    /// Working days in the window.
    wd: f64,
    dki: Vec<usize>,
}

impl<'a> Scope<'a> {
    fn new(ctx: &'a RoadContext, days: usize, in_window: &[bool]) -> Scope<'a> {
        let window: Vec<usize> = (0..days).filter(|&d| in_window[d]).collect();
        Scope {
            ctx,
            wd: window.len() as f64,
            window,
            dki: (0..ctx.n).filter(|&r| ctx.is_dki[r]).collect(),
        }
    }

    /// Sum of a cell's number over window days, regions and periods (all classes).
    fn sum(
        &self,
        s: &RoadSums,
        regions: &[usize],
        periods: &[usize],
        f: impl Fn(&RoadCell) -> f64,
    ) -> f64 {
        let mut t = 0.0;
        for &d in &self.window {
            for &r in regions {
                for k in 0..NK {
                    for &p in periods {
                        t += f(s.cell(d, self.ctx.row(r, k, p)));
                    }
                }
            }
        }
        t
    }

    /// Baseline vehicle-km per working day over regions and periods (all classes).
    fn base(&self, s: &RoadSums, regions: &[usize], periods: &[usize]) -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for &p in periods {
                    t += s.baseline_vkm[self.ctx.row(r, k, p)];
                }
            }
        }
        t
    }

    /// Baseline vehicle-hours per working day over regions and periods (all classes).
    fn base_vh(&self, s: &RoadSums, regions: &[usize], periods: &[usize]) -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for &p in periods {
                    t += s.baseline_vkm[self.ctx.row(r, k, p)] / s.speed[p];
                }
            }
        }
        t
    }

    /// The baseline's kg of pollutant `q` per working day over regions (all classes and
    /// periods).
    fn base_kg(&self, s: &RoadSums, regions: &[usize], q: usize) -> f64 {
        let mut t = 0.0;
        for &r in regions {
            for k in 0..NK {
                for p in 0..2 {
                    t += s.baseline_kg[self.ctx.row(r, k, p) * NP + q];
                }
            }
        }
        t
    }

    /// Vehicles counted: the count scales with vehicle-km on DKI's roads.
    fn counted(&self, s: &RoadSums, periods: &[usize], f: impl Fn(&RoadCell) -> f64) -> f64 {
        let b = self.base(s, &self.dki, &ALL_PERIODS);
        if b > 0.0 {
            s.draw.counted_dki * self.sum(s, &self.dki, periods, f) / b
        } else {
            0.0
        }
    }

    /// The peak's share of the baseline vehicle-km on DKI's roads.
    fn peak_fraction(&self, s: &RoadSums) -> f64 {
        let b = self.base(s, &self.dki, &ALL_PERIODS);
        if b > 0.0 {
            self.base(s, &self.dki, &PEAK_ONLY) / b
        } else {
            0.0
        }
    }

    /// Cordon entries avoided over window days and periods.
    fn cordon(&self, s: &RoadSums, periods: &[usize]) -> f64 {
        self.window
            .iter()
            .flat_map(|&d| periods.iter().map(move |&p| s.days[d].cordon_avoided[p]))
            .sum()
    }

    /// DKI's daily count: the fall on working day `d` as a share of the baseline.
    fn daily_change(&self, s: &RoadSums, d: usize) -> f64 {
        let b = self.base(s, &self.dki, &ALL_PERIODS);
        let mut x = 0.0;
        for &r in &self.dki {
            for k in 0..NK {
                for p in 0..2 {
                    let c = s.cell(d, self.ctx.row(r, k, p));
                    x += c.gross_vkm - c.rebound_vkm;
                }
            }
        }
        if b > 0.0 { x / b } else { 0.0 }
    }

    /// Window totals of a quantity's components over regions and periods, against
    /// `baseline`.
    fn totals(
        &self,
        s: &RoadSums,
        regions: &[usize],
        periods: &[usize],
        quantity: Quantity,
        baseline: f64,
    ) -> Totals {
        Totals::of(
            self.sum(s, regions, periods, |c| quantity.gross(c)),
            self.sum(s, regions, periods, |c| quantity.rebound(c)),
            if quantity.has_congestion() {
                self.sum(s, regions, periods, |c| quantity.congestion(c))
            } else {
                0.0
            },
            baseline,
        )
    }
}

/// A quantity of a [`RoadCell`] with gross, rebound and congestion parts.
#[derive(Debug, Clone, Copy)]
enum Quantity {
    VehicleKm,
    VehicleHours,
    /// Kg of pollutant `q`.
    Kg(usize),
}

impl Quantity {
    fn gross(self, c: &RoadCell) -> f64 {
        match self {
            Quantity::VehicleKm => c.gross_vkm,
            Quantity::VehicleHours => c.gross_vh,
            Quantity::Kg(q) => c.gross_kg[q],
        }
    }

    fn rebound(self, c: &RoadCell) -> f64 {
        match self {
            Quantity::VehicleKm => c.rebound_vkm,
            Quantity::VehicleHours => c.rebound_vh,
            Quantity::Kg(q) => c.rebound_kg[q],
        }
    }

    /// Vehicle-km have no congestion part: the remaining traffic drives the same km.
    fn has_congestion(self) -> bool {
        !matches!(self, Quantity::VehicleKm)
    }

    fn congestion(self, c: &RoadCell) -> f64 {
        match self {
            Quantity::VehicleKm => 0.0,
            Quantity::VehicleHours => c.congestion_vh,
            Quantity::Kg(q) => c.congestion_kg[q],
        }
    }
}

/// A road summary row's key and how one replicate's window totals of it are computed.
struct Spec<'a> {
    basis: Basis,
    region: Option<usize>,
    metric: MetricId,
    totals: Box<dyn Fn(&RoadSums) -> Totals + 'a>,
}

impl<'a> Spec<'a> {
    fn new(
        basis: Basis,
        region: Option<usize>,
        metric: MetricId,
        totals: impl Fn(&RoadSums) -> Totals + 'a,
    ) -> Spec<'a> {
        Spec {
            basis,
            region,
            metric,
            totals: Box::new(totals),
        }
    }
}

/// Every road summary row, in the order of the table: DKI's roads, each region's roads,
/// DKI's roads at the peak, the cordon.
fn specs<'a>(scope: &'a Scope) -> Vec<Spec<'a>> {
    let mut specs = road_specs(scope, Basis::DkiRoads, None, &scope.dki);
    for r in 0..scope.ctx.n {
        specs.extend(road_specs(scope, Basis::Roads, Some(r), &[r]));
    }
    specs.extend(peak_specs(scope));
    specs.extend(cordon_specs(scope));
    specs
}

/// The rows of a set of regions' roads over both periods.
fn road_specs<'a>(
    scope: &'a Scope,
    basis: Basis,
    region: Option<usize>,
    regions: &[usize],
) -> Vec<Spec<'a>> {
    let wd = scope.wd;
    let mut specs = Vec::new();
    if basis == Basis::DkiRoads {
        specs.push(Spec::new(basis, region, MetricId::VEHICLES, move |s| {
            Totals::of(
                scope.counted(s, &ALL_PERIODS, |c| c.gross_vkm),
                scope.counted(s, &ALL_PERIODS, |c| c.rebound_vkm),
                0.0,
                s.draw.counted_dki * wd,
            )
        }));
    }
    let regs = regions.to_vec();
    specs.push(Spec::new(basis, region, MetricId::VEHICLE_KM, move |s| {
        let baseline = scope.base(s, &regs, &ALL_PERIODS) * wd;
        scope.totals(s, &regs, &ALL_PERIODS, Quantity::VehicleKm, baseline)
    }));
    let regs = regions.to_vec();
    specs.push(Spec::new(
        basis,
        region,
        MetricId::VEHICLE_HOURS,
        move |s| {
            let baseline = scope.base_vh(s, &regs, &ALL_PERIODS) * wd;
            scope.totals(s, &regs, &ALL_PERIODS, Quantity::VehicleHours, baseline)
        },
    ));
    for q in 0..NP {
        let regs = regions.to_vec();
        let dki_rows = basis == Basis::DkiRoads;
        specs.push(Spec::new(basis, region, MetricId::pollutant(q), move |s| {
            // DKI's rows are compared with its inventory; a region's with the modelled
            // emissions of all its traffic.
            let baseline = if dki_rows {
                s.draw.inventory_kg_per_day[q] * wd
            } else {
                scope.base_kg(s, &regs, q) * wd
            };
            scope.totals(s, &regs, &ALL_PERIODS, Quantity::Kg(q), baseline)
        }));
    }
    specs
}

/// The rows of DKI's roads at the peak.
fn peak_specs<'a>(scope: &'a Scope) -> Vec<Spec<'a>> {
    let (wd, dki) = (scope.wd, &scope.dki);
    let basis = Basis::DkiRoadsPeak;
    vec![
        Spec::new(basis, None, MetricId::VEHICLES, move |s| {
            Totals::of(
                scope.counted(s, &PEAK_ONLY, |c| c.gross_vkm),
                scope.counted(s, &PEAK_ONLY, |c| c.rebound_vkm),
                0.0,
                s.draw.counted_dki * scope.peak_fraction(s) * wd,
            )
        }),
        Spec::new(basis, None, MetricId::VEHICLE_KM, move |s| {
            let baseline = scope.base(s, dki, &PEAK_ONLY) * wd;
            scope.totals(s, dki, &PEAK_ONLY, Quantity::VehicleKm, baseline)
        }),
        Spec::new(basis, None, MetricId::VEHICLE_HOURS, move |s| {
            let baseline = scope.base_vh(s, dki, &PEAK_ONLY) * wd;
            scope.totals(s, dki, &PEAK_ONLY, Quantity::VehicleHours, baseline)
        }),
    ]
}

/// The rows of the vehicles entering DKI, all day and at the peak.
fn cordon_specs<'a>(scope: &'a Scope) -> Vec<Spec<'a>> {
    let wd = scope.wd;
    vec![
        Spec::new(Basis::DkiCordon, None, MetricId::VEHICLES, move |s| {
            let baseline = s.draw.cordon_entries * wd;
            Totals::of(scope.cordon(s, &ALL_PERIODS), 0.0, 0.0, baseline)
        }),
        Spec::new(Basis::DkiCordonPeak, None, MetricId::VEHICLES, move |s| {
            let baseline = s.draw.cordon_entries * scope.peak_fraction(s) * wd;
            Totals::of(scope.cordon(s, &PEAK_ONLY), 0.0, 0.0, baseline)
        }),
    ]
}

/// Each spec's rows, one per component of [`Component::ROAD`]; `wd` working days in the
/// window.
fn summary_rows(specs: &[Spec], reps: &[RoadSums], wd: f64) -> Vec<SummaryRow> {
    let mut summary = Vec::new();
    for spec in specs {
        let t: Vec<Totals> = reps.iter().map(|s| (spec.totals)(s)).collect();
        let baseline_p50 = quantiles(&mut t.iter().map(|x| x.baseline).collect::<Vec<_>>());
        for (j, component) in Component::ROAD.into_iter().enumerate() {
            let total = quantiles(&mut t.iter().map(|x| x.c[j]).collect::<Vec<_>>());
            summary.push(SummaryRow {
                basis: spec.basis,
                region: spec.region,
                metric: spec.metric,
                component,
                total,
                per_day_p50: total.median() / wd.max(1.0),
                baseline_p50: baseline_p50.median(),
                pct: quantiles(&mut t.iter().map(|x| pct_of_baseline(x, j)).collect::<Vec<_>>()),
                pct_dki: None,
            });
        }
    }
    summary
}

/// Component `j` of a replicate's totals as a percentage of its baseline.
fn pct_of_baseline(t: &Totals, j: usize) -> f64 {
    if t.baseline > 0.0 {
        100.0 * t.c[j] / t.baseline
    } else {
        f64::NAN
    }
}

/// Whether DKI's daily count could see the change, per [`Comparison`].
struct Detector<'a> {
    reps: &'a [RoadSums],
    /// Per replicate: the fall per window day.
    series: Vec<Vec<f64>>,
    /// Window days.
    days: usize,
    /// Median, low and high of the day-to-day σ of the city-wide and a site's count.
    s_city: [f64; 3],
    s_site: [f64; 3],
}

impl<'a> Detector<'a> {
    fn new(scope: &Scope, reps: &'a [RoadSums]) -> Detector<'a> {
        let sigma = |f: fn(&RoadSums) -> f64| -> [f64; 3] {
            let b = band(reps, f);
            [b.median(), b.low(), b.high()]
        };
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
            s_city: sigma(|s| s.draw.sigma_city),
            s_site: sigma(|s| s.draw.sigma_site),
        }
    }

    fn all(&self) -> Vec<Detectability> {
        Comparison::ALL
            .into_iter()
            .map(|c| self.compare(c))
            .collect()
    }

    fn compare(&self, c: Comparison) -> Detectability {
        let days = self.days;
        let n_days = c.days(days);
        let effects: Vec<f64> = self.series.iter().map(|x| c.effect(x)).collect();
        let effect_pct = quantiles(&mut effects.iter().map(|e| 100.0 * e).collect::<Vec<_>>());
        let mde = |s: f64| 100.0 * detect::mde(s, n_days, n_days);
        let mde_city_pct = self.s_city.map(mde);
        let mde_site_pct = self.s_site.map(mde);
        let hits = self
            .reps
            .iter()
            .zip(&effects)
            .filter(|(s, e)| detect::visible(**e, detect::mde(s.draw.sigma_city, n_days, n_days)))
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
                hits as f64 / self.reps.len().max(1) as f64
            } else {
                0.0
            },
        }
    }
}
