//! What the binary's test modules share: the command under test and a dataset folder to edit.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `wfhsim` binary this test build made.
pub fn wfhsim() -> Command {
    Command::cargo_bin("wfhsim").unwrap()
}

/// The built-in dataset exported with `wfhsim data --export` into `dir/data`.
pub fn exported_dataset(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    wfhsim()
        .args(["data", "--export"])
        .arg(&data)
        .assert()
        .success();
    data
}

/// Replaces a dataset folder's source note (its `about.csv` row) with `row`, the whole
/// CSV row (`source_note,...`).
pub fn set_source_note(data: &Path, row: &str) {
    let about = data.join("about.csv");
    let text = std::fs::read_to_string(&about).unwrap();
    let note = text
        .lines()
        .find(|l| l.starts_with("source_note,"))
        .unwrap();
    std::fs::write(&about, text.replace(note, row)).unwrap();
}

/// The entries of a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A quick run of the DKI order: the arguments before `--out`.
pub const QUICK_RUN: [&str; 6] = [
    "run",
    "scenarios/dki-2023.toml",
    "--scale",
    "0.003",
    "--replicates",
    "2",
];

/// `wfhsim run scenarios/dki-2023.toml` as a small server answers it (`--scale 0.05 --seed
/// 42`), with `replicates` and `extra` options, into `out/name`; its standard output.
pub fn run_small_dki(out: &Path, name: &str, replicates: u32, extra: &[&str]) -> String {
    let o = wfhsim()
        .args([
            "run",
            "scenarios/dki-2023.toml",
            "--scale",
            "0.05",
            "--seed",
            "42",
        ])
        .args(["--replicates", &replicates.to_string(), "--name", name])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(o).unwrap()
}

/// The lines of a `--help` text's `Examples:` block, up to its first blank line.
pub fn help_examples(help: &str) -> Vec<&str> {
    help.lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}
