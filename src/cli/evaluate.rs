//! `wfhsim evaluate SERIES`: the arguments checked and resolved (windows from dates, a
//! scenario file or a run folder), the job run, the effects printed.

use std::path::Path;

use super::args::EvaluateArgs;
use super::failure::{Failure, bad_input};
use super::inputs::load_data;
use crate::jobs::command::shell_line;
use crate::jobs::evaluate::{self, EvalInputs, ModelChoice, Quantity};
use wfhsim_core::calendar::Date;
use wfhsim_core::evaluate::{Scale, Window};
use wfhsim_core::scenario;
use wfhsim_report::evaluation::Evaluation;
use wfhsim_report::view::RunFolder;

pub(super) fn evaluate(a: EvaluateArgs) -> Result<(), Failure> {
    let ds = load_data(&a.data)?;
    let inputs = resolve(&a, &ds)?;
    let (dir, ev) = evaluate::evaluate(&ds, &inputs)?;
    print(&ev);
    println!("Wrote {}", dir.display());
    Ok(())
}

fn bad(message: String) -> Failure {
    bad_input(anyhow::anyhow!(message))
}

fn resolve(a: &EvaluateArgs, ds: &wfhsim_core::data::Dataset) -> Result<EvalInputs, Failure> {
    let mut windows = Vec::new();
    for w in &a.window {
        windows.push((parse_window(w)?, "--window".to_string()));
    }
    if let Some(p) = &a.window_from {
        windows.push(window_from(p, a.scenario.as_deref(), ds)?);
    }
    let quantity = Quantity::parse(&a.quantity).ok_or_else(|| {
        bad(format!(
            "--quantity '{}' is not one of {}",
            a.quantity,
            Quantity::ALLOWED
        ))
    })?;
    let scale = match a.scale.as_deref() {
        None => None,
        Some("log") => Some(Scale::Log),
        Some("level") => Some(Scale::Level),
        Some(s) => return Err(bad(format!("--scale '{s}' is not one of log, level"))),
    };
    let trend = match a.trend.as_str() {
        "auto" => None,
        "on" => Some(true),
        "off" => Some(false),
        s => return Err(bad(format!("--trend '{s}' is not one of auto, on, off"))),
    };
    let working_days = match a.days.as_str() {
        "all" => false,
        "working" => true,
        s => return Err(bad(format!("--days '{s}' is not one of all, working"))),
    };
    if a.season.is_some_and(|k| k > 6) {
        return Err(bad(format!(
            "--season {} is more annual harmonics than a daily series needs (0 to 6)",
            a.season.unwrap_or_default()
        )));
    }
    Ok(EvalInputs {
        series: a.series.clone(),
        columns: a.column.clone(),
        control: a.control.clone(),
        control_columns: a.control_column.clone(),
        windows,
        model: ModelChoice {
            scale,
            trend,
            season: a.season,
            weekday: true,
            calendar: true,
            pre_days: a.pre_days,
            working_days,
        },
        quantity,
        source: a.source.clone(),
        run: a.run.clone(),
        scenario: a.scenario.clone(),
        out: a.out.clone(),
        name: a.name.clone(),
        force: a.force,
        langs: a.lang.lang,
        command: shell_line(&std::env::args().collect::<Vec<_>>()),
        dataset: a
            .data
            .data
            .as_ref()
            .map_or("built-in".to_string(), |d| d.display().to_string()),
    })
}

/// `FROM..TO`, both `YYYY-MM-DD`, FROM not after TO.
pub(super) fn parse_window(s: &str) -> Result<Window, Failure> {
    let err = || {
        bad(format!(
            "--window '{s}' is not FROM..TO with both days YYYY-MM-DD (e.g. 2020-04-10..2020-06-04)"
        ))
    };
    let (a, b) = s.split_once("..").ok_or_else(err)?;
    let (from, to) = (
        Date::parse(a.trim()).ok_or_else(err)?,
        Date::parse(b.trim()).ok_or_else(err)?,
    );
    if to < from {
        return Err(bad(format!("--window '{s}' ends before it starts")));
    }
    Ok(Window { from, to })
}

