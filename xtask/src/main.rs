//! `cargo xtask`: commands for the people who maintain the spec.
//!
//! Each command is a module of its own; this file only parses the command line
//! and maps failures to exit statuses: 0 for success, 1 for findings at or
//! above the requested threshold, 2 for input that cannot be read or parsed.

#[path = "../../codegen.rs"]
mod codegen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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

/// How a command failed.
pub enum Failure {
    /// Something was found at or above the threshold (exit 1).
    Findings,
    /// An input could not be read or parsed (exit 2); the message names it.
    Input(String),
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

/// A path of the project, relative to the workspace root when the command runs
/// from there (so that messages read `openapi/cryptomate.yaml:12:3`, as a build
/// does), absolute otherwise.
pub fn project_path(relative: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    match std::env::current_dir() {
        Ok(dir) if dir == root => PathBuf::from(relative),
        _ => root.join(relative),
    }
}
