//! What every scenario of a run shares: the population's workers per cell, and the
//! structure (employers' role mixes and unit sizes) when a replicate draws it or a sweep
//! fixes it — the weights that turn the engine's counts into workers at home.

use crate::data::Dataset;
use crate::policy::Plan;
use crate::population::Population;
use crate::structural::{self, Reference, Structure, Uncertainty};

/// What every scenario of a run shares: the population's workers per cell (the
/// baseline) and, when the structure is drawn or fixed by a sweep, the central values it
/// was built with and its workers per (cell, class).
pub struct Baseline {
    pub(super) workers: Vec<u64>,
    workers_f64: Vec<f64>,
    structure: Option<(Reference, structural::Entries)>,
    /// Draw the structure per replicate (full uncertainty), or keep it at the dataset's
    /// values (which a sweep's factors may have fixed).
    drawn: bool,
}

impl Baseline {
    /// The structure mode, decided here once for every job: under full uncertainty the
    /// structure is weighted and drawn per replicate; under behavioural uncertainty it is
    /// weighted at the dataset's values when a sweep's factors fix a structural row
    /// (`structure_fixed`), and left out otherwise.
    pub fn new(ds: &Dataset, pop: &Population, u: Uncertainty, structure_fixed: bool) -> Baseline {
        let full = u == Uncertainty::Full;
        Baseline::build(ds, pop, full || structure_fixed, full)
    }

    fn build(ds: &Dataset, pop: &Population, weighted: bool, drawn: bool) -> Baseline {
        let workers = pop.counts_by_od_mode();
        Baseline {
            workers_f64: workers.iter().map(|&w| w as f64).collect(),
            workers,
            structure: weighted.then(|| {
                let r = Reference::new(ds);
                let entries = structural::sparse(&pop.counts_by_cell_class(), r.n_classes());
                (r, entries)
            }),
            drawn,
        }
    }

    /// One replicate's structure, if the run weighs by it.
    pub fn structure(
        &self,
        ds: &Dataset,
        seed: u64,
        rep: u32,
        central_only: bool,
    ) -> Option<Structure> {
        self.structure
            .as_ref()
            .map(|(r, _)| r.draw(&ds.inputs, seed, rep, central_only || !self.drawn))
    }

    /// The engine's counts as workers at home per (day, cell), and the baseline workers
    /// per cell, both weighted by `structure` when there is one. `counts` are per (day,
    /// cell) without a structure and per (day, policy, cell) with one
    /// ([`ScenarioRun::engine_counts`]): each policy's members are weighted by their own
    /// cell's mean weight, so orders with different schedules do not share one blended
    /// weight on days when only one of them is in force.
    pub fn weigh(
        &self,
        plan: &Plan,
        counts: &[u32],
        structure: Option<&Structure>,
    ) -> (Vec<f64>, Vec<f64>) {
        match (structure, &self.structure) {
            (Some(s), Some((_, entries))) => {
                let nc = plan.n_cells;
                let groups = plan.policies.len().max(1);
                let mean = s.weights.cell_means(groups, nc, &plan.mass);
                let weighted = counts
                    .chunks_exact(groups * nc)
                    .flat_map(|day| {
                        let mean = &mean;
                        (0..nc).map(move |c| {
                            (0..groups).fold(0.0, |acc, g| {
                                acc + day[g * nc + c] as f64 * mean[g * nc + c]
                            })
                        })
                    })
                    .collect();
                (weighted, s.weights.weighted_totals(nc, entries))
            }
            _ => (
                counts.iter().map(|&k| k as f64).collect(),
                self.workers_f64.clone(),
            ),
        }
    }

    /// Whether replicates are weighted by a structure (and so count per policy).
    pub fn is_weighted(&self) -> bool {
        self.structure.is_some()
    }
}
