//! The evaluation chart, one per site (`wfhsim evaluate`, its interrupted time series):
//! the observed series (a thin line and points), the counterfactual the days before the
//! order predict with its 95% band, the policy windows shaded and numbered; on the right
//! each window's effect in % with its 95% interval, and on one % axis the observed
//! intervals, the simulated 5–95% band of a comparable run and ± the series' minimum
//! detectable effect as the zone around 0 no series of this noise could show. A run that
//! measures something else is named with the reason, in one line. Drawn in
//! `evaluation_draw.rs`.

use super::frame::FrameText;
use super::text::ChartText;
use super::{PlotError, RenderedChart, numbers, register_fonts, render};
use crate::evaluation::{Evaluation, chart_stem, words};
use crate::labels::{Lang, Langs, format};

/// A method's rows the chart draws.
const METHOD: &str = "its";

/// The most days before the first window the chart shows: a year, enough to see the
/// weekly and calendar pattern the counterfactual carries on; a longer series (four years
/// of PM2.5) would squeeze the windows into a strip. The fit uses every day (the subtitle
/// says how many).
const SHOWN_BEFORE: i32 = 365;

/// One day: (day, observed, counterfactual, band low, band high).
pub(super) type Point = (i32, Option<f64>, f64, Option<f64>, Option<f64>);

/// One window: its days, its number on the chart, its dates and its effect written out,
/// and the effect's interval in % (the interval is the effect itself when it has none).
pub(super) struct Window {
    pub from: i32,
    pub to: i32,
    pub span: String,
    pub effect: String,
    pub pct: (f64, f64, f64),
}

/// A comparable run's simulated effect: 5%, 50%, 95% and its label.
pub(super) struct Simulated {
    pub label: String,
    pub band: (f64, f64, f64),
}

/// The chart's words, in its language(s).
pub(super) struct Words {
    pub observed: String,
    pub counterfactual: String,
    pub band: String,
    pub window: String,
    pub effects: String,
    pub y_title: [String; 2],
    /// Each observed row's label ("Observed, window 2 (95% interval)").
    pub observed_rows: Vec<String>,
    pub mde: Option<String>,
    /// Why there is no simulated band (no run, or a run that is not comparable).
    pub no_band: Option<String>,
}

pub(super) struct EvaluationChart {
    pub text: FrameText,
    pub words: Words,
    pub lang: Lang,
    pub points: Vec<Point>,
    pub windows: Vec<Window>,
    /// ± the series' minimum detectable effect, in %.
    pub mde: Option<f64>,
    pub simulated: Option<Simulated>,
}

fn day(s: &str) -> Option<i32> {
    wfhsim_core::calendar::Date::parse(s).map(|d| d.0)
}

/// The site's windows, in date order, with their effects.
fn windows(ev: &Evaluation, site: &str, lang: Lang) -> Vec<Window> {
    let mut out: Vec<Window> = ev
        .effects
        .iter()
        .filter(|r| r.site == site && r.method == METHOD)
        .filter_map(|r| {
            let pct = r.effect_pct;
            Some(Window {
                from: day(&r.window_from)?,
                to: day(&r.window_to)?,
                span: words::span(&r.window_from, &r.window_to, lang),
                effect: words::effect_ci(r, lang),
                pct: (
                    r.effect_pct_lo.unwrap_or(pct),
                    pct,
                    r.effect_pct_hi.unwrap_or(pct),
                ),
            })
        })
        .collect();
    out.sort_by_key(|w| w.from);
    out
}

/// The site's days from `from` (a day number) on.
fn points(ev: &Evaluation, site: &str, from: i32) -> Vec<Point> {
    let mut p: Vec<Point> = ev
        .days
        .iter()
        .filter(|d| d.site == site && d.method == METHOD)
        .filter(|d| day(&d.date).is_some_and(|x| x >= from))
        .filter_map(|d| {
            Some((
                day(&d.date)?,
                d.observed.filter(|v| v.is_finite()),
                d.counterfactual,
                d.counterfactual_lo,
                d.counterfactual_hi,
            ))
        })
        .collect();
    p.sort_by_key(|p| p.0);
    p
}

/// The frame's texts: the title with the site, the fit in the subtitle, the source.
fn frame_text(ev: &Evaluation, site: &str, t: ChartText) -> FrameText {
    let m = &ev.manifest;
    let note = m.sites.iter().find(|n| n.site == site);
    let subtitle = t.first_only().fill("evaluation.chart.subtitle", |l| {
        vec![
            ("name", m.name.clone()),
            ("file", m.series.name.clone()),
            ("days", format::int(note.map_or(0.0, |n| n.days as f64), l)),
            (
                "missing",
                format::int(note.map_or(0.0, |n| n.missing_days as f64), l),
            ),
            (
                "rho",
                format::number(note.map_or(f64::NAN, |n| n.rho), 2, l),
            ),
        ]
    });
    FrameText {
        title: t.title("evaluation.chart.title", |_| {
            vec![("site", site.to_string())]
        }),
        run_label: subtitle,
        source_note: t.source(m.series.source.as_deref().unwrap_or(&m.series.name)),
    }
}

