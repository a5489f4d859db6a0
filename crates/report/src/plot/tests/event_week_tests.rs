//! Which event, days and scenarios the event chart compares, and its labels.

use super::*;

const EN: crate::plot::text::ChartText = crate::plot::text::ChartText {
    langs: crate::labels::Langs::En,
};

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
    input.windows = &[];
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
        schedule_label(&sel.scenarios[0].profile, &sel.days, true, EN),
        "highest WFH share of its policies 50% 11 Mar, 75% 12–13 Mar, 50% 14 Mar"
    );
    let days = ["2024-02-28", "2024-02-29", "2024-03-01"].map(day);
    assert_eq!(
        schedule_label(&[0.125, 0.125, 0.0], &days, false, EN),
        "WFH share 12.5% 28–29 Feb, none 1 Mar"
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

/// The first two compared scenarios (Steady, then Surge) differ in every replicate by
/// their own parts alone (the fixture's daily p50s), whatever the large part all
/// scenarios share: the band under each panel is that difference with no spread, and
/// A > B in all replicates or none.
#[test]
fn the_difference_under_each_panel_is_a_minus_b_replicate_by_replicate() {
    let input = marathon();
    let sel = select(&input).unwrap();
    let chart = event_week::prepare(&input).unwrap();
    let diff = chart
        .difference
        .as_ref()
        .expect("two scenarios with replicates");
    assert_eq!(diff.replicates, REPLICATES as usize);
    let p50 = |name: &str, d: i32, m: Measure| {
        let r = input
            .daily
            .iter()
            .find(|r| &*r.scenario == name && r.date.0 == d)
            .unwrap();
        m.on_day(r).unwrap().median()
    };
    let [a, b] = [0, 1].map(|i| sel.scenarios[i].scenario.name.as_str());
    assert_eq!([a, b], ["steady", "surge"]);
    for (p, (m, .., div)) in event_week::PANELS.into_iter().enumerate() {
        for (i, &d) in sel.days.iter().enumerate() {
            let want = (p50(a, d, m) - p50(b, d, m)) / div;
            let (lo, mid, hi) = diff.values[p][i];
            for got in [lo, mid, hi] {
                assert!(
                    (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                    "{got} vs {want}"
                );
            }
            let more = if want > 0.0 { REPLICATES as usize } else { 0 };
            assert_eq!(diff.more[p][i], more, "panel {p}, day {i}");
        }
    }
    // Steady's 50% against Surge's 90% on the marathon days: B avoids more.
    assert_eq!(diff.more[0][1..3], [0, 0]);
    let svg = render_all(&input).unwrap();
    let svg = svg.iter().find(|f| f.name == "event_week.svg").unwrap();
    let text = String::from_utf8(svg.bytes.clone()).unwrap();
    for s in [
        "A · Steady 50% · WFH share 50% 11–14 Mar",
        "B · Surge for the marathon",
        "Daily difference A − B, paired (the same random draws in each replicate)",
        "share of replicates with A &gt; B",
        // 0 of 3 replicates with A above B, written as a share.
        ">\n0%\n<",
    ] {
        assert!(text.contains(s), "event_week.svg lacks {s:?}");
    }
}

/// Without the replicates' daily values (or a second scenario) the chart draws the bars
/// alone, with the legend as before.
#[test]
fn without_replicates_the_event_chart_has_no_difference() {
    let mut input = marathon();
    input.replicates_daily = &[];
    let chart = event_week::prepare(&input).unwrap();
    assert!(chart.difference.is_none());
    let svg = render_all(&input).unwrap();
    let svg = svg.iter().find(|f| f.name == "event_week.svg").unwrap();
    let text = String::from_utf8(svg.bytes.clone()).unwrap();
    assert!(text.contains("Steady 50% · WFH share 50% 11–14 Mar"));
    assert!(!text.contains("A · Steady") && !text.contains("A − B"));
}
