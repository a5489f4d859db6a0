//! The calibration report on a hand-built baseline with a known answer: the peak share and
//! the all-day speed of DKI's roads, the congestion level, the gasoline from CO2 and the
//! inventory tonnes, each worked out by hand below (not by the program); the verdict at
//! the edges of a range; and the report's rows through the run pipeline.

use crate::common;

use common::{dataset, dki_at_half, run_small};
use wfhsim_core::data::inputs::calibration::Target;
use wfhsim_core::data::{POLLUTANTS, VehicleClass};
use wfhsim_core::results::days::Days;
use wfhsim_core::traffic::calibration::{Measure, inside, modelled, report};
use wfhsim_core::traffic::draw::RoadDraw;
use wfhsim_core::traffic::emission::NP;
use wfhsim_core::traffic::{RoadContext, RoadSums};

const CO2: usize = 0;
const NOX: usize = 5;

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
}

/// A baseline with traffic in two DKI regions and one Bodetabek region, speeds 20 and
/// 40 km/h, free flow 40 km/h, car and motorcycle CO2 per kg fuel 3.169 and 3.0.
fn hand_built(ctx: &RoadContext) -> RoadSums {
    let ds = dataset();
    let mut draw = RoadDraw::new(&ds.inputs.roads, 42, 0, true).unwrap();
    draw.v_free = 40.0;
    let (moto, car, bus) = (
        VehicleClass::Motorcycle.index(),
        VehicleClass::Car.index(),
        VehicleClass::Bus.index(),
    );
    draw.class[car].co2_per_fuel = 3.169;
    draw.class[moto].co2_per_fuel = 3.0;
    let dki: Vec<usize> = (0..ctx.n).filter(|&r| ctx.is_dki[r]).collect();
    let outside = (0..ctx.n).find(|&r| !ctx.is_dki[r]).unwrap();
    let (a, b) = (dki[0], dki[1]);
    let mut vkm = vec![0.0; ctx.rows_per_day()];
    let mut kg = vec![0.0; ctx.rows_per_day() * NP];
    // DKI: peak 300 + 100 = 400, off-peak 200 + 400 = 600 vehicle-km.
    vkm[ctx.row(a, car, 0)] = 300.0;
    vkm[ctx.row(a, car, 1)] = 200.0;
    vkm[ctx.row(b, moto, 0)] = 100.0;
    vkm[ctx.row(b, moto, 1)] = 400.0;
    // Outside DKI: counts for no DKI measure.
    vkm[ctx.row(outside, moto, 0)] = 1000.0;
    // CO2: 3169 kg from cars (1000 kg petrol), 1500 kg from motorcycles (500 kg), a bus's
    // 10 t (diesel, left out).
    kg[ctx.row(outside, car, 1) * NP + CO2] = 3169.0;
    kg[ctx.row(a, moto, 0) * NP + CO2] = 900.0;
    kg[ctx.row(outside, moto, 1) * NP + CO2] = 600.0;
    kg[ctx.row(a, bus, 0) * NP + CO2] = 10_000.0;
    // NOx: 2 + 1 kg a day on DKI's roads, 5 outside.
    kg[ctx.row(a, car, 0) * NP + NOX] = 2.0;
    kg[ctx.row(b, bus, 1) * NP + NOX] = 1.0;
    kg[ctx.row(outside, car, 0) * NP + NOX] = 5.0;
    RoadSums {
        baseline_vkm: vkm.clone(),
        commuter_vkm: vec![0.0; vkm.len()],
        baseline_kg: kg,
        draw,
        speed: [20.0, 40.0],
        days: Days::all(Vec::new()),
        remainder_clamped: 0,
        speed_clamped: 0,
    }
}

