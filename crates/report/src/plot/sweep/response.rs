//! A response curve: the outcome along one swept factor — the p05–p95 band over
//! replicates shaded, the median as a line with its points marked. With a target: a
//! dashed line at the target level and, where the median and 90% of replicates reach it,
//! dashed markers down to the x axis; above the plot, a sentence that says where (or
//! "not reached in the range").

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Mark, Response, SweepCharts, Target, axis_title, boxed_text, dashed_line, legend_row,
    note_on_top, text_width, tick_text, ticks, value_text, with_unit,
};
use crate::labels::{Labels, Lang};
use crate::plot::PlotError;
use crate::plot::axis::Axis;
use crate::plot::frame::{self, Chart, DrawResult, FrameText, de};
use crate::plot::style;
use crate::plot::text::{BOTH_SEP, ChartText};

/// File stem of the `i`-th (0-based) response: `response_1`, `response_2`, …
pub(super) fn stem(i: usize) -> String {
    format!("response_{}", i + 1)
}

/// Catalogue keys of the legend.
pub(super) const LEGEND_MEDIAN: &str = "sweep.response.median";
pub(super) const LEGEND_BAND: &str = "sweep.response.band";
pub(super) const LEGEND_TARGET: &str = "sweep.response.legend_target";

const MEDIAN_COLOR: RGBColor = RGBColor(0, 114, 178);
const BAND_COLOR: RGBColor = RGBColor(196, 221, 240);
const TARGET_COLOR: RGBColor = RGBColor(213, 94, 0);
const MEDIAN_MARK: RGBColor = RGBColor(0, 84, 140);
const P90_MARK: RGBColor = RGBColor(140, 70, 140);

pub(super) struct ResponseChart {
    text: FrameText,
    t: ChartText,
    x_title: String,
    y_title: String,
    /// (x, p05, p50, p95), finite, by x.
    pub(super) points: Vec<(f64, f64, f64, f64)>,
    target: Option<Target>,
    /// The target sentence above the plot, if a target was given.
    pub(super) target_text: Option<String>,
    target_label: String,
}

/// "median reaches target at x = 0.45" or "median: not reached in the range", and the
/// same for 90% of replicates, in `lang`; the settings written in `numbers`.
pub(super) fn target_sentences(t: &Target, lang: Lang, numbers: Lang) -> (String, String) {
    let l = Labels::builtin();
    let median = match t.x_median.filter(|x| x.is_finite()) {
        Some(x) => l.fill(
            "sweep.response.median_reaches",
            lang,
            &[("x", value_text(x, numbers))],
        ),
        None => l.get("sweep.response.median_not_reached", lang),
    };
    let p90 = match t.x_p90.filter(|x| x.is_finite()) {
        Some(x) => l.fill(
            "sweep.response.p90_reaches",
            lang,
            &[("x", value_text(x, numbers))],
        ),
        None => l.get("sweep.response.p90_not_reached", lang),
    };
    (median, p90)
}

