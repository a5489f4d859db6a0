//! The calibration report: the road layer's baseline against what was observed before the
//! 2023 orders (docs/method.md §6, "Checked against"). Per replicate, from its
//! [`RoadSums`] only: the peak's share of DKI's vehicle-km (Dishub's counts), the
//! distance-weighted all-day speed on DKI's roads and the congestion level it implies
//! (TomTom), the gasoline the baseline burns in the study area — from its CO2, not from
//! the fuel rows that derive its vehicle-km — (Pertamina's sales) and the baseline's
//! yearly tonnes on DKI's roads (DKI's inventory). Then bands over the replicates and
//! whether the median lies inside each target's range. Fixed order, no parallel sums.

use super::draw::{NK, PEAK};
use super::emission::NP;
use super::step::{RoadContext, RoadSums};
use crate::data::inputs::calibration::{CalibrationInputs, Target};
use crate::data::{POLLUTANTS, VehicleClass};
use crate::results::Band;
use crate::results::quantile::quantiles;

/// Days a year: the inventory's tonnes per year against the baseline's working day.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// What the model is compared with a target on, per replicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The peak's (06–10, 16–20) share of the baseline vehicle-km on DKI's roads.
    DkiPeakShare,
    /// Vehicle-km over vehicle-hours on DKI's roads, all day, km/h.
    DkiAllDaySpeed,
    /// Free-flow speed over the all-day speed, minus 1 (TomTom's extra travel time).
    DkiCongestionLevel,
    /// Litres of petrol a day burnt by cars and motorcycles in the study area.
    StudyAreaGasoline,
    /// The baseline's tonnes a year of pollutant `POLLUTANTS[q]` on DKI's roads.
    DkiTonnesPerYear(usize),
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRow {
    /// The target's provenance key (`calibration.dki_peak_share`, `inventory.dki.nox`, …).
    pub key: String,
    pub unit: String,
    pub target: f64,
    pub low: f64,
    pub high: f64,
    pub year: Option<i32>,
    pub source: String,
    /// The model's value over the replicates (p05, p50, p95).
    pub modelled: Band,
    /// Whether the modelled median is inside the target's range (ends included).
    pub inside: bool,
}

/// Whether `value` lies in [`low`, `high`]; a value that is not a number is not inside.
pub fn inside(value: f64, low: f64, high: f64) -> bool {
    value >= low && value <= high
}

fn dki_regions(ctx: &RoadContext) -> impl Iterator<Item = usize> + '_ {
    (0..ctx.n).filter(|&r| ctx.is_dki[r])
}

/// Baseline vehicle-km per working day on DKI's roads in period `p` (all classes).
fn dki_vkm(ctx: &RoadContext, s: &RoadSums, p: usize) -> f64 {
    let mut t = 0.0;
    for r in dki_regions(ctx) {
        for k in 0..NK {
            t += s.baseline_vkm[ctx.row(r, k, p)];
        }
    }
    t
}

/// The baseline's vehicle-km and vehicle-hours per working day on DKI's roads in
/// `periods` (all classes), each period at its baseline speed.
pub fn dki_baseline(ctx: &RoadContext, s: &RoadSums, periods: &[usize]) -> (f64, f64) {
    let vkm: Vec<f64> = periods.iter().map(|&p| dki_vkm(ctx, s, p)).collect();
    let vh: f64 = periods.iter().zip(&vkm).map(|(&p, v)| v / s.speed[p]).sum();
    (vkm.iter().sum(), vh)
}

/// Distance-weighted (harmonic) all-day speed on DKI's roads: vehicle-km over
/// vehicle-hours, each period at its baseline speed.
fn dki_allday_speed(ctx: &RoadContext, s: &RoadSums) -> f64 {
    let (vkm, vh) = dki_baseline(ctx, s, &[0, 1]);
    vkm / vh
}

