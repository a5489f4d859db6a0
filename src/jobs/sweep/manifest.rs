//! `manifest.json` of a sweep, a shard or a target search: which design, dataset and
//! program ran it, with which options, and how long each phase took.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::SweepRequest;
use crate::jobs::JobError;
use wfhsim_core::data::Dataset;
use wfhsim_core::simulate::RunOptions;
use wfhsim_core::sweep::Design;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DesignInfo {
    pub file: String,
    pub sha256: String,
    pub name: String,
    pub method: String,
    pub points: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Seconds {
    pub load: f64,
    pub population: f64,
    pub points: f64,
    pub write: f64,
    pub total: f64,
}

/// `manifest.json` of a sweep or of one shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepManifest {
    pub wfhsim_version: String,
    pub design: DesignInfo,
    pub dataset_origin: String,
    pub dataset_sha256: String,
    /// SHA-256 of the program that ran it: shards of different builds are not merged.
    pub binary_sha256: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub uncertainty: String,
    /// The charts' language (`id`, `en` or `both`): a merge draws its charts in the
    /// shards' one unless told otherwise. Absent in a manifest of an older version.
    #[serde(default)]
    pub lang: Option<String>,
    pub threads: usize,
    /// `[k, n]` for a shard.
    pub shard: Option<[usize; 2]>,
    pub points_run: usize,
    pub experiments: usize,
    pub agents: usize,
    pub wall_seconds: Seconds,
    /// Wall seconds per point run (all its scenarios and replicates).
    pub seconds_per_point: f64,
    pub peak_rss_bytes: Option<u64>,
    pub command: Vec<String>,
}

/// What one process ran, for its manifest.
pub(crate) struct Ran {
    /// The design file as the manifest names it.
    pub design_file: String,
    pub method: String,
    pub points_total: usize,
    pub shard: Option<[usize; 2]>,
    pub points_run: usize,
    pub experiments: usize,
    pub agents: usize,
    /// Seconds spent loading, building the population and running the points.
    pub load: f64,
    pub population: f64,
    pub points: f64,
    /// When the command started (after loading) and when writing started.
    pub started: Instant,
    pub writing: Instant,
}

impl SweepManifest {
    pub(crate) fn new(
        d: &Design,
        ds: &Dataset,
        req: &SweepRequest,
        opt: &RunOptions,
        r: Ran,
    ) -> SweepManifest {
        SweepManifest {
            wfhsim_version: env!("CARGO_PKG_VERSION").into(),
            design: DesignInfo {
                file: r.design_file,
                sha256: d.sha256.clone(),
                name: d.name.clone(),
                method: r.method,
                points: r.points_total,
            },
            dataset_origin: req.dataset_origin.clone(),
            dataset_sha256: ds.hash(),
            binary_sha256: binary_sha256(),
            seed: opt.seed,
            replicates: opt.replicates,
            scale: opt.scale,
            uncertainty: opt.uncertainty.as_str().into(),
            lang: Some(req.langs.code().into()),
            threads: opt.threads,
            shard: r.shard,
            points_run: r.points_run,
            experiments: r.experiments,
            agents: r.agents,
            seconds_per_point: r.points / r.points_run.max(1) as f64,
            wall_seconds: Seconds {
                load: r.load,
                population: r.population,
                points: r.points,
                write: r.writing.elapsed().as_secs_f64(),
                total: r.load + r.started.elapsed().as_secs_f64(),
            },
            peak_rss_bytes: crate::jobs::host::peak_rss_bytes(),
            command: req.command.clone(),
        }
    }
}

/// What a sweep's experiments depend on besides which points ran: shards merge only when
/// theirs agree, and a complete shard is reused only when its agree with the request.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultsKey {
    pub design_sha256: String,
    pub dataset_sha256: String,
    pub program_sha256: String,
    pub uncertainty: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
}

impl ResultsKey {
    /// The key of a sweep of `d` on `ds` with `opt`, run by this program.
    pub fn requested(d: &Design, ds: &Dataset, opt: &RunOptions) -> ResultsKey {
        ResultsKey {
            design_sha256: d.sha256.clone(),
            dataset_sha256: ds.hash(),
            program_sha256: binary_sha256(),
            uncertainty: opt.uncertainty.as_str().into(),
            seed: opt.seed,
            replicates: opt.replicates,
            scale: opt.scale,
        }
    }

    /// Each field as a manifest names it, with its value.
    fn fields(&self) -> [(&'static str, String); 7] {
        [
            ("design sha256", self.design_sha256.clone()),
            ("dataset sha256", self.dataset_sha256.clone()),
            ("program sha256", self.program_sha256.clone()),
            ("uncertainty", self.uncertainty.clone()),
            ("seed", self.seed.to_string()),
            ("replicates", self.replicates.to_string()),
            ("scale", self.scale.to_string()),
        ]
    }

    /// The fields that differ: (name, this key's value, the other's).
    pub fn differences(&self, other: &ResultsKey) -> Vec<(&'static str, String, String)> {
        self.fields()
            .into_iter()
            .zip(other.fields())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((what, a), (_, b))| (what, a, b))
            .collect()
    }
}

impl SweepManifest {
    /// The key of the results this manifest describes.
    pub fn key(&self) -> ResultsKey {
        ResultsKey {
            design_sha256: self.design.sha256.clone(),
            dataset_sha256: self.dataset_sha256.clone(),
            program_sha256: self.binary_sha256.clone(),
            uncertainty: self.uncertainty.clone(),
            seed: self.seed,
            replicates: self.replicates,
            scale: self.scale,
        }
    }

    /// The charts' language it ran with (`id` in a manifest of an older version).
    pub fn lang_code(&self) -> String {
        self.lang.clone().unwrap_or_else(|| "id".into())
    }
}

/// Reads a shard's (or sweep's) `manifest.json`; one that does not read is bad input.
pub(super) fn read_manifest(path: &Path) -> Result<SweepManifest, JobError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| JobError::Input(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| JobError::Input(format!("{}: not a shard manifest: {e}", path.display())))
}

/// SHA-256 of the running program (read once: the program is large).
pub fn binary_sha256() -> String {
    static SHA: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SHA.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::read)
            .map_or("unknown".into(), |b| {
                wfhsim_core::scenario::sha256_hex(&[&b])
            })
    })
    .clone()
}
