//! The sensitivity section, when `wfhsim report --sweep DIR` adds a sweep's results: the
//! tornado's swings (largest first, as the sweep wrote them) and the Sobol indices, as
//! tables with the workbook's headers.

use polars::prelude::{DataFrame, DataType};
use serde::Serialize;

use super::tables::{Cell, Table};
use super::text::{Text, Tr};
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

/// `columns`: (table column, header key, numeric).
fn block(
    tr: Tr,
    title: &str,
    df: &DataFrame,
    columns: &[(&str, &str, bool)],
) -> Result<Block, ExportError> {
    let n = tr.num_lang();
    let mut cols: Vec<Vec<String>> = Vec::new();
    for (name, _, numeric) in columns {
        cols.push(if *numeric {
            numbers(df, name)?
                .into_iter()
                .map(|x| format::sig(x, 3, n))
                .collect()
        } else {
            // A setting may be a number (written for the language) or a word.
            texts(df, name)?
                .into_iter()
                .map(|t| match t.parse::<f64>() {
                    Ok(x) if name.ends_with("_setting") => format::shortest(x, n),
                    _ => t,
                })
                .collect()
        });
    }
    let rows = (0..df.height())
        .map(|i| {
            cols.iter()
                .zip(columns)
                .map(|(c, (_, _, numeric))| Cell {
                    text: c[i].clone(),
                    numeric: *numeric,
                })
                .collect()
        })
        .collect();
    Ok(Block {
        title: tr.t(title),
        table: Table {
            headers: columns.iter().map(|(_, k, _)| tr.t(k)).collect(),
            rows,
        },
    })
}

pub fn section(tr: Tr, s: &Sensitivity) -> Result<SensitivitySection, ExportError> {
    let mut blocks = Vec::new();
    if let Some(df) = &s.tornado {
        blocks.push(block(
            tr,
            "xlsx.tornado_title",
            df,
            &[
                ("scenario", "common.scenario", false),
                ("outcome", "xlsx.outcome", false),
                ("factor", "xlsx.factor", false),
                ("low_setting", "xlsx.low_setting", false),
                ("high_setting", "xlsx.high_setting", false),
                ("central_p50", "xlsx.central", true),
                ("at_low_p50", "xlsx.at_low", true),
                ("at_high_p50", "xlsx.at_high", true),
                ("swing", "xlsx.swing", true),
            ],
        )?);
    }
    if let Some(df) = &s.sobol {
        blocks.push(block(
            tr,
            "xlsx.sobol_title",
            df,
            &[
                ("scenario", "common.scenario", false),
                ("outcome", "xlsx.outcome", false),
                ("factor", "xlsx.factor", false),
                ("s1", "xlsx.s1", true),
                ("s1_lo", "xlsx.low", true),
                ("s1_hi", "xlsx.high", true),
                ("st", "xlsx.st", true),
                ("st_lo", "xlsx.low", true),
                ("st_hi", "xlsx.high", true),
            ],
        )?);
    }
    Ok(SensitivitySection {
        title: tr.t("sheet.sensitivity"),
        blocks,
    })
}
