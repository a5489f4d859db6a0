//! `wfhsim evaluate` and `run --observed` through the binary: bad series refused with the
//! file, line and column and nothing written; a gap handled and counted; the real series
//! shipped in examples/data (Google's workplace mobility around PSBB I against the plain
//! difference of period means; PM2.5 at the US Embassy over the same window); the folder's
//! files; `report --evaluation`; a count series' own noise in a run's detectability.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::support::{help_examples, wfhsim};

/// A daily series from `from` (YYYY-MM-DD) of `n` days: a weekday pattern, a level of
/// 100,000 and a deterministic wobble of about ±1%, times `effect` inside `window`
/// (day indices).
fn counts(n: usize, window: std::ops::Range<usize>, effect: f64) -> Vec<f64> {
    counts_seeded(0, n, window, effect)
}

/// [`counts`] with its own wobble for each `seed`.
fn counts_seeded(seed: u64, n: usize, window: std::ops::Range<usize>, effect: f64) -> Vec<f64> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0xD1B5_4A32_D192_ED03);
    (0..n)
        .map(|i| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let weekday = [1.0, 1.02, 1.03, 1.02, 0.98, 0.8, 0.7][i % 7];
            let e = if window.contains(&i) { effect } else { 1.0 };
            100_000.0 * weekday * (1.0 + 0.02 * (u - 0.5)) * e
        })
        .collect()
}

/// Writes `date,<column>` rows from 2019-01-07 (a Monday), one per value.
fn write_series(dir: &Path, name: &str, column: &str, values: &[f64]) -> PathBuf {
    write_series_from(dir, name, column, "2019-01-07", values)
}

