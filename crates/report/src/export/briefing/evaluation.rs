//! What a page shows of an evaluation (`wfhsim evaluate`): a plain-words headline per
//! site and window, the charts, the effects table, the notes on the models, the
//! comparison with a run or why it cannot be made, the sources and the command. The run's
//! briefing (`report --evaluation DIR`) and the evaluation folder's own page render the
//! same section.

use serde::Serialize;

use super::tables::{Cell, Table};
use super::text::{Text, Tr};
use crate::evaluation::{EffectRow, Evaluation, SiteNote, chart_stem, words};
use crate::export::ExportFile;
use crate::labels::{Lang, format};

#[derive(Debug, Serialize)]
pub struct EvaluationSection {
    pub title: Text,
    pub intro: Text,
    pub headlines: Vec<Text>,
    pub comparison: Text,
    pub charts: Vec<EvaluationChart>,
    pub effects: Table,
    pub notes: Vec<Text>,
    /// Each input series and its attribution.
    pub sources: Vec<(Text, String)>,
    pub command: String,
}

#[derive(Debug, Serialize)]
pub struct EvaluationChart {
    pub site: String,
    /// The chart's SVG, written into the page as it is.
    pub svg: minijinja::Value,
}

/// A number with its sign, as a headline writes a magnitude: `52.4` / `52,4`.
fn abs1(x: f64, l: Lang) -> String {
    format::number(x.abs(), 1, l)
}

/// One ITS effect in plain words, with how it compares with what the series can show.
fn headline(tr: Tr, r: &EffectRow) -> Option<Text> {
    let (lo, hi) = (r.effect_pct_lo?, r.effect_pct_hi?);
    let key = if lo <= 0.0 && hi >= 0.0 {
        "evaluation.headline.no_change"
    } else if r.effect_pct < 0.0 {
        "evaluation.headline.below"
    } else {
        "evaluation.headline.above"
    };
    let plain = key != "evaluation.headline.no_change";
    Some(Text::per_lang(tr.langs, |l| {
        let (a, b) = if plain {
            let (a, b) = (lo.abs().min(hi.abs()), lo.abs().max(hi.abs()));
            (abs1(a, l), abs1(b, l))
        } else {
            (format::number(lo, 1, l), format::number(hi, 1, l))
        };
        let effect = if plain {
            format::pct(r.effect_pct.abs(), 1, l)
        } else {
            words::pct(r.effect_pct, l)
        };
        let lead = tr.labels.fill(
            key,
            l,
            &[
                ("site", r.site.clone()),
                ("effect", effect),
                ("lo", a),
                ("hi", b),
                ("span", words::span(&r.window_from, &r.window_to, l)),
            ],
        );
        match detect(tr, r, l) {
            Some(d) => format!("{lead} {d}"),
            None => lead,
        }
    }))
}

/// "A change this large is 10× the smallest the series could show", or that it is below.
fn detect(tr: Tr, r: &EffectRow, l: Lang) -> Option<String> {
    let mde = r.mde_pct.filter(|m| *m > 0.0)?;
    let shown = format::pct(mde, 1, l);
    let ratio = r.effect_pct.abs() / mde;
    if ratio >= 1.0 {
        let ratio = format::sig(ratio, 2, l);
        let v = [("ratio", ratio), ("mde", shown)];
        Some(tr.labels.fill("evaluation.headline.ratio", l, &v))
    } else {
        let v = [("mde", shown)];
        Some(tr.labels.fill("evaluation.headline.under_mde", l, &v))
    }
}

/// The run beside the series: its band, or why there is none.
fn comparison(tr: Tr, ev: &Evaluation) -> Text {
    let Some(s) = &ev.manifest.simulated else {
        return tr.t("evaluation.compare.none");
    };
    let key = if s.comparable {
        "evaluation.compare.yes"
    } else {
        "evaluation.compare.no"
    };
    tr.fill(key, |l| {
        vec![
            ("run", s.run.clone()),
            ("scenario", s.scenario.clone()),
            ("span", words::span(&s.window_from, &s.window_to, l)),
            ("p05", words::small_pct(s.p05, l)),
            ("p50", words::small_pct(s.p50, l)),
            ("p95", words::small_pct(s.p95, l)),
            (
                "mde",
                s.mde_pct.map_or("–".into(), |m| words::small_pct(m, l)),
            ),
            ("reason", words::reason(s, l)),
        ]
    })
}

