//! Records → the DataFrames the Parquet and CSV exporters write: the one place (with
//! [`super::read`], which reads them back) that knows the tables' column names, derived
//! from the result schema. The traffic table is built here straight from the results,
//! since only the Parquet exporter reads it.

use polars::prelude::*;

use super::{
    CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord, DetectabilityRecord,
    ReplicateDayRecord, RunView, SummaryRecord, WindowRecord, table,
};
use crate::export::{ExportError, RunInfo};
use wfhsim_core::results::quantile::Errors;
use wfhsim_core::results::replicate_daily;
use wfhsim_core::results::schema::{QUANTILES, daily_column, daily_columns};
use wfhsim_core::results::{Band, Results};

/// Key columns.
pub(super) const SCENARIO: &str = "scenario";
pub(super) const DATE: &str = "date";
pub(super) const REGION_BASIS: &str = "region_basis";
pub(super) const REGION: &str = "region";
pub(super) const MODE: &str = "mode";
pub(super) const BASELINE_TRIPS: &str = "baseline_trips";

/// `summary` columns.
pub(super) const TITLE: &str = "title";
pub(super) const REGION_NAME: &str = "region_name";
pub(super) const METRIC: &str = "metric";
pub(super) const COMPONENT: &str = "component";
pub(super) const UNIT: &str = "unit";
pub(super) const WINDOW_START: &str = "window_start";
pub(super) const WINDOW_END: &str = "window_end";
pub(super) const WINDOW_WORKING_DAYS: &str = "window_working_days";
pub(super) const TOTAL: &str = "total";
/// Suffix of a quantile column's Monte Carlo error (`total_p05_mc`).
pub(super) const MC: &str = "mc";
pub(super) const PER_DAY_P50: &str = "per_day_p50";
pub(super) const BASELINE_TOTAL_P50: &str = "baseline_total_p50";
pub(super) const PCT_BASELINE: &str = "pct_baseline";
pub(super) const PCT_BASELINE_DKI: &str = "pct_baseline_dki";

/// `windows` columns.
pub(super) const POLICY: &str = "policy";
pub(super) const FROM: &str = "from";
pub(super) const TO: &str = "to";
pub(super) const SHARE: &str = "share";

/// `comparisons` columns.
pub(super) const SCENARIO_A: &str = "scenario_a";
pub(super) const SCENARIO_B: &str = "scenario_b";
pub(super) const DIFFERENCE: &str = "difference";
pub(super) const DIFFERENCE_PER_DAY: &str = "difference_per_day";
pub(super) const P_A_GREATER: &str = "p_a_greater";
pub(super) const P_B_GREATER: &str = "p_b_greater";
pub(super) const REPLICATES: &str = "replicates";

/// The decomposition table's Parquet file, written only by runs with a bundle
/// (`decomposition.csv` beside it).
pub const DECOMPOSITION_FILE: &str = "decomposition.parquet";

/// `decomposition` columns.
pub(super) const PART: &str = "part";
pub(super) const CONTRIBUTION: &str = "contribution";

/// `replicates` columns.
pub(super) const REPLICATE: &str = "replicate";

/// The file of each replicate's whole-area daily values.
pub(super) const REPLICATES_DAILY_FILE: &str = "replicates_daily.parquet";

/// `replicates_daily` value columns, named as the daily table names them
/// (`trips_avoided`, `co2_avoided_kg`, `pm25_avoided_kg`), in the order of the core's
/// [`replicate_daily::MEASURES`].
pub(super) fn replicate_daily_columns() -> [String; replicate_daily::MEASURES.len()] {
    replicate_daily::MEASURES.map(|(m, c)| daily_column(m, c))
}

/// `detectability` columns.
pub(super) const COMPARISON: &str = "comparison";
pub(super) const DAYS_EACH_SIDE: &str = "days_each_side";
pub(super) const EFFECT_PCT: &str = "effect_pct";
/// Minimum detectable effect, central σ then its low and high.
pub(super) const MDE_CITY_PCT: [&str; 3] =
    ["mde_city_pct", "mde_city_pct_low", "mde_city_pct_high"];
pub(super) const MDE_SITE_PCT: [&str; 3] =
    ["mde_site_pct", "mde_site_pct_low", "mde_site_pct_high"];
pub(super) const VISIBLE_CITY: &str = "visible_city";
pub(super) const VISIBLE_SITE: &str = "visible_site";
pub(super) const POWER_CITY: &str = "power_city";

