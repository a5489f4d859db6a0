//! Tests of the sweep charts on a realistic design (the DKI 2023 order's trips avoided:
//! a one-at-a-time tornado, responses to the WFH share, a Sobol design of five factors),
//! in English, in Indonesian and in both.

use plotters::prelude::*;

use super::response::{self, LEGEND_BAND, LEGEND_MEDIAN};
use super::sobol;
use super::tornado::{self, LEGEND_HIGH, LEGEND_LOW, Labels, SUBTITLE};
use super::*;
use crate::labels::{Labels as Catalogue, MISSING_MARK};

const NOT_REACHED: &str = "not reached in the range";

/// A catalogue text in English, as the SVG escapes it.
fn en(key: &str) -> String {
    esc(&Catalogue::builtin().get(key, Lang::En))
}

const TITLE: &str = "What moves the DKI 2023 order’s trips avoided?";
const UNIT: &str = "trips/day";

fn bar(factor: &str, lo: &str, hi: &str, at_lo: f64, at_hi: f64) -> TornadoBar {
    TornadoBar {
        factor: factor.into(),
        low_level: lo.into(),
        high_level: hi.into(),
        outcome_at_low: at_lo,
        outcome_at_high: at_hi,
    }
}

fn dki_tornado() -> Tornado {
    Tornado {
        base_value: 12_000.0,
        base_label: "central values".into(),
        bars: vec![
            bar(
                "Private teleworkable share",
                "0.20",
                "0.60",
                12_000.0,
                12_000.0,
            ),
            bar(
                "DKI eligible pool (ASN staff)",
                "15,335",
                "23,343",
                12_000.0,
                18_300.0,
            ),
            bar("Compliance (DKI policy)", "0.30", "0.90", 7_000.0, 16_000.0),
            bar(
                "Assignment of WFH days",
                "random",
                "rotation",
                11_400.0,
                12_500.0,
            ),
            bar(
                "Share of avoided commutes replaced by other car trips (rebound)",
                "0.00",
                "0.30",
                12_900.0,
                9_600.0,
            ),
            bar(
                "Car and motorcycle occupancy",
                "1.1",
                "1.5",
                12_600.0,
                13_100.0,
            ),
        ],
    }
}

/// Trips avoided along the WFH share, 0.1–0.9: roughly linear with a widening band.
fn share_response(target: Option<Target>) -> Response {
    let x: Vec<f64> = (1..=9).map(|i| i as f64 / 10.0).collect();
    let p50: Vec<f64> = x.iter().map(|s| 34_000.0 * s - 700.0 * s * s).collect();
    let p05 = p50
        .iter()
        .zip(&x)
        .map(|(m, s)| m - 1_200.0 - 4_000.0 * s)
        .collect();
    let p95 = p50
        .iter()
        .zip(&x)
        .map(|(m, s)| m + 1_000.0 + 3_500.0 * s)
        .collect();
    Response {
        factor: "WFH share of teleworkable staff".into(),
        x,
        p05,
        p50,
        p95,
        target,
    }
}

fn dki_sobol() -> Sobol {
    let f = |name: &str, s1: f64, st: f64, w: f64| SobolFactor {
        factor: name.into(),
        s1,
        s1_lo: s1 - w,
        s1_hi: s1 + w,
        st,
        st_lo: st - w * 0.8,
        st_hi: st + w * 0.8,
    };
    Sobol {
        samples: 4096,
        factors_share: Some(0.62),
        factors: vec![
            f("Private teleworkable share", 0.01, 0.02, 0.015),
            f("Compliance (DKI policy)", 0.46, 0.55, 0.05),
            f("DKI eligible pool (ASN staff)", 0.22, 0.27, 0.04),
            f(
                "Rebound: avoided commutes replaced by other car trips",
                0.12,
                0.18,
                0.03,
            ),
            f(
                "Assignment of WFH days (rotation vs random)",
                0.04,
                0.06,
                0.02,
            ),
        ],
    }
}

