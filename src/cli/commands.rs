//! What each subcommand does. Errors carry the exit code: 2 for bad input (arguments,
//! scenario files, dataset), 1 for failures while running or writing.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{Cli, Command, DataArg, RunArgs};
use crate::data::Dataset;
use crate::policy::PLAN_BYTES_PER_WORKER_ESTIMATE;
use crate::population::BYTES_PER_AGENT_ESTIMATE;
use crate::report::{self, manifest, output::RunDir};
use crate::scenario::{self, Scenario};
use crate::study::{self, Progress, StudyOptions};

pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

fn bad_input(e: impl Into<anyhow::Error>) -> Failure {
    Failure {
        code: 2,
        error: e.into(),
    }
}

fn failed(e: impl Into<anyhow::Error>) -> Failure {
    Failure {
        code: 1,
        error: e.into(),
    }
}

pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(a) => run(a),
        Command::Validate { files, data } => validate(&files, &data),
        Command::Plot { run_dir, data } => {
            let ds = load_data(&data)?;
            let written = report::redraw(&run_dir, &ds).map_err(failed)?;
            println!(
                "Redrew {} chart files in {}",
                written.len(),
                run_dir.join("charts").display()
            );
            Ok(())
        }
        Command::Data { export, data } => show_data(export.as_deref(), &data),
    }
}

