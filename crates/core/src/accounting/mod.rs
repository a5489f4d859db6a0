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
//! anyway) or a per-passenger-km share under average accounting.

use crate::data::{Dataset, Inputs, ModeKind, POLLUTANTS, Uncertain};
use crate::results::schema::{MetricId, N_METRICS, N_SLOTS, slot};
use crate::rng::triangular as draw;
use crate::scenario::{Range, Scenario, TransitAccounting};
use crate::structural::Structure;

pub const NP: usize = POLLUTANTS.len();

/// Compliance of each policy of a scenario in one replicate. All policies share one
/// quantile so that "more compliance" moves every policy the same way.
pub fn compliance(sc: &Scenario, seed: u64, rep: u32, central_only: bool) -> Vec<f64> {
    sc.policies
        .iter()
        .map(|p| {
            let Range { central, low, high } = p.compliance;
            draw((low, central, high), "compliance", seed, rep, central_only)
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
) -> Result<Coefficients, crate::data::DataError> {
    let g = |u: &Uncertain| draw(u.range(), &u.key, seed, rep, central_only);
    let acc = &params.accounting;
    let trips = structure.map_or(params.commute.trips_per_working_day(), |s| {
        s.trips_per_working_day
    });
    let distance_km = structure.map_or(&ds.distance_km, |s| &s.distance_km);
    let n = ds.n_regions();
    let nm = ds.modes.len();
    let empty = g(&acc.ridehail_empty_return);
    let grid = g(&acc.grid_co2_kg_per_kwh);
    let (rb_trips, rb_km, rb_kwh) = if sc.rebound {
        (
            g(&acc.rebound_nonwork_trips_per_wfh_day),
            g(&acc.rebound_nonwork_trip_km),
            g(&acc.rebound_home_kwh_per_wfh_day),
        )
    } else {
        (0.0, 0.0, 0.0)
    };
    let average = sc.transit == TransitAccounting::Average;
    // Per mode: vehicle-km per passenger-km, and grams per km of what the factor is per.
    let mut vkm_per_pkm = vec![0.0; nm];
    let mut g_per_pkm = vec![[0.0; NP]; nm];
    for (m, mode) in ds.modes.iter().enumerate() {
        let occ = || acc.occupancy(m).map(g);
        let v = match mode.kind {
            ModeKind::Private => 1.0 / occ()?,
            ModeKind::RideHail => (1.0 + empty) / occ()?,
            ModeKind::RoadTransit if average => 1.0 / occ()?,
            _ => 0.0,
        };
        vkm_per_pkm[m] = v;
        for (p, g_pol) in g_per_pkm[m].iter_mut().enumerate() {
            *g_pol = match mode.kind {
                ModeKind::Active => 0.0,
                ModeKind::Rail if average => g(acc.ef(m, p)?),
                ModeKind::Rail => 0.0,
                _ => match (speed_grams, mode.vehicle) {
                    (Some(sg), Some(class)) => v * sg[class.index()][p],
                    _ => v * g(acc.ef(m, p)?),
                },
            };
        }
    }
    let cells = n * n * nm;
    let mut wfh = vec![0.0; cells * N_SLOTS];
    let mut base = vec![0.0; cells * N_METRICS];
    let (gross, rebound) = (|m: MetricId| slot(m, false), |m: MetricId| slot(m, true));
    for (od, &d) in distance_km.iter().enumerate().take(n * n) {
        for m in 0..nm {
            let c = od * nm + m;
            let w = &mut wfh[c * N_SLOTS..(c + 1) * N_SLOTS];
            let pkm = trips * d;
            let rb_pkm = rb_trips * rb_km;
            w[gross(MetricId::TRIPS)] = trips;
            w[gross(MetricId::PERSON_KM)] = pkm;
            w[rebound(MetricId::TRIPS)] = rb_trips;
            w[rebound(MetricId::PERSON_KM)] = rb_pkm;
            w[gross(MetricId::VEHICLE_KM)] = pkm * vkm_per_pkm[m];
            w[rebound(MetricId::VEHICLE_KM)] = rb_pkm * vkm_per_pkm[m];
            for p in 0..NP {
                w[gross(MetricId::pollutant(p))] = pkm * g_per_pkm[m][p] / 1000.0;
                w[rebound(MetricId::pollutant(p))] = rb_pkm * g_per_pkm[m][p] / 1000.0;
            }
            // Home electricity: CO2 only (kg).
            w[rebound(MetricId::CO2)] += rb_kwh * grid;
            let b = &mut base[c * N_METRICS..(c + 1) * N_METRICS];
            b[MetricId::TRIPS.0] = trips;
            b[MetricId::PERSON_KM.0] = pkm;
            b[MetricId::VEHICLE_KM.0] = pkm * vkm_per_pkm[m];
            for p in 0..NP {
                b[MetricId::pollutant(p).0] = pkm * g_per_pkm[m][p] / 1000.0;
            }
        }
    }
    if let Some(i) = wfh.iter().chain(&base).position(|v| !v.is_finite()) {
        return Err(crate::data::DataError::Inconsistent(format!(
            "scenario '{}': accounting coefficient {i} is not finite (a zero occupancy?)",
            sc.name
        )));
    }
    Ok(Coefficients {
        wfh,
        base,
        electricity_co2_kg: rb_kwh * grid,
    })
}
