//! Run options as given (raw) and as resolved: every value checked once, before any
//! population is allocated, with a message that names the option, the value and what is
//! allowed. The front end parses; this decides.

use super::memory::{Available, MemoryEstimate, MemoryShortage};
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

/// Why a request was refused: a bad option (exit 2), or too little memory on this
/// machine for it (exit 1: it may run elsewhere or later).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error(transparent)]
    Memory(#[from] MemoryShortage),
}

/// Checks a request against the machine: `cores` available, `memory` the estimate for it
/// and `available` the memory this process may still use, if known.
pub fn resolve(
    r: &RunRequest,
    cores: usize,
    memory: &MemoryEstimate,
    available: Option<Available>,
) -> Result<RunOptions, Refused> {
    let bad = |s: String| Err(OptionError(s).into());
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
    if let Some(available) = available {
        memory.check(r.scale, r.replicates, available)?;
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
                resolve(&request(Some(t)), 2, &small(), None)
                    .unwrap_err()
                    .to_string(),
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
    fn memory_beyond_what_is_available_is_refused_as_a_shortage_not_a_bad_option() {
        let avail = |bytes| {
            Some(Available {
                bytes,
                bound: "free memory",
            })
        };
        let e = resolve(&request(None), 2, &small(), avail(1_000_000)).unwrap_err();
        assert!(matches!(e, Refused::Memory(_)), "{e:?}");
        assert!(resolve(&request(None), 2, &small(), avail(2_000_000)).is_ok());
    }
}
