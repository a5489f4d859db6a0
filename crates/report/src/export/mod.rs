//! Exporters: each output format is one [`Exporter`] that turns a run's tables into
//! files in memory (a relative path and its bytes). The run folder writer
//! ([`crate::runfolder::RunDir`]) commits whatever they return atomically, so a format is
//! added in one file and never touches paths, and charts can be rendered without a disk.
//!
//! What every exporter reads is the run's typed view, [`RunView`] (see [`crate::view`]);
//! the Parquet and CSV exporters write it as the tables [`crate::view::Frames`] lays out.

pub mod briefing;
mod charts;
pub mod csv_cells;
pub mod manifest;
pub mod run_info;
pub mod sweep;
pub mod workbook;

use std::path::Path;

use polars::prelude::{CsvWriter, ParquetCompression, ParquetWriter, SerWriter};

pub use briefing::{BRIEFING_HTML, Briefing, BriefingTemplate, evaluation_page};
pub use charts::{CHARTS_DIR, Charts};
pub use manifest::Manifest;
pub use run_info::{RunInfo, RunOrigin, run_label};
pub use workbook::{Sensitivity, Workbook};

use crate::labels::Langs;
pub use crate::view::RunView;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("building or writing {what}: {source}")]
    Table {
        what: String,
        source: polars::error::PolarsError,
    },
    #[error("drawing charts: {0}")]
    Plot(#[from] crate::plot::PlotError),
    #[error("{what}: {message}")]
    Json { what: String, message: String },
    #[error("{path} is not a finished run: {file} is missing")]
    NotARun { path: String, file: String },
    #[error("{path} does not exist")]
    NoFolder { path: String },
    /// A file of a run folder that does not read as its table.
    #[error("reading {path}: {source}")]
    Read {
        path: String,
        source: polars::error::PolarsError,
    },
    /// A file of a run folder changed since the run recorded its SHA-256.
    #[error(
        "{path} does not match the SHA-256 recorded in manifest.json (recorded {}, now {}): it was changed after the run was written; run the study again",
        short(recorded),
        short(found)
    )]
    Tampered {
        path: String,
        recorded: String,
        found: String,
    },
    /// A file of an evaluation folder changed since `manifest.json` recorded its SHA-256.
    #[error(
        "{path} does not match the SHA-256 recorded in manifest.json (recorded {}, now {}): it was changed after the evaluation was written; run wfhsim evaluate again",
        short(recorded),
        short(found)
    )]
    Changed {
        path: String,
        recorded: String,
        found: String,
    },
    #[error("{path} is not a finished evaluation: {file} is missing")]
    NotAnEvaluation { path: String, file: String },
    #[error(
        "{path}: manifest_version {found} is not {expected}: the evaluation was written by another version of wfhsim; run wfhsim evaluate again with this one"
    )]
    OtherEvaluationVersion {
        path: String,
        found: u32,
        expected: u32,
    },
    /// A value of a run folder its `run.json` does not allow.
    #[error(transparent)]
    Damaged(#[from] crate::view::Problem),
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
    /// A briefing template that does not read or render: its file, line and the error.
    #[error("{message}")]
    Template { message: String },
    #[error(
        "{path}: run_info_version {found} is not {expected}: the run was written by another version of wfhsim; run it again with this one"
    )]
    OtherVersion {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("writing briefing.xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// A SHA-256's first twelve digits, as messages show it.
fn short(sha: &str) -> String {
    let n = sha.char_indices().nth(12).map_or(sha.len(), |(i, _)| i);
    format!("{}…", &sha[..n])
}

fn table(what: &str) -> impl FnOnce(polars::error::PolarsError) -> ExportError + '_ {
    move |source| ExportError::Table {
        what: what.to_string(),
        source,
    }
}

/// One file of a run folder: its path relative to the folder (`/`-separated) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One output format.
pub trait Exporter {
    /// The files this format writes for a run, in a fixed order.
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError>;

    /// The same files, given what the exporters before it wrote (the briefing reuses the
    /// charts rather than drawing them again). The output must equal [`Exporter::export`]'s.
    fn export_after(
        &self,
        run: &RunView,
        earlier: &[ExportFile],
    ) -> Result<Vec<ExportFile>, ExportError> {
        let _ = earlier;
        self.export(run)
    }
}

/// The path of `file` in a finished run folder, or [`ExportError::NotARun`] naming it.
pub fn run_file(run_dir: &Path, file: &str) -> Result<std::path::PathBuf, ExportError> {
    let p = run_dir.join(file);
    if p.is_file() {
        Ok(p)
    } else {
        Err(ExportError::NotARun {
            path: run_dir.display().to_string(),
            file: file.to_string(),
        })
    }
}

/// A run folder's `run.json`, refused if another version of wfhsim wrote it.
pub fn read_info(run_dir: &Path) -> Result<RunInfo, ExportError> {
    let info_path = run_file(run_dir, RUN_INFO)?;
    let unreadable = |message: String| ExportError::Unreadable {
        path: info_path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(&info_path).map_err(|e| unreadable(e.to_string()))?;
    // The version first: a run.json of another layout gets this message, not serde's.
    #[derive(serde::Deserialize)]
    struct Version {
        run_info_version: u32,
    }
    let v: Version = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    if v.run_info_version != run_info::RUN_INFO_VERSION {
        return Err(ExportError::OtherVersion {
            path: info_path.display().to_string(),
            found: v.run_info_version,
            expected: run_info::RUN_INFO_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))
}

/// The daily, summary, traffic and detectability tables as Parquet (full precision, Arrow dates): what
/// [`RunView::read`] reads back, so charts redrawn from a run folder are the run's own.
pub struct Parquet;

impl Exporter for Parquet {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        let frames = run.frames()?;
        [
            ("daily", &frames.daily),
            ("summary", &frames.summary),
            ("traffic", &run.traffic),
            ("detectability", &frames.detectability),
            ("comparisons", &frames.comparisons),
            ("replicates", &run.replicates),
            ("replicates_daily", &frames.replicates_daily),
            ("calibration", &frames.calibration),
        ]
        .into_iter()
        .chain(decomposition(run, &frames))
        .map(|(stem, df)| parquet_file(stem, df))
        .collect()
    }
}

/// The decomposition table, written only by a run with a bundle.
fn decomposition<'f>(
    run: &RunView,
    frames: &'f crate::view::Frames,
) -> Option<(&'static str, &'f polars::prelude::DataFrame)> {
    (!run.decomposition.is_empty()).then_some(("decomposition", &frames.decomposition))
}

/// `df` as `<stem>.parquet` (Snappy, full precision, Arrow dates).
pub fn parquet_file(
    stem: &str,
    df: &polars::prelude::DataFrame,
) -> Result<ExportFile, ExportError> {
    let path = format!("{stem}.parquet");
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Snappy)
        .finish(&mut df.clone())
        .map_err(table(&path))?;
    Ok(ExportFile { path, bytes })
}

