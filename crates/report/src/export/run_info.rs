//! `run.json`: what a run folder needs besides its tables to be read on its own — region
//! and mode names, the events to mark, the scenarios' titles and windows, the dataset's
//! source note and the run's label. `wfhsim plot` and `wfhsim diff` read it
//! instead of the dataset, so a run made with `--data X` redraws correctly anywhere.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use wfhsim_core::calendar::DayKind;
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Results;
use wfhsim_core::scenario::Scenario;

/// Version of the run.json layout; a reader refuses another.
pub const RUN_INFO_VERSION: u32 = 3;

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
    /// Days to mark on charts (the calendar's `event` rows, a range as its days), in date
    /// order.
    pub events: Vec<EventInfo>,
    pub scenarios: Vec<ScenarioInfo>,
    /// How to make this run again: the command and every input's SHA-256.
    pub reproduce: Reproduce,
    /// The dataset's provenance table: every number with its source or its range.
    pub sources: Vec<SourceInfo>,
    /// The run's warnings (manifest.json has them too), for the briefing; written only
    /// when there are some, so a sound run's run.json is as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What a reader needs to make a run again (the briefing's "reproduce" section). No
/// thread count and no timings: they do not change the results, and the briefing that
/// prints this must have the same bytes on any machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reproduce {
    pub wfhsim_version: String,
    /// The command that makes the same results (`wfhsim run …`).
    pub command: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub uncertainty: String,
    /// `builtin` or the dataset folder given to `--data`.
    pub dataset_origin: String,
    pub dataset_sha256: String,
    pub scenarios: Vec<InputHash>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputHash {
    pub name: String,
    pub origin: String,
    pub sha256: String,
}

/// One row of the dataset's provenance table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub key: String,
    pub value: f64,
    pub unit: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub year: Option<i32>,
    /// `cited`, `derived` or `assumption`.
    pub kind: String,
    pub confidence: String,
    pub source: String,
}

/// Where a run's inputs came from, as the front end knows them.
#[derive(Debug, Clone, Default)]
pub struct RunOrigin {
    /// `builtin` or the dataset folder.
    pub dataset: String,
    /// The command that makes the same run (see [`Reproduce::command`]).
    pub command: String,
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
    /// The title in Indonesian, if the scenario gives one.
    pub title_id: Option<String>,
    pub description: String,
    pub origin: String,
    /// First and last day with a share in force (YYYY-MM-DD).
    pub window: Option<(String, String)>,
    /// Every setting, key → value as a file writes it ([`wfhsim_core::scenario::settings`]):
    /// what `wfhsim diff` compares.
    pub settings: BTreeMap<String, String>,
}

impl ScenarioInfo {
    /// The title in a language: `title_id` for Indonesian when the scenario has one.
    pub fn title_in(&self, lang: crate::labels::Lang) -> &str {
        match (lang, &self.title_id) {
            (crate::labels::Lang::Id, Some(t)) => t,
            _ => &self.title,
        }
    }
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

/// The calendar's events, one entry a day, in date order (rows of one date keep their
/// file order).
fn events(ds: &Dataset) -> Vec<EventInfo> {
    let mut days: Vec<EventInfo> = ds
        .calendar
        .iter()
        .filter(|c| c.kind == DayKind::Event)
        .flat_map(|c| {
            c.days().map(|d| EventInfo {
                date: d.to_string(),
                name: c.name.clone(),
            })
        })
        .collect();
    days.sort_by(|a, b| a.date.cmp(&b.date));
    days
}

impl RunInfo {
    pub fn new(
        run_name: &str,
        ds: &Dataset,
        scenarios: &[Scenario],
        r: &Results,
        origin: &RunOrigin,
    ) -> RunInfo {
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
            events: events(ds),
            scenarios: scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name.clone(),
                    title: s.title.clone(),
                    title_id: s.title_id.clone(),
                    description: s.description.clone(),
                    origin: s.origin.clone(),
                    window: s
                        .policy_window()
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    settings: wfhsim_core::scenario::settings(s, ds),
                })
                .collect(),
            reproduce: Reproduce {
                wfhsim_version: env!("CARGO_PKG_VERSION").to_string(),
                command: origin.command.clone(),
                seed: r.seed,
                replicates: r.replicates,
                scale: r.scale,
                uncertainty: r.uncertainty.as_str().to_string(),
                dataset_origin: origin.dataset.clone(),
                dataset_sha256: ds.hash(),
                scenarios: scenarios
                    .iter()
                    .map(|s| InputHash {
                        name: s.name.clone(),
                        origin: s.origin.clone(),
                        sha256: s.hash.clone(),
                    })
                    .collect(),
            },
            sources: ds
                .params
                .iter()
                .map(|p| SourceInfo {
                    key: p.key.clone(),
                    value: p.value,
                    unit: p.unit.clone(),
                    low: p.low,
                    high: p.high,
                    year: p.year,
                    kind: p.kind.to_string(),
                    confidence: p.confidence.clone(),
                    source: p.source.clone(),
                })
                .collect(),
            warnings: r.warnings.clone(),
        }
    }
}
