//! A sweep's sensitivity results for the workbook: [`Sensitivity::read`] takes a sweep
//! folder's `tornado.csv` and/or `sobol.csv`, and [`write`] lays them out on the
//! Sensitivity sheet (the tornado rows, then the Sobol indices with their intervals).

use std::path::Path;

use polars::prelude::DataFrame;
use rust_xlsxwriter::{Format, Worksheet};

use super::frame::{Cell, Frame};
use super::style::{self, INDEX, KG2, Style};
use crate::export::{ExportError, tables};

/// File names of a sweep's sensitivity tables.
pub const TORNADO_CSV: &str = "tornado.csv";
pub const SOBOL_CSV: &str = "sobol.csv";

/// A sweep's `tornado.csv` and `sobol.csv` tables (either may be absent, not both).
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub tornado: Option<DataFrame>,
    pub sobol: Option<DataFrame>,
}

impl Sensitivity {
    /// Reads a sweep folder's tables; an error names the folder and both files when
    /// neither is there (a sweep whose method makes neither, or not a sweep folder).
    pub fn read(sweep_dir: &Path) -> Result<Sensitivity, ExportError> {
        let read = |name: &str| -> Result<Option<DataFrame>, ExportError> {
            let p = sweep_dir.join(name);
            if !p.is_file() {
                return Ok(None);
            }
            tables::read_csv(&p)
                .map(Some)
                .map_err(|e| ExportError::Unreadable {
                    path: p.display().to_string(),
                    message: e.to_string(),
                })
        };
        let (tornado, sobol) = (read(TORNADO_CSV)?, read(SOBOL_CSV)?);
        if tornado.is_none() && sobol.is_none() {
            return Err(ExportError::Unreadable {
                path: sweep_dir.display().to_string(),
                message: format!(
                    "neither {TORNADO_CSV} nor {SOBOL_CSV} is there: not the folder of a \
                     finished tornado or Sobol sweep"
                ),
            });
        }
        Ok(Sensitivity { tornado, sobol })
    }
}

/// A value or a text, each with its format.
fn cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Cell,
    f: &Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match v {
        Cell::Number(x) => style::number(ws, r, c, *x, f),
        Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
    }
}

/// One block: a title, a header and the table's rows, from `top`; returns the next free
/// row. `columns` are (table column, header, format).
fn block(
    ws: &mut Worksheet,
    s: &Style,
    top: u32,
    title: &str,
    df: &DataFrame,
    columns: &[(&str, String, &'static str)],
) -> Result<u32, ExportError> {
    ws.write_string_with_format(top, 0, s.t(title), &s.title)?;
    let f = Frame::new(df, "sensitivity table");
    let mut cols = Vec::with_capacity(columns.len());
    for (name, ..) in columns {
        cols.push(f.cells(name)?);
    }
    for (j, (_, header, _)) in columns.iter().enumerate() {
        ws.write_string_with_format(top + 1, j as u16, header, &s.header)?;
    }
    for (j, (values, (.., code))) in cols.iter().zip(columns).enumerate() {
        let format = Style::num(code);
        for (i, v) in values.iter().enumerate() {
            cell(ws, top + 2 + i as u32, j as u16, v, &format)?;
        }
    }
    Ok(top + 3 + f.height() as u32)
}

/// The Sensitivity sheet.
pub(super) fn write(ws: &mut Worksheet, s: &Style, sens: &Sensitivity) -> Result<(), ExportError> {
    let key = |k: &str| s.t(k);
    let mut row = 0;
    if let Some(df) = &sens.tornado {
        let columns = [
            ("scenario", key("common.scenario"), "@"),
            ("outcome", key("xlsx.outcome"), "@"),
            ("factor", key("xlsx.factor"), "@"),
            ("low_setting", key("xlsx.low_setting"), "General"),
            ("high_setting", key("xlsx.high_setting"), "General"),
            ("central_p50", key("xlsx.central"), KG2),
            ("at_low_p50", key("xlsx.at_low"), KG2),
            ("at_high_p50", key("xlsx.at_high"), KG2),
            ("swing", key("xlsx.swing"), KG2),
        ];
        row = block(ws, s, row, "xlsx.tornado_title", df, &columns)?;
    }
    if let Some(df) = &sens.sobol {
        let bound = |k: &str, b: &str| {
            s.each(|l| {
                let c = crate::labels::Labels::builtin();
                format!("{}, {}", c.get(k, l), c.get(b, l))
            })
        };
        let columns = [
            ("scenario", key("common.scenario"), "@"),
            ("outcome", key("xlsx.outcome"), "@"),
            ("factor", key("xlsx.factor"), "@"),
            ("s1", key("xlsx.s1"), INDEX),
            ("s1_lo", bound("xlsx.s1", "xlsx.low"), INDEX),
            ("s1_hi", bound("xlsx.s1", "xlsx.high"), INDEX),
            ("st", key("xlsx.st"), INDEX),
            ("st_lo", bound("xlsx.st", "xlsx.low"), INDEX),
            ("st_hi", bound("xlsx.st", "xlsx.high"), INDEX),
        ];
        block(ws, s, row, "xlsx.sobol_title", df, &columns)?;
    }
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 20.0)?;
    ws.set_column_width(2, 40.0)?;
    for c in 3..9 {
        ws.set_column_width(c, 16.0)?;
    }
    Ok(())
}
