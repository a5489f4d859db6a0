//! `wfhsim report RUN --evaluation DIR`: the run's briefing and workbook get the
//! evaluation's section and sheet only when the option is given (without it the briefing
//! is the bytes `run` wrote); a folder that is not a finished evaluation is refused with
//! exit 2 and nothing is written.

use std::path::{Path, PathBuf};

use crate::support::wfhsim;
use wfhsim_report::evaluation::{Evaluation, files};
use wfhsim_report::labels::Langs;
use wfhsim_report::runfolder::RunDir;

fn run(out: &Path) -> PathBuf {
    wfhsim()
        .args(["run", "scenarios/dki-2023.toml"])
        .args(["--scale", "0.02", "--replicates", "2", "--lang", "en"])
        .arg("--out")
        .arg(out)
        .args(["--name", "run"])
        .assert()
        .success();
    out.join("run")
}

/// A one-site, one-window evaluation with a name that must be escaped.
fn evaluation() -> Evaluation {
    let days: Vec<serde_json::Value> = (1..=30)
        .map(|d| {
            serde_json::json!({
                "site": "<b>Sudirman</b>", "method": "its",
                "date": format!("2023-08-{d:02}"), "observed": 100.0 - f64::from(d / 28) * 3.0,
                "counterfactual": 100.0, "counterfactual_lo": 98.0, "counterfactual_hi": 102.0,
                "in_window": d >= 28,
            })
        })
        .collect();
    let v = serde_json::json!({
        "manifest": {
            "manifest_version": 1, "wfhsim_version": "test", "name": "counts",
            "quantity": "counts",
            "series": {"name": "counts.csv", "sha256": "00", "columns": ["<b>Sudirman</b>"],
                       "first_day": "2023-08-01", "last_day": "2023-08-30",
                       "source": "Dinas Perhubungan DKI Jakarta"},
            "control": null,
            "windows": [{"from": "2023-08-28", "to": "2023-08-30", "origin": "--window"}],
            "options": {"scale": "log", "trend": true, "trend_rule": "--trend on",
                        "season_harmonics": 0, "weekday": true, "calendar": true,
                        "working_days": false, "first_day": "2023-08-01", "last_day": "2023-08-30"},
            "calendar": {"first": "2015-01-01", "last": "2026-12-31", "dataset": "built-in"},
            "sites": [], "synth": [], "simulated": null,
            "command": "wfhsim evaluate counts.csv --window 2023-08-28..2023-08-30",
            "files": {}
        },
        "effects": [{
            "site": "<b>Sudirman</b>", "method": "its", "window_from": "2023-08-28",
            "window_to": "2023-08-30", "days": 3, "observed_mean": 97.0,
            "counterfactual_mean": 100.0, "effect_units": -3.0, "effect_units_lo": -5.0,
            "effect_units_hi": -1.0, "effect_pct": -3.0, "effect_pct_lo": -5.0,
            "effect_pct_hi": -1.0, "p_value": 0.01, "mde_pct": 2.0, "scale": "log",
            "rho": 0.3, "sigma": 0.01, "placebos": 0, "placebo_share_significant": null,
            "placebo_rank_p": null
        }],
        "days": days,
    });
    serde_json::from_value(v).unwrap()
}

fn write_evaluation(parent: &Path) -> PathBuf {
    let dir = RunDir::create(&parent.join("eval"), false).unwrap();
    dir.write(&files(&evaluation(), Langs::En).unwrap())
        .unwrap();
    dir.commit().unwrap()
}

#[test]
fn the_briefing_has_the_evaluation_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run(tmp.path());
    let written = std::fs::read(run.join("briefing.html")).unwrap();
    let workbook = std::fs::read(run.join("briefing.xlsx")).unwrap();
    // Without the option: the same bytes as the run wrote.
    wfhsim()
        .arg("report")
        .arg(&run)
        .args(["--lang", "en"])
        .assert()
        .success();
    assert_eq!(std::fs::read(run.join("briefing.html")).unwrap(), written);
    assert_eq!(std::fs::read(run.join("briefing.xlsx")).unwrap(), workbook);
    assert!(!String::from_utf8_lossy(&written).contains("id=\"evaluation\""));

    let eval = write_evaluation(tmp.path());
    wfhsim()
        .arg("report")
        .arg(&run)
        .args(["--lang", "en", "--evaluation"])
        .arg(&eval)
        .assert()
        .success();
    let page = std::fs::read_to_string(run.join("briefing.html")).unwrap();
    assert!(page.contains("<section id=\"evaluation\">"));
    assert!(page.contains(
        "Observed at &lt;b&gt;Sudirman&lt;&#x2f;b&gt;: 3.0% (1.0–5.0%) below what the days \
         before the order predict, 28–30 Aug 2023."
    ));
    assert!(!page.contains("<b>Sudirman"), "escaped");
    assert!(
        page.contains("Observed and counterfactual: &lt;b&gt;Sudirman&lt;/b&gt;"),
        "the chart"
    );
    assert_ne!(std::fs::read(run.join("briefing.xlsx")).unwrap(), workbook);
}

#[test]
fn a_folder_that_is_not_an_evaluation_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run(tmp.path());
    let briefing = std::fs::read(run.join("briefing.html")).unwrap();
    let eval = write_evaluation(tmp.path());
    std::fs::remove_file(eval.join("manifest.json")).unwrap();
    for (dir, why) in [
        (
            eval.clone(),
            format!(
                "{} is not a finished evaluation: manifest.json is missing",
                eval.display()
            ),
        ),
        (
            tmp.path().join("none"),
            format!("{} does not exist", tmp.path().join("none").display()),
        ),
        (
            run.clone(),
            format!(
                "{}: missing field `manifest_version` at line",
                run.join("manifest.json").display()
            ),
        ),
    ] {
        let out = wfhsim()
            .arg("report")
            .arg(&run)
            .arg("--evaluation")
            .arg(&dir)
            .assert()
            .code(2)
            .stdout("");
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(stderr.starts_with(&format!("Error: {why}")), "{stderr}");
    }
    assert_eq!(std::fs::read(run.join("briefing.html")).unwrap(), briefing);
}
