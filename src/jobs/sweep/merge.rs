//! `wfhsim sweep merge`: the complete shards of a sweep folder, checked to belong
//! together, into the outputs an unsharded sweep writes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::manifest::{Seconds, SweepManifest};
use super::shard::shard_command;
use super::{MANIFEST, SHARDS_DIR, SUCCESS, SweepOutcome, note, read_design, shard_dir_name};
use crate::jobs::JobError;
use wfhsim_core::data::Dataset;
use wfhsim_core::simulate::RunOptions;
use wfhsim_core::structural::Uncertainty;
use wfhsim_core::sweep::{Experiment, SweepResults, sample};
use wfhsim_report::export::{ExportFile, json_file, sweep as files};
use wfhsim_report::labels::Langs;
use wfhsim_report::runfolder::RunDir;

/// Merges the complete shards of `root` into the outputs of an unsharded sweep, its
/// charts in `lang` or, when `None`, in the language the shards ran with (the same
/// bytes as an unsharded sweep in that language).
pub fn merge(
    root: &Path,
    data: Option<&Path>,
    lang: Option<Langs>,
) -> Result<SweepOutcome, JobError> {
    let t0 = Instant::now();
    let shards_dir = root.join(SHARDS_DIR);
    let entries = std::fs::read_dir(&shards_dir).map_err(|e| {
        JobError::Input(format!(
            "{}: cannot read the shards: {e}; a sharded sweep writes them with --shard K/N",
            shards_dir.display()
        ))
    })?;
    let found = complete_shards(entries)?;
    let Some((first_path, first)) = found.first().cloned() else {
        return Err(JobError::Input(format!(
            "{}: no complete shard (a folder shard=K-of-N with {SUCCESS}); run the shards first",
            shards_dir.display()
        )));
    };
    let n = same_sweep(&found, &first_path, &first)?;
    none_missing(&found, &first, n, &shards_dir)?;
    let (ds, d) = shards_inputs(data, &first)?;
    let points = sample::points(&d);
    let mut rows: Vec<Experiment> = Vec::new();
    for (p, _) in &found {
        rows.extend(files::read_experiments(&p.join("experiments.parquet"), &d)?);
    }
    let want = points.len() * d.scenarios.len() * first.replicates as usize;
    if rows.len() != want {
        return Err(JobError::Input(format!(
            "{}: the shards hold {} experiments, the design needs {want}",
            shards_dir.display(),
            rows.len()
        )));
    }
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
    let points = &results.points;
    let points_seconds: f64 = found.iter().map(|(_, m)| m.wall_seconds.points).sum();
    let manifest = SweepManifest {
        shard: None,
        points_run: points.len(),
        experiments,
        wall_seconds: Seconds {
            load: 0.0,
            population: found.iter().map(|(_, m)| m.wall_seconds.population).sum(),
            points: points_seconds,
            write: t0.elapsed().as_secs_f64(),
            total: t0.elapsed().as_secs_f64(),
        },
        seconds_per_point: points_seconds / points.len().max(1) as f64,
        peak_rss_bytes: crate::jobs::host::peak_rss_bytes(),
        command: std::env::args().collect(),
        lang: Some(langs.code().into()),
        ..first.clone()
    };
    out.push(json_file(MANIFEST, &manifest)?);
    write_beside(root, &out)?;
    Ok(SweepOutcome {
        dir: root.to_path_buf(),
        manifest,
        skipped: false,
        target: None,
        design: d,
    })
}

/// The language every shard's charts would have had: the one they ran with (`id` for a
/// shard whose manifest does not say); shards run in different languages need `--lang`.
fn shards_lang(found: &[(PathBuf, SweepManifest)]) -> Result<Langs, JobError> {
    let code = |m: &SweepManifest| m.lang.clone().unwrap_or_else(|| "id".into());
    let first = found.first().map(|(_, m)| code(m)).unwrap_or_default();
    if let Some((p, m)) = found.iter().find(|(_, m)| code(m) != first) {
        return Err(JobError::Input(format!(
            "{}: this shard ran with --lang {} and the first with --lang {first}; choose the charts' language with `wfhsim sweep merge --lang`",
            p.display(),
            code(m)
        )));
    }
    Langs::parse(&first).ok_or_else(|| {
        JobError::Input(format!(
            "the shards' manifests give the language '{first}'; it must be {}",
            Langs::ALLOWED
        ))
    })
}

