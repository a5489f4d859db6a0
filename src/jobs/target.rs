//! `wfhsim target`: the search of the design's [target] factor (each replicate's crossing
//! of the level, [`search`]), into its folder.

use std::time::Instant;

use super::sweep::manifest::{Ran, SweepManifest};
use super::sweep::{
    SweepOutcome, SweepProgress, SweepRequest, build, commit, note, read_design, resolve,
};
use super::{JobError, in_pool};
use wfhsim_core::data::Dataset;
use wfhsim_core::sweep::{self, Experiment, Point, SweepResults, points, search};
use wfhsim_report::export::sweep as files;
use wfhsim_report::runfolder::RunDir;

/// `wfhsim target`: searches the design's [target] factor.
pub fn search_target(
    ds: &Dataset,
    req: &SweepRequest,
    load_seconds: f64,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Result<SweepOutcome, JobError> {
    let t0 = Instant::now();
    let mut d = read_design(&req.design_path, ds)?;
    let Some(spec) = d.target.clone() else {
        return Err(JobError::Input(format!(
            "{}: target: the design has no [target] section (factor, outcome, value); add one to search",
            d.file
        )));
    };
    let name = super::sweep::folder_name(req, &d)?;
    let sweep::Settings::Range(lo, hi) = d.factors[spec.factor].settings else {
        return Err(JobError::Input(format!(
            "{}: target.factor needs a range",
            d.file
        )));
    };
    let opt = resolve(&d, ds, req, 64 * d.scenarios.len())?;
    let dir = RunDir::create(&req.out.join(&name), req.force).map_err(JobError::Output)?;
    // The search runs on the first scenario and the target's outcome, the other factors
    // central; the report shows it first.
    let o = d.outcomes.iter().position(|x| *x == spec.outcome);
    let o = match o {
        Some(i) => i,
        None => {
            d.outcomes.insert(0, spec.outcome);
            0
        }
    };
    d.outcomes.swap(0, o);
    d.scenarios.truncate(1);
    let point_at = |id: usize, x: f64| Point {
        id,
        values: d
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if i == spec.factor {
                    toml::Value::Float(x)
                } else {
                    f.central.clone()
                }
            })
            .collect(),
    };
    let (found, rows, points, built_seconds, agents, points_seconds) =
        in_pool(opt.threads, || -> Result<_, JobError> {
            let b = build(&d, ds, &opt, progress);
            // About: the curve, then six brackets (the two quantiles' estimates and interval
            // ends, eight crossings, share some) halved to the tolerance.
            let halvings = ((hi - lo) / (spec.curve_points - 1) as f64 / spec.tolerance)
                .log2()
                .ceil()
                .max(0.0) as usize;
            let steps = spec.curve_points + 6 * halvings;
            progress(SweepProgress::Points {
                total: steps as u64,
            });
            let t = Instant::now();
            let mut rows: Vec<Experiment> = Vec::new();
            let mut points: Vec<Point> = Vec::new();
            let mut eval = |x: f64| -> Result<Vec<f64>, JobError> {
                let p = point_at(points.len(), x);
                let prepared = points::prepare(&d, std::slice::from_ref(&p), ds)
                    .map_err(|e| JobError::Input(e.join("\n")))?;
                let r = points::run(&d, ds, &b.pop, &b.base, &prepared, opt, &|_| {})?;
                progress(SweepProgress::PointDone);
                let v: Vec<f64> = r.iter().map(|e| e.outcomes[0]).collect();
                points.push(p);
                rows.extend(r);
                Ok(v)
            };
            let found = search::search(
                lo,
                hi,
                spec.value,
                spec.probability,
                spec.tolerance,
                spec.curve_points,
                &mut eval,
            )?;
            Ok((
                found,
                rows,
                points,
                b.seconds,
                b.pop.len(),
                t.elapsed().as_secs_f64(),
            ))
        })??;
    let t_write = Instant::now();
    // The design's points are the settings evaluated, in order: a Latin hypercube's
    // response curve, with the target found marked on it.
    let mut curve_design = d.clone();
    curve_design.method = Some(sweep::Method::Lhs);
    curve_design.samples = points.len();
    let (evaluated, experiments) = (points.len(), rows.len());
    let results = SweepResults::analyse(&curve_design, points, rows, Some(found.clone()));
    let out = files::target_files(&results, &note(ds, &opt), req.langs)?;
    let manifest = SweepManifest::new(
        &d,
        ds,
        req,
        &opt,
        Ran {
            design_file: req.design_path.display().to_string(),
            method: "target".into(),
            points_total: evaluated,
            shard: None,
            points_run: evaluated,
            experiments,
            agents,
            load: load_seconds,
            population: built_seconds,
            points: points_seconds,
            started: t0,
            writing: t_write,
        },
    );
    commit(dir, out, manifest, false, d, Some(found))
}
