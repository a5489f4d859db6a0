//! wfhsim — what does a work-from-home order do to commuting and air pollution in
//! Jabodetabek?
//!
//! Data flows one way (see [`pipeline`]): the cited dataset ([`data`]) → a synthetic
//! population of every worker ([`population`]) → scenarios ([`scenario`]) compiled into
//! plans ([`policy`]) → the parallel deterministic day loop ([`engine`]) → per-cell
//! accounting of trips, kilometres and pollutants ([`emissions`]) → quantiles over
//! replicates in the one result schema ([`results`]). Every label shown to a reader, in
//! Indonesian and English, and numbers written for each language are in [`labels`]. With the `cli` feature: exporters
//! that turn results into files in memory ([`export`], charts by [`plot`]), the atomic run
//! folder ([`runfolder`]), one run from inputs to folder ([`run`]) and the command-line
//! front end ([`cli`]), the only place that prints, shows progress or exits.
//!
//! The simulation core never imports polars, plotters, clap or the filesystem.

pub mod calendar;
pub mod data;
pub mod emissions;
pub mod engine;
pub mod labels;
pub mod pipeline;
pub mod policy;
pub mod population;
pub mod results;
pub mod rng;
pub mod scenario;
pub mod structural;
pub mod sweep;
pub mod traffic;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod compare;
#[cfg(feature = "cli")]
pub mod export;
#[cfg(feature = "cli")]
pub mod plot;
#[cfg(feature = "cli")]
pub mod run;
#[cfg(feature = "cli")]
pub mod runfolder;
#[cfg(feature = "cli")]
pub mod sweeping;
