//! Measures bundled with WFH orders: each kind at zero strength gives the WFH-only
//! numbers exactly, its effect grows with its strength, bad values are refused with their
//! messages, and a bundle's Shapley parts add up to its total.

use crate::common::{dataset, population, run_small, scenario};
use wfhsim_core::population::Population;
use wfhsim_core::results::schema::{Component, MetricId};
use wfhsim_core::results::{Basis, ScenarioResult};
use wfhsim_core::scenario::parse_scenario;
use wfhsim_core::simulate::decompose::{self, WFH_PART, coalition_totals, decompose};
use wfhsim_core::simulate::{Baseline, RunOptions, run_scenario};
use wfhsim_core::structural::Uncertainty;

/// DKI's civil servants at 75% on 4–8 Sep 2023, plus `measures` (TOML tables).
fn bundle(measures: &str) -> String {
    format!(
        r#"schema_version = 1
name = "b"
title = "b"
[period]
start = 2023-09-04
end = 2023-09-08
[[policy]]
name = "p"
employers = ["dki"]
assignment = "rotation"
share_rule = "ceiling"
compliance = {{ central = 0.8, low = 0.6, high = 1.0 }}
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = 0.75 }}]
{measures}"#
    )
}

fn school(strength: f64) -> String {
    format!(
        r#"[[measure]]
kind = "school_closure"
name = "pjj"
regions = ["jakarta_pusat"]
schedule = [{{ from = 2023-09-04, to = 2023-09-07, share = {strength} }}]
"#
    )
}

fn limit(strength: f64) -> String {
    format!(
        r#"[[measure]]
kind = "activity_limit"
name = "limit"
purposes = {{ shopping_leisure = 0.4, business = 0.7 }}
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = {strength} }}]
"#
    )
}

fn closure(strength: f64) -> String {
    format!(
        r#"[[measure]]
kind = "road_closure"
name = "closure"
regions = ["jakarta_pusat"]
periods = ["peak"]
capacity = 0.8
diversion = 0.5
divert_to = ["jakarta_selatan"]
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = {strength} }}]
"#
    )
}

fn odd_even(strength: f64, action: &str) -> String {
    format!(
        r#"[[measure]]
kind = "odd_even"
name = "odd-even"
action = "{action}"
regions = ["jakarta_pusat", "jakarta_selatan"]
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = {strength} }}]
"#
    )
}

fn transit_cap(strength: f64) -> String {
    format!(
        r#"[[measure]]
kind = "transit_cap"
name = "cap"
cap = 0.5
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = {strength} }}]
"#
    )
}

/// Every summary row's total band, in order.
fn totals(r: &ScenarioResult) -> Vec<[f64; 3]> {
    r.summary.iter().map(|s| s.total.0).collect()
}

/// DKI roads' (all day) vehicle-km of a component, median.
fn dki_vkm(r: &ScenarioResult, c: Component) -> f64 {
    r.row(Basis::DkiRoads, MetricId::VEHICLE_KM, c)
        .expect("a DKI roads row")
        .total
        .median()
}

#[test]
fn each_kind_at_zero_strength_gives_the_wfh_only_numbers_exactly() {
    let ds = dataset();
    let plain = run_small(ds, &bundle(""), 4);
    for m in [
        school(0.0),
        limit(0.0),
        closure(0.0),
        odd_even(0.0, "impose"),
        odd_even(0.0, "suspend"),
        transit_cap(0.0),
    ] {
        let with = run_small(ds, &bundle(&m), 4);
        assert_eq!(totals(&with), totals(&plain), "{m}");
        assert_eq!(with.replicate_totals, plain.replicate_totals, "{m}");
    }
}

#[test]
fn effects_grow_with_strength() {
    let ds = dataset();
    for make in [school as fn(f64) -> String, limit] {
        let gross: Vec<f64> = [0.0, 0.25, 0.5, 1.0]
            .iter()
            .map(|s| dki_vkm(&run_small(ds, &bundle(&make(*s)), 2), Component::Gross))
            .collect();
        assert!(gross.windows(2).all(|w| w[1] > w[0]), "{gross:?}");
    }
    // Odd-even imposed keeps cars off DKI's roads; suspended, and a transit cap, put
    // traffic back on them (gross vehicle-km avoided falls below zero).
    let gross = |make: &dyn Fn(f64) -> String| -> Vec<f64> {
        [0.0, 0.25, 0.5, 1.0]
            .iter()
            .map(|s| dki_vkm(&run_small(ds, &bundle(&make(*s)), 2), Component::Gross))
            .collect()
    };
    let imposed = gross(&|s| odd_even(s, "impose"));
    assert!(imposed.windows(2).all(|w| w[1] > w[0]), "{imposed:?}");
    for more in [gross(&|s| odd_even(s, "suspend")), gross(&transit_cap)] {
        assert!(more.windows(2).all(|w| w[1] < w[0]), "{more:?}");
    }
    // A closure slows the closed region: the remaining traffic saves less (or loses) time.
    let hours: Vec<f64> = [0.0, 0.5, 1.0]
        .iter()
        .map(|s| {
            let r = run_small(ds, &bundle(&closure(*s)), 2);
            r.row(
                Basis::DkiRoads,
                MetricId::VEHICLE_HOURS,
                Component::Congestion,
            )
            .expect("a congestion row")
            .total
            .median()
        })
        .collect();
    assert!(hours.windows(2).all(|w| w[1] < w[0]), "{hours:?}");
}

