use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    bearing::commands::main(bearing::cli::Cli::parse())
}
