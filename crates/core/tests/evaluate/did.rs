//! Difference-in-differences on synthetic pairs: a treated and a control series sharing
//! the day-of-week and calendar pattern and common shocks, each with noise of its own; the
//! effect is only in the treated.

use super::{ar1, first_day, flags, pattern, stream};
use rayon::prelude::*;
use wfhsim_core::calendar::{Date, DayFlags};
use wfhsim_core::evaluate::{Daily, ItsSpec, Scale, Season, Window, did, its};

const PRE: usize = 364;
const WINDOW: usize = 45;

struct Pair {
    treated: Daily,
    control: Daily,
    flags: Vec<DayFlags>,
    spec: ItsSpec,
}

/// A pair: common AR(1) shocks (σ 3%, ρ 0.5) and a common −8% in the window (an event both
/// see, e.g. a flood the calendar does not list); own noise σ 1%, ρ 0.2 each; the treated
/// falls by `effect` in the window and has its own trend of `own_trend` a year.
fn pair(item: u64, effect: f64, own_trend: f64) -> Pair {
    let n = PRE + WINDOW;
    let fl = flags(n);
    let mut rng = stream(30, item);
    let common = ar1(&mut rng, n, 0.03, 0.5);
    let own_t = ar1(&mut rng, n, 0.01, 0.2);
    let own_c = ar1(&mut rng, n, 0.01, 0.2);
    let series = |level: f64, own: &[f64], step: f64, trend: f64| -> Vec<Option<f64>> {
        (0..n)
            .map(|i| {
                let w = if i >= PRE { step + (0.92f64).ln() } else { 0.0 };
                let t = trend * i as f64 / 365.25;
                Some(level * (pattern(i, &fl[i]) + common[i] + own[i] + w + t).exp())
            })
            .collect()
    };
    let first = first_day();
    let last = Date(first.0 + n as i32 - 1);
    Pair {
        treated: Daily {
            start: first,
            values: series(10_000.0, &own_t, (1.0 + effect).ln(), own_trend),
        },
        control: Daily {
            start: first,
            values: series(4_000.0, &own_c, 0.0, 0.0),
        },
        flags: fl,
        spec: ItsSpec {
            windows: vec![Window {
                from: Date(first.0 + PRE as i32),
                to: last,
            }],
            scale: Scale::Log,
            trend: true,
            season: Season::None,
            weekday: true,
            calendar: true,
            first,
            last,
            working_days: false,
        },
    }
}

#[test]
fn the_control_takes_out_what_both_saw() {
    // 500 pairs: the interval covers the treated's −10% in ≥ 92% (the sampling error of a
    // share near 95% over 500 is 1 point), while the series alone reads the common −8% as
    // part of the effect.
    let out: Vec<(bool, f64, f64)> = (0..500u64)
        .into_par_iter()
        .map(|item| {
            let p = pair(item, -0.10, 0.0);
            let d = did::fit(&p.treated, &p.control, &p.flags, &p.spec).expect("fits");
            let alone = its::fit(&p.treated, &p.flags, &p.spec).expect("fits");
            let e = &d.fit.effects[0];
            (
                e.pct_lo <= -10.0 && -10.0 <= e.pct_hi,
                e.pct,
                alone.effects[0].pct,
            )
        })
        .collect();
    let n = out.len() as f64;
    let coverage = out.iter().filter(|o| o.0).count() as f64 / n;
    let did_mean = out.iter().map(|o| o.1).sum::<f64>() / n;
    let its_mean = out.iter().map(|o| o.2).sum::<f64>() / n;
    eprintln!(
        "DiD: coverage {:.1}%, mean {did_mean:.2}%; the series alone {its_mean:.2}%",
        100.0 * coverage
    );
    assert!(coverage >= 0.92, "{coverage}");
    assert!((did_mean + 10.0).abs() < 0.3, "{did_mean}");
    // 0.9 × 0.92 − 1 = −17.2%.
    assert!((its_mean + 17.2).abs() < 1.0, "{its_mean}");
}

#[test]
fn the_pre_policy_gap_trend_shows_whether_trends_were_parallel() {
    let p = pair(0, -0.10, 0.0);
    let d = did::fit(&p.treated, &p.control, &p.flags, &p.spec).unwrap();
    let t = &d.pre_gap_trend;
    assert_eq!(t.name, "trend_per_year");
    assert!(t.estimate.abs() < 3.0 * t.se, "{t:?}");
    assert!(d.assumption.contains("parallel"));
    assert!(
        !d.fit
            .coefficients
            .iter()
            .any(|c| c.name == "trend_per_year")
    );
    // The treated grows 5% a year on its own: the gap's trend says so, many se from 0.
    let p = pair(0, -0.10, 0.05);
    let d = did::fit(&p.treated, &p.control, &p.flags, &p.spec).unwrap();
    let t = &d.pre_gap_trend;
    assert!((t.estimate - 0.05).abs() < 3.0 * t.se, "{t:?}");
    assert!(t.estimate > 8.0 * t.se, "{t:?}");
}

#[test]
fn a_day_missing_in_either_series_is_missing() {
    let mut p = pair(1, -0.10, 0.0);
    p.treated.values[10] = None;
    p.control.values[20] = None;
    p.control.values[400] = None;
    let d = did::fit(&p.treated, &p.control, &p.flags, &p.spec).unwrap();
    assert_eq!(d.fit.n, PRE + WINDOW - 3);
    assert_eq!(d.fit.effects[0].days, WINDOW - 1);
    // The treated's counterfactual on a day is the control's value times the gap's: unknown
    // where the control is missing, observed where only the treated is.
    assert!(d.fit.days[20].counterfactual.is_nan());
    assert!(d.fit.days[10].counterfactual.is_finite() && d.fit.days[10].observed.is_none());
    // A control that is not positive on the log scale, or shorter than the range.
    p.control.values[5] = Some(-1.0);
    assert_eq!(
        did::fit(&p.treated, &p.control, &p.flags, &p.spec)
            .unwrap_err()
            .to_string(),
        "in the control series: a value is -1 on 2022-01-08; the log scale needs every value above 0 (use the level scale)"
    );
    p.control.values[5] = Some(1.0);
    p.control.values.truncate(PRE + 10);
    let d = did::fit(&p.treated, &p.control, &p.flags, &p.spec).unwrap();
    assert_eq!(
        d.fit.effects[0].days, 10,
        "the window days the control still has"
    );
}
