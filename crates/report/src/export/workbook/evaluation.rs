//! The Evaluation sheet (an evaluation's effects table, then its headlines, comparison and
//! notes as the page words them) and the evaluation folder's own workbook, which adds the
//! Daily sheet of `evaluation_days`. Effects in % are stored as fractions with a percent
//! format, dates as dates.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Worksheet};

use super::style::{self, DATE, INDEX, KG2, Style, sheet_name};
use crate::evaluation::{Evaluation, words};
use crate::export::ExportError;
use crate::export::briefing::evaluation_lines;
use crate::labels::Langs;
use wfhsim_core::calendar::Date;

const PCT: &str = "0.0%";

fn day(s: &str) -> Option<i32> {
    Date::parse(s).map(|d| d.0)
}

fn pct(x: Option<f64>) -> f64 {
    x.map_or(f64::NAN, |v| v / 100.0)
}

/// The effects table from `top`; returns the next free row.
fn effects(ws: &mut Worksheet, s: &Style, ev: &Evaluation, top: u32) -> Result<u32, ExportError> {
    let headers = [
        "site",
        "method",
        "window",
        "window",
        "days",
        "observed_mean",
        "counterfactual_mean",
        "effect_units",
        "effect",
        "low",
        "high",
        "p",
        "mde",
        "placebo",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(
            top,
            c as u16,
            s.t(&format!("evaluation.col.{h}")),
            &s.header,
        )?;
    }
    let (date, kg, pc, idx) = (
        Style::num(DATE),
        Style::num(KG2),
        Style::num(PCT),
        Style::num(INDEX),
    );
    let p = Style::num("0.0000");
    for (i, r) in ev.effects.iter().enumerate() {
        let row = top + 1 + i as u32;
        ws.write_string(row, 0, &r.site)?;
        ws.write_string(row, 1, s.each(|l| words::method(&r.method, l)))?;
        style::date(ws, row, 2, day(&r.window_from), &date)?;
        style::date(ws, row, 3, day(&r.window_to), &date)?;
        ws.write_number(row, 4, f64::from(r.days))?;
        let cells = [
            (5, r.observed_mean, &kg),
            (6, r.counterfactual_mean, &kg),
            (7, r.effect_units, &kg),
            (8, pct(Some(r.effect_pct)), &pc),
            (9, pct(r.effect_pct_lo), &pc),
            (10, pct(r.effect_pct_hi), &pc),
            (11, r.p_value, &p),
            (12, pct(r.mde_pct), &pc),
            (13, r.placebo_share_significant.unwrap_or(f64::NAN), &idx),
        ];
        for (c, x, f) in cells {
            style::number(ws, row, c, x, f)?;
        }
    }
    Ok(top + 2 + ev.effects.len() as u32)
}

/// The Evaluation sheet.
pub(super) fn write(ws: &mut Worksheet, s: &Style, ev: &Evaluation) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, s.t("evaluation.section.title"), &s.title)?;
    ws.write_string_with_format(1, 0, &ev.manifest.name, &s.note)?;
    let mut row = effects(ws, s, ev, 3)?;
    for line in evaluation_lines(s.langs, ev) {
        ws.write_string(row, 0, &line)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, &ev.manifest.command, &s.note)?;
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 28.0)?;
    for c in 2..14 {
        ws.set_column_width(c, 14.0)?;
    }
    Ok(())
}

/// The Daily sheet: every row of `evaluation_days`.
fn days(ws: &mut Worksheet, s: &Style, ev: &Evaluation) -> Result<(), ExportError> {
    let headers: Vec<String> = [
        "evaluation.col.site",
        "evaluation.col.method",
        "common.date",
        "evaluation.col.observed",
        "evaluation.col.counterfactual",
        "evaluation.col.low",
        "evaluation.col.high",
        "evaluation.col.in_window",
    ]
    .iter()
    .map(|k| s.t(k))
    .collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &s.header)?;
    }
    let (date, general) = (Style::num(DATE), Style::num("General"));
    for (i, d) in ev.days.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &d.site)?;
        ws.write_string(row, 1, &d.method)?;
        style::date(ws, row, 2, day(&d.date), &date)?;
        let values = [
            d.observed,
            Some(d.counterfactual),
            d.counterfactual_lo,
            d.counterfactual_hi,
        ];
        for (j, x) in values.into_iter().enumerate() {
            style::number(ws, row, 3 + j as u16, x.unwrap_or(f64::NAN), &general)?;
        }
        let yes = if d.in_window {
            "common.yes"
        } else {
            "common.no"
        };
        ws.write_string(row, 7, s.t(yes))?;
    }
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(2, 12.0)?;
    Ok(())
}

/// The first window's first day (the Unix epoch without one): the file's fixed
/// creation time, so the same evaluation gives the same bytes.
fn creation_time(ev: &Evaluation) -> Result<ExcelDateTime, ExportError> {
    let first = ev
        .manifest
        .windows
        .iter()
        .filter_map(|w| Date::parse(&w.from))
        .min();
    let (y, m, d) = first.unwrap_or(Date(0)).ymd();
    Ok(ExcelDateTime::from_ymd(
        y.clamp(1970, 9999) as u16,
        m as u8,
        d as u8,
    )?)
}

/// An evaluation folder's `briefing.xlsx`: the Evaluation and Daily sheets.
pub fn evaluation_workbook(ev: &Evaluation, langs: Langs) -> Result<Vec<u8>, ExportError> {
    let s = Style::new(langs);
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(s.t("evaluation.page.title"))
            .set_creation_datetime(&creation_time(ev)?),
    );
    let ws = wb
        .add_worksheet()
        .set_name(sheet_name("sheet.evaluation", langs))?;
    write(ws, &s, ev)?;
    let ws = wb
        .add_worksheet()
        .set_name(sheet_name("sheet.daily", langs))?;
    days(ws, &s, ev)?;
    Ok(wb.save_to_buffer()?)
}
