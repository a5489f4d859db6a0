//! Drawing a bundle's decomposition chart (`decomposition.rs`): the parts' names on the
//! left, one panel per measure with a bar per part and a darker one for the bundle's
//! total under a rule, each with its 5–95% whiskers and its median written beside it, and
//! a line under the panels saying what the whiskers are.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::decomposition::{DecompositionChart, PerDay};
use super::fit_text;
use super::frame::{self, Chart, DrawResult, de};
use super::numbers;
use super::style;

/// Height of a line of the note under the panels, and the most lines it takes.
const NOTE_LINE_H: u32 = 27;
const NOTE_LINES: usize = 2;
/// Height of the x axis's ticks and title.
const X_AREA_H: u32 = 64;

/// The x range of a panel: 0 and every whisker, with room on the right for the labels.
fn range(values: &[Option<PerDay>]) -> (f64, f64) {
    let all = values.iter().flatten().flatten().filter(|x| x.is_finite());
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let lo = if lo < 0.0 { lo - 0.06 * span } else { 0.0 };
    (lo, hi + 0.32 * span)
}

impl Chart for DecompositionChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, bh) = body.dim_in_pixel();
        let note_font = style::font(style::NOTE_PX);
        let wrapped = |s: &String| frame::wrap_first(root, s, &note_font, bw - 56, NOTE_LINES + 1);
        let note_lines = self
            .note
            .iter()
            .map(wrapped)
            .find(|l| l.len() <= NOTE_LINES)
            .unwrap_or_else(|| {
                wrapped(&self.note[1])
                    .into_iter()
                    .take(NOTE_LINES)
                    .collect()
            });
        let note_h = NOTE_LINE_H * note_lines.len() as u32 + 8;
        let (panels, note) = body.split_vertically(bh.saturating_sub(note_h));
        let tick_font = style::font(style::TICK_PX);
        let widest = self
            .names
            .iter()
            .map(|s| frame::text_width(root, s, &tick_font))
            .max()
            .unwrap_or(100);
        let names_w = widest.clamp(140, 520) + 24;
        let n_panels = self.values.len().max(1) as u32;
        let panel_w = bw.saturating_sub(names_w + 16) / n_panels;
        let (first, rest) = panels.split_horizontally(names_w + panel_w);
        let mut areas = vec![first];
        areas.extend(rest.split_evenly((1, self.values.len().saturating_sub(1).max(1))));
        for (p, area) in areas.iter().enumerate().take(self.values.len()) {
            let y_area = if p == 0 { names_w } else { 8 };
            self.panel(root, area, p, y_area)?;
        }
        let st = note_font.color(&style::MUTED);
        for (k, line) in note_lines.iter().enumerate() {
            let y = 8 + (k as u32 * NOTE_LINE_H) as i32;
            note.draw_text(line, &st, (28, y)).map_err(de)?;
        }
        Ok(())
    }
}

impl DecompositionChart {
    /// Panel `p` in `area`, its names' column `y_area` pixels wide (the first panel's only).
    fn panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        p: usize,
        y_area: u32,
    ) -> DrawResult {
        let (titles, unit) = &self.words[p];
        let room = area.dim_in_pixel().0.saturating_sub(30);
        let (title, title_px) = frame::fit_sized(root, titles, &frame::PANEL_SIZES, true, room);
        let vals = &self.values[p];
        let n = vals.len().max(1);
        let (lo, hi) = range(vals);
        // Measured before the axes are drawn: while they are, the backend cannot measure.
        let tick_font = style::font(style::TICK_PX);
        let name_room = y_area.saturating_sub(16);
        let names: Vec<String> = self
            .names
            .iter()
            .map(|name| {
                fit_text::shorten_label(name, |s| {
                    frame::text_width(root, s, &tick_font) <= name_room
                })
            })
            .collect();
        let mut chart = ChartBuilder::on(area)
            .margin_top(4)
            .margin_bottom(8)
            .margin_right(22)
            .caption(title, style::bold(title_px).color(&style::TEXT))
            .x_label_area_size(X_AREA_H)
            .y_label_area_size(y_area)
            .build_cartesian_2d(
                Axis::new(lo, hi, style::nice_ticks(lo, hi, 3)),
                Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
            )
            .map_err(de)?;
        let lang = self.t.lang();
        let x_fmt = |v: &f64| numbers::si(*v, lang);
        let y_fmt = |y: &f64| {
            let i = (n as i64 - 1 - y.round() as i64).max(0) as usize;
            names.get(i).cloned().unwrap_or_default()
        };
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .x_desc(unit.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(style::text(style::TICK_PX))
            .axis_desc_style(style::text(style::LABEL_PX))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::MUTED);
        if y_area < 20 {
            mesh.y_labels(0);
        }
        mesh.draw().map_err(de)?;
        // The rule between the parts and the total, and the zero line.
        let thin = ShapeStyle::from(&style::MUTED).stroke_width(1);
        chart
            .draw_series([
                PathElement::new(vec![(lo, 0.5), (hi, 0.5)], thin),
                PathElement::new(vec![(0.0, -0.5), (0.0, n as f64 - 0.5)], thin),
            ])
            .map_err(de)?;
        for (i, bar) in vals.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let total = i + 1 == n;
            self.bar(root, &mut chart, y, *bar, total)?;
        }
        Ok(())
    }

    /// One bar at row `y`: its median, whiskers and label; "no data" without a value.
    fn bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut ChartContext<DB, Cartesian2d<Axis, Axis>>,
        y: f64,
        bar: Option<PerDay>,
        total: bool,
    ) -> DrawResult {
        let label_style = style::font(style::TICK_PX)
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let Some([b05, b50, b95]) = bar.filter(|b| b.iter().all(|x| x.is_finite())) else {
            let (px, py) = chart.backend_coord(&(0.0, y));
            return root
                .draw_text(&self.t.one("chart.no_data"), &label_style, (px + 6, py))
                .map_err(de);
        };
        let half = 0.28;
        let color = if total {
            style::MUTED
        } else {
            style::series_color(0)
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - half), (b50, y + half)],
                color.filled(),
            )))
            .map_err(de)?;
        let ws = ShapeStyle::from(&BLACK).stroke_width(2);
        let cap = half * 0.6;
        chart
            .draw_series([
                PathElement::new(vec![(b05, y), (b95, y)], ws),
                PathElement::new(vec![(b05, y - cap), (b05, y + cap)], ws),
                PathElement::new(vec![(b95, y - cap), (b95, y + cap)], ws),
            ])
            .map_err(de)?;
        let (px, py) = chart.backend_coord(&(b95.max(b50).max(0.0), y));
        let text = numbers::si(b50, self.t.lang());
        let st = if total {
            style::bold(style::TICK_PX)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Left, VPos::Center))
        } else {
            label_style
        };
        root.draw_text(&text, &st, (px + 8, py)).map_err(de)
    }
}
