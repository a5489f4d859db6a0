//! How an evaluation's numbers are written for a reader, in one language: the effect
//! with its interval (`−52.4% (−55.1 to −49.8)`), a window's dates, what the series
//! measures and why a run cannot be compared. The chart, the page and the workbook all
//! write them through here.

use super::{EffectRow, Simulated};
use crate::labels::{Labels, Lang, format};
use wfhsim_core::calendar::Date;
use wfhsim_core::evaluate::design::{Dropped, Why};

/// A percentage with one decimal: `−52.4%` / `−52,4%`.
pub(crate) fn pct(x: f64, lang: Lang) -> String {
    format::pct(x, 1, lang)
}

/// The effect in % with its 95% interval when it has one: `−52.4% (−55.1 to −49.8)`.
pub(crate) fn effect_ci(r: &EffectRow, lang: Lang) -> String {
    let effect = pct(r.effect_pct, lang);
    match (r.effect_pct_lo, r.effect_pct_hi) {
        (Some(lo), Some(hi)) => Labels::builtin().fill(
            "evaluation.effect_ci",
            lang,
            &[
                ("effect", effect),
                ("lo", format::number(lo, 1, lang)),
                ("hi", format::number(hi, 1, lang)),
            ],
        ),
        _ => effect,
    }
}

/// A window's dates: `10 Apr–4 Jun 2020`; a text that is not a date is shown as it is.
pub(crate) fn span(from: &str, to: &str, lang: Lang) -> String {
    match (Date::parse(from), Date::parse(to)) {
        (Some(a), Some(b)) => crate::plot::day_span_year(a.0, b.0, lang),
        _ => format!("{from}–{to}"),
    }
}

/// What the series measures (`quantity`), for an axis or a sentence.
pub(crate) fn quantity(quantity: &str, lang: Lang) -> String {
    let key = format!("evaluation.quantity.{quantity}");
    let key = if Labels::builtin().has(&key) {
        key
    } else {
        "evaluation.quantity.other".into()
    };
    Labels::builtin().get(&key, lang)
}

/// Why the run cannot be compared: the catalogue's sentence for its `reason_key`, else
/// the reason as the command gave it (English), else the key itself.
pub(crate) fn reason(sim: &Simulated, lang: Lang) -> String {
    let labels = Labels::builtin();
    let known = sim
        .reason_key
        .as_ref()
        .map(|k| format!("evaluation.reason.{k}"))
        .filter(|k| labels.has(k));
    match (known, &sim.reason, &sim.reason_key) {
        (Some(k), ..) => labels.get(&k, lang),
        (None, Some(r), _) => r.clone(),
        (None, None, Some(k)) => k.clone(),
        (None, None, None) => String::new(),
    }
}

/// A method's name (`its`, `did`, `synth`), or the code itself when unknown.
pub(crate) fn method(code: &str, lang: Lang) -> String {
    let key = format!("evaluation.method.{code}");
    if Labels::builtin().has(&key) {
        Labels::builtin().get(&key, lang)
    } else {
        code.to_string()
    }
}

/// A percentage that may be far below 1% (a simulated change of −0.032%): one decimal
/// from 1% up, two significant digits below, so it never reads as 0.0%.
pub(crate) fn small_pct(x: f64, lang: Lang) -> String {
    if x.abs() >= 1.0 {
        pct(x, lang)
    } else {
        format!("{}%", format::sig(x, 2, lang))
    }
}

/// A term of the model in the reader's language: the catalogue's `evaluation.term.*`
/// (the annual harmonics are "the season"), else its name.
pub(crate) fn term(name: &str, lang: Lang) -> String {
    let base = if name.starts_with("sin_annual_") || name.starts_with("cos_annual_") {
        "season"
    } else {
        name
    };
    let key = format!("evaluation.term.{base}");
    if Labels::builtin().has(&key) {
        Labels::builtin().get(&key, lang)
    } else {
        name.to_string()
    }
}

