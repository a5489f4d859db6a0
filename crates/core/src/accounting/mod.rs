//! Emission and travel accounting per worker-day.
//!
//! Everything the simulation reports is linear in the number of workers at home per
//! (day, home region, work region, mode): one WFH day of a worker in cell c avoids
//! `coef(c)` trips, passenger-km, vehicle-km and grams of each pollutant, and causes a
//! rebound (extra non-work trips, extra home electricity). This module draws the uncertain
//! inputs of one replicate and turns them into those per-cell coefficients.
//!
//! Accounting rules (docs/method.md): a car or motorcycle commuter at home removes
//! distance / occupancy vehicle-km; a ride-hail commuter also removes the driver's empty
//! return; a bus or train rider removes nothing under marginal accounting (the vehicle runs
//! anyway) or a per-passenger-km share under average accounting. Exhaust PM (`pm25`,
//! `pm10`) comes from the mode's factors or speed curves; the totals (`pm25_total`,
//! `pm10_total`) add the tyre, brake and road-surface wear of its vehicle per vehicle-km.

use crate::data::inputs::Accounting;
use crate::data::inputs::non_exhaust::NonExhaust;
use crate::data::{DataError, Dataset, Inputs, ModeKind, POLLUTANTS, Uncertain, total_of};
use crate::engine::Compliance;
use crate::results::schema::{MetricId, N_METRICS, N_SLOTS, slot};
use crate::rng::triangular as draw;
use crate::scenario::{Range, Scenario, TransitAccounting};
use crate::structural::Structure;

pub const NP: usize = POLLUTANTS.len();

/// Compliance of each policy of a scenario in one replicate: the share, the intra-unit
/// correlation and the ramp. All policies share one quantile of each (its name: `compliance`,
/// `compliance.rho`, `compliance.ramp_days`, `compliance.ramp_from`) so that "more
/// compliance" moves every policy the same way.
pub fn compliance(sc: &Scenario, seed: u64, rep: u32, central_only: bool) -> Vec<Compliance> {
    let g = |r: Range, name: &str| draw((r.low, r.central, r.high), name, seed, rep, central_only);
    sc.policies
        .iter()
        .map(|p| {
            let u = p.uptake;
            Compliance {
                share: g(p.compliance, "compliance"),
                rho: g(u.rho, "compliance.rho"),
                ramp_days: g(u.ramp_days, "compliance.ramp_days"),
                ramp_from: g(u.ramp_from, "compliance.ramp_from"),
            }
        })
        .collect()
}

/// The dataset's typed inputs with a scenario's `[parameters]` overrides applied.
pub fn scenario_params(ds: &Dataset, sc: &Scenario) -> Result<Inputs, crate::data::DataError> {
    sc.overrides.iter().try_fold(ds.inputs.clone(), |p, o| {
        p.with_override(&o.key, o.value, o.low, o.high)
    })
}

pub use crate::results::Coefficients;

/// Per-cell coefficients for one replicate. With `speed_grams` (the speed emission
/// model: grams per vehicle-km of each vehicle class of [`crate::data::VehicleClass::ALL`] at the
/// commute's mix of peak and off-peak speeds), a road mode's factors come from its vehicle
/// class; otherwise from the mode's fixed factors. With `structure` (full uncertainty),
/// trips per working day and distances are the replicate's draw, else the central ones.
#[allow(clippy::too_many_arguments)]
pub fn coefficients(
    ds: &Dataset,
    params: &Inputs,
    sc: &Scenario,
    seed: u64,
    rep: u32,
    central_only: bool,
    speed_grams: Option<&[[f64; NP]; 4]>,
    structure: Option<&Structure>,
) -> Result<Coefficients, DataError> {
    let g = |u: &Uncertain| draw(u.range(), &u.key, seed, rep, central_only);
    let acc = &params.accounting;
    let empty = g(&acc.ridehail_empty_return);
    let grid = g(&acc.grid_co2_kg_per_kwh);
    let rebound = Rebound::draw(sc, acc, &g);
    let average = sc.transit == TransitAccounting::Average;
    let accounts = Accounts {
        trips: structure.map_or(params.commute.trips_per_working_day(), |s| {
            s.trips_per_working_day
        }),
        distance_km: structure.map_or(&ds.distance_km, |s| &s.distance_km),
        electricity_co2_kg: rebound.home_kwh * grid,
        rebound,
        modes: ModeFactors::draw(
            ds,
            acc,
            &params.roads.non_exhaust,
            &g,
            empty,
            average,
            speed_grams,
        )?,
    };
    let (wfh, base) = accounts.cells(ds.n_regions(), ds.modes.len());
    if let Some(i) = wfh.iter().chain(&base).position(|v| !v.is_finite()) {
        return Err(DataError::Inconsistent(format!(
            "scenario '{}': accounting coefficient {i} is not finite (a zero occupancy?)",
            sc.name
        )));
    }
    Ok(Coefficients {
        wfh,
        base,
        electricity_co2_kg: accounts.electricity_co2_kg,
    })
}

/// What one WFH day adds: non-work trips, their length, and home electricity (zero when
/// the scenario leaves the rebound out).
struct Rebound {
    trips: f64,
    trip_km: f64,
    home_kwh: f64,
}

impl Rebound {
    fn draw(sc: &Scenario, acc: &Accounting, g: &impl Fn(&Uncertain) -> f64) -> Rebound {
        if sc.rebound {
            Rebound {
                trips: g(&acc.rebound_nonwork_trips_per_wfh_day),
                trip_km: g(&acc.rebound_nonwork_trip_km),
                home_kwh: g(&acc.rebound_home_kwh_per_wfh_day),
            }
        } else {
            Rebound {
                trips: 0.0,
                trip_km: 0.0,
                home_kwh: 0.0,
            }
        }
    }
}

