//! The road layer on observed footing: all traffic from the gasoline sold over the curves'
//! own fuel per km (a closed form recomputed here from the rows), the dataset refusing fuel
//! rows above sales and a speed response that would slow traffic down, and the induced
//! component — zero with a zero elasticity, and part of the speed gain taken back otherwise.

use crate::common;

use common::{dataset, dataset_with_rows, dki_at_half, run_small};
use wfhsim_core::data::{Dataset, VehicleClass};
use wfhsim_core::results::schema::{Component, MetricId};
use wfhsim_core::results::{Basis, ScenarioResult};

fn with_rows(rows: &[(&str, &str)]) -> Result<Dataset, wfhsim_core::data::DataError> {
    dataset_with_rows(rows)
}

fn run_on(ds: &Dataset) -> ScenarioResult {
    run_small(ds, &dki_at_half(), 1)
}

fn row(r: &ScenarioResult, m: MetricId, c: Component) -> f64 {
    r.row(Basis::DkiRoads, m, c).unwrap().total.median()
}

/// The gasoline rows at central values, in litres per day.
fn central(ds: &Dataset, key: &str) -> f64 {
    ds.params.row(key).unwrap().value
}

/// One replicate at central values: each class's baseline vehicle-km over the study area
/// equal litres × density ÷ (fuel g/km at the peak and off-peak speeds, weighted by the
/// non-commute peak share) × study-area residents per fuel-area resident — from the rows
/// and the curves, not from the road layer's code.
#[test]
fn vehicle_km_are_fuel_sold_over_the_curves_own_fuel_per_km() {
    let ds = dataset();
    let r = run_on(ds);
    let roads = &ds.inputs.roads;
    let pop: Vec<f64> = ds
        .inputs
        .regions
        .iter()
        .map(|x| ds.inputs.built_central(&x.population))
        .collect();
    let in_area: f64 = pop
        .iter()
        .zip(&roads.in_fuel_area)
        .filter(|(_, a)| **a)
        .map(|(p, _)| p)
        .sum();
    let scale = pop.iter().sum::<f64>() / in_area;
    let (s, v) = (
        central(ds, "traffic.peak_share.other"),
        [
            central(ds, "speed.peak_kmh"),
            central(ds, "speed.offpeak_kmh"),
        ],
    );
    let density = central(ds, "fuel.density.petrol");
    let day = r.roads.rows[0].date;
    for (class, key) in [
        (VehicleClass::Motorcycle, "motorcycle"),
        (VehicleClass::Car, "car"),
    ] {
        let c = roads.curves.get(class);
        let newer = c.newer_share.central;
        let factor = central(ds, &format!("copert.fuel_factor.{key}"));
        let fuel =
            |v: f64| factor * ((1.0 - newer) * c.older.fuel.at(v) + newer * c.newer.fuel.at(v));
        let g_per_km = s * fuel(v[0]) + (1.0 - s) * fuel(v[1]);
        let litres = central(ds, &format!("traffic.fuel_l_per_day.{key}"));
        let expected = litres * density * 1000.0 / g_per_km * scale;
        let modelled: f64 = r
            .roads
            .rows
            .iter()
            .filter(|x| x.date == day && x.class == class.index())
            .map(|x| x.baseline_vkm)
            .sum();
        assert!(
            (modelled - expected).abs() <= 1e-9 * expected,
            "{key}: {modelled} vs {expected}"
        );
    }
}

