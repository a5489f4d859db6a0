//! The simulated effect beside the observed one. A run's detectability table gives, per
//! scenario, the change in the city-wide daily count of vehicle passages on the policy's
//! working days (% of the count, 5–95% over replicates; positive = fewer) and the smallest
//! change a count could show. They share a scale with an evaluation only when the series
//! is a count (`--quantity counts`), one of the evaluation's windows is the scenario's
//! window, and the window's terms act on working days only (`--days working`); otherwise
//! the reason is recorded and shown instead.

use std::path::Path;

use super::Quantity;
use crate::jobs::JobError;
use wfhsim_core::evaluate::Window;
use wfhsim_core::traffic::detect::Comparison;
use wfhsim_report::evaluation::{EffectRow, Simulated};
use wfhsim_report::view::RunFolder;

/// What the run's number measures, in the manifest's words.
const QUANTITY: &str =
    "counted vehicle passages on DKI's roads, % change on the window's working days";

pub fn compare(
    run_dir: &Path,
    scenario: Option<&str>,
    quantity: Quantity,
    windows: &[Window],
    working_days: bool,
    _effects: &[EffectRow],
) -> Result<Simulated, JobError> {
    let run = RunFolder::open(run_dir)?;
    let info = run.info();
    let names = || {
        info.scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sc = match scenario {
        Some(n) => info.scenarios.iter().find(|s| s.name == n).ok_or_else(|| {
            JobError::Input(format!(
                "--scenario '{n}' is not in the run {} (its scenarios: {})",
                run_dir.display(),
                names()
            ))
        })?,
        None => info
            .scenarios
            .iter()
            .find(|s| s.window.is_some())
            .ok_or_else(|| {
                JobError::Input(format!(
                    "the run {} has no scenario with a policy window",
                    run_dir.display()
                ))
            })?,
    };
    let Some((from, to)) = sc.window.clone() else {
        return Err(JobError::Input(format!(
            "scenario '{}' of the run {} sends no one home: nothing to compare",
            sc.name,
            run_dir.display()
        )));
    };
    let rec = run
        .detectability()?
        .into_iter()
        .find(|r| r.scenario == sc.name && r.comparison == Comparison::WholeWindow)
        .ok_or_else(|| {
            JobError::Input(format!(
                "the run {} has no whole-window detectability row for '{}'",
                run_dir.display(),
                sc.name
            ))
        })?;
    let (reason_key, reason) = why_not(quantity, windows, (&from, &to), working_days);
    let band = rec.effect_pct.0;
    Ok(Simulated {
        run: run_dir.file_name().map_or_else(
            || run_dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        scenario: sc.name.clone(),
        quantity: QUANTITY.into(),
        window_from: from,
        window_to: to,
        comparable: reason.is_none(),
        reason,
        reason_key,
        // Fewer passages is a negative change in the count.
        p05: -band[2],
        p50: -band[1],
        p95: -band[0],
        mde_pct: Some(rec.mde_city_pct[0]),
    })
}

/// The first reason the two cannot share a scale, as (label key, plain English).
fn why_not(
    quantity: Quantity,
    windows: &[Window],
    (from, to): (&str, &str),
    working_days: bool,
) -> (Option<String>, Option<String>) {
    let same_window = windows
        .iter()
        .any(|w| w.from.to_string() == from && w.to.to_string() == to);
    let (key, text) = if quantity != Quantity::Counts {
        (
            "quantity",
            format!(
                "the series measures {} while the run simulates counted vehicle passages; give a count series with --quantity counts",
                quantity.as_str()
            ),
        )
    } else if !same_window {
        (
            "window",
            format!(
                "the run's policy window is {from}..{to}, which is not one of the evaluation's windows"
            ),
        )
    } else if !working_days {
        (
            "days",
            "the run's change is on working days; the evaluation's windows include weekends and holidays (use --days working)".into(),
        )
    } else {
        return (None, None);
    };
    (Some(key.to_string()), Some(text))
}
