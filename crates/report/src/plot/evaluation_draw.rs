//! Drawing of the evaluation chart (`evaluation.rs`): a legend row; left, the series
//! panel; right, each window's effect written out, then the intervals on one % axis.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::evaluation::{EvaluationChart, Point, month_label, month_ticks};
use super::frame::{self, Chart, DrawResult, Swatch, de};
use super::numbers;
use super::style;

const OBSERVED: RGBColor = RGBColor(60, 60, 60);
const COUNTERFACTUAL: RGBColor = RGBColor(213, 94, 0);
const SIMULATED: RGBColor = RGBColor(0, 114, 178);
const WINDOW_LEGEND: RGBColor = RGBColor(215, 215, 215);
/// The zone of effects too small for the series to show.
const UNDETECTABLE: RGBColor = RGBColor(255, 236, 200);
const BAND_ALPHA: f64 = 0.22;
/// Share of the body's width the series panel takes.
const LEFT_SHARE: f64 = 0.63;

fn tint(c: RGBColor, a: f64) -> RGBColor {
    let f = |v: u8| (v as f64 * a + 255.0 * (1.0 - a)).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Runs of consecutive days for which `f` gives a value (a gap breaks a line).
fn runs(points: &[Point], f: impl Fn(&Point) -> Option<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last: Option<i32> = None;
    for p in points {
        match f(p) {
            Some(v) if v.is_finite() => {
                if last != Some(p.0 - 1) || out.is_empty() {
                    out.push(Vec::new());
                }
                if let Some(run) = out.last_mut() {
                    run.push((p.0 as f64, v));
                }
                last = Some(p.0);
            }
            _ => last = None,
        }
    }
    out
}

fn ticks_year(ticks: &[f64], k: usize) -> Option<i32> {
    ticks
        .get(k)
        .map(|&t| wfhsim_core::calendar::Date(t as i32).ymd().0)
}

/// The series panel's vertical range: every observed value and band edge, padded.
fn y_range(points: &[Point]) -> (f64, f64) {
    let vals = points
        .iter()
        .flat_map(|p| [p.1, Some(p.2), p.3, p.4])
        .flatten()
        .filter(|v| v.is_finite());
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1e-9);
    (lo - pad, hi + pad)
}

impl Chart for EvaluationChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bx, by) = body.get_base_pixel();
        let (bw, bh) = body.dim_in_pixel();
        let w = &self.words;
        let split = bx + (bw as f64 * LEFT_SHARE) as i32;
        let entries = [
            (w.observed.clone(), OBSERVED, Swatch::Line),
            (w.counterfactual.clone(), COUNTERFACTUAL, Swatch::Line),
            (
                w.band.clone(),
                tint(COUNTERFACTUAL, BAND_ALPHA),
                Swatch::Block,
            ),
            (w.window.clone(), WINDOW_LEGEND, Swatch::Block),
        ];
        let left = bx + 28;
        let legend_w = (split - left) as u32;
        let legend_h = frame::legend_rows(root, (left, by), legend_w, &entries, true)?;
        let top = by + legend_h as i32 + 10;
        let bottom = by + bh as i32 - 8;
        // The vertical axis title, rotated, left of the panel.
        let font = style::font(style::LABEL_PX);
        let y_title = frame::fit(root, &w.y_title, &font, (bottom - top) as u32);
        let ys = style::text(style::LABEL_PX)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        root.draw_text(y_title, &ys, (left, (top + bottom) / 2))
            .map_err(de)?;
        let panel = root.clone().shrink(
            (left + 36, top),
            ((split - left - 36) as u32, (bottom - top) as u32),
        );
        self.series_panel(&panel)?;
        let right = root.clone().shrink(
            (split + 40, by),
            ((bx + bw as i32 - 28 - split - 40).max(80) as u32, bh),
        );
        self.effects_column(&right)
    }
}

