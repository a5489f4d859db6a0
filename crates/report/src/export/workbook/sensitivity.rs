//! A sweep's sensitivity results for the workbook: [`Sensitivity::read`] takes a sweep
//! folder's `tornado.csv` and/or `sobol.csv`, and [`write`] lays them out on the
//! Sensitivity sheet (the tornado rows, then the Sobol indices with their intervals).

use std::path::Path;

use polars::prelude::DataFrame;
use rust_xlsxwriter::{Format, Worksheet};

use super::frame::{Cell, Frame};
use super::style::{self, INDEX, KG2, Style};
use crate::export::ExportError;

/// What a column of a sensitivity table holds, for how the page and the workbook show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name (scenario, outcome, factor).
    Name,
    /// A factor's setting: a number or a word, shown as given.
    Setting,
    /// An outcome's value.
    Value,
    /// A Sobol index or one bound of its interval.
    Index,
}

/// One column of a sensitivity table: its name in the CSV, its header's label key, what it
/// holds, and for an interval bound the label of the index it bounds.
pub struct Column {
    pub name: &'static str,
    pub header: &'static str,
    pub kind: Kind,
    pub bound_of: Option<&'static str>,
}

const fn col(name: &'static str, header: &'static str, kind: Kind) -> Column {
    Column {
        name,
        header,
        kind,
        bound_of: None,
    }
}

const fn bound(name: &'static str, header: &'static str, of: &'static str) -> Column {
    Column {
        name,
        header,
        kind: Kind::Index,
        bound_of: Some(of),
    }
}

/// The columns of `tornado.csv` the page and the sheet show, in order.
pub const TORNADO_COLUMNS: [Column; 9] = [
    col("scenario", "common.scenario", Kind::Name),
    col("outcome", "xlsx.outcome", Kind::Name),
    col("factor", "xlsx.factor", Kind::Name),
    col("low_setting", "xlsx.low_setting", Kind::Setting),
    col("high_setting", "xlsx.high_setting", Kind::Setting),
    col("central_p50", "xlsx.central", Kind::Value),
    col("at_low_p50", "xlsx.at_low", Kind::Value),
    col("at_high_p50", "xlsx.at_high", Kind::Value),
    col("swing", "xlsx.swing", Kind::Value),
];

/// The columns of `sobol.csv` the page and the sheet show, in order.
pub const SOBOL_COLUMNS: [Column; 9] = [
    col("scenario", "common.scenario", Kind::Name),
    col("outcome", "xlsx.outcome", Kind::Name),
    col("factor", "xlsx.factor", Kind::Name),
    col("s1", "xlsx.s1", Kind::Index),
    bound("s1_lo", "xlsx.low", "xlsx.s1"),
    bound("s1_hi", "xlsx.high", "xlsx.s1"),
    col("st", "xlsx.st", Kind::Index),
    bound("st_lo", "xlsx.low", "xlsx.st"),
    bound("st_hi", "xlsx.high", "xlsx.st"),
];

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
            crate::view::read_csv(&p)
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
    let format = |k: Kind| match k {
        Kind::Name => "@",
        Kind::Setting => "General",
        Kind::Value => KG2,
        Kind::Index => INDEX,
    };
    // A bound's header names its index: "S1, low".
    let header = |c: &Column| match c.bound_of {
        Some(of) => s.each(|l| {
            let labels = crate::labels::Labels::builtin();
            format!("{}, {}", labels.get(of, l), labels.get(c.header, l))
        }),
        None => s.t(c.header),
    };
    let columns = |cols: &[Column]| -> Vec<(&'static str, String, &'static str)> {
        cols.iter()
            .map(|c| (c.name, header(c), format(c.kind)))
            .collect()
    };
    let mut row = 0;
    if let Some(df) = &sens.tornado {
        row = block(
            ws,
            s,
            row,
            "xlsx.tornado_title",
            df,
            &columns(&TORNADO_COLUMNS),
        )?;
    }
    if let Some(df) = &sens.sobol {
        block(ws, s, row, "xlsx.sobol_title", df, &columns(&SOBOL_COLUMNS))?;
    }
    ws.set_column_width(0, 24.0)?;
    ws.set_column_width(1, 20.0)?;
    ws.set_column_width(2, 40.0)?;
    for c in 3..9 {
        ws.set_column_width(c, 16.0)?;
    }
    Ok(())
}
