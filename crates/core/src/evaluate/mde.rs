//! The minimum detectable effect from a series' own noise: how large a change a window of
//! a given length would have to be for the series to show it (5% two-sided test, 80%
//! power), instead of an assumed σ.
//!
//! [`noise`] fits the interrupted time series with no window to the days given (best: days
//! the policy did not touch) and keeps its AR(1) noise: innovations σ_u and ρ, so the
//! day-to-day standard deviation is σ = σ_u / √(1 − ρ²) (the σ the model's standard
//! errors rest on). [`mde_pct`] is then the detectability table's before/after formula
//! ([`crate::traffic::detect::mde`], one definition): (z₀.₉₇₅ + z₀.₈) · σ · the standard
//! error factor of a difference of two window means under AR(1) noise; with ρ = 0 it is
//! 2.8 · σ · √(1/n₁ + 1/n₂). It assumes the counterfactual is the pre-period's mean after the
//! model's day-of-week and calendar terms: a model with a trend must also extrapolate it over
//! the window and detects less (the fitted window's own `Effect::mde_pct` includes that).
//! On the log scale σ is already a fraction of the level; on the level scale it is divided
//! by the series' mean over the fitted days.

use super::{Daily, EvalError, ItsSpec, Scale, its};
use crate::calendar::DayFlags;
use crate::traffic::detect::{Design, mde};

/// A series' own noise, on the model's scale (a fraction of the level on the log scale).
#[derive(Debug, Clone, PartialEq)]
pub struct Noise {
    pub sigma_residual: f64,
    pub sigma_innovation: f64,
    pub rho: f64,
    /// Observed days fitted.
    pub n: usize,
    pub scale: Scale,
    /// Mean observed value over the fitted days (the level a level-scale σ is a share of).
    pub level: f64,
}

/// The noise of `series` on `spec.first..=spec.last` under the spec's model without its
/// windows; `flags` as for [`its::fit`].
pub fn noise(series: &Daily, flags: &[DayFlags], spec: &ItsSpec) -> Result<Noise, EvalError> {
    let plain = ItsSpec {
        windows: Vec::new(),
        ..spec.clone()
    };
    let fit = its::fit(series, flags, &plain)?;
    let observed: Vec<f64> = fit.days.iter().filter_map(|d| d.observed).collect();
    Ok(Noise {
        sigma_residual: fit.sigma_residual,
        sigma_innovation: fit.sigma_innovation,
        rho: fit.rho,
        n: fit.n,
        scale: spec.scale,
        level: observed.iter().sum::<f64>() / observed.len() as f64,
    })
}

/// The minimum detectable effect, in % of the level, of a window of `window_days` after
/// `pre_days` days (both counted as consecutive days).
pub fn mde_pct(noise: &Noise, pre_days: usize, window_days: usize) -> f64 {
    let rho = noise.rho;
    let sigma = noise.sigma_innovation / (1.0 - rho * rho).sqrt();
    let design = Design {
        n_before: pre_days,
        n_during: window_days,
        gap: 0,
    };
    let m = 100.0 * mde(sigma, design, rho);
    match noise.scale {
        Scale::Log => m,
        Scale::Level => m / noise.level,
    }
}
