//! What a run produces, as plain typed values: per scenario its daily rows and summary
//! rows, in the shape declared by [`schema`]. Built by the pipeline's reduction
//! ([`reduce`]); written by the exporters; never touches polars, plotters or files.

pub mod days;
pub mod decomposition;
pub mod grid;
pub mod paired;
pub mod quantile;
pub mod reduce;
pub mod replicate_daily;
pub mod roads;
pub mod schema;
pub mod shapley;

pub use grid::{Basis, Grid};
pub use schema::{Band, Component, MetricId};

use crate::calendar::Date;
use crate::scenario::Scenario;

/// Per-cell coefficients of one replicate (cell = home × work × mode), laid out by the
/// schema: what one worker-day at home avoids and adds, and what one worker-day of
/// commuting is in the baseline. The accounting fills them; the reduction multiplies.
#[derive(Debug, Clone)]
pub struct Coefficients {
    /// `wfh[cell * N_SLOTS + slot]`: per worker-day at home, laid out by
    /// [`schema::slot`] (each metric's gross, then its rebound).
    pub wfh: Vec<f64>,
    /// `base[cell * N_METRICS + metric]`: per worker-day commuting in the baseline.
    pub base: Vec<f64>,
    /// The home-electricity part of every cell's CO2 rebound, kg per WFH worker-day (not
    /// on any road).
    pub electricity_co2_kg: f64,
}

/// One day's row of the daily table.
#[derive(Debug, Clone)]
pub struct DailyRow {
    pub date: Date,
    pub basis: Basis,
    pub region: Option<usize>,
    pub mode: Option<usize>,
    pub baseline_trips: f64,
    /// One band per [`schema::daily_columns`] entry, in that order.
    pub q: Vec<Band>,
}

/// One metric × component of a region's summary over the policy window.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub basis: Basis,
    pub region: Option<usize>,
    pub metric: MetricId,
    pub component: Component,
    pub total: Band,
    /// The Monte Carlo error of each quantile of `total` ([`quantile::errors`]).
    pub total_error: quantile::Errors,
    pub per_day_p50: f64,
    pub baseline_p50: f64,
    /// Percent of the baseline.
    pub pct: Band,
    /// Percent of the baseline of workers with a DKI workplace (region "all" rows only).
    pub pct_dki: Option<Band>,
}

#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub scenario: Scenario,
    pub window: Option<(Date, Date)>,
    pub window_working_days: usize,
    pub covered_workers: f64,
    pub eligible_workers: f64,
    pub eligible_agent_days: u64,
    /// Covered workers × working days with a share in force, per replicate.
    pub covered_agent_days: u64,
    /// Bytes of the compiled plan (eligible workers' ids and cells, unit table).
    pub plan_bytes: usize,
    pub engine_seconds: f64,
    /// Seconds in the road layer (its step per replicate and its reduction).
    pub roads_seconds: f64,
    pub daily: Vec<DailyRow>,
    pub summary: Vec<SummaryRow>,
    /// Per replicate, the total of each [`ScenarioResult::summary`] row in that
    /// replicate alone (same order): what paired differences between scenarios are made
    /// of ([`paired`]).
    pub replicate_totals: Vec<Vec<f64>>,
    /// Per replicate, the whole area's trips, CO₂ and PM2.5 avoided on each working day:
    /// what per-day paired differences are made of ([`paired::by_day`]).
    pub replicate_daily: replicate_daily::ReplicateDaily,
    /// The road layer: all traffic, speeds, inventory shares, detectability.
    pub roads: roads::RoadResult,
}

impl ScenarioResult {
    /// The whole-area summary row of a metric's component.
    pub fn total(&self, m: MetricId, c: Component) -> Option<&SummaryRow> {
        self.row(Basis::All, m, c)
    }

    /// The summary row of a basis without a region (the whole area, or DKI on the road
    /// rows), metric and component.
    pub fn row(&self, basis: Basis, m: MetricId, c: Component) -> Option<&SummaryRow> {
        self.summary
            .iter()
            .find(|r| r.basis == basis && r.region.is_none() && r.metric == m && r.component == c)
    }
}

/// Everything a run computed, with the options and timings that produced it.
#[derive(Debug, Clone)]
pub struct Results {
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub threads: usize,
    /// What the replicates drew.
    pub uncertainty: crate::structural::Uncertainty,
    pub agents: usize,
    pub population_bytes: usize,
    pub population_seconds: f64,
    pub simulate_seconds: f64,
    pub engine_seconds: f64,
    pub roads_seconds: f64,
    /// Σ over scenarios of covered workers × window working days × replicates.
    pub engine_agent_days: u64,
    pub scenarios: Vec<ScenarioResult>,
    /// Every pair of scenarios compared replicate by replicate ([`paired::paired`]).
    pub comparisons: Vec<paired::PairedRow>,
    /// Per bundle scenario (one with measures), its effect split among its parts.
    pub decompositions: Vec<decomposition::Decomposition>,
    /// What the reader of these results must know: a scale too small for a policy's
    /// covered group ([`crate::simulate::coverage`]). Empty for a sound run.
    pub warnings: Vec<String>,
}
