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

use super::event_week::{self, Compared, MAX_SCENARIOS, Selection, schedule_label};
use super::frame::Chart;
use super::measures::{self as m, Measure};
use super::style::{HEIGHT, WIDTH};
use super::{
    ChartData, Event, ScenarioInfo, context, daily, detectability, render, render_all, totals,
};
use crate::view::records::{
    ALL, DKI, DailyRecord, DetectabilityRecord, ReplicateDayRecord, SummaryRecord, WindowRecord,
};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{self, Band};

/// Every daily measure a chart reads: the fixtures give each a value.
const DAILY: [Measure; 3] = [m::TRIPS, m::CO2_NET, m::PM25_NET];

/// Each daily measure as a multiple of trips avoided.
const PER_TRIP: [f64; 3] = [1.0, 0.8, 3e-5];

/// Replicates of each scenario in `replicates_daily`.
const REPLICATES: i64 = 3;

/// The part of replicate `r`'s daily values on day `j` that every scenario shares (as
/// every scenario of a run draws the same inputs): large, so that only a paired
/// difference sees the scenarios' own parts.
fn common(r: i64, j: usize) -> f64 {
    5e5 * (r as f64 + 1.0) * (1.5 + (j as f64 * 1.3).sin())
}

/// Every summary measure a chart reads (besides the road rows' vehicles).
const SUMMARY: [Measure; 12] = [
    m::TRIPS,
    m::CO2_NET,
    m::PM25_NET,
    m::PM25_TOTAL_NET,
    m::NOX_NET,
    m::CO_NET,
    m::PM10_NET,
    m::PM10_TOTAL_NET,
    m::HC_NET,
    m::SO2_NET,
    m::VEHICLE_KM_NET,
    m::PERSON_KM,
];

/// A band of ±20 % around `v`.
fn band(v: f64) -> Band {
    Band([v * 0.8, v, v * 1.2])
}

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
    basis: Basis,
    region: String,
    measure: Measure,
    total: f64,
    pct: f64,
}

impl SummaryRow {
    fn record(&self) -> SummaryRecord {
        SummaryRecord {
            scenario: self.scenario.as_str().into(),
            title: self.title.as_str().into(),
            basis: self.basis,
            region: self.region.as_str().into(),
            region_name: self.region.as_str().into(),
            metric: self.measure.metric,
            component: self.measure.component,
            window: None,
            window_working_days: 40,
            total: band(self.total),
            total_error: [None; 3],
            per_day_p50: self.total / 40.0,
            baseline_total_p50: f64::NAN,
            pct_baseline: band(self.pct),
            pct_baseline_dki: None,
        }
    }
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

/// The detectability records: the first scenario's fall (1.3% over the whole window, ×2
/// its scale) reaches the whole window's city-wide MDE, the others' (÷ (k+1)²) do not.
fn detectability_records(scenarios: &[Scen]) -> Vec<DetectabilityRecord> {
    let mut out = Vec::new();
    for (k, s) in scenarios.iter().enumerate() {
        for (c, (comparison, _)) in detectability::COMPARISONS.iter().enumerate() {
            let e = [0.9, 0.85, 0.65][c] * 2.0 * s.scale / ((k + 1) * (k + 1)) as f64;
            out.push(DetectabilityRecord {
                scenario: s.name.clone(),
                comparison: *comparison,
                days_each_side: [1, 5, 44][c],
                effect_pct: Band([e * 0.7, e, e * 1.3]),
                mde_city_pct: MDE_CITY[c],
                mde_site_pct: MDE_SITE[c],
                visible_city: e >= MDE_CITY[c][0],
                visible_site: e >= MDE_SITE[c][0],
                power_city: if e >= MDE_CITY[c][0] { 0.85 } else { 0.05 },
            });
        }
    }
    out
}

/// A run over the working days (weekdays) from `start` to `end`: each scenario avoids
/// trips in proportion to its highest share that day, and every metric the charts read is
/// a fixed multiple of trips with a ±20 % band. Each scenario also has the road layer's
/// DKI rows ([`ROAD_PCT`] × its scale, ÷ its position squared, ×40 for the first) and
/// detectability rows ([`detectability_records`]). Its replicates' daily values are the
/// scenario's trips (times [`PER_TRIP`]) plus a part [`common`] to every scenario.
///
/// The records are leaked: each test builds a few small runs and the charts borrow them.
fn run(start: &str, end: &str, scenarios: &[Scen], events: &[(&str, &str)]) -> ChartData<'static> {
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

