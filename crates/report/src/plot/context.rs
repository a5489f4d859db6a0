//! Chart 5: what each scenario means for DKI's roads and air — for every scenario (rows,
//! in run order, labelled by title), small multiples of horizontal bars with p05–p95
//! whiskers on one shared log axis: the fall in vehicles counted on DKI's roads all day
//! and in the peaks, in vehicles entering DKI, and the share of DKI's transport emission
//! inventory (PM2.5, NOx, CO₂) the scenario avoids. Each bar is labelled with its p50.
//!
//! Drawn from the summary records' net rows of the road layer's DKI bases only
//! (`dki_roads`, `dki_roads_peak`, `dki_cordon`; their percent of baseline, p05–p95).
//!
//! **Absent data.** Like the event chart, this chart is *skipped* (no file, no error)
//! when the run has none of these rows — a run without the road layer —, since its other
//! charts are still worth drawing.
//!
//! The log axis (`log_axis.rs`) and the row labels are shared with `detectability.rs`.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartData;
use super::axis::Axis;
use super::fit_text;
use super::frame::{self, Chart, DrawResult, FrameText, de, text_width};
pub(super) use super::log_axis::{LogAxis, log_percent_mesh};
use super::measures::{self as m, Measure, SummaryIndex, unique_in_order};
use super::numbers;
use super::style;
use super::text::ChartText;
use crate::view::records::{DKI, SummaryRecord};
use wfhsim_core::results::grid::Basis;

pub(super) const STEM: &str = "roads_context";

/// One panel: a `summary` row key (region basis, metric and component) and the catalogue
/// key of its caption.
#[derive(Debug, Clone, Copy)]
pub(super) struct Panel {
    pub basis: Basis,
    pub metric: Measure,
    pub caption: &'static str,
}

const fn panel(basis: Basis, metric: Measure, caption: &'static str) -> Panel {
    Panel {
        basis,
        metric,
        caption,
    }
}

/// The panels, left to right.
pub(super) const PANELS: [Panel; 6] = [
    panel(Basis::DkiRoads, m::VEHICLES_NET, "chart.roads.all_day"),
    panel(Basis::DkiRoadsPeak, m::VEHICLES_NET, "chart.roads.peaks"),
    panel(Basis::DkiCordon, m::VEHICLES_NET, "chart.roads.entering"),
    panel(Basis::DkiRoads, m::PM25_NET, "metric.pm25"),
    panel(Basis::DkiRoads, m::NOX_NET, "metric.nox"),
    panel(Basis::DkiRoads, m::CO2_NET, "metric.co2"),
];

/// Headers over groups of panels (catalogue keys).
const GROUPS: [(&str, Range<usize>); 2] = [
    ("chart.roads.fewer_vehicles", 0..3),
    ("chart.roads.inventory_share", 3..6),
];

/// (p05, p50, p95), percent.
pub(super) type Band = (f64, f64, f64);

pub(super) struct ContextChart {
    text: FrameText,
    t: ChartText,
    /// Row labels (scenario titles), top to bottom.
    pub(super) labels: Vec<String>,
    /// values[panel][scenario]
    pub(super) values: Vec<Vec<Option<Band>>>,
    /// What the inventory covers, printed above the source note.
    caveat: String,
}

/// The chart, or `None` when the summary table has no row of the DKI road bases.
pub(super) fn prepare(input: &ChartData) -> Option<ContextChart> {
    let rows: Vec<&SummaryRecord> = input
        .summary
        .iter()
        .filter(|r| PANELS.iter().any(|p| p.basis == r.basis))
        .collect();
    let index = SummaryIndex::new(rows.iter().copied());
    let lookup = |s: &str, p: &Panel| -> Option<Band> {
        let r = index.get(s, p.basis, DKI, p.metric)?;
        let [p05, p50, p95] = r.pct_baseline.0;
        p50.is_finite().then_some((p05, p50, p95))
    };
    let order = run_order(input, rows.iter().map(|r| &*r.scenario));
    let order: Vec<(String, String)> = order
        .into_iter()
        .filter(|(s, _)| PANELS.iter().any(|p| lookup(s, p).is_some()))
        .collect();
    if order.is_empty() {
        return None;
    }
    let title_of = |s: &str, fallback: &str| -> String {
        if !fallback.is_empty() {
            return fallback.to_string();
        }
        rows.iter()
            .find(|r| &*r.scenario == s)
            .map(|r| &*r.title)
            .filter(|t| !t.is_empty())
            .unwrap_or(s)
            .to_string()
    };
    let labels = order.iter().map(|(s, t)| title_of(s, t)).collect();
    let values = PANELS
        .iter()
        .map(|p| order.iter().map(|(s, _)| lookup(s, p)).collect())
        .collect();
    let tx = ChartText::new(input.langs);
    Some(ContextChart {
        text: FrameText {
            title: tx.title("chart.roads.title", |_| Vec::new()),
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        t: tx,
        labels,
        values,
        caveat: tx.inventory(&input.inventory_note),
    })
}

/// (name, title) of the scenarios with rows: those of [`ChartData::scenarios`] in run
/// order, then any others in table order with an empty title.
pub(super) fn run_order<'a>(
    input: &ChartData,
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<(String, String)> {
    let present = unique_in_order(names);
    let mut out: Vec<(String, String)> = input
        .scenarios
        .iter()
        .filter(|s| present.contains(&s.name))
        .map(|s| (s.name.clone(), s.title.clone()))
        .collect();
    for s in present {
        if !out.iter().any(|(n, _)| *n == s) {
            out.push((s, String::new()));
        }
    }
    out
}

/// Greedy wrap of `s` into at most `max_lines` lines of `max_w` pixels; the last line
/// kept ends in "…" when text was cut.
pub(super) fn wrap_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: u32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = frame::wrap_first(root, s, font, max_w, max_lines + 1);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        *last = fit_text::cut_last_line(last, |s| text_width(root, s, font) <= max_w);
    }
    lines
}

