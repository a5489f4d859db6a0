//! DataFrames read from a run folder → records: the inverse of [`super::frames`], by the
//! same column names. A missing column, a cell of the wrong type or a key the result
//! schema does not know fails as a polars error naming the column.

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::frames::*;
use super::{
    CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord, DetectabilityRecord,
    ReplicateDayRecord, ReplicateRecord, SummaryRecord, WindowRecord,
};
use wfhsim_core::calendar::Date;
use wfhsim_core::results::grid::Basis;
use wfhsim_core::results::quantile::Errors;
use wfhsim_core::results::schema::{self, Band, Component, MetricId, QUANTILES};
use wfhsim_core::traffic::detect::Comparison;

pub fn read_parquet(path: &Path) -> PolarsResult<DataFrame> {
    ParquetReader::new(std::fs::File::open(path)?).finish()
}

pub fn read_csv(path: &Path) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))?
        .finish()
}

/// A CSV table the run wrote, its text cells unguarded (they were guarded against
/// spreadsheet formulas when written: [`crate::export::csv_cells`]).
pub fn read_guarded_csv(path: &Path) -> PolarsResult<DataFrame> {
    read_csv(path).and_then(|df| crate::export::csv_cells::unguard_frame(&df))
}

fn bad(column: &str, value: &str, what: &str) -> PolarsError {
    PolarsError::ComputeError(format!("column `{column}`: '{value}' is not {what}").into())
}

/// Text column; nulls become "".
pub(crate) fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect())
}

/// Text column whose values repeat (a key): equal neighbours share one allocation.
fn shared(df: &DataFrame, name: &str) -> PolarsResult<Vec<Arc<str>>> {
    let mut last: Option<Arc<str>> = None;
    let mut out = Vec::with_capacity(df.height());
    for v in df.column(name)?.str()?.iter() {
        let v = v.unwrap_or_default();
        let cell = match &last {
            Some(l) if **l == *v => l.clone(),
            _ => Arc::from(v),
        };
        last = Some(cell.clone());
        out.push(cell);
    }
    Ok(out)
}

/// Numeric column as f64; nulls become NaN.
fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    Ok(opt_f64s(df, name)?
        .into_iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

pub(crate) fn opt_f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let col = df.column(name)?.cast(&DataType::Float64)?;
    Ok(col.f64()?.iter().collect())
}

pub(crate) fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    let col = df.column(name)?.cast(&DataType::Int64)?;
    Ok(col.i64()?.iter().map(|v| v.unwrap_or_default()).collect())
}

pub(crate) fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(df
        .column(name)?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or_default())
        .collect())
}

/// A date column (days since 1970-01-01); a null fails.
pub(crate) fn days(df: &DataFrame, name: &str) -> PolarsResult<Vec<Date>> {
    let col = df.column(name)?.cast(&DataType::Int32)?;
    col.i32()?
        .iter()
        .map(|v| v.map(Date).ok_or_else(|| bad(name, "null", "a date")))
        .collect()
}

/// A text column of `YYYY-MM-DD` dates.
fn text_dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Date>> {
    strs(df, name)?
        .iter()
        .map(|s| Date::parse(s).ok_or_else(|| bad(name, s, "a date")))
        .collect()
}

/// The bands of the columns `{prefix}_p05`, `{prefix}_p50`, …
fn bands(df: &DataFrame, prefix: &str) -> PolarsResult<Vec<Band>> {
    let q: Vec<Vec<f64>> = (0..QUANTILES.len())
        .map(|j| f64s(df, &band_column(prefix, j)))
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|i| Band(std::array::from_fn(|j| q[j][i])))
        .collect())
}

/// A key column parsed into the schema's type: the key whose name the text is.
fn keys<T: Copy>(
    df: &DataFrame,
    name: &str,
    all: impl IntoIterator<Item = T> + Clone,
    as_str: impl Fn(T) -> &'static str,
) -> PolarsResult<Vec<T>> {
    strs(df, name)?
        .iter()
        .map(|s| {
            all.clone()
                .into_iter()
                .find(|k| as_str(*k) == s)
                .ok_or_else(|| bad(name, s, "a known key"))
        })
        .collect()
}

