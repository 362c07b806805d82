//! `api-diff` on realistic spec pairs that are not this project's
//! (`xtask/tests/fixtures/api-diff/*`: a pet store with path-level parameters
//! and `allOf`, an inventory with maps and enums, payments with `oneOf` and a
//! renamed path parameter, a shipping API evolving safely, a form API that
//! progenitor cannot generate). Each directory holds `base.yaml`, `head.yaml`
//! and `expected.yaml`: the pointers of the changes that must be wire-breaking
//! and of those that must not, and whether the Rust verdicts are unknown.
//!
//! The bar (issue 14): every wire break is reported as breaking and fails
//! `--fail-on breaking`; no change outside the expected breaks is reported as
//! wire-breaking; no pair ends without a report.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn realistic_pairs_meet_the_bar() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/api-diff");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("the fixtures")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "{dirs:?}");
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let expected: Value = serde_yaml_ng::from_str(
            &std::fs::read_to_string(dir.join("expected.yaml")).expect("expected.yaml"),
        )
        .expect("expected.yaml parses");
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["api-diff", "--format", "json", "--fail-on", "breaking"])
            .arg("--base-file")
            .arg(dir.join("base.yaml"))
            .arg("--head-file")
            .arg(dir.join("head.yaml"))
            .output()
            .expect("xtask runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let Ok(report) = serde_json::from_slice::<Value>(&out.stdout) else {
            failures.push(format!(
                "{name}: no report (exit {:?}): {stderr}",
                out.status.code()
            ));
            continue;
        };
        let changes = report["changes"].as_array().cloned().unwrap_or_default();
        let find = |pointer: &str| changes.iter().find(|c| c["pointer"] == pointer);
        let list = |key: &str| -> Vec<String> {
            expected[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let breaking = list("breaking");
        for pointer in &breaking {
            match find(pointer) {
                Some(c) if c["wire"]["breaking"] == true => {}
                Some(c) => failures.push(format!("{name}: {pointer} is not wire-breaking: {c}")),
                None => failures.push(format!("{name}: no change at {pointer}")),
            }
        }
        for pointer in list("safe") {
            match find(&pointer) {
                Some(c) if c["wire"]["breaking"] == false => {}
                Some(c) => failures.push(format!("{name}: {pointer} is wire-breaking: {c}")),
                None => failures.push(format!("{name}: no change at {pointer}")),
            }
        }
        for c in &changes {
            let pointer = c["pointer"].as_str().unwrap_or_default();
            if c["wire"]["breaking"] == true && !breaking.iter().any(|b| b == pointer) {
                failures.push(format!(
                    "{name}: unexpected wire break at {pointer}: {}",
                    c["wire"]["reason"]
                ));
            }
        }
        let unknown = !report["rust_unknown"].is_null();
        if Some(unknown) != expected["rust_unknown"].as_bool() {
            failures.push(format!(
                "{name}: rust_unknown is {}",
                report["rust_unknown"]
            ));
        }
        if unknown
            && !changes.iter().all(|c| {
                c["rust"]["effect"] == "unknown"
                    && c["rust"]["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("progenitor"))
            })
        {
            failures.push(format!(
                "{name}: a Rust verdict is not unknown with the generator's reason"
            ));
        }
        let rust_breaking = changes.iter().any(|c| c["rust"]["breaking"] == true);
        let want = if breaking.is_empty() && !rust_breaking {
            0
        } else {
            1
        };
        if out.status.code() != Some(want) {
            failures.push(format!(
                "{name}: --fail-on breaking exits {:?}, not {want}: {stderr}",
                out.status.code()
            ));
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