/// A 1% target: 1% of the region's ~1.6 million daily commuter trips.
const TARGET: Target = Target {
    value: 16_000.0,
    x_median: Some(0.4753),
    x_p90: Some(0.56),
};

fn dki() -> SweepCharts {
    SweepCharts {
        langs: Langs::En,
        title: TITLE.into(),
        outcome_label: "Commuter trips avoided per policy working day".into(),
        outcome_unit: UNIT.into(),
        run_note: "wfhsim 0.1.0, seed 42, 10 replicates per point, full scale".into(),
        source_note: "Source: BPS Sakernas 2022, BKN 2023".into(),
        tornado: Some(dki_tornado()),
        responses: vec![
            share_response(Some(TARGET)),
            share_response(Some(Target {
                value: 40_000.0,
                x_median: None,
                x_p90: None,
            })),
        ],
        sobol: Some(dki_sobol()),
    }
}

fn names(out: &[RenderedChart]) -> Vec<&str> {
    out.iter().map(|c| c.name.as_str()).collect()
}

fn svg_of<'a>(out: &'a [RenderedChart], name: &str) -> &'a str {
    let c = out.iter().find(|c| c.name == name).expect(name);
    std::str::from_utf8(&c.bytes).expect("SVG is UTF-8")
}

/// SVG text as plotters escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[test]
fn files_come_in_the_documented_order() {
    let out = render_sweep(&dki()).unwrap();
    assert_eq!(
        names(&out),
        [
            "tornado.png",
            "tornado.svg",
            "response_1.png",
            "response_1.svg",
            "response_2.png",
            "response_2.svg",
            "sobol.png",
            "sobol.svg",
        ]
    );
}

#[test]
fn absent_parts_give_no_files() {
    let mut input = dki();
    input.responses.clear();
    assert_eq!(
        names(&render_sweep(&input).unwrap()),
        ["tornado.png", "tornado.svg", "sobol.png", "sobol.svg"]
    );
    input.tornado = None;
    input.sobol = None;
    assert!(render_sweep(&input).unwrap().is_empty());
    input.responses = vec![share_response(None)];
    assert_eq!(
        names(&render_sweep(&input).unwrap()),
        ["response_1.png", "response_1.svg"]
    );
}