fn bases(df: &DataFrame) -> PolarsResult<Vec<Basis>> {
    keys(df, REGION_BASIS, Basis::ALL, Basis::as_str)
}

pub(super) fn daily(df: &DataFrame) -> PolarsResult<Vec<DailyRecord>> {
    let [scenario, region, mode] = [SCENARIO, REGION, MODE].map(|c| shared(df, c));
    let (scenario, region, mode) = (scenario?, region?, mode?);
    let (date, basis, base) = (days(df, DATE)?, bases(df)?, f64s(df, BASELINE_TRIPS)?);
    let values: Vec<Vec<Band>> = schema::daily_columns()
        .into_iter()
        .map(|(m, c)| bands(df, &schema::daily_column(m, c)))
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|i| DailyRecord {
            scenario: scenario[i].clone(),
            date: date[i],
            basis: basis[i],
            region: region[i].clone(),
            mode: mode[i].clone(),
            baseline_trips: base[i],
            values: values.iter().map(|v| v[i]).collect(),
        })
        .collect())
}

/// Every metric a summary row may have: the commuter metrics and the road ones.
fn metric_ids() -> Vec<MetricId> {
    let mut ids: Vec<MetricId> = schema::metrics().map(|(m, _)| m).collect();
    ids.extend(
        schema::road_metrics()
            .filter(|m| !ids.contains(m))
            .collect::<Vec<_>>(),
    );
    ids
}

/// The metrics of a table's rows, each row's `unit` the metric's unit in the schema.
fn metrics(df: &DataFrame) -> PolarsResult<Vec<MetricId>> {
    let metric = keys(df, METRIC, metric_ids(), |m| schema::metric(m).name)?;
    for (i, (unit, &m)) in strs(df, UNIT)?.iter().zip(&metric).enumerate() {
        let want = schema::metric(m);
        if unit != want.unit.as_str() {
            let what = format!(
                "row {}'s unit: {} is in {}",
                i + 1,
                want.name,
                want.unit.as_str()
            );
            return Err(bad(UNIT, unit, &what));
        }
    }
    Ok(metric)
}

/// The policy windows of the summary rows: none where the start is empty.
fn summary_windows(df: &DataFrame) -> PolarsResult<Vec<Option<(Date, Date)>>> {
    let (start, end) = (strs(df, WINDOW_START)?, strs(df, WINDOW_END)?);
    let date = |s: &str, c: &str| Date::parse(s).ok_or_else(|| bad(c, s, "a date"));
    start
        .iter()
        .zip(&end)
        .map(|(a, b)| {
            if a.is_empty() {
                return Ok(None);
            }
            Ok(Some((date(a, WINDOW_START)?, date(b, WINDOW_END)?)))
        })
        .collect()
}

pub(super) fn summary(df: &DataFrame) -> PolarsResult<Vec<SummaryRecord>> {
    let [scenario, title, region, region_name] =
        [SCENARIO, TITLE, REGION, REGION_NAME].map(|c| shared(df, c));
    let (scenario, title, region, region_name) = (scenario?, title?, region?, region_name?);
    let basis = bases(df)?;
    let metric = metrics(df)?;
    let component = keys(df, COMPONENT, Component::ROAD, Component::as_str)?;
    let window = summary_windows(df)?;
    let working_days = i64s(df, WINDOW_WORKING_DAYS)?;
    let total_error = errors(df, TOTAL)?;
    let (total, pct, dki) = (
        bands(df, TOTAL)?,
        bands(df, PCT_BASELINE)?,
        opt_bands(df, PCT_BASELINE_DKI)?,
    );
    let (per_day, baseline) = (f64s(df, PER_DAY_P50)?, f64s(df, BASELINE_TOTAL_P50)?);
    Ok((0..df.height())
        .map(|i| SummaryRecord {
            scenario: scenario[i].clone(),
            title: title[i].clone(),
            basis: basis[i],
            region: region[i].clone(),
            region_name: region_name[i].clone(),
            metric: metric[i],
            component: component[i],
            window: window[i],
            window_working_days: working_days[i],
            total: total[i],
            total_error: total_error[i],
            per_day_p50: per_day[i],
            baseline_total_p50: baseline[i],
            pct_baseline: pct[i],
            pct_baseline_dki: dki[i],
        })
        .collect())
}

