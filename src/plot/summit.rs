//! Chart 2: summit week, 75% vs 50% WFH share — grouped daily bars with
//! p05–p95 whiskers for trips, CO₂ and PM2.5 avoided.

use std::collections::{BTreeSet, HashMap};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::Axis;
use super::data::{Table, days_from_civil, unique_in_order};
use super::frame::{self, Chart, DrawResult, FrameText, de};
use super::style;
use super::{ChartInput, PlotError};

pub(super) const STEM: &str = "summit_week_50_vs_75";

const PREFERRED: [(&str, &str); 2] = [
    ("dki-2023", "75% summit week"),
    ("dki-2023-50-only", "50% throughout"),
];
const MAX_SCENARIOS: usize = 4;

/// (metric column prefix, panel title, y-axis label, divisor)
const PANELS: [(&str, &str, &str, f64); 3] = [
    (
        "trips_avoided",
        "Trips avoided",
        "Trips avoided per day",
        1.0,
    ),
    (
        "co2_avoided_kg",
        "CO₂ avoided",
        "CO₂ avoided per day (tonnes)",
        1000.0,
    ),
    (
        "pm25_avoided_kg",
        "PM2.5 avoided",
        "PM2.5 avoided per day (kg)",
        1.0,
    ),
];

/// (p05, p50, p95) per panel, for one scenario on one day.
type Triple = (f64, f64, f64);

pub(super) struct SummitChart {
    text: FrameText,
    days: Vec<i32>,
    /// (label, values[panel][day])
    groups: Vec<(String, Vec<Vec<Triple>>)>,
}

/// The summit window: first event day − 1 … last event day.
fn summit_window(events: &[(i32, String)]) -> (i32, i32) {
    let first = events.iter().map(|e| e.0).min();
    let last = events.iter().map(|e| e.0).max();
    match (first, last) {
        (Some(a), Some(b)) => (a - 1, b),
        _ => (days_from_civil(2023, 9, 4), days_from_civil(2023, 9, 7)),
    }
}

pub(super) fn prepare(input: &ChartInput) -> Result<Option<SummitChart>, PlotError> {
    let t = Table::new(&input.daily, "daily", STEM);
    let mut cols = vec!["scenario", "date", "region_basis", "region", "mode"];
    let metric_cols: Vec<[String; 3]> = PANELS
        .iter()
        .map(|(m, ..)| [format!("{m}_p05"), format!("{m}_p50"), format!("{m}_p95")])
        .collect();
    cols.extend(metric_cols.iter().flatten().map(String::as_str));
    t.require(&cols)?;

    let scen = t.strs("scenario")?;
    let date = t.days("date")?;
    let basis = t.strs("region_basis")?;
    let region = t.strs("region")?;
    let mode = t.strs("mode")?;
    let mut values: Vec<[Vec<f64>; 3]> = Vec::new();
    for c in &metric_cols {
        values.push([t.f64s(&c[0])?, t.f64s(&c[1])?, t.f64s(&c[2])?]);
    }

    let (from, to) = summit_window(&input.events);
    let rows: Vec<usize> = (0..scen.len())
        .filter(|&i| basis[i] == "all" && region[i] == "all" && mode[i] == "all")
        .filter(|&i| date[i] >= from && date[i] <= to)
        .collect();
    let days: Vec<i32> = rows
        .iter()
        .map(|&i| date[i])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if days.is_empty() {
        return Ok(None);
    }

    // (scenario, day) -> row
    let index: HashMap<(&str, i32), usize> =
        rows.iter().map(|&i| ((scen[i], date[i]), i)).collect();
    let order = unique_in_order(rows.iter().map(|&i| scen[i]));
    let has_trips = |s: &str| {
        days.iter().any(|d| {
            index
                .get(&(s, *d))
                .is_some_and(|&i| values[0][1][i].is_finite() && values[0][1][i] != 0.0)
        })
    };
    let preferred_present = PREFERRED.iter().all(|(s, _)| order.iter().any(|o| o == s));
    let chosen: Vec<(String, String)> =
        if preferred_present && PREFERRED.iter().any(|(s, _)| has_trips(s)) {
            PREFERRED
                .iter()
                .map(|(s, l)| (s.to_string(), l.to_string()))
                .collect()
        } else {
            order
                .iter()
                .filter(|s| has_trips(s))
                .take(MAX_SCENARIOS)
                .map(|s| {
                    let label = PREFERRED
                        .iter()
                        .find(|(p, _)| p == s)
                        .map(|(p, l)| format!("{l} ({p})"))
                        .unwrap_or_else(|| s.clone());
                    (s.clone(), label)
                })
                .collect()
        };
    if chosen.is_empty() {
        return Ok(None);
    }

    let groups: Vec<(String, Vec<Vec<Triple>>)> = chosen
        .into_iter()
        .map(|(s, label)| {
            let per_panel = (0..PANELS.len())
                .map(|p| {
                    let div = PANELS[p].3;
                    days.iter()
                        .map(|d| match index.get(&(s.as_str(), *d)) {
                            Some(&i) => {
                                let f = |x: f64| if x.is_finite() { x / div } else { 0.0 };
                                (f(values[p][0][i]), f(values[p][1][i]), f(values[p][2][i]))
                            }
                            None => (0.0, 0.0, 0.0),
                        })
                        .collect()
                })
                .collect();
            (label, per_panel)
        })
        .collect();

    let what = if preferred_present && groups_are_preferred(&groups) {
        "75% summit-week WFH vs 50% throughout"
    } else {
        "scenarios compared"
    };
    let title = format!(
        "Summit week {}–{}: {what}, per day",
        style::day_month(days[0]),
        style::day_month(days[days.len() - 1])
    );
    Ok(Some(SummitChart {
        text: FrameText {
            title,
            run_label: input.run_label.clone(),
            source_note: input.source_note.clone(),
        },
        days,
        groups,
    }))
}

