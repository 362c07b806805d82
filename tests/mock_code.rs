//! The mock's code that is specific to one operation, counted from the
//! sources: the lines of the behaviour function `src/mock/behaviour/mod.rs`
//! registers for it (from its doc comment to its closing brace, and its
//! entry), and every line outside the behaviour layer (`src/mock/behaviour/`)
//! that names it. A plain operation has none. The behaviour modules are
//! counted whole besides, shared helpers and controls included. The
//! table this computes is the one in `benchmarks/mock.md`; when the code
//! changes, the test fails and prints the new table:
//!
//! ```sh
//! cargo test --test mock_code -- --nocapture
//! ```

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Every Rust source of `src/mock/`, by its path from the package root.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("src/mock is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .strip_prefix(common::root())
                    .expect("under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(name, std::fs::read_to_string(&path).expect("readable"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&common::root().join("src/mock"), &mut out);
    out
}

/// The lines of the function `name` in `source`: its doc comment and
/// attributes, its signature, its body up to the `}` that closes it at the
/// start of a line (rustfmt's layout).
fn function_lines(source: &str, name: &str) -> Option<usize> {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines.iter().position(|l| {
        l.trim_start()
            .starts_with(&format!("pub(super) fn {name}("))
            || l.trim_start().starts_with(&format!("fn {name}("))
    })?;
    let mut first = start;
    while first > 0 {
        let above = lines[first - 1].trim_start();
        if above.starts_with("///") || above.starts_with("#[") {
            first -= 1;
        } else {
            break;
        }
    }
    let end = start + lines[start..].iter().position(|l| *l == "}")?;
    Some(end - first + 1)
}

/// The table of `benchmarks/mock.md`, as this test computes it.
fn table() -> String {
    let sources = sources();
    let registry = &sources["src/mock/behaviour/mod.rs"];
    // ("operation", module::function) entries of BEHAVIOURS, one a line or,
    // where rustfmt breaks a long one, over several: the block is read with
    // its lines joined.
    let block = registry
        .split_once("BEHAVIOURS: &[(&str, Run)] = &[")
        .and_then(|(_, rest)| rest.split_once("\n];"))
        .map(|(block, _)| block)
        .expect("the BEHAVIOURS table in src/mock/behaviour/mod.rs");
    let joined: String = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .collect();
    let mut behaviours: BTreeMap<String, (String, String)> = BTreeMap::new();
    for entry in joined.split("),") {
        let Some(rest) = entry.trim().strip_prefix("(\"") else {
            continue;
        };
        let Some((operation, target)) = rest.split_once("\",") else {
            continue;
        };
        let target = target.trim().trim_end_matches(',').trim_end_matches(')');
        if let Some((module, function)) = target.split_once("::") {
            behaviours.insert(
                operation.to_string(),
                (module.to_string(), function.to_string()),
            );
        }
    }
    let mut out = String::from(
        "| operation | behaviour | lines of its behaviour | lines naming it outside the behaviour layer |\n| --- | --- | ---: | ---: |\n",
    );
    let (mut with, mut total) = (0, 0);
    for operation in cryptomate::mock::operation_ids() {
        let quoted = format!("\"{operation}\"");
        let naming: Vec<String> = sources
            .iter()
            .flat_map(|(file, text)| {
                text.lines()
                    .enumerate()
                    .filter(|(_, l)| l.contains(&quoted))
                    // The behaviour layer is counted by function and by
                    // module; a flow's module naming the operation whose
                    // items it reaches is the flow's code.
                    .filter(|_| !file.starts_with("src/mock/behaviour/"))
                    // Documentation that gives an id as an example is not
                    // code.
                    .filter(|(_, l)| !l.trim_start().starts_with("//"))
                    .map(move |(n, _)| format!("{file}:{}", n + 1))
            })
            .collect();
        let (name, lines) = match behaviours.get(operation) {
            Some((module, function)) => {
                let source = &sources[&format!("src/mock/behaviour/{module}.rs")];
                let lines = function_lines(source, function)
                    .unwrap_or_else(|| panic!("{module}::{function} is in behaviour/{module}.rs"))
                    + 1;
                (format!("`{module}::{function}`"), lines)
            }
            None => ("plain".to_string(), 0),
        };
        if lines > 0 {
            with += 1;
        }
        total += lines + naming.len();
        let _ = writeln!(
            out,
            "| `{operation}` | {name} | {lines} | {} |",
            naming.len()
        );
    }
    let flows: Vec<String> = sources
        .iter()
        .filter(|(file, _)| file.starts_with("src/mock/behaviour/") && !file.ends_with("/mod.rs"))
        .map(|(file, text)| format!("`{file}` {}", text.lines().count()))
        .collect();
    let _ = writeln!(
        out,
        "\n{with} of {} operations have a behaviour; {total} lines are specific to one \
         operation. The behaviour modules, whole (their shared helpers, controls and tests \
         included): {}.",
        cryptomate::mock::operation_ids().len(),
        flows.join(", ")
    );
    out
}

#[test]
fn a_plain_operation_has_no_code_and_benchmarks_md_says_how_much_the_others_have() {
    let table = table();
    for line in table.lines().filter(|l| l.contains("| plain |")) {
        assert!(line.ends_with("| plain | 0 | 0 |"), "{line}");
    }
    let recorded = std::fs::read_to_string(common::root().join("benchmarks/mock.md"))
        .expect("benchmarks/mock.md is readable");
    let begin = "<!-- mock_code: begin -->\n";
    let end = "<!-- mock_code: end -->";
    let start = recorded
        .find(begin)
        .expect("benchmarks/mock.md has the markers")
        + begin.len();
    let stop = recorded[start..].find(end).expect("the end marker") + start;
    if recorded[start..stop] != table {
        println!("{table}");
        panic!(
            "benchmarks/mock.md's table of code per operation is not the code's: put the table \
             printed above between its markers (cargo test --test mock_code -- --nocapture)"
        );
    }
}
