//! `wfhsim diff` through the binary, on tiny runs made once per test binary:
//! A = dki-2023, dki-2023-50-only and dki-2023-one-month (seed 42, scale 0.02);
//! B = dki-2023, a dki-2023-50-only with another compliance, and narrow-exemptions
//! (seed 7, scale 0.03); C = dki-2023 and a dki-2023-50-only at 60% instead of 50%
//! (seed 42, scale 0.02: paired with A).

use crate::support::wfhsim;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff")
}

fn run(name: &str, seed: &str, scale: &str, scenarios: &[PathBuf]) -> PathBuf {
    let out = out_dir();
    wfhsim()
        .args(["run", "--replicates", "2", "--seed", seed, "--scale", scale])
        .args(scenarios)
        .arg("--out")
        .arg(&out)
        .args(["--name", name, "--force"])
        .assert()
        .success();
    out.join(name)
}

/// Run C, made once: A's seed, scale and replicates, dki-2023 as in A and
/// dki-2023-50-only with a larger share (more staff at home on every day of its window).
fn paired_run() -> &'static PathBuf {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| {
        let inputs = out_dir().join("inputs-c");
        std::fs::create_dir_all(&inputs).unwrap();
        let larger = inputs.join("dki-2023-50-only.toml");
        let text = std::fs::read_to_string("scenarios/dki-2023-50-only.toml").unwrap();
        assert!(text.contains("share = 0.50 }]"), "{text}");
        std::fs::write(&larger, text.replace("share = 0.50 }]", "share = 0.60 }]")).unwrap();
        run(
            "c",
            "42",
            "0.02",
            &[PathBuf::from("scenarios/dki-2023.toml"), larger],
        )
    })
}

/// The two runs, made once.
fn runs() -> &'static (PathBuf, PathBuf) {
    static RUNS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    RUNS.get_or_init(|| {
        let shipped = |n: &str| PathBuf::from(format!("scenarios/{n}.toml"));
        let inputs = out_dir().join("inputs");
        std::fs::create_dir_all(&inputs).unwrap();
        let changed = inputs.join("dki-2023-50-only.toml");
        let text = std::fs::read_to_string(shipped("dki-2023-50-only"))
            .unwrap()
            .replace(
                "schedule = [",
                "compliance = { central = 0.5, low = 0.4, high = 0.6 }\nschedule = [",
            );
        std::fs::write(&changed, text).unwrap();
        let a = run(
            "a",
            "42",
            "0.02",
            &[
                shipped("dki-2023"),
                shipped("dki-2023-50-only"),
                shipped("dki-2023-one-month"),
            ],
        );
        let b = run(
            "b",
            "7",
            "0.03",
            &[shipped("dki-2023"), changed, shipped("narrow-exemptions")],
        );
        (a, b)
    })
}

/// stdout and stderr of a successful `wfhsim diff A B ARGS`.
fn diff(a: &Path, b: &Path, args: &[&str]) -> (String, String) {
    let out = wfhsim()
        .arg("diff")
        .arg(a)
        .arg(b)
        .args(args)
        .assert()
        .success();
    let o = out.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

/// The fields of a CSV line, quotes honoured.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// The rows of a CSV file as maps of column → value.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let header = fields(lines.next().unwrap());
    lines
        .map(|l| header.iter().cloned().zip(fields(l)).collect())
        .collect()
}

/// The p50 per policy working day of a row of a run's own summary.csv: its total over the
/// window (more digits than `per_day_p50` at three decimals) over its working days.
fn summary_p50(run: &Path, scenario: &str, metric: &str, component: &str) -> f64 {
    let text = std::fs::read_to_string(run.join("summary.csv")).unwrap();
    let row = csv_rows(&text)
        .into_iter()
        .find(|r| {
            r["scenario"] == scenario
                && r["region_basis"] == "all"
                && r["region"] == "all"
                && r["metric"] == metric
                && r["component"] == component
        })
        .unwrap();
    let total: f64 = row["total_p50"].parse().unwrap();
    let days: f64 = row["window_working_days"].parse().unwrap();
    total / days
}