/// The calibration table's Parquet file (the CSV beside it is `calibration.csv`).
pub const CALIBRATION_FILE: &str = "calibration.parquet";

/// `calibration` columns.
pub(super) const TARGET: &str = "target";
pub(super) const YEAR: &str = "year";
pub(super) const SOURCE: &str = "source";
pub(super) const TARGET_VALUE: &str = "target_value";
pub(super) const TARGET_LOW: &str = "target_low";
pub(super) const TARGET_HIGH: &str = "target_high";
pub(super) const MODELLED: &str = "modelled";
pub(super) const INSIDE: &str = "inside";

/// The column of a band's quantile: `{prefix}_p05`, `{prefix}_p50`, …
pub(super) fn band_column(prefix: &str, quantile: usize) -> String {
    format!("{prefix}_{}", QUANTILES[quantile].suffix)
}

/// The tables a [`RunView`] is written as (traffic is the view's own).
#[derive(Clone)]
pub struct Frames {
    pub daily: DataFrame,
    pub summary: DataFrame,
    pub windows: DataFrame,
    pub detectability: DataFrame,
    pub comparisons: DataFrame,
    /// Parquet only, like `replicates`.
    pub replicates_daily: DataFrame,
    pub calibration: DataFrame,
    /// Written only when the run has a bundle.
    pub decomposition: DataFrame,
}

impl Frames {
    pub(super) fn new(view: &RunView) -> Result<Frames, ExportError> {
        Ok(Frames {
            daily: daily(&view.daily).map_err(table("daily table"))?,
            summary: summary(&view.summary).map_err(table("summary table"))?,
            windows: windows(&view.windows).map_err(table("windows table"))?,
            detectability: detectability(&view.detectability)
                .map_err(table("detectability table"))?,
            comparisons: comparisons(&view.comparisons).map_err(table("comparisons table"))?,
            decomposition: decomposition(&view.decomposition)
                .map_err(table("decomposition table"))?,
            replicates_daily: replicates_daily(&view.replicates_daily)
                .map_err(table("replicates_daily table"))?,
            calibration: calibration(&view.calibration).map_err(table("calibration table"))?,
        })
    }
}

fn text(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}

fn num(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}

fn strings<T>(rows: &[T], f: impl Fn(&T) -> String) -> Vec<String> {
    rows.iter().map(f).collect()
}

/// A text column of borrowed cells: no copy of each record's text before polars makes
/// its own.
fn texts<'a, T>(name: &str, rows: &'a [T], f: impl Fn(&'a T) -> &'a str) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
}

fn numbers<T>(rows: &[T], f: impl Fn(&T) -> f64) -> Vec<f64> {
    rows.iter().map(f).collect()
}

/// One column per quantile level: `{prefix}_p05`, `{prefix}_p50`, …
fn band_columns<T>(prefix: &str, rows: &[T], band: impl Fn(&T) -> Band) -> Vec<Column> {
    (0..QUANTILES.len())
        .map(|j| num(&band_column(prefix, j), numbers(rows, |r| band(r).0[j])))
        .collect()
}

/// The quantile columns of several bands per row (`prefixes[k]` names the row's `k`th
/// band), read in one pass over the rows: a pass per column would walk every row's
/// heap-allocated bands once per quantile.
fn band_table<T>(prefixes: &[String], rows: &[T], bands: impl Fn(&T) -> &[Band]) -> Vec<Column> {
    let q = QUANTILES.len();
    let mut values: Vec<Vec<f64>> = (0..prefixes.len() * q)
        .map(|_| Vec::with_capacity(rows.len()))
        .collect();
    for r in rows {
        for (k, b) in bands(r).iter().enumerate() {
            for (j, v) in b.0.iter().enumerate() {
                values[k * q + j].push(*v);
            }
        }
    }
    let names = prefixes
        .iter()
        .flat_map(|p| (0..q).map(move |j| band_column(p, j)));
    names.zip(values).map(|(n, v)| num(&n, v)).collect()
}

/// Nullable quantile columns: null where a row has no band (the reader's
/// `read::opt_bands` takes them back).
fn optional_band_columns<T>(
    prefix: &str,
    rows: &[T],
    band: impl Fn(&T) -> Option<Band>,
) -> Vec<Column> {
    (0..QUANTILES.len())
        .map(|j| {
            let v: Vec<Option<f64>> = rows.iter().map(|r| band(r).map(|b| b.0[j])).collect();
            Column::new(band_column(prefix, j).into(), v)
        })
        .collect()
}

