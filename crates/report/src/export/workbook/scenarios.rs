//! The Scenarios sheet: each scenario's name, title, description and policy window,
//! then the policy windows of the `windows` table (policy, from, to, WFH share).

use rust_xlsxwriter::Worksheet;

use super::style::{self, SHARE_WHOLE, Style};
use crate::export::run_info::ScenarioInfo;
use crate::export::{ExportError, RunView};
use wfhsim_core::calendar::Date;

/// The title in the run's language(s), once when the languages share it.
pub(super) fn titles(style: &Style, s: &ScenarioInfo) -> String {
    let mut seen: Vec<String> = Vec::new();
    for &l in style.langs.list() {
        let t = s.title_in(l).to_string();
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.join(super::style::JOIN)
}

/// The `windows` table's rows: scenario, policy, from, to (days), share.
pub(super) struct Windows<'a> {
    scenario: Vec<&'a str>,
    policy: Vec<&'a str>,
    from: Vec<Option<i32>>,
    to: Vec<Option<i32>>,
    share: Vec<f64>,
}

impl<'a> Windows<'a> {
    pub fn read(run: &'a RunView) -> Result<Windows<'a>, ExportError> {
        let w = &run.windows;
        Ok(Windows {
            scenario: w.iter().map(|r| r.scenario.as_str()).collect(),
            policy: w.iter().map(|r| r.policy.as_str()).collect(),
            from: w.iter().map(|r| Some(r.from.0)).collect(),
            to: w.iter().map(|r| Some(r.to.0)).collect(),
            share: w.iter().map(|r| r.share).collect(),
        })
    }
}

pub(super) fn write(
    ws: &mut Worksheet,
    s: &Style,
    run: &RunView,
    w: &Windows,
) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, s.t("xlsx.scenarios_title"), &s.title)?;
    let header = [
        "common.scenario",
        "xlsx.title",
        "xlsx.description",
        "xlsx.window_start",
        "xlsx.window_end",
    ];
    for (j, k) in header.iter().enumerate() {
        ws.write_string_with_format(2, j as u16, s.t(k), &s.header)?;
    }
    let mut row = 3;
    let day = |d: Option<&String>| d.and_then(|d| Date::parse(d)).map(|d| d.0);
    for sc in &run.info.scenarios {
        ws.write_string_with_format(row, 0, &sc.name, &s.text)?;
        ws.write_string_with_format(row, 1, titles(s, sc), &s.text)?;
        ws.write_string_with_format(row, 2, &sc.description, &s.wrap)?;
        style::date(ws, row, 3, day(sc.window.as_ref().map(|w| &w.0)), &s.date)?;
        style::date(ws, row, 4, day(sc.window.as_ref().map(|w| &w.1)), &s.date)?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, s.t("xlsx.windows_title"), &s.title)?;
    row += 2;
    let header = [
        "common.scenario",
        "xlsx.policy",
        "xlsx.from",
        "xlsx.to",
        "xlsx.share",
    ];
    for (j, k) in header.iter().enumerate() {
        ws.write_string_with_format(row, j as u16, s.t(k), &s.header)?;
    }
    let share = Style::num(SHARE_WHOLE);
    for i in 0..w.scenario.len() {
        row += 1;
        ws.write_string_with_format(row, 0, w.scenario[i], &s.text)?;
        ws.write_string_with_format(row, 1, w.policy[i], &s.text)?;
        style::date(ws, row, 2, w.from[i], &s.date)?;
        style::date(ws, row, 3, w.to[i], &s.date)?;
        style::number(ws, row, 4, w.share[i], &share)?;
    }
    for (c, width) in [(0, 30.0), (1, 40.0), (2, 70.0), (3, 14.0), (4, 14.0)] {
        ws.set_column_width(c, width)?;
    }
    Ok(())
}
