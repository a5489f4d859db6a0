//! Everything after the simulation: quantile reduction ([`aggregate`]), polars tables
//! ([`tables`]), the run manifest ([`manifest`]) and the results folder ([`output`]),
//! written atomically.

pub mod aggregate;
pub mod manifest;
pub mod output;
pub mod tables;

use std::path::{Path, PathBuf};

use crate::data::Dataset;
use crate::plot::{self, ChartInput};
use crate::study::StudyResult;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("building or writing {what}: {source}")]
    Table {
        what: String,
        source: polars::error::PolarsError,
    },
    #[error("drawing charts: {0}")]
    Plot(#[from] plot::PlotError),
    #[error("{0}")]
    Output(String),
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn table(what: &str) -> impl FnOnce(polars::error::PolarsError) -> ReportError + '_ {
    move |source| ReportError::Table {
        what: what.to_string(),
        source,
    }
}

/// What the chart footers say about where the numbers come from.
pub const SOURCE_NOTE: &str = "Source: wfhsim simulation. Data: BPS SP2020 & Survei Komuter Jabodetabek 2014/2019, BKD DKI 2023, FCE 2016 emission factors; assumptions in scenarios/data/parameters";

/// Writes tables and charts of a finished study into `dir` (which must not exist yet:
/// [`output::RunDir`] handles the temporary folder and the final rename).
pub fn write_tables_and_charts(
    dir: &Path,
    study: &StudyResult,
    ds: &Dataset,
    run_label: &str,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut daily = tables::daily_frame(study, ds).map_err(table("daily table"))?;
    let mut summary = tables::summary_frame(study, ds).map_err(table("summary table"))?;
    let mut windows = tables::windows_frame(study).map_err(table("windows table"))?;
    let mut written = Vec::new();
    for (df, stem, parquet) in [
        (&mut daily, "daily", true),
        (&mut summary, "summary", false),
        (&mut windows, "windows", false),
    ] {
        if parquet {
            let p = dir.join(format!("{stem}.parquet"));
            tables::write_parquet(df, &p).map_err(table("daily.parquet"))?;
            written.push(p);
        }
        let p = dir.join(format!("{stem}.csv"));
        tables::write_csv(df, &p).map_err(table(stem))?;
        written.push(p);
    }
    let charts = dir.join("charts");
    written.extend(draw_charts(
        &charts, daily, summary, windows, ds, run_label,
    )?);
    Ok(written)
}

/// Draws every chart into the folder `charts`.
fn draw_charts(
    charts: &Path,
    daily: polars::prelude::DataFrame,
    summary: polars::prelude::DataFrame,
    windows: polars::prelude::DataFrame,
    ds: &Dataset,
    run_label: &str,
) -> Result<Vec<PathBuf>, ReportError> {
    let input = ChartInput {
        daily,
        summary,
        windows,
        run_label: run_label.to_string(),
        source_note: SOURCE_NOTE.to_string(),
        events: ds
            .calendar
            .iter()
            .filter(|c| !c.is_holiday)
            .map(|c| (c.date.0, c.name.clone()))
            .collect(),
        region_names: ds
            .regions
            .iter()
            .map(|r| (r.code.clone(), r.name.clone()))
            .collect(),
    };
    Ok(plot::draw_all(&input, charts)?)
}

/// Redraws the charts of a finished run from its own tables (`wfhsim plot`).
pub fn redraw(run_dir: &Path, ds: &Dataset) -> Result<Vec<PathBuf>, ReportError> {
    let need = |f: &str| {
        let p = run_dir.join(f);
        if p.is_file() {
            Ok(p)
        } else {
            Err(ReportError::Output(format!(
                "{} is not a finished run: {f} is missing",
                run_dir.display()
            )))
        }
    };
    let daily = tables::read_parquet(&need("daily.parquet")?).map_err(table("daily.parquet"))?;
    let summary = tables::read_csv(&need("summary.csv")?).map_err(table("summary.csv"))?;
    let windows = tables::read_csv(&need("windows.csv")?).map_err(table("windows.csv"))?;
    let label = manifest::read_label(&run_dir.join("manifest.json"))
        .unwrap_or_else(|| run_dir.display().to_string());
    // Drawn beside the old charts and swapped in only when complete, like a run: an
    // error or Ctrl-C leaves the finished run's charts as they were.
    let charts = output::RunDir::create(&run_dir.join("charts"), true)?;
    let drawn = draw_charts(&charts.tmp, daily, summary, windows, ds, &label)?;
    let tmp = charts.tmp.clone();
    let target = charts.commit()?;
    Ok(drawn
        .into_iter()
        .map(|p| match p.strip_prefix(&tmp) {
            Ok(rel) => target.join(rel),
            Err(_) => p,
        })
        .collect())
}
