//! The typed view of a finished run: its result tables as records with named, typed
//! fields, and the run's [`RunInfo`]. A [`RunView`] is built from a finished simulation
//! ([`RunView::from_results`]) or read back from a run folder ([`RunView::read`]), so
//! `wfhsim plot RUN_DIR` needs nothing but the folder.
//!
//! This module owns the tables' layout: the column names live in [`frames`] (records →
//! DataFrames, what the Parquet and CSV exporters write) and [`read`] (DataFrames →
//! records) and nowhere else. It does not draw, format or decide what a reader sees.
//!
//! A folder is read through [`RunFolder`] ([`folder`]): every table verified against the
//! SHA-256 its manifest records ([`integrity`]) and checked against `run.json`
//! ([`info_check`], [`check`]) before its records are used.

mod build;
mod check;
mod folder;
mod frames;
mod info_check;
mod integrity;
mod json;
mod read;
pub mod records;

use std::path::Path;
use std::sync::OnceLock;

use polars::prelude::DataFrame;

use crate::export::{ExportError, RunInfo, RunOrigin};
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Results;
use wfhsim_core::scenario::Scenario;

pub use check::Problem;
pub use folder::{REPLICATES_FILE, RunFolder};
pub use frames::{CALIBRATION_FILE, DECOMPOSITION_FILE, Frames};
pub use integrity::{MANIFEST, file_hashes, recorded_files};
pub use json::{JsonTable, area_daily_table, detectability_table, summary_table};
pub(crate) use read::{bools, days, i64s, opt_f64s, strs};
pub use read::{read_csv, read_parquet};
pub use records::{
    ALL, CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord,
    DetectabilityRecord, ReplicateDayRecord, ReplicateRecord, SummaryRecord, WindowRecord,
};

/// What every exporter reads: the result records and the run's metadata.
pub struct RunView {
    pub daily: Vec<DailyRecord>,
    pub summary: Vec<SummaryRecord>,
    pub windows: Vec<WindowRecord>,
    pub detectability: Vec<DetectabilityRecord>,
    /// Every pair of the run's scenarios, replicate by replicate.
    pub comparisons: Vec<ComparisonRecord>,
    /// Each replicate's total of every summary row: what the comparisons are made of,
    /// and what a later comparison of two runs with the same seed and dataset reads. Only
    /// the Parquet exporter writes it.
    pub replicates: DataFrame,
    /// Each replicate's whole-area trips, CO₂ and PM2.5 avoided per working day: what the
    /// event-week chart's per-day paired differences are made of. Only the Parquet
    /// exporter writes it.
    pub replicates_daily: Vec<ReplicateDayRecord>,
    /// One row per scenario × day × region × vehicle class × period. Only the Parquet
    /// exporter reads it, so it stays the table it is written as.
    pub traffic: DataFrame,
    /// The baseline against observations made before the 2023 orders, per scenario.
    pub calibration: Vec<CalibrationRecord>,
    /// Each bundle scenario's effect split among its parts (none without measures).
    pub decomposition: Vec<DecompositionRecord>,
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
            comparisons: build::comparisons(results),
            replicates: frames::replicates(results, &info).map_err(table("replicates table"))?,
            replicates_daily: build::replicates_daily(results),
            traffic: frames::traffic(results, &info).map_err(table("traffic table"))?,
            calibration: build::calibration(results),
            decomposition: build::decomposition(results),
            info,
            frames: OnceLock::new(),
        })
    }

    /// Reads a finished run folder's tables and `run.json`, each verified and checked
    /// ([`RunFolder`]).
    pub fn read(run_dir: &Path) -> Result<RunView, ExportError> {
        let folder = RunFolder::open(run_dir)?;
        Ok(RunView {
            daily: folder.daily()?,
            summary: folder.summary()?,
            windows: folder.windows()?,
            detectability: folder.detectability()?,
            comparisons: folder.comparisons()?,
            replicates: folder.replicates()?,
            replicates_daily: folder.replicates_daily()?,
            traffic: folder.traffic()?,
            calibration: folder.calibration()?,
            decomposition: folder.decomposition()?,
            info: folder.into_info(),
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

#[cfg(test)]
mod tests;
