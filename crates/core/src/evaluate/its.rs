//! Interrupted time series: what the series would have been without the policy, learnt
//! from its own days before the policy, and how far the window days are from it.
//!
//! The model, on the log of the values (`Scale::Log`, a multiplicative effect) or the
//! values themselves (`Scale::Level`): day of week, the calendar (holidays, cuti bersama,
//! school holidays, Ramadan, the Lebaran weeks), a linear trend and annual harmonics
//! ([`super::design`]), with AR(1) errors fitted by iterated Prais–Winsten on the observed
//! days before the first window, across missing days exactly ([`super::ar1`]). Nothing
//! after the policy starts is learnt from: an order that changes the weekly pattern (a WFH
//! order empties weekdays, not Sundays) or builds up over its weeks would otherwise pull
//! the day-of-week and trend terms with it. The model then predicts each window's days;
//! a window's effect δ is the mean of observed − predicted over the days it acts on (all
//! its days, or its working days: [`super::ItsSpec::working_days`]) on the model's scale:
//! e^δ − 1 of the counterfactual on the log scale, δ in the series' units on the level
//! scale. Its variance is the prediction's (the mean row's xᵀ Cov(β) x) plus the mean of the
//! window's AR(1) errors (σ_u² / (1 − ρ²) · Σ ρ^|dᵢ − dⱼ| / m²); the 95% intervals and
//! p-values use Student's t with the fit's n − k degrees of freedom. What it assumes: the
//! terms above and the AR(1) noise describe the days before the policy and would have gone
//! on doing so, and nothing else changed when the policy started (another event in the same
//! weeks is read as the policy's effect).
//!
//! The model is refused, with a message saying what would do, when the range is outside
//! the series, a value is ≤ 0 on the log scale, a window has no observed day, the days
//! before the first window are constant, or there are too few of them: at least twice the
//! parameters learnt before the policy and at least those parameters + 10 (so the
//! residual degrees of freedom before the policy are never below 10).

use super::ar1::{Gls, prais_winsten};
use super::design::{self, Design, Term};
use super::student::{t_two_sided_p, t975, z80};
use super::{Coef, Daily, Effect, EvalError, FitDay, ItsFit, ItsSpec, Scale};
use crate::calendar::{Date, DayFlags};

/// What is fitted, per day of `first..=last`: the observed value (in the series' units)
/// and an offset on the model's scale subtracted before fitting (0 for a series alone,
/// the control for a difference-in-differences); a day is used when both are known.
pub(crate) struct Target {
    pub observed: Vec<Option<f64>>,
    pub offset: Vec<Option<f64>>,
    /// Whether the fitted values are a gap to an offset (for the constant check's message).
    pub is_gap: bool,
}

/// The model scale of a value: ln for `Log`, itself for `Level`.
pub(crate) fn to_model(scale: Scale, v: f64) -> f64 {
    match scale {
        Scale::Log => v.ln(),
        Scale::Level => v,
    }
}

fn from_model(scale: Scale, v: f64) -> f64 {
    match scale {
        Scale::Log => v.exp(),
        Scale::Level => v,
    }
}

/// The values of `series` on `first..=last`, checked for the scale: an error if the range
/// is not inside the series (when `inside` is required) or a value is ≤ 0 on the log
/// scale. Days outside the series are missing.
pub(crate) fn values_on(
    series: &Daily,
    spec: &ItsSpec,
    inside: bool,
) -> Result<Vec<Option<f64>>, EvalError> {
    if spec.first > spec.last {
        return Err(EvalError::Other(format!(
            "the evaluation's first day {} is after its last day {}",
            spec.first, spec.last
        )));
    }
    if inside && (spec.first < series.start || spec.last > series.end()) {
        return Err(EvalError::Other(format!(
            "the evaluation runs {}..{} but the series runs {}..{}: choose days inside the series",
            spec.first,
            spec.last,
            series.start,
            series.end()
        )));
    }
    let dates = Date::range_inclusive(spec.first, spec.last);
    dates
        .map(|d| match series.index(d).and_then(|i| series.values[i]) {
            Some(v) if spec.scale == Scale::Log && (v <= 0.0 || v.is_nan()) => {
                Err(EvalError::NotPositive { date: d, value: v })
            }
            v => Ok(v),
        })
        .collect()
}