#[test]
fn bad_measures_are_refused_with_their_messages() {
    let ds = dataset();
    let err = |m: &str| {
        parse_scenario("b.toml", &bundle(m), ds)
            .expect_err("refused")
            .to_string()
    };
    let cases = [
        (
            closure(1.0).replace("capacity = 0.8", "capacity = 0"),
            "b.toml:19:12: measure[0].capacity: 0 is outside (0, 1]: the share of the regions' road capacity left open (1 = nothing closed; a region cannot close every road)",
        ),
        (
            closure(1.0).replace("divert_to = [\"jakarta_selatan\"]\n", ""),
            "b.toml:14:1: measure[0]: diversion above 0 needs divert_to = the regions whose roads take the diverted traffic, e.g. [\"jakarta_selatan\"]",
        ),
        (
            closure(1.0).replace("[\"jakarta_selatan\"]", "[\"jakarta_pusat\"]"),
            "b.toml:21:13: measure[0].divert_to: 'jakarta_pusat' is closed by this measure itself; divert to regions outside its regions",
        ),
        (
            limit(1.0).replace("business = 0.7", "business = 1.5"),
            "b.toml:17:49: measure[0].purposes.business: 1.5 is outside 0..1: a share is a fraction, 0.5 means 50%; a factor on the purpose's trips (1 = unchanged, 0 = none)",
        ),
        (
            school(1.0).replace("school_closure", "curfew"),
            "b.toml:15:8: measure[0].kind: 'curfew' is not allowed; use one of 'school_closure', 'activity_limit', 'road_closure'",
        ),
        (
            school(1.0).replace("to = 2023-09-07", "to = 2023-09-12"),
            "b.toml:18:13: measure[0].schedule[0]: 2023-09-04..2023-09-12 is not inside the scenario period 2023-09-04..2023-09-08; move the window or widen [period]",
        ),
        (
            school(1.0).replace("\"pjj\"", "\"WFH orders\""),
            "b.toml:16:8: measure[0].name: 'WFH orders' names the part of the scenario's policies when a bundle's effect is split among its parts; give the measure another name",
        ),
        (
            odd_even(1.0, "suspend").replace("\"jakarta_selatan\"", "\"kota_depok\""),
            "b.toml:18:11: measure[0].regions: 'kota_depok' has no odd-even in the baseline (it is in force on DKI's roads only); a suspension acts on DKI's regions",
        ),
        (
            odd_even(1.0, "suspend")
                .replace("regions", "periods = [\"peak\", \"offpeak\"]\nregions"),
            "b.toml:18:11: measure[0].periods: \"offpeak\": the baseline's odd-even runs in the peaks only (06-10, 16-21), so only [\"peak\"] can be suspended",
        ),
        (
            odd_even(1.0, "lift"),
            "b.toml:17:10: measure[0].action: 'lift' is not allowed; use one of 'impose', 'suspend'",
        ),
        (
            transit_cap(1.0).replace("cap = 0.5", "cap = 1.5"),
            "b.toml:17:7: measure[0].cap: 1.5 is outside (0, 1]: the share of transit's normal capacity allowed aboard (1 = no cap)",
        ),
        (
            transit_cap(1.0).replace("cap = 0.5", "cap = 0.5\nmodes = [\"krl\", \"car\"]"),
            "b.toml:18:9: measure[0].modes: 'car' is not a transit mode; allowed: krl, mrt_lrt, bus, angkot",
        ),
        (
            format!(
                "{}{}",
                transit_cap(1.0),
                transit_cap(1.0).replace("\"cap\"", "\"cap2\"")
            ),
            "b.toml:19:1: measure[1]: 'cap2' is a transit cap in force on 2023-09-04..2023-09-08, as measure[0] 'cap' is; give transit one cap a day",
        ),
        (
            school(1.0).replace("regions = ", "zones = "),
            "b.toml:17:1: measure[0]: unknown key 'zones' (valid: kind, name, regions, schedule, source)",
        ),
    ];
    let seven: String = (0..7)
        .map(|i| school(1.0).replace("\"pjj\"", &format!("\"pjj{i}\"")))
        .collect();
    let many = (
        seven,
        "b.toml:14:1: measure: 8 parts (the WFH orders and each measure name); a bundle splits over at most 6 (2^6 runs): give measures that act together one name".to_string(),
    );
    let cases: Vec<(String, String)> = cases
        .into_iter()
        .map(|(t, w)| (t, w.to_string()))
        .chain([many])
        .collect();
    for (text, want) in cases {
        let got = err(&text);
        assert!(got.contains(&want), "want\n{want}\ngot\n{got}");
    }
}

