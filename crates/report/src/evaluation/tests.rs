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

fn page(ev: &Evaluation, langs: Langs) -> String {
    let written = files(ev, langs).unwrap();
    let f = written.iter().find(|f| f.path == "briefing.html").unwrap();
    String::from_utf8(f.bytes.clone()).unwrap()
}

#[test]
fn the_page_says_what_was_observed_in_plain_words() {
    let en = page(&sample::mobility(), Langs::En);
    assert!(en.contains(
        "Observed at workplaces: 52.4% (49.7–55.1%) below what the days before the order \
         predict, 10 Apr–4 Jun 2020. A change this large is 10× the smallest the series \
         could show (5.2%)."
    ));
    assert!(en.contains("No run was compared (evaluate --run)."));
    assert!(en.contains("<svg"), "the charts are inline");
    assert!(
        !en.contains("src=\"http") && !en.contains("<script"),
        "self-contained"
    );
    let id = page(&sample::mobility(), Langs::Id);
    assert!(id.contains(
        "Teramati di workplaces: 52,4% (49,7–55,1%) di bawah yang diperkirakan dari \
         hari-hari sebelum kebijakan, 10 Apr–4 Jun 2020."
    ));
    let pm = page(&sample::pm25(), Langs::En);
    assert!(pm.contains(
        "Observed at Jakarta Central, 10 Apr–4 Jun 2020: no change that can be told apart \
         from none (−11.8%, 95% interval −30.9 to 12.6%). The series could not show a \
         change smaller than 27.5%."
    ));
    let both = page(&sample::counts_with_run(), Langs::Both);
    assert!(
        both.contains(
            "Simulated by run &#x27;study&#x27; (scenario dki-2023), 28 Aug–21 Oct 2023: −1.3% \
         (5–95%: −2.4% to −0.60%), the same quantity as the series. That run&#x27;s \
         detectability table, with the count noise it used, put the smallest visible change \
         at 3.8%."
        ),
        "{both}"
    );
    assert!(both.contains("Dinas Perhubungan DKI Jakarta, traffic counts"));
    for text in [&en, &id, &pm, &both] {
        assert!(!text.contains(crate::labels::MISSING_MARK));
    }
}

#[test]
fn every_text_of_the_page_is_escaped() {
    let mut ev = sample::pm25();
    let evil = "<script>alert(1)</script>";
    for r in &mut ev.effects {
        r.site = evil.into();
    }
    for d in &mut ev.days {
        d.site = evil.into();
    }
    ev.manifest.sites[0].site = evil.into();
    ev.manifest.command = format!("wfhsim evaluate '{evil}'");
    ev.manifest.series.source = Some(evil.into());
    let html = page(&ev, Langs::Both);
    assert!(!html.contains("<script"), "an unescaped script");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
}

#[test]
fn the_workbook_is_the_same_bytes_for_the_same_evaluation() {
    // Its sheets are read back with openpyxl by the outside tests' checker; here: the
    // fixed creation time makes it reproducible.
    let a = files(&sample::mobility(), Langs::Both).unwrap();
    let b = files(&sample::mobility(), Langs::Both).unwrap();
    let x = |w: &[crate::export::ExportFile]| {
        w.iter()
            .find(|f| f.path == "briefing.xlsx")
            .unwrap()
            .bytes
            .clone()
    };
    assert!(x(&a).starts_with(b"PK"));
    assert_eq!(x(&a), x(&b));
}