/// Writes `date,<column>` rows from `first`, one per value.
fn write_series_from(dir: &Path, name: &str, column: &str, first: &str, values: &[f64]) -> PathBuf {
    let start = wfhsim_core::calendar::Date::parse(first).unwrap();
    let mut text = format!("date,{column}\n");
    for (i, v) in values.iter().enumerate() {
        text.push_str(&format!(
            "{},{v:.1}\n",
            wfhsim_core::calendar::Date(start.0 + i as i32)
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn refused(args: &[&str], out: &Path) -> String {
    let o = wfhsim().args(args).arg("--out").arg(out).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2), "exit code; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !out.exists() || std::fs::read_dir(out).unwrap().next().is_none(),
        "nothing written on refusal"
    );
    err
}

/// A file's text, the window asked and what the refusal must say.
const BAD_FILES: [(&str, &str, &str, &str); 4] = [
    (
        "dup.csv",
        "date,count\n2019-01-07,1\n2019-01-08,2\n2019-01-08,3\n",
        "2019-01-08..2019-01-08",
        "dup.csv: line 3 and line 4: the date 2019-01-08 appears twice; give each day once",
    ),
    (
        "nan.csv",
        "date,count\n2019-01-07,1\n2019-01-08,abc\n",
        "2019-01-08..2019-01-08",
        "nan.csv: line 3 column 'count': 'abc' is not a number",
    ),
    (
        "date.csv",
        "date,count\n2019-01-07,1\n7/1/2019,2\n",
        "2019-01-08..2019-01-08",
        "date.csv: line 3 column 'date': '7/1/2019' is not a date (YYYY-MM-DD)",
    ),
    (
        "nodate.csv",
        "day,count\n1,2\n",
        "2019-01-08..2019-01-08",
        "nodate.csv: has no column 'date' (its columns: day, count)",
    ),
];

#[test]
fn bad_series_are_refused_naming_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let evaluate = |f: &Path, window: &str| {
        refused(&["evaluate", f.to_str().unwrap(), "--window", window], &out)
    };
    for (name, text, window, says) in BAD_FILES {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let err = evaluate(&f, window);
        assert!(err.contains(says), "{name}: {err}");
    }
    let many: Vec<(String, Vec<f64>)> = (0..101)
        .map(|k| (format!("s{k}"), vec![1.0, 2.0]))
        .collect();
    let many: Vec<(&str, Vec<f64>)> = many.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
    let f = write_table(dir.path(), "many.csv", &many);
    let err = evaluate(&f, "2019-01-08..2019-01-08");
    assert!(
        err.contains("many.csv: 101 series; evaluate reads at most 100 at once"),
        "{err}"
    );
    let good = write_series(
        dir.path(),
        "good.csv",
        "count",
        &counts(400, 300..340, 0.95),
    );
    let flat = write_series(dir.path(), "flat.csv", "count", &[5.0; 400]);
    for (f, window, says) in [
        (
            &good,
            "2021-01-01..2021-01-31",
            "good.csv: the window 2021-01-01..2021-01-31 is outside the series, which runs 2019-01-07..2020-02-10",
        ),
        (
            &good,
            "2019-11-03",
            "--window '2019-11-03' is not FROM..TO with both days YYYY-MM-DD",
        ),
        (
            &good,
            "2019-01-14..2019-01-20",
            "good.csv, column 'count': too few days before the policy: 7 observed days before 2019-01-14, the model with",
        ),
        (
            &flat,
            "2019-11-04..2019-11-30",
            "flat.csv, column 'count': the series does not vary before the policy",
        ),
    ] {
        let err = evaluate(f, window);
        assert!(err.contains(says), "{window}: {err}");
    }
}

/// `wfhsim evaluate SERIES ARGS --name NAME --out OUT`, which must succeed, and the folder
/// it wrote, read back.
fn evaluated(
    series: &Path,
    args: &[&str],
    name: &str,
    out: &Path,
) -> wfhsim_report::evaluation::Evaluation {
    wfhsim()
        .arg("evaluate")
        .arg(series)
        .args(args)
        .args(["--name", name])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    wfhsim_report::evaluation::Evaluation::read(&out.join(name)).unwrap()
}

#[test]
fn a_missing_day_is_spanned_and_counted_and_the_effect_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = counts(420, 364..392, 0.9);
    let f = write_series(dir.path(), "gappy.csv", "count", &v);
    // Drop three days before the window (their rows removed from the file).
    let text = std::fs::read_to_string(&f).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| ![101, 102, 250].contains(i))
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&f, kept.join("\n") + "\n").unwrap();
    v.truncate(0);
    let out = dir.path().join("out");
    let ev = evaluated(
        &f,
        &[
            "--window",
            "2020-01-06..2020-02-02",
            "--quantity",
            "counts",
            "--lang",
            "en",
        ],
        "gappy",
        &out,
    );
    let folder = out.join("gappy");
    assert_eq!(ev.manifest.sites[0].missing_days, 3);
    assert_eq!(ev.manifest.sites[0].longest_gap, 2);
    let its = ev.effects.iter().find(|r| r.method == "its").unwrap();
    let (lo, hi) = (its.effect_pct_lo.unwrap(), its.effect_pct_hi.unwrap());
    let se = (hi - lo) / (2.0 * 1.96);
    assert!(
        (its.effect_pct + 10.0).abs() < 3.0 * se,
        "−10% against {} ({lo}, {hi})",
        its.effect_pct
    );
    for f in [
        "evaluation.csv",
        "evaluation.parquet",
        "evaluation_days.parquet",
        "manifest.json",
        "briefing.html",
        "briefing.xlsx",
    ] {
        assert!(folder.join(f).is_file(), "{f}");
    }
}

/// Mean of a CSV column over the days from..=to (YYYY-MM-DD strings compare as dates).
fn period_mean(path: &Path, column: &str, from: &str, to: &str) -> f64 {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    let vals: Vec<f64> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[0] >= from && f[0] <= to && !f[c].is_empty())
        .map(|f| f[c].parse::<f64>().unwrap())
        .collect();
    vals.iter().sum::<f64>() / vals.len() as f64
}

