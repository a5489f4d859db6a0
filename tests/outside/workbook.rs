//! `briefing.xlsx` through the real binary at a small scale, read back the way an analyst's
//! tools read it: `tests/outside/workbook_check.py` opens it with openpyxl (sheet names, headers,
//! numbers with number formats, dates, the Daily table and frozen header, the charts) and
//! pandas (every Summary value equals its row of `summary.csv`), in each language. Same
//! inputs and seed give the same bytes, and a sweep's tornado rows fill the Sensitivity
//! sheet. Needs python3 with openpyxl and pandas: missing, the test fails and says how to
//! install them.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use wfhsim_report::export::{Exporter, RunView, Sensitivity, Workbook};
use wfhsim_report::labels::Langs;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

const SCENARIOS: [&str; 2] = [
    "scenarios/dki-2023.toml",
    "scenarios/private-sector-joins.toml",
];

fn run(out: &Path, name: &str, lang: &str) -> PathBuf {
    Command::cargo_bin("wfhsim")
        .unwrap()
        .arg("run")
        .args(SCENARIOS.map(repo))
        .args(["--scale", "0.02", "--replicates", "3", "--lang", lang])
        .arg("--out")
        .arg(out)
        .args(["--name", name])
        .assert()
        .success();
    out.join(name)
}

/// A Python 3 that imports openpyxl and pandas: `WFHSIM_PYTHON` if set, else `python3`
/// on the PATH, else Debian's (where `apt-get install python3-openpyxl python3-pandas`
/// puts them when the PATH's python3 is another installation).
pub(crate) fn python() -> String {
    let candidates: Vec<String> = match std::env::var("WFHSIM_PYTHON") {
        Ok(p) => vec![p],
        Err(_) => vec!["python3".into(), "/usr/bin/python3".into()],
    };
    for p in &candidates {
        let ok = Process::new(p)
            .args(["-c", "import openpyxl, pandas"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return p.clone();
        }
    }
    panic!(
        "the workbook test needs python3 with openpyxl and pandas (tried {candidates:?}); \
         install them with `apt-get install -y python3 python3-openpyxl python3-pandas` \
         (Debian; .ci/run does) or `pip install openpyxl pandas` into a Python of your own, \
         and point WFHSIM_PYTHON at it"
    );
}

fn check(run_dir: &Path, lang: &str, extra: &[&str]) {
    let out = Process::new(python())
        .arg(repo("tests/outside/workbook_check.py"))
        .arg(run_dir)
        .arg(lang)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "workbook_check.py {lang} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_workbook_reads_back_in_every_language() {
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["id", "en", "both"] {
        let dir = run(tmp.path(), lang, lang);
        check(&dir, lang, &[]);
    }
}

#[test]
fn a_bundle_of_measures_gets_its_decomposition_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["en", "both"] {
        Command::cargo_bin("wfhsim")
            .unwrap()
            .arg("run")
            .arg(repo("scenarios/bundles/asean-summit-2023-bundle.toml"))
            .args(["--scale", "0.02", "--replicates", "3", "--lang", lang])
            .arg("--out")
            .arg(tmp.path())
            .args(["--name", lang])
            .assert()
            .success();
        check(&tmp.path().join(lang), lang, &["--decomposition"]);
    }
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = std::fs::read(run(a.path(), "same", "id").join("briefing.xlsx")).unwrap();
    let second = std::fs::read(run(b.path(), "same", "id").join("briefing.xlsx")).unwrap();
    assert!(first.len() > 10_000);
    assert!(
        first == second,
        "two runs with the same seed wrote different briefing.xlsx"
    );
}

#[test]
fn a_sweeps_tornado_fills_the_sensitivity_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("wfhsim")
        .unwrap()
        .arg("sweep")
        .arg(repo("scenarios/sweeps/dki-2023-tornado.toml"))
        .args([
            "--scale",
            "0.02",
            "--replicates",
            "2",
            "--name",
            "tornado",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let sens = Sensitivity::read(&tmp.path().join("tornado")).unwrap();
    assert!(sens.tornado.as_ref().is_some_and(|t| t.height() > 0));
    assert!(sens.sobol.is_none());

    let dir = run(tmp.path(), "with-sweep", "en");
    let tables = RunView::read(&dir).unwrap();
    let files = Workbook {
        langs: Langs::En,
        sensitivity: Some(sens),
        evaluation: None,
    }
    .export(&tables)
    .unwrap();
    assert_eq!(files.len(), 1);
    std::fs::write(dir.join(&files[0].path), &files[0].bytes).unwrap();
    check(&dir, "en", &["--sensitivity"]);

    // A folder without either table is refused, naming both files.
    let err = Sensitivity::read(&dir).unwrap_err().to_string();
    assert!(
        err.contains("tornado.csv") && err.contains("sobol.csv"),
        "{err}"
    );
}
