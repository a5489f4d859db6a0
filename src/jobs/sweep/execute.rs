//! A sweep, or one shard of it, into its folder. A shard's folder is created as a run's
//! is (exclusively: a shard that appears while this one runs is not replaced); one that
//! is complete already is reused only for the request that made it (`reuse.rs`).

use std::time::Instant;

use super::manifest::{Ran, ResultsKey, SweepManifest};
use super::reuse::{Existing, existing_shard};
use super::{
    SHARDS_DIR, SweepOutcome, SweepProgress, SweepRequest, build, commit, folder_name, note,
    read_design, resolve, shard_dir_name,
};
use crate::jobs::{JobError, in_pool};
use wfhsim_core::data::Dataset;
use wfhsim_core::simulate::RunOptions;
use wfhsim_core::sweep::{Design, Experiment, Point, Prepared, SweepResults, points, sample};
use wfhsim_report::export::{ExportFile, sweep as files};
use wfhsim_report::runfolder::RunDir;

/// Runs a sweep (or one shard of it) into its folder.
pub fn sweep(
    ds: &Dataset,
    req: &SweepRequest,
    load_seconds: f64,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Result<SweepOutcome, JobError> {
    let t0 = Instant::now();
    let d = read_design(&req.design_path, ds)?;
    if d.method.is_none() {
        return Err(JobError::Input(format!(
            "{}: method: this design has no method, only a [target]: run it with `wfhsim target {}`, or add method = \"grid\", \"oat\", \"lhs\" or \"sobol\"",
            d.file,
            crate::jobs::command::shell_word(&req.design_path.display().to_string())
        )));
    }
    let name = folder_name(req, &d)?;
    shard_fits(&d, req.shard)?;
    // Refused before any point is made if it cannot fit.
    let count = (0..d.n_points())
        .filter(|&i| points::in_shard(i, req.shard))
        .count();
    let opt = resolve(&d, ds, req, count * d.scenarios.len())?;
    let all = sample::points(&d);
    let mine: Vec<Point> = all
        .iter()
        .filter(|p| points::in_shard(p.id, req.shard))
        .cloned()
        .collect();
    let prepared = points::prepare(&d, &mine, ds).map_err(|p| JobError::Input(p.join("\n")))?;
    // The folder, before the long work.
    let root = req.out.join(&name);
    let dir = match req.shard {
        None => RunDir::create(&root, req.force).map_err(JobError::Output)?,
        Some((k, n)) => {
            let target = root.join(SHARDS_DIR).join(shard_dir_name(k, n));
            let want = ResultsKey::requested(&d, ds, &opt);
            match existing_shard(&target, &root, &want, req.langs.code(), req.force)? {
                Existing::Reuse(manifest) => {
                    return Ok(SweepOutcome {
                        dir: target,
                        manifest: *manifest,
                        skipped: true,
                        target: None,
                        design: d,
                    });
                }
                Existing::Run => RunDir::create(&target, req.force).map_err(JobError::Output)?,
            }
        }
    };
    let (rows, (population, agents, points_seconds)) =
        run_points(&d, ds, &opt, &prepared, progress)?;
    let ran = Ran {
        design_file: std::fs::canonicalize(&req.design_path)
            .unwrap_or(req.design_path.clone())
            .display()
            .to_string(),
        method: d.method.map_or("target", |m| m.as_str()).into(),
        points_total: all.len(),
        shard: req.shard.map(|(k, n)| [k, n]),
        points_run: prepared.len(),
        experiments: rows.len(),
        agents,
        load: load_seconds,
        population,
        points: points_seconds,
        started: t0,
        writing: Instant::now(),
    };
    write(dir, d, ds, req, &opt, &all, rows, ran)
}

/// A sweep has at most as many shards as points: a shard beyond them would hold none.
fn shard_fits(d: &Design, shard: Option<(usize, usize)>) -> Result<(), JobError> {
    match shard {
        Some((k, n)) if n > d.n_points() => Err(JobError::Input(format!(
            "--shard {k}/{n}: {} has {} points, so its sweep has at most {} shards; give N of {} or fewer",
            d.file,
            d.n_points(),
            d.n_points(),
            d.n_points()
        ))),
        _ => Ok(()),
    }
}

/// What running the points took: (population seconds, agents, points seconds).
type RanPoints = (f64, usize, f64);

/// Builds the population and runs the prepared points in the worker pool.
fn run_points(
    d: &Design,
    ds: &Dataset,
    opt: &RunOptions,
    prepared: &[Prepared],
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Result<(Vec<Experiment>, RanPoints), JobError> {
    in_pool(opt.threads, || -> Result<_, JobError> {
        let b = build(d, ds, opt, progress);
        progress(SweepProgress::Points {
            total: prepared.len() as u64,
        });
        let t = Instant::now();
        let rows = points::run(d, ds, &b.pop, &b.base, prepared, *opt, &|_| {
            progress(SweepProgress::PointDone)
        })?;
        Ok((rows, (b.seconds, b.pop.len(), t.elapsed().as_secs_f64())))
    })?
}

/// Writes the sweep's files (a shard's experiments only) and its manifest, and moves the
/// folder into place.
#[allow(clippy::too_many_arguments)]
fn write(
    dir: RunDir,
    d: Design,
    ds: &Dataset,
    req: &SweepRequest,
    opt: &RunOptions,
    all: &[Point],
    rows: Vec<Experiment>,
    ran: Ran,
) -> Result<SweepOutcome, JobError> {
    let out: Vec<ExportFile> = match req.shard {
        None => {
            let results = SweepResults::analyse(&d, all.to_vec(), rows, None);
            files::sweep_files(&results, &note(ds, opt), req.langs)?
        }
        Some(_) => files::shard_files(&d, all, &rows)?,
    };
    let manifest = SweepManifest::new(&d, ds, req, opt, ran);
    commit(dir, out, manifest, req.shard.is_some(), d, None)
}
