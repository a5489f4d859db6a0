//! Sharded sweeps never give stale or damaged results silently, through the real binary
//! (`--scale 0.02 --replicates 2` on the smoke design): a complete shard is reused only
//! for the request that made it; a merge refuses every row that is not its shard's, in
//! the design, once — naming the file and row, exit 2, publishing nothing; finished
//! results are replaced only with `--force`; printed commands are shell-quoted; two
//! processes writing one shard or one merge leave one consistent winner; leftovers of
//! killed runs are cleaned.

use std::path::Path;

use polars::prelude::*;

use crate::support::{exported_dataset, listing, set_source_note, wfhsim};
use crate::sweep::{SMOKE, files, merge, repo, stderr, sweep};

const R: [&str; 4] = ["--scale", "0.02", "--replicates", "2"];

/// `extra` after the small-scale options.
fn with_r(extra: &[&str]) -> Vec<String> {
    R.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Runs shards 1..=n of `design` as `out/name`, each with `extra`.
fn shards(out: &Path, name: &str, design: &Path, n: usize, extra: &[&str]) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut a = with_r(&["--shard", &shard]);
        a.extend(extra.iter().map(|s| s.to_string()));
        sweep(out, name, design, &args(&a)).success();
    }
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

pub(crate) fn read_table(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

pub(crate) fn write_table(path: &Path, df: &mut DataFrame) {
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(df)
        .unwrap();
}

/// `df` with the column of `c`'s name replaced by `c`.
fn replaced(mut df: DataFrame, c: Column) -> DataFrame {
    df.with_column(c).unwrap();
    df
}

/// Copies a folder tree.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_complete_shard_is_reused_only_for_the_request_that_made_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let design = repo(SMOKE);
    shards(out, "s", &design, 2, &[]);
    let first = out.join("s/shards/shard=0001-of-0002");
    let other = [
        "--scale",
        "0.05",
        "--replicates",
        "3",
        "--seed",
        "7",
        "--shard",
        "1/2",
    ];
    let a = sweep(out, "s", &design, &other).code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        format!(
            "Error: {} is complete but ran another request: seed 42 (this request: 7), replicates 2 (this request: 3), scale 0.02 (this request: 0.05); give the options it ran with, or pass --force to run it again with these",
            first.display()
        )
    );
    // The same request: nothing to do.
    let again = sweep(out, "s", &design, &args(&with_r(&["--shard", "1/2"]))).success();
    assert!(stdout(&again).contains("Shard 1 of 2 is complete already"));
    // --force runs it again with the new options; the merge then refuses the mix.
    let forced: Vec<&str> = other.iter().copied().chain(["--force"]).collect();
    sweep(out, "s", &design, &forced).success();
    assert_eq!(manifest(&first)["seed"], 7);
    let m = merge(&out.join("s")).code(2);
    assert!(
        stderr(&m).contains("come from different sweeps: seed 7 vs 42;"),
        "{}",
        stderr(&m)
    );
    let second: Vec<&str> = forced
        .iter()
        .map(|s| if *s == "1/2" { "2/2" } else { s })
        .collect();
    sweep(out, "s", &design, &second).success();
    merge(&out.join("s")).success();
    let merged = manifest(&out.join("s"));
    assert_eq!(
        (&merged["seed"], &merged["replicates"], &merged["scale"]),
        (&7.into(), &3.into(), &0.05.into())
    );
}

#[test]
fn after_a_design_edit_the_shards_are_refused_until_run_again_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let design = out.join("d.toml");
    std::fs::copy(repo(SMOKE), &design).unwrap();
    let sha = |p: &Path| wfhsim_core::scenario::sha256_hex(&[&std::fs::read(p).unwrap()]);
    let before = sha(&design);
    shards(out, "s", &design, 2, &[]);
    let mut text = std::fs::read_to_string(&design).unwrap();
    text.push_str("# edited\n");
    std::fs::write(&design, text).unwrap();
    let after = sha(&design);
    let a = sweep(out, "s", &design, &args(&with_r(&["--shard", "1/2"]))).code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        format!(
            "Error: {} is complete but ran another request: design sha256 {before} (this request: {after}); give the options it ran with, or pass --force to run it again with these",
            out.join("s/shards/shard=0001-of-0002").display()
        )
    );
    let m = merge(&out.join("s")).code(2);
    assert!(
        stderr(&m).ends_with(&format!(
            "the design changed since the shards ran (sha256 {after} vs {before}); run the shards again with --force\n"
        )),
        "{}",
        stderr(&m)
    );
    shards(out, "s", &design, 2, &["--force"]);
    merge(&out.join("s")).success();
}

