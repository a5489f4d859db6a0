//! Reading a finished run folder (`plot`, `report`, `diff`) through the binary: every
//! table verified against the SHA-256 in `manifest.json` and checked against `run.json`
//! before use, a damaged folder refused with exit 2 naming the file, row, column, value
//! and what is allowed; `report --sweep` only with a sweep of the run; each error text
//! once. One small run (dki-2023, scale 0.02, 2 replicates) made once; each test edits a
//! copy of it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use polars::prelude::*;

use crate::support::{exported_dataset, set_source_note, wfhsim};

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("integrity")
}

const SMALL: [&str; 4] = ["--scale", "0.02", "--replicates", "2"];

/// The run every test copies, made once.
fn base_run() -> &'static PathBuf {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        wfhsim()
            .args(["run", "scenarios/dki-2023.toml"])
            .args(SMALL)
            .arg("--out")
            .arg(out_dir())
            .args(["--name", "run", "--force"])
            .assert()
            .success();
        out_dir().join("run")
    })
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of the run in `tmp/name`.
fn copy_run(tmp: &Path, name: &str) -> PathBuf {
    let to = tmp.join(name);
    copy_dir(base_run(), &to);
    to
}

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(std::fs::read(path).unwrap());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// The folder as one written before the hashes were recorded: the range checks alone.
pub(crate) fn forget_hashes(dir: &Path) {
    edit_json(&dir.join("manifest.json"), |m| {
        m.as_object_mut().unwrap().remove("files_sha256");
    });
}

pub(crate) fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

pub(crate) fn edit_parquet(path: &Path, edit: impl FnOnce(&mut DataFrame)) {
    let mut df = read_parquet(path);
    edit(&mut df);
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

fn set_f64(df: &mut DataFrame, column: &str, row: usize, v: f64) {
    let mut values: Vec<Option<f64>> = df.column(column).unwrap().f64().unwrap().iter().collect();
    values[row] = Some(v);
    df.with_column(Column::new(column.into(), values)).unwrap();
}

pub(crate) fn set_i64(df: &mut DataFrame, column: &str, row: usize, v: i64) {
    let mut values: Vec<Option<i64>> = df.column(column).unwrap().i64().unwrap().iter().collect();
    values[row] = Some(v);
    df.with_column(Column::new(column.into(), values)).unwrap();
}

pub(crate) fn set_str(df: &mut DataFrame, column: &str, row: usize, v: &str) {
    let mut values: Vec<Option<String>> = df
        .column(column)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(String::from))
        .collect();
    values[row] = Some(v.to_string());
    df.with_column(Column::new(column.into(), values)).unwrap();
}

fn cell_f64(path: &Path, column: &str, row: usize) -> f64 {
    read_parquet(path)
        .column(column)
        .unwrap()
        .f64()
        .unwrap()
        .get(row)
        .unwrap()
}

fn cell_str(path: &Path, column: &str, row: usize) -> String {
    let df = read_parquet(path);
    df.column(column)
        .unwrap()
        .str()
        .unwrap()
        .get(row)
        .unwrap()
        .to_string()
}

/// `wfhsim ARGS` must fail with exit 2 and exactly `stderr`.
pub(crate) fn refused(args: &[&Path], command: &str, stderr: &str) {
    wfhsim()
        .arg(command)
        .args(args)
        .assert()
        .code(2)
        .stdout("")
        .stderr(stderr.to_string());
}

