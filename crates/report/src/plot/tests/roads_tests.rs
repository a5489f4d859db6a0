//! The roads-and-air chart (`context.rs`) and the detectability chart: rendering from the
//! synthetic run, named errors, skipping without road rows, reading `visible_city` as
//! bool or text, the verdict's wording and the log axis.

use super::*;
use crate::labels::{Lang, Langs};
use crate::plot::context::LogAxis;
use crate::plot::detectability::verdict;
use crate::plot::numbers;
use crate::plot::text::ChartText;

const EN: ChartText = ChartText { langs: Langs::En };

fn pct_text(v: f64) -> String {
    numbers::pct2(v, Lang::En)
}

fn titles(input: &ChartData) -> Vec<String> {
    input.scenarios.iter().map(|s| s.title.clone()).collect()
}

#[test]
fn both_charts_render_from_the_synthetic_run() {
    crate::plot::register_fonts();
    let input = marathon();

    let chart = context::prepare(&input)
        .unwrap()
        .expect("road rows present");
    assert_eq!(chart.labels, titles(&input), "run order, labelled by title");
    assert_eq!(chart.values.len(), context::PANELS.len());
    // The first scenario's all-day vehicles: 0.015% × 40, p05–p95 ±20%.
    let (p05, p50, p95) = chart.values[0][0].unwrap();
    assert!((p50 - 0.6).abs() < 1e-9, "{p50}");
    assert!(p05 < p50 && p50 < p95);
    let files = render::render(&chart, context::STEM).unwrap();
    assert_eq!(files[0].name, "roads_context.png");
    let img = image::load_from_memory(&files[0].bytes).unwrap();
    assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
    let svg = std::str::from_utf8(&files[1].bytes).unwrap();
    for text in ["Fewer vehicles counted in DKI", "PM2.5", "0.6%"] {
        assert!(svg.contains(text), "roads_context.svg lacks {text:?}");
    }
    assert!(svg.contains(&input.source_note));
    assert!(svg.contains(&input.inventory_note));

    let chart = detectability::prepare(&input)
        .unwrap()
        .expect("rows present");
    assert_eq!(chart.labels, titles(&input));
    assert_eq!(
        chart.days.iter().map(|d| d[0].as_str()).collect::<Vec<_>>(),
        ["1 day each side", "5 days each side", "44 days each side"]
    );
    // Only the first scenario reaches the whole window's MDE (1.3% ≥ 1.17%).
    assert_eq!(chart.verdicts[0], "visible");
    assert_eq!(chart.verdicts[1], "not visible (×4 below the MDE)");
    let files = render::render(&chart, detectability::STEM).unwrap();
    let img = image::load_from_memory(&files[0].bytes).unwrap();
    assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
    let svg = std::str::from_utf8(&files[1].bytes).unwrap();
    for text in [
        "Would a traffic count see it?",
        "expected fall (p05–p95)",
        "MDE city-wide count",
        "MDE one counting site",
        "Whole window",
        "×4 below the MDE",
    ] {
        assert!(svg.contains(text), "detectability.svg lacks {text:?}");
    }
}

