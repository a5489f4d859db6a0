//! The run job: one run, from checked inputs to a committed run folder — the shared steps
//! (options and memory check, name check, population and baseline in the worker pool) →
//! make the temporary folder → simulate every scenario → export every format → write the
//! manifest → move the folder into place. Every command that produces a run folder goes
//! through here; the front end only parses, shows progress and prints.

use std::path::PathBuf;
use std::time::Instant;

use super::{JobError, check_name, resolve_options};
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Results;
use wfhsim_core::scenario::Scenario;
use wfhsim_core::simulate::{self, Progress, RunRequest};
use wfhsim_report::export::{self, ExportOptions, Exporter, Manifest, RunView, manifest::Phases};
use wfhsim_report::runfolder::{FolderError, RunDir};

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

/// Runs and writes one run folder. Problems with the options or the output folder are
/// reported before any simulation; an error later leaves nothing behind.
pub fn execute(
    inputs: &RunInputs,
    request: &RunRequest,
    target: &RunTarget,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunOutcome, JobError> {
    let t0 = Instant::now();
    let opt = resolve_options(inputs.dataset, inputs.scenarios, request)?;
    check_name("--name", &target.name)?;
    // The output path is checked, and the temporary folder made, before the long work.
    let dir =
        RunDir::create(&target.out.join(&target.name), target.force).map_err(JobError::Output)?;
    let load = inputs.load_seconds + t0.elapsed().as_secs_f64();
    let results = super::in_pool(opt.threads, || {
        let built = super::build(inputs.dataset, opt, false, progress);
        simulate::simulate_built(
            inputs.dataset,
            &built.pop,
            &built.base,
            inputs.scenarios,
            opt,
            built.seconds,
            progress,
        )
    })??;
    super::host::release_free_memory();

    let tw = Instant::now();
    let origin = export::RunOrigin {
        dataset: inputs.dataset_origin.clone(),
        command: inputs.command.clone(),
    };
    let tables = RunView::from_results(
        &target.name,
        inputs.dataset,
        inputs.scenarios,
        &results,
        &origin,
    )?;
    let files = export::export_all(&export::run_exporters(&target.export), &tables)?;
    dir.write(&files)?;
    let phases = Phases {
        load,
        population: results.population_seconds,
        simulate: results.simulate_seconds,
        engine: results.engine_seconds,
        roads: results.roads_seconds,
        write: tw.elapsed().as_secs_f64(),
        total: inputs.load_seconds + t0.elapsed().as_secs_f64(),
    };
    let mut manifest = Manifest::new(
        &results,
        inputs.dataset,
        &target.name,
        &inputs.dataset_origin,
        phases,
    );
    manifest.peak_rss_bytes = super::host::peak_rss_bytes();
    manifest.record_files(&files);
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
pub fn report(run_dir: &std::path::Path, opt: &ExportOptions) -> Result<Vec<PathBuf>, JobError> {
    let tables = RunView::read(run_dir)?;
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
pub fn redraw(run_dir: &std::path::Path, opt: &ExportOptions) -> Result<Vec<PathBuf>, JobError> {
    let tables = RunView::read(run_dir)?;
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
