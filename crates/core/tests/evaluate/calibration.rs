//! Calibration of the interrupted time series on synthetic series with a known effect
//! (docs/evaluation-methods-draft.md quotes the table this prints; run it with
//! `cargo test --release -p wfhsim-core --test tests evaluate::calibration -- --nocapture`).
//!
//! Each setting: 1,000 series, each a year (364 days) before a window of 30 to 60 days
//! (drawn per series), with a day-of-week pattern, holidays, cuti bersama, school holidays,
//! Ramadan and Lebaran, a 2%/year trend and AR(1) noise; the effect multiplies the window's
//! days by (1 + effect). Criteria per setting (docs: EVALUATION.md): the 95% interval covers
//! the true effect in ≥ 93% of series; in-time placebos (pooled over the setting's series)
//! are "significant" in ≤ 7%; the mean estimate of the window's step is within 0.1 of the
//! mean standard error of the truth.

use super::{stream, synthetic};
use rayon::prelude::*;
use wfhsim_core::evaluate::{ItsFit, its, placebo};

const SERIES: u64 = 1_000;
const PRE: usize = 364;

const EFFECTS: [f64; 4] = [0.0, -0.005, -0.05, -0.45];

/// What one series says under each injected effect, and its placebos.
struct Outcome {
    covered: [bool; 4],
    step: [f64; 4],
    se: [f64; 4],
    rho: f64,
    iterations: usize,
    placebos: usize,
    significant: usize,
}

fn window_step(fit: &ItsFit) -> (f64, f64) {
    let c = (fit.coefficients.iter())
        .find(|c| c.name.starts_with("window"))
        .expect("a window term");
    (c.estimate, c.se)
}

/// Series `item` of a noise setting, with each effect injected into the same noise (common
/// random numbers): on the log scale the fit is equivariant, so the estimates must differ
/// by exactly the injected steps, with the same standard error. The placebos never see a
/// window day, so they are the same for every effect and are fitted once.
fn one(setting: u32, item: u64, noise: (f64, f64)) -> Outcome {
    let window = 30 + stream(setting, item).below(31) as usize;
    let mut out = Outcome {
        covered: [false; 4],
        step: [0.0; 4],
        se: [0.0; 4],
        rho: 0.0,
        iterations: 0,
        placebos: 0,
        significant: 0,
    };
    for (j, effect) in EFFECTS.into_iter().enumerate() {
        let mut rng = stream(setting, item);
        rng.below(31);
        let s = synthetic(&mut rng, PRE, window, effect, noise);
        let fit = its::fit(&s.series, &s.flags, &s.spec).expect("the synthetic series fits");
        let e = &fit.effects[0];
        let truth = 100.0 * effect;
        out.covered[j] = e.pct_lo <= truth && truth <= e.pct_hi;
        (out.step[j], out.se[j]) = window_step(&fit);
        let shift = out.step[j] - out.step[0] - (1.0 + effect).ln();
        assert!(shift.abs() < 1e-9, "series {item}: {shift}");
        assert!((out.se[j] - out.se[0]).abs() < 1e-9 * out.se[0]);
        if j == 0 {
            let p = placebo::in_time(&s.series, &s.flags, &s.spec, &fit);
            out.placebos = p.windows.len();
            out.significant = p.windows.iter().filter(|w| w.significant).count();
            (out.rho, out.iterations) = (fit.rho, fit.iterations);
        }
    }
    out
}

struct Row {
    effect: f64,
    sigma: f64,
    rho: f64,
    coverage: f64,
    placebo_share: f64,
    placebos: usize,
    bias_over_se: f64,
    mean_rho: f64,
    mean_iterations: f64,
}

/// The four rows (one per effect) of a noise setting.
fn setting(index: u32, sigma: f64, rho: f64) -> Vec<Row> {
    let out: Vec<Outcome> = (0..SERIES)
        .into_par_iter()
        .map(|i| one(index, i, (sigma, rho)))
        .collect();
    let n = out.len() as f64;
    let mean = |f: &dyn Fn(&Outcome) -> f64| out.iter().map(f).sum::<f64>() / n;
    let placebos: usize = out.iter().map(|o| o.placebos).sum();
    let significant: usize = out.iter().map(|o| o.significant).sum();
    (0..EFFECTS.len())
        .map(|j| Row {
            effect: EFFECTS[j],
            sigma,
            rho,
            coverage: mean(&|o| f64::from(u8::from(o.covered[j]))),
            placebo_share: significant as f64 / placebos as f64,
            placebos,
            bias_over_se: (mean(&|o| o.step[j]) - (1.0 + EFFECTS[j]).ln()) / mean(&|o| o.se[j]),
            mean_rho: mean(&|o| o.rho),
            mean_iterations: mean(&|o| o.iterations as f64),
        })
        .collect()
}

