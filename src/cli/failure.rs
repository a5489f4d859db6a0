//! A command's failure and its exit code: 2 for bad input (arguments, scenario or design
//! files, dataset, output folder, shards that do not belong together: do not retry), 1 for
//! failures while running or writing (may succeed on retry).

use crate::jobs::JobError;

pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
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
