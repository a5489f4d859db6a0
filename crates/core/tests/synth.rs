//! Synthetic control (`evaluate::synth`): a treated series that is an exact mix of two
//! donors gives back the mix and the injected effect; the placebo p-value is uniform on
//! panels with no effect and small with a large one; missing days and wrong inputs are
//! handled as documented, with exact messages.

use wfhsim_core::calendar::Date;
use wfhsim_core::evaluate::synth::{SynthFit, fit};
use wfhsim_core::evaluate::{Daily, EvalError, Window};
use wfhsim_core::rng::{CounterRng, Stream, StreamKey};

fn day(i: i32) -> Date {
    Date(Date::from_ymd(2023, 1, 1).unwrap().0 + i)
}

fn daily(v: &[f64]) -> Daily {
    Daily {
        start: day(0),
        values: v.iter().map(|x| Some(*x)).collect(),
    }
}

/// A standard normal draw (Box–Muller on two uniforms of the stream).
fn normal(r: &mut CounterRng) -> f64 {
    let u1 = 1.0 - r.next_f64(); // in (0, 1]
    let u2 = r.next_f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Days 0..n of a unit: level + loadings on two shared factors + its own noise.
fn unit(r: &mut CounterRng, factors: &[Vec<f64>], sigma: f64) -> Vec<f64> {
    let loads: Vec<f64> = factors.iter().map(|_| 0.5 + r.next_f64()).collect();
    (0..factors[0].len())
        .map(|t| {
            let common: f64 = factors.iter().zip(&loads).map(|(f, l)| l * f[t]).sum();
            100.0 + 10.0 * common + sigma * normal(r)
        })
        .collect()
}

/// Two shared factors over `n` days: a persistent AR(1) (ρ = 0.9) and a weekly cycle.
fn factors(r: &mut CounterRng, n: usize) -> Vec<Vec<f64>> {
    let mut ar = vec![0.0; n];
    for t in 1..n {
        ar[t] = 0.9 * ar[t - 1] + 0.4 * normal(r);
    }
    let weekly = (0..n)
        .map(|t| (std::f64::consts::TAU * t as f64 / 7.0).sin())
        .collect();
    vec![ar, weekly]
}

fn named(units: &[Vec<f64>]) -> Vec<(String, Daily)> {
    units
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("site{}", i + 1), daily(v)))
        .collect()
}

const N: usize = 150;
const WINDOW_FROM: i32 = 120;

fn window() -> Window {
    Window {
        from: day(WINDOW_FROM),
        to: day(N as i32 - 1),
    }
}

fn run(treated: &[f64], donors: &[Vec<f64>]) -> SynthFit {
    fit(
        &daily(treated),
        &named(donors),
        &[window()],
        day(0),
        day(N as i32 - 1),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Four donors; the treated series is 0.3·site1 + 0.7·site2 on every day, times 0.9 in
/// the window (a −10% effect).
fn exact_mix_panel() -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut r = StreamKey::new(1, 0, Stream::Design).rng(100);
    let f = factors(&mut r, N);
    let donors: Vec<Vec<f64>> = (0..4).map(|_| unit(&mut r, &f, 2.0)).collect();
    let treated = (0..N)
        .map(|t| {
            let mix = 0.3 * donors[0][t] + 0.7 * donors[1][t];
            if t as i32 >= WINDOW_FROM {
                0.9 * mix
            } else {
                mix
            }
        })
        .collect();
    (treated, donors)
}

#[test]
fn an_exact_mix_gives_back_its_weights_and_the_injected_effect() {
    let (treated, donors) = exact_mix_panel();
    let s = run(&treated, &donors);
    let w: Vec<f64> = s.weights.iter().map(|(_, w)| *w).collect();
    let names: Vec<&str> = s.weights.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["site1", "site2", "site3", "site4"]);
    for (got, want) in w.iter().zip([0.3, 0.7, 0.0, 0.0]) {
        assert!((got - want).abs() < 1e-4, "{w:?}");
    }
    assert_eq!(s.effects.len(), 1);
    let e = &s.effects[0];
    assert_eq!((e.from, e.to, e.days), (day(WINDOW_FROM), day(149), 30));
    assert!((e.pct + 10.0).abs() < 0.1, "{e:?}");
    // The synthetic mean is the mix's mean over the window, computed here from the donors.
    let mix: f64 = (120..N)
        .map(|t| 0.3 * donors[0][t] + 0.7 * donors[1][t])
        .sum::<f64>()
        / 30.0;
    assert!(
        (e.synthetic_mean - mix).abs() < 1e-3 * mix,
        "{} {mix}",
        e.synthetic_mean
    );
    assert!((e.units - (e.observed_mean - e.synthetic_mean)).abs() < 1e-12);
    assert!(s.pre_rmspe < 1e-3, "{}", s.pre_rmspe);
    // Every donor gets a placebo; the treated series parts most from its synthetic one,
    // so it ranks first of five: p = 1/5.
    assert_eq!(s.placebos.len(), 4);
    let treated_ratio = s.post_rmspe / s.pre_rmspe;
    assert!(
        s.placebos.iter().all(|p| p.ratio < treated_ratio),
        "{:?}",
        s.placebos
    );
    for p in &s.placebos {
        assert!((p.ratio - p.post_rmspe / p.pre_rmspe).abs() <= 1e-12 * p.ratio);
    }
    assert_eq!(s.p_value, 1.0 / 5.0);
    // One row per day; the window's days flagged.
    assert_eq!(s.days.len(), N);
    assert_eq!(s.days.iter().filter(|d| d.in_window).count(), 30);
    assert_eq!(s.days[7].observed, Some(treated[7]));
}