fn num(text: String) -> Cell {
    Cell {
        text,
        numeric: true,
    }
}

fn name(text: String) -> Cell {
    Cell {
        text,
        numeric: false,
    }
}

/// The effects table: one row per site, method and window.
fn effects(tr: Tr, ev: &Evaluation) -> Table {
    let l = tr.num_lang();
    let opt = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map_or("–".into(), f);
    let rows = ev
        .effects
        .iter()
        .map(|r| {
            let interval = match (r.effect_pct_lo, r.effect_pct_hi) {
                (Some(a), Some(b)) => format!("{} – {}", words::pct(a, l), words::pct(b, l)),
                _ => "–".into(),
            };
            vec![
                name(r.site.clone()),
                name(words::method(&r.method, l)),
                name(words::span(&r.window_from, &r.window_to, l)),
                num(format::int(r.days as f64, l)),
                num(words::pct(r.effect_pct, l)),
                num(interval),
                num(words::p_value(r.p_value, l)),
                num(opt(r.mde_pct, &|m| words::pct(m, l))),
                num(opt(r.placebo_share_significant, &|s| {
                    format!("{} / {}", format::pct(100.0 * s, 0, l), r.placebos)
                })),
            ]
        })
        .collect();
    let headers = [
        "site", "method", "window", "days", "effect", "interval", "p", "mde", "placebo",
    ];
    Table {
        headers: headers
            .iter()
            .map(|h| tr.t(&format!("evaluation.col.{h}")))
            .collect(),
        rows,
    }
}

/// One site's fit, and what was left out of it.
fn site_notes(tr: Tr, n: &SiteNote) -> Vec<Text> {
    let mut out = vec![tr.fill("evaluation.note.fit", |l| {
        vec![
            ("site", n.site.clone()),
            ("days", format::int(n.days as f64, l)),
            ("before", format::int(n.days_before as f64, l)),
            ("missing", format::int(n.missing_days as f64, l)),
            ("gap", format::int(n.longest_gap as f64, l)),
            ("rho", format::number(n.rho, 2, l)),
            ("sigma", format::sig(n.sigma_residual, 3, l)),
        ]
    })];
    for d in &n.dropped {
        out.push(tr.fill("evaluation.note.dropped", |l| {
            vec![
                ("site", n.site.clone()),
                ("what", words::term(&d.term, l)),
                ("why", words::dropped_why(d, l)),
            ]
        }));
    }
    if !n.same_weeks.is_empty() {
        out.push(tr.fill("evaluation.note.same_weeks", |l| {
            let years: Vec<String> = (n.same_weeks.iter())
                .map(|w| format!("{} {}", &w.from[..4], words::pct(w.pct, l)))
                .collect();
            vec![("site", n.site.clone()), ("years", years.join(", "))]
        }));
    }
    if n.did_assumption.is_some() {
        out.push(tr.fill("evaluation.note.did", |_| vec![("site", n.site.clone())]));
    }
    if let Some((trend, se)) = n.did_pre_trend {
        out.push(tr.fill("evaluation.note.pre_trend", |l| {
            vec![
                ("site", n.site.clone()),
                ("trend", format::sig(trend, 2, l)),
                ("se", format::sig(se, 2, l)),
            ]
        }));
    }
    out
}