/// Fits the interrupted time series of `spec` to `series`; `flags[i]` is the calendar of
/// day `spec.first + i` for every day of `spec.first..=spec.last`.
pub fn fit(series: &Daily, flags: &[DayFlags], spec: &ItsSpec) -> Result<ItsFit, EvalError> {
    let observed = values_on(series, spec, true)?;
    let offset = vec![Some(0.0); observed.len()];
    let target = Target {
        observed,
        offset,
        is_gap: false,
    };
    fit_target(&target, flags, spec)
}

/// The observed days of a target: indices into `first..=last` and model-scale values.
struct Obs {
    idx: Vec<usize>,
    y: Vec<f64>,
}

fn observations(t: &Target, scale: Scale) -> Obs {
    let (mut idx, mut y) = (Vec::new(), Vec::new());
    for (i, (v, o)) in t.observed.iter().zip(&t.offset).enumerate() {
        if let (Some(v), Some(o)) = (v, o) {
            idx.push(i);
            y.push(to_model(scale, *v) - o);
        }
    }
    Obs { idx, y }
}

/// The checks before any fitting: windows with data, a varying pre-period.
fn check_data(t: &Target, obs: &Obs, flags: &[DayFlags], spec: &ItsSpec) -> Result<(), EvalError> {
    let mut sorted = spec.windows.clone();
    sorted.sort_by_key(|w| w.from);
    if let Some(p) = sorted.windows(2).find(|p| p[1].from <= p[0].to) {
        return Err(EvalError::Other(format!(
            "the windows {}..{} and {}..{} overlap: give each day to one window",
            p[0].from, p[0].to, p[1].from, p[1].to
        )));
    }
    for w in &spec.windows {
        let inside = |&i: &usize| spec.treats(*w, Date(spec.first.0 + i as i32), &flags[i]);
        if !obs.idx.iter().any(inside) {
            return Err(EvalError::EmptyWindow {
                from: w.from,
                to: w.to,
            });
        }
    }
    let start = first_window(spec);
    let pre: Vec<usize> = (0..obs.idx.len())
        .filter(|&j| spec.first.0 + (obs.idx[j] as i32) < start.0)
        .collect();
    if let Some(&j0) = pre.first()
        && pre.len() > 1
        && pre.iter().all(|&j| obs.y[j] == obs.y[j0])
    {
        let value = match t.is_gap {
            true => obs.y[j0],
            false => t.observed[obs.idx[j0]].unwrap_or(f64::NAN),
        };
        return Err(EvalError::Constant { value });
    }
    Ok(())
}

/// The first window's first day (the day after `last` without windows).
pub(crate) fn first_window(spec: &ItsSpec) -> Date {
    spec.windows
        .iter()
        .map(|w| w.from)
        .min()
        .unwrap_or(spec.last.succ())
}

/// Fits a prepared target (a series alone, or a treated–control gap): the regressors on
/// the observed days before the first window, then each window's days against their
/// prediction.
pub(crate) fn fit_target(
    t: &Target,
    flags: &[DayFlags],
    spec: &ItsSpec,
) -> Result<ItsFit, EvalError> {
    let n_days = (spec.last.0 - spec.first.0 + 1) as usize;
    if flags.len() != n_days {
        return Err(EvalError::Other(format!(
            "the calendar has {} days for the {n_days} days {}..{}",
            flags.len(),
            spec.first,
            spec.last
        )));
    }
    let obs = observations(t, spec.scale);
    check_data(t, &obs, flags, spec)?;
    let design = design::build(flags, spec, &obs.idx);
    let start = first_window(spec);
    let pre: Vec<usize> = (0..obs.idx.len())
        .filter(|&j| spec.first.0 + (obs.idx[j] as i32) < start.0)
        .collect();
    let params = design.regressors();
    let need = (2 * params).max(params + 10);
    if pre.len() < need {
        return Err(EvalError::TooFewPre {
            have: pre.len(),
            need,
            params,
            first_window: start,
        });
    }
    let regressors: Vec<&design::Column> = (design.columns.iter())
        .filter(|c| c.term == Term::Regressor)
        .collect();
    let columns: Vec<Vec<f64>> = (regressors.iter())
        .map(|c| pre.iter().map(|&j| c.values[obs.idx[j]]).collect())
        .collect();
    let y: Vec<f64> = pre.iter().map(|&j| obs.y[j]).collect();
    let days: Vec<i32> = pre.iter().map(|&j| obs.idx[j] as i32).collect();
    let gls = prais_winsten(&columns, &y, &days).map_err(|c| {
        EvalError::Other(format!(
            "the term \"{}\" is a combination of the others on the observed days before the policy",
            regressors[c.column].name
        ))
    })?;
    let model = Model {
        t,
        obs: &obs,
        regressors: &regressors,
        gls: &gls,
        spec,
        flags,
    };
    Ok(model.assemble(&design, pre.len()))
}

