//! In-time placebos: would the same model have "found" an effect where there was none?
//!
//! Fake windows as long as the first real window are laid back to back before it: the
//! first ends the day before the policy starts, each next one ends the day before the
//! previous one starts. Each is fitted with the real model's terms on `spec.first..=` its
//! own last day only, so a placebo never sees a policy day and sits at the end of its data
//! as the real window does. A fake window with too few days before it for the model (the
//! rule of [`super::its`]) or with no observed day is skipped; as they step back, the first
//! one without enough days ends the list. So is a fake window that leaves a term of the real
//! model with nothing to learn it from (it covers every school holiday or all of Ramadan
//! before it): that placebo would be a different model, whose window also absorbs the
//! calendar's effect.
//!
//! If the model's intervals are honest, about 5% of placebos come out "significant" (their
//! 95% interval excludes 0). Many more says the series has structure the model lacks
//! (other events, a changing trend, stronger persistence): its intervals for the real
//! window are then too narrow too.
//!
//! `rank_p` is the share of placebos whose |effect in %| is at least the real first
//! window's |effect in %| (without adding the real window itself to the count): an
//! empirical p-value, readable when there are at least ~20 placebos (with 10, the smallest
//! it can be is 0). Both shares are NaN when no placebo window could be fitted.

use super::{Daily, ItsFit, ItsSpec, PlaceboWindow, Placebos, Window, its};
use crate::calendar::{Date, DayFlags};

/// The in-time placebos of a fitted series; `flags` as for [`its::fit`] (for the whole
/// `spec.first..=spec.last`).
pub fn in_time(series: &Daily, flags: &[DayFlags], spec: &ItsSpec, real: &ItsFit) -> Placebos {
    let (Some(first), Some(real_effect)) = (spec.windows.first(), real.effects.first()) else {
        return summarise(Vec::new(), f64::NAN);
    };
    let len = first.days() as i32;
    let mut windows = Vec::new();
    let mut to = Date(first.from.0 - 1);
    while len > 0 && to.0 - len + 1 > spec.first.0 {
        let fake = Window {
            from: Date(to.0 - len + 1),
            to,
        };
        match fake_fit(series, flags, spec, real, fake) {
            Ok(Some(w)) => windows.push(w),
            Ok(None) => {}
            Err(()) => break,
        }
        to = Date(fake.from.0 - 1);
    }
    summarise(windows, real_effect.pct)
}

/// The same model with `fake` as its only window, fitted on the days up to its end:
/// `Ok(None)` when it cannot stand for the real fit (no observed day, a term the real
/// fit keeps left out), `Err(())` when too few days precede it (and any earlier one): too
/// few for the model, fewer than [`super::SEASON_MIN_DAYS`] when it has seasons, or fewer
/// than the fake window's own days when it has a trend — the rules a real window's terms
/// are chosen by, so a placebo is never a model the real fit would not have been.
fn fake_fit(
    series: &Daily,
    flags: &[DayFlags],
    spec: &ItsSpec,
    real: &ItsFit,
    fake: Window,
) -> Result<Option<PlaceboWindow>, ()> {
    let before = fake.from.0 - spec.first.0;
    let seasons = spec.season != super::Season::None;
    if (seasons && before < super::SEASON_MIN_DAYS) || (spec.trend && before < fake.days() as i32) {
        return Err(());
    }
    let placebo_spec = ItsSpec {
        windows: vec![fake],
        last: fake.to,
        ..spec.clone()
    };
    let n = (fake.to.0 - spec.first.0 + 1) as usize;
    match its::fit(series, &flags[..n.min(flags.len())], &placebo_spec) {
        Ok(fit) if same_terms(&fit, real) => {
            let e = &fit.effects[0];
            Ok(Some(PlaceboWindow {
                from: fake.from,
                to: fake.to,
                pct: e.pct,
                pct_lo: e.pct_lo,
                pct_hi: e.pct_hi,
                significant: e.pct_lo > 0.0 || e.pct_hi < 0.0,
            }))
        }
        Err(super::EvalError::TooFewPre { .. }) => Err(()),
        _ => Ok(None),
    }
}

/// The year-to-year placebos: the first window's calendar dates in each earlier year the
/// series covers (29 February moved to the 28th), fitted as [`in_time`] fits its windows.
/// How far those weeks sat from the same model's prediction is the series' own
/// year-to-year variation at that time of year, against which a planner reads the real
/// window's effect. Latest year first; none that the days before it cannot support.
pub fn same_weeks(
    series: &Daily,
    flags: &[DayFlags],
    spec: &ItsSpec,
    real: &ItsFit,
) -> Vec<PlaceboWindow> {
    let Some(first) = spec.windows.first() else {
        return Vec::new();
    };
    let back = |d: Date, years: i32| {
        let (y, m, day) = d.ymd();
        Date::from_ymd(y - years, m, day).or_else(|| Date::from_ymd(y - years, m, day - 1))
    };
    let mut out = Vec::new();
    for years in 1.. {
        let (Some(from), Some(to)) = (back(first.from, years), back(first.to, years)) else {
            break;
        };
        if from <= spec.first {
            break;
        }
        if to >= first.from {
            continue;
        }
        match fake_fit(series, flags, spec, real, Window { from, to }) {
            Ok(Some(w)) => out.push(w),
            Ok(None) => {}
            Err(()) => break,
        }
    }
    out
}

/// Whether a placebo's window leaves every term of the real fit something to learn from:
/// no term the real fit kept is dropped and absorbed by the fake window.
fn same_terms(placebo: &ItsFit, real: &ItsFit) -> bool {
    (placebo.dropped.iter()).all(|d| !d.absorbed || real.dropped.iter().any(|r| r.term == d.term))
}

fn summarise(windows: Vec<PlaceboWindow>, real_pct: f64) -> Placebos {
    let n = windows.len() as f64;
    let share = |f: &dyn Fn(&PlaceboWindow) -> bool| {
        if windows.is_empty() {
            f64::NAN
        } else {
            windows.iter().filter(|w| f(w)).count() as f64 / n
        }
    };
    let share_significant = share(&|w| w.significant);
    let rank_p = share(&|w| w.pct.abs() >= real_pct.abs());
    Placebos {
        windows,
        share_significant,
        rank_p,
    }
}
