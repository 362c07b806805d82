//! `cargo xtask`: commands for the people who maintain the spec.
//!
//! Each command is a module of its own; this file only parses the command line
//! and maps failures to exit statuses: 0 for success, 1 for findings at or
//! above the requested threshold, 2 for input that cannot be read or parsed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{Failure, codegen, project_path};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Commands for the maintainers of the Cryptomate spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show or check the Rust code generated from the spec.
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["print", "check"])))]
    Codegen {
        /// Print the generated code: exactly what the crate compiles.
        #[arg(long)]
        print: bool,
        /// Check that the spec generates; report the first problem with its location.
        #[arg(long)]
        check: bool,
        /// The spec (default: the project's openapi/cryptomate.yaml).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { print, spec, .. } => codegen_command(print, spec),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn codegen_command(print: bool, spec: Option<PathBuf>) -> Result<(), Failure> {
    let spec = spec.unwrap_or_else(|| project_path(codegen::SPEC_PATH));
    let code = codegen::generate_file(&spec).map_err(|e| Failure::Input(e.to_string()))?;
    if print {
        print!("{code}");
    } else {
        eprintln!(
            "{}: generates {} lines of Rust",
            spec.display(),
            code.lines().count()
        );
    }
    Ok(())
}
