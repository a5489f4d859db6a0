//! What did an order do? Estimates from an observed daily series, beside what the model
//! predicts: interrupted time series with Prais–Winsten AR(1) errors ([`its`]), in-time
//! placebos ([`placebo`]), difference-in-differences against a control ([`did`]),
//! synthetic control with placebo-in-space inference ([`synth`]) and the minimum
//! detectable effect from the series' own noise ([`mde`]).
//!
//! Pure arithmetic on days and numbers: reading files, checking their cells and writing
//! the results are the binary's and the report crate's. Series are hundreds to a few
//! thousand days long; every method runs in milliseconds.

pub mod ar1;
pub mod design;
pub mod did;
pub mod its;
pub mod linalg;
pub mod mde;
pub mod placebo;
pub mod student;

use crate::calendar::{Date, DayFlags};

pub mod synth;

/// One observed series: a value per consecutive day from `start`, `None` where the day
/// is missing (the AR(1) errors span a gap exactly: see [`its`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Daily {
    pub start: Date,
    pub values: Vec<Option<f64>>,
}

impl Daily {
    pub fn end(&self) -> Date {
        Date(self.start.0 + self.values.len() as i32 - 1)
    }

    pub fn date(&self, i: usize) -> Date {
        Date(self.start.0 + i as i32)
    }

    /// Index of a date inside the series, `None` outside.
    pub fn index(&self, d: Date) -> Option<usize> {
        let i = d.0 - self.start.0;
        (i >= 0 && (i as usize) < self.values.len()).then_some(i as usize)
    }
}

/// A policy window, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub to: Date,
}

impl Window {
    pub fn days(self) -> usize {
        (self.to.0 - self.from.0 + 1).max(0) as usize
    }

    pub fn contains(self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Which scale the effect is estimated on: `Log` (a multiplicative effect, for counts and
/// concentrations, every value > 0) or `Level` (an additive one, e.g. a % change series
/// that can be negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    Level,
    Log,
}

/// The fewest days before a window for annual terms: with less than two years, a year's
/// shape cannot be told from a window's effect.
pub const SEASON_MIN_DAYS: i32 = 730;

/// Seasonality terms: none, or `k` annual Fourier harmonic pairs (sin, cos of 2πjt/365.25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Season {
    None,
    Annual(u32),
}

/// What the interrupted time series includes. Every regressor with no variation on the
/// days before the policy is dropped and named in [`ItsFit::dropped`].
#[derive(Debug, Clone, PartialEq)]
pub struct ItsSpec {
    pub windows: Vec<Window>,
    pub scale: Scale,
    /// A linear pre-trend, in years since `first` (its coefficient is a change per year:
    /// of the log, a fraction, on the log scale).
    pub trend: bool,
    pub season: Season,
    /// Day-of-week dummies (Monday the reference).
    pub weekday: bool,
    /// Calendar dummies: holiday, cuti bersama, school holiday, Ramadan, Lebaran weeks.
    pub calendar: bool,
    /// The series' days used: the first day (after which `pre` days before the first
    /// window) through the last window's last day.
    pub first: Date,
    pub last: Date,
    /// A window acts on its working days only (weekdays that are neither a national
    /// holiday nor cuti bersama): what an order sending workers home changes. Its other
    /// days are neither learnt from nor counted in its effect.
    pub working_days: bool,
}

impl ItsSpec {
    /// Whether `window` acts on day `d`, whose calendar is `f`.
    pub fn treats(&self, window: Window, d: Date, f: &DayFlags) -> bool {
        window.contains(d)
            && (!self.working_days || (!d.is_weekend() && !f.holiday && !f.cuti_bersama))
    }
}

/// One coefficient of a fitted model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coef {
    pub name: String,
    pub estimate: f64,
    pub se: f64,
}

