//! The road layer's step after the engine, for one replicate: the all-traffic baseline
//! per (region, vehicle class, period); the commuters' gross and rebound vehicle-km and
//! emissions put on the roads they are driven on; per (day, region, period) the change
//! in passenger-car units, the new speed from the city-wide speed response, what the
//! remaining traffic saves at that speed (the congestion component: vehicle-hours always,
//! grams under the speed emission model) and the traffic the faster roads draw in (the
//! induced component). Linear accounting stays per worker; only this
//! feedback is non-linear, and it is per (day, region, period), never per agent.
//!
//! This file owns the types ([`RoadContext`], [`RoadCell`], [`RoadSums`]) and the
//! replicate's baseline; each working day's part is the sibling module `day`.

use crate::results::days::Days;

use super::day::DayStep;

use super::assign::Assignment;
use super::draw::{NK, RoadDraw};
use super::emission::NP;
use crate::data::inputs::roads::RoadInputs;
use crate::data::{Dataset, POLLUTANTS, VehicleClass};
use crate::results::Coefficients;
use crate::results::schema::{MetricId, N_METRICS};

/// What the workers at home change on the roads of one (region, vehicle class, period)
/// on one working day: vehicle-km, vehicle-hours (at the baseline speed, except the
/// congestion part) and kg of each pollutant, per component of
/// [`crate::results::schema::Component::ROAD`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RoadCell {
    /// Vehicle-km the commuters at home no longer drive.
    pub gross_vkm: f64,
    /// Vehicle-km of their extra errands near home.
    pub rebound_vkm: f64,
    pub gross_vh: f64,
    pub rebound_vh: f64,
    /// Vehicle-hours the remaining traffic saves at the new speed.
    pub congestion_vh: f64,
    /// Vehicle-km the faster (or slower) roads draw in (or shed): induced traffic.
    pub induced_vkm: f64,
    /// Its vehicle-hours at the new speed.
    pub induced_vh: f64,
    pub gross_kg: [f64; NP],
    pub rebound_kg: [f64; NP],
    /// Kg the remaining traffic saves at the new speed (speed emission model only).
    pub congestion_kg: [f64; NP],
    /// Kg the induced traffic emits at the new speed.
    pub induced_kg: [f64; NP],
}

impl RoadCell {
    /// Numbers in a cell, for the memory estimate.
    pub const F64S: usize = 7 + 4 * NP;
}

const _: () = assert!(std::mem::size_of::<RoadCell>() == RoadCell::F64S * 8);

/// One working day of a replicate's road results.
#[derive(Debug, Clone)]
pub struct RoadDay {
    /// Per (region, class, period), at [`RoadContext::row`].
    pub cells: Vec<RoadCell>,
    /// Per (region, period): the scenario's speed, km/h.
    pub new_speed: Vec<f64>,
    /// Per period: vehicles entering DKI that the scenario avoids.
    pub cordon_avoided: [f64; 2],
}

/// What stays the same for every scenario and replicate of a run.
#[derive(Debug, Clone)]
pub struct RoadContext {
    pub n: usize,
    pub nm: usize,
    pub assignment: Assignment,
    /// Per mode: its vehicle class index, if it drives on roads.
    pub mode_class: Vec<Option<usize>>,
    pub distance_km: Vec<f64>,
    pub is_dki: Vec<bool>,
    /// Per mode: its transit load class (0 rail, 1 bus and minibus) if a transit cap may
    /// name it, and whether a cap without `modes` caps it.
    pub transit_class: Vec<Option<usize>>,
    pub capped_by_default: Vec<bool>,
    /// Per region: share of residents, share of jobs (of the study area).
    pub resident_share: Vec<f64>,
    pub job_share: Vec<f64>,
    /// Study-area residents per resident of the fuel area.
    pub fuel_area_scale: f64,
}

impl RoadContext {
    pub fn new(ds: &Dataset) -> RoadContext {
        let n = ds.n_regions();
        let centres: Vec<(f64, f64)> = ds.inputs.regions.iter().map(|r| (r.lat, r.lon)).collect();
        let is_dki: Vec<bool> = ds.regions.iter().map(|r| r.is_dki).collect();
        // Residents as the derived tables were built (a sweep may have fixed a population
        // row since: the structure's weights carry that), beside the jobs below.
        let p = &ds.inputs;
        let pop: Vec<f64> = p
            .regions
            .iter()
            .map(|r| p.built_central(&r.population))
            .collect();
        let total: f64 = pop.iter().sum();
        let fuel_area: f64 = pop
            .iter()
            .zip(&ds.inputs.roads.in_fuel_area)
            .filter(|(_, f)| **f)
            .map(|(p, _)| p)
            .sum();
        let jobs: f64 = ds.jobs_by_work.iter().sum();
        RoadContext {
            n,
            nm: ds.modes.len(),
            assignment: super::assign::assign(&centres, &is_dki),
            mode_class: ds
                .modes
                .iter()
                .map(|m| m.vehicle.map(|v| v.index()))
                .collect(),
            distance_km: ds.distance_km.clone(),
            is_dki,
            transit_class: ds
                .modes
                .iter()
                .map(|m| {
                    crate::scenario::is_transit(m)
                        .then_some(usize::from(m.kind != crate::data::ModeKind::Rail))
                })
                .collect(),
            capped_by_default: ds
                .modes
                .iter()
                .map(crate::scenario::capped_by_default)
                .collect(),
            resident_share: pop.iter().map(|p| p / total).collect(),
            job_share: ds.jobs_by_work.iter().map(|j| j / jobs).collect(),
            fuel_area_scale: if fuel_area > 0.0 {
                total / fuel_area
            } else {
                f64::NAN
            },
        }
    }

