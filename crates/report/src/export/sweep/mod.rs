//! A sweep's files: `design.parquet` (one row per point), `experiments.parquet` (one row
//! per point × scenario × replicate: factor columns then outcome columns — the table SALib
//! and the EMA Workbench read), `points.parquet` (per point and scenario: p05/p50/p95 of
//! each outcome), `tornado.csv` and `sobol.csv` when the method makes them, `target.csv`
//! and `crossings.csv` of a target search ([`target`]), and the charts ([`charts`]); and
//! the experiments table read back from a shard, checked against the design ([`shard`]).
//!
//! Everything is serialised from the core's [`SweepResults`] (computed once from the
//! design and the experiments), so a merge of shards writes the same bytes as an
//! unsharded sweep. This module analyses nothing: it writes the typed value as tables.

mod charts;
mod shard;
mod target;

pub use shard::{ShardTableError, read_shard_experiments};
pub use target::{crossings_table, target_table};

use polars::prelude::*;

use super::{ExportError, ExportFile, table};
use crate::labels::Langs;
use wfhsim_core::sweep::{Design, Experiment, Point, PointBand, SweepResults};

/// How a sweep ran, for the note under its charts: the program, the options and the
/// dataset's own source note.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepNote {
    pub version: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    /// `full` or `behavioural`.
    pub uncertainty: String,
    /// The dataset's source note (`about.csv`), as a run's charts print it.
    pub source_note: String,
}

fn parquet(path: &str, df: &mut DataFrame) -> Result<ExportFile, ExportError> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Snappy)
        .finish(df)
        .map_err(table(path))?;
    Ok(ExportFile {
        path: path.to_string(),
        bytes,
    })
}

fn csv(path: &str, df: &mut DataFrame) -> Result<ExportFile, ExportError> {
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .finish(df)
        .map_err(table(path))?;
    Ok(ExportFile {
        path: path.to_string(),
        bytes,
    })
}

/// A row of `tornado.csv`: scenario, outcome, factor, low and high setting; the median
/// at the central values, at the low and the high setting, and the swing.
struct TornadoRow {
    text: [String; 5],
    num: [f64; 4],
}

/// A factor's value as a column cell: its number, or its TOML text.
fn factor_columns(d: &Design, points: &[&Point]) -> Vec<Column> {
    d.factors
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.is_numeric() {
                let v: Vec<f64> = points
                    .iter()
                    .map(|p| {
                        wfhsim_core::sweep::factor::as_number(&p.values[i]).unwrap_or(f64::NAN)
                    })
                    .collect();
                Column::new(f.key.as_str().into(), v)
            } else {
                let v: Vec<String> = points.iter().map(|p| p.values[i].to_string()).collect();
                Column::new(f.key.as_str().into(), v)
            }
        })
        .collect()
}

/// One row per point.
pub fn design_frame(d: &Design, points: &[Point]) -> PolarsResult<DataFrame> {
    let refs: Vec<&Point> = points.iter().collect();
    let mut cols = vec![Column::new(
        "point".into(),
        points.iter().map(|p| p.id as u32).collect::<Vec<u32>>(),
    )];
    cols.extend(factor_columns(d, &refs));
    DataFrame::new(points.len(), cols)
}