/// Writes a merge's files into `root`: all into a hidden folder first, then each moved
/// into place.
fn write_beside(root: &Path, out: &[ExportFile]) -> Result<(), JobError> {
    let tmp_target = root.join(format!(".merge-{}", std::process::id()));
    let dir = RunDir::create(&tmp_target, true).map_err(JobError::Output)?;
    dir.write(out)?;
    let staged = dir.commit()?;
    let io = |p: &Path, e: std::io::Error| JobError::Input(format!("{}: {e}", p.display()));
    let mut tops: Vec<String> = out
        .iter()
        .map(|f| f.path.split('/').next().unwrap_or_default().to_string())
        .collect();
    tops.sort();
    tops.dedup();
    for t in tops {
        let (from, to) = (staged.join(&t), root.join(&t));
        if to.is_dir() {
            std::fs::remove_dir_all(&to).map_err(|e| io(&to, e))?;
        }
        std::fs::rename(&from, &to).map_err(|e| io(&to, e))?;
    }
    std::fs::remove_dir_all(&staged).map_err(|e| io(&staged, e))?;
    Ok(())
}

/// The complete shard folders (`shard=…` with `_SUCCESS`) and their manifests, by name.
fn complete_shards(entries: std::fs::ReadDir) -> Result<Vec<(PathBuf, SweepManifest)>, JobError> {
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
        let text = std::fs::read_to_string(p.join(MANIFEST))
            .map_err(|e| JobError::Input(format!("{}: {e}", p.join(MANIFEST).display())))?;
        let m: SweepManifest = serde_json::from_str(&text).map_err(|e| {
            JobError::Input(format!(
                "{}: not a shard manifest: {e}",
                p.join(MANIFEST).display()
            ))
        })?;
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
    let Some([_, n]) = first.shard else {
        return Err(JobError::Input(format!(
            "{}: the manifest is not a shard's",
            first_path.display()
        )));
    };
    for (p, m) in found {
        let differ = |what: &str, a: String, b: String| {
            JobError::Input(format!(
                "{} and {} come from different sweeps: {what} {a} vs {b}; merge only shards of one design, dataset and program (rerun the odd ones)",
                first_path.display(),
                p.display()
            ))
        };
        let n_m = m.shard.map_or(0, |s| s[1]);
        if n_m != n {
            return Err(differ("shard count", n.to_string(), n_m.to_string()));
        }
        for (what, a, b) in [
            ("design sha256", &first.design.sha256, &m.design.sha256),
            ("dataset sha256", &first.dataset_sha256, &m.dataset_sha256),
            ("program sha256", &first.binary_sha256, &m.binary_sha256),
            ("uncertainty", &first.uncertainty, &m.uncertainty),
        ] {
            if a != b {
                return Err(differ(what, a.clone(), b.clone()));
            }
        }
        if (first.seed, first.replicates) != (m.seed, m.replicates) || first.scale != m.scale {
            return Err(differ(
                "seed/replicates/scale",
                format!("{}/{}/{}", first.seed, first.replicates, first.scale),
                format!("{}/{}/{}", m.seed, m.replicates, m.scale),
            ));
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

/// The dataset and design the shards ran on (refused if either changed since).
fn shards_inputs(
    data: Option<&Path>,
    first: &SweepManifest,
) -> Result<(Dataset, wfhsim_core::sweep::Design), JobError> {
    let ds = match data {
        Some(d) => Dataset::from_dir(d)?,
        None if first.dataset_origin == "builtin" => Dataset::builtin()?,
        None => Dataset::from_dir(Path::new(&first.dataset_origin))?,
    };
    if ds.hash() != first.dataset_sha256 {
        return Err(JobError::Input(format!(
            "the dataset ({}) is not the one the shards ran on (sha256 {} vs {}); pass --data with that folder",
            first.dataset_origin,
            ds.hash(),
            first.dataset_sha256
        )));
    }
    let design_path = PathBuf::from(&first.design.file);
    let d = read_design(&design_path, &ds)?;
    if d.sha256 != first.design.sha256 {
        return Err(JobError::Input(format!(
            "{}: the design changed since the shards ran (sha256 {} vs {}); rerun the shards",
            design_path.display(),
            d.sha256,
            first.design.sha256
        )));
    }
    Ok((ds, d))
}