#[test]
fn workplace_mobility_around_psbb_i_agrees_with_the_plain_difference_of_means() {
    let cmr =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/google-cmr-jakarta-daily.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        "--column",
        "workplaces_pct",
        "--window",
        "2020-03-16..2020-03-22",
        "--window",
        "2020-03-23..2020-04-09",
        "--window",
        "2020-04-10..2020-06-04",
        "--quantity",
        "mobility",
        "--lang",
        "en",
    ];
    let ev = evaluated(&cmr, &args, "cmr", &out);
    assert_eq!(
        ev.manifest.options.scale, "log",
        "a % change read as an index (baseline 100): every value above 0"
    );
    assert!(
        !ev.manifest.options.trend,
        "30 days before, 81 after: no trend"
    );
    let psbb = ev
        .effects
        .iter()
        .find(|r| r.method == "its" && r.window_from == "2020-04-10")
        .unwrap();
    // The plain comparison: PSBB I's mean against the mean of the days before the first
    // window (Google's values are already relative to each weekday's baseline).
    let plain = period_mean(&cmr, "workplaces_pct", "2020-04-10", "2020-06-04")
        - period_mean(&cmr, "workplaces_pct", "2020-02-15", "2020-03-15");
    assert!(
        (psbb.effect_units - plain).abs() <= 2.0,
        "ITS {:.2} points against the plain difference {plain:.2}",
        psbb.effect_units
    );
    assert!(psbb.effect_pct_hi.unwrap() < 0.0, "a fall, and a clear one");
}

