//! The job layer: `run`, `sweep` and `target` from checked inputs to a committed folder.
//! Every job takes the same steps, defined once here — the name check, the options and
//! the memory check, the worker pool, the population and its baseline built once (the
//! structure mode decided once, by [`Baseline::new`]), one error type — and differs only
//! in what it loops over: a run over scenarios ([`run`]), a sweep over design points
//! ([`sweep`]), a target search over one factor's settings ([`target`]).
//!
//! Jobs report progress through callbacks and return [`JobError`]; only `cli` prints,
//! draws progress or exits.

pub mod activity;
pub mod command;
pub mod evaluate;
pub mod host;
pub mod run;
pub mod sweep;
pub mod target;

use std::time::Instant;

use wfhsim_core::data::{DataError, Dataset};
use wfhsim_core::population::Population;
use wfhsim_core::scenario::Scenario;
use wfhsim_core::simulate::{
    self, Baseline, MemoryShortage, OptionError, Progress, Refused, RunOptions, RunRequest, options,
};
use wfhsim_report::export::ExportError;
use wfhsim_report::runfolder::FolderError;

/// Why a job stopped. [`JobError::is_bad_input`] decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Bad input: an option, a name, a design, the shards of a merge (exit 2: do not retry).
    #[error("{0}")]
    Input(String),
    /// The output folder cannot be used (checked before any work; exit 2).
    #[error(transparent)]
    Output(FolderError),
    /// Writing or moving the finished folder failed (exit 1: may succeed on retry).
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Data(#[from] DataError),
    /// Too little memory for the request on this machine now (exit 1: it may run with
    /// more memory free, elsewhere, or with the advice followed).
    #[error(transparent)]
    Memory(#[from] MemoryShortage),
    /// A sweep's experiments do not fit in the memory available now (exit 1, as
    /// [`JobError::Memory`]: sharded, or elsewhere, it may run).
    #[error("{0}")]
    SweepMemory(String),
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
}

impl JobError {
    /// True when the user's input is at fault (exit 2); false when the job failed (exit 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            JobError::Input(_)
                | JobError::Output(_)
                | JobError::Export(
                    ExportError::NotARun { .. }
                        | ExportError::NoFolder { .. }
                        | ExportError::OtherVersion { .. }
                        | ExportError::Template { .. }
                        // A run folder (or sweep folder) that does not read, was changed
                        // after it was written, or holds values its run.json does not allow.
                        | ExportError::Unreadable { .. }
                        | ExportError::Read { .. }
                        | ExportError::Tampered { .. }
                        | ExportError::Damaged(_)
                )
        )
    }
}

impl From<OptionError> for JobError {
    fn from(e: OptionError) -> Self {
        JobError::Input(e.0)
    }
}

impl From<Refused> for JobError {
    fn from(e: Refused) -> Self {
        match e {
            Refused::Option(e) => e.into(),
            Refused::Memory(e) => e.into(),
        }
    }
}

/// A run's, sweep's or target's name becomes a folder name: the one rule for names
/// ([`wfhsim_core::text::name_problem`]); `given` says where the name was given, e.g.
/// `--name` or a design file's `name` key.
pub fn check_name(given: &str, name: &str) -> Result<(), JobError> {
    match wfhsim_core::text::name_problem(name) {
        Some(why) => Err(JobError::Input(format!("{given} {why}"))),
        None => Ok(()),
    }
}

/// Checks a request against the dataset, the scenarios and this machine (cores, free
/// memory) before anything is allocated.
pub fn resolve_options(
    ds: &Dataset,
    scenarios: &[Scenario],
    request: &RunRequest,
) -> Result<RunOptions, JobError> {
    let need = simulate::estimate(ds, scenarios, request.scale, request.replicates);
    Ok(options::resolve(
        request,
        host::cores(),
        &need,
        host::available(),
    )?)
}

/// A pool of `threads` worker threads. A pool that cannot start is an error, not a panic.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, JobError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| JobError::ThreadPool { threads, source })
}

/// Runs `f` in a [`pool`] of `threads` worker threads, made for it.
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T, JobError> {
    Ok(pool(threads)?.install(f))
}

/// The population and its baseline, built once per job.
pub struct Built {
    pub pop: Population,
    pub base: Baseline,
    pub seconds: f64,
}

/// Builds the population and its baseline (in the calling pool). `structure_fixed`: a
/// sweep's factors fix a structural row, which acts through the weights, drawn or not.
pub fn build(
    ds: &Dataset,
    opt: RunOptions,
    structure_fixed: bool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Built {
    let t = Instant::now();
    let pop = simulate::build_population(ds, opt, progress);
    let base = Baseline::new(ds, &pop, opt.uncertainty, structure_fixed);
    Built {
        pop,
        base,
        seconds: t.elapsed().as_secs_f64(),
    }
}
