//! `wfhsim sweep`, `wfhsim sweep merge` and `wfhsim target`: load the dataset, call
//! [`crate::jobs::sweep`], show progress, print what was found.

use std::time::Instant;

use super::args::{SweepArgs, SweepCmd, SweepSub};
use super::failure::{Failure, bad_input};
use super::inputs::load_data;
use super::progress::SweepBars;
use crate::jobs::command::shell_word;
use crate::jobs::sweep::{self, SweepOutcome, SweepRequest};

fn request(a: &SweepArgs) -> Result<SweepRequest, Failure> {
    let shard = match (&a.shard, &a.shard_from_env) {
        (Some(s), _) => Some(sweep::parse_shard(s).map_err(bad_input)?),
        (None, Some(kind)) => {
            Some(sweep::shard_from_env(kind, &|k| std::env::var(k).ok()).map_err(bad_input)?)
        }
        (None, None) => None,
    };
    Ok(SweepRequest {
        design_path: a.design.clone().expect("clap requires the design"),
        out: a.out.clone(),
        name: a.name.clone(),
        force: a.force,
        shard,
        run: a.sim.request(a.replicates.unwrap_or(1)),
        replicates_given: a.replicates.is_some(),
        command: std::env::args().collect(),
        dataset_origin: a
            .data
            .data
            .as_ref()
            .map_or("builtin".to_string(), |d| d.display().to_string()),
        langs: a.lang.lang,
    })
}

pub fn sweep(c: SweepCmd) -> Result<(), Failure> {
    if let Some(SweepSub::Merge {
        dir,
        data,
        lang,
        force,
    }) = c.merge
    {
        let o = sweep::merge(&dir, data.data.as_deref(), &data.pool, lang, force)?;
        println!(
            "Merged {} shards: {} points, {} experiments into {}",
            count_shards(&dir),
            o.manifest.points_run,
            o.manifest.experiments,
            o.dir.display()
        );
        return Ok(());
    }
    let t0 = Instant::now();
    let a = c.args;
    let ds = load_data(&a.data)?;
    let req = request(&a)?;
    let bars = SweepBars::new();
    let o = sweep::sweep(&ds, &req, t0.elapsed().as_secs_f64(), &|p| bars.update(p));
    bars.finish();
    let o = o?;
    report(&o);
    Ok(())
}

/// The shard folders of a sweep (hidden ones being written are not shards yet).
fn count_shards(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join(sweep::SHARDS_DIR)).map_or(0, |r| {
        r.flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("shard="))
            .count()
    })
}

fn report(o: &SweepOutcome) {
    let m = &o.manifest;
    if o.skipped {
        println!(
            "Shard {} of {} is complete already ({}); nothing to do",
            m.shard.map_or(0, |s| s[0]),
            m.shard.map_or(0, |s| s[1]),
            o.dir.display()
        );
        return;
    }
    println!(
        "{} points × {} scenarios × {} replicates = {} experiments · {:.2} s per point · total {:.1} s",
        m.points_run,
        o.design.scenarios.len(),
        m.replicates,
        m.experiments,
        m.seconds_per_point,
        m.wall_seconds.total
    );
    match m.shard {
        Some([k, n]) => println!(
            "Shard {k} of {n} in {}; when every shard is done: wfhsim sweep merge {}",
            o.dir.display(),
            shell_word(
                &o.dir
                    .parent()
                    .and_then(|p| p.parent())
                    .map_or(String::new(), |p| p.display().to_string())
            )
        ),
        None => println!("Results in {}", o.dir.display()),
    }
}

pub fn target(a: SweepArgs) -> Result<(), Failure> {
    let t0 = Instant::now();
    let ds = load_data(&a.data)?;
    let req = request(&a)?;
    if req.shard.is_some() {
        return Err(bad_input(anyhow::anyhow!(
            "--shard: a target search chooses each setting from the ones before and cannot be split; run it without --shard"
        )));
    }
    let bars = SweepBars::new();
    let o = crate::jobs::target::search_target(&ds, &req, t0.elapsed().as_secs_f64(), &|p| {
        bars.update(p)
    });
    bars.finish();
    let o = o?;
    super::target::print_target(&o);
    Ok(())
}
