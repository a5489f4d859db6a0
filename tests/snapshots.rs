//! Snapshots of a small fixed run of the real binary (default study, scale 0.01,
//! 3 replicates, seed 42): the header and first rows of each CSV table and the key set of
//! `manifest.json` (keys only: its values hold timings). A change of column, order,
//! number format or value shows here as a diff to review; accept it by editing the
//! inline snapshot when the change is intended.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;

/// The run folder, made once per test binary.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Cargo's scratch space for integration tests, kept out of the source tree.
        // One folder, replaced by each test run (--force).
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshots");
        let name = "run";
        Command::cargo_bin("wfhsim")
            .unwrap()
            .args([
                "run",
                "--scale",
                "0.01",
                "--replicates",
                "3",
                "--seed",
                "42",
            ])
            .arg("--out")
            .arg(&out)
            .args(["--name", name, "--force"])
            .assert()
            .success();
        out.join(name)
    })
}

fn lines(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(run_dir().join(file)).unwrap();
    text.lines().map(str::to_string).collect()
}

/// The first `n` lines of a file of the run.
fn head(file: &str, n: usize) -> String {
    lines(file)[..n].join("\n")
}

/// Every key path of a JSON value, array elements merged as `[]`.
fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                key_paths(x, &p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                key_paths(x, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn summary_csv_head() {
    insta::assert_snapshot!(head("summary.csv", 6), @r#"
    scenario,title,region_basis,region,region_name,metric,component,unit,window_start,window_end,window_working_days,total_p05,total_p50,total_p95,per_day_p50,baseline_total_p50,pct_baseline_p05,pct_baseline_p50,pct_baseline_p95,pct_baseline_dki_p05,pct_baseline_dki_p50,pct_baseline_dki_p95
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,gross,trips,2023-08-21,2023-10-21,44,535580.000,558800.000,564020.000,12700.000,1272964000.000,0.042,0.044,0.044,0.106,0.111,0.112
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,rebound,trips,2023-08-21,2023-10-21,44,95837.001,125730.122,155894.254,2857.503,1272964000.000,0.008,0.010,0.012,0.019,0.025,0.031
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,net,trips,2023-08-21,2023-10-21,44,379685.746,433069.878,468182.999,9842.497,1272964000.000,0.030,0.034,0.037,0.075,0.086,0.093
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,gross,km,2023-08-21,2023-10-21,44,5155063.805,5342939.661,5438315.553,121430.447,13714602105.614,0.038,0.039,0.040,0.097,0.101,0.103
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,rebound,km,2023-08-21,2023-10-21,44,442480.314,478008.987,672339.454,10863.841,13714602105.614,0.003,0.003,0.005,0.008,0.009,0.013
    "#);
}

#[test]
fn daily_csv_head() {
    // The header and first row (a day before the window: all zero), then the first rows
    // of the summit's first day over the whole region, where trips are avoided.
    let all = lines("daily.csv");
    let summit: Vec<&String> = all
        .iter()
        .filter(|l| l.starts_with("dki-2023,2023-09-04,all,all,"))
        .take(3)
        .collect();
    let text = format!(
        "{}\n{}\n{}",
        all[0],
        all[1],
        summit
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    insta::assert_snapshot!(text, @r#"
    scenario,date,region_basis,region,mode,baseline_trips,trips_avoided_p05,trips_avoided_p50,trips_avoided_p95,person_km_avoided_p05,person_km_avoided_p50,person_km_avoided_p95,vehicle_km_avoided_p05,vehicle_km_avoided_p50,vehicle_km_avoided_p95,vehicle_km_rebound_p05,vehicle_km_rebound_p50,vehicle_km_rebound_p95,co2_gross_kg_p05,co2_gross_kg_p50,co2_gross_kg_p95,co2_rebound_kg_p05,co2_rebound_kg_p50,co2_rebound_kg_p95,co2_avoided_kg_p05,co2_avoided_kg_p50,co2_avoided_kg_p95,pm25_avoided_kg_p05,pm25_avoided_kg_p50,pm25_avoided_kg_p95,pm10_avoided_kg_p05,pm10_avoided_kg_p50,pm10_avoided_kg_p95,nox_avoided_kg_p05,nox_avoided_kg_p50,nox_avoided_kg_p95,co_avoided_kg_p05,co_avoided_kg_p50,co_avoided_kg_p95,hc_avoided_kg_p05,hc_avoided_kg_p50,hc_avoided_kg_p95,so2_avoided_kg_p05,so2_avoided_kg_p50,so2_avoided_kg_p95
    dki-2023,2023-08-01,home,jakarta_pusat,motorcycle,555200.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000
    dki-2023,2023-09-04,all,all,motorcycle,17682400.000,10280.000,11000.000,11720.000,86857.860,98189.061,107595.341,69904.780,88103.279,100171.584,7083.889,8563.888,12421.603,5068.527,6498.355,7375.168,3829.310,4142.862,4207.655,960.504,2703.884,3202.351,0.312,0.376,0.456,0.312,0.376,0.456,13.653,16.692,20.097,170.835,239.173,283.515,24.492,33.257,39.724,0.595,0.992,1.793
    dki-2023,2023-09-04,all,all,car,2778200.000,1020.000,1200.000,1380.000,16533.162,17465.312,18965.265,11205.250,13372.817,15547.678,603.526,897.417,1166.355,2562.193,3103.523,3613.140,497.449,588.164,629.282,2064.743,2515.359,2983.857,0.025,0.031,0.038,0.025,0.031,0.038,1.550,1.902,2.383,6.272,7.941,10.016,0.725,0.932,1.184,0.317,0.505,0.907
    dki-2023,2023-09-04,all,all,ridehail_moto,1404600.000,1200.000,1200.000,1380.000,14389.383,15121.252,15362.822,20940.772,21590.384,22719.181,1435.315,1680.115,2218.822,1541.464,1561.537,1669.638,469.219,478.616,607.170,952.137,1060.617,1198.188,0.094,0.100,0.106,0.094,0.100,0.106,4.146,4.349,4.685,53.891,59.084,65.779,7.734,8.215,9.216,0.186,0.245,0.415
    "#);
}

#[test]
fn windows_csv_head() {
    insta::assert_snapshot!(head("windows.csv", 6), @r#"
    scenario,policy,from,to,share
    dki-2023,Pemprov DKI ASN,2023-08-21,2023-09-03,0.500
    dki-2023,Pemprov DKI ASN,2023-09-04,2023-09-07,0.750
    dki-2023,Pemprov DKI ASN,2023-09-08,2023-10-21,0.500
    dki-2023-50-only,Pemprov DKI ASN,2023-08-21,2023-10-21,0.500
    dki-2023-one-month,Pemprov DKI ASN,2023-08-21,2023-09-03,0.500
    "#);
}

#[test]
fn manifest_keys() {
    let text = std::fs::read_to_string(run_dir().join("manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut keys = BTreeSet::new();
    key_paths(&m, "", &mut keys);
    insta::assert_snapshot!(keys.into_iter().collect::<Vec<_>>().join("\n"), @r#"
    agents
    dataset
    dataset.gravity_beta_per_km
    dataset.origin
    dataset.sha256
    engine_agent_days
    engine_agent_days_per_s
    peak_rss_bytes
    population_bytes
    replicates
    run_name
    scale
    scenarios
    scenarios[].covered_agent_days
    scenarios[].covered_workers
    scenarios[].eligible_workers
    scenarios[].emission_model
    scenarios[].engine_agent_days_per_s
    scenarios[].engine_seconds
    scenarios[].name
    scenarios[].origin
    scenarios[].plan_bytes
    scenarios[].remainders_clamped
    scenarios[].roads_seconds
    scenarios[].sha256
    scenarios[].speeds_clamped
    scenarios[].title
    scenarios[].window
    scenarios[].window_working_days
    seed
    threads
    wall_seconds
    wall_seconds.engine
    wall_seconds.load
    wall_seconds.population
    wall_seconds.roads
    wall_seconds.simulate
    wall_seconds.total
    wall_seconds.write
    wfhsim_version
    "#);
}
