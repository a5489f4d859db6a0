//! `wfhsim sweep`, `sweep merge` and `target` through the real binary, at a small scale:
//! shards merge to the bytes of an unsharded sweep, a complete shard is skipped, a merge
//! names what is missing or inconsistent, bad designs and options are refused word for
//! word with exit 2 and nothing written, a one-at-a-time design moves the outcome as the
//! closed form says, and an interrupted shard leaves no trace.

use crate::support::{exported_dataset, set_source_note, wfhsim};
use std::path::{Path, PathBuf};

pub(crate) fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

pub(crate) const SMOKE: &str = "scenarios/sweeps/smoke.toml";

pub(crate) fn sweep(
    out: &Path,
    name: &str,
    design: &Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let scale: &[&str] = if extra.contains(&"--scale") {
        &[]
    } else {
        &["--scale", "0.01"]
    };
    wfhsim()
        .args(["sweep"])
        .arg(design)
        .args(scale)
        .arg("--out")
        .arg(out)
        .args(["--name", name])
        .args(extra)
        .assert()
}

pub(crate) fn merge(dir: &Path) -> assert_cmd::assert::Assert {
    wfhsim().args(["sweep", "merge"]).arg(dir).assert()
}

/// Every file below `dir`, relative, sorted (manifests aside: they hold timings).
pub(crate) fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "shards") {
                    walk(base, &p, out);
                }
            } else if p.file_name().is_some_and(|n| n != "manifest.json") {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

pub(crate) fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn four_shards_merge_to_the_bytes_of_one_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    sweep(tmp.path(), "whole", &design, &[]).success();
    for k in 1..=4 {
        sweep(
            tmp.path(),
            "split",
            &design,
            &["--shard", &format!("{k}/4")],
        )
        .success();
    }
    let shard2 = tmp.path().join("split/shards/shard=0002-of-0004");
    for f in ["experiments.parquet", "manifest.json", "_SUCCESS"] {
        assert!(shard2.join(f).is_file(), "{f}");
    }
    // A complete shard is not run again.
    let again = sweep(tmp.path(), "split", &design, &["--shard", "2/4"]).success();
    let out = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(out.contains("Shard 2 of 4 is complete already"), "{out}");
    merge(&tmp.path().join("split")).success();
    let (a, b) = (tmp.path().join("whole"), tmp.path().join("split"));
    let fa = files(&a);
    assert_eq!(fa, files(&b));
    for want in ["design.parquet", "experiments.parquet", "points.parquet"] {
        assert!(fa.contains(&PathBuf::from(want)), "{want} in {fa:?}");
    }
    assert!(fa.iter().any(|f| f.starts_with("charts/dki-2023")));
    for f in &fa {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
}

#[test]
fn a_merge_names_the_missing_shards_and_how_to_run_them() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    for k in [1, 2, 4] {
        sweep(tmp.path(), "s", &design, &["--shard", &format!("{k}/4")]).success();
    }
    let a = merge(&tmp.path().join("s")).code(2);
    let e = stderr(&a);
    let shards = tmp.path().join("s/shards");
    assert!(
        e.contains(&format!(
            "Error: {}: 1 of 4 shards are missing or unfinished (shard=0003-of-0004); run each, then merge again:\n",
            shards.display()
        )),
        "{e}"
    );
    assert!(e.contains("--shard 3/4"), "{e}");
    assert!(!tmp.path().join("s/experiments.parquet").exists());
}

#[test]
fn a_merge_refuses_shards_of_different_designs() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other.toml");
    let text = std::fs::read_to_string(repo(SMOKE)).unwrap();
    std::fs::write(&other, text.replace("samples = 8", "samples = 9")).unwrap();
    sweep(tmp.path(), "s", &repo(SMOKE), &["--shard", "1/2"]).success();
    sweep(tmp.path(), "s", &other, &["--shard", "2/2"]).success();
    let a = merge(&tmp.path().join("s")).code(2);
    let e = stderr(&a);
    let sh = tmp.path().join("s/shards");
    assert!(
        e.starts_with(&format!(
            "Error: {} and {} come from different sweeps: design sha256 ",
            sh.join("shard=0001-of-0002").display(),
            sh.join("shard=0002-of-0002").display()
        )),
        "{e}"
    );
    assert!(
        e.contains(
            "merge only shards of one design, dataset, program and options (run the odd ones again with --force)"
        ),
        "{e}"
    );
}

pub(crate) const HEAD: &str = "schema_version = 1\nname = \"b\"\ntitle = \"b\"\nmethod = \"oat\"\nscenarios = [\"dki-2023\"]\nreplicates = 2\n";

