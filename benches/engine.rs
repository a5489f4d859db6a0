//! Benchmarks with fixed seeds: the engine day loop at a fixed population, population
//! synthesis, and table building. Run with `cargo bench`; figures are recorded in the
//! README (and, for the performance work, docs/performance.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wfhsim_core::data::Dataset;
use wfhsim_core::engine::run_replicate;
use wfhsim_core::policy::compile;
use wfhsim_core::population::synthesize;
use wfhsim_core::scenario::parse_scenario;
use wfhsim_core::simulate::{self, RunOptions};
use wfhsim_report::export::RunView;

const SCALE: f64 = 0.25;

fn engine(c: &mut Criterion) {
    let ds = Dataset::builtin().unwrap();
    let pop = synthesize(&ds, SCALE, 42, &|_| {});
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    // The issue-3 workload: every worker covered, rotation, compliance 0.8.
    let (file, text) = wfhsim_core::scenario::BENCHMARK_SCENARIO;
    let sc = parse_scenario(file, text, &ds).unwrap();
    let plan = compile(&sc, &pop, &ds.holidays());
    g.throughput(Throughput::Elements(plan.covered_agent_days));
    g.bench_function("bench-all-workers day loop (covered agent-days)", |b| {
        b.iter(|| run_replicate(&plan, 42, 0, &[0.8]))
    });
    // Thread scaling: the same loop in pools of 1 and 2 threads.
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let name = format!("bench-all-workers day loop, {threads} thread(s)");
        g.bench_function(&name, |b| {
            b.iter(|| pool.install(|| run_replicate(&plan, 42, 0, &[0.8])))
        });
    }
    // A mixed workload from the default study.
    let text = include_str!("../scenarios/private-sector-joins.toml");
    let sc = parse_scenario("private-sector-joins.toml", text, &ds).unwrap();
    let plan = compile(&sc, &pop, &ds.holidays());
    g.throughput(Throughput::Elements(plan.covered_agent_days));
    g.bench_function("private-sector-joins day loop (covered agent-days)", |b| {
        b.iter(|| run_replicate(&plan, 42, 0, &[0.85, 0.6]))
    });
    g.finish();
}

fn population(c: &mut Criterion) {
    let ds = Dataset::builtin().unwrap();
    let mut g = c.benchmark_group("population");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        (ds.workers_by_home.iter().sum::<f64>() * SCALE) as u64,
    ));
    g.bench_function("synthesis (agents)", |b| {
        b.iter(|| synthesize(&ds, SCALE, 42, &|_| {}))
    });
    g.finish();
}

fn tables(c: &mut Criterion) {
    let ds = Dataset::builtin().unwrap();
    let sc = parse_scenario(
        "dki-2023.toml",
        include_str!("../scenarios/dki-2023.toml"),
        &ds,
    )
    .unwrap();
    let opt = RunOptions {
        seed: 42,
        replicates: 10,
        scale: 0.01,
        threads: 2,
        uncertainty: wfhsim_core::structural::Uncertainty::Full,
    };
    let scenarios = [sc];
    let r = simulate::simulate(&ds, &scenarios, opt, &|_| {}).unwrap();
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("daily + summary frames (1 scenario)", |b| {
        b.iter(|| {
            let t =
                RunView::from_results("bench", &ds, &scenarios, &r, &Default::default()).unwrap();
            let f = t.frames().unwrap();
            (f.daily.height(), f.summary.height())
        })
    });
    g.finish();
}

/// The road layer's step for one replicate of the DKI 2023 order (all traffic, speeds,
/// congestion, every working day) and its reduction over replicates.
fn roads(c: &mut Criterion) {
    use wfhsim_core::scenario::EmissionModel;
    use wfhsim_core::traffic::{RoadContext, RoadDraw, reduce, step};
    let ds = Dataset::builtin().unwrap();
    let pop = synthesize(&ds, SCALE, 42, &|_| {});
    let text = include_str!("../scenarios/dki-2023.toml");
    let sc = parse_scenario("dki-2023.toml", text, &ds).unwrap();
    let plan = compile(&sc, &pop, &ds.holidays());
    let workers: Vec<f64> = pop.counts_by_od_mode().iter().map(|&w| w as f64).collect();
    let ctx = RoadContext::new(&ds);
    let inputs = &ds.inputs.roads;
    let draw = RoadDraw::new(inputs, 42, 0, false).unwrap();
    let (grams, _) = draw.baseline_grams(inputs);
    let commute = step::commute_grams(&draw, &grams);
    let params = wfhsim_core::accounting::scenario_params(&ds, &sc).unwrap();
    let coef = wfhsim_core::accounting::coefficients(
        &ds,
        &params,
        &sc,
        42,
        0,
        false,
        Some(&commute),
        None,
    )
    .unwrap();
    let counts: Vec<f64> = run_replicate(&plan, 42, 0, &[0.85])
        .iter()
        .map(|&k| k as f64)
        .collect();
    let rep = step::ReplicateInputs {
        inputs,
        draw: &draw,
        grams: &grams,
        speed_model: sc.emission_model == EmissionModel::Speed,
        coef: &coef,
        measures: &wfhsim_core::traffic::measures::MeasurePlan::default(),
    };
    let engine_counts = step::EngineCounts {
        counts: &counts,
        days: plan.days.len(),
        workers: &workers,
        scale: SCALE,
    };
    let one = || step::replicate(&ctx, &rep, &engine_counts);
    let mut g = c.benchmark_group("roads");
    g.sample_size(10);
    g.bench_function("dki-2023 road step (1 replicate)", |b| b.iter(one));
    let reps: Vec<_> = (0..30).map(|_| one()).collect();
    let window = sc.policy_window().unwrap();
    let in_window: Vec<bool> = plan
        .days
        .iter()
        .map(|d| window.0 <= *d && *d <= window.1)
        .collect();
    g.bench_function("dki-2023 road reduction (30 replicates)", |b| {
        b.iter(|| reduce::reduce(&ctx, &reps, &plan.days, &in_window))
    });
    g.finish();
}

criterion_group!(benches, engine, population, tables, roads);
criterion_main!(benches);
