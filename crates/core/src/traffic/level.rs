//! The congestion level rows of the summary: TomTom's congestion level — the extra travel
//! time over free flow, free-flow speed ÷ (vehicle-km ÷ vehicle-hours) − 1, the one
//! definition in [`calibration::congestion_level`] — of the traffic on DKI's roads over
//! the policy window, all day (`dki_roads`) and at the peak (`dki_roads_peak`).
//!
//! Per replicate, from its road sums alone: the baseline's vehicle-km and vehicle-hours
//! per working day ([`calibration::dki_baseline`], as the calibration report's level),
//! less the window's net change of both (the `net` rows of `vehicle_km` and
//! `vehicle_hours`) per window working day — the window's traffic as a whole, total
//! vehicle-km over total vehicle-hours — against that replicate's free-flow speed. With
//! nothing changed on the roads the scenario's level is the baseline's, bit for bit.

use super::calibration::{congestion_level, dki_baseline};
use super::step::RoadSums;
use super::totals::{ALL_PERIODS, PEAK_ONLY, Scope};
use crate::results::quantile::{quantiles, with_errors};
use crate::results::schema::{LEVEL_COMPONENT, MetricId};
use crate::results::{Basis, SummaryRow};

/// One replicate's congestion level (fractions): with the scenario over the window, and
/// the baseline's.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Level {
    scenario: f64,
    baseline: f64,
}

/// Replicate `s`'s level on DKI's roads in `periods`.
fn level(scope: &Scope, s: &RoadSums, periods: &[usize]) -> Level {
    let (vkm, vh) = dki_baseline(scope.ctx, s, periods);
    let [net_vkm, net_vh] = scope.dki_net_vkm_vh(s, periods);
    // Without a window nothing changes (both nets are zero).
    let days = scope.wd.max(1.0);
    let v_free = s.draw.v_free;
    Level {
        scenario: congestion_level(v_free, vkm - net_vkm / days, vh - net_vh / days),
        baseline: congestion_level(v_free, vkm, vh),
    }
}

/// The level rows of a scenario's replicates, one per basis of [`Basis::LEVEL`], in
/// percent: the total is the scenario's level over the window (a level: its per-day value
/// is itself), the baseline the baseline's level, and the percent-of-baseline band the
/// change of the level against the baseline in percentage points (scenario − baseline,
/// replicate by replicate; negative when the roads are less congested).
pub(super) fn summary_rows(scope: &Scope, reps: &[RoadSums]) -> Vec<SummaryRow> {
    Basis::LEVEL
        .into_iter()
        .map(|basis| {
            let periods: &[usize] = match basis {
                Basis::DkiRoadsPeak => &PEAK_ONLY,
                _ => &ALL_PERIODS,
            };
            let levels: Vec<Level> = reps.iter().map(|s| level(scope, s, periods)).collect();
            row(basis, &levels)
        })
        .collect()
}

/// The summary row of `basis` from each replicate's level.
fn row(basis: Basis, levels: &[Level]) -> SummaryRow {
    let pct = |f: fn(&Level) -> f64| levels.iter().map(|l| 100.0 * f(l)).collect::<Vec<_>>();
    let (total, total_error) = with_errors(&mut pct(|l| l.scenario));
    SummaryRow {
        basis,
        region: None,
        metric: MetricId::CONGESTION_LEVEL,
        component: LEVEL_COMPONENT,
        total,
        total_error,
        per_day_p50: total.median(),
        baseline_p50: quantiles(&mut pct(|l| l.baseline)).median(),
        pct: quantiles(&mut pct(|l| l.scenario - l.baseline)),
        pct_dki: None,
    }
}