/// The effect of one window: on the model's scale and as a % of the counterfactual.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Effect {
    pub from: Date,
    pub to: Date,
    /// Days of the window with an observed value.
    pub days: usize,
    /// Mean observed value over those days.
    pub observed_mean: f64,
    /// Mean counterfactual (the fit without the window's term) over those days.
    pub counterfactual_mean: f64,
    /// Effect in the series' units per day, with its 95% interval: the window's step δ on the
    /// level scale, counterfactual_mean · (e^δ − 1) on the log scale. It is observed_mean −
    /// counterfactual_mean up to the window days' mean residual (exactly so without
    /// autocorrelation).
    pub units: f64,
    pub units_lo: f64,
    pub units_hi: f64,
    /// Effect in % of the counterfactual, with its 95% interval: 100 (e^δ − 1) on the log
    /// scale, 100 δ / counterfactual_mean on the level scale (NaN when that mean is ≤ 0,
    /// e.g. a series of % changes from a baseline: read `units` then).
    pub pct: f64,
    pub pct_lo: f64,
    pub pct_hi: f64,
    /// Two-sided p-value of "no effect" (Student t with the fit's degrees of freedom).
    pub p_value: f64,
    /// Minimum detectable effect at 5% two-sided and 80% power, in % of the counterfactual,
    /// for this window's length under the fit's σ and ρ: (t₀.₉₇₅(df) + z₀.₈) × the step's
    /// standard error (on the log scale in log points × 100, which is % for small effects).
    pub mde_pct: f64,
}

/// A fitted interrupted time series.
#[derive(Debug, Clone, PartialEq)]
pub struct ItsFit {
    pub scale: Scale,
    /// Prais–Winsten's AR(1) coefficient at convergence, and its iterations.
    pub rho: f64,
    pub iterations: usize,
    /// Standard deviation of the AR(1) innovations and of the (untransformed) residuals,
    /// on the model's scale (for `Log`, a fraction of the level).
    pub sigma_innovation: f64,
    pub sigma_residual: f64,
    /// Observed days used, of them before the first window; parameters; degrees of freedom.
    pub n: usize,
    pub n_pre: usize,
    pub k: usize,
    pub df: usize,
    pub coefficients: Vec<Coef>,
    /// Regressors left out, with why ("no day before the policy is a holiday").
    pub dropped: Vec<design::Dropped>,
    pub effects: Vec<Effect>,
    /// Per day of `first..=last` (in the series' units): the fit with the windows' terms,
    /// the counterfactual without them and its 95% band (the mean's interval). In a
    /// difference-in-differences these are the treated series' (the control's value with
    /// the modelled gap), NaN on a day the control is missing.
    pub days: Vec<FitDay>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitDay {
    pub date: Date,
    pub observed: Option<f64>,
    pub fitted: f64,
    pub counterfactual: f64,
    pub counterfactual_lo: f64,
    pub counterfactual_hi: f64,
    pub in_window: bool,
}

/// In-time placebos: the same model with fake windows of the same length before the
/// policy, each fitted on the data before its own end.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Placebos {
    pub windows: Vec<PlaceboWindow>,
    /// Share of placebo windows whose 95% interval excludes 0.
    pub share_significant: f64,
    /// Where the real window's |effect| ranks among the placebos' (share of placebos at
    /// least as large: an empirical p-value).
    pub rank_p: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceboWindow {
    pub from: Date,
    pub to: Date,
    pub pct: f64,
    pub pct_lo: f64,
    pub pct_hi: f64,
    pub significant: bool,
}

/// Something the methods cannot do with the series they were given. The message names
/// what is wrong and what would do; the caller adds the file and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error(
        "too few days before the policy: {have} observed days before {first_window}, the model with {params} parameters needs at least {need}"
    )]
    TooFewPre {
        have: usize,
        need: usize,
        params: usize,
        first_window: Date,
    },
    #[error(
        "the series does not vary before the policy (every value is {value}): no effect can be estimated against a constant"
    )]
    Constant { value: f64 },
    #[error(
        "a value is {value} on {date}; the log scale needs every value above 0 (use the level scale)"
    )]
    NotPositive { date: Date, value: f64 },
    #[error("window {from}..{to} has no observed day")]
    EmptyWindow { from: Date, to: Date },
    #[error("{0}")]
    Other(String),
}
