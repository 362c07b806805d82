//! What the tests that build copies of the package share.

use std::path::Path;

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Copies what a build of the `cryptomate` package in a copy of the workspace
/// needs from the workspace at `root` to `to`: the package's files and the
/// manifests, sources and bench targets of the other members, for the
/// workspace's manifests to load. `Cargo.toml` is left to the caller, which
/// may change it.
#[allow(dead_code, reason = "each test binary uses the helpers it needs")]
pub fn copy_package(root: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("copy dir");
    for file in ["Cargo.lock", "build.rs", "README.md"] {
        std::fs::copy(root.join(file), to.join(file)).expect("copy file");
    }
    for dir in [
        "src",
        "codegen",
        "openapi",
        "xtask/src",
        "xtask/benches",
        "benches",
        "types-only",
        "vendor-pages",
    ] {
        copy_dir(&root.join(dir), &to.join(dir));
    }
    std::fs::copy(root.join("xtask/Cargo.toml"), to.join("xtask/Cargo.toml")).expect("copy");
}

/// Copies the package under `target/spec-copies/crates/<label>` with `spec`
/// as its spec, and checks each of `examples` (a name and the body of a
/// module, which sees `cryptomate::types::*`) as a binary of a downstream
/// crate that depends on the copy with `features` only
/// (`default-features = false`); returns the names of those that do not
/// compile. The downstream crate has no dev-dependencies to build, and the
/// target directory is kept between runs, so only the first compiles the
/// dependencies. Panics when the crate itself does not build.
#[allow(dead_code, reason = "each test binary uses the helpers it needs")]
pub fn failing_examples(
    label: &str,
    spec: &str,
    examples: &[(&str, &str)],
    features: &str,
) -> std::collections::BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let target = root.join("target/spec-copies");
    // A stable place, so that a second run rebuilds only what changed.
    let copy = target.join("crates").join(label);
    if copy.exists() {
        std::fs::remove_dir_all(&copy).expect("clean the copy");
    }
    copy_package(root, &copy);
    std::fs::copy(root.join("Cargo.toml"), copy.join("Cargo.toml")).expect("copy manifest");
    std::fs::write(copy.join("openapi/cryptomate.yaml"), spec).expect("write spec");
    let downstream = copy.join("downstream");
    std::fs::create_dir_all(downstream.join("src/bin")).expect("downstream dir");
    let features: Vec<String> = features
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| format!("{f:?}"))
        .collect();
    std::fs::write(
        downstream.join("Cargo.toml"),
        format!(
            "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n\
             cryptomate = {{ path = \"..\", default-features = false, features = [{}] }}\n\
             serde_json = \"1\"\n",
            features.join(", ")
        ),
    )
    .expect("write the downstream manifest");
    // The workspace's lock, which resolves everything the copy needs: cargo
    // adds the downstream crate to it, offline.
    std::fs::copy(root.join("Cargo.lock"), downstream.join("Cargo.lock")).expect("copy lock");
    for (name, code) in examples {
        let source = format!(
            "#![allow(dead_code, unused_imports, missing_docs)]\nuse cryptomate::types::*;\n{code}\nfn main() {{}}\n"
        );
        std::fs::write(downstream.join(format!("src/bin/{name}.rs")), source)
            .expect("write example");
    }
    let out = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--keep-going", "--bins"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .current_dir(&downstream)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("could not compile `cryptomate` (lib)")
            && !stderr.contains("failed to run custom build command"),
        "the crate itself must build from the {label} spec with {features:?}:\n{stderr}"
    );
    let failing: std::collections::BTreeSet<String> = examples
        .iter()
        .map(|(name, _)| name.to_string())
        // Only errors count: a warning (a call of a deprecated method) names
        // the example too.
        .filter(|name| stderr.contains(&format!("could not compile `downstream` (bin \"{name}\")")))
        .collect();
    assert_eq!(
        out.status.success(),
        failing.is_empty(),
        "cargo's status and the failing examples agree:\n{stderr}"
    );
    failing
}
