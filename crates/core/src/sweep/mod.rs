//! Sweeps: many variants of one or more scenarios, chosen by a design file
//! (`scenarios/sweeps/*.toml`), run on one population with one seed, and analysed.
//!
//! sample → run → analyse, as SALib does: [`design`] reads and checks the file, [`sample`]
//! makes its points (grid, one at a time, Latin hypercube, Saltelli), [`points`] builds each
//! point's scenarios (through the same validation as a file) and dataset and runs their
//! replicates, `analyse` reduces the experiments table to bands, tornado, Sobol indices
//! ([`sobol`]) and response curves — once, into a [`SweepResults`] ([`results`]) that the
//! exporters only serialise — and [`search`] searches one factor for an outcome level.
//! Points are numbered by the design alone; a shard takes the points whose id modulo the
//! number of shards is its index, so the results do not depend on how a sweep is split.
//!
//! Must not import polars, plotters, clap or the filesystem (the front end reads the file).

mod analyse;
pub mod crossing;
pub mod design;
mod design_target;
pub mod factor;
pub mod outcome;
pub mod points;
pub mod results;
pub mod sample;
pub mod search;
pub mod sequence;
pub mod sobol;
pub mod variance;

pub use analyse::{Bar, Curve, PointBand};
pub use design::{Design, DesignError, Method, Sampling, TargetSpec};
pub use factor::{Factor, Settings, Target};
pub use outcome::{OUTCOMES, Outcome};
pub use points::{Experiment, Prepared};
pub use results::{ResponsesOf, SobolOf, SweepResults, TornadoOf};
pub use sample::Point;
pub use sobol::Indices;
pub use variance::VarianceShare;