/// Draws `lines` right-aligned at `x`, centred on `y`.
pub(super) fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    style: &TextStyle<'_>,
    line_h: i32,
    (x, y): (i32, i32),
) -> DrawResult {
    let top = y - line_h * (lines.len() as i32 - 1) / 2;
    for (k, line) in lines.iter().enumerate() {
        root.draw_text(line, style, (x, top + k as i32 * line_h))
            .map_err(de)?;
    }
    Ok(())
}

/// Row labels: the largest font (at most the tick size) at which every label fits in
/// `max_lines` lines of `max_w` pixels and `row_h` pixels of height, and the lines.
pub(super) fn row_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    max_w: u32,
    row_h: f64,
) -> (f64, Vec<Vec<String>>) {
    for px in [style::TICK_PX, 21.0, 20.0, 19.0, 18.0] {
        let font = style::font(px);
        let line_h = (px * 1.05).ceil();
        let max_lines = (((row_h - 4.0) / line_h).floor() as usize).clamp(1, 3);
        let wrapped: Vec<Vec<String>> = labels
            .iter()
            .map(|l| frame::wrap_first(root, l, &font, max_w, max_lines + 1))
            .collect();
        if wrapped.iter().all(|w| w.len() <= max_lines) || px == 18.0 {
            let lines = labels
                .iter()
                .map(|l| wrap_lines(root, l, &font, max_w, max_lines))
                .collect();
            return (px, lines);
        }
    }
    unreachable!("the last size always returns")
}

