//! Records from a finished simulation: the core's results with region and mode indices
//! resolved to the run's codes and names (from its [`RunInfo`]).

use std::sync::Arc;

use polars::error::{PolarsError, PolarsResult};

use super::records::DKI;
use super::{
    ALL, CalibrationRecord, ComparisonRecord, DailyRecord, DecompositionRecord,
    DetectabilityRecord, ReplicateDayRecord, SummaryRecord, WindowRecord,
};
use crate::export::RunInfo;
use wfhsim_core::results::Results;
use wfhsim_core::traffic::detect::Comparison;

/// The text of a record's key column, shared by every row that carries it (a row holds a
/// counted reference, not its own copy).
type Shared = Arc<str>;

pub(super) fn daily(results: &Results, info: &RunInfo) -> Vec<DailyRecord> {
    let all: Shared = ALL.into();
    let shared = |codes: Vec<&str>| codes.into_iter().map(Shared::from).collect::<Vec<_>>();
    let regions = shared(info.regions.iter().map(|g| g.code.as_str()).collect());
    let modes = shared(info.modes.iter().map(|m| m.code.as_str()).collect());
    let code = |codes: &[Shared], i: Option<usize>| i.map_or(all.clone(), |i| codes[i].clone());
    let mut out = Vec::with_capacity(results.scenarios.iter().map(|s| s.daily.len()).sum());
    for s in &results.scenarios {
        let scenario: Shared = s.scenario.name.as_str().into();
        out.extend(s.daily.iter().map(|r| DailyRecord {
            scenario: scenario.clone(),
            date: r.date,
            basis: r.basis,
            region: code(&regions, r.region),
            mode: code(&modes, r.mode),
            baseline_trips: r.baseline_trips,
            values: r.q.clone(),
        }));
    }
    out
}

pub(super) fn summary(results: &Results, info: &RunInfo) -> Vec<SummaryRecord> {
    let pair = |code: &str, name: &str| (Shared::from(code), Shared::from(name));
    let regions: Vec<_> = info
        .regions
        .iter()
        .map(|g| pair(&g.code, &g.name))
        .collect();
    let dki = pair(DKI, "DKI Jakarta");
    let all = pair(ALL, &info.area_name);
    let mut out = Vec::new();
    for s in &results.scenarios {
        let (scenario, title): (Shared, Shared) = (
            s.scenario.name.as_str().into(),
            s.scenario.title.as_str().into(),
        );
        for r in &s.summary {
            // A row of no region is DKI's on the DKI bases and the whole area's otherwise.
            let (code, name) = match (r.region, r.basis.is_dki_aggregate()) {
                (Some(i), _) => regions[i].clone(),
                (None, true) => dki.clone(),
                (None, false) => all.clone(),
            };
            out.push(SummaryRecord {
                scenario: scenario.clone(),
                title: title.clone(),
                basis: r.basis,
                region: code,
                region_name: name,
                metric: r.metric,
                component: r.component,
                window: s.window,
                window_working_days: s.window_working_days as i64,
                total: r.total,
                total_error: r.total_error,
                per_day_p50: r.per_day_p50,
                baseline_total_p50: r.baseline_p50,
                pct_baseline: r.pct,
                pct_baseline_dki: r.pct_dki,
            });
        }
    }
    out
}

pub(super) fn windows(results: &Results) -> Vec<WindowRecord> {
    let mut out = Vec::new();
    for r in &results.scenarios {
        for pol in &r.scenario.policies {
            for w in &pol.windows {
                out.push(WindowRecord {
                    scenario: r.scenario.name.clone(),
                    policy: pol.name.clone(),
                    from: w.from,
                    to: w.to,
                    share: w.share,
                });
            }
        }
    }
    out
}

