//! The road summary rows: per replicate, window totals of the road cells over a set of
//! regions and periods (DKI's roads, each region's roads, DKI's roads at the peak, the
//! cordon), against all traffic, Dishub's counts or DKI's inventory; then their bands.
//! Sums in a fixed order (window day, region, class, period).

use rayon::prelude::*;

use super::draw::{NK, PEAK};
use super::emission::NP;
use super::step::{RoadCell, RoadContext, RoadSums};
use crate::results::quantile::{quantiles, with_errors};
use crate::results::schema::{Component, MetricId};
use crate::results::{Basis, SummaryRow};

/// One replicate's window totals of a road summary row, per component of
/// [`Component::ROAD`], and its baseline over the window.
struct Totals {
    c: [f64; 5],
    baseline: f64,
}

/// Where net sits in [`Component::ROAD`] (and in [`Totals`]).
const NET: usize = 4;
const _: () = assert!(matches!(Component::ROAD[NET], Component::Net));

impl Totals {
    /// From gross, rebound, congestion and induced: net = g − r + c − i.
    fn of([g, r, c, i]: [f64; 4], baseline: f64) -> Totals {
        Totals {
            c: [g, r, c, i, g - r + c - i],
            baseline,
        }
    }
}

pub(super) const ALL_PERIODS: [usize; 2] = [0, 1];
pub(super) const PEAK_ONLY: [usize; 1] = [PEAK];

/// What the road summary rows sum over: the policy window's working days, and DKI's
/// regions.
pub(super) struct Scope<'a> {
    pub(super) ctx: &'a RoadContext,
    /// Indices of the window's working days among the plan's.
    pub(super) window: Vec<usize>,
    /// Working days in the window.
    pub(super) wd: f64,
    dki: Vec<usize>,
}

