//! The event-week chart's choice of days and scenarios ([`super::event_week`]'s rule),
//! without drawing, for outputs that show the same week another way (the workbook's
//! native Excel chart), so both pick the same days and scenarios.

use std::collections::BTreeSet;

use super::ChartData;
use super::event_week::select;

/// The days and scenarios the event-week chart compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventWeek {
    /// The event's name (its first span).
    pub name: String,
    /// The span's first and last day (days since 1970-01-01).
    pub span: (i32, i32),
    /// Shown days (days since 1970-01-01), ascending.
    pub days: Vec<i32>,
    /// The compared scenarios' names, in run order.
    pub scenarios: Vec<String>,
}

/// The event-week rule applied to `input`; `data_days` are the days with whole-area rows
/// (region basis, region and mode `all`) in the `daily` records. `None` when the chart
/// would be skipped.
pub fn event_week(input: &ChartData, data_days: &BTreeSet<i32>) -> Option<EventWeek> {
    select(input, data_days).map(|s| EventWeek {
        span: (s.event.0, s.event.1),
        name: s.event.2,
        days: s.days,
        scenarios: s.scenarios.into_iter().map(|c| c.scenario.name).collect(),
    })
}