/// A merge of `base`'s shards after `edit`: refused with exit 2, `want` (with `{f}` for
/// the edited shard's table), and nothing published.
fn refused_after(base: &Path, name: &str, k: usize, edit: impl FnOnce(&Path), want: &str) {
    let root = base.parent().unwrap().join(name);
    copy_tree(&base.join("shards"), &root.join("shards"));
    let f = root
        .join("shards")
        .join(format!("shard={k:04}-of-0004"))
        .join("experiments.parquet");
    edit(&f);
    let a = merge(&root).code(2);
    let want = format!(
        "Error: {} {}; run shard {k} of 4 again with --force",
        f.display(),
        want
    );
    assert_eq!(stderr(&a).trim_end(), want, "{name}");
    assert_eq!(
        listing(&root),
        ["shards"],
        "{name}: something was published"
    );
}

#[test]
fn a_merge_refuses_rows_that_are_not_their_shard_s_naming_file_and_row() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path(), "base", &repo(SMOKE), 4, &[]);
    let base = tmp.path().join("base");
    let table = |k: usize| base.join(format!("shards/shard={k:04}-of-0004/experiments.parquet"));
    let one = table(1);
    // Shard 1's table copied into shard 2's folder.
    refused_after(
        &base,
        "moved",
        2,
        |f| {
            std::fs::copy(&one, f).unwrap();
        },
        "row 0: point 0 belongs to shard 1 of 4 (point mod 4 = 0), not to shard 2",
    );
    refused_after(
        &base,
        "out-of-range",
        2,
        |f| {
            let df = read_table(f);
            let h = df.height();
            write_table(
                f,
                &mut replaced(df, Column::new("point".into(), vec![999u32; h])),
            );
        },
        "row 0: point 999 is not in the design (0..7)",
    );
    refused_after(
        &base,
        "replicate",
        3,
        |f| {
            let df = read_table(f);
            write_table(
                f,
                &mut replaced(df, Column::new("replicate".into(), vec![0u32, 99, 0, 1])),
            );
        },
        "row 1: replicate 99 is not in 0..1 (the shards ran 2 replicates)",
    );
    refused_after(
        &base,
        "duplicated",
        2,
        |f| {
            let mut df = read_table(f);
            let first = df.slice(0, 1);
            df.vstack_mut(&first).unwrap();
            write_table(f, &mut df);
        },
        "row 4: point 1, scenario 'dki-2023', replicate 0 is there already (row 0)",
    );
    let share = read_table(&table(2))
        .column("policy.1.share")
        .unwrap()
        .f64()
        .unwrap()
        .get(0)
        .unwrap();
    refused_after(
        &base,
        "factor",
        2,
        |f| {
            let df = read_table(f);
            write_table(
                f,
                &mut replaced(
                    df,
                    Column::new("policy.1.share".into(), vec![5.0, share, share, share]),
                ),
            );
        },
        &format!("row 0: 'policy.1.share' is 5; point 1 of the design has {share}"),
    );
    refused_after(
        &base,
        "short",
        4,
        |f| {
            let df = read_table(f);
            write_table(f, &mut df.slice(0, 3));
        },
        "holds 3 experiments and shard 4 of 4 has 4: point 7, scenario 'dki-2023', replicate 1 is missing",
    );
}

