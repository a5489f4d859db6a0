//! The `wfhsim` binary's integration tests (one test binary, one module per subject): the
//! command line, run folders, sweeps, diff, reports — everything that needs no program
//! from outside Rust. The checks that do (a browser, Python, Slurm) are `tests/outside/`.

#[path = "../crates/core/tests/common/mod.rs"]
mod common;
mod server;
mod support;

mod activity;
mod bad_input;
mod bounds;
mod calibration_report;
mod cli;
mod detectability;
mod determinism;
mod diff;
mod evaluate;
mod mc_error;
mod merge_property;
mod new_and_schema;
mod paired;
mod pools;
mod report_decomposition;
mod report_evaluation;
mod results_safety;
mod run_folder;
mod run_folder_integrity;
mod scenarios;
mod serve;
mod serve_load;
mod serve_page;
mod shards;
mod snapshots;
mod sobol;
mod sweep;
mod text_safety;
