//! One run, from checked inputs to a committed run folder: resolve the options (and the
//! memory check) → make the temporary folder → simulate → export every format → write the
//! manifest → move the folder into place. Every command that produces a run folder goes
//! through here; the front end only parses, shows progress and prints.

use std::path::PathBuf;
use std::time::Instant;

use crate::data::Dataset;
use crate::export::{
    self, ExportError, ExportOptions, Exporter, Manifest, RunTables, manifest::Phases,
};
use crate::pipeline::{self, OptionError, PipelineError, Progress, RunOptions, RunRequest};
use crate::results::Results;
use crate::runfolder::{FolderError, RunDir};
use crate::scenario::Scenario;

/// Where a run goes and what it is called.
#[derive(Debug, Clone)]
pub struct RunTarget {
    /// Folder that holds run folders.
    pub out: PathBuf,
    /// This run's folder name inside `out`.
    pub name: String,
    /// Replace an existing run folder of the same name (only once the new one is complete).
    pub force: bool,
    /// The language(s) of the charts, briefing and workbook.
    pub export: ExportOptions,
}

/// The inputs of a run, already loaded and validated.
pub struct RunInputs<'a> {
    pub dataset: &'a Dataset,
    /// Where the dataset came from (`builtin` or a folder), for the manifest.
    pub dataset_origin: String,
    pub scenarios: &'a [Scenario],
    /// Seconds spent loading them, for the manifest.
    pub load_seconds: f64,
    /// The command that makes the same run, for the briefing's "reproduce" section.
    pub command: String,
}

/// A committed run.
pub struct RunOutcome {
    pub dir: PathBuf,
    pub results: Results,
    pub manifest: Manifest,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Option(#[from] OptionError),
    /// The output folder cannot be used (checked before any work).
    #[error(transparent)]
    Output(FolderError),
    /// Writing or moving the finished run folder failed.
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl RunError {
    /// True when the user's input is at fault (exit 2); false when the run failed (exit 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            RunError::Option(_) | RunError::Output(_) => true,
            RunError::Pipeline(e) => e.is_bad_input(),
            RunError::Export(
                ExportError::NotARun { .. }
                | ExportError::OtherVersion { .. }
                | ExportError::Template { .. },
            ) => true,
            _ => false,
        }
    }
}

/// Checks a run's name before anything else: it becomes a folder name.
fn check_name(name: &str) -> Result<(), OptionError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(OptionError(format!(
            "--name '{name}' must be a plain folder name"
        )));
    }
    Ok(())
}

/// Runs and writes one run folder. Problems with the options or the output folder are
/// reported before any simulation; an error later leaves nothing behind.
pub fn execute(
    inputs: &RunInputs,
    request: &RunRequest,
    target: &RunTarget,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunOutcome, RunError> {
    let t0 = Instant::now();
    let opt: RunOptions = pipeline::prepare(inputs.dataset, inputs.scenarios, request)?;
    check_name(&target.name)?;
    // The output path is checked, and the temporary folder made, before the long work.
    let dir =
        RunDir::create(&target.out.join(&target.name), target.force).map_err(RunError::Output)?;
    let load = inputs.load_seconds + t0.elapsed().as_secs_f64();
    let results = pipeline::run(inputs.dataset, inputs.scenarios, opt, progress)?;

    let tw = Instant::now();
    let origin = export::RunOrigin {
        dataset: inputs.dataset_origin.clone(),
        command: inputs.command.clone(),
    };
    let tables = RunTables::from_results(
        &target.name,
        inputs.dataset,
        inputs.scenarios,
        &results,
        &origin,
    )?;
    dir.write(&export::export_all(
        &export::run_exporters(&target.export),
        &tables,
    )?)?;
    let phases = Phases {
        load,
        population: results.population_seconds,
        simulate: results.simulate_seconds,
        engine: results.engine_seconds,
        roads: results.roads_seconds,
        write: tw.elapsed().as_secs_f64(),
        total: inputs.load_seconds + t0.elapsed().as_secs_f64(),
    };
    let manifest = Manifest::new(
        &results,
        inputs.dataset,
        &target.name,
        &inputs.dataset_origin,
        phases,
    );
    dir.write(&[export::json_file("manifest.json", &manifest)?])?;
    let dir = dir.commit()?;
    Ok(RunOutcome {
        dir,
        results,
        manifest,
    })
}

/// Writes a finished run folder's briefing (`briefing.html`, `briefing.xlsx`) again from
/// its own files (`wfhsim report`), in the language and template asked for. Everything is
/// made in memory first, then written into a hidden folder inside the run and each file
/// moved into place, so an error or an interrupt leaves the old briefing as it was.
pub fn report(run_dir: &std::path::Path, opt: &ExportOptions) -> Result<Vec<PathBuf>, RunError> {
    let tables = RunTables::read(run_dir)?;
    let files = export::export_all(&export::report_exporters(opt), &tables)?;
    let staging = RunDir::create(&run_dir.join(".report"), true)?;
    staging.write(&files)?;
    let mut written = Vec::new();
    for f in &files {
        let to = run_dir.join(&f.path);
        std::fs::rename(staging.tmp.join(&f.path), &to).map_err(|source| FolderError::Io {
            path: to.display().to_string(),
            source,
        })?;
        written.push(to);
    }
    // Dropping the staging folder uncommitted removes it (now empty).
    drop(staging);
    Ok(written)
}

/// Redraws the charts of a finished run folder from its own files (`wfhsim plot`): drawn
/// beside the old charts and swapped in only when complete, so an error or an interrupt
/// leaves the finished run's charts as they were. Returns the chart files written.
pub fn redraw(run_dir: &std::path::Path, opt: &ExportOptions) -> Result<Vec<PathBuf>, RunError> {
    let tables = RunTables::read(run_dir)?;
    let files = export::Charts { langs: opt.langs }.export(&tables)?;
    let charts = RunDir::create(&run_dir.join(export::CHARTS_DIR), true)?;
    // The exporter names files under charts/; inside the charts folder they are bare.
    let bare: Vec<export::ExportFile> = files
        .into_iter()
        .map(|f| export::ExportFile {
            path: f
                .path
                .strip_prefix(&format!("{}/", export::CHARTS_DIR))
                .unwrap_or(&f.path)
                .to_string(),
            bytes: f.bytes,
        })
        .collect();
    charts.write(&bare)?;
    let target = charts.commit()?;
    Ok(bare.iter().map(|f| target.join(&f.path)).collect())
}
