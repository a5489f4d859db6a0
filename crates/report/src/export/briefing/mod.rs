//! `briefing.html`: one self-contained page a planner can hand on — headline sentences
//! with their ranges, each chart (inline SVG) followed by its table, the scenarios
//! compared, method and caveats, sources and assumptions, and how to reproduce the run.
//! No JavaScript, no network, A4 print styles. Written in Indonesian, English or both
//! (Indonesian first) from the label catalogue.
//!
//! The page is a `minijinja` template (`assets/briefing.html.j2`, compiled in); an agency
//! can restyle it with `--template FILE`, which receives the same context (documented in
//! docs/briefing.md). Same run ⇒ same bytes: nothing here reads a clock or a machine.

mod about;
mod calibration;
mod decomposition;
mod evaluation;
mod evaluation_page;
mod event;
mod headlines;
mod limits;
mod sensitivity;
mod summary;
mod tables;
mod text;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use wfhsim_core::files;

use super::{CHARTS_DIR, Charts, ExportError, ExportFile, Exporter, RunView};
use crate::labels::{Labels, Langs};
use text::{Text, Tr};

pub(crate) use evaluation::evaluation_lines;
pub use evaluation_page::evaluation_page;

/// File name of the briefing inside a run folder.
pub const BRIEFING_HTML: &str = "briefing.html";

/// The shipped template.
pub const BUILTIN_TEMPLATE: &str = include_str!("../../../../../assets/briefing.html.j2");
const BUILTIN_ORIGIN: &str = "assets/briefing.html.j2";

/// A briefing template and where it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefingTemplate {
    pub origin: String,
    pub text: String,
}

impl BriefingTemplate {
    pub fn builtin() -> BriefingTemplate {
        BriefingTemplate {
            origin: BUILTIN_ORIGIN.to_string(),
            text: BUILTIN_TEMPLATE.to_string(),
        }
    }

    /// Reads a template file and checks its syntax, so that a run with a broken template
    /// stops before simulating.
    pub fn read(path: &Path) -> Result<BriefingTemplate, ExportError> {
        let text =
            files::read_text(path, files::TEMPLATE_FILE).map_err(|e| ExportError::Template {
                message: format!("--template {}: {e}", path.display()),
            })?;
        let t = BriefingTemplate {
            origin: path.display().to_string(),
            text,
        };
        t.environment()?;
        Ok(t)
    }

    fn environment(&self) -> Result<minijinja::Environment<'_>, ExportError> {
        let mut env = minijinja::Environment::new();
        // Bounded work: a template that loops or grows text without end stops here.
        env.set_fuel(Some(limits::FUEL));
        // Escape every value as HTML whatever the file is called; charts are marked safe.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.add_template(&self.origin, &self.text)
            .map_err(|e| self.error(&e))?;
        Ok(env)
    }

    /// "FILE, line N: what is wrong".
    fn error(&self, e: &minijinja::Error) -> ExportError {
        let what = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        self.error_saying(e, what)
    }

    /// "FILE, line N: `what`".
    fn error_saying(&self, e: &minijinja::Error, what: String) -> ExportError {
        let message = match e.line() {
            Some(line) => format!("template {}, line {line}: {what}", self.origin),
            None => format!("template {}: {what}", self.origin),
        };
        ExportError::Template { message }
    }
}

/// The briefing exporter.
#[derive(Debug, Clone)]
pub struct Briefing {
    pub langs: Langs,
    pub template: BriefingTemplate,
    /// A sweep's results to show after the charts (`report --sweep`).
    pub sensitivity: Option<super::Sensitivity>,
    /// An evaluation of an observed series to show after them (`report --evaluation`).
    pub evaluation: Option<crate::evaluation::Evaluation>,
}

/// A chart and its table.
#[derive(Debug, Serialize)]
struct ChartSection {
    stem: String,
    title: Text,
    /// The chart's SVG, written into the page as it is.
    svg: minijinja::Value,
    table: Option<tables::Table>,
}

/// What the template receives (see docs/briefing.md).
#[derive(Debug, Serialize)]
struct Context<'a> {
    /// The page's language (`id` or `en`: the first shown).
    lang: &'static str,
    /// `id`, `en` or `both`.
    langs: &'static str,
    /// Every catalogue label in the languages shown: `l["briefing.title"].joined`.
    l: BTreeMap<&'a str, Text>,
    run_label: String,
    area_name: &'a str,
    headlines: headlines::Headlines,
    charts: Vec<ChartSection>,
    /// None unless a sweep's results were added.
    sensitivity: Option<sensitivity::SensitivitySection>,
    /// None unless an evaluation folder was added (`report --evaluation DIR`).
    evaluation: Option<evaluation::EvaluationSection>,
    /// Each bundle scenario's parts (chart, table, reading); empty without measures.
    decomposition: Vec<decomposition::DecompositionSection>,
    /// The baseline against observations before the 2023 orders; none for a run written
    /// before the report.
    calibration: Option<calibration::CalibrationSection>,
    scenarios: Vec<about::ScenarioSection>,
    method: Vec<Text>,
    sources: about::Sources,
    reproduce: &'a super::run_info::Reproduce,
    /// The run's warnings (run.json), shown above the headlines; empty for a sound run.
    warnings: &'a [String],
}

