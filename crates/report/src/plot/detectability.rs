//! Chart 6: would a traffic count see it? For every scenario (rows, in run order,
//! labelled by title) and each before/after comparison of DKI's city-wide daily count
//! (one panel each: one day, one week, the whole window), the expected fall of the count
//! (p50 point, p05–p95 whisker) against the minimum detectable effect (MDE) of that
//! comparison: city-wide (p05–p95 over the replicates of each one's MDE at its drawn σ
//! and AR(1) ρ as a band, the median as a line) and at one counting site (a lighter,
//! wider band behind it). All on one shared log axis in percent; non-positive values sit
//! at its left end. On the right, a verdict per scenario
//! ([`verdict`]).
//!
//! Drawn from the detectability records only.
//!
//! **Absent data.** As with the roads-and-air chart (`context.rs`), the chart is skipped
//! when the run has no detectability record.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartData;
use super::axis::Axis;
use super::context::{Band, LogAxis, draw_lines, log_percent_mesh, row_labels, run_order};
use super::frame::{self, Chart, DrawResult, FrameText, de, text_width};
use super::numbers;
use super::style;
use super::text::ChartText;
use crate::view::records::DetectabilityRecord;
use wfhsim_core::traffic::detect::Comparison;

pub(super) const STEM: &str = "detectability";

/// The comparisons, left to right: (comparison, catalogue key of the panel title).
pub(super) const COMPARISONS: [(Comparison, &str); 3] = [
    (Comparison::OneDay, "chart.detect.one_day"),
    (Comparison::OneWeek, "chart.detect.one_week"),
    (Comparison::WholeWindow, "chart.detect.whole_window"),
];

use super::detect_legend::{
    CITY_BAND, CITY_LINE, EFFECT_COLOR, HIDDEN_COLOR, SITE_BAND, SITE_LINE, VISIBLE_COLOR, legend,
};

/// One scenario × comparison, percent.
#[derive(Debug, Clone, Copy)]
struct Cell {
    effect: Band,
    /// (central, low, high)
    city: [f64; 3],
    site: [f64; 3],
}

pub(super) struct DetectChart {
    text: FrameText,
    t: ChartText,
    /// Row labels (scenario titles), top to bottom.
    pub(super) labels: Vec<String>,
    /// cells[comparison][scenario]
    cells: Vec<Vec<Option<Cell>>>,
    /// Per comparison, e.g. "1 day each side", "24–44 days each side": in every language,
    /// then in the first only.
    pub(super) days: Vec<[String; 2]>,
    /// Per scenario: the [`verdict`] and whether it is "visible".
    pub(super) verdicts: Vec<String>,
    visible: Vec<bool>,
}

/// Whether a count would see a scenario: `visible` (the table's `visible_city` of any
/// comparison) or the whole window's expected fall at least its city-wide MDE (the
/// model's rule, `traffic::detect::visible`).
fn seen(effect_pct: f64, mde_pct: f64, visible: bool) -> bool {
    visible || (effect_pct.is_finite() && mde_pct.is_finite() && effect_pct.abs() >= mde_pct)
}

/// The verdict on a scenario: "visible" when a count would see it ([`seen`]), else how
/// far below the MDE it is and the chance a count would see it anyway: "not visible (×N
/// below the MDE; seen with probability P)", N = MDE ÷ effect, rounded (one decimal below
/// 2), P the whole window's expected power. The part in brackets is drawn below the word,
/// one line per clause ([`split_verdict`]).
pub(super) fn verdict(
    effect_pct: f64,
    mde_pct: f64,
    power: f64,
    visible: bool,
    t: ChartText,
) -> String {
    if seen(effect_pct, mde_pct, visible) {
        return t.label("chart.detect.visible");
    }
    let hidden = t.label("chart.detect.not_visible");
    if !effect_pct.is_finite() || !mde_pct.is_finite() {
        return hidden;
    }
    if effect_pct == 0.0 {
        return format!(
            "{hidden} {}",
            t.first_only().label("chart.detect.no_change")
        );
    }
    let n = numbers::ratio(mde_pct / effect_pct.abs(), t.lang());
    // The detail in the first language only: the verdict column is narrow.
    let detail = t.first_only().fill("chart.detect.below_mde", |_| {
        // Whole percents: the power is an expectation over drawn inputs.
        let p = numbers::percent((100.0 * power).round() / 100.0, t.lang());
        vec![("n", n.clone()), ("p", p)]
    });
    format!("{hidden} {detail}")
}

