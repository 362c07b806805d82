//! The library behind `cargo xtask`: a module per diff command, `docs_sync`,
//! the shared generator (`codegen/`), and what the commands share. `main.rs` parses the command
//! line and runs the two small commands (`codegen`, `bench`) itself.

#[allow(
    missing_docs,
    reason = "xtask is not published: api-diff's report types are public only for xtask's own \
              tests and benches, and their JSON form is documented in xtask/API-DIFF.md"
)]
pub mod api_diff;
#[path = "../../codegen/mod.rs"]
pub mod codegen;
// The mock's translation of OpenAPI 3.0's schema keywords, the one copy:
// docs-diff and `spec-json` use it.
#[path = "../../src/mock/dialect.rs"]
pub mod dialect;
pub mod docs_diff;
pub mod docs_sync;
pub mod lines;
pub mod package;
pub mod pages;
pub mod pointer_lines;
pub mod spec_json;
pub mod synth;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Adds to `reached` the names of the component schemas `value` refers to
/// (`$ref: '#/components/schemas/…'`, the name unescaped), transitively:
/// `schema` looks a name up, and each schema is followed once.
pub fn reach_schemas<'a>(
    value: &'a Value,
    schema: &impl Fn(&str) -> Option<&'a Value>,
    reached: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key != "$ref" {
                    reach_schemas(child, schema, reached);
                    continue;
                }
                if let Some(name) = child
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    let name = pointer_lines::unescape(name);
                    if reached.insert(name.clone())
                        && let Some(found) = schema(&name)
                    {
                        reach_schemas(found, schema, reached);
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| reach_schemas(v, schema, reached)),
        _ => {}
    }
}

/// How a command failed. `Display` gives the message a user sees after
/// `error: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Something was found at or above the threshold (exit 1).
    Findings,
    /// An input could not be read or parsed (exit 2); the message names it.
    Input(String),
    /// Something the command runs failed, with all its input readable: the
    /// benchmark script (exit 1, as findings, since exit 2 means unreadable
    /// input).
    Run(String),
}

impl Failure {
    /// The exit status of the command: 1 for findings or a failed run, 2 for
    /// unreadable input only (ARCHITECTURE.md reserves 2 for that).
    pub fn exit_status(&self) -> u8 {
        match self {
            Self::Findings | Self::Run(_) => 1,
            Self::Input(_) => 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Findings => f.write_str("findings at or above the threshold"),
            Self::Input(message) | Self::Run(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Failure {}

/// The root of the workspace.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
}

/// A path of the project, relative to the workspace root when the command runs
/// from there (so that messages read `openapi/cryptomate.yaml:12:3`, as a build
/// does), absolute otherwise.
pub fn project_path(relative: &str) -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) if dir == workspace_root() => PathBuf::from(relative),
        _ => workspace_root().join(relative),
    }
}

#[cfg(test)]
mod tests {
    use super::Failure;

    #[test]
    fn only_unreadable_input_exits_2() {
        assert_eq!(Failure::Findings.exit_status(), 1);
        assert_eq!(
            Failure::Run("benches/run all failed".into()).exit_status(),
            1
        );
        assert_eq!(
            Failure::Input("spec.yaml: cannot read".into()).exit_status(),
            2
        );
        assert_eq!(
            Failure::Input("spec.yaml:3:1: bad".into()).to_string(),
            "spec.yaml:3:1: bad"
        );
    }
}
