//! The run pipeline that every command drives: resolve options (with the memory check) →
//! build the population → per scenario: compile the plan, run the replicates, reduce →
//! [`Results`]. It reports progress through a callback and returns errors; it never
//! prints, exits the process or touches files.

pub mod memory;
pub mod options;
mod simulate;

pub use memory::{MemoryEstimate, estimate};
pub use options::{MAX_REPLICATES, OptionError, RunOptions, RunRequest};
pub use simulate::{Baseline, Progress, Replicates, replicates, run_scenario, simulate};

use crate::data::{DataError, Dataset};
use crate::results::Results;
use crate::scenario::Scenario;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
    #[error(transparent)]
    Data(#[from] DataError),
}

impl PipelineError {
    /// True when the user's input is at fault (the front end exits with 2), false when the
    /// run failed (exit 1).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, PipelineError::Option(_))
    }
}

/// Checks a request against the dataset, the scenarios and this machine (cores, free
/// memory) before anything is allocated.
pub fn prepare(
    ds: &Dataset,
    scenarios: &[Scenario],
    request: &RunRequest,
) -> Result<RunOptions, OptionError> {
    let need = memory::estimate(ds, scenarios, request.scale, request.replicates);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    options::resolve(request, cores, &need, memory::available_bytes())
}

/// Simulates every scenario in a pool of `opt.threads` worker threads. A pool that cannot
/// start is an error, not a panic.
pub fn run(
    ds: &Dataset,
    scenarios: &[Scenario],
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Results, PipelineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opt.threads)
        .build()
        .map_err(|source| PipelineError::ThreadPool {
            threads: opt.threads,
            source,
        })?;
    Ok(pool.install(|| simulate(ds, scenarios, opt, progress))?)
}