/// Runs a design written to a temporary file; returns (stderr, its path). Must fail with 2
/// and write nothing.
pub(crate) fn refused(design: &str, extra: &[&str]) -> (String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.toml");
    std::fs::write(&path, design).unwrap();
    let out = tmp.path().join("out");
    let a = sweep(&out, "x", &path, extra).code(2);
    assert!(!out.exists(), "something was written");
    (stderr(&a), path, tmp)
}

#[test]
fn bad_designs_are_refused_naming_the_file_and_key() {
    let cases: [(&str, &str); 5] = [
        (
            "[[factor]]\nkey = \"policy.1.complience\"\nrange = [0.3, 0.9]\n",
            "factor[1] ('policy.1.complience'): at 0.6 in scenario 'dki-2023': policy[0]: unknown key 'complience'; did you mean 'compliance'?",
        ),
        (
            "[[factor]]\nkey = \"data.role_share.private.administrativ\"\n",
            "factor[1] ('data.role_share.private.administrativ'): the dataset has no parameter 'role_share.private.administrativ' (did you mean 'data.role_share.private.administrative'?); `wfhsim data` lists every key",
        ),
        (
            "[[factor]]\nkey = \"policy.1.compliance\"\nlevels = [0.5, 1.5]\n",
            "factor[1] ('policy.1.compliance'): at 1.5 in scenario 'dki-2023': policy[0].compliance.central: 1.5 is outside 0..1: a share is a fraction, 0.5 means 50%",
        ),
        (
            "[[factor]]\nkey = \"data.role_share.private.administrative\"\nrange = [0.05, 0.5]\n",
            "factor[1] ('data.role_share.private.administrative'): 0.05 is outside the provenance range of 'role_share.private.administrative' (0.1 to 0.4, central 0.18); a sweep stays within what the sources allow",
        ),
        (
            "[[factor]]\nkey = \"data.unit_size.office\"\n",
            "factor[1] ('data.unit_size.office'): 'unit_size.office' shapes the population or the commuter matrix, which a sweep builds once from the dataset;",
        ),
    ];
    for (factor, want) in cases {
        let (e, path, _tmp) = refused(&format!("{HEAD}{factor}"), &[]);
        let want = format!("Error: {}: {want}", path.display());
        assert!(e.starts_with(&want), "\n{e}\nwanted\n{want}");
    }
    let (e, path, _tmp) = refused(&HEAD.replace("oat", "tornado"), &[]);
    assert!(
        e.contains(&format!(
            "{}: method: \"tornado\" is not one of grid, oat, lhs, sobol",
            path.display()
        )),
        "{e}"
    );
}

#[test]
fn shards_outside_one_to_n_are_refused() {
    for s in ["0/4", "5/4"] {
        let (e, _, _tmp) = refused(
            &format!("{HEAD}[[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.3, 0.9]\n"),
            &["--shard", s],
        );
        assert_eq!(
            e.trim_end(),
            format!(
                "Error: --shard {s} is not allowed: give K/N with 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)"
            )
        );
    }
}

#[test]
fn a_design_too_large_for_memory_is_refused_with_the_estimate() {
    let design = "schema_version = 1\nname = \"b\"\ntitle = \"b\"\nmethod = \"lhs\"\nsamples = 1000000\nscenarios = [\"dki-2023\"]\nreplicates = 1000\n[[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.3, 0.9]\n";
    // Memory, as for a run, is exit 1: split into shards (or elsewhere) it may run.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.toml");
    std::fs::write(&path, design).unwrap();
    let out = tmp.path().join("out");
    let e = stderr(&sweep(&out, "x", &path, &[]).code(1));
    assert!(!out.exists(), "something was written");
    let want = format!(
        "Error: {}: the design has 1000000 point-scenarios × 1000 replicates = 1000000000 experiments; with the population and a point's tables it needs about ",
        path.display()
    );
    assert!(e.starts_with(&want), "{e}");
    assert!(
        e.contains("split it with --shard K/N, or use fewer samples, levels or replicates"),
        "{e}"
    );
}

