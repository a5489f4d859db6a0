//! The band of a difference between two scenarios of one run: `comparisons.csv` is made
//! of the per-replicate totals in `replicates.parquet`, and the summit week at 75% avoids
//! more than 50% in every replicate.

use crate::support::*;
use polars::prelude::*;
use wfhsim_report::view::{read_csv, read_parquet};

/// The trips-avoided total (net) of the whole area, per replicate, of one scenario.
pub(crate) fn replicate_trips(df: &DataFrame, scenario: &str) -> Vec<f64> {
    let text = |c: &str| df.column(c).unwrap().str().unwrap().clone();
    let (sc, basis, region) = (text("scenario"), text("region_basis"), text("region"));
    let (metric, component) = (text("metric"), text("component"));
    let total = df.column("total").unwrap().f64().unwrap().clone();
    let rep = df.column("replicate").unwrap().i64().unwrap().clone();
    let mut rows: Vec<(i64, f64)> = (0..df.height())
        .filter(|&i| {
            sc.get(i) == Some(scenario)
                && basis.get(i) == Some("all")
                && region.get(i) == Some("all")
                && metric.get(i) == Some("trips")
                && component.get(i) == Some("net")
        })
        .map(|i| (rep.get(i).unwrap(), total.get(i).unwrap()))
        .collect();
    rows.sort_by_key(|r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

/// The median of an even or odd number of values, computed here (not by the program).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs the summit week at 75% and at 50% at 2% scale into `out/name` with `options`.
fn run_pair(out: &std::path::Path, name: &str, options: &[&str]) -> std::path::PathBuf {
    wfhsim()
        .args([
            "run",
            "scenarios/dki-2023.toml",
            "scenarios/dki-2023-50-only.toml",
            "--scale",
            "0.02",
        ])
        .args(options)
        .args(["--name", name, "--out"])
        .arg(out)
        .assert()
        .success();
    out.join(name)
}

#[test]
fn the_summit_week_at_75_percent_avoids_more_than_50_in_every_replicate() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let run = run_pair(out, "pair", &["--replicates", "8"]);
    let reps = read_parquet(&run.join("replicates.parquet")).unwrap();
    let (a, b) = (
        replicate_trips(&reps, "dki-2023"),
        replicate_trips(&reps, "dki-2023-50-only"),
    );
    assert_eq!((a.len(), b.len()), (8, 8));
    let diffs: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
    assert!(diffs.iter().all(|&d| d > 0.0), "{diffs:?}");
    let cmp = read_csv(&run.join("comparisons.csv")).unwrap();
    let text = |c: &str| cmp.column(c).unwrap().str().unwrap().clone();
    let row = (0..cmp.height())
        .find(|&i| {
            text("scenario_a").get(i) == Some("dki-2023")
                && text("scenario_b").get(i) == Some("dki-2023-50-only")
                && text("region_basis").get(i) == Some("all")
                && text("metric").get(i) == Some("trips")
                && text("component").get(i) == Some("net")
        })
        .expect("a comparison row of trips avoided");
    let num = |c: &str| cmp.column(c).unwrap().f64().unwrap().get(row).unwrap();
    assert!(
        (num("difference_p50") - median(diffs.clone())).abs() < 1e-3 + 1e-6 * num("difference_p50")
    );
    assert_eq!((num("p_a_greater"), num("p_b_greater")), (1.0, 0.0));
    assert!(num("difference_p05") > 0.0 && num("difference_p05") <= num("difference_p95"));
    // The window has 44 working days in both scenarios: the per-day band is the total's.
    assert!((num("difference_per_day_p50") * 44.0 - num("difference_p50")).abs() < 0.05);
}

/// The whole area's trips avoided of one scenario per (replicate, day since 1970-01-01),
/// from `replicates_daily.parquet`.
fn daily_trips(df: &DataFrame, scenario: &str) -> std::collections::BTreeMap<(i64, i32), f64> {
    let sc = df.column("scenario").unwrap().str().unwrap().clone();
    let rep = df.column("replicate").unwrap().i64().unwrap().clone();
    let date = df.column("date").unwrap().cast(&DataType::Int32).unwrap();
    let date = date.i32().unwrap().clone();
    let trips = df.column("trips_avoided").unwrap().f64().unwrap().clone();
    (0..df.height())
        .filter(|&i| sc.get(i) == Some(scenario))
        .map(|i| {
            (
                (rep.get(i).unwrap(), date.get(i).unwrap()),
                trips.get(i).unwrap(),
            )
        })
        .collect()
}

/// Each replicate's daily values (`replicates_daily.parquet`) give the daily table's
/// medians, and the briefing's event-week sentence counts the replicates in which the
/// summit week at 75% avoids more per day over the summit's days (5–7 September 2023,
/// counted here from the file) than 50%.
#[test]
fn the_event_week_comparison_is_made_of_each_replicates_daily_values() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let run = run_pair(out, "week", &["--replicates", "5", "--lang", "en"]);
    let reps = read_parquet(&run.join("replicates_daily.parquet")).unwrap();
    let (a, b) = (
        daily_trips(&reps, "dki-2023"),
        daily_trips(&reps, "dki-2023-50-only"),
    );
    // 5 replicates × 64 working days (August to October 2023) each.
    assert_eq!((a.len(), b.len()), (320, 320));

    let daily = read_parquet(&run.join("daily.parquet")).unwrap();
    let text = |c: &str| daily.column(c).unwrap().str().unwrap().clone();
    let date = daily
        .column("date")
        .unwrap()
        .cast(&DataType::Int32)
        .unwrap();
    let p50 = daily
        .column("trips_avoided_p50")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    let mut checked = 0;
    for i in 0..daily.height() {
        let whole = ["region_basis", "region", "mode"].map(|c| text(c).get(i) == Some("all"));
        if text("scenario").get(i) != Some("dki-2023") || whole.contains(&false) {
            continue;
        }
        let day = date.i32().unwrap().get(i).unwrap();
        let values: Vec<f64> = (0..5).map(|r| a[&(r, day)]).collect();
        let want = median(values);
        let got = p50.get(i).unwrap();
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "day {day}: {got} against {want}"
        );
        checked += 1;
    }
    assert_eq!(checked, 64);

    // 2023-09-05..07 are days 19605..19607 since 1970-01-01.
    let summit = 19605..=19607;
    let more = (0..5)
        .filter(|&r| {
            let sum = |v: &std::collections::BTreeMap<(i64, i32), f64>| {
                summit.clone().map(|d| v[&(r, d)]).sum::<f64>()
            };
            sum(&a) > sum(&b)
        })
        .count();
    let briefing = std::fs::read_to_string(run.join("briefing.html")).unwrap();
    let sentence = "43rd ASEAN Summit (5–7 September 2023): “DKI ASN 50%, 75% in summit week (as announced)” instead of “DKI ASN 50% throughout (no 75% week)” avoids ";
    assert!(briefing.contains(sentence), "no event-week sentence");
    assert!(
        briefing.contains(&format!("more in {more} of 5 replicates.")),
        "{more} of 5"
    );
}
