//! Reading the user's input files within bounds: the one way the program reads a dataset
//! CSV, a scenario or design TOML (and the files they extend) or a briefing template.
//!
//! A file is looked at before it is opened: anything but a regular file (a named pipe,
//! which would block the read forever; a device such as `/dev/zero`, which never ends; a
//! directory) is refused, and so is a file larger than its kind's limit, before a byte is
//! read. The limits are far above any real input (the largest shipped dataset file is
//! 120 kB, the largest scenario 10 kB) and documented in docs/scenarios.md.

use std::io::Read;
use std::path::Path;

/// One kind of input file and the most bytes it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What the file is, for messages ("a dataset file").
    pub what: &'static str,
    pub bytes: u64,
}

const MIB: u64 = 1024 * 1024;

/// A CSV file of a dataset folder (`--data`).
pub const DATASET_FILE: Limit = Limit {
    what: "a dataset file",
    bytes: 64 * MIB,
};
/// A scenario file, or a file one extends (`extends`, `wfhsim new --from`).
pub const SCENARIO_FILE: Limit = Limit {
    what: "a scenario file",
    bytes: MIB,
};
/// A sweep design file.
pub const DESIGN_FILE: Limit = Limit {
    what: "a design file",
    bytes: MIB,
};
/// An observed daily series (`wfhsim evaluate`, `run --observed`): CSV or Parquet.
pub const SERIES_FILE: Limit = Limit {
    what: "a series file",
    bytes: 256 * MIB,
};
/// A briefing template (`--template`).
pub const TEMPLATE_FILE: Limit = Limit {
    what: "a template",
    bytes: MIB,
};

impl std::fmt::Display for Limit {
    /// "64 MiB a dataset file may have".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.bytes.is_multiple_of(MIB) {
            write!(f, "{} MiB {} may have", self.bytes / MIB, self.what)
        } else {
            write!(f, "{} bytes {} may have", self.bytes, self.what)
        }
    }
}

/// Why an input file was not read. The caller names the file; these say what is wrong
/// with it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file: a named pipe, a device, a socket or a directory.
    #[error("it is {kind}, not a regular file")]
    NotAFile { kind: &'static str },
    /// Larger than its kind may be.
    #[error("it has {size} bytes, more than the {limit}")]
    TooLarge { size: u64, limit: Limit },
    /// The operating system's error (a missing file, no permission, ...).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file is not UTF-8 text.
    #[error("it is not UTF-8 text ({0})")]
    NotText(#[from] std::string::FromUtf8Error),
}

/// The bytes of the regular file at `path` (a symbolic link is followed), refused without
/// opening it when it is not a regular file or is larger than `limit`.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotAFile {
            kind: kind_of(&meta.file_type()),
        });
    }
    if meta.len() > limit.bytes {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    // The file may grow (or be swapped) between the look and the read: read at most one
    // byte past the limit, so that the bound holds whatever the size said.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(limit.bytes + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    Ok(String::from_utf8(read(path, limit)?)?)
}

/// What a file that is not a regular file is, in words.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        what: "a test file",
        bytes: 10,
    };

    #[test]
    fn a_file_within_its_limit_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "0123456789").unwrap();
        assert_eq!(read_text(&p, SMALL).unwrap(), "0123456789");
    }

    #[test]
    fn a_file_over_its_limit_is_refused_with_its_size_and_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "0123456789a").unwrap();
        assert_eq!(
            read(&p, SMALL).unwrap_err().to_string(),
            "it has 11 bytes, more than the 10 bytes a test file may have"
        );
    }

    #[test]
    fn a_folder_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read(dir.path(), SMALL).unwrap_err().to_string(),
            "it is a folder, not a regular file"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_is_refused_before_it_is_read() {
        assert_eq!(
            read(Path::new("/dev/zero"), DATASET_FILE)
                .unwrap_err()
                .to_string(),
            "it is a device, not a regular file"
        );
    }
}
