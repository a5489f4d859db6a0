//! Results are never lost: the real binary, interrupted with Ctrl-C (SIGINT) or SIGTERM,
//! failing to write in the middle of a run, or pointed at an existing run, leaves no
//! partial run folder and never changes an earlier run unless told to replace it with
//! `--force`.

use crate::support::{listing, wfhsim};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

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

/// Starts a long run (the whole default study at full scale) and waits until its
/// temporary folder exists; returns the process and that folder.
fn start_long_run(out: &Path, name: &str, extra: &[&str]) -> (std::process::Child, PathBuf) {
    let child = Command::new(assert_cmd::cargo::cargo_bin("wfhsim"))
        .args(["run", "--replicates", "30", "--out"])
        .arg(out)
        .args(["--name", name])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let partial = out.join(format!(".{name}.partial-{}", child.id()));
    let t0 = Instant::now();
    let mut child = child;
    while !partial.is_dir() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before its temporary folder appeared");
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "no temporary folder {} appeared",
            partial.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    (child, partial)
}

fn finish(child: std::process::Child) -> (Option<i32>, String) {
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Starts a long run, sends it `signal` (`INT` for Ctrl-C, `TERM`) once its temporary
/// folder exists, and returns its exit status and stderr.
fn interrupt_long_run(
    out: &Path,
    name: &str,
    extra: &[&str],
    signal: &str,
) -> (Option<i32>, String) {
    let (child, _) = start_long_run(out, name, extra);
    let kill = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    finish(child)
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
fn a_run_that_cannot_write_its_results_writes_nothing_and_keeps_an_earlier_one() {
    // A write error (as on a full disk): the temporary folder vanishes while the run
    // computes, so writing the tables fails.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let (child, partial) = start_long_run(out, "new", &[]);
    std::fs::remove_dir_all(&partial).unwrap();
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(listing(out).is_empty(), "left behind: {:?}", listing(out));

    // The same while replacing an earlier run with --force: the earlier run is untouched.
    small_run(out, "kept", &["scenarios/dki-2023.toml"]).success();
    let before = snapshot(&out.join("kept"));
    let (child, partial) = start_long_run(out, "kept", &["--force"]);
    std::fs::remove_dir_all(&partial).unwrap();
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(listing(out), ["kept"]);
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