pub(crate) fn at(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

#[test]
fn a_daily_date_far_outside_the_period_is_refused_not_drawn() {
    // The probe's date32 maximum made `plot` and `report` allocate until the kernel killed them.
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    forget_hashes(&run);
    edit_parquet(&run.join("daily.parquet"), |df| {
        let mut days: Vec<Option<i32>> = df
            .column("date")
            .unwrap()
            .cast(&DataType::Int32)
            .unwrap()
            .i32()
            .unwrap()
            .iter()
            .collect();
        days[0] = Some(i32::MAX);
        let col = Column::new("date".into(), days)
            .cast(&DataType::Date)
            .unwrap();
        df.with_column(col).unwrap();
    });
    let expected = format!(
        "Error: {}: row 1, column date: day 2147483647 since 1970-01-01; allowed: a day of scenario dki-2023's period 2023-08-01..2023-10-31\n",
        at(&run, "daily.parquet")
    );
    for command in ["plot", "report"] {
        refused(&[&run], command, &expected);
    }
}

#[test]
fn a_table_changed_after_the_run_is_refused_by_every_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    let summary = run.join("summary.parquet");
    let recorded = sha256(&summary);
    assert_eq!(
        manifest(&run)["files_sha256"]["summary.parquet"],
        recorded.as_str()
    );
    edit_parquet(&summary, |df| set_f64(df, "per_day_p50", 0, 1e20));
    let now = sha256(&summary);
    let expected = format!(
        "Error: {} does not match the SHA-256 recorded in manifest.json (recorded {}…, now {}…): it was changed after the run was written; run the study again\n",
        summary.display(),
        &recorded[..12],
        &now[..12]
    );
    refused(&[&run], "plot", &expected);
    refused(&[&run], "report", &expected);
    refused(&[base_run(), &run], "diff", &expected);
    refused(&[&run, base_run()], "diff", &expected);
}

#[test]
fn the_recorded_hashes_cover_the_tables_and_run_json_only() {
    let m = manifest(base_run());
    let recorded: Vec<&str> = m["files_sha256"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        recorded,
        [
            "calibration.csv",
            "calibration.parquet",
            "comparisons.csv",
            "comparisons.parquet",
            "daily.csv",
            "daily.parquet",
            "detectability.csv",
            "detectability.parquet",
            "replicates.parquet",
            "replicates_daily.parquet",
            "run.json",
            "summary.csv",
            "summary.parquet",
            "traffic.parquet",
            "windows.csv"
        ]
    );
    for (file, sha) in m["files_sha256"].as_object().unwrap() {
        assert_eq!(sha, &sha256(&base_run().join(file)), "{file}");
    }
}

/// `replicates_daily.parquet` as the other tables: changed after the run, a value its
/// rules do not allow (in a folder without hashes) or missing, `plot` and `report`
/// refuse it with the message every table gets.
#[test]
fn replicates_daily_changed_damaged_or_missing_is_refused() {
    const FILE: &str = "replicates_daily.parquet";
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "changed");
    let file = run.join(FILE);
    let recorded = sha256(&file);
    edit_parquet(&file, |df| set_f64(df, "trips_avoided", 0, 1e20));
    let now = sha256(&file);
    let expected = format!(
        "Error: {} does not match the SHA-256 recorded in manifest.json (recorded {}…, now {}…): it was changed after the run was written; run the study again\n",
        file.display(),
        &recorded[..12],
        &now[..12]
    );
    refused(&[&run], "plot", &expected);
    refused(&[&run], "report", &expected);

    type Damage = (&'static str, fn(&mut DataFrame), &'static str);
    let damaged: [Damage; 3] = [
        (
            "replicate",
            |df| set_i64(df, "replicate", 0, 2),
            "row 1, column replicate: 2; allowed: 0..=1 (run.json's 2 replicates)",
        ),
        (
            "nan",
            |df| set_f64(df, "co2_avoided_kg", 1, f64::NAN),
            "row 2, column co2_avoided_kg: NaN; allowed: a finite number",
        ),
        (
            "twice",
            |df| set_i64(df, "replicate", 64, 0),
            "row 65, columns scenario, replicate, date: dki-2023, 0, 2023-08-01; allowed: each key once (row 1 has it too)",
        ),
    ];
    for (name, edit, message) in damaged {
        let run = copy_run(tmp.path(), name);
        forget_hashes(&run);
        edit_parquet(&run.join(FILE), edit);
        let expected = format!("Error: {}: {message}\n", at(&run, FILE));
        refused(&[&run], "plot", &expected);
        refused(&[&run], "report", &expected);
    }

    let run = copy_run(tmp.path(), "missing");
    std::fs::remove_file(run.join(FILE)).unwrap();
    let expected = format!(
        "Error: {} is not a finished run: {FILE} is missing\n",
        run.display()
    );
    refused(&[&run], "plot", &expected);
}

