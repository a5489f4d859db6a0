//! Drawing of the daily chart (`daily.rs`): a legend row, the scale note, then a grid of
//! one panel per scenario. Dates label the panels with nothing below them; a shared
//! vertical scale is labelled on the left column only, own scales on every panel.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::context::wrap_lines;
use super::daily::{DailyChart, Series};
use super::frame::{self, Chart, DrawResult, Swatch, de};
use super::numbers;
use super::style;

/// Width of the vertical tick labels, height of the date labels, gaps between panels.
const Y_LABELS_W: u32 = 92;
const X_LABELS_H: u32 = 38;
const GAP_X: i32 = 30;
const GAP_Y: i32 = 14;
/// Room left of the panels for the rotated vertical axis title.
const Y_TITLE_W: i32 = 40;

const LINE: RGBColor = RGBColor(0, 114, 178);
const WINDOW_LEGEND: RGBColor = RGBColor(215, 215, 215);
const BAND_ALPHA: f64 = 0.25;

/// `c` at opacity `a` on white: the band's colour, for its legend swatch.
fn tint(c: RGBColor, a: f64) -> RGBColor {
    let f = |v: u8| (v as f64 * a + 255.0 * (1.0 - a)).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// (columns, rows) of the grid: 3 × 3 for nine, one row up to three.
pub(super) fn grid(n: usize) -> (usize, usize) {
    let n = n.max(1);
    let cols = if n <= 3 {
        n
    } else {
        (n as f64).sqrt().ceil() as usize
    };
    (cols, n.div_ceil(cols))
}

/// Date ticks: Mondays, every k-th one so that at most `max` fit in [a, b]. Bounded
/// whatever the dates: at most `max` ticks, in i64 so that no step overflows.
fn date_ticks(a: i32, b: i32, max: usize) -> Vec<f64> {
    let max = max.max(1);
    let (a, b) = (i64::from(a), i64::from(b));
    let weeks = ((b - a).max(1) / 7 + 1) as usize;
    let step = 7 * weeks.div_ceil(max).max(1) as i64;
    // The first Monday on or after `a` (weekday as `Date::weekday`: day 0 was a Thursday).
    let first = a + (7 - (a + 3).rem_euclid(7)) % 7;
    let mut out: Vec<f64> = (0..max as i64)
        .map(|k| first + k * step)
        .take_while(|&d| d <= b)
        .map(|d| d as f64)
        .collect();
    if out.is_empty() {
        out.push(a as f64);
    }
    out
}

/// The vertical range of a panel: 0 (or the lowest p05) to above the highest p95.
fn y_range<'a>(series: impl Iterator<Item = &'a Series>) -> (f64, f64) {
    let (lo, hi) = series
        .map(Series::range)
        .fold((0.0f64, 0.0f64), |(a, b), (l, h)| (a.min(l), b.max(h)));
    let hi = if hi > 0.0 { hi * 1.12 } else { 1.0 };
    let lo = if lo < 0.0 { lo * 1.12 } else { 0.0 };
    (lo, hi)
}

