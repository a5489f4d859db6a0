//! Each replicate's whole-area values per working day of the few measures the event-week
//! chart compares (trips, CO₂ and PM2.5 avoided): what the band of a per-day difference
//! between two scenarios is made of. The daily table's bands are per-day quantiles over
//! replicates, so two of them say nothing about the difference; with common random
//! numbers the difference replicate by replicate does ([`super::paired::by_day`]).

use super::grid::{Basis, Grid};
use super::reduce::ReplicateSums;
use super::schema::{Component, MetricId, N_SLOTS, value};
use crate::calendar::Date;

/// The measures kept per replicate and day, in column order: trips avoided (gross, as
/// the daily table's `trips_avoided`), CO₂ and PM2.5 avoided net of rebound.
pub const MEASURES: [(MetricId, Component); 3] = [
    (MetricId::TRIPS, Component::Gross),
    (MetricId::CO2, Component::Net),
    (MetricId::PM25, Component::Net),
];

/// One day's values of [`MEASURES`], in that order.
pub type DayValues = [f64; MEASURES.len()];

/// One scenario's whole-area values per replicate and working day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicateDaily {
    /// The working days of the period, in order (the daily table's dates).
    pub days: Vec<Date>,
    /// `values[replicate][day]`.
    pub values: Vec<Vec<DayValues>>,
}

/// One replicate's whole-area (region basis, region and mode `all`) values of
/// [`MEASURES`] on each day of its sums.
pub fn whole_area_daily(g: Grid, sums: &ReplicateSums) -> Vec<DayValues> {
    let o = g.row(Basis::All, 0, g.nm) * N_SLOTS;
    (0..g.days)
        .map(|d| {
            let slots = &sums.daily.get(d)[o..o + N_SLOTS];
            MEASURES.map(|(m, c)| value(slots, m, c))
        })
        .collect()
}
