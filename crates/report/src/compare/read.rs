//! One side of a comparison read from a finished run folder: its `run.json` (whose
//! `reproduce` record holds the inputs compared) and the rows of `summary.parquet` (full
//! precision), through the run's typed view ([`RunFolder`]: `manifest.json`, written
//! last, must be there and agree with `run.json`; each file is verified against the
//! SHA-256 it records and checked against `run.json`). Each missing file is named as
//! [`ExportError::NotARun`] does.

use std::path::Path;

use crate::export::{ExportError, RunInfo};
use crate::view::{RunFolder, SummaryRecord};

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

impl SummaryRow {
    /// A summary record's key and values per policy working day.
    fn of(r: &SummaryRecord) -> SummaryRow {
        // The summary's own per-day divisor: the window's working days, at least one.
        let wd = (r.window_working_days as f64).max(1.0);
        SummaryRow {
            key: RowKey {
                scenario: r.scenario.to_string(),
                region_basis: r.basis.as_str().to_string(),
                region: r.region.to_string(),
                metric: r.metric_name().to_string(),
                component: r.component.as_str().to_string(),
            },
            unit: r.unit().to_string(),
            per_day: PerDay {
                p05: r.total.low() / wd,
                p50: r.per_day_p50,
                p95: r.total.high() / wd,
            },
        }
    }
}

impl RunSide {
    /// Reads `run.json` and `summary.parquet` of a finished run folder.
    pub fn read(dir: &Path) -> Result<RunSide, ExportError> {
        let folder = RunFolder::open(dir)?;
        let rows = folder.summary()?.iter().map(SummaryRow::of).collect();
        Ok(RunSide {
            dir: dir.display().to_string(),
            info: folder.into_info(),
            rows,
        })
    }
}
