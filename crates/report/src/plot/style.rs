//! Shared look: palette and font sizes. Numbers and dates are written by `numbers.rs`.

use plotters::style::{FontDesc, FontFamily, FontStyle, IntoFont, RGBColor, TextStyle};

use super::fonts::FAMILY;

pub(super) const WIDTH: u32 = 1600;
pub(super) const HEIGHT: u32 = 900;

// Plotters font sizes are glyph-box heights; the CSS font-size (as written to
// SVG) is size / 1.24. These give ≥ 28 px titles and ≥ 18 px labels in CSS px.
pub(super) const TITLE_PX: f64 = 36.0;
pub(super) const SUBTITLE_PX: f64 = 24.0;
pub(super) const PANEL_PX: f64 = 26.0;
pub(super) const LABEL_PX: f64 = 24.0;
pub(super) const TICK_PX: f64 = 22.5;
pub(super) const NOTE_PX: f64 = 22.5;
/// The smallest text on a chart: 17 / 1.24 ≈ 13.7 CSS px, still ≥ 11 px when a
/// 1600×900 chart is shown at 1280×720.
pub(super) const MIN_PX: f64 = 17.0;
/// The English line of a two-language title.
pub(super) const SECOND_TITLE_PX: f64 = 28.0;

pub(super) const TEXT: RGBColor = RGBColor(30, 30, 30);
pub(super) const MUTED: RGBColor = RGBColor(90, 90, 90);
pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(super) const WINDOW_SHADE: RGBColor = RGBColor(236, 236, 236);
pub(super) const EVENT_SHADE: RGBColor = RGBColor(255, 224, 178);
pub(super) const EVENT_TEXT: RGBColor = RGBColor(150, 75, 0);

/// Okabe–Ito (without yellow/black first) followed by Tableau-10 hues.
const PALETTE: [RGBColor; 16] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(160, 140, 0),   // dark yellow
    RGBColor(78, 121, 167),  // tableau blue
    RGBColor(242, 142, 43),  // tableau orange
    RGBColor(225, 87, 89),   // tableau red
    RGBColor(118, 183, 178), // tableau teal
    RGBColor(89, 161, 79),   // tableau green
    RGBColor(176, 122, 161), // tableau purple
    RGBColor(156, 117, 95),  // tableau brown
    RGBColor(121, 112, 107), // tableau grey
];

/// Colour of the i-th series (cycles after 16).
pub(super) fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(super) fn font(px: f64) -> FontDesc<'static> {
    (FontFamily::Name(FAMILY), px).into_font()
}

pub(super) fn bold(px: f64) -> FontDesc<'static> {
    (FontFamily::Name(FAMILY), px, FontStyle::Bold).into_font()
}

pub(super) fn text(px: f64) -> TextStyle<'static> {
    font(px).color(&TEXT)
}

/// "Nice" linear ticks covering [lo, hi] (about `n` of them).
pub(super) fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + step * 1e-9 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// Sequential colour scale (viridis-like), t in [0, 1].
pub(super) fn sequential(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (253, 231, 37),
        (170, 220, 50),
        (94, 201, 98),
        (39, 173, 129),
        (33, 145, 140),
        (44, 114, 142),
        (59, 82, 139),
        (71, 45, 123),
        (68, 1, 84),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// True when black text is readable on `c`.
pub(super) fn is_light(c: RGBColor) -> bool {
    0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64 > 150.0
}
