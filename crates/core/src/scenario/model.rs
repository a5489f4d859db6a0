//! The scenario value: the implicit no-WFH baseline plus policies, as the rest of the
//! program uses it (dataset names already turned into indices). Whatever made it, a file,
//! `extends` or code, [`super::validate`] says whether it is sound.

use crate::calendar::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    /// Within each work unit the eligible staff take turns: on each working day a block of
    /// k = round(share × unit size) consecutive staff stays home, and the block moves on.
    Rotation,
    /// Each eligible worker independently stays home with probability `share` each day.
    RandomDaily,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareRule {
    /// "At most" the share: the unit's count is rounded down.
    Ceiling,
    /// "At least" the share: the unit's count is rounded up.
    Target,
}

/// What a unit's share is counted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBase {
    /// All staff of the work unit, exempt ones included, as DKI's circular counts its 50% /
    /// 75% ("dihitung dari total ASN" of each unit): exempt staff fill part of the office
    /// half, so exempting a few office roles barely changes how many stay home.
    Unit,
    /// Only the unit's staff allowed to work from home: every exempt role reduces the
    /// number at home.
    Eligible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitAccounting {
    /// A bus or train rider at home saves no vehicle-km: the vehicle runs anyway.
    Marginal,
    /// Per-passenger-km shares of transit emissions are counted as avoided.
    Average,
}

/// How grams per vehicle-km are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmissionModel {
    /// One factor per mode and pollutant (emissions.csv), whatever the speed: no
    /// congestion component.
    Fixed,
    /// EMEP/EEA (COPERT) hot-exhaust curves of speed per vehicle class and Euro class,
    /// CO2 and SO2 from fuel; the remaining traffic's faster speed is the congestion
    /// component.
    Speed,
}

/// A central value with an uncertainty range (low ≤ central ≤ high).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Range {
    pub central: f64,
    pub low: f64,
    pub high: f64,
}

impl Range {
    /// A value without uncertainty (central = low = high).
    pub const fn point(x: f64) -> Range {
        Range {
            central: x,
            low: x,
            high: x,
        }
    }
}

/// How a policy's compliance falls on its assigned workers (docs/method.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceModel {
    /// Every assigned worker complies each day independently, with the policy's drawn
    /// compliance.
    Iid,
    /// Each worker is a complier or not for the whole order (a persistent type drawn once
    /// per replicate, the same in every scenario).
    Persistent,
    /// Each work unit draws its own compliance from a Beta around the policy's, with
    /// intra-unit correlation `rho`; its members comply each day with the unit's.
    Clustered,
}

/// How compliance is taken up: by whom (the model) and how fast (the ramp from the order's
/// first day). The default, [`Uptake::IID`], is every worker independently at full
/// compliance from day one.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Uptake {
    pub model: ComplianceModel,
    /// Intra-unit correlation of compliance (`clustered` only; 0 otherwise).
    pub rho: Range,
    /// Working days from the order's first day over which compliance ramps up to its full
    /// level; 0 = no ramp.
    pub ramp_days: Range,
    /// Compliance on the order's first working day as a fraction of the full level (1 with
    /// no ramp).
    pub ramp_from: Range,
}

