//! Results are never lost: the real binary, interrupted with Ctrl-C (SIGINT), failing in
//! the middle of a run, or pointed at an existing run, leaves no partial run folder and
//! never changes an earlier run unless told to replace it with `--force`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

fn wfhsim() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("wfhsim").unwrap()
}

fn small_run(out: &Path, name: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    wfhsim()
        .args(["run", "--scale", "0.003", "--replicates", "2", "--out"])
        .arg(out)
        .args(["--name", name])
        .args(extra)
        .assert()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Starts a long run (the whole default study at full scale), waits until its temporary
/// folder exists, sends it `signal` (`INT` for Ctrl-C, `TERM`) and returns its exit
/// status and stderr.
fn interrupt_long_run(
    out: &Path,
    name: &str,
    extra: &[&str],
    signal: &str,
) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("wfhsim"))
        .args(["run", "--replicates", "30", "--out"])
        .arg(out)
        .args(["--name", name])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let partial = format!(".{name}.partial-{}", child.id());
    let t0 = Instant::now();
    while !out.join(&partial).is_dir() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before its temporary folder appeared");
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "no temporary folder {partial} appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ctrl_c_or_sigterm_leaves_no_partial_run_and_keeps_an_earlier_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();

    // A new run, interrupted while it computes: exit 130 and nothing left behind.
    let (code, stderr) = interrupt_long_run(out, "big", &[], "INT");
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("Interrupted"), "{stderr}");
    assert!(listing(out).is_empty(), "left behind: {:?}", listing(out));

    // Replacing an earlier run with --force, stopped by SIGTERM (a scheduler, a closed
    // session): the earlier run is untouched.
    small_run(out, "kept", &["scenarios/dki-2023.toml"]).success();
    let before = snapshot(&out.join("kept"));
    let (code, stderr) = interrupt_long_run(out, "kept", &["--force"], "TERM");
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(listing(out), ["kept"]);
    assert!(
        snapshot(&out.join("kept")) == before,
        "the earlier run changed"
    );
}

#[test]
fn a_run_failing_in_one_scenario_writes_nothing_and_keeps_an_earlier_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Valid as a file (a finite, non-negative factor) but its accounting overflows, so the
    // run fails only when that scenario is simulated, after the first one.
    let bad = tmp.path().join("overflow.toml");
    let text = std::fs::read_to_string("scenarios/dki-2023-50-only.toml").unwrap();
    std::fs::write(
        &bad,
        text.replace(
            "[period]",
            "[parameters]\n\"ef.car.co2\" = 1e308\n\n[period]",
        ),
    )
    .unwrap();
    let args = ["scenarios/dki-2023.toml", bad.to_str().unwrap()];

    small_run(&out, "new", &args)
        .failure()
        .stderr(predicate::str::contains("panicked").not());
    assert!(listing(&out).is_empty(), "left behind: {:?}", listing(&out));

    small_run(&out, "kept", &["scenarios/dki-2023.toml"]).success();
    let before = snapshot(&out.join("kept"));
    small_run(&out, "kept", &["--force", args[0], args[1]]).failure();
    assert_eq!(listing(&out), ["kept"]);
    assert!(
        snapshot(&out.join("kept")) == before,
        "the earlier run changed"
    );
}

#[test]
fn an_existing_run_is_refused_without_force_and_replaced_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let one = ["scenarios/dki-2023.toml"];
    small_run(tmp.path(), "r", &one).success();
    let run = tmp.path().join("r");
    std::fs::write(run.join("keep.txt"), "last week's notes").unwrap();
    let before = snapshot(&run);
    small_run(tmp.path(), "r", &one)
        .code(2)
        .stderr(predicate::str::contains(
            "already exists; choose another --name, or pass --force",
        ));
    assert!(snapshot(&run) == before, "the earlier run changed");
    assert_eq!(listing(tmp.path()), ["r"]);

    small_run(tmp.path(), "r", &["--force", "--seed", "9", one[0]]).success();
    let after = snapshot(&run);
    assert!(!after.contains_key(Path::new("keep.txt")));
    assert!(after.contains_key(Path::new("summary.csv")));
    assert!(after[Path::new("manifest.json")] != before[Path::new("manifest.json")]);
    assert_eq!(listing(tmp.path()), ["r"]);
}

#[test]
fn an_unusable_output_folder_is_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    // Exit 2 is "bad input, nothing was run or written".
    wfhsim()
        .args(["run", "--scale", "0.003", "--replicates", "2", "--out"])
        .arg(&file)
        .arg("scenarios/dki-2023.toml")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not-a-folder"));
    assert_eq!(listing(tmp.path()), ["not-a-folder"]);
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn help_documents_the_interrupt_exit_code() {
    wfhsim()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "130 interrupted by Ctrl-C or SIGTERM",
        ));
}
