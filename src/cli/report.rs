//! `wfhsim report RUN_DIR`: the briefing written again, in a language, with a template,
//! with an evaluation folder's effects (`--evaluation`, read and checked by
//! `Evaluation::read`), and with a sweep's sensitivity tables — only a sweep of the run's dataset, version and
//! scenarios (`wfhsim_report::compare::sweep_of_run`); other inputs that differ are
//! warnings, as `diff` gives them.

use std::path::{Path, PathBuf};

use super::failure::{Failure, bad_input};
use crate::jobs::run;
use crate::jobs::sweep::{MANIFEST, SweepManifest};
use wfhsim_report::compare::{self, RunMeta};
use wfhsim_report::evaluation::Evaluation;
use wfhsim_report::export::{ExportError, ExportOptions, Sensitivity};
use wfhsim_report::view::RunFolder;

pub(super) fn report(
    run_dir: &Path,
    mut opt: ExportOptions,
    sweep: Option<PathBuf>,
    evaluation: Option<PathBuf>,
) -> Result<(), Failure> {
    if let Some(dir) = sweep {
        opt.sensitivity = Some(sweep_of_run(run_dir, &dir)?);
    }
    if let Some(dir) = evaluation {
        opt.evaluation = Some(Evaluation::read(&dir).map_err(bad_input)?);
    }
    for f in run::report(run_dir, &opt)? {
        println!("Wrote {}", f.display());
    }
    Ok(())
}

/// The sweep folder's inputs, from its `manifest.json`.
fn sweep_inputs(dir: &Path) -> Result<RunMeta, ExportError> {
    let path = dir.join(MANIFEST);
    let unreadable = |message: String| ExportError::Unreadable {
        path: path.display().to_string(),
        message,
    };
    if !path.is_file() {
        return Err(unreadable(
            "missing: not the folder of a finished sweep".into(),
        ));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(e.to_string()))?;
    let m: SweepManifest = serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?;
    Ok(RunMeta {
        dir: dir.display().to_string(),
        wfhsim_version: m.wfhsim_version,
        seed: m.seed,
        replicates: m.replicates,
        scale: m.scale,
        uncertainty: m.uncertainty,
        dataset_sha256: m.dataset_sha256,
    })
}

/// The sweep's sensitivity tables, refused unless the sweep belongs to the run; warns of
/// the other inputs that differ.
fn sweep_of_run(run_dir: &Path, dir: &Path) -> Result<Sensitivity, Failure> {
    // The run first: a folder that is not a run is reported as such, whatever the sweep.
    let run = RunFolder::open(run_dir).map_err(bad_input)?;
    let tables = Sensitivity::read(dir).map_err(bad_input)?;
    let sweep = sweep_inputs(dir).map_err(bad_input)?;
    let run_dir = run_dir.display().to_string();
    let warnings =
        compare::sweep_of_run(&run_dir, run.info(), &sweep, &tables).map_err(bad_input)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(tables)
}
