//! One side of a comparison read from a finished run folder: its `run.json` (whose
//! `reproduce` record holds the inputs compared), the rows of `summary.parquet` (full
//! precision) and each row's per-replicate totals from `replicates.parquet` (none in a
//! run written before that file), through the run's typed view ([`RunFolder`]: `manifest.json`, written
//! last, must be there and agree with `run.json`; each file is verified against the
//! SHA-256 it records and checked against `run.json`). Each missing file is named as
//! [`ExportError::NotARun`] does.

use std::collections::BTreeMap;
use std::path::Path;

use crate::export::{ExportError, RunInfo};
use crate::view::{ReplicateRecord, RunFolder, SummaryRecord};

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
    /// The per-day divisor: the window's working days, at least one.
    pub working_days: f64,
}

/// Each summary row's total in each replicate: (replicate, total) in replicate order.
pub type Replicates = BTreeMap<RowKey, Vec<(i64, f64)>>;

/// A run folder, read.
pub struct RunSide {
    pub dir: String,
    pub info: RunInfo,
    /// In the table's order.
    pub rows: Vec<SummaryRow>,
    /// None when the folder has no `replicates.parquet` (an older run).
    pub replicates: Option<Replicates>,
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
            working_days: wd,
        }
    }
}

/// The records grouped by summary row, each row's replicates in order.
fn by_row(records: &[ReplicateRecord]) -> Replicates {
    type Key<'a> = (&'a str, &'static str, &'a str, &'static str, &'static str);
    let mut rows: BTreeMap<Key, Vec<(i64, f64)>> = BTreeMap::new();
    for r in records {
        let key = (
            &*r.scenario,
            r.basis.as_str(),
            &*r.region,
            r.metric_name(),
            r.component.as_str(),
        );
        rows.entry(key).or_default().push((r.replicate, r.total));
    }
    rows.into_iter()
        .map(
            |((scenario, basis, region, metric, component), mut series)| {
                series.sort_by_key(|&(k, _)| k);
                let key = RowKey {
                    scenario: scenario.to_string(),
                    region_basis: basis.to_string(),
                    region: region.to_string(),
                    metric: metric.to_string(),
                    component: component.to_string(),
                };
                (key, series)
            },
        )
        .collect()
}

impl RunSide {
    /// Reads `run.json`, `summary.parquet` and `replicates.parquet` (when there is one)
    /// of a finished run folder.
    pub fn read(dir: &Path) -> Result<RunSide, ExportError> {
        let folder = RunFolder::open(dir)?;
        let rows = folder.summary()?.iter().map(SummaryRow::of).collect();
        let replicates = folder.replicate_records()?.map(|r| by_row(&r));
        Ok(RunSide {
            dir: dir.display().to_string(),
            info: folder.into_info(),
            rows,
            replicates,
        })
    }
}