#[test]
fn a_missing_column_is_named() {
    let mut inp = marathon();
    inp.summary = inp.summary.drop("pct_baseline_p95").unwrap();
    let err = render_all(&inp).unwrap_err();
    assert!(matches!(err, PlotError::MissingColumn { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "roads_context: table `summary` is missing required column `pct_baseline_p95`"
    );

    let mut inp = marathon();
    inp.detectability = inp.detectability.drop("mde_site_pct_high").unwrap();
    let err = render_all(&inp).unwrap_err();
    assert_eq!(
        err.to_string(),
        "detectability: table `detectability` is missing required column `mde_site_pct_high`"
    );

    let mut inp = marathon();
    inp.detectability = inp.detectability.drop(col::VISIBLE_CITY).unwrap();
    let err = detectability::prepare(&inp).err().unwrap();
    assert_eq!(
        err.to_string(),
        "detectability: table `detectability` is missing required column `visible_city`"
    );
}

#[test]
fn skipped_without_road_rows() {
    let mut inp = marathon();
    inp.detectability = DataFrame::empty();
    // A summary without the road layer's rows (an older run's).
    let basis = inp.summary.column(col::REGION_BASIS).unwrap().clone();
    let keep: BooleanChunked = basis
        .str()
        .unwrap()
        .iter()
        .map(|b| Some(!b.unwrap_or("").starts_with("dki_")))
        .collect();
    inp.summary = inp.summary.filter(&keep).unwrap();
    assert!(context::prepare(&inp).unwrap().is_none());
    assert!(detectability::prepare(&inp).unwrap().is_none());
    let names: Vec<String> = render_all(&inp)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names.len(), 10);
    assert!(!names.iter().any(|n| n.starts_with("roads_context")));
    assert!(!names.iter().any(|n| n.starts_with("detectability")));
}

/// After a CSV round trip `visible_city` may be read as text: same verdicts.
#[test]
fn visible_city_as_bool_or_text() {
    let input = marathon();
    let want = detectability::prepare(&input).unwrap().unwrap().verdicts;

    let mut text = marathon();
    let as_text: Vec<&str> = text
        .detectability
        .column(col::VISIBLE_CITY)
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .map(|v| if v == Some(true) { "true" } else { "false" })
        .collect();
    text.detectability
        .with_column(Column::new(col::VISIBLE_CITY.into(), as_text))
        .unwrap();
    // Every row visible, as text: every verdict flips, whatever the numbers.
    let mut all = marathon();
    let n = all.detectability.height();
    all.detectability
        .with_column(Column::new(col::VISIBLE_CITY.into(), vec!["True"; n]))
        .unwrap();
    assert_eq!(
        detectability::prepare(&text).unwrap().unwrap().verdicts,
        want
    );
    assert!(
        detectability::prepare(&all)
            .unwrap()
            .unwrap()
            .verdicts
            .iter()
            .all(|v| v == "visible")
    );

    // And through the CSV the run writes and `wfhsim plot` reads.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("detectability.csv");
    let mut df = input.detectability.clone();
    CsvWriter::new(std::fs::File::create(&path).unwrap())
        .include_header(true)
        .with_float_precision(Some(3))
        .finish(&mut df)
        .unwrap();
    let mut csv = marathon();
    csv.detectability = crate::view::read_csv(&path).unwrap();
    assert_eq!(
        detectability::prepare(&csv).unwrap().unwrap().verdicts,
        want
    );
}

#[test]
fn verdict_wording() {
    // Far below: ×N, N = MDE ÷ effect rounded.
    assert_eq!(
        verdict(0.015, 1.17, false, EN),
        "not visible (×78 below the MDE)"
    );
    assert_eq!(
        verdict(0.001, 12.345, false, EN),
        "not visible (×12,345 below the MDE)"
    );
    // The flip at effect == MDE.
    assert_eq!(verdict(1.17, 1.17, false, EN), "visible");
    assert_eq!(
        verdict(1.1699, 1.17, false, EN),
        "not visible (×1 below the MDE)"
    );
    assert_eq!(
        verdict(1.0, 1.5, false, EN),
        "not visible (×1.5 below the MDE)"
    );
    assert_eq!(verdict(2.0, 1.17, false, EN), "visible");
    // Seen by another comparison: visible whatever the whole window's numbers.
    assert_eq!(verdict(0.01, 1.17, true, EN), "visible");
    assert_eq!(verdict(f64::NAN, f64::NAN, true, EN), "visible");
    // A rise is as visible as a fall (the model's rule compares |effect|).
    assert_eq!(verdict(-2.0, 1.17, false, EN), "visible");
    assert_eq!(
        verdict(-0.05, 1.0, false, EN),
        "not visible (×20 below the MDE)"
    );
    assert_eq!(
        verdict(0.0, 1.17, false, EN),
        "not visible (no change expected)"
    );
    assert_eq!(verdict(f64::NAN, 1.17, false, EN), "not visible");
}

#[test]
fn percent_labels_and_the_log_axis() {
    assert_eq!(pct_text(0.0153), "0.015%");
    assert_eq!(pct_text(0.016), "0.016%");
    assert_eq!(pct_text(0.00091), "0.00091%");
    assert_eq!(pct_text(0.649), "0.65%");
    assert_eq!(pct_text(1.406), "1.4%");
    assert_eq!(pct_text(0.05), "0.05%");
    assert_eq!(pct_text(12.3), "12%");
    assert_eq!(pct_text(-0.002), "−0.002%");
    assert_eq!(pct_text(0.0), "0%");

    use plotters::coord::ranged1d::Ranged;
    let axis = LogAxis::new(0.001, 10.0, 800);
    // Non-positive and non-finite values sit at the left end.
    for v in [0.0, -1.0, f64::NAN, 0.0001] {
        assert_eq!(axis.clamp(v), 0.001);
        assert_eq!(axis.map(&v, (0, 800)), 0);
    }
    assert_eq!(axis.map(&0.1, (0, 800)), 400);
    assert_eq!(axis.map(&10.0, (0, 800)), 800);
    assert_eq!(axis.label(0.01), "0.01");
    // Narrow: every other decade labelled (those of 1, 0.01, …), all drawn.
    let narrow = LogAxis::new(0.001, 10.0, 160);
    let labels: Vec<String> = [0.001, 0.01, 0.1, 1.0, 10.0]
        .map(|v| narrow.label(v))
        .into();
    assert_eq!(labels, ["", "0.01", "", "1", ""]);
    // Narrower still for the width of "0.000001": every third.
    let six = LogAxis::new(1e-6, 10.0, 300);
    let labelled: Vec<String> = (-6..=1)
        .map(|e| six.label(10f64.powi(e)))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(labelled, ["0.000001", "0.001", "1"]);
}

#[test]
fn the_roads_chart_reads_only_declared_metrics() {
    for panel in context::PANELS {
        assert!(
            panel.metric == col::VEHICLES_NET || SUMMARY.contains(&panel.metric),
            "{:?} not declared",
            panel.metric
        );
        assert!(
            [col::DKI_ROADS, col::DKI_ROADS_PEAK, col::DKI_CORDON].contains(&panel.basis),
            "{}",
            panel.basis
        );
    }
}
