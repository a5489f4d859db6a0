//! Sobol sensitivity: for each factor, its first-order index S1 (the factor alone) and
//! total index ST (with its interactions) as paired bars with whiskers for their 95%
//! bootstrap intervals, factors by ST, largest first. The y axis runs from 0 (a little
//! below the lowest value, if an estimate or interval is negative) to 1 or the highest
//! interval end.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Mark, Sobol, SobolFactor, SweepCharts, legend_row, line_height, no_factors, note_on_top,
    text_width, tick_text, ticks, wrap_lines,
};
use crate::labels::format;
use crate::plot::axis::Axis;
use crate::plot::frame::{self, Chart, DrawResult, FrameText, de};
use crate::plot::style;
use crate::plot::text::ChartText;

pub(super) const STEM: &str = "sobol";

/// Catalogue keys of the legend.
pub(super) const LEGEND_S1: &str = "sweep.sobol.s1";
pub(super) const LEGEND_ST: &str = "sweep.sobol.st";
pub(super) const LEGEND_CI: &str = "sweep.sobol.ci";

const S1_COLOR: RGBColor = RGBColor(0, 158, 115);
const ST_COLOR: RGBColor = RGBColor(0, 114, 178);

/// The note under the legend: what S1 and ST mean, the sample size and, when known, the
/// share of the variance the factors explain.
pub(super) fn note(samples: usize, factors_share: Option<f64>, tx: ChartText) -> String {
    let n = format::int(samples as f64, tx.lang());
    let note = tx.fill("sweep.sobol.note", |_| vec![("n", n.clone())]);
    match factors_share.filter(|s| s.is_finite()) {
        Some(s) => {
            let share = format::pct_sig(100.0 * s, tx.lang());
            let explained = tx.fill("sweep.sobol.share", |_| vec![("share", share.clone())]);
            format!("{note}; {explained}")
        }
        None => note,
    }
}

pub(super) struct SobolChart {
    text: FrameText,
    t: ChartText,
    pub(super) note: String,
    /// By ST, largest first (ties, and non-finite ST last, keep the input order).
    pub(super) factors: Vec<SobolFactor>,
}

pub(super) fn prepare(input: &SweepCharts, s: &Sobol) -> SobolChart {
    let mut factors = s.factors.clone();
    let key = |f: &SobolFactor| {
        if f.st.is_finite() {
            f.st
        } else {
            f64::NEG_INFINITY
        }
    };
    factors.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let tx = ChartText::new(input.langs);
    let outcome = super::axis_title(&input.outcome_label, &input.outcome_unit);
    SobolChart {
        text: FrameText {
            title: input.title.clone(),
            run_label: tx.fill("sweep.sobol.subtitle", |_| {
                vec![("outcome", outcome.clone())]
            }),
            source_note: super::frame_note(input),
        },
        t: tx,
        note: note(s.samples, s.factors_share, tx),
        factors,
    }
}

impl SobolChart {
    /// The y range: from min(0, lowest value) to max(1, highest value).
    pub(super) fn y_range(&self) -> (f64, f64) {
        let all = self
            .factors
            .iter()
            .flat_map(|f| [f.s1, f.s1_lo, f.s1_hi, f.st, f.st_lo, f.st_hi]);
        let (lo, hi) = super::finite_range(all).unwrap_or((0.0, 1.0));
        let hi = hi.max(1.0);
        // Below zero (a noisy estimate or interval), room for the whisker's cap.
        let lo = if lo < 0.0 { lo - 0.03 * (hi - lo) } else { 0.0 };
        (lo, hi)
    }
}

