//! `run.json`: what a run folder needs besides its tables to be read on its own — region
//! and mode names, the events to mark, the scenarios' titles and windows, the dataset's
//! source note and the run's label. `wfhsim plot` (and later `report`, `diff`) read it
//! instead of the dataset, so a run made with `--data X` redraws correctly anywhere.

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::results::Results;
use crate::scenario::Scenario;

/// Version of the run.json layout; a reader refuses another.
pub const RUN_INFO_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub run_info_version: u32,
    /// Subtitle of every chart, e.g. "run 'study' · seed 42 · 30 replicates · scale 1".
    pub label: String,
    /// Where the numbers come from, printed under every chart.
    pub source_note: String,
    /// What the emission inventory covers (the dataset's `about.csv`).
    pub inventory_note: String,
    /// Name of the whole study area (the region "all").
    pub area_name: String,
    pub regions: Vec<RegionInfo>,
    pub modes: Vec<ModeInfo>,
    /// Days to mark on charts (not holidays), in date order.
    pub events: Vec<EventInfo>,
    pub scenarios: Vec<ScenarioInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionInfo {
    pub code: String,
    pub name: String,
    pub is_dki: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeInfo {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventInfo {
    /// YYYY-MM-DD.
    pub date: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub origin: String,
    /// First and last day with a share in force (YYYY-MM-DD).
    pub window: Option<(String, String)>,
}

/// The chart subtitle of a run.
pub fn run_label(name: &str, seed: u64, replicates: u32, scale: f64) -> String {
    format!("run '{name}' · seed {seed} · {replicates} replicates · scale {scale}")
}

/// The parts of a label written by [`run_label`] — (name, seed, replicates, scale) — so
/// that the charts can say it in their language; `None` for any other text.
pub fn run_label_parts(label: &str) -> Option<(String, u64, u32, f64)> {
    let rest = label.strip_prefix("run '")?;
    let mut tail = rest.rsplitn(4, " · ");
    let scale = tail.next()?.strip_prefix("scale ")?.parse().ok()?;
    let replicates = tail.next()?.strip_suffix(" replicates")?.parse().ok()?;
    let seed = tail.next()?.strip_prefix("seed ")?.parse().ok()?;
    let name = tail.next()?.strip_suffix('\'')?;
    Some((name.to_string(), seed, replicates, scale))
}

impl RunInfo {
    pub fn new(run_name: &str, ds: &Dataset, scenarios: &[Scenario], r: &Results) -> RunInfo {
        RunInfo {
            run_info_version: RUN_INFO_VERSION,
            label: run_label(run_name, r.seed, r.replicates, r.scale),
            source_note: ds.about.source_note.clone(),
            inventory_note: ds.about.inventory_note.clone(),
            area_name: ds.about.area_name.clone(),
            regions: ds
                .regions
                .iter()
                .map(|g| RegionInfo {
                    code: g.code.clone(),
                    name: g.name.clone(),
                    is_dki: g.is_dki,
                })
                .collect(),
            modes: ds
                .modes
                .iter()
                .map(|m| ModeInfo {
                    code: m.code.clone(),
                    name: m.name.clone(),
                })
                .collect(),
            events: ds
                .calendar
                .iter()
                .filter(|c| !c.is_holiday)
                .map(|c| EventInfo {
                    date: c.date.to_string(),
                    name: c.name.clone(),
                })
                .collect(),
            scenarios: scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name.clone(),
                    title: s.title.clone(),
                    description: s.description.clone(),
                    origin: s.origin.clone(),
                    window: s
                        .policy_window()
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                })
                .collect(),
        }
    }
}
