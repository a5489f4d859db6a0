//! Policy scenarios: TOML files → validated, typed [`Scenario`]s.
//!
//! A scenario is the implicit no-WFH baseline plus a list of policies. Each policy names
//! who is covered (employers, optionally work and home regions), a share schedule by date
//! window, the exempt roles, how workers are picked (rotation by work unit or random each
//! day), whether the share is a ceiling or a target, and compliance as a central value
//! with a range. Format reference: docs/scenarios.md.
//!
//! The path of a file: `load` reads it, `extends` merges in its bases, `parse` turns
//! the TOML into a [`Scenario`] (types, unknown keys, names → indices), [`validate`] checks
//! the value's rules, and `spans` puts every problem back at its `file:line:col`. A
//! scenario built in code goes through the same [`validate`].
//!
//! Must not touch the population, the engine or the filesystem beyond reading the files it
//! is given and the bases they name.

mod builtin;
mod extends;
mod load;
mod measure;
mod model;
mod names;
mod new;
mod parse;
mod problem;
mod schema;
mod settings;
mod spans;
mod template;
mod validate;

pub use builtin::{BENCHMARK_SCENARIO, BUILTIN_SCENARIOS};
pub use extends::{is_toml, sha256_hex};
pub use load::{builtin_scenarios, check_files, load_files, parse_scenario, parse_scenario_at};
pub use measure::{MAX_PARTS, WFH_PART, capped_by_default, is_transit, parts};
pub use model::{
    Assignment, ComplianceModel, EmissionModel, Measure, MeasureKind, N_PURPOSES, OddEvenAction,
    ParameterOverride, Policy, Purpose, Range, Scenario, ShareBase, ShareRule, TransitAccounting,
    Uptake, Window,
};
pub use names::{is_valid_name, name_rule, nearest as nearest_name};
pub use new::NewScenario;
pub use problem::{Problem, ScenarioError, ScenarioErrors};
pub use schema::{schema, schema_text};
pub use settings::settings;
pub use template::{KeyError, Template};
pub use validate::validate;

pub const SCHEMA_VERSION: i64 = 1;

/// The values a policy's `compliance.model` and `assignment` may take, in the reader's
/// order (a form's choices).
pub fn compliance_models() -> Vec<&'static str> {
    parse::sections::COMPLIANCE_MODELS
        .iter()
        .map(|(n, _)| *n)
        .collect()
}

/// See [`compliance_models`].
pub fn assignments() -> Vec<&'static str> {
    parse::sections::ASSIGNMENTS
        .iter()
        .map(|(n, _)| *n)
        .collect()
}
