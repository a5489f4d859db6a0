//! The Summary sheet: a title, one row per scenario with the headline numbers read from
//! the `summary` table, the notes, and the small event-week table the summit-week chart
//! draws from.
//!
//! Layout (0-based rows): 0 title, 1 the run's label, 3–4 a two-row header (a group's
//! name over its p05/p50/p95 columns; a one-column group's name spans both rows), the
//! scenarios from row [`FIRST_ROW`], then the notes and the event table. Every value is
//! a number from one `summary` row: totals over the policy window, per working day
//! (the total divided by `window_working_days`) or a share (`pct_baseline` / 100, shown
//! as a percent).

use rust_xlsxwriter::{Format, Worksheet};

use super::daily::WholeArea;
use super::frame::{Field, Summary};
use super::scenarios::titles;
use super::style::{self, COUNT, KG1, KG2, SHARE_SMALL, Style};
use crate::export::{ExportError, RunView};
use crate::labels::Labels;
use crate::plot::EventWeek;
use crate::plot::event_paired::{PairedDays, measure_index};
use crate::plot::measures::{self as m, Measure};
use crate::view::records::{ALL, DKI};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;

/// Row of the two-row header.
pub(super) const HEADER_ROW: u32 = 3;
/// Row of the first scenario.
pub(super) const FIRST_ROW: u32 = 5;

/// What one column shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Value {
    Name,
    Title,
    WindowStart,
    WindowEnd,
    WorkingDays,
    /// A value of the summary row (basis, region, measure).
    Row(Basis, &'static str, Measure, Field),
}

/// A group of columns under one header: one column, or the p05, p50 and p95 of a value.
pub(super) struct Group {
    pub header: String,
    pub format: &'static str,
    pub columns: Vec<Value>,
}

fn one(header: String, format: &'static str, v: Value) -> Group {
    Group {
        header,
        format,
        columns: vec![v],
    }
}

fn band(
    header: String,
    format: &'static str,
    row: (Basis, &'static str, Measure),
    field: fn(usize) -> Field,
) -> Group {
    let (b, r, m) = row;
    Group {
        header,
        format,
        columns: (0..3).map(|q| Value::Row(b, r, m, field(q))).collect(),
    }
}

/// The Summary sheet's columns, left to right.
pub(super) fn groups(s: &Style) -> Vec<Group> {
    let trips = (Basis::All, ALL, m::TRIPS);
    let net = |measure: Measure| (Basis::All, ALL, measure);
    let dki = |measure: Measure| (Basis::DkiRoads, DKI, measure);
    let emission = |m: &'static str, unit: &str| {
        s.filled(
            "xlsx.avoided_net",
            &[("metric", &format!("metric.{m}")), ("unit", unit)],
        )
    };
    vec![
        one(s.t("common.scenario"), "@", Value::Name),
        one(s.t("xlsx.title"), "@", Value::Title),
        one(s.t("xlsx.window_start"), style::DATE, Value::WindowStart),
        one(s.t("xlsx.window_end"), style::DATE, Value::WindowEnd),
        one(s.t("xlsx.working_days"), COUNT, Value::WorkingDays),
        band(s.t("xlsx.trips_per_day"), COUNT, trips, Field::PerDay),
        band(s.t("xlsx.trips_window"), COUNT, trips, |q| {
            Field::Total(q, 1.0)
        }),
        band(s.t("xlsx.trips_share"), SHARE_SMALL, trips, Field::Share),
        band(emission("co2", "unit.t"), KG1, net(m::CO2_NET), |q| {
            Field::Total(q, 1000.0)
        }),
        band(emission("pm25", "unit.kg"), KG2, net(m::PM25_NET), |q| {
            Field::Total(q, 1.0)
        }),
        band(
            emission("pm25_total", "unit.kg"),
            KG2,
            net(m::PM25_TOTAL_NET),
            |q| Field::Total(q, 1.0),
        ),
        band(emission("nox", "unit.kg"), KG1, net(m::NOX_NET), |q| {
            Field::Total(q, 1.0)
        }),
        band(emission("co", "unit.kg"), COUNT, net(m::CO_NET), |q| {
            Field::Total(q, 1.0)
        }),
        band(
            s.t("xlsx.dki_vehicles"),
            COUNT,
            dki(m::VEHICLES_NET),
            Field::PerDay,
        ),
        band(
            s.t("xlsx.dki_vehicles_share"),
            SHARE_SMALL,
            dki(m::VEHICLES_NET),
            Field::Share,
        ),
        band(
            s.t("xlsx.dki_pm25_inventory"),
            SHARE_SMALL,
            dki(m::PM25_NET),
            Field::Share,
        ),
    ]
}

