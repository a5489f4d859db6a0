//! How much memory a run needs, estimated before anything is allocated, from the sizes
//! each module declares for its own records.

use crate::calendar::WorkingCalendar;
use crate::data::Dataset;
use crate::policy;
use crate::population;
use crate::results::Grid;
use crate::results::schema::N_SLOTS;
use crate::scenario::Scenario;

/// Bytes a run is expected to need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryEstimate {
    pub simulated_workers: f64,
    /// Agents and units, plus one scenario's plan at a time (if it covered everyone), plus
    /// a fixed allowance for the program, dataset and tables.
    pub population: f64,
    /// Each replicate of the scenario being run keeps its daily sums (and its road rows)
    /// until the bands are taken: working days kept × (rows × slots + road rows × fields)
    /// × 8 bytes, the days on which no policy or measure is in force kept once.
    pub tables: f64,
}

impl MemoryEstimate {
    pub fn total(&self) -> f64 {
        self.population + self.tables
    }
}

/// Fixed allowance: the program, the dataset, the result tables and the chart buffers.
const FIXED_BYTES: f64 = 256.0e6;

pub fn estimate(
    ds: &Dataset,
    scenarios: &[Scenario],
    scale: f64,
    replicates: u32,
) -> MemoryEstimate {
    let workers: f64 = ds.workers_by_home.iter().sum();
    let simulated = workers * scale;
    let population = population::estimate_bytes(simulated)
        + policy::estimate_plan_bytes(simulated)
        + FIXED_BYTES;
    let holidays = ds.holidays();
    let days = scenarios
        .iter()
        .map(|s| kept_days(s, &WorkingCalendar::new(s.start, s.end, &holidays)))
        .max()
        .unwrap_or(0) as f64;
    let grid = Grid {
        n: ds.n_regions(),
        nm: ds.modes.len(),
        days: 0,
    };
    let tables = replicates as f64
        * days
        * (grid.rows_per_day() as f64 * N_SLOTS as f64
            + crate::traffic::step::estimate_f64s_per_day(ds.n_regions()))
        * 8.0;
    MemoryEstimate {
        simulated_workers: simulated,
        population,
        tables,
    }
}

/// The working days a replicate's tables keep for `s` at most: every day some policy or
/// measure is in force, plus one for the days on which none is (kept once:
/// [`crate::results::days::Days`]).
fn kept_days(s: &Scenario, cal: &WorkingCalendar) -> usize {
    let acting = cal
        .days
        .iter()
        .filter(|&&d| {
            s.policies.iter().any(|p| p.share_on(d) > 0.0)
                || s.measures.iter().any(|m| m.strength_on(d) > 0.0)
        })
        .count();
    acting + usize::from(acting < cal.len())
}

/// Memory this process may still use, and what sets that bound (for the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Available {
    pub bytes: u64,
    /// "free memory", "half the room under the address-space limit, ulimit -v", "the
    /// cgroup's memory limit".
    pub bound: &'static str,
}

/// A run that needs more memory than is available, refused before anything is allocated.
/// Not bad input: it may run on another machine or with more memory free (exit 1).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "--scale {scale} with --replicates {replicates} needs about {:.1} GB of memory ({:.0} simulated workers: {:.1} GB; replicate tables: {:.1} GB) and {:.1} GB is available ({}); {}",
    need.total() / 1e9,
    need.simulated_workers,
    need.population / 1e9,
    need.tables / 1e9,
    available.bytes as f64 / 1e9,
    available.bound,
    self.advice()
)]
pub struct MemoryShortage {
    pub scale: f64,
    pub replicates: u32,
    pub need: MemoryEstimate,
    pub available: Available,
}

impl MemoryEstimate {
    /// Refuses the run when it needs more than is available.
    pub fn check(
        &self,
        scale: f64,
        replicates: u32,
        available: Available,
    ) -> Result<(), MemoryShortage> {
        if self.total() <= available.bytes as f64 {
            return Ok(());
        }
        Err(MemoryShortage {
            scale,
            replicates,
            need: *self,
            available,
        })
    }
}

impl MemoryShortage {
    /// What to change. The simulated workers shrink with --scale; the replicate tables do
    /// not (working days × replicates × cells), so when they are what does not fit the
    /// remedy is fewer replicates or a shorter period.
    fn advice(&self) -> String {
        let avail = self.available.bytes as f64;
        let MemoryEstimate {
            population, tables, ..
        } = self.need;
        let per_replicate = tables / self.replicates.max(1) as f64;
        let not_scale = "the replicate tables do not shrink with --scale";
        if population >= avail {
            return if tables >= population {
                format!(
                    "use a smaller --scale, and fewer --replicates or a shorter period ({not_scale})"
                )
            } else {
                "use a smaller --scale or fewer --replicates".to_string()
            };
        }
        let fit = ((avail - population) / per_replicate).floor();
        let each = size(per_replicate);
        if fit >= 1.0 {
            format!(
                "use --replicates {fit:.0} or fewer, or a shorter period (each replicate's tables take {each}; {not_scale})"
            )
        } else {
            format!("shorten the scenario period (one replicate's tables take {each}; {not_scale})")
        }
    }
}

/// "5.0 GB", or "4 MB" below a tenth of a GB.
fn size(bytes: f64) -> String {
    if bytes >= 0.1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.0} MB", bytes / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortage(population: f64, tables: f64, replicates: u32, avail: u64) -> String {
        let need = MemoryEstimate {
            simulated_workers: 1000.0,
            population,
            tables,
        };
        let available = Available {
            bytes: avail,
            bound: "free memory",
        };
        need.check(0.02, replicates, available)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_run_within_the_memory_available_passes() {
        let need = MemoryEstimate {
            simulated_workers: 1.0,
            population: 1e9,
            tables: 1e9,
        };
        let available = Available {
            bytes: 2_000_000_000,
            bound: "free memory",
        };
        assert!(need.check(0.02, 2, available).is_ok());
    }

    #[test]
    fn too_many_workers_ask_for_a_smaller_scale() {
        assert_eq!(
            shortage(3e9, 0.5e9, 2, 2_000_000_000),
            "--scale 0.02 with --replicates 2 needs about 3.5 GB of memory (1000 simulated workers: 3.0 GB; replicate tables: 0.5 GB) and 2.0 GB is available (free memory); use a smaller --scale or fewer --replicates"
        );
    }

    #[test]
    fn replicate_tables_that_do_not_fit_ask_for_fewer_replicates_or_a_shorter_period() {
        // 10 replicates of 5 GB beside 1 GB of workers, in 12 GB: two fit.
        assert_eq!(
            shortage(1e9, 50e9, 10, 12_000_000_000),
            "--scale 0.02 with --replicates 10 needs about 51.0 GB of memory (1000 simulated workers: 1.0 GB; replicate tables: 50.0 GB) and 12.0 GB is available (free memory); use --replicates 2 or fewer, or a shorter period (each replicate's tables take 5.0 GB; the replicate tables do not shrink with --scale)"
        );
        // Not even one replicate's tables fit.
        assert!(
            shortage(1e9, 20e9, 2, 5_000_000_000).ends_with(
                "shorten the scenario period (one replicate's tables take 10.0 GB; the replicate tables do not shrink with --scale)"
            )
        );
        // Both too large, the tables the larger.
        assert!(shortage(3e9, 9e9, 2, 2_000_000_000).ends_with(
            "use a smaller --scale, and fewer --replicates or a shorter period (the replicate tables do not shrink with --scale)"
        ));
    }
}
