//! A finished run folder opened for reading: the one way `plot`, `report` and `diff` read
//! one. Opening checks that the folder exists, reads `run.json` and `manifest.json` (both
//! must be there: the manifest is written last), verifies `run.json` against the SHA-256
//! the manifest records and checks it ([`super::info_check`]). Each table is then
//! verified, read into records and checked against `run.json` ([`super::check`]) before
//! it is handed out: a folder that fails any step is refused, never drawn from.

use std::path::{Path, PathBuf};

use polars::prelude::{DataFrame, PolarsResult};

use super::check::{self, Problem};
use super::frames::{CALIBRATION_FILE, DECOMPOSITION_FILE, REPLICATES_DAILY_FILE};
use super::info_check::{self, Known};
use super::integrity::Recorded;
use super::{
    CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord, DetectabilityRecord,
    ReplicateDayRecord, ReplicateRecord, SummaryRecord, WindowRecord, read,
};
use crate::export::{ExportError, RUN_INFO, RunInfo, read_info, run_file};

/// The per-replicate totals' file.
pub const REPLICATES_FILE: &str = "replicates.parquet";

/// A run folder whose `run.json` and `manifest.json` have been read and checked.
#[derive(Debug)]
pub struct RunFolder {
    dir: PathBuf,
    info: RunInfo,
    recorded: Recorded,
    known: Known,
}

/// How a table's file becomes a DataFrame, its DataFrame records, and its records are checked.
type ReadFile = fn(&Path) -> PolarsResult<DataFrame>;
type ToRecords<R> = fn(&DataFrame) -> PolarsResult<Vec<R>>;
type Check<R> = fn(&[R], &Known) -> Result<(), Problem>;

impl RunFolder {
    /// Opens the run folder `dir`: it exists, its `run.json` and `manifest.json` read and
    /// agree, `run.json` is the one the manifest records and is sane.
    pub fn open(dir: &Path) -> Result<RunFolder, ExportError> {
        if !dir.exists() {
            return Err(ExportError::NoFolder {
                path: dir.display().to_string(),
            });
        }
        let info = read_info(dir)?;
        let recorded = Recorded::read(dir)?;
        // The file as written first, then its sense, then its agreement with the manifest.
        recorded.verify(dir, RUN_INFO)?;
        let known = info_check::check(&info).map_err(|p| p.in_folder(dir))?;
        recorded.agrees(&info).map_err(|p| p.in_folder(dir))?;
        Ok(RunFolder {
            dir: dir.to_path_buf(),
            info,
            recorded,
            known,
        })
    }

    /// The folder's `run.json`.
    pub fn info(&self) -> &RunInfo {
        &self.info
    }

    pub fn into_info(self) -> RunInfo {
        self.info
    }

    /// A table's file, verified against its recorded SHA-256 and read.
    fn frame(&self, file: &str, read_file: ReadFile) -> Result<DataFrame, ExportError> {
        let path = run_file(&self.dir, file)?;
        self.recorded.verify(&self.dir, file)?;
        read_file(&path).map_err(|source| ExportError::Read {
            path: path.display().to_string(),
            source,
        })
    }

    /// A table's records, read and checked against `run.json`.
    fn records<R>(
        &self,
        file: &str,
        read_file: ReadFile,
        to_records: ToRecords<R>,
        check: Check<R>,
    ) -> Result<Vec<R>, ExportError> {
        let df = self.frame(file, read_file)?;
        let records = to_records(&df).map_err(|source| ExportError::Read {
            path: self.dir.join(file).display().to_string(),
            source,
        })?;
        check(&records, &self.known).map_err(|p| p.in_folder(&self.dir))?;
        Ok(records)
    }

    pub fn daily(&self) -> Result<Vec<DailyRecord>, ExportError> {
        self.records(
            "daily.parquet",
            read::read_parquet,
            read::daily,
            check::daily,
        )
    }

    pub fn summary(&self) -> Result<Vec<SummaryRecord>, ExportError> {
        self.records(
            "summary.parquet",
            read::read_parquet,
            read::summary,
            check::summary,
        )
    }

    pub fn windows(&self) -> Result<Vec<WindowRecord>, ExportError> {
        self.records(
            "windows.csv",
            read::read_guarded_csv,
            read::windows,
            check::windows,
        )
    }

    pub fn detectability(&self) -> Result<Vec<DetectabilityRecord>, ExportError> {
        self.records(
            "detectability.parquet",
            read::read_parquet,
            read::detectability,
            check::detectability,
        )
    }

    pub fn comparisons(&self) -> Result<Vec<ComparisonRecord>, ExportError> {
        self.records(
            "comparisons.parquet",
            read::read_parquet,
            read::comparisons,
            check::comparisons,
        )
    }

    /// Each replicate's whole-area values per working day, read and checked.
    pub fn replicates_daily(&self) -> Result<Vec<ReplicateDayRecord>, ExportError> {
        self.records(
            REPLICATES_DAILY_FILE,
            read::read_parquet,
            read::replicates_daily,
            check::replicates_daily,
        )
    }

    /// Each replicate's summary totals as written (verified against its SHA-256).
    pub fn replicates(&self) -> Result<DataFrame, ExportError> {
        self.frame(REPLICATES_FILE, read::read_parquet)
    }

    /// Each replicate's summary totals as records, checked against `run.json`; none when
    /// the folder has no `replicates.parquet` and its manifest does not record one (a run
    /// written before wfhsim kept them). A file the manifest records must be there.
    pub fn replicate_records(&self) -> Result<Option<Vec<ReplicateRecord>>, ExportError> {
        if !self.dir.join(REPLICATES_FILE).is_file() && !self.recorded.records(REPLICATES_FILE) {
            return Ok(None);
        }
        self.records(
            REPLICATES_FILE,
            read::read_parquet,
            read::replicates,
            check::replicates,
        )
        .map(Some)
    }

    /// The calibration report, read and checked; none when the folder has no
    /// `calibration.parquet` and its manifest does not record one (a run written before
    /// wfhsim wrote it). A file the manifest records must be there.
    pub fn calibration(&self) -> Result<Vec<CalibrationRecord>, ExportError> {
        if !self.dir.join(CALIBRATION_FILE).is_file() && !self.recorded.records(CALIBRATION_FILE) {
            return Ok(Vec::new());
        }
        self.records(
            CALIBRATION_FILE,
            read::read_parquet,
            read::calibration,
            check::calibration,
        )
    }

    /// The decomposition of the run's bundles, read and checked; none when the folder has
    /// no `decomposition.parquet` and its manifest does not record one (a run without a
    /// bundle). A file the manifest records must be there.
    pub fn decomposition(&self) -> Result<Vec<DecompositionRecord>, ExportError> {
        let file = DECOMPOSITION_FILE;
        if !self.dir.join(file).is_file() && !self.recorded.records(file) {
            return Ok(Vec::new());
        }
        self.records(
            file,
            read::read_parquet,
            read::decomposition,
            check::decomposition,
        )
    }

    /// The traffic table as written (verified against its SHA-256; no reader draws it).
    pub fn traffic(&self) -> Result<DataFrame, ExportError> {
        self.frame("traffic.parquet", read::read_parquet)
    }
}
