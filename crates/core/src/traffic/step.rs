//! The road layer's step after the engine, for one replicate: the all-traffic baseline
//! per (region, vehicle class, period); the commuters' gross and rebound vehicle-km and
//! emissions put on the roads they are driven on; per (day, region, period) the change
//! in passenger-car units, the new speed from the BPR curve, and what the remaining
//! traffic saves at that speed (the congestion component: vehicle-hours always, grams
//! under the speed emission model). Linear accounting stays per worker; only this
//! feedback is non-linear, and it is per (day, region, period), never per agent.

use rayon::prelude::*;

use super::assign::Assignment;
use super::draw::{NK, RoadDraw};
use super::emission::{Clamp, NP};
use crate::data::inputs::roads::RoadInputs;
use crate::data::{Dataset, POLLUTANTS, VehicleClass};
use crate::results::Coefficients;
use crate::results::schema::{MetricId, N_METRICS, N_SLOTS, slot};

/// Fields of a (day, region, class, period) row of [`RoadSums::rows`].
pub mod field {
    use super::NP;
    pub const GROSS_VKM: usize = 0;
    pub const REBOUND_VKM: usize = 1;
    pub const GROSS_VH: usize = 2;
    pub const REBOUND_VH: usize = 3;
    /// Vehicle-hours the remaining traffic saves.
    pub const CONGESTION_VH: usize = 4;
    pub const GROSS_KG: usize = 5;
    pub const REBOUND_KG: usize = GROSS_KG + NP;
    pub const CONGESTION_KG: usize = REBOUND_KG + NP;
    pub const N: usize = CONGESTION_KG + NP;
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
    // Rows × fields, speeds per (region, period), cordon per period.
    (n_regions * NK * 2 * field::N + n_regions * 2 + 2) as f64
}

/// One day of a replicate: its rows, speeds per (region, period), cordon entries avoided
/// per period, and the emission-curve evaluations clamped.
type DayRoads = (Vec<f64>, Vec<f64>, [f64; 2], u32);

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
    /// Per (day, region, period): the scenario's speed, km/h.
    pub new_speed: Vec<f64>,
    /// `rows[(day * rows_per_day + row) * field::N + f]`.
    pub rows: Vec<f64>,
    /// Per (day, period): vehicles entering DKI that the scenario avoids.
    pub cordon_avoided: Vec<f64>,
    /// Classes whose non-commute remainder came out negative and was set to zero.
    pub remainder_clamped: u32,
    /// Emission-curve evaluations clamped to their valid speed range.
    pub speed_clamped: u32,
}

/// Grams per vehicle-km of each class at the commute's mix of periods (the speed
/// model's per-worker factors).
pub fn commute_grams(d: &RoadDraw, grams: &[[[f64; NP]; 2]; NK]) -> [[f64; NP]; NK] {
    let s = d.peak_share_commute;
    std::array::from_fn(|k| {
        std::array::from_fn(|p| s * grams[k][0][p] + (1.0 - s) * grams[k][1][p])
    })
}

