//! The run's timeline as the charts see it: event days grouped into spans, and the
//! scenarios' WFH share windows.

use super::ChartData;
use super::input::Event;

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

/// One window of the run: `scenario` sets `share` from `from` to `to` (inclusive) for
/// `policy`; days since 1970-01-01.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ShareWindow {
    pub scenario: String,
    pub policy: String,
    pub from: i32,
    pub to: i32,
    pub share: f64,
}

impl ShareWindow {
    pub fn covers(&self, day: i32) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The run's windows that run forwards, in table order.
pub(super) fn share_windows(input: &ChartData) -> Vec<ShareWindow> {
    input
        .windows
        .iter()
        .filter(|w| w.from <= w.to)
        .map(|w| ShareWindow {
            scenario: w.scenario.clone(),
            policy: w.policy.clone(),
            from: w.from.0,
            to: w.to.0,
            share: w.share,
        })
        .collect()
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
