use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = wfhsim::cli::Cli::parse();
    // Ctrl-C, SIGTERM or SIGHUP removes an unfinished run folder and exits with 130.
    if let Err(e) = wfhsim::cli::install_interrupt_handler() {
        eprintln!("Warning: {e}");
    }
    match wfhsim::cli::execute(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {:#}", e.error);
            std::process::ExitCode::from(e.code)
        }
    }
}