#[test]
fn each_measure_matches_its_hand_computed_value() {
    let ctx = RoadContext::new(dataset());
    let s = hand_built(&ctx);
    let m = |m| modelled(&ctx, &s, m, 0.8);
    close(m(Measure::DkiPeakShare), 0.4);
    // 1000 vkm over 400/20 + 600/40 = 35 vehicle-hours.
    close(m(Measure::DkiAllDaySpeed), 1000.0 / 35.0);
    // 40 / (1000/35) − 1 = 0.4.
    close(m(Measure::DkiCongestionLevel), 0.4);
    // (1000 + 500) kg petrol / 0.8 kg/L.
    close(m(Measure::StudyAreaGasoline), 1875.0);
    // 3 kg a day × 365 / 1000.
    let nox = POLLUTANTS.iter().position(|p| *p == "nox").unwrap();
    assert_eq!(nox, NOX);
    close(m(Measure::DkiTonnesPerYear(nox)), 1.095);
}

#[test]
fn the_verdict_includes_both_ends_and_refuses_nan() {
    assert!(inside(0.5, 0.5, 0.6));
    assert!(inside(0.6, 0.5, 0.6));
    assert!(!inside(0.6 + 1e-12, 0.5, 0.6));
    assert!(!inside(0.5 - 1e-12, 0.5, 0.6));
    assert!(!inside(f64::NAN, 0.5, 0.6));
}

#[test]
fn the_report_bands_replicates_and_judges_the_median() {
    let ds = dataset();
    let ctx = RoadContext::new(ds);
    let base = hand_built(&ctx);
    // Three replicates with peak shares 0.4, 0.5 and 0.6 (the peak's vehicle-km scaled).
    let reps: Vec<RoadSums> = [1.0, 1.5, 2.25]
        .iter()
        .map(|f| {
            let mut s = base.clone();
            for r in (0..ctx.n).filter(|&r| ctx.is_dki[r]) {
                for k in 0..wfhsim_core::traffic::NK {
                    s.baseline_vkm[ctx.row(r, k, 0)] *= f;
                }
            }
            s
        })
        .collect();
    let mut inputs = ds.inputs.calibration.clone();
    let peak_target = inputs.dki_peak_share.clone();
    let edge = |low, high| Target {
        low,
        high,
        ..peak_target.clone()
    };
    inputs.dki_peak_share = edge(0.45, 0.5);
    let rows = report(&ctx, &reps, &inputs);
    let peak = &rows[0];
    assert_eq!(peak.key, "calibration.dki_peak_share");
    // 400/1000, 600/1200, 900/1500.
    close(peak.modelled.median(), 0.5);
    // p05 and p95 of three values: the extremes (position p(n + 1) clamped to [1, n]).
    close(peak.modelled.low(), 0.4);
    close(peak.modelled.high(), 0.6);
    assert!(peak.inside, "the median 0.5 is the range's high end");
    inputs.dki_peak_share = edge(0.5 + 1e-9, 0.6);
    assert!(!report(&ctx, &reps, &inputs)[0].inside);
    assert!(report(&ctx, &[], &inputs).is_empty());
}

#[test]
fn the_run_reports_every_target_once_with_its_source() {
    let r = run_small(dataset(), &dki_at_half(), 3);
    let keys: Vec<&str> = r.roads.calibration.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "calibration.dki_peak_share",
            "calibration.tomtom_allday_kmh",
            "calibration.tomtom_congestion_level",
            "calibration.mor3_gasoline_l_per_day",
            "inventory.dki.nox",
            "inventory.dki.co",
            "inventory.dki.pm25",
            "inventory.dki.pm10",
        ]
    );
    for c in &r.roads.calibration {
        assert!(c.source.starts_with("http"), "{}: {}", c.key, c.source);
        assert!(c.low <= c.target && c.target <= c.high, "{}", c.key);
        assert!(c.modelled.low() <= c.modelled.median());
        assert!(c.modelled.median() <= c.modelled.high());
        assert_eq!(c.inside, inside(c.modelled.median(), c.low, c.high));
    }
}