#[test]
fn intervals_cover_placebos_stay_quiet_estimates_are_unbiased() {
    let started = std::time::Instant::now();
    let mut rows = Vec::new();
    for (index, (sigma, rho)) in [(0.01, 0.0), (0.01, 0.3), (0.03, 0.0), (0.03, 0.3)]
        .into_iter()
        .enumerate()
    {
        rows.extend(setting(index as u32, sigma, rho));
    }
    eprintln!(
        "{SERIES} series per setting, {PRE} days before a 30-60 day window ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    eprintln!(
        "| effect | σ | ρ | coverage of the 95% interval | placebos significant (of n) | bias / se | mean ρ̂ | mean rounds |"
    );
    eprintln!("|---|---|---|---|---|---|---|---|");
    for r in &rows {
        eprintln!(
            "| {:+.1}% | {:.0}% | {:.1} | {:.1}% | {:.1}% (of {}) | {:+.3} | {:.3} | {:.1} |",
            100.0 * r.effect,
            100.0 * r.sigma,
            r.rho,
            100.0 * r.coverage,
            100.0 * r.placebo_share,
            r.placebos,
            r.bias_over_se,
            r.mean_rho,
            r.mean_iterations
        );
    }
    for r in &rows {
        let at = format!("effect {} σ {} ρ {}", r.effect, r.sigma, r.rho);
        assert!(r.coverage >= 0.93, "{at}: coverage {}", r.coverage);
        assert!(
            r.placebo_share <= 0.07,
            "{at}: placebos {}",
            r.placebo_share
        );
        assert!(
            r.placebos >= 4 * SERIES as usize,
            "{at}: {} placebos",
            r.placebos
        );
        assert!(
            r.bias_over_se.abs() <= 0.1,
            "{at}: bias/se {}",
            r.bias_over_se
        );
    }
}

/// Missing days: every 7th day (every Thursday, so its dummy goes) and a further 1 in 20
/// at random. The exact gap transform keeps the interval
/// honest: coverage ≥ 93% over 1,000 series at σ 3%, ρ 0.3, a −5% effect.
#[test]
fn missing_days_keep_the_coverage() {
    let out: Vec<(bool, f64)> = (0..SERIES)
        .into_par_iter()
        .map(|item| {
            let mut rng = stream(20, item);
            let window = 30 + rng.below(31) as usize;
            let mut s = synthetic(&mut rng, PRE, window, -0.05, (0.03, 0.3));
            for (i, v) in s.series.values.iter_mut().enumerate() {
                if i % 7 == 3 || rng.next_f64() < 0.05 {
                    *v = None;
                }
            }
            let fit = its::fit(&s.series, &s.flags, &s.spec).expect("fits");
            assert!(fit.dropped.iter().any(|d| d.term == "thursday"));
            let e = &fit.effects[0];
            (e.pct_lo <= -5.0 && -5.0 <= e.pct_hi, fit.rho)
        })
        .collect();
    let coverage = out.iter().filter(|o| o.0).count() as f64 / SERIES as f64;
    let rho = out.iter().map(|o| o.1).sum::<f64>() / SERIES as f64;
    eprintln!(
        "missing days: coverage {:.1}%, mean ρ̂ {rho:.3}",
        100.0 * coverage
    );
    assert!(coverage >= 0.93, "{coverage}");
    assert!((rho - 0.3).abs() < 0.03, "{rho}");
}

/// An order that acts on working days only (a WFH order): −5% on the window's weekdays
/// that are neither holiday nor cuti bersama, nothing on the others. Measured on the days
/// it acts on (`working_days`), the interval covers −5% in ≥ 93% of 1,000 series (σ 3%,
/// ρ 0.3) and the estimate is unbiased; and the counterfactual is learnt before the
/// policy only, so the weekly pattern the order changes inside the window does not leak
/// into it: the weekend days of the window sit on their counterfactual on average.
#[test]
fn an_order_on_working_days_only_is_measured_on_them() {
    let out: Vec<(bool, f64, f64, f64)> = (0..SERIES)
        .into_par_iter()
        .map(|item| {
            let mut rng = stream(21, item);
            let window = 30 + rng.below(31) as usize;
            let mut s = synthetic(&mut rng, PRE, window, 0.0, (0.03, 0.3));
            s.spec.working_days = true;
            let step = 0.95f64.ln();
            for i in PRE..PRE + window {
                let d = wfhsim_core::calendar::Date(s.spec.first.0 + i as i32);
                let w = s.spec.windows[0];
                if s.spec.treats(w, d, &s.flags[i]) {
                    let v = s.series.values[i].as_mut().expect("observed");
                    *v *= step.exp();
                }
            }
            let fit = its::fit(&s.series, &s.flags, &s.spec).expect("fits");
            let e = &fit.effects[0];
            // The weekend days of the window against their counterfactual (log ratio).
            let weekend: Vec<f64> = (fit.days.iter())
                .filter(|d| d.in_window && d.date.is_weekend())
                .map(|d| (d.observed.expect("observed") / d.counterfactual).ln())
                .collect();
            let gap = weekend.iter().sum::<f64>() / weekend.len() as f64;
            let se = (e.pct_hi - e.pct_lo) / (2.0 * 1.96);
            (e.pct_lo <= -5.0 && -5.0 <= e.pct_hi, e.pct, se, gap)
        })
        .collect();
    let n = SERIES as f64;
    let coverage = out.iter().filter(|o| o.0).count() as f64 / n;
    let bias = out.iter().map(|o| o.1 + 5.0).sum::<f64>() / n;
    let se = out.iter().map(|o| o.2).sum::<f64>() / n;
    let weekend = out.iter().map(|o| o.3).sum::<f64>() / n;
    eprintln!(
        "working days only: coverage {:.1}%, bias/se {:+.3}, weekend gap {:+.4}",
        100.0 * coverage,
        bias / se,
        weekend
    );
    assert!(coverage >= 0.93, "{coverage}");
    assert!((bias / se).abs() <= 0.1, "bias/se {}", bias / se);
    assert!(
        weekend.abs() < 0.002,
        "weekends on their counterfactual: {weekend}"
    );
}
