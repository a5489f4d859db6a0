//! The charts in Indonesian, English and both: every catalogue key they use exists, an
//! Indonesian chart is in Indonesian (words and numbers), and the daily chart names every
//! scenario of a nine-scenario run.

use super::*;
use crate::labels::{Langs, MISSING_MARK};

fn in_lang(mut input: ChartData<'static>, langs: Langs) -> ChartData<'static> {
    input.langs = langs;
    input
}

fn svgs(input: &ChartData) -> Vec<(String, String)> {
    render_all(input)
        .unwrap()
        .into_iter()
        .filter(|f| f.name.ends_with(".svg"))
        .map(|f| (f.name, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

/// A nine-scenario run (no events), each scenario at its own scale.
fn nine() -> ChartData<'static> {
    let scens: Vec<Scen> = (0..9)
        .map(|i| Scen {
            name: format!("s{i}"),
            title: format!("Policy variant number {i}"),
            scale: 1.0 / (i as f64 + 1.0),
            windows: vec![("2024-03-04", "2024-03-22", 0.5, "staff")],
        })
        .collect();
    run("2024-02-26", "2024-03-29", &scens, &[])
}

#[test]
fn every_label_a_chart_uses_is_in_the_catalogue() {
    for langs in [Langs::Id, Langs::En, Langs::Both] {
        for input in [marathon(), nine()] {
            let files = svgs(&in_lang(input, langs));
            assert!(files.len() >= 6);
            for (name, svg) in files {
                assert!(
                    !svg.contains(MISSING_MARK),
                    "{name} in {langs:?} has a missing label"
                );
            }
        }
    }
}

#[test]
fn an_indonesian_chart_is_in_indonesian() {
    let files = svgs(&in_lang(marathon(), Langs::Id));
    let get = |stem: &str| {
        files
            .iter()
            .find(|(n, _)| n == &format!("{stem}.svg"))
            .map(|(_, s)| s.clone())
            .unwrap()
    };
    let daily = get("daily_trips_avoided");
    assert!(daily.contains("Perjalanan komuter yang dihindari per hari kerja, Feb–Mar 2024"));
    assert!(!daily.contains("Commuter trips avoided"));
    assert!(daily.contains("Sumber: synthetic test fixture"));
    assert!(!daily.contains("Source:"));
    assert!(daily.contains("\n1 jt\n"), "Indonesian million");
    let event = get("event_week");
    assert!(event.contains("perjalanan dan emisi yang dihindari per hari"));
    assert!(event.contains("Sel 12"), "Indonesian weekdays");
    assert!(!event.contains("Tue 12"));
    let totals = get("totals_by_scenario");
    assert!(totals.contains("Total yang dihindari selama masa kebijakan"));
    assert!(!totals.contains("Totals avoided"));
    assert!(
        totals.contains(" dari kondisi dasar") || totals.contains(",00%"),
        "percent labels with a decimal comma"
    );
    let region = get("trips_by_region");
    assert!(region.contains("Menurut wilayah tempat tinggal"));
    let roads = get("roads_context");
    assert!(roads.contains("Inventaris: a synthetic test inventory"));
    assert!(roads.contains("0,6%"), "Indonesian decimal comma");
    let detect = get("detectability");
    assert!(detect.contains("Akankah penghitungan lalu lintas melihatnya?"));
    assert!(detect.contains("tidak terlihat"));
    assert!(!detect.contains("Would a traffic count"));
}

/// The text lines of an SVG (plotters writes each text on its own line).
fn texts(svg: &str) -> Vec<&str> {
    svg.lines().filter(|l| !l.starts_with('<')).collect()
}

#[test]
fn indonesian_numbers_group_thousands_with_a_point() {
    let small = Scen {
        name: "small".into(),
        title: "Small order".into(),
        scale: 0.01,
        windows: vec![("2024-03-04", "2024-03-22", 0.5, "staff")],
    };
    let input = in_lang(run("2024-02-26", "2024-03-29", &[small], &[]), Langs::Id);
    let files = svgs(&input);
    let (_, daily) = &files[0];
    let grouped = |t: &str| {
        let parts: Vec<&str> = t.split('.').collect();
        parts.len() > 1
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
            && parts[1..].iter().all(|p| p.len() == 3)
    };
    let ticks: Vec<&str> = texts(daily).into_iter().filter(|t| grouped(t)).collect();
    assert!(ticks.contains(&"10.000"), "{:?}", texts(daily));
    assert!(!texts(daily).iter().any(|t| t.contains("0,000")));
}

#[test]
fn both_languages_title_in_indonesian_then_english() {
    let files = svgs(&in_lang(marathon(), Langs::Both));
    let (_, daily) = &files[0];
    let id = daily
        .find("Perjalanan komuter yang dihindari per hari kerja")
        .expect("Indonesian title");
    let en = daily
        .find("Commuter trips avoided per working day")
        .expect("English title");
    assert!(id < en, "Indonesian first");
    assert!(daily.contains("Sumber/Source: synthetic test fixture"));
}

#[test]
fn the_daily_chart_names_each_of_nine_scenarios() {
    for langs in [Langs::Id, Langs::En, Langs::Both] {
        let input = in_lang(nine(), langs);
        let files = render_all(&input).unwrap();
        let svg = std::str::from_utf8(&files[1].bytes).unwrap();
        assert_eq!(files[1].name, "daily_trips_avoided.svg");
        for s in &input.scenarios {
            assert!(svg.contains(&s.title), "{langs:?}: {} missing", s.title);
        }
        // Nine scales from 1 to 1/9: one shared scale, said on the chart.
        let note = if langs == Langs::En {
            "Same vertical scale in every panel"
        } else {
            "Skala vertikal sama di semua panel"
        };
        assert!(svg.contains(note), "{langs:?}");
    }
}

#[test]
fn scenarios_far_apart_get_their_own_scales_and_the_chart_says_so() {
    let scens: Vec<Scen> = (0..4)
        .map(|i| Scen {
            name: format!("s{i}"),
            title: format!("Variant {i}"),
            scale: 10f64.powi(-i),
            windows: vec![("2024-03-04", "2024-03-22", 0.5, "staff")],
        })
        .collect();
    let input = run("2024-02-26", "2024-03-29", &scens, &[]);
    let chart = daily::prepare(&input);
    assert!(chart.own_scales);
    let [_, svg] = render::render(&chart, daily::STEM).unwrap();
    let svg = String::from_utf8(svg.bytes).unwrap();
    assert!(
        svg.contains("Each panel has its own vertical scale: the scenarios differ up to 1,000×")
    );
}

#[test]
fn charts_in_each_language_are_deterministic() {
    for langs in [Langs::Id, Langs::Both] {
        let a = render_all(&in_lang(marathon(), langs)).unwrap();
        let b = render_all(&in_lang(marathon(), langs)).unwrap();
        assert!(a == b, "{langs:?}: same input, different bytes");
    }
}
