//! The results folder, written so that no run is ever half-written or silently replaced:
//! everything goes into a hidden temporary folder beside the target, which is renamed
//! into place only when every file is written. An existing run is replaced only with
//! `force`, and only after the new one is complete.

use std::path::{Path, PathBuf};

use super::{ReportError, io};

#[derive(Debug)]
pub struct RunDir {
    pub target: PathBuf,
    pub tmp: PathBuf,
    force: bool,
    done: bool,
}

impl RunDir {
    /// Checks the target before any long work starts.
    pub fn check(target: &Path, force: bool) -> Result<(), ReportError> {
        if target.exists() && !force {
            return Err(ReportError::Output(format!(
                "{} already exists; choose another --name, or pass --force to replace it",
                target.display()
            )));
        }
        if target.exists() && !target.is_dir() {
            return Err(ReportError::Output(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        Ok(())
    }

    pub fn create(target: &Path, force: bool) -> Result<RunDir, ReportError> {
        Self::check(target, force)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        Ok(RunDir {
            target: target.to_path_buf(),
            tmp,
            force,
            done: false,
        })
    }

    /// Moves the finished folder into place.
    pub fn commit(mut self) -> Result<PathBuf, ReportError> {
        if self.target.exists() {
            if !self.force {
                return Err(ReportError::Output(format!(
                    "{} appeared while running; not replaced",
                    self.target.display()
                )));
            }
            let old = self.tmp.with_file_name(format!(
                ".{}.old-{}",
                self.target
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                std::process::id()
            ));
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
            std::fs::rename(&self.tmp, &self.target).map_err(io(&self.tmp))?;
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            std::fs::rename(&self.tmp, &self.target).map_err(io(&self.tmp))?;
        }
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for RunDir {
    /// A run that did not commit leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}
