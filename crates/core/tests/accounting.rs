//! Accounting checked in closed form from the dataset's own parameter values, and the
//! properties of the study lifecycle (replicates, common random numbers).

use crate::common;

use common::*;
use wfhsim_core::accounting::{self as em, coefficients, scenario_params};
use wfhsim_core::results::schema::{N_SLOTS, slot};
use wfhsim_core::results::{Component, MetricId};
use wfhsim_core::simulate::RunOptions;

const TRIPS: usize = slot(MetricId::TRIPS, false);
const VKM: usize = slot(MetricId::VEHICLE_KM, false);
const CO2: usize = slot(MetricId::CO2, false);
const CO2_REBOUND: usize = slot(MetricId::CO2, true);
const PM25: usize = slot(MetricId::PM25, false);

fn cell(ds: &wfhsim_core::data::Dataset, home: &str, work: &str, mode: &str) -> (usize, f64) {
    let n = ds.n_regions();
    let od = ds.region_index(home).unwrap() * n + ds.region_index(work).unwrap();
    let m = ds.modes.iter().position(|x| x.code == mode).unwrap();
    (od * ds.modes.len() + m, ds.distance_km[od])
}

/// DKI at 50% for two months, full compliance, with `accounting` lines inserted.
fn base(accounting: &str) -> String {
    dki_at_half().replace("[[policy]]", &format!("{accounting}\n[[policy]]"))
}

#[test]
fn per_worker_day_coefficients_match_hand_calculation() {
    let ds = dataset();
    let p = &ds.params;
    let g = |k: &str| p.get(k).unwrap();
    let marginal = scenario(ds, &base(""));
    let average = scenario(
        ds,
        &base("[accounting]\ntransit = \"average\"\nrebound = false"),
    );
    let pm = scenario_params(ds, &marginal).unwrap();
    let pa = scenario_params(ds, &average).unwrap();
    let cm = coefficients(ds, &pm, &marginal, 1, 0, true, None, None).unwrap();
    let ca = coefficients(ds, &pa, &average, 1, 0, true, None, None).unwrap();
    let w = |c: &em::Coefficients, cell: usize, k: usize| c.wfh[cell * N_SLOTS + k];

    // A car commuter from Depok to Jakarta Selatan: 2 trips of d km, d / occupancy vehicle-km.
    let (c, d) = cell(ds, "kota_depok", "jakarta_selatan", "car");
    assert_eq!(w(&cm, c, TRIPS), 2.0);
    assert!((w(&cm, c, VKM) - 2.0 * d / g("occupancy.car")).abs() < 1e-9);
    let co2 = 2.0 * d / g("occupancy.car") * g("ef.car.co2") / 1000.0;
    assert!((w(&cm, c, CO2) - co2).abs() < 1e-9);
    // Rebound: extra errand trips by the same car, plus home electricity at the grid factor.
    let rb = g("rebound.nonwork_trips_per_wfh_day") * g("rebound.nonwork_trip_km")
        / g("occupancy.car")
        * g("ef.car.co2")
        / 1000.0
        + g("rebound.home_kwh_per_wfh_day") * g("grid.co2_kg_per_kwh");
    assert!((w(&cm, c, CO2_REBOUND) - rb).abs() < 1e-9);
    assert_eq!(w(&ca, c, CO2_REBOUND), 0.0, "rebound switched off");

    // Ride-hail also removes the driver's empty return.
    let (c, d) = cell(ds, "jakarta_timur", "jakarta_pusat", "ridehail_moto");
    let v = 2.0 * d * (1.0 + g("ridehail.empty_return")) / g("occupancy.ridehail_moto");
    assert!((w(&cm, c, VKM) - v).abs() < 1e-9);
    assert!((w(&cm, c, PM25) - v * g("ef.ridehail_moto.pm25") / 1000.0).abs() < 1e-12);

    // Bus and train riders save nothing at the margin; a per-passenger share on average.
    let (c, d) = cell(ds, "kota_bekasi", "jakarta_pusat", "bus");
    assert_eq!(w(&cm, c, VKM), 0.0);
    assert_eq!(w(&cm, c, CO2), 0.0);
    assert!(
        (w(&ca, c, CO2) - 2.0 * d / g("occupancy.bus") * g("ef.bus.co2") / 1000.0).abs() < 1e-9
    );
    let (c, d) = cell(ds, "kota_bogor", "jakarta_pusat", "krl");
    assert_eq!(w(&cm, c, CO2), 0.0);
    assert!((w(&ca, c, CO2) - 2.0 * d * g("ef.krl.co2") / 1000.0).abs() < 1e-9);
    assert_eq!(w(&ca, c, VKM), 0.0, "trains are not road vehicle-km");
}