    let columns = schema::daily_columns();
    let mut daily = Vec::new();
    let mut replicates_daily = Vec::new();
    for (k, s) in scenarios.iter().enumerate() {
        for (j, d) in days.iter().enumerate() {
            let wave = 1.0 + 0.15 * ((j as f64) * 0.7 + k as f64).sin();
            let trips = 2.4e6 * s.scale * share_on(s, *d) * wave;
            replicates_daily.extend((0..REPLICATES).map(|r| ReplicateDayRecord {
                scenario: s.name.as_str().into(),
                replicate: r,
                date: Date(*d),
                values: PER_TRIP.map(|f| (trips + common(r, j)) * f),
            }));
            let mut values = vec![Band::default(); columns.len()];
            for (i, measure) in DAILY.iter().enumerate() {
                let at = columns
                    .iter()
                    .position(|&c| c == (measure.metric, measure.component))
                    .expect("a daily measure of the schema");
                values[at] = band(trips * PER_TRIP[i]);
            }
            daily.push(DailyRecord {
                scenario: s.name.as_str().into(),
                date: Date(*d),
                basis: Basis::All,
                region: ALL.into(),
                mode: ALL.into(),
                baseline_trips: 4.0e6,
                values,
            });
        }
    }

    let mut rows: Vec<SummaryRow> = Vec::new();
    for (k, s) in scenarios.iter().enumerate() {
        let total: f64 = days.iter().map(|d| 2.4e6 * s.scale * share_on(s, *d)).sum();
        for (i, measure) in SUMMARY.iter().enumerate() {
            let v = total / (i as f64 + 1.0);
            let pct = 2.4 * s.scale / (k as f64 + 1.0);
            let mut push = |basis: Basis, region: &str, share: f64| {
                rows.push(SummaryRow {
                    scenario: s.name.clone(),
                    title: s.title.clone(),
                    basis,
                    region: region.to_string(),
                    measure: *measure,
                    total: v * share,
                    pct: pct * share,
                });
            };
            push(Basis::All, ALL, 1.0);
            if *measure == m::TRIPS {
                for (i, (code, _)) in regions().iter().enumerate() {
                    push(Basis::Home, code, (i as f64 + 1.0) / 15.0);
                    push(Basis::Work, code, (5.0 - i as f64) / 15.0);
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
                basis: panel.basis,
                region: DKI.into(),
                measure: panel.metric,
                total: total * (p as f64 + 1.0),
                pct: ROAD_PCT[p] * s.scale * boost,
            });
        }
    }
    let summary: Vec<SummaryRecord> = rows.iter().map(SummaryRow::record).collect();
    let windows: Vec<WindowRecord> = scenarios
        .iter()
        .flat_map(|s| {
            s.windows.iter().map(|w| WindowRecord {
                scenario: s.name.clone(),
                policy: w.3.to_string(),
                from: Date(day(w.0)),
                to: Date(day(w.1)),
                share: w.2,
            })
        })
        .collect();

    ChartData {
        langs: crate::labels::Langs::En,
        daily: daily.leak(),
        replicates_daily: replicates_daily.leak(),
        summary: summary.leak(),
        windows: windows.leak(),
        detectability: detectability_records(scenarios).leak(),
        decomposition: &[],
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
fn marathon() -> ChartData<'static> {
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
    input.daily.iter().map(|r| r.date.0).collect()
}

fn select(input: &ChartData) -> Option<Selection> {
    event_week::select(input, &data_days(input))
}

fn names(sel: &Selection) -> Vec<&str> {
    sel.scenarios
        .iter()
        .map(|c| c.scenario.name.as_str())
        .collect()
}

mod decomposition_tests;
mod evaluation_tests;
mod event_week_tests;
mod lang_tests;
mod render_tests;
mod roads_tests;