#[test]
fn a_shard_table_that_is_missing_corrupt_or_foreign_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path(), "base", &repo(SMOKE), 4, &[]);
    let base = tmp.path().join("base");
    refused_after(
        &base,
        "missing",
        3,
        |f| std::fs::remove_file(f).unwrap(),
        "cannot be read: No such file or directory (os error 2)",
    );
    refused_after(
        &base,
        "scenario",
        1,
        |f| {
            let df = read_table(f);
            let names = vec!["elsewhere", "dki-2023", "dki-2023", "dki-2023"];
            write_table(f, &mut replaced(df, Column::new("scenario".into(), names)));
        },
        "row 0: scenario 'elsewhere' is not in the design (dki-2023)",
    );
    let cols = |point: &str| {
        format!(
            "point ({point}), scenario (str), replicate (u32), policy.1.share (f64), policy.1.compliance (f64), trips_per_day (f64), pm25_kg_per_day (f64), dki_vehicles_pct (f64)"
        )
    };
    refused_after(
        &base,
        "type",
        1,
        |f| {
            let df = read_table(f);
            let wide: Vec<i64> = df
                .column("point")
                .unwrap()
                .u32()
                .unwrap()
                .into_no_null_iter()
                .map(i64::from)
                .collect();
            write_table(f, &mut replaced(df, Column::new("point".into(), wide)));
        },
        &format!(
            "has the columns {}; a shard of this design has {}",
            cols("i64"),
            cols("u32")
        ),
    );
    // A manifest edited to promise what no shard has is refused before it is counted on.
    let root = tmp.path().join("manifest");
    copy_tree(&base.join("shards"), &root.join("shards"));
    let m = root.join("shards/shard=0001-of-0004/manifest.json");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, text.replace("\"replicates\": 2", "\"replicates\": 0")).unwrap();
    assert_eq!(
        stderr(&merge(&root).code(2)).trim_end(),
        format!(
            "Error: {}: shard 1 of 4 with 0 replicates is not a shard of a design of 8 points (1 <= K <= N <= points, 1 to 10000 replicates); run that shard again with --force",
            m.display()
        )
    );
    // Not a Parquet file at all: the reader's own words follow "cannot be read".
    let root = tmp.path().join("corrupt");
    copy_tree(&base.join("shards"), &root.join("shards"));
    let f = root.join("shards/shard=0002-of-0004/experiments.parquet");
    std::fs::write(&f, b"not a table").unwrap();
    let e = stderr(&merge(&root).code(2));
    assert!(
        e.starts_with(&format!("Error: {} cannot be read: ", f.display()))
            && e.trim_end()
                .ends_with("; run shard 2 of 4 again with --force"),
        "{e}"
    );
    assert_eq!(listing(&root), ["shards"]);
}

#[test]
fn a_merge_given_another_dataset_names_that_dataset_as_the_odd_one() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path(), "s", &repo(SMOKE), 2, &[]);
    let data = exported_dataset(tmp.path());
    set_source_note(&data, "source_note,Data: another dataset");
    let theirs = wfhsim_core::data::Dataset::builtin().unwrap().hash();
    let given = wfhsim_core::data::Dataset::from_dir(&data).unwrap().hash();
    assert_ne!(theirs, given);
    let a = wfhsim()
        .args(["sweep", "merge"])
        .arg(tmp.path().join("s"))
        .arg("--data")
        .arg(&data)
        .assert()
        .code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        format!(
            "Error: the dataset {} (sha256 {given}) is not the one the shards ran on (builtin, sha256 {theirs}); leave --data out and give the --pool the shards ran with, if any",
            data.display()
        )
    );
}

#[test]
fn printed_commands_are_shell_quoted_and_paste_as_they_read() {
    let tmp = tempfile::tempdir().unwrap();
    let odd = tmp.path().join("q/$(touch pwned)");
    std::fs::create_dir_all(&odd).unwrap();
    let design = odd.join("d;id.toml");
    std::fs::copy(repo(SMOKE), &design).unwrap();
    let out = tmp.path().join("o");
    let a = sweep(&out, "a b", &design, &args(&with_r(&["--shard", "1/2"]))).success();
    let root = out.join("a b");
    assert!(
        stdout(&a).contains(&format!(
            "when every shard is done: wfhsim sweep merge '{}'\n",
            root.display()
        )),
        "{}",
        stdout(&a)
    );
    // The merge names the missing shard's command; pasted into a shell, it runs that
    // shard and nothing else.
    let e = stderr(&merge(&root).code(2));
    let cmd = e.lines().last().unwrap().trim();
    assert!(
        cmd.ends_with(&format!(
            " sweep '{}' --out {} --name 'a b' --scale 0.02 --replicates 2 --shard 2/2",
            design.display(),
            out.display()
        )),
        "{cmd}"
    );
    let sh = |line: &str| {
        let bin = assert_cmd::cargo::cargo_bin("wfhsim");
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("sh")
            .args(["-c", line])
            .current_dir(tmp.path())
            .env("PATH", path)
            .output()
            .unwrap()
    };
    assert!(sh(cmd).status.success());
    assert!(root.join("shards/shard=0002-of-0002/_SUCCESS").is_file());
    let merge_line = stdout(&a)
        .lines()
        .find_map(|l| {
            l.split_once("when every shard is done: ")
                .map(|x| x.1.to_string())
        })
        .unwrap();
    assert!(sh(&merge_line).status.success());
    assert!(root.join("points.parquet").is_file());
    assert!(
        !tmp.path().join("pwned").exists(),
        "a pasted command ran `touch`"
    );
}

