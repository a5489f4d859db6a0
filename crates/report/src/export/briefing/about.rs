//! The briefing's closing sections: the scenarios compared (title, description, policy
//! windows), method and caveats, sources and assumptions (the dataset's provenance
//! table) and how to reproduce the run.

use serde::Serialize;

use super::headlines::title;
use super::text::{Text, Tr};
use crate::export::RunInfo;
use crate::export::run_info::Reproduce;
use crate::labels::format;
use crate::view::WindowRecord;

#[derive(Debug, Serialize)]
pub struct ScenarioSection {
    pub name: String,
    pub title: Text,
    pub description: String,
    pub window: Option<Text>,
    /// One line per policy window: "Pemprov DKI ASN: 21 Agustus 2023 – 3 September 2023, 50%".
    pub windows: Vec<String>,
    pub origin: String,
}

pub fn scenarios(tr: Tr, info: &RunInfo, windows: &[WindowRecord]) -> Vec<ScenarioSection> {
    let n = tr.num_lang();
    info.scenarios
        .iter()
        .map(|s| ScenarioSection {
            name: s.name.clone(),
            title: Text::per_lang(tr.langs, |l| title(s, l)),
            description: s.description.clone(),
            window: s.window.as_ref().map(|(a, b)| {
                Text::per_lang(tr.langs, |l| {
                    format!("{} – {}", format::date(a, l), format::date(b, l))
                })
            }),
            windows: windows
                .iter()
                .filter(|w| w.scenario == s.name)
                .map(|w| {
                    format!(
                        "{}: {} – {}, {}",
                        w.policy,
                        format::date(&w.from.to_string(), n),
                        format::date(&w.to.to_string(), n),
                        format::pct(w.share * 100.0, 0, n)
                    )
                })
                .collect(),
            origin: s.origin.clone(),
        })
        .collect()
}

/// The method paragraphs, in the catalogue's order.
pub const METHOD_KEYS: [&str; 6] = [
    "briefing.method.population",
    "briefing.method.policy",
    "briefing.method.emissions",
    "briefing.method.roads",
    "briefing.method.uncertainty",
    "briefing.method.caveats",
];

pub fn method(tr: Tr) -> Vec<Text> {
    METHOD_KEYS.iter().map(|k| tr.t(k)).collect()
}

#[derive(Debug, Serialize)]
pub struct Sources {
    pub source_note: String,
    pub inventory_note: String,
    /// Rows of the provenance table that are assumptions: key, central, range, unit, why.
    pub assumptions: Vec<[String; 4]>,
    /// The distinct sources of cited rows, each with how many rows it gives.
    pub cited: Vec<(String, usize)>,
    /// How many rows are cited, derived and assumed.
    pub counts: Text,
}

pub fn sources(tr: Tr, info: &RunInfo) -> Sources {
    let n = tr.num_lang();
    let num = |v: f64| {
        if v.abs() >= 1000.0 || v == v.trunc() {
            format::sig(v, 6, n)
        } else {
            format::sig(v, 3, n)
        }
    };
    let assumptions = info
        .sources
        .iter()
        .filter(|p| p.kind == "assumption")
        .map(|p| {
            let range = match (p.low, p.high) {
                (Some(lo), Some(hi)) => format!("{}–{}", num(lo), num(hi)),
                _ => String::new(),
            };
            [p.key.clone(), num(p.value), range, p.unit.clone()]
        })
        .collect();
    let mut cited: std::collections::BTreeMap<String, usize> = Default::default();
    for p in info.sources.iter().filter(|p| p.kind == "cited") {
        *cited.entry(p.source.clone()).or_default() += 1;
    }
    let count = |k: &str| info.sources.iter().filter(|p| p.kind == k).count() as f64;
    let counts = tr.fill("briefing.sources.counts", |l| {
        vec![
            ("rows", format::int(info.sources.len() as f64, l)),
            ("cited", format::int(count("cited"), l)),
            ("derived", format::int(count("derived"), l)),
            ("assumed", format::int(count("assumption"), l)),
        ]
    });
    Sources {
        source_note: info.source_note.clone(),
        inventory_note: info.inventory_note.clone(),
        assumptions,
        cited: cited.into_iter().collect(),
        counts,
    }
}

/// The reproduce section is the run's own record, shown as it is.
pub fn reproduce(info: &RunInfo) -> &Reproduce {
    &info.reproduce
}