pub(super) fn comparisons(results: &Results) -> Vec<ComparisonRecord> {
    let names: Vec<Shared> = results
        .scenarios
        .iter()
        .map(|s| s.scenario.name.as_str().into())
        .collect();
    let (dki, all): (Shared, Shared) = (DKI.into(), ALL.into());
    results
        .comparisons
        .iter()
        .map(|c| ComparisonRecord {
            scenario_a: names[c.a].clone(),
            scenario_b: names[c.b].clone(),
            basis: c.basis,
            region: if c.basis.is_dki_aggregate() {
                dki.clone()
            } else {
                all.clone()
            },
            metric: c.metric,
            component: c.component,
            difference: c.difference,
            difference_per_day: c.per_day,
            p_a_greater: c.a_greater,
            p_b_greater: c.b_greater,
            replicates: c.replicates as i64,
        })
        .collect()
}

/// One record per bundle × part × summary row without a region, in run, part and row
/// order.
pub(super) fn decomposition(results: &Results) -> Vec<DecompositionRecord> {
    let (dki, all): (Shared, Shared) = (DKI.into(), ALL.into());
    let mut out = Vec::new();
    for d in &results.decompositions {
        let Some(s) = results
            .scenarios
            .iter()
            .find(|s| s.scenario.name == d.scenario)
        else {
            continue;
        };
        let scenario: Shared = d.scenario.as_str().into();
        for (j, part) in d.parts.iter().enumerate() {
            let part: Shared = part.as_str().into();
            for (row, bands) in s.summary.iter().zip(&d.bands) {
                if row.region.is_some() {
                    continue;
                }
                out.push(DecompositionRecord {
                    scenario: scenario.clone(),
                    part: part.clone(),
                    basis: row.basis,
                    region: if row.basis.is_dki_aggregate() {
                        dki.clone()
                    } else {
                        all.clone()
                    },
                    metric: row.metric,
                    component: row.component,
                    contribution: bands[j],
                    replicates: d.replicates.len() as i64,
                });
            }
        }
    }
    out
}

/// One record per scenario × replicate × working day, in run, replicate and day order.
pub(super) fn replicates_daily(results: &Results) -> Vec<ReplicateDayRecord> {
    let mut out = Vec::new();
    for s in &results.scenarios {
        let scenario: Shared = s.scenario.name.as_str().into();
        let d = &s.replicate_daily;
        for (k, days) in d.values.iter().enumerate() {
            out.extend(
                d.days
                    .iter()
                    .zip(days)
                    .map(|(&date, &values)| ReplicateDayRecord {
                        scenario: scenario.clone(),
                        replicate: k as i64,
                        date,
                        values,
                    }),
            );
        }
    }
    out
}

pub(super) fn detectability(results: &Results) -> PolarsResult<Vec<DetectabilityRecord>> {
    let mut out = Vec::new();
    for s in &results.scenarios {
        for d in &s.roads.detect {
            let comparison = Comparison::ALL
                .into_iter()
                .find(|c| c.as_str() == d.comparison)
                .ok_or_else(|| {
                    PolarsError::ComputeError(
                        format!("unknown comparison '{}'", d.comparison).into(),
                    )
                })?;
            out.push(DetectabilityRecord {
                scenario: s.scenario.name.clone(),
                comparison,
                days_each_side: d.days as i64,
                effect_pct: d.effect_pct,
                mde_city_pct: d.mde_city_pct,
                mde_site_pct: d.mde_site_pct,
                visible_city: d.visible_city,
                visible_site: d.visible_site,
                power_city: d.power_city,
            });
        }
    }
    Ok(out)
}

pub(super) fn calibration(results: &Results) -> Vec<CalibrationRecord> {
    results
        .scenarios
        .iter()
        .flat_map(|s| {
            s.roads.calibration.iter().map(|c| CalibrationRecord {
                scenario: s.scenario.name.clone(),
                target: c.key.clone(),
                unit: c.unit.clone(),
                year: c.year.map_or(0, i64::from),
                source: c.source.clone(),
                value: c.target,
                low: c.low,
                high: c.high,
                modelled: c.modelled,
                inside: c.inside,
            })
        })
        .collect()
}
