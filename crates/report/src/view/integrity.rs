//! The SHA-256 of each file of a run folder that no later command rewrites — the tables
//! and `run.json` — recorded in `manifest.json` when the run is written
//! ([`recorded_files`]) and verified when a command reads the file back ([`Recorded`]),
//! so a table changed after the run is detected, not guessed at. `manifest.json` itself
//! is read as far as a reader needs it: these hashes, and the inputs it shares with
//! `run.json`, which must agree.
//!
//! A folder written before the hashes were recorded has none: its files are read with
//! the range checks of [`super::check`] alone.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::check::{Problem, show};
use crate::export::{ExportError, ExportFile, RunInfo, run_file};
use wfhsim_core::scenario::sha256_hex;

/// The manifest's file name; it is written last and marks a finished run.
pub const MANIFEST: &str = "manifest.json";

/// The files whose SHA-256 the manifest records: those directly in the run folder that
/// are tables or `run.json`. Charts (`charts/`) and the briefing are left out: `plot` and
/// `report` write them again.
fn recorded(path: &str) -> bool {
    !path.contains('/')
        && [".parquet", ".csv", ".json"]
            .iter()
            .any(|e| path.ends_with(e))
}

/// File → SHA-256 (hex) of the recorded files among `files`.
pub fn recorded_files(files: &[ExportFile]) -> BTreeMap<String, String> {
    file_hashes(files.iter().filter(|f| recorded(&f.path)))
}

/// File → SHA-256 (hex) of each of `files`.
pub fn file_hashes<'a>(files: impl Iterator<Item = &'a ExportFile>) -> BTreeMap<String, String> {
    files
        .map(|f| (f.path.clone(), sha256_hex(&[&f.bytes])))
        .collect()
}

/// What a reader takes from `manifest.json`.
// Named so in serde's messages ("expected struct Manifest").
#[derive(Debug, Deserialize)]
#[serde(rename = "Manifest")]
struct ManifestRead {
    wfhsim_version: String,
    seed: u64,
    replicates: u32,
    scale: f64,
    uncertainty: String,
    /// Absent in a folder written before the hashes were recorded.
    #[serde(default)]
    files_sha256: Option<BTreeMap<String, String>>,
}

/// What a run folder's manifest records: its inputs and the files' hashes (none for an
/// older folder).
#[derive(Debug)]
pub(super) struct Recorded {
    manifest: ManifestRead,
}

fn manifest_problem(at: &str, value: String, allowed: String) -> Problem {
    Problem::new(MANIFEST, at.to_string(), value, allowed)
}

/// The inputs the manifest shares with `run.json`'s reproduce record, which must agree.
fn agrees(m: &ManifestRead, info: &RunInfo) -> Result<(), Problem> {
    let r = &info.reproduce;
    let pairs = [
        (
            "wfhsim_version",
            m.wfhsim_version.clone(),
            r.wfhsim_version.clone(),
        ),
        ("seed", m.seed.to_string(), r.seed.to_string()),
        (
            "replicates",
            m.replicates.to_string(),
            r.replicates.to_string(),
        ),
        ("scale", show(m.scale), show(r.scale)),
        ("uncertainty", m.uncertainty.clone(), r.uncertainty.clone()),
    ];
    for (key, theirs, ours) in pairs {
        if theirs != ours {
            let allowed = format!("run.json's reproduce.{key}, {ours}");
            return Err(manifest_problem(key, theirs, allowed));
        }
    }
    Ok(())
}

impl Recorded {
    /// Reads `manifest.json` of the run folder `dir`.
    pub(super) fn read(dir: &Path) -> Result<Recorded, ExportError> {
        let path = run_file(dir, MANIFEST)?;
        let unreadable = |message: String| ExportError::Unreadable {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| unreadable(e.to_string()))?;
        let manifest = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
        Ok(Recorded { manifest })
    }

    /// Refuses a manifest whose inputs are not those of `run.json` (`info`).
    pub(super) fn agrees(&self, info: &RunInfo) -> Result<(), Problem> {
        agrees(&self.manifest, info)
    }

    /// Whether the manifest records a SHA-256 for `file` (so the run wrote it).
    pub(super) fn records(&self, file: &str) -> bool {
        let recorded = self.manifest.files_sha256.as_ref();
        recorded.is_some_and(|f| f.contains_key(file))
    }

    /// Checks `file` of the folder `dir` against its recorded SHA-256 (nothing to check in
    /// an older folder, or for a file the manifest does not record).
    pub(super) fn verify(&self, dir: &Path, file: &str) -> Result<(), ExportError> {
        let recorded = self.manifest.files_sha256.as_ref();
        let Some(want) = recorded.and_then(|f| f.get(file)) else {
            return Ok(());
        };
        let path = run_file(dir, file)?;
        let bytes = std::fs::read(&path).map_err(|e| ExportError::Unreadable {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let found = sha256_hex(&[&bytes]);
        if &found == want {
            return Ok(());
        }
        Err(ExportError::Tampered {
            path: path.display().to_string(),
            recorded: want.clone(),
            found,
        })
    }
}
