//! The real binary, end to end on a small scale.

use crate::support::{help_examples, wfhsim};
use std::path::Path;

use predicates::prelude::*;

fn small_run(out: &Path, name: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    wfhsim()
        .args(["run", "--scale", "0.003", "--replicates", "3", "--out"])
        .arg(out)
        .args(["--name", name])
        .args(extra)
        .assert()
}

#[test]
fn default_study_writes_every_table_and_chart() {
    let tmp = tempfile::tempdir().unwrap();
    small_run(tmp.path(), "study", &[])
        .success()
        .stdout(predicate::str::contains("dki-2023-50-only"));
    let run = tmp.path().join("study");
    for f in [
        "daily.parquet",
        "daily.csv",
        "summary.csv",
        "windows.csv",
        "manifest.json",
    ] {
        assert!(run.join(f).is_file(), "{f} missing");
    }
    for c in [
        "daily_trips_avoided",
        "event_week",
        "totals_by_scenario",
        "trips_by_region",
    ] {
        for ext in ["png", "svg"] {
            let p = run.join("charts").join(format!("{c}.{ext}"));
            assert!(
                std::fs::metadata(&p)
                    .map(|m| m.len() > 1000)
                    .unwrap_or(false),
                "{}",
                p.display()
            );
        }
    }
    // No temporary folder is left beside the run.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("study")]);

    // daily.parquet reads back with sensible types: dates as dates, numbers as floats.
    let df = wfhsim_report::view::read_parquet(&run.join("daily.parquet")).unwrap();
    use polars::prelude::DataType;
    assert_eq!(df.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(
        df.column("trips_avoided_p50").unwrap().dtype(),
        &DataType::Float64
    );
    assert_eq!(df.column("scenario").unwrap().dtype(), &DataType::String);
    let csv_rows = std::fs::read_to_string(run.join("daily.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(df.height(), csv_rows);
    let scenarios = df
        .column("scenario")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(scenarios.len(), 9);

    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["seed"], 42);
    assert_eq!(m["scenarios"].as_array().unwrap().len(), 9);
    assert_eq!(m["dataset"]["sha256"].as_str().unwrap().len(), 64);
    assert!(m["engine_agent_days_per_s"].as_f64().unwrap() > 0.0);

    // Charts can be redrawn from the finished run's files alone.
    let entries = |d: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let charts_before = entries(&run.join("charts"));
    let run_before = entries(&run);
    std::fs::remove_dir_all(run.join("charts")).unwrap();
    wfhsim().arg("plot").arg(&run).assert().success();
    assert_eq!(entries(&run.join("charts")), charts_before);
    // Redrawing over existing charts swaps the folder whole and leaves nothing else.
    std::fs::write(run.join("charts/stray.txt"), "x").unwrap();
    wfhsim().arg("plot").arg(&run).assert().success();
    assert_eq!(entries(&run.join("charts")), charts_before);
    assert_eq!(entries(&run), run_before);
}

#[test]
fn bad_input_exits_2_with_a_message_naming_file_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    let text = std::fs::read_to_string("scenarios/dki-2023.toml")
        .unwrap()
        .replace("share = 0.75", "share = 7.5");
    std::fs::write(&bad, text).unwrap();
    wfhsim()
        .arg("validate")
        .arg(&bad)
        .arg("scenarios/dki-2023.toml")
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ok: scenarios/dki-2023.toml"))
        .stderr(predicate::str::contains(
            "bad.toml:29:49: policy[0].schedule[1].share: 7.5 is outside 0..1",
        ))
        .stderr(predicate::str::contains(
            "1 of 2 scenario files have problems",
        ));
    small_run(tmp.path(), "x", &[bad.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("panicked").not());
    assert!(
        !tmp.path().join("x").exists(),
        "nothing is written for bad input"
    );
    wfhsim()
        .args(["run", "--scale", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--scale 0 is outside (0, 1]"));
}

#[test]
fn data_command_prints_provenance_and_exports() {
    wfhsim()
        .arg("data")
        .assert()
        .success()
        .stdout(predicate::str::contains("eligible.dki_pns"))
        .stdout(predicate::str::contains("15335"))
        .stdout(predicate::str::contains("commuter matrix fitted"));
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("d");
    wfhsim()
        .args(["data", "--export"])
        .arg(&d)
        .assert()
        .success();
    small_run(
        tmp.path(),
        "with-data",
        &["--data", d.to_str().unwrap(), "scenarios/dki-2023.toml"],
    )
    .success();
}

fn help(args: &[&str]) -> String {
    let out = wfhsim().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn help_lists_every_command_and_the_run_options_with_their_defaults() {
    let top = help(&["--help"]);
    for cmd in [
        "run", "validate", "plot", "data", "sweep", "target", "diff", "new", "schema", "serve",
    ] {
        assert!(
            top.lines()
                .any(|l| l.trim_start().starts_with(&format!("{cmd} "))),
            "`wfhsim --help` does not list `{cmd}`:\n{top}"
        );
    }
    // The defaults the README's figures are made with are the ones `run` uses.
    let run = help(&["run", "--help"]);
    for (flag, default) in [
        ("--seed", Some("42")),
        ("--replicates", Some("500")),
        ("--scale", Some("1")),
        ("--out", Some("output")),
        ("--name", Some("study")),
        ("--threads", None),
        ("--force", None),
        ("--data", None),
    ] {
        // The option's entry: its line and the description lines up to the next option.
        let mut lines = run.lines().skip_while(|l| {
            !l.trim_start()
                .split([' ', ','])
                .any(|w| w == flag || w.starts_with(&format!("{flag}=")))
        });
        let first = lines
            .next()
            .unwrap_or_else(|| panic!("`run --help` does not document {flag}:\n{run}"));
        let rest: Vec<&str> = lines
            .take_while(|l| !l.trim_start().starts_with('-'))
            .collect();
        let entry = format!("{first}\n{}", rest.join("\n"));
        if let Some(d) = default {
            assert!(
                entry.contains(&format!("[default: {d}]")),
                "{flag}: no [default: {d}] in\n{entry}"
            );
        }
    }
    assert_eq!(
        help(&["--version"]).trim(),
        format!("wfhsim {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_examples_are_the_readme_examples_and_name_real_files() {
    // The README's commands: `cargo run --release -- ARGS  # comment` lines.
    let readme = std::fs::read_to_string("README.md").unwrap();
    let documented: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.split_once("cargo run --release -- "))
        .map(|(_, rest)| rest.split('#').next().unwrap().trim())
        .collect();
    let run = help(&["run", "--help"]);
    // Comments stand on lines of their own; a long example goes on after a `\`.
    let mut joined: Vec<String> = Vec::new();
    let mut open = false;
    for l in help_examples(&run) {
        let t = l.trim();
        if open {
            let last = joined.last_mut().unwrap();
            last.push(' ');
            last.push_str(t.trim_end_matches('\\').trim());
        } else if t.starts_with("wfhsim ") {
            joined.push(t.trim_end_matches('\\').trim().to_string());
        }
        open = t.ends_with('\\') && (open || t.starts_with("wfhsim "));
    }
    let examples: Vec<&str> = joined.iter().map(|l| l.as_str()).collect();
    assert!(examples.len() >= 3, "no examples in `run --help`:\n{run}");
    // They read at 80 columns: no example or comment line is wrapped by the terminal.
    for l in run.lines().skip_while(|l| !l.starts_with("Examples:")) {
        if l.trim_start().starts_with("wfhsim ") || l.trim_start().starts_with('#') {
            assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
        }
    }
    for ex in examples {
        let args = ex.trim_start_matches("wfhsim").trim();
        assert!(
            documented.contains(&args),
            "`{ex}` from --help is not among the README's commands {documented:?}"
        );
        for word in args.split_whitespace() {
            if word.ends_with(".toml") && !word.contains('*') {
                assert!(Path::new(word).is_file(), "{ex}: {word} does not exist");
            }
        }
    }
}
