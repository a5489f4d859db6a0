//! A scenario's measures ([`crate::scenario::Measure`]) as the road layer applies them,
//! per working day of the plan and (region, period): the factor on each purpose's trips,
//! the share of road capacity left open, and the traffic a closure diverts to other
//! regions' roads. Compiled once per scenario; the day step (`day`) applies them to each
//! replicate's traffic.
//!
//! Order on the same trips (docs/method.md §6.10): the policies first (their workers at
//! home do not commute; their errands near home are the shopping-and-leisure purpose's and
//! take its factor), then the purpose measures on the non-commute traffic (whose trips are
//! not commutes, so nobody is counted twice), then closures on what is left on the roads.

use crate::calendar::Date;
use crate::scenario::{Measure, MeasureKind, N_PURPOSES, OddEvenAction, Purpose};

/// What the measures do on one working day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayMeasures {
    /// Per (region, period) at `r * 2 + p`: the factor on each purpose's trips (the
    /// product of every measure's).
    pub factors: Vec<[f64; N_PURPOSES]>,
    /// Per (region, period): the share of the region's road capacity left open.
    pub capacity: Vec<f64>,
    /// Per (region, period): diversions of that region's traffic, each (to region, share
    /// of the region's traffic that drives on the other region's roads instead).
    pub diverted: Vec<Vec<(usize, f64)>>,
    /// Per (region, period): the odd-even measures' strength, imposed above 0, suspended
    /// below (their sum, within -1..1).
    pub odd_even: Vec<f64>,
    /// The transit cap in force, if any.
    pub transit_cap: Option<TransitCapDay>,
}

/// A transit cap on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitCapDay {
    /// The share of normal capacity allowed aboard at the day's strength: 1 − s(1 − cap).
    pub cap: f64,
    /// Per mode: capped.
    pub modes: Vec<bool>,
    /// Per region: the commutes from or to it are capped.
    pub regions: Vec<bool>,
}

/// Where the road layer's measures act: per region its share of the study area's traffic
/// (by which diverted traffic spreads), whether it is in DKI (where the baseline has
/// odd-even), and per mode whether a transit cap without `modes` caps it.
#[derive(Debug, Clone, Copy)]
pub struct Areas<'a> {
    pub baseline_share: &'a [f64],
    pub is_dki: &'a [bool],
    pub capped_by_default: &'a [bool],
}

impl DayMeasures {
    fn none(n: usize) -> DayMeasures {
        DayMeasures {
            factors: vec![[1.0; N_PURPOSES]; n * 2],
            capacity: vec![1.0; n * 2],
            diverted: vec![Vec::new(); n * 2],
            odd_even: vec![0.0; n * 2],
            transit_cap: None,
        }
    }

    /// The factor on WFH workers' errands near home in (region, period): the
    /// shopping-and-leisure purpose's.
    pub fn errand_factor(&self, r: usize, p: usize) -> f64 {
        self.factors[r * 2 + p][Purpose::ShoppingLeisure.index()]
    }
}

/// Per working day of a plan: what its measures do, `None` on days none is in force.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasurePlan {
    pub days: Vec<Option<DayMeasures>>,
}

impl MeasurePlan {
    pub fn compile(measures: &[Measure], days: &[Date], areas: &Areas) -> Self {
        let days = days
            .iter()
            .map(|&d| {
                let on: Vec<(&Measure, f64)> = measures
                    .iter()
                    .map(|m| (m, m.strength_on(d)))
                    .filter(|(_, s)| *s > 0.0)
                    .collect();
                (!on.is_empty()).then(|| day(&on, areas))
            })
            .collect();
        MeasurePlan { days }
    }

    /// The measures of working day `i`, if any is in force.
    pub fn on(&self, i: usize) -> Option<&DayMeasures> {
        self.days.get(i).and_then(Option::as_ref)
    }
}

