//! Records from a finished simulation: the core's results with region and mode indices
//! resolved to the run's codes and names (from its [`RunInfo`]).

use polars::error::{PolarsError, PolarsResult};

use super::records::DKI;
use super::{ALL, DailyRecord, DetectabilityRecord, SummaryRecord, WindowRecord};
use crate::export::RunInfo;
use wfhsim_core::results::Results;
use wfhsim_core::traffic::detect::Comparison;

pub(super) fn daily(results: &Results, info: &RunInfo) -> Vec<DailyRecord> {
    let code = |codes: &[String], i: Option<usize>| i.map_or(ALL.into(), |i| codes[i].clone());
    let regions: Vec<String> = info.regions.iter().map(|g| g.code.clone()).collect();
    let modes: Vec<String> = info.modes.iter().map(|m| m.code.clone()).collect();
    results
        .scenarios
        .iter()
        .flat_map(|s| {
            let (regions, modes) = (&regions, &modes);
            s.daily.iter().map(move |r| DailyRecord {
                scenario: s.scenario.name.clone(),
                date: r.date,
                basis: r.basis,
                region: code(regions, r.region),
                mode: code(modes, r.mode),
                baseline_trips: r.baseline_trips,
                values: r.q.clone(),
            })
        })
        .collect()
}

pub(super) fn summary(results: &Results, info: &RunInfo) -> Vec<SummaryRecord> {
    let mut out = Vec::new();
    for s in &results.scenarios {
        for r in &s.summary {
            let region = r.region.map(|i| &info.regions[i]);
            // A row of no region is DKI's on the DKI bases and the whole area's otherwise.
            let (code, name) = match (region, r.basis.is_dki_aggregate()) {
                (Some(g), _) => (g.code.clone(), g.name.clone()),
                (None, true) => (DKI.into(), "DKI Jakarta".into()),
                (None, false) => (ALL.into(), info.area_name.clone()),
            };
            out.push(SummaryRecord {
                scenario: s.scenario.name.clone(),
                title: s.scenario.title.clone(),
                basis: r.basis,
                region: code,
                region_name: name,
                metric: r.metric,
                component: r.component,
                window: s.window,
                window_working_days: s.window_working_days as i64,
                total: r.total,
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
                p_visible_city: d.p_visible_city,
            });
        }
    }
    Ok(out)
}
