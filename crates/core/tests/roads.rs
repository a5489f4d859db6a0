//! The road layer: speed-dependent emission factors against values computed by hand from
//! the Guidebook curves (an independent Python evaluation of the same coefficients), and
//! the layer's invariants through the run pipeline: zero WFH changes nothing on the roads,
//! more WFH means fewer vehicles and faster traffic, kilometres assigned to regions add up
//! to the commuters' total.

use crate::common;

use common::{dataset, dataset_with_rows, dki_at_half, one_policy, run_small};
use wfhsim_core::data::VehicleClass;
use wfhsim_core::results::schema::{Component, MetricId};
use wfhsim_core::results::{Basis, ScenarioResult};
use wfhsim_core::traffic::emission::{Clamp, ClassDraw};

const CO2: usize = 0;
const PM25: usize = 1;
const PM10: usize = 2;
const PM25_TOTAL: usize = 3;
const PM10_TOTAL: usize = 4;
const NOX: usize = 5;
const CO: usize = 6;
const SO2: usize = 8;

/// Grams per km of a class with no non-exhaust PM, its fuel curve scaled by `fuel_factor`.
fn grams_per_km(
    c: &wfhsim_core::data::inputs::roads::ClassCurves,
    newer_share: f64,
    sulphur_ppm: f64,
    co2_per_fuel: f64,
    fuel_factor: f64,
    v: f64,
) -> ([f64; 9], Clamp) {
    let d = ClassDraw {
        newer_share,
        sulphur_ppm,
        co2_per_fuel,
        fuel_factor,
        wear: [0.0; 2],
    };
    wfhsim_core::traffic::emission::grams_per_km(c, &d, v)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs {b}");
}

fn curves(c: VehicleClass) -> &'static wfhsim_core::data::inputs::roads::ClassCurves {
    dataset().inputs.roads.curves.get(c)
}

#[test]
fn speed_curves_match_hand_computed_values() {
    // newer_share 0 = the older Euro class only, 1 = the newer; CO2 3.169 kg/kg fuel,
    // sulphur 400 ppm (petrol) as in the reference evaluation.
    let moto = curves(VehicleClass::Motorcycle);
    let (g, c) = grams_per_km(moto, 0.0, 400.0, 3.169, 1.0, 20.0);
    assert_eq!(c, Clamp::Inside);
    close(g[CO2], 81.14718863999998);
    close(g[CO], 4.877504);
    close(g[NOX], 0.22919520000000002);
    close(g[PM25], 0.005);
    // SO2 = 2 × 400e-6 × fuel (25.60656 g/km at 20 km/h).
    close(g[SO2], 2.0 * 400e-6 * 25.606559999999995);
    let (g, _) = grams_per_km(moto, 1.0, 400.0, 3.169, 1.0, 30.0);
    close(g[CO2], 65.85162986000002);

    let car = curves(VehicleClass::Car);
    let (g, _) = grams_per_km(car, 0.0, 400.0, 3.169, 1.0, 20.0);
    close(g[CO2], 254.0331983805668);
    close(g[CO], 1.041904136572554);
    let (g, _) = grams_per_km(car, 1.0, 400.0, 3.169, 1.0, 21.0);
    close(g[NOX], 0.0759511);

    let bus = curves(VehicleClass::Bus);
    let (g, _) = grams_per_km(bus, 0.0, 2000.0, 3.169, 1.0, 30.0);
    close(g[NOX], 9.989460651228125);
    let (g, _) = grams_per_km(bus, 0.0, 2000.0, 3.169, 1.0, 21.0);
    close(g[CO2], 1060.3357355090784);
    let truck = curves(VehicleClass::Truck);
    let (g, _) = grams_per_km(truck, 1.0, 2000.0, 3.169, 1.0, 39.0);
    close(g[PM25], 0.14129129198971868);

    // A fleet mix is the weighted mean of its Euro classes.
    let (a, _) = grams_per_km(car, 0.0, 400.0, 3.169, 1.0, 25.7);
    let (b, _) = grams_per_km(car, 1.0, 400.0, 3.169, 1.0, 25.7);
    let (m, _) = grams_per_km(car, 0.4, 400.0, 3.169, 1.0, 25.7);
    close(m[CO], 0.6 * a[CO] + 0.4 * b[CO]);

    // Outside the valid range the speed is clamped and said so.
    let (below, c) = grams_per_km(bus, 0.5, 2000.0, 3.169, 1.0, 5.0);
    assert_eq!(c, Clamp::Below);
    let (at_min, _) = grams_per_km(bus, 0.5, 2000.0, 3.169, 1.0, bus.v_min);
    assert_eq!(below, at_min);
    assert_eq!(
        grams_per_km(moto, 0.5, 400.0, 3.169, 1.0, 140.0).1,
        Clamp::Above
    );
}

