//! One side of a comparison read from a finished run folder: its `run.json` (whose
//! `reproduce` record holds the inputs compared) and the rows of `summary.parquet` (full
//! precision). `manifest.json`, written last, must be there: it marks a finished run. Each
//! missing file is named as [`ExportError::NotARun`] does.

use std::path::Path;

use polars::prelude::{DataFrame, DataType};

use crate::export::{ExportError, RunInfo, read_info, run_file, tables};

/// Which row of a summary: scenario, region basis, region, metric, component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    pub scenario: String,
    pub region_basis: String,
    pub region: String,
    pub metric: String,
    pub component: String,
}

/// A summary row's values per policy working day.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PerDay {
    /// The total's p05 over the window's working days.
    pub p05: f64,
    /// The summary's `per_day_p50`.
    pub p50: f64,
    /// The total's p95 over the window's working days.
    pub p95: f64,
}

/// One row of `summary.parquet`.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub key: RowKey,
    pub unit: String,
    pub per_day: PerDay,
}

/// A run folder, read.
pub struct RunSide {
    pub dir: String,
    pub info: RunInfo,
    /// In the table's order.
    pub rows: Vec<SummaryRow>,
}

fn table_error(what: &str) -> impl FnOnce(polars::error::PolarsError) -> ExportError + '_ {
    move |source| ExportError::Table {
        what: what.to_string(),
        source,
    }
}

fn strings(df: &DataFrame, c: &str) -> Result<Vec<String>, polars::error::PolarsError> {
    Ok(df
        .column(c)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or_default().to_string())
        .collect())
}

fn numbers(df: &DataFrame, c: &str) -> Result<Vec<f64>, polars::error::PolarsError> {
    let col = df.column(c)?.cast(&DataType::Float64)?;
    Ok(col.f64()?.iter().map(|x| x.unwrap_or(f64::NAN)).collect())
}

fn summary_rows(df: &DataFrame) -> Result<Vec<SummaryRow>, polars::error::PolarsError> {
    let [scen, basis, region, metric, comp, unit] = [
        "scenario",
        "region_basis",
        "region",
        "metric",
        "component",
        "unit",
    ]
    .map(|c| strings(df, c));
    let (scen, basis, region, metric, comp, unit) = (scen?, basis?, region?, metric?, comp?, unit?);
    let days = numbers(df, "window_working_days")?;
    let p05 = numbers(df, "total_p05")?;
    let p95 = numbers(df, "total_p95")?;
    let p50 = numbers(df, "per_day_p50")?;
    Ok((0..df.height())
        .map(|i| {
            // The summary's own per-day divisor: the window's working days, at least one.
            let wd = days[i].max(1.0);
            SummaryRow {
                key: RowKey {
                    scenario: scen[i].clone(),
                    region_basis: basis[i].clone(),
                    region: region[i].clone(),
                    metric: metric[i].clone(),
                    component: comp[i].clone(),
                },
                unit: unit[i].clone(),
                per_day: PerDay {
                    p05: p05[i] / wd,
                    p50: p50[i],
                    p95: p95[i] / wd,
                },
            }
        })
        .collect())
}

impl RunSide {
    /// Reads `run.json` and `summary.parquet` of a finished run folder.
    pub fn read(dir: &Path) -> Result<RunSide, ExportError> {
        let info = read_info(dir)?;
        run_file(dir, "manifest.json")?;
        let summary_path = run_file(dir, "summary.parquet")?;
        let df = tables::read_parquet(&summary_path).map_err(table_error("summary.parquet"))?;
        let rows = summary_rows(&df).map_err(table_error("summary.parquet"))?;
        Ok(RunSide {
            dir: dir.display().to_string(),
            info,
            rows,
        })
    }
}
