//! The evaluation's two tables as DataFrames and back: `evaluation` (one row per site ×
//! method × window, [`EffectRow`]) and `evaluation_days` (one row per site × method × day,
//! [`DayRow`]). Dates are Arrow dates, so Parquet and CSV show them as dates; numbers are
//! f64 (null where a record has none), so Parquet carries them exactly.

use polars::prelude::*;

use super::{DayRow, EffectRow};
use crate::view::{bools, days, i64s, opt_f64s, strs};
use wfhsim_core::calendar::Date;

fn text<T>(name: &str, rows: &[T], f: impl Fn(&T) -> &str) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
}

fn num<T>(name: &str, rows: &[T], f: impl Fn(&T) -> f64) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<f64>>())
}

fn opt<T>(name: &str, rows: &[T], f: impl Fn(&T) -> Option<f64>) -> Column {
    Column::new(
        name.into(),
        rows.iter().map(f).collect::<Vec<Option<f64>>>(),
    )
}

fn count<T>(name: &str, rows: &[T], f: impl Fn(&T) -> u32) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<u32>>())
}

/// A column of `YYYY-MM-DD` texts as Arrow dates; a text that is not a date fails naming it.
fn date<T>(name: &str, rows: &[T], f: impl Fn(&T) -> &str) -> PolarsResult<Column> {
    let days = rows
        .iter()
        .map(|r| {
            let s = f(r);
            Date::parse(s).map(|d| d.0).ok_or_else(|| {
                PolarsError::ComputeError(format!("column `{name}`: '{s}' is not a date").into())
            })
        })
        .collect::<PolarsResult<Vec<i32>>>()?;
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// `evaluation`: one row per effect.
pub(super) fn effects_frame(rows: &[EffectRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        rows.len(),
        vec![
            text("site", rows, |r| &r.site),
            text("method", rows, |r| &r.method),
            date("window_from", rows, |r| &r.window_from)?,
            date("window_to", rows, |r| &r.window_to)?,
            count("days", rows, |r| r.days),
            num("observed_mean", rows, |r| r.observed_mean),
            num("counterfactual_mean", rows, |r| r.counterfactual_mean),
            num("effect_units", rows, |r| r.effect_units),
            opt("effect_units_lo", rows, |r| r.effect_units_lo),
            opt("effect_units_hi", rows, |r| r.effect_units_hi),
            num("effect_pct", rows, |r| r.effect_pct),
            opt("effect_pct_lo", rows, |r| r.effect_pct_lo),
            opt("effect_pct_hi", rows, |r| r.effect_pct_hi),
            num("p_value", rows, |r| r.p_value),
            opt("mde_pct", rows, |r| r.mde_pct),
            text("scale", rows, |r| &r.scale),
            opt("rho", rows, |r| r.rho),
            opt("sigma", rows, |r| r.sigma),
            count("placebos", rows, |r| r.placebos),
            opt("placebo_share_significant", rows, |r| {
                r.placebo_share_significant
            }),
            opt("placebo_rank_p", rows, |r| r.placebo_rank_p),
        ],
    )
}

/// `evaluation_days`: one row per site, method and day.
pub(super) fn days_frame(rows: &[DayRow]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        rows.len(),
        vec![
            text("site", rows, |r| &r.site),
            text("method", rows, |r| &r.method),
            date("date", rows, |r| &r.date)?,
            opt("observed", rows, |r| r.observed),
            num("counterfactual", rows, |r| r.counterfactual),
            opt("counterfactual_lo", rows, |r| r.counterfactual_lo),
            opt("counterfactual_hi", rows, |r| r.counterfactual_hi),
            Column::new(
                "in_window".into(),
                rows.iter().map(|r| r.in_window).collect::<Vec<bool>>(),
            ),
        ],
    )
}

/// A column the record requires a value in: a null fails naming the column.
fn required(df: &DataFrame, name: &str) -> PolarsResult<Vec<f64>> {
    opt_f64s(df, name)?
        .into_iter()
        .map(|v| {
            v.ok_or_else(|| {
                PolarsError::ComputeError(format!("column `{name}`: a value is missing").into())
            })
        })
        .collect()
}

