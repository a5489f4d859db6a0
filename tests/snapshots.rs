//! Snapshots of a small fixed run of the real binary (default study, scale 0.01,
//! 3 replicates, seed 42, behavioural uncertainty): the header and first rows of each CSV table and the key set of
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
                // Behavioural: the structure is not drawn, so these values move only when
                // the engine, the accounting or the dataset does (the release that drew
                // the structure left them unchanged; four members per hash moved them).
                "--uncertainty",
                "behavioural",
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
    scenario,title,region_basis,region,region_name,metric,component,unit,window_start,window_end,window_working_days,total_p05,total_p50,total_p95,total_p05_mc,total_p50_mc,total_p95_mc,per_day_p50,baseline_total_p50,pct_baseline_p05,pct_baseline_p50,pct_baseline_p95,pct_baseline_dki_p05,pct_baseline_dki_p50,pct_baseline_dki_p95
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,gross,trips,2023-08-21,2023-10-21,44,345800.000,399000.000,499800.000,,,,9068.182,1267983200.000,0.027,0.031,0.039,0.069,0.079,0.099
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,rebound,trips,2023-08-21,2023-10-21,44,77805.075,81897.394,119210.289,,,,1861.304,1267983200.000,0.006,0.006,0.009,0.015,0.016,0.024
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,net,trips,2023-08-21,2023-10-21,44,267994.925,279789.711,417902.606,,,,6358.857,1267983200.000,0.021,0.022,0.033,0.053,0.055,0.083
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,gross,km,2023-08-21,2023-10-21,44,3713018.483,4070567.147,5195361.526,,,,92512.890,13640781142.184,0.027,0.030,0.038,0.070,0.077,0.098
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,rebound,km,2023-08-21,2023-10-21,44,295804.416,388201.621,519472.344,,,,8822.764,13640781142.184,0.002,0.003,0.004,0.006,0.007,0.010
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
    dki-2023,2023-08-01,home,jakarta_pusat,motorcycle,557200.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000,0.000
    dki-2023,2023-09-04,all,all,motorcycle,17604600.000,5800.000,8200.000,9000.000,63731.798,80859.630,82412.346,50541.435,73947.116,75554.374,3934.586,6531.779,9579.269,3655.439,5454.220,5561.748,2355.745,2828.606,3214.720,1299.693,2347.028,2625.614,0.233,0.322,0.345,0.233,0.322,0.345,10.180,14.277,15.205,124.800,204.578,214.194,17.980,28.446,30.032,0.421,0.848,1.398
    dki-2023,2023-09-04,all,all,car,2748200.000,600.000,1000.000,1000.000,7350.718,8265.127,19189.545,5121.380,6545.924,10048.724,447.946,544.249,615.152,1188.554,1521.407,2293.088,281.580,446.741,459.319,906.974,1074.666,1833.769,0.012,0.016,0.023,0.012,0.016,0.023,0.715,0.970,1.395,2.985,4.081,5.622,0.350,0.483,0.649,0.190,0.274,0.379
    dki-2023,2023-09-04,all,all,ridehail_moto,1392200.000,600.000,600.000,600.000,2764.069,2764.069,13634.399,3877.752,4031.449,20598.323,704.058,720.049,1139.339,280.461,297.353,1516.294,234.087,239.308,266.337,14.123,58.045,1282.207,0.014,0.016,0.099,0.014,0.016,0.099,0.641,0.690,4.383,8.455,9.192,61.737,1.218,1.278,8.656,0.029,0.038,0.403
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
    files_sha256
    files_sha256.comparisons.csv
    files_sha256.comparisons.parquet
    files_sha256.daily.csv
    files_sha256.daily.parquet
    files_sha256.detectability.csv
    files_sha256.detectability.parquet
    files_sha256.replicates.parquet
    files_sha256.replicates_daily.parquet
    files_sha256.run.json
    files_sha256.summary.csv
    files_sha256.summary.parquet
    files_sha256.traffic.parquet
    files_sha256.windows.csv
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
    uncertainty
    wall_seconds
    wall_seconds.engine
    wall_seconds.load
    wall_seconds.population
    wall_seconds.roads
    wall_seconds.simulate
    wall_seconds.total
    wall_seconds.write
    warnings
    wfhsim_version
    "#);
}
