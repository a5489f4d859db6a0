//! A sweep, or one shard of it, into its folder.

use std::time::Instant;

use super::manifest::{Ran, SweepManifest};
use super::{
    MANIFEST, SHARDS_DIR, SUCCESS, SweepOutcome, SweepProgress, SweepRequest, build, commit, note,
    read_design, resolve, shard_dir_name,
};
use crate::jobs::{JobError, check_name, in_pool};
use wfhsim_core::data::Dataset;
use wfhsim_core::sweep::{Point, SweepResults, points, sample};
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
            req.design_path.display()
        )));
    }
    let name = req.name.clone().unwrap_or_else(|| d.name.clone());
    check_name("--name", &name)?;
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
    let root = req.out.join(&name);
    // The folder, before the long work.
    let target_dir = match req.shard {
        None => root.clone(),
        Some((k, n)) => root.join(SHARDS_DIR).join(shard_dir_name(k, n)),
    };
    if req.shard.is_some() && target_dir.join(SUCCESS).exists() {
        let text = std::fs::read_to_string(target_dir.join(MANIFEST)).unwrap_or_default();
        let manifest: SweepManifest = serde_json::from_str(&text).map_err(|e| {
            JobError::Input(format!("{}: {e}", target_dir.join(MANIFEST).display()))
        })?;
        return Ok(SweepOutcome {
            dir: target_dir,
            manifest,
            skipped: true,
            target: None,
            design: d,
        });
    }
    let dir =
        RunDir::create(&target_dir, req.force || req.shard.is_some()).map_err(JobError::Output)?;
    let (rows, built_seconds, agents, points_seconds) =
        in_pool(opt.threads, || -> Result<_, JobError> {
            let b = build(&d, ds, &opt, progress);
            progress(SweepProgress::Points {
                total: prepared.len() as u64,
            });
            let t = Instant::now();
            let rows = points::run(&d, ds, &b.pop, &b.base, &prepared, opt, &|_| {
                progress(SweepProgress::PointDone)
            })?;
            Ok((rows, b.seconds, b.pop.len(), t.elapsed().as_secs_f64()))
        })??;
    let t_write = Instant::now();
    let experiments = rows.len();
    let out: Vec<ExportFile> = match req.shard {
        None => {
            let results = SweepResults::analyse(&d, all.clone(), rows, None);
            files::sweep_files(&results, &note(ds, &opt), req.langs)?
        }
        Some(_) => files::shard_files(&d, &all, &rows)?,
    };
    let manifest = SweepManifest::new(
        &d,
        ds,
        req,
        &opt,
        Ran {
            design_file: std::fs::canonicalize(&req.design_path)
                .unwrap_or(req.design_path.clone())
                .display()
                .to_string(),
            method: d.method.map_or("target", |m| m.as_str()).into(),
            points_total: all.len(),
            shard: req.shard.map(|(k, n)| [k, n]),
            points_run: prepared.len(),
            experiments,
            agents,
            load: load_seconds,
            population: built_seconds,
            points: points_seconds,
            started: t0,
            writing: t_write,
        },
    );
    commit(dir, out, manifest, req.shard.is_some(), d, None)
}
