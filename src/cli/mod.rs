//! The command-line front end: parses arguments, loads inputs, runs, prints. The only
//! place that knows about clap, progress bars and exit codes.

mod args;
mod commands;

pub use args::Cli;
pub use commands::{Failure, execute};
