//! Chart 4: trips avoided per policy working day by region — two heatmaps
//! (home region, work region) with regions as rows and scenarios as columns.

use std::collections::HashMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartData;
use super::fit_text;
use super::frame::{self, Chart, DrawResult, FrameText, de, text_width};
use super::measures::{TRIPS, unique_in_order};
use super::numbers;
use super::style::{self, WIDTH};
use super::text::ChartText;
use crate::view::records::SummaryRecord;
use wfhsim_core::results::grid::Basis;

pub(super) const STEM: &str = "trips_by_region";

/// (region basis, catalogue key of its panel title).
const BASES: [(Basis, &str); 2] = [(Basis::Home, "basis.home"), (Basis::Work, "basis.work")];

pub(super) struct RegionChart {
    text: FrameText,
    t: ChartText,
    /// (code, display name), top to bottom.
    regions: Vec<(String, String)>,
    scenarios: Vec<String>,
    /// values[basis][region][scenario]
    values: Vec<Vec<Vec<Option<f64>>>>,
}

pub(super) fn prepare(input: &ChartData) -> RegionChart {
    let rows: Vec<&SummaryRecord> = input
        .summary
        .iter()
        .filter(|r| r.metric == TRIPS.metric && r.component == TRIPS.component)
        .filter(|r| BASES.iter().any(|(b, _)| r.basis == *b))
        .collect();
    let map: HashMap<(&str, &str, &str), f64> = rows
        .iter()
        .filter(|r| r.per_day_p50.is_finite())
        .map(|r| {
            let key = (r.basis.as_str(), &*r.region, &*r.scenario);
            (key, r.per_day_p50)
        })
        .collect();

    let regions: Vec<(String, String)> = if input.region_names.is_empty() {
        unique_in_order(rows.iter().map(|r| &*r.region))
            .into_iter()
            .map(|c| (c.clone(), c))
            .collect()
    } else {
        input.region_names.clone()
    };
    let mut scenarios = unique_in_order(rows.iter().map(|r| &*r.scenario));
    let total = |s: &str| -> f64 {
        regions
            .iter()
            .filter_map(|(c, _)| map.get(&(Basis::Home.as_str(), c.as_str(), s)))
            .sum()
    };
    scenarios.sort_by(|a, b| total(b).total_cmp(&total(a)));
    let values = BASES
        .iter()
        .map(|(b, _)| {
            regions
                .iter()
                .map(|(c, _)| {
                    scenarios
                        .iter()
                        .map(|s| map.get(&(b.as_str(), c.as_str(), s.as_str())).copied())
                        .collect()
                })
                .collect()
        })
        .collect();
    let tx = ChartText::new(input.langs);
    RegionChart {
        text: FrameText {
            title: tx.title("chart.region.title", |_| Vec::new()),
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        t: tx,
        regions,
        scenarios,
        values,
    }
}

impl Chart for RegionChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, bh) = body.dim_in_pixel();
        let lang = self.t.lang();
        let (ox, oy) = (28i32, body.get_base_pixel().1);
        let tick = style::font(style::TICK_PX);
        let n_reg = self.regions.len().max(1) as i32;
        let n_sc = self.scenarios.len().max(1) as i32;
        let legend_w = 200i32;
        let gap = 36i32;
        let label_w = self
            .regions
            .iter()
            .map(|r| text_width(root, &r.1, &tick) as i32)
            .max()
            .unwrap_or(80)
            + 16;
        let panel_w = ((bw as i32 - 2 * ox - label_w - legend_w - gap) / 2).max(n_sc);
        let cell_w = panel_w / n_sc;
        let panel_w = cell_w * n_sc;

        // Column headers: scenario names rotated to read bottom-to-top.
        let hdr_px = (cell_w as f64 - 6.0).clamp(style::MIN_PX, style::TICK_PX);
        let hdr_font = style::font(hdr_px);
        let name_w = self
            .scenarios
            .iter()
            .map(|s| text_width(root, s, &hdr_font) as i32)
            .max()
            .unwrap_or(60);
        let title_h = 40i32;
        let hdr_h = (name_w + 14).min(bh as i32 * 2 / 5);
        let grid_top = oy + title_h + hdr_h;
        let row_h = ((bh as i32 - title_h - hdr_h - 8) / n_reg).max(4);
        let grid_bottom = grid_top + row_h * n_reg;

        let max = self
            .values
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .copied()
            .fold(0.0, f64::max);
        let max = if max > 0.0 { max } else { 1.0 };

        // One cell font size for the whole chart: the largest at which every value fits.
        let labels: Vec<String> = self
            .values
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.map_or_else(|| "–".into(), |v| numbers::si_short(v, lang)))
            .collect();
        let cell_px = [style::TICK_PX, 20.0, 18.0, style::MIN_PX]
            .into_iter()
            .find(|px| {
                let f = style::font(*px);
                (*px as i32) < row_h
                    && labels
                        .iter()
                        .all(|l| (text_width(root, l, &f) as i32) < cell_w - 4)
            });

        // Region labels (left of the first panel only; rows are shared).
        let lab = tick
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (r, (_, name)) in self.regions.iter().enumerate() {
            let y = grid_top + r as i32 * row_h + row_h / 2;
            root.draw_text(name, &lab, (ox + label_w - 10, y))
                .map_err(de)?;
        }

        for (b, (_, key)) in BASES.iter().enumerate() {
            let titles = self.t.choices(key);
            let (panel_title, px) = frame::fit_sized(
                root,
                &titles,
                &frame::PANEL_SIZES,
                true,
                panel_w as u32 + gap as u32 - 8,
            );
            let x0 = ox + label_w + b as i32 * (panel_w + gap);
            let ts = style::bold(px)
                .color(&style::TEXT)
                .pos(Pos::new(HPos::Center, VPos::Top));
            root.draw_text(panel_title, &ts, (x0 + panel_w / 2, oy + 4))
                .map_err(de)?;
            let hs = hdr_font
                .color(&style::TEXT)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Left, VPos::Center));
            for (s, name) in self.scenarios.iter().enumerate() {
                let cx = x0 + s as i32 * cell_w + cell_w / 2;
                let shown = fit_text::shorten_label(name, |s| {
                    text_width(root, s, &hdr_font) as i32 + 14 <= hdr_h
                });
                root.draw_text(&shown, &hs, (cx, grid_top - 8))
                    .map_err(de)?;
            }
            for (r, row) in self.values[b].iter().enumerate() {
                let y = grid_top + r as i32 * row_h;
                for (s, v) in row.iter().enumerate() {
                    let x = x0 + s as i32 * cell_w;
                    let (fill, label) = match v {
                        Some(v) => (style::sequential(v / max), numbers::si_short(*v, lang)),
                        None => (RGBColor(245, 245, 245), "–".to_string()),
                    };
                    root.draw(&Rectangle::new(
                        [(x, y), (x + cell_w, y + row_h)],
                        fill.filled(),
                    ))
                    .map_err(de)?;
                    root.draw(&Rectangle::new(
                        [(x, y), (x + cell_w, y + row_h)],
                        WHITE.stroke_width(1),
                    ))
                    .map_err(de)?;
                    let color = if style::is_light(fill) {
                        style::TEXT
                    } else {
                        WHITE
                    };
                    if let Some(px) = cell_px {
                        let st = style::font(px)
                            .color(&color)
                            .pos(Pos::new(HPos::Center, VPos::Center));
                        root.draw_text(&label, &st, (x + cell_w / 2, y + row_h / 2))
                            .map_err(de)?;
                    }
                }
            }
        }

        // Colour legend.
        let lx = ox + label_w + 2 * panel_w + gap + 36;
        let ls = style::font(style::TICK_PX).color(&style::TEXT);
        // Its title, wrapped to the room right of the panels, each language on its own
        // lines (the second grey).
        let room = (WIDTH as i32 - lx - 10).max(60) as u32;
        let words = crate::labels::Labels::builtin();
        let mut lines: Vec<(String, RGBColor)> = Vec::new();
        for (k, &l) in self.t.langs.list().iter().enumerate() {
            let color = if k == 0 { style::TEXT } else { style::MUTED };
            let text = format!(
                "{} {}",
                words.get("chart.trips_avoided", l),
                words.get("chart.per_day", l)
            );
            let font = style::font(style::TICK_PX);
            lines.extend(
                frame::wrap(root, &text, &font, room)
                    .into_iter()
                    .map(|s| (s, color)),
            );
        }
        let first = grid_top - 8 - 28 * lines.len() as i32;
        for (j, (line, color)) in lines.iter().enumerate() {
            root.draw_text(
                line,
                &style::font(style::TICK_PX).color(color),
                (lx, first + 28 * j as i32),
            )
            .map_err(de)?;
        }
        let steps = 120;
        let h = (grid_bottom - grid_top) as f64;
        for k in 0..steps {
            let ya = grid_bottom - (h * k as f64 / steps as f64) as i32;
            let yb = grid_bottom - (h * (k + 1) as f64 / steps as f64) as i32;
            let c = style::sequential((k as f64 + 0.5) / steps as f64);
            root.draw(&Rectangle::new([(lx, yb), (lx + 28, ya)], c.filled()))
                .map_err(de)?;
        }
        root.draw(&Rectangle::new(
            [(lx, grid_top), (lx + 28, grid_bottom)],
            style::MUTED.stroke_width(1),
        ))
        .map_err(de)?;
        let tl = ls.pos(Pos::new(HPos::Left, VPos::Center));
        for v in style::nice_ticks(0.0, max, 5) {
            let y = grid_bottom - (h * v / max) as i32;
            root.draw(&PathElement::new(
                vec![(lx + 28, y), (lx + 36, y)],
                style::MUTED.stroke_width(1),
            ))
            .map_err(de)?;
            root.draw_text(&numbers::si(v, lang), &tl, (lx + 42, y))
                .map_err(de)?;
        }
        Ok(())
    }
}