impl Chart for DailyChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bx, by) = body.get_base_pixel();
        let (bw, bh) = body.dim_in_pixel();
        let w = &self.words;

        // Legend, then the note on the scale.
        let mut entries = vec![
            (w.median.clone(), LINE, Swatch::Line),
            (w.band.clone(), tint(LINE, BAND_ALPHA), Swatch::Block),
        ];
        if self.series.iter().any(|s| !s.windows.is_empty()) {
            entries.push((w.window.clone(), WINDOW_LEGEND, Swatch::Block));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (_, _, name) in &self.events {
            if !seen.contains(&name.as_str()) {
                seen.push(name);
                entries.push((name.clone(), style::EVENT_SHADE, Swatch::Block));
            }
        }
        let left = bx + 28;
        let legend_h = frame::legend_rows(root, (left, by), bw - 56, &entries, true)?;
        let note_font = if self.own_scales {
            style::bold(style::TICK_PX)
        } else {
            style::font(style::TICK_PX)
        };
        let note_color = if self.own_scales {
            style::EVENT_TEXT
        } else {
            style::MUTED
        };
        let note_y = by + legend_h as i32 + 2;
        let note = frame::fit(root, &w.scale_note, &note_font, bw - 56);
        root.draw_text(note, &note_font.color(&note_color), (left, note_y))
            .map_err(de)?;

        // The grid.
        let n = self.series.len();
        let (cols, rows) = grid(n);
        let top = note_y + 36;
        let bottom = by + bh as i32 - 44;
        let grid_left = left + Y_TITLE_W;
        let right = bx + bw as i32 - 28;
        let labels_each = if self.own_scales { Y_LABELS_W } else { 0 };
        let labels_first = if self.own_scales { 0 } else { Y_LABELS_W };
        let plot_w = ((right - grid_left - labels_first as i32 - GAP_X * (cols as i32 - 1))
            / cols as i32
            - labels_each as i32)
            .max(40);
        // Rows whose panels may have nothing below them carry date labels.
        let short_last = !n.is_multiple_of(cols);
        let dated = |r: usize| r + 1 == rows || (short_last && r + 2 == rows);
        let dated_rows = (0..rows).filter(|r| dated(*r)).count() as i32;

        // Panel titles: the largest size at which they fit in two lines.
        let title_w = plot_w as u32;
        let titles: Vec<String> = self.series.iter().map(|s| s.title.clone()).collect();
        let title_px = [style::PANEL_PX, 24.0, 22.0, 20.0, 18.5, style::MIN_PX]
            .into_iter()
            .find(|px| {
                let f = style::bold(*px);
                titles
                    .iter()
                    .all(|t| frame::wrap_first(root, t, &f, title_w, 3).len() <= 2)
            })
            .unwrap_or(style::MIN_PX);
        let title_font = style::bold(title_px);
        let wrapped: Vec<Vec<String>> = titles
            .iter()
            .map(|t| wrap_lines(root, t, &title_font, title_w, 2))
            .collect();
        let line_h = (title_px * 1.08).ceil() as i32;
        let title_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let title_h = line_h * title_lines + 12;
        let plot_h = ((bottom
            - top
            - rows as i32 * title_h
            - dated_rows * X_LABELS_H as i32
            - GAP_Y * (rows as i32 - 1))
            / rows as i32)
            .max(30);

        let shared = y_range(self.series.iter());
        let x0 = self.first_day as f64 - 1.0;
        let x1 = self.last_day as f64 + 1.0;
        let max_ticks = (plot_w / 120).max(2) as usize;
        let lang = self.t.lang();
        let mut y = top;
        for r in 0..rows {
            let x_h = if dated(r) { X_LABELS_H } else { 0 };
            for c in 0..cols {
                let i = r * cols + c;
                let Some(s) = self.series.get(i) else {
                    continue;
                };
                let ylab = labels_each + if c == 0 { labels_first } else { 0 };
                let x = grid_left
                    + c as i32 * (plot_w + labels_each as i32 + GAP_X)
                    + if c == 0 { 0 } else { labels_first as i32 };
                let st = title_font.color(&style::TEXT);
                for (k, line) in wrapped[i].iter().enumerate() {
                    root.draw_text(line, &st, (x + ylab as i32, y + k as i32 * line_h))
                        .map_err(de)?;
                }
                let labelled = i + cols >= n;
                let area = root.clone().shrink(
                    (x, y + title_h),
                    (
                        ylab + plot_w as u32,
                        plot_h as u32 + if labelled { x_h } else { 0 },
                    ),
                );
                let (lo, hi) = if self.own_scales {
                    y_range(std::iter::once(s))
                } else {
                    shared
                };
                self.panel(
                    &area,
                    s,
                    (lo, hi),
                    (x0, x1),
                    ylab,
                    labelled,
                    max_ticks,
                    lang,
                )?;
            }
            y += title_h + plot_h + x_h as i32 + GAP_Y;
        }

        // Axis titles: the vertical one rotated, left of the grid; the dates' below it.
        let ys = style::text(style::LABEL_PX)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let label_font = style::font(style::LABEL_PX);
        let y_title = frame::fit(root, &w.y_title, &label_font, (bottom - top) as u32);
        root.draw_text(y_title, &ys, (left, (top + bottom) / 2))
            .map_err(de)?;
        let xs = style::text(style::LABEL_PX).pos(Pos::new(HPos::Center, VPos::Top));
        let x_title = frame::fit(root, &w.x_title, &label_font, (right - grid_left) as u32);
        root.draw_text(x_title, &xs, ((grid_left + right) / 2, bottom + 6))
            .map_err(de)?;
        Ok(())
    }
}

