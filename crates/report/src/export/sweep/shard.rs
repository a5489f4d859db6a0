//! A shard's experiments table read back for a merge, and checked against the design
//! before anything is merged: the columns a shard of this design writes (names and types,
//! taken from the writer's own frame, so the two cannot drift apart), a value in every
//! cell, each row's point in the design, its scenario one of the design's and its factor
//! values those of its point in `design.parquet`. Which shard a row belongs to, and
//! whether every experiment is there once, is the merge's own check (it knows the shards).

use std::path::Path;

use polars::prelude::*;

use super::{design_frame, experiments_frame};
use wfhsim_core::sweep::{Design, Experiment, Point};

/// Why a shard's `experiments.parquet` cannot be merged; shown after the file's path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShardTableError {
    #[error("cannot be read: {0}")]
    Unreadable(String),
    #[error("has the columns {found}; a shard of this design has {expected}")]
    Columns { found: String, expected: String },
    #[error("row {row}: {message}")]
    Row { row: usize, message: String },
}

fn unreadable(e: impl std::fmt::Display) -> ShardTableError {
    ShardTableError::Unreadable(e.to_string())
}

/// Reads a shard's experiments, in the file's row order, every row checked.
pub fn read_shard_experiments(
    path: &Path,
    d: &Design,
    points: &[Point],
) -> Result<Vec<Experiment>, ShardTableError> {
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let df = ParquetReader::new(file).finish().map_err(unreadable)?;
    check_columns(&df, d, points)?;
    let design = design_frame(d, points).map_err(unreadable)?;
    (0..df.height())
        .map(|i| row(&df, &design, d, points.len(), i))
        .collect()
}

/// A cell as a message shows it: a number in full (not rounded for a table), a string
/// in quotes.
fn shown(v: &AnyValue) -> String {
    match v {
        AnyValue::Float64(x) => x.to_string(),
        AnyValue::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// `name (type), ...` of a frame's columns.
fn described(df: &DataFrame) -> String {
    let cols: Vec<String> = df
        .columns()
        .iter()
        .map(|c| format!("{} ({})", c.name(), c.dtype()))
        .collect();
    cols.join(", ")
}

/// The columns, in order and with their types, are those the writer makes for `d`.
fn check_columns(df: &DataFrame, d: &Design, points: &[Point]) -> Result<(), ShardTableError> {
    let want = experiments_frame(d, points, &[]).map_err(unreadable)?;
    let shape = |f: &DataFrame| -> Vec<(String, DataType)> {
        f.columns()
            .iter()
            .map(|c| (c.name().to_string(), c.dtype().clone()))
            .collect()
    };
    if shape(df) != shape(&want) {
        return Err(ShardTableError::Columns {
            found: described(df),
            expected: described(&want),
        });
    }
    Ok(())
}

/// Row `i`, checked against the design; `design` is its one row per point.
fn row(
    df: &DataFrame,
    design: &DataFrame,
    d: &Design,
    n_points: usize,
    i: usize,
) -> Result<Experiment, ShardTableError> {
    let bad = |message: String| ShardTableError::Row { row: i, message };
    let missing = |name: &str| bad(format!("no value in column '{name}'"));
    let column = |name: &str| df.column(name).map_err(unreadable);
    let u32_at = |name: &str| -> Result<u32, ShardTableError> {
        column(name)?
            .u32()
            .map_err(unreadable)?
            .get(i)
            .ok_or_else(|| missing(name))
    };
    let point = u32_at("point")?;
    if point as usize >= n_points {
        return Err(bad(format!(
            "point {point} is not in the design (0..{})",
            n_points.saturating_sub(1)
        )));
    }
    let name = column("scenario")?
        .str()
        .map_err(unreadable)?
        .get(i)
        .ok_or_else(|| missing("scenario"))?;
    let scenario = d.scenarios.iter().position(|s| s.name == name);
    let Some(scenario) = scenario else {
        let known: Vec<&str> = d.scenarios.iter().map(|s| s.name.as_str()).collect();
        return Err(bad(format!(
            "scenario '{name}' is not in the design ({})",
            known.join(", ")
        )));
    };
    let replicate = u32_at("replicate")?;
    for f in &d.factors {
        let key = f.key.as_str();
        let here = column(key)?.get(i).map_err(unreadable)?;
        let there = design.column(key).map_err(unreadable)?;
        let there = there.get(point as usize).map_err(unreadable)?;
        if here.is_null() {
            return Err(missing(key));
        }
        if here != there {
            return Err(bad(format!(
                "'{key}' is {}; point {point} of the design has {}",
                shown(&here),
                shown(&there)
            )));
        }
    }
    let outcomes = d
        .outcomes
        .iter()
        .map(|o| {
            column(o.name)?
                .f64()
                .map_err(unreadable)?
                .get(i)
                .ok_or_else(|| missing(o.name))
        })
        .collect::<Result<Vec<f64>, ShardTableError>>()?;
    Ok(Experiment {
        point,
        scenario: scenario as u32,
        replicate,
        outcomes,
    })
}