/// Per mode: vehicle-km per passenger-km, and grams of each pollutant per passenger-km.
struct ModeFactors {
    vkm_per_pkm: Vec<f64>,
    g_per_pkm: Vec<[f64; NP]>,
}

impl ModeFactors {
    /// `empty`: the ride-hail driver's empty return per trip; `average`: average (not
    /// marginal) transit accounting.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        ds: &Dataset,
        acc: &Accounting,
        non_exhaust: &NonExhaust,
        g: &impl Fn(&Uncertain) -> f64,
        empty: f64,
        average: bool,
        speed_grams: Option<&[[f64; NP]; 4]>,
    ) -> Result<ModeFactors, DataError> {
        let nm = ds.modes.len();
        let mut f = ModeFactors {
            vkm_per_pkm: vec![0.0; nm],
            g_per_pkm: vec![[0.0; NP]; nm],
        };
        for (m, mode) in ds.modes.iter().enumerate() {
            let occ = || acc.occupancy(m).map(g);
            let v = match mode.kind {
                ModeKind::Private => 1.0 / occ()?,
                ModeKind::RideHail => (1.0 + empty) / occ()?,
                ModeKind::RoadTransit if average => 1.0 / occ()?,
                _ => 0.0,
            };
            f.vkm_per_pkm[m] = v;
            // Non-exhaust PM per vehicle-km of the mode's vehicle, per size (none for rail:
            // its wheel, brake and rail wear is not modelled, so its total is its exhaust).
            let wear = mode.vehicle.map(|c| non_exhaust.per_km(c, g));
            for (p, g_pol) in f.g_per_pkm[m].iter_mut().enumerate() {
                // A total's fixed factor is its exhaust pollutant's plus the wear.
                let (own, size) = total_of(p).map_or((p, None), |(e, s)| (e, Some(s)));
                let wear = wear.zip(size).map_or(0.0, |(w, s)| w[s]);
                *g_pol = match mode.kind {
                    ModeKind::Active => 0.0,
                    ModeKind::Rail if average => g(acc.ef(m, own)?),
                    ModeKind::Rail => 0.0,
                    _ => match (speed_grams, mode.vehicle) {
                        (Some(sg), Some(class)) => v * sg[class.index()][p],
                        _ => v * (g(acc.ef(m, own)?) + wear),
                    },
                };
            }
        }
        Ok(f)
    }
}

/// A replicate's accounting inputs, drawn once and applied to every cell.
struct Accounts<'a> {
    /// Commute trips per working day.
    trips: f64,
    /// Per (home, work) pair.
    distance_km: &'a [f64],
    rebound: Rebound,
    modes: ModeFactors,
    /// Home electricity's CO2 per WFH day, kg.
    electricity_co2_kg: f64,
}

impl Accounts<'_> {
    /// Per cell (pair, mode): the WFH coefficients (`wfh`, by [`slot`]) and the baseline
    /// commute's (`base`, by metric).
    fn cells(&self, n: usize, nm: usize) -> (Vec<f64>, Vec<f64>) {
        let cells = n * n * nm;
        let mut wfh = vec![0.0; cells * N_SLOTS];
        let mut base = vec![0.0; cells * N_METRICS];
        for (od, &d) in self.distance_km.iter().enumerate().take(n * n) {
            for m in 0..nm {
                let c = od * nm + m;
                let pkm = self.trips * d;
                self.wfh_cell(&mut wfh[c * N_SLOTS..(c + 1) * N_SLOTS], m, pkm);
                self.base_cell(&mut base[c * N_METRICS..(c + 1) * N_METRICS], m, pkm);
            }
        }
        (wfh, base)
    }

    /// What a worker of mode `m` at home avoids (commutes of `pkm` passenger-km in all)
    /// and what the rebound adds.
    fn wfh_cell(&self, w: &mut [f64], m: usize, pkm: f64) {
        let (gross, rebound) = (|m: MetricId| slot(m, false), |m: MetricId| slot(m, true));
        let (vkm_per_pkm, g_per_pkm) = (self.modes.vkm_per_pkm[m], &self.modes.g_per_pkm[m]);
        let rb_pkm = self.rebound.trips * self.rebound.trip_km;
        w[gross(MetricId::TRIPS)] = self.trips;
        w[gross(MetricId::PERSON_KM)] = pkm;
        w[rebound(MetricId::TRIPS)] = self.rebound.trips;
        w[rebound(MetricId::PERSON_KM)] = rb_pkm;
        w[gross(MetricId::VEHICLE_KM)] = pkm * vkm_per_pkm;
        w[rebound(MetricId::VEHICLE_KM)] = rb_pkm * vkm_per_pkm;
        for p in 0..NP {
            w[gross(MetricId::pollutant(p))] = pkm * g_per_pkm[p] / 1000.0;
            w[rebound(MetricId::pollutant(p))] = rb_pkm * g_per_pkm[p] / 1000.0;
        }
        // Home electricity: CO2 only (kg).
        w[rebound(MetricId::CO2)] += self.electricity_co2_kg;
    }

    /// What a commuter of mode `m` (`pkm` passenger-km a working day) travels and emits
    /// in the baseline.
    fn base_cell(&self, b: &mut [f64], m: usize, pkm: f64) {
        b[MetricId::TRIPS.0] = self.trips;
        b[MetricId::PERSON_KM.0] = pkm;
        b[MetricId::VEHICLE_KM.0] = pkm * self.modes.vkm_per_pkm[m];
        for p in 0..NP {
            b[MetricId::pollutant(p).0] = pkm * self.modes.g_per_pkm[m][p] / 1000.0;
        }
    }
}