/// A population at scale 0.02 from `seed`, 3 replicates on 2 threads, and its baseline.
fn small_population(seed: u64, uncertainty: Uncertainty) -> (Population, RunOptions, Baseline) {
    let ds = dataset();
    let pop = population(ds, 0.02, seed);
    let opt = RunOptions {
        seed,
        replicates: 3,
        scale: 0.02,
        threads: 2,
        uncertainty,
    };
    let base = Baseline::new(ds, &pop, opt.uncertainty, false);
    (pop, opt, base)
}

#[test]
fn a_bundle_s_parts_add_up_to_its_total_and_an_idle_measure_gets_zero() {
    let ds = dataset();
    let idle = r#"[[measure]]
kind = "activity_limit"
name = "idle"
purposes = { business = 1.0 }
schedule = [{ from = 2023-09-04, to = 2023-09-08, share = 1.0 }]
"#;
    let text = bundle(&format!(
        "{}{}{}{idle}",
        school(1.0),
        closure(1.0),
        odd_even(1.0, "suspend")
    ));
    let sc = scenario(ds, &text);
    let (pop, opt, base) = small_population(7, Uncertainty::Behavioural);
    let whole = run_scenario(ds, &pop, &base, &sc, opt, &|_| {}).unwrap();
    let d = decompose(ds, &pop, &base, &sc, &whole, opt, &|_| {})
        .unwrap()
        .expect("a bundle with measures is decomposed");
    assert_eq!(d.parts, [WFH_PART, "pjj", "closure", "odd-even", "idle"]);
    // With no part in force every amount is zero and a level (the congestion level) the
    // baseline's: the parts add up to the bundle's total less that.
    let all_parts = wfhsim_core::simulate::decompose::parts(&sc);
    let none_sc = wfhsim_core::simulate::decompose::coalition(&sc, &all_parts, 0);
    let none = run_scenario(ds, &pop, &base, &none_sc, opt, &|_| {}).unwrap();
    for (i, rep) in d.replicates.iter().enumerate() {
        for (k, parts) in rep.iter().enumerate() {
            let without = none.replicate_totals[i][k];
            assert!(
                without == 0.0 || whole.summary[k].metric.is_level(),
                "row {k}"
            );
            let total = whole.replicate_totals[i][k] - without;
            let sum: f64 = parts.iter().sum();
            assert!(
                (sum - total).abs() <= 1e-9 * total.abs().max(1.0),
                "replicate {i} row {k}: {sum} vs {total}"
            );
            assert_eq!(parts[4], 0.0, "replicate {i} row {k}");
        }
    }
    // Schools closed remove trips on DKI's roads; the idle measure none.
    let row = whole
        .summary
        .iter()
        .position(|s| {
            s.basis == Basis::DkiRoads
                && s.metric == MetricId::VEHICLE_KM
                && s.component == Component::Gross
        })
        .unwrap();
    assert!(d.bands[row][1].median() > 0.0);
}