fn groups_are_preferred(groups: &[(String, Vec<Vec<Triple>>)]) -> bool {
    groups.len() == PREFERRED.len() && groups.iter().zip(PREFERRED).all(|(g, (_, l))| g.0 == l)
}

impl Chart for SummitChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (legend_area, panels_area) = body.split_vertically(44);
        let entries: Vec<(String, RGBColor)> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.0.clone(), style::series_color(i)))
            .collect();
        frame::legend_row(
            &legend_area,
            &entries,
            Some("bars: median · whiskers: 5th–95th percentile"),
        )?;
        let panels = panels_area.split_evenly((1, PANELS.len()));
        let n_days = self.days.len();
        let x_desc = match (self.days.first(), self.days.last()) {
            (Some(a), Some(b)) => style::month_span(*a, *b),
            _ => String::new(),
        };
        let k = self.groups.len().max(1);
        let group_w = 0.8;
        let bar_w = group_w / k as f64;
        for (p, area) in panels.iter().enumerate() {
            let (_, title, y_desc, _) = PANELS[p];
            let vals = || self.groups.iter().flat_map(|g| g.1[p].iter());
            let top = vals().map(|v| v.2.max(v.1)).fold(0.0, f64::max);
            let bottom = vals().map(|v| v.0.min(v.1)).fold(0.0, f64::min);
            let top = if top > 0.0 {
                top * 1.1
            } else if bottom < 0.0 {
                0.0
            } else {
                1.0
            };
            let bottom = if bottom < 0.0 { bottom * 1.1 } else { 0.0 };
            let days = &self.days;
            let mut chart = ChartBuilder::on(area)
                .margin(10)
                .margin_right(22)
                .caption(title, style::bold(style::PANEL_PX).color(&style::TEXT))
                .x_label_area_size(70)
                .y_label_area_size(100)
                .build_cartesian_2d(
                    Axis::new(
                        -0.5,
                        n_days as f64 - 0.5,
                        (0..n_days).map(|d| d as f64).collect(),
                    ),
                    Axis::new(bottom, top, style::nice_ticks(bottom, top, 6)),
                )
                .map_err(de)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_desc(x_desc.as_str())
                .y_desc(y_desc)
                .x_label_formatter(&|x| {
                    let i = x.round().max(0.0) as usize;
                    days.get(i)
                        .map(|d| style::weekday_day(*d))
                        .unwrap_or_default()
                })
                .y_label_formatter(&|v| style::tick(*v))
                .label_style(style::text(style::TICK_PX))
                .axis_desc_style(style::text(style::LABEL_PX))
                .bold_line_style(style::GRID)
                .light_line_style(TRANSPARENT)
                .axis_style(style::MUTED)
                .draw()
                .map_err(de)?;
            for (g, (_, per_panel)) in self.groups.iter().enumerate() {
                let color = style::series_color(g);
                for (d, v) in per_panel[p].iter().enumerate() {
                    let cx = d as f64 - group_w / 2.0 + (g as f64 + 0.5) * bar_w;
                    let half = bar_w * 0.45;
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(cx - half, 0.0), (cx + half, v.1)],
                            color.filled(),
                        )))
                        .map_err(de)?;
                    let cap = bar_w * 0.18;
                    let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                    chart
                        .draw_series([
                            PathElement::new(vec![(cx, v.0), (cx, v.2)], ws),
                            PathElement::new(vec![(cx - cap, v.0), (cx + cap, v.0)], ws),
                            PathElement::new(vec![(cx - cap, v.2), (cx + cap, v.2)], ws),
                        ])
                        .map_err(de)?;
                }
            }
        }
        Ok(())
    }
}