/// `df` as `<stem>.csv`: three decimals, text cells guarded ([`csv_cells`]).
pub fn csv_file(stem: &str, df: &polars::prelude::DataFrame) -> Result<ExportFile, ExportError> {
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .with_float_precision(Some(3))
        .finish(&mut csv_cells::guard_frame(df).map_err(table(stem))?)
        .map_err(table(stem))?;
    Ok(ExportFile {
        path: format!("{stem}.csv"),
        bytes,
    })
}

/// The tables as CSV (the large traffic table is Parquet only). Three decimals keep it
/// readable; Parquet carries full precision. Text cells a spreadsheet would take for a
/// formula are guarded ([`csv_cells`]).
pub struct Csv;

impl Exporter for Csv {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        let frames = run.frames()?;
        [
            ("daily", &frames.daily),
            ("summary", &frames.summary),
            ("windows", &frames.windows),
            ("detectability", &frames.detectability),
            ("comparisons", &frames.comparisons),
            ("calibration", &frames.calibration),
        ]
        .into_iter()
        .chain(decomposition(run, &frames))
        .map(|(stem, df)| csv_file(stem, df))
        .collect()
    }
}

/// File name of the run's metadata.
pub const RUN_INFO: &str = "run.json";

/// `run.json`: the metadata a run folder needs to be read on its own.
pub struct Info;

impl Exporter for Info {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        Ok(vec![json_file(RUN_INFO, &run.info)?])
    }
}

/// Pretty JSON with a final newline.
pub fn json_file(path: &str, value: &impl serde::Serialize) -> Result<ExportFile, ExportError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| ExportError::Json {
        what: path.to_string(),
        message: e.to_string(),
    })?;
    Ok(ExportFile {
        path: path.to_string(),
        bytes: (text + "\n").into_bytes(),
    })
}

/// How a run's reader-facing files are written: the language(s) of charts, briefing and
/// workbook, and the briefing's template.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub langs: Langs,
    pub template: BriefingTemplate,
    /// A sweep's tornado and Sobol tables, shown by the briefing and the workbook
    /// (`wfhsim report --sweep DIR`).
    pub sensitivity: Option<Sensitivity>,
    /// An evaluation of an observed series, shown by the briefing and the workbook
    /// (`wfhsim report --evaluation DIR`).
    pub evaluation: Option<crate::evaluation::Evaluation>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            langs: Langs::default(),
            template: BriefingTemplate::builtin(),
            sensitivity: None,
            evaluation: None,
        }
    }
}

/// What `wfhsim run` writes besides the manifest, in order: tables, metadata, charts,
/// the workbook.
pub fn run_exporters(opt: &ExportOptions) -> Vec<Box<dyn Exporter>> {
    let mut exporters: Vec<Box<dyn Exporter>> = vec![
        Box::new(Parquet),
        Box::new(Csv),
        Box::new(Info),
        Box::new(Charts { langs: opt.langs }),
    ];
    exporters.extend(report_exporters(opt));
    exporters
}

/// What `wfhsim report` writes into a finished run folder: the briefing page and workbook.
pub fn report_exporters(opt: &ExportOptions) -> Vec<Box<dyn Exporter>> {
    vec![briefing_exporter(opt), workbook_exporter(opt)]
}

/// The briefing page's exporter (`briefing.html`; it draws its charts when no earlier
/// exporter has).
pub fn briefing_exporter(opt: &ExportOptions) -> Box<dyn Exporter> {
    Box::new(Briefing {
        langs: opt.langs,
        template: opt.template.clone(),
        sensitivity: opt.sensitivity.clone(),
        evaluation: opt.evaluation.clone(),
    })
}

/// The workbook's exporter (`briefing.xlsx`).
pub fn workbook_exporter(opt: &ExportOptions) -> Box<dyn Exporter> {
    Box::new(Workbook {
        langs: opt.langs,
        sensitivity: opt.sensitivity.clone(),
        evaluation: opt.evaluation.clone(),
    })
}

/// Every file of a list of exporters, in order.
pub fn export_all(
    exporters: &[Box<dyn Exporter>],
    run: &RunView,
) -> Result<Vec<ExportFile>, ExportError> {
    let mut out = Vec::new();
    for e in exporters {
        let files = e.export_after(run, &out)?;
        out.extend(files);
    }
    Ok(out)
}
