//! One sweep from a checked design to its folder: resolve the options (with the memory
//! check) → make the folder (or the shard's) before the long work → build the population
//! once → run the points → write the experiments, bands, tables and charts → move the
//! folder into place. Also `wfhsim target` (a bisection over one factor) and the merge of
//! a sharded sweep's folders into the outputs an unsharded sweep writes, byte for byte.
//!
//! Layout of a sharded sweep: `OUT/NAME/shards/shard=KKKK-of-NNNN/` holds its
//! `experiments.parquet`, `manifest.json` and, written last, `_SUCCESS`; each shard folder
//! appears whole (written under a hidden name, then renamed). The merge writes
//! `design.parquet`, `experiments.parquet`, `points.parquet`, the tables and `charts/` into
//! `OUT/NAME/` beside `shards/`.
//!
//! Files: this one (errors, the request, the steps every command shares), `shard.rs`
//! (which shard a process runs), `manifest.rs`, `run.rs` (a sweep or one shard),
//! `merge.rs` and `target.rs`.

mod manifest;
mod merge;
mod run;
mod shard;
mod target;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::data::Dataset;
use crate::export::{ExportError, ExportFile, json_file};
use crate::pipeline::{self, Baseline, OptionError, RunOptions, RunRequest};
use crate::population;
use crate::runfolder::{FolderError, RunDir};
use crate::structural::Uncertainty;
use crate::sweep::Design;

pub use manifest::{DesignInfo, Seconds, SweepManifest, binary_sha256};
pub use merge::merge;
pub use run::sweep;
pub use shard::{parse_shard, shard_dir_name, shard_from_env};
pub use target::search_target;

/// Marker written last into a finished shard folder.
pub const SUCCESS: &str = "_SUCCESS";
pub const SHARDS_DIR: &str = "shards";
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// Bad input: the design, an option, the shards of a merge (exit 2: do not retry).
    #[error("{0}")]
    Input(String),
    /// The folder cannot be used (exit 2).
    #[error(transparent)]
    Output(FolderError),
    /// Writing failed (exit 1: may succeed on retry).
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
}

impl SweepError {
    pub fn is_bad_input(&self) -> bool {
        match self {
            SweepError::Input(_) | SweepError::Output(_) => true,
            SweepError::Pipeline(e) => e.is_bad_input(),
            _ => false,
        }
    }
}

impl From<OptionError> for SweepError {
    fn from(e: OptionError) -> Self {
        SweepError::Input(e.0)
    }
}

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
}

/// Reads a design file.
pub fn read_design(path: &Path, ds: &Dataset) -> Result<Design, SweepError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        SweepError::Input(format!("{}: cannot read the design: {e}", path.display()))
    })?;
    Design::parse(path, &text, ds).map_err(|e| SweepError::Input(e.to_string()))
}

fn resolve(
    d: &Design,
    ds: &Dataset,
    req: &SweepRequest,
    experiments: usize,
) -> Result<RunOptions, SweepError> {
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
        .map_err(|e| SweepError::Input(e.to_string()))?;
    let opt = pipeline::prepare(ds, &scenarios, &r)?;
    let rows = experiments as f64 * opt.replicates as f64;
    let table_bytes = rows * (8.0 * d.outcomes.len() as f64 + 48.0) * 3.0;
    let need = pipeline::estimate(ds, &scenarios, opt.scale, opt.replicates).total() + table_bytes;
    if let Some(avail) = pipeline::memory::available_bytes()
        && need > avail as f64
    {
        return Err(SweepError::Input(format!(
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
    pub target: Option<crate::sweep::target::Found>,
    pub design: Design,
}

/// Progress events for the front end.
pub enum SweepProgress {
    Population { blocks: u64 },
    PopulationBlockDone,
    Points { total: u64 },
    PointDone,
}

fn note(d: &Design, opt: &RunOptions) -> String {
    format!(
        "wfhsim {} · design {} ({}) · seed {}, {} replicates per point, scale {}, {} uncertainty · data: the built-in dataset's sources (wfhsim data)",
        env!("CARGO_PKG_VERSION"),
        d.name,
        d.method.map_or("target", |m| m.as_str()),
        opt.seed,
        opt.replicates,
        opt.scale,
        opt.uncertainty.as_str()
    )
}

struct Built {
    pop: population::Population,
    base: Baseline,
    seconds: f64,
}

fn build(
    d: &Design,
    ds: &Dataset,
    opt: &RunOptions,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Built {
    let t = Instant::now();
    progress(SweepProgress::Population {
        blocks: (ds.n_regions() * ds.employers.len()) as u64,
    });
    let pop = population::synthesize(ds, opt.scale, opt.seed, &|_| {
        progress(SweepProgress::PopulationBlockDone)
    });
    // A factor fixing a structural row acts through the weights, drawn or not.
    let base = if opt.uncertainty == Uncertainty::Behavioural
        && crate::sweep::run::fixes_structure(d, ds)
    {
        Baseline::with_fixed_structure(ds, &pop, opt.uncertainty)
    } else {
        Baseline::new(ds, &pop, opt.uncertainty)
    };
    Built {
        pop,
        base,
        seconds: t.elapsed().as_secs_f64(),
    }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T, SweepError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| pipeline::PipelineError::ThreadPool { threads, source })?;
    Ok(pool.install(f))
}

/// Writes `out`, the manifest and (for a shard) the `_SUCCESS` marker last into the
/// folder, and moves it into place.
fn commit(
    dir: RunDir,
    mut out: Vec<ExportFile>,
    manifest: SweepManifest,
    marker: bool,
    design: Design,
    target: Option<crate::sweep::target::Found>,
) -> Result<SweepOutcome, SweepError> {
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

fn check_name(name: &str) -> Result<(), SweepError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(SweepError::Input(format!(
            "--name '{name}' must be a plain folder name"
        )));
    }
    Ok(())
}