#[test]
fn shards_are_refused_in_a_folder_holding_an_unsharded_sweep_and_merge_replaces_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let design = repo(SMOKE);
    sweep(out, "m", &design, &R).success();
    let root = out.join("m");
    let before = std::fs::read(root.join("experiments.parquet")).unwrap();
    let a = sweep(
        out,
        "m",
        &design,
        &args(&with_r(&["--seed", "9", "--shard", "1/2"])),
    )
    .code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        format!(
            "Error: {} holds the finished results of a sweep that was not sharded; choose another --name for the shards, or pass --force to add shards to it (their merge then replaces those results only with --force)",
            root.display()
        )
    );
    assert!(!root.join("shards").exists());
    shards(out, "m", &design, 2, &["--seed", "9", "--force"]);
    let m = merge(&root).code(2);
    assert_eq!(
        stderr(&m).trim_end(),
        format!(
            "Error: {} holds a finished sweep already; pass --force to replace it with the merge of its shards",
            root.display()
        )
    );
    assert_eq!(
        std::fs::read(root.join("experiments.parquet")).unwrap(),
        before
    );
    wfhsim()
        .args(["sweep", "merge"])
        .arg(&root)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(manifest(&root)["seed"], 9);
}

#[test]
fn a_merge_leaves_no_leftovers_and_publishes_the_folder_whole() {
    let tmp = tempfile::tempdir().unwrap();
    shards(tmp.path(), "s", &repo(SMOKE), 2, &[]);
    let root = tmp.path().join("s");
    // What a killed merge and a killed shard left (PIDs above the kernel's maximum are
    // never running).
    std::fs::create_dir_all(root.join(".merge-999999999/charts")).unwrap();
    let partial = root.join("shards/.shard=0002-of-0002.partial-999999999");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join("experiments.parquet"), b"half").unwrap();
    merge(&root).success();
    assert_eq!(
        listing(&root),
        [
            "charts",
            "design.parquet",
            "experiments.parquet",
            "manifest.json",
            "points.parquet",
            "shards"
        ]
    );
    assert_eq!(
        listing(&root.join("shards")),
        ["shard=0001-of-0002", "shard=0002-of-0002"]
    );
    assert_eq!(
        listing(&root.join("shards/shard=0001-of-0002")),
        ["_SUCCESS", "experiments.parquet", "manifest.json"]
    );
    assert_eq!(listing(tmp.path()), ["s"]);
}

