//! The summary records the briefing reads, found by their key (scenario,
//! region basis, region, metric, component), and the detectability records' verdicts.

use std::collections::BTreeMap;

use crate::plot::columns as col;
use crate::view::{ALL, DailyRecord, DetectabilityRecord, SummaryRecord};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::schema::{Component, MetricId};

/// The values of one summary row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub working_days: f64,
    /// Totals over the window, p05, p50, p95.
    pub total: [f64; 3],
    pub per_day_p50: f64,
    /// Percent of the row's baseline, p05, p50, p95.
    pub pct: [f64; 3],
}

impl Row {
    /// Per working day of the window: p05, p50, p95 (the p50 is the table's own).
    pub fn per_day(&self) -> [f64; 3] {
        let d = self.working_days.max(1.0);
        [self.total[0] / d, self.per_day_p50, self.total[2] / d]
    }
}

type Key = (String, String, String, String, String);

pub struct Summary {
    rows: BTreeMap<Key, Row>,
}

impl Summary {
    pub fn read(records: &[SummaryRecord]) -> Summary {
        let rows = records
            .iter()
            .map(|r| {
                let key = (
                    r.scenario.clone(),
                    r.basis.as_str().to_string(),
                    r.region.clone(),
                    r.metric_name().to_string(),
                    r.component.as_str().to_string(),
                );
                let row = Row {
                    working_days: r.window_working_days as f64,
                    total: r.total.0,
                    per_day_p50: r.per_day_p50,
                    pct: r.pct_baseline.0,
                };
                (key, row)
            })
            .collect();
        Summary { rows }
    }

    /// The row, if the run has it.
    pub fn get(
        &self,
        scenario: &str,
        basis: &str,
        region: &str,
        m: col::SummaryMetric,
    ) -> Option<Row> {
        let key = |component: &str| {
            (
                scenario.to_string(),
                basis.to_string(),
                region.to_string(),
                m.metric.to_string(),
                component.to_string(),
            )
        };
        // A metric without rebound has no net row: its gross row is the net (as charts do).
        self.rows.get(&key(m.component)).copied().or_else(|| {
            (m.component == col::NET)
                .then(|| self.rows.get(&key(col::GROSS)).copied())
                .flatten()
        })
    }

    /// The whole-area row of a metric.
    pub fn all(&self, scenario: &str, m: col::SummaryMetric) -> Option<Row> {
        self.get(scenario, col::ALL, col::ALL, m)
    }

    /// The DKI row of a road-layer basis (`dki_roads`, `dki_cordon`, …).
    pub fn dki(&self, scenario: &str, basis: &str, m: col::SummaryMetric) -> Option<Row> {
        self.rows
            .iter()
            .find(|((s, b, _, me, c), _)| {
                s == scenario && b == basis && me == m.metric && c == m.component
            })
            .map(|(_, r)| *r)
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
        .filter(|r| r.basis == Basis::All && r.region == ALL && r.mode == ALL)
        .map(|r| {
            let trips = r.value(MetricId::TRIPS, Component::Gross);
            let band = trips.map_or([f64::NAN; 3], |b| b.0);
            ((r.scenario.clone(), r.date.to_string()), band)
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
        });
    }
    out
}
