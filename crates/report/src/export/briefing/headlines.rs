//! The briefing's opening sentences: what the first scenario of the run does, with its
//! ranges, in neutral wording; then one line for each other scenario, with its difference
//! from the first one replicate by replicate (the band of the difference, not two bands
//! side by side). Every number is a median of the replicates with its 5–95% range,
//! written for the reader's language.

use std::collections::BTreeMap;

use serde::Serialize;

use super::summary::{Detect, Paired, Row, Summary};
use super::text::{Text, Tr};
use crate::export::RunInfo;
use crate::export::run_info::ScenarioInfo;
use crate::labels::format;
use crate::plot::measures as col;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::quantile::replicates_needed;
use wfhsim_core::traffic::detect::Comparison;

#[derive(Debug, Serialize)]
pub struct Headlines {
    /// Sentences about the lead scenario (the run's first with a policy window), then the
    /// event week's paired comparison ([`super::event`], added by the briefing).
    pub lead: Vec<Text>,
    /// The lead-in of the list of other scenarios, if there are others.
    pub others_intro: Option<Text>,
    pub others: Vec<Text>,
    /// How to read the numbers (medians, ranges, what was drawn).
    pub note: Text,
    /// The Monte Carlo error of the lead scenario's trips a day (none without a lead).
    pub mc: Option<Text>,
    /// The lead's headline band ends (trips, PM2.5, CO2) whose Monte Carlo error exceeds
    /// [`LOOSE_PCT`] of the value, if any.
    pub mc_loose: Option<Text>,
}

/// A band end whose Monte Carlo error (95%) is more than this share of it, percent, is
/// named in the briefing: another seed could move it visibly.
pub const LOOSE_PCT: f64 = 5.0;

/// The lead's headline measures with the label that names them.
const HEADLINE_MEASURES: [(col::Measure, &str); 3] = [
    (col::TRIPS, "chart.trips_avoided"),
    (col::PM25_NET, "chart.event.pm25"),
    (col::CO2_NET, "chart.event.co2"),
];

/// `headline.mc_loose`: each headline band end of scenario `s` whose Monte Carlo error
/// exceeds [`LOOSE_PCT`], with that error.
fn mc_loose(tr: Tr, summary: &Summary, s: &ScenarioInfo) -> Option<Text> {
    let mut loose = Vec::new();
    for (m, key) in HEADLINE_MEASURES {
        let Some(row) = summary.all(&s.name, m) else {
            continue;
        };
        for (j, end) in [(0, "headline.mc_low_end"), (2, "headline.mc_high_end")] {
            let rel = row.error[j].map(|e| 100.0 * e / row.total[j].abs());
            if let Some(r) = rel.filter(|r| *r > LOOSE_PCT) {
                loose.push((key, end, r));
            }
        }
    }
    (!loose.is_empty()).then(|| {
        tr.fill("headline.mc_loose", |l| {
            let items: Vec<String> = loose
                .iter()
                .map(|(key, end, r)| {
                    let (what, which) = (tr.labels.get(key, l), tr.labels.get(end, l));
                    format!("{what}, {which} ±{}", format::pct_sig(*r, l))
                })
                .collect();
            vec![
                ("items", items.join("; ")),
                ("limit", format::pct(LOOSE_PCT, 0, l)),
            ]
        })
    })
}

/// The Monte Carlo error of a row's quantiles as percentages of each quantile:
/// `headline.mc`, or `headline.mc_short` when the ends cannot be bounded.
fn mc_error(tr: Tr, info: &RunInfo, s: &ScenarioInfo, trips: &Row) -> Option<Text> {
    let rel = |j: usize| trips.error[j].map(|e| 100.0 * e / trips.total[j].abs());
    let mid = rel(1)?;
    let replicates = info.reproduce.replicates;
    Some(match (rel(0), rel(2)) {
        (Some(lo), Some(hi)) => tr.fill("headline.mc", |l| {
            vec![
                ("title", title(s, l)),
                ("mid", format::pct_sig(mid, l)),
                ("low", format::pct_sig(lo, l)),
                ("high", format::pct_sig(hi, l)),
            ]
        }),
        _ => tr.fill("headline.mc_short", |l| {
            vec![
                ("title", title(s, l)),
                ("mid", format::pct_sig(mid, l)),
                ("replicates", format::int(replicates as f64, l)),
                ("needed", format::int(f64::from(replicates_needed(0.05)), l)),
            ]
        }),
    })
}

