//! An evaluation folder (`wfhsim evaluate`): what an observed series says an order did,
//! beside what a run simulated. One typed record per output row, written here and read
//! back here only: `evaluation.parquet`/`.csv` (one row per site × method × window),
//! `evaluation_days.parquet`/`.csv` (the observed series, the counterfactual and its band
//! per day), `manifest.json` (inputs, options, notes, the comparison with a run, hashes),
//! the charts and the briefing page and workbook.

mod charts;
mod folder;
mod page;
mod tables;
pub(crate) mod words;

#[cfg(test)]
pub(crate) mod sample;
#[cfg(test)]
mod tests;

pub use charts::{chart_stem, site_slug};
pub use folder::files;

use serde::{Deserialize, Serialize};

/// File names of an evaluation folder.
pub const EFFECTS: &str = "evaluation";
pub const DAYS: &str = "evaluation_days";
pub const MANIFEST: &str = "manifest.json";
/// `manifest.json`'s layout version: a folder of another layout is refused when read.
pub const MANIFEST_VERSION: u32 = 1;

/// Everything an evaluation folder holds, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub manifest: EvalManifest,
    pub effects: Vec<EffectRow>,
    pub days: Vec<DayRow>,
}

/// One method's estimate of one window's effect at one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectRow {
    pub site: String,
    /// `its`, `did` or `synth`.
    pub method: String,
    /// `YYYY-MM-DD`.
    pub window_from: String,
    pub window_to: String,
    /// Observed days in the window.
    pub days: u32,
    pub observed_mean: f64,
    pub counterfactual_mean: f64,
    /// Effect in the series' units per day, with its 95% interval (none for `synth`,
    /// whose inference is the placebo p-value).
    pub effect_units: f64,
    pub effect_units_lo: Option<f64>,
    pub effect_units_hi: Option<f64>,
    /// Effect in % of the counterfactual, with its 95% interval.
    pub effect_pct: f64,
    pub effect_pct_lo: Option<f64>,
    pub effect_pct_hi: Option<f64>,
    /// Two-sided p-value of "no effect" (`synth`: placebo-in-space).
    pub p_value: f64,
    /// Minimum detectable effect (5% two-sided, 80% power) in % of the counterfactual.
    pub mde_pct: Option<f64>,
    /// `level` or `log`.
    pub scale: String,
    /// The fit's AR(1) coefficient and residual σ (on the model's scale).
    pub rho: Option<f64>,
    pub sigma: Option<f64>,
    /// In-time placebos (`its` only): how many, the share "significant", the real
    /// effect's rank p-value among them.
    pub placebos: u32,
    pub placebo_share_significant: Option<f64>,
    pub placebo_rank_p: Option<f64>,
}

impl EffectRow {
    /// In-time placebos that say the model's intervals are too narrow: 10 or more of them
    /// and more than twice the 5% a sound model gives come out "significant".
    pub fn placebos_loud(&self) -> bool {
        self.placebos >= 10 && self.placebo_share_significant.is_some_and(|s| s > 0.10)
    }
}

