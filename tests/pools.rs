//! `--pool`: another definition of an eligible pool for the whole run, recorded in the
//! reproduce command, and refused by name when the dataset has no such definition.

use crate::support::wfhsim;

/// Trips avoided per policy working day of `scenario` (whole area, gross), from the run's
/// terminal summary line: its first number.
fn trips_per_day(stdout: &str, scenario: &str) -> f64 {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(scenario))
        .unwrap_or_else(|| panic!("no line for {scenario} in\n{stdout}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// `dki-2023-50-only` with full compliance: the pools' ratio then shows through the
/// rounding of units only, not through compliance draws (the work units' own, under
/// `clustered`, do not average out over the days at 5% scale).
const IID: &str = "schema_version = 1\nextends = \"dki-2023-50-only\"\nname = \"dki-2023-50-only-iid\"\n[[policy]]\nname = \"Pemprov DKI ASN\"\ncompliance = { central = 1.0 }\n";

fn run(dir: &std::path::Path, name: &str, pool: &[&str]) -> f64 {
    let scenario = dir.join("iid.toml");
    std::fs::write(&scenario, IID).unwrap();
    let out = wfhsim()
        .arg("run")
        .arg(&scenario)
        .args(["--scale", "0.05"])
        .args([
            "--replicates",
            "1",
            "--uncertainty",
            "behavioural",
            "--name",
            name,
        ])
        .args(pool)
        .arg("--out")
        .arg(dir)
        .assert()
        .success();
    trips_per_day(
        &String::from_utf8_lossy(&out.get_output().stdout),
        "dki-2023-50-only-iid",
    )
}

/// Dishub's pool of 23,343 against BKD's 15,335: every DKI number ×1.522, up to the
/// rounding of units to whole members at 5% scale.
#[test]
fn dishubs_definition_scales_the_dki_order_by_the_ratio_of_the_pools() {
    let tmp = tempfile::tempdir().unwrap();
    let base = run(tmp.path(), "bkd", &[]);
    let dishub = run(tmp.path(), "dishub", &["--pool", "dki_regular_hours"]);
    let ratio = dishub / base;
    assert!(
        (ratio - 23343.0 / 15335.0).abs() < 0.03,
        "{dishub} / {base} = {ratio}"
    );
    let info = std::fs::read_to_string(tmp.path().join("dishub/run.json")).unwrap();
    assert!(info.contains("--pool dki_regular_hours"), "{info}");
}

#[test]
fn an_unknown_pool_is_refused_with_the_definitions_there_are() {
    wfhsim()
        .args(["run", "scenarios/dki-2023.toml", "--pool", "hq"])
        .assert()
        .code(2)
        .stderr(
            "Error: --pool hq: the dataset has no such definition; it has central_hq, dki_regular_hours\n",
        );
}
