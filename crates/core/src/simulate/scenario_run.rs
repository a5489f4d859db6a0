//! One scenario's replicates over a built population: what every replicate shares (its
//! plan, inputs, grid and road context) and each replicate's steps — the draws, the
//! engine and the commuters' sums ([`ScenarioRun::engine_step`]), then the road layer
//! under the scenario's measures ([`ScenarioRun::road_step`]). Split so that scenarios
//! that differ only in road-layer measures (a decomposition's coalitions) can share one
//! engine step per replicate.

use std::time::Instant;

use super::RunOptions;
use super::baseline::Baseline;
use crate::accounting;
use crate::calendar::Date;
use crate::data::{DataError, Dataset, Inputs};
use crate::engine;
use crate::policy;
use crate::policy::Plan;
use crate::population::Population;
use crate::results::Grid;
use crate::results::reduce;
use crate::results::reduce::ReplicateSums;
use crate::scenario::{EmissionModel, Scenario};
use crate::traffic::emission::NP;
use crate::traffic::measures::MeasurePlan;
use crate::traffic::step::RoadSums;
use crate::traffic::{self, NK, RoadContext, RoadDraw};

/// What every replicate of one scenario shares: its plan, its inputs with the scenario's
/// overrides, and the grid and road context its sums are kept on.
pub(super) struct ScenarioRun<'a> {
    ds: &'a Dataset,
    base: &'a Baseline,
    sc: &'a Scenario,
    opt: RunOptions,
    pub plan: Plan,
    pub params: Inputs,
    pub grid: Grid,
    pub window: Option<(Date, Date)>,
    pub in_window: Vec<bool>,
    is_dki: Vec<bool>,
    central_only: bool,
    pub roads_ctx: RoadContext,
    speed_model: bool,
    /// The scenario's measures per working day of the plan.
    pub measures: MeasurePlan,
}

impl<'a> ScenarioRun<'a> {
    pub fn new(
        ds: &'a Dataset,
        pop: &Population,
        base: &'a Baseline,
        sc: &'a Scenario,
        opt: RunOptions,
    ) -> Result<Self, DataError> {
        let plan = policy::compile(sc, pop, &ds.holidays());
        let roads_ctx = RoadContext::new(ds);
        let params = accounting::scenario_params(ds, sc)?;
        let window = sc.policy_window();
        let in_window: Vec<bool> = plan
            .days
            .iter()
            .map(|d| window.is_some_and(|(a, b)| a <= *d && *d <= b))
            .collect();
        Ok(ScenarioRun {
            ds,
            base,
            sc,
            opt,
            params,
            grid: Grid {
                n: ds.n_regions(),
                nm: ds.modes.len(),
                days: plan.days.len(),
            },
            window,
            in_window,
            is_dki: ds.regions.iter().map(|r| r.is_dki).collect(),
            central_only: opt.replicates == 1,
            measures: measure_plan(sc, &plan, &roads_ctx),
            roads_ctx,
            speed_model: sc.emission_model == EmissionModel::Speed,
            plan,
        })
    }

    /// The engine's counts of replicate `rep`: per (day, policy, cell) when the baseline
    /// weighs by a structure ([`Baseline::weigh`]), per (day, cell) otherwise.
    fn engine_counts(&self, rep: u32, compliance: &[engine::Compliance]) -> Vec<u32> {
        let seed = self.opt.seed;
        if self.base.is_weighted() {
            engine::run_replicate_by_policy(&self.plan, seed, rep, compliance)
        } else {
            engine::run_replicate(&self.plan, seed, rep, compliance)
        }
    }

