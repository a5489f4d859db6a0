//! The records of a finished run's result tables, with named, typed fields: what every
//! exporter, chart and comparison reads. This file depends on the core alone, so the
//! charts can read records without reaching the exporters.

use std::sync::Arc;

use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::quantile::Errors;
use wfhsim_core::results::replicate_daily::DayValues;
use wfhsim_core::results::schema::{self, Band, Component, MetricId};
use wfhsim_core::traffic::detect::Comparison;

/// The key value of a row summed over every region or mode.
pub const ALL: &str = "all";

/// The region of the rows on DKI's aggregate bases (its roads, its cordon).
pub const DKI: &str = "dki";

/// One scenario × working day × region basis × region × mode (rows with a non-zero
/// baseline only).
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRecord {
    pub scenario: Arc<str>,
    pub date: Date,
    pub basis: Basis,
    /// A region code of the dataset, or [`ALL`].
    pub region: Arc<str>,
    /// A mode code of the dataset, or [`ALL`].
    pub mode: Arc<str>,
    pub baseline_trips: f64,
    /// One band per [`schema::daily_columns`] entry, in that order.
    pub values: Vec<Band>,
}

impl DailyRecord {
    /// The band of metric `m`'s component `c`, if the daily table has it.
    pub fn value(&self, m: MetricId, c: Component) -> Option<Band> {
        schema::daily_columns()
            .iter()
            .position(|&k| k == (m, c))
            .and_then(|i| self.values.get(i).copied())
    }
}

/// One scenario × region basis × region × metric × component over the policy window.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRecord {
    pub scenario: Arc<str>,
    /// The scenario's title, on every row.
    pub title: Arc<str>,
    pub basis: Basis,
    /// A region code, `dki` on DKI's aggregate bases, or [`ALL`].
    pub region: Arc<str>,
    pub region_name: Arc<str>,
    pub metric: MetricId,
    pub component: Component,
    /// The policy window's first and last day; none when the scenario has no policy.
    pub window: Option<(Date, Date)>,
    pub window_working_days: i64,
    pub total: Band,
    /// The Monte Carlo error of each quantile of `total` (half its 95% order-statistic
    /// interval); none where the replicates are too few to bound it.
    pub total_error: Errors,
    pub per_day_p50: f64,
    pub baseline_total_p50: f64,
    /// Percent of the row's baseline.
    pub pct_baseline: Band,
    /// Percent of DKI's baseline (its counts or inventory), on DKI's rows only.
    pub pct_baseline_dki: Option<Band>,
}

impl SummaryRecord {
    /// The metric's unit, as the tables write it.
    pub fn unit(&self) -> &'static str {
        schema::metric(self.metric).unit.as_str()
    }

    /// The metric's name, as the tables write it.
    pub fn metric_name(&self) -> &'static str {
        schema::metric(self.metric).name
    }
}

/// One scenario × policy × share window: what the charts shade.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowRecord {
    pub scenario: String,
    pub policy: String,
    pub from: Date,
    pub to: Date,
    pub share: f64,
}

/// Scenario A minus scenario B of one run, replicate by replicate (common random
/// numbers), on a summary row without a region: the band of the difference.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRecord {
    /// The earlier scenario of the run.
    pub scenario_a: Arc<str>,
    pub scenario_b: Arc<str>,
    pub basis: Basis,
    /// `dki` on DKI's aggregate bases, [`ALL`] otherwise.
    pub region: Arc<str>,
    pub metric: MetricId,
    pub component: Component,
    /// Quantiles of A − B over the policy windows' totals.
    pub difference: Band,
    /// The same per working day, when both windows have as many working days.
    pub difference_per_day: Option<Band>,
    /// Share of replicates in which A's total exceeds B's.
    pub p_a_greater: f64,
    /// Share of replicates in which B's total exceeds A's (the rest are ties).
    pub p_b_greater: f64,
    pub replicates: i64,
}

impl ComparisonRecord {
    /// The metric's unit, as the tables write it.
    pub fn unit(&self) -> &'static str {
        schema::metric(self.metric).unit.as_str()
    }

    /// The metric's name, as the tables write it.
    pub fn metric_name(&self) -> &'static str {
        schema::metric(self.metric).name
    }
}

/// One part of a bundle scenario (its WFH orders, or a measure) × summary row without a
/// region: the band over replicates of the part's Shapley value, its contribution to the
/// bundle's total (the parts of one replicate add up to the bundle's total in it).
#[derive(Debug, Clone, PartialEq)]
pub struct DecompositionRecord {
    pub scenario: Arc<str>,
    pub part: Arc<str>,
    pub basis: Basis,
    /// `dki` on DKI's aggregate bases, [`ALL`] otherwise.
    pub region: Arc<str>,
    pub metric: MetricId,
    pub component: Component,
    pub contribution: Band,
    pub replicates: i64,
}

impl DecompositionRecord {
    /// The metric's unit, as the tables write it.
    pub fn unit(&self) -> &'static str {
        schema::metric(self.metric).unit.as_str()
    }

    /// The metric's name, as the tables write it.
    pub fn metric_name(&self) -> &'static str {
        schema::metric(self.metric).name
    }
}

/// One scenario × replicate × working day: the whole area's values in that replicate
/// alone, of the measures [`MEASURES`](wfhsim_core::results::replicate_daily::MEASURES) lists (in that order). What the
/// band of a per-day difference between two scenarios is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateDayRecord {
    pub scenario: Arc<str>,
    pub replicate: i64,
    pub date: Date,
    pub values: DayValues,
}

/// One scenario × replicate × summary row: the replicate's own total over the policy
/// window (`replicates.parquet`; the summary's bands are quantiles of these).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateRecord {
    pub scenario: Arc<str>,
    /// 0-based, below the run's replicate count.
    pub replicate: i64,
    pub basis: Basis,
    /// A region code, `dki` on DKI's aggregate bases, or [`ALL`].
    pub region: Arc<str>,
    pub metric: MetricId,
    pub component: Component,
    pub total: f64,
}

impl ReplicateRecord {
    /// The metric's name, as the tables write it.
    pub fn metric_name(&self) -> &'static str {
        schema::metric(self.metric).name
    }
}

/// One scenario × before/after comparison of DKI's daily counts.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectabilityRecord {
    pub scenario: String,
    pub comparison: Comparison,
    pub days_each_side: i64,
    pub effect_pct: Band,
    /// Minimum detectable effect (80% power): the median, 5th and 95th percentile over the
    /// replicates of each replicate's MDE at its σ and AR(1) ρ.
    pub mde_city_pct: [f64; 3],
    pub mde_site_pct: [f64; 3],
    /// The median effect reaches the median MDE.
    pub visible_city: bool,
    pub visible_site: bool,
    /// Expected power of the city-wide comparison: the chance a count would see it (mean
    /// over replicates of the two-sided 5% test's power).
    pub power_city: f64,
}

/// One scenario × calibration target: the baseline against an observation made before
/// the 2023 orders (`calibration.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationRecord {
    pub scenario: String,
    /// The target's provenance key (`calibration.dki_peak_share`, `inventory.dki.nox`, …).
    pub target: String,
    pub unit: String,
    /// The year the observation is for (0 when the row names none).
    pub year: i64,
    pub source: String,
    pub value: f64,
    /// What counts as inside.
    pub low: f64,
    pub high: f64,
    /// The model's value over the replicates.
    pub modelled: Band,
    /// The modelled median lies in [`low`, `high`].
    pub inside: bool,
}