/// The sentence above the plot: the target and where it is reached, in each language.
fn target_text(t: &Target, tx: ChartText, unit: &str) -> String {
    let numbers = tx.lang();
    tx.langs
        .list()
        .iter()
        .map(|&lang| {
            let (m, p) = target_sentences(t, lang, numbers);
            Labels::builtin().fill(
                "sweep.response.target_sentence",
                lang,
                &[
                    ("value", with_unit(t.value, unit, numbers)),
                    ("median", m),
                    ("p90", p),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(BOTH_SEP)
}

/// The target line's label (one line: the first language only).
fn target_label(t: &Target, tx: ChartText, unit: &str) -> String {
    let key = if t.x_median.is_some_and(f64::is_finite) {
        "sweep.response.target"
    } else {
        "sweep.response.target_not_reached"
    };
    tx.first_only().fill(key, |_| {
        vec![("value", with_unit(t.value, unit, tx.lang()))]
    })
}

pub(super) fn prepare(
    input: &SweepCharts,
    r: &Response,
    stem: &str,
) -> Result<ResponseChart, PlotError> {
    for (name, v) in [("p05", &r.p05), ("p50", &r.p50), ("p95", &r.p95)] {
        if v.len() != r.x.len() {
            return Err(PlotError::Draw {
                chart: stem.to_string(),
                message: format!(
                    "response of `{}`: x has {} values but {name} has {}",
                    r.factor,
                    r.x.len(),
                    v.len()
                ),
            });
        }
    }
    let mut points: Vec<(f64, f64, f64, f64)> = (0..r.x.len())
        .map(|i| (r.x[i], r.p05[i], r.p50[i], r.p95[i]))
        .filter(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let unit = input.outcome_unit.as_str();
    let target = r.target.filter(|t| t.value.is_finite());
    let tx = ChartText::new(input.langs);
    Ok(ResponseChart {
        text: FrameText {
            title: input.title.clone(),
            run_label: tx.fill("sweep.response.subtitle", |_| {
                vec![("factor", r.factor.clone())]
            }),
            source_note: super::frame_note(input),
        },
        t: tx,
        x_title: r.factor.clone(),
        y_title: axis_title(&input.outcome_label, unit),
        points,
        target,
        target_text: target.map(|t| target_text(&t, tx, unit)),
        target_label: target
            .map(|t| target_label(&t, tx, unit))
            .unwrap_or_default(),
    })
}

impl Chart for ResponseChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;

        // Legend, then the target sentence, then the y-axis title (horizontal, readable).
        let mut entries = vec![
            (Mark::LineDot(MEDIAN_COLOR), self.t.choices(LEGEND_MEDIAN)),
            (Mark::Block(BAND_COLOR), self.t.choices(LEGEND_BAND)),
        ];
        if self.target.is_some() {
            entries.push((Mark::Dashed(TARGET_COLOR, 3), self.t.choices(LEGEND_TARGET)));
        }
        let legend_h = 46u32;
        let (area, body) = body.split_vertically(legend_h);
        let (lx, ly) = area.get_base_pixel();
        legend_row(root, (lx + 28, ly + legend_h as i32 / 2), &entries)?;
        let body = match &self.target_text {
            Some(t) => note_on_top(root, body, t, &style::TEXT, 30)?,
            None => body,
        };
        let y_title_h = 40u32;
        let (area, body) = body.split_vertically(y_title_h);
        let (tx, ty) = area.get_base_pixel();

        // Ranges: x over the settings; y from zero (or below) to past the band and target.
        let (x0, x1) = super::finite_range(self.points.iter().map(|p| p.0)).unwrap_or((0.0, 1.0));
        let (x_lo, x_hi) = if x1 > x0 {
            let pad = (x1 - x0) * 0.03;
            (x0 - pad, x1 + pad)
        } else {
            let pad = if x0 != 0.0 { x0.abs() * 0.1 } else { 1.0 };
            (x0 - pad, x0 + pad)
        };
        let ys = self
            .points
            .iter()
            .flat_map(|p| [p.1, p.2, p.3])
            .chain(self.target.map(|t| t.value))
            .chain(std::iter::once(0.0));
        let (y0, y1) = super::finite_range(ys).unwrap_or((0.0, 1.0));
        let span = if y1 > y0 { y1 - y0 } else { 1.0 };
        let y_lo = if y0 < 0.0 { y0 - span * 0.05 } else { y0 };
        let y_hi = y1 + span * 0.08;
        let (x_ticks, x_step) = ticks(x_lo, x_hi, 8);
        let (y_ticks, y_step) = ticks(y_lo, y_hi, 6);
        let tick_font = style::font(style::TICK_PX);
        let y_label_w = y_ticks
            .iter()
            .map(|v| text_width(root, &tick_text(*v, y_step, self.t.lang()), &tick_font))
            .max()
            .unwrap_or(60)
            + 24;

        let mut chart = ChartBuilder::on(&body)
            .margin_right(44)
            .margin_bottom(12)
            .margin_left(28)
            .x_label_area_size(76)
            .y_label_area_size(y_label_w)
            .build_cartesian_2d(
                Axis::new(x_lo, x_hi, x_ticks),
                Axis::new(y_lo, y_hi, y_ticks),
            )
            .map_err(de)?;
        let x_fmt = |v: &f64| tick_text(*v, x_step, self.t.lang());
        let y_fmt = |v: &f64| tick_text(*v, y_step, self.t.lang());
        chart
            .configure_mesh()
            .x_desc(self.x_title.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(style::LABEL_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        root.draw_text(
            &self.y_title,
            &style::font(style::LABEL_PX)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center)),
            (tx + 28, ty + y_title_h as i32 / 2),
        )
        .map_err(de)?;

        if self.points.is_empty() {
            let st = style::font(style::LABEL_PX)
                .color(&style::MUTED)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text(
                &self.t.label("sweep.no_values"),
                &st,
                ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2),
            )
            .map_err(de)?;
            return Ok(());
        }

        // The band, the median line and its points.
        let band: Vec<(f64, f64)> = self
            .points
            .iter()
            .map(|p| (p.0, p.3))
            .chain(self.points.iter().rev().map(|p| (p.0, p.1)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, BAND_COLOR.filled())))
            .map_err(de)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                self.points.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>(),
                ShapeStyle::from(&MEDIAN_COLOR).stroke_width(4),
            )))
            .map_err(de)?;
        let dot = if self.points.len() > 40 { 4 } else { 6 };
        for p in &self.points {
            let c = chart.backend_coord(&(p.0, p.2));
            root.draw(&Circle::new(c, dot, MEDIAN_COLOR.filled()))
                .map_err(de)?;
            root.draw(&Circle::new(c, dot, WHITE.stroke_width(2)))
                .map_err(de)?;
        }

        let Some(t) = self.target else {
            return Ok(());
        };
        // The target line, labelled at the end where the median is farther from it.
        let (_, ty) = chart.backend_coord(&(x_lo, t.value));
        dashed_line(
            root,
            (xr.start, ty),
            (xr.end, ty),
            (14.0, 8.0),
            ShapeStyle::from(&TARGET_COLOR).stroke_width(3),
        )?;
        let first = self.points[0].2;
        let last = self.points[self.points.len() - 1].2;
        let bold = style::bold(style::TICK_PX);
        let tw = text_width(root, &self.target_label, &bold) as i32;
        let label_x = if (first - t.value).abs() >= (last - t.value).abs() {
            xr.start + 12
        } else {
            xr.end - tw - 12
        };
        boxed_text(
            root,
            &self.target_label,
            &bold,
            &TARGET_COLOR,
            (label_x, ty - 20),
        )?;

        // Where it is reached: a dashed marker from the target down to the x axis, tagged
        // just above the axis on the side away from the curve (right of the marker when
        // the outcome rises with the factor, left when it falls), the 90% tag one row
        // higher so close markers stay legible. Tags go on last, over every line.
        let rising = last >= first;
        let tag_font = style::font(style::TICK_PX);
        let mut tags = Vec::new();
        for (k, (x, tag, color)) in [
            (t.x_median, "sweep.response.tag_median", MEDIAN_MARK),
            (t.x_p90, "sweep.response.tag_p90", P90_MARK),
        ]
        .into_iter()
        .enumerate()
        {
            let Some(x) = x.filter(|x| x.is_finite() && *x >= x_lo && *x <= x_hi) else {
                continue;
            };
            let (mx, _) = chart.backend_coord(&(x, t.value));
            dashed_line(
                root,
                (mx, ty),
                (mx, yr.end),
                (8.0, 6.0),
                ShapeStyle::from(&color).stroke_width(3),
            )?;
            root.draw(&Circle::new((mx, ty), 8, color.filled()))
                .map_err(de)?;
            root.draw(&Circle::new((mx, ty), 8, WHITE.stroke_width(2)))
                .map_err(de)?;
            let text = format!("{}: {}", self.t.one(tag), value_text(x, self.t.lang()));
            let w = text_width(root, &text, &tag_font) as i32;
            let right_fits = mx + 12 + w + 6 <= xr.end;
            let left_fits = mx - 12 - w - 6 >= xr.start;
            let tx = if (rising && right_fits) || !left_fits {
                mx + 12
            } else {
                mx - 12 - w
            };
            tags.push((text, color, (tx, yr.end - 24 - 36 * k as i32)));
        }
        for (text, color, at) in &tags {
            boxed_text(root, text, &tag_font, color, *at)?;
        }
        Ok(())
    }
}
