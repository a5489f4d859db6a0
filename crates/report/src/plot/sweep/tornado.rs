//! The tornado: how far the median outcome moves when one factor goes from its low to its
//! high setting with the others central. One row per factor, largest swing on top; each
//! row has a bar from the base (all central) to the low-setting outcome and one to the
//! high-setting outcome, in two colours, labelled at their ends with the setting and the
//! outcome. A factor whose two bars point the same way has both labels, stacked, beyond
//! the longer bar; one that changes nothing says so.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Mark, SweepCharts, Tornado, axis_title, draw_lines, fit_labels, legend_row, line_height,
    no_factors, short_value, text_width, tick_text, ticks,
};
use crate::plot::axis::Axis;
use crate::plot::frame::{self, Chart, DrawResult, FrameText, de};
use crate::plot::style;
use crate::plot::text::ChartText;

pub(super) const STEM: &str = "tornado";

/// Catalogue keys of the subtitle and the legend.
pub(super) const SUBTITLE: &str = "sweep.tornado.subtitle";
pub(super) const LEGEND_LOW: &str = "sweep.tornado.low";
pub(super) const LEGEND_HIGH: &str = "sweep.tornado.high";

const LOW_COLOR: RGBColor = RGBColor(0, 114, 178);
const HIGH_COLOR: RGBColor = RGBColor(213, 94, 0);
/// Darker shades of the bar colours for the bar-end labels (readable on white).
const LOW_TEXT: RGBColor = RGBColor(0, 84, 140);
const HIGH_TEXT: RGBColor = RGBColor(160, 64, 0);

/// One factor's row.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) factor: String,
    pub(super) low_level: String,
    pub(super) high_level: String,
    pub(super) low: f64,
    pub(super) high: f64,
}

impl Row {
    /// |high − low|; rows with a non-finite outcome sort last.
    pub(super) fn swing(&self) -> f64 {
        let s = (self.high - self.low).abs();
        if s.is_finite() { s } else { -1.0 }
    }
}

pub(super) struct TornadoChart {
    text: FrameText,
    t: ChartText,
    x_title: String,
    unit: String,
    base: f64,
    base_label: String,
    /// Top to bottom: by swing, largest first (ties keep the input order).
    pub(super) rows: Vec<Row>,
}

pub(super) fn prepare(input: &SweepCharts, t: &Tornado) -> TornadoChart {
    let mut rows: Vec<Row> = t
        .bars
        .iter()
        .map(|b| Row {
            factor: b.factor.clone(),
            low_level: b.low_level.clone(),
            high_level: b.high_level.clone(),
            low: b.outcome_at_low,
            high: b.outcome_at_high,
        })
        .collect();
    rows.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    let tx = ChartText::new(input.langs);
    TornadoChart {
        text: FrameText {
            title: input.title.clone(),
            run_label: tx.label(SUBTITLE),
            source_note: super::frame_note(input),
        },
        t: tx,
        x_title: axis_title(&input.outcome_label, &input.outcome_unit),
        unit: input.outcome_unit.clone(),
        base: t.base_value,
        base_label: t.base_label.clone(),
        rows,
    }
}

/// Where a row's labels go: beside each bar end on its own side, or stacked beyond the
/// longer bar when both point the same way.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Labels {
    /// (low label, high label), each on the side of its bar end.
    Apart(String, String),
    /// Both stacked (low first) beyond the farther end, on the left or right of the base.
    Stacked {
        left: bool,
        low: String,
        high: String,
    },
    /// Both settings give the base outcome.
    NoChange(String),
    /// An outcome is not a number.
    NoData,
}

impl TornadoChart {
    pub(super) fn labels(&self, r: &Row) -> Labels {
        let (b, lo, hi) = (self.base, r.low, r.high);
        if !lo.is_finite() || !hi.is_finite() || !b.is_finite() {
            return Labels::NoData;
        }
        let lang = self.t.lang();
        let low = format!("{}: {}", r.low_level, short_value(lo, &self.unit, lang));
        let high = format!("{}: {}", r.high_level, short_value(hi, &self.unit, lang));
        if lo == b && hi == b {
            // A bar-end label is one line: in the first language only.
            Labels::NoChange(self.t.first_only().fill("sweep.tornado.no_change", |_| {
                vec![
                    ("low", r.low_level.clone()),
                    ("high", r.high_level.clone()),
                    ("value", short_value(b, &self.unit, lang)),
                ]
            }))
        } else if (lo - b) * (hi - b) < 0.0 {
            Labels::Apart(low, high)
        } else {
            Labels::Stacked {
                left: lo.min(hi) < b,
                low,
                high,
            }
        }
    }
}

