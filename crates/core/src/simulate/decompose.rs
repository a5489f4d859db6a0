//! A bundle's effect split among its parts by exact Shapley decomposition
//! ([`crate::results::shapley`]): the parts are the scenario's WFH orders (one part, "WFH
//! orders", when any policy sends anyone home) and its measures, those of one name
//! forming one part (a school closure written per region is one measure). Every coalition
//! of parts is run as a scenario — the parts outside it not in force (policies at share 0,
//! measures left out) — with the bundle's seed, replicates and window, so every run sees
//! the same draws (common random numbers) and sums the same days. Per replicate, each
//! summary row's total is split; the bands are the quantiles of the parts' values over
//! the replicates, and the parts of one replicate add up to the bundle's total in it.

use super::RunOptions;
use super::study::{Baseline, Progress, run_scenario};
use crate::data::{DataError, Dataset};
use crate::population::Population;
use crate::results::ScenarioResult;
pub use crate::results::decomposition::Decomposition;
use crate::results::quantile::quantiles;
use crate::results::shapley::shapley;
use crate::scenario::{MAX_PARTS, Scenario};
pub use crate::scenario::{WFH_PART, parts};

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
    let full = (1usize << parts.len()) - 1;
    let mut values: Vec<Vec<Vec<f64>>> = Vec::with_capacity(full + 1);
    for mask in 0..full {
        let r = run_scenario(ds, pop, base, &coalition(sc, &parts, mask), opt, progress)?;
        values.push(r.replicate_totals);
    }
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
