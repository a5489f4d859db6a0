//! A command's failure and its exit code: 2 for bad input (arguments, scenario or design
//! files, dataset, output folder, shards that do not belong together: do not retry), 1 for
//! failures while running or writing (may succeed on retry).

use crate::jobs::JobError;

pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    /// The error and its causes joined by ": ", each text once. Many errors quote their
    /// source in their own text (`"{path}: {source}"`) and also report it as their
    /// source; printing the chain as it is would say the same thing twice ("Read-only
    /// file system (os error 30): Read-only file system (os error 30)").
    pub fn message(&self) -> String {
        chain_once(self.error.chain().map(|e| e.to_string()))
    }
}

/// Texts joined by ": ", leaving out each that the message so far already says.
fn chain_once(texts: impl Iterator<Item = String>) -> String {
    let mut message = String::new();
    for t in texts {
        if message.contains(&t) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&t);
    }
    message
}

pub(super) fn bad_input(e: impl Into<anyhow::Error>) -> Failure {
    Failure {
        code: 2,
        error: e.into(),
    }
}

pub(super) fn failed(e: impl Into<anyhow::Error>) -> Failure {
    Failure {
        code: 1,
        error: e.into(),
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Failure {
        if e.is_bad_input() {
            bad_input(e)
        } else {
            failed(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_message_already_quotes_is_not_repeated() {
        let io = std::io::Error::from_raw_os_error(30);
        let e = wfhsim_report::runfolder::FolderError::Io {
            path: "/mnt/ro/run".into(),
            source: io,
        };
        let f = failed(e);
        let os = std::io::Error::from_raw_os_error(30).to_string();
        assert_eq!(format!("{:#}", f.error), format!("/mnt/ro/run: {os}: {os}"));
        assert_eq!(f.message(), format!("/mnt/ro/run: {os}"));
    }

    #[test]
    fn causes_that_add_something_are_kept_in_order() {
        let e = anyhow::anyhow!("inner").context("middle").context("outer");
        assert_eq!(failed(e).message(), "outer: middle: inner");
    }
}