#[test]
fn delta_is_b_minus_a_of_the_summaries() {
    let (a, b) = runs();
    let (out, _) = diff(a, b, &["--format", "csv", "--all"]);
    let rows = csv_rows(&out);
    for (metric, component) in [("trips", "gross"), ("pm25", "net")] {
        // Read independently from the two runs' summary.csv (3 decimals).
        let x = summary_p50(a, "dki-2023", metric, component);
        let y = summary_p50(b, "dki-2023", metric, component);
        let r = rows
            .iter()
            .find(|r| {
                r["scenario"] == "dki-2023"
                    && r["region_basis"] == "all"
                    && r["metric"] == metric
                    && r["component"] == component
            })
            .unwrap();
        let got = |c: &str| r[c].parse::<f64>().unwrap();
        // The totals have 3 decimals: a relative error below 1e-4 for these values.
        let close = |g: f64, want: f64, scale: f64| (g - want).abs() <= 1e-4 * scale;
        assert!(
            close(got("a_p50"), x, x.abs()),
            "{metric}: {} vs {x}",
            r["a_p50"]
        );
        assert!(
            close(got("b_p50"), y, y.abs()),
            "{metric}: {} vs {y}",
            r["b_p50"]
        );
        assert!(close(got("delta"), y - x, x.abs() + y.abs()), "{metric}");
        let pct = 100.0 * (y - x) / x.abs();
        assert!(close(got("delta_pct"), pct, 10.0 * pct.abs()), "{metric}");
        assert!(pct < 0.0, "B's seed and scale give fewer here: {pct}");
        assert!(got("a_p05") <= got("a_p50") && got("a_p50") <= got("a_p95"));
    }
}

#[test]
fn all_shows_every_row_and_the_default_only_changed_ones() {
    let (a, b) = runs();
    let key = |r: &std::collections::HashMap<String, String>| {
        ["scenario", "region_basis", "region", "metric", "component"].map(|c| r[c].clone())
    };
    let (changed, _) = diff(a, b, &["--format", "csv"]);
    let (all, _) = diff(a, b, &["--format", "csv", "--all"]);
    let changed: Vec<_> = csv_rows(&changed).iter().map(key).collect();
    let all: Vec<_> = csv_rows(&all).iter().map(key).collect();
    assert!(!changed.is_empty());
    assert!(changed.iter().all(|k| all.contains(k)));
    // The headline rows of the two common scenarios: 36 commuter rows (12 metrics x gross,
    // rebound, net: 3 travel and 9 pollutants) and DKI's road and cordon rows.
    let per_scenario = all.iter().filter(|k| k[0] == "dki-2023").count();
    assert_eq!(all.len(), 2 * per_scenario);
    assert!(
        all.iter()
            .all(|k| k[1] == "all" || k[1].starts_with("dki_"))
    );
    assert_eq!(all.iter().filter(|k| k[1] == "all").count(), 2 * 36);
    // One region on every basis.
    let (bogor, _) = diff(
        a,
        b,
        &["--format", "csv", "--all", "--region", "kota_bogor"],
    );
    let bogor = csv_rows(&bogor);
    assert!(bogor.iter().all(|r| r["region"] == "kota_bogor"));
    let bases: std::collections::BTreeSet<_> =
        bogor.iter().map(|r| r["region_basis"].as_str()).collect();
    assert_eq!(
        bases.into_iter().collect::<Vec<_>>(),
        ["home", "roads", "work"]
    );
}

#[test]
fn a_run_against_itself_has_no_differences() {
    let (a, _) = runs();
    let (out, err) = diff(a, a, &[]);
    assert!(out.contains("no differences (0 of "), "{out}");
    assert!(err.is_empty(), "{err}");
    let (json, _) = diff(a, a, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["rows_changed"], 0);
    assert_eq!(v["rows"].as_array().unwrap().len(), 0);
}

#[test]
fn json_has_every_key_in_a_fixed_order_and_csv_its_header() {
    let (a, b) = runs();
    let (json, _) = diff(a, b, &["--format", "json"]);
    let (again, _) = diff(a, b, &["--format", "json"]);
    assert_eq!(json, again, "the JSON is deterministic");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys = [
        "a",
        "b",
        "warnings",
        "pairing",
        "tolerance",
        "scenarios",
        "rows_compared",
        "rows_changed",
        "rows",
        "changed_scenarios",
        "only_in_a",
        "only_in_b",
    ];
    let mut at = 0;
    for k in keys {
        assert!(v.get(k).is_some(), "no key {k}");
        let i = json.find(&format!("\n  \"{k}\":")).unwrap();
        assert!(i > at, "{k} out of order");
        at = i;
    }
    assert_eq!(v["a"]["seed"], 42);
    assert_eq!(v["b"]["seed"], 7);
    let row = &v["rows"][0];
    for k in [
        "scenario",
        "metric",
        "component",
        "unit",
        "delta",
        "delta_pct",
    ] {
        assert!(row.get(k).is_some(), "row has no {k}: {row}");
    }
    for k in ["p05", "p50", "p95"] {
        assert!(row["a"][k].is_number() && row["b"][k].is_number());
    }
    let (csv, _) = diff(a, b, &["--format", "csv"]);
    assert_eq!(
        csv.lines().next().unwrap(),
        "scenario,region_basis,region,metric,component,unit,a_p05,a_p50,a_p95,b_p05,b_p50,b_p95,delta,delta_pct,pairing,difference_p05,difference_p50,difference_p95,p_b_greater,p_a_greater"
    );
    for k in ["p05", "p50", "p95", "p_b_greater", "p_a_greater"] {
        assert!(
            row["difference"][k].is_number(),
            "row has no difference.{k}: {row}"
        );
    }
}

