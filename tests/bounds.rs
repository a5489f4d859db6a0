//! Bounded work on any input: a huge title is drawn in bounded time, a template that loops
//! or grows without end is stopped, an input file that is not a regular file or is too
//! large is refused before it is read, and resource limits (file size, address space) end
//! in a message and exit 1 rather than a kill or an abort.

use crate::support::{QUICK_RUN, exported_dataset, wfhsim};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// A small finished run in `dir/NAME`.
fn small_run(dir: &Path, name: &str) -> PathBuf {
    wfhsim()
        .args(QUICK_RUN)
        .arg("--out")
        .arg(dir)
        .args(["--name", name])
        .assert()
        .success();
    dir.join(name)
}

/// Stderr of a command that must exit with `code` within `limit`, with `dir`'s path as DIR.
fn fails(cmd: &mut Command, code: i32, limit: Duration, dir: &Path) -> String {
    let start = Instant::now();
    let out = cmd.timeout(limit).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "exit status; stderr:\n{err}");
    assert!(start.elapsed() < limit, "{:?}", start.elapsed());
    err.replace(&dir.display().to_string(), "DIR")
}

#[test]
fn a_two_hundred_thousand_character_title_is_drawn_in_bounded_time() {
    // Text fitting used to re-measure ever longer prefixes: 20,000 characters took 20 s to
    // draw, 200,000 about half an hour. One long word and many short ones, in each language.
    let tmp = tempfile::tempdir().unwrap();
    let run = small_run(tmp.path(), "long");
    let info_path = run.join("run.json");
    let mut info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&info_path).unwrap()).unwrap();
    for s in info["scenarios"].as_array_mut().unwrap() {
        s["title"] = "W".repeat(200_000).into();
        s["title_id"] = "ab ".repeat(66_667).into();
    }
    std::fs::write(&info_path, serde_json::to_string(&info).unwrap()).unwrap();
    // Titles this long are refused when a scenario is read; the folder is made to look
    // like one written before the tables' hashes were recorded, which readers accept
    // with the range checks alone, so the charts meet the title.
    let manifest_path = run.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    manifest.as_object_mut().unwrap().remove("files_sha256");
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    for lang in ["en", "id", "both"] {
        let start = Instant::now();
        wfhsim()
            .args(["plot", "--lang", lang])
            .arg(&run)
            .timeout(Duration::from_secs(120))
            .assert()
            .success();
        // About a second each; the bound leaves room for a busy machine.
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{lang}: {:?}",
            start.elapsed()
        );
        if lang == "en" {
            // The word is cut where the chart ends, not drawn on for 200,000 characters.
            let svg = std::fs::read_to_string(run.join("charts/roads_context.svg")).unwrap();
            assert!(svg.contains("WWWW…") && !svg.contains(&"W".repeat(1000)));
        }
    }
}

/// `report RUN --template FILE` with `text` as the template: stderr (paths as DIR), after
/// checking exit 2 within a minute and that the earlier briefing is untouched.
fn report_with_template(text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let run = small_run(tmp.path(), "t");
    let before = std::fs::read(run.join("briefing.html")).unwrap();
    let template = tmp.path().join("page.j2");
    std::fs::write(&template, text).unwrap();
    let err = fails(
        wfhsim()
            .arg("report")
            .arg(&run)
            .arg("--template")
            .arg(&template),
        2,
        Duration::from_secs(60),
        tmp.path(),
    );
    assert_eq!(std::fs::read(run.join("briefing.html")).unwrap(), before);
    err
}

#[test]
fn a_template_that_loops_without_end_runs_out_of_fuel() {
    let err = report_with_template(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    );
    assert_eq!(
        err,
        "Error: template DIR/page.j2, line 1: the template did more work than a briefing may take (a budget of 2000000 steps): a loop that runs too often, or a text that keeps growing\n"
    );
}