/// A fitted counterfactual and what it is compared with.
struct Model<'a> {
    t: &'a Target,
    obs: &'a Obs,
    regressors: &'a [&'a design::Column],
    gls: &'a Gls,
    spec: &'a ItsSpec,
    flags: &'a [DayFlags],
}

impl Model<'_> {
    /// The counterfactual of day `i` on the model's scale (without the offset) and the
    /// variance of its estimate.
    fn predict(&self, i: usize) -> (f64, f64) {
        let x: Vec<f64> = self.regressors.iter().map(|c| c.values[i]).collect();
        let mean = x.iter().zip(&self.gls.beta).map(|(a, b)| a * b).sum();
        (mean, quad(&x, &self.gls.cov))
    }

    /// The fit's report from its parts.
    fn assemble(&self, design: &Design, n_pre: usize) -> ItsFit {
        let gls = self.gls;
        let rss: f64 = gls.residuals.iter().map(|e| e * e).sum();
        let mut coefficients: Vec<Coef> = (self.regressors.iter().enumerate())
            .map(|(j, c)| Coef {
                name: c.name.clone(),
                estimate: gls.beta[j],
                se: gls.cov[j][j].sqrt(),
            })
            .collect();
        let effects: Vec<(Stepped, Vec<usize>)> = (0..self.spec.windows.len())
            .map(|w| self.effect(w))
            .collect();
        for (e, _) in &effects {
            coefficients.push(Coef {
                name: format!("window {}..{}", e.effect.from, e.effect.to),
                estimate: e.step,
                se: e.step_se,
            });
        }
        let treated: usize = effects.iter().map(|(_, d)| d.len()).sum();
        ItsFit {
            scale: self.spec.scale,
            rho: gls.rho,
            iterations: gls.iterations,
            sigma_innovation: gls.sigma_innovation,
            sigma_residual: (rss / gls.df as f64).sqrt(),
            n: n_pre + treated,
            n_pre,
            k: self.regressors.len(),
            df: gls.df,
            coefficients,
            dropped: design.dropped.clone(),
            days: self.fit_days(&effects),
            effects: effects.into_iter().map(|(e, _)| e.effect).collect(),
        }
    }

    /// Per day: the fit (the counterfactual plus its window's effect on the days it
    /// treats), the counterfactual and its 95% band.
    fn fit_days(&self, effects: &[(Stepped, Vec<usize>)]) -> Vec<FitDay> {
        let tq = t975(self.gls.df);
        let spec = self.spec;
        (0..self.t.observed.len())
            .map(|i| {
                let date = Date(spec.first.0 + i as i32);
                let (cf, var) = self.predict(i);
                let step = (effects.iter())
                    .find(|(_, days)| days.contains(&i))
                    .map_or(0.0, |(e, _)| e.step);
                let off = self.t.offset[i].unwrap_or(f64::NAN);
                let back = |v: f64| from_model(spec.scale, off + v);
                FitDay {
                    date,
                    observed: self.t.observed[i],
                    fitted: back(cf + step),
                    counterfactual: back(cf),
                    counterfactual_lo: back(cf - tq * var.sqrt()),
                    counterfactual_hi: back(cf + tq * var.sqrt()),
                    in_window: spec.windows.iter().any(|w| w.contains(date)),
                }
            })
            .collect()
    }

    /// The effect of window `w` and the days it was measured on.
    fn effect(&self, w: usize) -> (Stepped, Vec<usize>) {
        let (spec, t, gls) = (self.spec, self.t, self.gls);
        let win = spec.windows[w];
        let days: Vec<usize> = (self.obs.idx.iter().enumerate())
            .filter(|&(_, &i)| spec.treats(win, Date(spec.first.0 + i as i32), &self.flags[i]))
            .map(|(j, _)| j)
            .collect();
        let m = days.len() as f64;
        let idx: Vec<usize> = days.iter().map(|&j| self.obs.idx[j]).collect();
        // The mean gap to the prediction on the model's scale, and the prediction's mean row.
        let mut step = 0.0;
        let mut x_mean = vec![0.0; self.regressors.len()];
        for (&j, &i) in days.iter().zip(&idx) {
            let (cf, _) = self.predict(i);
            step += (self.obs.y[j] - cf) / m;
            for (xm, c) in x_mean.iter_mut().zip(self.regressors) {
                *xm += c.values[i] / m;
            }
        }
        let se = (quad(&x_mean, &gls.cov) + noise_of_mean(gls, &idx)).sqrt();
        let observed_mean = idx.iter().filter_map(|&i| t.observed[i]).sum::<f64>() / m;
        let cf_mean = (idx.iter())
            .map(|&i| {
                from_model(
                    spec.scale,
                    t.offset[i].unwrap_or(f64::NAN) + self.predict(i).0,
                )
            })
            .sum::<f64>()
            / m;
        let tq = t975(gls.df);
        let (lo, hi) = (step - tq * se, step + tq * se);
        let units = |d: f64| units_of(spec.scale, cf_mean, d);
        let pct = |d: f64| pct_of(spec.scale, cf_mean, d);
        let mde = (tq + z80()) * se;
        let effect = Effect {
            from: win.from,
            to: win.to,
            days: idx.len(),
            observed_mean,
            counterfactual_mean: cf_mean,
            units: units(step),
            units_lo: units(lo),
            units_hi: units(hi),
            pct: pct(step),
            pct_lo: pct(lo),
            pct_hi: pct(hi),
            p_value: p_value(step, se, gls.df),
            mde_pct: match spec.scale {
                Scale::Log => 100.0 * mde,
                Scale::Level => pct(mde),
            },
        };
        (
            Stepped {
                effect,
                step,
                step_se: se,
            },
            idx,
        )
    }
}