#[test]
fn donor_order_only_reorders_the_weights() {
    let (treated, donors) = exact_mix_panel();
    let a = run(&treated, &donors);
    let reversed: Vec<(String, Daily)> = named(&donors).into_iter().rev().collect();
    let b = fit(&daily(&treated), &reversed, &[window()], day(0), day(149)).unwrap();
    for (wa, wb) in a.weights.iter().zip(b.weights.iter().rev()) {
        assert_eq!(wa.0, wb.0);
        assert!((wa.1 - wb.1).abs() < 1e-9, "{wa:?} {wb:?}");
    }
    assert_eq!(a.p_value, b.p_value);
    // The same inputs give the same fit, to the bit.
    assert_eq!(format!("{a:?}"), format!("{:?}", run(&treated, &donors)));
}

#[test]
fn missing_days_are_left_out() {
    let (treated, donors) = exact_mix_panel();
    let mut d = named(&donors);
    // site2 (weighted) misses a pre day and a window day; site4 (weight 0) a window day;
    // the treated series misses another window day.
    d[1].1.values[10] = None;
    d[1].1.values[130] = None;
    d[3].1.values[131] = None;
    let mut t = daily(&treated);
    t.values[140] = None;
    let s = fit(&t, &d, &[window()], day(0), day(149)).unwrap();
    assert!((s.weights[1].1 - 0.7).abs() < 1e-4, "{:?}", s.weights);
    assert_eq!(s.days[10].synthetic, None);
    assert_eq!(s.days[130].synthetic, None);
    assert!(
        s.days[131].synthetic.is_some(),
        "a donor with weight 0 is not needed"
    );
    assert_eq!(s.days[140].observed, None);
    assert_eq!(s.effects[0].days, 28);
    assert!((s.effects[0].pct + 10.0).abs() < 0.1);
}

#[test]
fn too_few_donors_is_refused_naming_them() {
    let (treated, donors) = exact_mix_panel();
    let two = &named(&donors)[..2];
    let err = fit(&daily(&treated), two, &[window()], day(0), day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "synthetic control needs at least 3 untreated series; 2 given (site1, site2)"
    );
    let err = fit(&daily(&treated), &[], &[window()], day(0), day(149)).unwrap_err();
    assert_eq!(
        err,
        EvalError::Other("synthetic control needs at least 3 untreated series; 0 given".into())
    );
}

#[test]
fn too_few_days_before_the_policy_is_refused() {
    let (treated, donors) = exact_mix_panel();
    // Four donors need 9 complete days before the window; days 111..=119 are 9 of them,
    // and one missing donor value leaves 8.
    let mut d = named(&donors);
    d[2].1.values[115] = None;
    let first = day(111);
    let ok = fit(
        &daily(&treated),
        &named(&donors),
        &[window()],
        first,
        day(149),
    );
    assert!(ok.is_ok(), "{ok:?}");
    let err = fit(&daily(&treated), &d, &[window()], first, day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "too few days before the policy for synthetic control: 8 days before 2023-05-01 have the treated series and every donor observed; 4 donors need at least 9 (the number of donors + 5)"
    );
}

