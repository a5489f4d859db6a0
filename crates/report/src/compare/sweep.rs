//! Does a sweep belong to a run? `wfhsim report RUN --sweep DIR` shows a sweep's tornado
//! or Sobol table beside the run's numbers, so both must come from one dataset and one
//! version of wfhsim, and every scenario the sweep's tables name must be one of the run's;
//! otherwise the sweep is refused, naming what differs in `diff`'s words. A seed, scale,
//! replicate count or uncertainty that differ are warnings, as in `diff`: a sweep is often
//! run smaller than the run it explains.

use polars::prelude::DataFrame;

use super::{CompareError, Difference, Input, RunMeta, differences};
use crate::export::workbook::{SOBOL_CSV, Sensitivity, TORNADO_CSV};
use crate::export::{ExportError, RunInfo};

/// The sides as the messages name them.
const SIDES: [&str; 2] = ["the run", "the sweep"];

/// The scenarios a sensitivity table has rows for, in order of first appearance.
fn scenarios(dir: &str, file: &str, df: &DataFrame) -> Result<Vec<String>, ExportError> {
    let column = df
        .column("scenario")
        .and_then(|c| c.str().cloned())
        .map_err(|source| ExportError::Read {
            path: format!("{dir}/{file}"),
            source,
        })?;
    let mut names: Vec<String> = Vec::new();
    for name in column.iter().map(|v| v.unwrap_or_default()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

/// The refusal of a sweep that is not the run's.
fn refuse(sweep: &RunMeta, run_dir: &str, why: String) -> CompareError {
    CompareError::NotTheRunsSweep(format!(
        "{} is not a sweep of the run {run_dir}: {why}; run the sweep with the run's dataset and this wfhsim, or leave --sweep out",
        sweep.dir
    ))
}

/// Checks that the sweep `sweep` (its inputs, from its manifest) and its tables `tables`
/// belong to the run `run_dir` whose `run.json` is `run`. Returns the warnings to show.
pub fn sweep_of_run(
    run_dir: &str,
    run: &RunInfo,
    sweep: &RunMeta,
    tables: &Sensitivity,
) -> Result<Vec<String>, CompareError> {
    let found = differences(&RunMeta::of(run_dir, run), sweep);
    let refused = |d: &&Difference| matches!(d.input, Input::Dataset | Input::Version);
    if let Some(d) = found.iter().find(refused) {
        return Err(refuse(sweep, run_dir, d.text(SIDES)));
    }
    let names: Vec<&str> = run.scenarios.iter().map(|s| s.name.as_str()).collect();
    for (file, df) in [(TORNADO_CSV, &tables.tornado), (SOBOL_CSV, &tables.sobol)] {
        let Some(df) = df else { continue };
        let have = scenarios(&sweep.dir, file, df)?;
        if let Some(other) = have.iter().find(|n| !names.contains(&n.as_str())) {
            let why = format!(
                "its {file} has rows for scenario '{other}', which the run does not have (the run's: {})",
                names.join(", ")
            );
            return Err(refuse(sweep, run_dir, why));
        }
    }
    Ok(found
        .iter()
        .map(|d| format!("{}; {}", d.text(SIDES), d.why()))
        .collect())
}