/// Runs the road step of one replicate. `counts` are the engine's workers at home per
/// (day, cell), `workers` the population per cell, `grams` the baseline grams per km per
/// class and period, `speed_model` whether emissions depend on speed.
#[allow(clippy::too_many_arguments)]
pub fn replicate(
    ctx: &RoadContext,
    inputs: &RoadInputs,
    d: &RoadDraw,
    grams: &[[[f64; NP]; 2]; NK],
    speed_model: bool,
    counts: &[f64],
    days: usize,
    coef: &Coefficients,
    workers: &[f64],
    scale: f64,
) -> RoadSums {
    let (n, nm) = (ctx.n, ctx.nm);
    let cells = n * n * nm;
    let rpd = ctx.rows_per_day();
    let vkm = |v: &[f64], c: usize, w: usize| v[c * w + MetricId::VEHICLE_KM.0];
    let sc = d.peak_share_commute;
    let split = |s: f64| [s, 1.0 - s];

    // Baseline: commuters' vehicle-km on each region's roads.
    let mut commuter = vec![0.0; rpd];
    for (c, &w) in workers.iter().enumerate().take(cells) {
        let (od, m) = (c / nm, c % nm);
        let Some(k) = ctx.mode_class[m] else { continue };
        let v = w / scale * vkm(&coef.base, c, N_METRICS);
        if v == 0.0 {
            continue;
        }
        for &(r, share) in &ctx.assignment.shares[od] {
            for (p, ps) in split(sc).into_iter().enumerate() {
                commuter[ctx.row(r, k, p)] += v * share * ps;
            }
        }
    }
    // All traffic per class over the study area, from fuel sold in the fuel area.
    let moto = d.fuel_l_per_day[0] * d.km_per_l[0] * ctx.fuel_area_scale;
    let car = d.fuel_l_per_day[1] * d.km_per_l[1] * ctx.fuel_area_scale;
    let heavy = car * d.heavy_per_car_vkm;
    let mut total = [0.0; NK];
    total[VehicleClass::Motorcycle.index()] = moto;
    total[VehicleClass::Car.index()] = car;
    total[VehicleClass::Bus.index()] = heavy * d.bus_share_of_heavy;
    total[VehicleClass::Truck.index()] = heavy * (1.0 - d.bus_share_of_heavy);
    let w = d.remainder_jobs_weight;
    let mut baseline = commuter.clone();
    let mut remainder_clamped = 0;
    for k in 0..NK {
        let c_k: f64 = (0..n)
            .flat_map(|r| [commuter[ctx.row(r, k, 0)], commuter[ctx.row(r, k, 1)]])
            .sum();
        let mut rem = total[k] - c_k;
        if rem < 0.0 {
            rem = 0.0;
            remainder_clamped += 1;
        }
        for r in 0..n {
            let weight = (1.0 - w) * ctx.resident_share[r] + w * ctx.job_share[r];
            for (p, ps) in split(d.peak_share_other).into_iter().enumerate() {
                baseline[ctx.row(r, k, p)] += rem * weight * ps;
            }
        }
    }

    // How a cell's gross grams split over the periods: by vehicle-km × the period's factor
    // (under the fixed model the factor is the same in both periods).
    let kg_split: [[[f64; 2]; NP]; NK] = std::array::from_fn(|k| {
        std::array::from_fn(|q| {
            let (a, b) = if speed_model {
                (sc * grams[k][0][q], (1.0 - sc) * grams[k][1][q])
            } else {
                (sc, 1.0 - sc)
            };
            if a + b > 0.0 {
                [a / (a + b), b / (a + b)]
            } else {
                [sc, 1.0 - sc]
            }
        })
    });
    let speed = d.speeds();
    let x0 = speed.map(|v| d.bpr.calibrate(v));
    let se = d.peak_share_errand;
    let gross_kg = |c: usize, p: usize| coef.wfh[c * N_SLOTS + slot(MetricId::pollutant(p), false)];
    let rebound_kg = |c: usize, p: usize| {
        let v = coef.wfh[c * N_SLOTS + slot(MetricId::pollutant(p), true)];
        if MetricId::pollutant(p) == MetricId::CO2 {
            v - coef.electricity_co2_kg
        } else {
            v
        }
    };
    let inv = 1.0 / scale;
    // One day, independent of every other: parallel over days, each writing its block.
    let per_day: Vec<DayRoads> = (0..days)
        .into_par_iter()
        .map(|day| {
            let cnt = &counts[day * cells..(day + 1) * cells];
            // Per (pair, class): gross vkm and kg; per (home, class): rebound vkm and kg.
            let width = 1 + NP;
            let mut x = vec![0.0; n * n * NK * width];
            let mut y = vec![0.0; n * NK * width];
            let mut cordon = 0.0;
            for (c, &kc) in cnt.iter().enumerate() {
                if kc == 0.0 {
                    continue;
                }
                let (od, m) = (c / nm, c % nm);
                let Some(k) = ctx.mode_class[m] else { continue };
                let f = kc * inv;
                let g = f * coef.wfh[c * N_SLOTS + slot(MetricId::VEHICLE_KM, false)];
                let xo = (od * NK + k) * width;
                x[xo] += g;
                let h = od / n;
                let yo = (h * NK + k) * width;
                y[yo] += f * coef.wfh[c * N_SLOTS + slot(MetricId::VEHICLE_KM, true)];
                for p in 0..NP {
                    x[xo + 1 + p] += f * gross_kg(c, p);
                    y[yo + 1 + p] += f * rebound_kg(c, p);
                }
                if ctx.distance_km[od] > 0.0 {
                    cordon += g / ctx.distance_km[od] * ctx.assignment.dki_entries_per_trip[od];
                }
            }
            let mut rows = vec![0.0; rpd * field::N];
            for od in 0..n * n {
                for (k, split_k) in kg_split.iter().enumerate() {
                    let xo = (od * NK + k) * width;
                    if x[xo] == 0.0 && x[xo + 1..xo + width].iter().all(|v| *v == 0.0) {
                        continue;
                    }
                    for &(r, share) in &ctx.assignment.shares[od] {
                        for (p, ps) in split(sc).into_iter().enumerate() {
                            let o = ctx.row(r, k, p) * field::N;
                            let a = share * ps;
                            rows[o + field::GROSS_VKM] += a * x[xo];
                            for q in 0..NP {
                                rows[o + field::GROSS_KG + q] +=
                                    share * split_k[q][p] * x[xo + 1 + q];
                            }
                        }
                    }
                }
            }
            for h in 0..n {
                for k in 0..NK {
                    let yo = (h * NK + k) * width;
                    for (p, ps) in split(se).into_iter().enumerate() {
                        let o = ctx.row(h, k, p) * field::N;
                        rows[o + field::REBOUND_VKM] += ps * y[yo];
                        for q in 0..NP {
                            rows[o + field::REBOUND_KG + q] += ps * y[yo + 1 + q];
                        }
                    }
                }
            }
            // Congestion feedback per (region, period).
            let mut new_speed = vec![0.0; n * 2];
            let mut clamped = 0;
            for r in 0..n {
                for p in 0..2 {
                    let (mut base_pcu, mut delta_pcu) = (0.0, 0.0);
                    for k in 0..NK {
                        let i = ctx.row(r, k, p);
                        let o = i * field::N;
                        base_pcu += d.pcu[k] * baseline[i];
                        delta_pcu +=
                            d.pcu[k] * (rows[o + field::GROSS_VKM] - rows[o + field::REBOUND_VKM]);
                    }
                    let ratio = if base_pcu > 0.0 {
                        (1.0 - delta_pcu / base_pcu).max(0.0)
                    } else {
                        1.0
                    };
                    let v0 = speed[p];
                    // No change in volume (or free flow): exactly the baseline speed.
                    let v1 = if x0[p] > 0.0 && delta_pcu != 0.0 {
                        d.bpr.speed(x0[p] * ratio)
                    } else {
                        v0
                    };
                    new_speed[r * 2 + p] = v1;
                    for (k, grams_k) in grams.iter().enumerate() {
                        let i = ctx.row(r, k, p);
                        let o = i * field::N;
                        let (gv, rv) = (rows[o + field::GROSS_VKM], rows[o + field::REBOUND_VKM]);
                        rows[o + field::GROSS_VH] = gv / v0;
                        rows[o + field::REBOUND_VH] = rv / v0;
                        let remaining = (baseline[i] - gv + rv).max(0.0);
                        rows[o + field::CONGESTION_VH] = remaining * (1.0 / v0 - 1.0 / v1);
                        if speed_model && v1 != v0 {
                            let (g1, c) = d.grams_per_km(inputs, VehicleClass::ALL[k], v1);
                            clamped += u32::from(c != Clamp::Inside);
                            for q in 0..NP {
                                rows[o + field::CONGESTION_KG + q] =
                                    remaining * (grams_k[p][q] - g1[q]) / 1000.0;
                            }
                        }
                    }
                }
            }
            let cordon_p = [cordon * sc, cordon * (1.0 - sc)];
            (rows, new_speed, cordon_p, clamped)
        })
        .collect();
    let mut rows = Vec::with_capacity(days * rpd * field::N);
    let mut new_speed = Vec::with_capacity(days * n * 2);
    let mut cordon_avoided = Vec::with_capacity(days * 2);
    let mut speed_clamped = 0;
    for (r, s, c, k) in per_day {
        rows.extend(r);
        new_speed.extend(s);
        cordon_avoided.extend(c);
        speed_clamped += k;
    }
    debug_assert_eq!(POLLUTANTS.len(), NP);
    let mut baseline_kg = vec![0.0; rpd * NP];
    for r in 0..n {
        for (k, grams_k) in grams.iter().enumerate() {
            for (p, grams_kp) in grams_k.iter().enumerate() {
                let i = ctx.row(r, k, p);
                for (q, g) in grams_kp.iter().enumerate() {
                    baseline_kg[i * NP + q] = baseline[i] * g / 1000.0;
                }
            }
        }
    }
    RoadSums {
        baseline_vkm: baseline,
        commuter_vkm: commuter,
        baseline_kg,
        draw: d.clone(),
        speed,
        new_speed,
        rows,
        cordon_avoided,
        remainder_clamped,
        speed_clamped,
    }
}
