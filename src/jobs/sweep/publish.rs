//! Publishing a merge as a run is published: the whole sweep folder is made again under a
//! hidden name beside it — the merged outputs written, the shards (and anything else of
//! the user's the folder holds) linked in — and swapped in by [`RunDir::commit`], so a
//! crash or an interrupt leaves the old folder or the new one, never a mix. Hidden
//! entries are not carried over: what killed shards and merges left behind goes with the
//! old folder. A folder with finished results is replaced only with `--force`; results
//! that appear while merging are not replaced (exit 1, may succeed on retry). Two merges
//! in one folder take turns ([`take_turn`]): the second then finds the first's results.

use std::path::Path;

use super::{MANIFEST, SHARDS_DIR};
use crate::jobs::JobError;
use wfhsim_report::export::ExportFile;
use wfhsim_report::runfolder::{FolderError, RunDir};

/// What a sweep (or target search) writes into its folder: never carried from the old
/// folder into a merge's, even when this merge does not write it (an earlier design's
/// `tornado.csv` would otherwise outlive it).
const SWEEP_OUTPUTS: [&str; 9] = [
    "design.parquet",
    "experiments.parquet",
    "points.parquet",
    "tornado.csv",
    "sobol.csv",
    "target.csv",
    "crossings.csv",
    "charts",
    MANIFEST,
];

/// Waits for any other merge beside `root` to finish and holds the turn until the returned
/// file is dropped (at the process's end at the latest, even killed): the operating
/// system's advisory lock on the folder holding `root`, so nothing is written for it and
/// nothing is left behind. Without the turn, a second merge could read `root` while the
/// first swapped it in (between its two renames, `root` does not exist). Where the folder
/// cannot be opened or locked (some network file systems), merges run without turns, as
/// they did before.
pub(super) fn take_turn(root: &Path) -> Option<std::fs::File> {
    let parent = root
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let f = std::fs::File::open(parent).ok()?;
    match f.try_lock() {
        Ok(()) => Some(f),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another merge in {} to finish",
                parent.display()
            );
            f.lock().ok().map(|()| f)
        }
        Err(std::fs::TryLockError::Error(_)) => None,
    }
}

/// True when `root` holds finished results; refused unless `force` (checked before the
/// merge reads anything).
pub(super) fn finished_results(root: &Path, force: bool) -> Result<bool, JobError> {
    let finished = root.join(MANIFEST).exists();
    if finished && !force {
        return Err(JobError::Input(format!(
            "{} holds a finished sweep already; pass --force to replace it with the merge of its shards",
            root.display()
        )));
    }
    Ok(finished)
}

/// Writes `out` as the new `root`, keeping its shards; `had_results`: `root` held finished
/// results when the merge started (so it was asked to replace them).
pub(super) fn publish(
    root: &Path,
    out: &[ExportFile],
    had_results: bool,
    force: bool,
) -> Result<(), JobError> {
    let dir = RunDir::create(root, true).map_err(JobError::Output)?;
    dir.write(out)?;
    carry(root, &dir.tmp)?;
    if !had_results && !force && root.join(MANIFEST).exists() {
        return Err(JobError::Folder(FolderError::Appeared(
            root.join(MANIFEST).display().to_string(),
        )));
    }
    dir.commit()?;
    Ok(())
}

/// Links what `root` holds besides a sweep's outputs and hidden entries into `to`.
fn carry(root: &Path, to: &Path) -> Result<(), JobError> {
    let entries = std::fs::read_dir(root).map_err(|e| io(root, e))?;
    let mut names: Vec<std::ffi::OsString> = entries.flatten().map(|e| e.file_name()).collect();
    names.sort();
    for name in names {
        let text = name.to_string_lossy();
        if text.starts_with('.') || SWEEP_OUTPUTS.contains(&text.as_ref()) {
            continue;
        }
        let hidden_inside = text == SHARDS_DIR;
        link_tree(&root.join(&name), &to.join(&name), hidden_inside)?;
    }
    Ok(())
}

/// Hard-links the files of `from` into `to` (copies them where links are not possible),
/// folder by folder; `skip_hidden`: leave out hidden entries (partial shards).
fn link_tree(from: &Path, to: &Path, skip_hidden: bool) -> Result<(), JobError> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| io(from, e))?;
    if !meta.is_dir() {
        if std::fs::hard_link(from, to).is_err() {
            std::fs::copy(from, to).map_err(|e| io(to, e))?;
        }
        return Ok(());
    }
    std::fs::create_dir(to).map_err(|e| io(to, e))?;
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(from)
        .map_err(|e| io(from, e))?
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        if skip_hidden && name.to_string_lossy().starts_with('.') {
            continue;
        }
        link_tree(&from.join(&name), &to.join(&name), false)?;
    }
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> JobError {
    JobError::Folder(FolderError::Io {
        path: path.display().to_string(),
        source,
    })
}
