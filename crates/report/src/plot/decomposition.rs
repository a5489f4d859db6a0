//! A bundle's decomposition (`decomposition.parquet`) as a planner reads it: for each
//! bundle scenario, each part's contribution on DKI's roads (net) per working day of the
//! window, with the bundle's total from its summary row; and the chart of it,
//! `decomposition-<scenario>` (drawn in `decomposition_draw.rs`): horizontal bars, one per
//! part and one for the total, with the 5–95% band as whiskers, a panel per measure.
//!
//! The rows here are the one reading of the table that the chart, the briefing's section
//! and the workbook's sheet all show, so the three never disagree.

use std::collections::BTreeMap;

use super::ChartData;
use super::frame::FrameText;
use super::measures::{self as m, Measure, SummaryIndex};
use super::text::ChartText;
use crate::labels::{Labels, Lang};
use crate::view::records::{DKI, DecompositionRecord, SummaryRecord};
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{Component, MetricId};
use wfhsim_core::simulate::decompose::WFH_PART;

/// What a decomposition chart's file name starts with; the scenario's name follows.
pub(crate) const STEM_PREFIX: &str = "decomposition-";

/// The region basis every number here is on: DKI's roads, all day.
pub(crate) const BASIS: Basis = Basis::DkiRoads;

/// A panel: (measure, catalogue key of its metric, of its unit, divisor to that unit).
pub(crate) type Panel = (Measure, &'static str, &'static str, f64);

/// The chart's panels: vehicle-km, CO₂ (in tonnes) and exhaust PM2.5 on DKI's roads, net.
pub(crate) const PANELS: [Panel; 3] = [
    (m::VEHICLE_KM_NET, "metric.vehicle_km", "unit.km", 1.0),
    (m::CO2_NET, "metric.co2", "chart.unit.tonnes", 1000.0),
    (m::PM25_NET, "metric.pm25", "unit.kg", 1.0),
];

/// p05, p50, p95 per working day of the window.
pub(crate) type PerDay = [f64; 3];

/// One bundle scenario's parts and total, per working day, for some measures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BundleRows {
    pub scenario: String,
    /// The parts as the table names them, in its order (the WFH orders first).
    pub parts: Vec<String>,
    /// `values[part][measure]`; none where the table or the summary has no row.
    pub values: Vec<Vec<Option<PerDay>>>,
    /// `total[measure]`: the bundle's own summary row.
    pub total: Vec<Option<PerDay>>,
}

/// (scenario, part, metric, component) of a DKI-roads row of the table.
type Key<'a> = (&'a str, &'a str, MetricId, &'static str);

/// Each bundle scenario of `decomposition` (in its order), with `measures` on DKI's roads
/// divided by the working days of the scenario's summary row of the same measure.
pub(crate) fn bundles(
    decomposition: &[DecompositionRecord],
    summary: &[SummaryRecord],
    measures: &[Measure],
) -> Vec<BundleRows> {
    let mut table: BTreeMap<Key, &DecompositionRecord> = BTreeMap::new();
    let mut order: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in decomposition.iter().filter(|r| r.basis == BASIS) {
        let key = (&*r.scenario, &*r.part, r.metric, r.component.as_str());
        table.entry(key).or_insert(r);
        match order.iter_mut().find(|(s, _)| *s == &*r.scenario) {
            Some((_, parts)) if parts.contains(&&*r.part) => {}
            Some((_, parts)) => parts.push(&r.part),
            None => order.push((&r.scenario, vec![&r.part])),
        }
    }
    let index = SummaryIndex::new(summary);
    order
        .into_iter()
        .map(|(scenario, parts)| {
            let row = |m: Measure| index.get(scenario, BASIS, DKI, m);
            let days = |m: Measure| row(m).map(|r| r.window_working_days.max(1) as f64);
            let part = |p: &str, m: Measure| {
                let d = days(m)?;
                let get = |c: Component| table.get(&(scenario, p, m.metric, c.as_str()));
                let r = get(m.component).or_else(|| get(Component::Gross))?;
                Some(r.contribution.0.map(|x| x / d))
            };
            let total = |m: Measure| {
                let d = days(m)?;
                Some(row(m)?.total.0.map(|x| x / d))
            };
            BundleRows {
                scenario: scenario.to_string(),
                values: parts
                    .iter()
                    .map(|p| measures.iter().map(|&m| part(p, m)).collect())
                    .collect(),
                parts: parts.into_iter().map(String::from).collect(),
                total: measures.iter().map(|&m| total(m)).collect(),
            }
        })
        .collect()
}