impl Uptake {
    pub const IID: Uptake = Uptake {
        model: ComplianceModel::Iid,
        rho: Range::point(0.0),
        ramp_days: Range::point(0.0),
        ramp_from: Range::point(1.0),
    };
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Window {
    pub from: Date,
    pub to: Date,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Policy {
    pub name: String,
    /// Employer indices into the dataset.
    pub employers: Vec<usize>,
    /// Work-region indices; empty = every region.
    pub work_regions: Vec<usize>,
    /// Home-region indices; empty = every region.
    pub home_regions: Vec<usize>,
    /// Per dataset role: true if the role is exempt (always at the workplace).
    pub exempt: Vec<bool>,
    pub assignment: Assignment,
    pub share_rule: ShareRule,
    pub share_base: ShareBase,
    pub compliance: Range,
    /// The compliance model and ramp (`compliance.model`, `rho`, `ramp_days`, `ramp_from`).
    pub uptake: Uptake,
    pub windows: Vec<Window>,
}

impl Policy {
    /// The share in force on `d` (0 outside every window).
    pub fn share_on(&self, d: Date) -> f64 {
        self.windows
            .iter()
            .find(|w| w.from <= d && d <= w.to)
            .map_or(0.0, |w| w.share)
    }

    pub fn covers_work_region(&self, r: usize) -> bool {
        self.work_regions.is_empty() || self.work_regions.contains(&r)
    }

    pub fn covers_home_region(&self, r: usize) -> bool {
        self.home_regions.is_empty() || self.home_regions.contains(&r)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParameterOverride {
    pub key: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    /// The title in Indonesian, for bilingual briefings (`title_id`; optional).
    pub title_id: Option<String>,
    pub description: String,
    /// Where it came from (a path, `builtin:<name>.toml`, or what code calls it).
    pub origin: String,
    /// SHA-256 (hex) of the file's bytes; for a file that `extends` another, of its bytes,
    /// a zero byte and its base's hash, so that it changes whenever any file of the chain
    /// does (docs/scenarios.md).
    pub hash: String,
    pub start: Date,
    pub end: Date,
    pub transit: TransitAccounting,
    pub rebound: bool,
    pub emission_model: EmissionModel,
    pub overrides: Vec<ParameterOverride>,
    pub policies: Vec<Policy>,
    /// The measures bundled with the policies (`[[measure]]`), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// The days effects are summed over when code fixes them (a bundle's decomposition
    /// measures every part of it over the whole bundle's window); `None`: from the
    /// schedules ([`Scenario::policy_window`]). Not in files.
    #[serde(skip)]
    pub fixed_window: Option<(Date, Date)>,
}

impl Scenario {
    /// First and last day on which any policy has a non-zero share or any measure a
    /// non-zero strength, inside the period. When every window's share is 0 the policies
    /// are in force but send nobody home, as when every role is exempt: the window is then
    /// that of all their windows, so the effect is 0 (not 0/0) over the days the order runs
    /// (docs/scenarios.md).
    pub fn policy_window(&self) -> Option<(Date, Date)> {
        if let Some(w) = self.fixed_window {
            return Some(w);
        }
        let all = || {
            let measures = self.measures.iter().flat_map(|m| m.windows.iter());
            self.policies
                .iter()
                .flat_map(|p| p.windows.iter())
                .chain(measures)
        };
        let any_share = all().any(|w| w.share > 0.0);
        let ws = all().filter(|w| w.share > 0.0 || !any_share);
        let from = ws.clone().map(|w| w.from).min()?;
        let to = ws.map(|w| w.to).max()?;
        Some((from.max(self.start), to.min(self.end)))
    }
}

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
    /// Odd-even plates: cars of the barred parity may not use the covered roads of the
    /// measure's regions in the chosen periods. `Impose` bars them where the baseline does
    /// not; `Suspend` lifts the baseline's own (DKI's regions, the peaks). A barred car
    /// trip switches mode, retimes, reroutes, takes a second car or pays no heed, by the
    /// dataset's response shares (`traffic.odd_even.*`).
    OddEven {
        action: OddEvenAction,
        /// Per period (peak, off-peak): in force in it.
        periods: [bool; 2],
    },
    /// Transit may carry only `cap` of its normal capacity: in the peak, the commuters
    /// above it (by the dataset's peak load factors) drive instead or stay home, by the
    /// dataset's shares (`transit.capped.*`).
    TransitCap {
        /// The share of normal capacity allowed aboard, in (0, 1].
        cap: f64,
        /// Mode indices capped; empty = every rail and bus mode.
        modes: Vec<usize>,
    },
}

/// What an odd-even measure does to the plates rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OddEvenAction {
    /// Bar the cars of one parity where the baseline does not.
    Impose,
    /// Lift the baseline's odd-even (DKI's covered roads in the peaks).
    Suspend,
}

impl OddEvenAction {
    pub const NAMES: [&'static str; 2] = ["impose", "suspend"];

    pub fn as_str(self) -> &'static str {
        match self {
            OddEvenAction::Impose => Self::NAMES[0],
            OddEvenAction::Suspend => Self::NAMES[1],
        }
    }
}

impl MeasureKind {
    pub const NAMES: [&'static str; 6] = [
        "school_closure",
        "activity_limit",
        "road_closure",
        "attendance",
        "odd_even",
        "transit_cap",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            MeasureKind::SchoolClosure => Self::NAMES[0],
            MeasureKind::ActivityLimit { .. } => Self::NAMES[1],
            MeasureKind::RoadClosure { .. } => Self::NAMES[2],
            MeasureKind::Attendance { .. } => Self::NAMES[3],
            MeasureKind::OddEven { .. } => Self::NAMES[4],
            MeasureKind::TransitCap { .. } => Self::NAMES[5],
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
            MeasureKind::RoadClosure { .. }
            | MeasureKind::Attendance { .. }
            | MeasureKind::OddEven { .. }
            | MeasureKind::TransitCap { .. } => [1.0; N_PURPOSES],
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
