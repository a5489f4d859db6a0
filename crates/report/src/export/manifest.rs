//! `manifest.json`: exactly which inputs produced a run (version, seed, replicates, scale,
//! threads, hashes of every scenario and of the dataset), how long each phase took, and
//! the SHA-256 of each table and of `run.json`, which every reader of the folder verifies.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ExportFile;
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Results;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub wfhsim_version: String,
    pub run_name: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub threads: usize,
    /// `full` (structure drawn too) or `behavioural`.
    pub uncertainty: &'static str,
    pub dataset: DatasetInfo,
    pub scenarios: Vec<ScenarioInfo>,
    pub agents: usize,
    pub population_bytes: usize,
    pub peak_rss_bytes: Option<u64>,
    pub wall_seconds: Phases,
    /// Covered workers × working days with a share in force × replicates,
    /// summed over scenarios: the engine's workload.
    pub engine_agent_days: u64,
    pub engine_agent_days_per_s: f64,
    /// File → SHA-256 of the tables and `run.json` (not the charts or the briefing, which
    /// `plot` and `report` write again): `plot`, `report` and `diff` refuse a file that
    /// no longer matches.
    pub files_sha256: BTreeMap<String, String>,
    /// What the reader must know about the results, e.g. a scale too small for a
    /// policy's covered group (`wfhsim_core::simulate::coverage`); empty for a sound run.
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DatasetInfo {
    pub origin: String,
    pub sha256: String,
    pub gravity_beta_per_km: f64,
    /// The roads' city-wide speed response at the dataset's central values, with ranges.
    pub speed_response: SpeedResponse,
}

/// How DKI's and every region's speed answers a change in traffic (docs/method.md §6.5).
#[derive(Debug, Serialize)]
pub struct SpeedResponse {
    /// Per period: d ln speed / d ln traffic, (low, central, high).
    pub elasticity_peak: (f64, f64, f64),
    pub elasticity_offpeak: (f64, f64, f64),
    /// d ln traffic / d ln travel time per km of the remaining traffic, (low, central, high).
    pub induced_elasticity: (f64, f64, f64),
    /// Per period at central values: the speed's elasticity once induced traffic has
    /// answered, ε / (1 + ε η).
    pub with_induced_peak: f64,
    pub with_induced_offpeak: f64,
}

impl SpeedResponse {
    fn of(ds: &Dataset) -> SpeedResponse {
        let r = &ds.inputs.roads;
        let with = |p: usize| {
            wfhsim_core::traffic::congestion::Response {
                elasticity: r.speed_elasticity[p].central,
                induced: r.induced_elasticity.central,
                v_free: r.speed_free_flow.central,
            }
            .effective_elasticity()
        };
        SpeedResponse {
            elasticity_peak: r.speed_elasticity[0].range(),
            elasticity_offpeak: r.speed_elasticity[1].range(),
            induced_elasticity: r.induced_elasticity.range(),
            with_induced_peak: with(0),
            with_induced_offpeak: with(1),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub origin: String,
    pub sha256: String,
    pub window: Option<(String, String)>,
    pub window_working_days: usize,
    pub covered_workers: f64,
    pub eligible_workers: f64,
    pub covered_agent_days: u64,
    pub plan_bytes: usize,
    /// Summed over replicates (they run side by side).
    pub engine_seconds: f64,
    /// Covered agent-days per second of one replicate's engine run.
    pub engine_agent_days_per_s: f64,
    pub emission_model: wfhsim_core::scenario::EmissionModel,
    /// Seconds in the road layer (all traffic, congestion, detectability).
    pub roads_seconds: f64,
    /// Emission-curve evaluations whose speed lay outside the curve's valid range and
    /// was clamped to it (over all replicates).
    pub speeds_clamped: u64,
    /// Replicate × vehicle class draws whose non-commute traffic came out negative (the
    /// commuters alone drove more than the fuel-based total) and was set to zero.
    pub remainders_clamped: u32,
    /// The baseline against observations made before the 2023 orders (`calibration.csv`).
    pub calibration: CalibrationInfo,
}

/// How many calibration targets the baseline's median meets, and which it misses.
#[derive(Debug, Serialize)]
pub struct CalibrationInfo {
    pub targets: usize,
    pub inside: usize,
    /// The keys of the targets whose modelled median is outside their range.
    pub outside: Vec<String>,
}

impl CalibrationInfo {
    fn new(rows: &[wfhsim_core::traffic::calibration::CalibrationRow]) -> CalibrationInfo {
        CalibrationInfo {
            targets: rows.len(),
            inside: rows.iter().filter(|r| r.inside).count(),
            outside: rows
                .iter()
                .filter(|r| !r.inside)
                .map(|r| r.key.clone())
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, Default)]
pub struct Phases {
    pub load: f64,
    pub population: f64,
    pub simulate: f64,
    /// The engine's seconds, summed over replicates: replicates run side by side, so this
    /// and `roads` can add up to more than `simulate`.
    pub engine: f64,
    /// The road layer, inside `simulate` (summed over replicates, like `engine`).
    pub roads: f64,
    pub write: f64,
    pub total: f64,
}

impl Manifest {
    pub fn new(
        study: &Results,
        ds: &Dataset,
        run_name: &str,
        dataset_origin: &str,
        phases: Phases,
    ) -> Manifest {
        Manifest {
            wfhsim_version: env!("CARGO_PKG_VERSION").to_string(),
            run_name: run_name.to_string(),
            seed: study.seed,
            replicates: study.replicates,
            scale: study.scale,
            threads: study.threads,
            uncertainty: study.uncertainty.as_str(),
            dataset: DatasetInfo {
                origin: dataset_origin.to_string(),
                sha256: ds.hash(),
                gravity_beta_per_km: ds.gravity.beta_per_km,
                speed_response: SpeedResponse::of(ds),
            },
            scenarios: study
                .scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.scenario.name.clone(),
                    title: s.scenario.title.clone(),
                    origin: s.scenario.origin.clone(),
                    sha256: s.scenario.hash.clone(),
                    window: s.window.map(|(a, b)| (a.to_string(), b.to_string())),
                    window_working_days: s.window_working_days,
                    covered_workers: s.covered_workers,
                    eligible_workers: s.eligible_workers,
                    covered_agent_days: s.covered_agent_days,
                    plan_bytes: s.plan_bytes,
                    engine_seconds: s.engine_seconds,
                    engine_agent_days_per_s: per_second(
                        s.covered_agent_days * study.replicates as u64,
                        s.engine_seconds,
                    ),
                    emission_model: s.scenario.emission_model,
                    roads_seconds: s.roads_seconds,
                    speeds_clamped: s.roads.speed_clamped,
                    remainders_clamped: s.roads.remainder_clamped,
                    calibration: CalibrationInfo::new(&s.roads.calibration),
                })
                .collect(),
            agents: study.agents,
            population_bytes: study.population_bytes,
            // The job that wrote the run fills it in (it asks the machine).
            peak_rss_bytes: None,
            engine_agent_days: study.engine_agent_days,
            engine_agent_days_per_s: per_second(study.engine_agent_days, study.engine_seconds),
            wall_seconds: phases,
            files_sha256: BTreeMap::new(),
            warnings: study.warnings.clone(),
        }
    }

    /// Records the SHA-256 of the files among `files` that no later command rewrites.
    pub fn record_files(&mut self, files: &[ExportFile]) {
        self.files_sha256 = crate::view::recorded_files(files);
    }
}

fn per_second(n: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        n as f64 / seconds
    } else {
        0.0
    }
}
