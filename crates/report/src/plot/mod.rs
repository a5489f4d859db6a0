//! Charts for wfhsim: PNG + SVG figures for briefing slides, rendered to memory.
//!
//! [`render_all`] draws every chart from a [`ChartData`] — the run's records plus what the
//! run knows about itself (scenarios, events, region names, source note) — and returns
//! the files' names and bytes; it never touches the filesystem. Nothing in this module
//! names a study, a scenario or a date: the rule of the event chart (which event, days
//! and scenarios) is in the module doc of `event_week.rs`.
//!
//! Every chart is drawn by one generic function over `DrawingArea<DB, Shift>` (see
//! [`frame::Chart`]) and rendered twice: to a 1600×900 PNG and to a 1600×900 SVG. Fonts
//! (DejaVu Sans) are embedded; no system fonts are used.

mod axis;
mod context;
mod daily;
mod daily_panels;
pub(crate) mod decomposition;
mod decomposition_draw;
mod detect_legend;
mod detectability;
mod evaluation;
mod evaluation_draw;
mod event_choice;
pub(crate) mod event_paired;
mod event_week;
mod fit_text;
mod fonts;
mod frame;
mod input;
mod log_axis;
pub(crate) mod measures;
mod numbers;
mod region;
mod render;
mod style;
mod sweep;
mod text;
mod timeline;
mod totals;

#[cfg(test)]
mod tests;

pub use evaluation::render_evaluation;
pub use event_choice::{EventWeek, event_week};
pub use fonts::register_fonts;
pub use input::{ChartData, Event, ScenarioInfo};
pub(crate) use numbers::day_span_year;
pub use render::RenderedChart;
pub use sweep::{
    Response, Sobol, SobolFactor, SweepCharts, Target, Tornado, TornadoBar, render_sweep,
};

/// Errors raised while preparing or drawing a chart.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Plotters failed to draw or encode the chart.
    #[error("{chart}: drawing error: {message}")]
    Draw { chart: String, message: String },
    /// The output directory or file could not be created.
    #[error("{chart}: i/o error: {message}")]
    Io { chart: String, message: String },
}

/// Renders every chart as PNG and SVG, in a fixed order.
///
/// Order: daily_trips_avoided, event_week (skipped when there is no event or no
/// scenario has a share on it), totals_by_scenario, totals_other_pollutants,
/// trips_by_region, roads_context and detectability (each skipped when the run has no
/// road-layer rows: see `context.rs` and `detectability.rs`), then a
/// `decomposition-<scenario>` per bundle scenario (none without measures: see
/// `decomposition.rs`) — each as `.png` then `.svg`.
pub fn render_all(input: &ChartData) -> Result<Vec<RenderedChart>, PlotError> {
    register_fonts();
    let mut out = Vec::with_capacity(14);

    let chart = daily::prepare(input);
    out.extend(render::render(&chart, daily::STEM)?);

    if let Some(chart) = event_week::prepare(input) {
        out.extend(render::render(&chart, event_week::STEM)?);
    }

    for layout in [&totals::MAIN, &totals::OTHER] {
        let chart = totals::prepare(input, layout);
        out.extend(render::render(&chart, layout.stem)?);
    }

    let chart = region::prepare(input);
    out.extend(render::render(&chart, region::STEM)?);

    if let Some(chart) = context::prepare(input) {
        out.extend(render::render(&chart, context::STEM)?);
    }

    if let Some(chart) = detectability::prepare(input) {
        out.extend(render::render(&chart, detectability::STEM)?);
    }

    for chart in decomposition::prepare(input) {
        out.extend(render::render(&chart, &chart.stem)?);
    }

    Ok(out)
}
