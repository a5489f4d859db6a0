//! The evaluation chart: drawn for one and three windows, with and without a simulated
//! band, titled in each language.

use super::super::render_evaluation;
use crate::evaluation::sample;
use crate::labels::Langs;

fn svg_text(files: &[super::super::RenderedChart], name: &str) -> String {
    let f = files.iter().find(|f| f.name == name).unwrap();
    String::from_utf8(f.bytes.clone()).unwrap()
}

#[test]
fn one_chart_per_site_as_png_and_svg() {
    for (ev, stem) in [
        (sample::mobility(), "evaluation-workplaces"),
        (sample::pm25(), "evaluation-jakarta-central"),
        (sample::counts_with_run(), "evaluation-jl-jend-sudirman"),
        (sample::mobility_not_comparable(), "evaluation-workplaces"),
    ] {
        let files = render_evaluation(&ev, Langs::Both).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [format!("{stem}.png"), format!("{stem}.svg")]);
        let png = &files[0].bytes;
        assert!(png.len() > 10_000 && png.starts_with(b"\x89PNG"), "{stem}");
    }
}

#[test]
fn the_title_is_translated() {
    for (langs, title) in [
        (Langs::Id, "Teramati dan kontrafaktual: workplaces"),
        (Langs::En, "Observed and counterfactual: workplaces"),
    ] {
        let files = render_evaluation(&sample::mobility(), langs).unwrap();
        let svg = svg_text(&files, "evaluation-workplaces.svg");
        assert!(svg.contains(title), "{langs:?}");
        assert!(!svg.contains(crate::labels::MISSING_MARK), "{langs:?}");
    }
}

#[test]
fn the_chart_writes_each_window_s_effect_and_the_comparison() {
    let files = render_evaluation(&sample::mobility(), Langs::En).unwrap();
    let svg = svg_text(&files, "evaluation-workplaces.svg");
    for effect in [
        "−17.6% (−21.7 to −13.5)",
        "−45.9% (−48.9 to −42.9)",
        "−52.4% (−55.1 to −49.7)",
        "3 · 10 Apr–4 Jun 2020",
        "No run to compare with (--run)",
    ] {
        assert!(svg.contains(effect), "{effect}");
    }
    let files = render_evaluation(&sample::counts_with_run(), Langs::En).unwrap();
    let svg = svg_text(&files, "evaluation-jl-jend-sudirman.svg");
    assert!(
        svg.contains("Simulated by &apos;study&apos; (5–95%, median)")
            || svg.contains("Simulated by 'study' (5–95%, median)")
    );
    assert!(svg.contains("Too small for the series to show (±4.2%)"));
    let files = render_evaluation(&sample::mobility_not_comparable(), Langs::Id).unwrap();
    let svg = svg_text(&files, "evaluation-workplaces.svg");
    assert!(svg.contains("Tidak dibandingkan dengan simulasi"));
}

#[test]
fn sites_with_the_same_slug_get_their_own_files() {
    let stems = crate::evaluation::chart_stem(&["A b".into(), "a-B".into(), "<script>".into()]);
    assert_eq!(
        stems,
        ["evaluation-a-b", "evaluation-a-b-2", "evaluation-script"]
    );
}
