//! What each subcommand does: load inputs, call the library, print. Errors carry the exit
//! code: 2 for bad input (arguments, scenario files, dataset, output folder), 1 for
//! failures while running or writing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;

use super::args::{Cli, Command, DataArg, RunArgs};
use super::failure::{Failure, bad_input, failed};
use super::inputs::load_data;
use super::progress::Bars;
use crate::jobs::command::shell_word;
use crate::jobs::run::{self, RunInputs, RunOutcome, RunTarget};
use wfhsim_core::data::Dataset;
use wfhsim_core::results::Basis;
use wfhsim_core::results::schema::{Component, HEADLINE, MetricId};
use wfhsim_core::scenario::{self, Scenario};
use wfhsim_report::export::{BriefingTemplate, ExportOptions};
use wfhsim_report::labels::Langs;

pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(a) => run(a),
        Command::Evaluate(a) => super::evaluate::evaluate(a),
        Command::Activity(a) => super::activity::activity(a),
        Command::Validate { files, data } => validate(&files, &data),
        Command::Plot { run_dir, lang } => {
            let opt = ExportOptions {
                langs: lang.lang,
                ..Default::default()
            };
            let written = run::redraw(&run_dir, &opt)?;
            println!(
                "Redrew {} chart files in {}",
                written.len(),
                run_dir.join(wfhsim_report::export::CHARTS_DIR).display()
            );
            Ok(())
        }
        Command::Report {
            run_dir,
            lang,
            template,
            sweep,
            evaluation,
        } => {
            let opt = export_options(lang.lang, template.as_deref())?;
            super::report::report(&run_dir, opt, sweep, evaluation)
        }
        Command::Data { export, data } => show_data(export.as_deref(), &data),
        Command::Diff(a) => super::diff::diff(a),
        Command::New(a) => super::new::new(a),
        Command::Schema { out } => super::new::schema(out.as_deref()),
        Command::Sweep(c) => super::sweep::sweep(c),
        Command::Target(a) => super::sweep::target(a),
        Command::Serve(a) => super::serve::serve(a),
    }
}

fn read_scenarios(files: &[PathBuf], ds: &Dataset) -> Result<Vec<Scenario>, Failure> {
    if files.is_empty() {
        return scenario::builtin_scenarios(ds).map_err(bad_input);
    }
    scenario::load_files(files, ds).map_err(bad_input)
}