/// An effect with its step and standard error on the model's scale.
struct Stepped {
    effect: Effect,
    step: f64,
    step_se: f64,
}

/// xᵀ C x.
fn quad(x: &[f64], c: &[Vec<f64>]) -> f64 {
    (0..x.len())
        .map(|a| (0..x.len()).map(|b| x[a] * c[a][b] * x[b]).sum::<f64>())
        .sum()
}

/// The variance of the mean AR(1) error over the days `idx` (day numbers):
/// σ_u² / (1 − ρ²) · Σᵢ Σⱼ ρ^|dᵢ − dⱼ| / m². It leaves out the correlation of the window's
/// errors with those of the last days before it, through the fitted coefficients, which
/// for ρ > 0 only narrows the true interval: the one reported errs on the wide side.
fn noise_of_mean(gls: &Gls, idx: &[usize]) -> f64 {
    let rho = gls.rho;
    let m = idx.len() as f64;
    let mut sum = 0.0;
    for (a, &i) in idx.iter().enumerate() {
        sum += 1.0;
        for &j in &idx[a + 1..] {
            sum += 2.0 * rho.powi((j - i) as i32);
        }
    }
    gls.sigma_innovation.powi(2) / (1.0 - rho * rho) * sum / (m * m)
}

/// A step δ on the model's scale in the series' units per day: e^δ − 1 of the
/// counterfactual on the log scale, δ itself on the level scale.
fn units_of(scale: Scale, cf_mean: f64, d: f64) -> f64 {
    match scale {
        Scale::Log => cf_mean * d.exp_m1(),
        Scale::Level => d,
    }
}

/// A step δ in % of the counterfactual; undefined (NaN) for a level-scale counterfactual
/// at or below 0.
fn pct_of(scale: Scale, cf_mean: f64, d: f64) -> f64 {
    match scale {
        Scale::Log => 100.0 * d.exp_m1(),
        Scale::Level if cf_mean > 0.0 => 100.0 * d / cf_mean,
        Scale::Level => f64::NAN,
    }
}

/// Two-sided p-value of δ = 0; a zero standard error (a noiseless fit) gives 0 or 1.
fn p_value(delta: f64, se: f64, df: usize) -> f64 {
    if se > 0.0 {
        t_two_sided_p(delta / se, df as f64)
    } else if delta == 0.0 {
        1.0
    } else {
        0.0
    }
}
