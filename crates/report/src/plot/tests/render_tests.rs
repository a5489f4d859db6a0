//! Every chart rendered: order, bytes, errors, formatting.

use super::*;

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
            "roads_context.png",
            "roads_context.svg",
            "detectability.png",
            "detectability.svg",
        ]
    );
    let titles = [
        "Commuter trips avoided per working day, Feb–Mar 2024",
        "City Marathon",
        "Totals avoided over each scenario",
        "Other pollutants and distance avoided",
        "Commuter trips avoided per policy working day, by region",
        "What each scenario means for DKI",
        "Would a traffic count see it?",
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
    crate::plot::register_fonts();
    let input = marathon();
    let dir = tempfile::tempdir().unwrap();
    let chart = daily::prepare(&input);
    let [png, svg] = render::render(&chart, "daily").unwrap();
    let [png_file, svg_file] = render_to_files(&chart, dir.path(), "daily");
    assert!(png.bytes == png_file, "PNG bytes differ");
    assert!(svg.bytes == svg_file, "SVG bytes differ");

    let chart = event_week::prepare(&input).unwrap();
    let [png, svg] = render::render(&chart, "event").unwrap();
    let [png_file, svg_file] = render_to_files(&chart, dir.path(), "event");
    assert!(png.bytes == png_file, "PNG bytes differ");
    assert!(svg.bytes == svg_file, "SVG bytes differ");
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
    inp.windows = &[];
    let files = render_all(&inp).unwrap();
    assert_eq!(files.len(), 12, "no events: no event chart");
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
    use crate::labels::Lang::{En, Id};
    use crate::plot::numbers as n;
    assert_eq!(n::thousands(1234567.0, En), "1,234,567");
    assert_eq!(n::thousands(1234567.0, Id), "1.234.567");
    assert_eq!(n::si(12500.0, En), "12.5k");
    assert_eq!(n::si(12500.0, Id), "12,5 rb");
    assert_eq!(n::si(3_400_000.0, En), "3.4M");
    assert_eq!(n::si(3_400_000.0, Id), "3,4 jt");
    assert_eq!(n::si_short(1234.0, En), "1.2k");
    assert_eq!(n::si_short(45_678.0, En), "46k");
    assert_eq!(n::si_short(952.0, En), "952");
    assert_eq!(n::si_short(999_700.0, En), "1M");
    assert_eq!(n::tick(50_000.0, En), "50,000");
    assert_eq!(n::tick(50_000.0, Id), "50.000");
    assert_eq!(n::tick(2_000_000.0, En), "2M");
    assert_eq!(n::day_month(day("2023-09-05"), En), "5 Sep");
    assert_eq!(n::day_month(day("2023-08-21"), Id), "21 Agu");
    assert_eq!(n::weekday_day(day("2023-09-05"), En), "Tue 5");
    assert_eq!(n::weekday_day(day("2023-09-05"), Id), "Sel 5");
    assert_eq!(
        n::month_span(day("2023-08-21"), day("2023-10-20"), En),
        "Aug–Oct 2023"
    );
    assert_eq!(
        n::month_span(day("2023-08-21"), day("2023-10-20"), Id),
        "Agu–Okt 2023"
    );
    assert_eq!(
        n::month_span(day("2030-12-02"), day("2031-01-31"), En),
        "Dec 2030–Jan 2031"
    );
    assert_eq!(
        n::day_span(day("2024-02-28"), day("2024-03-01"), En),
        "28 Feb–1 Mar"
    );
    assert_eq!(
        n::day_span(day("2024-03-12"), day("2024-03-13"), En),
        "12–13 Mar"
    );
    assert_eq!(
        n::day_span(day("2024-03-12"), day("2024-03-12"), En),
        "12 Mar"
    );
    assert_eq!(
        n::day_span_year(day("2030-12-30"), day("2031-01-02"), En),
        "30 Dec 2030–2 Jan 2031"
    );
    assert_eq!(
        n::day_span_year(day("2031-05-13"), day("2031-05-13"), Id),
        "13 Mei 2031"
    );
    assert_eq!(n::percent(0.75, En), "75%");
    assert_eq!(n::percent(0.125, En), "12.5%");
    assert_eq!(n::percent(0.125, Id), "12,5%");
    assert_eq!(n::percent(1.0, En), "100%");
    assert_eq!(n::pct2(0.0153, Id), "0,015%");
    assert_eq!(n::ratio(1.46, Id), "1,5");
    assert_eq!(n::ratio(1234.4, Id), "1.234");
}