impl Chart for SobolChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, _) = body.dim_in_pixel();
        let legend_h = 46u32;
        let (area, body) = body.split_vertically(legend_h);
        let (lx, ly) = area.get_base_pixel();
        legend_row(
            root,
            (lx + 28, ly + legend_h as i32 / 2),
            &[
                (Mark::Block(S1_COLOR), self.t.choices(LEGEND_S1)),
                (Mark::Block(ST_COLOR), self.t.choices(LEGEND_ST)),
                (Mark::Whisker, self.t.choices(LEGEND_CI)),
            ],
        )?;
        let body = note_on_top(root, body, &self.note, &style::MUTED, 28)?;
        let y_title_h = 40u32;
        let (area, body) = body.split_vertically(y_title_h);
        let (tx, ty) = area.get_base_pixel();
        root.draw_text(
            &self.t.label("sweep.sobol.axis"),
            &style::font(style::LABEL_PX)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
            (tx + 28, ty + y_title_h as i32 / 2),
        )
        .map_err(de)?;

        // Factor names under their pair of bars: wrapped to the group's width, in up to
        // three lines, smaller when there are many factors.
        let n = self.factors.len().max(1);
        let y_label_w = 84u32;
        let group_w = (bw.saturating_sub(y_label_w + 28 + 44)) as f64 / n as f64;
        let name_px = if group_w >= 200.0 {
            style::TICK_PX
        } else {
            (group_w / 10.0).clamp(16.0, style::TICK_PX)
        };
        let name_font = style::font(name_px);
        let name_w = (group_w - 12.0).max(40.0) as u32;
        let names: Vec<Vec<String>> = self
            .factors
            .iter()
            .map(|f| wrap_lines(root, &f.factor, &name_font, name_w, 3))
            .collect();
        let max_lines = names.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let name_lh = line_height(name_px) as i32;
        let x_area_h = 18 + name_lh as u32 * max_lines as u32;

        let (y_lo, y_hi) = self.y_range();
        let (y_ticks, y_step) = ticks(y_lo, y_hi, 5);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(28)
            .margin_right(44)
            .margin_bottom(12)
            .x_label_area_size(x_area_h)
            .y_label_area_size(y_label_w)
            .build_cartesian_2d(
                Axis::new(-0.5, n as f64 - 0.5, Vec::new()),
                Axis::new(y_lo, y_hi, y_ticks),
            )
            .map_err(de)?;
        let y_fmt = |v: &f64| tick_text(*v, y_step, self.t.lang());
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_label_formatter(&y_fmt)
            .label_style(style::text(style::TICK_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();

        let name_st = name_font
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let value_px: f64 = if group_w >= 150.0 { 20.0 } else { 0.0 };
        let value_font = style::font(value_px.max(1.0));
        let half_bar = 0.17;
        for (i, (f, lines)) in self.factors.iter().zip(&names).enumerate() {
            let c = i as f64;
            let (cx, _) = chart.backend_coord(&(c, 0.0));
            for (k, l) in lines.iter().enumerate() {
                root.draw_text(l, &name_st, (cx, yr.end + 10 + name_lh * k as i32))
                    .map_err(de)?;
            }
            for (dx, v, lo, hi, color) in [
                (-half_bar - 0.005, f.s1, f.s1_lo, f.s1_hi, S1_COLOR),
                (half_bar + 0.005, f.st, f.st_lo, f.st_hi, ST_COLOR),
            ] {
                let x = c + dx;
                if v.is_finite() {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x - half_bar, 0.0), (x + half_bar, v)],
                            color.filled(),
                        )))
                        .map_err(de)?;
                }
                let mut top = v;
                if lo.is_finite() && hi.is_finite() {
                    let (a, b) = (chart.backend_coord(&(x, lo)), chart.backend_coord(&(x, hi)));
                    let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                    root.draw(&PathElement::new(vec![a, b], ws)).map_err(de)?;
                    for p in [a, b] {
                        root.draw(&PathElement::new(vec![(p.0 - 9, p.1), (p.0 + 9, p.1)], ws))
                            .map_err(de)?;
                    }
                    top = top.max(hi);
                }
                if value_px > 0.0 && v.is_finite() {
                    let (px, py) = chart.backend_coord(&(x, top.max(0.0)));
                    let st = value_font
                        .color(&style::TEXT)
                        .pos(Pos::new(HPos::Center, VPos::Bottom));
                    let text = tick_text(v, 0.01, self.t.lang());
                    let w = text_width(root, &text, &value_font) as i32;
                    let px = px.clamp(xr.start + w / 2, xr.end - w / 2);
                    root.draw_text(&text, &st, (px, (py - 6).max(yr.start + 20)))
                        .map_err(de)?;
                }
            }
        }
        if self.factors.is_empty() {
            no_factors(root, self.t, &xr, &yr)?;
        }
        Ok(())
    }
}