#[test]
fn a_template_that_doubles_a_text_runs_out_of_fuel_before_memory() {
    // 10 × 2^34 bytes if it ran to the end; it aborted the program allocating 2.7 GB.
    let err = report_with_template(
        "{% set ns = namespace(s=\"xxxxxxxxxx\") %}{% for i in range(34) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    );
    assert_eq!(
        err,
        "Error: template DIR/page.j2, line 1: the template did more work than a briefing may take (a budget of 2000000 steps): a loop that runs too often, or a text that keeps growing\n"
    );
}

#[test]
fn a_template_that_writes_too_much_is_stopped_at_the_page_limit() {
    // 100 MB of output from cheap instructions: the page cap, not the fuel, stops it.
    let err = report_with_template("{% for i in range(100000) %}{{ \"x\" * 1000 }}{% endfor %}");
    assert_eq!(
        err,
        "Error: template DIR/page.j2: the page would be larger than 64 MiB, the most a briefing may have: a loop that writes too much\n"
    );
}

/// Replaces `path` with a named pipe.
#[cfg(unix)]
fn make_fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path it is given.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// Replaces `path` with a symbolic link to /dev/zero, a file without end.
#[cfg(unix)]
fn make_endless(path: &Path) {
    let _ = std::fs::remove_file(path);
    std::os::unix::fs::symlink("/dev/zero", path).unwrap();
}

/// Makes `path` a (sparse) file of `bytes` bytes.
fn make_large(path: &Path, bytes: u64) {
    std::fs::File::create(path).unwrap().set_len(bytes).unwrap();
}

/// `validate` of the shipped scenario on the dataset folder `data`: stderr, exit 2.
fn validate_on(data: &Path, tmp: &Path) -> String {
    fails(
        wfhsim()
            .args(["validate", "scenarios/dki-2023.toml", "--data"])
            .arg(data),
        2,
        Duration::from_secs(30),
        tmp,
    )
}

#[cfg(unix)]
#[test]
fn a_dataset_file_that_is_a_pipe_a_device_or_too_large_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let data = exported_dataset(tmp.path());
    let regions = data.join("regions.csv");
    // A pipe blocked `validate` forever; /dev/zero was read until memory ran out.
    make_fifo(&regions);
    assert_eq!(
        validate_on(&data, tmp.path()),
        "Error: dataset folder DIR/data: cannot read regions.csv: it is a named pipe (FIFO), not a regular file\n"
    );
    make_endless(&regions);
    assert_eq!(
        validate_on(&data, tmp.path()),
        "Error: dataset folder DIR/data: cannot read regions.csv: it is a device, not a regular file\n"
    );
    std::fs::remove_file(&regions).unwrap();
    make_large(&regions, 64 * 1024 * 1024 + 1);
    assert_eq!(
        validate_on(&data, tmp.path()),
        "Error: dataset folder DIR/data: cannot read regions.csv: it has 67108865 bytes, more than the 64 MiB a dataset file may have\n"
    );
}

#[cfg(unix)]
#[test]
fn scenario_design_and_template_files_are_bounded_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A scenario extending an endless file, and one too large to be a scenario.
    make_endless(&dir.join("zero.toml"));
    std::fs::write(
        dir.join("e.toml"),
        "schema_version = 1\nextends = \"zero.toml\"\nname = \"e\"\n",
    )
    .unwrap();
    let err = fails(
        wfhsim().arg("validate").arg(dir.join("e.toml")),
        2,
        Duration::from_secs(30),
        dir,
    );
    assert!(
        err.contains("DIR/e.toml:2:11: extends: cannot read the base 'zero.toml' (DIR/zero.toml): it is a device, not a regular file\n"),
        "{err}"
    );
    make_large(&dir.join("big.toml"), 1024 * 1024 + 1);
    let err = fails(
        wfhsim().arg("validate").arg(dir.join("big.toml")),
        2,
        Duration::from_secs(30),
        dir,
    );
    assert!(
        err.contains("DIR/big.toml: cannot read: it has 1048577 bytes, more than the 1 MiB a scenario file may have"),
        "{err}"
    );
    // A design that is a pipe, and a template without end.
    make_fifo(&dir.join("design.toml"));
    assert_eq!(
        fails(
            wfhsim()
                .arg("sweep")
                .arg(dir.join("design.toml"))
                .arg("--out")
                .arg(dir),
            2,
            Duration::from_secs(30),
            dir,
        ),
        "Error: DIR/design.toml: cannot read the design: it is a named pipe (FIFO), not a regular file\n"
    );
    assert_eq!(
        fails(
            wfhsim()
                .args(["run", "scenarios/dki-2023.toml", "--out"])
                .arg(dir)
                .arg("--template")
                .arg(dir.join("zero.toml")),
            2,
            Duration::from_secs(30),
            dir,
        ),
        "Error: --template DIR/zero.toml: it is a device, not a regular file\n"
    );
}

