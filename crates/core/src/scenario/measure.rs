//! Measures besides working from home that a scenario bundles with its policies
//! (`[[measure]]` in a file; docs/scenarios.md "Measures"): each acts on the trips it
//! touches — a purpose of the non-commute traffic, or a region's road capacity — on the
//! working days of its schedule, with a strength per window (0 = not in force, 1 = as
//! written). The road layer applies them (`traffic::measures`).

use super::model::{Assignment, Policy, Range, Scenario, ShareBase, ShareRule, Uptake, Window};

/// The purposes of the non-commute traffic of motorcycles and cars that measures act on
/// (the dataset's `traffic.purpose.<name>.<period>` rows give each one's share of the
/// period's light-vehicle traffic); the rest (through traffic, personal trips, light
/// freight) is not touched by any measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Students' and school staff's trips to and from school, and parents' escort trips.
    School,
    /// Shopping, leisure, dining, worship and social visits.
    ShoppingLeisure,
    /// Trips in the course of work (meetings, sales, services).
    Business,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Purpose::School, Purpose::ShoppingLeisure, Purpose::Business];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::School => "school",
            Purpose::ShoppingLeisure => "shopping_leisure",
            Purpose::Business => "business",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

pub const N_PURPOSES: usize = Purpose::ALL.len();

/// What a measure does at full strength.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeasureKind {
    /// Schools teach at a distance: the school purpose's trips are not made.
    SchoolClosure,
    /// Each purpose's trips are multiplied by its factor (1 = unchanged, 0 = none).
    ActivityLimit {
        /// Per [`Purpose`], in [`Purpose::ALL`]'s order.
        multipliers: [f64; N_PURPOSES],
    },
    /// Part of the roads of the measure's regions is closed in the chosen periods: the
    /// regions keep `capacity` of their capacity; of the traffic the closed part carried,
    /// `diversion` drives on the roads of `divert_to` instead (spread by their traffic),
    /// the rest squeezes onto the remaining roads of its own region.
    RoadClosure {
        /// Per period (peak, off-peak): closed in it.
        periods: [bool; 2],
        capacity: f64,
        diversion: f64,
        /// Region indices that take the diverted traffic.
        divert_to: Vec<usize>,
    },
    /// An observed share of workers at their workplace (against normal), for orders that
    /// closed workplaces by sector rather than sending staff home by rotation: each
    /// covered worker whose role is not exempt is away from the workplace each working
    /// day with probability strength × (1 − attendance), independently (a random-daily
    /// policy with compliance 1 − attendance; [`Scenario::effective`]).
    Attendance {
        /// Employer indices; empty = every employer.
        employers: Vec<usize>,
        /// Per dataset role: true if the role keeps attending.
        exempt: Vec<bool>,
        /// The share at the workplace, with its range.
        attendance: Range,
    },
}

impl MeasureKind {
    pub const NAMES: [&'static str; 4] = [
        "school_closure",
        "activity_limit",
        "road_closure",
        "attendance",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            MeasureKind::SchoolClosure => Self::NAMES[0],
            MeasureKind::ActivityLimit { .. } => Self::NAMES[1],
            MeasureKind::RoadClosure { .. } => Self::NAMES[2],
            MeasureKind::Attendance { .. } => Self::NAMES[3],
        }
    }

    /// Per purpose, the factor on its trips at `strength` (0..1) of the measure: 1 − s(1 − m).
    pub fn purpose_factors(&self, strength: f64) -> [f64; N_PURPOSES] {
        let full: [f64; N_PURPOSES] = match self {
            MeasureKind::SchoolClosure => std::array::from_fn(|j| {
                if j == Purpose::School.index() {
                    0.0
                } else {
                    1.0
                }
            }),
            MeasureKind::ActivityLimit { multipliers } => *multipliers,
            MeasureKind::RoadClosure { .. } | MeasureKind::Attendance { .. } => [1.0; N_PURPOSES],
        };
        full.map(|m| 1.0 - strength * (1.0 - m))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measure {
    pub name: String,
    pub kind: MeasureKind,
    /// Region indices it acts in (the trips on their roads, or their roads' capacity);
    /// empty = every region.
    pub regions: Vec<usize>,
    /// When it is in force, each window's `share` its strength (0..1).
    pub windows: Vec<Window>,
}

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
