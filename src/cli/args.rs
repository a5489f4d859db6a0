//! Command-line arguments (clap derive). Parsing only: resolving and validating them
//! happens in `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Examples:
  wfhsim run                                   # the default study: every shipped scenario, full scale
  wfhsim run --scale 0.05 --replicates 10 --name quick
  wfhsim run scenarios/dki-2023.toml scenarios/dki-2023-50-only.toml --name dki-50-vs-75
  wfhsim validate scenarios/*.toml
  wfhsim plot output/study                     # redraw the charts of a finished run
  wfhsim data                                  # the built-in dataset with its sources
  wfhsim data --export my-data                 # copy it to a folder, edit, then: wfhsim run --data my-data

Exit status: 0 success; 1 failure while running or writing results;
2 invalid arguments, scenario file, dataset or output folder (nothing was written);
130 interrupted by Ctrl-C or SIGTERM/SIGHUP (the unfinished run folder is removed).";

#[derive(Debug, Parser)]
#[command(name = "wfhsim", version, about = "Commuter trips and air pollution avoided by work-from-home orders in Jabodetabek", after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write tables and charts to OUT/NAME
    #[command(after_help = AFTER_HELP)]
    Run(RunArgs),
    /// Check scenario files and report every problem found
    Validate {
        /// Scenario TOML files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        data: DataArg,
    },
    /// Redraw the charts of a finished run from its own files (no dataset needed)
    Plot {
        /// A run folder written by `wfhsim run` (it may have been moved or copied)
        run_dir: PathBuf,
    },
    /// Print the dataset's provenance table, or export the dataset to a folder
    Data {
        /// Write the dataset files (CSV), and the derived commuter matrix and jobs under derived/ (for reading only), to this folder
        #[arg(long, value_name = "DIR")]
        export: Option<PathBuf>,
        #[command(flatten)]
        data: DataArg,
    },
}

/// `--uncertainty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UncertaintyArg {
    Full,
    Behavioural,
}

impl From<UncertaintyArg> for crate::structural::Uncertainty {
    fn from(a: UncertaintyArg) -> Self {
        match a {
            UncertaintyArg::Full => crate::structural::Uncertainty::Full,
            UncertaintyArg::Behavioural => crate::structural::Uncertainty::Behavioural,
        }
    }
}

#[derive(Debug, Args)]
pub struct DataArg {
    /// Use a dataset folder (same files as scenarios/data/) instead of the built-in one
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario TOML files (default: every shipped scenario)
    pub scenarios: Vec<PathBuf>,
    /// Folder that holds run folders
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Name of this run's folder inside --out
    #[arg(long, default_value = "study")]
    pub name: String,
    /// Master seed of every random stream
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Monte-Carlo replicates drawing uncertain inputs (1 = central values only)
    #[arg(long, default_value_t = 30)]
    pub replicates: u32,
    /// Fraction of the real workforce to simulate (1.0 = every worker, ~14.5 million)
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Worker threads, 1 to 4 per core (default: one per core); results do not depend on it
    #[arg(long)]
    pub threads: Option<usize>,
    /// What the replicates draw: `full` = behavioural and accounting inputs and the
    /// structure (mode shares, role mixes, headcounts, formal shares, employment, distances,
    /// trips per day); `behavioural` = the structure stays central (the bands before 0.2)
    #[arg(long, value_enum, default_value_t = UncertaintyArg::Full)]
    pub uncertainty: UncertaintyArg,
    /// Replace an existing run folder of the same name
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataArg,
}