/// The program run under a resource limit of `bytes` set in the child before it starts
/// (as `ulimit` does): RLIMIT_AS when `address_space`, else RLIMIT_FSIZE.
#[cfg(unix)]
fn under_limit(address_space: bool, bytes: u64, args: &[&str], out: &Path) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfhsim"));
    cmd.args(args).arg("--out").arg(out);
    // rlim_t is u64 on 64-bit targets, narrower on some 32-bit ones.
    #[allow(clippy::unnecessary_cast)]
    let bytes = bytes as libc::rlim_t;
    // SAFETY: the closure only calls setrlimit, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            let r = if address_space {
                libc::setrlimit(libc::RLIMIT_AS, &lim)
            } else {
                libc::setrlimit(libc::RLIMIT_FSIZE, &lim)
            };
            if r == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    cmd.output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_is_a_failed_write_not_a_kill() {
    // `ulimit -f`: the kernel's SIGXFSZ killed the run (status 153) with no message and
    // left its hidden folder behind; ignored, the write fails and the run cleans up.
    let tmp = tempfile::tempdir().unwrap();
    let out = under_limit(false, 50_000, &QUICK_RUN, tmp.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{:?}; stderr:\n{err}",
        out.status
    );
    let too_large = std::io::Error::from_raw_os_error(libc::EFBIG).to_string();
    assert!(
        err.starts_with("Error: ") && err.trim_end().ends_with(&too_large),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing left behind: {left:?}");
}

/// Runs `args` under an address-space limit of `bytes`; the run must be refused (exit 1):
/// its stderr.
#[cfg(unix)]
fn refused_under_address_space_limit(bytes: u64, args: &[&str], out: &Path) -> String {
    let o = under_limit(true, bytes, args, out);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{:?}; stderr:\n{err}", o.status);
    err
}

#[cfg(unix)]
#[test]
fn an_address_space_limit_is_checked_before_allocating_not_met_by_an_abort() {
    // `ulimit -v 200000` with --scale 0.5 aborted on a failed allocation (status 134).
    let tmp = tempfile::tempdir().unwrap();
    let err = refused_under_address_space_limit(
        200_000 * 1024,
        &[
            "run",
            "scenarios/dki-2023.toml",
            "--scale",
            "0.5",
            "--replicates",
            "2",
        ],
        tmp.path(),
    );
    assert!(
        err.starts_with("Error: --scale 0.5 with --replicates 2 needs about ")
            && err.ends_with(
                " GB is available (half the room under the address-space limit, ulimit -v); use a smaller --scale or fewer --replicates\n"
            ),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn the_default_study_under_an_address_space_limit_it_would_outgrow_is_refused_not_aborted() {
    // 500 replicates at full scale use about 2.4 GB, but their address space grows to about
    // 4.2 GB (freed memory stays mapped): under a 3 GB limit the run started and aborted on
    // a failed allocation while writing, since its 2.6 GB estimate fitted the whole room.
    let tmp = tempfile::tempdir().unwrap();
    let err = refused_under_address_space_limit(
        3_000_000 * 1024,
        &["run", "--replicates", "500", "--name", "s"],
        tmp.path(),
    );
    assert!(
        err.starts_with("Error: --scale 1 with --replicates 500 needs about "),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn when_the_replicate_tables_do_not_fit_the_advice_is_fewer_replicates_not_a_smaller_scale() {
    // 10,000 replicates of the tables (42 GB whatever the --scale) under a 3 GB limit. A
    // replicate keeps 45 of the period's 64 working days (the 44 the order is in force,
    // and the quiet days once), each (290 rows × 24 slots + 112 road cells × 43 + 30)
    // numbers × 8 bytes = 94 KB: 4.2 MB (all 64 days: 6.0 MB).
    let tmp = tempfile::tempdir().unwrap();
    let err = refused_under_address_space_limit(
        3_000_000 * 1024,
        &[
            "run",
            "scenarios/dki-2023.toml",
            "--scale",
            "0.001",
            "--replicates",
            "10000",
        ],
        tmp.path(),
    );
    let (_, advice) = err
        .split_once(" GB is available (half the room under the address-space limit, ulimit -v); use --replicates ")
        .unwrap_or_else(|| panic!("{err}"));
    let (n, rest) = advice.split_once(' ').unwrap();
    assert!(
        n.parse::<u32>().is_ok_and(|n| (1..10_000).contains(&n)),
        "{err}"
    );
    assert_eq!(
        rest,
        "or fewer, or a shorter period (each replicate's tables take 4 MB; the replicate tables do not shrink with --scale)\n"
    );
}