    /// Index of (region, class, period) in a day's block of rows.
    pub fn row(&self, r: usize, k: usize, p: usize) -> usize {
        (r * NK + k) * 2 + p
    }

    pub fn rows_per_day(&self) -> usize {
        self.n * NK * 2
    }
}

/// Numbers a replicate's [`RoadSums`] keeps per working day, for the memory estimate.
pub fn estimate_f64s_per_day(n_regions: usize) -> f64 {
    // Cells × fields, speeds per (region, period), cordon per period.
    (n_regions * NK * 2 * RoadCell::F64S + n_regions * 2 + 2) as f64
}

/// One replicate's road results.
#[derive(Debug, Clone)]
pub struct RoadSums {
    /// Per (region, class, period): baseline vehicle-km per working day.
    pub baseline_vkm: Vec<f64>,
    /// Per (region, class, period): the baseline commuters' part of it.
    pub commuter_vkm: Vec<f64>,
    /// Per (region, class, period) × pollutant: the baseline's kg per working day (the
    /// speed curves at the baseline speeds, whichever emission model the scenario uses).
    pub baseline_kg: Vec<f64>,
    /// The replicate's draw (counts, σ, inventory).
    pub draw: RoadDraw,
    /// Baseline speed per period, km/h.
    pub speed: [f64; 2],
    /// Per working day of the plan; a day with nobody at home and no measure, the same
    /// every time, kept once ([`Days`]).
    pub days: Days<RoadDay>,
    /// Classes whose non-commute remainder came out negative and was set to zero.
    pub remainder_clamped: u32,
    /// Emission-curve evaluations clamped to their valid speed range.
    pub speed_clamped: u32,
}

impl RoadSums {
    /// The cell of working day `day` at row `row` ([`RoadContext::row`]).
    pub fn cell(&self, day: usize, row: usize) -> &RoadCell {
        &self.days.get(day).cells[row]
    }

    /// Working day `day`.
    pub fn day(&self, day: usize) -> &RoadDay {
        self.days.get(day)
    }
}

/// One replicate's inputs to the road step, besides the run's [`RoadContext`].
#[derive(Debug, Clone, Copy)]
pub struct ReplicateInputs<'a> {
    pub inputs: &'a RoadInputs,
    pub draw: &'a RoadDraw,
    /// Baseline grams per km per (class, period, pollutant).
    pub grams: &'a [[[f64; NP]; 2]; NK],
    /// Whether emissions depend on speed (the speed emission model).
    pub speed_model: bool,
    pub coef: &'a Coefficients,
    /// The scenario's measures, per working day.
    pub measures: &'a super::measures::MeasurePlan,
}

/// The engine's output of one replicate, in the synthetic population's units.
#[derive(Debug, Clone, Copy)]
pub struct EngineCounts<'a> {
    /// Workers at home per (day, cell).
    pub counts: &'a [f64],
    pub days: usize,
    /// Workers per cell.
    pub workers: &'a [f64],
    /// The population's sampling scale: a count over it is a full-population number.
    pub scale: f64,
}

/// Grams per vehicle-km of each class at the commute's mix of periods (the speed
/// model's per-worker factors).
pub fn commute_grams(d: &RoadDraw, grams: &[[[f64; NP]; 2]; NK]) -> [[f64; NP]; NK] {
    let s = d.peak_share_commute;
    std::array::from_fn(|k| {
        std::array::from_fn(|p| s * grams[k][0][p] + (1.0 - s) * grams[k][1][p])
    })
}

/// Runs the road step of one replicate.
pub fn replicate(ctx: &RoadContext, rep: &ReplicateInputs, engine: &EngineCounts) -> RoadSums {
    let commuter = commuter_vkm(ctx, rep, engine);
    let (baseline, remainder_clamped) = all_traffic(ctx, rep, &commuter);
    let step = DayStep::new(ctx, rep, &baseline, &commuter, engine.workers, engine.scale);
    let cells = ctx.n * ctx.n * ctx.nm;
    // One day, independent of every other: parallel over days, each its own block. A day
    // with nobody at home (every count +0.0) and no measure is the same every time: made once.
    let counts = |day: usize| &engine.counts[day * cells..(day + 1) * cells];
    let quiet =
        |day: usize| rep.measures.on(day).is_none() && counts(day).iter().all(|k| k.to_bits() == 0);
    let per_day = Days::par_build(engine.days, quiet, |day| {
        step.day(counts(day), rep.measures.on(day))
    });
    let speed_clamped = per_day.sum_over_days(|(_, clamped)| *clamped);
    let days = per_day.map(|(day, _)| day);
    let speed = step.speed;
    RoadSums {
        baseline_kg: baseline_kg(ctx, &baseline, rep.grams),
        baseline_vkm: baseline,
        commuter_vkm: commuter,
        draw: rep.draw.clone(),
        speed,
        days,
        remainder_clamped,
        speed_clamped,
    }
}