#[test]
fn pm25_over_psbb_i_is_judged_against_the_series_own_variation() {
    let pm = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data/us-embassy-pm25-jakarta-daily.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = wfhsim()
        .arg("evaluate")
        .arg(&pm)
        .args([
            "--column",
            "pm25_ugm3",
            "--window",
            "2020-04-10..2020-06-04",
            "--quantity",
            "pm25",
            "--name",
            "pm",
            "--lang",
            "en",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ev = wfhsim_report::evaluation::Evaluation::read(&out.join("pm")).unwrap();
    assert_eq!(ev.manifest.sites.len(), 2, "two monitors, long layout");
    assert_eq!(ev.manifest.options.scale, "log");
    assert_eq!(
        ev.manifest.options.season_harmonics, 2,
        "four years before: seasons"
    );
    for r in ev.effects.iter().filter(|r| r.method == "its") {
        assert!(
            r.placebos >= 10,
            "placebo windows over the years before: {}",
            r.placebos
        );
    }
    for n in &ev.manifest.sites {
        // The same weeks of 2019 and 2018: two years of seasons before each; not 2017.
        let years: Vec<&str> = n.same_weeks.iter().map(|w| w.from.as_str()).collect();
        assert_eq!(years, ["2019-04-10", "2018-04-10"], "{}", n.site);
    }
    assert!(
        stdout.contains("distinguishable from the series' own variation"),
        "a plain verdict:\n{stdout}"
    );
}

/// `wfhsim run` of dki-2023 at scale 0.02 with 3 replicates into `out/name`, with `extra`
/// arguments.
fn small_run(name: &str, out: &Path, extra: &[&OsStr]) -> assert_cmd::Command {
    let mut cmd = wfhsim();
    cmd.args([
        "run",
        "scenarios/dki-2023.toml",
        "--scale",
        "0.02",
        "--replicates",
        "3",
    ])
    .args(["--name", name])
    .args(extra)
    .arg("--out")
    .arg(out);
    cmd
}

/// The manifest's comparison with the run of `evaluate` with `extra` arguments.
fn simulated(
    series: &Path,
    run: &Path,
    out: &Path,
    name: &str,
    extra: &[&str],
) -> wfhsim_report::evaluation::Simulated {
    wfhsim()
        .arg("evaluate")
        .arg(series)
        .arg("--window-from")
        .arg(run)
        .arg("--run")
        .arg(run)
        .args(["--scenario", "dki-2023", "--name", name, "--lang", "en"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    let ev = wfhsim_report::evaluation::Evaluation::read(&out.join(name)).unwrap();
    assert_eq!(
        ev.manifest.windows[0].from, "2023-08-21",
        "the scenario's window"
    );
    assert_eq!(ev.manifest.windows[0].to, "2023-10-21");
    ev.manifest.simulated.expect("--run")
}

#[test]
fn a_count_series_is_set_beside_the_run_only_when_they_measure_the_same_thing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    small_run("run", &out, &[]).assert().success();
    let run = out.join("run");
    // 1 Aug 2022 (a Monday) to 21 Oct 2023: a year before the order and its window.
    let n = 447;
    let f = write_series_from(
        dir.path(),
        "counts.csv",
        "all_sites",
        "2022-08-01",
        &counts(n, 385..n, 0.999),
    );
    let same = simulated(
        &f,
        &run,
        &out,
        "same",
        &["--days", "working", "--quantity", "counts"],
    );
    assert!(same.comparable, "{:?}", same.reason);
    assert_eq!(
        (same.scenario.as_str(), same.reason_key.as_deref()),
        ("dki-2023", None)
    );
    assert!(
        same.p05 <= same.p50 && same.p50 <= same.p95 && same.p95 <= 0.0,
        "fewer passages: {same:?}"
    );
    let other = simulated(
        &f,
        &run,
        &out,
        "other",
        &["--days", "working", "--quantity", "mobility"],
    );
    assert!(!other.comparable);
    assert_eq!(other.reason_key.as_deref(), Some("quantity"));
    let all_days = simulated(&f, &run, &out, "all", &["--quantity", "counts"]);
    assert_eq!(all_days.reason_key.as_deref(), Some("days"));
    // The window from the scenario file gives the same days.
    wfhsim()
        .arg("evaluate")
        .arg(&f)
        .args(["--window-from", "scenarios/dki-2023.toml", "--name", "file"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let ev = wfhsim_report::evaluation::Evaluation::read(&out.join("file")).unwrap();
    let w = &ev.manifest.windows[0];
    assert_eq!(
        (w.from.as_str(), w.to.as_str(), w.origin.as_str()),
        ("2023-08-21", "2023-10-21", "scenarios/dki-2023.toml")
    );
}

/// Writes a wide table from 2019-01-07: a date column and one column per series.
fn write_table(dir: &Path, name: &str, columns: &[(&str, Vec<f64>)]) -> PathBuf {
    let start = wfhsim_core::calendar::Date::parse("2019-01-07").unwrap();
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let mut text = format!("date,{}\n", names.join(","));
    for i in 0..columns[0].1.len() {
        let cells: Vec<String> = columns
            .iter()
            .map(|(_, v)| format!("{:.1}", v[i]))
            .collect();
        text.push_str(&format!(
            "{},{}\n",
            wfhsim_core::calendar::Date(start.0 + i as i32),
            cells.join(",")
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_control_gives_difference_in_differences_and_three_give_synthetic_control() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (n, w) = (420, 364..392);
    let treated = write_table(
        dir.path(),
        "treated.csv",
        &[("site_a", counts_seeded(1, n, w.clone(), 0.9))],
    );
    let control = write_table(
        dir.path(),
        "control.csv",
        &[("ctl", counts_seeded(2, n, w.clone(), 1.0))],
    );
    let donors: Vec<(&str, Vec<f64>)> = ["d1", "d2", "d3", "d4"]
        .iter()
        .enumerate()
        .map(|(k, name)| (*name, counts_seeded(3 + k as u64, n, w.clone(), 1.0)))
        .collect();
    let donors = write_table(dir.path(), "donors.csv", &donors);
    let window = "2020-01-06..2020-02-02";
    for (name, ctl) in [("did", &control), ("synth", &donors)] {
        wfhsim()
            .arg("evaluate")
            .arg(&treated)
            .arg("--control")
            .arg(ctl)
            .args(["--window", window, "--name", name, "--lang", "en"])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    let did = wfhsim_report::evaluation::Evaluation::read(&out.join("did")).unwrap();
    let row = did
        .effects
        .iter()
        .find(|r| r.method == "did")
        .expect("a did row");
    let (lo, hi) = (row.effect_pct_lo.unwrap(), row.effect_pct_hi.unwrap());
    // Within three standard errors of the truth (a 95% interval misses one series in 20).
    let se = (hi - lo) / (2.0 * 1.96);
    assert!(
        (row.effect_pct + 10.0).abs() < 3.0 * se,
        "−10% against {} ({lo}, {hi})",
        row.effect_pct
    );
    let note = &did.manifest.sites[0];
    assert!(
        note.did_assumption
            .as_deref()
            .unwrap_or("")
            .contains("parallel"),
        "{:?}",
        note.did_assumption
    );
    assert!(note.did_pre_trend.is_some());
    let synth = wfhsim_report::evaluation::Evaluation::read(&out.join("synth")).unwrap();
    let row = synth
        .effects
        .iter()
        .find(|r| r.method == "synth")
        .expect("a synth row");
    assert!(
        (row.effect_pct + 10.0).abs() < 3.0,
        "synthetic control: {}",
        row.effect_pct
    );
    let s = &synth.manifest.synth[0];
    assert_eq!(s.weights.len(), 4);
    assert!((s.weights.iter().map(|(_, w)| w).sum::<f64>() - 1.0).abs() < 1e-9);
    assert_eq!(s.placebos.len(), 4, "each donor treated in turn");
    assert!(
        (s.p_value - 0.2).abs() < 1e-12,
        "the treated unit parts most: 1/(1+4)"
    );
}

/// Counts with a weekday pattern and i.i.d. noise of `sigma` (a fraction) from a seeded
/// Box–Muller, from 1 Aug 2022 to the day before the 2023 order.
fn noisy_counts(seed: u64, sigma: f64) -> Vec<f64> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut uniform = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..385)
        .map(|i| {
            let z = (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
            let weekday = [1.0, 1.02, 1.03, 1.02, 0.98, 0.8, 0.7][i % 7];
            100_000.0 * weekday * (sigma * z).exp()
        })
        .collect()
}

/// The whole-window row of a run's detectability.csv: (mde_city_pct, its low, its high).
fn whole_window_mde(run: &Path) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(run.join("detectability.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("dki-2023,whole_window"))
        .unwrap()
        .split(',')
        .collect();
    let get = |name: &str| row[col(name)].parse::<f64>().unwrap();
    (
        get("mde_city_pct"),
        get("mde_city_pct_low"),
        get("mde_city_pct_high"),
    )
}

#[test]
fn run_observed_puts_the_series_own_noise_in_the_detectability_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut mdes = Vec::new();
    for (name, sigma) in [("quiet", 0.01), ("loud", 0.02)] {
        let f = write_series_from(
            dir.path(),
            &format!("{name}.csv"),
            "count",
            "2022-08-01",
            &noisy_counts(7, sigma),
        );
        let o = small_run(name, &out, &[OsStr::new("--observed"), f.as_os_str()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8(o.stdout).unwrap();
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Detectability from"))
            .expect("says so");
        let printed: f64 = line
            .split("sigma ")
            .nth(1)
            .unwrap()
            .split('%')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((printed / (100.0 * sigma) - 1.0).abs() < 0.1, "{line}");
        let (mde, low, high) = whole_window_mde(&out.join(name));
        assert_eq!(
            (low, high),
            (mde, mde),
            "fixed at the series' value: no range"
        );
        mdes.push(mde);
    }
    let ratio = mdes[1] / mdes[0];
    assert!(
        (1.8..2.2).contains(&ratio),
        "twice the noise, twice the MDE: {ratio}"
    );
}

/// A Parquet series (Arrow dates, the long layout) reads as its CSV does: the evaluation's
/// own days table, evaluated again, gives the first evaluation's effects.
#[test]
fn a_parquet_series_reads_as_its_csv() {
    let cmr =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/google-cmr-jakarta-daily.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = |series: &Path, column: &str, name: &str| {
        let args = [
            "--column",
            column,
            "--window",
            "2020-04-10..2020-06-04",
            "--quantity",
            "mobility",
        ];
        evaluated(series, &args, name, &out)
    };
    let first = run(&cmr, "workplaces_pct", "csv");
    let again = run(
        &out.join("csv/evaluation_days.parquet"),
        "observed",
        "parquet",
    );
    assert_eq!(
        again.manifest.sites[0].site, "workplaces_pct",
        "the site column names it"
    );
    let (a, b) = (&first.effects[0], &again.effects[0]);
    assert!(
        (a.effect_pct - b.effect_pct).abs() < 1e-9,
        "{} vs {}",
        a.effect_pct,
        b.effect_pct
    );
    assert_eq!(a.days, b.days);
}

/// `evaluate --help` has examples that read at 80 columns and name files that exist.
#[test]
fn the_help_examples_read_at_80_columns_and_name_real_files() {
    let o = wfhsim().args(["evaluate", "--help"]).output().unwrap();
    let help = String::from_utf8(o.stdout).unwrap();
    let examples = help_examples(&help);
    assert!(examples.len() >= 8, "{help}");
    for l in &examples {
        assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
        for word in l
            .split_whitespace()
            .filter(|w| w.starts_with("examples/data/"))
        {
            assert!(Path::new(word).is_file(), "{word} does not exist");
        }
    }
}
