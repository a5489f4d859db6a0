//! The event week's two first compared scenarios side by side replicate by replicate:
//! each replicate's whole-area values ([`ReplicateDayRecord`]) of scenario A and of
//! scenario B on the shown days, and the bands of their differences A_r − B_r (common
//! random numbers: both draw the same inputs in replicate r). Read by the event-week
//! chart (per day) and the briefing (per day over the event's days), so both show the
//! same comparison.

use std::collections::{BTreeMap, BTreeSet};

use crate::view::records::ReplicateDayRecord;
use wfhsim_core::results::paired::{self, Difference};
use wfhsim_core::results::replicate_daily::{DayValues, MEASURES};
use wfhsim_core::results::schema::{Component, MetricId};

/// Scenario A's and B's values on a list of days, over the replicates that have every
/// one of those days for both: `a[r][d]`, `b[r][d]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PairedDays {
    pub a: Vec<Vec<DayValues>>,
    pub b: Vec<Vec<DayValues>>,
}

impl PairedDays {
    /// `a`'s and `b`'s replicates on `days` (days since 1970-01-01); none when no
    /// replicate has every day for both.
    pub fn new(records: &[ReplicateDayRecord], a: &str, b: &str, days: &[i32]) -> Option<Self> {
        let mut at: BTreeMap<(&str, i64, i32), DayValues> = BTreeMap::new();
        for r in records {
            if &*r.scenario == a || &*r.scenario == b {
                at.insert((&*r.scenario, r.replicate, r.date.0), r.values);
            }
        }
        let replicates: BTreeSet<i64> = at.keys().map(|k| k.1).collect();
        let row = |s: &str, k: i64| -> Option<Vec<DayValues>> {
            days.iter().map(|&d| at.get(&(s, k, d)).copied()).collect()
        };
        let (mut va, mut vb) = (Vec::new(), Vec::new());
        for k in replicates {
            if let (Some(x), Some(y)) = (row(a, k), row(b, k)) {
                va.push(x);
                vb.push(y);
            }
        }
        (!va.is_empty() && !days.is_empty()).then_some(PairedDays { a: va, b: vb })
    }

    pub fn replicates(&self) -> usize {
        self.a.len()
    }

    /// One measure's values, `v[r][d]`.
    fn measure(v: &[Vec<DayValues>], k: usize) -> Vec<Vec<f64>> {
        v.iter().map(|r| r.iter().map(|x| x[k]).collect()).collect()
    }

    /// The band of A_r − B_r on each day, for measure `k` (an index into [`MEASURES`]).
    pub fn per_day(&self, k: usize) -> Vec<Difference> {
        paired::by_day(&Self::measure(&self.a, k), &Self::measure(&self.b, k))
    }

    /// The band of A_r − B_r of measure `k` per day over the days `days` (indices into
    /// the days given): each replicate's mean over those days, then the band.
    pub fn mean_over(&self, k: usize, days: std::ops::Range<usize>) -> Difference {
        paired::mean_over_days(&Self::measure(&self.a, k), &Self::measure(&self.b, k), days)
    }
}

/// The index in [`MEASURES`] of a metric's component, if it is kept per replicate.
pub(crate) fn measure_index(metric: MetricId, component: Component) -> Option<usize> {
    MEASURES.iter().position(|&m| m == (metric, component))
}
