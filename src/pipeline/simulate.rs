//! The simulation lifecycle, readable top to bottom: build the population once → for each
//! scenario compile its plan → for each replicate draw the uncertain inputs, run the
//! engine and sum → reduce replicates to quantiles. Returns plain results; writing them
//! is the exporters' job.

use std::time::Instant;

use super::RunOptions;
use crate::calendar::Date;
use crate::data::{DataError, Dataset};
use crate::emissions;
use crate::engine;
use crate::policy;
use crate::policy::Plan;
use crate::population::{self, Population};
use crate::results::reduce;
use crate::results::reduce::ReplicateSums;
use crate::results::{Basis, Grid, Results, ScenarioResult, SummaryRow};
use crate::scenario::{EmissionModel, Scenario};
use crate::structural::{self, Reference, Structure, Uncertainty};
use crate::traffic::step::RoadSums;
use crate::traffic::{self, RoadContext, RoadDraw};

/// Progress events for a front end to display.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    PopulationBlocks { total: u64 },
    PopulationBlockDone,
    Replicates { scenario: usize, total: u64 },
    ReplicateDone,
}

/// Runs every scenario on one population, in the calling thread pool.
pub fn simulate(
    ds: &Dataset,
    scenarios: &[Scenario],
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Results, DataError> {
    let t0 = Instant::now();
    progress(Progress::PopulationBlocks {
        total: (ds.n_regions() * ds.employers.len()) as u64,
    });
    let pop = population::synthesize(ds, opt.scale, opt.seed, &|_| {
        progress(Progress::PopulationBlockDone)
    });
    let population_seconds = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    // The baseline is the same for every scenario: count it once.
    let base = Baseline::new(ds, &pop, opt.uncertainty);
    let mut results = Vec::new();
    for (i, sc) in scenarios.iter().enumerate() {
        progress(Progress::Replicates {
            scenario: i,
            total: opt.replicates as u64,
        });
        results.push(run_scenario(ds, &pop, &base, sc, opt, progress)?);
    }
    let engine_seconds = results.iter().map(|r| r.engine_seconds).sum();
    let roads_seconds = results.iter().map(|r| r.roads_seconds).sum();
    Ok(Results {
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        threads: opt.threads,
        uncertainty: opt.uncertainty,
        agents: pop.len(),
        population_bytes: pop.memory_bytes(),
        population_seconds,
        simulate_seconds: t1.elapsed().as_secs_f64(),
        engine_seconds,
        roads_seconds,
        engine_agent_days: results
            .iter()
            .map(|r| r.covered_agent_days * opt.replicates as u64)
            .sum(),
        scenarios: results,
    })
}

/// What every scenario of a run shares: the population's workers per cell (the
/// baseline) and, when the structure is drawn or fixed by a sweep, the central values it
/// was built with and its workers per (cell, class).
pub struct Baseline {
    workers: Vec<u64>,
    workers_f64: Vec<f64>,
    structure: Option<(Reference, structural::Entries)>,
    /// Draw the structure per replicate (full uncertainty), or keep it at the dataset's
    /// values (which a sweep's factors may have fixed).
    drawn: bool,
}

impl Baseline {
    pub fn new(ds: &Dataset, pop: &Population, u: Uncertainty) -> Baseline {
        Baseline::build(ds, pop, u == Uncertainty::Full, u == Uncertainty::Full)
    }

    /// Behavioural uncertainty with structural inputs fixed by a sweep's factors: the
    /// structure is weighted (at the fixed values) but not drawn.
    pub fn with_fixed_structure(ds: &Dataset, pop: &Population, u: Uncertainty) -> Baseline {
        Baseline::build(ds, pop, true, u == Uncertainty::Full)
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
            .map(|(r, _)| r.draw(&ds.params, seed, rep, central_only || !self.drawn))
    }

    /// The engine's counts as workers at home per (day, cell), and the baseline workers
    /// per cell, both weighted by `structure` when there is one.
    pub fn weigh(
        &self,
        plan: &Plan,
        counts: &[u32],
        structure: Option<&Structure>,
    ) -> (Vec<f64>, Vec<f64>) {
        match (structure, &self.structure) {
            (Some(s), Some((_, entries))) => {
                let mean = s.weights.cell_means(plan.n_cells, &plan.mass);
                let counts = counts
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| k as f64 * mean[i % plan.n_cells])
                    .collect();
                (counts, s.weights.weighted_totals(plan.n_cells, entries))
            }
            _ => (
                counts.iter().map(|&k| k as f64).collect(),
                self.workers_f64.clone(),
            ),
        }
    }
}

/// One scenario's replicates, before they are reduced to bands: what a run reduces and a
/// sweep reads replicate by replicate.
pub struct Replicates {
    pub grid: Grid,
    pub days: Vec<Date>,
    pub window: Option<(Date, Date)>,
    pub in_window: Vec<bool>,
    pub window_working_days: usize,
    pub sums: Vec<ReplicateSums>,
    pub roads: Vec<RoadSums>,
    pub road_context: RoadContext,
    /// Commuter trips per working day at the central values (the daily baseline).
    pub trips_per_working_day: f64,
    pub covered_workers: u64,
    pub eligible_workers: u64,
    pub eligible_agent_days: u64,
    pub covered_agent_days: u64,
    pub plan_bytes: usize,
    pub engine_seconds: f64,
    pub roads_seconds: f64,
}

