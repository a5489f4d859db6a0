//! What the road layer reports per scenario, as plain typed values: one row per
//! (working day, region, vehicle class, period) for `traffic.parquet`, the change in
//! DKI's daily count per day, and the detectability of that change. Its summary rows
//! (bases `roads`, `dki_roads`, `dki_roads_peak`, `dki_cordon`, `dki_cordon_peak`) join
//! the scenario's other summary rows.

use super::Band;
use crate::calendar::Date;
use crate::data::POLLUTANTS;

/// One (day, region, class, period) of the traffic table; medians unless a band.
#[derive(Debug, Clone)]
pub struct TrafficRow {
    pub date: Date,
    pub region: usize,
    /// Index into `VehicleClass::ALL`.
    pub class: usize,
    /// Index into `traffic::PERIODS`.
    pub period: usize,
    pub baseline_vkm: f64,
    pub vkm: Band,
    /// Count-equivalent vehicles: vehicle-km × Dishub's weekday count per baseline
    /// vehicle-km on DKI's roads (what a camera network like DKI's would register).
    pub baseline_vehicles: f64,
    pub vehicles: Band,
    pub gross_vkm: f64,
    pub rebound_vkm: f64,
    /// Vehicle-km the faster roads draw in.
    pub induced_vkm: f64,
    pub baseline_speed: f64,
    pub speed: Band,
    /// Vehicle-hours the remaining traffic saves.
    pub congestion_vh: f64,
    /// Vehicle-hours the induced traffic adds.
    pub induced_vh: f64,
    /// Per pollutant: gross, rebound, congestion, induced and net kg avoided.
    pub kg: [[f64; 5]; POLLUTANTS.len()],
}

/// Would a count see it: one comparison of DKI's daily counts.
#[derive(Debug, Clone)]
pub struct Detectability {
    /// `one_day`, `one_week`, `whole_window`.
    pub comparison: &'static str,
    /// Days on each side of the before/after comparison.
    pub days: usize,
    /// Expected fall of the city-wide daily count, percent.
    pub effect_pct: Band,
    /// Minimum detectable effect (80% power), percent: the median, 5th and 95th percentile
    /// over the replicates of each replicate's MDE at its σ and AR(1) ρ.
    pub mde_city_pct: [f64; 3],
    pub mde_site_pct: [f64; 3],
    pub visible_city: bool,
    pub visible_site: bool,
    /// Expected power of the city-wide comparison: the mean over replicates of the
    /// two-sided 5% test's power at that replicate's effect, σ and ρ.
    pub power_city: f64,
}

#[derive(Debug, Clone, Default)]
pub struct RoadResult {
    pub rows: Vec<TrafficRow>,
    /// Per working day of the plan: the fall of DKI's daily count, percent.
    pub dki_daily_pct: Vec<(Date, Band)>,
    pub detect: Vec<Detectability>,
    /// Replicates × classes whose non-commute remainder was negative and set to zero.
    pub remainder_clamped: u32,
    /// Emission-curve evaluations clamped to the curves' speed ranges.
    pub speed_clamped: u64,
    /// The baseline against observations made before the 2023 orders.
    pub calibration: Vec<crate::traffic::calibration::CalibrationRow>,
}