#[test]
fn totals_are_exhaust_plus_wear_at_every_speed_and_nothing_else_moves() {
    let wear = [0.0115, 0.0214];
    for class in VehicleClass::ALL {
        let c = curves(class);
        for v in [5.0, 20.0, 31.7, 60.0, 140.0] {
            let (bare, _) = grams_per_km(c, 0.4, 400.0, 3.169, 1.0, v);
            let d = ClassDraw {
                newer_share: 0.4,
                sulphur_ppm: 400.0,
                co2_per_fuel: 3.169,
                fuel_factor: 1.0,
                wear,
            };
            let (g, _) = wfhsim_core::traffic::emission::grams_per_km(c, &d, v);
            // Without wear a total is its exhaust pollutant; with it, exhaust + wear.
            assert_eq!(bare[PM25_TOTAL], bare[PM25], "{class:?} {v}");
            assert_eq!(bare[PM10_TOTAL], bare[PM10], "{class:?} {v}");
            assert_eq!(g[PM25_TOTAL], bare[PM25] + wear[0], "{class:?} {v}");
            assert_eq!(g[PM10_TOTAL], bare[PM10] + wear[1], "{class:?} {v}");
            for p in [CO2, PM25, PM10, NOX, CO, SO2] {
                assert_eq!(g[p], bare[p], "{class:?} {v} {p}");
            }
        }
    }
}

#[test]
fn faster_traffic_burns_less_fuel_per_km_in_congested_speeds() {
    for class in VehicleClass::ALL {
        let c = curves(class);
        let at = |v| grams_per_km(c, 0.5, 400.0, 3.169, 1.0, v).0[CO2];
        assert!(at(22.0) > at(23.0), "{class:?}");
        assert!(at(15.0) > at(30.0), "{class:?}");
    }
}

fn run(text: &str, replicates: u32) -> ScenarioResult {
    run_small(dataset(), text, replicates)
}

fn net(r: &ScenarioResult, b: Basis, m: MetricId) -> f64 {
    r.row(b, m, Component::Net).unwrap().total.median()
}

fn at_share(share: f64) -> String {
    one_policy(
        r#"["dki"]"#,
        "[]",
        "rotation",
        "ceiling",
        "{ central = 1.0 }",
        &format!("[{{ from = 2023-08-21, to = 2023-10-21, share = {share} }}]"),
    )
}

#[test]
fn non_exhaust_pm_follows_vehicle_km_on_every_road_row_and_not_speed() {
    let ds = dataset();
    // One replicate: every input at its central value.
    let r = run(&at_share(0.5), 1);
    let wear = |class: usize, size: &str| -> f64 {
        ["tyre", "brake", "road"]
            .iter()
            .map(|src| {
                let key = format!(
                    "nonexhaust.{}.{src}.{size}",
                    VehicleClass::ALL[class].as_str()
                );
                ds.params.get(&key).unwrap()
            })
            .sum()
    };
    let mut moved = 0;
    for row in &r.roads.rows {
        for (exh, total, size) in [(PM25, PM25_TOTAL, "pm25"), (PM10, PM10_TOTAL, "pm10")] {
            let (e, t) = (row.kg[exh], row.kg[total]);
            // Equal up to rounding relative to the row's largest kg.
            let scale = t.iter().chain(&e).fold(0.0_f64, |m, v| m.max(v.abs()));
            let close = |a: f64, b: f64| assert!((a - b).abs() <= 1e-9 * scale, "{a} vs {b}");
            let w = wear(row.class, size) / 1000.0;
            // [gross, rebound, congestion, induced, net]: the wear of the km not driven, of
            // the errands driven instead, none from faster traffic (Tier 1 has no speed),
            // and that of the traffic the faster roads draw in.
            close(t[0] - e[0], row.gross_vkm * w);
            close(t[1] - e[1], row.rebound_vkm * w);
            close(t[2], e[2]);
            close(t[3] - e[3], row.induced_vkm * w);
            close(
                t[4] - e[4],
                (row.gross_vkm - row.rebound_vkm - row.induced_vkm) * w,
            );
            assert!(t[0] >= e[0] && t[1] >= e[1], "{row:?}");
            moved += usize::from(row.gross_vkm > 0.0);
        }
    }
    assert!(moved > 0, "some road row has commuting avoided");
    // Every summary row: gross and rebound of a total at least its exhaust.
    for s in &r.summary {
        for (exh, total) in [(PM25, PM25_TOTAL), (PM10, PM10_TOTAL)] {
            if s.metric != MetricId::pollutant(exh)
                || !matches!(s.component, Component::Gross | Component::Rebound)
            {
                continue;
            }
            let t = r
                .summary
                .iter()
                .find(|x| {
                    x.basis == s.basis
                        && x.region == s.region
                        && x.component == s.component
                        && x.metric == MetricId::pollutant(total)
                })
                .unwrap();
            assert!(t.total.median() >= s.total.median(), "{s:?} {t:?}");
        }
    }
}

