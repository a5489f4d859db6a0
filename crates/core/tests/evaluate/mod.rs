//! The observed-series evaluation against answers known without it: synthetic series with
//! an injected effect, an independent reference computation, closed forms and exact error
//! texts.
//!
//! The synthetic series here are built from the project's counter-based streams
//! (`wfhsim_core::rng`): series `i` of setting `s` is a pure function of (seed, s, i).

mod calibration;
mod did;
mod its;
mod mde;

use wfhsim_core::calendar::{Date, DayFlags};
use wfhsim_core::evaluate::{Daily, ItsSpec, Scale, Season, Window};
use wfhsim_core::rng::{CounterRng, Stream, StreamKey};

/// A standard normal draw (Box–Muller, cosine branch; one draw uses two uniforms).
pub fn normal(rng: &mut CounterRng) -> f64 {
    let u1 = 1.0 - rng.next_f64(); // (0, 1]
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `n` days of stationary AR(1) noise with standard deviation `sigma` and lag-1
/// correlation `rho`: e₀ ~ N(0, σ²), e_t = ρ e_{t−1} + σ √(1 − ρ²) z_t.
pub fn ar1(rng: &mut CounterRng, n: usize, sigma: f64, rho: f64) -> Vec<f64> {
    let mut e = Vec::with_capacity(n);
    let mut prev = sigma * normal(rng);
    e.push(prev);
    for _ in 1..n {
        prev = rho * prev + sigma * (1.0 - rho * rho).sqrt() * normal(rng);
        e.push(prev);
    }
    e
}

/// Monday 3 January 2022: the synthetic series' first day.
pub fn first_day() -> Date {
    Date::from_ymd(2022, 1, 3).unwrap()
}

/// A fixed calendar for day i from [`first_day`]: holidays every ~15-40 days (some inside
/// any window after day 364), cuti bersama next to three of them, two school-holiday
/// blocks, a 30-day Ramadan followed by 7 Lebaran days.
pub fn flags(n: usize) -> Vec<DayFlags> {
    const HOLIDAYS: [usize; 17] = [
        28, 59, 104, 120, 121, 150, 200, 225, 260, 300, 356, 380, 395, 410, 440, 470, 500,
    ];
    (0..n)
        .map(|i| DayFlags {
            holiday: HOLIDAYS.contains(&i),
            cuti_bersama: [122, 123, 357, 381].contains(&i),
            school_holiday: (170..191).contains(&i) || (345..364).contains(&i),
            ramadan: (89..119).contains(&i),
            lebaran: (119..126).contains(&i),
        })
        .collect()
}

/// The true log-scale pattern of day i: day of week, calendar, a 2% a year trend.
pub fn pattern(i: usize, f: &DayFlags) -> f64 {
    const WEEK: [f64; 7] = [0.0, 0.02, 0.03, 0.02, 0.05, -0.25, -0.40];
    let d = Date(first_day().0 + i as i32);
    let cal = [
        (f.holiday, -0.30),
        (f.cuti_bersama, -0.15),
        (f.school_holiday, -0.06),
        (f.ramadan, -0.04),
        (f.lebaran, -0.35),
    ];
    WEEK[d.weekday() as usize]
        + cal.iter().filter(|c| c.0).map(|c| c.1).sum::<f64>()
        + 0.02 * i as f64 / 365.25
}

/// One synthetic series: `pre` days, then a window of `window` days whose values are
/// multiplied by (1 + effect); noise AR(1) with standard deviation `sigma` (a fraction of
/// the level) and correlation `rho`.
pub struct Synthetic {
    pub series: Daily,
    pub flags: Vec<DayFlags>,
    pub spec: ItsSpec,
}

pub fn synthetic(
    rng: &mut CounterRng,
    pre: usize,
    window: usize,
    effect: f64,
    (sigma, rho): (f64, f64),
) -> Synthetic {
    let n = pre + window;
    let flags = flags(n);
    let noise = ar1(rng, n, sigma, rho);
    let delta = (1.0 + effect).ln();
    let values = (0..n)
        .map(|i| {
            let step = if i >= pre { delta } else { 0.0 };
            Some(10_000.0 * (pattern(i, &flags[i]) + step + noise[i]).exp())
        })
        .collect();
    let first = first_day();
    let spec = ItsSpec {
        windows: vec![Window {
            from: Date(first.0 + pre as i32),
            to: Date(first.0 + n as i32 - 1),
        }],
        scale: Scale::Log,
        trend: true,
        season: Season::None,
        weekday: true,
        calendar: true,
        first,
        last: Date(first.0 + n as i32 - 1),
        working_days: false,
    };
    Synthetic {
        series: Daily {
            start: first,
            values,
        },
        flags,
        spec,
    }
}

/// The generator of series `item` in setting `setting`.
pub fn stream(setting: u32, item: u64) -> CounterRng {
    StreamKey::new(2023, setting, Stream::Design).rng(item)
}