/// TomTom's congestion level, a fraction: the extra travel time over free flow of traffic
/// that drives `vkm` vehicle-km in `vh` vehicle-hours, free-flow speed `v_free` ÷ (vkm ÷
/// vh) − 1. The one definition: the calibration's baseline level and the summary's
/// `congestion_level` rows are both this.
pub fn congestion_level(v_free: f64, vkm: f64, vh: f64) -> f64 {
    v_free / (vkm / vh) - 1.0
}

/// Litres of petrol a day: the baseline's CO2 of cars and motorcycles over every region
/// and period, over each class's kg CO2 per kg fuel, over the density.
fn study_area_gasoline(ctx: &RoadContext, s: &RoadSums, kg_per_l: f64) -> f64 {
    let co2 = POLLUTANTS
        .iter()
        .position(|p| *p == "co2")
        .expect("co2 is a pollutant");
    let mut kg_fuel = 0.0;
    for r in 0..ctx.n {
        for class in [VehicleClass::Motorcycle, VehicleClass::Car] {
            let k = class.index();
            for p in 0..2 {
                kg_fuel +=
                    s.baseline_kg[ctx.row(r, k, p) * NP + co2] / s.draw.class[k].co2_per_fuel;
            }
        }
    }
    kg_fuel / kg_per_l
}

/// The baseline's tonnes a year of pollutant `q` on DKI's roads (every day a working day).
fn dki_tonnes_per_year(ctx: &RoadContext, s: &RoadSums, q: usize) -> f64 {
    let mut kg = 0.0;
    for r in dki_regions(ctx) {
        for k in 0..NK {
            for p in 0..2 {
                kg += s.baseline_kg[ctx.row(r, k, p) * NP + q];
            }
        }
    }
    kg * DAYS_PER_YEAR / 1000.0
}

/// One replicate's value of a measure; `kg_per_l` is the petrol density.
pub fn modelled(ctx: &RoadContext, s: &RoadSums, m: Measure, kg_per_l: f64) -> f64 {
    match m {
        Measure::DkiPeakShare => {
            let all = dki_vkm(ctx, s, 0) + dki_vkm(ctx, s, 1);
            dki_vkm(ctx, s, PEAK) / all
        }
        Measure::DkiAllDaySpeed => dki_allday_speed(ctx, s),
        Measure::DkiCongestionLevel => {
            let (vkm, vh) = dki_baseline(ctx, s, &[0, 1]);
            congestion_level(s.draw.v_free, vkm, vh)
        }
        Measure::StudyAreaGasoline => study_area_gasoline(ctx, s, kg_per_l),
        Measure::DkiTonnesPerYear(q) => dki_tonnes_per_year(ctx, s, q),
    }
}

/// The targets in report order, each with its measure.
pub fn measures(inputs: &CalibrationInputs) -> Vec<(&Target, Measure)> {
    let mut v = vec![
        (&inputs.dki_peak_share, Measure::DkiPeakShare),
        (&inputs.allday_kmh, Measure::DkiAllDaySpeed),
        (&inputs.congestion_level, Measure::DkiCongestionLevel),
        (&inputs.gasoline_l_per_day, Measure::StudyAreaGasoline),
    ];
    for (name, t) in &inputs.inventory {
        if let Some(q) = POLLUTANTS.iter().position(|p| p == name) {
            v.push((t, Measure::DkiTonnesPerYear(q)));
        }
    }
    v
}

/// The report over a scenario's replicates (none without replicates).
pub fn report(
    ctx: &RoadContext,
    reps: &[RoadSums],
    inputs: &CalibrationInputs,
) -> Vec<CalibrationRow> {
    if reps.is_empty() {
        return Vec::new();
    }
    measures(inputs)
        .into_iter()
        .map(|(t, m)| {
            let mut v: Vec<f64> = reps
                .iter()
                .map(|s| modelled(ctx, s, m, s.draw.petrol_density))
                .collect();
            let modelled = quantiles(&mut v);
            CalibrationRow {
                key: t.key.clone(),
                unit: t.unit.clone(),
                target: t.value,
                low: t.low,
                high: t.high,
                year: t.year,
                source: t.source.clone(),
                inside: inside(modelled.median(), t.low, t.high),
                modelled,
            }
        })
        .collect()
}
