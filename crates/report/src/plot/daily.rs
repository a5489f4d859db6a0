//! Chart 1: commuter trips avoided per working day, as small multiples — one panel per
//! scenario (largest first), each with its median line, its 5–95% band, its own policy
//! windows shaded and the event days marked. Panels share the date axis and, unless the
//! scenarios differ by more than [`OWN_SCALE_RATIO`], the vertical scale; when they do,
//! each panel has its own scale and the chart says so above the panels. Drawn in
//! `daily_panels.rs`.

use std::collections::BTreeMap;

use super::ChartData;
use super::frame::FrameText;
use super::measures::{TRIPS, whole_area};
use super::numbers;
use super::text::ChartText;
use super::timeline::{EventSpan, event_spans, share_windows, union};
use crate::labels::format;

pub(super) const STEM: &str = "daily_trips_avoided";

/// Peaks further apart than this factor get a vertical scale per panel: on one scale the
/// smaller scenarios would be flat lines.
pub(super) const OWN_SCALE_RATIO: f64 = 30.0;

/// One scenario's daily series: (day, p05, p50, p95), sorted by day.
pub(super) struct Series {
    /// The panel's title: the scenario's title, or its name when it has none.
    pub title: String,
    pub points: Vec<(i32, f64, f64, f64)>,
    /// Its own policy windows (days with a share in force), merged.
    pub windows: Vec<(i32, i32)>,
}

impl Series {
    pub fn peak(&self) -> f64 {
        self.points.iter().map(|p| p.2).fold(0.0, f64::max)
    }

    /// The vertical range its band needs (from 0 at least).
    pub fn range(&self) -> (f64, f64) {
        let hi = self.points.iter().map(|p| p.3.max(p.2)).fold(0.0, f64::max);
        let lo = self.points.iter().map(|p| p.1.min(p.2)).fold(0.0, f64::min);
        (lo, hi)
    }
}

/// The chart's words, in its language(s).
pub(super) struct Words {
    /// Axis titles and the scale note: in every language, then in the first only (drawn
    /// when the first does not fit).
    pub y_title: [String; 2],
    pub x_title: [String; 2],
    pub median: String,
    pub band: String,
    pub window: String,
    /// Whether the panels share a scale, and by how much the scenarios differ if not.
    pub scale_note: [String; 2],
}

pub(super) struct DailyChart {
    pub(super) text: FrameText,
    pub(super) words: Words,
    pub(super) t: ChartText,
    pub(super) series: Vec<Series>,
    pub(super) first_day: i32,
    pub(super) last_day: i32,
    pub(super) events: Vec<EventSpan>,
    /// True when each panel has its own vertical scale.
    pub(super) own_scales: bool,
}

pub(super) fn prepare(input: &ChartData) -> DailyChart {
    let first_day = input.daily.iter().map(|r| r.date.0).min().unwrap_or(0);
    let last_day = input
        .daily
        .iter()
        .map(|r| r.date.0)
        .max()
        .unwrap_or(first_day)
        .max(first_day);

    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, Vec<(i32, f64, f64, f64)>> = BTreeMap::new();
    for r in input.daily.iter().filter(|r| whole_area(r)) {
        if !by.contains_key(&*r.scenario) {
            order.push(r.scenario.to_string());
        }
        let v = |x: f64| if x.is_finite() { x } else { 0.0 };
        let [p05, p50, p95] = TRIPS.on_day(r).map_or([f64::NAN; 3], |b| b.0);
        by.entry(r.scenario.to_string())
            .or_default()
            .push((r.date.0, v(p05), v(p50), v(p95)));
    }
    let windows = share_windows(input);
    let mut series: Vec<Series> = order
        .into_iter()
        .map(|name| {
            let mut points = by.remove(&name).unwrap_or_default();
            points.sort_by_key(|p| p.0);
            let title = input
                .scenarios
                .iter()
                .find(|s| s.name == name && !s.title.is_empty())
                .map_or_else(|| name.clone(), |s| s.title.clone());
            let own = windows
                .iter()
                .filter(|w| w.scenario == name && w.share > 0.0)
                .map(|w| (w.from, w.to))
                .collect();
            Series {
                title,
                points,
                windows: union(own),
            }
        })
        .collect();
    series.sort_by(|a, b| b.peak().total_cmp(&a.peak()));

    let peaks: Vec<f64> = series
        .iter()
        .map(Series::peak)
        .filter(|p| *p > 0.0)
        .collect();
    let hi = peaks.iter().copied().fold(0.0, f64::max);
    let lo = peaks.iter().copied().fold(f64::INFINITY, f64::min);
    let own_scales = peaks.len() > 1 && hi / lo > OWN_SCALE_RATIO;

    let tx = ChartText::new(input.langs);
    let lang = tx.lang();
    let scale_note = |t: ChartText| {
        if own_scales {
            t.fill("chart.daily.own_scales", |_| {
                vec![("ratio", format::sig(hi / lo, 2, lang))]
            })
        } else {
            t.label("chart.daily.shared_scale")
        }
    };
    DailyChart {
        text: FrameText {
            title: tx.title("chart.daily.title", |l| {
                vec![("span", numbers::month_span(first_day, last_day, l))]
            }),
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        words: Words {
            y_title: tx.choices("chart.trips_per_day"),
            x_title: tx.choices("chart.daily.x"),
            median: tx.label("common.median"),
            band: tx.label("common.range"),
            window: tx.label("chart.daily.window"),
            scale_note: [scale_note(tx), scale_note(tx.first_only())],
        },
        t: tx,
        series,
        first_day,
        last_day,
        events: event_spans(&input.events),
        own_scales,
    }
}