/// The name of the Monte Carlo error column of quantile `j` of `prefix`'s band.
pub(super) fn error_column(prefix: &str, j: usize) -> String {
    format!("{}_{MC}", band_column(prefix, j))
}

/// Nullable Monte Carlo error columns: null where the replicates cannot bound a quantile
/// (the reader's `read::errors` takes them back).
fn error_columns<T>(prefix: &str, rows: &[T], errors: impl Fn(&T) -> Errors) -> Vec<Column> {
    (0..QUANTILES.len())
        .map(|j| {
            let v: Vec<Option<f64>> = rows.iter().map(|r| errors(r)[j]).collect();
            Column::new(error_column(prefix, j).into(), v)
        })
        .collect()
}

fn dates(name: &str, days: Vec<i32>) -> PolarsResult<Column> {
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// One row per scenario × working day × region basis × region × mode. Dates are
/// Parquet/Arrow dates.
pub(super) fn daily(rows: &[DailyRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        dates(DATE, rows.iter().map(|r| r.date.0).collect())?,
        texts(REGION_BASIS, rows, |r| r.basis.as_str()),
        texts(REGION, rows, |r| &r.region),
        texts(MODE, rows, |r| &r.mode),
        num(BASELINE_TRIPS, numbers(rows, |r| r.baseline_trips)),
    ];
    let prefixes: Vec<String> = daily_columns()
        .into_iter()
        .map(|(m, c)| daily_column(m, c))
        .collect();
    cols.extend(band_table(&prefixes, rows, |r| &r.values));
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × region basis × region × metric × component: totals over the
/// policy window, per policy day, and percent of the baseline.
pub(super) fn summary(rows: &[SummaryRecord]) -> PolarsResult<DataFrame> {
    let window = |r: &SummaryRecord, end: bool| {
        r.window
            .map_or(String::new(), |(a, b)| if end { b } else { a }.to_string())
    };
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        texts(TITLE, rows, |r| &r.title),
        texts(REGION_BASIS, rows, |r| r.basis.as_str()),
        texts(REGION, rows, |r| &r.region),
        texts(REGION_NAME, rows, |r| &r.region_name),
        texts(METRIC, rows, |r| r.metric_name()),
        texts(COMPONENT, rows, |r| r.component.as_str()),
        texts(UNIT, rows, |r| r.unit()),
        text(WINDOW_START, strings(rows, |r| window(r, false))),
        text(WINDOW_END, strings(rows, |r| window(r, true))),
        Column::new(
            WINDOW_WORKING_DAYS.into(),
            rows.iter()
                .map(|r| r.window_working_days)
                .collect::<Vec<i64>>(),
        ),
    ];
    cols.extend(band_columns(TOTAL, rows, |r| r.total));
    cols.extend(error_columns(TOTAL, rows, |r| r.total_error));
    cols.push(num(PER_DAY_P50, numbers(rows, |r| r.per_day_p50)));
    cols.push(num(
        BASELINE_TOTAL_P50,
        numbers(rows, |r| r.baseline_total_p50),
    ));
    cols.extend(band_columns(PCT_BASELINE, rows, |r| r.pct_baseline));
    cols.extend(optional_band_columns(PCT_BASELINE_DKI, rows, |r| {
        r.pct_baseline_dki
    }));
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × policy × share window; dates as `YYYY-MM-DD` text.
pub(super) fn windows(rows: &[WindowRecord]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        rows.len(),
        vec![
            texts(SCENARIO, rows, |r| &r.scenario),
            texts(POLICY, rows, |r| &r.policy),
            text(FROM, strings(rows, |r| r.from.to_string())),
            text(TO, strings(rows, |r| r.to.to_string())),
            num(SHARE, numbers(rows, |r| r.share)),
        ],
    )
}

/// One row per pair of scenarios × summary row without a region: A − B replicate by
/// replicate.
pub(super) fn comparisons(rows: &[ComparisonRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO_A, rows, |r| &r.scenario_a),
        texts(SCENARIO_B, rows, |r| &r.scenario_b),
        texts(REGION_BASIS, rows, |r| r.basis.as_str()),
        texts(REGION, rows, |r| &r.region),
        texts(METRIC, rows, |r| r.metric_name()),
        texts(COMPONENT, rows, |r| r.component.as_str()),
        texts(UNIT, rows, |r| r.unit()),
    ];
    cols.extend(band_columns(DIFFERENCE, rows, |r| r.difference));
    cols.extend(optional_band_columns(DIFFERENCE_PER_DAY, rows, |r| {
        r.difference_per_day
    }));
    cols.push(num(P_A_GREATER, numbers(rows, |r| r.p_a_greater)));
    cols.push(num(P_B_GREATER, numbers(rows, |r| r.p_b_greater)));
    cols.push(Column::new(
        REPLICATES.into(),
        rows.iter().map(|r| r.replicates).collect::<Vec<i64>>(),
    ));
    DataFrame::new(rows.len(), cols)
}