    /// Replicate `rep`: draw its inputs, run the engine, weigh, and sum commuters and
    /// roads. Adds the time spent in the engine and in the road layer to the counters.
    pub fn replicate(
        &self,
        rep: u32,
        engine_seconds: &mut f64,
        roads_seconds: &mut f64,
    ) -> Result<(ReplicateSums, RoadSums), DataError> {
        let step = self.engine_step(rep, engine_seconds)?;
        let t = Instant::now();
        let road_sums = self.road_step(&step, &self.measures);
        *roads_seconds += t.elapsed().as_secs_f64();
        Ok((step.sums, road_sums))
    }

    /// What replicate `rep` draws and the engine gives, and the commuters' sums: all of it
    /// but the road layer, which the scenario's measures act on ([`Self::road_step`]).
    pub fn engine_step(&self, rep: u32, engine_seconds: &mut f64) -> Result<EngineStep, DataError> {
        let (ds, sc, opt) = (self.ds, self.sc, self.opt);
        let central_only = self.central_only;
        let road_inputs = &ds.inputs.roads;
        let compliance = accounting::compliance(sc, opt.seed, rep, central_only);
        let t = Instant::now();
        let counts = self.engine_counts(rep, &compliance);
        *engine_seconds += t.elapsed().as_secs_f64();
        let structure = self.base.structure(ds, opt.seed, rep, central_only);
        let (counts, workers) = self.base.weigh(&self.plan, &counts, structure.as_ref());
        let road = RoadDraw::new(road_inputs, opt.seed, rep, central_only)?;
        let (grams, clamped) = road.baseline_grams(road_inputs);
        let commute = traffic::step::commute_grams(&road, &grams);
        let coef = accounting::coefficients(
            ds,
            &self.params,
            sc,
            opt.seed,
            rep,
            central_only,
            self.speed_model.then_some(&commute),
            structure.as_ref(),
        )?;
        let sums = reduce::replicate_sums(
            self.grid,
            &counts,
            &coef,
            &workers,
            &self.in_window,
            &self.is_dki,
            opt.scale,
        );
        Ok(EngineStep {
            sums,
            counts,
            workers,
            road,
            grams,
            clamped,
            coef,
        })
    }

    /// The road layer of one replicate's engine step under `measures` (the scenario's own,
    /// or those of a scenario that differs from it in road-layer measures only).
    pub fn road_step(&self, step: &EngineStep, measures: &MeasurePlan) -> RoadSums {
        let road_rep = traffic::step::ReplicateInputs {
            inputs: &self.ds.inputs.roads,
            draw: &step.road,
            grams: &step.grams,
            speed_model: self.speed_model,
            coef: &step.coef,
            measures,
        };
        let engine_counts = traffic::step::EngineCounts {
            counts: &step.counts,
            days: self.plan.days.len(),
            workers: &step.workers,
            scale: self.opt.scale,
        };
        let mut road_sums = traffic::step::replicate(&self.roads_ctx, &road_rep, &engine_counts);
        road_sums.speed_clamped += step.clamped;
        road_sums
    }
}

/// One replicate up to the road layer ([`ScenarioRun::engine_step`]).
pub(super) struct EngineStep {
    pub sums: ReplicateSums,
    counts: Vec<f64>,
    workers: Vec<f64>,
    road: RoadDraw,
    grams: [[[f64; NP]; 2]; NK],
    clamped: u32,
    coef: accounting::Coefficients,
}

/// A scenario's measures per working day of its plan; diverted traffic spreads over the
/// regions that take it by their mean share of residents and jobs (where the non-commute
/// traffic is, at the dataset's central weight of 0.5).
pub(super) fn measure_plan(sc: &Scenario, plan: &Plan, ctx: &RoadContext) -> MeasurePlan {
    let share: Vec<f64> = (0..ctx.n)
        .map(|r| 0.5 * (ctx.resident_share[r] + ctx.job_share[r]))
        .collect();
    let areas = traffic::measures::Areas {
        baseline_share: &share,
        is_dki: &ctx.is_dki,
        capped_by_default: &ctx.capped_by_default,
    };
    MeasurePlan::compile(&sc.measures, &plan.days, &areas)
}
