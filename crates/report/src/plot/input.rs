//! What the charts are drawn from: the run's result records (borrowed from its typed view)
//! plus what the run knows about itself — its scenarios in run order, the events to mark, the region names and the
//! dataset's source note. Nothing in the plot layer names a study, a scenario or a date;
//! it all arrives here.

use crate::view::records::{
    DailyRecord, DecompositionRecord, DetectabilityRecord, ReplicateDayRecord, SummaryRecord,
    WindowRecord,
};
use wfhsim_core::calendar::Date;

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
pub struct ChartData<'a> {
    /// The language(s) of titles, axes and legends.
    pub langs: crate::labels::Langs,
    /// One row per scenario × date × region_basis × region × mode.
    pub daily: &'a [DailyRecord],
    /// One row per scenario × replicate × working day: the whole area's values in that
    /// replicate alone (the event-week chart's paired differences).
    pub replicates_daily: &'a [ReplicateDayRecord],
    /// One row per scenario × region_basis × region × metric × component.
    pub summary: &'a [SummaryRecord],
    /// One row per scenario × policy × share window.
    pub windows: &'a [WindowRecord],
    /// One row per scenario × before/after comparison of DKI's daily counts.
    pub detectability: &'a [DetectabilityRecord],
    /// One row per bundle scenario × part × summary row without a region (empty for a run
    /// without measures).
    pub decomposition: &'a [DecompositionRecord],
    /// Subtitle line, e.g. "run 'study' · seed 42 · 30 replicates · scale 1.0".
    pub run_label: String,
    /// Small source line printed at the bottom of every chart (from the dataset).
    pub source_note: String,
    /// Printed with the inventory shares: what the inventory covers (from the dataset).
    pub inventory_note: String,
    /// The run's scenarios in run order.
    pub scenarios: Vec<ScenarioInfo>,
    /// Event days to mark, in any order; days of one event share its name.
    pub events: Vec<Event>,
    /// (code, display name), regions in display order.
    pub region_names: Vec<(String, String)>,
}