/// One day of one site and method: observed, counterfactual and its 95% band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRow {
    pub site: String,
    pub method: String,
    pub date: String,
    pub observed: Option<f64>,
    pub counterfactual: f64,
    pub counterfactual_lo: Option<f64>,
    pub counterfactual_hi: Option<f64>,
    pub in_window: bool,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalManifest {
    pub manifest_version: u32,
    pub wfhsim_version: String,
    /// The run's name (`--name`).
    pub name: String,
    /// What the series measures, as the user declared it (`--quantity`): `counts`
    /// (vehicles counted per day), `mobility` (a % change against a baseline), `pm25`,
    /// or `other`.
    pub quantity: String,
    pub series: InputFile,
    pub control: Option<InputFile>,
    pub windows: Vec<WindowInfo>,
    pub options: EvalOptions,
    /// The calendar's first and last day, and where it came from.
    pub calendar: CalendarInfo,
    pub sites: Vec<SiteNote>,
    /// Synthetic control's weights per treated site, when three or more untreated series
    /// were given.
    pub synth: Vec<SynthNote>,
    /// The run it is compared with (`--run`), if any.
    pub simulated: Option<Simulated>,
    /// The command that wrote the folder (for the briefing's "reproduce" line).
    pub command: String,
    /// SHA-256 of every table and chart written, by path.
    pub files: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// The file's name as given (not its absolute path).
    pub name: String,
    pub sha256: String,
    /// The value columns read (sites).
    pub columns: Vec<String>,
    pub first_day: String,
    pub last_day: String,
    /// Where the attribution of a shipped series is (e.g. "Google LLC, Google COVID-19
    /// Community Mobility Reports"), if the user gave one with `--source`.
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowInfo {
    pub from: String,
    pub to: String,
    /// `--window`, or the scenario file or run folder it was taken from.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalOptions {
    /// `level` or `log` (chosen: `log` when every value is above 0).
    pub scale: String,
    pub trend: bool,
    /// Why the trend is in or out (`--trend auto` decides by the days before and after).
    pub trend_rule: String,
    /// 0 = none; k = annual Fourier harmonics.
    pub season_harmonics: u32,
    pub weekday: bool,
    pub calendar: bool,
    /// The window terms act on working days only (`--days working`).
    pub working_days: bool,
    /// The first day used (the series' first, or `--pre-days` before the first window).
    pub first_day: String,
    /// The last day used (the last window's last day).
    pub last_day: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarInfo {
    pub first: String,
    pub last: String,
    /// `built-in` or the dataset folder given with `--data`.
    pub dataset: String,
}

/// What a reader needs to know about one site's fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteNote {
    pub site: String,
    /// Observed days used, of them before the first window.
    pub days: u32,
    pub days_before: u32,
    /// Missing days between the first and last day used (the AR(1) errors span them).
    pub missing_days: u32,
    pub longest_gap: u32,
    pub rho: f64,
    pub sigma_residual: f64,
    pub iterations: u32,
    /// Regressors left out and why.
    pub dropped: Vec<wfhsim_core::evaluate::design::Dropped>,
    /// The difference-in-differences' assumption and the pre-period gap's trend per day
    /// (estimate, se), when a control was given.
    pub did_assumption: Option<String>,
    pub did_pre_trend: Option<(f64, f64)>,
    /// The first window's dates in earlier years, against the same model (latest first):
    /// the series' own year-to-year variation at that time of year.
    #[serde(default)]
    pub same_weeks: Vec<SameWeeks>,
}

/// How far the first window's dates in an earlier year sat from the model's prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SameWeeks {
    pub from: String,
    pub to: String,
    pub pct: f64,
    pub pct_lo: f64,
    pub pct_hi: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthNote {
    pub site: String,
    pub weights: Vec<(String, f64)>,
    pub pre_rmspe: f64,
    pub post_rmspe: f64,
    /// Placebo-in-space: each untreated series' post/pre RMSPE ratio.
    pub placebos: Vec<(String, f64)>,
    pub p_value: f64,
}

/// The simulated effect beside the observed one, or why they cannot be compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulated {
    /// The run folder's name (its last path component) and the scenario compared.
    pub run: String,
    pub scenario: String,
    /// What the run's number measures (e.g. "counted vehicle passages on DKI's roads,
    /// % change on policy days").
    pub quantity: String,
    pub window_from: String,
    pub window_to: String,
    /// True only when the run measures the series' quantity over the same window.
    pub comparable: bool,
    /// Why not, when not comparable (plain English; the briefing translates the cases).
    pub reason: Option<String>,
    pub reason_key: Option<String>,
    /// The simulated effect in % (5%, 50%, 95% across replicates) and the run's minimum
    /// detectable effect in %.
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub mde_pct: Option<f64>,
}
