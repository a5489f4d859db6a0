//! Run options as given (raw) and as resolved: every value checked once, before any
//! population is allocated, with a message that names the option, the value and what is
//! allowed. The front end parses; this decides.

use super::memory::MemoryEstimate;
use crate::structural::Uncertainty;

/// Run options as a user gave them.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    /// `None`: one worker thread per core.
    pub threads: Option<usize>,
    pub uncertainty: Uncertainty,
}

/// Options that passed every check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub threads: usize,
    pub uncertainty: Uncertainty,
}

/// The largest `--replicates` accepted. The 5–95% bands come from the replicates' 5th and
/// 95th percentiles; at 10,000 draws their sampling error is far below the spread of the
/// uncertain inputs, and every replicate re-simulates every working day of every scenario
/// (the default study at full scale takes about half an hour at 10,000), so more is a
/// mistake rather than a wish.
pub const MAX_REPLICATES: u32 = 10_000;

/// Worker threads beyond this many per core only add start-up cost and memory: the day
/// loop is compute-bound and its chunks do not depend on the thread count.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// A run option that is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct OptionError(pub String);

/// Checks a request against the machine: `cores` available, `memory` the estimate for it
/// and `available_bytes` what the machine has free, if known.
pub fn resolve(
    r: &RunRequest,
    cores: usize,
    memory: &MemoryEstimate,
    available_bytes: Option<u64>,
) -> Result<RunOptions, OptionError> {
    let bad = |s: String| Err(OptionError(s));
    if r.scale.is_nan() {
        return bad("--scale NaN is not a number: give the fraction of the workforce to simulate, in (0, 1]: 1.0 for every worker, 0.01 for a quick run".into());
    }
    if !(r.scale > 0.0 && r.scale <= 1.0) {
        return bad(format!(
            "--scale {} is outside (0, 1]: it is the fraction of the workforce to simulate; use 1.0 for every worker, 0.01 for a quick run",
            r.scale
        ));
    }
    if !(1..=MAX_REPLICATES).contains(&r.replicates) {
        return bad(format!(
            "--replicates {} is outside 1..{MAX_REPLICATES}: 1 uses the central values only, the default 30 gives the 5-95% bands; more than {MAX_REPLICATES} does not sharpen them",
            r.replicates
        ));
    }
    let cores = cores.max(1);
    let max_threads = MAX_THREADS_PER_CORE * cores;
    let threads = r.threads.unwrap_or(cores);
    if !(1..=max_threads).contains(&threads) {
        return bad(format!(
            "--threads {threads} is outside 1..{max_threads} ({MAX_THREADS_PER_CORE} per core, {cores} cores here): results do not depend on it; leave it out to use one thread per core"
        ));
    }
    if let Some(avail) = available_bytes
        && memory.total() > avail as f64
    {
        return bad(format!(
            "--scale {} with --replicates {} needs about {:.1} GB of memory ({:.0} simulated workers: {:.1} GB; replicate tables: {:.1} GB) and {:.1} GB is available; use a smaller --scale or fewer --replicates",
            r.scale,
            r.replicates,
            memory.total() / 1e9,
            memory.simulated_workers,
            memory.population / 1e9,
            memory.tables / 1e9,
            avail as f64 / 1e9
        ));
    }
    check_agent_count(memory.simulated_workers)?;
    Ok(RunOptions {
        seed: r.seed,
        replicates: r.replicates,
        scale: r.scale,
        threads,
        uncertainty: r.uncertainty,
    })
}

/// Agents are numbered with 32 bits (4 bytes a record): a dataset and scale that would
/// simulate more workers are refused rather than wrapping round.
fn check_agent_count(simulated: f64) -> Result<(), OptionError> {
    if simulated > u32::MAX as f64 {
        return Err(OptionError(format!(
            "the dataset at this --scale has {simulated:.0} workers to simulate; agents are numbered with 32 bits, so at most {}: use a smaller --scale",
            u32::MAX
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(threads: Option<usize>) -> RunRequest {
        RunRequest {
            seed: 1,
            replicates: 3,
            scale: 0.01,
            threads,
            uncertainty: Uncertainty::Full,
        }
    }

    fn small() -> MemoryEstimate {
        MemoryEstimate {
            simulated_workers: 1000.0,
            population: 1e6,
            tables: 1e6,
        }
    }

    #[test]
    fn threads_are_bounded_by_four_per_core() {
        assert_eq!(
            resolve(&request(None), 2, &small(), None).unwrap().threads,
            2
        );
        assert_eq!(
            resolve(&request(Some(8)), 2, &small(), None)
                .unwrap()
                .threads,
            8
        );
        for t in [0, 9, 100_000] {
            assert_eq!(
                resolve(&request(Some(t)), 2, &small(), None).unwrap_err().0,
                format!(
                    "--threads {t} is outside 1..8 (4 per core, 2 cores here): results do not depend on it; leave it out to use one thread per core"
                )
            );
        }
    }

    #[test]
    fn more_agents_than_32_bits_can_number_are_refused() {
        assert!(check_agent_count(14_465_332.0).is_ok());
        assert!(check_agent_count(u32::MAX as f64).is_ok());
        assert_eq!(
            check_agent_count(5.0e9).unwrap_err().0,
            "the dataset at this --scale has 5000000000 workers to simulate; agents are numbered with 32 bits, so at most 4294967295: use a smaller --scale"
        );
    }

    #[test]
    fn memory_beyond_what_is_available_is_refused() {
        let e = resolve(&request(None), 2, &small(), Some(1_000_000)).unwrap_err();
        assert_eq!(
            e.0,
            "--scale 0.01 with --replicates 3 needs about 0.0 GB of memory (1000 simulated workers: 0.0 GB; replicate tables: 0.0 GB) and 0.0 GB is available; use a smaller --scale or fewer --replicates"
        );
        assert!(resolve(&request(None), 2, &small(), Some(2_000_000)).is_ok());
    }
}