/// A copy of the run without its hashes whose summary is edited by `edit`; every reader
/// of the summary must refuse it with `message` (after the file's path and ": ").
fn summary_refused(name: &str, edit: impl FnOnce(&mut DataFrame), message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), name);
    forget_hashes(&run);
    edit_parquet(&run.join("summary.parquet"), edit);
    let expected = format!("Error: {}: {message}\n", at(&run, "summary.parquet"));
    refused(&[&run], "report", &expected);
    // Either side of a diff: the same refusal.
    refused(&[base_run(), &run], "diff", &expected);
    refused(&[&run, base_run()], "diff", &expected);
}

#[test]
fn summary_values_run_json_does_not_allow_are_refused() {
    let summary = base_run().join("summary.parquet");
    let p95 = cell_f64(&summary, "total_p95", 0);
    summary_refused(
        "nan",
        |df| set_f64(df, "per_day_p50", 0, f64::NAN),
        "row 1, column per_day_p50: NaN; allowed: a finite number",
    );
    summary_refused(
        "huge",
        |df| set_f64(df, "total_p50", 0, 1e308),
        &format!(
            "row 1, column total_p95: {p95}; allowed: p95 >= total_p50 (1e308): the quantiles in order"
        ),
    );
    // The window 2023-08-21..2023-10-21 has 62 days.
    summary_refused(
        "days",
        |df| set_i64(df, "window_working_days", 0, 0),
        "row 1, column window_working_days: 0; allowed: 1..=62: at least one working day, at most the window's days",
    );
    summary_refused(
        "scenario",
        |df| set_str(df, "scenario", 0, "evil"),
        "row 1, column scenario: 'evil'; allowed: one of run.json's: dki-2023",
    );
    let rows = read_parquet(&summary).height();
    let key: Vec<String> = ["scenario", "region_basis", "region", "metric", "component"]
        .iter()
        .map(|c| cell_str(&summary, c, 0))
        .collect();
    summary_refused(
        "twice",
        |df| *df = df.vstack(&df.slice(0, 1)).unwrap(),
        &format!(
            "row {}, columns scenario, region_basis, region, metric, component: {}; allowed: each key once (row 1 has it too)",
            rows + 1,
            key.join(", ")
        ),
    );
}

/// A copy of the run without its hashes whose `file` (JSON) is edited by `edit`; `diff`
/// must refuse it with `message` (after the file's path and ": ").
fn json_refused(file: &str, edit: impl FnOnce(&mut serde_json::Value), message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    forget_hashes(&run);
    edit_json(&run.join(file), edit);
    let expected = format!("Error: {}: {message}\n", at(&run, file));
    refused(&[base_run(), &run], "diff", &expected);
    refused(&[&run], "plot", &expected);
}

#[test]
fn run_json_must_be_sane_and_agree_with_the_manifest() {
    json_refused(
        "run.json",
        |v| v["scenarios"] = serde_json::json!([]),
        "scenarios: []; allowed: at least one of scenarios",
    );
    json_refused(
        "run.json",
        |v| {
            let s = v["scenarios"][0].clone();
            v["scenarios"].as_array_mut().unwrap().push(s);
        },
        "scenarios[1]: 'dki-2023'; allowed: each name once (scenarios[0] has it too)",
    );
    json_refused(
        "run.json",
        |v| v["regions"] = serde_json::json!([]),
        "regions: []; allowed: at least one of regions",
    );
    json_refused(
        "run.json",
        |v| v["modes"] = serde_json::json!([]),
        "modes: []; allowed: at least one of modes",
    );
    json_refused(
        "run.json",
        |v| v["scenarios"][0]["window"] = serde_json::json!(["2023-10-21", "2023-08-21"]),
        "scenarios[0].window: 2023-10-21..2023-08-21; allowed: first day <= last day, inside the period 2023-08-01..2023-10-31",
    );
    json_refused(
        "run.json",
        |v| v["reproduce"]["scale"] = serde_json::json!(-1.0),
        "reproduce.scale: -1; allowed: a number in (0, 1]",
    );
    json_refused(
        "manifest.json",
        |v| v["wfhsim_version"] = serde_json::json!("0.0.1"),
        &format!(
            "wfhsim_version: 0.0.1; allowed: run.json's reproduce.wfhsim_version, {}",
            env!("CARGO_PKG_VERSION")
        ),
    );
    json_refused(
        "manifest.json",
        |v| v["seed"] = serde_json::json!(7),
        "seed: 7; allowed: run.json's reproduce.seed, 42",
    );
}

