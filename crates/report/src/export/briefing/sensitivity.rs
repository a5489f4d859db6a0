//! The sensitivity section, when `wfhsim report --sweep DIR` adds a sweep's results: the
//! tornado's swings (largest first, as the sweep wrote them) and the Sobol indices, as
//! tables with the workbook's headers.

use polars::prelude::{DataFrame, DataType};
use serde::Serialize;

use super::tables::{Cell, Table};
use super::text::{Text, Tr};
use crate::export::workbook::{Column, Kind, SOBOL_COLUMNS, TORNADO_COLUMNS};
use crate::export::{ExportError, Sensitivity};
use crate::labels::format;

#[derive(Debug, Serialize)]
pub struct SensitivitySection {
    pub title: Text,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Serialize)]
pub struct Block {
    pub title: Text,
    pub table: Table,
}

/// A column as texts whatever its type (a setting may be a number or a word).
fn texts(df: &DataFrame, name: &str) -> Result<Vec<String>, ExportError> {
    let bad = |e: polars::error::PolarsError| ExportError::Unreadable {
        path: "sensitivity table".into(),
        message: format!("column `{name}`: {e}"),
    };
    let c = df
        .column(name)
        .map_err(bad)?
        .cast(&DataType::String)
        .map_err(bad)?;
    Ok(c.str()
        .map_err(bad)?
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect())
}

fn numbers(df: &DataFrame, name: &str) -> Result<Vec<f64>, ExportError> {
    let bad = |e: polars::error::PolarsError| ExportError::Unreadable {
        path: "sensitivity table".into(),
        message: format!("column `{name}`: {e}"),
    };
    let c = df
        .column(name)
        .map_err(bad)?
        .cast(&DataType::Float64)
        .map_err(bad)?;
    Ok(c.f64()
        .map_err(bad)?
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

fn block(tr: Tr, title: &str, df: &DataFrame, columns: &[Column]) -> Result<Block, ExportError> {
    let n = tr.num_lang();
    let mut cols: Vec<Vec<String>> = Vec::new();
    for c in columns {
        cols.push(match c.kind {
            Kind::Value | Kind::Index => numbers(df, c.name)?
                .into_iter()
                .map(|x| format::sig(x, 3, n))
                .collect(),
            // A setting may be a number (written for the language) or a word.
            Kind::Setting => texts(df, c.name)?
                .into_iter()
                .map(|t| t.parse::<f64>().map_or(t, |x| format::shortest(x, n)))
                .collect(),
            Kind::Name => texts(df, c.name)?,
        });
    }
    let numeric = |c: &Column| matches!(c.kind, Kind::Value | Kind::Index);
    let rows = (0..df.height())
        .map(|i| {
            cols.iter()
                .zip(columns)
                .map(|(v, c)| Cell {
                    text: v[i].clone(),
                    numeric: numeric(c),
                })
                .collect()
        })
        .collect();
    Ok(Block {
        title: tr.t(title),
        table: Table {
            headers: columns.iter().map(|c| tr.t(c.header)).collect(),
            rows,
        },
    })
}

pub fn section(tr: Tr, s: &Sensitivity) -> Result<SensitivitySection, ExportError> {
    let mut blocks = Vec::new();
    if let Some(df) = &s.tornado {
        blocks.push(block(tr, "xlsx.tornado_title", df, &TORNADO_COLUMNS)?);
    }
    if let Some(df) = &s.sobol {
        blocks.push(block(tr, "xlsx.sobol_title", df, &SOBOL_COLUMNS)?);
    }
    Ok(SensitivitySection {
        title: tr.t("sheet.sensitivity"),
        blocks,
    })
}