/// The simulated band when the run is comparable, else the line saying why there is none.
fn simulated(ev: &Evaluation, t: ChartText) -> (Option<Simulated>, Option<String>) {
    let Some(s) = &ev.manifest.simulated else {
        return (None, Some(t.label("evaluation.chart.no_simulated")));
    };
    if s.comparable {
        let label = t.fill("evaluation.chart.simulated_row", |_| {
            vec![("run", s.run.clone())]
        });
        let band = (s.p05, s.p50, s.p95);
        return (Some(Simulated { label, band }), None);
    }
    let line = t.fill("evaluation.chart.not_compared", |l| {
        vec![("run", s.run.clone()), ("reason", words::reason(s, l))]
    });
    (None, Some(line))
}

pub(super) fn prepare(ev: &Evaluation, site: &str, langs: Langs) -> EvaluationChart {
    let t = ChartText::new(langs);
    let lang = t.lang();
    let windows = windows(ev, site, lang);
    // The series' own MDE (the largest over its windows: the shortest window's).
    let mde = ev
        .effects
        .iter()
        .filter(|r| r.site == site && r.method == METHOD)
        .filter_map(|r| r.mde_pct)
        .fold(None, |a: Option<f64>, m| Some(a.map_or(m, |a| a.max(m))));
    let (simulated, no_band) = simulated(ev, t);
    let q = |l: Lang| words::quantity(&ev.manifest.quantity, l);
    let y_title = [
        langs
            .list()
            .iter()
            .map(|&l| q(l))
            .collect::<Vec<_>>()
            .join(" / "),
        q(lang),
    ];
    let words = Words {
        observed: t.label("evaluation.chart.observed"),
        counterfactual: t.label("evaluation.chart.counterfactual"),
        band: t.label("evaluation.chart.band"),
        window: t.label("evaluation.chart.window"),
        effects: t.label("evaluation.chart.effects"),
        y_title,
        observed_rows: (1..=windows.len())
            .map(|n| {
                t.first_only().fill("evaluation.chart.observed_row", |_| {
                    vec![("n", n.to_string())]
                })
            })
            .collect(),
        mde: mde.map(|m| {
            t.first_only().fill("evaluation.chart.mde", |l| {
                vec![("mde", format::pct(m, 1, l))]
            })
        }),
        no_band,
    };
    EvaluationChart {
        text: frame_text(ev, site, t),
        words,
        lang,
        points: points(
            ev,
            site,
            windows.first().map_or(i32::MIN, |w| w.from - SHOWN_BEFORE),
        ),
        windows,
        mde,
        simulated,
    }
}

/// Every site's chart (the sites of the effects table with an `its` row, in order), as
/// `<stem>.png` then `<stem>.svg`, stems from [`chart_stem`].
pub fn render_evaluation(ev: &Evaluation, langs: Langs) -> Result<Vec<RenderedChart>, PlotError> {
    register_fonts();
    let mut sites: Vec<String> = Vec::new();
    for r in ev.effects.iter().filter(|r| r.method == METHOD) {
        if !sites.contains(&r.site) {
            sites.push(r.site.clone());
        }
    }
    let mut out = Vec::with_capacity(2 * sites.len());
    for (site, stem) in sites.iter().zip(chart_stem(&sites)) {
        out.extend(render::render(&prepare(ev, site, langs), &stem)?);
    }
    Ok(out)
}

/// First days of months in [a, b], every k-th month so that at most `max` are shown.
pub(super) fn month_ticks(a: i32, b: i32, max: usize) -> Vec<f64> {
    use wfhsim_core::calendar::Date;
    let (y0, m0, _) = Date(a).ymd();
    let (y1, m1, _) = Date(b).ymd();
    let months = ((y1 - y0) * 12 + m1 as i32 - m0 as i32 + 1).max(1) as usize;
    let step = months.div_ceil(max.max(1)).max(1);
    (0..=months)
        .step_by(step)
        .filter_map(|k| {
            let m = m0 as usize - 1 + k;
            Date::from_ymd(y0 + (m / 12) as i32, (m % 12) as u32 + 1, 1)
        })
        .map(|d| d.0)
        .filter(|&d| d >= a && d <= b)
        .map(f64::from)
        .collect()
}

/// A month tick: "Apr", or with its year ("Feb 2020") when `with_year`.
pub(super) fn month_label(day: i32, with_year: bool, lang: Lang) -> String {
    let (y, m, _) = wfhsim_core::calendar::Date(day).ymd();
    let name = numbers::month(m, lang);
    if with_year {
        format!("{name} {y}")
    } else {
        name
    }
}
