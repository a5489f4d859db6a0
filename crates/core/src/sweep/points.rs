//! Running a design's points: each point's scenario variants and dataset, the replicates
//! of each, and the outcomes of every replicate. One population serves every point, and
//! every point uses the run's seed, so two points differ by their factors only (common
//! random numbers), never by noise.

use rayon::prelude::*;
use toml::Value;

use super::design::Design;
use super::factor::{Target, as_number};
use super::sample::Point;
use crate::data::{DataError, Dataset, Inputs};
use crate::population::Population;
use crate::scenario::{Scenario, ScenarioError};
use crate::simulate::{self, Baseline, RunOptions};

/// One row of the experiments table: a replicate of a point on one base scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    pub point: u32,
    /// Index into [`Design::scenarios`].
    pub scenario: u32,
    pub replicate: u32,
    /// One per [`Design::outcomes`].
    pub outcomes: Vec<f64>,
}

/// A point ready to run: a validated scenario per base, and the dataset rows it fixes.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub point: Point,
    pub scenarios: Vec<Scenario>,
    pub fixes: Vec<(String, f64)>,
}

/// The shard (1-based `k` of `n`) a point belongs to: by its id alone.
pub fn in_shard(id: usize, shard: Option<(usize, usize)>) -> bool {
    shard.is_none_or(|(k, n)| id % n == k - 1)
}

/// Builds every point's scenario variants, validated like files; all problems at once.
pub fn prepare(d: &Design, points: &[Point], ds: &Dataset) -> Result<Vec<Prepared>, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(points.len());
    for p in points {
        let mut sets: Vec<(String, Value)> = Vec::new();
        let mut fixes = Vec::new();
        for (f, v) in d.factors.iter().zip(&p.values) {
            match &f.target {
                Target::Scenario(k) => sets.push((k.clone(), v.clone())),
                Target::Data(k) => fixes.push((k.clone(), as_number(v).unwrap_or(f64::NAN))),
            }
        }
        if !fixes.is_empty()
            && let Err(e) = dataset_with(ds, &fixes)
        {
            problems.push(format!("{}: point {}: {e}", d.file, p.id));
        }
        let mut scenarios = Vec::new();
        for t in &d.scenarios {
            let label = format!("{}: point {} of scenario '{}'", d.file, p.id, t.name);
            match t.variant(&label, &sets, ds) {
                Ok(s) => scenarios.push(s),
                Err(ScenarioError { problems: ps, .. }) => {
                    let at: Vec<String> = d
                        .factors
                        .iter()
                        .zip(&p.values)
                        .map(|(f, v)| format!("{} = {v}", f.key))
                        .collect();
                    for x in ps {
                        problems.push(format!(
                            "{label} ({}): {}{}",
                            at.join(", "),
                            if x.key.is_empty() {
                                String::new()
                            } else {
                                format!("{}: ", x.key)
                            },
                            x.message
                        ));
                    }
                }
            }
        }
        out.push(Prepared {
            point: p.clone(),
            scenarios,
            fixes,
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The dataset with `fixes` applied: each row held at its value in every replicate
/// (low = central = high), in the rows and in the typed inputs alike. The derived tables
/// (commuter matrix, jobs, distances) stay those the population was built from;
/// structural rows act through the replicate's weights ([`crate::structural`]).
pub fn dataset_with(ds: &Dataset, fixes: &[(String, f64)]) -> Result<Dataset, DataError> {
    let structural = crate::structural::Reference::new(ds);
    let keys = structural.keys();
    let (weights, drawn): (Vec<_>, Vec<_>) =
        fixes.iter().partition(|(k, _)| keys.contains(&k.as_str()));
    let mut d = ds.clone();
    // Rows the replicates draw: fixed in the rows and read again into the typed inputs.
    for (k, v) in &drawn {
        d.params.fix(k, *v);
    }
    if !drawn.is_empty() {
        d.inputs = Inputs::from_params(&d.params, &d.regions, &d.employers, &d.roles, &d.modes)?;
    }
    // Structural rows: fixed in the rows and in the typed inputs together, where the
    // replicate's structure reads them (the typed inputs are not read again: one share of
    // a group is fixed and the group's largest takes the rest in the draw, so the group
    // no longer sums to 1 as reading requires).
    for (k, v) in &weights {
        d.params.fix(k, *v);
        d.inputs.fix_structural(k, *v);
    }
    Ok(d)
}

/// True when some factor fixes a structural row, which only acts through weights.
pub fn fixes_structure(d: &Design, ds: &Dataset) -> bool {
    let keys = crate::structural::Reference::new(ds)
        .keys()
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    d.factors
        .iter()
        .any(|f| matches!(&f.target, Target::Data(k) if keys.contains(k)))
}

/// Runs prepared points in order; `done` is called after each.
pub fn run(
    d: &Design,
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    points: &[Prepared],
    opt: RunOptions,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Experiment>, DataError> {
    let mut rows = Vec::with_capacity(points.len() * d.scenarios.len() * opt.replicates as usize);
    for (i, p) in points.iter().enumerate() {
        let owned;
        let dsp = if p.fixes.is_empty() {
            ds
        } else {
            owned = dataset_with(ds, &p.fixes)?;
            &owned
        };
        for (s, sc) in p.scenarios.iter().enumerate() {
            let r = simulate::replicates(dsp, pop, base, sc, opt, &|_| {})?;
            // Each replicate's own summary, side by side, kept in replicate order.
            let outcomes: Vec<Vec<f64>> = (0..opt.replicates as usize)
                .into_par_iter()
                .map(|rep| {
                    let summary = r.summary_of(rep);
                    d.outcomes
                        .iter()
                        .map(|o| o.of(&summary, r.window_working_days))
                        .collect()
                })
                .collect();
            for (rep, outcomes) in outcomes.into_iter().enumerate() {
                rows.push(Experiment {
                    point: p.point.id as u32,
                    scenario: s as u32,
                    replicate: rep as u32,
                    outcomes,
                });
            }
        }
        done(i + 1);
    }
    Ok(rows)
}