impl EvaluationChart {
    fn series_panel<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let first = self.points.first().map_or(0, |p| p.0);
        let last = self.points.last().map_or(first, |p| p.0).max(first);
        let (ylo, yhi) = y_range(&self.points);
        let (pw, _) = area.dim_in_pixel();
        let ticks = month_ticks(first, last, (pw / 110).max(2) as usize);
        // The year on the first tick of each year.
        let labels: Vec<(i32, i32)> = ticks
            .iter()
            .map(|&t| (t as i32, wfhsim_core::calendar::Date(t as i32).ymd().0))
            .enumerate()
            .filter(|(k, (t, y))| {
                *k == 0
                    || wfhsim_core::calendar::Date(*t).ymd().0
                        != ticks_year(&ticks, k - 1).unwrap_or(*y)
            })
            .map(|(_, p)| p)
            .collect();
        let lang = self.lang;
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(38)
            .y_label_area_size(92)
            .build_cartesian_2d(
                Axis::new(first as f64 - 1.0, last as f64 + 1.0, ticks),
                Axis::new(ylo, yhi, style::nice_ticks(ylo, yhi, 5)),
            )
            .map_err(de)?;
        chart
            .draw_series(self.windows.iter().map(|w| {
                Rectangle::new(
                    [(w.from as f64 - 0.5, ylo), (w.to as f64 + 0.5, yhi)],
                    style::WINDOW_SHADE.filled(),
                )
            }))
            .map_err(de)?;
        // Thin lines where windows meet, so adjacent windows stay apart.
        chart
            .draw_series(self.windows.iter().flat_map(|w| {
                [w.from as f64 - 0.5, w.to as f64 + 0.5].map(|x| {
                    PathElement::new(vec![(x, ylo), (x, yhi)], WINDOW_LEGEND.stroke_width(2))
                })
            }))
            .map_err(de)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|d| {
                let day = d.round() as i32;
                month_label(day, labels.iter().any(|&(t, _)| t == day), lang)
            })
            .y_label_formatter(&|v| numbers::tick(*v, lang))
            .label_style(style::text(style::TICK_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        self.series_lines(&mut chart)?;
        // Each window's number at its top.
        let st = style::bold(style::LABEL_PX)
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Center, VPos::Top));
        for (k, w) in self.windows.iter().enumerate() {
            let x = (w.from + w.to) as f64 / 2.0;
            let (px, py) = chart.backend_coord(&(x, yhi));
            let (ax, ay) = area.get_base_pixel();
            area.draw_text(&(k + 1).to_string(), &st, (px - ax, py - ay + 6))
                .map_err(de)?;
        }
        Ok(())
    }

    fn series_lines<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    ) -> DrawResult {
        let band = tint(COUNTERFACTUAL, BAND_ALPHA);
        for run in runs(&self.points, |p| p.3.zip(p.4).map(|_| 0.0)) {
            let (a, b) = (run[0].0 as i32, run[run.len() - 1].0 as i32);
            let inside = self.points.iter().filter(|p| p.0 >= a && p.0 <= b);
            let mut poly: Vec<(f64, f64)> = inside
                .clone()
                .filter_map(|p| Some((p.0 as f64, p.4?)))
                .collect();
            poly.extend(inside.rev().filter_map(|p| Some((p.0 as f64, p.3?))));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, band.filled())))
                .map_err(de)?;
        }
        for run in runs(&self.points, |p| Some(p.2)) {
            chart
                .draw_series(LineSeries::new(run, COUNTERFACTUAL.stroke_width(3)))
                .map_err(de)?;
        }
        for run in runs(&self.points, |p| p.1) {
            let dots = run
                .clone()
                .into_iter()
                .map(|p| Circle::new(p, 2, OBSERVED.filled()));
            chart
                .draw_series(LineSeries::new(run, OBSERVED.mix(0.7).stroke_width(1)))
                .map_err(de)?;
            chart.draw_series(dots).map_err(de)?;
        }
        Ok(())
    }

    /// The right column: the effects written out, the intervals, the notes.
    fn effects_column<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let (w, h) = area.dim_in_pixel();
        let heading = style::bold(style::LABEL_PX);
        let mut y = 4;
        for line in frame::wrap(area, &self.words.effects, &heading, w) {
            area.draw_text(&line, &heading.color(&style::TEXT), (0, y))
                .map_err(de)?;
            y += 32;
        }
        let small = style::font(style::TICK_PX);
        for (k, win) in self.windows.iter().enumerate() {
            let head = format!("{} · {}", k + 1, win.span);
            area.draw_text(&head, &small.color(&style::MUTED), (0, y + 6))
                .map_err(de)?;
            let sizes = [style::LABEL_PX, 21.0, 19.0];
            let (text, px) =
                frame::fit_sized(area, std::slice::from_ref(&win.effect), &sizes, true, w);
            area.draw_text(text, &style::bold(px).color(&COUNTERFACTUAL), (0, y + 34))
                .map_err(de)?;
            y += 70;
        }
        let notes = self.notes(area, w);
        let notes_h = 28 * notes.len() as i32;
        // At most 100 px a row, so one window's bar is not a tall block.
        let rows = self.windows.len() + usize::from(self.simulated.is_some());
        let panel_h = (h as i32 - y - 16 - notes_h)
            .min(100 * rows.max(1) as i32 + 38)
            .max(120);
        let panel = area
            .clone()
            .shrink((0, y + 12), (w.saturating_sub(18), panel_h as u32));
        self.intervals(&panel)?;
        let mut ny = y + 12 + panel_h + 4;
        for (line, color, swatch) in notes {
            let x = if swatch {
                let r = [(0, ny + 2), (24, ny + 20)];
                area.draw(&Rectangle::new(r, UNDETECTABLE.filled()))
                    .map_err(de)?;
                area.draw(&Rectangle::new(r, RGBColor(200, 150, 60)))
                    .map_err(de)?;
                32
            } else {
                0
            };
            area.draw_text(&line, &small.color(&color), (x, ny))
                .map_err(de)?;
            ny += 28;
        }
        Ok(())
    }

    /// The lines under the intervals: the undetectable zone's key, and why there is no
    /// simulated band.
    fn notes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        w: u32,
    ) -> Vec<(String, RGBColor, bool)> {
        let font = style::font(style::TICK_PX);
        let mut out = Vec::new();
        if let Some(m) = &self.words.mde {
            for (k, line) in frame::wrap(area, m, &font, w.saturating_sub(32))
                .into_iter()
                .enumerate()
            {
                out.push((line, style::TEXT, k == 0));
            }
        }
        if let Some(n) = &self.words.no_band {
            for line in frame::wrap(area, n, &font, w) {
                out.push((line, style::EVENT_TEXT, false));
            }
        }
        out
    }

    /// The observed intervals, the simulated band and the undetectable zone on one % axis:
    /// one row each, its label above its bar.
    fn intervals<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let mut rows: Vec<(String, (f64, f64, f64), RGBColor)> = self
            .windows
            .iter()
            .zip(&self.words.observed_rows)
            .map(|(w, label)| (label.clone(), w.pct, COUNTERFACTUAL))
            .collect();
        if let Some(s) = &self.simulated {
            rows.push((s.label.clone(), s.band, SIMULATED));
        }
        let mde = self.mde.unwrap_or(0.0).abs();
        let values = rows
            .iter()
            .flat_map(|r| [r.1.0, r.1.2])
            .chain([0.0, -mde, mde])
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.08).max(0.5);
        let (lo, hi) = (lo - pad, hi + pad);
        let n = rows.len().max(1) as f64;
        let lang = self.lang;
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(38)
            .build_cartesian_2d(
                Axis::new(lo, hi, style::nice_ticks(lo, hi, 4)),
                Axis::new(0.0, n, Vec::new()),
            )
            .map_err(de)?;
        if mde > 0.0 {
            let zone = Rectangle::new([(-mde, 0.0), (mde, n)], UNDETECTABLE.filled());
            chart.draw_series(std::iter::once(zone)).map_err(de)?;
        }
        chart
            .configure_mesh()
            .x_label_formatter(&|v| numbers::pct2(*v, lang))
            .label_style(style::text(style::TICK_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        let zero = PathElement::new(vec![(0.0, 0.0), (0.0, n)], style::MUTED.stroke_width(2));
        chart.draw_series(std::iter::once(zero)).map_err(de)?;
        let font = style::font(style::MIN_PX + 1.0);
        let (w, _) = area.dim_in_pixel();
        for (i, (label, (a, m, b), color)) in rows.iter().enumerate() {
            let yc = n - i as f64 - 0.62;
            let (lx, ly) = chart.backend_coord(&(lo, n - i as f64));
            let shown = super::fit_text::shorten_label(label, |s| {
                frame::text_width(area, s, &font) + 8 <= w
            });
            let (bx, by) = area.get_base_pixel();
            area.draw_text(
                &shown,
                &font.color(&style::TEXT),
                (lx - bx + 4, ly - by + 4),
            )
            .map_err(de)?;
            self.bar(&mut chart, (*a, *m, *b), yc, *color)?;
        }
        Ok(())
    }

    /// One interval: a band for the simulated run, a whisker with a dot for an estimate.
    fn bar<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
        (a, m, b): (f64, f64, f64),
        y: f64,
        color: RGBColor,
    ) -> DrawResult {
        if color == SIMULATED {
            let band = Rectangle::new([(a, y - 0.16), (b, y + 0.16)], tint(color, 0.45).filled());
            let median =
                PathElement::new(vec![(m, y - 0.22), (m, y + 0.22)], color.stroke_width(4));
            chart.draw_series(std::iter::once(band)).map_err(de)?;
            return chart
                .draw_series(std::iter::once(median))
                .map(|_| ())
                .map_err(de);
        }
        let line = |pts: Vec<(f64, f64)>| PathElement::new(pts, color.stroke_width(3));
        let parts = [
            line(vec![(a, y), (b, y)]),
            line(vec![(a, y - 0.12), (a, y + 0.12)]),
            line(vec![(b, y - 0.12), (b, y + 0.12)]),
        ];
        chart.draw_series(parts).map_err(de)?;
        chart
            .draw_series(std::iter::once(Circle::new((m, y), 7, color.filled())))
            .map(|_| ())
            .map_err(de)
    }
}
