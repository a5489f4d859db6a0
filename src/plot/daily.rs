//! Chart 1: commuter trips avoided per working day, one line per scenario.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::columns::{self as col, TRIPS_AVOIDED};
use super::data::Table;
use super::frame::{self, Chart, DrawResult, FrameText, Swatch, de};
use super::style;
use super::timeline::{EventSpan, event_spans, share_windows, union};
use super::{ChartData, PlotError};
use crate::calendar::Date;

pub(super) const STEM: &str = "daily_trips_avoided";

/// One scenario's daily series: (day, p05, p50, p95), sorted by day.
struct Series {
    name: String,
    points: Vec<(i32, f64, f64, f64)>,
}

pub(super) struct DailyChart {
    text: FrameText,
    series: Vec<Series>,
    first_day: i32,
    last_day: i32,
    windows: Vec<(i32, i32)>,
    events: Vec<EventSpan>,
    log: bool,
}

/// Union of all policy windows in the `windows` table (empty table allowed).
fn window_union(input: &ChartData) -> Result<Vec<(i32, i32)>, PlotError> {
    let spans = share_windows(input, STEM)?
        .into_iter()
        .map(|w| (w.from, w.to))
        .collect();
    Ok(union(spans))
}

pub(super) fn prepare(input: &ChartData) -> Result<DailyChart, PlotError> {
    let t = Table::new(&input.daily, "daily", STEM);
    let [q05, q50, q95] = TRIPS_AVOIDED.columns();
    t.require(&[
        col::SCENARIO,
        col::DATE,
        col::REGION_BASIS,
        col::REGION,
        col::MODE,
        &q05,
        &q50,
        &q95,
    ])?;
    let scen = t.strs(col::SCENARIO)?;
    let date = t.days(col::DATE)?;
    let basis = t.strs(col::REGION_BASIS)?;
    let region = t.strs(col::REGION)?;
    let mode = t.strs(col::MODE)?;
    let p05 = t.f64s(&q05)?;
    let p50 = t.f64s(&q50)?;
    let p95 = t.f64s(&q95)?;

    let valid_days: Vec<i32> = date.iter().copied().filter(|d| *d != i32::MIN).collect();
    let first_day = valid_days.iter().copied().min().unwrap_or(0);
    let last_day = valid_days
        .iter()
        .copied()
        .max()
        .unwrap_or(first_day)
        .max(first_day);

    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, Vec<(i32, f64, f64, f64)>> = BTreeMap::new();
    for i in 0..scen.len() {
        if basis[i] != col::ALL
            || region[i] != col::ALL
            || mode[i] != col::ALL
            || date[i] == i32::MIN
        {
            continue;
        }
        if !by.contains_key(scen[i]) {
            order.push(scen[i].to_string());
        }
        let v = |x: f64| if x.is_finite() { x } else { 0.0 };
        by.entry(scen[i].to_string())
            .or_default()
            .push((date[i], v(p05[i]), v(p50[i]), v(p95[i])));
    }
    let mut series: Vec<Series> = order
        .into_iter()
        .map(|name| {
            let mut points = by.remove(&name).unwrap_or_default();
            points.sort_by_key(|p| p.0);
            Series { name, points }
        })
        .collect();
    let peak = |s: &Series| s.points.iter().map(|p| p.2).fold(0.0, f64::max);
    series.sort_by(|a, b| peak(b).total_cmp(&peak(a)));

    let peaks: Vec<f64> = series.iter().map(peak).filter(|p| *p > 0.0).collect();
    let hi = peaks.iter().copied().fold(0.0, f64::max);
    let lo = peaks.iter().copied().fold(f64::INFINITY, f64::min);
    let log = peaks.len() > 1 && hi / lo > 30.0;

    Ok(DailyChart {
        text: FrameText {
            title: format!(
                "Commuter trips avoided per working day, {}",
                style::month_span(first_day, last_day)
            ),
            run_label: input.run_label.clone(),
            source_note: input.source_note.clone(),
        },
        series,
        first_day,
        last_day,
        windows: window_union(input)?,
        events: event_spans(&input.events),
        log,
    })
}

/// Date ticks: Mondays (or every k-th Monday) inside [a, b].
fn date_ticks(a: i32, b: i32) -> Vec<f64> {
    let span = (b - a).max(1);
    let step = 7 * ((span / 7) / 12 + 1).max(1);
    let mut d = a;
    while Date(d).weekday() != 0 {
        d += 1;
    }
    let mut out = Vec::new();
    while d <= b {
        out.push(d as f64);
        d += step;
    }
    if out.is_empty() {
        out.push(a as f64);
    }
    out
}

/// Undo the log transform and round to 6 significant digits.
fn untransform(v: f64, log: bool) -> f64 {
    if !log {
        return v;
    }
    let p = 10f64.powf(v);
    let mag = 10f64.powf(p.log10().floor() - 5.0);
    (p / mag).round() * mag
}