/// Where the charts find their data on the sheet.
pub(super) struct Placed {
    /// Rows of the first and last scenario.
    pub scenario_rows: (u32, u32),
    /// Column of the scenario names and of the window total's p50.
    pub name_col: u16,
    pub total_p50_col: u16,
    /// The event table: header row, first and last day row, one column per scenario
    /// after the date column (column 0).
    pub event: Option<(u32, u32, u32, u16)>,
    /// First free row below everything.
    pub next_row: u32,
}

pub(super) fn write(
    ws: &mut Worksheet,
    s: &Style,
    run: &RunView,
    summary: &Summary,
    daily: &WholeArea,
    event: Option<&EventWeek>,
) -> Result<Placed, ExportError> {
    ws.write_string_with_format(0, 0, s.t("xlsx.summary_title"), &s.title)?;
    let label = crate::export::charts::run_label_in(&run.info.label, s.langs);
    ws.write_string_with_format(1, 0, &label, &s.note)?;
    let groups = groups(s);
    let mut col: u16 = 0;
    let mut total_p50_col = 0;
    let sub = ["common.p05", "common.p50", "common.p95"].map(|k| s.t(k));
    for g in &groups {
        let n = g.columns.len() as u16;
        if n == 1 {
            ws.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, &g.header, &s.header)?;
        } else {
            ws.merge_range(
                HEADER_ROW,
                col,
                HEADER_ROW,
                col + n - 1,
                &g.header,
                &s.header,
            )?;
            for (j, text) in sub.iter().enumerate() {
                ws.write_string_with_format(HEADER_ROW + 1, col + j as u16, text, &s.header)?;
            }
        }
        if g.columns.get(1) == Some(&Value::Row(Basis::All, ALL, m::TRIPS, Field::Total(1, 1.0))) {
            total_p50_col = col + 1;
        }
        ws.set_column_width(col, if n == 1 { 14.0 } else { 12.0 })?;
        col += n;
    }
    ws.set_column_width(1, 40.0)?;
    ws.set_row_height(HEADER_ROW, 45.0)?;
    ws.set_row_height(HEADER_ROW + 1, 30.0)?;

    let mut row = FIRST_ROW;
    for sc in &run.info.scenarios {
        let trips = summary.row(&sc.name, Basis::All, ALL, m::TRIPS);
        let window = sc.window.as_ref();
        let day = |d: Option<&String>| d.and_then(|d| Date::parse(d)).map(|d| d.0);
        let mut col: u16 = 0;
        for g in &groups {
            let f = Style::num(g.format);
            for v in &g.columns {
                match *v {
                    Value::Name => ws
                        .write_string_with_format(row, col, &sc.name, &s.text)
                        .map(|_| ())?,
                    Value::Title => ws
                        .write_string_with_format(row, col, titles(s, sc), &s.text)
                        .map(|_| ())?,
                    Value::WindowStart => {
                        style::date(ws, row, col, day(window.map(|w| &w.0)), &s.date)?
                    }
                    Value::WindowEnd => {
                        style::date(ws, row, col, day(window.map(|w| &w.1)), &s.date)?
                    }
                    Value::WorkingDays => {
                        style::number(ws, row, col, summary.working_days(trips), &f)?
                    }
                    Value::Row(b, r, measure, field) => {
                        let x = summary.value(summary.row(&sc.name, b, r, measure), field);
                        style::number(ws, row, col, x, &f)?
                    }
                }
                col += 1;
            }
        }
        row += 1;
    }
    let last = row.saturating_sub(1).max(FIRST_ROW);
    ws.set_freeze_panes(FIRST_ROW, 1)?;

    row += 1;
    for text in [
        s.t("xlsx.summary_note"),
        run.info.source_note.clone(),
        run.info.inventory_note.clone(),
    ] {
        ws.write_string_with_format(row, 0, text, &s.note)?;
        row += 1;
    }
    row += 1;
    let event = match event {
        Some(e) => {
            let placed = event_table(ws, s, row, daily, e)?;
            event_difference(ws, s, placed, run, e)?;
            Some(placed)
        }
        None => None,
    };
    let next_row = event.map_or(row, |(_, _, last, _)| last + 2);
    Ok(Placed {
        scenario_rows: (FIRST_ROW, last),
        name_col: 0,
        total_p50_col,
        event,
        next_row,
    })
}