/// The policy window of a scenario file, or of a scenario in a run folder.
fn window_from(
    p: &Path,
    scenario: Option<&str>,
    ds: &wfhsim_core::data::Dataset,
) -> Result<(Window, String), Failure> {
    let origin = p.display().to_string();
    let (from, to) = if p.is_dir() {
        let run = RunFolder::open(p).map_err(bad_input)?;
        let sc = run
            .info()
            .scenarios
            .iter()
            .find(|s| scenario.is_none_or(|n| s.name == n) && s.window.is_some())
            .ok_or_else(|| {
                bad(format!(
                    "--window-from {origin}: no scenario {}with a policy window in this run",
                    scenario.map_or(String::new(), |n| format!("'{n}' "))
                ))
            })?;
        let (a, b) = sc.window.clone().expect("found with a window");
        (
            Date::parse(&a).expect("run.json dates are checked"),
            Date::parse(&b).expect("run.json dates are checked"),
        )
    } else {
        let sc = scenario::load_files(&[p.to_path_buf()], ds).map_err(bad_input)?;
        sc[0].policy_window().ok_or_else(|| {
            bad(format!(
                "--window-from {origin}: the scenario sends no one home (no policy window)"
            ))
        })?
    };
    Ok((Window { from, to }, origin))
}

/// One line per site, method and window.
fn print(ev: &Evaluation) {
    for r in &ev.effects {
        let interval = match (r.effect_pct_lo, r.effect_pct_hi) {
            (Some(lo), Some(hi)) => format!(" (95%: {lo:+.2} to {hi:+.2})"),
            _ => format!(" (placebo p = {:.2})", r.p_value),
        };
        println!(
            "{} {} {}..{}: {:+.2}%{interval}{}",
            r.site,
            r.method,
            r.window_from,
            r.window_to,
            r.effect_pct,
            r.mde_pct
                .map_or(String::new(), |m| format!("; smallest detectable ±{m:.2}%"))
        );
    }
    for r in ev.effects.iter().filter(|r| r.method == "its") {
        println!(
            "{} {}..{}: the change is {}distinguishable from the series' own variation ({})",
            r.site,
            r.window_from,
            r.window_to,
            if distinguishable(r) { "" } else { "not " },
            match r.placebo_rank_p {
                Some(p) => format!(
                    "95% interval {}; {} of {} earlier windows of its length changed as much",
                    if excludes_zero(r) {
                        "excludes 0"
                    } else {
                        "includes 0"
                    },
                    (p * r.placebos as f64).round(),
                    r.placebos
                ),
                None => format!(
                    "95% interval {}; no earlier window of its length to compare",
                    if excludes_zero(r) {
                        "excludes 0"
                    } else {
                        "includes 0"
                    }
                ),
            }
        );
    }
    for n in ev
        .manifest
        .sites
        .iter()
        .filter(|n| !n.same_weeks.is_empty())
    {
        let years: Vec<String> = (n.same_weeks.iter())
            .map(|w| format!("{} {:+.1}%", &w.from[..4], w.pct))
            .collect();
        println!(
            "{}: the same weeks in earlier years, against the same model: {}",
            n.site,
            years.join(", ")
        );
    }
    for r in ev.effects.iter().filter(|r| r.placebos_loud()) {
        println!(
            "{}: {:.0}% of {} earlier windows of the same length came out 'significant' (about 5% expected): the model misses some of what moves this series, so its 95% interval is too narrow; the rank among those windows is the fairer test",
            r.site,
            100.0 * r.placebo_share_significant.unwrap_or(0.0),
            r.placebos
        );
    }
    if let Some(s) = &ev.manifest.simulated {
        match &s.reason {
            None => println!(
                "simulated ({} in {}): {:+.3}% ({:+.3} to {:+.3})",
                s.scenario, s.run, s.p50, s.p05, s.p95
            ),
            Some(why) => println!("not compared with {}: {why}", s.run),
        }
    }
}

fn excludes_zero(r: &wfhsim_report::evaluation::EffectRow) -> bool {
    match (r.effect_pct_lo, r.effect_pct_hi) {
        (Some(lo), Some(hi)) => lo > 0.0 || hi < 0.0,
        _ => false,
    }
}

/// The one verdict: the 95% interval excludes no change, and at most 5% of the earlier
/// windows of the same length (the in-time placebos) changed as much.
pub(super) fn distinguishable(r: &wfhsim_report::evaluation::EffectRow) -> bool {
    excludes_zero(r) && r.placebo_rank_p.is_none_or(|p| p <= 0.05)
}
