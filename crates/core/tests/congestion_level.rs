//! The summary's congestion level rows (`dki_roads` and `dki_roads_peak`, metric
//! `congestion_level`): on a hand-built replicate whose level is worked out by hand below
//! (not by the program); with no policy in force, the baseline's level exactly, and the
//! calibration report's; more workers at home, a lower level; a comparison of two levels
//! is a change per working day, whatever the windows.

use crate::common;

use common::{dataset, one_policy, run_small};
use wfhsim_core::calendar::Date;
use wfhsim_core::data::VehicleClass;
use wfhsim_core::results::days::Days;
use wfhsim_core::results::schema::{Component, MetricId};
use wfhsim_core::results::{Basis, ScenarioResult, SummaryRow};
use wfhsim_core::traffic::draw::RoadDraw;
use wfhsim_core::traffic::step::{RoadCell, RoadDay};
use wfhsim_core::traffic::{RoadContext, RoadSums};

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
}

fn level_row(rows: &[SummaryRow], basis: Basis) -> &SummaryRow {
    let mut found = rows
        .iter()
        .filter(|r| r.basis == basis && r.metric == MetricId::CONGESTION_LEVEL);
    let row = found.next().expect("a congestion level row");
    assert!(found.next().is_none(), "one level row per basis");
    row
}

/// A day with no change on any road.
fn quiet_day(ctx: &RoadContext) -> RoadDay {
    RoadDay {
        cells: vec![RoadCell::default(); ctx.rows_per_day()],
        new_speed: vec![0.0; ctx.n * 2],
        cordon_avoided: [0.0; 2],
    }
}

/// One replicate: DKI's baseline carries 400 vehicle-km at the peak (20 km/h) and 600
/// off-peak (40 km/h), free flow 40 km/h; three working days, changes on each, the first
/// outside the window.
fn hand_built(ctx: &RoadContext) -> RoadSums {
    let ds = dataset();
    let mut draw = RoadDraw::new(&ds.inputs.roads, 42, 0, true).unwrap();
    draw.v_free = 40.0;
    let (moto, car) = (VehicleClass::Motorcycle.index(), VehicleClass::Car.index());
    let dki: Vec<usize> = (0..ctx.n).filter(|&r| ctx.is_dki[r]).collect();
    let outside = (0..ctx.n).find(|&r| !ctx.is_dki[r]).unwrap();
    let (a, b) = (dki[0], dki[1]);
    let mut vkm = vec![0.0; ctx.rows_per_day()];
    vkm[ctx.row(a, car, 0)] = 300.0;
    vkm[ctx.row(a, car, 1)] = 200.0;
    vkm[ctx.row(b, moto, 0)] = 100.0;
    vkm[ctx.row(b, moto, 1)] = 400.0;
    vkm[ctx.row(outside, car, 0)] = 5000.0;
    let mut days = vec![quiet_day(ctx), quiet_day(ctx), quiet_day(ctx)];
    // Day 0, outside the window: counts for nothing.
    days[0].cells[ctx.row(a, car, 0)].gross_vkm = 999.0;
    days[0].cells[ctx.row(a, car, 0)].gross_vh = 49.95;
    // Day 1: 100 car-km off the peak (5 h at 20 km/h), 2 h saved by the rest, 10 km
    // induced driven in 0.4 h; 40 motorcycle-km of errands off-peak (1 h).
    let c = &mut days[1].cells[ctx.row(a, car, 0)];
    (c.gross_vkm, c.gross_vh, c.congestion_vh) = (100.0, 5.0, 2.0);
    (c.induced_vkm, c.induced_vh) = (10.0, 0.4);
    let c = &mut days[1].cells[ctx.row(b, moto, 1)];
    (c.rebound_vkm, c.rebound_vh) = (40.0, 1.0);
    // Outside DKI: not on DKI's roads.
    let c = &mut days[1].cells[ctx.row(outside, car, 0)];
    (c.gross_vkm, c.gross_vh) = (500.0, 25.0);
    // Day 2: 60 car-km off the peak (3 h), 1 h saved.
    let c = &mut days[2].cells[ctx.row(a, car, 0)];
    (c.gross_vkm, c.gross_vh, c.congestion_vh) = (60.0, 3.0, 1.0);
    RoadSums {
        baseline_kg: vec![0.0; vkm.len() * wfhsim_core::traffic::emission::NP],
        commuter_vkm: vec![0.0; vkm.len()],
        baseline_vkm: vkm,
        draw,
        speed: [20.0, 40.0],
        days: Days::all(days),
        remainder_clamped: 0,
        speed_clamped: 0,
    }
}

