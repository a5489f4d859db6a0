//! A job's answer as JSON: the scenario, the options it ran with, the seconds it took, and
//! its summary rows — `summary.csv`'s columns and rows, made by the report crate's one
//! definition of that table ([`wfhsim_report::view::summary_table`]) — the whole area's
//! daily rows and the detectability rows made the same way, with the labels a page shows
//! beside them in the language asked for.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Engine;
use wfhsim_core::results::Results;
use wfhsim_core::results::schema;
use wfhsim_core::scenario::Scenario;
use wfhsim_report::export::{ExportError, RunInfo, RunOrigin};
use wfhsim_report::labels::{Labels, Lang};
use wfhsim_report::view::{JsonTable, area_daily_table, detectability_table, summary_table};

/// The run name the answer's run information carries (no folder is made).
const RUN_NAME: &str = "request";

#[derive(Serialize)]
struct Answer<'a> {
    scenario: &'a str,
    /// The scenario's title in `lang` (its `title_id` in Indonesian when it has one).
    title: &'a str,
    lang: &'static str,
    replicates: u32,
    scale: f64,
    seed: u64,
    uncertainty: &'static str,
    /// Seconds this answer took to compute (not its wait in the queue).
    seconds: f64,
    /// `summary.csv`'s column names, in its order (each row's keys).
    columns: Vec<&'a str>,
    summary: &'a JsonTable,
    /// The whole area's rows of `daily.csv` (one per working day), for the daily chart.
    daily: &'a JsonTable,
    /// `detectability.csv`'s rows: could a count see it.
    detectability: &'a JsonTable,
    /// Label of each metric, unit, component and region basis code of the rows.
    labels: BTreeMap<&'static str, BTreeMap<String, String>>,
    /// What a reader of the numbers must know (e.g. a scale too small for a policy's group).
    warnings: &'a [String],
}

/// The answer to a job of scenario `sc` that produced `results`, begun at `started`.
pub fn answer(
    engine: &Engine,
    sc: &Scenario,
    results: &Results,
    lang: Lang,
    started: std::time::Instant,
) -> Result<String, ExportError> {
    let origin = RunOrigin {
        dataset: engine.dataset_origin.clone(),
        command: String::new(),
    };
    let scenarios = std::slice::from_ref(sc);
    let info = RunInfo::new(RUN_NAME, &engine.ds, scenarios, results, &origin);
    let summary = summary_table(results, &info)?;
    let daily = area_daily_table(results, &info)?;
    let detectability = detectability_table(results)?;
    let a = Answer {
        scenario: &sc.name,
        title: info.scenarios[0].title_in(lang),
        lang: lang.code(),
        replicates: results.replicates,
        scale: results.scale,
        seed: results.seed,
        uncertainty: results.uncertainty.as_str(),
        seconds: started.elapsed().as_secs_f64(),
        columns: summary.columns(),
        summary: &summary,
        daily: &daily,
        detectability: &detectability,
        labels: labels(results, lang),
        warnings: &results.warnings,
    };
    serde_json::to_string(&a).map_err(|e| ExportError::Json {
        what: "the answer".into(),
        message: e.to_string(),
    })
}

/// The label catalogue's text of every code the summary rows use, by kind.
fn labels(results: &Results, lang: Lang) -> BTreeMap<&'static str, BTreeMap<String, String>> {
    let mut codes: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    for r in results.scenarios.iter().flat_map(|s| &s.summary) {
        let m = schema::metric(r.metric);
        for (kind, code) in [
            ("metric", m.name),
            ("unit", m.unit.as_str()),
            ("component", r.component.as_str()),
            ("basis", r.basis.as_str()),
        ] {
            codes.entry(kind).or_default().push(code);
        }
    }
    let catalogue = Labels::builtin();
    codes
        .into_iter()
        .map(|(kind, list)| {
            let texts = list
                .into_iter()
                .map(|c| (c.to_string(), catalogue.get(&format!("{kind}.{c}"), lang)))
                .collect();
            (kind, texts)
        })
        .collect()
}
