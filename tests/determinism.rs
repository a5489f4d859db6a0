//! The real binary, end to end: the same inputs and seed give byte-identical tables on
//! any thread count and in every run; another seed gives other draws; and a scenario's
//! results do not depend on which other scenarios share its run (common random numbers).

use std::path::Path;

use assert_cmd::Command;

const A: &str = "scenarios/dki-2023.toml";
const B: &str = "scenarios/private-sector-joins.toml";

fn run(out: &Path, name: &str, threads: &str, seed: &str, scenarios: &[&str]) {
    Command::cargo_bin("wfhsim")
        .unwrap()
        .args(["run", "--scale", "0.005", "--replicates", "3", "--out"])
        .arg(out)
        .args(["--name", name, "--threads", threads, "--seed", seed])
        .args(scenarios)
        .assert()
        .success();
}

fn read(out: &Path, run: &str, file: &str) -> Vec<u8> {
    std::fs::read(out.join(run).join(file)).unwrap()
}

/// Lines of a CSV table whose first column (`scenario`) is `name`.
fn rows_of(out: &Path, run: &str, file: &str, name: &str) -> Vec<String> {
    let text = String::from_utf8(read(out, run, file)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("scenario,"), "{file}: {header}");
    let prefix = format!("{name},");
    lines
        .filter(|l| l.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn same_seed_same_bytes_on_any_thread_count_and_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    for (name, threads, seed) in [
        ("t1", "1", "7"),
        ("t2", "2", "7"),
        ("t4", "4", "7"),
        ("t2-again", "2", "7"),
        ("seed8", "2", "8"),
    ] {
        run(out, name, threads, seed, &[A, B]);
    }
    for f in ["daily.csv", "summary.csv", "windows.csv", "daily.parquet"] {
        let first = read(out, "t1", f);
        for other in ["t2", "t4", "t2-again"] {
            assert!(first == read(out, other, f), "{f} differs: t1 vs {other}");
        }
    }
    // The Parquet contents too, read back as frames (not only the file bytes), and they
    // are not trivially equal: trips are avoided.
    let frame = |run: &str| {
        wfhsim_report::view::read_parquet(&out.join(run).join("daily.parquet")).unwrap()
    };
    let (one, four, other_seed) = (frame("t1"), frame("t4"), frame("seed8"));
    assert!(one.equals_missing(&four));
    let trips = one.column("trips_avoided_p50").unwrap().f64().unwrap();
    assert!(trips.iter().flatten().sum::<f64>() > 0.0);
    assert_eq!(one.height(), other_seed.height());
    assert!(
        !one.equals_missing(&other_seed),
        "a different seed must give different draws"
    );
    for f in ["daily.csv", "summary.csv"] {
        assert!(
            read(out, "t1", f) != read(out, "seed8", f),
            "{f}: a different seed must give different draws"
        );
    }
}

#[test]
fn adding_a_scenario_leaves_the_others_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    run(out, "alone", "2", "11", &[A]);
    // The other scenario first, so that A is the second one simulated.
    run(out, "with-b", "1", "11", &[B, A]);
    for f in ["daily.csv", "summary.csv", "windows.csv"] {
        let (alone, with_b) = (
            rows_of(out, "alone", f, "dki-2023"),
            rows_of(out, "with-b", f, "dki-2023"),
        );
        assert!(!alone.is_empty(), "{f}: no rows of dki-2023");
        assert!(
            alone == with_b,
            "{f}: dki-2023 changed when a scenario was added"
        );
        assert!(!rows_of(out, "with-b", f, "private-sector-joins").is_empty());
    }
}
