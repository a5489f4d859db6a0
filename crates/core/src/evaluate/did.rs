//! Difference-in-differences: the policy's effect on a treated series, measured against a
//! control series the policy did not touch (another site, the weekends of a weekday-only
//! order, the same weeks a year before).
//!
//! The interrupted time series of [`super::its`] fitted to the gap between the two:
//! ln treated − ln control on the log scale, treated − control on the level scale, on the
//! days both are observed. Day of week, the calendar and the season stay in the model (the
//! two series may answer a holiday differently), the trend does not: the control is what
//! carries the trend, which is the assumption (below). The counterfactual and the effect
//! are then the treated series' own: its counterfactual on a day is the control's value
//! times (plus) the gap the model expects without the window.
//!
//! What it assumes, and how to see it: without the policy the gap would have stayed as it
//! was (parallel trends), and the policy did not change the control. The first can be
//! looked at: [`DidFit::pre_gap_trend`] is the gap's own trend before the policy (the same
//! model with a trend and no window, on the days before the first window), which should be
//! near 0 within its standard error. The second cannot be seen in the data.

use super::its::{Target, first_window, fit_target, to_model, values_on};
use super::{Coef, Daily, EvalError, ItsFit, ItsSpec};
use crate::calendar::{Date, DayFlags};

/// The assumption, in a sentence the output shows beside the estimate.
pub const ASSUMPTION: &str = "Without the policy, the treated series would have moved in parallel with the control: their gap, once day of week and the calendar are accounted for, would have stayed where it was before the policy, and the policy did not change the control. The gap's trend before the policy shows whether the first part held then; nothing in the data can show the second.";

/// A difference-in-differences fit.
#[derive(Debug, Clone, PartialEq)]
pub struct DidFit {
    /// The gap model; its effects and days are the treated series' (in its units).
    pub fit: ItsFit,
    /// The gap's trend per year before the first window (model scale), with its se.
    pub pre_gap_trend: Coef,
    pub assumption: &'static str,
}

/// Fits the gap between `treated` and `control` on `spec.first..=spec.last` (which must
/// be inside the treated series; control days outside its range are missing); `flags` as
/// for [`super::its::fit`].
pub fn fit(
    treated: &Daily,
    control: &Daily,
    flags: &[DayFlags],
    spec: &ItsSpec,
) -> Result<DidFit, EvalError> {
    let observed = values_on(treated, spec, true)?;
    let control = values_on(control, spec, false)
        .map_err(|e| EvalError::Other(format!("in the control series: {e}")))?;
    let offset: Vec<Option<f64>> = (control.iter())
        .map(|v| v.map(|c| to_model(spec.scale, c)))
        .collect();
    let gap_spec = ItsSpec {
        trend: false,
        ..spec.clone()
    };
    let target = Target {
        observed,
        offset,
        is_gap: true,
    };
    let fit = fit_target(&target, flags, &gap_spec)?;
    let pre_gap_trend = pre_trend(&target, flags, spec)?;
    Ok(DidFit {
        fit,
        pre_gap_trend,
        assumption: ASSUMPTION,
    })
}

/// The gap's trend on the days before the first window: the spec's model with a trend and
/// no windows.
fn pre_trend(t: &Target, flags: &[DayFlags], spec: &ItsSpec) -> Result<Coef, EvalError> {
    let start = first_window(spec);
    let last = Date(start.0 - 1);
    let n = (last.0 - spec.first.0 + 1).max(0) as usize;
    let pre_spec = ItsSpec {
        windows: Vec::new(),
        trend: true,
        last,
        ..spec.clone()
    };
    let pre = Target {
        observed: t.observed[..n].to_vec(),
        offset: t.offset[..n].to_vec(),
        is_gap: true,
    };
    let fit = fit_target(&pre, &flags[..n.min(flags.len())], &pre_spec)?;
    fit.coefficients
        .into_iter()
        .find(|c| c.name == "trend_per_year")
        .ok_or_else(|| {
            EvalError::Other("the gap before the policy has no trend to estimate".into())
        })
}
