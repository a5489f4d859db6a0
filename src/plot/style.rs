//! Shared look: palette, font sizes, number and date formatting.

use plotters::style::{FontDesc, FontFamily, FontStyle, IntoFont, RGBColor, TextStyle};

use super::fonts::FAMILY;
use crate::calendar::Date;

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

/// (year, month, day) of a day counted from 1970-01-01.
fn ymd(days: i32) -> (i32, u32, u32) {
    Date(days).ymd()
}

/// Integer with thousands separators: 1234567 -> "1,234,567".
pub(super) fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out != "0" {
        format!("−{out}")
    } else {
        out
    }
}

/// Compact number with k/M/B suffix: 12500 -> "12.5k", 3_400_000 -> "3.4M".
pub(super) fn si(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let sign = if v < 0.0 { "−" } else { "" };
    let (x, suffix) = if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e3 {
        (a / 1e3, "k")
    } else {
        (a, "")
    };
    let body = if x == 0.0 {
        "0".to_string()
    } else if x >= 100.0 || (suffix.is_empty() && x >= 10.0) {
        format!("{x:.0}")
    } else if x >= 10.0 {
        trim_zeros(format!("{x:.1}"))
    } else {
        trim_zeros(format!("{x:.2}"))
    };
    format!("{sign}{body}{suffix}")
}

/// Short compact number for table cells: 1234 -> "1.2k", 45678 -> "46k", 952 -> "952".
pub(super) fn si_short(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let sign = if v < 0.0 { "−" } else { "" };
    let (x, suffix) = if a >= 999_500.0 {
        (a / 1e6, "M")
    } else if a >= 999.5 {
        (a / 1e3, "k")
    } else {
        (a, "")
    };
    let body = if x >= 10.0 || (suffix.is_empty() && x >= 1.0) || x == 0.0 {
        format!("{x:.0}")
    } else {
        trim_zeros(format!("{x:.1}"))
    };
    format!("{sign}{body}{suffix}")
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Tick label: thousands separators below 100k, k/M suffixes above.
pub(super) fn tick(v: f64) -> String {
    if v.abs() < 1e5 && (v.fract() == 0.0 || v.abs() >= 100.0) {
        thousands(v)
    } else {
        si(v)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// "7 Aug"
pub(super) fn day_month(days: i32) -> String {
    let (_, m, d) = ymd(days);
    format!("{d} {}", MONTHS[(m as usize + 11) % 12])
}

/// "Mon 4"
pub(super) fn weekday_day(days: i32) -> String {
    let wd = Date(days).weekday() as usize;
    let (_, _, d) = ymd(days);
    format!("{} {d}", WEEKDAYS[wd % 7])
}

/// "4–7 Sep", "30 Aug–1 Sep" or "8 Sep": inclusive days, without the year.
pub(super) fn day_span(first: i32, last: i32) -> String {
    let (_, m0, d0) = ymd(first);
    let (_, m1, d1) = ymd(last);
    if first == last {
        day_month(first)
    } else if m0 == m1 {
        format!("{d0}–{d1} {}", MONTHS[(m1 as usize + 11) % 12])
    } else {
        format!("{}–{}", day_month(first), day_month(last))
    }
}

/// [`day_span`] with the year: "5–7 Sep 2023", "30 Dec 2023–2 Jan 2024".
pub(super) fn day_span_year(first: i32, last: i32) -> String {
    let (y0, ..) = ymd(first);
    let (y1, ..) = ymd(last);
    if y0 == y1 {
        format!("{} {y1}", day_span(first, last))
    } else {
        format!("{} {y0}–{} {y1}", day_month(first), day_month(last))
    }
}

/// A share in 0..=1 as a percentage: 0.75 -> "75%", 0.125 -> "12.5%".
pub(super) fn percent(share: f64) -> String {
    let pct = share * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        format!("{}%", trim_zeros(format!("{pct:.1}")))
    }
}

/// "Aug–Oct 2023" style span for titles.
pub(super) fn month_span(first: i32, last: i32) -> String {
    let (y0, m0, _) = ymd(first);
    let (y1, m1, _) = ymd(last);
    let name = |m: u32| MONTHS[(m as usize + 11) % 12];
    if y0 == y1 && m0 == m1 {
        format!("{} {y0}", name(m0))
    } else if y0 == y1 {
        format!("{}–{} {y0}", name(m0), name(m1))
    } else {
        format!("{} {y0}–{} {y1}", name(m0), name(m1))
    }
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