#[test]
fn series_and_windows_outside_the_days_are_refused() {
    let (treated, donors) = exact_mix_panel();
    let mut d = named(&donors);
    d[3].1.values.truncate(140);
    let err = fit(&daily(&treated), &d, &[window()], day(0), day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "donor 'site4' runs from 2023-01-01 to 2023-05-20; synthetic control needs every series to cover 2023-01-01..2023-05-30"
    );
    let late = Window {
        from: day(140),
        to: day(160),
    };
    let err = fit(&daily(&treated), &named(&donors), &[late], day(0), day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "window 2023-05-21..2023-06-10 must lie within the evaluated days 2023-01-01..2023-05-30, its first day not after its last"
    );
    let err = fit(&daily(&treated), &named(&donors), &[], day(0), day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "synthetic control needs at least one policy window"
    );
    let at_start = Window {
        from: day(0),
        to: day(9),
    };
    let err = fit(
        &daily(&treated),
        &named(&donors),
        &[at_start],
        day(0),
        day(149),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "window 2023-01-01.. starts on the first evaluated day: synthetic control needs days before the policy"
    );
    let mut t = daily(&treated);
    for v in &mut t.values[120..] {
        *v = None;
    }
    let err = fit(&t, &named(&donors), &[window()], day(0), day(149)).unwrap_err();
    assert_eq!(
        err,
        EvalError::EmptyWindow {
            from: day(120),
            to: day(149)
        }
    );
    let mut t = daily(&treated);
    t.values[3] = Some(f64::NAN);
    let err = fit(&t, &named(&donors), &[window()], day(0), day(149)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the treated series has the value NaN on 2023-01-04: every value must be a finite number (leave a missing day empty)"
    );
}

/// p-values of `panels` panels of six exchangeable units (the first one treated), the
/// treated series multiplied by `1 + effect` in the window.
fn panel_p_values(panels: u64, effect: f64) -> Vec<f64> {
    (0..panels)
        .map(|k| {
            let mut r = StreamKey::new(2, 0, Stream::Design).rng(k);
            let f = factors(&mut r, N);
            let mut units: Vec<Vec<f64>> = (0..6).map(|_| unit(&mut r, &f, 1.0)).collect();
            for v in &mut units[0][WINDOW_FROM as usize..] {
                *v *= 1.0 + effect;
            }
            run(&units[0], &units[1..]).p_value
        })
        .collect()
}

#[test]
fn placebo_p_values_are_uniform_without_an_effect_and_small_with_one() {
    // Six exchangeable units and no effect: the treated series' ratio is equally likely
    // to take any of the six ranks, so the p-value (rank / 6) takes 1/6, 2/6, ..., 1 each
    // with probability 1/6. (A check of "p ≤ 0.2 in 20%" does not fit: with 5 placebos
    // the p-values are multiples of 1/6, and p ≤ 0.2 means p = 1/6.) Checked: every
    // rank's count against 500/6 by chi-square (5 degrees of freedom, 0.1% critical value
    // 20.52), and the share at the smallest p-value within 3 binomial standard
    // deviations (0.050) of 1/6.
    let p = panel_p_values(500, 0.0);
    let mut counts = [0usize; 6];
    for v in &p {
        let rank = (v * 6.0).round() as usize;
        assert!(
            (1..=6).contains(&rank) && (v * 6.0 - rank as f64).abs() < 1e-9,
            "{v}"
        );
        counts[rank - 1] += 1;
    }
    let expected = 500.0 / 6.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    assert!(chi2 < 20.52, "{counts:?}, chi-square {chi2}");
    let first = counts[0] as f64 / 500.0;
    let sd = (1.0 / 6.0 * 5.0 / 6.0 / 500.0f64).sqrt();
    assert!((first - 1.0 / 6.0).abs() < 3.0 * sd, "{counts:?}");
    // A −30% effect: the treated series ranks first (p = 1/6) in nearly every panel.
    let p = panel_p_values(200, -0.3);
    let top = p.iter().filter(|v| **v == 1.0 / 6.0).count();
    assert!(top >= 190, "{top} of 200 ranked first");
}
