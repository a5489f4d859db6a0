//! An evaluation folder's files, in memory, and the folder read back. [`files`] returns
//! what the atomic folder writer ([`crate::runfolder::RunDir`]) commits: the tables, the
//! charts, the page and the workbook, and `manifest.json` last, recording the SHA-256 of
//! every other file. [`Evaluation::read`] takes the manifest (refused when another layout
//! version wrote it) and the Parquet tables, each checked against its recorded SHA-256.

use std::path::Path;

use polars::prelude::DataFrame;

use super::{DAYS, EFFECTS, EvalManifest, Evaluation, MANIFEST, MANIFEST_VERSION, tables};
use crate::export::{ExportError, ExportFile, csv_file, json_file, parquet_file};
use crate::labels::Langs;
use crate::view::{file_hashes, read_parquet};
use wfhsim_core::scenario::sha256_hex;

fn table_error(what: &str) -> impl FnOnce(polars::error::PolarsError) -> ExportError + '_ {
    move |source| ExportError::Table {
        what: what.to_string(),
        source,
    }
}

/// The four table files: `evaluation` and `evaluation_days`, Parquet then CSV.
fn table_files(ev: &Evaluation) -> Result<Vec<ExportFile>, ExportError> {
    let effects = tables::effects_frame(&ev.effects).map_err(table_error(EFFECTS))?;
    let days = tables::days_frame(&ev.days).map_err(table_error(DAYS))?;
    Ok(vec![
        parquet_file(EFFECTS, &effects)?,
        csv_file(EFFECTS, &effects)?,
        parquet_file(DAYS, &days)?,
        csv_file(DAYS, &days)?,
    ])
}

/// Every file of an evaluation folder, in order, `manifest.json` last (its `files` the
/// SHA-256 of each other file, its `manifest_version` this layout's).
pub fn files(ev: &Evaluation, langs: Langs) -> Result<Vec<ExportFile>, ExportError> {
    let mut out = table_files(ev)?;
    let charts = super::charts::files(ev, langs)?;
    out.extend(super::page::files(ev, langs, &charts)?);
    out.extend(charts);
    let manifest = EvalManifest {
        manifest_version: MANIFEST_VERSION,
        files: file_hashes(out.iter()),
        ..ev.manifest.clone()
    };
    out.push(json_file(MANIFEST, &manifest)?);
    Ok(out)
}

/// The path of `file` in the folder, or [`ExportError::NotAnEvaluation`] naming it.
fn required(dir: &Path, file: &str) -> Result<std::path::PathBuf, ExportError> {
    let p = dir.join(file);
    if p.is_file() {
        return Ok(p);
    }
    Err(ExportError::NotAnEvaluation {
        path: dir.display().to_string(),
        file: file.to_string(),
    })
}

/// `manifest.json`, refused when another layout version wrote it.
fn read_manifest(dir: &Path) -> Result<EvalManifest, ExportError> {
    let path = required(dir, MANIFEST)?;
    let unreadable = |message: String| ExportError::Unreadable {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(e.to_string()))?;
    // The version first: a manifest of another layout gets this message, not serde's.
    #[derive(serde::Deserialize)]
    struct Version {
        manifest_version: u32,
    }
    let v: Version = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    if v.manifest_version != MANIFEST_VERSION {
        return Err(ExportError::OtherEvaluationVersion {
            path: path.display().to_string(),
            found: v.manifest_version,
            expected: MANIFEST_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))
}

/// The bytes of `file`, checked against the SHA-256 the manifest records for it.
fn verified(dir: &Path, m: &EvalManifest, file: &str) -> Result<Vec<u8>, ExportError> {
    let path = required(dir, file)?;
    let shown = path.display().to_string();
    let Some(want) = m.files.get(file) else {
        return Err(ExportError::Unreadable {
            path: dir.join(MANIFEST).display().to_string(),
            message: format!("records no SHA-256 for {file}"),
        });
    };
    let bytes = std::fs::read(&path).map_err(|e| ExportError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let found = sha256_hex(&[&bytes]);
    if &found != want {
        return Err(ExportError::Changed {
            path: shown,
            recorded: want.clone(),
            found,
        });
    }
    Ok(bytes)
}

/// A verified Parquet table, as its records.
fn table<T>(
    dir: &Path,
    stem: &str,
    rows: impl Fn(&DataFrame) -> polars::error::PolarsResult<Vec<T>>,
) -> Result<Vec<T>, ExportError> {
    let path = dir.join(format!("{stem}.parquet"));
    let read = |source| ExportError::Read {
        path: path.display().to_string(),
        source,
    };
    read_parquet(&path).and_then(|df| rows(&df)).map_err(read)
}

impl Evaluation {
    /// Reads an evaluation folder written by [`files`]: the manifest (its version first),
    /// then the tables, every table file (Parquet and CSV) checked against the SHA-256
    /// the manifest records. Charts and pages are not read.
    pub fn read(dir: &Path) -> Result<Evaluation, ExportError> {
        if !dir.is_dir() {
            return Err(ExportError::NoFolder {
                path: dir.display().to_string(),
            });
        }
        let manifest = read_manifest(dir)?;
        for stem in [EFFECTS, DAYS] {
            for ext in ["parquet", "csv"] {
                verified(dir, &manifest, &format!("{stem}.{ext}"))?;
            }
        }
        Ok(Evaluation {
            effects: table(dir, EFFECTS, tables::effects)?,
            days: table(dir, DAYS, tables::days_rows)?,
            manifest,
        })
    }
}
