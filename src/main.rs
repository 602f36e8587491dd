use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    match bearing::cli::Cli::try_parse() {
        Ok(cli) => bearing::commands::main(cli),
        // Printed inert: a usage error quotes what was typed.
        Err(e) => bearing::commands::usage_error(e),
    }
}