#[test]
fn zero_wfh_changes_nothing_on_the_roads() {
    let r = run(&at_share(0.0), 3);
    for row in &r.roads.rows {
        assert_eq!(row.gross_vkm, 0.0);
        assert_eq!(row.rebound_vkm, 0.0);
        assert_eq!(row.congestion_vh, 0.0);
        assert!(row.kg.iter().flatten().all(|v| *v == 0.0), "{row:?}");
        assert_eq!(row.vkm.median(), row.baseline_vkm);
        assert_eq!(row.speed.median(), row.baseline_speed, "{row:?}");
    }
    // Every amount is zero (the congestion level, a level, stays the baseline's:
    // tests/congestion_level.rs).
    for s in r.summary.iter().filter(|s| {
        matches!(
            s.basis,
            Basis::Roads
                | Basis::DkiRoads
                | Basis::DkiRoadsPeak
                | Basis::DkiCordon
                | Basis::DkiCordonPeak
        ) && !s.metric.is_level()
    }) {
        assert!(s.total.0.iter().all(|v| *v == 0.0), "{s:?}");
    }
    for d in &r.roads.detect {
        assert_eq!(d.effect_pct.0, [0.0; 3]);
        assert!(!d.visible_city && !d.visible_site);
    }
}

#[test]
fn more_wfh_means_fewer_vehicles_faster_traffic_and_a_congestion_saving() {
    let (half, full) = (run(&dki_at_half(), 1), run(&at_share(1.0), 1));
    for b in [Basis::DkiRoads, Basis::DkiRoadsPeak, Basis::DkiCordon] {
        let (h, f) = (
            net(&half, b, MetricId::VEHICLES),
            net(&full, b, MetricId::VEHICLES),
        );
        assert!(h > 0.0 && f > h, "{b:?}: {h} {f}");
    }
    for (a, b) in half.roads.rows.iter().zip(&full.roads.rows) {
        assert_eq!(
            (a.date, a.region, a.class, a.period),
            (b.date, b.region, b.class, b.period)
        );
        // A residential region may see more traffic (errands at home outweigh the
        // commutes removed); where speed rises, the remaining traffic emits less CO2
        // (congested speeds, below ~60 km/h), and where it falls, more.
        for r in [a, b] {
            let dv = r.speed.median() - r.baseline_speed;
            let c = r.kg[CO2][2];
            assert!(dv * c >= 0.0 && (dv != 0.0 || c == 0.0), "{r:?}");
        }
        // Jakarta Pusat, where jobs are and few live: more WFH, faster. (Its trucks, which
        // no worker at home drives, can grow: the faster roads draw induced traffic.)
        if a.region == 0 {
            assert!(b.speed.median() >= a.speed.median() && a.speed.median() >= a.baseline_speed);
        }
    }
    // ... and fewer passenger-car units there in every (day, period): induced traffic takes
    // back only part of what the workers at home leave.
    let pcu = |r: &ScenarioResult,
               day,
               p: usize,
               f: &dyn Fn(&wfhsim_core::results::roads::TrafficRow) -> f64|
     -> f64 {
        r.roads
            .rows
            .iter()
            .filter(|x| x.region == 0 && x.date == day && x.period == p)
            .map(|x| dataset().inputs.roads.pcu.0[x.class].central * f(x))
            .sum()
    };
    for day in half
        .roads
        .rows
        .iter()
        .map(|x| x.date)
        .filter(|d| d.ymd() >= (2023, 8, 21))
        .take(5)
    {
        for p in 0..2 {
            let (h, f) = (
                pcu(&half, day, p, &|x| x.vkm.median()),
                pcu(&full, day, p, &|x| x.vkm.median()),
            );
            assert!(
                f <= h && h <= pcu(&half, day, p, &|x| x.baseline_vkm),
                "{day:?} {p}: {f} {h}"
            );
        }
    }
    let c = |r: &ScenarioResult| {
        r.row(Basis::DkiRoads, MetricId::CO2, Component::Congestion)
            .unwrap()
            .total
            .median()
    };
    assert!(c(&half) > 0.0 && c(&full) > c(&half));
}

