//! How an evaluation's numbers are written for a reader, in one language: the effect
//! with its interval (`−52.4% (−55.1 to −49.8)`), a window's dates, what the series
//! measures and why a run cannot be compared. The chart, the page and the workbook all
//! write them through here.

use super::{EffectRow, Simulated};
use crate::labels::{Labels, Lang, format};
use wfhsim_core::calendar::Date;

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
}
