//! The table after each chart: the numbers the chart draws, as a reader would copy them
//! (medians with their 5–95% range), written for the reader's language.

use std::collections::BTreeMap;

use serde::Serialize;

use super::headlines::title;
use super::summary::{Detect, Row, Summary};
use super::text::{Text, Tr};
use crate::export::RunInfo;
use crate::labels::{Lang, format};
use crate::plot::measures::{self as col, Measure};
use wfhsim_core::results::grid::Basis;

#[derive(Debug, Serialize)]
pub struct Cell {
    pub text: String,
    /// Right-aligned (a number).
    pub numeric: bool,
}

#[derive(Debug, Serialize)]
pub struct Table {
    pub headers: Vec<Text>,
    pub rows: Vec<Vec<Cell>>,
}

fn name(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        numeric: false,
    }
}

fn num(s: String) -> Cell {
    Cell {
        text: s,
        numeric: true,
    }
}

/// A text cell, for the briefing's other tables.
pub(super) fn cell_name(s: String) -> Cell {
    name(s)
}

/// A number cell (right-aligned), for the briefing's other tables.
pub(super) fn cell_num(s: String) -> Cell {
    num(s)
}

/// "12.100 (10.700–13.400)".
fn band(v: [f64; 3], lang: Lang, fmt: fn(f64, Lang) -> String) -> String {
    format!(
        "{} ({}–{})",
        fmt(v[1], lang),
        fmt(v[0], lang),
        fmt(v[2], lang)
    )
}

fn sig3(x: f64, l: Lang) -> String {
    format::sig(x, 3, l)
}

fn pct(x: f64, l: Lang) -> String {
    format::pct_sig(x, l)
}

pub struct Inputs<'a> {
    pub tr: Tr<'a>,
    pub info: &'a RunInfo,
    pub summary: &'a Summary<'a>,
    pub detect: &'a BTreeMap<String, Vec<Detect>>,
    /// Trips avoided per day (p05, p50, p95) by scenario and date (YYYY-MM-DD), whole
    /// area, on the days of the run's first event.
    pub event_days: &'a BTreeMap<(String, String), [f64; 3]>,
}

/// The table of the chart `stem`, if the briefing has one for it.
pub fn table_for(stem: &str, x: &Inputs) -> Option<Table> {
    match stem {
        "daily_trips_avoided" => Some(per_day(x)),
        "event_week" => Some(event_week(x)),
        "totals_by_scenario" => Some(totals(x, &MAIN)),
        "totals_other_pollutants" => Some(totals(x, &OTHER)),
        "trips_by_region" => Some(regions(x)),
        "roads_context" => Some(roads(x)),
        "detectability" => Some(detectability(x)),
        _ => None,
    }
}

/// Rows of scenarios that have a window, with their title in the first language.
fn scenarios<'a>(x: &'a Inputs) -> impl Iterator<Item = &'a crate::export::run_info::ScenarioInfo> {
    x.info.scenarios.iter().filter(|s| s.window.is_some())
}

fn per_day(x: &Inputs) -> Table {
    let n = x.tr.num_lang();
    let headers = vec![
        x.tr.t("common.scenario"),
        x.tr.t("briefing.col.window"),
        x.tr.t("briefing.col.working_days"),
        x.tr.t("briefing.col.trips_per_day"),
        x.tr.t("briefing.col.pct_commuter_trips"),
    ];
    let rows = scenarios(x)
        .filter_map(|s| {
            let r = x.summary.all(&s.name, col::TRIPS)?;
            let (from, to) = s.window.clone()?;
            Some(vec![
                name(title(s, n)),
                name(format!(
                    "{} – {}",
                    format::date(&from, n),
                    format::date(&to, n)
                )),
                num(format::int(r.working_days, n)),
                num(band(r.per_day(), n, sig3)),
                num(band(r.pct, n, pct)),
            ])
        })
        .collect();
    Table { headers, rows }
}

/// The first event's days (those named as the first event is), in date order.
pub fn first_event_days(info: &RunInfo) -> Vec<String> {
    let Some(first) = info.events.first() else {
        return Vec::new();
    };
    info.events
        .iter()
        .filter(|e| e.name == first.name)
        .map(|e| e.date.clone())
        .collect()
}

/// Trips avoided on each of the first event's days, per scenario with a window.
fn event_week(x: &Inputs) -> Table {
    let n = x.tr.num_lang();
    let days = first_event_days(x.info);
    let mut headers = vec![x.tr.t("common.scenario")];
    headers.extend(
        days.iter()
            .map(|d| Text::per_lang(x.tr.langs, |l| format::date(d, l))),
    );
    let rows = scenarios(x)
        .map(|s| {
            let mut row = vec![name(title(s, n))];
            row.extend(days.iter().map(|d| {
                num(x
                    .event_days
                    .get(&(s.name.clone(), d.clone()))
                    .map_or("–".into(), |v| band(*v, n, sig3)))
            }));
            row
        })
        .collect();
    Table { headers, rows }
}

struct Columns {
    /// (metric, header label key, divisor)
    cols: &'static [(Measure, &'static str, f64)],
}

