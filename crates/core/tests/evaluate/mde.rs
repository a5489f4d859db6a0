//! The minimum detectable effect from a series' own noise against its closed form and
//! against the fitted window's own standard error.

use super::{ar1, first_day, stream};
use wfhsim_core::calendar::{Date, DayFlags};
use wfhsim_core::evaluate::mde::{Noise, mde_pct, noise};
use wfhsim_core::evaluate::{Daily, ItsSpec, Scale, Season, Window, its};

#[test]
fn without_autocorrelation_it_is_the_textbook_formula() {
    // (1.96 + 0.84) σ √(1/n₁ + 1/n₂): σ 2%, 40 and 40 days → 2.8 · 2 · √0.05 = 1.2522%.
    let log = Noise {
        sigma_residual: 0.02,
        sigma_innovation: 0.02,
        rho: 0.0,
        n: 80,
        scale: Scale::Log,
        level: 1.0,
    };
    assert!((mde_pct(&log, 40, 40) - 2.8 * 2.0 * 0.05f64.sqrt()).abs() < 1e-12);
    assert!((mde_pct(&log, 40, 40) - 1.252_198).abs() < 1e-6);
    assert!(
        (mde_pct(&log, 300, 30) - 2.8 * 2.0 * (1.0 / 300.0 + 1.0 / 30.0f64).sqrt()).abs() < 1e-12
    );
    // On the level scale σ is a share of the level: σ 10 on a level of 500 is 2%.
    let level = Noise {
        sigma_innovation: 10.0,
        scale: Scale::Level,
        level: 500.0,
        ..log.clone()
    };
    assert!((mde_pct(&level, 40, 40) - mde_pct(&log, 40, 40)).abs() < 1e-12);
    // Persistence makes a window harder to read; σ_u is the innovations', so at ρ = 0.5
    // the day-to-day σ is σ_u/√0.75.
    let persistent = Noise { rho: 0.5, ..log };
    assert!(mde_pct(&persistent, 40, 40) > mde_pct(&log, 40, 40) / 0.75f64.sqrt());
    assert!(mde_pct(&persistent, 40, 60) < mde_pct(&persistent, 40, 40));
}

/// A long series with no trend and no effect: the MDE from the series' noise agrees with
/// (t₀.₉₇₅ + z₀.₈) × the window step's standard error of the fitted model within 4%. The
/// two differ by 2.8 against t + z = 2.807 (0.3%), by generalised against ordinary least
/// squares of a level shift, and by the estimates of σ and ρ on slightly different fits.
#[test]
fn it_agrees_with_the_fitted_windows_standard_error() {
    let (pre, window) = (2000usize, 60usize);
    let n = pre + window;
    let first = first_day();
    for (item, rho) in [(0, 0.0), (1, 0.3), (2, 0.6)] {
        let e = ar1(&mut stream(40, item), n, 0.02, rho);
        let series = Daily {
            start: first,
            values: e.iter().map(|v| Some(800.0 * v.exp())).collect(),
        };
        let last = Date(first.0 + n as i32 - 1);
        let spec = ItsSpec {
            windows: vec![Window {
                from: Date(first.0 + pre as i32),
                to: last,
            }],
            scale: Scale::Log,
            trend: false,
            season: Season::None,
            weekday: false,
            calendar: false,
            first,
            last,
            working_days: false,
        };
        let flags = vec![DayFlags::default(); n];
        let fit = its::fit(&series, &flags, &spec).unwrap();
        let own = noise(&series, &flags, &spec).unwrap();
        assert_eq!(own.n, n);
        let from_noise = mde_pct(&own, pre, window);
        let from_fit = fit.effects[0].mde_pct;
        eprintln!("ρ {rho}: MDE from the noise {from_noise:.3}%, from the fit {from_fit:.3}%");
        assert!(
            (from_noise / from_fit - 1.0).abs() < 0.04,
            "{from_noise} vs {from_fit}"
        );
    }
}
