//! `wfhsim sweep merge`: the complete shards of a sweep folder, checked to belong
//! together, to the dataset and design the merge is given and, row by row, to their
//! shards (`rows.rs`), into the outputs an unsharded sweep writes — published as a whole
//! (`publish.rs`), never over finished results without `--force`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::manifest::{Seconds, SweepManifest, read_manifest};
use super::shard::shard_command;
use super::{
    MANIFEST, SHARDS_DIR, SUCCESS, SweepOutcome, note, publish, read_design, rows, shard_dir_name,
};
use crate::jobs::JobError;
use wfhsim_core::data::Dataset;
use wfhsim_core::simulate::RunOptions;
use wfhsim_core::structural::Uncertainty;
use wfhsim_core::sweep::design::MAX_POINTS;
use wfhsim_core::sweep::{Design, SweepResults, sample};
use wfhsim_report::export::{json_file, sweep as files};
use wfhsim_report::labels::Langs;

/// Merges the complete shards of `root` into the outputs of an unsharded sweep, its
/// charts in `lang` or, when `None`, in the language the shards ran with (the same
/// bytes as an unsharded sweep in that language). `data`: the dataset folder the shards
/// ran on (default: the one their manifests name), `pools` the `--pool` definitions they
/// ran with. `force`: replace finished results.
pub fn merge(
    root: &Path,
    data: Option<&Path>,
    pools: &[String],
    lang: Option<Langs>,
    force: bool,
) -> Result<SweepOutcome, JobError> {
    let t0 = Instant::now();
    let _turn = publish::take_turn(root);
    let had_results = publish::finished_results(root, force)?;
    let shards_dir = root.join(SHARDS_DIR);
    let found = complete_shards(&shards_dir)?;
    let Some((first_path, first)) = found.first().cloned() else {
        return Err(JobError::Input(format!(
            "{}: no complete shard (a folder shard=K-of-N with {SUCCESS}); run the shards first",
            shards_dir.display()
        )));
    };
    let n = same_sweep(&found, &first_path, &first)?;
    none_missing(&found, &first, n, &shards_dir)?;
    let (ds, d) = shards_inputs(data, pools, &first)?;
    let points = sample::points(&d);
    let rows = rows::shard_rows(&found, &d, &points, n, first.replicates)?;
    let opt = RunOptions {
        seed: first.seed,
        replicates: first.replicates,
        scale: first.scale,
        threads: first.threads,
        uncertainty: Uncertainty::parse(&first.uncertainty).unwrap_or_default(),
    };
    let langs = match lang {
        Some(l) => l,
        None => shards_lang(&found)?,
    };
    let experiments = rows.len();
    let results = SweepResults::analyse(&d, points, rows, None);
    let mut out = files::sweep_files(&results, &note(&ds, &opt), langs)?;
    let manifest = merged_manifest(&found, &first, results.points.len(), experiments, t0, langs);
    out.push(json_file(MANIFEST, &manifest)?);
    publish::publish(root, &out, had_results, force)?;
    Ok(SweepOutcome {
        dir: root.to_path_buf(),
        manifest,
        skipped: false,
        target: None,
        design: d,
    })
}

/// The merged sweep's manifest: the first shard's, with the whole sweep's counts and the
/// shards' summed timings.
fn merged_manifest(
    found: &[(PathBuf, SweepManifest)],
    first: &SweepManifest,
    points: usize,
    experiments: usize,
    t0: Instant,
    langs: Langs,
) -> SweepManifest {
    let points_seconds: f64 = found.iter().map(|(_, m)| m.wall_seconds.points).sum();
    SweepManifest {
        shard: None,
        points_run: points,
        experiments,
        wall_seconds: Seconds {
            load: 0.0,
            population: found.iter().map(|(_, m)| m.wall_seconds.population).sum(),
            points: points_seconds,
            write: t0.elapsed().as_secs_f64(),
            total: t0.elapsed().as_secs_f64(),
        },
        seconds_per_point: points_seconds / points.max(1) as f64,
        peak_rss_bytes: crate::jobs::host::peak_rss_bytes(),
        command: std::env::args().collect(),
        lang: Some(langs.code().into()),
        ..first.clone()
    }
}

/// The language every shard's charts would have had: the one they ran with (`id` for a
/// shard whose manifest does not say); shards run in different languages need `--lang`.
fn shards_lang(found: &[(PathBuf, SweepManifest)]) -> Result<Langs, JobError> {
    let first = found
        .first()
        .map(|(_, m)| m.lang_code())
        .unwrap_or_default();
    if let Some((p, m)) = found.iter().find(|(_, m)| m.lang_code() != first) {
        return Err(JobError::Input(format!(
            "{}: this shard ran with --lang {} and the first with --lang {first}; choose the charts' language with `wfhsim sweep merge --lang`",
            p.display(),
            m.lang_code()
        )));
    }
    Langs::parse(&first).ok_or_else(|| {
        JobError::Input(format!(
            "the shards' manifests give the language '{first}'; it must be {}",
            Langs::ALLOWED
        ))
    })
}

