//! The interrupted time series against an independent reference, closed forms and its
//! refusals' exact texts.

use super::{ar1, first_day, flags, pattern, stream};
use wfhsim_core::calendar::{Date, DayFlags};
use wfhsim_core::evaluate::{Daily, ItsSpec, Scale, Season, Window, its};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn bare(first: Date, last: Date, windows: Vec<Window>, scale: Scale) -> ItsSpec {
    ItsSpec {
        windows,
        scale,
        trend: true,
        season: Season::None,
        weekday: false,
        calendar: false,
        first,
        last,
        working_days: false,
    }
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol, "{what}: {got} vs {want}");
}

/// The 24-day series of tests/reference/prais_winsten.py.
const Y: [f64; 24] = [
    100.0, 100.9, 100.4, 99.0, 99.3, 98.6, 100.5, 104.1, 102.4, 101.5, 103.4, 104.2, 104.3, 102.4,
    103.4, 105.5, 96.6, 97.1, 94.6, 94.7, 93.8, 96.7, 96.3, 99.3,
];

#[test]
fn prais_winsten_matches_an_independent_gls() {
    // Expected numbers from tests/reference/prais_winsten.py (numpy, the full AR(1)
    // covariance matrix inverted, fitted on the 16 days before the window; see its
    // header), printed to 10-12 digits.
    let first = d("2023-06-05");
    let window = Window {
        from: Date(first.0 + 16),
        to: Date(first.0 + 23),
    };
    let spec = bare(first, Date(first.0 + 23), vec![window], Scale::Level);
    // (missing days, ρ, β, se, σ_u, the window's step and its se)
    type Case = (&'static [usize], f64, [f64; 2], [f64; 2], f64, [f64; 2]);
    let cases: [Case; 2] = [
        (
            &[],
            0.278233548867,
            [99.2074888967, 131.5763493062],
            [0.8024129275, 32.8524640209],
            1.2843197488,
            [-10.0945989213, 1.3113825666],
        ),
        (
            &[5, 11, 12],
            0.025747271471,
            [99.5147929182, 115.4456210253],
            [0.6260687074, 26.7057735813],
            1.2411954468,
            [-9.5407141640, 1.0716798797],
        ),
    ];
    for (missing, rho, beta, se, sigma_u, step) in cases {
        let values = (0..24)
            .map(|i| (!missing.contains(&i)).then_some(Y[i]))
            .collect();
        let series = Daily {
            start: first,
            values,
        };
        let fit = its::fit(&series, &[DayFlags::default(); 24], &spec).unwrap();
        close(fit.rho, rho, 1e-7, "rho");
        let want = [(beta[0], se[0]), (beta[1], se[1]), (step[0], step[1])];
        assert_eq!(fit.coefficients.len(), 3, "intercept, trend, the window");
        for (c, (b, s)) in fit.coefficients.iter().zip(want) {
            close(c.estimate, b, 1e-6 * b.abs(), &c.name);
            close(c.se, s, 1e-6 * s, &c.name);
        }
        close(fit.sigma_innovation, sigma_u, 1e-7, "sigma_u");
        assert_eq!(
            (fit.n, fit.n_pre, fit.k, fit.df),
            (
                24 - missing.len(),
                16 - missing.len(),
                2,
                14 - missing.len()
            )
        );
        // The window's effect on the level scale is its step, with t(df) limits.
        let e = &fit.effects[0];
        close(e.units, step[0], 1e-6 * step[0].abs(), "units");
        let t = wfhsim_core::evaluate::student::t975(fit.df);
        close(e.units_hi - e.units, t * step[1], 1e-5, "half-width");
    }
}

/// A noiseless series: 1000 · exp(weekday + holiday + 3%/year + step) with a −20% window.
fn noiseless(scale: Scale) -> (Daily, Vec<DayFlags>, ItsSpec) {
    let first = first_day();
    let n = 260;
    let fl = flags(n);
    let values = (0..n)
        .map(|i| {
            let step = if i >= 200 { 0.8f64.ln() } else { 0.0 };
            let log = pattern(i, &fl[i]) + step;
            Some(match scale {
                Scale::Log => 1000.0 * log.exp(),
                Scale::Level => 1000.0 * (1.0 + log),
            })
        })
        .collect();
    let mut spec = bare(
        first,
        Date(first.0 + n as i32 - 1),
        vec![Window {
            from: Date(first.0 + 200),
            to: Date(first.0 + n as i32 - 1),
        }],
        scale,
    );
    (spec.weekday, spec.calendar) = (true, true);
    let series = Daily {
        start: first,
        values,
    };
    (series, fl, spec)
}

#[test]
fn a_noiseless_series_gives_back_its_coefficients() {
    // pattern(): Tue..Sun 0.02, 0.03, 0.02, 0.05, −0.25, −0.40; holiday −0.30, cuti bersama
    // −0.15, school holiday −0.06, Ramadan −0.04, Lebaran −0.35; 0.02 a year (days/365.25).
    let want = [
        ("intercept", 0.0),
        ("trend_per_year", 0.02),
        ("tuesday", 0.02),
        ("wednesday", 0.03),
        ("thursday", 0.02),
        ("friday", 0.05),
        ("saturday", -0.25),
        ("sunday", -0.40),
        ("holiday", -0.30),
        ("cuti_bersama", -0.15),
        ("school_holiday", -0.06),
        ("ramadan", -0.04),
        ("lebaran", -0.35),
    ];
    for scale in [Scale::Log, Scale::Level] {
        let (series, fl, spec) = noiseless(scale);
        let fit = its::fit(&series, &fl, &spec).unwrap();
        let (intercept, unit) = match scale {
            Scale::Log => (1000f64.ln(), 1.0),
            Scale::Level => (1000.0, 1000.0),
        };
        for (c, (name, v)) in fit.coefficients.iter().zip(want) {
            assert_eq!(c.name, name);
            let v = if name == "intercept" {
                intercept
            } else {
                v * unit
            };
            close(c.estimate, v, 1e-9 * intercept, name);
        }
        let e = &fit.effects[0];
        close(fit.sigma_residual, 0.0, 1e-9, "sigma");
        if scale == Scale::Log {
            close(e.pct, -20.0, 1e-9, "pct");
            close(e.observed_mean, 0.8 * e.counterfactual_mean, 1e-8, "means");
            close(
                e.units,
                e.observed_mean - e.counterfactual_mean,
                1e-8,
                "units",
            );
        } else {
            close(e.units, 1000.0 * 0.8f64.ln(), 1e-8, "units");
        }
        // The band collapses onto the counterfactual, which is the fit outside the window.
        for day in &fit.days {
            close(
                day.counterfactual_hi - day.counterfactual_lo,
                0.0,
                1e-6,
                "band",
            );
            if !day.in_window {
                close(day.fitted, day.counterfactual, 1e-9, "outside");
                close(day.fitted, day.observed.unwrap(), 1e-8, "fit");
            }
        }
    }
}

#[test]
fn the_band_holds_the_counterfactual_and_windows_are_marked() {
    let first = first_day();
    let mut rng = stream(900, 0);
    let noise = ar1(&mut rng, 120, 0.02, 0.3);
    let values = (0..120)
        .map(|i| Some(500.0 * (noise[i] + if i >= 90 { -0.1 } else { 0.0 }).exp()))
        .collect();
    let win = Window {
        from: Date(first.0 + 90),
        to: Date(first.0 + 119),
    };
    let spec = bare(first, win.to, vec![win], Scale::Log);
    let series = Daily {
        start: first,
        values,
    };
    let fit = its::fit(&series, &[DayFlags::default(); 120], &spec).unwrap();
    assert_eq!(fit.days.len(), 120);
    for (i, day) in fit.days.iter().enumerate() {
        assert_eq!(day.in_window, i >= 90);
        assert!(day.counterfactual_lo < day.counterfactual);
        assert!(day.counterfactual < day.counterfactual_hi);
        // The fitted value is the counterfactual times e^δ in the window.
        let step = if day.in_window {
            1.0 + fit.effects[0].pct / 100.0
        } else {
            1.0
        };
        close(
            day.fitted,
            day.counterfactual * step,
            1e-9 * day.fitted,
            "step",
        );
    }
    // Narrowest where the data are: the band widens past the last pre-policy day.
    let width = |i: usize| fit.days[i].counterfactual_hi - fit.days[i].counterfactual_lo;
    assert!(width(119) > width(89));
    let e = &fit.effects[0];
    assert!(e.pct_lo < e.pct && e.pct < e.pct_hi && e.mde_pct > 0.0);
    assert!(
        e.p_value > 0.0 && e.p_value < 0.05,
        "a 10% fall in 2% noise"
    );
}

/// A long AR(1) series around a constant: ρ̂ is close to the truth, and dropping every
/// 7th day (the exact gap transform) barely moves it.
#[test]
fn rho_is_recovered_with_and_without_gaps() {
    let n = 6000;
    let first = first_day();
    let spec = ItsSpec {
        trend: false,
        ..bare(first, Date(first.0 + n as i32 - 1), vec![], Scale::Level)
    };
    for (item, rho) in [(0, 0.0), (1, 0.3), (2, 0.6)] {
        let e = ar1(&mut stream(901, item), n, 1.0, rho);
        let full = Daily {
            start: first,
            values: e.iter().map(|v| Some(10.0 + v)).collect(),
        };
        let mut gappy = full.clone();
        for i in (3..n).step_by(7) {
            gappy.values[i] = None;
        }
        let a = its::fit(&full, &vec![DayFlags::default(); n], &spec).unwrap();
        let b = its::fit(&gappy, &vec![DayFlags::default(); n], &spec).unwrap();
        // ρ̂'s standard deviation is about √((1 − ρ²)/n) ≈ 0.013 at most: 3 of them.
        close(a.rho, rho, 0.04, "full");
        close(b.rho, a.rho, 0.02, "gaps");
        close(
            a.sigma_innovation,
            (1.0 - rho * rho).sqrt(),
            0.04,
            "sigma_u",
        );
        close(b.sigma_innovation, a.sigma_innovation, 0.02, "sigma_u gaps");
        assert_eq!(b.n, n - (n - 3).div_ceil(7));
        assert!(a.effects.is_empty() && a.n_pre == n);
    }
}

fn flat(first: Date, values: Vec<Option<f64>>) -> Daily {
    Daily {
        start: first,
        values,
    }
}

#[test]
fn refusals_say_what_is_wrong_and_what_would_do() {
    let first = d("2023-07-03");
    let n = 40;
    let fl = vec![DayFlags::default(); n];
    let wiggly: Vec<Option<f64>> = (0..n).map(|i| Some(100.0 + (i % 3) as f64)).collect();
    let last = Date(first.0 + n as i32 - 1);
    let window = |from: i32| Window {
        from: Date(first.0 + from),
        to: last,
    };
    let spec = bare(first, last, vec![window(30)], Scale::Log);
    let err = |series: &Daily, spec: &ItsSpec, fl: &[DayFlags]| {
        its::fit(series, fl, spec).unwrap_err().to_string()
    };
    // Intercept and trend: 2 parameters, so 12 days are needed before 2023-07-14.
    assert_eq!(
        err(
            &flat(first, wiggly.clone()),
            &bare(first, last, vec![window(11)], Scale::Log),
            &fl
        ),
        "too few days before the policy: 11 observed days before 2023-07-14, the model with 2 parameters needs at least 12"
    );
    let constant = (0..n)
        .map(|i| Some(if i < 30 { 7.5 } else { 6.0 }))
        .collect();
    assert_eq!(
        err(&flat(first, constant), &spec, &fl),
        "the series does not vary before the policy (every value is 7.5): no effect can be estimated against a constant"
    );
    let mut zero = wiggly.clone();
    zero[4] = Some(0.0);
    assert_eq!(
        err(&flat(first, zero.clone()), &spec, &fl),
        "a value is 0 on 2023-07-07; the log scale needs every value above 0 (use the level scale)"
    );
    let level = ItsSpec {
        scale: Scale::Level,
        ..spec.clone()
    };
    assert!(
        its::fit(&flat(first, zero), &fl, &level).is_ok(),
        "0 is a level"
    );
    let mut empty = wiggly.clone();
    empty[30..].iter_mut().for_each(|v| *v = None);
    assert_eq!(
        err(&flat(first, empty), &spec, &fl),
        "window 2023-08-02..2023-08-11 has no observed day"
    );
    let early = ItsSpec {
        first: Date(first.0 - 1),
        ..spec.clone()
    };
    assert_eq!(
        err(&flat(first, wiggly.clone()), &early, &fl),
        "the evaluation runs 2023-07-02..2023-08-11 but the series runs 2023-07-03..2023-08-11: choose days inside the series"
    );
    assert_eq!(
        err(&flat(first, wiggly.clone()), &spec, &fl[1..]),
        "the calendar has 39 days for the 40 days 2023-07-03..2023-08-11"
    );
    let twice = ItsSpec {
        windows: vec![window(30), window(30)],
        ..spec.clone()
    };
    assert_eq!(
        err(&flat(first, wiggly), &twice, &fl),
        "the windows 2023-08-02..2023-08-11 and 2023-08-02..2023-08-11 overlap: give each day to one window"
    );
}
