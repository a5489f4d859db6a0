//! Numbers and dates on a chart, written for a language: Indonesian `12.100`, `0,04%`,
//! `12,5 rb`, `5 Agu`, `Sel 5`; English `12,100`, `0.04%`, `12.5k`, `5 Aug`, `Tue 5`.
//! Separators come from [`crate::labels::format`], suffixes and month and weekday names
//! from the label catalogue (`chart.number.*`, `chart.month.*`, `chart.weekday.*`).

use crate::labels::{Labels, Lang, format};
use wfhsim_core::calendar::Date;

/// `s` (written with an English point, no grouping) with the language's decimal point.
fn point(s: &str, lang: Lang) -> String {
    match lang {
        Lang::En => s.to_string(),
        Lang::Id => s.replace('.', ","),
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A whole number with grouped thousands: 1234567 -> "1.234.567" / "1,234,567".
pub(super) fn thousands(v: f64, lang: Lang) -> String {
    format::int(v, lang)
}

/// `x` (≥ 0, below 1000) with its suffix: "12.5k" in English, "12,5 rb" in Indonesian.
fn suffixed(sign: &str, body: &str, suffix_key: Option<&str>, lang: Lang) -> String {
    let body = point(body, lang);
    match suffix_key {
        None => format!("{sign}{body}"),
        Some(key) => {
            let suffix = Labels::builtin().get(key, lang);
            let space = if lang == Lang::Id { " " } else { "" };
            format!("{sign}{body}{space}{suffix}")
        }
    }
}

fn magnitude(a: f64, k: f64, m: f64, b: f64) -> (f64, Option<&'static str>) {
    if a >= b {
        (a / 1e9, Some("chart.number.billion"))
    } else if a >= m {
        (a / 1e6, Some("chart.number.million"))
    } else if a >= k {
        (a / 1e3, Some("chart.number.thousand"))
    } else {
        (a, None)
    }
}

/// Compact number with a thousand/million/billion suffix: 12500 -> "12.5k" / "12,5 rb".
pub(super) fn si(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let sign = if v < 0.0 { "−" } else { "" };
    let (x, suffix) = magnitude(v.abs(), 1e3, 1e6, 1e9);
    let body = if x == 0.0 {
        "0".to_string()
    } else if x >= 100.0 || (suffix.is_none() && x >= 10.0) {
        format!("{x:.0}")
    } else if x >= 10.0 {
        trim_zeros(format!("{x:.1}"))
    } else {
        trim_zeros(format!("{x:.2}"))
    };
    suffixed(sign, &body, suffix, lang)
}

/// Short compact number for table cells: 1234 -> "1.2k" / "1,2 rb", 952 -> "952".
pub(super) fn si_short(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let sign = if v < 0.0 { "−" } else { "" };
    let (x, suffix) = magnitude(v.abs(), 999.5, 999_500.0, f64::INFINITY);
    let body = if x >= 10.0 || (suffix.is_none() && x >= 1.0) || x == 0.0 {
        format!("{x:.0}")
    } else {
        trim_zeros(format!("{x:.1}"))
    };
    suffixed(sign, &body, suffix, lang)
}

/// Tick label: grouped thousands below 100 000, suffixed above.
pub(super) fn tick(v: f64, lang: Lang) -> String {
    if v.abs() < 1e5 && (v.fract() == 0.0 || v.abs() >= 100.0) {
        thousands(v, lang)
    } else {
        si(v, lang)
    }
}

/// A share in 0..=1 as a percentage: 0.75 -> "75%", 0.125 -> "12.5%" / "12,5%".
pub(super) fn percent(share: f64, lang: Lang) -> String {
    let pct = share * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0}%")
    } else {
        format!("{}%", point(&trim_zeros(format!("{pct:.1}")), lang))
    }
}

/// A percentage (given in percent) with two significant digits and no trailing zeros:
/// 0.0153 -> "0.015%" / "0,015%", 1.406 -> "1.4%", 12.3 -> "12%".
pub(super) fn pct2(v: f64, lang: Lang) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0%".into();
    }
    let a = v.abs();
    let decimals = (1 - a.log10().floor() as i32).max(0) as usize;
    let s = trim_zeros(format!("{a:.decimals$}"));
    let shown = s.split_once('.').map_or(0, |(_, f)| f.len());
    let sign = if v < 0.0 { "−" } else { "" };
    format!("{sign}{}%", format::number(a, shown, lang))
}

/// A ratio: one decimal below 2 (without a trailing zero), else whole and grouped.
pub(super) fn ratio(r: f64, lang: Lang) -> String {
    if r < 2.0 {
        point(&trim_zeros(format!("{r:.1}")), lang)
    } else {
        thousands(r.round(), lang)
    }
}

pub(super) fn month(m: u32, lang: Lang) -> String {
    Labels::builtin().get(&format!("chart.month.{m}"), lang)
}

/// "7 Aug" / "7 Agu"
pub(super) fn day_month(days: i32, lang: Lang) -> String {
    let (_, m, d) = Date(days).ymd();
    format!("{d} {}", month(m, lang))
}

/// "Mon 4" / "Sen 4"
pub(super) fn weekday_day(days: i32, lang: Lang) -> String {
    let wd = Date(days).weekday() % 7;
    let (_, _, d) = Date(days).ymd();
    let name = Labels::builtin().get(&format!("chart.weekday.{wd}"), lang);
    format!("{name} {d}")
}

/// "4–7 Sep", "30 Aug–1 Sep" or "8 Sep": inclusive days, without the year.
pub(super) fn day_span(first: i32, last: i32, lang: Lang) -> String {
    let (_, m0, d0) = Date(first).ymd();
    let (_, m1, d1) = Date(last).ymd();
    if first == last {
        day_month(first, lang)
    } else if m0 == m1 {
        format!("{d0}–{d1} {}", month(m1, lang))
    } else {
        format!("{}–{}", day_month(first, lang), day_month(last, lang))
    }
}

/// [`day_span`] with the year: "5–7 Sep 2023", "30 Dec 2023–2 Jan 2024".
pub(crate) fn day_span_year(first: i32, last: i32, lang: Lang) -> String {
    let (y0, ..) = Date(first).ymd();
    let (y1, ..) = Date(last).ymd();
    if y0 == y1 {
        format!("{} {y1}", day_span(first, last, lang))
    } else {
        format!(
            "{} {y0}–{} {y1}",
            day_month(first, lang),
            day_month(last, lang)
        )
    }
}

/// "Aug–Oct 2023" / "Agu–Okt 2023", for titles.
pub(super) fn month_span(first: i32, last: i32, lang: Lang) -> String {
    let (y0, m0, _) = Date(first).ymd();
    let (y1, m1, _) = Date(last).ymd();
    let name = |m| month(m, lang);
    if y0 == y1 && m0 == m1 {
        format!("{} {y0}", name(m0))
    } else if y0 == y1 {
        format!("{}–{} {y0}", name(m0), name(m1))
    } else {
        format!("{} {y0}–{} {y1}", name(m0), name(m1))
    }
}
