//! The provenance table's honesty, not just its format: every `cited` row names where the
//! number can be read, and every `assumption` row says how uncertain it is.
//!
//! The rule for a cited row's `source`: it must hold an address, which is either
//! - a web address (`http://` or `https://` followed by a host with a dot), or
//! - a named publication: at least two words and a year (1900–2100), e.g.
//!   "BPS, Berita Resmi Statistik No. 83/11/Th. XXVII (5 Nov 2024)".
//!
//! and it must not be a placeholder that admits there is none ("address not found", "n/a",
//! "tbd", "unknown", "see note"). Derived rows are not held to this (their note gives the
//! derivation from cited rows), nor are assumptions (their range is what they owe).

use crate::common;

use wfhsim_core::data::{Kind, Param};

const PLACEHOLDERS: [&str; 6] = [
    "address not found",
    "not found",
    "n/a",
    "tbd",
    "unknown",
    "see note",
];

fn has_web_address(s: &str) -> bool {
    s.split_whitespace().any(|w| {
        let rest = w
            .strip_prefix("https://")
            .or_else(|| w.strip_prefix("http://"));
        rest.is_some_and(|r| {
            // A fully qualified host may end in a dot (`id.wikipedia.org.`).
            let host = r.split('/').next().unwrap_or("").trim_end_matches('.');
            host.contains('.') && !host.starts_with('.')
        })
    })
}

fn has_year(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse::<i32>().ok())
        .any(|y| (1900..=2100).contains(&y))
}

fn names_publication(s: &str) -> bool {
    let words = s
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    words >= 2 && has_year(s)
}

/// Why a cited row's source is not an address, or `None` if it is one.
fn address_problem(p: &Param) -> Option<String> {
    let s = p.source.trim();
    if s.is_empty() {
        return Some("has no source".into());
    }
    // Placeholders are looked for in the words outside any web address (`wikiwand.com/en/a…`
    // is not "n/a").
    let words: Vec<String> = s
        .split_whitespace()
        .filter(|w| !w.starts_with("http://") && !w.starts_with("https://"))
        .map(|w| w.to_lowercase())
        .collect();
    let lower = format!(" {} ", words.join(" "));
    if let Some(ph) = PLACEHOLDERS.iter().find(|ph| {
        lower.contains(&format!(" {ph} "))
            || lower.contains(&format!(" {ph};"))
            || lower.trim() == **ph
    }) {
        return Some(format!("says '{ph}' instead of an address"));
    }
    if has_web_address(s) || names_publication(s) {
        None
    } else {
        Some(format!(
            "'{s}' is neither a web address nor a named publication with its year"
        ))
    }
}

#[test]
fn the_address_rule_accepts_addresses_and_refuses_the_rest() {
    let p = |source: &str| Param {
        key: "k".into(),
        value: 1.0,
        unit: "share".into(),
        low: None,
        high: None,
        year: None,
        kind: Kind::Cited,
        confidence: "M".into(),
        source: source.into(),
        note: String::new(),
        origin: "t.csv:2".into(),
    };
    for ok in [
        "https://jakarta.bps.go.id/pressrelease/2022/11/07/991/x.html",
        "https://wikiwand.com/en/articles/Tangerang (infobox)",
        "https://id.wikipedia.org./wiki/Kota (infobox)",
        "http://www.thejakartapost.com/news/2015/02/17/x.html",
        "BPS, Berita Resmi Statistik No. 83/11/Th. XXVII (5 Nov 2024)",
    ] {
        assert_eq!(address_problem(&p(ok)), None, "{ok}");
    }
    for bad in [
        "",
        "press",
        "https://localhost",
        "reported in the press; address not found",
        "BPS",
        "2019",
        "n/a",
    ] {
        assert!(address_problem(&p(bad)).is_some(), "'{bad}' passed");
    }
}

#[test]
fn every_cited_row_has_an_address() {
    let ds = common::dataset();
    let bad: Vec<String> = ds
        .params
        .iter()
        .filter(|p| p.kind == Kind::Cited)
        .filter_map(|p| address_problem(p).map(|why| format!("{} ({}): {why}", p.key, p.origin)))
        .collect();
    assert!(
        bad.is_empty(),
        "cited rows without an address (give the page or the publication and year, or make the row an assumption with a range):\n{}",
        bad.join("\n")
    );
}

/// Lists every assumption with the width of its range (run with `--nocapture` to read
/// it), widest relative range first; fails if an assumption has no range. Validity bounds
/// (`override.*`, the β bracket) are assumptions whose low = value = high by design and
/// are listed with width 0.
#[test]
fn every_assumption_has_a_range_and_they_are_listed() {
    let ds = common::dataset();
    let mut missing = Vec::new();
    let mut rows: Vec<(f64, String)> = Vec::new();
    for p in ds.params.iter().filter(|p| p.kind == Kind::Assumption) {
        match (p.low, p.high) {
            (Some(lo), Some(hi)) => {
                assert!(
                    lo <= p.value && p.value <= hi,
                    "{} ({}): range {lo}–{hi} does not contain {}",
                    p.key,
                    p.origin,
                    p.value
                );
                let width = hi - lo;
                let rel = if p.value != 0.0 {
                    width / p.value.abs()
                } else {
                    0.0
                };
                rows.push((
                    rel,
                    format!(
                        "{:<48} {:>12} [{:>12} – {:<12}] width {:>12} ({:>6.0}% of value) {}",
                        p.key,
                        p.value,
                        lo,
                        hi,
                        format!("{width:.6}")
                            .trim_end_matches('0')
                            .trim_end_matches('.'),
                        rel * 100.0,
                        p.unit
                    ),
                ));
            }
            _ => missing.push(format!("{} ({})", p.key, p.origin)),
        }
    }
    assert!(
        missing.is_empty(),
        "assumptions without a low–high range:\n{}",
        missing.join("\n")
    );
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "{} assumption rows, widest relative range first:",
        rows.len()
    );
    for (_, line) in &rows {
        println!("{line}");
    }
    assert!(!rows.is_empty(), "the built-in dataset has assumption rows");
}