#[test]
fn same_input_same_bytes() {
    let a = render_sweep(&dki()).unwrap();
    let b = render_sweep(&dki()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn every_chart_is_a_full_size_drawing_with_its_texts() {
    let input = dki();
    let out = render_sweep(&input).unwrap();
    for c in out.iter().filter(|c| c.name.ends_with(".png")) {
        let img = image::load_from_memory_with_format(&c.bytes, image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{}: {e}", c.name))
            .to_rgb8();
        assert_eq!(img.dimensions(), (1600, 900), "{}", c.name);
        let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
        // Text, axes and bars: well over 3% of the canvas, far from all of it.
        assert!(
            inked > 45_000 && inked < 1_000_000,
            "{}: {inked} inked pixels",
            c.name
        );
        let colours: std::collections::BTreeSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 20,
            "{}: only {} colours",
            c.name,
            colours.len()
        );
    }
    for c in out.iter().filter(|c| c.name.ends_with(".svg")) {
        let svg = svg_of(&out, &c.name);
        assert!(svg.starts_with("<svg"), "{}", c.name);
        assert!(svg.contains(r#"width="1600""#) && svg.contains(r#"height="900""#));
        assert!(svg.contains(&esc(TITLE)), "{}: no title", c.name);
        assert!(
            svg.contains("wfhsim 0.1.0, seed 42"),
            "{}: no source note",
            c.name
        );
        // The dataset's note after the catalogue's word for "source", once.
        assert!(
            svg.contains("full scale · Source: BPS Sakernas 2022"),
            "{}: no dataset source",
            c.name
        );
    }
    let tornado = svg_of(&out, "tornado.svg");
    for text in [
        en(SUBTITLE),
        en(LEGEND_LOW),
        en(LEGEND_HIGH),
        "central values: 12,000".into(),
    ] {
        assert!(tornado.contains(&text), "tornado: no `{text}`");
    }
    assert!(tornado.contains("Commuter trips avoided per policy working day (trips/day)"));
    let sobol = svg_of(&out, "sobol.svg");
    assert!(sobol.contains("N = 4,096"), "sobol: no sample size");
    assert!(sobol.contains(&esc("S1: share of the outcome's variance explained")));
}

#[test]
fn tornado_rows_go_by_swing_largest_first() {
    let input = dki();
    let chart = tornado::prepare(&input, input.tornado.as_ref().unwrap());
    let order: Vec<&str> = chart.rows.iter().map(|r| r.factor.as_str()).collect();
    assert_eq!(
        order,
        [
            "Compliance (DKI policy)",                                         // 9,000
            "DKI eligible pool (ASN staff)",                                   // 6,300
            "Share of avoided commutes replaced by other car trips (rebound)", // 3,300
            "Assignment of WFH days",                                          // 1,100
            "Car and motorcycle occupancy",                                    // 500
            "Private teleworkable share",                                      // 0
        ]
    );
}

#[test]
fn tornado_ties_keep_input_order_and_missing_values_go_last() {
    let mut input = dki();
    input.tornado = Some(Tornado {
        base_value: 10.0,
        base_label: "central values".into(),
        bars: vec![
            bar("a", "0", "1", f64::NAN, 12.0),
            bar("b", "0", "1", 9.0, 11.0),
            bar("c", "0", "1", 11.0, 9.0),
            bar("d", "0", "1", 5.0, 15.0),
        ],
    });
    let chart = tornado::prepare(&input, input.tornado.as_ref().unwrap());
    let order: Vec<&str> = chart.rows.iter().map(|r| r.factor.as_str()).collect();
    assert_eq!(order, ["d", "b", "c", "a"]);
    // And it still draws.
    assert_eq!(render_sweep(&input).unwrap().len(), 8);
}

#[test]
fn tornado_labels_name_the_setting_and_the_outcome() {
    let input = dki();
    let chart = tornado::prepare(&input, input.tornado.as_ref().unwrap());
    let by = |f: &str| {
        let r = chart.rows.iter().find(|r| r.factor == f).unwrap();
        chart.labels(r)
    };
    assert_eq!(
        by("Compliance (DKI policy)"),
        Labels::Apart("0.30: 7,000".into(), "0.90: 16,000".into())
    );
    // Both settings at or above the base: stacked right of the longer bar.
    assert_eq!(
        by("DKI eligible pool (ASN staff)"),
        Labels::Stacked {
            left: false,
            low: "15,335: 12,000".into(),
            high: "23,343: 18,300".into()
        }
    );
    assert_eq!(
        by("Private teleworkable share"),
        Labels::NoChange("no change: 0.20 and 0.60 both 12,000".into())
    );
    let svg = render_sweep(&input).unwrap();
    let svg = svg_of(&svg, "tornado.svg");
    for text in [
        "0.30: 7,000",
        "0.90: 16,000",
        "random: 11,400",
        "rotation: 12,500",
    ] {
        assert!(svg.contains(text), "tornado: no `{text}`");
    }
}

#[test]
fn tornado_in_percent_units_prints_percent_signs() {
    let mut input = dki();
    input.outcome_unit = "% of DKI's counted vehicles".into();
    input.tornado = Some(Tornado {
        base_value: 0.42,
        base_label: "central values".into(),
        bars: vec![bar("Compliance (DKI policy)", "0.30", "0.90", 0.25, 0.575)],
    });
    let chart = tornado::prepare(&input, input.tornado.as_ref().unwrap());
    assert_eq!(
        chart.labels(&chart.rows[0]),
        Labels::Apart("0.30: 0.25%".into(), "0.90: 0.575%".into())
    );
    let out = render_sweep(&input).unwrap();
    let svg = svg_of(&out, "tornado.svg");
    assert!(svg.contains("central values: 0.42%"));
    assert!(svg.contains(&esc("(% of DKI's counted vehicles)")));
}

#[test]
fn a_reached_target_is_marked_and_said() {
    let out = render_sweep(&dki()).unwrap();
    let svg = svg_of(&out, "response_1.svg");
    for text in [
        "target: 16,000 trips/day",
        "Target 16,000 trips/day — median reaches target at x = 0.475; 90% of replicates reach it at x = 0.56.",
        "median: 0.475",
        "90% of replicates: 0.56",
        "WFH share of teleworkable staff",
        "Commuter trips avoided per policy working day (trips/day)",
    ] {
        assert!(svg.contains(text), "response_1: no `{text}`");
    }
    assert!(!svg.contains(NOT_REACHED));
}

#[test]
fn a_target_not_reached_says_so() {
    let out = render_sweep(&dki()).unwrap();
    let svg = svg_of(&out, "response_2.svg");
    assert!(svg.contains(&format!("target: 40,000 trips/day — median {NOT_REACHED}")));
    assert!(svg.contains(&format!("median: {NOT_REACHED}")));
    assert!(svg.contains(&format!("90% of replicates: {NOT_REACHED}")));
    assert!(!svg.contains("reaches target at"));
    // Half reached: only the missing one says so.
    let half = Target {
        value: 1.0,
        x_median: Some(0.5),
        x_p90: None,
    };
    let (m, p) = response::target_sentences(&half, Lang::En, Lang::En);
    assert_eq!(m, "median reaches target at x = 0.5");
    assert_eq!(p, format!("90% of replicates: {NOT_REACHED}"));
    let (m, p) = response::target_sentences(&half, Lang::Id, Lang::Id);
    assert_eq!(m, "median mencapai target pada x = 0,5");
    assert_eq!(p, "90% ulangan: tidak tercapai dalam rentang");
}

#[test]
fn no_target_no_target_marks() {
    let mut input = dki();
    input.responses = vec![share_response(None)];
    let out = render_sweep(&input).unwrap();
    let svg = svg_of(&out, "response_1.svg");
    assert!(!svg.contains("target"));
    assert!(svg.contains(&en(LEGEND_MEDIAN)) && svg.contains(&en(LEGEND_BAND)));
}

#[test]
fn response_points_are_sorted_and_non_finite_ones_dropped() {
    let mut input = dki();
    let r = Response {
        factor: "f".into(),
        x: vec![0.9, 0.1, 0.5, 0.7],
        p05: vec![8.0, 0.0, 4.0, f64::NAN],
        p50: vec![9.0, 1.0, 5.0, 7.0],
        p95: vec![10.0, 2.0, 6.0, 8.0],
        target: None,
    };
    let chart = response::prepare(&input, &r, "response_1").unwrap();
    let xs: Vec<f64> = chart.points.iter().map(|p| p.0).collect();
    assert_eq!(xs, [0.1, 0.5, 0.9]);
    input.responses = vec![r];
    assert_eq!(render_sweep(&input).unwrap().len(), 6);
}

#[test]
fn a_response_with_mismatched_lengths_is_an_error_naming_the_chart() {
    let mut input = dki();
    input.responses[1].p95.pop();
    match render_sweep(&input) {
        Err(PlotError::Draw { chart, message }) => {
            assert_eq!(chart, "response_2");
            assert!(message.contains("p95 has 8"), "{message}");
        }
        other => panic!("expected a Draw error, got {other:?}"),
    }
}

#[test]
fn sobol_factors_go_by_total_index_and_the_axis_reaches_one() {
    let input = dki();
    let chart = sobol::prepare(&input, input.sobol.as_ref().unwrap());
    let sts: Vec<f64> = chart.factors.iter().map(|f| f.st).collect();
    assert_eq!(sts, [0.55, 0.27, 0.18, 0.06, 0.02]);
    // The first factor's interval dips below zero (0.01 − 0.015).
    let (lo, hi) = chart.y_range();
    assert!(lo < -0.005 && lo > -0.04, "{lo}");
    assert_eq!(hi, 1.0);
    assert_eq!(
        chart.note,
        "S1: share of the outcome's variance explained by the factor alone; ST: including \
         its interactions; whiskers show 95% bootstrap intervals; N = 4,096; the factors \
         explain 62% of one replicate's variance, the rest the other inputs and their \
         interactions"
    );
    // Without the split (one replicate) the note stops at the sample size.
    let mut one = input.sobol.clone().unwrap();
    one.factors_share = None;
    assert!(sobol::prepare(&input, &one).note.ends_with("N = 4,096"));
    let mut s = input.sobol.clone().unwrap();
    s.factors[0].st_hi = 1.2;
    assert_eq!(sobol::prepare(&input, &s).y_range().1, 1.2);
}

#[test]
fn numbers_read_well() {
    use Lang::{En, Id};
    assert_eq!(value_text(12_000.0, En), "12,000");
    assert_eq!(value_text(1_234_567.4, En), "1,234,567");
    assert_eq!(value_text(0.4868, En), "0.487");
    assert_eq!(value_text(0.0312, En), "0.0312");
    assert_eq!(value_text(1.5, En), "1.5");
    assert_eq!(value_text(42.37, En), "42.4");
    assert_eq!(value_text(-3.0, En), "−3");
    assert_eq!(value_text(0.0, En), "0");
    assert_eq!(value_text(f64::NAN, En), "–");
    assert_eq!(with_unit(16_000.0, "trips/day", En), "16,000 trips/day");
    assert_eq!(
        with_unit(1.0, "% of commuter trips", En),
        "1% of commuter trips"
    );
    assert_eq!(with_unit(0.5, "", En), "0.5");
    assert_eq!(short_value(0.25, "%", En), "0.25%");
    assert_eq!(tick_text(0.25, 0.05, En), "0.25");
    assert_eq!(tick_text(0.4, 0.2, En), "0.4");
    assert_eq!(tick_text(12_500.0, 2_500.0, En), "12,500");
    assert_eq!(tick_text(-0.5, 0.25, En), "−0.50");
    // Indonesian marks: a point groups thousands, a comma starts the decimals.
    assert_eq!(value_text(12_000.0, Id), "12.000");
    assert_eq!(value_text(0.4868, Id), "0,487");
    assert_eq!(value_text(-42.37, Id), "−42,4");
    assert_eq!(short_value(0.25, "%", Id), "0,25%");
    assert_eq!(tick_text(12_500.0, 2_500.0, Id), "12.500");
    assert_eq!(tick_text(-0.5, 0.25, Id), "−0,50");
    assert_eq!(
        axis_title("Trips avoided", "trips/day"),
        "Trips avoided (trips/day)"
    );
    assert_eq!(
        axis_title("Trips avoided (trips/day)", "trips/day"),
        "Trips avoided (trips/day)"
    );
}

/// Every word of every chart comes from the catalogue in each language: no missing
/// label, the Indonesian words where Indonesian is asked for, both with `both`.
#[test]
fn every_chart_speaks_each_language_from_the_catalogue() {
    let l = Catalogue::builtin();
    let mut id_input = dki();
    id_input.langs = Langs::Id;
    let mut both = dki();
    both.langs = Langs::Both;
    for (input, lang) in [(&dki(), Lang::En), (&id_input, Lang::Id), (&both, Lang::Id)] {
        let out = render_sweep(input).unwrap();
        for c in out.iter().filter(|c| c.name.ends_with(".svg")) {
            let svg = svg_of(&out, &c.name);
            assert!(!svg.contains(MISSING_MARK), "{}: a missing label", c.name);
            let source = esc(&l.joined("common.source", input.langs, "/"));
            assert!(svg.contains(&format!("{source}: BPS")), "{}", c.name);
        }
        let tornado = svg_of(&out, "tornado.svg");
        assert!(tornado.contains(&esc(&l.get(LEGEND_LOW, lang))), "{lang:?}");
        let sobol = svg_of(&out, "sobol.svg");
        assert!(
            sobol.contains(&esc(&l.get("sweep.sobol.axis", lang))),
            "{lang:?}"
        );
        let n = if lang == Lang::Id {
            "N = 4.096"
        } else {
            "N = 4,096"
        };
        assert!(sobol.contains(n), "{lang:?}: {n}");
    }
    let out = render_sweep(&id_input).unwrap();
    let r1 = svg_of(&out, "response_1.svg");
    assert!(
        r1.contains("target: 16.000 trips/day"),
        "Indonesian numbers"
    );
    assert!(r1.contains("median: 0,475"), "Indonesian decimals");
    // With both, a sentence is said in Indonesian then English.
    let out = render_sweep(&both).unwrap();
    let tornado = svg_of(&out, "tornado.svg");
    // (The subtitle wraps: its first words in each language.)
    assert!(tornado.contains("Rentang median hasil"));
    assert!(tornado.contains("Swing of the median outcome"));
    assert!(tornado.contains("Sumber/Source: BPS"));
}

#[test]
fn long_labels_are_wrapped_within_width_and_lines() {
    super::super::register_fonts();
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (1600, 900)).into_drawing_area();
    let long =
        "Share of avoided commutes replaced by other car trips made for errands, school runs and \
                 leisure on the WFH day (rebound)"
            .to_string();
    let (px, lines) = fit_labels(&root, &[long, "Compliance".into()], 300, 70.0);
    let font = style::font(px);
    assert!(lines[0].len() <= 3 && lines[0].len() >= 2, "{lines:?}");
    assert!(lines[0].last().unwrap().ends_with('…'), "{lines:?}");
    assert!(lines[0].iter().all(|l| text_width(&root, l, &font) <= 300));
    assert_eq!(lines[1], ["Compliance"]);
}

/// Twelve factors with long names, and a falling response: the layout's worst case.
fn crowded() -> SweepCharts {
    let mut input = dki();
    let long = |i: usize| {
        format!(
            "Factor {i}: share of commuters whose employer allows a flexible start time on \
             days when the order applies"
        )
    };
    let mut t = dki_tornado();
    let mut s = dki_sobol();
    for i in 0..6 {
        let k = i as f64;
        t.bars.push(bar(
            &long(i),
            "low",
            "high",
            12_000.0 - 300.0 * k,
            12_000.0 + 250.0 * k,
        ));
        let mut f = s.factors[i % 5].clone();
        f.factor = long(i);
        for v in [
            &mut f.s1,
            &mut f.s1_lo,
            &mut f.s1_hi,
            &mut f.st,
            &mut f.st_lo,
            &mut f.st_hi,
        ] {
            *v *= 0.3;
        }
        s.factors.push(f);
    }
    input.tornado = Some(t);
    input.sobol = Some(s);
    let mut r = share_response(Some(Target {
        value: 5_000.0,
        x_median: Some(0.68),
        x_p90: Some(0.71),
    }));
    r.factor = "Car and motorcycle occupancy (persons per vehicle)".into();
    for v in [&mut r.p05, &mut r.p50, &mut r.p95] {
        v.reverse();
        v.iter_mut().for_each(|y| *y -= 8_000.0);
    }
    input.responses = vec![r];
    input
}

#[test]
fn the_crowded_design_renders() {
    let out = render_sweep(&crowded()).unwrap();
    assert_eq!(out.len(), 6);
}