/// Why a term was left out, in the reader's language.
pub(crate) fn dropped_why(d: &Dropped, lang: Lang) -> String {
    let why = match d.why {
        Why::EveryDay => "every_day",
        Why::NoDay => "no_day",
        Why::NoVariation => "no_variation",
        Why::Combination => "combination",
    };
    let labels = Labels::builtin();
    let mut text = labels.get(&format!("evaluation.why.{why}"), lang);
    if d.absorbed {
        text.push_str(&labels.get("evaluation.why.absorbed", lang));
    }
    text
}

/// A p-value as a reader takes it: two significant digits, and "< 0.001" below that (a
/// p-value of 10⁻²⁰ says no more than one of 10⁻⁴).
pub fn p_value(p: f64, l: Lang) -> String {
    if p.is_finite() && p < 0.001 {
        format!("< {}", format::number(0.001, 3, l))
    } else {
        format::sig(p, 2, l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::sample;

    #[test]
    fn effects_are_written_with_their_interval_in_each_language() {
        let ev = sample::mobility();
        let r = &ev.effects[2];
        assert_eq!(effect_ci(r, Lang::En), "−52.4% (−55.1 to −49.7)");
        assert_eq!(effect_ci(r, Lang::Id), "−52,4% (−55,1 hingga −49,7)");
        let mut synth = r.clone();
        synth.effect_pct_lo = None;
        assert_eq!(effect_ci(&synth, Lang::En), "−52.4%");
        assert_eq!(
            span(&r.window_from, &r.window_to, Lang::En),
            "10 Apr–4 Jun 2020"
        );
        assert_eq!(
            span(&r.window_from, &r.window_to, Lang::Id),
            "10 Apr–4 Jun 2020"
        );
    }

    #[test]
    fn a_known_reason_is_translated_and_an_unknown_one_shown_as_given() {
        let ev = sample::mobility_not_comparable();
        let mut sim = ev.manifest.simulated.unwrap();
        assert_eq!(
            reason(&sim, Lang::Id),
            "simulasi mengukur besaran lain daripada deret ini"
        );
        sim.reason_key = Some("something_new".into());
        assert_eq!(
            reason(&sim, Lang::Id),
            "the run counts vehicles; the series is a mobility index"
        );
    }

    #[test]
    fn every_term_the_model_can_leave_out_reads_in_both_languages() {
        use wfhsim_core::evaluate::design::{Dropped, Why};
        // The regressors of evaluate::design that can be dropped (the intercept never is).
        let terms = [
            "trend_per_year",
            "sin_annual_1",
            "cos_annual_2",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "holiday",
            "cuti_bersama",
            "school_holiday",
            "ramadan",
            "lebaran",
        ];
        for t in terms {
            for lang in [Lang::Id, Lang::En] {
                assert_ne!(term(t, lang), t, "{t} in {lang:?}");
            }
        }
        assert_eq!(term("sunday", Lang::Id), "hari Minggu");
        let d = Dropped {
            term: "ramadan".into(),
            why: Why::NoDay,
            absorbed: true,
            text: String::new(),
        };
        assert_eq!(
            dropped_why(&d, Lang::Id),
            "tidak ada hari teramati sebelum kebijakan yang termasuk di dalamnya; taksiran masa kebijakan ikut memuat efeknya"
        );
        for why in [
            Why::EveryDay,
            Why::NoDay,
            Why::NoVariation,
            Why::Combination,
        ] {
            let d = Dropped {
                why,
                absorbed: false,
                ..d.clone()
            };
            assert_ne!(dropped_why(&d, Lang::Id), dropped_why(&d, Lang::En));
        }
    }

    #[test]
    fn a_small_simulated_change_never_reads_as_zero() {
        assert_eq!(small_pct(-0.032, Lang::En), "−0.032%");
        assert_eq!(small_pct(-0.032, Lang::Id), "−0,032%");
        assert_eq!(small_pct(-1.34, Lang::En), "−1.3%");
    }
}
