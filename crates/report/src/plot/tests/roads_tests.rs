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

    let chart = context::prepare(&input).expect("road rows present");
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

    let chart = detectability::prepare(&input).expect("rows present");
    assert_eq!(chart.labels, titles(&input));
    assert_eq!(
        chart.days.iter().map(|d| d[0].as_str()).collect::<Vec<_>>(),
        ["1 day each side", "5 days each side", "44 days each side"]
    );
    // Only the first scenario reaches the whole window's MDE (1.3% ≥ 1.17%).
    assert_eq!(chart.verdicts[0], "visible");
    assert_eq!(
        chart.verdicts[1],
        "not visible (×4 below the MDE; seen with probability 5%)"
    );
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
        "×4 below the MDE;",
        "seen with probability 5%)",
    ] {
        assert!(svg.contains(text), "detectability.svg lacks {text:?}");
    }
}

#[test]
fn skipped_without_road_rows() {
    let mut inp = marathon();
    inp.detectability = &[];
    // A summary without the road layer's rows (an older run's).
    let kept: Vec<SummaryRecord> = (inp.summary.iter())
        .filter(|r| !r.basis.as_str().starts_with("dki_"))
        .cloned()
        .collect();
    inp.summary = kept.leak();
    assert!(context::prepare(&inp).is_none());
    assert!(detectability::prepare(&inp).is_none());
    let names: Vec<String> = render_all(&inp)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names.len(), 10);
    assert!(!names.iter().any(|n| n.starts_with("roads_context")));
    assert!(!names.iter().any(|n| n.starts_with("detectability")));
}

/// A comparison the model judged visible makes the scenario's verdict "visible", whatever
/// the numbers.
#[test]
fn visible_city_decides_the_verdict() {
    let input = marathon();
    let verdicts = detectability::prepare(&input).unwrap().verdicts;
    assert!(verdicts.iter().any(|v| v != "visible"), "{verdicts:?}");
    let mut all = marathon();
    let seen: Vec<DetectabilityRecord> = (all.detectability.iter())
        .map(|r| DetectabilityRecord {
            visible_city: true,
            ..r.clone()
        })
        .collect();
    all.detectability = seen.leak();
    let verdicts = detectability::prepare(&all).unwrap().verdicts;
    assert!(verdicts.iter().all(|v| v == "visible"), "{verdicts:?}");
}

#[test]
fn verdict_wording() {
    // Far below: ×N, N = MDE ÷ effect rounded.
    assert_eq!(
        verdict(0.015, 1.17, 0.05, false, EN),
        "not visible (×78 below the MDE; seen with probability 5%)"
    );
    assert_eq!(
        verdict(0.001, 12.345, 0.05, false, EN),
        "not visible (×12,345 below the MDE; seen with probability 5%)"
    );
    // The flip at effect == MDE.
    assert_eq!(verdict(1.17, 1.17, 0.05, false, EN), "visible");
    assert_eq!(
        verdict(1.1699, 1.17, 0.05, false, EN),
        "not visible (×1 below the MDE; seen with probability 5%)"
    );
    assert_eq!(
        verdict(1.0, 1.5, 0.05, false, EN),
        "not visible (×1.5 below the MDE; seen with probability 5%)"
    );
    assert_eq!(verdict(2.0, 1.17, 0.05, false, EN), "visible");
    // Seen by another comparison: visible whatever the whole window's numbers.
    assert_eq!(verdict(0.01, 1.17, 0.05, true, EN), "visible");
    assert_eq!(verdict(f64::NAN, f64::NAN, 0.05, true, EN), "visible");
    // A rise is as visible as a fall (the model's rule compares |effect|).
    assert_eq!(verdict(-2.0, 1.17, 0.05, false, EN), "visible");
    assert_eq!(
        verdict(-0.05, 1.0, 0.05, false, EN),
        "not visible (×20 below the MDE; seen with probability 5%)"
    );
    assert_eq!(
        verdict(0.0, 1.17, 0.05, false, EN),
        "not visible (no change expected)"
    );
    assert_eq!(verdict(f64::NAN, 1.17, 0.05, false, EN), "not visible");
    // The whole window's expected power, as a percentage.
    assert_eq!(
        verdict(0.6, 1.2, 0.168, false, EN),
        "not visible (×2 below the MDE; seen with probability 17%)"
    );
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
            panel.metric == m::VEHICLES_NET || SUMMARY.contains(&panel.metric),
            "{:?} not declared",
            panel.metric
        );
        assert!(
            [Basis::DkiRoads, Basis::DkiRoadsPeak, Basis::DkiCordon].contains(&panel.basis),
            "{:?}",
            panel.basis
        );
    }
}
