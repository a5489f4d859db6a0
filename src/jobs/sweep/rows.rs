//! The experiments of a sharded sweep's shards, read back and checked row by row before
//! a merge: the table's own checks (columns, point in the design, scenario, factor values
//! those of `design.parquet`: `wfhsim_report::export::sweep::read_shard_experiments`),
//! then the shards': each row's point is one of its shard's (point mod N = K - 1), its
//! replicate one the shards ran, and every (point, scenario, replicate) of each shard is
//! there exactly once. Anything else is refused naming the shard's file and the row: a
//! merge publishes the unsharded sweep's results or nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::SweepManifest;
use crate::jobs::JobError;
use wfhsim_core::sweep::{Design, Experiment, Point};
use wfhsim_report::export::sweep as files;

/// The experiments file of a shard folder.
pub(super) const EXPERIMENTS: &str = "experiments.parquet";

/// Where a row was read: the shard folder's name and the row's number in its file.
type Place = (String, usize);

/// Every shard's experiments, checked; `found` are the complete shards (`k` of `n`).
pub(super) fn shard_rows(
    found: &[(PathBuf, SweepManifest)],
    d: &Design,
    points: &[Point],
    n: usize,
    replicates: u32,
) -> Result<Vec<Experiment>, JobError> {
    let mut seen: BTreeMap<(u32, u32, u32), Place> = BTreeMap::new();
    let mut all = Vec::new();
    for (dir, m) in found {
        let k = m.shard.map_or(0, |s| s[0]);
        let file = dir.join(EXPERIMENTS);
        let bad = |what: String| {
            JobError::Input(format!(
                "{} {what}; run shard {k} of {n} again with --force",
                file.display()
            ))
        };
        let rows =
            files::read_shard_experiments(&file, d, points).map_err(|e| bad(e.to_string()))?;
        let shard = folder(dir);
        for (i, e) in rows.iter().enumerate() {
            check_row(e, k, n, replicates, d, (&shard, i), &mut seen).map_err(&bad)?;
        }
        complete(&rows, k, n, replicates, d, points).map_err(&bad)?;
        all.extend(rows);
    }
    Ok(all)
}

fn folder(dir: &Path) -> String {
    dir.file_name()
        .map_or(String::new(), |f| f.to_string_lossy().into_owned())
}

/// One row: in its shard, a replicate the shards ran, not seen before.
fn check_row(
    e: &Experiment,
    k: usize,
    n: usize,
    replicates: u32,
    d: &Design,
    (shard, i): (&str, usize),
    seen: &mut BTreeMap<(u32, u32, u32), Place>,
) -> Result<(), String> {
    let p = e.point as usize;
    if p % n != k - 1 {
        return Err(format!(
            "row {i}: point {p} belongs to shard {} of {n} (point mod {n} = {}), not to shard {k}",
            p % n + 1,
            p % n
        ));
    }
    if e.replicate >= replicates {
        return Err(format!(
            "row {i}: replicate {} is not in 0..{} (the shards ran {replicates} replicates)",
            e.replicate,
            replicates - 1
        ));
    }
    let scenario = &d.scenarios[e.scenario as usize].name;
    if let Some((other, j)) = seen.insert((e.point, e.scenario, e.replicate), (shard.into(), i)) {
        let at = if other == shard {
            format!("row {j}")
        } else {
            format!("{other}/{EXPERIMENTS} row {j}")
        };
        return Err(format!(
            "row {i}: point {p}, scenario '{scenario}', replicate {} is there already ({at})",
            e.replicate
        ));
    }
    Ok(())
}

/// Every (point, scenario, replicate) of shard `k` is among `rows` (which hold each at
/// most once, all of this shard).
fn complete(
    rows: &[Experiment],
    k: usize,
    n: usize,
    replicates: u32,
    d: &Design,
    points: &[Point],
) -> Result<(), String> {
    let mine: Vec<usize> = (0..points.len()).filter(|p| p % n == k - 1).collect();
    let need = mine.len() * d.scenarios.len() * replicates as usize;
    if rows.len() == need {
        return Ok(());
    }
    let have: std::collections::BTreeSet<(u32, u32, u32)> = rows
        .iter()
        .map(|e| (e.point, e.scenario, e.replicate))
        .collect();
    for &p in &mine {
        for (s, sc) in d.scenarios.iter().enumerate() {
            for r in 0..replicates {
                if !have.contains(&(p as u32, s as u32, r)) {
                    return Err(format!(
                        "holds {} experiments and shard {k} of {n} has {need}: point {p}, scenario '{}', replicate {r} is missing",
                        rows.len(),
                        sc.name
                    ));
                }
            }
        }
    }
    Ok(())
}
