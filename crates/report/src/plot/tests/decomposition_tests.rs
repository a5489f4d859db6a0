//! The decomposition chart of a bundle: its numbers are the table's contributions divided
//! by the working days of the scenario's summary row (the total: that row's own band), on
//! DKI's roads only; a chart per bundle scenario, none without one, its words from the
//! catalogue in each language.

use super::*;
use crate::labels::{Langs, MISSING_MARK};
use crate::plot::decomposition::{self as d, PANELS};
use crate::view::records::DecompositionRecord;
use wfhsim_core::results::schema::Component;
use wfhsim_core::simulate::decompose::WFH_PART;

const BUNDLE: &str = "bundle-x";
const PARTS: [&str; 3] = [WFH_PART, "School closure", "Road closure"];
const DAYS: i64 = 4;

fn record(part: &str, basis: Basis, m: Measure, v: [f64; 3]) -> DecompositionRecord {
    DecompositionRecord {
        scenario: BUNDLE.into(),
        part: part.into(),
        basis,
        region: if basis == Basis::All { ALL } else { DKI }.into(),
        metric: m.metric,
        component: m.component,
        contribution: Band(v),
        replicates: 3,
    }
}

/// Part j's contribution to panel k's measure on DKI's roads: (j+1)·(k+1)·[80, 100, 130];
/// the same part on the whole area is 1000 times larger (and must not be read). PM2.5 has
/// only a gross row (a metric without rebound: its gross is its net).
fn records() -> Vec<DecompositionRecord> {
    let mut out = Vec::new();
    for (j, part) in PARTS.iter().enumerate() {
        for (k, panel) in PANELS.iter().enumerate() {
            let f = ((j + 1) * (k + 1)) as f64;
            let mut m = panel.0;
            if k == 2 {
                m.component = Component::Gross;
            }
            out.push(record(
                part,
                Basis::DkiRoads,
                m,
                [80.0, 100.0, 130.0].map(|x| x * f),
            ));
            out.push(record(
                part,
                Basis::All,
                m,
                [8e4, 1e5, 1.3e5].map(|x| x * f),
            ));
        }
    }
    out
}

/// The bundle's summary rows on DKI's roads: total (k+1)·[600, 700, 900] over 4 days.
fn summary() -> Vec<SummaryRecord> {
    PANELS
        .iter()
        .enumerate()
        .map(|(k, panel)| {
            let mut r = SummaryRow {
                scenario: BUNDLE.into(),
                title: "Bundle of three".into(),
                basis: Basis::DkiRoads,
                region: DKI.into(),
                measure: panel.0,
                total: 700.0 * (k + 1) as f64,
                pct: 1.0,
            }
            .record();
            r.total = Band([600.0, 700.0, 900.0].map(|x| x * (k + 1) as f64));
            r.window_working_days = DAYS;
            r
        })
        .collect()
}

fn with_bundle(langs: Langs) -> ChartData<'static> {
    let mut input = marathon();
    input.langs = langs;
    let mut all = input.summary.to_vec();
    all.extend(summary());
    input.summary = all.leak();
    input.decomposition = records().leak();
    input.scenarios.push(ScenarioInfo {
        name: BUNDLE.into(),
        title: "Bundle of three".into(),
    });
    input
}

#[test]
fn each_part_is_its_contribution_per_working_day_on_dkis_roads() {
    let input = with_bundle(Langs::En);
    let measures = PANELS.map(|p| p.0);
    let got = d::bundles(input.decomposition, input.summary, &measures);
    assert_eq!(got.len(), 1);
    let b = &got[0];
    assert_eq!(b.scenario, BUNDLE);
    assert_eq!(b.parts, PARTS);
    for j in 0..3 {
        for k in 0..3 {
            let f = ((j + 1) * (k + 1)) as f64 / DAYS as f64;
            assert_eq!(b.values[j][k], Some([80.0 * f, 100.0 * f, 130.0 * f]));
        }
    }
    for k in 0..3 {
        let f = (k + 1) as f64 / DAYS as f64;
        assert_eq!(b.total[k], Some([600.0 * f, 700.0 * f, 900.0 * f]));
    }
    // A measure the summary has no row of cannot be put per day: none.
    let none = d::bundles(input.decomposition, input.summary, &[m::NOX_NET]);
    assert_eq!(none[0].values[0], vec![None]);
}

#[test]
fn a_chart_per_bundle_in_each_language_and_none_without_one() {
    let plain: Vec<String> = render_all(&marathon())
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(!plain.iter().any(|n| n.starts_with(d::STEM_PREFIX)));
    for (langs, words) in [
        (
            Langs::Id,
            ["Perintah WFH", "Total paket", "km per hari kerja"],
        ),
        (
            Langs::En,
            ["WFH orders", "Bundle total", "km per working day"],
        ),
        (
            Langs::Both,
            ["Perintah WFH", "Total paket", "km per hari kerja"],
        ),
    ] {
        let files = render_all(&with_bundle(langs)).unwrap();
        let names: Vec<&str> = files.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.len(), plain.len() + 2);
        assert_eq!(
            names[plain.len()..],
            ["decomposition-bundle-x.png", "decomposition-bundle-x.svg"]
        );
        let svg = String::from_utf8(files.last().unwrap().bytes.clone()).unwrap();
        assert!(!svg.contains(MISSING_MARK), "{langs:?}");
        for w in words
            .iter()
            .chain(&["School closure", "Road closure", "Bundle of three"])
        {
            assert!(svg.contains(w), "{langs:?}: {w} is not on the chart");
        }
    }
}
