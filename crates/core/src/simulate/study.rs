//! The simulation lifecycle, readable top to bottom: build the population once → for each
//! scenario compile its plan → for each replicate draw the uncertain inputs, run the
//! engine and sum → reduce replicates to quantiles. Returns plain results; writing them
//! is the exporters' job.

use std::time::Instant;

use rayon::prelude::*;

use super::RunOptions;
use super::baseline::Baseline;
use super::decompose;
pub use super::progress::Progress;
use super::scenario_run::ScenarioRun;
use crate::calendar::Date;
use crate::data::{DataError, Dataset};
use crate::population::{self, Population};
use crate::results::reduce;
use crate::results::reduce::ReplicateSums;
use crate::results::replicate_daily::{ReplicateDaily, whole_area_daily};
use crate::results::{Basis, Grid, Results, ScenarioResult, SummaryRow};
use crate::scenario::Scenario;
use crate::traffic::step::RoadSums;
use crate::traffic::{self, RoadContext};

/// Runs every scenario on one population, in the calling thread pool: builds the
/// population and its [`Baseline`], then [`simulate_built`].
pub fn simulate(
    ds: &Dataset,
    scenarios: &[Scenario],
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Results, DataError> {
    let t0 = Instant::now();
    let pop = build_population(ds, opt, progress);
    let base = Baseline::new(ds, &pop, opt.uncertainty, false);
    simulate_built(
        ds,
        &pop,
        &base,
        scenarios,
        opt,
        t0.elapsed().as_secs_f64(),
        progress,
    )
}

/// The population of a run, reporting each finished block.
pub fn build_population(
    ds: &Dataset,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Population {
    progress(Progress::PopulationBlocks {
        total: (ds.n_regions() * ds.employers.len()) as u64,
    });
    population::synthesize(ds, opt.scale, opt.seed, &|_| {
        progress(Progress::PopulationBlockDone)
    })
}

/// Runs every scenario on a population built once (with its baseline, the same for every
/// scenario), in the calling thread pool. `population_seconds` is what building it took.
pub fn simulate_built(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    scenarios: &[Scenario],
    opt: RunOptions,
    population_seconds: f64,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Results, DataError> {
    let started = Instant::now();
    let mut results = Vec::new();
    let mut decompositions = Vec::new();
    for (i, sc) in scenarios.iter().enumerate() {
        progress(Progress::Replicates {
            scenario: i,
            total: opt.replicates as u64,
        });
        let r = run_scenario(ds, pop, base, sc, opt, progress)?;
        if let Some(runs) = decompose::extra_runs(sc) {
            let total = runs * opt.replicates as u64;
            progress(Progress::Decomposition { scenario: i, total });
        }
        decompositions.extend(decompose::decompose(ds, pop, base, sc, &r, opt, progress)?);
        results.push(r);
    }
    let runs = Runs {
        results,
        decompositions,
        population_seconds,
        started,
    };
    Ok(assemble(ds, pop, scenarios, opt, runs))
}

/// One scenario on a population built once, as [`simulate_built`] runs it but without a
/// bundle's decomposition (a table of its own, which the summary rows do not need), asking
/// `check` before each replicate: its error stops the scenario there and is returned (a
/// server's job whose client has left). The population's seconds are not counted (0).
pub fn simulate_one<E: From<DataError> + Send>(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
    check: &(dyn Fn() -> Result<(), E> + Sync),
) -> Result<Results, E> {
    let started = Instant::now();
    progress(Progress::Replicates {
        scenario: 0,
        total: opt.replicates as u64,
    });
    let r = run_scenario_checked(ds, pop, base, sc, opt, progress, check)?;
    let runs = Runs {
        results: vec![r],
        decompositions: Vec::new(),
        population_seconds: 0.0,
        started,
    };
    Ok(assemble(ds, pop, std::slice::from_ref(sc), opt, runs))
}

/// The scenarios' results of one study and when it started simulating.
struct Runs {
    results: Vec<ScenarioResult>,
    decompositions: Vec<crate::results::decomposition::Decomposition>,
    population_seconds: f64,
    started: Instant,
}

/// The study's [`Results`]: its scenarios' results with the options, timings, pairs and
/// warnings.
fn assemble(
    ds: &Dataset,
    pop: &Population,
    scenarios: &[Scenario],
    opt: RunOptions,
    runs: Runs,
) -> Results {
    let results = runs.results;
    let engine_seconds = results.iter().map(|r| r.engine_seconds).sum();
    let roads_seconds = results.iter().map(|r| r.roads_seconds).sum();
    Results {
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        threads: opt.threads,
        uncertainty: opt.uncertainty,
        agents: pop.len(),
        population_bytes: pop.memory_bytes(),
        population_seconds: runs.population_seconds,
        simulate_seconds: runs.started.elapsed().as_secs_f64(),
        engine_seconds,
        roads_seconds,
        engine_agent_days: results
            .iter()
            .map(|r| r.covered_agent_days * opt.replicates as u64)
            .sum(),
        comparisons: crate::results::paired::paired(&results),
        decompositions: runs.decompositions,
        scenarios: results,
        warnings: super::coverage::thin_coverage(ds, scenarios, pop),
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

/// Simulates one scenario's replicates over a built population and its [`Baseline`]
/// (attendance measures run as the policies they act through: [`Scenario::effective`]).
pub fn replicates(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Replicates, DataError> {
    replicates_checked(ds, pop, base, sc, opt, progress, &|| Ok(()))
}

/// [`replicates`], asking `check` before each replicate starts: its error stops the
/// scenario there and is returned. Replicates run side by side, so those already running
/// when it comes finish; none starts after it.
pub fn replicates_checked<E: From<DataError> + Send>(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
    check: &(dyn Fn() -> Result<(), E> + Sync),
) -> Result<Replicates, E> {
    let sc = sc.effective(ds.employers.len());
    let run = ScenarioRun::new(ds, pop, base, &sc, opt)?;
    // Replicates side by side (each is a function of seed and replicate alone, and they are
    // kept in replicate order): the same numbers as one after another.
    let done: Vec<Result<_, E>> = (0..opt.replicates)
        .into_par_iter()
        .map(|rep| {
            check()?;
            let (mut engine, mut roads) = (0.0, 0.0);
            let sums = run.replicate(rep, &mut engine, &mut roads)?;
            progress(Progress::ReplicateDone);
            Ok((sums, engine, roads))
        })
        .collect();
    let mut reps = Vec::with_capacity(done.len());
    let mut road_reps = Vec::with_capacity(done.len());
    let (mut engine_seconds, mut roads_seconds) = (0.0, 0.0);
    for r in done {
        let ((sums, road_sums), engine, roads) = r?;
        reps.push(sums);
        road_reps.push(road_sums);
        engine_seconds += engine;
        roads_seconds += roads;
    }
    let ScenarioRun {
        plan,
        params,
        grid,
        window,
        in_window,
        roads_ctx,
        ..
    } = run;
    Ok(Replicates {
        grid,
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
    run_scenario_checked(ds, pop, base, sc, opt, progress, &|| Ok(()))
}

/// [`run_scenario`], asking `check` before each replicate ([`replicates_checked`]).
fn run_scenario_checked<E: From<DataError> + Send>(
    ds: &Dataset,
    pop: &Population,
    base: &Baseline,
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
    check: &(dyn Fn() -> Result<(), E> + Sync),
) -> Result<ScenarioResult, E> {
    let r = replicates_checked(ds, pop, base, sc, opt, progress, check)?;
    let g = r.grid;
    let baseline = baseline_trips_per_row(g, &base.workers, r.trips_per_working_day, opt.scale);
    let (daily, mut summary) =
        reduce::reduce(g, &r.sums, &r.days, &baseline, r.window_working_days);
    let t = Instant::now();
    let (mut roads, road_summary) =
        traffic::reduce::reduce(&r.road_context, &r.roads, &r.days, &r.in_window);
    roads.calibration =
        traffic::calibration::report(&r.road_context, &r.roads, &ds.inputs.calibration);
    summary.extend(road_summary);
    let replicate_totals = (0..r.sums.len())
        .into_par_iter()
        .map(|i| {
            r.summary_of(i)
                .iter()
                .map(|row| row.total.median())
                .collect()
        })
        .collect();
    let replicate_daily = ReplicateDaily {
        days: r.days.clone(),
        values: r.sums.iter().map(|s| whole_area_daily(g, s)).collect(),
    };
    let roads_seconds = r.roads_seconds + t.elapsed().as_secs_f64();
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
        replicate_totals,
        replicate_daily,
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
