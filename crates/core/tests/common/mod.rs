//! Shared helpers for the integration tests.
#![allow(dead_code)]

use wfhsim_core::data::Dataset;
use wfhsim_core::population::{self, Population};
use wfhsim_core::results::ScenarioResult;
use wfhsim_core::scenario::{Scenario, parse_scenario};
use wfhsim_core::simulate::{Baseline, RunOptions, run_scenario};
use wfhsim_core::structural::Uncertainty;

/// The built-in dataset, loaded once per test binary.
pub fn dataset() -> &'static Dataset {
    static DS: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
    DS.get_or_init(|| Dataset::builtin().expect("the built-in dataset loads"))
}

pub fn population(ds: &Dataset, scale: f64, seed: u64) -> Population {
    population::synthesize(ds, scale, seed, &|_| {})
}

pub fn scenario(ds: &Dataset, text: &str) -> Scenario {
    parse_scenario("test.toml", text, ds).unwrap_or_else(|e| panic!("{e}"))
}

/// A one-policy scenario over Aug-Oct 2023.
pub fn one_policy(
    employers: &str,
    exempt: &str,
    assignment: &str,
    rule: &str,
    compliance: &str,
    schedule: &str,
) -> String {
    format!(
        r#"schema_version = 1
name = "t"
title = "t"
[period]
start = 2023-08-01
end = 2023-10-31
[[policy]]
name = "p"
employers = {employers}
exempt_roles = {exempt}
assignment = "{assignment}"
share_rule = "{rule}"
compliance = {compliance}
schedule = {schedule}
"#
    )
}

pub const DKI_EXEMPT: &str =
    r#"["teacher", "health", "satpol_pp", "fire_rescue", "transport_agency", "frontline_service"]"#;

/// DKI's civil servants at 50% from 21 Aug to 21 Oct 2023, full compliance, rotation, no
/// exemptions: the plain policy several tests start from.
pub fn dki_at_half() -> String {
    one_policy(
        r#"["dki"]"#,
        "[]",
        "rotation",
        "ceiling",
        "{ central = 1.0 }",
        "[{ from = 2023-08-21, to = 2023-10-21, share = 0.5 }]",
    )
}

/// Writes a dataset's files into `dir` (what `wfhsim data --export DIR` does).
pub fn export_dataset(ds: &Dataset, dir: &std::path::Path) {
    for (name, text) in wfhsim_core::data::export(ds) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("a file in a folder")).expect("folder made");
        std::fs::write(p, text).expect("file written");
    }
}

/// Simulates `scenarios` in a pool of `opt.threads` worker threads, as the run job does.
pub fn simulate_in_pool(
    ds: &Dataset,
    scenarios: &[Scenario],
    opt: wfhsim_core::simulate::RunOptions,
) -> wfhsim_core::results::Results {
    rayon::ThreadPoolBuilder::new()
        .num_threads(opt.threads)
        .build()
        .expect("a pool starts")
        .install(|| wfhsim_core::simulate::simulate(ds, scenarios, opt, &|_| {}))
        .expect("the scenarios simulate")
}

/// One small run of scenario `text` on `ds`: scale 0.02, seed 7, two threads, the
/// structure at its central values (behavioural uncertainty).
pub fn run_small(ds: &Dataset, text: &str, replicates: u32) -> ScenarioResult {
    let pop = population(ds, 0.02, 7);
    let opt = RunOptions {
        seed: 7,
        replicates,
        scale: 0.02,
        threads: 2,
        uncertainty: Uncertainty::Behavioural,
    };
    let base = Baseline::new(ds, &pop, opt.uncertainty, false);
    run_scenario(ds, &pop, &base, &scenario(ds, text), opt, &|_| {}).unwrap()
}

/// The built-in dataset with whole rows replaced (`key` → the row's full text).
pub fn dataset_with_rows(rows: &[(&str, &str)]) -> Result<Dataset, wfhsim_core::data::DataError> {
    let files = dataset()
        .files
        .iter()
        .map(|(name, text)| {
            let text = text
                .lines()
                .map(|l| {
                    rows.iter()
                        .find(|(k, _)| l.starts_with(&format!("{k},")))
                        .map_or(l.to_string(), |(_, row)| row.to_string())
                })
                .collect::<Vec<_>>()
                .join("\n");
            (name.clone(), text.into_bytes())
        })
        .collect();
    Dataset::from_bytes(files)
}
