//! An evaluation folder's own `briefing.html`: the evaluation section
//! ([`super::evaluation`]) on a page of its own (`assets/evaluation.html.j2`), in the run
//! briefing's look: its style sheet is taken from the shipped briefing template, so the
//! two pages share one definition of it. Every value is escaped; the charts are inline
//! SVG; nothing is fetched.

use serde::Serialize;

use super::text::{Text, Tr};
use super::{BUILTIN_TEMPLATE, BriefingTemplate, evaluation};
use crate::evaluation::Evaluation;
use crate::export::{ExportError, ExportFile};
use crate::labels::{Labels, Langs};

const TEMPLATE: &str = include_str!("../../../../../assets/evaluation.html.j2");
const ORIGIN: &str = "assets/evaluation.html.j2";

#[derive(Serialize)]
struct Context<'a> {
    lang: &'static str,
    langs: &'static str,
    title: Text,
    kicker: Text,
    /// Section headings.
    l: std::collections::BTreeMap<&'a str, Text>,
    /// The briefing's style sheet.
    css: minijinja::Value,
    wfhsim_version: &'a str,
    e: evaluation::EvaluationSection,
}

/// The run briefing's style sheet: the text between its `<style>` tags.
fn css() -> &'static str {
    let start = BUILTIN_TEMPLATE
        .find("<style>")
        .map_or(0, |i| i + "<style>".len());
    let end = BUILTIN_TEMPLATE[start..]
        .find("</style>")
        .map_or(start, |i| start + i);
    &BUILTIN_TEMPLATE[start..end]
}

/// The page of an evaluation, with its charts' SVG files among `charts`.
pub fn evaluation_page(
    ev: &Evaluation,
    langs: Langs,
    charts: &[ExportFile],
) -> Result<String, ExportError> {
    let labels = Labels::builtin();
    let tr = Tr { labels, langs };
    let svgs: Vec<ExportFile> = charts
        .iter()
        .filter(|f| super::is_svg(f))
        .cloned()
        .collect();
    let ctx = Context {
        lang: langs.first().code(),
        langs: langs.code(),
        title: tr.t("evaluation.page.title"),
        kicker: tr.t("evaluation.page.kicker"),
        l: labels
            .keys()
            .filter(|k| k.starts_with("evaluation.section."))
            .map(|k| (k, tr.t(k)))
            .collect(),
        css: minijinja::Value::from_safe_string(css().to_string()),
        wfhsim_version: &ev.manifest.wfhsim_version,
        e: evaluation::section(tr, ev, &svgs),
    };
    BriefingTemplate {
        origin: ORIGIN.to_string(),
        text: TEMPLATE.to_string(),
    }
    .render(&ctx)
}
