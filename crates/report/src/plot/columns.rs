//! The table columns and metric keys the charts read, declared once for the whole plot
//! layer (charts and their tests).
//!
//! Charts read four tables: `daily` (one column per metric and quantile, e.g.
//! `trips_avoided_p50`), `summary` (one row per metric × component, its totals in
//! `total_p05`…), `windows` (one row per scenario × policy × share window) and
//! `detectability` (one row per scenario × before/after comparison of DKI's daily count).
//! When the result schema renames or adds a metric, this file is the one place in `plot`
//! to change.

/// Key columns.
pub(crate) const SCENARIO: &str = "scenario";
pub(crate) const DATE: &str = "date";
pub(crate) const REGION_BASIS: &str = "region_basis";
pub(crate) const REGION: &str = "region";
pub(crate) const MODE: &str = "mode";
pub(crate) const METRIC: &str = "metric";
pub(crate) const COMPONENT: &str = "component";

/// The key value of a row summed over every region, basis or mode.
pub(crate) const ALL: &str = "all";

/// `windows` table columns.
pub(crate) const POLICY: &str = "policy";
pub(crate) const FROM: &str = "from";
pub(crate) const TO: &str = "to";
pub(crate) const SHARE: &str = "share";

/// `summary` table value columns.
pub(crate) const TOTAL: [&str; 3] = ["total_p05", "total_p50", "total_p95"];
pub(crate) const PCT_BASELINE_P50: &str = "pct_baseline_p50";
pub(crate) const PER_DAY_P50: &str = "per_day_p50";
/// Percent of the row's baseline, p05–p95 (for the DKI bases: of Dishub's counts or of
/// DKI's transport inventory over the same working days).
pub(crate) const PCT_BASELINE: [&str; 3] =
    ["pct_baseline_p05", PCT_BASELINE_P50, "pct_baseline_p95"];
/// Optional `summary` column: the scenario's title on every row.
pub(crate) const TITLE: &str = "title";

/// `summary` region bases of the road layer's DKI rows (their region is DKI).
pub(crate) const DKI_ROADS: &str = "dki_roads";
pub(crate) const DKI_ROADS_PEAK: &str = "dki_roads_peak";
pub(crate) const DKI_CORDON: &str = "dki_cordon";

/// `detectability` table columns.
pub(crate) const COMPARISON: &str = "comparison";
pub(crate) const DAYS_EACH_SIDE: &str = "days_each_side";
pub(crate) const EFFECT_PCT: [&str; 3] = ["effect_pct_p05", "effect_pct_p50", "effect_pct_p95"];
/// Minimum detectable effect, central σ then its low and high.
pub(crate) const MDE_CITY_PCT: [&str; 3] =
    ["mde_city_pct", "mde_city_pct_low", "mde_city_pct_high"];
pub(crate) const MDE_SITE_PCT: [&str; 3] =
    ["mde_site_pct", "mde_site_pct_low", "mde_site_pct_high"];
/// Boolean, or text `true`/`false` after a CSV round trip.
pub(crate) const VISIBLE_CITY: &str = "visible_city";
/// The comparisons of the `detectability` table, in display order.
pub(crate) const ONE_DAY: &str = "one_day";
pub(crate) const ONE_WEEK: &str = "one_week";
pub(crate) const WHOLE_WINDOW: &str = "whole_window";

/// Quantile suffixes of the `daily` metric columns, low to high (the result schema's).
pub(crate) const QUANTILES: [&str; 3] = [Q[0].suffix, Q[1].suffix, Q[2].suffix];
use wfhsim_core::results::schema::QUANTILES as Q;

/// A metric of the `daily` table: its columns are `{stem}_{quantile}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DailyMetric(pub &'static str);

impl DailyMetric {
    /// The p05, p50 and p95 column names.
    pub fn columns(self) -> [String; 3] {
        QUANTILES.map(|q| format!("{}_{q}", self.0))
    }
}

pub(crate) const TRIPS_AVOIDED: DailyMetric = DailyMetric("trips_avoided");
pub(crate) const CO2_AVOIDED_KG: DailyMetric = DailyMetric("co2_avoided_kg");
pub(crate) const PM25_AVOIDED_KG: DailyMetric = DailyMetric("pm25_avoided_kg");

/// Every `daily` metric a chart reads; the tests build their fixtures from it and check
/// that each chart's panels are listed.
#[cfg(test)]
pub(crate) const DAILY: [DailyMetric; 3] = [TRIPS_AVOIDED, CO2_AVOIDED_KG, PM25_AVOIDED_KG];

/// A row key of the `summary` table: metric and the component a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SummaryMetric {
    pub metric: &'static str,
    pub component: &'static str,
}

/// Components of the `summary` table the charts name. A chart asking for a metric's net
/// row falls back on its gross row when the metric has no rebound (and so no net row).
pub(crate) const GROSS: &str = "gross";
pub(crate) const NET: &str = "net";

const fn summary(metric: &'static str, component: &'static str) -> SummaryMetric {
    SummaryMetric { metric, component }
}

pub(crate) const TRIPS: SummaryMetric = summary("trips", GROSS);
pub(crate) const CO2_NET: SummaryMetric = summary("co2", NET);
pub(crate) const PM25_NET: SummaryMetric = summary("pm25", NET);
pub(crate) const NOX_NET: SummaryMetric = summary("nox", NET);
pub(crate) const CO_NET: SummaryMetric = summary("co", NET);
pub(crate) const PM10_NET: SummaryMetric = summary("pm10", NET);
pub(crate) const HC_NET: SummaryMetric = summary("hc", NET);
pub(crate) const SO2_NET: SummaryMetric = summary("so2", NET);
pub(crate) const VEHICLE_KM_NET: SummaryMetric = summary("vehicle_km", NET);
pub(crate) const PERSON_KM: SummaryMetric = summary("person_km", GROSS);
/// Road rows only: vehicles counted (a count-equivalent of vehicle-km).
pub(crate) const VEHICLES_NET: SummaryMetric = summary("vehicles", NET);

/// Every `summary` metric a chart reads; the tests build their fixtures from it and check
/// that each chart's panels are listed.
#[cfg(test)]
pub(crate) const SUMMARY: [SummaryMetric; 10] = [
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
    use wfhsim_core::results::schema::{self, Component, daily_column, daily_columns};

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

        use wfhsim_core::results::grid::Basis;
        use wfhsim_core::results::schema::{MetricId, metric};
        assert_eq!(metric(MetricId::VEHICLES).name, VEHICLES_NET.metric);
        assert_eq!(Basis::DkiRoads.as_str(), DKI_ROADS);
        assert_eq!(Basis::DkiRoadsPeak.as_str(), DKI_ROADS_PEAK);
        assert_eq!(Basis::DkiCordon.as_str(), DKI_CORDON);
        let pct: Vec<String> = schema::QUANTILES
            .iter()
            .map(|q| format!("pct_baseline_{}", q.suffix))
            .collect();
        assert_eq!(PCT_BASELINE.to_vec(), pct);
        use wfhsim_core::traffic::detect::Comparison;
        let comparisons: Vec<&str> = Comparison::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(comparisons, [ONE_DAY, ONE_WEEK, WHOLE_WINDOW]);
    }
}
