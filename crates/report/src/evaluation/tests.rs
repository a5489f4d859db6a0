//! An evaluation folder written with the atomic folder writer and read back.

use std::path::{Path, PathBuf};

use super::sample;
use super::*;
use crate::labels::Langs;
use crate::runfolder::RunDir;

/// Writes `ev`'s files into `parent/name` as the command does; returns the folder.
fn write(ev: &Evaluation, parent: &Path, name: &str) -> PathBuf {
    let dir = RunDir::create(&parent.join(name), false).unwrap();
    dir.write(&files(ev, Langs::Both).unwrap()).unwrap();
    dir.commit().unwrap()
}

#[test]
fn a_folder_reads_back_as_the_evaluation_written() {
    let d = tempfile::tempdir().unwrap();
    for (k, ev) in [
        sample::mobility(),
        sample::pm25(),
        sample::counts_with_run(),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = write(&ev, d.path(), &format!("ev{k}"));
        let back = Evaluation::read(&dir).unwrap();
        // The manifest read back records the files written; all else is as given.
        let written = files(&ev, Langs::Both).unwrap();
        assert_eq!(back.manifest.files.len(), written.len() - 1);
        for f in &written[..written.len() - 1] {
            assert!(back.manifest.files.contains_key(&f.path), "{}", f.path);
        }
        let expected = Evaluation {
            manifest: EvalManifest {
                files: back.manifest.files.clone(),
                ..ev.manifest.clone()
            },
            ..ev.clone()
        };
        // Exact: every float as written, every missing value still missing.
        assert_eq!(back, expected);
        // The same evaluation gives the same bytes, read back or not.
        assert_eq!(files(&back, Langs::Both).unwrap(), written);
    }
}

#[test]
fn the_manifest_is_last_and_hashes_every_other_file() {
    let written = files(&sample::mobility(), Langs::En).unwrap();
    let last = written.last().unwrap();
    assert_eq!(last.path, MANIFEST);
    let m: EvalManifest = serde_json::from_slice(&last.bytes).unwrap();
    assert_eq!(m.manifest_version, MANIFEST_VERSION);
    let names: Vec<&str> = m.files.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = written[..written.len() - 1]
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for table in [
        "evaluation.parquet",
        "evaluation.csv",
        "evaluation_days.parquet",
        "evaluation_days.csv",
    ] {
        assert!(m.files.contains_key(table), "{table}");
    }
    let f = written.iter().find(|f| f.path == "evaluation.csv").unwrap();
    let want = wfhsim_core::scenario::sha256_hex(&[&f.bytes]);
    assert_eq!(m.files["evaluation.csv"], want);
}

#[test]
fn parquet_dates_are_dates() {
    let written = files(&sample::pm25(), Langs::Id).unwrap();
    let d = tempfile::tempdir().unwrap();
    for (file, cols) in [
        ("evaluation.parquet", &["window_from", "window_to"][..]),
        ("evaluation_days.parquet", &["date"][..]),
    ] {
        let f = written.iter().find(|f| f.path == file).unwrap();
        let p = d.path().join(file);
        std::fs::write(&p, &f.bytes).unwrap();
        let df = crate::view::read_parquet(&p).unwrap();
        for c in cols {
            let dtype = df.column(c).unwrap().dtype().clone();
            assert_eq!(dtype, polars::prelude::DataType::Date, "{file} {c}");
        }
    }
    let csv = written.iter().find(|f| f.path == "evaluation.csv").unwrap();
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(text.contains(",2020-04-10,2020-06-04,56,"), "{text}");
}

#[test]
fn csv_cells_that_look_like_formulas_are_guarded() {
    let mut ev = sample::pm25();
    for r in &mut ev.effects {
        r.site = "=HYPERLINK(\"x\")".into();
    }
    let written = files(&ev, Langs::En).unwrap();
    let csv = written.iter().find(|f| f.path == "evaluation.csv").unwrap();
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(
        text.lines().nth(1).unwrap().starts_with("\"'=HYPERLINK"),
        "{text}"
    );
}

#[test]
fn a_folder_without_a_manifest_is_not_an_evaluation() {
    let d = tempfile::tempdir().unwrap();
    let dir = write(&sample::pm25(), d.path(), "ev");
    std::fs::remove_file(dir.join(MANIFEST)).unwrap();
    let e = Evaluation::read(&dir).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} is not a finished evaluation: manifest.json is missing",
            dir.display()
        )
    );
    let missing = d.path().join("nowhere");
    assert_eq!(
        Evaluation::read(&missing).unwrap_err().to_string(),
        format!("{} does not exist", missing.display())
    );
}

#[test]
fn a_missing_table_is_named() {
    let d = tempfile::tempdir().unwrap();
    let dir = write(&sample::pm25(), d.path(), "ev");
    std::fs::remove_file(dir.join("evaluation_days.parquet")).unwrap();
    assert_eq!(
        Evaluation::read(&dir).unwrap_err().to_string(),
        format!(
            "{} is not a finished evaluation: evaluation_days.parquet is missing",
            dir.display()
        )
    );
}

#[test]
fn a_changed_table_is_refused_with_both_hashes() {
    let d = tempfile::tempdir().unwrap();
    let ev = sample::pm25();
    let dir = write(&ev, d.path(), "ev");
    let path = dir.join("evaluation.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"x\n");
    std::fs::write(&path, &bytes).unwrap();
    let recorded = Evaluation::read(&dir).err().unwrap();
    let m: EvalManifest =
        serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
    let was = &m.files["evaluation.csv"];
    let now = wfhsim_core::scenario::sha256_hex(&[&bytes]);
    assert_eq!(
        recorded.to_string(),
        format!(
            "{} does not match the SHA-256 recorded in manifest.json (recorded {}…, now {}…): \
             it was changed after the evaluation was written; run wfhsim evaluate again",
            path.display(),
            &was[..12],
            &now[..12]
        )
    );
}

#[test]
fn a_manifest_of_another_layout_is_refused_before_it_is_parsed() {
    let d = tempfile::tempdir().unwrap();
    let dir = write(&sample::pm25(), d.path(), "ev");
    let path = dir.join(MANIFEST);
    std::fs::write(&path, "{\"manifest_version\": 7, \"other\": true}").unwrap();
    assert_eq!(
        Evaluation::read(&dir).unwrap_err().to_string(),
        format!(
            "{}: manifest_version 7 is not 1: the evaluation was written by another version \
             of wfhsim; run wfhsim evaluate again with this one",
            path.display()
        )
    );
}

#[test]
fn a_run_folder_is_not_an_evaluation() {
    // A run folder has a manifest.json too, without manifest_version.
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("run");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(MANIFEST), "{\"run_name\": \"study\"}").unwrap();
    let e = Evaluation::read(&dir).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{}: missing field `manifest_version`",
            dir.join(MANIFEST).display()
        )),
        "{e}"
    );
}
