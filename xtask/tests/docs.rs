//! What the documents say about the maintainers' tools, held to the tools:
//! the spec error README.md shows, the parts of `cargo xtask bench` every
//! document names, and the `codegen::` items the documents and comments name.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// README.md's example of a spec error is what the tool prints for the
/// project's spec with its version changed to 3.1.0, run from a folder laid
/// out as the workspace (so that it names `openapi/cryptomate.yaml`, as a
/// build does).
#[test]
fn the_readmes_spec_error_is_what_the_tool_prints() {
    let spec = read("openapi/cryptomate.yaml");
    assert!(
        spec.contains("\nopenapi: 3.0.3\n"),
        "the spec's version line moved"
    );
    let dir = std::env::temp_dir().join(format!("xtask-docs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("openapi")).expect("a temporary folder");
    std::fs::write(
        dir.join("openapi/cryptomate.yaml"),
        spec.replace("\nopenapi: 3.0.3\n", "\nopenapi: 3.1.0\n"),
    )
    .expect("write the spec");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check", "--spec", "openapi/cryptomate.yaml"])
        .current_dir(&dir)
        .output()
        .expect("xtask runs");
    std::fs::remove_dir_all(&dir).ok();
    let printed = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    assert_eq!(out.status.code(), Some(2), "{printed}");
    assert!(
        printed.starts_with("error: openapi/cryptomate.yaml:"),
        "{printed}"
    );
    let readme = read("README.md");
    let shown = readme
        .split('`')
        .find(|span| span.starts_with("error: openapi/cryptomate.yaml:"))
        .expect("README.md shows a spec error in backticks");
    assert_eq!(
        shown, printed,
        "README.md's spec error is not what the tool prints: copy the second into the first"
    );
}

/// The parts of `benches/run`, from its one list (`parts=(…)`).
fn bench_parts() -> Vec<String> {
    let script = read("benches/run");
    let line = script
        .lines()
        .find(|l| l.starts_with("parts=("))
        .expect("benches/run lists its parts in `parts=(…)`");
    line.trim_start_matches("parts=(")
        .trim_end_matches(')')
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// `all` runs every part, and each document that names the parts names them
/// all, in the script's order: README.md, BENCHMARKS.md, `cargo xtask bench
/// --help`.
#[test]
fn every_document_names_every_part_of_the_benchmarks() {
    let parts = bench_parts();
    assert!(parts.len() >= 5, "{parts:?}");
    let script = read("benches/run");
    assert!(
        script.contains(r#"for part in "${parts[@]}"; do run_part "$part"; done"#),
        "benches/run all must run every part of its list"
    );
    for part in &parts {
        assert!(
            script.contains(&format!("    {part}) ")),
            "benches/run has no case for {part}"
        );
    }
    let listed = format!(
        "(`{}`)",
        parts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("`, `")
    );
    for document in ["README.md", "BENCHMARKS.md"] {
        let text = read(document)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&format!("`cargo xtask bench <part>` one part {listed}")),
            "{document} must name the parts of cargo xtask bench as {listed}"
        );
    }
    let help = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["bench", "--help"])
        .output()
        .expect("xtask runs");
    let help = String::from_utf8_lossy(&help.stdout);
    let named = format!("Which part: {}, or all", parts.join(", "));
    assert!(help.contains(&named), "{named:?} is not in:\n{help}");
}

/// Every file under `dir` (recursively) whose name ends with `extension`.
fn files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, extension, found);
        } else if path.to_string_lossy().ends_with(extension) {
            found.push(path);
        }
    }
}

/// The items `codegen.rs` (or a `codegen/` folder of modules) defines.
fn codegen_items() -> Vec<String> {
    let mut sources = Vec::new();
    if root().join("codegen.rs").exists() {
        sources.push(root().join("codegen.rs"));
    }
    files(&root().join("codegen"), ".rs", &mut sources);
    assert!(!sources.is_empty(), "neither codegen.rs nor codegen/");
    let mut items = Vec::new();
    for source in sources {
        let text = std::fs::read_to_string(&source).expect("readable");
        for line in text.lines() {
            let words: Vec<&str> = line
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                if matches!(
                    pair[0],
                    "fn" | "const" | "static" | "struct" | "enum" | "type" | "mod" | "trait"
                ) {
                    items.push(pair[1].to_string());
                }
            }
        }
    }
    items
}

/// Each `codegen::NAME` that a document or a comment names is an item of
/// the generator, so that a renamed or removed function is not cited on.
#[test]
fn the_codegen_items_the_documents_name_exist() {
    let items = codegen_items();
    let mut cited = vec![
        root().join("README.md"),
        root().join("ARCHITECTURE.md"),
        root().join("build.rs"),
    ];
    for dir in ["src", "tests", "benches", "xtask/src", "xtask/tests"] {
        files(&root().join(dir), ".rs", &mut cited);
    }
    files(&root().join("xtask"), ".md", &mut cited);
    let mut missing = Vec::new();
    // This file names the prefix itself.
    cited.retain(|file| !file.ends_with("xtask/tests/docs.rs"));
    for file in &cited {
        let text = std::fs::read_to_string(file).expect("readable");
        for (index, line) in text.lines().enumerate() {
            for (at, _) in line.match_indices("codegen::") {
                let name: String = line[at + "codegen::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // A path through a module of the folder names its last item.
                let rest = &line[at + "codegen::".len() + name.len()..];
                let name = match rest.strip_prefix("::") {
                    Some(inner) => inner
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                    None => name,
                };
                if !name.is_empty() && !items.contains(&name) {
                    missing.push(format!(
                        "{}:{}: codegen::{name}",
                        file.strip_prefix(root()).unwrap_or(file).display(),
                        index + 1
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these name no item of the generator:\n{}",
        missing.join("\n")
    );
}