/// The catalogue key of a part's name when the catalogue names it (the WFH orders); a
/// measure is named by its own name, as its scenario file writes it.
pub(crate) fn part_key(part: &str) -> Option<&'static str> {
    (part == WFH_PART).then_some("chart.decomposition.wfh_part")
}

/// A part's name for a reader, in `lang` ([`part_key`]).
pub(crate) fn part_label(part: &str, lang: Lang) -> String {
    match part_key(part) {
        Some(key) => Labels::builtin().get(key, lang),
        None => part.to_string(),
    }
}

/// One bundle's chart, ready to draw.
pub(super) struct DecompositionChart {
    pub stem: String,
    pub text: FrameText,
    pub t: ChartText,
    /// The rows' names, top to bottom: the parts, then the total.
    pub names: Vec<String>,
    /// Per panel: (its caption in every language then in the first, its axis title).
    pub words: Vec<([String; 2], String)>,
    /// `values[panel][row]`, the total last.
    pub values: Vec<Vec<Option<PerDay>>>,
    /// Under the panels: what the whiskers are and that the parts add up; in every
    /// language, then in the first only (where both would not fit).
    pub note: [String; 2],
}

/// A chart per bundle scenario of the run (none for a run without measures).
pub(super) fn prepare(input: &ChartData) -> Vec<DecompositionChart> {
    let measures = PANELS.map(|p| p.0);
    let t = ChartText::new(input.langs);
    bundles(input.decomposition, input.summary, &measures)
        .into_iter()
        .map(|b| chart(input, t, b))
        .collect()
}

fn chart(input: &ChartData, t: ChartText, b: BundleRows) -> DecompositionChart {
    let title = input
        .scenarios
        .iter()
        .find(|s| s.name == b.scenario)
        .map_or_else(|| b.scenario.clone(), |s| s.title.clone());
    let mut names: Vec<String> = b.parts.iter().map(|p| part_label(p, t.lang())).collect();
    names.push(t.one("chart.decomposition.total"));
    let values = (0..PANELS.len())
        .map(|k| {
            let div = PANELS[k].3;
            let per = |v: &Option<PerDay>| v.map(|x| x.map(|y| y / div));
            let mut col: Vec<_> = b.values.iter().map(|row| per(&row[k])).collect();
            col.push(per(&b.total[k]));
            col
        })
        .collect();
    let words = PANELS
        .iter()
        .map(|&(_, metric, unit, _)| {
            let caption = |t: ChartText| {
                t.fill("chart.net", |l| {
                    vec![("metric", Labels::builtin().get(metric, l))]
                })
            };
            let axis = t.first_only().fill("chart.decomposition.per_day", |l| {
                vec![("unit", Labels::builtin().get(unit, l))]
            });
            ([caption(t), caption(t.first_only())], axis)
        })
        .collect();
    DecompositionChart {
        stem: format!("{STEM_PREFIX}{}", b.scenario),
        text: FrameText {
            title: t.title("chart.decomposition.title", |_| {
                vec![("scenario", title.clone())]
            }),
            run_label: input.run_label.clone(),
            source_note: t.source(&input.source_note),
        },
        t,
        names,
        words,
        values,
        note: t.choices("chart.decomposition.note"),
    }
}