/// The difference from the lead scenario, as `headline.other_paired` fills it.
fn paired_values(
    lead: &ScenarioInfo,
    p: &Paired,
    l: crate::labels::Lang,
) -> Vec<(&'static str, String)> {
    let [lo, mid, hi] = p.difference;
    vec![
        ("lead", title(lead, l)),
        ("diff", format::sig(mid, 3, l)),
        ("diff_low", format::sig(lo, 3, l)),
        ("diff_high", format::sig(hi, 3, l)),
        ("more", format::pct(100.0 * p.more, 0, l)),
        ("fewer", format::pct(100.0 * p.fewer, 0, l)),
    ]
}

/// A scenario's title in a language (its `title_id` for Indonesian when it has one).
pub fn title(s: &ScenarioInfo, lang: crate::labels::Lang) -> String {
    s.title_in(lang).to_string()
}

pub fn headlines(
    tr: Tr,
    info: &RunInfo,
    summary: &Summary,
    detect: &BTreeMap<String, Vec<Detect>>,
    paired: &BTreeMap<String, Paired>,
) -> Headlines {
    let lead = info.scenarios.iter().find(|s| s.window.is_some());
    let lead_trips = lead.and_then(|s| Some((s, summary.all(&s.name, col::TRIPS)?)));
    let lead_text = lead_trips.map_or_else(Vec::new, |(s, trips)| {
        lead_sentences(tr, info, summary, detect, s, &trips)
    });
    let others: Vec<Text> = info
        .scenarios
        .iter()
        .filter(|s| Some(s.name.as_str()) != lead.map(|l| l.name.as_str()))
        .map(|s| other_sentence(tr, summary, lead.zip(paired.get(&s.name)), s))
        .collect();
    Headlines {
        mc: lead_trips.and_then(|(s, trips)| mc_error(tr, info, s, &trips)),
        mc_loose: lead.and_then(|s| mc_loose(tr, summary, s)),
        lead: lead_text,
        others_intro: (!others.is_empty()).then(|| tr.t("headline.others")),
        others,
        note: ranges_note(tr, info),
    }
}

/// What the lead scenario `s` does: trips, air, DKI's roads, whether a count would see
/// it, and the window's totals.
fn lead_sentences(
    tr: Tr,
    info: &RunInfo,
    summary: &Summary,
    detect: &BTreeMap<String, Vec<Detect>>,
    s: &ScenarioInfo,
    trips: &Row,
) -> Vec<Text> {
    let d = trips.per_day();
    let mut out = vec![tr.fill("headline.lead", |l| {
        vec![
            ("title", title(s, l)),
            ("trips", format::sig(d[1], 3, l)),
            ("low", format::sig(d[0], 3, l)),
            ("high", format::sig(d[2], 3, l)),
            ("pct", format::pct_sig(trips.pct[1], l)),
            ("area", info.area_name.clone()),
        ]
    })];
    out.extend(air_sentence(tr, summary, s));
    out.extend(roads_sentence(tr, summary, s));
    out.extend(detect.get(&s.name).and_then(|rows| detect_sentence(tr, rows)));
    if let (Some((from, to)), Some(co2)) = (&s.window, summary.all(&s.name, col::CO2_NET)) {
        out.push(tr.fill("headline.window", |l| {
            vec![
                ("from", format::date(from, l)),
                ("to", format::date(to, l)),
                ("days", format::int(trips.working_days, l)),
                ("trips_total", format::sig(trips.total[1], 3, l)),
                ("co2_total", format::sig(co2.total[1] / 1000.0, 3, l)),
            ]
        }));
    }
    out
}