#[test]
fn different_inputs_are_warned_about() {
    let (a, b) = runs();
    let (_, err) = diff(a, b, &[]);
    assert!(
        err.contains("warning: the seeds differ: 42 in A, 7 in B;"),
        "{err}"
    );
    assert!(
        err.contains("warning: the scales differ: 0.02 in A, 0.03 in B;"),
        "{err}"
    );
    assert!(!err.contains("dataset"), "{err}");
    let (json, _) = diff(a, b, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["warnings"].as_array().unwrap().len(),
        2,
        "{}",
        v["warnings"]
    );
}

#[test]
fn scenarios_of_one_run_and_changed_settings_are_listed() {
    let (a, b) = runs();
    let (out, _) = diff(a, b, &[]);
    assert!(out.contains("Only in A: dki-2023-one-month\n"), "{out}");
    assert!(out.contains("Only in B: narrow-exemptions\n"), "{out}");
    assert!(out.contains("\ndki-2023\n") && out.contains("\ndki-2023-50-only\n"));
    assert!(
        out.contains(
            "    policy.1.compliance\n      A: { central = 0.6, low = 0.25, high = 1.0, model = \"clustered\", rho = { central = 0.3, low =\n          0.1, high = 0.6 }, ramp_days = { central = 10.0, low = 5.0, high = 20.0 }, ramp_from = {\n          central = 0.43, low = 0.25, high = 1.0 } }\n      B: { central = 0.5, low = 0.4, high = 0.6 }\n"
        ),
        "{out}"
    );
    // dki-2023 is the same file in both runs: no settings block for it.
    assert!(!out.contains("  dki-2023 (sha256"), "{out}");
    // The legend above the table and the notes below it are wrapped at 100 columns.
    let legend = out.split("\n\n").next().unwrap();
    let notes = out.split("(--all shows every row)\n").nth(1).unwrap();
    for l in legend.lines().chain(notes.lines()) {
        assert!(l.chars().count() <= 100, "longer than 100 columns: {l}");
    }
}