impl Chart for ContextChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, _) = body.dim_in_pixel();

        // The caveat, above the source note.
        let note_font = style::font(style::NOTE_PX);
        let caveat = frame::wrap(root, &self.caveat, &note_font, bw - 56);
        let caveat_h = 26 * caveat.len() as u32 + 10;
        let (body, caveat_area) = body.split_vertically(body.dim_in_pixel().1 - caveat_h);
        for (k, line) in caveat.iter().enumerate() {
            caveat_area
                .draw_text(
                    line,
                    &note_font.color(&style::MUTED),
                    (28, 6 + 26 * k as i32),
                )
                .map_err(de)?;
        }

        let group_h = 40u32;
        let (groups_area, body) = body.split_vertically(group_h);
        let (bw, bh) = body.dim_in_pixel();
        let n = self.labels.len().max(1);
        let caption_h = 40u32;
        let x_area_h = 64u32;
        let plot_h = bh.saturating_sub(caption_h + x_area_h + 20);
        let row_h = plot_h as f64 / n as f64;
        let label_max = 360u32;
        let (label_px, lines) = row_labels(root, &self.labels, label_max, row_h);
        let label_font = style::font(label_px);
        let names_w = lines
            .iter()
            .flatten()
            .map(|l| text_width(root, l, &label_font))
            .max()
            .unwrap_or(100)
            .clamp(120, label_max)
            + 28;
        // A right margin like the frame's left one.
        let (body, _) = body.split_horizontally(bw.saturating_sub(28));
        let panel_w = bw.saturating_sub(names_w + 28) / PANELS.len() as u32;
        let (first, rest) = body.split_horizontally(names_w + panel_w);
        let mut areas = vec![first];
        areas.extend(rest.split_evenly((1, PANELS.len() - 1)));

        let all = || self.values.iter().flatten().flatten();
        let min = all()
            .map(|b| b.1)
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let max = all().map(|b| b.2.max(b.1)).fold(0.0, f64::max);
        let plot_w = panel_w.saturating_sub(26);
        let lang = self.t.lang();
        let axis = || LogAxis::covering(min, max, 1.6, 1.15, plot_w).in_lang(lang);
        let x_descs = self.t.choices("chart.log_scale");
        let half = (0.3f64).min(16.0 / row_h);

        let mut spans: Vec<(i32, i32)> = Vec::new();
        for (p, area) in areas.iter().enumerate() {
            let vals = &self.values[p];
            let mut chart = ChartBuilder::on(area)
                .margin_top(caption_h)
                .margin_bottom(16)
                .margin_right(18)
                .x_label_area_size(x_area_h)
                .y_label_area_size(if p == 0 { names_w } else { 8 })
                .build_cartesian_2d(
                    axis(),
                    Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
                )
                .map_err(de)?;
            let ax = axis();
            let (xr, _) = chart.plotting_area().get_pixel_range();
            let x_desc = frame::fit(
                root,
                &x_descs,
                &style::font(style::LABEL_PX),
                xr.len() as u32,
            );
            log_percent_mesh(&mut chart, &ax, x_desc)?;
            spans.push((xr.start, xr.end));
            // How far a label beside a whisker may reach: up to the next panel's axis,
            // not past the last panel.
            let right = area.get_base_pixel().0
                + area.dim_in_pixel().0 as i32
                + if p + 1 == PANELS.len() { 0 } else { 4 };
            let (_, top) = area.get_base_pixel();
            let captions = self.t.choices(PANELS[p].caption);
            let room = (xr.end - xr.start + 16).max(0) as u32;
            let (caption, px) = frame::fit_sized(root, &captions, &frame::PANEL_SIZES, false, room);
            let st = style::font(px)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text(
                caption,
                &st,
                ((xr.start + xr.end) / 2, top + caption_h as i32 / 2),
            )
            .map_err(de)?;

            if p == 0 {
                let st = label_font
                    .color(&style::TEXT)
                    .pos(Pos::new(HPos::Right, VPos::Center));
                let line_h = (label_px * 1.05).ceil() as i32;
                for (i, l) in lines.iter().enumerate() {
                    let (_, py) = chart.backend_coord(&(ax.lo(), (n - 1 - i) as f64));
                    draw_lines(root, l, &st, line_h, (xr.start - 12, py))?;
                }
            }

            let color = style::series_color(if p < 3 { 0 } else { 2 });
            let label_style = style::font(style::TICK_PX).color(&style::TEXT);
            for (i, bar) in vals.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let Some((b05, b50, b95)) = *bar else {
                    let (px, py) = chart.backend_coord(&(ax.lo(), y));
                    let st = label_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw_text(&self.t.one("chart.no_data"), &st, (px + 6, py))
                        .map_err(de)?;
                    continue;
                };
                let (c05, c50, c95) = (ax.clamp(b05), ax.clamp(b50), ax.clamp(b95));
                let (y0, y1) = (y - half, y + half);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(ax.lo(), y0), (c50, y1)],
                        color.filled(),
                    )))
                    .map_err(de)?;
                let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                let cap = (y1 - y0) * 0.3;
                chart
                    .draw_series([
                        PathElement::new(vec![(c05, y), (c95, y)], ws),
                        PathElement::new(vec![(c05, y - cap), (c05, y + cap)], ws),
                        PathElement::new(vec![(c95, y - cap), (c95, y + cap)], ws),
                    ])
                    .map_err(de)?;
                // The p50 beside the whisker when it fits in the panel, else inside the
                // bar, left of the whisker, when it fits there.
                let text = numbers::pct2(b50, lang);
                let tw = text_width(root, &text, &label_style.font) as i32;
                let (wx, py) = chart.backend_coord(&(c95.max(c50), y));
                let (w0, _) = chart.backend_coord(&(c05.min(c50), y));
                let (x0, _) = chart.backend_coord(&(ax.lo(), y));
                if wx + 6 + tw > right && x0 + 8 + tw + 6 <= w0 {
                    let st = style::font(style::TICK_PX)
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw_text(&text, &st, (x0 + 8, py)).map_err(de)?;
                } else {
                    let st = label_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw_text(&text, &st, (wx + 6, py)).map_err(de)?;
                }
            }
        }

        // Group headers, each over its panels with a rule beneath.
        let (_, gy) = groups_area.get_base_pixel();
        for (key, range) in GROUPS {
            let (x0, x1) = (spans[range.start].0, spans[range.end - 1].1);
            let titles = self.t.choices(key);
            let (title, px) =
                frame::fit_sized(root, &titles, &frame::PANEL_SIZES, true, (x1 - x0) as u32);
            let st = style::bold(px)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text(title, &st, ((x0 + x1) / 2, gy + 16))
                .map_err(de)?;
            root.draw(&PathElement::new(
                vec![(x0, gy + group_h as i32 - 4), (x1, gy + group_h as i32 - 4)],
                style::MUTED.stroke_width(1),
            ))
            .map_err(de)?;
        }
        Ok(())
    }
}
