//! wfhsim, the command: `cli` parses, shows progress, prints and exits; `jobs` runs, sweeps
//! and searches, over `wfhsim-core` (the simulation) and `wfhsim-report` (what a reader
//! sees); `serve` answers the same jobs over HTTP. See docs/architecture.md.

mod cli;
mod jobs;
mod serve;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    cli::ignore_file_size_signal();
    // Ctrl-C, SIGTERM or SIGHUP removes an unfinished run folder and exits with 130.
    if let Err(e) = cli::install_interrupt_handler() {
        eprintln!("Warning: {e}");
    }
    match cli::execute(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {}", e.message());
            std::process::ExitCode::from(e.code)
        }
    }
}
