//! Evaluations built for tests, with realistic numbers: a mobility index through three
//! windows of 2020 (a large effect), a noisy PM2.5 series with one window, and camera
//! counts around the 2023 order beside a comparable simulated band. The days are a
//! weekday pattern times the window's effect plus deterministic noise (splitmix64).

use super::*;
use wfhsim_core::calendar::Date;

/// A deterministic number in [-1, 1) from `i` (splitmix64).
fn noise(i: u64) -> f64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// A window and its effect in %.
pub struct Win {
    pub from: &'static str,
    pub to: &'static str,
    pub pct: f64,
    pub lo: f64,
    pub hi: f64,
    pub p: f64,
    pub mde: f64,
}

/// One site's series: its level, weekday swing, relative noise and its windows.
pub struct Spec {
    pub site: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub level: f64,
    pub weekend: f64,
    pub noise: f64,
    pub windows: Vec<Win>,
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn days(spec: &Spec) -> Vec<DayRow> {
    Date::range_inclusive(day(spec.first), day(spec.last))
        .enumerate()
        .map(|(i, d)| {
            let cf = spec.level * if d.is_weekend() { spec.weekend } else { 1.0 };
            let w = spec
                .windows
                .iter()
                .find(|w| d >= day(w.from) && d <= day(w.to));
            let eff = w.map_or(0.0, |w| w.pct / 100.0);
            let observed = cf * (1.0 + eff) * (1.0 + spec.noise * noise(i as u64));
            let band = cf * spec.noise * 0.35;
            DayRow {
                site: spec.site.into(),
                method: "its".into(),
                date: d.to_string(),
                // One missing day, as real series have.
                observed: (i != 20).then_some(observed),
                counterfactual: cf,
                counterfactual_lo: Some(cf - band),
                counterfactual_hi: Some(cf + band),
                in_window: w.is_some(),
            }
        })
        .collect()
}

fn effect(spec: &Spec, w: &Win) -> EffectRow {
    let n = (day(w.to).0 - day(w.from).0 + 1) as u32;
    let cf = spec.level * 0.9;
    EffectRow {
        site: spec.site.into(),
        method: "its".into(),
        window_from: w.from.into(),
        window_to: w.to.into(),
        days: n,
        observed_mean: cf * (1.0 + w.pct / 100.0),
        counterfactual_mean: cf,
        effect_units: cf * w.pct / 100.0,
        effect_units_lo: Some(cf * w.lo / 100.0),
        effect_units_hi: Some(cf * w.hi / 100.0),
        effect_pct: w.pct,
        effect_pct_lo: Some(w.lo),
        effect_pct_hi: Some(w.hi),
        p_value: w.p,
        mde_pct: Some(w.mde),
        scale: "log".into(),
        rho: Some(0.41),
        sigma: Some(spec.noise * 0.6),
        placebos: 12,
        placebo_share_significant: Some(1.0 / 12.0),
        placebo_rank_p: Some(1.0 / 13.0),
    }
}

fn site_note(spec: &Spec) -> SiteNote {
    let n = (day(spec.last).0 - day(spec.first).0) as u32;
    SiteNote {
        site: spec.site.into(),
        days: n,
        days_before: (day(spec.windows[0].from).0 - day(spec.first).0) as u32,
        missing_days: 1,
        longest_gap: 1,
        rho: 0.41,
        sigma_residual: spec.noise * 0.6,
        iterations: 4,
        dropped: vec![wfhsim_core::evaluate::design::Dropped {
            term: "school_holiday".into(),
            why: wfhsim_core::evaluate::design::Why::NoDay,
            absorbed: true,
            text: "no observed day before the policy is a school holiday; the windows' estimates include its effect".into(),
        }],
        did_assumption: None,
        did_pre_trend: None,
        same_weeks: Vec::new(),
    }
}

/// An evaluation of `specs` (one site each), named `name`, of `quantity`.
pub fn evaluation(name: &str, quantity: &str, specs: &[Spec]) -> Evaluation {
    let first = specs[0].first;
    let last = specs[0].last;
    let windows = specs[0]
        .windows
        .iter()
        .map(|w| WindowInfo {
            from: w.from.into(),
            to: w.to.into(),
            origin: "--window".into(),
        })
        .collect();
    Evaluation {
        manifest: EvalManifest {
            manifest_version: MANIFEST_VERSION,
            wfhsim_version: "0.0.0-test".into(),
            name: name.into(),
            quantity: quantity.into(),
            series: InputFile {
                name: format!("{name}.csv"),
                sha256: "ab".repeat(32),
                columns: specs.iter().map(|s| s.site.to_string()).collect(),
                first_day: first.into(),
                last_day: last.into(),
                source: Some("Google LLC, Google COVID-19 Community Mobility Reports".into()),
            },
            control: None,
            windows,
            options: EvalOptions {
                scale: "log".into(),
                trend: true,
                trend_rule:
                    "auto: 365 days before the first window, 30 to carry the trend forward (on)"
                        .into(),
                season_harmonics: 0,
                weekday: true,
                calendar: true,
                working_days: false,
                first_day: first.into(),
                last_day: last.into(),
            },
            calendar: CalendarInfo {
                first: "2015-01-01".into(),
                last: "2026-12-31".into(),
                dataset: "built-in".into(),
            },
            sites: specs.iter().map(site_note).collect(),
            synth: Vec::new(),
            simulated: None,
            command: format!("wfhsim evaluate {name}.csv --window 2020-04-10..2020-06-04"),
            files: Default::default(),
        },
        effects: specs
            .iter()
            .flat_map(|s| s.windows.iter().map(|w| effect(s, w)))
            .collect(),
        days: specs.iter().flat_map(days).collect(),
    }
}

/// Google workplace visits (an index, 100 = baseline) through three windows of 2020.
pub fn mobility() -> Evaluation {
    let w = |from, to, pct: f64, half: f64| Win {
        from,
        to,
        pct,
        lo: pct - half,
        hi: pct + half,
        p: 1e-9,
        mde: 5.2,
    };
    evaluation(
        "cmr-workplaces",
        "mobility",
        &[Spec {
            site: "workplaces",
            first: "2020-02-15",
            last: "2020-07-15",
            level: 100.0,
            weekend: 0.8,
            noise: 0.03,
            windows: vec![
                w("2020-03-16", "2020-03-22", -17.6, 4.1),
                w("2020-03-23", "2020-04-09", -45.9, 3.0),
                w("2020-04-10", "2020-06-04", -52.4, 2.7),
            ],
        }],
    )
}

/// PM2.5 at the US Embassy's Jakarta Central monitor: noisy, one window.
pub fn pm25() -> Evaluation {
    let mut ev = evaluation(
        "pm25-central",
        "pm25",
        &[Spec {
            site: "Jakarta Central",
            first: "2019-10-01",
            last: "2020-06-30",
            level: 38.0,
            weekend: 0.95,
            noise: 0.35,
            windows: vec![Win {
                from: "2020-04-10",
                to: "2020-06-04",
                pct: -11.8,
                lo: -30.9,
                hi: 12.6,
                p: 0.31,
                mde: 27.5,
            }],
        }],
    );
    ev.manifest.series.source = Some("AirNow, U.S. Department of State".into());
    ev
}

/// Camera counts on one corridor around the 2023 order, beside a comparable run.
pub fn counts_with_run() -> Evaluation {
    let mut ev = evaluation(
        "sudirman-counts",
        "counts",
        &[Spec {
            site: "Jl. Jend. Sudirman",
            first: "2023-05-01",
            last: "2023-10-31",
            level: 180_000.0,
            weekend: 0.7,
            noise: 0.025,
            windows: vec![Win {
                from: "2023-08-28",
                to: "2023-10-21",
                pct: -3.1,
                lo: -6.0,
                hi: -0.2,
                p: 0.036,
                mde: 4.2,
            }],
        }],
    );
    ev.manifest.series.source = Some("Dinas Perhubungan DKI Jakarta, traffic counts".into());
    ev.manifest.simulated = Some(Simulated {
        run: "study".into(),
        scenario: "dki-2023".into(),
        quantity: "counted vehicle passages on DKI's roads, % change on policy days".into(),
        window_from: "2023-08-28".into(),
        window_to: "2023-10-21".into(),
        comparable: true,
        reason: None,
        reason_key: None,
        p05: -2.4,
        p50: -1.3,
        p95: -0.6,
        mde_pct: Some(3.8),
    });
    ev
}

/// [`mobility`] beside a run that measures another quantity.
pub fn mobility_not_comparable() -> Evaluation {
    let mut ev = mobility();
    ev.manifest.simulated = Some(Simulated {
        run: "study".into(),
        scenario: "dki-2023".into(),
        quantity: "counted vehicle passages on DKI's roads, % change on policy days".into(),
        window_from: "2023-08-28".into(),
        window_to: "2023-10-21".into(),
        comparable: false,
        reason: Some("the run counts vehicles; the series is a mobility index".into()),
        reason_key: Some("quantity".into()),
        p05: -2.4,
        p50: -1.3,
        p95: -0.6,
        mde_pct: Some(3.8),
    });
    ev
}
