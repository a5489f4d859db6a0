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
    /// until the bands are taken: working days × (rows × slots + road rows × fields) × 8
    /// bytes.
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
        .map(|s| WorkingCalendar::new(s.start, s.end, &holidays).len())
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
