//! Charts of a parameter sweep (`wfhsim sweep`): a tornado of one-at-a-time swings
//! (`tornado.rs`), one response curve per swept factor (`response.rs`) and Sobol
//! sensitivity indices (`sobol.rs`).
//!
//! Input is [`SweepCharts`]: plain numbers and texts the sweep has already reduced (medians,
//! bands, indices). This module owns only their drawing; it reads no table, runs no
//! model and touches no file. Like the run charts, each chart is a `prepare` step
//! building a plain struct and one generic `draw` (see [`frame::Chart`]), rendered to a
//! 1600×900 PNG and SVG by [`render::render`] with the embedded DejaVu fonts.
//!
//! Every word comes from the label catalogue (`[sweep.*]` keys, through [`ChartText`]) in
//! the input's languages, and every number is written for the first of them (Indonesian
//! `12.100` and `0,25`, English `12,100` and `0.25`). The factor labels, the design's
//! title and the settings are the design file's own words and are printed as given.
//!
//! The helpers below (number formatting with the outcome's unit, wrapped row labels,
//! one-row legends, dashed lines) are shared by the three charts.

mod response;
mod sobol;
mod tornado;

#[cfg(test)]
mod tests;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fit_text;
use super::frame::{self, DrawResult, de, text_width};
use super::text::ChartText;
use super::{PlotError, RenderedChart, register_fonts, render, style};
use crate::labels::{Lang, Langs, format};

/// Everything the sweep charts need; no polars, plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepCharts {
    /// The languages of the charts' words; numbers follow the first.
    pub langs: Langs,
    /// The design's title, e.g. "What moves the DKI 2023 order's trips avoided?".
    pub title: String,
    /// The outcome, e.g. "Commuter trips avoided per policy working day", in the chart's
    /// languages.
    pub outcome_label: String,
    /// Its unit, e.g. "trips/day" or "% of DKI's counted vehicles". A unit starting with
    /// `%` means the values are already percentages: 1.5 is printed "1.5%".
    pub outcome_unit: String,
    /// How the sweep ran (program, design, seed, replicates, scale), printed small at the
    /// bottom of every chart as given.
    pub run_note: String,
    /// The dataset's source note, printed after it behind the catalogue's "Sumber" /
    /// "Source" as a run's charts print it.
    pub source_note: String,
    pub tornado: Option<Tornado>,
    /// One chart per entry, file stem `response_<1-based index>`.
    pub responses: Vec<Response>,
    pub sobol: Option<Sobol>,
}

/// One-at-a-time swings around the central setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// The outcome median with every factor central.
    pub base_value: f64,
    /// What the base is, e.g. "central values" (in the chart's languages).
    pub base_label: String,
    /// In any order: the chart sorts them by swing.
    pub bars: Vec<TornadoBar>,
}

/// One factor of the tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// Human label, e.g. "Compliance (DKI policy)".
    pub factor: String,
    /// The factor's low setting as text, e.g. "0.30" or "random".
    pub low_level: String,
    /// Its high setting as text, e.g. "0.90" or "rotation".
    pub high_level: String,
    /// The outcome median at the low setting, others central.
    pub outcome_at_low: f64,
    /// The outcome median at the high setting, others central.
    pub outcome_at_high: f64,
}

/// The outcome along one swept factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// X-axis label including its unit, e.g. "WFH share of teleworkable staff".
    pub factor: String,
    /// Settings of the factor (sorted here if they are not).
    pub x: Vec<f64>,
    /// Outcome quantiles over replicates at each `x`; same length as `x`.
    pub p05: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
    pub target: Option<Target>,
}

/// An outcome level to reach, and where along the factor it is reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The outcome level, in the outcome's unit.
    pub value: f64,
    /// Where the median reaches it; `None`: not reached in the swept range.
    pub x_median: Option<f64>,
    /// Where 90% of replicates reach it; `None`: not reached in the swept range.
    pub x_p90: Option<f64>,
}

/// Sobol indices of the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Sobol {
    /// Base sample size N, printed in the chart's note.
    pub samples: usize,
    /// The share of one replicate's variance the factors explain (0..1), printed in the
    /// note when known (two or more replicates).
    pub factors_share: Option<f64>,
    /// In any order: the chart sorts them by total index.
    pub factors: Vec<SobolFactor>,
}

