//! One sweep from a checked design to its folder: resolve the options (with the memory
//! check) → make the folder (or the shard's) before the long work → build the population
//! once → run the points → write the experiments, bands, tables and charts → move the
//! folder into place. Also `wfhsim target` (a bisection over one factor) and the merge of
//! a sharded sweep's folders into the outputs an unsharded sweep writes, byte for byte.
//!
//! Layout of a sharded sweep: `OUT/NAME/shards/shard=KKKK-of-NNNN/` holds its
//! `experiments.parquet`, `manifest.json` and, written last, `_SUCCESS`; each shard folder
//! appears whole (written under a hidden name, then renamed). The merge writes
//! `design.parquet`, `experiments.parquet`, `points.parquet`, the tables and `charts/` into
//! `OUT/NAME/` beside `shards/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::data::Dataset;
use crate::export::{ExportError, ExportFile, json_file, sweep as files};
use crate::pipeline::{self, Baseline, OptionError, RunOptions, RunRequest};
use crate::population;
use crate::runfolder::{FolderError, RunDir};
use crate::structural::Uncertainty;
use crate::sweep::{self, Design, Experiment, Point, analyse, run, sample, target};

/// Marker written last into a finished shard folder.
pub const SUCCESS: &str = "_SUCCESS";
pub const SHARDS_DIR: &str = "shards";
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// Bad input: the design, an option, the shards of a merge (exit 2: do not retry).
    #[error("{0}")]
    Input(String),
    /// The folder cannot be used (exit 2).
    #[error(transparent)]
    Output(FolderError),
    /// Writing failed (exit 1: may succeed on retry).
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
}

impl SweepError {
    pub fn is_bad_input(&self) -> bool {
        match self {
            SweepError::Input(_) | SweepError::Output(_) => true,
            SweepError::Pipeline(e) => e.is_bad_input(),
            _ => false,
        }
    }
}

impl From<OptionError> for SweepError {
    fn from(e: OptionError) -> Self {
        SweepError::Input(e.0)
    }
}

