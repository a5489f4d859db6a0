//! The results folder, written so that no run is ever half-written or silently replaced:
//! everything goes into a hidden temporary folder beside the target, which is renamed
//! into place only when every file is written. An existing run is replaced only with
//! `force`, and only after the new one is complete.
//!
//! The temporary folder is made before the long work starts (so a bad or unwritable
//! output path is reported at once) and removed whichever way the run ends without
//! committing: an error or a panic (`Drop`), or an interrupt, whose handler (installed by
//! the front end, which alone may exit the process) calls [`remove_unfinished_runs`].
//!
//! The writer knows nothing of formats: it writes whatever files the exporters return.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::export::ExportFile;

#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The target cannot be used (exists without `force`, is a file).
    #[error("{0}")]
    Unusable(String),
    #[error("interrupted")]
    Interrupted,
    #[error("{0} appeared while running; not replaced")]
    Appeared(String),
    #[error("{0}: not a relative path inside the run folder")]
    BadPath(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FolderError + '_ {
    move |source| FolderError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Temporary folders of the runs in progress. The interrupt handler removes them while
/// holding the lock, and [`RunDir::commit`] holds it for the final renames: an interrupt
/// either removes the unfinished folder before the rename or comes after it, when the
/// complete run is in place — never half of each.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_progress() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere while holding the lock leaves the list itself intact.
    IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner())
}

/// What an interrupt handler holds until the process exits: the registry stays locked,
/// so no commit can start after the unfinished folders are gone.
pub struct Interrupted {
    /// How many unfinished run folders were removed.
    pub removed: usize,
    _hold: MutexGuard<'static, Vec<PathBuf>>,
}

/// Removes every registered temporary folder: what an interrupt handler calls before it
/// exits. Keep the returned value alive until the exit.
pub fn remove_unfinished_runs() -> Interrupted {
    let mut list = in_progress();
    let removed = remove_all(&mut list);
    Interrupted {
        removed,
        _hold: list,
    }
}

fn remove_all(list: &mut Vec<PathBuf>) -> usize {
    let n = list.len();
    for p in list.drain(..) {
        // A worker thread may be creating files in it at the same moment: retry a little.
        for _ in 0..5 {
            match std::fs::remove_dir_all(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => continue,
                _ => break,
            }
        }
    }
    n
}

#[derive(Debug)]
pub struct RunDir {
    pub target: PathBuf,
    pub tmp: PathBuf,
    force: bool,
    done: bool,
}

fn folder_name(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into())
}

fn parent_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

impl RunDir {
    /// Checks the target before any long work starts.
    fn check(target: &Path, force: bool) -> Result<(), FolderError> {
        if target.exists() && !force {
            return Err(FolderError::Unusable(format!(
                "{} already exists; choose another --name, or pass --force to replace it",
                target.display()
            )));
        }
        if target.exists() && !target.is_dir() {
            return Err(FolderError::Unusable(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        Ok(())
    }

    /// Checks the target and makes the hidden temporary folder beside it
    /// (`.NAME.partial-PID`), registered for removal on Ctrl-C. Call it before the long
    /// work, so an unusable output path is reported at once.
    pub fn create(target: &Path, force: bool) -> Result<RunDir, FolderError> {
        let parent = parent_of(target);
        let name = folder_name(target);
        // First, so that an earlier run orphaned by a kill during a --force replacement
        // is back in place before the target is checked.
        remove_stale(parent, &name, target);
        Self::check(target, force)?;
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        let mut list = in_progress();
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        list.push(tmp.clone());
        drop(list);
        Ok(RunDir {
            target: target.to_path_buf(),
            tmp,
            force,
            done: false,
        })
    }

    /// Writes files (paths relative to the run folder, `/`-separated) into the temporary
    /// folder, making subfolders as needed.
    pub fn write(&self, files: &[ExportFile]) -> Result<(), FolderError> {
        for f in files {
            let rel = Path::new(&f.path);
            let plain = rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if f.path.is_empty() || !plain {
                return Err(FolderError::BadPath(f.path.clone()));
            }
            let p = self.tmp.join(rel);
            // Subfolders one level at a time, never the run folder itself: if it vanished
            // (a full disk, a cleanup), writing fails rather than recreating half a run.
            let mut dir = self.tmp.clone();
            for part in rel.parent().into_iter().flat_map(|d| d.components()) {
                dir.push(part);
                match std::fs::create_dir(&dir) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        return Err(io(&dir)(e));
                    }
                    _ => {}
                }
            }
            std::fs::write(&p, &f.bytes).map_err(io(&p))?;
        }
        Ok(())
    }

    /// Moves the finished folder into place. With `force`, an existing run is replaced
    /// only now; if the new one cannot be moved in, the old one is put back.
    pub fn commit(mut self) -> Result<PathBuf, FolderError> {
        let mut list = in_progress();
        if !list.contains(&self.tmp) {
            // Interrupted: the handler has removed it and is exiting.
            return Err(FolderError::Interrupted);
        }
        if self.target.exists() {
            if !self.force {
                return Err(FolderError::Appeared(self.target.display().to_string()));
            }
            let old = self.tmp.with_file_name(format!(
                ".{}.old-{}",
                folder_name(&self.target),
                std::process::id()
            ));
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
            if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(io(&self.tmp)(e));
            }
            list.retain(|p| p != &self.tmp);
            self.done = true;
            // The new run is in place; a leftover old copy is only litter.
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&self.tmp, &self.target).map_err(io(&self.tmp))?;
            list.retain(|p| p != &self.tmp);
            self.done = true;
        }
        Ok(self.target.clone())
    }
}

