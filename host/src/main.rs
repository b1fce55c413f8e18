//! The `gigmarket` binary: parses the command line and hands it to [`gigmarket::cli::run`].

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    gigmarket::telemetry::init();
    let cli = gigmarket::cli::Cli::parse();
    match gigmarket::cli::run(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误 / error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
