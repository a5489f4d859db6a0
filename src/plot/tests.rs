//! Tests on small synthetic runs. The fixtures use their own scenario names, titles,
//! events and years (2024, 2031), so a chart that fell back on a built-in study would
//! fail them.

use std::collections::BTreeSet;
use std::path::Path;

use plotters::prelude::*;
use polars::prelude::*;

use super::columns::{self as col, DAILY, SUMMARY};
use super::event_week::{self, Compared, MAX_SCENARIOS, Selection, schedule_label};
use super::frame::Chart;
use super::style::{self, HEIGHT, WIDTH};
use super::{ChartData, Event, PlotError, ScenarioInfo, daily, render, render_all, totals};
use crate::calendar::Date;

fn day(s: &str) -> i32 {
    Date::parse(s).unwrap().0
}

/// One synthetic scenario: its share windows are (from, to, share, policy).
struct Scen {
    name: String,
    title: String,
    scale: f64,
    windows: Vec<(&'static str, &'static str, f64, &'static str)>,
}

fn scen(name: &str, title: &str, windows: &[(&'static str, &'static str, f64)]) -> Scen {
    Scen {
        name: name.into(),
        title: title.into(),
        scale: 1.0,
        windows: windows
            .iter()
            .map(|&(a, b, s)| (a, b, s, "staff"))
            .collect(),
    }
}

fn regions() -> Vec<(String, String)> {
    [
        ("R01", "North Harbour"),
        ("R02", "Old Town"),
        ("R03", "East Hills"),
        ("R04", "Riverside"),
        ("R05", "Airport District"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// One row of the synthetic summary table.
struct SummaryRow {
    scenario: String,
    title: String,
    basis: String,
    region: String,
    metric: &'static str,
    component: &'static str,
    total: f64,
    pct: f64,
}

/// A run over the working days (weekdays) from `start` to `end`: each scenario avoids
/// trips in proportion to its highest share that day, and every metric the charts read is
/// a fixed multiple of trips with a ±20 % band.
fn run(start: &str, end: &str, scenarios: &[Scen], events: &[(&str, &str)]) -> ChartData {
    let days: Vec<i32> = (day(start)..=day(end))
        .filter(|d| !Date(*d).is_weekend())
        .collect();
    let share_on = |s: &Scen, d: i32| {
        s.windows
            .iter()
            .filter(|w| day(w.0) <= d && d <= day(w.1))
            .map(|w| w.2)
            .fold(0.0, f64::max)
    };

    let (mut s_col, mut d_col, mut keys) = (vec![], vec![], vec![]);
    let mut mets: Vec<Vec<f64>> = vec![vec![]; DAILY.len() * 3];
    for (k, s) in scenarios.iter().enumerate() {
        for (j, d) in days.iter().enumerate() {
            let wave = 1.0 + 0.15 * ((j as f64) * 0.7 + k as f64).sin();
            let trips = 2.4e6 * s.scale * share_on(s, *d) * wave;
            s_col.push(s.name.as_str());
            d_col.push(*d);
            keys.push(col::ALL);
            for (m, _) in DAILY.iter().enumerate() {
                let v = trips * [1.0, 0.8, 3e-5, 6e-4][m % 4];
                mets[3 * m].push(v * 0.8);
                mets[3 * m + 1].push(v);
                mets[3 * m + 2].push(v * 1.2);
            }
        }
    }
    let mut cols = vec![
        Column::new(col::SCENARIO.into(), s_col),
        Column::new(col::DATE.into(), d_col)
            .cast(&DataType::Date)
            .unwrap(),
        Column::new(col::REGION_BASIS.into(), keys.clone()),
        Column::new(col::REGION.into(), keys.clone()),
        Column::new(col::MODE.into(), keys),
    ];
    for (m, metric) in DAILY.iter().enumerate() {
        for (q, name) in metric.columns().into_iter().enumerate() {
            cols.push(Column::new(name.into(), mets[3 * m + q].clone()));
        }
    }
    let daily = DataFrame::new_infer_height(cols).unwrap();

    let mut rows: Vec<SummaryRow> = Vec::new();
    for (k, s) in scenarios.iter().enumerate() {
        let total: f64 = days.iter().map(|d| 2.4e6 * s.scale * share_on(s, *d)).sum();
        for (m, metric) in SUMMARY.iter().enumerate() {
            let v = total / (m as f64 + 1.0);
            let pct = 2.4 * s.scale / (k as f64 + 1.0);
            let mut push = |basis: &str, region: &str, share: f64| {
                rows.push(SummaryRow {
                    scenario: s.name.clone(),
                    title: s.title.clone(),
                    basis: basis.to_string(),
                    region: region.to_string(),
                    metric: metric.metric,
                    component: metric.component,
                    total: v * share,
                    pct: pct * share,
                });
            };
            push(col::ALL, col::ALL, 1.0);
            if *metric == col::TRIPS {
                for (i, (code, _)) in regions().iter().enumerate() {
                    push("home", code, (i as f64 + 1.0) / 15.0);
                    push("work", code, (5.0 - i as f64) / 15.0);
                }
            }
        }
    }
    let strs = |f: &dyn Fn(&SummaryRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let nums = |f: &dyn Fn(&SummaryRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let [t05, t50, t95] = col::TOTAL;
    let summary = DataFrame::new_infer_height(vec![
        Column::new(col::SCENARIO.into(), strs(&|r| r.scenario.clone())),
        Column::new("title".into(), strs(&|r| r.title.clone())),
        Column::new(col::REGION_BASIS.into(), strs(&|r| r.basis.clone())),
        Column::new(col::REGION.into(), strs(&|r| r.region.clone())),
        Column::new(col::METRIC.into(), strs(&|r| r.metric.to_string())),
        Column::new(col::COMPONENT.into(), strs(&|r| r.component.to_string())),
        Column::new(t05.into(), nums(&|r| r.total * 0.8)),
        Column::new(t50.into(), nums(&|r| r.total)),
        Column::new(t95.into(), nums(&|r| r.total * 1.2)),
        Column::new(col::PER_DAY_P50.into(), nums(&|r| r.total / 40.0)),
        Column::new(col::PCT_BASELINE_P50.into(), nums(&|r| r.pct)),
    ])
    .unwrap();

    let w: Vec<(&str, &str, &str, &str, f64)> = scenarios
        .iter()
        .flat_map(|s| {
            s.windows
                .iter()
                .map(|w| (s.name.as_str(), w.3, w.0, w.1, w.2))
        })
        .collect();
    let windows = DataFrame::new_infer_height(vec![
        Column::new(
            col::SCENARIO.into(),
            w.iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
        Column::new(
            col::POLICY.into(),
            w.iter().map(|r| r.1).collect::<Vec<_>>(),
        ),
        Column::new(col::FROM.into(), w.iter().map(|r| r.2).collect::<Vec<_>>()),
        Column::new(col::TO.into(), w.iter().map(|r| r.3).collect::<Vec<_>>()),
        Column::new(col::SHARE.into(), w.iter().map(|r| r.4).collect::<Vec<_>>()),
    ])
    .unwrap();

    ChartData {
        daily,
        summary,
        windows,
        run_label: "run 'synthetic' · seed 7 · 3 replicates · scale 0.5".into(),
        source_note: "Source: synthetic test fixture".into(),
        scenarios: scenarios
            .iter()
            .map(|s| ScenarioInfo {
                name: s.name.clone(),
                title: s.title.clone(),
            })
            .collect(),
        events: events
            .iter()
            .map(|(d, n)| Event {
                date: Date::parse(d).unwrap(),
                name: n.to_string(),
            })
            .collect(),
        region_names: regions(),
    }
}

/// A 2024 run: a marathon on Tue 12–Wed 13 March; "surge" and "surge-twin" raise the
/// share for it, "steady" keeps 50 %, "early" ends before it.
fn marathon() -> ChartData {
    run(
        "2024-02-26",
        "2024-03-29",
        &[
            scen("steady", "Steady 50%", &[("2024-03-01", "2024-03-22", 0.5)]),
            scen("early", "Ends before", &[("2024-02-26", "2024-03-08", 0.5)]),
            scen(
                "surge",
                "Surge for the marathon",
                &[
                    ("2024-03-01", "2024-03-11", 0.5),
                    ("2024-03-12", "2024-03-13", 0.9),
                    ("2024-03-14", "2024-03-22", 0.5),
                ],
            ),
            scen(
                "surge-twin",
                "Same schedule, other staff",
                &[
                    ("2024-03-01", "2024-03-11", 0.5),
                    ("2024-03-12", "2024-03-13", 0.9),
                    ("2024-03-14", "2024-03-22", 0.5),
                ],
            ),
        ],
        &[
            ("2024-03-12", "City Marathon"),
            ("2024-03-13", "City Marathon"),
        ],
    )
}

fn data_days(input: &ChartData) -> BTreeSet<i32> {
    let t = super::data::Table::new(&input.daily, "daily", "test");
    t.days(col::DATE).unwrap().into_iter().collect()
}

fn select(input: &ChartData) -> Option<Selection> {
    event_week::select(input, &data_days(input)).unwrap()
}

fn names(sel: &Selection) -> Vec<&str> {
    sel.scenarios
        .iter()
        .map(|c| c.scenario.name.as_str())
        .collect()
}

#[test]
fn event_chart_compares_distinct_schedules_active_on_the_event() {
    let sel = select(&marathon()).expect("the marathon has active scenarios");
    assert_eq!(
        sel.event,
        (day("2024-03-12"), day("2024-03-13"), "City Marathon".into())
    );
    // One working day either side: Mon 11 and Thu 14.
    assert_eq!(
        sel.days,
        ["2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14"].map(day)
    );
    // "early" has no share on the event; "surge-twin" repeats "surge"'s schedule.
    assert_eq!(names(&sel), ["steady", "surge"]);
    assert!(sel.by_schedule);
    assert_eq!(
        sel.scenarios[1],
        Compared {
            scenario: ScenarioInfo {
                name: "surge".into(),
                title: "Surge for the marathon".into()
            },
            profile: vec![0.5, 0.9, 0.9, 0.5],
            policies: 1,
        }
    );
    assert_eq!(sel.scenarios[0].profile, [0.5; 4]);
}

#[test]
fn event_chart_follows_run_order_not_names() {
    let mut input = marathon();
    input.scenarios.reverse();
    let sel = select(&input).unwrap();
    assert_eq!(names(&sel), ["surge-twin", "steady"]);
}

#[test]
fn event_chart_compares_scenarios_when_they_share_one_schedule() {
    let scens: Vec<Scen> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|n| scen(n, "Same everywhere", &[("2031-06-02", "2031-06-27", 0.4)]))
        .collect();
    let input = run(
        "2031-06-02",
        "2031-06-27",
        &scens,
        &[("2031-06-13", "Harbour Festival")],
    );
    let sel = select(&input).unwrap();
    assert!(!sel.by_schedule);
    assert_eq!(names(&sel), ["a", "b", "c", "d"]);
    assert_eq!(sel.scenarios.len(), MAX_SCENARIOS);
    // Fri 13 June 2031: the day after is the next Monday.
    assert_eq!(
        sel.days,
        ["2031-06-12", "2031-06-13", "2031-06-16"].map(day)
    );
}

#[test]
fn event_chart_keeps_at_most_four_distinct_schedules() {
    let shares = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    let names_ = ["s1", "s2", "s3", "s4", "s5", "s6"];
    let scens: Vec<Scen> = names_
        .iter()
        .zip(shares)
        .map(|(n, s)| scen(n, "Share", &[("2024-05-06", "2024-05-10", s)]))
        .collect();
    let input = run(
        "2024-05-06",
        "2024-05-10",
        &scens,
        &[("2024-05-08", "Expo")],
    );
    let sel = select(&input).unwrap();
    assert_eq!(names(&sel), ["s1", "s2", "s3", "s4"]);
    assert!(sel.by_schedule);
}

#[test]
fn event_chart_is_about_the_earliest_event() {
    let mut input = marathon();
    input.events.push(Event {
        date: Date::parse("2024-03-05").unwrap(),
        name: "Trade Fair".into(),
    });
    input.events.push(Event {
        date: Date::parse("2024-03-20").unwrap(),
        name: "Trade Fair".into(),
    });
    let sel = select(&input).unwrap();
    // The two fair days are 15 days apart: two spans, the first of which is earliest.
    assert_eq!(
        sel.event,
        (day("2024-03-05"), day("2024-03-05"), "Trade Fair".into())
    );
    assert_eq!(
        sel.days,
        ["2024-03-04", "2024-03-05", "2024-03-06"].map(day)
    );
    // On 5 March "steady", "early" and "surge" all run 50%: one schedule, so the
    // scenarios themselves are compared, in run order.
    assert_eq!(names(&sel), ["steady", "early", "surge", "surge-twin"]);
    assert!(!sel.by_schedule);
}

#[test]
fn event_chart_skipped_without_events_or_active_scenarios() {
    let mut input = marathon();
    input.events.clear();
    assert_eq!(select(&input), None);

    // An event after every window has closed.
    let mut input = marathon();
    input.events = vec![Event {
        date: Date::parse("2024-03-27").unwrap(),
        name: "Late Concert".into(),
    }];
    assert_eq!(select(&input), None);

    // No windows at all.
    let mut input = marathon();
    input.windows = DataFrame::empty();
    assert_eq!(select(&input), None);

    // An event after the run, when no window is open.
    let mut input = marathon();
    input.events = vec![Event {
        date: Date::parse("2025-01-07").unwrap(),
        name: "Next Year".into(),
    }];
    assert_eq!(select(&input), None);

    let files = render_all(&{
        let mut i = marathon();
        i.events.clear();
        i
    })
    .unwrap();
    assert!(files.iter().all(|f| !f.name.starts_with("event_week")));
}

#[test]
fn event_chart_counts_policies_and_labels_schedules() {
    let mut surge = scen(
        "two-policies",
        "Two policies",
        &[("2024-03-01", "2024-03-22", 0.5)],
    );
    surge
        .windows
        .push(("2024-03-12", "2024-03-13", 0.75, "contractors"));
    let input = run(
        "2024-03-04",
        "2024-03-15",
        &[surge],
        &[
            ("2024-03-12", "City Marathon"),
            ("2024-03-13", "City Marathon"),
        ],
    );
    let sel = select(&input).unwrap();
    assert_eq!(sel.scenarios[0].policies, 2);
    assert_eq!(sel.scenarios[0].profile, [0.5, 0.75, 0.75, 0.5]);
    assert_eq!(
        schedule_label(&sel.scenarios[0].profile, &sel.days, true),
        "highest WFH share of its policies 50% 11 Mar, 75% 12–13 Mar, 50% 14 Mar"
    );
    let days = ["2024-02-28", "2024-02-29", "2024-03-01"].map(day);
    assert_eq!(
        schedule_label(&[0.125, 0.125, 0.0], &days, false),
        "WFH share 12.5% 28–29 Feb, none 1 Mar"
    );
}

#[test]
fn event_chart_needs_the_share_column() {
    let mut input = marathon();
    input.windows = input.windows.drop(col::SHARE).unwrap();
    let err = event_week::select(&input, &data_days(&input)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event_week: table `windows` is missing required column `share`"
    );
}

#[test]
fn event_chart_title_and_legend_come_from_the_run() {
    let files = render_all(&marathon()).unwrap();
    let svg = files
        .iter()
        .find(|f| f.name == "event_week.svg")
        .expect("an event chart");
    let text = String::from_utf8(svg.bytes.clone()).unwrap();
    for s in [
        "City Marathon (12–13 Mar 2024): trips and emissions avoided per day",
        "WFH schedules compared · bars: median, whiskers: 5th–95th percentile",
        "Steady 50% · WFH share 50% 11–14 Mar",
        "Surge for the marathon · WFH share 50% 11 Mar, 90% 12–13 Mar, 50% 14 Mar",
        "Event days: City Marathon",
        "Mon 11",
        "Thu 14",
    ] {
        assert!(text.contains(s), "event_week.svg lacks {s:?}");
    }
    assert!(!text.contains("Same schedule, other staff"));
}

#[test]
fn renders_every_chart_in_order() {
    let files = render_all(&marathon()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "daily_trips_avoided.png",
            "daily_trips_avoided.svg",
            "event_week.png",
            "event_week.svg",
            "totals_by_scenario.png",
            "totals_by_scenario.svg",
            "totals_other_pollutants.png",
            "totals_other_pollutants.svg",
            "trips_by_region.png",
            "trips_by_region.svg",
        ]
    );
    let titles = [
        "Commuter trips avoided per working day, Feb–Mar 2024",
        "City Marathon",
        "Totals avoided over each scenario",
        "Other pollutants and distance avoided",
        "Commuter trips avoided per policy working day, by region",
    ];
    for (i, f) in files.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(&f.bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", f.name);
            let img = image::load_from_memory(&f.bytes).unwrap();
            assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        } else {
            let text = std::str::from_utf8(&f.bytes).unwrap();
            assert!(text.starts_with("<svg"), "{}", f.name);
            assert!(text.contains(titles[i / 2]), "{} lacks its title", f.name);
        }
    }
}

/// Renders `chart` the way the file-writing code did: plotters' backends bound to paths.
fn render_to_files<C: Chart>(chart: &C, dir: &Path, stem: &str) -> [Vec<u8>; 2] {
    let png = dir.join(format!("{stem}.png"));
    {
        let root = BitMapBackend::new(&png, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    let svg = dir.join(format!("{stem}.svg"));
    {
        let root = SVGBackend::new(&svg, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).unwrap();
        root.present().unwrap();
    }
    [std::fs::read(png).unwrap(), std::fs::read(svg).unwrap()]
}

#[test]
fn memory_bytes_equal_the_file_backends_bytes() {
    super::register_fonts();
    let input = marathon();
    let dir = tempfile::tempdir().unwrap();
    let chart = daily::prepare(&input).unwrap();
    let [png, svg] = render::render(&chart, "daily").unwrap();
    let [png_file, svg_file] = render_to_files(&chart, dir.path(), "daily");
    assert!(png.bytes == png_file, "PNG bytes differ");
    assert!(svg.bytes == svg_file, "SVG bytes differ");

    let chart = event_week::prepare(&input).unwrap().unwrap();
    let [png, svg] = render::render(&chart, "event").unwrap();
    let [png_file, svg_file] = render_to_files(&chart, dir.path(), "event");
    assert!(png.bytes == png_file, "PNG bytes differ");
    assert!(svg.bytes == svg_file, "SVG bytes differ");
}

#[test]
fn missing_column_is_named() {
    let mut inp = marathon();
    inp.daily = inp.daily.drop("trips_avoided_p50").unwrap();
    let err = render_all(&inp).unwrap_err();
    assert!(matches!(err, PlotError::MissingColumn { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "daily_trips_avoided: table `daily` is missing required column `trips_avoided_p50`"
    );

    let mut inp = marathon();
    inp.summary = inp.summary.drop(col::PER_DAY_P50).unwrap();
    let err = render_all(&inp).unwrap_err();
    assert_eq!(
        err.to_string(),
        "trips_by_region: table `summary` is missing required column `per_day_p50`"
    );
}

#[test]
fn many_scenarios_and_empty_windows() {
    let scens: Vec<Scen> = (0..14)
        .map(|i| Scen {
            name: format!("scenario-number-{i}"),
            title: format!("Scenario number {i}"),
            scale: 1.0 / (i as f64 + 1.0),
            windows: vec![("2024-03-01", "2024-03-22", 0.5, "staff")],
        })
        .collect();
    let mut inp = run("2024-02-26", "2024-03-29", &scens, &[]);
    inp.windows = DataFrame::empty();
    let files = render_all(&inp).unwrap();
    assert_eq!(files.len(), 8, "no events: no event chart");
}

#[test]
fn the_charts_read_only_declared_metrics() {
    for layout in [&totals::MAIN, &totals::OTHER] {
        for panel in layout.panels {
            assert!(SUMMARY.contains(&panel.0), "{:?} not in SUMMARY", panel.0);
        }
    }
    for panel in event_week::PANELS {
        assert!(DAILY.contains(&panel.0), "{:?} not in DAILY", panel.0);
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
    assert_eq!(style::day_month(day("2023-09-05")), "5 Sep");
    assert_eq!(style::weekday_day(day("2023-09-05")), "Tue 5");
    assert_eq!(
        style::month_span(day("2023-08-21"), day("2023-10-20")),
        "Aug–Oct 2023"
    );
    assert_eq!(
        style::month_span(day("2030-12-02"), day("2031-01-31")),
        "Dec 2030–Jan 2031"
    );
    assert_eq!(
        style::day_span(day("2024-02-28"), day("2024-03-01")),
        "28 Feb–1 Mar"
    );
    assert_eq!(
        style::day_span(day("2024-03-12"), day("2024-03-13")),
        "12–13 Mar"
    );
    assert_eq!(
        style::day_span(day("2024-03-12"), day("2024-03-12")),
        "12 Mar"
    );
    assert_eq!(
        style::day_span_year(day("2030-12-30"), day("2031-01-02")),
        "30 Dec 2030–2 Jan 2031"
    );
    assert_eq!(
        style::day_span_year(day("2031-06-13"), day("2031-06-13")),
        "13 Jun 2031"
    );
    assert_eq!(style::percent(0.75), "75%");
    assert_eq!(style::percent(0.125), "12.5%");
    assert_eq!(style::percent(1.0), "100%");
}

#[test]
fn windows_may_hold_dates_or_text() {
    let text = marathon();
    let mut typed = marathon();
    for c in [col::FROM, col::TO] {
        let t = super::data::Table::new(&text.windows, "windows", "test");
        let days: Vec<i32> = t.strs(c).unwrap().into_iter().map(day).collect();
        let column = Column::new(c.into(), days).cast(&DataType::Date).unwrap();
        typed.windows.with_column(column).unwrap();
    }
    assert_eq!(
        typed.windows.column(col::FROM).unwrap().dtype(),
        &DataType::Date
    );
    let sel = select(&typed);
    assert!(sel.is_some());
    assert_eq!(sel, select(&text));
}
