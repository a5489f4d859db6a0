//! A linear f64 axis with explicit tick positions (labels come from the
//! chart's label formatter).

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};

/// Linear axis over `lo..hi` whose bold ticks are exactly `ticks`.
pub(super) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let ticks = ticks.into_iter().filter(|t| *t >= lo && *t <= hi).collect();
        Self { lo, hi, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = (value - self.lo) / (self.hi - self.lo);
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
