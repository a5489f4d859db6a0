//! What the roads-and-air layer is checked against before the 2023 orders: each target's
//! value, range and source, read once at load from `parameters/calibration.csv` (Dishub's
//! peak share, TomTom's all-day speed and congestion level, Pertamina's gasoline sales,
//! and from the inventory rows of `parameters/traffic.csv` (`inventory.dki.*`); the
//! petrol density that turns kg of fuel into litres is each replicate's draw of
//! `fuel.density.petrol`, the one the vehicle-km were derived with. Nothing here is drawn: the targets are
//! observations, and the model's values are compared with them by
//! `crate::traffic::calibration`.

use super::reader::Reader;

const CALIBRATION: &str = "parameters/calibration.csv";
const TRAFFIC: &str = "parameters/traffic.csv";

/// One observation the model is checked against: its row's key, value, range (low to
/// high: what counts as inside), unit, year and source.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub key: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub unit: String,
    pub year: Option<i32>,
    pub source: String,
}

/// The targets.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationInputs {
    /// Dishub's share of counted passages in 06–10 and 16–20 (July 2023).
    pub dki_peak_share: Target,
    /// TomTom 2022: all-day speed (km/h) and congestion level (share).
    pub allday_kmh: Target,
    pub congestion_level: Target,
    /// Pertamina MOR III's gasoline sales, L/day (Jan–Feb 2020).
    pub gasoline_l_per_day: Target,
    /// DKI's transport inventory, t/yr, per pollutant name (`nox`, `co`, `pm25`, `pm10`).
    pub inventory: Vec<(&'static str, Target)>,
}

/// The inventory pollutants the baseline is compared with (exhaust on DKI's roads).
pub const INVENTORY_POLLUTANTS: [&str; 4] = ["nox", "co", "pm25", "pm10"];

fn target(r: &mut Reader, file: &str, what: &str, key: &str) -> Target {
    match r.row(file, what, key.to_string()) {
        Some(p) => {
            let (low, value, high) = p.range();
            Target {
                key: key.to_string(),
                value,
                low,
                high,
                unit: p.unit.clone(),
                year: p.year,
                source: p.source.clone(),
            }
        }
        None => Target {
            key: key.to_string(),
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            unit: String::new(),
            year: None,
            source: String::new(),
        },
    }
}

/// Reads the calibration targets; a missing row is remembered by the reader.
pub(super) fn read(r: &mut Reader) -> CalibrationInputs {
    let what = "the calibration report checks the baseline against observations made before the 2023 orders";
    let inventory = INVENTORY_POLLUTANTS
        .map(|p| (p, target(r, TRAFFIC, what, &format!("inventory.dki.{p}"))))
        .to_vec();
    CalibrationInputs {
        dki_peak_share: target(r, CALIBRATION, what, "calibration.dki_peak_share"),
        allday_kmh: target(r, CALIBRATION, what, "calibration.tomtom_allday_kmh"),
        congestion_level: target(r, CALIBRATION, what, "calibration.tomtom_congestion_level"),
        gasoline_l_per_day: target(r, CALIBRATION, what, "calibration.mor3_gasoline_l_per_day"),
        inventory,
    }
}
