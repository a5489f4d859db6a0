//! Chart 3: totals over each scenario's policy window — horizontal bars with
//! p05–p95 whiskers, one panel per metric, labelled with % of baseline.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartData;
use super::axis::Axis;
use super::frame::{self, Chart, DrawResult, FrameText, de};
use super::measures::{self as m, Measure, SummaryIndex, unique_in_order};
use super::numbers;
use super::style;
use super::text::ChartText;
use crate::labels::format;
use crate::view::records::ALL;
use wfhsim_core::results::grid::Basis;

/// How a panel is titled: a catalogue key as it is, or a metric's name with ", net".
#[derive(Debug, Clone, Copy)]
pub(super) enum Caption {
    Plain(&'static str),
    Net(&'static str),
}

/// One panel: (summary measure, caption, catalogue key of the x-axis unit, divisor).
type Panel = (Measure, Caption, &'static str, f64);

/// A totals chart: its file stem, title's catalogue key and panels. Two are drawn so
/// that every pollutant appears without crowding one figure.
pub(super) struct Layout {
    pub stem: &'static str,
    pub title: &'static str,
    pub panels: &'static [Panel],
}

const KG: &str = "unit.kg";
const MILLION_KM: &str = "chart.unit.million_km";

pub(super) const MAIN: Layout = Layout {
    stem: "totals_by_scenario",
    title: "chart.totals.title",
    panels: &[
        (
            m::TRIPS,
            Caption::Plain("chart.trips_avoided"),
            "unit.trips",
            1.0,
        ),
        (
            m::CO2_NET,
            Caption::Net("metric.co2"),
            "chart.unit.tonnes",
            1000.0,
        ),
        (m::PM25_NET, Caption::Net("metric.pm25"), KG, 1.0),
        (
            m::PM25_TOTAL_NET,
            Caption::Net("metric.pm25_total"),
            KG,
            1.0,
        ),
        (m::NOX_NET, Caption::Net("metric.nox"), KG, 1.0),
        (m::CO_NET, Caption::Net("metric.co"), KG, 1.0),
    ],
};

pub(super) const OTHER: Layout = Layout {
    stem: "totals_other_pollutants",
    title: "chart.totals.other_title",
    panels: &[
        (m::PM10_NET, Caption::Net("metric.pm10"), KG, 1.0),
        (
            m::PM10_TOTAL_NET,
            Caption::Net("metric.pm10_total"),
            KG,
            1.0,
        ),
        (m::HC_NET, Caption::Net("metric.hc"), KG, 1.0),
        (m::SO2_NET, Caption::Net("metric.so2"), KG, 1.0),
        (
            m::VEHICLE_KM_NET,
            Caption::Net("metric.vehicle_km"),
            MILLION_KM,
            1e6,
        ),
        (
            m::PERSON_KM,
            Caption::Plain("metric.person_km"),
            MILLION_KM,
            1e6,
        ),
    ],
};

/// A panel's caption in the chart's language(s) ("CO₂, neto / CO₂, net"), then in the
/// first only.
fn captions(c: Caption, t: ChartText) -> [String; 2] {
    [caption(c, t), caption(c, t.first_only())]
}

fn caption(c: Caption, t: ChartText) -> String {
    match c {
        Caption::Plain(key) => t.label(key),
        Caption::Net(metric) => t.fill("chart.net", |l| {
            vec![("metric", crate::labels::Labels::builtin().get(metric, l))]
        }),
    }
}

/// (p05, p50, p95, % of baseline p50)
type Bar = (f64, f64, f64, f64);

pub(super) struct TotalsChart {
    text: FrameText,
    t: ChartText,
    /// (captions, unit) of each panel: the caption in every language, then in the first.
    words: Vec<([String; 2], String)>,
    panels: &'static [Panel],
    /// Scenario names, top to bottom.
    scenarios: Vec<String>,
    /// values[panel][scenario]
    values: Vec<Vec<Option<Bar>>>,
}

pub(super) fn prepare(input: &ChartData, layout: &Layout) -> TotalsChart {
    let rows: Vec<_> = input
        .summary
        .iter()
        .filter(|r| r.basis == Basis::All && &*r.region == ALL)
        .collect();
    let index = SummaryIndex::new(rows.iter().copied());
    let mut scenarios = unique_in_order(rows.iter().map(|r| &*r.scenario));

    let fin = |x: f64| if x.is_finite() { x } else { 0.0 };
    let lookup = |s: &str, p: usize| -> Option<Bar> {
        let (measure, _, _, div) = layout.panels[p];
        let r = index.whole_area(s, measure)?;
        let [p05, p50, p95] = r.total.0;
        Some((
            fin(p05) / div,
            fin(p50) / div,
            fin(p95) / div,
            r.pct_baseline.median(),
        ))
    };
    // Same scenario order in every totals chart: by trips avoided.
    let trips = |s: &str| {
        index
            .whole_area(s, m::TRIPS)
            .map_or(f64::NEG_INFINITY, |r| r.total.median())
    };
    scenarios.sort_by(|a, b| trips(b).total_cmp(&trips(a)));
    let values = (0..layout.panels.len())
        .map(|p| scenarios.iter().map(|s| lookup(s, p)).collect())
        .collect();
    let tx = ChartText::new(input.langs);
    TotalsChart {
        text: FrameText {
            title: tx.title(layout.title, |_| Vec::new()),
            run_label: input.run_label.clone(),
            source_note: tx.source(&input.source_note),
        },
        words: layout
            .panels
            .iter()
            .map(|p| (captions(p.1, tx), tx.label(p.2)))
            .collect(),
        t: tx,
        panels: layout.panels,
        scenarios,
        values,
    }
}

/// "0.36%", "<0.01%", or in roomy rows "0.36% of baseline" — in the first language only,
/// the title saying what the labels are in every language.
fn pct_label(pct: f64, long: bool, t: ChartText) -> Option<String> {
    if !pct.is_finite() {
        return None;
    }
    let lang = t.lang();
    let body = if pct != 0.0 && pct.abs() < 0.005 {
        let small = format::pct(0.01, 2, lang);
        if pct > 0.0 {
            format!("<{small}")
        } else {
            format!(">−{small}")
        }
    } else {
        format::pct(pct, 2, lang)
    };
    Some(if long {
        t.first_only()
            .fill("chart.totals.of_baseline", |_| vec![("pct", body.clone())])
    } else {
        body
    })
}

impl Chart for TotalsChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let body = frame::frame(root, &self.text)?;
        let (bw, bh) = body.dim_in_pixel();
        let tick_font = style::font(style::TICK_PX);
        let names_w = self
            .scenarios
            .iter()
            .map(|s| frame::text_width(root, s, &tick_font))
            .max()
            .unwrap_or(100)
            .clamp(120, 380)
            + 24;
        let n = self.scenarios.len().max(1);
        let caption_h = 44u32;
        let x_area_h = 64u32;
        let plot_h = bh.saturating_sub(caption_h + x_area_h + 20);
        let row_h = plot_h as f64 / n as f64;
        // Roomy rows: label sits above the bar; tight rows: short label beside the whisker.
        let roomy = row_h >= 70.0;
        // Bar half-thickness, in rows.
        let half = if roomy {
            (row_h / 2.0 - 30.0).min(16.0) / row_h
        } else {
            0.3
        };
        let panel_w = (bw.saturating_sub(names_w + 16)) / self.panels.len() as u32;
        let (first, rest) = body.split_horizontally(names_w + panel_w);
        let mut areas = vec![first];
        areas.extend(rest.split_evenly((1, self.panels.len() - 1)));

        let names = &self.scenarios;
        for (p, area) in areas.iter().enumerate() {
            let (titles, unit) = &self.words[p];
            let room = area.dim_in_pixel().0.saturating_sub(30);
            let (title, title_px) = frame::fit_sized(root, titles, &frame::PANEL_SIZES, true, room);
            let vals = &self.values[p];
            let hi = vals
                .iter()
                .flatten()
                .map(|b| b.2.max(b.1))
                .fold(0.0, f64::max);
            let lo = vals
                .iter()
                .flatten()
                .map(|b| b.0.min(b.1))
                .fold(0.0, f64::min);
            let hi = if hi > 0.0 {
                hi
            } else if lo < 0.0 {
                0.0
            } else {
                1.0
            };
            let hi = if roomy { hi * 1.08 } else { hi * 1.55 };
            let lo = if lo < 0.0 { lo * 1.1 } else { 0.0 };
            let mut chart = ChartBuilder::on(area)
                .margin_top(4)
                .margin_bottom(16)
                .margin_right(22)
                .caption(title, style::bold(title_px).color(&style::TEXT))
                .x_label_area_size(x_area_h)
                .y_label_area_size(if p == 0 { names_w } else { 8 })
                .build_cartesian_2d(
                    Axis::new(lo, hi, style::nice_ticks(lo, hi, 3)),
                    Axis::new(-0.5, n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
                )
                .map_err(de)?;
            let lang = self.t.lang();
            let x_fmt = |v: &f64| numbers::si(*v, lang);
            let y_fmt = |y: &f64| {
                let i = n as i64 - 1 - y.round() as i64;
                names.get(i.max(0) as usize).cloned().unwrap_or_default()
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
            if p != 0 {
                mesh.y_labels(0);
            }
            mesh.draw().map_err(de)?;

            let label_style = style::font(style::TICK_PX).color(&style::TEXT);
            for (i, bar) in vals.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let color = style::series_color(0);
                let Some((b05, b50, b95, pct)) = *bar else {
                    let (px, py) = chart.backend_coord(&(0.0, y));
                    let st = label_style.clone().pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw_text(&self.t.one("chart.no_data"), &st, (px + 6, py))
                        .map_err(de)?;
                    continue;
                };
                let (y0, y1, yc) = (y - half, y + half, y);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y0), (b50, y1)],
                        color.filled(),
                    )))
                    .map_err(de)?;
                let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                let cap = (y1 - y0) * 0.3;
                chart
                    .draw_series([
                        PathElement::new(vec![(b05, yc), (b95, yc)], ws),
                        PathElement::new(vec![(b05, yc - cap), (b05, yc + cap)], ws),
                        PathElement::new(vec![(b95, yc - cap), (b95, yc + cap)], ws),
                    ])
                    .map_err(de)?;
                if let Some(text) = pct_label(pct, roomy, self.t) {
                    let (px, py, hpos) = if roomy {
                        let (px, py) = chart.backend_coord(&(lo.max(0.0).min(hi), y + half));
                        (px + 4, py - 16, HPos::Left)
                    } else {
                        let (px, py) = chart.backend_coord(&(b95.max(b50).max(0.0), y));
                        (px + 6, py, HPos::Left)
                    };
                    let st = label_style.clone().pos(Pos::new(hpos, VPos::Center));
                    root.draw_text(&text, &st, (px, py)).map_err(de)?;
                }
            }
        }
        Ok(())
    }
}