impl Briefing {
    /// The page for a run, with its charts' SVG files (`charts/<stem>.svg`).
    pub fn render(&self, run: &RunView, charts: &[ExportFile]) -> Result<String, ExportError> {
        let labels = Labels::builtin();
        let tr = Tr {
            labels,
            langs: self.langs,
        };
        let summary = summary::Summary::read(&run.summary);
        let detect = summary::detectability(&run.detectability);
        let lead = run.info.scenarios.iter().find(|s| s.window.is_some());
        let paired = lead.map_or_else(Default::default, |s| {
            summary::paired_trips(&run.comparisons, &s.name)
        });
        let event_days = summary::trips_on_days(&run.daily, &tables::first_event_days(&run.info));
        let inputs = tables::Inputs {
            tr,
            info: &run.info,
            summary: &summary,
            detect: &detect,
            event_days: &event_days,
        };
        let charts_svg = charts;
        let charts = charts
            .iter()
            .filter_map(|f| {
                let stem = f
                    .path
                    .strip_prefix(&format!("{CHARTS_DIR}/"))?
                    .strip_suffix(".svg")?;
                // A bundle's chart is in its own section, with its own table.
                if stem.starts_with(crate::plot::decomposition::STEM_PREFIX) {
                    return None;
                }
                let svg = String::from_utf8_lossy(&f.bytes).into_owned();
                Some(ChartSection {
                    stem: stem.to_string(),
                    title: tr.t(&format!("briefing.chart.{stem}")),
                    svg: minijinja::Value::from_safe_string(svg),
                    table: tables::table_for(stem, &inputs),
                })
            })
            .collect();
        let mut headlines = headlines::headlines(tr, &run.info, &summary, &detect, &paired);
        headlines.lead.extend(event::sentence(tr, run));
        let ctx = Context {
            lang: self.langs.first().code(),
            langs: self.langs.code(),
            l: labels.keys().map(|k| (k, tr.t(k))).collect(),
            run_label: super::charts::run_label_in(&run.info.label, self.langs),
            area_name: &run.info.area_name,
            headlines,
            charts,
            sensitivity: match &self.sensitivity {
                Some(s) => Some(sensitivity::section(tr, s)?),
                None => None,
            },
            evaluation: match &self.evaluation {
                Some(ev) => Some(evaluation_section(tr, ev)?),
                None => None,
            },
            decomposition: decomposition::sections(tr, run, charts_svg),
            calibration: calibration::section(tr, &run.calibration),
            scenarios: about::scenarios(tr, &run.info, &run.windows),
            method: about::method(tr),
            sources: about::sources(tr, &run.info),
            reproduce: about::reproduce(&run.info),
            warnings: &run.info.warnings,
        };
        self.template.render(&ctx)
    }
}

impl BriefingTemplate {
    /// The page for `ctx`, within the limits of work and size.
    fn render(&self, ctx: &impl Serialize) -> Result<String, ExportError> {
        let env = self.environment()?;
        let tmpl = env.get_template(&self.origin).map_err(|e| self.error(&e))?;
        // Written into a page that refuses to grow past its limit.
        let mut page = limits::Page::default();
        let rendered = tmpl.render_captured_to(minijinja::value::Serde(ctx), &mut page);
        if let Err(e) = rendered {
            return Err(match limits::explain(&e, &page) {
                Some(what) => self.error_saying(&e, what),
                None => self.error(&e),
            });
        }
        // The engine writes text only, so the page is UTF-8.
        String::from_utf8(page.bytes).map_err(|e| ExportError::Template {
            message: format!("template {}: the page is not UTF-8: {e}", self.origin),
        })
    }
}

/// The evaluation's section, its charts drawn in the briefing's language(s).
fn evaluation_section(
    tr: Tr<'_>,
    ev: &crate::evaluation::Evaluation,
) -> Result<evaluation::EvaluationSection, ExportError> {
    let svgs: Vec<ExportFile> = crate::plot::render_evaluation(ev, tr.langs)?
        .into_iter()
        .map(|c| ExportFile {
            path: format!("{CHARTS_DIR}/{}", c.name),
            bytes: c.bytes,
        })
        .filter(is_svg)
        .collect();
    Ok(evaluation::section(tr, ev, &svgs))
}

fn is_svg(f: &ExportFile) -> bool {
    f.path.starts_with(&format!("{CHARTS_DIR}/")) && f.path.ends_with(".svg")
}

impl Exporter for Briefing {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        let charts = Charts { langs: self.langs }.export(run)?;
        let svgs: Vec<ExportFile> = charts.into_iter().filter(is_svg).collect();
        Ok(vec![ExportFile {
            path: BRIEFING_HTML.to_string(),
            bytes: self.render(run, &svgs)?.into_bytes(),
        }])
    }

    /// Uses the charts the run has already drawn (in the same language), not a second
    /// drawing of them.
    fn export_after(
        &self,
        run: &RunView,
        earlier: &[ExportFile],
    ) -> Result<Vec<ExportFile>, ExportError> {
        let svgs: Vec<ExportFile> = earlier.iter().filter(|f| is_svg(f)).cloned().collect();
        if svgs.is_empty() {
            return self.export(run);
        }
        Ok(vec![ExportFile {
            path: BRIEFING_HTML.to_string(),
            bytes: self.render(run, &svgs)?.into_bytes(),
        }])
    }
}