fn load_data(a: &DataArg) -> Result<Dataset, Failure> {
    match &a.data {
        None => Dataset::builtin()
            .context("the built-in dataset")
            .map_err(bad_input),
        Some(dir) => Dataset::from_dir(dir)
            .with_context(|| format!("dataset folder {}", dir.display()))
            .map_err(bad_input),
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

/// Memory available to this process (Linux `MemAvailable`), if known.
fn available_memory() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let l = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    Some(l.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

/// The largest `--replicates` accepted. The 5–95% bands come from the replicates' 5th and
/// 95th percentiles; at 10,000 draws their sampling error is far below the spread of the
/// uncertain inputs, and every replicate re-simulates every working day of every scenario
/// (the default study at full scale takes about half an hour at 10,000), so more is a
/// mistake rather than a wish.
pub const MAX_REPLICATES: u32 = 10_000;

/// Refuses run options that make no sense or that the machine cannot hold, before any
/// population is allocated.
fn check_options(a: &RunArgs, ds: &Dataset, scenarios: &[Scenario]) -> Result<(), Failure> {
    if a.scale.is_nan() {
        return Err(bad_input(anyhow!(
            "--scale NaN is not a number: give the fraction of the workforce to simulate, in (0, 1]: 1.0 for every worker, 0.01 for a quick run"
        )));
    }
    if !(a.scale > 0.0 && a.scale <= 1.0) {
        return Err(bad_input(anyhow!(
            "--scale {} is outside (0, 1]: it is the fraction of the workforce to simulate; use 1.0 for every worker, 0.01 for a quick run",
            a.scale
        )));
    }
    if !(1..=MAX_REPLICATES).contains(&a.replicates) {
        return Err(bad_input(anyhow!(
            "--replicates {} is outside 1..{MAX_REPLICATES}: 1 uses the central values only, the default 30 gives the 5-95% bands; more than {MAX_REPLICATES} does not sharpen them",
            a.replicates
        )));
    }
    if a.threads == Some(0) {
        return Err(bad_input(anyhow!(
            "--threads 0: give at least 1, or leave it out to use every core"
        )));
    }
    if a.name.is_empty() || a.name.contains(['/', '\\']) || a.name.starts_with('.') {
        return Err(bad_input(anyhow!(
            "--name '{}' must be a plain folder name",
            a.name
        )));
    }
    let workers: f64 = ds.workers_by_home.iter().sum();
    // Agents and units, plus one scenario's plan at a time (if it covered everyone).
    let population =
        workers * a.scale * (BYTES_PER_AGENT_ESTIMATE + PLAN_BYTES_PER_WORKER_ESTIMATE) + 256.0e6;
    // Each replicate of the scenario being run keeps its daily table until the bands are
    // taken: working days × rows × metrics × 8 bytes.
    let holidays = ds.holidays();
    let days = scenarios
        .iter()
        .map(|s| crate::calendar::WorkingCalendar::new(s.start, s.end, &holidays).len())
        .max()
        .unwrap_or(0) as f64;
    let grid = crate::report::aggregate::Grid {
        n: ds.n_regions(),
        nm: ds.modes.len(),
        days: 0,
    };
    let tables = a.replicates as f64
        * days
        * grid.rows_per_day() as f64
        * crate::emissions::N_METRICS as f64
        * 8.0;
    let need = population + tables;
    if let Some(avail) = available_memory()
        && need > avail as f64
    {
        return Err(bad_input(anyhow!(
            "--scale {} with --replicates {} needs about {:.1} GB of memory ({:.0} simulated workers: {:.1} GB; replicate tables: {:.1} GB) and {:.1} GB is available; use a smaller --scale or fewer --replicates",
            a.scale,
            a.replicates,
            need / 1e9,
            workers * a.scale,
            population / 1e9,
            tables / 1e9,
            avail as f64 / 1e9
        )));
    }
    check_agent_count(workers * a.scale).map_err(|e| bad_input(anyhow!(e)))
}

/// Agents are numbered with 32 bits (4 bytes a record): a dataset and scale that would
/// simulate more workers are refused rather than wrapping round.
fn check_agent_count(simulated: f64) -> Result<(), String> {
    if simulated > u32::MAX as f64 {
        return Err(format!(
            "the dataset at this --scale has {simulated:.0} workers to simulate; agents are numbered with 32 bits, so at most {}: use a smaller --scale",
            u32::MAX
        ));
    }
    Ok(())
}

fn bar(total: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(total);
    b.set_style(
        ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.set_message(what.to_string());
    b
}

fn run(a: RunArgs) -> Result<(), Failure> {
    let t0 = Instant::now();
    let ds = load_data(&a.data)?;
    let scenarios = read_scenarios(&a.scenarios, &ds)?;
    check_options(&a, &ds, &scenarios)?;
    let target = a.out.join(&a.name);
    // The output path is checked, and the temporary folder made, before the long work.
    let dir = RunDir::create(&target, a.force).map_err(bad_input)?;
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(failed)?;
    let opt = StudyOptions {
        seed: a.seed,
        replicates: a.replicates,
        scale: a.scale,
    };
    let load = t0.elapsed().as_secs_f64();

    let current = std::sync::Mutex::new(None::<ProgressBar>);
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    let progress = |p: Progress| {
        let mut cur = current.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            Progress::PopulationBlocks { total } => *cur = Some(bar(total, "building population")),
            Progress::Replicates { scenario, total } => {
                if let Some(b) = cur.take() {
                    b.finish();
                }
                *cur = Some(bar(total, &names[scenario]));
            }
            Progress::PopulationBlockDone | Progress::ReplicateDone => {
                if let Some(b) = cur.as_ref() {
                    b.inc(1);
                }
            }
        }
    };
    let result = pool
        .install(|| study::run(&ds, &scenarios, opt, &progress))
        .map_err(failed)?;
    if let Some(b) = current.lock().unwrap_or_else(|e| e.into_inner()).take() {
        b.finish();
    }

    let tw = Instant::now();
    let label = manifest::run_label(&a.name, a.seed, a.replicates, a.scale);
    report::write_tables_and_charts(&dir.tmp, &result, &ds, &label).map_err(failed)?;
    let phases = manifest::Phases {
        load,
        population: result.population_seconds,
        simulate: result.simulate_seconds,
        engine: result.engine_seconds,
        write: tw.elapsed().as_secs_f64(),
        total: t0.elapsed().as_secs_f64(),
    };
    let origin = a
        .data
        .data
        .as_ref()
        .map_or("builtin".to_string(), |d| d.display().to_string());
    let m = manifest::Manifest::new(&result, &ds, &a.name, &origin, threads, phases);
    let mpath = dir.tmp.join("manifest.json");
    let json = serde_json::to_string_pretty(&m).map_err(failed)?;
    std::fs::write(&mpath, json + "\n")
        .with_context(|| mpath.display().to_string())
        .map_err(failed)?;
    let final_dir = dir.commit().map_err(failed)?;
    print_summary(&result, &final_dir, &m);
    Ok(())
}

fn print_summary(r: &study::StudyResult, dir: &Path, m: &manifest::Manifest) {
    println!(
        "{:<34} {:>13} {:>15} {:>9} {:>11} {:>12}",
        "scenario", "trips/day", "trips total", "% base", "CO2 t net", "PM2.5 kg"
    );
    for s in &r.scenarios {
        let get = |metric: &str, comp: &str| {
            s.summary
                .iter()
                .find(|x| x.region.is_none() && x.metric == metric && x.component == comp)
        };
        let (Some(t), Some(c), Some(p)) =
            (get("trips", "gross"), get("co2", "net"), get("pm25", "net"))
        else {
            continue;
        };
        println!(
            "{:<34} {:>13.0} {:>15.0} {:>8.3}% {:>11.1} {:>12.1}",
            s.scenario.name,
            t.per_day_p50,
            t.total[1],
            t.pct[1],
            c.total[1] / 1000.0,
            p.total[1]
        );
    }
    println!(
        "\n{} agents · {} replicates · engine {:.2e} agent-days/s · total {:.1} s\nResults in {}",
        r.agents,
        r.options.replicates,
        m.engine_agent_days_per_s,
        m.wall_seconds.total,
        dir.display()
    );
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
                println!(
                    "{:<44} {:>14} {:<20} {:<10} {:<4} {}",
                    p.key, p.value, p.unit, p.kind, p.confidence, src
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
            crate::data::export(&ds, dir).map_err(failed)?;
            println!(
                "Wrote the dataset to {} (edit it and pass it with --data; derived/ is for reading only)",
                dir.display()
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn more_agents_than_32_bits_can_number_are_refused() {
        assert!(super::check_agent_count(14_465_332.0).is_ok());
        assert!(super::check_agent_count(u32::MAX as f64).is_ok());
        let e = super::check_agent_count(5.0e9).unwrap_err();
        assert_eq!(
            e,
            "the dataset at this --scale has 5000000000 workers to simulate; agents are numbered with 32 bits, so at most 4294967295: use a smaller --scale"
        );
    }
}
