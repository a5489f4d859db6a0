//! wfhsim — what does a work-from-home order do to commuting and air pollution in
//! Jabodetabek?
//!
//! Lifecycle (see [`study::run`]): the cited dataset ([`data`]) → a synthetic population of
//! every worker ([`population`]) → scenario files ([`scenario`]) compiled into plans
//! ([`policy`]) → the parallel deterministic day loop ([`engine`]) → per-cell accounting of
//! trips, kilometres and pollutants ([`emissions`]) → quantiles over replicates and tables
//! ([`report`]) → charts ([`plot`]). The command-line front end lives in [`cli`].
//!
//! Arrows run one way: the engine knows nothing of polars, plotters, clap or files.

pub mod calendar;
#[cfg(feature = "cli")]
pub mod cli;
pub mod data;
pub mod emissions;
pub mod engine;
#[cfg(feature = "cli")]
pub mod plot;
pub mod policy;
pub mod population;
#[cfg(feature = "cli")]
pub mod report;
/// Without the `cli` feature (tables, charts, command line) only the reduction to
/// quantiles that [`study`] needs.
#[cfg(not(feature = "cli"))]
pub mod report {
    pub mod aggregate;
}
pub mod rng;
pub mod scenario;
pub mod study;
