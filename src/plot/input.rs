//! What the charts are drawn from: the run's three tables plus what the run knows about
//! itself — its scenarios in run order, the events to mark, the region names and the
//! dataset's source note. Nothing in the plot layer names a study, a scenario or a date;
//! it all arrives here.

use polars::prelude::DataFrame;

use super::PlotError;
use super::columns as col;
use super::data::Table;
use crate::calendar::Date;

/// One scenario of the run, as the charts label it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioInfo {
    /// The scenario's `name`, as in the tables' `scenario` column.
    pub name: String,
    /// Its one-line `title`, used where a chart has room for a readable label.
    pub title: String,
}

/// One day of a named event to mark on the charts (e.g. a summit that closed roads).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub date: Date,
    pub name: String,
}

/// Everything the charts need from a run.
pub struct ChartData {
    /// One row per scenario × date × region_basis × region × mode.
    pub daily: DataFrame,
    /// One row per scenario × region_basis × region × metric × component.
    pub summary: DataFrame,
    /// One row per scenario × policy × share window.
    pub windows: DataFrame,
    /// Subtitle line, e.g. "run 'study' · seed 42 · 30 replicates · scale 1.0".
    pub run_label: String,
    /// Small source line printed at the bottom of every chart (from the dataset).
    pub source_note: String,
    /// The run's scenarios in run order.
    pub scenarios: Vec<ScenarioInfo>,
    /// Event days to mark, in any order; days of one event share its name.
    pub events: Vec<Event>,
    /// (code, display name), regions in display order.
    pub region_names: Vec<(String, String)>,
}

/// The report layer's chart input, kept until the exporter layer builds [`ChartData`]
/// itself: it lacks the scenario list, which [`ChartInput::to_chart_data`] reads from the
/// summary table (its `scenario` and `title` columns, in order of first appearance).
pub struct ChartInput {
    /// One row per scenario × date × region_basis × region × mode.
    pub daily: DataFrame,
    /// One row per scenario × region_basis × region × metric × component.
    pub summary: DataFrame,
    /// One row per scenario × policy × share window.
    pub windows: DataFrame,
    /// Subtitle line, e.g. "run 'study' · seed 42 · 30 replicates · scale 1.0".
    pub run_label: String,
    /// Small source line printed at the bottom of every chart.
    pub source_note: String,
    /// (date as days since 1970-01-01, name) of each event day.
    pub events: Vec<(i32, String)>,
    /// (code, display name), regions in display order.
    pub region_names: Vec<(String, String)>,
}

impl ChartInput {
    /// The same input as [`ChartData`] (the tables are shared, not copied).
    pub fn to_chart_data(&self) -> Result<ChartData, PlotError> {
        Ok(ChartData {
            daily: self.daily.clone(),
            summary: self.summary.clone(),
            windows: self.windows.clone(),
            run_label: self.run_label.clone(),
            source_note: self.source_note.clone(),
            scenarios: scenarios_from_summary(&self.summary)?,
            events: self
                .events
                .iter()
                .map(|(d, name)| Event {
                    date: Date(*d),
                    name: name.clone(),
                })
                .collect(),
            region_names: self.region_names.clone(),
        })
    }
}

/// Scenarios in order of first appearance in a summary table; a scenario without a
/// `title` column is titled by its name.
pub fn scenarios_from_summary(summary: &DataFrame) -> Result<Vec<ScenarioInfo>, PlotError> {
    let t = Table::new(summary, "summary", "chart input");
    t.require(&[col::SCENARIO])?;
    let names = t.strs(col::SCENARIO)?;
    let titles = if summary.column(col::TITLE).is_ok() {
        t.strs(col::TITLE)?
    } else {
        names.clone()
    };
    let mut out: Vec<ScenarioInfo> = Vec::new();
    for (name, title) in names.iter().zip(&titles) {
        if !out.iter().any(|s| s.name == *name) {
            let title = if title.is_empty() { name } else { title };
            out.push(ScenarioInfo {
                name: name.to_string(),
                title: title.to_string(),
            });
        }
    }
    Ok(out)
}
