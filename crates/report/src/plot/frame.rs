//! Common chart frame (title, subtitle, source note) and legends, and the [`Chart`]
//! trait: one generic drawing function that every backend renders.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fit_text;
use super::style::{self, HEIGHT, WIDTH};

pub(super) type DrawResult = Result<(), String>;

/// Converts any displayable drawing error into the module's string error.
pub(super) fn de<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// One chart: a single generic drawing function used for every backend.
pub(super) trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Texts shared by every chart frame. A title may hold a second line after a '\n' (its
/// English, under the Indonesian), drawn smaller and grey.
pub(super) struct FrameText {
    pub title: String,
    pub run_label: String,
    pub source_note: String,
}

/// Estimated pixel width of `s` in `font` on `area`.
pub(super) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
) -> u32 {
    area.estimate_text_size(s, &TextStyle::from(font.clone()))
        .map(|(w, _)| w)
        .unwrap_or(s.len() as u32 * 11)
}

/// The first of `candidates` (e.g. a label in both languages, then in the first only)
/// that fits in `max_w` pixels, else the last.
pub(super) fn fit<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    candidates: &'a [String],
    font: &FontDesc<'_>,
    max_w: u32,
) -> &'a str {
    candidates
        .iter()
        .find(|c| text_width(area, c, font) <= max_w)
        .or(candidates.last())
        .map_or("", String::as_str)
}

/// The first of `candidates` that fits in `max_w` pixels at one of `sizes` (largest
/// first; bold or not), with that size; else the last candidate at the last size.
pub(super) fn fit_sized<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    candidates: &'a [String],
    sizes: &[f64],
    bold: bool,
    max_w: u32,
) -> (&'a str, f64) {
    let font = |px: f64| {
        if bold {
            style::bold(px)
        } else {
            style::font(px)
        }
    };
    for c in candidates {
        for &px in sizes {
            if text_width(area, c, &font(px)) <= max_w {
                return (c, px);
            }
        }
    }
    (
        candidates.last().map_or("", String::as_str),
        sizes.last().copied().unwrap_or(style::MIN_PX),
    )
}

/// Sizes a panel title may take, largest first.
pub(super) const PANEL_SIZES: [f64; 4] = [style::PANEL_PX, 24.0, 22.0, 20.0];

/// Greedy word wrap to `max_w` pixels (see [`fit_text::wrap`]); a word wider than the
/// whole chart is cut at its edge.
pub(super) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: u32,
) -> Vec<String> {
    wrap_first(area, s, font, max_w, usize::MAX)
}

/// The first `max_lines` lines of [`wrap`]: enough to tell whether a text fits in a
/// number of lines (ask for one more) without wrapping all of it.
pub(super) fn wrap_first<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    font: &FontDesc<'_>,
    max_w: u32,
    max_lines: usize,
) -> Vec<String> {
    fit_text::wrap(
        s,
        |t| text_width(area, t, font) <= max_w,
        |t| text_width(area, t, font) <= WIDTH,
        max_lines,
    )
}

/// Fills the background, draws title, subtitle and source note, and returns
/// the body area in between.
pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &FrameText,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(de)?;
    let margin = 28;
    let max_w = WIDTH - 2 * margin as u32;
    let mut y = 18;
    // A title's first line is its first language; a line after a '\n' (the English of a
    // two-language chart) is drawn smaller and grey.
    for (k, part) in t.title.split('\n').enumerate() {
        let (font, color, step) = if k == 0 {
            (style::bold(style::TITLE_PX), style::TEXT, 44)
        } else {
            (style::font(style::SECOND_TITLE_PX), style::MUTED, 36)
        };
        for line in wrap(root, part, &font, max_w) {
            draw_if_shown(root, &line, &font.color(&color), (margin, y))?;
            y += step;
        }
    }
    let sub_font = style::font(style::SUBTITLE_PX);
    for line in wrap(root, &t.run_label, &sub_font, max_w) {
        draw_if_shown(root, &line, &sub_font.color(&style::MUTED), (margin, y))?;
        y += 30;
    }
    let note_font = style::font(style::NOTE_PX);
    let note_lines = wrap(root, &t.source_note, &note_font, max_w);
    let mut ny = HEIGHT as i32 - 12 - 26 * note_lines.len() as i32;
    let body_bottom = ny - 8;
    for line in &note_lines {
        root.draw_text(line, &note_font.color(&style::MUTED), (margin, ny))
            .map_err(de)?;
        ny += 26;
    }
    let top = y + 8;
    Ok(root.margin(
        top as u32,
        (HEIGHT as i32 - body_bottom).max(0) as u32,
        0,
        0,
    ))
}