/// One row per bundle × part × summary row without a region: the band of the part's
/// contribution.
pub(super) fn decomposition(rows: &[DecompositionRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        texts(PART, rows, |r| &r.part),
        texts(REGION_BASIS, rows, |r| r.basis.as_str()),
        texts(REGION, rows, |r| &r.region),
        texts(METRIC, rows, |r| r.metric_name()),
        texts(COMPONENT, rows, |r| r.component.as_str()),
        texts(UNIT, rows, |r| r.unit()),
    ];
    cols.extend(band_columns(CONTRIBUTION, rows, |r| r.contribution));
    cols.push(Column::new(
        REPLICATES.into(),
        rows.iter().map(|r| r.replicates).collect::<Vec<i64>>(),
    ));
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × replicate × summary row: the replicate's own total (the
/// summary's bands are quantiles of these).
pub(super) fn replicates(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = results
        .scenarios
        .iter()
        .flat_map(|s| {
            s.replicate_totals
                .iter()
                .enumerate()
                .flat_map(move |(k, totals)| {
                    s.summary
                        .iter()
                        .zip(totals)
                        .map(move |(r, &t)| (s, k, r, t))
                })
        })
        .collect();
    let region = |r: &wfhsim_core::results::SummaryRow| match r.region {
        Some(i) => info.regions[i].code.as_str(),
        None if r.basis.is_dki_aggregate() => super::records::DKI,
        None => super::ALL,
    };
    DataFrame::new(
        rows.len(),
        vec![
            texts(SCENARIO, &rows, |(s, ..)| &s.scenario.name),
            Column::new(
                REPLICATE.into(),
                rows.iter()
                    .map(|(_, k, ..)| *k as i64)
                    .collect::<Vec<i64>>(),
            ),
            texts(REGION_BASIS, &rows, |(_, _, r, _)| r.basis.as_str()),
            texts(REGION, &rows, |(_, _, r, _)| region(r)),
            texts(METRIC, &rows, |(_, _, r, _)| {
                wfhsim_core::results::schema::metric(r.metric).name
            }),
            texts(COMPONENT, &rows, |(_, _, r, _)| r.component.as_str()),
            num(TOTAL, numbers(&rows, |(.., t)| *t)),
        ],
    )
}

/// One row per scenario × replicate × working day: the whole area's values of the core's
/// [`replicate_daily::MEASURES`] in that replicate alone (the daily table's bands are
/// per-day quantiles of these).
pub(super) fn replicates_daily(rows: &[ReplicateDayRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        Column::new(
            REPLICATE.into(),
            rows.iter().map(|r| r.replicate).collect::<Vec<i64>>(),
        ),
        dates(DATE, rows.iter().map(|r| r.date.0).collect())?,
    ];
    for (k, name) in replicate_daily_columns().iter().enumerate() {
        cols.push(num(name, numbers(rows, |r| r.values[k])));
    }
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × comparison: would DKI's traffic counts see the order?
pub(super) fn detectability(rows: &[DetectabilityRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        texts(COMPARISON, rows, |r| r.comparison.as_str()),
        Column::new(
            DAYS_EACH_SIDE.into(),
            rows.iter().map(|r| r.days_each_side).collect::<Vec<i64>>(),
        ),
    ];
    cols.extend(band_columns(EFFECT_PCT, rows, |r| r.effect_pct));
    for (j, name) in MDE_CITY_PCT.iter().enumerate() {
        cols.push(num(name, numbers(rows, |r| r.mde_city_pct[j])));
    }
    for (j, name) in MDE_SITE_PCT.iter().enumerate() {
        cols.push(num(name, numbers(rows, |r| r.mde_site_pct[j])));
    }
    let flags = |f: fn(&DetectabilityRecord) -> bool| rows.iter().map(f).collect::<Vec<bool>>();
    cols.extend([
        Column::new(VISIBLE_CITY.into(), flags(|r| r.visible_city)),
        Column::new(VISIBLE_SITE.into(), flags(|r| r.visible_site)),
        num(POWER_CITY, numbers(rows, |r| r.power_city)),
    ]);
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × calibration target: the target, its range and source, the
/// modelled band and whether its median is inside.
pub(super) fn calibration(rows: &[CalibrationRecord]) -> PolarsResult<DataFrame> {
    let mut cols = vec![
        texts(SCENARIO, rows, |r| &r.scenario),
        texts(TARGET, rows, |r| &r.target),
        texts(UNIT, rows, |r| &r.unit),
        Column::new(
            YEAR.into(),
            rows.iter().map(|r| r.year).collect::<Vec<i64>>(),
        ),
        texts(SOURCE, rows, |r| &r.source),
        num(TARGET_VALUE, numbers(rows, |r| r.value)),
        num(TARGET_LOW, numbers(rows, |r| r.low)),
        num(TARGET_HIGH, numbers(rows, |r| r.high)),
    ];
    cols.extend(band_columns(MODELLED, rows, |r| r.modelled));
    cols.push(Column::new(
        INSIDE.into(),
        rows.iter().map(|r| r.inside).collect::<Vec<bool>>(),
    ));
    DataFrame::new(rows.len(), cols)
}

/// One row per scenario × working day × region × vehicle class × period: all traffic on
/// the region's roads (baseline and scenario vehicle-km, speed) and what the scenario
/// avoids there by component. Medians unless a band.
pub(super) fn traffic(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    use wfhsim_core::data::{POLLUTANTS, VehicleClass};
    use wfhsim_core::traffic::PERIODS;
    let rows: Vec<_> = results
        .scenarios
        .iter()
        .flat_map(|s| s.roads.rows.iter().map(move |r| (s, r)))
        .collect();
    let mut cols = vec![
        texts(SCENARIO, &rows, |(s, _)| &s.scenario.name),
        dates(DATE, rows.iter().map(|(_, r)| r.date.0).collect())?,
        text(
            REGION,
            strings(&rows, |(_, r)| info.regions[r.region].code.clone()),
        ),
        text(
            "vehicle_class",
            strings(&rows, |(_, r)| VehicleClass::ALL[r.class].as_str().into()),
        ),
        text("period", strings(&rows, |(_, r)| PERIODS[r.period].into())),
        num(
            "baseline_vehicles",
            numbers(&rows, |(_, r)| r.baseline_vehicles),
        ),
    ];
    cols.extend(band_columns("vehicles", &rows, |(_, r)| r.vehicles));
    cols.push(num(
        "baseline_vehicle_km",
        numbers(&rows, |(_, r)| r.baseline_vkm),
    ));
    cols.extend(band_columns("vehicle_km", &rows, |(_, r)| r.vkm));
    cols.push(num(
        "vehicle_km_gross_p50",
        numbers(&rows, |(_, r)| r.gross_vkm),
    ));
    cols.push(num(
        "vehicle_km_rebound_p50",
        numbers(&rows, |(_, r)| r.rebound_vkm),
    ));
    cols.push(num(
        "vehicle_km_induced_p50",
        numbers(&rows, |(_, r)| r.induced_vkm),
    ));
    cols.push(num(
        "baseline_speed_kmh",
        numbers(&rows, |(_, r)| r.baseline_speed),
    ));
    cols.extend(band_columns("speed_kmh", &rows, |(_, r)| r.speed));
    cols.push(num(
        "vehicle_hours_congestion_p50",
        numbers(&rows, |(_, r)| r.congestion_vh),
    ));
    cols.push(num(
        "vehicle_hours_induced_p50",
        numbers(&rows, |(_, r)| r.induced_vh),
    ));
    for (p, name) in POLLUTANTS.iter().enumerate() {
        for (j, c) in ["gross", "rebound", "congestion", "induced", "net"]
            .iter()
            .enumerate()
        {
            cols.push(num(
                &format!("{name}_{c}_kg_p50"),
                numbers(&rows, |(_, r)| r.kg[p][j]),
            ));
        }
    }
    DataFrame::new(rows.len(), cols)
}