#[test]
fn a_manifest_that_is_not_one_is_refused_by_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    for text in ["", "[1,2,3]", "{\"wfhsim_version\": "] {
        std::fs::write(run.join("manifest.json"), text).unwrap();
        wfhsim()
            .arg("diff")
            .arg(base_run())
            .arg(&run)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::starts_with(format!(
                "Error: {}: ",
                at(&run, "manifest.json")
            )));
    }
}

#[test]
fn a_corrupt_run_json_is_bad_input_for_plot_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    let text = std::fs::read_to_string(run.join("run.json")).unwrap();
    std::fs::write(run.join("run.json"), &text[..text.len() / 2]).unwrap();
    for command in ["plot", "report"] {
        wfhsim()
            .arg(command)
            .arg(&run)
            .assert()
            .code(2)
            .stderr(predicates::str::starts_with(format!(
                "Error: {}: EOF while parsing",
                at(&run, "run.json")
            )));
    }
}

#[test]
fn a_corrupt_table_is_reported_as_a_read_and_its_error_once() {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    forget_hashes(&run);
    let summary = run.join("summary.parquet");
    let bytes = std::fs::read(&summary).unwrap();
    std::fs::write(&summary, &bytes[..bytes.len() / 2]).unwrap();
    let out = wfhsim().arg("report").arg(&run).assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let head = format!("Error: reading {}: ", summary.display());
    let cause = stderr
        .strip_prefix(&head)
        .unwrap_or_else(|| panic!("{stderr}"));
    let cause = cause.trim_end();
    assert!(
        !cause.is_empty() && !stderr.contains("building or writing"),
        "{stderr}"
    );
    // The cause is printed once, not once more as the error's source.
    let first_part = &cause[..cause.len().min(40)];
    assert_eq!(stderr.matches(first_part).count(), 1, "{stderr}");
}

#[test]
fn an_io_error_is_printed_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("out");
    let os = std::io::Error::from_raw_os_error(20).to_string();
    wfhsim()
        .args(["run", "scenarios/dki-2023.toml"])
        .args(SMALL)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(format!("Error: {}: {os}\n", out.display()));
}

#[test]
fn diff_with_a_folder_that_does_not_exist_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexistent");
    let expected = format!("Error: {} does not exist\n", missing.display());
    refused(&[base_run(), &missing], "diff", &expected);
    refused(&[&missing], "plot", &expected);
}

#[test]
fn diff_refuses_a_value_that_is_not_finite_whichever_side_it_is_on() {
    // The probe: +inf in A read as "no differences", in B as "180 of 180 rows changed".
    let tmp = tempfile::tempdir().unwrap();
    let a = copy_run(tmp.path(), "a");
    forget_hashes(&a);
    edit_parquet(&a.join("summary.parquet"), |df| {
        set_f64(df, "per_day_p50", 0, f64::INFINITY)
    });
    let expected = format!(
        "Error: {}: row 1, column per_day_p50: inf; allowed: a finite number\n",
        at(&a, "summary.parquet")
    );
    refused(&[&a, base_run()], "diff", &expected);
    refused(&[base_run(), &a], "diff", &expected);
}

/// A one-at-a-time sweep of dki-2023's compliance (tornado.csv), made in `out/name`.
fn tornado(out: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let design = out.join("oat.toml");
    std::fs::create_dir_all(out).unwrap();
    std::fs::write(
        &design,
        "schema_version = 1\nname = \"t\"\ntitle = \"t\"\nmethod = \"oat\"\nscenarios = [\"dki-2023\"]\nreplicates = 2\n\
         [[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.5, 1.0]\ncentral = 0.75\n",
    )
    .unwrap();
    wfhsim()
        .arg("sweep")
        .arg(&design)
        .args(extra)
        .arg("--out")
        .arg(out)
        .args(["--name", name, "--force"])
        .assert()
        .success();
    out.join(name)
}

