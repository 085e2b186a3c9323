//! `portcullis`: parses the command line and runs the chosen command.

use std::process::ExitCode;

use clap::Parser;
use server::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    server::main_with("portcullis", server::run(cli))
}