impl<'a> Scope<'a> {
    pub(super) fn new(ctx: &'a RoadContext, days: usize, in_window: &[bool]) -> Scope<'a> {
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
        self.sums(s, regions, periods, |c| [f(c)])[0]
    }

    /// Sums of N numbers of a cell over window days, regions and periods (all classes), in
    /// one pass over the cells; each sum adds in the same order as [`Scope::sum`].
    fn sums<const N: usize>(
        &self,
        s: &RoadSums,
        regions: &[usize],
        periods: &[usize],
        f: impl Fn(&RoadCell) -> [f64; N],
    ) -> [f64; N] {
        let mut t = [0.0; N];
        for &d in &self.window {
            for &r in regions {
                for k in 0..NK {
                    for &p in periods {
                        let v = f(s.cell(d, self.ctx.row(r, k, p)));
                        for (t, v) in t.iter_mut().zip(v) {
                            *t += v;
                        }
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
            .flat_map(|&d| periods.iter().map(move |&p| s.day(d).cordon_avoided[p]))
            .sum()
    }

    /// DKI's daily count: the fall on working day `d` as a share of the baseline.
    pub(super) fn daily_change(&self, s: &RoadSums, d: usize) -> f64 {
        let b = self.base(s, &self.dki, &ALL_PERIODS);
        let mut x = 0.0;
        for &r in &self.dki {
            for k in 0..NK {
                for p in 0..2 {
                    let c = s.cell(d, self.ctx.row(r, k, p));
                    x += c.gross_vkm - c.rebound_vkm - c.induced_vkm;
                }
            }
        }
        if b > 0.0 { x / b } else { 0.0 }
    }

    /// The window's net change (avoided: gross − rebound + congestion − induced) of
    /// vehicle-km and of vehicle-hours on DKI's roads in `periods`: what the `net` rows of
    /// both on DKI's roads report.
    pub(super) fn dki_net_vkm_vh(&self, s: &RoadSums, periods: &[usize]) -> [f64; 2] {
        [Quantity::VehicleKm, Quantity::VehicleHours]
            .map(|q| self.totals(s, &self.dki, periods, q, 0.0).c[NET])
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
        // One pass over the cells (vehicle-km's congestion part is 0 in every cell).
        let parts = self.sums(s, regions, periods, |c| {
            [
                quantity.gross(c),
                quantity.rebound(c),
                quantity.congestion(c),
                quantity.induced(c),
            ]
        });
        Totals::of(parts, baseline)
    }
}

/// A quantity of a [`RoadCell`] with gross, rebound, congestion and induced parts.
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
    fn congestion(self, c: &RoadCell) -> f64 {
        match self {
            Quantity::VehicleKm => 0.0,
            Quantity::VehicleHours => c.congestion_vh,
            Quantity::Kg(q) => c.congestion_kg[q],
        }
    }

    fn induced(self, c: &RoadCell) -> f64 {
        match self {
            Quantity::VehicleKm => c.induced_vkm,
            Quantity::VehicleHours => c.induced_vh,
            Quantity::Kg(q) => c.induced_kg[q],
        }
    }
}

/// A road summary row's key and how one replicate's window totals of it are computed.
struct Spec<'a> {
    basis: Basis,
    region: Option<usize>,
    metric: MetricId,
    totals: Box<dyn Fn(&RoadSums) -> Totals + Sync + 'a>,
}

impl<'a> Spec<'a> {
    fn new(
        basis: Basis,
        region: Option<usize>,
        metric: MetricId,
        totals: impl Fn(&RoadSums) -> Totals + Sync + 'a,
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
                [
                    scope.counted(s, &ALL_PERIODS, |c| c.gross_vkm),
                    scope.counted(s, &ALL_PERIODS, |c| c.rebound_vkm),
                    0.0,
                    scope.counted(s, &ALL_PERIODS, |c| c.induced_vkm),
                ],
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
    specs.extend(pollutant_specs(scope, basis, region, regions));
    specs
}

/// The kg rows of a set of regions' roads over both periods, one per pollutant. DKI's
/// rows are compared with its inventory; a region's with the modelled emissions of all
/// its traffic.
fn pollutant_specs<'a>(
    scope: &'a Scope,
    basis: Basis,
    region: Option<usize>,
    regions: &[usize],
) -> Vec<Spec<'a>> {
    let (wd, dki_rows) = (scope.wd, basis == Basis::DkiRoads);
    (0..NP)
        .map(|q| {
            let regs = regions.to_vec();
            Spec::new(basis, region, MetricId::pollutant(q), move |s| {
                let baseline = if dki_rows {
                    s.draw.inventory_kg_per_day[q] * wd
                } else {
                    scope.base_kg(s, &regs, q) * wd
                };
                scope.totals(s, &regs, &ALL_PERIODS, Quantity::Kg(q), baseline)
            })
        })
        .collect()
}

/// The rows of DKI's roads at the peak.
fn peak_specs<'a>(scope: &'a Scope) -> Vec<Spec<'a>> {
    let (wd, dki) = (scope.wd, &scope.dki);
    let basis = Basis::DkiRoadsPeak;
    vec![
        Spec::new(basis, None, MetricId::VEHICLES, move |s| {
            Totals::of(
                [
                    scope.counted(s, &PEAK_ONLY, |c| c.gross_vkm),
                    scope.counted(s, &PEAK_ONLY, |c| c.rebound_vkm),
                    0.0,
                    scope.counted(s, &PEAK_ONLY, |c| c.induced_vkm),
                ],
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
            Totals::of([scope.cordon(s, &ALL_PERIODS), 0.0, 0.0, 0.0], baseline)
        }),
        Spec::new(Basis::DkiCordonPeak, None, MetricId::VEHICLES, move |s| {
            let baseline = s.draw.cordon_entries * scope.peak_fraction(s) * wd;
            Totals::of([scope.cordon(s, &PEAK_ONLY), 0.0, 0.0, 0.0], baseline)
        }),
    ]
}

/// The road summary rows of a scenario's replicates (the congestion level's are
/// `level`'s).
pub(super) fn summary_rows(scope: &Scope, reps: &[RoadSums]) -> Vec<SummaryRow> {
    rows_of(&specs(scope), reps, scope.wd)
}

/// Each spec's rows, one per component of [`Component::ROAD`]; `wd` working days in the
/// window. Specs side by side (each its own replicates' numbers, kept in order).
fn rows_of(specs: &[Spec], reps: &[RoadSums], wd: f64) -> Vec<SummaryRow> {
    let per_spec: Vec<Vec<SummaryRow>> = specs
        .par_iter()
        .map(|spec| spec_rows(spec, reps, wd))
        .collect();
    per_spec.concat()
}

/// One spec's rows ([`rows_of`]).
fn spec_rows(spec: &Spec, reps: &[RoadSums], wd: f64) -> Vec<SummaryRow> {
    let mut summary = Vec::new();
    let t: Vec<Totals> = reps.iter().map(|s| (spec.totals)(s)).collect();
    let baseline_p50 = quantiles(&mut t.iter().map(|x| x.baseline).collect::<Vec<_>>());
    for (j, component) in Component::ROAD.into_iter().enumerate() {
        let (total, total_error) = with_errors(&mut t.iter().map(|x| x.c[j]).collect::<Vec<_>>());
        summary.push(SummaryRow {
            basis: spec.basis,
            region: spec.region,
            metric: spec.metric,
            component,
            total,
            total_error,
            per_day_p50: total.median() / wd.max(1.0),
            baseline_p50: baseline_p50.median(),
            pct: quantiles(&mut t.iter().map(|x| pct_of_baseline(x, j)).collect::<Vec<_>>()),
            pct_dki: None,
        });
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
