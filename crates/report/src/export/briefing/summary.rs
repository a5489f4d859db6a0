//! The summary records the briefing reads, found by their key (scenario,
//! region basis, region, metric, component), and the detectability records' verdicts.

use std::collections::BTreeMap;

use crate::plot::measures::{Measure, SummaryIndex, TRIPS, whole_area};
use crate::view::records::DKI;
use crate::view::{ALL, ComparisonRecord, DailyRecord, DetectabilityRecord, SummaryRecord};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;

/// The values of one summary row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub working_days: f64,
    /// Totals over the window, p05, p50, p95.
    pub total: [f64; 3],
    pub per_day_p50: f64,
    /// Percent of the row's baseline, p05, p50, p95.
    pub pct: [f64; 3],
    /// The Monte Carlo error of each quantile of `total` (none: unbounded).
    pub error: [Option<f64>; 3],
}

impl Row {
    /// Per working day of the window: p05, p50, p95 (the p50 is the table's own).
    pub fn per_day(&self) -> [f64; 3] {
        let d = self.working_days.max(1.0);
        [self.total[0] / d, self.per_day_p50, self.total[2] / d]
    }
}

/// The run's summary records, found by key.
pub struct Summary<'a> {
    index: SummaryIndex<'a>,
}

impl<'a> Summary<'a> {
    pub fn read(records: &'a [SummaryRecord]) -> Summary<'a> {
        Summary {
            index: SummaryIndex::new(records),
        }
    }

    /// The row, if the run has it (a net measure of a metric without rebound: its gross
    /// row, as the charts do).
    pub fn get(&self, scenario: &str, basis: Basis, region: &str, m: Measure) -> Option<Row> {
        self.index.get(scenario, basis, region, m).map(row)
    }

    /// The whole-area row of a measure.
    pub fn all(&self, scenario: &str, m: Measure) -> Option<Row> {
        self.get(scenario, Basis::All, ALL, m)
    }

    /// The DKI row of a road-layer basis (`dki_roads`, `dki_cordon`, …).
    pub fn dki(&self, scenario: &str, basis: Basis, m: Measure) -> Option<Row> {
        self.get(scenario, basis, DKI, m)
    }
}

fn row(r: &SummaryRecord) -> Row {
    Row {
        working_days: r.window_working_days as f64,
        total: r.total.0,
        per_day_p50: r.per_day_p50,
        pct: r.pct_baseline.0,
        error: r.total_error,
    }
}

/// Trips avoided (p05, p50, p95) on `days` (YYYY-MM-DD), whole area and every mode, by
/// scenario and date, from the `daily` records.
pub fn trips_on_days(
    daily: &[DailyRecord],
    days: &[String],
) -> BTreeMap<(String, String), [f64; 3]> {
    let wanted: Vec<Date> = days.iter().filter_map(|d| Date::parse(d)).collect();
    daily
        .iter()
        .filter(|r| wanted.contains(&r.date))
        .filter(|r| whole_area(r))
        .map(|r| {
            let trips = TRIPS.on_day(r);
            let band = trips.map_or([f64::NAN; 3], |b| b.0);
            ((r.scenario.to_string(), r.date.to_string()), band)
        })
        .collect()
}

/// A scenario's whole-area trips avoided over its window against the lead scenario's,
/// replicate by replicate (`comparisons.parquet`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    /// This scenario's total minus the lead's: p05, p50, p95.
    pub difference: [f64; 3],
    /// Shares of replicates in which this scenario avoids more, and fewer.
    pub more: f64,
    pub fewer: f64,
}

/// Every other scenario's [`Paired`] against `lead`, by scenario name.
pub fn paired_trips(records: &[ComparisonRecord], lead: &str) -> BTreeMap<String, Paired> {
    let trips = |r: &&ComparisonRecord| {
        r.basis == Basis::All && (r.metric, r.component) == (TRIPS.metric, TRIPS.component)
    };
    records
        .iter()
        .filter(trips)
        .filter_map(|r| {
            let [lo, mid, hi] = r.difference.0;
            if &*r.scenario_a == lead {
                let p = Paired {
                    difference: [-hi, -mid, -lo],
                    more: r.p_b_greater,
                    fewer: r.p_a_greater,
                };
                Some((r.scenario_b.to_string(), p))
            } else if &*r.scenario_b == lead {
                let p = Paired {
                    difference: [lo, mid, hi],
                    more: r.p_a_greater,
                    fewer: r.p_b_greater,
                };
                Some((r.scenario_a.to_string(), p))
            } else {
                None
            }
        })
        .collect()
}

/// One detectability record, as the briefing shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Detect {
    pub comparison: String,
    pub days_each_side: f64,
    /// Median effect on DKI's daily count, percent.
    pub effect_pct_p50: f64,
    /// City-wide minimum detectable effect, percent (central).
    pub mde_city_pct: f64,
    pub visible_city: bool,
    /// Expected power of the city-wide comparison (a fraction).
    pub power_city: f64,
}

/// The detectability rows of each scenario, in table order.
pub fn detectability(records: &[DetectabilityRecord]) -> BTreeMap<String, Vec<Detect>> {
    let mut out: BTreeMap<String, Vec<Detect>> = BTreeMap::new();
    for r in records {
        out.entry(r.scenario.clone()).or_default().push(Detect {
            comparison: r.comparison.as_str().to_string(),
            days_each_side: r.days_each_side as f64,
            effect_pct_p50: r.effect_pct.median(),
            mde_city_pct: r.mde_city_pct[0],
            visible_city: r.visible_city,
            power_city: r.power_city,
        });
    }
    out
}
