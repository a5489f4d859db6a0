//! What the measures a scenario bundles with its policies do (`[[measure]]` in a file;
//! docs/scenarios.md "Measures"; their types are the scenario value's, `model`): each acts
//! on the trips it touches — a purpose of the non-commute traffic, a region's road
//! capacity, or (attendance) the workers at their workplace — on the working days of its
//! schedule, with a strength per window (0 = not in force, 1 = as written). The road layer
//! applies the first two (`traffic::measures`); attendance runs as the policy it acts
//! through ([`Scenario::effective`]). A bundle's parts, as its decomposition splits it.

use crate::data::{Mode, ModeKind, VehicleClass};

use super::model::{
    Assignment, Measure, MeasureKind, Policy, Range, Scenario, ShareBase, ShareRule, Uptake,
};

impl Measure {
    /// The measure's strength on `d` (0 outside every window).
    pub fn strength_on(&self, d: crate::calendar::Date) -> f64 {
        self.windows
            .iter()
            .find(|w| w.from <= d && d <= w.to)
            .map_or(0.0, |w| w.share)
    }

    pub fn covers_region(&self, r: usize) -> bool {
        self.regions.is_empty() || self.regions.contains(&r)
    }
}

impl Measure {
    /// The policy an attendance measure acts through (`None` for other kinds): every
    /// covered worker of a non-exempt role eligible, each away from the workplace with
    /// probability (window share = strength) × (compliance = 1 − attendance, its range
    /// reversed), drawn every day.
    pub fn attendance_policy(&self, n_employers: usize) -> Option<Policy> {
        let MeasureKind::Attendance {
            employers,
            exempt,
            attendance: a,
        } = &self.kind
        else {
            return None;
        };
        Some(Policy {
            name: self.name.clone(),
            employers: if employers.is_empty() {
                (0..n_employers).collect()
            } else {
                employers.clone()
            },
            work_regions: self.regions.clone(),
            home_regions: Vec::new(),
            exempt: exempt.clone(),
            assignment: Assignment::RandomDaily,
            share_rule: ShareRule::Ceiling,
            share_base: ShareBase::Eligible,
            compliance: Range {
                central: 1.0 - a.central,
                low: 1.0 - a.high,
                high: 1.0 - a.low,
            },
            uptake: Uptake::IID,
            windows: self.windows.clone(),
        })
    }
}

/// Whether a transit cap may name `mode`: rail, bus and minibus services.
pub fn is_transit(mode: &Mode) -> bool {
    matches!(mode.kind, ModeKind::Rail | ModeKind::RoadTransit)
}

/// Whether a transit cap without `modes` caps `mode`: rail and buses (KRL, MRT/LRT,
/// TransJakarta), not minibuses.
pub fn capped_by_default(mode: &Mode) -> bool {
    mode.kind == ModeKind::Rail
        || (mode.kind == ModeKind::RoadTransit && mode.vehicle == Some(VehicleClass::Bus))
}

/// The name of the part made of a scenario's WFH orders.
pub const WFH_PART: &str = "WFH orders";

/// The most parts a bundle splits over (its decomposition runs 2^parts scenarios).
pub const MAX_PARTS: usize = 6;

/// The parts of a bundle, as its decomposition splits its effect: the WFH orders as one
/// part (when any policy sends anyone home), then each measure name by first appearance
/// (measures of one name are one part). Names, and per part the policy and measure
/// indices it holds.
pub fn parts(sc: &Scenario) -> Vec<(String, Vec<usize>, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>, Vec<usize>)> = Vec::new();
    let wfh = sc
        .policies
        .iter()
        .any(|p| p.windows.iter().any(|w| w.share > 0.0));
    if wfh {
        out.push((
            WFH_PART.into(),
            (0..sc.policies.len()).collect(),
            Vec::new(),
        ));
    }
    for (j, m) in sc.measures.iter().enumerate() {
        match out
            .iter_mut()
            .find(|(n, pol, _)| pol.is_empty() && *n == m.name)
        {
            Some((_, _, ms)) => ms.push(j),
            None => out.push((m.name.clone(), Vec::new(), vec![j])),
        }
    }
    out
}

impl Scenario {
    /// The scenario the engine runs: its policies, then one per attendance measure (in
    /// measure order, after the file's policies, so their draws stay theirs).
    pub fn effective(&self, n_employers: usize) -> std::borrow::Cow<'_, Scenario> {
        let extra: Vec<Policy> = self
            .measures
            .iter()
            .filter_map(|m| m.attendance_policy(n_employers))
            .collect();
        if extra.is_empty() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut s = self.clone();
        s.policies.extend(extra);
        std::borrow::Cow::Owned(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purpose_factor_moves_from_one_to_the_multiplier_with_strength() {
        let k = MeasureKind::ActivityLimit {
            multipliers: [1.0, 0.4, 0.8],
        };
        assert_eq!(k.purpose_factors(0.0), [1.0; 3]);
        assert_eq!(k.purpose_factors(1.0), [1.0, 0.4, 0.8]);
        assert_eq!(k.purpose_factors(0.5), [1.0, 0.7, 0.9]);
        assert_eq!(
            MeasureKind::SchoolClosure.purpose_factors(1.0),
            [0.0, 1.0, 1.0]
        );
        let closure = MeasureKind::RoadClosure {
            periods: [true, false],
            capacity: 0.5,
            diversion: 0.2,
            divert_to: vec![],
        };
        assert_eq!(closure.purpose_factors(1.0), [1.0; 3]);
    }
}