/// Draws a line of the frame's heading unless it starts below the chart: a title too long
/// for any chart would otherwise have thousands of lines drawn where no one sees them.
fn draw_if_shown<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    line: &str,
    style: &TextStyle<'_>,
    (x, y): (i32, i32),
) -> DrawResult {
    if y >= HEIGHT as i32 {
        return Ok(());
    }
    root.draw_text(line, style, (x, y)).map_err(de)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Line,
    Block,
}

/// Vertical legend in `area` (top-left aligned); returns nothing.
pub(super) fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    heading: Option<&str>,
    entries: &[(String, RGBColor, Swatch)],
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    let mut y = 4i32;
    if let Some(hd) = heading {
        area.draw_text(
            hd,
            &style::bold(style::LABEL_PX).color(&style::TEXT),
            (8, y),
        )
        .map_err(de)?;
        y += 32;
    }
    let n = entries.len().max(1) as i32;
    let row = ((h as i32 - y) / n).clamp(18, 34);
    let px = if row >= 30 {
        style::TICK_PX
    } else {
        (row as f64 - 4.0).max(style::MIN_PX)
    };
    let font = style::font(px);
    for (label, color, swatch) in entries {
        let cy = y + row / 2;
        match swatch {
            Swatch::Line => area
                .draw(&PathElement::new(
                    vec![(8, cy), (40, cy)],
                    ShapeStyle::from(color).stroke_width(4),
                ))
                .map_err(de)?,
            Swatch::Block => area
                .draw(&Rectangle::new(
                    [(12, cy - 8), (36, cy + 8)],
                    color.filled(),
                ))
                .map_err(de)?,
        }
        let shown = fit_text::shorten_label(label, |s| text_width(area, s, &font) + 52 <= w);
        let st = font
            .color(&style::TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&shown, &st, (48, cy)).map_err(de)?;
        y += row;
    }
    Ok(())
}

/// Draws one legend entry's swatch centred on `(x, y)`, 32 px wide.
fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    color: RGBColor,
    swatch: Swatch,
) -> DrawResult {
    match swatch {
        Swatch::Line => area
            .draw(&PathElement::new(
                vec![(x, y), (x + 32, y)],
                ShapeStyle::from(&color).stroke_width(4),
            ))
            .map_err(de),
        Swatch::Block => area
            .draw(&Rectangle::new(
                [(x + 4, y - 8), (x + 28, y + 8)],
                color.filled(),
            ))
            .map_err(de),
    }
}

/// A legend laid out in rows from `(x, y)` (the top left), wrapping before `max_w`
/// pixels; returns the height it takes. With `draw` false it only measures.
pub(super) fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    max_w: u32,
    entries: &[(String, RGBColor, Swatch)],
    draw: bool,
) -> Result<u32, String> {
    let font = style::font(style::TICK_PX);
    let row_h = 34;
    let st = font
        .color(&style::TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (mut cx, mut cy) = (x, y + row_h / 2);
    for (label, color, kind) in entries {
        let w = 40 + text_width(area, label, &font) as i32;
        if cx > x && cx + w > x + max_w as i32 {
            cx = x;
            cy += row_h;
        }
        if draw {
            swatch(area, (cx, cy), *color, *kind)?;
            area.draw_text(label, &st, (cx + 40, cy)).map_err(de)?;
        }
        cx += w + 36;
    }
    Ok((cy + row_h / 2 - y) as u32)
}