pub(super) fn windows(df: &DataFrame) -> PolarsResult<Vec<WindowRecord>> {
    let (scenario, policy) = (strs(df, SCENARIO)?, strs(df, POLICY)?);
    let (from, to, share) = (text_dates(df, FROM)?, text_dates(df, TO)?, f64s(df, SHARE)?);
    Ok((0..df.height())
        .map(|i| WindowRecord {
            scenario: scenario[i].clone(),
            policy: policy[i].clone(),
            from: from[i],
            to: to[i],
            share: share[i],
        })
        .collect())
}

/// Nullable band columns: none where the p05 is null (DKI's percent bands on rows not
/// about DKI, a per-day difference of windows of unequal length).
fn opt_bands(df: &DataFrame, prefix: &str) -> PolarsResult<Vec<Option<Band>>> {
    let q: Vec<Vec<Option<f64>>> = (0..QUANTILES.len())
        .map(|j| opt_f64s(df, &band_column(prefix, j)))
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|i| q[0][i].map(|_| Band(std::array::from_fn(|j| q[j][i].unwrap_or(f64::NAN)))))
        .collect())
}

/// The Monte Carlo error columns of `prefix`'s band, null where a quantile is unbounded.
fn errors(df: &DataFrame, prefix: &str) -> PolarsResult<Vec<Errors>> {
    let e: Vec<Vec<Option<f64>>> = (0..QUANTILES.len())
        .map(|j| opt_f64s(df, &error_column(prefix, j)))
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|i| std::array::from_fn(|j| e[j][i]))
        .collect())
}

pub(super) fn comparisons(df: &DataFrame) -> PolarsResult<Vec<ComparisonRecord>> {
    let [a, b, region] = [SCENARIO_A, SCENARIO_B, REGION].map(|c| shared(df, c));
    let (a, b, region) = (a?, b?, region?);
    let basis = bases(df)?;
    let metric = metrics(df)?;
    let component = keys(df, COMPONENT, Component::ROAD, Component::as_str)?;
    let (difference, per_day) = (bands(df, DIFFERENCE)?, opt_bands(df, DIFFERENCE_PER_DAY)?);
    let (p, q) = (f64s(df, P_A_GREATER)?, f64s(df, P_B_GREATER)?);
    let n = i64s(df, REPLICATES)?;
    Ok((0..df.height())
        .map(|i| ComparisonRecord {
            scenario_a: a[i].clone(),
            scenario_b: b[i].clone(),
            basis: basis[i],
            region: region[i].clone(),
            metric: metric[i],
            component: component[i],
            difference: difference[i],
            difference_per_day: per_day[i],
            p_a_greater: p[i],
            p_b_greater: q[i],
            replicates: n[i],
        })
        .collect())
}

pub(super) fn decomposition(df: &DataFrame) -> PolarsResult<Vec<DecompositionRecord>> {
    let [scenario, part, region] = [SCENARIO, PART, REGION].map(|c| shared(df, c));
    let (scenario, part, region) = (scenario?, part?, region?);
    let basis = bases(df)?;
    let metric = metrics(df)?;
    let component = keys(df, COMPONENT, Component::ROAD, Component::as_str)?;
    let (contribution, n) = (bands(df, CONTRIBUTION)?, i64s(df, REPLICATES)?);
    Ok((0..df.height())
        .map(|i| DecompositionRecord {
            scenario: scenario[i].clone(),
            part: part[i].clone(),
            basis: basis[i],
            region: region[i].clone(),
            metric: metric[i],
            component: component[i],
            contribution: contribution[i],
            replicates: n[i],
        })
        .collect())
}

