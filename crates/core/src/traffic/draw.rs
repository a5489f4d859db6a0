//! The road layer's inputs of one replicate: every uncertain number drawn (triangular,
//! keyed by its provenance key, so every scenario sees the same draw), the baseline
//! speeds per period and their response to traffic.

use super::congestion::Response;
use super::emission::{self, Clamp, NP};
use crate::data::inputs::roads::RoadInputs;
use crate::data::{DataError, Uncertain, VehicleClass};
use crate::rng::triangular;

/// The day's two periods: the peaks 06–10 and 16–20, and the rest.
pub const PERIODS: [&str; 2] = ["peak", "offpeak"];
pub const PEAK: usize = 0;
pub const NK: usize = VehicleClass::ALL.len();

#[derive(Debug, Clone)]
pub struct RoadDraw {
    /// Gasoline burnt in the fuel area per day: motorcycles, cars (L).
    pub fuel_l_per_day: [f64; 2],
    /// Kg per litre of gasoline.
    pub petrol_density: f64,
    pub heavy_per_car_vkm: f64,
    pub bus_share_of_heavy: f64,
    pub remainder_jobs_weight: f64,
    /// Peak shares of vehicle-km: non-commute traffic, commutes, errands.
    pub peak_share_other: f64,
    pub peak_share_commute: f64,
    pub peak_share_errand: f64,
    pub speed_peak: f64,
    pub speed_offpeak: f64,
    /// Free-flow speed, km/h: the ceiling of every speed.
    pub v_free: f64,
    /// Per period: elasticity of speed to volume.
    pub speed_elasticity: [f64; 2],
    /// Elasticity of the remaining traffic to its travel time per km.
    pub induced_elasticity: f64,
    pub pcu: [f64; NK],
    pub counted_dki: f64,
    pub cordon_entries: f64,
    pub sigma_site: f64,
    pub sigma_city: f64,
    /// Lag-1 autocorrelation of a daily count's noise.
    pub ar1: f64,
    /// Per pollutant: DKI's transport inventory, kg per day (tonnes per year / 365 × 1000).
    pub inventory_kg_per_day: [f64; NP],
    /// Per class: the fleet's Euro mix, fuel sulphur, CO2 per fuel, the fuel curve's scale
    /// for the local fleet (one economy for vehicle-km and grams) and non-exhaust PM.
    pub class: [emission::ClassDraw; NK],
    /// Per purpose and period: its share of the period's motorcycle and car vehicle-km.
    pub purpose_share: [[f64; 2]; crate::scenario::N_PURPOSES],
    pub odd_even: OddEvenDraw,
    pub transit: TransitDraw,
}

/// One replicate's odd-even inputs: of a covered region's peak car vehicle-km, the share
/// barred on a day (covered × barred), and the shares of the barred trips that ride
/// transit, ride a motorcycle instead, or retime to the other period (the other responses
/// leave the region's car traffic as it is).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OddEvenDraw {
    pub barred: f64,
    pub transit: f64,
    pub motorcycle: f64,
    pub retime: f64,
}

/// One replicate's transit-cap inputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransitDraw {
    /// Riders over normal capacity in the peaks: rail, bus.
    pub peak_load: [f64; 2],
    /// Of the commuters a cap leaves off, the share who drive; of those, on a motorcycle.
    pub drive: f64,
    pub motorcycle: f64,
}