/// Grams per vehicle-km of tyre + brake + road wear of `class` at size `size`, central.
fn wear(p: &wfhsim_core::data::Params, class: &str, size: &str) -> f64 {
    ["tyre", "brake", "road"]
        .iter()
        .map(|src| p.get(&format!("nonexhaust.{class}.{src}.{size}")).unwrap())
        .sum()
}

#[test]
fn total_pm_of_a_car_commute_is_its_km_times_exhaust_plus_tyre_brake_and_road_wear() {
    let ds = dataset();
    let p = &ds.params;
    let g = |k: &str| p.get(k).unwrap();
    let sc = scenario(ds, &base("[accounting]\ntransit = \"average\""));
    let params = scenario_params(ds, &sc).unwrap();
    let c = coefficients(ds, &params, &sc, 1, 0, true, None, None).unwrap();
    let w = |cell: usize, m: MetricId, rebound: bool| c.wfh[cell * N_SLOTS + slot(m, rebound)];
    let (pm25, pm10) = (MetricId::pollutant(1), MetricId::pollutant(2));
    let (pm25_total, pm10_total) = (MetricId::pollutant(3), MetricId::pollutant(4));

    // A car commuter from Depok to Jakarta Selatan drives 2d / occupancy vehicle-km a day.
    let (car, d) = cell(ds, "kota_depok", "jakarta_selatan", "car");
    let vkm = 2.0 * d / g("occupancy.car");
    let errand_vkm =
        g("rebound.nonwork_trips_per_wfh_day") * g("rebound.nonwork_trip_km") / g("occupancy.car");
    for (exh, total, size) in [(pm25, pm25_total, "pm25"), (pm10, pm10_total, "pm10")] {
        let ef = g(&format!("ef.car.{size}"));
        let close = |a: f64, b: f64| assert!((a - b).abs() <= 1e-12 * b.abs(), "{a} vs {b}");
        close(w(car, exh, false), vkm * ef / 1000.0);
        close(
            w(car, total, false),
            vkm * (ef + wear(p, "car", size)) / 1000.0,
        );
        // The errands driven instead wear tyres, brakes and roads too.
        close(
            w(car, total, true),
            errand_vkm * (ef + wear(p, "car", size)) / 1000.0,
        );
        assert!(w(car, total, false) > w(car, exh, false));
    }
    // Rail's wheel, brake and rail wear is not modelled: its total is its exhaust.
    let (krl, _) = cell(ds, "kota_bogor", "jakarta_pusat", "krl");
    assert_eq!(w(krl, pm25_total, false), w(krl, pm25, false));
    // A bus under average accounting carries its share of the bus's wear.
    let (bus, d) = cell(ds, "kota_bekasi", "jakarta_pusat", "bus");
    let bus_vkm = 2.0 * d / g("occupancy.bus");
    let expect = bus_vkm * (g("ef.bus.pm25") + wear(p, "bus", "pm25")) / 1000.0;
    assert!((w(bus, pm25_total, false) - expect).abs() <= 1e-12 * expect);
    // Total >= exhaust in every cell and slot.
    for i in 0..c.wfh.len() / N_SLOTS {
        for rebound in [false, true] {
            assert!(w(i, pm25_total, rebound) >= w(i, pm25, rebound));
            assert!(w(i, pm10_total, rebound) >= w(i, pm10, rebound));
        }
    }
}

fn opts(replicates: u32) -> RunOptions {
    RunOptions {
        seed: 42,
        replicates,
        scale: 0.02,
        threads: 2,
        uncertainty: wfhsim_core::structural::Uncertainty::Behavioural,
    }
}