pub(super) fn replicates(df: &DataFrame) -> PolarsResult<Vec<ReplicateRecord>> {
    let [scenario, region] = [SCENARIO, REGION].map(|c| shared(df, c));
    let (scenario, region) = (scenario?, region?);
    let (replicate, basis) = (i64s(df, REPLICATE)?, bases(df)?);
    let metric = keys(df, METRIC, metric_ids(), |m| schema::metric(m).name)?;
    let component = keys(df, COMPONENT, Component::ROAD, Component::as_str)?;
    let total = f64s(df, TOTAL)?;
    Ok((0..df.height())
        .map(|i| ReplicateRecord {
            scenario: scenario[i].clone(),
            replicate: replicate[i],
            basis: basis[i],
            region: region[i].clone(),
            metric: metric[i],
            component: component[i],
            total: total[i],
        })
        .collect())
}

pub(super) fn detectability(df: &DataFrame) -> PolarsResult<Vec<DetectabilityRecord>> {
    let scenario = strs(df, SCENARIO)?;
    let comparison = keys(df, COMPARISON, Comparison::ALL, Comparison::as_str)?;
    let (days_each_side, effect) = (i64s(df, DAYS_EACH_SIDE)?, bands(df, EFFECT_PCT)?);
    let triple = |names: [&str; 3]| -> PolarsResult<Vec<Vec<f64>>> {
        names.iter().map(|c| f64s(df, c)).collect()
    };
    let (city, site) = (triple(MDE_CITY_PCT)?, triple(MDE_SITE_PCT)?);
    let (vis_city, vis_site) = (bools(df, VISIBLE_CITY)?, bools(df, VISIBLE_SITE)?);
    let p = f64s(df, POWER_CITY)?;
    Ok((0..df.height())
        .map(|i| DetectabilityRecord {
            scenario: scenario[i].clone(),
            comparison: comparison[i],
            days_each_side: days_each_side[i],
            effect_pct: effect[i],
            mde_city_pct: std::array::from_fn(|j| city[j][i]),
            mde_site_pct: std::array::from_fn(|j| site[j][i]),
            visible_city: vis_city[i],
            visible_site: vis_site[i],
            power_city: p[i],
        })
        .collect())
}

pub(super) fn replicates_daily(df: &DataFrame) -> PolarsResult<Vec<ReplicateDayRecord>> {
    let scenario = shared(df, SCENARIO)?;
    let (replicate, date) = (i64s(df, REPLICATE)?, days(df, DATE)?);
    let values: Vec<Vec<f64>> = replicate_daily_columns()
        .iter()
        .map(|c| f64s(df, c))
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|i| ReplicateDayRecord {
            scenario: scenario[i].clone(),
            replicate: replicate[i],
            date: date[i],
            values: std::array::from_fn(|k| values[k][i]),
        })
        .collect())
}

pub(super) fn calibration(df: &DataFrame) -> PolarsResult<Vec<CalibrationRecord>> {
    let [scenario, target, unit, source] = [SCENARIO, TARGET, UNIT, SOURCE].map(|c| strs(df, c));
    let (scenario, target, unit, source) = (scenario?, target?, unit?, source?);
    let [value, low, high] = [TARGET_VALUE, TARGET_LOW, TARGET_HIGH].map(|c| f64s(df, c));
    let (value, low, high) = (value?, low?, high?);
    let (year, modelled, inside) = (i64s(df, YEAR)?, bands(df, MODELLED)?, bools(df, INSIDE)?);
    Ok((0..df.height())
        .map(|i| CalibrationRecord {
            scenario: scenario[i].clone(),
            target: target[i].clone(),
            unit: unit[i].clone(),
            year: year[i],
            source: source[i].clone(),
            value: value[i],
            low: low[i],
            high: high[i],
            modelled: modelled[i],
            inside: inside[i],
        })
        .collect())
}
