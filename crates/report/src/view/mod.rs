//! The typed view of a finished run: its result tables as records with named, typed
//! fields, and the run's [`RunInfo`]. A [`RunView`] is built from a finished simulation
//! ([`RunView::from_results`]) or read back from a run folder ([`RunView::read`]), so
//! `wfhsim plot RUN_DIR` needs nothing but the folder.
//!
//! This module owns the tables' layout: the column names live in [`frames`] (records →
//! DataFrames, what the Parquet and CSV exporters write) and [`read`] (DataFrames →
//! records) and nowhere else. It does not draw, format or decide what a reader sees.

mod build;
mod frames;
mod read;

use std::path::Path;
use std::sync::OnceLock;

use polars::prelude::DataFrame;

use crate::export::{ExportError, RunInfo, RunOrigin, read_info, run_file};
use wfhsim_core::calendar::Date;
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Results;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{self, Band, Component, MetricId};
use wfhsim_core::scenario::Scenario;
use wfhsim_core::traffic::detect::Comparison;

pub use frames::Frames;
pub use read::{read_csv, read_parquet};

/// The key value of a row summed over every region or mode.
pub const ALL: &str = "all";

/// One scenario × working day × region basis × region × mode (rows with a non-zero
/// baseline only).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRecord {
    pub scenario: String,
    pub date: Date,
    pub basis: Basis,
    /// A region code of the dataset, or [`ALL`].
    pub region: String,
    /// A mode code of the dataset, or [`ALL`].
    pub mode: String,
    pub baseline_trips: f64,
    /// One band per [`schema::daily_columns`] entry, in that order.
    pub values: Vec<Band>,
}

impl DailyRecord {
    /// The band of metric `m`'s component `c`, if the daily table has it.
    pub fn value(&self, m: MetricId, c: Component) -> Option<Band> {
        schema::daily_columns()
            .iter()
            .position(|&k| k == (m, c))
            .and_then(|i| self.values.get(i).copied())
    }
}

/// One scenario × region basis × region × metric × component over the policy window.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRecord {
    pub scenario: String,
    /// The scenario's title, on every row.
    pub title: String,
    pub basis: Basis,
    /// A region code, `dki` on DKI's aggregate bases, or [`ALL`].
    pub region: String,
    pub region_name: String,
    pub metric: MetricId,
    pub component: Component,
    /// The policy window's first and last day; none when the scenario has no policy.
    pub window: Option<(Date, Date)>,
    pub window_working_days: i64,
    pub total: Band,
    pub per_day_p50: f64,
    pub baseline_total_p50: f64,
    /// Percent of the row's baseline.
    pub pct_baseline: Band,
    /// Percent of DKI's baseline (its counts or inventory), on DKI's rows only.
    pub pct_baseline_dki: Option<Band>,
}

impl SummaryRecord {
    /// The metric's unit, as the tables write it.
    pub fn unit(&self) -> &'static str {
        schema::metric(self.metric).unit.as_str()
    }

    /// The metric's name, as the tables write it.
    pub fn metric_name(&self) -> &'static str {
        schema::metric(self.metric).name
    }
}

/// One scenario × policy × share window: what the charts shade.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowRecord {
    pub scenario: String,
    pub policy: String,
    pub from: Date,
    pub to: Date,
    pub share: f64,
}

/// One scenario × before/after comparison of DKI's daily counts.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectabilityRecord {
    pub scenario: String,
    pub comparison: Comparison,
    pub days_each_side: i64,
    pub effect_pct: Band,
    /// Minimum detectable effect, central σ then its low and high.
    pub mde_city_pct: [f64; 3],
    pub mde_site_pct: [f64; 3],
    pub visible_city: bool,
    pub visible_site: bool,
    pub p_visible_city: f64,
}

/// What every exporter reads: the result records and the run's metadata.
pub struct RunView {
    pub daily: Vec<DailyRecord>,
    pub summary: Vec<SummaryRecord>,
    pub windows: Vec<WindowRecord>,
    pub detectability: Vec<DetectabilityRecord>,
    /// One row per scenario × day × region × vehicle class × period. Only the Parquet
    /// exporter reads it, so it stays the table it is written as.
    pub traffic: DataFrame,
    pub info: RunInfo,
    /// The records as tables, made once: the Parquet, CSV, chart and workbook exporters
    /// each ask for them.
    frames: OnceLock<Frames>,
}

fn table(what: &str) -> impl FnOnce(polars::error::PolarsError) -> ExportError + '_ {
    move |source| ExportError::Table {
        what: what.to_string(),
        source,
    }
}

impl RunView {
    pub fn from_results(
        run_name: &str,
        ds: &Dataset,
        scenarios: &[Scenario],
        results: &Results,
        origin: &RunOrigin,
    ) -> Result<RunView, ExportError> {
        let info = RunInfo::new(run_name, ds, scenarios, results, origin);
        Ok(RunView {
            daily: build::daily(results, &info),
            summary: build::summary(results, &info),
            windows: build::windows(results),
            detectability: build::detectability(results).map_err(table("detectability table"))?,
            traffic: frames::traffic(results, &info).map_err(table("traffic table"))?,
            info,
            frames: OnceLock::new(),
        })
    }

    /// Reads a finished run folder's tables and `run.json`.
    pub fn read(run_dir: &Path) -> Result<RunView, ExportError> {
        let need = |f: &str| run_file(run_dir, f);
        let info = read_info(run_dir)?;
        let parquet = |f: &str| -> Result<DataFrame, ExportError> {
            read_parquet(&need(f)?).map_err(table(f))
        };
        let daily = parquet("daily.parquet")?;
        let summary = parquet("summary.parquet")?;
        // The CSV's text cells were guarded against spreadsheet formulas when written.
        let windows = read_csv(&need("windows.csv")?)
            .and_then(|df| crate::export::csv_cells::unguard_frame(&df))
            .map_err(table("windows.csv"))?;
        let traffic = parquet("traffic.parquet")?;
        let detectability = parquet("detectability.parquet")?;
        Ok(RunView {
            daily: read::daily(&daily).map_err(table("daily.parquet"))?,
            summary: read::summary(&summary).map_err(table("summary.parquet"))?,
            windows: read::windows(&windows).map_err(table("windows.csv"))?,
            detectability: read::detectability(&detectability)
                .map_err(table("detectability.parquet"))?,
            traffic,
            info,
            frames: OnceLock::new(),
        })
    }

    /// The records as the tables the exporters write, in memory.
    pub fn frames(&self) -> Result<Frames, ExportError> {
        if let Some(f) = self.frames.get() {
            return Ok(f.clone());
        }
        let f = Frames::new(self)?;
        Ok(self.frames.get_or_init(|| f).clone())
    }
}

/// The summary records of a finished run folder's `summary.parquet`.
pub fn read_summary(run_dir: &Path) -> Result<Vec<SummaryRecord>, ExportError> {
    let path = run_file(run_dir, "summary.parquet")?;
    let df = read_parquet(&path).map_err(table("summary.parquet"))?;
    read::summary(&df).map_err(table("summary.parquet"))
}

#[cfg(test)]
mod tests;
