//! `briefing.xlsx`: a workbook an analyst can hand on, in the run's language(s). Sheets,
//! in order (names from the catalogue's `sheet.*`; with `--lang both`
//! "Indonesian (English)", e.g. `Ringkasan (Summary)`):
//!
//! - **Summary** ([`summary`]): one row per scenario with the headline numbers of the
//!   `summary` table, the notes, the event week's trips per day, and two native Excel
//!   charts drawn from those cells ([`charts`]);
//! - **Scenarios** ([`scenarios`]): titles, descriptions, windows and the policy windows;
//! - **Daily** ([`daily`]): the whole-area rows of the `daily` table as an Excel table;
//! - **Regions** ([`regions`]): trips avoided per home and work region;
//! - **Sources** ([`sources`]): the dataset's notes and the run's label;
//! - **Calibration** ([`calibration`]): the baseline against observations made before
//!   the 2023 orders, when the run has them;
//! - **Decomposition** ([`decomposition`]): each bundle's effect split among its parts,
//!   only for a run with a bundle of measures;
//! - **Sensitivity** ([`sensitivity`]), only with a sweep's tables;
//! - **Evaluation** ([`evaluation`]), only with an evaluation folder's effects.
//!
//! Numbers are numbers with number formats (`#,##0`, `0.000%` of a stored fraction,
//! dates as dates), so Excel shows them with the reader's separators. The file's
//! creation time is fixed (the first policy window's start, else 1970-01-01), so the same
//! run gives the same bytes.

mod calibration;
mod charts;
mod daily;
mod decomposition;
mod evaluation;
mod frame;
mod regions;
mod scenarios;
mod sensitivity;
mod sources;
mod style;
mod summary;

use rust_xlsxwriter::{DocProperties, ExcelDateTime};

pub use evaluation::evaluation_workbook;
pub use sensitivity::{
    Column, Kind, SOBOL_COLUMNS, SOBOL_CSV, Sensitivity, TORNADO_COLUMNS, TORNADO_CSV,
};

use super::{Charts, ExportError, ExportFile, Exporter, RunView};
use crate::labels::Langs;
use style::{Style, sheet_name};
use wfhsim_core::calendar::Date;

/// File name of the workbook inside a run folder.
pub const WORKBOOK: &str = "briefing.xlsx";

/// The workbook of a run, in `langs`, with a sweep's sensitivity sheet when given.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub langs: Langs,
    pub sensitivity: Option<Sensitivity>,
    /// An evaluation's effects, on the Evaluation sheet (`report --evaluation`).
    pub evaluation: Option<crate::evaluation::Evaluation>,
}

/// The workbook's creation time: midnight of the earliest policy window start, or the
/// Unix epoch — from the run's data, never the clock.
fn creation_time(run: &RunView) -> Result<ExcelDateTime, ExportError> {
    let first = run
        .info
        .scenarios
        .iter()
        .filter_map(|s| s.window.as_ref().and_then(|w| Date::parse(&w.0)))
        .min()
        .unwrap_or(Date(0));
    let (y, m, d) = first.ymd();
    let (y, m, d) = (y.clamp(1970, 9999) as u16, m as u8, d as u8);
    Ok(ExcelDateTime::from_ymd(y, m, d)?)
}

impl Workbook {
    fn build(&self, run: &RunView) -> Result<Vec<u8>, ExportError> {
        let s = Style::new(self.langs);
        let summary = frame::Summary::read(&run.summary);
        let daily = daily::WholeArea::read(&run.daily, &s);
        let windows = scenarios::Windows::read(run)?;
        let event =
            crate::plot::event_week(&Charts { langs: self.langs }.input(run), &daily.days());

        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(
            &DocProperties::new()
                .set_title(s.t("xlsx.summary_title"))
                .set_creation_datetime(&creation_time(run)?),
        );

        let name = sheet_name("sheet.summary", self.langs);
        let ws = wb.add_worksheet().set_name(&name)?;
        let placed = summary::write(ws, &s, run, &summary, &daily, event.as_ref())?;
        charts::insert(ws, &name, &s, &placed, event.as_ref())?;

        let ws = wb
            .add_worksheet()
            .set_name(sheet_name("sheet.scenarios", self.langs))?;
        scenarios::write(ws, &s, run, &windows)?;
        let ws = wb
            .add_worksheet()
            .set_name(sheet_name("sheet.daily", self.langs))?;
        daily.write(ws, &s)?;
        let ws = wb
            .add_worksheet()
            .set_name(sheet_name("sheet.regions", self.langs))?;
        regions::write(ws, &s, run, &summary)?;
        let ws = wb
            .add_worksheet()
            .set_name(sheet_name("sheet.sources", self.langs))?;
        sources::write(ws, &s, run)?;
        if !run.calibration.is_empty() {
            let ws = wb
                .add_worksheet()
                .set_name(sheet_name("sheet.calibration", self.langs))?;
            calibration::write(ws, &s, run)?;
        }
        if !run.decomposition.is_empty() {
            let ws = wb
                .add_worksheet()
                .set_name(sheet_name("sheet.decomposition", self.langs))?;
            decomposition::write(ws, &s, run)?;
        }
        if let Some(sens) = &self.sensitivity {
            let ws = wb
                .add_worksheet()
                .set_name(sheet_name("sheet.sensitivity", self.langs))?;
            sensitivity::write(ws, &s, sens)?;
        }
        if let Some(ev) = &self.evaluation {
            let ws = wb
                .add_worksheet()
                .set_name(sheet_name("sheet.evaluation", self.langs))?;
            evaluation::write(ws, &s, ev)?;
        }
        Ok(wb.save_to_buffer()?)
    }
}

impl Exporter for Workbook {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        Ok(vec![ExportFile {
            path: WORKBOOK.to_string(),
            bytes: self.build(run)?,
        }])
    }
}