/// A share of the peak period split into (peak, off-peak).
pub(super) fn period_split(peak_share: f64) -> [f64; 2] {
    [peak_share, 1.0 - peak_share]
}

/// Baseline: the commuters' vehicle-km on each region's roads, per (region, class, period).
fn commuter_vkm(ctx: &RoadContext, rep: &ReplicateInputs, engine: &EngineCounts) -> Vec<f64> {
    let nm = ctx.nm;
    let split = period_split(rep.draw.peak_share_commute);
    let mut commuter = vec![0.0; ctx.rows_per_day()];
    for (c, &w) in engine.workers.iter().enumerate().take(ctx.n * ctx.n * nm) {
        let (od, m) = (c / nm, c % nm);
        let Some(k) = ctx.mode_class[m] else { continue };
        let v = w / engine.scale * rep.coef.base[c * N_METRICS + MetricId::VEHICLE_KM.0];
        if v == 0.0 {
            continue;
        }
        for &(r, share) in &ctx.assignment.shares[od] {
            for (p, ps) in split.into_iter().enumerate() {
                commuter[ctx.row(r, k, p)] += v * share * ps;
            }
        }
    }
    commuter
}

/// All traffic per class over the study area, vehicle-km per working day: the gasoline
/// burnt in the fuel area over the class's own fuel per km at the modelled speeds (one
/// economy for vehicle-km and grams), scaled to the study area's residents; heavy
/// vehicles in proportion to cars.
fn class_totals(ctx: &RoadContext, inputs: &RoadInputs, d: &RoadDraw) -> [f64; NK] {
    let v = d.speeds();
    let s = period_split(d.peak_share_other);
    let km = |class: VehicleClass, litres: f64| {
        let grams_per_km: f64 = (0..2)
            .map(|p| s[p] * d.fuel_per_km(inputs, class, v[p]))
            .sum();
        litres * d.petrol_density * 1000.0 / grams_per_km * ctx.fuel_area_scale
    };
    let moto = km(VehicleClass::Motorcycle, d.fuel_l_per_day[0]);
    let car = km(VehicleClass::Car, d.fuel_l_per_day[1]);
    let heavy = car * d.heavy_per_car_vkm;
    let mut total = [0.0; NK];
    total[VehicleClass::Motorcycle.index()] = moto;
    total[VehicleClass::Car.index()] = car;
    total[VehicleClass::Bus.index()] = heavy * d.bus_share_of_heavy;
    total[VehicleClass::Truck.index()] = heavy * (1.0 - d.bus_share_of_heavy);
    total
}

/// The all-traffic baseline per (region, class, period): the commuters' vehicle-km plus
/// each class's remainder spread over residents and jobs; and how many classes'
/// remainders came out negative and were set to zero.
fn all_traffic(ctx: &RoadContext, rep: &ReplicateInputs, commuter: &[f64]) -> (Vec<f64>, u32) {
    let d = rep.draw;
    let total = class_totals(ctx, rep.inputs, d);
    let w = d.remainder_jobs_weight;
    let mut baseline = commuter.to_vec();
    let mut remainder_clamped = 0;
    for (k, total_k) in total.into_iter().enumerate() {
        let c_k: f64 = (0..ctx.n)
            .flat_map(|r| [commuter[ctx.row(r, k, 0)], commuter[ctx.row(r, k, 1)]])
            .sum();
        let mut rem = total_k - c_k;
        if rem < 0.0 {
            rem = 0.0;
            remainder_clamped += 1;
        }
        for r in 0..ctx.n {
            let weight = (1.0 - w) * ctx.resident_share[r] + w * ctx.job_share[r];
            for (p, ps) in period_split(d.peak_share_other).into_iter().enumerate() {
                baseline[ctx.row(r, k, p)] += rem * weight * ps;
            }
        }
    }
    (baseline, remainder_clamped)
}

/// The baseline's kg per working day per (region, class, period) × pollutant.
fn baseline_kg(ctx: &RoadContext, baseline: &[f64], grams: &[[[f64; NP]; 2]; NK]) -> Vec<f64> {
    debug_assert_eq!(POLLUTANTS.len(), NP);
    let mut baseline_kg = vec![0.0; ctx.rows_per_day() * NP];
    for r in 0..ctx.n {
        for (k, grams_k) in grams.iter().enumerate() {
            for (p, grams_kp) in grams_k.iter().enumerate() {
                let i = ctx.row(r, k, p);
                for (q, g) in grams_kp.iter().enumerate() {
                    baseline_kg[i * NP + q] = baseline[i] * g / 1000.0;
                }
            }
        }
    }
    baseline_kg
}