impl Replicates {
    /// The summary rows (commuters, then roads) of replicate `i` alone: its own values.
    pub fn summary_of(&self, i: usize) -> Vec<SummaryRow> {
        let mut s = reduce::summary_rows(self.grid, &self.sums[i..=i], self.window_working_days);
        s.extend(traffic::reduce::summary(
            &self.road_context,
            &self.roads[i..=i],
            &self.days,
            &self.in_window,
        ));
        s
    }
}

/// Simulates one scenario's replicates over a built population and its [`Baseline`].
pub fn replicates(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Replicates, DataError> {
    let plan = policy::compile(sc, pop, &ds.holidays());
    let params = emissions::scenario_params(ds, sc)?;
    let g = Grid {
        n: ds.n_regions(),
        nm: ds.modes.len(),
        days: plan.days.len(),
    };
    let window = sc.policy_window();
    let in_window: Vec<bool> = plan
        .days
        .iter()
        .map(|d| window.is_some_and(|(a, b)| a <= *d && *d <= b))
        .collect();
    let is_dki: Vec<bool> = ds.regions.iter().map(|r| r.is_dki).collect();
    let central_only = opt.replicates == 1;
    let roads_ctx = RoadContext::new(ds);
    let road_inputs = &ds.inputs.roads;
    let speed_model = sc.emission_model == EmissionModel::Speed;
    let mut reps = Vec::with_capacity(opt.replicates as usize);
    let mut road_reps = Vec::with_capacity(opt.replicates as usize);
    let mut engine_seconds = 0.0;
    let mut roads_seconds = 0.0;
    for rep in 0..opt.replicates {
        let compliance = emissions::compliance(sc, opt.seed, rep, central_only);
        let t = Instant::now();
        let counts = engine::run_replicate(&plan, opt.seed, rep, &compliance);
        engine_seconds += t.elapsed().as_secs_f64();
        let structure = base.structure(ds, opt.seed, rep, central_only);
        let (counts, workers) = base.weigh(&plan, &counts, structure.as_ref());
        let road = RoadDraw::new(road_inputs, opt.seed, rep, central_only)?;
        let (grams, clamped) = road.baseline_grams(road_inputs);
        let commute = traffic::step::commute_grams(&road, &grams);
        let coef = emissions::coefficients(
            ds,
            &params,
            sc,
            opt.seed,
            rep,
            central_only,
            speed_model.then_some(&commute),
            structure.as_ref(),
        )?;
        reps.push(reduce::replicate_sums(
            g, &counts, &coef, &workers, &in_window, &is_dki, opt.scale,
        ));
        let t = Instant::now();
        let road_rep = traffic::step::ReplicateInputs {
            inputs: road_inputs,
            draw: &road,
            grams: &grams,
            speed_model,
            coef: &coef,
        };
        let engine_counts = traffic::step::EngineCounts {
            counts: &counts,
            days: plan.days.len(),
            workers: &workers,
            scale: opt.scale,
        };
        let mut sums = traffic::step::replicate(&roads_ctx, &road_rep, &engine_counts);
        sums.speed_clamped += clamped;
        road_reps.push(sums);
        roads_seconds += t.elapsed().as_secs_f64();
        progress(Progress::ReplicateDone);
    }
    Ok(Replicates {
        grid: g,
        window,
        window_working_days: in_window.iter().filter(|&&b| b).count(),
        in_window,
        sums: reps,
        roads: road_reps,
        road_context: roads_ctx,
        trips_per_working_day: params.commute.trips_per_working_day(),
        covered_workers: plan.covered_workers,
        eligible_workers: plan.eligible_workers,
        eligible_agent_days: plan.eligible_agent_days,
        covered_agent_days: plan.covered_agent_days,
        plan_bytes: plan.memory_bytes(),
        engine_seconds,
        roads_seconds,
        days: plan.days,
    })
}

/// One scenario over a built population and its [`Baseline`]: its replicates, reduced.
pub fn run_scenario(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ScenarioResult, DataError> {
    let r = replicates(ds, pop, base, sc, opt, progress)?;
    let g = r.grid;
    let baseline = baseline_trips_per_row(g, &base.workers, r.trips_per_working_day, opt.scale);
    let (daily, mut summary) =
        reduce::reduce(g, &r.sums, &r.days, &baseline, r.window_working_days);
    let t = Instant::now();
    let (roads, road_summary) =
        traffic::reduce::reduce(&r.road_context, &r.roads, &r.days, &r.in_window);
    let roads_seconds = r.roads_seconds + t.elapsed().as_secs_f64();
    summary.extend(road_summary);
    Ok(ScenarioResult {
        scenario: sc.clone(),
        window: r.window,
        window_working_days: r.window_working_days,
        covered_workers: r.covered_workers as f64 / opt.scale,
        eligible_workers: r.eligible_workers as f64 / opt.scale,
        eligible_agent_days: r.eligible_agent_days,
        covered_agent_days: r.covered_agent_days,
        plan_bytes: r.plan_bytes,
        engine_seconds: r.engine_seconds,
        roads_seconds,
        daily,
        summary,
        roads,
    })
}

/// Baseline commuter trips per working day for each row of the daily grid.
fn baseline_trips_per_row(g: Grid, workers: &[u64], trips: f64, scale: f64) -> Vec<f64> {
    let mut out = vec![0.0; g.rows_per_day()];
    for (c, &w) in workers.iter().enumerate() {
        let (od, m) = (c / g.nm, c % g.nm);
        let (h, wk) = (od / g.n, od % g.n);
        let t = trips * w as f64 / scale;
        for (basis, region) in [(Basis::Home, h), (Basis::Work, wk), (Basis::All, 0)] {
            out[g.row(basis, region, m)] += t;
            out[g.row(basis, region, g.nm)] += t;
        }
    }
    out
}