impl Drop for RunDir {
    /// A run that did not commit (error, panic) leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let mut list = in_progress();
            let _ = std::fs::remove_dir_all(&self.tmp);
            list.retain(|p| p != &self.tmp);
        }
    }
}

/// Cleans up after runs of the same name that were killed outright (SIGKILL, power loss),
/// when their PID is no longer running: `.NAME.partial-PID` folders are removed; a
/// `.NAME.old-PID` folder is the earlier run set aside by a `--force` replacement, so it
/// is put back if the target is missing (killed between the two renames) and removed
/// otherwise. Only where running processes can be listed (`/proc`); elsewhere they stay.
fn remove_stale(parent: &Path, name: &str, target: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(rest) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&format!(".{name}.")))
        else {
            continue;
        };
        let (pid, old) = match rest.strip_prefix("partial-") {
            Some(pid) => (pid, false),
            None => match rest.strip_prefix("old-") {
                Some(pid) => (pid, true),
                None => continue,
            },
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) || proc.join(pid).exists() {
            continue;
        }
        if old && !target.exists() {
            let _ = std::fs::rename(e.path(), target);
        } else {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is global: these tests take turns so that one's interrupt cleanup
    /// does not remove another's folder.
    fn serial() -> MutexGuard<'static, ()> {
        static SERIAL: Mutex<()> = Mutex::new(());
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_run_leaves_nothing() {
        let _turn = serial();
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("run");
        {
            let r = RunDir::create(&target, false).unwrap();
            assert!(r.tmp.is_dir() && in_progress().contains(&r.tmp));
            std::fs::write(r.tmp.join("daily.csv"), "half").unwrap();
            // An error while writing: the RunDir is dropped without commit.
        }
        assert!(listing(d.path()).is_empty());
        assert!(in_progress().iter().all(|p| !p.starts_with(d.path())));
    }

    #[test]
    fn an_existing_run_is_kept_without_force_and_replaced_only_on_commit() {
        let _turn = serial();
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("run");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("summary.csv"), "old").unwrap();
        let e = RunDir::create(&target, false).unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(listing(d.path()), ["run"]);

        let r = RunDir::create(&target, true).unwrap();
        std::fs::write(r.tmp.join("summary.csv"), "new").unwrap();
        // Until the commit the old run is intact.
        assert_eq!(
            std::fs::read_to_string(target.join("summary.csv")).unwrap(),
            "old"
        );
        r.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("summary.csv")).unwrap(),
            "new"
        );
        assert_eq!(listing(d.path()), ["run"]);
    }

    #[test]
    fn a_run_that_appeared_meanwhile_is_not_replaced() {
        let _turn = serial();
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("run");
        let r = RunDir::create(&target, false).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep.txt"), "theirs").unwrap();
        assert!(r.commit().is_err());
        assert_eq!(
            std::fs::read_to_string(target.join("keep.txt")).unwrap(),
            "theirs"
        );
        assert_eq!(listing(d.path()), ["run"]);
    }

    #[test]
    fn interrupt_cleanup_removes_runs_in_progress_and_commit_then_refuses() {
        let _turn = serial();
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("run");
        let r = RunDir::create(&target, false).unwrap();
        std::fs::create_dir(r.tmp.join("charts")).unwrap();
        std::fs::write(r.tmp.join("charts/a.svg"), "x").unwrap();
        // What the Ctrl-C handler does.
        assert_eq!(remove_unfinished_runs().removed, 1);
        assert!(listing(d.path()).is_empty());
        assert!(
            r.commit().is_err(),
            "an interrupted run is never moved into place"
        );
        assert!(!target.exists());
    }

    #[test]
    fn stale_folders_of_dead_processes_are_swept() {
        let d = tempfile::tempdir().unwrap();
        if !Path::new("/proc/self").exists() {
            return;
        }
        // PIDs above the kernel's maximum (4194304) are never running.
        for f in [
            ".run.partial-999999999",
            ".run.old-999999999",
            ".other.partial-999999999",
        ] {
            std::fs::create_dir(d.path().join(f)).unwrap();
        }
        let alive = format!(".run.partial-{}", std::process::id());
        std::fs::create_dir(d.path().join(&alive)).unwrap();
        // The target exists: the set-aside copy is litter.
        std::fs::create_dir(d.path().join("run")).unwrap();
        remove_stale(d.path(), "run", &d.path().join("run"));
        assert_eq!(
            listing(d.path()),
            [".other.partial-999999999", alive.as_str(), "run"]
        );
    }

    #[test]
    fn an_earlier_run_set_aside_by_a_killed_replacement_is_put_back() {
        let d = tempfile::tempdir().unwrap();
        if !Path::new("/proc/self").exists() {
            return;
        }
        // Killed between moving the earlier run aside and moving the new one in.
        let old = d.path().join(".run.old-999999999");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("summary.csv"), "earlier").unwrap();
        let target = d.path().join("run");
        let err = RunDir::create(&target, false).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(
            std::fs::read_to_string(target.join("summary.csv")).unwrap(),
            "earlier"
        );
        assert_eq!(listing(d.path()), ["run"]);
    }
}
