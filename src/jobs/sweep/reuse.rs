//! A shard whose folder exists already: reused when it is complete and was made for this
//! very request (design, dataset, program, options and the charts' language), refused
//! otherwise, naming each field that differs with both values — or, with `--force`, run
//! again. And a sweep folder holding finished results of an unsharded sweep (or a run)
//! takes no shards without `--force`: their merge would replace those results.

use std::path::Path;

use super::manifest::{ResultsKey, read_manifest};
use super::{MANIFEST, SHARDS_DIR, SUCCESS};
use crate::jobs::JobError;
use crate::jobs::sweep::SweepManifest;

/// What a shard run does with its folder.
pub(super) enum Existing {
    /// Complete and made for this request: nothing to do.
    Reuse(Box<SweepManifest>),
    /// Absent, or to be replaced (`--force`): run the shard.
    Run,
}

/// Decides what to do with the folder `dir` of a shard of the sweep folder `root`, asked
/// for the results `want` with charts in `lang`.
pub(super) fn existing_shard(
    dir: &Path,
    root: &Path,
    want: &ResultsKey,
    lang: &str,
    force: bool,
) -> Result<Existing, JobError> {
    if root.join(MANIFEST).exists() && !root.join(SHARDS_DIR).exists() && !force {
        return Err(JobError::Input(format!(
            "{} holds the finished results of a sweep that was not sharded; choose another --name for the shards, or pass --force to add shards to it (their merge then replaces those results only with --force)",
            root.display()
        )));
    }
    if force || !dir.exists() {
        return Ok(Existing::Run);
    }
    if !dir.join(SUCCESS).exists() {
        return Err(JobError::Input(format!(
            "{} exists but is not a complete shard (it has no {SUCCESS}); pass --force to run the shard again",
            dir.display()
        )));
    }
    let m = read_manifest(&dir.join(MANIFEST))
        .map_err(|e| JobError::Input(format!("{e}; pass --force to run the shard again")))?;
    let mut differ: Vec<String> = m
        .key()
        .differences(want)
        .into_iter()
        .map(|(what, then, now)| format!("{what} {then} (this request: {now})"))
        .collect();
    if m.lang_code() != lang {
        differ.push(format!("lang {} (this request: {lang})", m.lang_code()));
    }
    if differ.is_empty() {
        return Ok(Existing::Reuse(Box::new(m)));
    }
    Err(JobError::Input(format!(
        "{} is complete but ran another request: {}; give the options it ran with, or pass --force to run it again with these",
        dir.display(),
        differ.join(", ")
    )))
}
