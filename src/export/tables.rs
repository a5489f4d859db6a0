//! The result tables as polars DataFrames, built from [`Results`] and the run's
//! [`RunInfo`] (region and mode codes), with columns derived from the result schema; and
//! their readers, so that a finished run's charts can be redrawn from its files alone.

use std::path::Path;

use polars::prelude::*;

use super::run_info::RunInfo;
use crate::results::schema::{self, QUANTILES, daily_column, daily_columns};
use crate::results::{Band, Results};

fn text(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}

fn num(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}

/// One column per quantile level: `{prefix}_p05`, `{prefix}_p50`, …
fn band_columns(prefix: &str, bands: &[Band]) -> impl Iterator<Item = Column> {
    QUANTILES.iter().enumerate().map(move |(j, q)| {
        num(
            &format!("{prefix}_{}", q.suffix),
            bands.iter().map(|b| b.0[j]).collect(),
        )
    })
}

/// One row per scenario × working day × region basis × region × mode (only rows with a
/// non-zero baseline). Dates are Parquet/Arrow dates.
pub fn daily_frame(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    let rows: usize = results.scenarios.iter().map(|s| s.daily.len()).sum();
    let columns = daily_columns();
    let mut scen = Vec::with_capacity(rows);
    let mut date = Vec::with_capacity(rows);
    let mut basis = Vec::with_capacity(rows);
    let mut region = Vec::with_capacity(rows);
    let mut mode = Vec::with_capacity(rows);
    let mut base = Vec::with_capacity(rows);
    let mut q: Vec<Vec<Band>> = vec![Vec::with_capacity(rows); columns.len()];
    for s in &results.scenarios {
        for r in &s.daily {
            scen.push(s.scenario.name.clone());
            date.push(r.date.0);
            basis.push(r.basis.as_str().to_string());
            region.push(
                r.region
                    .map_or("all".into(), |i| info.regions[i].code.clone()),
            );
            mode.push(r.mode.map_or("all".into(), |i| info.modes[i].code.clone()));
            base.push(r.baseline_trips);
            for (k, b) in r.q.iter().enumerate() {
                q[k].push(*b);
            }
        }
    }
    let mut cols = vec![
        text("scenario", scen),
        Column::new("date".into(), date).cast(&DataType::Date)?,
        text("region_basis", basis),
        text("region", region),
        text("mode", mode),
        num("baseline_trips", base),
    ];
    for (&(m, c), bands) in columns.iter().zip(&q) {
        cols.extend(band_columns(&daily_column(m, c), bands));
    }
    DataFrame::new(rows, cols)
}

/// One row per scenario × region basis × region × metric × component: totals over the
/// policy window, per policy day, and percent of the baseline.
pub fn summary_frame(results: &Results, info: &RunInfo) -> PolarsResult<DataFrame> {
    const TEXT: [&str; 10] = [
        "scenario",
        "title",
        "region_basis",
        "region",
        "region_name",
        "metric",
        "component",
        "unit",
        "window_start",
        "window_end",
    ];
    let mut c: Vec<Vec<String>> = vec![Vec::new(); TEXT.len()];
    let mut wd: Vec<i64> = Vec::new();
    let (mut total, mut per_day, mut baseline, mut pct) = (vec![], vec![], vec![], vec![]);
    let mut dki: Vec<Vec<Option<f64>>> = vec![Vec::new(); QUANTILES.len()];
    for s in &results.scenarios {
        let (ws, we) = s.window.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        for r in &s.summary {
            let region = r.region.map(|i| &info.regions[i]);
            let metric = schema::metric(r.metric);
            let vals = [
                s.scenario.name.clone(),
                s.scenario.title.clone(),
                r.basis.as_str().to_string(),
                match (region, r.basis.is_dki_aggregate()) {
                    (Some(g), _) => g.code.clone(),
                    (None, true) => "dki".into(),
                    (None, false) => "all".into(),
                },
                match (region, r.basis.is_dki_aggregate()) {
                    (Some(g), _) => g.name.clone(),
                    (None, true) => "DKI Jakarta".into(),
                    (None, false) => info.area_name.clone(),
                },
                metric.name.to_string(),
                r.component.as_str().to_string(),
                metric.unit.as_str().to_string(),
                ws.clone(),
                we.clone(),
            ];
            for (v, x) in c.iter_mut().zip(vals) {
                v.push(x);
            }
            wd.push(s.window_working_days as i64);
            total.push(r.total);
            per_day.push(r.per_day_p50);
            baseline.push(r.baseline_p50);
            pct.push(r.pct);
            for (j, v) in dki.iter_mut().enumerate() {
                v.push(r.pct_dki.map(|p| p.0[j]));
            }
        }
    }
    let n = wd.len();
    let mut cols: Vec<Column> = TEXT.iter().zip(c).map(|(n, v)| text(n, v)).collect();
    cols.push(Column::new("window_working_days".into(), wd));
    cols.extend(band_columns("total", &total));
    cols.push(num("per_day_p50", per_day));
    cols.push(num("baseline_total_p50", baseline));
    cols.extend(band_columns("pct_baseline", &pct));
    for (q, v) in QUANTILES.iter().zip(dki) {
        cols.push(Column::new(
            format!("pct_baseline_dki_{}", q.suffix).into(),
            v,
        ));
    }
    DataFrame::new(n, cols)
}

/// One row per scenario × policy × share window: what the charts shade.
pub fn windows_frame(results: &Results) -> PolarsResult<DataFrame> {
    let (mut s, mut p, mut a, mut b, mut sh) = (vec![], vec![], vec![], vec![], vec![]);
    for r in &results.scenarios {
        for pol in &r.scenario.policies {
            for w in &pol.windows {
                s.push(r.scenario.name.clone());
                p.push(pol.name.clone());
                a.push(w.from.to_string());
                b.push(w.to.to_string());
                sh.push(w.share);
            }
        }
    }
    let n = s.len();
    DataFrame::new(
        n,
        vec![
            text("scenario", s),
            text("policy", p),
            text("from", a),
            text("to", b),
            num("share", sh),
        ],
    )
}

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
