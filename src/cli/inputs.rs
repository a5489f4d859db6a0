//! Loading what a command reads: the built-in dataset or a `--data` folder.

use anyhow::Context;

use super::args::DataArg;
use super::failure::{Failure, bad_input};
use wfhsim_core::data::Dataset;

/// The dataset a command runs on; a folder that cannot be read is bad input.
pub(super) fn load_data(a: &DataArg) -> Result<Dataset, Failure> {
    let ds = match &a.data {
        None => Dataset::builtin()
            .context("the built-in dataset")
            .map_err(bad_input)?,
        Some(dir) => Dataset::from_dir(dir)
            .with_context(|| format!("dataset folder {}", dir.display()))
            .map_err(bad_input)?,
    };
    ds.with_pools(&a.pool)
        .map_err(|e| bad_input(anyhow::Error::from(e)))
}