#[test]
fn the_table_of_one_metric() {
    let (a, b) = runs();
    let (out, _) = diff(a, b, &["--metric", "trips"]);
    let out = out
        .replace(&a.display().to_string(), "RUN_A")
        .replace(&b.display().to_string(), "RUN_B");
    insta::assert_snapshot!(out, @r#"
    A: RUN_A (seed 42, 2 replicates, scale 0.02, full uncertainty)
    B: RUN_B (seed 7, 2 replicates, scale 0.03, full uncertainty)
    Per policy working day. A, B: p50; Δ = B - A; Δ% = Δ / |A|.
    d = B - A over every pair of a replicate of B and one of A: independent runs, not paired (the seeds
        differ: 42 in A, 7 in B; the scales differ: 0.02 in A, 0.03 in B). d p05/p50/p95: its quantiles;
        P(B>A): the share of pairs with B above A (ties count for neither).

    dki-2023
      where metric component       A       B        Δ      Δ%    d p05    d p50    d p95 P(B>A)
      all   trips  gross     10256.3 6616.88 -3639.45 -35.48% -5365.72 -3639.45 -1913.17     0%
      all   trips  rebound   2011.93 1174.29 -837.634 -41.63% -1369.98 -837.634 -305.288     0%
      all   trips  net       8244.40 5442.59 -2801.81 -33.98% -3995.74 -2801.81 -1607.88     0%

    dki-2023-50-only
      where metric component       A       B        Δ      Δ%    d p05    d p50    d p95 P(B>A)
      all   trips  gross     9796.43 6690.92 -3105.50 -31.70% -3882.17 -3105.50 -2328.84     0%
      all   trips  rebound   1920.99 1200.30 -720.686 -37.52% -1107.92 -720.686 -333.456     0%
      all   trips  net       7875.44 5490.62 -2384.82 -30.28% -2815.74 -2384.82 -1953.90     0%

    6 of 6 rows changed in 2 common scenarios (--all shows every row)

    Scenario settings that differ:
      dki-2023-50-only (sha256 40b70ed7ed58 in A, cdd23a687853 in B)
        policy.1.compliance
          A: { central = 0.6, low = 0.25, high = 1.0, model = "clustered", rho = { central = 0.3, low =
              0.1, high = 0.6 }, ramp_days = { central = 10.0, low = 5.0, high = 20.0 }, ramp_from = {
              central = 0.43, low = 0.25, high = 1.0 } }
          B: { central = 0.5, low = 0.4, high = 0.6 }
    Only in A: dki-2023-one-month
    Only in B: narrow-exemptions
    "#);
}

#[test]
fn a_folder_that_is_not_a_run_is_bad_input() {
    let (a, _) = runs();
    let tmp = tempfile::tempdir().unwrap();
    wfhsim()
        .arg("diff")
        .arg(a)
        .arg(tmp.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "Error: {} is not a finished run: run.json is missing\n",
            tmp.path().display()
        ));
    std::fs::copy(a.join("run.json"), tmp.path().join("run.json")).unwrap();
    wfhsim()
        .arg("diff")
        .arg(tmp.path())
        .arg(a)
        .assert()
        .code(2)
        .stderr(format!(
            "Error: {} is not a finished run: manifest.json is missing\n",
            tmp.path().display()
        ));
    wfhsim()
        .arg("diff")
        .arg(a)
        .arg(a)
        .args(["--region", "bogor"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "Error: unknown region 'bogor' (valid: all, dki, jakarta_pusat,",
        ));
}

/// The row `all`/`all`/`metric`/`component` of scenario `scenario` in a CSV printed by diff.
fn csv_row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    scenario: &str,
    metric: &str,
    component: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| {
            r["scenario"] == scenario
                && r["region_basis"] == "all"
                && r["metric"] == metric
                && r["component"] == component
        })
        .unwrap()
}

/// Same seed, scale, replicates, dataset and uncertainty: paired. dki-2023 is the same
/// file in both runs, so every replicate gives the same totals (common random numbers
/// across the runs): B − A is 0 in every replicate, on every row. A larger share of staff
/// at home avoids more trips in every replicate: P(B > A) = 1.
#[test]
fn runs_with_the_same_seed_are_paired_replicate_by_replicate() {
    let (a, _) = runs();
    let c = paired_run();
    let (out, err) = diff(a, c, &["--format", "csv", "--all"]);
    assert!(
        err.starts_with("d = B - A replicate by replicate, paired:"),
        "{err}"
    );
    let rows = csv_rows(&out);
    assert!(rows.iter().all(|r| r["pairing"] == "paired"));
    for r in rows.iter().filter(|r| r["scenario"] == "dki-2023") {
        for k in ["difference_p05", "difference_p50", "difference_p95"] {
            assert_eq!(r[k], "0", "{k} of {r:?}");
        }
        assert_eq!(
            (&*r["p_b_greater"], &*r["p_a_greater"]),
            ("0", "0"),
            "{r:?}"
        );
    }
    for component in ["gross", "net"] {
        let r = csv_row(&rows, "dki-2023-50-only", "trips", component);
        assert_eq!(
            (&*r["p_b_greater"], &*r["p_a_greater"]),
            ("1", "0"),
            "{r:?}"
        );
        let low: f64 = r["difference_p05"].parse().unwrap();
        assert!(low > 0.0, "{r:?}");
    }
    let (json, _) = diff(a, c, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["pairing"], serde_json::json!({ "kind": "paired" }));
}

/// One row's per-day totals in a run's own replicates.parquet: each replicate's total
/// over the window's working days (from summary.csv).
fn per_day_replicates(run: &Path, scenario: &str) -> Vec<f64> {
    use polars::prelude::*;
    let file = std::fs::File::open(run.join("replicates.parquet")).unwrap();
    let df = ParquetReader::new(file).finish().unwrap();
    let text = |c: &str| df.column(c).unwrap().str().unwrap().clone();
    let (s, basis, region) = (text("scenario"), text("region_basis"), text("region"));
    let (metric, component) = (text("metric"), text("component"));
    let total = df.column("total").unwrap().f64().unwrap().clone();
    let days = {
        let summary = std::fs::read_to_string(run.join("summary.csv")).unwrap();
        let r = csv_rows(&summary)
            .into_iter()
            .find(|r| {
                r["scenario"] == scenario && r["region_basis"] == "all" && r["metric"] == "trips"
            })
            .unwrap();
        r["window_working_days"].parse::<f64>().unwrap()
    };
    (0..df.height())
        .filter(|&i| {
            s.get(i) == Some(scenario)
                && basis.get(i) == Some("all")
                && region.get(i) == Some("all")
                && metric.get(i) == Some("trips")
                && component.get(i) == Some("gross")
        })
        .map(|i| total.get(i).unwrap() / days)
        .collect()
}

