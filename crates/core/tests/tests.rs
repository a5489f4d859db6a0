//! wfhsim-core's integration tests: one binary, one module per subject (fast: no tables, charts or command line).

mod common;

mod accounting;
mod calendar_data;
mod calibration;
mod compliance_models;
mod congestion_level;
mod dataset_and_population;
mod engine_closed_form;
mod evaluate;
mod fuzz_regressions;
mod measures;
mod population_pin;
mod properties;
mod provenance;
mod roads;
mod stopping;
mod sweep_results;
mod synth;
mod traffic_footing;
mod uncertainty;
