//! The band of a difference between two scenarios of one run: `comparisons.csv` is made
//! of the per-replicate totals in `replicates.parquet`, and the summit week at 75% avoids
//! more than 50% in every replicate.

use crate::support::*;
use polars::prelude::*;
use wfhsim_report::view::{read_csv, read_parquet};

/// The trips-avoided total (net) of the whole area, per replicate, of one scenario.
fn replicate_trips(df: &DataFrame, scenario: &str) -> Vec<f64> {
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

#[test]
fn the_summit_week_at_75_percent_avoids_more_than_50_in_every_replicate() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    wfhsim()
        .args([
            "run",
            "scenarios/dki-2023.toml",
            "scenarios/dki-2023-50-only.toml",
        ])
        .args([
            "--scale",
            "0.02",
            "--replicates",
            "8",
            "--name",
            "pair",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
    let run = out.join("pair");
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