fn report_sweep_refused(run: &Path, sweep: &Path, why: &str) {
    let expected = format!(
        "Error: {} is not a sweep of the run {}: {why}; run the sweep with the run's dataset and this wfhsim, or leave --sweep out\n",
        sweep.display(),
        run.display()
    );
    wfhsim()
        .arg("report")
        .arg(run)
        .arg("--sweep")
        .arg(sweep)
        .assert()
        .code(2)
        .stdout("")
        .stderr(expected);
}

#[test]
fn report_attaches_only_a_sweep_of_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let run = copy_run(tmp.path(), "r");
    let briefing = std::fs::read(run.join("briefing.html")).unwrap();
    let sha = |m: &serde_json::Value| m["dataset_sha256"].as_str().unwrap().to_string();
    let run_sha = manifest(&run)["dataset"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();

    // Another dataset: the built-in one with another source note.
    let data = exported_dataset(tmp.path());
    set_source_note(&data, "source_note,Data: another dataset");
    let other = tornado(
        &tmp.path().join("sweeps"),
        "other-data",
        &["--scale", "0.02", "--data", data.to_str().unwrap()],
    );
    let other_sha = sha(&manifest(&other));
    assert_ne!(other_sha, run_sha);
    report_sweep_refused(
        &run,
        &other,
        &format!("the datasets differ: {run_sha} in the run, {other_sha} in the sweep"),
    );

    let ours = tornado(&tmp.path().join("sweeps"), "ours", &["--scale", "0.03"]);
    // Another version of wfhsim.
    let version = tmp.path().join("sweeps/version");
    copy_dir(&ours, &version);
    edit_json(&version.join("manifest.json"), |m| {
        m["wfhsim_version"] = "0.0.1".into()
    });
    report_sweep_refused(
        &run,
        &version,
        &format!(
            "the wfhsim versions differ: {} in the run, 0.0.1 in the sweep",
            env!("CARGO_PKG_VERSION")
        ),
    );

    // A tornado of a scenario the run does not have.
    let foreign = tmp.path().join("sweeps/foreign");
    copy_dir(&ours, &foreign);
    let csv = std::fs::read_to_string(foreign.join("tornado.csv")).unwrap();
    std::fs::write(
        foreign.join("tornado.csv"),
        csv.replace("\ndki-2023,", "\nother,"),
    )
    .unwrap();
    report_sweep_refused(
        &run,
        &foreign,
        "its tornado.csv has rows for scenario 'other', which the run does not have (the run's: dki-2023)",
    );
    assert_eq!(
        std::fs::read(run.join("briefing.html")).unwrap(),
        briefing,
        "a refused report writes nothing"
    );

    // The run's dataset at another scale: attached, with diff's warning.
    wfhsim()
        .arg("report")
        .arg(&run)
        .arg("--sweep")
        .arg(&ours)
        .assert()
        .success()
        .stderr("warning: the scales differ: 0.02 in the run, 0.03 in the sweep; a smaller population is a noisier one\n");
}

/// `diff` reads replicates.parquet through the same checks: a replicate number the run
/// did not make, or a total that is not a finite number, is refused naming the row.
#[test]
fn diff_refuses_replicates_the_run_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, edit, message) in [
        (
            "replicate",
            (|df: &mut DataFrame| set_i64(df, "replicate", 0, 2)) as fn(&mut DataFrame),
            "row 1, column replicate: 2; allowed: 0..=1: below run.json's reproduce.replicates (2)",
        ),
        (
            "total",
            |df: &mut DataFrame| set_f64(df, "total", 3, f64::NAN),
            "row 4, column total: NaN; allowed: a finite number",
        ),
    ] {
        let run = copy_run(tmp.path(), name);
        forget_hashes(&run);
        edit_parquet(&run.join("replicates.parquet"), edit);
        let expected = format!("Error: {}: {message}\n", at(&run, "replicates.parquet"));
        refused(&[base_run(), &run], "diff", &expected);
    }
}