/// Every note: each site's fit, synthetic control's weights, what placebos are.
fn notes(tr: Tr, ev: &Evaluation) -> Vec<Text> {
    let mut out: Vec<Text> = ev
        .manifest
        .sites
        .iter()
        .flat_map(|n| site_notes(tr, n))
        .collect();
    for s in &ev.manifest.synth {
        out.push(tr.fill("evaluation.note.synth", |l| {
            let weights: Vec<String> = s
                .weights
                .iter()
                .map(|(unit, w)| format!("{unit} {}", format::number(*w, 2, l)))
                .collect();
            vec![
                ("site", s.site.clone()),
                ("weights", weights.join(", ")),
                ("pre", format::sig(s.pre_rmspe, 3, l)),
                ("post", format::sig(s.post_rmspe, 3, l)),
                ("p", words::p_value(s.p_value, l)),
            ]
        }));
    }
    if ev.effects.iter().any(|r| r.placebos > 0) {
        out.push(tr.t("evaluation.note.placebos"));
    }
    out.extend(ev.effects.iter().filter(|r| r.placebos_loud()).map(|r| {
        tr.fill("evaluation.note.placebos_loud", |l| {
            vec![
                ("site", r.site.clone()),
                (
                    "share",
                    format::pct(100.0 * r.placebo_share_significant.unwrap_or(0.0), 0, l),
                ),
                ("n", r.placebos.to_string()),
            ]
        })
    }));
    out
}

fn intro(tr: Tr, ev: &Evaluation) -> Text {
    let m = &ev.manifest;
    tr.fill("evaluation.intro", |l| {
        vec![
            ("name", m.name.clone()),
            ("quantity", words::quantity(&m.quantity, l)),
            ("file", m.series.name.clone()),
            ("first", format::date(&m.series.first_day, l)),
            ("last", format::date(&m.series.last_day, l)),
        ]
    })
}

/// The section, with the charts' SVG among `svgs` (`…/<stem>.svg`, as
/// [`crate::evaluation::files`] writes them).
pub fn section(tr: Tr, ev: &Evaluation, svgs: &[ExportFile]) -> EvaluationSection {
    let mut sites: Vec<String> = Vec::new();
    for r in ev.effects.iter().filter(|r| r.method == "its") {
        if !sites.contains(&r.site) {
            sites.push(r.site.clone());
        }
    }
    let charts = sites
        .iter()
        .zip(chart_stem(&sites))
        .filter_map(|(site, stem)| {
            let f = svgs
                .iter()
                .find(|f| f.path.ends_with(&format!("/{stem}.svg")))?;
            let svg = String::from_utf8_lossy(&f.bytes).into_owned();
            Some(EvaluationChart {
                site: site.clone(),
                svg: minijinja::Value::from_safe_string(svg),
            })
        })
        .collect();
    let m = &ev.manifest;
    let mut sources = vec![(tr.t("evaluation.sources.series"), source(&m.series))];
    if let Some(c) = &m.control {
        sources.push((tr.t("evaluation.sources.control"), source(c)));
    }
    EvaluationSection {
        title: tr.t("evaluation.section.title"),
        intro: intro(tr, ev),
        headlines: ev
            .effects
            .iter()
            .filter(|r| r.method == "its")
            .filter_map(|r| headline(tr, r))
            .collect(),
        comparison: comparison(tr, ev),
        charts,
        effects: effects(tr, ev),
        notes: notes(tr, ev),
        sources,
        command: m.command.clone(),
    }
}

/// "file (sha256 …): attribution".
fn source(f: &crate::evaluation::InputFile) -> String {
    match &f.source {
        Some(s) => format!("{}: {s}", f.name),
        None => f.name.clone(),
    }
}

/// The headlines, the comparison and the notes, each one line in `langs` (joined with
/// " / "): what the workbook writes under the effects table.
pub(crate) fn evaluation_lines(langs: crate::labels::Langs, ev: &Evaluation) -> Vec<String> {
    let tr = Tr {
        labels: crate::labels::Labels::builtin(),
        langs,
    };
    let headlines = ev.effects.iter().filter(|r| r.method == "its");
    headlines
        .filter_map(|r| headline(tr, r))
        .chain(std::iter::once(comparison(tr, ev)))
        .chain(notes(tr, ev))
        .map(|t| t.joined)
        .collect()
}