/// The complete shard folders (`shard=…` with `_SUCCESS`) and their manifests, by name;
/// each manifest must be a shard's, the one its folder is named after.
fn complete_shards(shards_dir: &Path) -> Result<Vec<(PathBuf, SweepManifest)>, JobError> {
    let entries = std::fs::read_dir(shards_dir).map_err(|e| {
        JobError::Input(format!(
            "{}: cannot read the shards: {e}; a sharded sweep writes them with --shard K/N",
            shards_dir.display()
        ))
    })?;
    let mut found: Vec<(PathBuf, SweepManifest)> = Vec::new();
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names {
        let fname = p
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !fname.starts_with("shard=") || !p.join(SUCCESS).exists() {
            continue;
        }
        let m = read_manifest(&p.join(MANIFEST))?;
        let Some([k, n]) = m.shard else {
            return Err(JobError::Input(format!(
                "{}: the manifest is not a shard's",
                p.join(MANIFEST).display()
            )));
        };
        // Bounds before any loop over shards or replicates: a manifest edited by hand
        // must not make the merge count to a billion.
        let most = m.design.points.min(MAX_POINTS);
        let reps = 1..=wfhsim_core::simulate::MAX_REPLICATES;
        if k == 0 || k > n || n > most || !reps.contains(&m.replicates) {
            return Err(JobError::Input(format!(
                "{}: shard {k} of {n} with {} replicates is not a shard of a design of {} points (1 <= K <= N <= points, 1 to {} replicates); run that shard again with --force",
                p.join(MANIFEST).display(),
                m.replicates,
                m.design.points,
                reps.end()
            )));
        }
        if shard_dir_name(k, n) != fname {
            return Err(JobError::Input(format!(
                "{}: the manifest is shard {k} of {n}'s, in the folder {fname}; run that shard again with --force",
                p.join(MANIFEST).display()
            )));
        }
        found.push((p, m));
    }
    Ok(found)
}

/// Refuses shards of different sweeps; returns their number of shards.
fn same_sweep(
    found: &[(PathBuf, SweepManifest)],
    first_path: &Path,
    first: &SweepManifest,
) -> Result<usize, JobError> {
    let n = first.shard.map_or(0, |s| s[1]);
    for (p, m) in found {
        let differ = |what: &str, a: String, b: String| {
            JobError::Input(format!(
                "{} and {} come from different sweeps: {what} {a} vs {b}; merge only shards of one design, dataset, program and options (run the odd ones again with --force)",
                first_path.display(),
                p.display()
            ))
        };
        let n_m = m.shard.map_or(0, |s| s[1]);
        if n_m != n {
            return Err(differ("shard count", n.to_string(), n_m.to_string()));
        }
        if let Some((what, a, b)) = first.key().differences(&m.key()).into_iter().next() {
            return Err(differ(what, a, b));
        }
    }
    Ok(n)
}

/// Refuses a merge with a shard missing or unfinished, naming the commands that run each.
fn none_missing(
    found: &[(PathBuf, SweepManifest)],
    first: &SweepManifest,
    n: usize,
    shards_dir: &Path,
) -> Result<(), JobError> {
    let have: Vec<usize> = found
        .iter()
        .filter_map(|(_, m)| m.shard.map(|s| s[0]))
        .collect();
    let missing: Vec<usize> = (1..=n).filter(|k| !have.contains(k)).collect();
    if !missing.is_empty() {
        let cmds: Vec<String> = missing
            .iter()
            .map(|k| format!("  {}", shard_command(&first.command, *k, n)))
            .collect();
        return Err(JobError::Input(format!(
            "{}: {} of {n} shards are missing or unfinished ({}); run each, then merge again:\n{}",
            shards_dir.display(),
            missing.len(),
            missing
                .iter()
                .map(|k| shard_dir_name(*k, n))
                .collect::<Vec<_>>()
                .join(", "),
            cmds.join("\n")
        )));
    }
    Ok(())
}

/// The dataset and design the shards ran on (refused if either differs: `--data` given
/// another dataset, or the files changed since).
fn shards_inputs(
    data: Option<&Path>,
    pools: &[String],
    first: &SweepManifest,
) -> Result<(Dataset, Design), JobError> {
    let ds = match data {
        Some(d) => Dataset::from_dir(d)?,
        None if first.dataset_origin == "builtin" => Dataset::builtin()?,
        None => Dataset::from_dir(Path::new(&first.dataset_origin))?,
    }
    .with_pools(pools)?;
    if ds.hash() != first.dataset_sha256 {
        let given = data.map_or(first.dataset_origin.clone(), |d| d.display().to_string());
        let advice = if first.dataset_origin == "builtin" {
            "leave --data out and give the --pool the shards ran with, if any".to_string()
        } else {
            "pass --data with a folder holding that dataset (and the shards' --pool, if any)"
                .to_string()
        };
        return Err(JobError::Input(format!(
            "the dataset {given} (sha256 {}) is not the one the shards ran on ({}, sha256 {}); {advice}",
            ds.hash(),
            first.dataset_origin,
            first.dataset_sha256
        )));
    }
    let design_path = PathBuf::from(&first.design.file);
    let d = read_design(&design_path, &ds)?;
    if d.sha256 != first.design.sha256 {
        return Err(JobError::Input(format!(
            "{}: the design changed since the shards ran (sha256 {} vs {}); run the shards again with --force",
            design_path.display(),
            d.sha256,
            first.design.sha256
        )));
    }
    Ok((ds, d))
}