/// PM2.5 and CO2 avoided per working day, net, with their ranges.
fn air_sentence(tr: Tr, summary: &Summary, s: &ScenarioInfo) -> Option<Text> {
    let (pm, co2) = (
        summary.all(&s.name, col::PM25_NET)?,
        summary.all(&s.name, col::CO2_NET)?,
    );
    let (p, c) = (pm.per_day(), co2.per_day().map(|x| x / 1000.0));
    Some(tr.fill("headline.air", |l| {
        let sig2 = |x: f64| format::sig(x, 2, l);
        vec![
            ("pm25", sig2(p[1])),
            ("pm25_low", sig2(p[0])),
            ("pm25_high", sig2(p[2])),
            ("co2", sig2(c[1])),
            ("co2_low", sig2(c[0])),
            ("co2_high", sig2(c[2])),
        ]
    }))
}

/// Vehicles off DKI's roads and the share of its PM2.5 inventory.
fn roads_sentence(tr: Tr, summary: &Summary, s: &ScenarioInfo) -> Option<Text> {
    let v = summary.dki(&s.name, Basis::DkiRoads, col::VEHICLES_NET)?;
    let i = summary.dki(&s.name, Basis::DkiRoads, col::PM25_NET)?;
    Some(tr.fill("headline.roads", |l| {
        vec![
            ("veh", format::sig(v.per_day_p50, 3, l)),
            ("veh_pct", format::pct_sig(v.pct[1], l)),
            ("inv", format::pct_sig(i.pct[1], l)),
        ]
    }))
}

/// Whether a count would see it: yes, or how far the whole window's effect falls short of
/// what it could detect and the comparison's expected power.
fn detect_sentence(tr: Tr, rows: &[Detect]) -> Option<Text> {
    if rows.iter().any(|r| r.visible_city) {
        return Some(tr.t("headline.detect_yes"));
    }
    let w = rows.iter().find(|r| {
        r.comparison == Comparison::WholeWindow.as_str() && r.effect_pct_p50 > 0.0
    })?;
    let ratio = w.mde_city_pct / w.effect_pct_p50;
    Some(tr.fill("headline.detect_no", |l| {
        vec![
            ("ratio", format::sig(ratio, 2, l)),
            ("power", format::pct(100.0 * w.power_city, 0, l)),
        ]
    }))
}

/// One other scenario's line, with its paired difference from the lead when there is one.
fn other_sentence(
    tr: Tr,
    summary: &Summary,
    against: Option<(&ScenarioInfo, &Paired)>,
    s: &ScenarioInfo,
) -> Text {
    let Some(trips) = summary.all(&s.name, col::TRIPS).filter(|_| s.window.is_some()) else {
        return tr.fill("headline.no_window", |l| vec![("title", title(s, l))]);
    };
    let d = trips.per_day();
    let pm = summary
        .all(&s.name, col::PM25_NET)
        .map_or(f64::NAN, |r| r.per_day_p50);
    let key = match against {
        Some(_) => "headline.other_paired",
        None => "headline.other",
    };
    tr.fill(key, |l| {
        let mut v = vec![
            ("title", title(s, l)),
            ("trips", format::sig(d[1], 3, l)),
            ("low", format::sig(d[0], 3, l)),
            ("high", format::sig(d[2], 3, l)),
            ("pct", format::pct_sig(trips.pct[1], l)),
            ("pm25", format::sig(pm, 2, l)),
        ];
        if let Some((lead, p)) = against {
            v.extend(paired_values(lead, p, l));
        }
        v
    })
}

/// How to read the numbers: medians of how many replicates, and what they drew.
fn ranges_note(tr: Tr, info: &RunInfo) -> Text {
    let r = &info.reproduce;
    tr.fill("headline.ranges", |l| {
        let key = format!("headline.uncertainty.{}", r.uncertainty);
        vec![
            ("replicates", format::int(r.replicates as f64, l)),
            ("uncertainty", tr.labels.get(&key, l)),
        ]
    })
}