fn day(on: &[(&Measure, f64)], areas: &Areas) -> DayMeasures {
    let (n, baseline_share) = (areas.baseline_share.len(), areas.baseline_share);
    let mut d = DayMeasures::none(n);
    for &(m, s) in on {
        odd_even(&mut d, m, s, areas.is_dki);
        if let MeasureKind::TransitCap { cap, modes } = &m.kind {
            d.transit_cap = Some(TransitCapDay {
                cap: 1.0 - s * (1.0 - cap),
                modes: (0..areas.capped_by_default.len())
                    .map(|j| {
                        if modes.is_empty() {
                            areas.capped_by_default[j]
                        } else {
                            modes.contains(&j)
                        }
                    })
                    .collect(),
                regions: (0..n).map(|r| m.covers_region(r)).collect(),
            });
        }
        let f = m.kind.purpose_factors(s);
        for r in (0..n).filter(|&r| m.covers_region(r)) {
            for p in 0..2 {
                let x = &mut d.factors[r * 2 + p];
                for j in 0..N_PURPOSES {
                    x[j] *= f[j];
                }
            }
        }
        if let MeasureKind::RoadClosure {
            periods,
            capacity,
            diversion,
            divert_to,
        } = &m.kind
        {
            let open = 1.0 - s * (1.0 - capacity);
            let to_total: f64 = divert_to.iter().map(|&t| baseline_share[t]).sum();
            for r in (0..n).filter(|&r| m.covers_region(r)) {
                for p in (0..2).filter(|&p| periods[p]) {
                    d.capacity[r * 2 + p] *= open;
                    if *diversion > 0.0 && to_total > 0.0 {
                        let moved = diversion * (1.0 - open);
                        for &t in divert_to {
                            let share = moved * baseline_share[t] / to_total;
                            d.diverted[r * 2 + p].push((t, share));
                        }
                    }
                }
            }
        }
    }
    d
}

/// An odd-even measure's strength on its regions and periods: imposed above 0, suspended
/// below 0 (a suspension acts on DKI's regions only, where the baseline has odd-even).
fn odd_even(d: &mut DayMeasures, m: &Measure, s: f64, is_dki: &[bool]) {
    let MeasureKind::OddEven { action, periods } = &m.kind else {
        return;
    };
    let signed = match action {
        OddEvenAction::Impose => s,
        OddEvenAction::Suspend => -s,
    };
    for r in (0..is_dki.len()).filter(|&r| m.covers_region(r)) {
        if *action == OddEvenAction::Suspend && !is_dki[r] {
            continue;
        }
        for p in (0..2).filter(|&p| periods[p]) {
            let x = &mut d.odd_even[r * 2 + p];
            *x = (*x + signed).clamp(-1.0, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Window;

    fn measure(kind: MeasureKind, regions: Vec<usize>, share: f64) -> Measure {
        Measure {
            name: "m".into(),
            kind,
            regions,
            windows: vec![Window {
                from: Date::from_ymd(2023, 9, 4).unwrap(),
                to: Date::from_ymd(2023, 9, 5).unwrap(),
                share,
            }],
        }
    }

    #[test]
    fn factors_multiply_closures_divert_by_traffic_and_days_outside_are_none() {
        let days: Vec<Date> = (3..=6)
            .map(|d| Date::from_ymd(2023, 9, d).unwrap())
            .collect();
        let school = measure(MeasureKind::SchoolClosure, vec![0], 1.0);
        let limit = measure(
            MeasureKind::ActivityLimit {
                multipliers: [0.5, 0.6, 1.0],
            },
            vec![],
            0.5,
        );
        let closure = measure(
            MeasureKind::RoadClosure {
                periods: [true, false],
                capacity: 0.8,
                diversion: 0.5,
                divert_to: vec![1, 2],
            },
            vec![0],
            1.0,
        );
        let areas = Areas {
            baseline_share: &[0.5, 0.1, 0.3],
            is_dki: &[true, false, true],
            capped_by_default: &[true],
        };
        let plan = MeasurePlan::compile(&[school, limit, closure], &days, &areas);
        assert!(plan.on(0).is_none() && plan.on(3).is_none());
        let d = plan.on(1).unwrap();
        // Region 0: school closed (0) × half strength of 0.5 (0.75); region 1: 0.75 only.
        assert_eq!(d.factors[0], [0.0, 0.8, 1.0]);
        assert_eq!(d.factors[2], [0.75, 0.8, 1.0]);
        assert_eq!(d.capacity, vec![0.8, 1.0, 1.0, 1.0, 1.0, 1.0]);
        // Half of the closed fifth of region 0's peak traffic: 0.1, split 1 : 3.
        let moved: Vec<(usize, f64)> = d.diverted[0].clone();
        assert_eq!(moved.len(), 2);
        assert_eq!(moved[0].0, 1);
        assert!((moved[0].1 - 0.025).abs() < 1e-15 && (moved[1].1 - 0.075).abs() < 1e-15);
        assert!(d.diverted[1].is_empty());
    }
}
