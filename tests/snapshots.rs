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
                // Behavioural: the values below are those of every release before the
                // structure was drawn, so this also proves that setting changed nothing.
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
    scenario,title,region_basis,region,region_name,metric,component,unit,window_start,window_end,window_working_days,total_p05,total_p50,total_p95,per_day_p50,baseline_total_p50,pct_baseline_p05,pct_baseline_p50,pct_baseline_p95,pct_baseline_dki_p05,pct_baseline_dki_p50,pct_baseline_dki_p95
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,gross,trips,2023-08-21,2023-10-21,44,544560.000,573000.000,584340.000,13022.727,1267983200.000,0.043,0.045,0.046,0.108,0.114,0.116
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,rebound,trips,2023-08-21,2023-10-21,44,99253.462,128925.125,158472.475,2930.116,1267983200.000,0.008,0.010,0.012,0.020,0.026,0.031
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,trips,net,trips,2023-08-21,2023-10-21,44,386087.525,444074.875,485086.538,10092.611,1267983200.000,0.030,0.035,0.038,0.076,0.088,0.096
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,gross,km,2023-08-21,2023-10-21,44,5830732.111,6080499.190,6175445.034,138193.163,13640781142.184,0.043,0.045,0.045,0.110,0.115,0.117
    dki-2023,"DKI ASN 50%, 75% in summit week (as announced)",all,all,Jabodetabek,person_km,rebound,km,2023-08-21,2023-10-21,44,458374.904,490155.959,683396.785,11139.908,13640781142.184,0.003,0.004,0.005,0.009,0.009,0.013
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
    dki-2023,2023-09-04,all,all,motorcycle,17604600.000,10260.000,10800.000,11160.000,99139.292,111864.117,112929.007,87789.735,88711.966,103938.390,7406.667,8128.436,11536.952,6421.297,6467.671,7644.903,3566.713,4000.540,4347.958,2121.542,2949.161,3692.566,0.382,0.407,0.479,0.382,0.407,0.479,16.904,17.776,21.109,220.216,240.822,296.397,31.605,33.486,41.530,0.762,0.998,1.877
    dki-2023,2023-09-04,all,all,car,2748200.000,1060.000,1600.000,1600.000,14701.110,22150.293,22150.293,11048.804,11599.138,15049.177,625.308,716.714,1377.870,2563.070,2646.888,3488.067,475.557,734.910,749.283,1931.482,2107.016,2758.288,0.026,0.027,0.035,0.026,0.027,0.035,1.593,1.697,2.136,6.449,7.137,8.920,0.746,0.844,1.047,0.337,0.580,0.655
    dki-2023,2023-09-04,all,all,ridehail_moto,1392200.000,1020.000,1200.000,1380.000,20324.762,20566.332,21134.520,28928.018,29604.916,31782.625,1460.369,1642.801,1873.289,2096.478,2183.611,2340.031,412.230,532.675,544.851,1577.186,1784.764,1808.563,0.137,0.139,0.151,0.137,0.139,0.151,6.003,6.145,6.638,74.869,88.057,93.660,10.742,12.244,13.122,0.259,0.365,0.590
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
    uncertainty
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