#[test]
fn totals_equal_engine_counts_and_percentages_follow() {
    let ds = dataset();
    let sc = scenario(ds, &base("[accounting]\nrebound = false"));
    let r = common::simulate_in_pool(ds, std::slice::from_ref(&sc), opts(1));
    let s = &r.scenarios[0];
    let pop = population(ds, 0.02, 42);
    let plan = wfhsim_core::policy::compile(&sc, &pop, &ds.holidays());
    let at_home: u64 = wfhsim_core::engine::run_replicate(&plan, 42, 0, &[1.0])
        .iter()
        .map(|&c| c as u64)
        .sum();
    let row = |m: MetricId, c: Component| s.total(m, c).unwrap();
    let trips = row(MetricId::TRIPS, Component::Gross);
    assert!((trips.total.median() - 2.0 * at_home as f64 / 0.02).abs() < 1e-6);
    assert_eq!(
        trips.total.low(),
        trips.total.high(),
        "one replicate: no band"
    );
    assert!((trips.pct.median() - 100.0 * trips.total.median() / trips.baseline_p50).abs() < 1e-9);
    // Baseline over the window: every worker, two trips, every working day of the window.
    let expect_base = 2.0 * pop.len() as f64 / 0.02 * s.window_working_days as f64;
    assert!((trips.baseline_p50 - expect_base).abs() / expect_base < 1e-12);
    // Without rebound, net = gross for every pollutant.
    for p in 0..wfhsim_core::data::POLLUTANTS.len() {
        let m = MetricId::pollutant(p);
        let (net, gross) = (row(m, Component::Net), row(m, Component::Gross));
        assert!((net.total.median() - gross.total.median()).abs() < 1e-9);
        assert_eq!(row(m, Component::Rebound).total.median(), 0.0);
    }
    // Daily all/all/all rows add up to the total.
    let daily: f64 = s
        .daily
        .iter()
        .filter(|d| d.region.is_none() && d.mode.is_none())
        .map(|d| d.q[0].median())
        .sum();
    assert!((daily - trips.total.median()).abs() < 1e-6);
}

#[test]
fn adding_a_scenario_does_not_change_another() {
    let ds = dataset();
    let a = scenario(ds, &base(""));
    let b = scenario(
        ds,
        &base("")
            .replace("name = \"t\"", "name = \"other\"")
            .replace("share = 0.5", "share = 0.75"),
    );
    let alone = common::simulate_in_pool(ds, std::slice::from_ref(&a), opts(4));
    let both = common::simulate_in_pool(ds, &[b, a], opts(4));
    let (x, y) = (&alone.scenarios[0], &both.scenarios[1]);
    assert_eq!(x.daily.len(), y.daily.len());
    for (p, q) in x.daily.iter().zip(&y.daily) {
        assert_eq!(p.q, q.q);
    }
    for (p, q) in x.summary.iter().zip(&y.summary) {
        assert_eq!(p.total, q.total);
    }
}

/// Quantile p of a sample by linear interpolation between order statistics at position
/// p(n + 1) (the rule of every band), written here from its definition.
fn interpolated_quantile(sorted: &[f64], p: f64) -> f64 {
    // Position p(n + 1) among the 1-based order statistics, clamped to the extremes.
    let x = (p * (sorted.len() + 1) as f64).clamp(1.0, sorted.len() as f64) - 1.0;
    let i = x.floor() as usize;
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + (x - i as f64) * (next - sorted[i]),
        None => sorted[i],
    }
}

#[test]
fn replicate_bands_are_quantiles_of_the_replicates_and_widen_with_uncertainty() {
    let ds = dataset();
    let sc = scenario(
        ds,
        &base("").replace(
            "{ central = 1.0 }",
            "{ central = 0.8, low = 0.5, high = 1.0 }",
        ),
    );
    let o = opts(12);
    let r = common::simulate_in_pool(ds, std::slice::from_ref(&sc), o);
    let row = |m: MetricId, c: Component| r.scenarios[0].total(m, c).unwrap();
    // Each replicate re-run by hand: its drawn compliance, the engine's counts, two trips
    // per worker at home, scaled up. Every day of the scenario with a share lies in the
    // policy window, so the sum over all days is the window total.
    let pop = population(ds, o.scale, o.seed);
    let plan = wfhsim_core::policy::compile(&sc, &pop, &ds.holidays());
    let mut per_rep: Vec<f64> = (0..o.replicates)
        .map(|rep| {
            let c = em::compliance(&sc, o.seed, rep, false);
            let home: u64 = wfhsim_core::engine::run_replicate(&plan, o.seed, rep, &c)
                .iter()
                .map(|&x| x as u64)
                .sum();
            2.0 * home as f64 / o.scale
        })
        .collect();
    per_rep.sort_by(f64::total_cmp);
    let trips = row(MetricId::TRIPS, Component::Gross);
    for (k, p) in [0.05, 0.5, 0.95].into_iter().enumerate() {
        let want = interpolated_quantile(&per_rep, p);
        assert!(
            (trips.total.0[k] - want).abs() <= 1e-9 * want,
            "p{p}: {} vs {want} from {per_rep:?}",
            trips.total.0[k]
        );
    }
    // Compliance from 0.5 to 1.0 spreads the replicates: the band is not a point.
    assert!(
        trips.total.high() > trips.total.low() * 1.05,
        "{:?}",
        trips.total
    );
    let co2 = row(MetricId::CO2, Component::Gross);
    assert!(
        co2.total.high() > co2.total.low() * 1.05,
        "uncertain inputs give a band"
    );
}
