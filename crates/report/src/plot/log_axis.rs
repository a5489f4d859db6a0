//! A log axis of percentages shared by the roads-and-air and detectability charts, and
//! the mesh drawn on it.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};
use plotters::prelude::*;

use super::axis::Axis;
use super::frame::{DrawResult, de};
use super::numbers;
use super::style;
use crate::labels::Lang;

/// Log axis over `lo..hi` (both > 0); values at or below `lo` (including zero and
/// negatives) are drawn at `lo`. Ticks (grid lines) at each decade, with 2 and 5 between
/// them when there is room; labels on every decade, or on every other one (those of
/// 1, 0.01, …) or every third when labels of adjacent decades would touch.
pub(super) struct LogAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    labelled: Vec<f64>,
    /// The language of the tick labels.
    lang: Lang,
}

/// Width of a tick label such as "0.001", in pixels, at the tick size, and of one of its
/// characters (an upper bound: digits and the point average less).
const TICK_LABEL_W: f64 = 56.0;
const TICK_CHAR_W: f64 = 11.0;

impl LogAxis {
    /// An axis `plot_w` pixels wide over `lo..hi`.
    pub fn new(lo: f64, hi: f64, plot_w: u32) -> Self {
        let lo = if lo.is_finite() && lo > 0.0 { lo } else { 1e-3 };
        let hi = if hi.is_finite() && hi > lo * 1.5 {
            hi
        } else {
            lo * 10.0
        };
        let per_decade = plot_w as f64 / (hi / lo).log10();
        let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
        let first = lo.log10().floor() as i32;
        let last = hi.log10().ceil() as i32;
        let decades: Vec<(i32, f64)> = (first..=last)
            .map(|e| (e, 10f64.powi(e)))
            .filter(|(_, v)| inside(*v))
            .collect();
        let mut ticks: Vec<f64> = decades.iter().map(|d| d.1).collect();
        if per_decade >= 3.5 * TICK_LABEL_W {
            for e in first..=last {
                ticks.extend(
                    [2.0, 5.0]
                        .map(|m| m * 10f64.powi(e))
                        .into_iter()
                        .filter(|v| inside(*v)),
                );
            }
            ticks.sort_by(f64::total_cmp);
        }
        // Label every `stride`-th decade (those of 1, 0.01, … when 2), so that the widest
        // label and a gap fit between two labelled decades.
        let widest = decades
            .iter()
            .map(|d| (numbers::pct2(d.1, Lang::En).chars().count() - 1) as f64 * TICK_CHAR_W)
            .fold(0.0, f64::max);
        let stride = ((widest + 14.0) / per_decade).ceil().max(1.0) as i32;
        let labelled = if per_decade >= 3.5 * TICK_LABEL_W {
            ticks.clone()
        } else {
            decades
                .iter()
                .filter(|(e, _)| e.rem_euclid(stride) == 0)
                .map(|d| d.1)
                .collect()
        };
        Self {
            lo,
            hi,
            ticks,
            labelled,
            lang: Lang::En,
        }
    }

    /// The same axis with its labels written in `lang` ("0,01" in Indonesian).
    pub fn in_lang(self, lang: Lang) -> Self {
        Self { lang, ..self }
    }

    /// Axis from the smallest and largest values to show: from `min / margin` to `max`
    /// times `headroom`.
    pub fn covering(min: f64, max: f64, margin: f64, headroom: f64, plot_w: u32) -> Self {
        let lo = if min.is_finite() && min > 0.0 {
            min / margin
        } else {
            1e-3
        };
        Self::new(lo, (max * headroom).max(lo * 10.0), plot_w)
    }

    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// `v`, clamped to the axis.
    pub fn clamp(&self, v: f64) -> f64 {
        if v.is_finite() && v > self.lo {
            v.min(self.hi)
        } else {
            self.lo
        }
    }

    /// The label of tick `v` ("0.001", "2", "20"), or "" for an unlabelled tick.
    pub fn label(&self, v: f64) -> String {
        if self.labelled.iter().any(|l| (l / v - 1.0).abs() < 1e-9) {
            numbers::pct2(v, self.lang)
                .trim_end_matches('%')
                .to_string()
        } else {
            String::new()
        }
    }
}

impl Ranged for LogAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let v = if value.is_finite() && *value > self.lo {
            *value
        } else {
            self.lo
        };
        let f = (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10());
        let px = limit.0 as f64 + f * (limit.1 - limit.0) as f64;
        px.clamp(-1e6, 1e6).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.max_num_points() == 0 || matches!(hint.weight(), KeyPointWeight::Any) {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// Draws the mesh of a panel whose x axis is a [`LogAxis`] of percentages and whose rows
/// are labelled by the caller: vertical grid lines at the axis's ticks, no y labels.
pub(super) fn log_percent_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<LogAxis, Axis>>,
    ax: &LogAxis,
    x_desc: &str,
) -> DrawResult {
    let x_fmt = |v: &f64| ax.label(*v);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc(x_desc)
        .x_label_formatter(&x_fmt)
        .label_style(style::text(style::TICK_PX))
        .axis_desc_style(style::text(style::LABEL_PX))
        .bold_line_style(style::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(style::MUTED)
        .draw()
        .map_err(de)?;
    Ok(())
}
