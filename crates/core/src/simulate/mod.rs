//! One study simulated from checked inputs: the population → per scenario: compile the
//! plan, run the replicates, reduce → [`Results`]; and the run options it needs, as given
//! and as resolved against a machine's cores and memory (a pure check: the job layer asks
//! the machine). It reports progress through a callback and returns errors; it never
//! prints, exits the process, starts threads or touches files.

mod baseline;
pub mod coverage;
pub mod decompose;
pub mod memory;
pub mod options;
mod progress;
mod scenario_run;
mod study;

pub use baseline::Baseline;
pub use memory::{Available, MemoryEstimate, MemoryShortage, estimate};
pub use options::{MAX_REPLICATES, OptionError, Refused, RunOptions, RunRequest};
pub use study::{
    Progress, Replicates, build_population, replicates, replicates_checked, run_scenario, simulate,
    simulate_built, simulate_one,
};
