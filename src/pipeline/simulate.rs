//! The simulation lifecycle, readable top to bottom: build the population once → for each
//! scenario compile its plan → for each replicate draw the uncertain inputs, run the
//! engine and sum → reduce replicates to quantiles. Returns plain results; writing them
//! is the exporters' job.

use std::time::Instant;

use super::RunOptions;
use crate::data::{DataError, Dataset};
use crate::emissions;
use crate::engine;
use crate::policy;
use crate::population::{self, Population};
use crate::results::reduce;
use crate::results::{Basis, Grid, Results, ScenarioResult};
use crate::scenario::{EmissionModel, Scenario};
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
    let workers = pop.counts_by_od_mode();
    let mut results = Vec::new();
    for (i, sc) in scenarios.iter().enumerate() {
        progress(Progress::Replicates {
            scenario: i,
            total: opt.replicates as u64,
        });
        results.push(run_scenario(ds, &pop, &workers, sc, opt, progress)?);
    }
    let engine_seconds = results.iter().map(|r| r.engine_seconds).sum();
    let roads_seconds = results.iter().map(|r| r.roads_seconds).sum();
    Ok(Results {
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        threads: opt.threads,
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

/// One scenario over a built population; `workers` is `pop.counts_by_od_mode()`.
pub fn run_scenario(
    ds: &Dataset,
    pop: &Population,
    workers: &[u64],
    sc: &Scenario,
    opt: RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ScenarioResult, DataError> {
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
        )?;
        reps.push(reduce::replicate_sums(
            g, &counts, &coef, workers, &in_window, &is_dki, opt.scale,
        ));
        let t = Instant::now();
        let mut sums = traffic::step::replicate(
            &roads_ctx,
            road_inputs,
            &road,
            &grams,
            speed_model,
            &counts,
            plan.days.len(),
            &coef,
            workers,
            opt.scale,
        );
        sums.speed_clamped += clamped;
        road_reps.push(sums);
        roads_seconds += t.elapsed().as_secs_f64();
        progress(Progress::ReplicateDone);
    }
    let trips = params.commute.trips_per_working_day();
    let baseline = baseline_trips_per_row(g, workers, trips, opt.scale);
    let window_working_days = in_window.iter().filter(|&&b| b).count();
    let (daily, mut summary) = reduce::reduce(g, &reps, &plan.days, &baseline, window_working_days);
    let t = Instant::now();
    let (roads, road_summary) =
        traffic::reduce::reduce(&roads_ctx, &road_reps, &plan.days, &in_window);
    roads_seconds += t.elapsed().as_secs_f64();
    summary.extend(road_summary);
    Ok(ScenarioResult {
        scenario: sc.clone(),
        window,
        window_working_days,
        covered_workers: plan.covered_workers as f64 / opt.scale,
        eligible_workers: plan.eligible_workers as f64 / opt.scale,
        eligible_agent_days: plan.eligible_agent_days,
        covered_agent_days: plan.covered_agent_days,
        plan_bytes: plan.memory_bytes(),
        engine_seconds,
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