impl DailyChart {
    /// One scenario's panel in `area` (tick labels included).
    #[allow(clippy::too_many_arguments)]
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: &Series,
        (ylo, yhi): (f64, f64),
        (x0, x1): (f64, f64),
        y_labels_w: u32,
        dated: bool,
        max_ticks: usize,
        lang: crate::labels::Lang,
    ) -> DrawResult {
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(if dated { X_LABELS_H } else { 0 })
            .y_label_area_size(y_labels_w)
            .build_cartesian_2d(
                Axis::new(x0, x1, date_ticks(self.first_day, self.last_day, max_ticks)),
                Axis::new(ylo, yhi, style::nice_ticks(ylo, yhi, 3)),
            )
            .map_err(de)?;
        // The scenario's policy windows, then event days, behind everything else.
        let shade = |spans: Vec<(i32, i32)>, color: RGBColor| {
            spans.into_iter().map(move |(a, b)| {
                Rectangle::new(
                    [(a as f64 - 0.5, ylo), (b as f64 + 0.5, yhi)],
                    color.filled(),
                )
            })
        };
        chart
            .draw_series(shade(s.windows.clone(), style::WINDOW_SHADE))
            .map_err(de)?;
        let events = self.events.iter().map(|e| (e.0, e.1)).collect();
        chart
            .draw_series(shade(events, style::EVENT_SHADE))
            .map_err(de)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|d| numbers::day_month(d.round() as i32, lang))
            .y_label_formatter(&|v| numbers::tick(*v, lang))
            .label_style(style::text(style::TICK_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED)
            .draw()
            .map_err(de)?;
        if s.points.is_empty() {
            return Ok(());
        }
        let mut poly: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0 as f64, p.3)).collect();
        poly.extend(s.points.iter().rev().map(|p| (p.0 as f64, p.1)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                poly,
                LINE.mix(BAND_ALPHA).filled(),
            )))
            .map_err(de)?;
        chart
            .draw_series(LineSeries::new(
                s.points.iter().map(|p| (p.0 as f64, p.2)),
                LINE.stroke_width(3),
            ))
            .map_err(de)?;
        Ok(())
    }
}

#[cfg(test)]
mod date_tick_tests {
    use super::date_ticks;
    use wfhsim_core::calendar::Date;

    fn day(y: i32, m: u32, d: u32) -> i32 {
        Date::from_ymd(y, m, d).unwrap().0
    }

    #[test]
    fn ticks_are_mondays_every_few_weeks_inside_the_dates() {
        let ticks = date_ticks(day(2023, 8, 1), day(2023, 10, 31), 6);
        let shown: Vec<String> = ticks.iter().map(|&d| Date(d as i32).to_string()).collect();
        // Fourteen weeks in at most six ticks: every third Monday from the first.
        assert_eq!(
            shown,
            [
                "2023-08-07",
                "2023-08-28",
                "2023-09-18",
                "2023-10-09",
                "2023-10-30"
            ]
        );
    }

    #[test]
    fn ticks_are_bounded_whatever_the_dates() {
        for (a, b) in [
            (day(2023, 8, 1), i32::MAX),
            (i32::MIN, i32::MAX),
            (i32::MAX - 1, i32::MAX),
        ] {
            for max in [0, 1, 6] {
                let ticks = date_ticks(a, b, max);
                assert!(
                    !ticks.is_empty() && ticks.len() <= max.max(1),
                    "{a}..{b}: {ticks:?}"
                );
                assert!(ticks.iter().all(|&t| t >= a as f64 && t <= b as f64));
            }
        }
    }
}