/// A verdict's lines: the word, then its bracket split after each "; ".
fn split_verdict(v: &str) -> Vec<String> {
    match v.split_once(" (") {
        Some((a, b)) => {
            let detail = format!("({b}");
            let mut lines = vec![a.to_string()];
            let parts: Vec<&str> = detail.split("; ").collect();
            let last = parts.len() - 1;
            lines.extend(parts.iter().enumerate().map(|(i, p)| {
                if i < last {
                    format!("{p};")
                } else {
                    p.to_string()
                }
            }));
            lines
        }
        None => vec![v.to_string()],
    }
}

/// The chart, or `None` when the run has no detectability record.
pub(super) fn prepare(input: &ChartData) -> Option<DetectChart> {
    let rows = input.detectability;
    let order = run_order(input, rows.iter().map(|r| r.scenario.as_str()));
    if order.is_empty() {
        return None;
    }
    let mut index: BTreeMap<(&str, &str), &DetectabilityRecord> = BTreeMap::new();
    for r in rows {
        index
            .entry((r.scenario.as_str(), r.comparison.as_str()))
            .or_insert(r);
    }
    let find = |s: &str, c: Comparison| index.get(&(s, c.as_str())).copied();
    let cell = |r: &DetectabilityRecord| Cell {
        effect: (
            r.effect_pct.low(),
            r.effect_pct.median(),
            r.effect_pct.high(),
        ),
        city: r.mde_city_pct,
        site: r.mde_site_pct,
    };
    let cells = COMPARISONS
        .iter()
        .map(|&(c, _)| order.iter().map(|(s, _)| find(s, c).map(cell)).collect())
        .collect();
    let tx = ChartText::new(input.langs);
    let lang = tx.lang();
    let days = COMPARISONS
        .iter()
        .map(|(c, _)| {
            let d: Vec<f64> = rows
                .iter()
                .filter(|r| r.comparison == *c)
                .map(|r| r.days_each_side as f64)
                .collect();
            let lo = d.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let said = |t: ChartText| match (lo.is_finite(), lo == hi) {
                (false, _) => String::new(),
                (true, true) if lo == 1.0 => t.label("chart.detect.day_each_side"),
                (true, true) => t.fill("chart.detect.days_each_side", |_| {
                    vec![("n", numbers::thousands(lo, lang))]
                }),
                (true, false) => t.fill("chart.detect.days_each_side", |_| {
                    let (a, b) = (numbers::thousands(lo, lang), numbers::thousands(hi, lang));
                    vec![("n", format!("{a}–{b}"))]
                }),
            };
            [said(tx), said(tx.first_only())]
        })
        .collect();
    let judged: Vec<(f64, f64, f64, bool)> = order
        .iter()
        .map(|(s, _)| {
            let any = COMPARISONS
                .iter()
                .any(|&(c, _)| find(s, c).is_some_and(|r| r.visible_city));
            match find(s, Comparison::WholeWindow) {
                Some(r) => (r.effect_pct.median(), r.mde_city_pct[0], r.power_city, any),
                None => (f64::NAN, f64::NAN, f64::NAN, any),
            }
        })
        .collect();
    Some(DetectChart {
        text: FrameText {
            title: tx.title("chart.detect.title", |_| Vec::new()),
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        t: tx,
        verdicts: judged
            .iter()
            .map(|&(e, m, p, v)| verdict(e, m, p, v, tx))
            .collect(),
        visible: judged.iter().map(|&(e, m, _, v)| seen(e, m, v)).collect(),
        labels: order
            .into_iter()
            .map(|(s, t)| if t.is_empty() { s } else { t })
            .collect(),
        cells,
        days,
    })
}

impl DetectChart {
    /// The shared axis: from the decade at or below the smallest expected fall to past the
    /// largest MDE.
    fn axis(&self, plot_w: u32) -> LogAxis {
        let cells = || self.cells.iter().flatten().flatten();
        let min = cells()
            .flat_map(|c| [c.effect.1, c.city[1], c.site[1]])
            .filter(|v| *v > 0.0 && v.is_finite())
            .fold(f64::INFINITY, f64::min);
        let max = cells()
            .flat_map(|c| {
                [
                    c.effect.2, c.effect.1, c.city[2], c.city[0], c.site[2], c.site[0],
                ]
            })
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        LogAxis::covering(min, max, 1.6, 1.15, plot_w).in_lang(self.t.lang())
    }
}

impl Chart for DetectChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let legend_h = 44u32;
        let (legend_area, body) = body.split_vertically(legend_h);
        let (lx, ly) = legend_area.get_base_pixel();
        legend(
            root,
            (lx + 34, ly + legend_h as i32 / 2 - 2),
            legend_area.dim_in_pixel().0 - 34,
            self.t,
        )?;

        let (bw, bh) = body.dim_in_pixel();
        let n = self.labels.len().max(1);
        let caption_h = 66u32;
        let x_area_h = 64u32;
        let plot_h = bh.saturating_sub(caption_h + x_area_h + 20);
        let row_h = plot_h as f64 / n as f64;

        // Verdict column: up to three lines per row ("not visible" / "(×N below the MDE;"
        // / "seen with probability P)"), in a smaller font when rows are too tight for them
        // at the tick size.
        let verdict_lines: Vec<Vec<String>> =
            self.verdicts.iter().map(|v| split_verdict(v)).collect();
        let most = verdict_lines.iter().map(Vec::len).max().unwrap_or(1).max(2);
        let verdict_px = (row_h / most as f64 / 1.12)
            .floor()
            .clamp(style::MIN_PX, style::TICK_PX);
        let verdict_font = style::font(verdict_px);
        let verdict_w = verdict_lines
            .iter()
            .flatten()
            .map(|l| text_width(root, l, &verdict_font))
            .max()
            .unwrap_or(100)
            .max(text_width(
                root,
                &self.t.label("chart.detect.verdict"),
                &style::bold(style::PANEL_PX),
            ))
            + 8
            + 28;

        let label_max = 330u32;
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
        let (panels_area, verdict_area) = body.split_horizontally(bw - verdict_w);
        let pw = panels_area.dim_in_pixel().0;
        let panel_w = pw.saturating_sub(names_w) / COMPARISONS.len() as u32;
        let (first, rest) = panels_area.split_horizontally(names_w + panel_w);
        let mut areas = vec![first];
        areas.extend(rest.split_evenly((1, COMPARISONS.len() - 1)));

        let half = (0.36f64).min(20.0 / row_h);
        let plot_w = panel_w.saturating_sub(28);
        let mut row_px: Vec<i32> = Vec::new();
        for (p, area) in areas.iter().enumerate() {
            let mut chart = ChartBuilder::on(area)
                .margin_top(caption_h)
                .margin_bottom(16)
                .margin_right(20)
                .x_label_area_size(x_area_h)
                .y_label_area_size(if p == 0 { names_w } else { 8 })
                .build_cartesian_2d(
                    self.axis(plot_w),
                    Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
                )
                .map_err(de)?;
            let ax = self.axis(plot_w);
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let descs = self.t.choices("chart.log_scale");
            let desc = frame::fit(root, &descs, &style::font(style::LABEL_PX), xr.len() as u32);
            log_percent_mesh(&mut chart, &ax, desc)?;

            // Panel caption: the comparison and its days.
            let cx = (xr.start + xr.end) / 2;
            let top = yr.start - caption_h as i32;
            let captions = self.t.choices(COMPARISONS[p].1);
            let room = (xr.end - xr.start) as u32;
            let (caption, px) = frame::fit_sized(root, &captions, &frame::PANEL_SIZES, true, room);
            let st = style::bold(px)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Center, VPos::Top));
            root.draw_text(caption, &st, (cx, top + 4)).map_err(de)?;
            let st = style::font(style::TICK_PX)
                .color(&style::MUTED)
                .pos(Pos::new(HPos::Center, VPos::Top));
            let days = &self.days[p];
            let days = frame::fit(root, days, &style::font(style::TICK_PX), room + 20);
            root.draw_text(days, &st, (cx, top + 36)).map_err(de)?;

            if p == 0 {
                let st = label_font
                    .color(&style::TEXT)
                    .pos(Pos::new(HPos::Right, VPos::Center));
                let line_h = (label_px * 1.05).ceil() as i32;
                for (i, l) in lines.iter().enumerate() {
                    let (_, py) = chart.backend_coord(&(ax.lo(), (n - 1 - i) as f64));
                    row_px.push(py);
                    draw_lines(root, l, &st, line_h, (xr.start - 12, py))?;
                }
            }

            for (i, c) in self.cells[p].iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let Some(c) = c else {
                    let (px, py) = chart.backend_coord(&(ax.lo(), y));
                    let st = style::font(style::TICK_PX)
                        .color(&style::MUTED)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw_text(&self.t.one("chart.no_data"), &st, (px + 6, py))
                        .map_err(de)?;
                    continue;
                };
                let k = |v: f64| ax.clamp(v);
                // One site: a lighter, taller band behind; city-wide in front.
                for (mde, band, line, h, w) in [
                    (c.site, SITE_BAND, SITE_LINE, half, 2),
                    (c.city, CITY_BAND, CITY_LINE, half * 0.62, 3),
                ] {
                    if mde.iter().all(|v| !v.is_finite()) {
                        continue;
                    }
                    let (lo, hi) = (k(mde[1].min(mde[0])), k(mde[2].max(mde[0])));
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(lo, y - h), (hi, y + h)],
                            band.filled(),
                        )))
                        .map_err(de)?;
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(k(mde[0]), y - h), (k(mde[0]), y + h)],
                            ShapeStyle::from(&line).stroke_width(w),
                        )))
                        .map_err(de)?;
                }
                let (b05, b50, b95) = c.effect;
                if !b50.is_finite() {
                    continue;
                }
                let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                let cap = half * 0.4;
                chart
                    .draw_series([
                        PathElement::new(vec![(k(b05), y), (k(b95), y)], ws),
                        PathElement::new(vec![(k(b05), y - cap), (k(b05), y + cap)], ws),
                        PathElement::new(vec![(k(b95), y - cap), (k(b95), y + cap)], ws),
                    ])
                    .map_err(de)?;
                let (px, py) = chart.backend_coord(&(k(b50), y));
                root.draw(&Circle::new((px, py), 7, EFFECT_COLOR.filled()))
                    .map_err(de)?;
                root.draw(&Circle::new((px, py), 7, WHITE.stroke_width(1)))
                    .map_err(de)?;
            }
        }

        // Verdicts, right of the panels.
        let (vx, vy) = verdict_area.get_base_pixel();
        let st = style::bold(style::PANEL_PX)
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        root.draw_text(&self.t.label("chart.detect.verdict"), &st, (vx + 8, vy + 4))
            .map_err(de)?;
        let st = style::font(style::TICK_PX)
            .color(&style::MUTED)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let counts = self.t.choices("chart.detect.city_count");
        let (vw, _) = verdict_area.dim_in_pixel();
        let count = frame::fit(root, &counts, &style::font(style::TICK_PX), vw - 16);
        root.draw_text(count, &st, (vx + 8, vy + 36)).map_err(de)?;
        for (i, l) in verdict_lines.iter().enumerate() {
            let Some(&y) = row_px.get(i) else { continue };
            let color = if self.visible[i] {
                VISIBLE_COLOR
            } else {
                HIDDEN_COLOR
            };
            let line_h = (verdict_px * 1.12).round() as i32;
            let top = y - line_h * (l.len() as i32 - 1) / 2;
            for (k, text) in l.iter().enumerate() {
                let (font, c) = if k == 0 {
                    (style::bold(verdict_px), color)
                } else {
                    (style::font(verdict_px), style::MUTED)
                };
                let st = font.color(&c).pos(Pos::new(HPos::Left, VPos::Center));
                root.draw_text(text, &st, (vx + 8, top + k as i32 * line_h))
                    .map_err(de)?;
            }
        }
        Ok(())
    }
}