fn validate(files: &[PathBuf], data: &DataArg) -> Result<(), Failure> {
    let ds = load_data(data)?;
    let mut bad = 0;
    for (f, checked) in files.iter().zip(scenario::check_files(files, &ds)) {
        match checked {
            Ok(s) => println!(
                "ok: {} ('{}', {} policies)",
                f.display(),
                s.name,
                s.policies.len()
            ),
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    if bad > 0 {
        return Err(bad_input(anyhow!(
            "{bad} of {} scenario files have problems",
            files.len()
        )));
    }
    Ok(())
}

fn run(a: RunArgs) -> Result<(), Failure> {
    let t0 = Instant::now();
    let ds = load_data(&a.data)?;
    let scenarios = read_scenarios(&a.scenarios, &ds)?;
    let ds = match &a.observed {
        Some(p) => with_observed(ds, p, &a.observed_column, &scenarios)?,
        None => ds,
    };
    let inputs = RunInputs {
        dataset: &ds,
        dataset_origin: a
            .data
            .data
            .as_ref()
            .map_or("builtin".to_string(), |d| d.display().to_string()),
        scenarios: &scenarios,
        load_seconds: t0.elapsed().as_secs_f64(),
        command: reproduce_command(&a),
    };
    let request = a.sim.request(a.replicates);
    let target = RunTarget {
        out: a.out,
        name: a.name,
        force: a.force,
        export: export_options(a.lang.lang, a.template.as_deref())?,
    };
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    let bars = Bars::new(names);
    let outcome = run::execute(&inputs, &request, &target, &|p| bars.update(p));
    bars.finish();
    print_summary(&outcome?);
    Ok(())
}

/// The dataset with the count series' own noise in the detectability table, read from
/// its days before the earliest policy window of the scenarios.
fn with_observed(
    ds: Dataset,
    path: &Path,
    columns: &[String],
    scenarios: &[Scenario],
) -> Result<Dataset, Failure> {
    let before = scenarios
        .iter()
        .filter_map(|s| s.policy_window().map(|w| w.0))
        .min()
        .ok_or_else(|| bad_input(anyhow!("--observed: no scenario sends anyone home")))?;
    let (n, what) = crate::jobs::evaluate::observed::noise(&ds, path, columns, before)?;
    println!(
        "Detectability from {what}: sigma {:.2}% of the count, AR(1) {:.2} (in place of detect.sigma_city and detect.daily_count_ar1)",
        100.0 * n.sigma_residual,
        n.rho
    );
    ds.with_observed_noise(n.sigma_residual, n.rho.max(0.0), &what)
        .map_err(|e| bad_input(anyhow::Error::from(e)))
}

/// The language and the briefing's template; a template that does not read or parse is
/// bad input, reported before anything runs.
fn export_options(langs: Langs, template: Option<&Path>) -> Result<ExportOptions, Failure> {
    let template = match template {
        Some(p) => BriefingTemplate::read(p).map_err(bad_input)?,
        None => BriefingTemplate::builtin(),
    };
    Ok(ExportOptions {
        langs,
        template,
        sensitivity: None,
        evaluation: None,
    })
}

/// The command that makes the same run: the scenario files, every option that changes a
/// number (written out even at its default, so a later default cannot change it) and the
/// language; not the output folder or the threads, which change no output byte.
fn reproduce_command(a: &RunArgs) -> String {
    let mut words = vec!["wfhsim".to_string(), "run".to_string()];
    words.extend(
        a.scenarios
            .iter()
            .map(|f| shell_word(&f.display().to_string())),
    );
    words.extend([
        format!("--seed {}", a.sim.seed),
        format!("--replicates {}", a.replicates),
        format!("--scale {}", a.sim.scale),
        format!(
            "--uncertainty {}",
            wfhsim_core::structural::Uncertainty::from(a.sim.uncertainty).as_str()
        ),
    ]);
    if let Some(d) = &a.data.data {
        words.push(format!("--data {}", shell_word(&d.display().to_string())));
    }
    words.extend(
        a.data
            .pool
            .iter()
            .map(|p| format!("--pool {}", shell_word(p))),
    );
    if let Some(o) = &a.observed {
        words.push(format!(
            "--observed {}",
            shell_word(&o.display().to_string())
        ));
        words.extend(
            a.observed_column
                .iter()
                .map(|c| format!("--observed-column {}", shell_word(c))),
        );
    }
    words.push(format!("--name {}", shell_word(&a.name)));
    words.push(format!("--lang {}", a.lang.lang.code()));
    if let Some(t) = &a.template {
        words.push(format!(
            "--template {}",
            shell_word(&t.display().to_string())
        ));
    }
    words.join(" ")
}

/// Would DKI's counts see it: "yes" when any comparison's median effect reaches its
/// city-wide MDE, otherwise how far below the whole-window MDE the effect is.
fn verdict(d: &[wfhsim_core::results::roads::Detectability]) -> String {
    if d.iter().any(|x| x.visible_city) {
        return "yes".into();
    }
    match d.iter().find(|x| x.comparison == "whole_window") {
        Some(w) if w.effect_pct.median() > 0.0 => {
            format!(
                "no (MDE {:.0}x the effect)",
                w.mde_city_pct[0] / w.effect_pct.median()
            )
        }
        _ => "no".into(),
    }
}

/// Each other scenario minus the first, replicate by replicate (common random numbers):
/// commuter trips per working day when the windows have as many working days, else over
/// the window.
fn print_paired(r: &wfhsim_core::results::Results) {
    let rows: Vec<_> = r
        .comparisons
        .iter()
        .filter(|p| p.a == 0 && p.basis == Basis::All)
        .filter(|p| (p.metric, p.component) == (MetricId::TRIPS, Component::Gross))
        .collect();
    if rows.is_empty() {
        return;
    }
    println!(
        "\npaired with {} (B - {0}, commuter trips, p50 (p05 to p95) over the same replicates):",
        r.scenarios[0].scenario.name
    );
    for p in rows {
        let (band, unit) = match p.per_day {
            Some(d) => (d, "a day"),
            None => (p.difference, "over the window"),
        };
        let n = p.replicates;
        println!(
            "  {:<32} {:>+10.0} ({:+.0} to {:+.0}) {unit}; more in {} of {n} replicates, fewer in {}",
            r.scenarios[p.b].scenario.name,
            -band.median(),
            -band.high(),
            -band.low(),
            (p.b_greater * n as f64).round(),
            (p.a_greater * n as f64).round(),
        );
    }
}

/// The Monte Carlo error of the first scenario's trips, as percentages of its quantiles.
fn print_error(r: &wfhsim_core::results::Results) {
    let Some(s) = r.scenarios.first() else { return };
    let Some(t) = s.total(MetricId::TRIPS, Component::Gross) else {
        return;
    };
    let pct = |j: usize| match t.total_error[j] {
        Some(e) if t.total.0[j] != 0.0 => format!("±{:.1}%", 100.0 * e / t.total.0[j].abs()),
        _ => format!(
            "unbounded (needs {} replicates)",
            wfhsim_core::results::quantile::replicates_needed(0.05)
        ),
    };
    println!(
        "Monte Carlo error (95%) of {}'s trips: p05 {}, p50 {}, p95 {}",
        s.scenario.name,
        pct(0),
        pct(1),
        pct(2)
    );
}

/// One line per scenario with the schema's headline numbers (medians), then the run.
fn print_summary(o: &RunOutcome) {
    print!("{:<34}", "scenario");
    for h in HEADLINE {
        print!(" {:>13}", h.header);
    }
    println!(
        " {:>9} {:>11} {:>9} {:>9} {:>9} {:>9}  a count sees it?",
        "% base", "DKI veh/day", "% DKI", "% peak", "% cordon", "% PM inv"
    );
    for s in &o.results.scenarios {
        print!("{:<34}", s.scenario.name);
        for h in HEADLINE {
            let v = s.total(h.metric, h.component).map_or(f64::NAN, |r| {
                if h.per_day {
                    r.per_day_p50
                } else {
                    r.total.median()
                }
            }) / h.divisor;
            print!(" {v:>13.prec$}", prec = h.decimals);
        }
        let pct = s
            .total(MetricId::TRIPS, Component::Gross)
            .map_or(f64::NAN, |r| r.pct.median());
        print!(" {pct:>8.3}%");
        let road = |b: Basis, m: MetricId| s.row(b, m, Component::Net);
        let per_day = road(Basis::DkiRoads, MetricId::VEHICLES).map_or(f64::NAN, |r| r.per_day_p50);
        let pct_of = |b: Basis, m: MetricId| road(b, m).map_or(f64::NAN, |r| r.pct.median());
        print!(
            " {per_day:>11.0} {:>8.3}% {:>8.3}% {:>8.3}% {:>8.4}%",
            pct_of(Basis::DkiRoads, MetricId::VEHICLES),
            pct_of(Basis::DkiRoadsPeak, MetricId::VEHICLES),
            pct_of(Basis::DkiCordon, MetricId::VEHICLES),
            pct_of(Basis::DkiRoads, MetricId::PM25),
        );
        println!("  {}", verdict(&s.roads.detect));
    }
    print_paired(&o.results);
    print_error(&o.results);
    println!(
        "\n{} agents · {} replicates · engine {:.2e} agent-days/s · total {:.1} s\nResults in {}",
        o.results.agents,
        o.results.replicates,
        o.manifest.engine_agent_days_per_s,
        o.manifest.wall_seconds.total,
        o.dir.display()
    );
    // After the table, where they are read last; manifest.json, run.json and the
    // briefing hold them too.
    for w in &o.results.warnings {
        eprintln!("warning: {w}");
    }
}

fn show_data(export: Option<&Path>, a: &DataArg) -> Result<(), Failure> {
    let ds = load_data(a)?;
    match export {
        None => {
            println!(
                "{:<44} {:>14} {:<20} {:<10} {:<4} source / note",
                "key", "value", "unit", "kind", "conf"
            );
            for p in ds.params.iter() {
                let src = if p.source.is_empty() {
                    &p.note
                } else {
                    &p.source
                };
                // Dataset text is checked when read; escaping here as well keeps a
                // terminal safe from whatever a dataset holds.
                let esc = wfhsim_core::text::escape_controls;
                println!(
                    "{:<44} {:>14} {:<20} {:<10} {:<4} {}",
                    esc(&p.key),
                    p.value,
                    esc(&p.unit),
                    p.kind,
                    esc(&p.confidence),
                    esc(src)
                );
            }
            println!(
                "\nDerived: {:.0} workers; commuter matrix fitted with beta = {:.4}/km (cross-boundary {:.0}, into DKI {:.0})",
                ds.workers_by_home.iter().sum::<f64>(),
                ds.gravity.beta_per_km,
                ds.gravity.cross_boundary,
                ds.gravity.into_dki
            );
            Ok(())
        }
        Some(dir) => {
            if dir.exists() {
                return Err(bad_input(anyhow!(
                    "{} already exists; give a new folder",
                    dir.display()
                )));
            }
            write_dataset(&ds, dir).map_err(failed)?;
            println!(
                "Wrote the dataset to {} (edit it and pass it with --data; derived/ is for reading only)",
                dir.display()
            );
            Ok(())
        }
    }
}

/// Writes a dataset's files (`wfhsim data --export DIR`).
fn write_dataset(ds: &wfhsim_core::data::Dataset, dir: &std::path::Path) -> std::io::Result<()> {
    for (name, text) in wfhsim_core::data::export(ds) {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, text)?;
    }
    Ok(())
}
