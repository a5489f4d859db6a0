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
    pub measures: Vec<super::measure::Measure>,
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
