//! `manifest.json` of a sweep, a shard or a target search: which design, dataset and
//! program ran it, with which options, and how long each phase took.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::SweepRequest;
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

/// SHA-256 of the running program.
pub fn binary_sha256() -> String {
    std::env::current_exe()
        .and_then(std::fs::read)
        .map_or("unknown".into(), |b| {
            wfhsim_core::scenario::sha256_hex(&[&b])
        })
}