/// First-order (`s1`) and total (`st`) index of one factor with 95% intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolFactor {
    pub factor: String,
    pub s1: f64,
    pub s1_lo: f64,
    pub s1_hi: f64,
    pub st: f64,
    pub st_lo: f64,
    pub st_hi: f64,
}

/// Renders the sweep's charts as PNG and SVG, in a fixed order: `tornado` (if any),
/// `response_1`, `response_2`, … (one per response), `sobol` (if any) — each as `.png`
/// then `.svg`. Same input, same bytes.
///
/// Fails with [`PlotError::Draw`] when a response's `p05`/`p50`/`p95` do not have as many
/// values as its `x`, or when plotters fails.
pub fn render_sweep(input: &SweepCharts) -> Result<Vec<RenderedChart>, PlotError> {
    register_fonts();
    let mut out = Vec::with_capacity(2 * (input.responses.len() + 2));
    if let Some(t) = &input.tornado {
        let chart = tornado::prepare(input, t);
        out.extend(render::render(&chart, tornado::STEM)?);
    }
    for (i, r) in input.responses.iter().enumerate() {
        let stem = response::stem(i);
        let chart = response::prepare(input, r, &stem)?;
        out.extend(render::render(&chart, &stem)?);
    }
    if let Some(s) = &input.sobol {
        let chart = sobol::prepare(input, s);
        out.extend(render::render(&chart, sobol::STEM)?);
    }
    Ok(out)
}

/// The note at the bottom of a chart: how the sweep ran, then the dataset's sources.
fn frame_note(input: &SweepCharts) -> String {
    let source = ChartText::new(input.langs).source(&input.source_note);
    if input.run_note.trim().is_empty() {
        source
    } else {
        format!("{} · {source}", input.run_note.trim())
    }
}

// ---------------------------------------------------------------------------------------
// Numbers and units

/// True when the unit says the values are already percentages ("%", "% of trips").
fn is_percent(unit: &str) -> bool {
    unit.trim_start().starts_with('%')
}

/// A value for a label: whole numbers with thousands separators from 100 up, three
/// significant digits below (0.0312, 1.5, 42.4; Indonesian 0,0312, 1,5, 42,4); "–" when
/// not finite.
fn value_text(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() >= 99.5 || v == 0.0 {
        return format::int(v, lang);
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let body = trim_zeros(format!("{:.*}", digits, v.abs()));
    // Rounding may have produced "0" (e.g. 1e-13) or "100" (99.96 is caught above).
    if body == "0" {
        return "0".into();
    }
    let shown = body.split_once('.').map_or(0, |(_, f)| f.len());
    let body = format::number(v.abs(), shown, lang);
    if v < 0.0 { format!("−{body}") } else { body }
}

/// [`value_text`] followed by `%` for a percent unit: for bar-end labels whose unit is on
/// the axis.
fn short_value(v: f64, unit: &str, lang: Lang) -> String {
    if is_percent(unit) && v.is_finite() {
        format!("{}%", value_text(v, lang))
    } else {
        value_text(v, lang)
    }
}

/// A value with its unit: "16,000 trips/day", "1% of commuter trips", "0.5".
fn with_unit(v: f64, unit: &str, lang: Lang) -> String {
    let unit = unit.trim();
    if is_percent(unit) && v.is_finite() {
        format!("{}{unit}", value_text(v, lang))
    } else if unit.is_empty() {
        value_text(v, lang)
    } else {
        format!("{} {unit}", value_text(v, lang))
    }
}

/// An axis title: "label (unit)", or just the label when the unit is empty or already in it.
fn axis_title(label: &str, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() || label.contains(unit) {
        label.to_string()
    } else {
        format!("{label} ({unit})")
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// About `n` "nice" ticks over `[lo, hi]` and their step.
fn ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    let t = style::nice_ticks(lo, hi, n);
    let step = if t.len() >= 2 { t[1] - t[0] } else { 1.0 };
    (t, step)
}

/// A tick label with as many decimals as the step needs (0.25 → 2, 0.2 → 1, 500 → 0) and
/// thousands separators, in the language's marks.
fn tick_text(v: f64, step: f64, lang: Lang) -> String {
    let decimals = (0..=8)
        .find(|&d| {
            let s = step.abs() * 10f64.powi(d);
            (s - s.round()).abs() < 1e-6 * s.max(1.0)
        })
        .unwrap_or(8) as usize;
    format::number(v, decimals, lang)
}

/// Lowest and highest finite value, or `None`.
fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

// ---------------------------------------------------------------------------------------
// Text layout

/// `s` wrapped to `max_w` pixels in at most `max_lines` lines; a word wider than `max_w`
/// and the last line of a text that does not fit are cut with "…".
fn wrap_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: u32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = frame::wrap(root, s, font, max_w);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(format!("{rest}…"));
    }
    lines
        .into_iter()
        .map(|l| ellipsize(root, &l, font, max_w))
        .collect()
}

