//! wfhsim-core — what does a work-from-home order do to commuting and air pollution in
//! Jabodetabek? The simulation itself, with no tables, charts, command line or files.
//!
//! Data flows one way (see [`simulate`]): the cited dataset ([`data`]) → a synthetic
//! population of every worker ([`population`]) → scenarios ([`scenario`]) compiled into
//! plans ([`policy`]) → the parallel deterministic day loop ([`engine`]) → per-cell
//! accounting of trips, kilometres and pollutants ([`accounting`]) → all road traffic,
//! speeds and detectability ([`traffic`]) → quantiles over replicates in the one result
//! schema ([`results`]). Sweeps of scenario variants and their analysis are [`sweep`].
//! Input files are read within bounds by [`files`].
//!
//! This crate does not depend on polars, plotters, clap or a template engine, and it
//! writes no file: presentation is `wfhsim-report`, the jobs and the command line are the
//! `wfhsim` binary. The compiler keeps it that way (see docs/architecture.md).

pub mod accounting;
pub mod beta;
pub mod calendar;
pub mod data;
pub mod engine;
pub mod evaluate;
pub mod files;
pub mod policy;
pub mod population;
pub mod results;
pub mod rng;
pub mod scenario;
pub mod simulate;
pub mod structural;
pub mod sweep;
pub mod text;
pub mod traffic;
