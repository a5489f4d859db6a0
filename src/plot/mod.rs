//! Charts for wfhsim: PNG + SVG figures for briefing slides.
//!
//! Every chart is drawn by one generic function over `DrawingArea<DB, Shift>`
//! (see [`frame::Chart`]) and rendered twice: once to a 1600×900 PNG and once
//! to a 1600×900 SVG. Fonts (DejaVu Sans) are embedded; no system fonts are used.

mod axis;
mod daily;
mod data;
mod fonts;
mod frame;
mod region;
mod style;
mod summit;
mod totals;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;

pub use fonts::register_fonts;

/// Everything the charts need; produced by the simulator/report layer.
pub struct ChartInput {
    /// One row per scenario × date × region_basis × region × mode.
    pub daily: DataFrame,
    /// One row per scenario × region_basis × region × metric × component.
    pub summary: DataFrame,
    /// One row per scenario × policy × share window.
    pub windows: DataFrame,
    /// Subtitle line, e.g. "run 'study' · seed 42 · 30 replicates · scale 1.0".
    pub run_label: String,
    /// Small source line printed at the bottom of every chart.
    pub source_note: String,
    /// (date as days since 1970-01-01, name), e.g. the ASEAN Summit days.
    pub events: Vec<(i32, String)>,
    /// (code, display name), regions in display order.
    pub region_names: Vec<(String, String)>,
}

/// Errors raised while preparing or drawing a chart.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A required column is absent from an input table.
    #[error("{chart}: table `{table}` is missing required column `{column}`")]
    MissingColumn {
        chart: String,
        table: String,
        column: String,
    },
    /// A polars operation failed (wrong dtype, bad cast, ...).
    #[error("{chart}: data error: {message}")]
    Polars { chart: String, message: String },
    /// Plotters failed to draw or encode the chart.
    #[error("{chart}: drawing error: {message}")]
    Draw { chart: String, message: String },
    /// The output directory or file could not be created.
    #[error("{chart}: i/o error: {message}")]
    Io { chart: String, message: String },
}

/// Draws every chart as PNG and SVG into `dir` (created if missing); returns the written paths in a fixed order.
///
/// Order: daily_trips_avoided, summit_week_50_vs_75 (skipped when no scenario
/// has trips on the summit days), totals_by_scenario, totals_other_pollutants,
/// trips_by_region — each
/// as `.png` then `.svg`.
pub fn draw_all(input: &ChartInput, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    register_fonts();
    std::fs::create_dir_all(dir).map_err(|e| PlotError::Io {
        chart: "all charts".into(),
        message: format!("cannot create {}: {e}", dir.display()),
    })?;
    let mut out = Vec::with_capacity(8);

    let chart = daily::prepare(input)?;
    out.extend(frame::render(&chart, dir, daily::STEM)?);

    if let Some(chart) = summit::prepare(input)? {
        out.extend(frame::render(&chart, dir, summit::STEM)?);
    }

    for layout in [&totals::MAIN, &totals::OTHER] {
        let chart = totals::prepare(input, layout)?;
        out.extend(frame::render(&chart, dir, layout.stem)?);
    }

    let chart = region::prepare(input)?;
    out.extend(frame::render(&chart, dir, region::STEM)?);

    Ok(out)
}

/// One rendered chart file: its name (e.g. `daily_trips_avoided.png`) and bytes.
pub struct RenderedChart {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every chart rendered to memory (interim: drawn into a private temporary folder).
pub fn render_all(input: &ChartInput) -> Result<Vec<RenderedChart>, PlotError> {
    let dir = std::env::temp_dir().join(format!(
        "wfhsim-charts-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let io = |e: std::io::Error| PlotError::Io {
        chart: "all charts".into(),
        message: e.to_string(),
    };
    let paths = draw_all(input, &dir)?;
    let out = paths
        .iter()
        .map(|p| {
            Ok(RenderedChart {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes: std::fs::read(p).map_err(io)?,
            })
        })
        .collect::<Result<Vec<_>, PlotError>>();
    let _ = std::fs::remove_dir_all(&dir);
    out
}