const MAIN: Columns = Columns {
    cols: &[
        (col::TRIPS, "briefing.col.trips_total", 1.0),
        (col::CO2_NET, "briefing.col.co2_t", 1000.0),
        (col::PM25_NET, "briefing.col.pm25_kg", 1.0),
        (col::PM25_TOTAL_NET, "briefing.col.pm25_total_kg", 1.0),
        (col::NOX_NET, "briefing.col.nox_kg", 1.0),
        (col::CO_NET, "briefing.col.co_kg", 1.0),
    ],
};

const OTHER: Columns = Columns {
    cols: &[
        (col::PM10_NET, "briefing.col.pm10_kg", 1.0),
        (col::PM10_TOTAL_NET, "briefing.col.pm10_total_kg", 1.0),
        (col::HC_NET, "briefing.col.hc_kg", 1.0),
        (col::SO2_NET, "briefing.col.so2_kg", 1.0),
        (col::VEHICLE_KM_NET, "briefing.col.vehicle_km_m", 1e6),
        (col::PERSON_KM, "briefing.col.person_km_m", 1e6),
    ],
};

fn totals(x: &Inputs, c: &Columns) -> Table {
    let n = x.tr.num_lang();
    let mut headers = vec![x.tr.t("common.scenario")];
    headers.extend(c.cols.iter().map(|(_, key, _)| x.tr.t(key)));
    let rows = scenarios(x)
        .map(|s| {
            let mut row = vec![name(title(s, n))];
            row.extend(c.cols.iter().map(|(m, _, div)| {
                num(x
                    .summary
                    .all(&s.name, *m)
                    .map_or("–".into(), |r| band(r.total.map(|v| v / div), n, sig3)))
            }));
            row
        })
        .collect();
    Table { headers, rows }
}

/// Trips avoided per working day by home region (rows) for each scenario (columns).
fn regions(x: &Inputs) -> Table {
    let n = x.tr.num_lang();
    let list: Vec<_> = scenarios(x).collect();
    let mut headers = vec![x.tr.t("briefing.col.home_region")];
    headers.extend(list.iter().map(|s| Text::plain(x.tr.langs, &s.name)));
    let rows = x
        .info
        .regions
        .iter()
        .map(|g| {
            let mut row = vec![name(g.name.clone())];
            row.extend(list.iter().map(|s| {
                num(x
                    .summary
                    .get(&s.name, Basis::Home, &g.code, col::TRIPS)
                    .map_or("–".into(), |r: Row| format::int(r.per_day_p50, n)))
            }));
            row
        })
        .collect();
    Table { headers, rows }
}

fn roads(x: &Inputs) -> Table {
    let n = x.tr.num_lang();
    let headers = vec![
        x.tr.t("common.scenario"),
        x.tr.t("briefing.col.dki_vehicles_per_day"),
        x.tr.t("briefing.col.pct_dki_all_day"),
        x.tr.t("briefing.col.pct_dki_peak"),
        x.tr.t("briefing.col.pct_dki_cordon"),
        x.tr.t("briefing.col.pct_pm25_inventory"),
    ];
    let pct_of = |s: &str, basis: Basis, m| {
        x.summary
            .dki(s, basis, m)
            .map_or("–".into(), |r| band(r.pct, n, pct))
    };
    let rows = scenarios(x)
        .filter_map(|s| {
            let v = x.summary.dki(&s.name, Basis::DkiRoads, col::VEHICLES_NET)?;
            Some(vec![
                name(title(s, n)),
                num(band(v.per_day(), n, sig3)),
                num(band(v.pct, n, pct)),
                num(pct_of(&s.name, Basis::DkiRoadsPeak, col::VEHICLES_NET)),
                num(pct_of(&s.name, Basis::DkiCordon, col::VEHICLES_NET)),
                num(pct_of(&s.name, Basis::DkiRoads, col::PM25_NET)),
            ])
        })
        .collect();
    Table { headers, rows }
}

fn detectability(x: &Inputs) -> Table {
    let n = x.tr.num_lang();
    let headers = vec![
        x.tr.t("common.scenario"),
        x.tr.t("briefing.col.comparison"),
        x.tr.t("briefing.col.effect_pct"),
        x.tr.t("briefing.col.mde_pct"),
        x.tr.t("briefing.col.visible"),
        x.tr.t("briefing.col.power"),
    ];
    let mut rows = Vec::new();
    for s in scenarios(x) {
        for d in x.detect.get(&s.name).into_iter().flatten() {
            let comparison =
                x.tr.labels
                    .get(&format!("briefing.comparison.{}", d.comparison), n);
            let yes = if d.visible_city {
                "common.yes"
            } else {
                "common.no"
            };
            rows.push(vec![
                name(title(s, n)),
                name(comparison),
                num(pct(d.effect_pct_p50, n)),
                num(format::pct(d.mde_city_pct, 1, n)),
                name(x.tr.labels.get(yes, n)),
                num(format::pct(100.0 * d.power_city, 0, n)),
            ]);
        }
    }
    Table { headers, rows }
}