#[test]
fn fuel_rows_above_the_gasoline_sold_are_refused() {
    let err = with_rows(&[
        (
            "traffic.fuel_l_per_day.motorcycle",
            "traffic.fuel_l_per_day.motorcycle,17800000,L/day,13350000,22250000,2023,cited,L-M,https://example.org,INDEF",
        ),
        (
            "traffic.fuel_l_per_day.car",
            "traffic.fuel_l_per_day.car,16200000,L/day,12150000,20250000,2023,cited,L-M,https://example.org,INDEF",
        ),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "parameters/traffic.csv:3: column 'value': traffic.fuel_l_per_day.motorcycle + traffic.fuel_l_per_day.car = 34000000 L/day at their central values exceeds the gasoline sold in the fuel area (traffic.gasoline_sales.fuel_area = 14400000 (11800000-17300000) L/day); allowed: a sum at most 14400000 (re-base the fuel rows on sales)"
    );
    // The high ends alone can breach it too.
    let err = with_rows(&[(
        "traffic.fuel_l_per_day.car",
        "traffic.fuel_l_per_day.car,6900000,L/day,5000000,9000000,2020,derived,M,https://example.org,split",
    )])
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("column 'high': traffic.fuel_l_per_day.motorcycle + traffic.fuel_l_per_day.car = 18000000 L/day at their high ends exceeds"),
        "{err}"
    );
}

#[test]
fn a_speed_response_that_slows_less_traffic_down_is_refused() {
    let err = with_rows(&[(
        "speed.elasticity.peak",
        "speed.elasticity.peak,-0.15,ratio,-0.9,0.1,2017,cited,L,https://example.org,test",
    )])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "parameters/traffic.csv:28: column 'high': speed.elasticity.peak = -0.15 (-0.9 to 0.1) must not be above 0 anywhere in its range; allowed: -inf to 0"
    );
}

#[test]
fn a_zero_induced_elasticity_leaves_no_induced_component() {
    let ds = with_rows(&[(
        "traffic.induced_elasticity",
        "traffic.induced_elasticity,0,ratio,,,2017,cited,L,https://example.org,test",
    )])
    .unwrap();
    let r = run_on(&ds);
    for m in [MetricId::VEHICLE_KM, MetricId::VEHICLE_HOURS, MetricId::CO2] {
        assert_eq!(row(&r, m, Component::Induced), 0.0, "{m:?}");
        let net = row(&r, m, Component::Gross) - row(&r, m, Component::Rebound)
            + row(&r, m, Component::Congestion);
        assert_eq!(row(&r, m, Component::Net), net, "{m:?}");
    }
    assert!(r.roads.rows.iter().all(|x| x.induced_vkm == 0.0));
}

#[test]
fn induced_traffic_takes_back_part_of_the_speed_gain() {
    let without = with_rows(&[(
        "traffic.induced_elasticity",
        "traffic.induced_elasticity,0,ratio,,,2017,cited,L,https://example.org,test",
    )])
    .unwrap();
    let (a, b) = (run_on(&without), run_on(dataset()));
    // Jakarta Pusat at the peak on the first working day: faster than the baseline, but
    // less so once the faster roads draw traffic back.
    let cell = |r: &ScenarioResult| {
        r.roads
            .rows
            .iter()
            .find(|x| {
                x.region == 0 && x.period == 0 && x.class == 0 && x.date.ymd() >= (2023, 8, 21)
            })
            .unwrap()
            .clone()
    };
    let (x, y) = (cell(&a), cell(&b));
    assert!(x.speed.median() > y.speed.median() && y.speed.median() > y.baseline_speed);
    assert!(y.induced_vkm > 0.0);
    // On DKI's roads: induced vehicle-km and grams are added back, so the net is smaller.
    let induced = row(&b, MetricId::VEHICLE_KM, Component::Induced);
    assert!(induced > 0.0);
    let net = row(&b, MetricId::VEHICLE_KM, Component::Net);
    let direct = row(&b, MetricId::VEHICLE_KM, Component::Gross)
        - row(&b, MetricId::VEHICLE_KM, Component::Rebound);
    assert!((net - (direct - induced)).abs() <= 1e-9 * direct);
    // Less congestion saved than without induced traffic, never more than the direct saving.
    let co2 = |r: &ScenarioResult| row(r, MetricId::CO2, Component::Congestion);
    assert!(co2(&b) < co2(&a) && co2(&b) > 0.0);
}