/// Other seeds and scales: independent runs, compared over every pair of replicates;
/// the shares are those of the pairs counted here from each run's replicates.parquet.
#[test]
fn runs_with_other_seeds_are_independent_and_compared_over_every_pair() {
    let (a, b) = runs();
    let (json, _) = diff(a, b, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["pairing"],
        serde_json::json!({
            "kind": "independent",
            "because": [
                "the seeds differ: 42 in A, 7 in B",
                "the scales differ: 0.02 in A, 0.03 in B"
            ]
        })
    );
    let (out, err) = diff(a, b, &["--format", "csv", "--all", "--metric", "trips"]);
    assert!(err.contains("d = B - A over every pair"), "{err}");
    let rows = csv_rows(&out);
    let r = csv_row(&rows, "dki-2023", "trips", "gross");
    assert_eq!(r["pairing"], "independent");
    let (x, y) = (
        per_day_replicates(a, "dki-2023"),
        per_day_replicates(b, "dki-2023"),
    );
    assert_eq!((x.len(), y.len()), (2, 2));
    let pairs = (x.len() * y.len()) as f64;
    let count = |f: fn(f64, f64) -> bool| {
        let n = x
            .iter()
            .flat_map(|&p| y.iter().filter(move |&&q| f(p, q)))
            .count();
        n as f64 / pairs
    };
    let got = |k: &str| r[k].parse::<f64>().unwrap();
    assert_eq!(got("p_b_greater"), count(|p, q| q > p));
    assert_eq!(got("p_a_greater"), count(|p, q| q < p));
    // The band lies within the pairs' differences.
    let d: Vec<f64> = x
        .iter()
        .flat_map(|p| y.iter().map(move |q| q - p))
        .collect();
    let (lowest, highest) = (
        d.iter().copied().fold(f64::MAX, f64::min),
        d.iter().copied().fold(f64::MIN, f64::max),
    );
    let slack = 1e-9 * (lowest.abs() + highest.abs());
    assert!(got("difference_p05") >= lowest - slack && got("difference_p95") <= highest + slack);
}

/// A run written before replicates.parquet (its manifest does not record one): the
/// comparison is made without the difference band, saying why; a file the manifest
/// records but that is gone is a damaged run.
#[test]
fn a_run_without_replicates_is_compared_without_the_band() {
    let (a, _) = runs();
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    std::fs::create_dir(&old).unwrap();
    for e in std::fs::read_dir(a).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() && p.file_name().unwrap() != "replicates.parquet" {
            std::fs::copy(&p, old.join(p.file_name().unwrap())).unwrap();
        }
    }
    wfhsim()
        .arg("diff")
        .arg(a)
        .arg(&old)
        .assert()
        .code(2)
        .stderr(format!(
            "Error: {} is not a finished run: replicates.parquet is missing\n",
            old.display()
        ));
    let manifest = old.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    let files = m["files_sha256"].as_object_mut().unwrap();
    assert!(files.remove("replicates.parquet").is_some());
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let (json, _) = diff(a, &old, &["--format", "json", "--all"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let because = format!(
        "{} is missing (a run written before wfhsim kept each replicate's totals); run it again for the band of the difference",
        old.join("replicates.parquet").display()
    );
    assert_eq!(
        v["pairing"],
        serde_json::json!({ "kind": "unavailable", "because": because })
    );
    let rows = v["rows"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["difference"].is_null()));
    let (table, _) = diff(a, &old, &["--all", "--metric", "trips"]);
    assert!(table.contains("No band of B - A (d):"), "{table}");
    let gross = table
        .lines()
        .find(|l| l.starts_with("  all   trips  gross"))
        .unwrap();
    let cells: Vec<&str> = gross.split_whitespace().collect();
    assert_eq!(cells[cells.len() - 4..], ["n/a"; 4], "{gross}");
}