impl Chart for TornadoChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let legend_h = 48u32;
        let (legend_area, body) = body.split_vertically(legend_h);
        let (lx, ly) = legend_area.get_base_pixel();
        legend_row(
            root,
            (lx + 28, ly + legend_h as i32 / 2),
            &[
                (Mark::Block(LOW_COLOR), self.t.choices(LEGEND_LOW)),
                (Mark::Block(HIGH_COLOR), self.t.choices(LEGEND_HIGH)),
                (
                    Mark::Line(style::TEXT, 3),
                    [0, 1].map(|_| self.base_label.clone()),
                ),
            ],
        )?;

        let (bw, bh) = body.dim_in_pixel();
        let n = self.rows.len().max(1);
        let top_h = 40u32; // the base line's label
        let x_area_h = 76u32;
        let right = 36u32;
        let plot_h = bh.saturating_sub(top_h + x_area_h + 12);
        let row_h = plot_h as f64 / n as f64;

        let names: Vec<String> = self.rows.iter().map(|r| r.factor.clone()).collect();
        let names_max = 360u32;
        let (name_px, name_lines) = fit_labels(root, &names, names_max, row_h);
        let name_font = style::font(name_px);
        let names_w = name_lines
            .iter()
            .flatten()
            .map(|l| text_width(root, l, &name_font))
            .max()
            .unwrap_or(100)
            .clamp(120, names_max)
            + 40;
        let plot_w = bw.saturating_sub(names_w + right) as f64;

        // Bar-end labels: two stacked lines must fit in a row.
        let label_px = ((row_h - 6.0) / 2.0 / 1.08)
            .floor()
            .clamp(16.0, style::TICK_PX);
        let label_font = style::font(label_px);
        let lh = line_height(label_px) as i32;
        let labels: Vec<Labels> = self.rows.iter().map(|r| self.labels(r)).collect();
        let no_data = self.t.one("chart.no_data");
        let w = |s: &str| text_width(root, s, &label_font) as f64 + 14.0;
        // Each label: (the outcome it starts from, on the left?, width in pixels).
        let base = if self.base.is_finite() {
            self.base
        } else {
            0.0
        };
        let mut needs: Vec<(f64, bool, f64)> = Vec::new();
        for (l, r) in labels.iter().zip(&self.rows) {
            match l {
                Labels::Apart(lo, hi) => {
                    needs.push((r.low, r.low < base, w(lo)));
                    needs.push((r.high, r.high < base, w(hi)));
                }
                Labels::Stacked { left, low, high } => {
                    let far = if *left {
                        r.low.min(r.high)
                    } else {
                        r.low.max(r.high)
                    };
                    needs.push((far, *left, w(low).max(w(high))));
                }
                Labels::NoChange(s) => needs.push((base, false, w(s) + 6.0)),
                Labels::NoData => needs.push((base, false, w(&no_data))),
            }
        }

        // The x range: every outcome and the base, widened just enough that each label
        // fits beside its bar inside the plot.
        let values = self
            .rows
            .iter()
            .flat_map(|r| [r.low, r.high])
            .chain(std::iter::once(self.base));
        let (mut lo, mut hi) = super::finite_range(values).unwrap_or((0.0, 1.0));
        if hi - lo < 1e-12 {
            let pad = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
            lo -= pad;
            hi += pad;
        }
        // Start from the widest label on each side beyond the extreme values (enough, if
        // wasteful), then twice shrink to what the labels need at that scale: the scale
        // only grows, so labels that fitted still fit.
        let widest = |left: bool| {
            needs
                .iter()
                .filter(|n| n.1 == left)
                .map(|n| n.2)
                .fold(0.0, f64::max)
        };
        let (mut need_left, mut need_right) = (widest(true), widest(false));
        let scale = |nl: f64, nr: f64| (hi - lo) / (plot_w - nl - nr).max(plot_w * 0.35);
        let mut per_px = scale(need_left, need_right);
        for _ in 0..2 {
            let beyond = |left: bool| {
                needs
                    .iter()
                    .filter(|n| n.1 == left && n.0.is_finite())
                    .map(|&(v, _, w)| w - (if left { v - lo } else { hi - v }) / per_px)
                    .fold(0.0, f64::max)
            };
            need_left = beyond(true);
            need_right = beyond(false);
            per_px = scale(need_left, need_right);
        }
        let (x_lo, x_hi) = (lo - need_left * per_px, hi + need_right * per_px);
        let (x_ticks, step) = ticks(x_lo, x_hi, 6);

        let mut chart = ChartBuilder::on(&body)
            .margin_top(top_h)
            .margin_right(right)
            .margin_bottom(12)
            .x_label_area_size(x_area_h)
            .y_label_area_size(names_w)
            .build_cartesian_2d(
                Axis::new(x_lo, x_hi, x_ticks),
                Axis::new(-0.5, n as f64 - 0.5, Vec::new()),
            )
            .map_err(de)?;
        let x_fmt = |v: &f64| tick_text(*v, step, self.t.lang());
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(self.x_title.as_str())
            .x_label_formatter(&x_fmt)
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(style::LABEL_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let px = |v: f64, y: f64| chart.backend_coord(&(v, y));

        // Factor names, right-aligned left of the plot.
        let name_st = name_font
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Right, VPos::Center));
        let name_lh = line_height(name_px) as i32;
        for (i, lines) in name_lines.iter().enumerate() {
            let (_, py) = px(x_lo, (n - 1 - i) as f64);
            draw_lines(root, lines, &name_st, name_lh, (xr.start - 14, py))?;
        }

        let half = 0.36f64.min(24.0 / row_h);
        let base_ok = self.base.is_finite();
        for (i, (r, l)) in self.rows.iter().zip(&labels).enumerate() {
            let y = (n - 1 - i) as f64;
            let (_, py) = px(x_lo, y);
            if base_ok {
                // The farther bar first, so the nearer one stays visible on top of it.
                let mut bars = [(r.low, LOW_COLOR), (r.high, HIGH_COLOR)];
                bars.sort_by(|a, b| (b.0 - self.base).abs().total_cmp(&(a.0 - self.base).abs()));
                let same_side = matches!(l, Labels::Stacked { .. });
                for (k, (v, c)) in bars.iter().enumerate() {
                    if !v.is_finite() || *v == self.base {
                        continue;
                    }
                    // When both bars point the same way, the nearer one is thinner so the
                    // farther one's colour shows around it.
                    let h = if same_side && k == 1 {
                        half * 0.6
                    } else {
                        half
                    };
                    root.draw(&Rectangle::new(
                        [px(self.base, y - h), px(*v, y + h)],
                        c.filled(),
                    ))
                    .map_err(de)?;
                }
            }
            let text_at = |s: &str, c: &RGBColor, left: bool, (x, y): (i32, i32)| {
                let (hpos, x) = if left {
                    (HPos::Right, x - 8)
                } else {
                    (HPos::Left, x + 8)
                };
                root.draw_text(
                    s,
                    &label_font.color(c).pos(Pos::new(hpos, VPos::Center)),
                    (x, y),
                )
                .map_err(de)
            };
            match l {
                Labels::Apart(lo_s, hi_s) => {
                    for (s, v, c) in [(lo_s, r.low, LOW_TEXT), (hi_s, r.high, HIGH_TEXT)] {
                        let (bx, _) = px(v, y);
                        text_at(s, &c, v < self.base, (bx, py))?;
                    }
                }
                Labels::Stacked { left, low, high } => {
                    let far = if *left {
                        r.low.min(r.high)
                    } else {
                        r.low.max(r.high)
                    };
                    let (bx, _) = px(far, y);
                    text_at(low, &LOW_TEXT, *left, (bx, py - lh / 2))?;
                    text_at(high, &HIGH_TEXT, *left, (bx, py + lh / 2))?;
                }
                Labels::NoChange(s) => {
                    let (bx, _) = px(self.base, y);
                    root.draw(&PathElement::new(
                        vec![(bx - 10, py), (bx + 10, py)],
                        ShapeStyle::from(&style::MUTED).stroke_width(3),
                    ))
                    .map_err(de)?;
                    text_at(s, &style::MUTED, false, (bx + 6, py))?;
                }
                Labels::NoData => {
                    let (bx, _) = px(if base_ok { self.base } else { x_lo }, y);
                    text_at(&no_data, &style::MUTED, false, (bx, py))?;
                }
            }
        }

        // The base: a line through every row, labelled above the plot.
        if base_ok {
            let (bx, _) = px(self.base, 0.0);
            root.draw(&PathElement::new(
                vec![(bx, yr.start - 6), (bx, yr.end)],
                ShapeStyle::from(&style::TEXT).stroke_width(3),
            ))
            .map_err(de)?;
            let text = format!(
                "{}: {}",
                self.base_label,
                short_value(self.base, &self.unit, self.t.lang())
            );
            let font = style::bold(style::TICK_PX);
            let tw = text_width(root, &text, &font) as i32;
            let cx = (bx - tw / 2).clamp(xr.start, (xr.end - tw).max(xr.start));
            root.draw_text(
                &text,
                &font
                    .color(&style::TEXT)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
                (cx, yr.start - 10),
            )
            .map_err(de)?;
        }
        if self.rows.is_empty() {
            no_factors(root, self.t, &xr, &yr)?;
        }
        Ok(())
    }
}