#[test]
fn the_level_of_a_hand_built_window_is_worked_out_by_hand() {
    let ctx = RoadContext::new(dataset());
    let s = hand_built(&ctx);
    let dates: Vec<Date> = (4..7)
        .map(|d| Date::from_ymd(2023, 9, d).unwrap())
        .collect();
    let rows = wfhsim_core::traffic::reduce::summary(&ctx, &[s], &dates, &[false, true, true]);

    // All day. Baseline: 1000 vehicle-km in 400/20 + 600/40 = 35 h a day; 40 × 35 / 1000
    // − 1 = 0.4. The window's two days: vehicle-km avoided 160 − 40 − 10 = 110, hours
    // 8 − 1 + 3 − 0.4 = 9.6, so 2000 − 110 = 1890 km in 70 − 9.6 = 60.4 h: 40 × 60.4 /
    // 1890 − 1 = 2416/1890 − 1.
    let all = level_row(&rows, Basis::DkiRoads);
    assert_eq!(all.component, Component::Net);
    assert_eq!(all.region, None);
    let level = 100.0 * (2416.0 / 1890.0 - 1.0);
    for q in all.total.0 {
        close(q, level);
    }
    close(all.per_day_p50, level);
    close(all.baseline_p50, 40.0);
    close(all.pct.median(), level - 40.0);
    assert!(all.pct_dki.is_none());

    // The peak. Baseline: 400 km in 20 h, 40/20 − 1 = 1. The window: 800 − (160 − 10) =
    // 650 km in 40 − (8 + 3 − 0.4) = 29.4 h: 40 × 29.4 / 650 − 1 = 1176/650 − 1 (the
    // errands were off-peak).
    let peak = level_row(&rows, Basis::DkiRoadsPeak);
    let level = 100.0 * (1176.0 / 650.0 - 1.0);
    close(peak.total.median(), level);
    close(peak.baseline_p50, 100.0);
    close(peak.pct.median(), level - 100.0);

    // The summary's own vehicle-km and vehicle-hours rows give the same level by the
    // hand method of docs/validation.md (one replicate: its medians are its values).
    let net = |m| {
        rows.iter()
            .find(|r| r.basis == Basis::DkiRoads && r.metric == m && r.component == Component::Net)
            .unwrap()
    };
    let (km, h) = (net(MetricId::VEHICLE_KM), net(MetricId::VEHICLE_HOURS));
    let by_rows = (h.baseline_p50 - h.total.median()) / (km.baseline_p50 - km.total.median());
    close(all.total.median(), 100.0 * (40.0 * by_rows - 1.0));
}

/// DKI's civil servants at home at `share` from 21 Aug to `to` 2023.
fn until(share: f64, to: &str) -> ScenarioResult {
    let text = one_policy(
        r#"["dki"]"#,
        "[]",
        "rotation",
        "ceiling",
        "{ central = 1.0 }",
        &format!("[{{ from = 2023-08-21, to = {to}, share = {share} }}]"),
    );
    run_small(dataset(), &text, 3)
}

/// DKI's civil servants at home at `share` from 21 Aug to 21 Oct 2023.
fn at_share(share: f64) -> ScenarioResult {
    until(share, "2023-10-21")
}

/// The replicates' totals of a scenario's level row of `basis`.
fn per_replicate(r: &ScenarioResult, basis: Basis) -> Vec<f64> {
    let i = r
        .summary
        .iter()
        .position(|s| s.basis == basis && s.metric == MetricId::CONGESTION_LEVEL)
        .unwrap();
    r.replicate_totals.iter().map(|t| t[i]).collect()
}

#[test]
fn with_no_policy_in_force_the_level_is_the_baseline_s_and_the_calibration_s() {
    let r = at_share(0.0);
    assert!(r.window_working_days > 0);
    for basis in Basis::LEVEL {
        let row = level_row(&r.summary, basis);
        assert_eq!(row.total.median(), row.baseline_p50, "{basis:?}");
        assert_eq!(row.pct.0, [0.0; 3], "{basis:?}");
        assert_eq!(row.per_day_p50, row.total.median(), "{basis:?}");
    }
    // The baseline's level is the calibration report's TomTom measure, in percent.
    let tomtom = r
        .roads
        .calibration
        .iter()
        .find(|c| c.key == "calibration.tomtom_congestion_level")
        .unwrap();
    let row = level_row(&r.summary, Basis::DkiRoads);
    for (a, b) in row.total.0.iter().zip(tomtom.modelled.0) {
        assert!((a - 100.0 * b).abs() <= 1e-12 * a.abs(), "{a} vs {b}");
    }
}

#[test]
fn more_workers_at_home_lower_the_level_replicate_by_replicate() {
    let runs: Vec<ScenarioResult> = [0.0, 0.25, 0.5, 1.0].into_iter().map(at_share).collect();
    for basis in Basis::LEVEL {
        let levels: Vec<Vec<f64>> = runs.iter().map(|r| per_replicate(r, basis)).collect();
        for pair in levels.windows(2) {
            for (k, (fewer, more)) in pair[0].iter().zip(&pair[1]).enumerate() {
                assert!(more < fewer, "{basis:?} replicate {k}: {more} !< {fewer}");
            }
        }
        let medians: Vec<f64> = runs
            .iter()
            .map(|r| level_row(&r.summary, basis).pct.median())
            .collect();
        assert!(
            medians[0] == 0.0 && medians.windows(2).all(|w| w[1] < w[0]),
            "{basis:?}: {medians:?}"
        );
    }
}

#[test]
fn a_comparison_of_levels_is_per_working_day_whatever_the_windows() {
    let (long, short) = (at_share(1.0), until(0.25, "2023-09-21"));
    assert_ne!(long.window_working_days, short.window_working_days);
    let rows = wfhsim_core::results::paired::paired(&[long, short]);
    let find = |b: Basis, m: MetricId| {
        rows.iter()
            .find(|r| r.basis == b && r.metric == m && r.component == Component::Net)
            .unwrap()
    };
    for b in Basis::LEVEL {
        let r = find(b, MetricId::CONGESTION_LEVEL);
        // Everyone at home lowers the level more than a quarter does, in every replicate.
        assert!(r.difference.high() < 0.0 && r.b_greater == 1.0, "{r:?}");
        assert_eq!(r.per_day, Some(r.difference), "{b:?}");
    }
    // An amount over windows of unequal length has no per-day difference.
    assert_eq!(find(Basis::DkiRoads, MetricId::VEHICLE_KM).per_day, None);
}
