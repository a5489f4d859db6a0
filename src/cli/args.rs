//! Command-line arguments (clap derive). Parsing only: resolving and validating them
//! happens in `commands`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use wfhsim_report::labels::{Lang, Langs};

use super::help::{
    ACTIVITY_HELP, AFTER_HELP, DIFF_HELP, EVALUATE_HELP, NEW_HELP, REPORT_HELP, SERVE_HELP,
    SWEEP_HELP, TARGET_HELP,
};

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
    /// What an observed daily series says an order did: interrupted time series with
    /// Prais–Winsten AR(1) errors, in-time placebos, difference-in-differences or synthetic
    /// control against untreated series, and the smallest effect the series could show —
    /// beside a run's simulated effect when they measure the same thing (docs/evaluation.md)
    #[command(after_help = EVALUATE_HELP)]
    Evaluate(EvaluateArgs),
    /// Print activity_limit measures whose factors follow an observed daily mobility
    /// series (e.g. Google's Community Mobility Reports), one per week, day or window, to
    /// paste into a scenario file
    #[command(after_help = ACTIVITY_HELP)]
    Activity(ActivityArgs),
    /// Redraw the charts of a finished run from its own files (no dataset needed); a
    /// damaged or changed folder is refused (exit 2, docs/run-folders.md)
    Plot {
        /// A run folder written by `wfhsim run` (it may have been moved or copied)
        run_dir: PathBuf,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Write a run folder's briefing (briefing.html, briefing.xlsx) again, in a language
    /// or with a template of your own (no dataset needed)
    #[command(after_help = REPORT_HELP)]
    Report {
        /// A run folder written by `wfhsim run` (it may have been moved or copied)
        run_dir: PathBuf,
        #[command(flatten)]
        lang: LangArg,
        /// A minijinja template for briefing.html instead of the built-in one (see
        /// docs/briefing.md): a regular file of at most 1 MiB; a page may take 2,000,000
        /// steps of template work and be at most 64 MiB
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Add a sweep's tornado or Sobol results (its folder, from `wfhsim sweep`) to
        /// the briefing and the workbook's Sensitivity sheet
        #[arg(long, value_name = "DIR")]
        sweep: Option<PathBuf>,
        /// Add an evaluation of an observed series (its folder, from `wfhsim evaluate`)
        /// to the briefing and the workbook's Evaluation sheet
        #[arg(long, value_name = "DIR")]
        evaluation: Option<PathBuf>,
    },
    /// Run a sweep of scenario variants from a design file (grid, one at a time, Latin
    /// hypercube, Sobol), one shard of it, or merge a sharded sweep
    #[command(after_help = SWEEP_HELP, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Sweep(SweepCmd),
    /// Find the setting of one factor at which an outcome reaches a level, for the median
    /// and for 90% of replicates, with 95% intervals (the design's [target] section)
    #[command(after_help = TARGET_HELP)]
    Target(SweepArgs),
    /// Compare two finished runs: per scenario and summary row, A, B, B - A, the change
    /// in % and the band of B - A with P(B>A) (paired when the runs share seed and
    /// dataset); the scenario settings that differ; inputs that differ
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Write a new scenario file that extends a shipped scenario or a file, with the keys
    /// usually changed written out as comments
    #[command(after_help = NEW_HELP)]
    New(NewArgs),
    /// Serve a JSON API for what-if questions: the population built once, each request's
    /// scenario run on it, answers (and early answers, streamed) with summary.csv's rows
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Print the JSON Schema (draft-07) of scenario files, which editors read to check and
    /// complete them, or write it to a file
    Schema {
        /// Write the schema to this file instead of printing it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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

impl From<UncertaintyArg> for wfhsim_core::structural::Uncertainty {
    fn from(a: UncertaintyArg) -> Self {
        match a {
            UncertaintyArg::Full => wfhsim_core::structural::Uncertainty::Full,
            UncertaintyArg::Behavioural => wfhsim_core::structural::Uncertainty::Behavioural,
        }
    }
}

#[derive(Debug, Args)]
pub struct SweepCmd {
    #[command(subcommand)]
    pub merge: Option<SweepSub>,
    #[command(flatten)]
    pub args: SweepArgs,
}

#[derive(Debug, Subcommand)]
pub enum SweepSub {
    /// Merge the complete shards of a sweep folder into its outputs (checks that every
    /// shard ran the same design, dataset and program; names missing shards)
    Merge {
        /// The sweep folder (OUT/NAME) holding shards/
        dir: PathBuf,
        #[command(flatten)]
        data: DataArg,
        /// Language of the charts: id, en or both (default: the one the shards ran with,
        /// so the merge has the bytes of an unsharded sweep)
        #[arg(long, value_parser = parse_lang, value_name = "LANG")]
        lang: Option<Langs>,
        /// Replace the folder's finished results (an earlier merge's, or an unsharded
        /// sweep's)
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The design file (TOML; see docs/sweeps.md and scenarios/sweeps/)
    #[arg(required = true)]
    pub design: Option<PathBuf>,
    /// Folder that holds sweep folders
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Name of the sweep's folder inside --out (default: the design's name); at most 200
    /// bytes, not beginning with '-' or '.', no '/', control characters or newlines
    #[arg(long)]
    pub name: Option<String>,
    /// Replicates per point (default: the design's `replicates`)
    #[arg(long)]
    pub replicates: Option<u32>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Replace an existing sweep folder of the same name (with --shard: run the shard
    /// again though it is complete)
    #[arg(long)]
    pub force: bool,
    /// Run only shard K of N (1-based): the points whose number modulo N is K - 1
    #[arg(long, value_name = "K/N", conflicts_with = "shard_from_env")]
    pub shard: Option<String>,
    /// Take the shard from a scheduler: slurm (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN,
    /// SLURM_ARRAY_TASK_COUNT) or k8s (JOB_COMPLETION_INDEX and WFHSIM_SHARDS)
    #[arg(long, value_name = "slurm|k8s")]
    pub shard_from_env: Option<String>,
    #[command(flatten)]
    pub data: DataArg,
    #[command(flatten)]
    pub lang: LangArg,
}

/// The simulation options `run`, `sweep` and `target` share.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Master seed of every random stream (a sweep uses it for every point)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Fraction of the real workforce to simulate (1.0 = every worker, ~14.5 million)
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Worker threads, 1 to 4 per core (default: one per core); results do not depend on it
    #[arg(long)]
    pub threads: Option<usize>,
    /// What the replicates draw: `full` = behavioural and accounting inputs and the
    /// structure (mode shares, role mixes, headcounts, formal shares, employment, distances,
    /// trips per day); `behavioural` = the structure stays central (the bands of earlier
    /// releases)
    #[arg(long, value_enum, default_value_t = UncertaintyArg::Full)]
    pub uncertainty: UncertaintyArg,
}

impl SimArgs {
    /// The run options with `replicates`.
    pub fn request(&self, replicates: u32) -> wfhsim_core::simulate::RunRequest {
        wfhsim_core::simulate::RunRequest {
            seed: self.seed,
            replicates,
            scale: self.scale,
            threads: self.threads,
            uncertainty: self.uncertainty.into(),
        }
    }
}

#[derive(Debug, Args)]
pub struct DataArg {
    /// Use a dataset folder (same files as scenarios/data/) instead of the built-in one;
    /// each file a regular file of at most 64 MiB
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Another definition of an eligible pool, from the dataset's `pool.NAME.*` rows:
    /// dki_regular_hours (DKI's 23,343 ASN on regular office hours, Dishub, instead of
    /// BKD's 15,335 PNS outside direct service) or central_hq (central agencies'
    /// headquarters only, 121,754, instead of all 192,592 central ASN in DKI); repeatable;
    /// the whole run uses it (docs/method.md §1)
    #[arg(long, value_name = "NAME")]
    pub pool: Vec<String>,
}

/// The language of what a reader sees (charts, briefing, workbook).
#[derive(Debug, Args, Clone, Copy)]
pub struct LangArg {
    /// Language of charts, briefing and workbook: id (Bahasa Indonesia), en, or both
    /// (Indonesian first, then English)
    #[arg(long, default_value = "id", value_parser = parse_lang, value_name = "LANG")]
    pub lang: Langs,
}

fn parse_lang(s: &str) -> Result<Langs, String> {
    Langs::parse(s).ok_or_else(|| format!("must be {}", Langs::ALLOWED))
}

/// `id` or `en`: one language (a server's answers).
fn parse_one_lang(s: &str) -> Result<Lang, String> {
    match s {
        "id" => Ok(Lang::Id),
        "en" => Ok(Lang::En),
        _ => Err("must be id or en".into()),
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on; a loopback address by default. Another one
    /// (e.g. 0.0.0.0:8080) lets other machines in, with a warning; port 0 picks a free port
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: SocketAddr,
    /// The language of answers whose request does not ask for one (lang=): id or en
    #[arg(long, default_value = "id", value_parser = parse_one_lang, value_name = "LANG")]
    pub lang: Lang,
    #[command(flatten)]
    pub sim: SimArgs,
    #[command(flatten)]
    pub data: DataArg,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The observed series: CSV or Parquet, a `date` column and one value column per site
    /// (or a `site` column and one value column)
    pub series: PathBuf,
    /// A value column to read (repeatable; default every column but `date`); in the long
    /// layout, the value column
    #[arg(long, value_name = "NAME")]
    pub column: Vec<String>,
    /// A policy window, both days included (repeatable; each gets its own effect)
    #[arg(long, value_name = "FROM..TO")]
    pub window: Vec<String>,
    /// Take the window from a scenario file (its days with a share in force) or a run
    /// folder (the scenario named by --scenario, or its first with a window)
    #[arg(long, value_name = "FILE|DIR")]
    pub window_from: Option<PathBuf>,
    /// A control series (same layout): one series (difference-in-differences), one per
    /// site by name, or three or more untreated series (synthetic control)
    #[arg(long, value_name = "FILE")]
    pub control: Option<PathBuf>,
    /// A value column of the control file to read (repeatable)
    #[arg(long, value_name = "NAME")]
    pub control_column: Vec<String>,
    /// What the series measures: counts (vehicles per day), mobility (% change against a
    /// baseline), pm25, or other; only counts can be set beside a run's simulated change
    #[arg(long, default_value = "other", value_name = "KIND")]
    pub quantity: String,
    /// The series' attribution, shown with every chart and page (e.g. "Google LLC, Google
    /// COVID-19 Community Mobility Reports")
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// A run folder whose simulated change is set beside the observed one
    #[arg(long, value_name = "DIR")]
    pub run: Option<PathBuf>,
    /// The scenario of --run or --window-from DIR to use
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// The effect's scale: log (multiplicative, every value above 0) or level (additive);
    /// default log when every value used is above 0
    #[arg(long, value_name = "SCALE")]
    pub scale: Option<String>,
    /// The linear pre-trend: on, off, or auto (on when the days before the first window
    /// are at least as many as the days to the last window's end)
    #[arg(long, default_value = "auto", value_name = "auto|on|off")]
    pub trend: String,
    /// Annual Fourier harmonics for seasons (0 = none; default 2 when two years or more
    /// precede the first window, else 0)
    #[arg(long, value_name = "K")]
    pub season: Option<u32>,
    /// Use only this many days before the first window (default: all the series has)
    #[arg(long, value_name = "DAYS")]
    pub pre_days: Option<u32>,
    /// Which days of a window the policy acts on: all, or working (weekdays that are not
    /// holidays or cuti bersama: what an order sending workers home changes)
    #[arg(long, default_value = "all", value_name = "DAYS")]
    pub days: String,
    /// Folder that holds run folders
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Name of this evaluation's folder inside --out
    #[arg(long, default_value = "evaluation")]
    pub name: String,
    /// Replace an existing folder of the same name
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub lang: LangArg,
    #[command(flatten)]
    pub data: DataArg,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario TOML files (default: every shipped scenario)
    pub scenarios: Vec<PathBuf>,
    /// Folder that holds run folders
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Name of this run's folder inside --out; at most 200 bytes, not beginning with '-'
    /// or '.', no '/', control characters or newlines
    #[arg(long, default_value = "study")]
    pub name: String,
    /// Monte-Carlo replicates drawing uncertain inputs (1 = central values only, not one
    /// draw); 500 hold every shipped scenario's 5-95% trip band edges to within 5% between
    /// seeds (summary.csv's total_pNN_mc columns give each quantile's Monte Carlo error;
    /// the band ends need at least 72)
    #[arg(long, default_value_t = 500)]
    pub replicates: u32,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Replace an existing run folder of the same name
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub lang: LangArg,
    /// A minijinja template for briefing.html instead of the built-in one (see
    /// docs/briefing.md): a regular file of at most 1 MiB; a page may take 2,000,000
    /// steps of template work and be at most 64 MiB
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// A daily count series (CSV or Parquet, as `wfhsim evaluate` reads): its own
    /// day-to-day σ and AR(1) before the policy replace the assumed ones in the
    /// detectability table (several sites are added up into the city-wide count)
    #[arg(long, value_name = "FILE")]
    pub observed: Option<PathBuf>,
    /// A value column of --observed to read (repeatable; default every one)
    #[arg(long, value_name = "NAME", requires = "observed")]
    pub observed_column: Vec<String>,
    #[command(flatten)]
    pub data: DataArg,
}

/// `diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Aligned plain text, one block per scenario
    Table,
    /// A Markdown table, then the settings and scenarios that differ
    Markdown,
    /// The rows only, full precision
    Csv,
    /// Everything, full precision, keys in a fixed order
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first run folder (A)
    pub run_a: PathBuf,
    /// The second run folder (B); Δ = B - A, d = B - A
    pub run_b: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Show every compared row, not only the changed ones
    #[arg(long)]
    pub all: bool,
    /// Compare the rows of one region: all, dki or a region code (e.g. kota_bogor)
    #[arg(long, value_name = "CODE", conflicts_with = "all_regions")]
    pub region: Option<String>,
    /// Compare every row of the summaries (every region basis and region)
    #[arg(long)]
    pub all_regions: bool,
    /// Compare only this metric (e.g. trips, pm25, vehicles)
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    /// A row is unchanged when |B - A| <= TOLERANCE x |A| (per-day p50)
    #[arg(long, default_value_t = 0.0)]
    pub tolerance: f64,
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// A daily series of % change against normal (CSV or Parquet, a date column)
    pub series: PathBuf,
    /// The days to cover, both included
    #[arg(long, value_name = "FROM..TO")]
    pub window: String,
    /// A purpose and the columns whose mean it follows (repeatable): school,
    /// shopping_leisure or business
    #[arg(long, value_name = "PURPOSE=COLUMN[+COLUMN...]", required = true)]
    pub purpose: Vec<String>,
    /// One measure per calendar week (Monday to Sunday), per day, or for the window
    #[arg(long, value_enum, default_value_t = crate::jobs::activity::Chunking::Week)]
    pub by: crate::jobs::activity::Chunking,
    /// The measures' name (one part of a bundle's decomposition)
    #[arg(long, default_value = "Activity (observed)")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new scenario's name (a-z, 0-9 and '-', not beginning with '-', at most 200
    /// characters); the file is NAME.toml
    pub name: String,
    /// The base: a shipped scenario's name or a scenario file (.toml)
    #[arg(long, default_value = "dki-2023", value_name = "NAME|FILE")]
    pub from: String,
    /// Write to this file, or into this folder as NAME.toml (default: ./NAME.toml)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataArg,
}
