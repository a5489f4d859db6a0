//! The command-line front end: parses arguments, loads inputs, calls the library, shows
//! progress and prints. The only place that knows about clap, progress bars, signals and
//! exit codes.

mod activity;
mod args;
mod commands;
mod diff;
mod evaluate;
mod failure;
mod help;
mod inputs;
mod new;
mod progress;
mod report;
mod serve;
mod sweep;
mod target;

pub use args::Cli;
pub use commands::execute;

/// Exit status after Ctrl-C, SIGTERM or SIGHUP (128 + SIGINT, as shells report it).
pub const INTERRUPTED_EXIT: i32 = 130;

/// Ignores SIGXFSZ, the signal a file-size limit (`ulimit -f`) sends by default to kill a
/// process that writes past it. Ignored, the write fails with EFBIG instead: the run
/// reports the failed write and exits 1, its unfinished folder removed, as on a full
/// disk.
pub fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN, before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Installs the handler for Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal, a job
/// scheduler stopping the run): it removes the temporary folders of runs in progress and
/// exits with [`INTERRUPTED_EXIT`].
pub fn install_interrupt_handler() -> Result<(), String> {
    ctrlc::set_handler(|| {
        // Held until exit, so no commit can start after the folders are gone.
        let held = wfhsim_report::runfolder::remove_unfinished_runs();
        if held.removed > 0 {
            eprintln!("\nInterrupted: the unfinished run folder was removed; nothing was written");
        } else {
            eprintln!("\nInterrupted");
        }
        std::process::exit(INTERRUPTED_EXIT);
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))
}
