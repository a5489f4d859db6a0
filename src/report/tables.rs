//! The result tables as polars DataFrames, and their Parquet/CSV writers and readers.
//! Built after the simulation from plain rows; charts are drawn from these frames, so a
//! finished run can be redrawn from its files alone.

use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use super::aggregate::DAILY_METRICS;
use crate::data::Dataset;
use crate::study::StudyResult;

fn text(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}

fn num(name: &str, v: Vec<f64>) -> Column {
    Column::new(name.into(), v)
}

const Q: [&str; 3] = ["p05", "p50", "p95"];

/// One row per scenario × working day × region basis × region × mode (only rows with a
/// non-zero baseline). Dates are Parquet/Arrow dates.
pub fn daily_frame(study: &StudyResult, ds: &Dataset) -> PolarsResult<DataFrame> {
    let rows: usize = study.scenarios.iter().map(|s| s.daily.len()).sum();
    let (mut scen, mut date, mut basis, mut region, mut mode, mut base) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let mut q: Vec<Vec<f64>> = vec![Vec::with_capacity(rows); DAILY_METRICS.len() * 3];
    for s in &study.scenarios {
        for r in &s.daily {
            scen.push(s.scenario.name.clone());
            date.push(r.date.0);
            basis.push(r.basis.as_str().to_string());
            region.push(
                r.region
                    .map_or("all".to_string(), |i| ds.regions[i].code.clone()),
            );
            mode.push(
                r.mode
                    .map_or("all".to_string(), |i| ds.modes[i].code.clone()),
            );
            base.push(r.baseline_trips);
            for (k, m) in r.q.iter().enumerate() {
                for j in 0..3 {
                    q[k * 3 + j].push(m[j]);
                }
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
    for (k, name) in DAILY_METRICS.iter().enumerate() {
        for j in 0..3 {
            cols.push(num(
                &format!("{name}_{}", Q[j]),
                std::mem::take(&mut q[k * 3 + j]),
            ));
        }
    }
    DataFrame::new(rows, cols)
}

/// One row per scenario × region basis × region × metric × component: totals over the
/// policy window, per policy day, and percent of the baseline.
pub fn summary_frame(study: &StudyResult, ds: &Dataset) -> PolarsResult<DataFrame> {
    let mut c: Vec<Vec<String>> = vec![Vec::new(); 10];
    let mut wd: Vec<i64> = Vec::new();
    let mut f: Vec<Vec<f64>> = vec![Vec::new(); 8];
    let mut dki: Vec<Vec<Option<f64>>> = vec![Vec::new(); 3];
    for s in &study.scenarios {
        let (ws, we) = s.window.map_or((String::new(), String::new()), |(a, b)| {
            (a.to_string(), b.to_string())
        });
        for r in &s.summary {
            let region = r.region.map(|i| &ds.regions[i]);
            let vals = [
                s.scenario.name.clone(),
                s.scenario.title.clone(),
                r.basis.as_str().to_string(),
                region.map_or("all".into(), |g| g.code.clone()),
                region.map_or("Jabodetabek".into(), |g| g.name.clone()),
                r.metric.to_string(),
                r.component.to_string(),
                r.unit.to_string(),
                ws.clone(),
                we.clone(),
            ];
            for (v, x) in c.iter_mut().zip(vals) {
                v.push(x);
            }
            wd.push(s.window_working_days as i64);
            let fs = [
                r.total[0],
                r.total[1],
                r.total[2],
                r.per_day_p50,
                r.baseline_p50,
                r.pct[0],
                r.pct[1],
                r.pct[2],
            ];
            for (v, x) in f.iter_mut().zip(fs) {
                v.push(x);
            }
            for (j, v) in dki.iter_mut().enumerate() {
                v.push(r.pct_dki.map(|p| p[j]));
            }
        }
    }
    let n = wd.len();
    let names = [
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
    let mut cols: Vec<Column> = names.iter().zip(c).map(|(n, v)| text(n, v)).collect();
    cols.push(Column::new("window_working_days".into(), wd));
    let fnames = [
        "total_p05",
        "total_p50",
        "total_p95",
        "per_day_p50",
        "baseline_total_p50",
        "pct_baseline_p05",
        "pct_baseline_p50",
        "pct_baseline_p95",
    ];
    cols.extend(fnames.iter().zip(f).map(|(n, v)| num(n, v)));
    for (j, v) in dki.into_iter().enumerate() {
        cols.push(Column::new(format!("pct_baseline_dki_{}", Q[j]).into(), v));
    }
    DataFrame::new(n, cols)
}

/// One row per scenario × policy × share window: what the charts shade.
pub fn windows_frame(study: &StudyResult) -> PolarsResult<DataFrame> {
    let (mut s, mut p, mut a, mut b, mut sh) = (vec![], vec![], vec![], vec![], vec![]);
    for r in &study.scenarios {
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

pub fn write_parquet(df: &mut DataFrame, path: &Path) -> PolarsResult<()> {
    ParquetWriter::new(File::create(path)?)
        .with_compression(ParquetCompression::Snappy)
        .finish(df)?;
    Ok(())
}

pub fn write_csv(df: &mut DataFrame, path: &Path) -> PolarsResult<()> {
    // Three decimals keep the CSV readable; Parquet carries full precision.
    CsvWriter::new(File::create(path)?)
        .include_header(true)
        .with_float_precision(Some(3))
        .finish(df)
}

pub fn read_parquet(path: &Path) -> PolarsResult<DataFrame> {
    ParquetReader::new(File::open(path)?).finish()
}

pub fn read_csv(path: &Path) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))?
        .finish()
}