#[test]
fn road_kilometres_add_up_to_the_commuters_total() {
    let r = run(&dki_at_half(), 1);
    let total = |c| r.total(MetricId::VEHICLE_KM, c).unwrap().total.median();
    let on_roads = |c| -> f64 {
        r.summary
            .iter()
            .filter(|s| {
                s.basis == Basis::Roads && s.metric == MetricId::VEHICLE_KM && s.component == c
            })
            .map(|s| s.total.median())
            .sum()
    };
    for c in [Component::Gross, Component::Rebound] {
        let (a, b) = (total(c), on_roads(c));
        assert!(a > 0.0 && (a - b).abs() <= 1e-9 * a, "{c:?}: {a} vs {b}");
    }
    // Count-equivalent vehicles on DKI's roads add up to Dishub's weekday count.
    let day = r.roads.rows[0].date;
    let dki: f64 = r
        .roads
        .rows
        .iter()
        .filter(|x| x.date == day && dataset().regions[x.region].is_dki)
        .map(|x| x.baseline_vehicles)
        .sum();
    assert!((dki - 6_843_838.0).abs() < 1e-6 * dki, "{dki}");
    // The fixed model has no congestion component in grams, the speed model does; the
    // vehicle-hours saved are there in both.
    let fixed = run(
        &format!(
            "{}\n[accounting]\nemission_model = \"fixed\"\n",
            dki_at_half()
        ),
        1,
    );
    let cong = |r: &ScenarioResult, m| {
        r.row(Basis::DkiRoads, m, Component::Congestion)
            .unwrap()
            .total
            .median()
    };
    assert_eq!(cong(&fixed, MetricId::CO2), 0.0);
    assert!(cong(&fixed, MetricId::VEHICLE_HOURS) > 0.0);
}

/// The built-in dataset with the city-wide σ of daily counts set to `sigma` and the
/// noise's AR(1) ρ to 0 (independent days; both ranges collapsed).
fn with_sigma(sigma: f64) -> wfhsim_core::data::Dataset {
    let sigma_row = format!("detect.sigma_city,{sigma},share,,,,cited,L,test,test");
    dataset_with_rows(&[
        ("detect.sigma_city", &sigma_row),
        (
            "detect.daily_count_ar1",
            "detect.daily_count_ar1,0,lag-1 correlation,,,,cited,L,test,test",
        ),
    ])
    .unwrap()
}

#[test]
fn the_detectability_verdict_flips_where_the_mde_formula_says() {
    let run_on = |ds: &wfhsim_core::data::Dataset| run_small(ds, &at_share(1.0), 1);
    let r = run_on(dataset());
    let whole = |r: &ScenarioResult| {
        r.roads
            .detect
            .iter()
            .find(|d| d.comparison == "whole_window")
            .unwrap()
            .clone()
    };
    let w0 = whole(&r);
    let (effect, n) = (w0.effect_pct.median() / 100.0, w0.days as f64);
    assert!(effect > 0.0 && n > 1.0);
    // MDE = 2.8 σ √(2/n) equals the effect at σ* = effect / (2.8 √(2/n)).
    let sigma_star = effect / ((1.96 + 0.84) * (2.0 / n).sqrt());
    for (sigma, visible) in [(sigma_star * 0.99, true), (sigma_star * 1.01, false)] {
        let w = whole(&run_on(&with_sigma(sigma)));
        assert!((w.effect_pct.median() / 100.0 - effect).abs() < 1e-15);
        let mde = (1.96 + 0.84) * sigma * (2.0 / n).sqrt();
        assert!((w.mde_city_pct[0] / 100.0 - mde).abs() < 1e-15);
        assert_eq!(w.visible_city, visible, "σ {sigma} vs σ* {sigma_star}");
        // Power of the two-sided 5% test, Φ(δ/se − 1.96) + Φ(−δ/se − 1.96) with
        // se = MDE / 2.8: 80% at the MDE, so just above 80% where visible, just below where not.
        let z = 2.8 * effect / mde;
        let p = wfhsim_core::traffic::detect::normal_cdf(z - 1.96)
            + wfhsim_core::traffic::detect::normal_cdf(-z - 1.96);
        assert!((w.power_city - p).abs() < 1e-12, "{} vs {p}", w.power_city);
        assert_eq!(w.power_city > 0.8, visible, "{}", w.power_city);
    }
}
