use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = wfhsim::cli::Cli::parse();
    match wfhsim::cli::execute(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {:#}", e.error);
            std::process::ExitCode::from(e.code)
        }
    }
}