/// `s` cut at the end with "…" until it fits in `max_w` pixels.
fn ellipsize<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: u32,
) -> String {
    fit_text::ellipsize(s, |c| text_width(root, c, font) <= max_w)
}

/// Row labels: the largest size (tick size down to 18 px) at which every label fits in
/// `max_w` pixels and its row of `row_h` pixels (at most three lines); at 18 px the lines
/// that do not fit are cut with "…". Returns the size and each label's lines.
fn fit_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    max_w: u32,
    row_h: f64,
) -> (f64, Vec<Vec<String>>) {
    const SIZES: [f64; 5] = [style::TICK_PX, 21.0, 20.0, 19.0, 18.0];
    for px in SIZES {
        let font = style::font(px);
        let max_lines = (((row_h - 4.0) / line_height(px)).floor() as usize).clamp(1, 3);
        let fits = labels.iter().all(|l| {
            let w = frame::wrap_first(root, l, &font, max_w, max_lines + 1);
            w.len() <= max_lines && w.iter().all(|s| text_width(root, s, &font) <= max_w)
        });
        if fits || px == SIZES[SIZES.len() - 1] {
            let lines = labels
                .iter()
                .map(|l| wrap_lines(root, l, &font, max_w, max_lines))
                .collect();
            return (px, lines);
        }
    }
    unreachable!("the last size always returns")
}

/// Line spacing for text of size `px`.
fn line_height(px: f64) -> f64 {
    (px * 1.08).ceil()
}

/// Draws `lines` centred vertically on `(x, y)` with the anchor of `st`.
fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    st: &TextStyle<'_>,
    line_h: i32,
    (x, y): (i32, i32),
) -> DrawResult {
    let top = y - line_h * (lines.len() as i32 - 1) / 2;
    for (k, line) in lines.iter().enumerate() {
        root.draw_text(line, st, (x, top + k as i32 * line_h))
            .map_err(de)?;
    }
    Ok(())
}

/// Wraps `text` to the body's width less margins and draws it in `color` at the top of
/// `body`, one line every `line_h` pixels, left-aligned 28 px in; returns the rest of
/// `body` below it.
fn note_on_top<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    body: DrawingArea<DB, Shift>,
    text: &str,
    color: &RGBColor,
    line_h: u32,
) -> Result<DrawingArea<DB, Shift>, String> {
    let font = style::font(style::TICK_PX);
    let width = body.dim_in_pixel().0;
    let lines = frame::wrap(root, text, &font, width - 56);
    let (area, rest) = body.split_vertically(line_h * lines.len() as u32 + 4);
    let (x, y) = area.get_base_pixel();
    let st = font.color(color).pos(Pos::new(HPos::Left, VPos::Center));
    for (k, l) in lines.iter().enumerate() {
        root.draw_text(
            l,
            &st,
            (x + 28, y + line_h as i32 / 2 + line_h as i32 * k as i32),
        )
        .map_err(de)?;
    }
    Ok(rest)
}

/// The note a chart shows where a design has no factors, centred in the plot area.
fn no_factors<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: ChartText,
    xr: &std::ops::Range<i32>,
    yr: &std::ops::Range<i32>,
) -> DrawResult {
    let st = style::font(style::LABEL_PX)
        .color(&style::MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw_text(
        &t.label("sweep.no_factors"),
        &st,
        ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2),
    )
    .map_err(de)
}