/// After the event table's scenario columns, the first two scenarios' paired difference
/// A − B in trips avoided on each day (p05, p50, p95 of the replicates' differences) and
/// in how many replicates A avoids more: the event-week chart's band of the difference.
/// Nothing when the table has fewer than two scenarios or the run no replicates' values.
fn event_difference(
    ws: &mut Worksheet,
    s: &Style,
    (header, first, _, n): (u32, u32, u32, u16),
    run: &RunView,
    e: &EventWeek,
) -> Result<(), ExportError> {
    let [Some(a), Some(b)] = [e.scenarios.first(), e.scenarios.get(1)] else {
        return Ok(());
    };
    let Some(pairs) = PairedDays::new(&run.replicates_daily, a, b, &e.days) else {
        return Ok(());
    };
    let Some(k) = measure_index(m::TRIPS.metric, m::TRIPS.component) else {
        return Ok(());
    };
    let names = [("a", a.clone()), ("b", b.clone())];
    let diff = s.each(|l| Labels::builtin().fill("xlsx.event_diff", l, &names));
    let more = s.each(|l| Labels::builtin().fill("xlsx.event_more", l, &names));
    let col = 1 + n;
    for (j, q) in ["common.p05", "common.p50", "common.p95"]
        .iter()
        .enumerate()
    {
        let text = format!("{diff} {}", s.t(q));
        ws.write_string_with_format(header, col + j as u16, text, &s.header)?;
    }
    ws.write_string_with_format(header, col + 3, more, &s.header)?;
    let count = Format::new().set_num_format(COUNT);
    let replicates = pairs.replicates() as f64;
    for (i, d) in pairs.per_day(k).iter().enumerate() {
        let r = first + i as u32;
        for (j, x) in d.total.0.iter().enumerate() {
            style::number(ws, r, col + j as u16, *x, &count)?;
        }
        style::number(ws, r, col + 3, (d.a_greater * replicates).round(), &count)?;
    }
    Ok(())
}

/// The event week's trips avoided per day (p50): a title, a header (date, then each
/// compared scenario), one row per shown day. Returns (header row, first day row, last
/// day row, number of scenarios).
fn event_table(
    ws: &mut Worksheet,
    s: &Style,
    top: u32,
    daily: &WholeArea,
    e: &EventWeek,
) -> Result<(u32, u32, u32, u16), ExportError> {
    let title = s.each(|l| {
        crate::labels::Labels::builtin().fill("xlsx.event_table", l, &[("event", e.name.clone())])
    });
    ws.write_string_with_format(top, 0, title, &s.title)?;
    let header = top + 1;
    ws.write_string_with_format(header, 0, s.t("common.date"), &s.header)?;
    for (j, name) in e.scenarios.iter().enumerate() {
        ws.write_string_with_format(header, 1 + j as u16, name, &s.header)?;
    }
    let count = Format::new().set_num_format(COUNT);
    for (i, &d) in e.days.iter().enumerate() {
        let r = header + 1 + i as u32;
        style::date(ws, r, 0, Some(d), &s.date)?;
        for (j, name) in e.scenarios.iter().enumerate() {
            style::number(ws, r, 1 + j as u16, daily.trips_p50(name, d), &count)?;
        }
    }
    let last = header + e.days.len().max(1) as u32;
    Ok((header, header + 1, last, e.scenarios.len() as u16))
}
