//! An evaluation folder (`wfhsim evaluate`) as its readers see it: the page in a real
//! browser (Chromium) — its headline as the numbers of evaluation.csv, in Indonesian and
//! English, and nothing loaded from elsewhere — and the workbook read back by openpyxl
//! (`tests/outside/evaluation_check.py`).

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

use crate::briefing::{browser, visible_text};
use crate::workbook::python;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The Google example of docs/evaluation.md (three windows: the days before the first are
/// the only ones untouched), in `lang`.
fn evaluate(out: &Path, lang: &str) -> PathBuf {
    Command::cargo_bin("wfhsim")
        .unwrap()
        .arg("evaluate")
        .arg(repo("examples/data/google-cmr-jakarta-daily.csv"))
        .args(["--column", "workplaces_pct"])
        .args([
            "--window",
            "2020-03-16..2020-03-22",
            "--window",
            "2020-03-23..2020-04-09",
        ])
        .args(["--window", "2020-04-10..2020-06-04"])
        .args(["--quantity", "mobility", "--lang", lang, "--name", lang])
        .args([
            "--source",
            "Google LLC, Google COVID-19 Community Mobility Reports",
        ])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    out.join(lang)
}

/// evaluation.csv's effect of the first row, in % (3 decimals as written).
fn effect_pct(folder: &Path) -> f64 {
    let text = std::fs::read_to_string(folder.join("evaluation.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "effect_pct").unwrap();
    lines
        .next()
        .unwrap()
        .split(',')
        .nth(col)
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_real_browser_shows_the_evaluations_headline_in_each_language() {
    let tmp = tempfile::tempdir().unwrap();
    for (lang, decimal, below) in [
        ("en", '.', "below what the days before"),
        ("id", ',', "di bawah"),
    ] {
        let folder = evaluate(tmp.path(), lang);
        let dom = String::from_utf8(browser(&["--dump-dom"], &folder.join("briefing.html")).stdout)
            .unwrap();
        let text = visible_text(&dom);
        let pct = format!("{:.1}%", effect_pct(&folder).abs()).replace('.', &decimal.to_string());
        let headline = text
            .lines()
            .find(|l| l.contains(below))
            .unwrap_or_else(|| panic!("{lang}: no headline in\n{text}"));
        assert!(headline.contains(&pct), "{lang}: {pct} in {headline:?}");
        assert!(
            text.contains("Google LLC, Google COVID-19 Community Mobility Reports"),
            "the attribution"
        );
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(
                !dom.contains(external),
                "{lang}: the page loads {external}…"
            );
        }
    }
}

#[test]
fn the_evaluation_workbook_reads_back_in_each_language() {
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["id", "en"] {
        let folder = evaluate(tmp.path(), lang);
        let out = Process::new(python())
            .arg(repo("tests/outside/evaluation_check.py"))
            .arg(&folder)
            .arg(lang)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "evaluation_check.py {lang}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
