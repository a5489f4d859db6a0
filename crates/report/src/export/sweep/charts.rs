//! A sweep's charts: the typed results of each base scenario, for the design's first
//! outcome, turned into the plot layer's [`SweepCharts`] with every word from the label
//! catalogue (`[sweep.*]`) in the chart's languages, and drawn under
//! `charts/<scenario>/`. The design's title, its factors' labels and their settings are
//! the design file's own words; settings are written with the first language's decimal
//! mark.

use super::SweepNote;
use crate::export::{CHARTS_DIR, ExportError, ExportFile};
use crate::labels::{Labels, Lang, Langs, format};
use crate::plot::{self, SweepCharts};
use wfhsim_core::sweep::{Curve, Design, SweepResults};

/// The outcome the charts show.
const OUTCOME: usize = 0;

/// The charts of every base scenario, under `charts/<scenario>/`.
pub(super) fn charts(
    r: &SweepResults,
    note: &SweepNote,
    langs: Langs,
) -> Result<Vec<ExportFile>, ExportError> {
    let d = &r.design;
    let lang = langs.first();
    let labels = Labels::builtin();
    let outcome = d.outcomes[OUTCOME].name;
    let mut files = Vec::new();
    for (s, sc) in d.scenarios.iter().enumerate() {
        let s = s as u32;
        let input = SweepCharts {
            langs,
            title: format!("{} — {}", d.title, sc.name),
            // One line under an axis: the first language.
            outcome_label: labels.get(&format!("sweep.outcome.{outcome}"), lang),
            outcome_unit: labels.get(&format!("sweep.unit.{outcome}"), lang),
            run_note: run_note(d, note, lang),
            source_note: note.source_note.clone(),
            tornado: tornado(r, s, lang),
            responses: r
                .curves(s, OUTCOME)
                .iter()
                .filter(|c| c.x.len() >= 2)
                .map(|c| response(r, c, lang))
                .collect(),
            sobol: sobol(r, s),
        };
        for c in plot::render_sweep(&input)? {
            files.push(ExportFile {
                path: format!("{CHARTS_DIR}/{}/{}", sc.name, c.name),
                bytes: c.bytes,
            });
        }
    }
    Ok(files)
}

/// "wfhsim 0.1.0 · desain x (oat) · seed 42, 10 ulangan per titik, skala 0,05, …" in
/// `lang`.
fn run_note(d: &Design, n: &SweepNote, lang: Lang) -> String {
    Labels::builtin().fill(
        "sweep.note",
        lang,
        &[
            ("version", n.version.clone()),
            ("design", d.name.clone()),
            (
                "method",
                d.method.map_or("target", |m| m.as_str()).to_string(),
            ),
            ("seed", n.seed.to_string()),
            ("replicates", format::int(n.replicates as f64, lang)),
            ("scale", format::shortest(n.scale, lang)),
            ("uncertainty", n.uncertainty.clone()),
        ],
    )
}

fn tornado(r: &SweepResults, s: u32, lang: Lang) -> Option<plot::Tornado> {
    let t = r.tornado(s, OUTCOME)?;
    let d = &r.design;
    Some(plot::Tornado {
        base_value: t.base,
        base_label: Labels::builtin().get("sweep.central", lang),
        bars: t
            .bars
            .iter()
            .map(|b| {
                let f = &d.factors[b.factor];
                let (lo, hi) = f.low_high();
                plot::TornadoBar {
                    factor: f.label.clone(),
                    low_level: setting_text(&lo, lang),
                    high_level: setting_text(&hi, lang),
                    outcome_at_low: b.low,
                    outcome_at_high: b.high,
                }
            })
            .collect(),
    })
}

fn response(r: &SweepResults, c: &Curve, lang: Lang) -> plot::Response {
    let d = &r.design;
    let target = r
        .target_search()
        .filter(|(spec, ..)| spec.factor == c.factor)
        .map(|(spec, _, found)| plot::Target {
            value: spec.value,
            x_median: found.answer(&found.median),
            x_p90: found.answer(&found.probable),
        });
    plot::Response {
        factor: response_label(d, &r.held, c.factor, lang),
        x: c.x.clone(),
        p05: c.bands.iter().map(|b| b[0]).collect(),
        p50: c.bands.iter().map(|b| b[1]).collect(),
        p95: c.bands.iter().map(|b| b[2]).collect(),
        target,
    }
}

fn sobol(r: &SweepResults, s: u32) -> Option<plot::Sobol> {
    let ix = r.sobol_of(s, OUTCOME)?;
    let d = &r.design;
    Some(plot::Sobol {
        samples: d.samples,
        factors_share: ix.variance.map(|v| v.factors),
        factors: d
            .factors
            .iter()
            .zip(&ix.indices)
            .map(|(f, i)| plot::SobolFactor {
                factor: f.label.clone(),
                s1: i.s1,
                s1_lo: i.s1_lo,
                s1_hi: i.s1_hi,
                st: i.st,
                st_lo: i.st_lo,
                st_hi: i.st_hi,
            })
            .collect(),
    })
}

/// A response's x-axis label: the factor, and what the other factors do meanwhile (held
/// at a level, or varying), in `lang`.
fn response_label(d: &Design, held: &[Option<toml::Value>], i: usize, lang: Lang) -> String {
    let label = d.factors[i].label.clone();
    if d.factors.len() == 1 {
        return label;
    }
    let l = Labels::builtin();
    let others: Vec<String> = d
        .factors
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(j, f)| match held.get(j).and_then(Option::as_ref) {
            Some(v) => format!("{} = {}", f.label, setting_text(v, lang)),
            None => l.fill("sweep.varies", lang, &[("label", f.label.clone())]),
        })
        .collect();
    l.fill(
        "sweep.others",
        lang,
        &[("label", label), ("others", others.join("; "))],
    )
}

/// A setting on a chart: as the tables write it ([`super::level_text`]), with the
/// language's decimal mark for a number.
fn setting_text(v: &toml::Value, lang: Lang) -> String {
    let text = super::level_text(v);
    match (v, lang) {
        (toml::Value::Float(_), Lang::Id) => text.replace('.', ","),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_take_the_language_decimal_mark() {
        let v = toml::Value::Float(0.85);
        assert_eq!(setting_text(&v, Lang::Id), "0,85");
        assert_eq!(setting_text(&v, Lang::En), "0.85");
        let w = toml::Value::String("rotation".into());
        assert_eq!(setting_text(&w, Lang::Id), "rotation");
    }

    #[test]
    fn every_outcome_has_its_label_and_unit_in_both_languages() {
        let l = Labels::builtin();
        for o in wfhsim_core::sweep::OUTCOMES {
            for key in [
                format!("sweep.outcome.{}", o.name),
                format!("sweep.unit.{}", o.name),
            ] {
                assert!(l.has(&key), "{key}");
            }
            // The English words are the core's own.
            assert_eq!(
                l.get(&format!("sweep.outcome.{}", o.name), Lang::En),
                o.label
            );
            assert_eq!(l.get(&format!("sweep.unit.{}", o.name), Lang::En), o.unit);
            // A percentage stays one in Indonesian.
            let id_unit = l.get(&format!("sweep.unit.{}", o.name), Lang::Id);
            assert_eq!(
                id_unit.starts_with('%'),
                o.unit.starts_with('%'),
                "{id_unit}"
            );
        }
    }
}
