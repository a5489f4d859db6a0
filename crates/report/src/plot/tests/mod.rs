//! Tests on small synthetic runs. The fixtures use their own scenario names, titles,
//! events and years (2024, 2031), so a chart that fell back on a built-in study would
//! fail them.
//!
//! This file holds the synthetic runs; `event_week_tests.rs` tests which event, days and
//! scenarios the event chart takes, `render_tests.rs` the rendering of every chart,
//! `roads_tests.rs` the roads-and-air and detectability charts.

use std::collections::BTreeSet;
use std::path::Path;

use plotters::prelude::*;
use polars::prelude::*;

use super::columns::{self as col, DAILY, SUMMARY};
use super::event_week::{self, Compared, MAX_SCENARIOS, Selection, schedule_label};
use super::frame::Chart;
use super::style::{HEIGHT, WIDTH};
use super::{
    ChartData, Event, PlotError, ScenarioInfo, context, daily, detectability, render, render_all,
    totals,
};
use wfhsim_core::calendar::Date;

fn day(s: &str) -> i32 {
    Date::parse(s).unwrap().0
}

/// One synthetic scenario: its share windows are (from, to, share, policy).
struct Scen {
    name: String,
    title: String,
    scale: f64,
    windows: Vec<(&'static str, &'static str, f64, &'static str)>,
}

fn scen(name: &str, title: &str, windows: &[(&'static str, &'static str, f64)]) -> Scen {
    Scen {
        name: name.into(),
        title: title.into(),
        scale: 1.0,
        windows: windows
            .iter()
            .map(|&(a, b, s)| (a, b, s, "staff"))
            .collect(),
    }
}

fn regions() -> Vec<(String, String)> {
    [
        ("R01", "North Harbour"),
        ("R02", "Old Town"),
        ("R03", "East Hills"),
        ("R04", "Riverside"),
        ("R05", "Airport District"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// One row of the synthetic summary table.
struct SummaryRow {
    scenario: String,
    title: String,
    basis: String,
    region: String,
    metric: &'static str,
    component: &'static str,
    total: f64,
    pct: f64,
}

/// Percent of baseline of the road layer's DKI rows, per [`context::PANELS`] panel, for a
/// scenario of scale 1 (0.0026%–0.032%, like a real run's ASN-only orders).
const ROAD_PCT: [f64; 6] = [0.015, 0.027, 0.032, 0.0026, 0.0095, 0.016];

/// Minimum detectable effects (central, low, high σ), percent, city-wide and at one site,
/// per comparison of [`detectability::COMPARISONS`] (a real run's, 44-day window).
const MDE_CITY: [[f64; 3]; 3] = [
    [7.761, 5.541, 9.678],
    [3.471, 2.478, 4.328],
    [1.170, 0.835, 1.459],
];
const MDE_SITE: [[f64; 3]; 3] = [
    [24.017, 18.262, 28.204],
    [10.741, 8.167, 12.613],
    [3.621, 2.753, 4.252],
];

/// The detectability table: the first scenario's fall (1.3% over the whole window, ×2
/// its scale) reaches the whole window's city-wide MDE, the others' (÷ (k+1)²) do not.
fn detectability_table(scenarios: &[Scen]) -> DataFrame {
    let (mut scen, mut comp, mut days) = (vec![], vec![], vec![]);
    let mut effect: [Vec<f64>; 3] = Default::default();
    let mut city: [Vec<f64>; 3] = Default::default();
    let mut site: [Vec<f64>; 3] = Default::default();
    let (mut vis_city, mut vis_site, mut p_vis) = (vec![], vec![], vec![]);
    for (k, s) in scenarios.iter().enumerate() {
        for (c, (name, _)) in detectability::COMPARISONS.iter().enumerate() {
            let e = [0.9, 0.85, 0.65][c] * 2.0 * s.scale / ((k + 1) * (k + 1)) as f64;
            scen.push(s.name.clone());
            comp.push(name.to_string());
            days.push([1i64, 5, 44][c]);
            for (q, f) in [0.7, 1.0, 1.3].into_iter().enumerate() {
                effect[q].push(e * f);
                city[q].push(MDE_CITY[c][q]);
                site[q].push(MDE_SITE[c][q]);
            }
            vis_city.push(e >= MDE_CITY[c][0]);
            vis_site.push(e >= MDE_SITE[c][0]);
            p_vis.push(if e >= MDE_CITY[c][0] { 0.6 } else { 0.0 });
        }
    }
    let mut cols = vec![
        Column::new(col::SCENARIO.into(), scen),
        Column::new(col::COMPARISON.into(), comp),
        Column::new(col::DAYS_EACH_SIDE.into(), days),
    ];
    for (names, values) in [
        (col::EFFECT_PCT, effect),
        (col::MDE_CITY_PCT, city),
        (col::MDE_SITE_PCT, site),
    ] {
        for (n, v) in names.into_iter().zip(values) {
            cols.push(Column::new(n.into(), v));
        }
    }
    cols.push(Column::new(col::VISIBLE_CITY.into(), vis_city));
    cols.push(Column::new("visible_site".into(), vis_site));
    cols.push(Column::new("p_visible_city".into(), p_vis));
    DataFrame::new_infer_height(cols).unwrap()
}

/// A run over the working days (weekdays) from `start` to `end`: each scenario avoids
/// trips in proportion to its highest share that day, and every metric the charts read is
/// a fixed multiple of trips with a ±20 % band. Each scenario also has the road layer's
/// DKI rows ([`ROAD_PCT`] × its scale, ÷ its position squared, ×40 for the first) and
/// detectability rows ([`detectability_table`]).
fn run(start: &str, end: &str, scenarios: &[Scen], events: &[(&str, &str)]) -> ChartData {
    let days: Vec<i32> = (day(start)..=day(end))
        .filter(|d| !Date(*d).is_weekend())
        .collect();
    let share_on = |s: &Scen, d: i32| {
        s.windows
            .iter()
            .filter(|w| day(w.0) <= d && d <= day(w.1))
            .map(|w| w.2)
            .fold(0.0, f64::max)
    };

    let (mut s_col, mut d_col, mut keys) = (vec![], vec![], vec![]);
    let mut mets: Vec<Vec<f64>> = vec![vec![]; DAILY.len() * 3];
    for (k, s) in scenarios.iter().enumerate() {
        for (j, d) in days.iter().enumerate() {
            let wave = 1.0 + 0.15 * ((j as f64) * 0.7 + k as f64).sin();
            let trips = 2.4e6 * s.scale * share_on(s, *d) * wave;
            s_col.push(s.name.as_str());
            d_col.push(*d);
            keys.push(col::ALL);
            for (m, _) in DAILY.iter().enumerate() {
                let v = trips * [1.0, 0.8, 3e-5, 6e-4][m % 4];
                mets[3 * m].push(v * 0.8);
                mets[3 * m + 1].push(v);
                mets[3 * m + 2].push(v * 1.2);
            }
        }
    }
    let mut cols = vec![
        Column::new(col::SCENARIO.into(), s_col),
        Column::new(col::DATE.into(), d_col)
            .cast(&DataType::Date)
            .unwrap(),
        Column::new(col::REGION_BASIS.into(), keys.clone()),
        Column::new(col::REGION.into(), keys.clone()),
        Column::new(col::MODE.into(), keys),
    ];
    for (m, metric) in DAILY.iter().enumerate() {
        for (q, name) in metric.columns().into_iter().enumerate() {
            cols.push(Column::new(name.into(), mets[3 * m + q].clone()));
        }
    }
    let daily = DataFrame::new_infer_height(cols).unwrap();

    let mut rows: Vec<SummaryRow> = Vec::new();
    for (k, s) in scenarios.iter().enumerate() {
        let total: f64 = days.iter().map(|d| 2.4e6 * s.scale * share_on(s, *d)).sum();
        for (m, metric) in SUMMARY.iter().enumerate() {
            let v = total / (m as f64 + 1.0);
            let pct = 2.4 * s.scale / (k as f64 + 1.0);
            let mut push = |basis: &str, region: &str, share: f64| {
                rows.push(SummaryRow {
                    scenario: s.name.clone(),
                    title: s.title.clone(),
                    basis: basis.to_string(),
                    region: region.to_string(),
                    metric: metric.metric,
                    component: metric.component,
                    total: v * share,
                    pct: pct * share,
                });
            };
            push(col::ALL, col::ALL, 1.0);
            if *metric == col::TRIPS {
                for (i, (code, _)) in regions().iter().enumerate() {
                    push("home", code, (i as f64 + 1.0) / 15.0);
                    push("work", code, (5.0 - i as f64) / 15.0);
                }
            }
        }
        let boost = if k == 0 {
            40.0
        } else {
            1.0 / ((k + 1) * (k + 1)) as f64
        };
        for (p, panel) in context::PANELS.iter().enumerate() {
            rows.push(SummaryRow {
                scenario: s.name.clone(),
                title: s.title.clone(),
                basis: panel.basis.to_string(),
                region: "dki".into(),
                metric: panel.metric.metric,
                component: panel.metric.component,
                total: total * (p as f64 + 1.0),
                pct: ROAD_PCT[p] * s.scale * boost,
            });
        }
    }
    let strs = |f: &dyn Fn(&SummaryRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let nums = |f: &dyn Fn(&SummaryRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let [t05, t50, t95] = col::TOTAL;
    let [pct05, pct50, pct95] = col::PCT_BASELINE;
    let summary = DataFrame::new_infer_height(vec![
        Column::new(col::SCENARIO.into(), strs(&|r| r.scenario.clone())),
        Column::new("title".into(), strs(&|r| r.title.clone())),
        Column::new(col::REGION_BASIS.into(), strs(&|r| r.basis.clone())),
        Column::new(col::REGION.into(), strs(&|r| r.region.clone())),
        Column::new(col::METRIC.into(), strs(&|r| r.metric.to_string())),
        Column::new(col::COMPONENT.into(), strs(&|r| r.component.to_string())),
        Column::new(t05.into(), nums(&|r| r.total * 0.8)),
        Column::new(t50.into(), nums(&|r| r.total)),
        Column::new(t95.into(), nums(&|r| r.total * 1.2)),
        Column::new(col::PER_DAY_P50.into(), nums(&|r| r.total / 40.0)),
        Column::new(pct05.into(), nums(&|r| r.pct * 0.8)),
        Column::new(pct50.into(), nums(&|r| r.pct)),
        Column::new(pct95.into(), nums(&|r| r.pct * 1.2)),
    ])
    .unwrap();

    let w: Vec<(&str, &str, &str, &str, f64)> = scenarios
        .iter()
        .flat_map(|s| {
            s.windows
                .iter()
                .map(|w| (s.name.as_str(), w.3, w.0, w.1, w.2))
        })
        .collect();
    let windows = DataFrame::new_infer_height(vec![
        Column::new(
            col::SCENARIO.into(),
            w.iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
        Column::new(
            col::POLICY.into(),
            w.iter().map(|r| r.1).collect::<Vec<_>>(),
        ),
        Column::new(col::FROM.into(), w.iter().map(|r| r.2).collect::<Vec<_>>()),
        Column::new(col::TO.into(), w.iter().map(|r| r.3).collect::<Vec<_>>()),
        Column::new(col::SHARE.into(), w.iter().map(|r| r.4).collect::<Vec<_>>()),
    ])
    .unwrap();

    ChartData {
        langs: crate::labels::Langs::En,
        daily,
        summary,
        windows,
        detectability: detectability_table(scenarios),
        run_label: "run 'synthetic' · seed 7 · 3 replicates · scale 0.5".into(),
        source_note: "Source: synthetic test fixture".into(),
        inventory_note: "Inventory: a synthetic test inventory".into(),
        scenarios: scenarios
            .iter()
            .map(|s| ScenarioInfo {
                name: s.name.clone(),
                title: s.title.clone(),
            })
            .collect(),
        events: events
            .iter()
            .map(|(d, n)| Event {
                date: Date::parse(d).unwrap(),
                name: n.to_string(),
            })
            .collect(),
        region_names: regions(),
    }
}

/// A 2024 run: a marathon on Tue 12–Wed 13 March; "surge" and "surge-twin" raise the
/// share for it, "steady" keeps 50 %, "early" ends before it.
fn marathon() -> ChartData {
    run(
        "2024-02-26",
        "2024-03-29",
        &[
            scen("steady", "Steady 50%", &[("2024-03-01", "2024-03-22", 0.5)]),
            scen("early", "Ends before", &[("2024-02-26", "2024-03-08", 0.5)]),
            scen(
                "surge",
                "Surge for the marathon",
                &[
                    ("2024-03-01", "2024-03-11", 0.5),
                    ("2024-03-12", "2024-03-13", 0.9),
                    ("2024-03-14", "2024-03-22", 0.5),
                ],
            ),
            scen(
                "surge-twin",
                "Same schedule, other staff",
                &[
                    ("2024-03-01", "2024-03-11", 0.5),
                    ("2024-03-12", "2024-03-13", 0.9),
                    ("2024-03-14", "2024-03-22", 0.5),
                ],
            ),
        ],
        &[
            ("2024-03-12", "City Marathon"),
            ("2024-03-13", "City Marathon"),
        ],
    )
}

fn data_days(input: &ChartData) -> BTreeSet<i32> {
    let t = super::data::Table::new(&input.daily, "daily", "test");
    t.days(col::DATE).unwrap().into_iter().collect()
}

fn select(input: &ChartData) -> Option<Selection> {
    event_week::select(input, &data_days(input)).unwrap()
}

fn names(sel: &Selection) -> Vec<&str> {
    sel.scenarios
        .iter()
        .map(|c| c.scenario.name.as_str())
        .collect()
}

mod event_week_tests;
mod lang_tests;
mod render_tests;
mod roads_tests;
