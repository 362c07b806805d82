//! `cargo xtask`: commands for the people who maintain the spec.
//!
//! The diffs and docs-sync are modules of the library (`api_diff`,
//! `docs_diff`, `docs_sync`); this file
//! parses the command line, runs the two small commands itself (`codegen`,
//! which calls `codegen/`, and `bench`, which runs `benches/run`), and maps
//! failures to exit statuses: 0 for success, 1 for findings at or above the
//! requested threshold or a benchmark run that failed, 2 for input that cannot
//! be read or parsed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::docs_diff::{self, Format, Severity};
use xtask::{Failure, api_diff, codegen, project_path};

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
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["print", "check", "lines"])))]
    Codegen {
        /// Print the generated code: exactly what the crate compiles.
        #[arg(long)]
        print: bool,
        /// Check that the spec generates; report the first problem with its location.
        #[arg(long)]
        check: bool,
        /// Print how many lines of the generated code each feature gates, and
        /// what a downstream crate compiles with each product alone.
        #[arg(long)]
        lines: bool,
        /// The spec (default: the project's openapi/cryptomate.yaml).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Report what a spec change does to API callers and to the crate's semver.
    #[command(group(clap::ArgGroup::new("base-spec").args(["base", "base_file"])))]
    ApiDiff {
        /// The git revision whose openapi/cryptomate.yaml is the base
        /// (default: the merge base of HEAD with main).
        #[arg(long, value_name = "GIT_REV")]
        base: Option<String>,
        /// A spec file as the base, instead of a git revision.
        #[arg(long, value_name = "PATH")]
        base_file: Option<PathBuf>,
        /// The head spec (default: the working tree's openapi/cryptomate.yaml).
        #[arg(long, value_name = "PATH")]
        head_file: Option<PathBuf>,
        /// The output format.
        #[arg(long, value_enum, default_value = "text")]
        format: api_diff::Format,
        /// Exit 1 when a change at or above this level is found (default: never).
        #[arg(long, value_enum)]
        fail_on: Option<api_diff::FailOn>,
    },
    /// Make the publishable crate with its generated code included (no build
    /// script, no generator to compile downstream), under target/xtask-package/.
    Package,
    /// Reproduce every figure of BENCHMARKS.md and benchmarks/ (runs benches/run).
    Bench {
        /// Which part: compare, list, build, package, tools, load, webhooks, edit, or all.
        #[arg(default_value = "all")]
        part: String,
        /// For `edit`: the git revision whose crate the rebuild is compared with.
        rev: Option<String>,
    },
    /// Check the spec against the vendor's captured MDX pages.
    ///
    /// Reports every difference (a field one side lacks, a type or format that
    /// differs, an example the spec's schema rejects, a published page whose
    /// operation the spec lacks, ...) with the page's and the spec's lines and
    /// the fix. See xtask/DOCS-DIFF.md.
    DocsDiff {
        /// The spec (default: the project's openapi/cryptomate.yaml).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// A capture folder (the vendor's paths, docs.json at its root), or one
        /// page; repeat for several (default: openapi/vendor).
        #[arg(long = "docs", alias = "page")]
        docs: Vec<PathBuf>,
        /// Only the pages of this product (a navigation anchor: management,
        /// cards, individual-cards, treasury, active-management); repeatable.
        #[arg(long = "product")]
        products: Vec<String>,
        /// The allow file (default: openapi/docs-diff-allow.yaml, when it exists).
        #[arg(long, conflicts_with = "no_allow")]
        allow: Option<PathBuf>,
        /// Ignore the allow file: show every finding.
        #[arg(long)]
        no_allow: bool,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// The lowest severity that makes the command exit with status 1.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
    },
    /// Print every captured page as the grammar reads it, as JSON (for tools
    /// outside Rust, such as .ci/mock-e2e.py).
    Pages {
        /// A capture folder, or pages (default: openapi/vendor).
        #[arg(long = "docs")]
        docs: Vec<PathBuf>,
    },
    /// Print the spec as JSON, each of its schemas in the JSON Schema (Draft
    /// 7) dialect the mock and docs-diff validate with, for tools outside Rust
    /// (.ci/mock-e2e.py).
    SpecJson {
        /// The spec (default: openapi/cryptomate.yaml).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Update the captures from a clone of the vendor's docs repository, then
    /// run docs-diff.
    ///
    /// Copies docs.json, every page of its navigation and every file already
    /// captured, byte for byte; records each file's commit in the manifest;
    /// prints what changed. Refuses, changing nothing, when the folder is not
    /// a clean git checkout of the vendor's docs with every captured file.
    DocsSync {
        /// The clone of the vendor's docs repository (crypto-mate/docs).
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The capture folder (default: openapi/vendor).
        #[arg(long, value_name = "DIR")]
        captures: Option<PathBuf>,
        /// The manifest (default: openapi/vendor-manifest.yaml).
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
        /// The spec docs-diff reads afterwards (default: openapi/cryptomate.yaml).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The allow file (default: openapi/docs-diff-allow.yaml, when it exists).
        #[arg(long, conflicts_with = "no_allow")]
        allow: Option<PathBuf>,
        /// Ignore the allow file.
        #[arg(long)]
        no_allow: bool,
        /// How to print docs-diff's report.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// The lowest severity of docs-diff that makes the command exit with status 1.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
    },
}

/// The threshold of `docs-diff --fail-on`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen {
            print, lines, spec, ..
        } => codegen_command(print, lines, spec),
        Command::Bench { part, rev } => bench_command(&part, rev.as_deref()),
        Command::Package => xtask::package::run().map(|dir| println!("{}", dir.display())),
        Command::ApiDiff {
            base,
            base_file,
            head_file,
            format,
            fail_on,
        } => {
            let base = match (base, base_file) {
                (_, Some(file)) => api_diff::BaseSpec::File(file),
                (Some(rev), None) => api_diff::BaseSpec::Rev(rev),
                (None, None) => api_diff::BaseSpec::MergeBase,
            };
            api_diff::run(base, head_file, format, fail_on)
        }
        Command::DocsDiff {
            spec,
            docs,
            products,
            allow,
            no_allow,
            format,
            fail_on,
        } => docs_diff::run(&docs_diff::Options {
            spec,
            docs,
            products,
            allow,
            no_allow,
            format,
            fail_on: fail_on.severity(),
        }),
        Command::Pages { docs } => xtask::pages::run(&docs),
        Command::SpecJson { spec } => xtask::spec_json::run(
            &spec.unwrap_or_else(|| xtask::project_path(xtask::codegen::SPEC_PATH)),
        ),
        Command::DocsSync {
            from,
            captures,
            manifest,
            spec,
            allow,
            no_allow,
            format,
            fail_on,
        } => xtask::docs_sync::run(&xtask::docs_sync::Options {
            from,
            captures,
            manifest,
            diff: docs_diff::Options {
                spec,
                docs: Vec::new(),
                products: Vec::new(),
                allow,
                no_allow,
                format,
                fail_on: fail_on.severity(),
            },
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if failure != Failure::Findings {
                eprintln!("error: {failure}");
            }
            ExitCode::from(failure.exit_status())
        }
    }
}

fn codegen_command(print: bool, lines: bool, spec: Option<PathBuf>) -> Result<(), Failure> {
    let spec = spec.unwrap_or_else(|| project_path(codegen::SPEC_PATH));
    let code = codegen::generate_file(&spec).map_err(|e| Failure::Input(e.to_string()))?;
    if lines {
        let text = std::fs::read_to_string(&spec)
            .map_err(|e| Failure::Input(format!("{}: {e}", spec.display())))?;
        let parsed = codegen::parse(&spec, &text).map_err(|e| Failure::Input(e.to_string()))?;
        let products = codegen::Facts::of(&parsed).product_names();
        print!(
            "{}",
            xtask::lines::report(&code, &products).map_err(Failure::Run)?
        );
    } else if print {
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

fn bench_command(part: &str, rev: Option<&str>) -> Result<(), Failure> {
    let script = xtask::workspace_root().join("benches/run");
    let status = std::process::Command::new("bash")
        .arg(&script)
        .arg(part)
        .args(rev)
        .status()
        .map_err(|e| Failure::Run(format!("cannot run {}: {e}", script.display())))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Run(format!(
            "{} {part} failed ({status})",
            script.display()
        )))
    }
}