/// One row per experiment, sorted by point, scenario and replicate.
pub fn experiments_frame(
    d: &Design,
    points: &[Point],
    rows: &[Experiment],
) -> PolarsResult<DataFrame> {
    let mut rows: Vec<&Experiment> = rows.iter().collect();
    rows.sort_by_key(|e| (e.point, e.scenario, e.replicate));
    let pts: Vec<&Point> = rows.iter().map(|e| &points[e.point as usize]).collect();
    let mut cols = vec![
        Column::new(
            "point".into(),
            rows.iter().map(|e| e.point).collect::<Vec<u32>>(),
        ),
        Column::new(
            "scenario".into(),
            rows.iter()
                .map(|e| d.scenarios[e.scenario as usize].name.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "replicate".into(),
            rows.iter().map(|e| e.replicate).collect::<Vec<u32>>(),
        ),
    ];
    cols.extend(factor_columns(d, &pts));
    for (o, out) in d.outcomes.iter().enumerate() {
        cols.push(Column::new(
            out.name.into(),
            rows.iter().map(|e| e.outcomes[o]).collect::<Vec<f64>>(),
        ));
    }
    DataFrame::new(rows.len(), cols)
}

/// Per (point, scenario): each outcome's p05, p50, p95.
pub fn points_frame(d: &Design, points: &[Point], bands: &[PointBand]) -> PolarsResult<DataFrame> {
    let pts: Vec<&Point> = bands.iter().map(|b| &points[b.point as usize]).collect();
    let mut cols = vec![
        Column::new(
            "point".into(),
            bands.iter().map(|b| b.point).collect::<Vec<u32>>(),
        ),
        Column::new(
            "scenario".into(),
            bands
                .iter()
                .map(|b| d.scenarios[b.scenario as usize].name.clone())
                .collect::<Vec<String>>(),
        ),
    ];
    cols.extend(factor_columns(d, &pts));
    for (o, out) in d.outcomes.iter().enumerate() {
        for (q, suffix) in ["p05", "p50", "p95"].iter().enumerate() {
            cols.push(Column::new(
                format!("{}_{suffix}", out.name).into(),
                bands.iter().map(|b| b.bands[o][q]).collect::<Vec<f64>>(),
            ));
        }
    }
    DataFrame::new(bands.len(), cols)
}

/// The experiments of a shard as a file.
pub fn shard_files(
    d: &Design,
    points: &[Point],
    rows: &[Experiment],
) -> Result<Vec<ExportFile>, ExportError> {
    Ok(vec![parquet(
        "experiments.parquet",
        &mut experiments_frame(d, points, rows).map_err(table("experiments.parquet"))?,
    )?])
}

/// Every file of a finished sweep (all points' experiments), manifest aside; the charts
/// in `langs`.
pub fn sweep_files(
    r: &SweepResults,
    note: &SweepNote,
    langs: Langs,
) -> Result<Vec<ExportFile>, ExportError> {
    let d = &r.design;
    let mut files = vec![
        parquet(
            "design.parquet",
            &mut design_frame(d, &r.points).map_err(table("design.parquet"))?,
        )?,
        parquet(
            "experiments.parquet",
            &mut experiments_frame(d, &r.points, &r.experiments)
                .map_err(table("experiments.parquet"))?,
        )?,
        parquet(
            "points.parquet",
            &mut points_frame(d, &r.points, &r.bands).map_err(table("points.parquet"))?,
        )?,
    ];
    if !r.tornadoes.is_empty() {
        files.push(csv(
            "tornado.csv",
            &mut tornado_frame(r).map_err(table("tornado.csv"))?,
        )?);
    }
    if !r.sobol.is_empty() {
        files.push(csv(
            "sobol.csv",
            &mut sobol_frame(r).map_err(table("sobol.csv"))?,
        )?);
    }
    files.extend(charts::charts(r, note, langs)?);
    Ok(files)
}

/// Every file of a target search, manifest aside: `target.csv`, `crossings.csv`, the
/// experiments of every setting evaluated and the response chart with the target marked.
pub fn target_files(
    r: &SweepResults,
    note: &SweepNote,
    langs: Langs,
) -> Result<Vec<ExportFile>, ExportError> {
    let mut files: Vec<ExportFile> = target_table(r)?.into_iter().collect();
    files.extend(crossings_table(r)?);
    files.extend(shard_files(&r.design, &r.points, &r.experiments)?);
    files.extend(charts::charts(r, note, langs)?);
    Ok(files)
}

/// `tornado.csv`: per scenario × outcome × factor (largest swing first), the settings,
/// the median at the central values, at the low and at the high setting, and the swing.
fn tornado_frame(r: &SweepResults) -> PolarsResult<DataFrame> {
    let d = &r.design;
    let rows: Vec<TornadoRow> = r
        .tornadoes
        .iter()
        .flat_map(|t| {
            t.bars.iter().map(move |b| {
                let f = &d.factors[b.factor];
                let (lo, hi) = f.low_high();
                TornadoRow {
                    text: [
                        d.scenarios[t.scenario as usize].name.clone(),
                        d.outcomes[t.outcome].name.to_string(),
                        f.key.clone(),
                        level_text(&lo),
                        level_text(&hi),
                    ],
                    num: [t.base, b.low, b.high, b.swing()],
                }
            })
        })
        .collect();
    let names = [
        "scenario",
        "outcome",
        "factor",
        "low_setting",
        "high_setting",
    ];
    let mut cols: Vec<Column> = names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let v: Vec<String> = rows.iter().map(|r| r.text[j].clone()).collect();
            Column::new((*name).into(), v)
        })
        .collect();
    for (j, name) in ["central_p50", "at_low_p50", "at_high_p50", "swing"]
        .iter()
        .enumerate()
    {
        let v: Vec<f64> = rows.iter().map(|r| r.num[j]).collect();
        cols.push(Column::new((*name).into(), v));
    }
    DataFrame::new(rows.len(), cols)
}

/// `sobol.csv`: per scenario × outcome × factor (design order) both indices and their
/// intervals, then the split of the outcome's variance between the factors, the other
/// inputs and their interactions (the same on every row of a scenario × outcome; empty
/// with one replicate).
fn sobol_frame(r: &SweepResults) -> PolarsResult<DataFrame> {
    let d = &r.design;
    let mut text: [Vec<String>; 3] = Default::default();
    let mut num: [Vec<f64>; 6] = Default::default();
    let mut split: [Vec<Option<f64>>; 3] = Default::default();
    for t in &r.sobol {
        for (f, i) in d.factors.iter().zip(&t.indices) {
            text[0].push(d.scenarios[t.scenario as usize].name.clone());
            text[1].push(d.outcomes[t.outcome].name.to_string());
            text[2].push(f.key.clone());
            for (j, v) in [i.s1, i.s1_lo, i.s1_hi, i.st, i.st_lo, i.st_hi]
                .into_iter()
                .enumerate()
            {
                num[j].push(v);
            }
            let v = t.variance;
            split[0].push(v.map(|v| v.factors));
            split[1].push(v.map(|v| v.others));
            split[2].push(v.map(|v| v.interactions));
        }
    }
    let height = text[0].len();
    let mut cols: Vec<Column> = ["scenario", "outcome", "factor"]
        .iter()
        .zip(text)
        .map(|(name, v)| Column::new((*name).into(), v))
        .collect();
    for (name, v) in ["s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"]
        .iter()
        .zip(num)
    {
        cols.push(Column::new((*name).into(), v));
    }
    for (name, v) in ["factors_share", "others_share", "interactions_share"]
        .iter()
        .zip(split)
    {
        cols.push(Column::new((*name).into(), v));
    }
    DataFrame::new(height, cols)
}

/// A setting as the tables write it: a string as it is, a number to at most four
/// decimals without trailing zeros, anything else as TOML.
fn level_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Float(f) => {
            let s = format!("{f:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        other => other.to_string(),
    }
}