/// A whole-number column that fits a u32.
fn counts(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    i64s(df, name)?
        .into_iter()
        .map(|v| {
            u32::try_from(v).map_err(|_| {
                PolarsError::ComputeError(format!("column `{name}`: '{v}' is not a count").into())
            })
        })
        .collect()
}

fn date_texts(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(days(df, name)?.into_iter().map(|d| d.to_string()).collect())
}

/// The columns of `evaluation`, by name.
struct EffectColumns {
    texts: [Vec<String>; 5],
    counts: [Vec<u32>; 2],
    nums: [Vec<f64>; 5],
    opts: [Vec<Option<f64>>; 9],
}

fn effect_columns(df: &DataFrame) -> PolarsResult<EffectColumns> {
    let opt = |n| opt_f64s(df, n);
    Ok(EffectColumns {
        texts: [
            strs(df, "site")?,
            strs(df, "method")?,
            date_texts(df, "window_from")?,
            date_texts(df, "window_to")?,
            strs(df, "scale")?,
        ],
        counts: [counts(df, "days")?, counts(df, "placebos")?],
        nums: [
            required(df, "observed_mean")?,
            required(df, "counterfactual_mean")?,
            required(df, "effect_units")?,
            required(df, "effect_pct")?,
            required(df, "p_value")?,
        ],
        opts: [
            opt("effect_units_lo")?,
            opt("effect_units_hi")?,
            opt("effect_pct_lo")?,
            opt("effect_pct_hi")?,
            opt("mde_pct")?,
            opt("rho")?,
            opt("sigma")?,
            opt("placebo_share_significant")?,
            opt("placebo_rank_p")?,
        ],
    })
}

/// `evaluation` read back.
pub(super) fn effects(df: &DataFrame) -> PolarsResult<Vec<EffectRow>> {
    let c = effect_columns(df)?;
    let [site, method, from, to, scale] = &c.texts;
    let [n_days, placebos] = &c.counts;
    let [observed, counterfactual, units, pct, p] = &c.nums;
    let [u_lo, u_hi, p_lo, p_hi, mde, rho, sigma, share, rank] = &c.opts;
    Ok((0..df.height())
        .map(|i| EffectRow {
            site: site[i].clone(),
            method: method[i].clone(),
            window_from: from[i].clone(),
            window_to: to[i].clone(),
            days: n_days[i],
            observed_mean: observed[i],
            counterfactual_mean: counterfactual[i],
            effect_units: units[i],
            effect_units_lo: u_lo[i],
            effect_units_hi: u_hi[i],
            effect_pct: pct[i],
            effect_pct_lo: p_lo[i],
            effect_pct_hi: p_hi[i],
            p_value: p[i],
            mde_pct: mde[i],
            scale: scale[i].clone(),
            rho: rho[i],
            sigma: sigma[i],
            placebos: placebos[i],
            placebo_share_significant: share[i],
            placebo_rank_p: rank[i],
        })
        .collect())
}

/// `evaluation_days` read back.
pub(super) fn days_rows(df: &DataFrame) -> PolarsResult<Vec<DayRow>> {
    let (site, method, date) = (
        strs(df, "site")?,
        strs(df, "method")?,
        date_texts(df, "date")?,
    );
    let observed = opt_f64s(df, "observed")?;
    let counterfactual = required(df, "counterfactual")?;
    let (lo, hi) = (
        opt_f64s(df, "counterfactual_lo")?,
        opt_f64s(df, "counterfactual_hi")?,
    );
    let in_window = bools(df, "in_window")?;
    Ok((0..df.height())
        .map(|i| DayRow {
            site: site[i].clone(),
            method: method[i].clone(),
            date: date[i].clone(),
            observed: observed[i],
            counterfactual: counterfactual[i],
            counterfactual_lo: lo[i],
            counterfactual_hi: hi[i],
            in_window: in_window[i],
        })
        .collect())
}
