//! A bundle's effect split among its parts by exact Shapley decomposition
//! ([`crate::results::shapley`]): the parts are the scenario's WFH orders (one part, "WFH
//! orders", when any policy sends anyone home) and its measures, those of one name
//! forming one part (a school closure written per region is one measure). Every coalition
//! of parts is run as a scenario — the parts outside it not in force (policies at share 0,
//! measures left out) — with the bundle's seed, replicates and window, so every run sees
//! the same draws (common random numbers) and sums the same days. Per replicate, each
//! summary row's total is split; the bands are the quantiles of the parts' values over
//! the replicates, and the parts of one replicate add up to the bundle's total in it.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::RunOptions;
use super::baseline::Baseline;
use super::progress::Progress;
use super::scenario_run::{ScenarioRun, measure_plan};
use crate::data::{DataError, Dataset};
use crate::population::Population;
use crate::results::ScenarioResult;
pub use crate::results::decomposition::Decomposition;
use crate::results::quantile::quantiles;
use crate::results::reduce;
use crate::results::shapley::shapley;
use crate::scenario::{MAX_PARTS, Scenario};
pub use crate::scenario::{WFH_PART, parts};
use crate::traffic;

/// The scenario of one coalition (bit i of `mask`: part i in force), summed over `window`.
pub fn coalition(
    sc: &Scenario,
    parts: &[(String, Vec<usize>, Vec<usize>)],
    mask: usize,
) -> Scenario {
    let mut c = sc.clone();
    c.fixed_window = sc.policy_window();
    let on = |i: usize| mask >> i & 1 == 1;
    let mut keep = vec![false; sc.measures.len()];
    for (i, (_, pols, ms)) in parts.iter().enumerate() {
        for &p in pols.iter().filter(|_| !on(i)) {
            for w in &mut c.policies[p].windows {
                w.share = 0.0;
            }
        }
        for &j in ms.iter().filter(|_| on(i)) {
            keep[j] = true;
        }
    }
    c.measures = sc
        .measures
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(m, _)| m.clone())
        .collect();
    c
}

/// The parts the engine sees (bit i: part i): the WFH orders and attendance measures. The
/// other measures act in the road layer only, on the engine's counts.
fn engine_parts(
    sc: &Scenario,
    parts: &[(String, Vec<usize>, Vec<usize>)],
    n_employers: usize,
) -> usize {
    let mut bits = 0;
    for (i, (_, pols, ms)) in parts.iter().enumerate() {
        let attendance = ms
            .iter()
            .any(|&j| sc.measures[j].attendance_policy(n_employers).is_some());
        if !pols.is_empty() || attendance {
            bits |= 1 << i;
        }
    }
    bits
}

/// The replicate totals of every coalition of `sc`'s parts but the whole, by mask:
/// what [`run_scenario`](super::run_scenario) gives for [`coalition`]`(sc, parts, mask)`.
/// Coalitions that differ only in road-layer parts share one engine step per replicate.
pub fn coalition_totals(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Vec<Vec<f64>>>, DataError> {
    let parts = parts(sc);
    let full = (1usize << parts.len()) - 1;
    let mut values: Vec<Vec<Vec<f64>>> = vec![Vec::new(); full];
    let engine = engine_parts(sc, &parts, ds.employers.len());
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for mask in 0..full {
        groups.entry(mask & engine).or_default().push(mask);
    }
    for masks in groups.values() {
        let scs: Vec<Scenario> = masks.iter().map(|&m| coalition(sc, &parts, m)).collect();
        let totals = shared_replicate_totals(ds, pop, base, &scs, opt, progress)?;
        for (&m, t) in masks.iter().zip(totals) {
            values[m] = t;
        }
    }
    Ok(values)
}

/// Each replicate's summary totals ([`ScenarioResult::replicate_totals`]) of scenarios that
/// differ only in road-layer measures (the same policies and attendance, period and
/// window): one engine step per replicate serves them all, then the road layer runs under
/// each one's measures. The same numbers as running each alone: the engine step does not
/// read the road-layer measures, and every draw is keyed by seed and replicate.
fn shared_replicate_totals(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    scs: &[Scenario],
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Vec<Vec<f64>>>, DataError> {
    let n = ds.employers.len();
    let effective: Vec<_> = scs.iter().map(|s| s.effective(n)).collect();
    let run = ScenarioRun::new(ds, pop, base, &effective[0], opt)?;
    let plans: Vec<_> = effective
        .iter()
        .map(|s| measure_plan(s, &run.plan, &run.roads_ctx))
        .collect();
    let window_days = run.in_window.iter().filter(|&&b| b).count();
    // Replicates side by side, kept in replicate order: each is a function of seed and
    // replicate alone.
    let per_rep: Vec<Result<Vec<Vec<f64>>, DataError>> = (0..opt.replicates)
        .into_par_iter()
        .map(|rep| {
            let step = run.engine_step(rep, &mut 0.0)?;
            let commuters =
                reduce::summary_rows(run.grid, std::slice::from_ref(&step.sums), window_days);
            let per_coalition = plans
                .iter()
                .map(|plan| {
                    let roads = run.road_step(&step, plan);
                    let rows = traffic::reduce::summary(
                        &run.roads_ctx,
                        std::slice::from_ref(&roads),
                        &run.plan.days,
                        &run.in_window,
                    );
                    progress(Progress::ReplicateDone);
                    commuters
                        .iter()
                        .chain(&rows)
                        .map(|r| r.total.median())
                        .collect()
                })
                .collect();
            Ok(per_coalition)
        })
        .collect();
    let mut totals = vec![Vec::with_capacity(opt.replicates as usize); scs.len()];
    for rep in per_rep {
        for (t, row) in totals.iter_mut().zip(rep?) {
            t.push(row);
        }
    }
    Ok(totals)
}

/// The runs a decomposition of `sc` adds to its own (every coalition but the whole),
/// `None` when it is not decomposed.
pub fn extra_runs(sc: &Scenario) -> Option<u64> {
    let n = parts(sc).len();
    (!sc.measures.is_empty() && n <= MAX_PARTS).then(|| (1u64 << n) - 1)
}

/// Decomposes `bundle` (the result of running `sc`) when it has measures and at most
/// [`MAX_PARTS`] parts; `None` for a scenario without measures.
pub fn decompose(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    bundle: &ScenarioResult,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Option<Decomposition>, DataError> {
    if extra_runs(sc).is_none() {
        return Ok(None);
    }
    let parts = parts(sc);
    let mut values = coalition_totals(ds, pop, base, sc, opt, progress)?;
    values.push(bundle.replicate_totals.clone());
    let (reps, rows) = (bundle.replicate_totals.len(), bundle.summary.len());
    let replicates: Vec<Vec<Vec<f64>>> = (0..reps)
        .map(|i| {
            (0..rows)
                .map(|k| shapley(&values.iter().map(|v| v[i][k]).collect::<Vec<f64>>()))
                .collect()
        })
        .collect();
    let bands = (0..rows)
        .map(|k| {
            (0..parts.len())
                .map(|j| quantiles(&mut replicates.iter().map(|r| r[k][j]).collect::<Vec<f64>>()))
                .collect()
        })
        .collect();
    Ok(Some(Decomposition {
        scenario: sc.name.clone(),
        parts: parts.into_iter().map(|(n, _, _)| n).collect(),
        bands,
        replicates,
    }))
}