/// Draws `text` left-aligned at `(x, y)` (vertical centre) on a white box, so it stays
/// readable over grid lines and bands.
fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &FontDesc<'_>,
    color: &RGBColor,
    (x, y): (i32, i32),
) -> DrawResult {
    let w = text_width(root, text, font) as i32;
    let h = (font.get_size() * 0.62).ceil() as i32;
    root.draw(&Rectangle::new(
        [(x - 5, y - h), (x + w + 5, y + h)],
        WHITE.mix(0.88).filled(),
    ))
    .map_err(de)?;
    let st = font.color(color).pos(Pos::new(HPos::Left, VPos::Center));
    root.draw_text(text, &st, (x, y)).map_err(de)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Marks and legends

/// A dashed straight line in pixels: `dash` drawn, `gap` skipped.
fn dashed_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
    (dash, gap): (f64, f64),
    st: ShapeStyle,
) -> DrawResult {
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Ok(());
    }
    let at = |d: f64| {
        (
            from.0 + (dx * d / len).round() as i32,
            from.1 + (dy * d / len).round() as i32,
        )
    };
    let mut d = 0.0;
    while d < len {
        let e = (d + dash).min(len);
        root.draw(&PathElement::new(vec![at(d), at(e)], st))
            .map_err(de)?;
        d = e + gap;
    }
    Ok(())
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Mark {
    /// A filled block.
    Block(RGBColor),
    /// A solid line with a dot on it (a median line with its points).
    LineDot(RGBColor),
    /// A dashed line of the given width.
    Dashed(RGBColor, u32),
    /// A solid line of the given width.
    Line(RGBColor, u32),
    /// A black whisker with caps (a confidence interval).
    Whisker,
}

/// Draws a legend in one row from `(x, y)` (y the row's centre); returns the x after it.
/// Each entry has its label in every language, then in the first only ([`ChartText::choices`]):
/// the row uses the first choice when all of them fit in the chart's width, else the second.
fn legend_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    entries: &[(Mark, [String; 2])],
) -> Result<i32, String> {
    let font = style::font(style::TICK_PX);
    let st = font
        .color(&style::TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let row_w = |k: usize| -> i32 {
        entries
            .iter()
            .map(|(_, l)| 96 + text_width(root, &l[k], &font) as i32)
            .sum()
    };
    let k = usize::from(x + row_w(0) > style::WIDTH as i32 - 28);
    let mut x = x;
    for (mark, labels) in entries {
        let label = &labels[k];
        match *mark {
            Mark::Block(c) => root
                .draw(&Rectangle::new(
                    [(x + 4, y - 10), (x + 36, y + 10)],
                    c.filled(),
                ))
                .map_err(de)?,
            Mark::LineDot(c) => {
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 40, y)],
                    ShapeStyle::from(&c).stroke_width(4),
                ))
                .map_err(de)?;
                root.draw(&Circle::new((x + 20, y), 6, c.filled()))
                    .map_err(de)?;
            }
            Mark::Dashed(c, w) => dashed_line(
                root,
                (x, y),
                (x + 40, y),
                (10.0, 6.0),
                ShapeStyle::from(&c).stroke_width(w),
            )?,
            Mark::Line(c, w) => root
                .draw(&PathElement::new(
                    vec![(x + 20, y - 12), (x + 20, y + 12)],
                    ShapeStyle::from(&c).stroke_width(w),
                ))
                .map_err(de)?,
            Mark::Whisker => {
                let ws = ShapeStyle::from(&BLACK).stroke_width(2);
                root.draw(&PathElement::new(
                    vec![(x + 20, y - 12), (x + 20, y + 12)],
                    ws,
                ))
                .map_err(de)?;
                for cy in [y - 12, y + 12] {
                    root.draw(&PathElement::new(vec![(x + 12, cy), (x + 28, cy)], ws))
                        .map_err(de)?;
                }
            }
        }
        root.draw_text(label, &st, (x + 52, y)).map_err(de)?;
        x += 52 + text_width(root, label, &font) as i32 + 44;
    }
    Ok(x)
}
