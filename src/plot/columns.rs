//! The table columns and metric keys the charts read, declared once for the whole plot
//! layer (charts and their tests).
//!
//! Charts read three tables: `daily` (one column per metric and quantile, e.g.
//! `trips_avoided_p50`), `summary` (one row per metric × component, its totals in
//! `total_p05`…) and `windows` (one row per scenario × policy × share window). When the
//! result schema renames or adds a metric, this file is the one place in `plot` to change.

/// Key columns.
pub(super) const SCENARIO: &str = "scenario";
pub(super) const DATE: &str = "date";
pub(super) const REGION_BASIS: &str = "region_basis";
pub(super) const REGION: &str = "region";
pub(super) const MODE: &str = "mode";
pub(super) const METRIC: &str = "metric";
pub(super) const COMPONENT: &str = "component";

/// The key value of a row summed over every region, basis or mode.
pub(super) const ALL: &str = "all";

/// `windows` table columns.
pub(super) const POLICY: &str = "policy";
pub(super) const FROM: &str = "from";
pub(super) const TO: &str = "to";
pub(super) const SHARE: &str = "share";

/// `summary` table value columns.
pub(super) const TOTAL: [&str; 3] = ["total_p05", "total_p50", "total_p95"];
pub(super) const PCT_BASELINE_P50: &str = "pct_baseline_p50";
pub(super) const PER_DAY_P50: &str = "per_day_p50";

/// Quantile suffixes of the `daily` metric columns, low to high (the result schema's).
pub(super) const QUANTILES: [&str; 3] = [Q[0].suffix, Q[1].suffix, Q[2].suffix];
use crate::results::schema::QUANTILES as Q;

/// A metric of the `daily` table: its columns are `{stem}_{quantile}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DailyMetric(pub &'static str);

impl DailyMetric {
    /// The p05, p50 and p95 column names.
    pub fn columns(self) -> [String; 3] {
        QUANTILES.map(|q| format!("{}_{q}", self.0))
    }
}

pub(super) const TRIPS_AVOIDED: DailyMetric = DailyMetric("trips_avoided");
pub(super) const CO2_AVOIDED_KG: DailyMetric = DailyMetric("co2_avoided_kg");
pub(super) const PM25_AVOIDED_KG: DailyMetric = DailyMetric("pm25_avoided_kg");

/// Every `daily` metric a chart reads; the tests build their fixtures from it and check
/// that each chart's panels are listed.
#[cfg(test)]
pub(super) const DAILY: [DailyMetric; 3] = [TRIPS_AVOIDED, CO2_AVOIDED_KG, PM25_AVOIDED_KG];

/// A row key of the `summary` table: metric and the component a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SummaryMetric {
    pub metric: &'static str,
    pub component: &'static str,
}

/// Components of the `summary` table the charts name. A chart asking for a metric's net
/// row falls back on its gross row when the metric has no rebound (and so no net row).
pub(super) const GROSS: &str = "gross";
pub(super) const NET: &str = "net";

const fn summary(metric: &'static str, component: &'static str) -> SummaryMetric {
    SummaryMetric { metric, component }
}

pub(super) const TRIPS: SummaryMetric = summary("trips", GROSS);
pub(super) const CO2_NET: SummaryMetric = summary("co2", NET);
pub(super) const PM25_NET: SummaryMetric = summary("pm25", NET);
pub(super) const NOX_NET: SummaryMetric = summary("nox", NET);
pub(super) const CO_NET: SummaryMetric = summary("co", NET);
pub(super) const PM10_NET: SummaryMetric = summary("pm10", NET);
pub(super) const HC_NET: SummaryMetric = summary("hc", NET);
pub(super) const SO2_NET: SummaryMetric = summary("so2", NET);
pub(super) const VEHICLE_KM_NET: SummaryMetric = summary("vehicle_km", NET);
pub(super) const PERSON_KM: SummaryMetric = summary("person_km", GROSS);

/// Every `summary` metric a chart reads; the tests build their fixtures from it and check
/// that each chart's panels are listed.
#[cfg(test)]
pub(super) const SUMMARY: [SummaryMetric; 10] = [
    TRIPS,
    CO2_NET,
    PM25_NET,
    NOX_NET,
    CO_NET,
    PM10_NET,
    HC_NET,
    SO2_NET,
    VEHICLE_KM_NET,
    PERSON_KM,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::schema::{self, Component, daily_column, daily_columns};

    /// The charts' column names are the result schema's: a renamed metric fails here.
    #[test]
    fn chart_columns_are_the_result_schemas() {
        let daily: Vec<String> = daily_columns()
            .into_iter()
            .map(|(m, c)| daily_column(m, c))
            .collect();
        for m in DAILY {
            assert!(daily.contains(&m.0.to_string()), "{}", m.0);
        }
        let metrics: Vec<&str> = schema::metrics().map(|(_, m)| m.name).collect();
        let components: Vec<&str> = Component::ALL.iter().map(|c| c.as_str()).collect();
        for m in SUMMARY {
            assert!(metrics.contains(&m.metric), "{}", m.metric);
            assert!(components.contains(&m.component), "{}", m.component);
        }
        let totals: Vec<String> = schema::QUANTILES
            .iter()
            .map(|q| format!("total_{}", q.suffix))
            .collect();
        assert_eq!(TOTAL.to_vec(), totals);
    }
}
