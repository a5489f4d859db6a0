//! The run's timeline as the charts see it: event days grouped into spans, and the
//! scenarios' WFH share windows read from the `windows` table.

use super::columns as col;
use super::data::Table;
use super::input::Event;
use super::{ChartData, PlotError};

/// Consecutive days of one event: (first day, last day, name), days since 1970-01-01.
pub(super) type EventSpan = (i32, i32, String);

/// Groups event days with the same name lying within 3 days of each other (a weekend
/// inside a summit keeps it one span); spans come out in order of their first day.
pub(super) fn event_spans(events: &[Event]) -> Vec<EventSpan> {
    let mut ev: Vec<(i32, &str)> = events.iter().map(|e| (e.date.0, e.name.as_str())).collect();
    ev.sort();
    let mut out: Vec<EventSpan> = Vec::new();
    for (d, name) in ev {
        match out
            .iter_mut()
            .find(|(a, b, n)| n == name && d >= *a - 3 && d <= *b + 3)
        {
            Some(span) => {
                span.0 = span.0.min(d);
                span.1 = span.1.max(d);
            }
            None => out.push((d, d, name.to_string())),
        }
    }
    out
}

/// One row of the `windows` table: `scenario` sets `share` from `from` to `to`
/// (inclusive) for `policy`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ShareWindow {
    pub scenario: String,
    /// Empty when the table has no `policy` column.
    pub policy: String,
    pub from: i32,
    pub to: i32,
    /// NaN when the table has no `share` column.
    pub share: f64,
}

impl ShareWindow {
    pub fn covers(&self, day: i32) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The `windows` table's rows whose dates are valid and run forwards; an empty table (no
/// columns or no rows) has none. `scenario`, `from` and `to` are required.
pub(super) fn share_windows(
    input: &ChartData,
    chart: &'static str,
) -> Result<Vec<ShareWindow>, PlotError> {
    if input.windows.width() == 0 || input.windows.height() == 0 {
        return Ok(Vec::new());
    }
    let t = Table::new(&input.windows, "windows", chart);
    t.require(&[col::SCENARIO, col::FROM, col::TO])?;
    let scenario = t.strs(col::SCENARIO)?;
    let from = t.dates(col::FROM)?;
    let to = t.dates(col::TO)?;
    let n = scenario.len();
    let policy = match input.windows.column(col::POLICY) {
        Ok(_) => t.strs(col::POLICY)?,
        Err(_) => vec![""; n],
    };
    let share = match input.windows.column(col::SHARE) {
        Ok(_) => t.f64s(col::SHARE)?,
        Err(_) => vec![f64::NAN; n],
    };
    Ok((0..n)
        .filter_map(|i| {
            let (a, b) = (from[i]?, to[i]?);
            (a <= b).then(|| ShareWindow {
                scenario: scenario[i].to_string(),
                policy: policy[i].to_string(),
                from: a,
                to: b,
                share: share[i],
            })
        })
        .collect())
}

/// Merges inclusive day intervals.
pub(super) fn union(mut spans: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    spans.sort_unstable();
    let mut out: Vec<(i32, i32)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}
