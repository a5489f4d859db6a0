//! Speed-dependent hot-exhaust emission factors of a vehicle class (EMEP/EEA Guidebook,
//! COPERT method): the fleet's mix of an older and a newer Euro class, each a curve of
//! speed; CO2 and SO2 from the fuel burnt, the fuel curve scaled to the local fleet. A
//! speed outside the curves' valid range is clamped to it and counted, so the manifest can
//! say how often that happened. The totals (`pm25_total`, `pm10_total`) add the class's
//! non-exhaust PM per km, which does not depend on speed (EMEP/EEA Tier 1).

use crate::data::inputs::roads::{ClassCurves, EuroCurves};
use crate::data::{POLLUTANTS, WEAR_SIZES, total_of};

pub const NP: usize = POLLUTANTS.len();

/// How a speed compared with a curve's valid range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    Inside,
    Below,
    Above,
}

/// The drawn inputs of a class's grams per km besides its curves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassDraw {
    /// The fleet's share of the newer Euro class.
    pub newer_share: f64,
    /// Sulphur in the fuel, ppm by mass.
    pub sulphur_ppm: f64,
    /// kg CO2 per kg fuel.
    pub co2_per_fuel: f64,
    /// The fuel curve's scale for the local fleet (one economy for vehicle-km and grams).
    pub fuel_factor: f64,
    /// Non-exhaust PM, g/km, per size of [`WEAR_SIZES`] (tyre + brake + road).
    pub wear: [f64; WEAR_SIZES.len()],
}

/// Where speed `v` lies against a class's curves' valid range.
fn clamp_of(c: &ClassCurves, v: f64) -> Clamp {
    if v < c.v_min {
        Clamp::Below
    } else if v > c.v_max {
        Clamp::Above
    } else {
        Clamp::Inside
    }
}

/// Grams of fuel per km at speed `v` (clamped to the curves' range) for a fleet with
/// `newer_share` of the newer Euro class, the curve scaled by `fuel_factor`.
pub fn fuel_per_km(c: &ClassCurves, newer_share: f64, fuel_factor: f64, v: f64) -> f64 {
    let v = v.clamp(c.v_min, c.v_max);
    let mix = (1.0 - newer_share) * c.older.fuel.at(v) + newer_share * c.newer.fuel.at(v);
    fuel_factor * mix.max(0.0)
}

/// Grams per km of each pollutant of [`POLLUTANTS`] at speed `v` (km/h) for a fleet with
/// the class's draw `d`: exhaust from the curves, and for each total its exhaust plus the
/// non-exhaust PM of its size.
pub fn grams_per_km(c: &ClassCurves, d: &ClassDraw, v: f64) -> ([f64; NP], Clamp) {
    let (mut out, clamp) = exhaust_per_km(c, d, v);
    for (p, g) in out.iter_mut().enumerate() {
        if let Some((_, size)) = total_of(p) {
            *g += d.wear[size];
        }
    }
    (out, clamp)
}

/// Hot-exhaust grams per km of each pollutant (a total: its exhaust pollutant's) at speed
/// `v` for a fleet with the draw's share of the newer Euro class, burning fuel with its
/// sulphur; the fuel curve scaled by its factor (so CO2 and SO2 follow the local economy).
fn exhaust_per_km(c: &ClassCurves, d: &ClassDraw, v: f64) -> ([f64; NP], Clamp) {
    let clamp = clamp_of(c, v);
    let v = v.clamp(c.v_min, c.v_max);
    let one = |e: &EuroCurves| {
        let fuel = d.fuel_factor * e.fuel.at(v);
        POLLUTANTS.map(|p| match p {
            "co2" => d.co2_per_fuel * fuel,
            "pm25" | "pm10" | "pm25_total" | "pm10_total" => e.pm.at(v),
            "nox" => e.nox.at(v),
            "co" => e.co.at(v),
            "hc" => e.hc.at(v),
            "so2" => 2.0 * d.sulphur_ppm * 1e-6 * fuel,
            _ => f64::NAN,
        })
    };
    let (old, new) = (one(&c.older), one(&c.newer));
    let mut out = [0.0; NP];
    for p in 0..NP {
        // A curve fitted to measurements can dip below zero at the edge of its range: an
        // emission never does.
        out[p] = ((1.0 - d.newer_share) * old[p] + d.newer_share * new[p]).max(0.0);
    }
    (out, clamp)
}