impl RoadDraw {
    pub fn new(
        inputs: &RoadInputs,
        seed: u64,
        rep: u32,
        central_only: bool,
    ) -> Result<RoadDraw, DataError> {
        let g = |u: &Uncertain| triangular(u.range(), &u.key, seed, rep, central_only);
        let d = RoadDraw {
            fuel_l_per_day: inputs.fuel_l_per_day.each_ref().map(g),
            petrol_density: g(&inputs.petrol_density),
            heavy_per_car_vkm: g(&inputs.heavy_per_car_vkm),
            bus_share_of_heavy: g(&inputs.bus_share_of_heavy),
            remainder_jobs_weight: g(&inputs.remainder_jobs_weight),
            peak_share_other: g(&inputs.peak_share_other),
            peak_share_commute: g(&inputs.peak_share_commute),
            peak_share_errand: g(&inputs.peak_share_errand),
            speed_peak: g(&inputs.speed_peak),
            speed_offpeak: g(&inputs.speed_offpeak),
            v_free: g(&inputs.speed_free_flow),
            speed_elasticity: inputs.speed_elasticity.each_ref().map(g),
            induced_elasticity: g(&inputs.induced_elasticity),
            pcu: inputs.pcu.0.each_ref().map(g),
            counted_dki: g(&inputs.counted_dki),
            cordon_entries: g(&inputs.cordon_entries),
            sigma_site: g(&inputs.sigma_site),
            sigma_city: g(&inputs.sigma_city),
            ar1: g(&inputs.ar1),
            inventory_kg_per_day: std::array::from_fn(|p| {
                g(&inputs.inventory_t_per_year[p]) * 1000.0 / 365.0
            }),
            class: inputs.curves.0.each_ref().map(|c| emission::ClassDraw {
                newer_share: g(&c.newer_share),
                sulphur_ppm: g(&c.sulphur_ppm),
                co2_per_fuel: g(&c.co2_per_fuel),
                fuel_factor: g(&c.fuel_factor),
                wear: inputs.non_exhaust.per_km(c.class, g),
            }),
            purpose_share: inputs.purpose_share.each_ref().map(|s| s.each_ref().map(g)),
            odd_even: OddEvenDraw {
                barred: g(&inputs.odd_even.covered) * g(&inputs.odd_even.barred),
                transit: g(inputs.odd_even.response("transit")),
                motorcycle: g(inputs.odd_even.response("motorcycle")),
                retime: g(inputs.odd_even.response("retime")),
            },
            transit: TransitDraw {
                peak_load: inputs.transit.peak_load.each_ref().map(g),
                drive: g(&inputs.transit.drive),
                motorcycle: g(&inputs.transit.motorcycle),
            },
        };
        if !(d.speed_peak > 0.0 && d.speed_peak <= d.speed_offpeak) {
            return Err(DataError::Inconsistent(format!(
                "speed.peak_kmh ({}) must be above 0 and at most speed.offpeak_kmh ({}) in every draw of their ranges",
                d.speed_peak, d.speed_offpeak
            )));
        }
        Ok(d)
    }

    /// Baseline speeds (km/h) per period, at most the free-flow speed.
    pub fn speeds(&self) -> [f64; 2] {
        [
            self.speed_peak.min(self.v_free),
            self.speed_offpeak.min(self.v_free),
        ]
    }

    /// How period `p`'s speed responds to its traffic.
    pub fn response(&self, p: usize) -> Response {
        Response {
            elasticity: self.speed_elasticity[p],
            induced: self.induced_elasticity,
            v_free: self.v_free,
        }
    }

    /// Grams of fuel per km of a class at speed `v` (the curves' fleet mix, scaled).
    pub fn fuel_per_km(&self, inputs: &RoadInputs, class: VehicleClass, v: f64) -> f64 {
        let d = &self.class[class.index()];
        emission::fuel_per_km(inputs.curves.get(class), d.newer_share, d.fuel_factor, v)
    }

    /// Grams per km of every class in every period at the baseline speeds, and how many
    /// evaluations were clamped to a curve's speed range.
    pub fn baseline_grams(&self, inputs: &RoadInputs) -> ([[[f64; NP]; 2]; NK], u32) {
        let mut clamped = 0;
        let v = self.speeds();
        let g = std::array::from_fn(|k| {
            std::array::from_fn(|p| {
                let (g, c) = self.grams_per_km(inputs, VehicleClass::ALL[k], v[p]);
                clamped += u32::from(c != Clamp::Inside);
                g
            })
        });
        (g, clamped)
    }

    /// Grams per km of a class at speed `v`.
    pub fn grams_per_km(
        &self,
        inputs: &RoadInputs,
        class: VehicleClass,
        v: f64,
    ) -> ([f64; NP], Clamp) {
        emission::grams_per_km(inputs.curves.get(class), &self.class[class.index()], v)
    }
}