/// `K/N`, 1-based.
pub fn parse_shard(s: &str) -> Result<(usize, usize), OptionError> {
    let bad = || {
        OptionError(format!(
            "--shard {s} is not allowed: give K/N with 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)"
        ))
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The shard a scheduler gave this task: Slurm job arrays (`SLURM_ARRAY_TASK_ID` minus
/// `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT`) or Kubernetes Indexed Jobs
/// (`JOB_COMPLETION_INDEX`, and `WFHSIM_SHARDS` = the Job's completions).
pub fn shard_from_env(
    kind: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(usize, usize), OptionError> {
    let num = |name: &str| -> Result<usize, OptionError> {
        let v = env(name).ok_or_else(|| {
            OptionError(format!(
                "--shard-from-env {kind}: the environment variable {name} is not set; is this running as a {} task?",
                if kind == "slurm" { "Slurm job-array" } else { "Kubernetes Indexed Job" }
            ))
        })?;
        v.trim().parse().map_err(|_| {
            OptionError(format!(
                "--shard-from-env {kind}: {name} = '{v}' is not a whole number"
            ))
        })
    };
    let (k, n) = match kind {
        "slurm" => {
            let id = num("SLURM_ARRAY_TASK_ID")?;
            let min = env("SLURM_ARRAY_TASK_MIN").map_or(Ok(0), |_| num("SLURM_ARRAY_TASK_MIN"))?;
            if id < min {
                return Err(OptionError(format!(
                    "--shard-from-env slurm: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                )));
            }
            (id - min + 1, num("SLURM_ARRAY_TASK_COUNT")?)
        }
        "k8s" => (num("JOB_COMPLETION_INDEX")? + 1, num("WFHSIM_SHARDS")?),
        _ => {
            return Err(OptionError(format!(
                "--shard-from-env {kind} is not allowed: use slurm or k8s"
            )));
        }
    };
    parse_shard(&format!("{k}/{n}")).map_err(|_| {
        OptionError(format!(
            "--shard-from-env {kind} gives shard {k} of {n}: it must be 1..{n}"
        ))
    })
}

/// The folder name of shard `k` of `n`.
pub fn shard_dir_name(k: usize, n: usize) -> String {
    format!("shard={k:04}-of-{n:04}")
}

/// What a sweep was asked to do.
#[derive(Debug, Clone)]
pub struct SweepRequest {
    pub design_path: PathBuf,
    pub out: PathBuf,
    /// The folder's name (default: the design's `name`).
    pub name: Option<String>,
    pub force: bool,
    pub shard: Option<(usize, usize)>,
    pub run: RunRequest,
    /// `--replicates` given on the command line (else the design's).
    pub replicates_given: bool,
    /// The command line, for a merge to tell how to run a missing shard.
    pub command: Vec<String>,
    /// `builtin` or the `--data` folder.
    pub dataset_origin: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DesignInfo {
    pub file: String,
    pub sha256: String,
    pub name: String,
    pub method: String,
    pub points: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Seconds {
    pub load: f64,
    pub population: f64,
    pub points: f64,
    pub write: f64,
    pub total: f64,
}

/// `manifest.json` of a sweep or of one shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepManifest {
    pub wfhsim_version: String,
    pub design: DesignInfo,
    pub dataset_origin: String,
    pub dataset_sha256: String,
    /// SHA-256 of the program that ran it: shards of different builds are not merged.
    pub binary_sha256: String,
    pub seed: u64,
    pub replicates: u32,
    pub scale: f64,
    pub uncertainty: String,
    pub threads: usize,
    /// `[k, n]` for a shard.
    pub shard: Option<[usize; 2]>,
    pub points_run: usize,
    pub experiments: usize,
    pub agents: usize,
    pub wall_seconds: Seconds,
    /// Wall seconds per point run (all its scenarios and replicates).
    pub seconds_per_point: f64,
    pub engine_agent_days_per_s: Option<f64>,
    pub peak_rss_bytes: Option<u64>,
    pub command: Vec<String>,
}

/// SHA-256 of the running program.
pub fn binary_sha256() -> String {
    std::env::current_exe()
        .and_then(std::fs::read)
        .map_or("unknown".into(), |b| sweep::design::sha256_hex(&b))
}

/// Reads a design file.
pub fn read_design(path: &Path, ds: &Dataset) -> Result<Design, SweepError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        SweepError::Input(format!("{}: cannot read the design: {e}", path.display()))
    })?;
    Design::parse(path, &text, ds).map_err(|e| SweepError::Input(e.to_string()))
}

fn resolve(
    d: &Design,
    ds: &Dataset,
    req: &SweepRequest,
    experiments: usize,
) -> Result<RunOptions, SweepError> {
    let mut r = req.run.clone();
    if !req.replicates_given {
        r.replicates = d.replicates;
    }
    // The memory check: the population and one point's replicate tables, as a run of
    // the base scenarios; then the experiments table.
    let scenarios: Vec<_> = d
        .scenarios
        .iter()
        .map(|t| t.variant(&d.file, &[], ds))
        .collect::<Result<_, _>>()
        .map_err(|e| SweepError::Input(e.to_string()))?;
    let opt = pipeline::prepare(ds, &scenarios, &r)?;
    let rows = experiments as f64 * opt.replicates as f64;
    let table_bytes = rows * (8.0 * d.outcomes.len() as f64 + 48.0) * 3.0;
    let need = pipeline::estimate(ds, &scenarios, opt.scale, opt.replicates).total() + table_bytes;
    if let Some(avail) = pipeline::memory::available_bytes()
        && need > avail as f64
    {
        return Err(SweepError::Input(format!(
            "{}: the design has {experiments} point-scenarios × {} replicates = {rows:.0} experiments; with the population and a point's tables it needs about {:.1} GB and {:.1} GB is available; split it with --shard K/N, or use fewer samples, levels or replicates",
            d.file,
            opt.replicates,
            need / 1e9,
            avail as f64 / 1e9
        )));
    }
    Ok(opt)
}

/// A finished sweep, shard or target search.
pub struct SweepOutcome {
    pub dir: PathBuf,
    pub manifest: SweepManifest,
    /// True when the shard was complete already and nothing ran.
    pub skipped: bool,
    pub target: Option<target::Found>,
    pub design: Design,
}

/// Progress events for the front end.
pub enum SweepProgress {
    Population { blocks: u64 },
    PopulationBlockDone,
    Points { total: u64 },
    PointDone,
}

fn note(d: &Design, opt: &RunOptions) -> String {
    format!(
        "wfhsim {} · design {} ({}) · seed {}, {} replicates per point, scale {}, {} uncertainty · data: the built-in dataset's sources (wfhsim data)",
        env!("CARGO_PKG_VERSION"),
        d.name,
        d.method.map_or("target", |m| m.as_str()),
        opt.seed,
        opt.replicates,
        opt.scale,
        opt.uncertainty.as_str()
    )
}

struct Built {
    pop: population::Population,
    base: Baseline,
    seconds: f64,
}

fn build(
    d: &Design,
    ds: &Dataset,
    opt: &RunOptions,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Built {
    let t = Instant::now();
    progress(SweepProgress::Population {
        blocks: (ds.n_regions() * ds.employers.len()) as u64,
    });
    let pop = population::synthesize(ds, opt.scale, opt.seed, &|_| {
        progress(SweepProgress::PopulationBlockDone)
    });
    // A factor fixing a structural row acts through the weights, drawn or not.
    let base = if opt.uncertainty == Uncertainty::Behavioural && run::fixes_structure(d, ds) {
        Baseline::with_fixed_structure(ds, &pop, opt.uncertainty)
    } else {
        Baseline::new(ds, &pop, opt.uncertainty)
    };
    Built {
        pop,
        base,
        seconds: t.elapsed().as_secs_f64(),
    }
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T, SweepError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| pipeline::PipelineError::ThreadPool { threads, source })?;
    Ok(pool.install(f))
}

/// Runs a sweep (or one shard of it) into its folder.
pub fn sweep(
    ds: &Dataset,
    req: &SweepRequest,
    load_seconds: f64,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Result<SweepOutcome, SweepError> {
    let t0 = Instant::now();
    let d = read_design(&req.design_path, ds)?;
    if d.method.is_none() {
        return Err(SweepError::Input(format!(
            "{}: method: this design has no method, only a [target]: run it with `wfhsim target {}`, or add method = \"grid\", \"oat\", \"lhs\" or \"sobol\"",
            d.file,
            req.design_path.display()
        )));
    }
    let name = req.name.clone().unwrap_or_else(|| d.name.clone());
    check_name(&name)?;
    // Refused before any point is made if it cannot fit.
    let count = (0..d.n_points())
        .filter(|&i| run::in_shard(i, req.shard))
        .count();
    let opt = resolve(&d, ds, req, count * d.scenarios.len())?;
    let all = sample::points(&d);
    let mine: Vec<Point> = all
        .iter()
        .filter(|p| run::in_shard(p.id, req.shard))
        .cloned()
        .collect();
    let prepared = run::prepare(&d, &mine, ds).map_err(|p| SweepError::Input(p.join("\n")))?;
    let root = req.out.join(&name);
    // The folder, before the long work.
    let target_dir = match req.shard {
        None => root.clone(),
        Some((k, n)) => root.join(SHARDS_DIR).join(shard_dir_name(k, n)),
    };
    if req.shard.is_some() && target_dir.join(SUCCESS).exists() {
        let text = std::fs::read_to_string(target_dir.join(MANIFEST)).unwrap_or_default();
        let manifest: SweepManifest = serde_json::from_str(&text).map_err(|e| {
            SweepError::Input(format!("{}: {e}", target_dir.join(MANIFEST).display()))
        })?;
        return Ok(SweepOutcome {
            dir: target_dir,
            manifest,
            skipped: true,
            target: None,
            design: d,
        });
    }
    let dir = RunDir::create(&target_dir, req.force || req.shard.is_some())
        .map_err(SweepError::Output)?;
    let (rows, built_seconds, agents, points_seconds, engine_rate) =
        in_pool(opt.threads, || -> Result<_, SweepError> {
            let b = build(&d, ds, &opt, progress);
            progress(SweepProgress::Points {
                total: prepared.len() as u64,
            });
            let t = Instant::now();
            let rows = run::run(&d, ds, &b.pop, &b.base, &prepared, opt, &|_| {
                progress(SweepProgress::PointDone)
            })?;
            Ok((
                rows,
                b.seconds,
                b.pop.len(),
                t.elapsed().as_secs_f64(),
                None,
            ))
        })??;
    let t_write = Instant::now();
    let mut out: Vec<ExportFile> = match req.shard {
        None => files::sweep_files(&d, &all, &rows, &note(&d, &opt))?,
        Some(_) => files::shard_files(&d, &all, &rows)?,
    };
    let manifest = SweepManifest {
        wfhsim_version: env!("CARGO_PKG_VERSION").into(),
        design: DesignInfo {
            file: std::fs::canonicalize(&req.design_path)
                .unwrap_or(req.design_path.clone())
                .display()
                .to_string(),
            sha256: d.sha256.clone(),
            name: d.name.clone(),
            method: d.method.map_or("target", |m| m.as_str()).into(),
            points: all.len(),
        },
        dataset_origin: req.dataset_origin.clone(),
        dataset_sha256: ds.hash(),
        binary_sha256: binary_sha256(),
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        uncertainty: opt.uncertainty.as_str().into(),
        threads: opt.threads,
        shard: req.shard.map(|(k, n)| [k, n]),
        points_run: prepared.len(),
        experiments: rows.len(),
        agents,
        wall_seconds: Seconds {
            load: load_seconds,
            population: built_seconds,
            points: points_seconds,
            write: t_write.elapsed().as_secs_f64(),
            total: load_seconds + t0.elapsed().as_secs_f64(),
        },
        seconds_per_point: points_seconds / prepared.len().max(1) as f64,
        engine_agent_days_per_s: engine_rate,
        peak_rss_bytes: pipeline::memory::peak_rss_bytes(),
        command: req.command.clone(),
    };
    out.push(json_file(MANIFEST, &manifest)?);
    if req.shard.is_some() {
        out.push(ExportFile {
            path: SUCCESS.into(),
            bytes: Vec::new(),
        });
    }
    dir.write(&out)?;
    let path = dir.commit()?;
    Ok(SweepOutcome {
        dir: path,
        manifest,
        skipped: false,
        target: None,
        design: d,
    })
}

fn check_name(name: &str) -> Result<(), SweepError> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(SweepError::Input(format!(
            "--name '{name}' must be a plain folder name"
        )));
    }
    Ok(())
}

/// Merges the complete shards of `root` into the outputs of an unsharded sweep.
pub fn merge(root: &Path, data: Option<&Path>) -> Result<SweepOutcome, SweepError> {
    let t0 = Instant::now();
    let shards_dir = root.join(SHARDS_DIR);
    let entries = std::fs::read_dir(&shards_dir).map_err(|e| {
        SweepError::Input(format!(
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
        let text = std::fs::read_to_string(p.join(MANIFEST))
            .map_err(|e| SweepError::Input(format!("{}: {e}", p.join(MANIFEST).display())))?;
        let m: SweepManifest = serde_json::from_str(&text).map_err(|e| {
            SweepError::Input(format!(
                "{}: not a shard manifest: {e}",
                p.join(MANIFEST).display()
            ))
        })?;
        found.push((p, m));
    }
    let Some((first_path, first)) = found.first().cloned() else {
        return Err(SweepError::Input(format!(
            "{}: no complete shard (a folder shard=K-of-N with {SUCCESS}); run the shards first",
            shards_dir.display()
        )));
    };
    let Some([_, n]) = first.shard else {
        return Err(SweepError::Input(format!(
            "{}: the manifest is not a shard's",
            first_path.display()
        )));
    };
    for (p, m) in &found {
        let differ = |what: &str, a: String, b: String| {
            SweepError::Input(format!(
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
        return Err(SweepError::Input(format!(
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
    let ds = match data {
        Some(d) => Dataset::from_dir(d)?,
        None if first.dataset_origin == "builtin" => Dataset::builtin()?,
        None => Dataset::from_dir(Path::new(&first.dataset_origin))?,
    };
    if ds.hash() != first.dataset_sha256 {
        return Err(SweepError::Input(format!(
            "the dataset ({}) is not the one the shards ran on (sha256 {} vs {}); pass --data with that folder",
            first.dataset_origin,
            ds.hash(),
            first.dataset_sha256
        )));
    }
    let design_path = PathBuf::from(&first.design.file);
    let d = read_design(&design_path, &ds)?;
    if d.sha256 != first.design.sha256 {
        return Err(SweepError::Input(format!(
            "{}: the design changed since the shards ran (sha256 {} vs {}); rerun the shards",
            design_path.display(),
            d.sha256,
            first.design.sha256
        )));
    }
    let points = sample::points(&d);
    let mut rows: Vec<Experiment> = Vec::new();
    for (p, _) in &found {
        rows.extend(files::read_experiments(&p.join("experiments.parquet"), &d)?);
    }
    let want = points.len() * d.scenarios.len() * first.replicates as usize;
    if rows.len() != want {
        return Err(SweepError::Input(format!(
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
    let mut out = files::sweep_files(&d, &points, &rows, &note(&d, &opt))?;
    let points_seconds: f64 = found.iter().map(|(_, m)| m.wall_seconds.points).sum();
    let manifest = SweepManifest {
        shard: None,
        points_run: points.len(),
        experiments: rows.len(),
        wall_seconds: Seconds {
            load: 0.0,
            population: found.iter().map(|(_, m)| m.wall_seconds.population).sum(),
            points: points_seconds,
            write: t0.elapsed().as_secs_f64(),
            total: t0.elapsed().as_secs_f64(),
        },
        seconds_per_point: points_seconds / points.len().max(1) as f64,
        peak_rss_bytes: pipeline::memory::peak_rss_bytes(),
        command: std::env::args().collect(),
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

/// The command that ran a shard, with `--shard k/n` in place of the shard option.
fn shard_command(cmd: &[String], k: usize, n: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cmd.len() {
        match cmd[i].as_str() {
            "--shard" | "--shard-from-env" => i += 2,
            s if s.starts_with("--shard=") || s.starts_with("--shard-from-env=") => i += 1,
            s => {
                out.push(s.to_string());
                i += 1;
            }
        }
    }
    out.push(format!("--shard {k}/{n}"));
    out.join(" ")
}

/// Writes a merge's files into `root`: all into a hidden folder first, then each moved
/// into place.
fn write_beside(root: &Path, out: &[ExportFile]) -> Result<(), SweepError> {
    let tmp_target = root.join(format!(".merge-{}", std::process::id()));
    let dir = RunDir::create(&tmp_target, true).map_err(SweepError::Output)?;
    dir.write(out)?;
    let staged = dir.commit()?;
    let io = |p: &Path, e: std::io::Error| SweepError::Input(format!("{}: {e}", p.display()));
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

/// `wfhsim target`: searches the design's [target] factor.
pub fn search_target(
    ds: &Dataset,
    req: &SweepRequest,
    load_seconds: f64,
    progress: &(dyn Fn(SweepProgress) + Sync),
) -> Result<SweepOutcome, SweepError> {
    let t0 = Instant::now();
    let mut d = read_design(&req.design_path, ds)?;
    let Some(spec) = d.target.clone() else {
        return Err(SweepError::Input(format!(
            "{}: target: the design has no [target] section (factor, outcome, value); add one to search",
            d.file
        )));
    };
    let name = req.name.clone().unwrap_or_else(|| d.name.clone());
    check_name(&name)?;
    let sweep::Settings::Range(lo, hi) = d.factors[spec.factor].settings else {
        return Err(SweepError::Input(format!(
            "{}: target.factor needs a range",
            d.file
        )));
    };
    let opt = resolve(&d, ds, req, 64 * d.scenarios.len())?;
    let dir = RunDir::create(&req.out.join(&name), req.force).map_err(SweepError::Output)?;
    // The search runs on the first scenario and the target's outcome, the other factors
    // central; the report shows it first.
    let o = d.outcomes.iter().position(|x| *x == spec.outcome);
    let o = match o {
        Some(i) => i,
        None => {
            d.outcomes.insert(0, spec.outcome);
            0
        }
    };
    d.outcomes.swap(0, o);
    d.scenarios.truncate(1);
    let point_at = |id: usize, x: f64| Point {
        id,
        values: d
            .factors
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if i == spec.factor {
                    toml::Value::Float(x)
                } else {
                    f.central.clone()
                }
            })
            .collect(),
    };
    let (found, rows, points, built_seconds, agents, points_seconds) =
        in_pool(opt.threads, || -> Result<_, SweepError> {
            let b = build(&d, ds, &opt, progress);
            let steps =
                spec.curve_points + 2 * ((hi - lo) / spec.tolerance).log2().ceil() as usize + 4;
            progress(SweepProgress::Points {
                total: steps as u64,
            });
            let t = Instant::now();
            let mut rows: Vec<Experiment> = Vec::new();
            let mut points: Vec<Point> = Vec::new();
            let mut eval = |x: f64| -> Result<Vec<f64>, SweepError> {
                let p = point_at(points.len(), x);
                let prepared = run::prepare(&d, std::slice::from_ref(&p), ds)
                    .map_err(|e| SweepError::Input(e.join("\n")))?;
                let r = run::run(&d, ds, &b.pop, &b.base, &prepared, opt, &|_| {})?;
                progress(SweepProgress::PointDone);
                let v: Vec<f64> = r.iter().map(|e| e.outcomes[0]).collect();
                points.push(p);
                rows.extend(r);
                Ok(v)
            };
            let found = target::search(
                lo,
                hi,
                spec.value,
                spec.probability,
                spec.tolerance,
                spec.curve_points,
                &mut eval,
            )?;
            Ok((
                found,
                rows,
                points,
                b.seconds,
                b.pop.len(),
                t.elapsed().as_secs_f64(),
            ))
        })??;
    let t_write = Instant::now();
    let bands = analyse::point_bands(&d, &rows);
    // The design's points are the settings evaluated, in order.
    let mut out = vec![];
    {
        use polars::prelude::*;
        let f = &d.factors[spec.factor];
        let mut df = DataFrame::new(
            2,
            vec![
                Column::new("scenario".into(), vec![d.scenarios[0].name.clone(); 2]),
                Column::new("factor".into(), vec![f.key.clone(); 2]),
                Column::new("outcome".into(), vec![spec.outcome.name.to_string(); 2]),
                Column::new("target".into(), vec![spec.value; 2]),
                Column::new(
                    "criterion".into(),
                    vec![
                        "median".to_string(),
                        format!("{:.0}% of replicates", 100.0 * spec.probability),
                    ],
                ),
                Column::new("setting".into(), vec![found.median, found.probable]),
                Column::new(
                    "reached_in_range".into(),
                    vec![found.median.is_some(), found.probable.is_some()],
                ),
                Column::new("range_low".into(), vec![lo; 2]),
                Column::new("range_high".into(), vec![hi; 2]),
                Column::new("tolerance".into(), vec![spec.tolerance; 2]),
            ],
        )
        .map_err(|source| ExportError::Table {
            what: "target.csv".into(),
            source,
        })?;
        let mut bytes = Vec::new();
        CsvWriter::new(&mut bytes)
            .include_header(true)
            .finish(&mut df)
            .map_err(|source| ExportError::Table {
                what: "target.csv".into(),
                source,
            })?;
        out.push(ExportFile {
            path: "target.csv".into(),
            bytes,
        });
    }
    let mut curve_design = d.clone();
    curve_design.method = Some(sweep::Method::Lhs);
    curve_design.samples = points.len();
    out.push(ExportFile {
        path: "experiments.parquet".into(),
        bytes: files::shard_files(&curve_design, &points, &rows)?
            .remove(0)
            .bytes,
    });
    out.extend(files::charts(
        &curve_design,
        &points,
        &bands,
        Some(&found),
        &note(&d, &opt),
    )?);
    let manifest = SweepManifest {
        wfhsim_version: env!("CARGO_PKG_VERSION").into(),
        design: DesignInfo {
            file: req.design_path.display().to_string(),
            sha256: d.sha256.clone(),
            name: d.name.clone(),
            method: "target".into(),
            points: points.len(),
        },
        dataset_origin: req.dataset_origin.clone(),
        dataset_sha256: ds.hash(),
        binary_sha256: binary_sha256(),
        seed: opt.seed,
        replicates: opt.replicates,
        scale: opt.scale,
        uncertainty: opt.uncertainty.as_str().into(),
        threads: opt.threads,
        shard: None,
        points_run: points.len(),
        experiments: rows.len(),
        agents,
        wall_seconds: Seconds {
            load: load_seconds,
            population: built_seconds,
            points: points_seconds,
            write: t_write.elapsed().as_secs_f64(),
            total: load_seconds + t0.elapsed().as_secs_f64(),
        },
        seconds_per_point: points_seconds / points.len().max(1) as f64,
        engine_agent_days_per_s: None,
        peak_rss_bytes: pipeline::memory::peak_rss_bytes(),
        command: req.command.clone(),
    };
    out.push(json_file(MANIFEST, &manifest)?);
    dir.write(&out)?;
    let path = dir.commit()?;
    Ok(SweepOutcome {
        dir: path,
        manifest,
        skipped: false,
        target: Some(found),
        design: d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_one_based_and_bounded() {
        assert_eq!(parse_shard("1/4").unwrap(), (1, 4));
        assert_eq!(parse_shard("4/4").unwrap(), (4, 4));
        for s in ["0/4", "5/4", "1/0", "x/4", "3", "-1/4"] {
            assert_eq!(
                parse_shard(s).unwrap_err().0,
                format!(
                    "--shard {s} is not allowed: give K/N with 1 <= K <= N, e.g. --shard 2/4 (shards are numbered from 1)"
                )
            );
        }
    }

    #[test]
    fn schedulers_give_the_shard_through_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(a, _)| *a == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env("slurm", &slurm).unwrap(), (3, 4));
        let zero = env(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(shard_from_env("slurm", &zero).unwrap(), (1, 4));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3"), ("WFHSIM_SHARDS", "4")]);
        assert_eq!(shard_from_env("k8s", &k8s).unwrap(), (4, 4));
        let bad = env(&[("JOB_COMPLETION_INDEX", "4"), ("WFHSIM_SHARDS", "4")]);
        assert_eq!(
            shard_from_env("k8s", &bad).unwrap_err().0,
            "--shard-from-env k8s gives shard 5 of 4: it must be 1..4"
        );
        let none = env(&[]);
        assert_eq!(
            shard_from_env("k8s", &none).unwrap_err().0,
            "--shard-from-env k8s: the environment variable JOB_COMPLETION_INDEX is not set; is this running as a Kubernetes Indexed Job task?"
        );
    }

    #[test]
    fn a_missing_shards_command_is_the_original_with_its_shard() {
        let cmd: Vec<String> = [
            "wfhsim",
            "sweep",
            "d.toml",
            "--name",
            "x",
            "--shard-from-env",
            "slurm",
            "--threads",
            "2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            shard_command(&cmd, 2, 4),
            "wfhsim sweep d.toml --name x --threads 2 --shard 2/4"
        );
    }
}