/// Reads one f64 column of a parquet file with the bytes' own reader: the experiments
/// table through polars.
pub(crate) fn column(path: &Path, name: &str) -> Vec<f64> {
    use polars::prelude::*;
    let df = ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    df.column(name)
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

#[test]
fn one_at_a_time_compliance_scales_trips_as_the_closed_form_says() {
    // Everyone assigned stays home with probability = compliance: at 1.0 twice the trips
    // avoided of 0.5, up to the sampling noise of ~10^5 agent-days (< 1%). On dki-2023 with
    // each worker independent and no ramp (its own clustered compliance adds the units'
    // draws, which do not average out over the days).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("iid.toml"),
        "schema_version = 1\nextends = \"dki-2023\"\nname = \"dki-2023-iid\"\n[[policy]]\nname = \"Pemprov DKI ASN\"\ncompliance = { central = 0.75 }\n",
    )
    .unwrap();
    let path = tmp.path().join("d.toml");
    std::fs::write(
        &path,
        format!(
            "{}[[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.5, 1.0]\ncentral = 0.75\n",
            HEAD.replace(
                "replicates = 2",
                "replicates = 1\noutcomes = [\"trips_per_day\"]"
            )
            .replace("[\"dki-2023\"]", "[\"iid.toml\"]")
        ),
    )
    .unwrap();
    sweep(
        tmp.path(),
        "o",
        &path,
        &["--uncertainty", "behavioural", "--scale", "0.2"],
    )
    .success();
    let t = column(&tmp.path().join("o/experiments.parquet"), "trips_per_day");
    // Points: 0 central (0.75), 1 low (0.5), 2 high (1.0).
    assert_eq!(t.len(), 3);
    assert!((t[2] / t[1] - 2.0).abs() < 0.02, "{t:?}");
    assert!((t[0] / t[1] - 1.5).abs() < 0.02, "{t:?}");
    let tornado = std::fs::read_to_string(tmp.path().join("o/tornado.csv")).unwrap();
    assert!(tornado.starts_with("scenario,outcome,factor,low_setting,high_setting,central_p50,at_low_p50,at_high_p50,swing\niid,trips_per_day,policy.1.compliance,0.5,1,"), "{tornado}");
}

/// Linear interpolation between order statistics at position p(n + 1), clamped to the
/// extremes (Hyndman & Fan's definition 6, the rule of every band), written out for the
/// check.
fn type6(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let h = (p * (s.len() + 1) as f64).clamp(1.0, s.len() as f64) - 1.0;
    let i = h.floor() as usize;
    s[i] + (h - i as f64) * (s[(i + 1).min(s.len() - 1)] - s[i])
}

/// The answers are the quantiles of the per-replicate crossings written to
/// `crossings.csv`; with 5 replicates no 95% interval can be bounded, and the console
/// says so and how many replicates would.
#[test]
fn target_reports_the_quantiles_of_the_replicates_crossings() {
    let tmp = tempfile::tempdir().unwrap();
    let a = wfhsim()
        .args(["target"])
        .arg(repo("scenarios/sweeps/private-share-for-1pct.toml"))
        .args(["--scale", "0.02", "--replicates", "5", "--out"])
        .arg(tmp.path())
        .args(["--name", "t"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    let crossings = std::fs::read_to_string(tmp.path().join("t/crossings.csv")).unwrap();
    let mut lines = crossings.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,factor,outcome,target,replicate,crossing,place,bracket_low,bracket_high,monotone,largest_dip"
        )
    );
    let x: Vec<f64> = lines
        .enumerate()
        .map(|(r, l)| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(
                &f[..5],
                [
                    "private-sector-joins",
                    "policy.2.share",
                    "trips_pct",
                    "1.0",
                    &r.to_string()
                ]
            );
            assert_eq!(f[6], "in_range", "{l}");
            let (c, lo, hi): (f64, f64, f64) = (
                f[5].parse().unwrap(),
                f[7].parse().unwrap(),
                f[8].parse().unwrap(),
            );
            assert!(0.05 <= lo && lo <= c && c <= hi && hi <= 1.0, "{l}");
            c
        })
        .collect();
    assert_eq!(x.len(), 5);
    let csv = std::fs::read_to_string(tmp.path().join("t/target.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "scenario,factor,outcome,target,criterion,setting,reached_in_range,ci95_low,ci95_high,ci95_low_place,ci95_high_place,replicates,crossed_below_range,not_crossed_in_range,not_monotone,range_low,range_high,tolerance"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // Of 5 replicates, Binomial(5, 0.5) puts more than 2.5% on 0 and on 5 crossed: no
    // median interval; Binomial(5, 0.9) gives P(K ≤ 2) = 0.9% ≤ 2.5% < P(K ≤ 3) = 8.1%:
    // the 90% setting's interval starts at the 3rd crossing and has no upper end.
    let mut sorted = x.clone();
    sorted.sort_by(f64::total_cmp);
    let third = sorted[2].to_string();
    let cases = [
        (
            "median",
            0.5,
            ["", "too_few_replicates"],
            "unbounded".to_string(),
        ),
        (
            "90% of replicates",
            0.9,
            [third.as_str(), "in_range"],
            format!("{:.4}", sorted[2]),
        ),
    ];
    for (row, (criterion, level, [low, low_place], low_text)) in rows.iter().zip(cases) {
        assert_eq!(row[4], criterion);
        let setting: f64 = row[5].parse().unwrap();
        assert!(
            (setting - type6(&x, level)).abs() < 1e-12,
            "{csv}\n{crossings}"
        );
        assert_eq!(
            &row[6..13],
            ["true", low, "", low_place, "too_few_replicates", "5", "0"]
        );
        let line = format!("policy.2.share = {setting:.4} (95% interval {low_text} to unbounded)");
        assert!(out.contains(&line), "{out}");
    }
    assert!(out.contains("  median replicate:"), "{out}");
    assert!(
        out.contains("5 replicates' crossings, interpolated between the settings evaluated"),
        "{out}"
    );
    assert!(err.contains("warning: the 95% interval of the median setting is unbounded with 5 replicates; --replicates 6 or more bound it on both sides"), "{err}");
    assert!(err.contains("warning: the 95% interval of the setting for 90% of replicates is unbounded with 5 replicates; --replicates 36 or more"), "{err}");
    assert!(
        tmp.path()
            .join("t/charts/private-sector-joins/response_1.png")
            .is_file()
    );
}

#[test]
fn an_interrupted_shard_leaves_no_folder_and_the_complete_ones_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    sweep(tmp.path(), "s", &design, &["--shard", "1/2"]).success();
    let before = std::fs::read(
        tmp.path()
            .join("s/shards/shard=0001-of-0002/experiments.parquet"),
    )
    .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfhsim"))
        .args(["sweep"])
        .arg(&design)
        .args([
            "--scale",
            "1.0",
            "--replicates",
            "200",
            "--shard",
            "2/2",
            "--out",
        ])
        .arg(tmp.path())
        .args(["--name", "s"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let shards = tmp.path().join("s/shards");
    let mut left: Vec<String> = std::fs::read_dir(&shards)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["shard=0001-of-0002"]);
    assert_eq!(
        std::fs::read(shards.join("shard=0001-of-0002/experiments.parquet")).unwrap(),
        before
    );
}

/// The text of every SVG chart below `dir`.
fn svgs(dir: &Path) -> Vec<(PathBuf, String)> {
    files(dir)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(&f)).unwrap();
            (f, text)
        })
        .collect()
}