#[test]
fn design_and_shard_counts_that_make_empty_or_repeated_points_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let design = tmp.path().join("g.toml");
    std::fs::write(
        &design,
        "schema_version = 1\nname = \"g\"\ntitle = \"g\"\nmethod = \"grid\"\nscenarios = [\"dki-2023\"]\nreplicates = 2\n[[factor]]\nkey = \"policy.1.compliance\"\nlevels = [0.5, 0.8, 0.5]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let a = sweep(&out, "g", &design, &R).code(2);
    assert_eq!(
        stderr(&a).trim_end(),
        format!(
            "Error: {}: factor[1].levels: 0.5 is listed twice; a grid needs each level once",
            design.display()
        )
    );
    let smoke = repo(SMOKE);
    for (k, n) in [("1", "1000000"), ("4294967296", "4294967296")] {
        let shard = format!("{k}/{n}");
        let a = sweep(&out, "s", &smoke, &args(&with_r(&["--shard", &shard]))).code(2);
        assert_eq!(
            stderr(&a).trim_end(),
            format!(
                "Error: --shard {shard}: {} has 8 points, so its sweep has at most 8 shards; give N of 8 or fewer",
                smoke.display()
            )
        );
    }
    assert!(!out.exists());
    // A Slurm array with a step (--array=1-7:2): task 3 is the second shard.
    wfhsim()
        .arg("sweep")
        .arg(&smoke)
        .args(R)
        .arg("--out")
        .arg(&out)
        .args(["--name", "s", "--shard-from-env", "slurm"])
        .env("SLURM_ARRAY_TASK_ID", "3")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_STEP", "2")
        .env("SLURM_ARRAY_TASK_COUNT", "4")
        .assert()
        .success();
    assert_eq!(listing(&out.join("s/shards")), ["shard=0002-of-0004"]);
}

/// Starts `wfhsim` with `args` (not waiting).
fn spawn(args: &[String]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("wfhsim"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `c`: its exit code and its stderr.
fn finish(c: std::process::Child) -> (i32, String) {
    let o = c.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn two_runs_of_one_shard_at_once_leave_one_winner_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE).display().to_string();
    let out = tmp.path().display().to_string();
    let run = |seed: &str| {
        let mut a: Vec<String> = ["sweep", &design, "--out", &out, "--name", "s"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(with_r(&["--seed", seed, "--shard", "2/4"]));
        spawn(&a)
    };
    let (a, b) = (run("1"), run("2"));
    let results = [finish(a), finish(b)];
    let dir = tmp.path().join("s/shards/shard=0002-of-0004");
    let winners: Vec<usize> = (0..2).filter(|&i| results[i].0 == 0).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let (w, l) = (winners[0], 1 - winners[0]);
    let (code, e) = &results[l];
    // The error is the last line, after the progress lines.
    let e = e.trim_end().lines().last().unwrap_or_default();
    let appeared = format!(
        "Error: {} appeared while running; not replaced",
        dir.display()
    );
    let complete = format!(
        "Error: {} is complete but ran another request: seed {}",
        dir.display(),
        w + 1
    );
    // A shard takes a fraction of a second: the winner may have finished before the other
    // looked, which then finds the folder there from the start.
    let existed = format!(
        "Error: {} already exists; choose another --name, or pass --force to replace it",
        dir.display()
    );
    assert!(
        (*code == 1 && e == appeared) || (*code == 2 && (e.starts_with(&complete) || e == existed)),
        "{results:?}"
    );
    assert_eq!(manifest(&dir)["seed"], w + 1);
}

#[test]
fn two_merges_at_once_leave_one_consistent_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let design = repo(SMOKE);
    shards(tmp.path(), "s", &design, 2, &[]);
    sweep(tmp.path(), "whole", &design, &R).success();
    let root = tmp.path().join("s");
    let a: Vec<String> = vec!["sweep".into(), "merge".into(), root.display().to_string()];
    let (x, y) = (spawn(&a), spawn(&a));
    let results = [finish(x), finish(y)];
    // They take turns: the second waits for the first, then finds its results.
    let finished = format!(
        "Error: {} holds a finished sweep already; pass --force to replace it with the merge of its shards",
        root.display()
    );
    let mut codes: Vec<i32> = results.iter().map(|r| r.0).collect();
    codes.sort();
    assert_eq!(codes, [0, 2], "{results:?}");
    for (code, e) in &results {
        let e = e.trim_end().lines().last().unwrap_or_default();
        assert!(*code == 0 || e == finished, "{results:?}");
    }
    let whole = tmp.path().join("whole");
    assert_eq!(files(&whole), files(&root));
    for f in files(&whole) {
        assert_eq!(
            std::fs::read(whole.join(&f)).unwrap(),
            std::fs::read(root.join(&f)).unwrap(),
            "{}",
            f.display()
        );
    }
    let mut left = listing(tmp.path());
    left.retain(|n| n.starts_with('.'));
    assert!(left.is_empty(), "{left:?}");
}