impl Chart for DailyChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let label_font = style::font(style::TICK_PX);
        let heading = "Scenario (median, 5–95% band)";
        let legend_w = self
            .series
            .iter()
            .map(|s| frame::text_width(root, &s.name, &label_font) + 70)
            .chain(
                self.events
                    .iter()
                    .map(|e| frame::text_width(root, &e.2, &label_font) + 70),
            )
            .chain(std::iter::once(
                frame::text_width(root, heading, &style::bold(style::LABEL_PX)) + 24,
            ))
            .max()
            .unwrap_or(240)
            .clamp(240, 460);
        let (w, _) = body.dim_in_pixel();
        let (plot_area, legend_area) = body.split_horizontally(w.saturating_sub(legend_w));

        let max95 = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.3.max(p.2)))
            .fold(0.0, f64::max);
        let max95 = if max95 > 0.0 { max95 } else { 1.0 };
        let (ylo, yhi, yticks) = if self.log {
            let top = max95.log10() + 0.35;
            let min_pos = self
                .series
                .iter()
                .flat_map(|s| s.points.iter().filter(|p| p.2 > 0.0).map(|p| p.1.min(p.2)))
                .filter(|v| *v > 0.0)
                .fold(f64::INFINITY, f64::min);
            let bottom = min_pos.log10().floor().max(top.ceil() - 5.0);
            let mut ticks = Vec::new();
            let mut e = bottom;
            while e <= top {
                ticks.push(e);
                if top - bottom <= 3.0 {
                    for m in [2f64, 5.0] {
                        if e + m.log10() <= top {
                            ticks.push(e + m.log10());
                        }
                    }
                }
                e += 1.0;
            }
            (bottom, top, ticks)
        } else {
            let top = max95 * 1.18;
            (0.0, top, style::nice_ticks(0.0, top, 6))
        };
        let tr = |v: f64| {
            if self.log {
                v.max(1e-300).log10().max(ylo)
            } else {
                v
            }
        };

        let x0 = self.first_day as f64 - 1.0;
        let x1 = self.last_day as f64 + 1.0;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(70)
            .y_label_area_size(120)
            .build_cartesian_2d(
                Axis::new(x0, x1, date_ticks(self.first_day, self.last_day)),
                Axis::new(ylo, yhi, yticks),
            )
            .map_err(de)?;

        // Policy windows (union) and event days behind everything else.
        chart
            .draw_series(self.windows.iter().map(|(a, b)| {
                Rectangle::new(
                    [(*a as f64 - 0.5, ylo), (*b as f64 + 0.5, yhi)],
                    style::WINDOW_SHADE.filled(),
                )
            }))
            .map_err(de)?;
        chart
            .draw_series(self.events.iter().map(|(a, b, _)| {
                Rectangle::new(
                    [(*a as f64 - 0.5, ylo), (*b as f64 + 0.5, yhi)],
                    style::EVENT_SHADE.filled(),
                )
            }))
            .map_err(de)?;

        let y_desc = if self.log {
            "Trips avoided per day (log scale)"
        } else {
            "Trips avoided per day"
        };
        let log = self.log;
        chart
            .configure_mesh()
            .x_desc("Date (working days only; weekends and holidays have no data)")
            .y_desc(y_desc)
            .x_label_formatter(&|d| style::day_month(d.round() as i32))
            .y_label_formatter(&|v| style::tick(untransform(*v, log)))
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(style::LABEL_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;

        // Bands first, then lines on top.
        for (i, s) in self.series.iter().enumerate() {
            let color = style::series_color(i);
            for run in runs(&s.points, log) {
                let mut poly: Vec<(f64, f64)> = run.iter().map(|p| (p.0 as f64, tr(p.3))).collect();
                poly.extend(run.iter().rev().map(|p| (p.0 as f64, tr(p.1))));
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        poly,
                        color.mix(0.16).filled(),
                    )))
                    .map_err(de)?;
            }
        }
        for (i, s) in self.series.iter().enumerate() {
            let color = style::series_color(i);
            for run in runs(&s.points, log) {
                chart
                    .draw_series(LineSeries::new(
                        run.iter().map(|p| (p.0 as f64, tr(p.2))),
                        color.stroke_width(3),
                    ))
                    .map_err(de)?;
            }
        }

        // Event labels just inside the top of the plot.
        let ev_style = style::bold(style::TICK_PX)
            .color(&style::EVENT_TEXT)
            .pos(Pos::new(HPos::Center, VPos::Top));
        for (a, b, name) in &self.events {
            let (px, py) = chart.backend_coord(&((*a + *b) as f64 / 2.0, yhi));
            root.draw_text(name, &ev_style, (px, py + 6)).map_err(de)?;
        }

        let mut entries: Vec<(String, RGBColor, Swatch)> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), style::series_color(i), Swatch::Line))
            .collect();
        if !self.windows.is_empty() {
            entries.push((
                "Policy windows (any scenario)".into(),
                RGBColor(215, 215, 215),
                Swatch::Block,
            ));
        }
        let mut seen = Vec::new();
        for (_, _, name) in &self.events {
            if !seen.contains(name) {
                seen.push(name.clone());
                entries.push((name.clone(), style::EVENT_SHADE, Swatch::Block));
            }
        }
        let legend = legend_area.margin(14, 0, 4, 0);
        frame::legend_column(&legend, Some(heading), &entries)
    }
}

/// Splits a series into drawable runs; on a log axis, non-positive medians break the line.
fn runs(points: &[(i32, f64, f64, f64)], log: bool) -> Vec<&[(i32, f64, f64, f64)]> {
    if !log {
        return if points.is_empty() {
            Vec::new()
        } else {
            vec![points]
        };
    }
    points
        .split(|p| p.2 <= 0.0)
        .filter(|r| !r.is_empty())
        .collect()
}