#[test]
fn a_sweep_with_another_dataset_names_that_dataset_s_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let data = exported_dataset(tmp.path());
    set_source_note(&data, "source_note,Source: a test dataset of Kota Uji");
    let data_arg = data.display().to_string();
    sweep(
        tmp.path(),
        "own",
        &repo(SMOKE),
        &["--data", &data_arg, "--lang", "en"],
    )
    .success();
    let charts = svgs(&tmp.path().join("own"));
    assert!(!charts.is_empty());
    for (f, svg) in &charts {
        assert!(
            svg.contains("Source: a test dataset of Kota Uji"),
            "{}: not the dataset's own source note",
            f.display()
        );
        assert!(!svg.contains("built-in dataset"), "{}", f.display());
        assert!(!svg.contains("BPS SP2020"), "{}", f.display());
    }
}

#[test]
fn sweep_charts_speak_the_language_asked_for_and_a_merge_keeps_the_shards_one() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    for (name, lang, word) in [
        ("en", "en", "median of replicates"),
        ("id", "id", "median ulangan"),
        ("both", "both", "median ulangan / median of replicates"),
    ] {
        sweep(tmp.path(), name, &design, &["--lang", lang]).success();
        let charts = svgs(&tmp.path().join(name));
        assert!(!charts.is_empty());
        for (f, svg) in &charts {
            assert!(!svg.contains("⟦missing label"), "{name}: {}", f.display());
            assert!(svg.contains(word), "{name}: {} lacks `{word}`", f.display());
        }
    }
    // English shards merge to the English sweep's bytes, without being told.
    for k in 1..=2 {
        let shard = format!("{k}/2");
        sweep(
            tmp.path(),
            "split",
            &design,
            &["--shard", &shard, "--lang", "en"],
        )
        .success();
    }
    merge(&tmp.path().join("split")).success();
    let (a, b) = (tmp.path().join("en"), tmp.path().join("split"));
    assert_eq!(files(&a), files(&b));
    for f in files(&a) {
        assert_eq!(
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
    // Told another language, the merge draws its charts in it.
    wfhsim()
        .args(["sweep", "merge"])
        .arg(&b)
        .args(["--lang", "id", "--force"])
        .assert()
        .success();
    for (f, svg) in svgs(&b) {
        assert!(svg.contains("median ulangan"), "{}", f.display());
    }
}
