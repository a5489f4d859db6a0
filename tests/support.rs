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