#[test]
fn coalitions_sharing_an_engine_step_give_what_each_run_alone_gives() {
    let ds = dataset();
    // Two engine parts (the order, attendance) and three road-layer ones: 32 coalitions,
    // 4 engine steps per replicate.
    let text = bundle(&format!(
        "{}{}{}{}",
        attendance(0.6, 1.0, r#"["private_formal"]"#),
        school(1.0),
        transit_cap(1.0),
        odd_even(1.0, "suspend")
    ));
    let sc = scenario(ds, &text);
    let (pop, opt, base) = small_population(11, Uncertainty::Full);
    let shared = coalition_totals(ds, &pop, &base, &sc, opt, &|_| {}).unwrap();
    let parts = decompose::parts(&sc);
    assert_eq!(parts.len(), 5);
    assert_eq!(shared.len(), 31);
    for (mask, totals) in shared.iter().enumerate() {
        let alone = decompose::coalition(&sc, &parts, mask);
        let r = run_scenario(ds, &pop, &base, &alone, opt, &|_| {}).unwrap();
        assert_eq!(*totals, r.replicate_totals, "coalition {mask:#07b}");
    }
}

#[test]
fn the_summit_bundle_reads_as_three_parts() {
    let ds = dataset();
    let text = include_str!("../../../scenarios/bundles/asean-summit-2023-bundle.toml");
    let sc = parse_scenario("asean-summit-2023-bundle.toml", text, ds).unwrap();
    let parts: Vec<String> = wfhsim_core::simulate::decompose::parts(&sc)
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(
        parts,
        [
            WFH_PART,
            "Distance learning in 9 kecamatan",
            "Closures around delegate movements"
        ]
    );
}

fn attendance(a: f64, strength: f64, employers: &str) -> String {
    format!(
        r#"[[measure]]
kind = "attendance"
name = "offices closed"
employers = {employers}
exempt_roles = ["health"]
attendance = {{ central = {a}, low = {a}, high = {a} }}
schedule = [{{ from = 2023-09-04, to = 2023-09-08, share = {strength} }}]
"#
    )
}

/// Whole-area gross trips avoided, median.
fn trips(r: &ScenarioResult) -> f64 {
    r.row(Basis::All, MetricId::TRIPS, Component::Gross)
        .expect("a trips row")
        .total
        .median()
}

#[test]
fn attendance_sends_one_minus_it_home_and_is_nothing_at_zero_strength() {
    let ds = dataset();
    let private = r#"["private_formal"]"#;
    let plain = run_small(ds, &bundle(""), 4);
    let off = run_small(ds, &bundle(&attendance(0.5, 0.0, private)), 4);
    assert_eq!(totals(&off), totals(&plain));
    // The workers away beyond the policy's scale with 1 − attendance × strength: the
    // extra trips avoided at attendance 0.5 are 2.5 times those at 0.8, and half of
    // those at attendance 0.5 and full strength when at half strength.
    let extra = |a: f64, s: f64| {
        trips(&run_small(ds, &bundle(&attendance(a, s, private)), 4)) - trips(&plain)
    };
    let (half, fifth, half_strength) = (extra(0.5, 1.0), extra(0.8, 1.0), extra(0.5, 0.5));
    assert!((half / fifth / 2.5 - 1.0).abs() < 0.02, "{half} {fifth}");
    assert!(
        (half_strength / half / 0.5 - 1.0).abs() < 0.02,
        "{half_strength} {half}"
    );
}

#[test]
fn attendance_on_workers_a_policy_governs_is_refused() {
    let ds = dataset();
    let text = bundle(&attendance(0.5, 1.0, r#"["dki", "private_formal"]"#));
    let e = parse_scenario("b.toml", &text, ds).unwrap_err().to_string();
    let want = "b.toml:14:1: measure[0]: 'offices closed' covers employer 'dki' on 2023-09-04..2023-09-08, as policy[0] 'p' does; a worker at home is counted once: give them disjoint dates, employers or work regions";
    assert!(e.contains(want), "{e}");
    let bad = bundle(&attendance(0.5, 1.0, r#"["informal"]"#)).replace(
        "{ central = 0.5, low = 0.5, high = 0.5 }",
        "{ central = 0.5, low = 0.7, high = 0.9 }",
    );
    let e = parse_scenario("b.toml", &bad, ds).unwrap_err().to_string();
    assert!(
        e.contains("b.toml:19:14: measure[0].attendance: low 0.7 is above central 0.5; needs low <= central <= high"),
        "{e}"
    );
}

#[test]
fn the_natural_experiments_are_the_seven_periods_and_validate() {
    let ds = dataset();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/natural-experiments");
    let mut names: Vec<String> = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let text = std::fs::read_to_string(&p).unwrap();
            let s = parse_scenario(&p.display().to_string(), &text, ds)
                .unwrap_or_else(|e| panic!("{e}"));
            let file = p.file_stem().unwrap().to_string_lossy().into_owned();
            assert_eq!(s.name, file);
            names.push(s.name);
        }
    }
    names.sort();
    assert_eq!(
        names,
        [
            "ppkm-darurat-2021",
            "ppkm-june-2021",
            "psbb-2020-extreme",
            "psbb-2020-i",
            "psbb-2020-ii",
            "psbb-2020-transisi",
            "psbb-2020-voluntary"
        ]
    );
}
