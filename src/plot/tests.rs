//! Tests on small synthetic tables.

use std::path::PathBuf;

use polars::prelude::*;

use super::data::{civil_from_days, days_from_civil, weekday};
use super::{ChartInput, PlotError, draw_all, style};

const METRICS: [&str; 13] = [
    "trips_avoided",
    "person_km_avoided",
    "vehicle_km_avoided",
    "vehicle_km_rebound",
    "co2_gross_kg",
    "co2_rebound_kg",
    "co2_avoided_kg",
    "pm25_avoided_kg",
    "pm10_avoided_kg",
    "nox_avoided_kg",
    "co_avoided_kg",
    "hc_avoided_kg",
    "so2_avoided_kg",
];

fn regions() -> Vec<(String, String)> {
    [
        ("3171", "Jakarta Selatan"),
        ("3172", "Jakarta Timur"),
        ("3173", "Jakarta Pusat"),
        ("3174", "Jakarta Barat"),
        ("3175", "Jakarta Utara"),
        ("3201", "Kabupaten Bogor"),
        ("3271", "Kota Bogor"),
        ("3276", "Kota Depok"),
        ("3216", "Kabupaten Bekasi"),
        ("3275", "Kota Bekasi"),
        ("3603", "Kabupaten Tangerang"),
        ("3671", "Kota Tangerang"),
        ("3674", "Kota Tangerang Selatan"),
        ("3101", "Kepulauan Seribu"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// Synthetic input: `scen` = (name, scale); trips are zero on 4–7 Sep when `quiet_summit`.
fn input(scen: &[(&str, f64)], quiet_summit: bool) -> ChartInput {
    let start = days_from_civil(2023, 8, 21);
    let end = days_from_civil(2023, 10, 6);
    let summit = (days_from_civil(2023, 9, 4), days_from_civil(2023, 9, 7));
    let days: Vec<i32> = (start..=end).filter(|d| weekday(*d) < 5).collect();

    let (mut s_col, mut d_col, mut b_col, mut r_col, mut m_col) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut base = vec![];
    let mut mets: Vec<Vec<f64>> = vec![vec![]; METRICS.len() * 3];
    for (k, (name, scale)) in scen.iter().enumerate() {
        for (j, d) in days.iter().enumerate() {
            let in_summit = *d >= summit.0 && *d <= summit.1;
            let wave = 1.0 + 0.15 * ((j as f64) * 0.7 + k as f64).sin();
            let boost = if in_summit && k == 0 { 1.5 } else { 1.0 };
            let trips = if quiet_summit && in_summit {
                0.0
            } else {
                1.2e6 * scale * wave * boost
            };
            s_col.push(name.to_string());
            d_col.push(*d);
            b_col.push("all");
            r_col.push("all");
            m_col.push("all");
            base.push(3.0e7);
            for (m, _) in METRICS.iter().enumerate() {
                let per_trip = [
                    1.0, 12.0, 8.0, 1.0, 0.9, 0.1, 0.8, 3e-5, 4e-5, 6e-4, 8e-3, 9e-4, 1e-5,
                ][m];
                let v = trips * per_trip;
                mets[3 * m].push(v * 0.8);
                mets[3 * m + 1].push(v);
                mets[3 * m + 2].push(v * 1.25);
            }
        }
    }
    let mut cols = vec![
        Column::new("scenario".into(), s_col),
        Column::new("date".into(), d_col)
            .cast(&DataType::Date)
            .unwrap(),
        Column::new("region_basis".into(), b_col),
        Column::new("region".into(), r_col),
        Column::new("mode".into(), m_col),
        Column::new("baseline_trips".into(), base),
    ];
    for (m, name) in METRICS.iter().enumerate() {
        for (q, suf) in ["p05", "p50", "p95"].iter().enumerate() {
            cols.push(Column::new(
                format!("{name}_{suf}").into(),
                mets[3 * m + q].clone(),
            ));
        }
    }
    let daily = DataFrame::new_infer_height(cols).unwrap();

    // summary
    let (mut s, mut ti, mut rb, mut rg, mut me, mut co, mut un) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut t05, mut t50, mut t95, mut pd, mut pct) = (vec![], vec![], vec![], vec![], vec![]);
    let regs = regions();
    for (k, (name, scale)) in scen.iter().enumerate() {
        let total = 1.2e6 * scale * 30.0;
        for (metric, comp, unit, f) in [
            ("trips", "gross", "trips", 1.0),
            ("co2", "gross", "kg", 0.9),
            ("co2", "rebound", "kg", 0.1),
            ("co2", "net", "kg", 0.8),
            ("pm25", "net", "kg", 3e-5),
            ("nox", "net", "kg", 6e-4),
            ("co", "net", "kg", 8e-3),
            ("pm10", "net", "kg", 3e-5),
            ("hc", "net", "kg", 9e-4),
            ("so2", "net", "kg", 1e-5),
            ("vehicle_km", "net", "km", 7.0),
            ("person_km", "gross", "km", 10.0),
        ] {
            let mut push = |basis: &str, region: &str, share: f64| {
                s.push(name.to_string());
                ti.push(format!("Scenario {k}"));
                rb.push(basis.to_string());
                rg.push(region.to_string());
                me.push(metric);
                co.push(comp);
                un.push(unit);
                let v = total * f * share;
                t05.push(v * 0.8);
                t50.push(v);
                t95.push(v * 1.25);
                pd.push(v / 30.0);
                pct.push(2.4 * scale * share);
            };
            push("all", "all", 1.0);
            if metric == "trips" {
                for (i, (code, _)) in regs.iter().enumerate() {
                    let share = (i as f64 + 1.0) / 105.0;
                    push("home", code, share);
                    push("work", code, if i < 5 { share * 2.5 } else { share * 0.3 });
                }
            }
        }
    }
    let summary = DataFrame::new_infer_height(vec![
        Column::new("scenario".into(), s),
        Column::new("title".into(), ti),
        Column::new("region_basis".into(), rb),
        Column::new("region".into(), rg),
        Column::new("metric".into(), me),
        Column::new("component".into(), co),
        Column::new("unit".into(), un),
        Column::new("total_p05".into(), t05),
        Column::new("total_p50".into(), t50),
        Column::new("total_p95".into(), t95),
        Column::new("per_day_p50".into(), pd),
        Column::new("pct_baseline_p50".into(), pct),
    ])
    .unwrap();
    let windows = DataFrame::new_infer_height(vec![
        Column::new(
            "scenario".into(),
            vec!["dki-2023", "dki-2023", "dki-2023-50-only"],
        ),
        Column::new("policy".into(), vec!["dki", "dki", "dki"]),
        Column::new(
            "from".into(),
            vec!["2023-08-21", "2023-09-04", "2023-08-21"],
        ),
        Column::new("to".into(), vec!["2023-09-01", "2023-09-07", "2023-10-21"]),
        Column::new("share".into(), vec![0.5, 0.75, 0.5]),
    ])
    .unwrap();
    ChartInput {
        daily,
        summary,
        windows,
        run_label: "run 'study' · seed 42 · 30 replicates · scale 1.0".into(),
        source_note: "Source: wfhsim 0.1.0 simulation; data BPS Survei Komuter 2014/2019, SP2020, FCE 2016 factors — see docs/method.md".into(),
        events: (5..=7).map(|d| (days_from_civil(2023, 9, d), "ASEAN Summit".to_string())).collect(),
        region_names: regs,
    }
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wfhsim_plot_test_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const THREE: [(&str, f64); 3] = [
    ("dki-2023", 1.0),
    ("dki-2023-50-only", 0.8),
    ("jabodetabek-2023-as-implemented", 0.012),
];

#[test]
fn draws_all_eight_files() {
    let dir = out_dir("all");
    let paths = draw_all(&input(&THREE, false), &dir).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "daily_trips_avoided.png",
            "daily_trips_avoided.svg",
            "summit_week_50_vs_75.png",
            "summit_week_50_vs_75.svg",
            "totals_by_scenario.png",
            "totals_by_scenario.svg",
            "totals_other_pollutants.png",
            "totals_other_pollutants.svg",
            "trips_by_region.png",
            "trips_by_region.svg",
        ]
    );
    let titles = [
        "Commuter trips avoided per working day, Aug–Oct 2023",
        "Summit week",
        "Totals avoided over each scenario",
        "Other pollutants and distance avoided",
        "Commuter trips avoided per policy working day, by region",
    ];
    for (i, p) in paths.iter().enumerate() {
        let bytes = std::fs::read(p).unwrap();
        assert!(bytes.len() > 1000, "{} is too small", p.display());
        if i % 2 == 0 {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", p.display());
        } else {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("<svg"), "{}", p.display());
            assert!(
                text.contains(titles[i / 2]),
                "{} lacks its title",
                p.display()
            );
        }
    }
    if std::env::var_os("WFHSIM_PLOT_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn summit_chart_skipped_without_summit_trips() {
    let dir = out_dir("quiet");
    let paths = draw_all(&input(&THREE, true), &dir).unwrap();
    assert_eq!(paths.len(), 8);
    assert!(
        paths
            .iter()
            .all(|p| !p.to_string_lossy().contains("summit_week"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn summit_chart_falls_back_to_other_scenarios() {
    let dir = out_dir("fallback");
    let scen = [("wide-exemptions", 0.5), ("narrow-exemptions", 0.7)];
    let paths = draw_all(&input(&scen, false), &dir).unwrap();
    assert_eq!(paths.len(), 10);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_column_is_named() {
    let mut inp = input(&THREE, false);
    inp.daily = inp.daily.drop("trips_avoided_p50").unwrap();
    let err = draw_all(&inp, &out_dir("missing")).unwrap_err();
    assert!(matches!(err, PlotError::MissingColumn { .. }), "{err:?}");
    assert!(err.to_string().contains("trips_avoided_p50"), "{err}");

    let mut inp = input(&THREE, false);
    inp.summary = inp.summary.drop("per_day_p50").unwrap();
    let err = draw_all(&inp, &out_dir("missing2")).unwrap_err();
    assert!(err.to_string().contains("per_day_p50"), "{err}");
}

#[test]
fn many_scenarios_and_empty_windows() {
    let names: Vec<String> = (0..14).map(|i| format!("scenario-number-{i}")).collect();
    let scen: Vec<(&str, f64)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), 1.0 / (i as f64 + 1.0)))
        .collect();
    let mut inp = input(&scen, false);
    inp.windows = DataFrame::empty();
    inp.events.clear();
    let dir = std::env::temp_dir().join(format!("wfhsim_plot_many_{}", std::process::id()));
    let paths = draw_all(&inp, &dir).unwrap();
    assert_eq!(paths.len(), 10);
    if std::env::var_os("WFHSIM_PLOT_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn formatting_helpers() {
    assert_eq!(style::thousands(1234567.0), "1,234,567");
    assert_eq!(style::si(12500.0), "12.5k");
    assert_eq!(style::si(3_400_000.0), "3.4M");
    assert_eq!(style::si_short(1234.0), "1.2k");
    assert_eq!(style::si_short(45_678.0), "46k");
    assert_eq!(style::si_short(952.0), "952");
    assert_eq!(style::si_short(999_700.0), "1M");
    assert_eq!(style::tick(50_000.0), "50,000");
    assert_eq!(style::tick(2_000_000.0), "2M");
    let d = days_from_civil(2023, 9, 5);
    assert_eq!(civil_from_days(d), (2023, 9, 5));
    assert_eq!(weekday(d), 1); // Tuesday
    assert_eq!(style::day_month(d), "5 Sep");
}
