//! One sweep from a checked design to its folder: resolve the options (with the memory
//! check) → make the folder (or the shard's) before the long work → build the population
//! once → run the points → write the experiments, bands, tables and charts → move the
//! folder into place. Also `wfhsim target` (a search over one factor) and the merge of
//! a sharded sweep's folders into the outputs an unsharded sweep writes, byte for byte.
//!
//! Layout of a sharded sweep: `OUT/NAME/shards/shard=KKKK-of-NNNN/` holds its
//! `experiments.parquet`, `manifest.json` and, written last, `_SUCCESS`; each shard folder
//! appears whole (written under a hidden name, then renamed). The merge writes
//! `design.parquet`, `experiments.parquet`, `points.parquet`, the tables and `charts/` into
//! `OUT/NAME/` beside `shards/`.
//!
//! A complete shard is reused only for the very request that made it (`reuse.rs`); a
//! merge checks every shard's rows (`rows.rs`) and publishes the whole folder at once
//! (`publish.rs`).
//!
//! Files: this one (the request, the steps a sweep and a target search share beyond the
//! job layer's), `shard.rs` (which shard a process runs), `manifest.rs`, `execute.rs` (a
//! sweep or one shard), `reuse.rs`, `merge.rs`, `rows.rs` and `publish.rs`; the target
//! search is `jobs/target.rs`.

mod execute;
pub(super) mod manifest;
mod merge;
mod publish;
mod reuse;
mod rows;
mod shard;

use std::path::{Path, PathBuf};

use super::{Built, JobError, check_name};
use wfhsim_core::data::Dataset;
use wfhsim_core::files;
use wfhsim_core::simulate::{self, Progress, RunOptions, RunRequest};
use wfhsim_core::sweep::Design;
use wfhsim_report::export::sweep::SweepNote;
use wfhsim_report::export::{ExportFile, json_file};
use wfhsim_report::labels::Langs;
use wfhsim_report::runfolder::RunDir;

pub use execute::sweep;
pub use manifest::SweepManifest;
pub use merge::merge;
pub use shard::{parse_shard, shard_dir_name, shard_from_env};

/// Marker written last into a finished shard folder.
pub const SUCCESS: &str = "_SUCCESS";
pub const SHARDS_DIR: &str = "shards";
pub const MANIFEST: &str = "manifest.json";

/// What a sweep was asked to do.
#[derive(Debug, Clone)]
pub struct SweepRequest {
    pub design_path: PathBuf,
    pub out: PathBuf,
    /// The folder's name (default: the design's `name`).
    pub name: Option<String>,
    pub force: bool,
    pub shard: Option<(usize, usize)>,
    pub run: RunRequest,
    /// `--replicates` given on the command line (else the design's).
    pub replicates_given: bool,
    /// The command line, for a merge to tell how to run a missing shard.
    pub command: Vec<String>,
    /// `builtin` or the `--data` folder.
    pub dataset_origin: String,
    /// The language of the charts (`--lang`).
    pub langs: Langs,
}

/// Reads a design file.
pub fn read_design(path: &Path, ds: &Dataset) -> Result<Design, JobError> {
    let text = files::read_text(path, files::DESIGN_FILE)
        .map_err(|e| JobError::Input(format!("{}: cannot read the design: {e}", path.display())))?;
    Design::parse(path, &text, ds).map_err(|e| JobError::Input(e.to_string()))
}

/// The sweep's folder name: `--name`, or else the design's `name`, whose problem is then
/// the design's and named as such (the user gave no `--name`).
pub(super) fn folder_name(req: &SweepRequest, d: &Design) -> Result<String, JobError> {
    match &req.name {
        Some(name) => {
            check_name("--name", name)?;
            Ok(name.clone())
        }
        // Checked with the design, at its `name` key.
        None => Ok(d.name.clone()),
    }
}

pub(super) fn resolve(
    d: &Design,
    ds: &Dataset,
    req: &SweepRequest,
    experiments: usize,
) -> Result<RunOptions, JobError> {
    let mut r = req.run.clone();
    if !req.replicates_given {
        r.replicates = d.replicates;
    }
    // The memory check: the population and one point's replicate tables, as a run of
    // the base scenarios; then the experiments table.
    let scenarios: Vec<_> = d
        .scenarios
        .iter()
        .map(|t| t.variant(&d.file, &[], ds))
        .collect::<Result<_, _>>()
        .map_err(|e| JobError::Input(e.to_string()))?;
    let opt = super::resolve_options(ds, &scenarios, &r)?;
    let rows = experiments as f64 * opt.replicates as f64;
    let table_bytes = rows * (8.0 * d.outcomes.len() as f64 + 48.0) * 3.0;
    let need = simulate::estimate(ds, &scenarios, opt.scale, opt.replicates).total() + table_bytes;
    if let Some(avail) = super::host::available_bytes()
        && need > avail as f64
    {
        return Err(JobError::SweepMemory(format!(
            "{}: the design has {experiments} point-scenarios × {} replicates = {rows:.0} experiments; with the population and a point's tables it needs about {:.1} GB and {:.1} GB is available; split it with --shard K/N, or use fewer samples, levels or replicates",
            d.file,
            opt.replicates,
            need / 1e9,
            avail as f64 / 1e9
        )));
    }
    Ok(opt)
}

/// A finished sweep, shard or target search.
pub struct SweepOutcome {
    pub dir: PathBuf,
    pub manifest: SweepManifest,
    /// True when the shard was complete already and nothing ran.
    pub skipped: bool,
    pub target: Option<wfhsim_core::sweep::search::Found>,
    pub design: Design,
}

/// Progress events for the front end.
pub enum SweepProgress {
    Population { blocks: u64 },
    PopulationBlockDone,
    Points { total: u64 },
    PointDone,
}

/// How the sweep ran, for its charts' note: this program, the options, and the source
/// note of the dataset it ran on (the built-in one or `--data`'s), as a run prints it.
pub(super) fn note(ds: &Dataset, opt: &RunOptions) -> SweepNote {
    SweepNote {
        version: env!("CARGO_PKG_VERSION").to_string(),
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        uncertainty: opt.uncertainty.as_str().to_string(),
        source_note: ds.about.source_note.clone(),
    }
}

/// The population and baseline of a sweep: a factor fixing a structural row acts through
/// the weights, drawn or not.
pub(super) fn build(
    d: &Design,
    ds: &Dataset,
    opt: &RunOptions,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Built {
    let structure_fixed = wfhsim_core::sweep::points::fixes_structure(d, ds);
    super::build(ds, *opt, structure_fixed, &|p| match p {
        Progress::PopulationBlocks { total } => {
            progress(SweepProgress::Population { blocks: total })
        }
        Progress::PopulationBlockDone => progress(SweepProgress::PopulationBlockDone),
        _ => {}
    })
}

/// Writes `out`, the manifest and (for a shard) the `_SUCCESS` marker last into the
/// folder, and moves it into place.
pub(super) fn commit(
    dir: RunDir,
    mut out: Vec<ExportFile>,
    manifest: SweepManifest,
    marker: bool,
    design: Design,
    target: Option<wfhsim_core::sweep::search::Found>,
) -> Result<SweepOutcome, JobError> {
    out.push(json_file(MANIFEST, &manifest)?);
    if marker {
        out.push(ExportFile {
            path: SUCCESS.into(),
            bytes: Vec::new(),
        });
    }
    dir.write(&out)?;
    Ok(SweepOutcome {
        dir: dir.commit()?,
        manifest,
        skipped: false,
        target,
        design,
    })
}
