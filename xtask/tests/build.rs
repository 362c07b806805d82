//! A broken spec fails `cargo build` of the crate itself with one readable
//! error: the file, the line and the cause, and no panic or backtrace.
//!
//! The package is copied to a temporary directory with a broken spec and built
//! there, with a target directory of its own under `target/` that is kept
//! between runs (only the first run compiles the build dependencies).

mod common;

use common::copy_package;

use std::path::Path;
use std::process::Command;

#[test]
fn a_broken_spec_fails_the_build_readably() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let copy = std::env::temp_dir().join(format!("cryptomate-build-{}", std::process::id()));
    copy_package(root, &copy);
    std::fs::copy(root.join("Cargo.toml"), copy.join("Cargo.toml")).expect("copy");
    let spec = copy.join("openapi/cryptomate.yaml");
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(&spec, text.replace("openapi: 3.0.3", "openapi: 3.1.0")).expect("write");
    let line = text
        .lines()
        .position(|l| l == "openapi: 3.0.3")
        .expect("the version line")
        + 1;

    let out = Command::new(env!("CARGO"))
        .args([
            "build",
            "--offline",
            "--locked",
            "--quiet",
            "-p",
            "cryptomate",
            "--lib",
        ])
        .env("CARGO_TARGET_DIR", root.join("target/spec-copies"))
        .env_remove("RUSTFLAGS")
        .current_dir(&copy)
        .output()
        .expect("cargo runs");
    std::fs::remove_dir_all(&copy).ok();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build must fail: {stderr}");
    assert!(
        stderr.contains(&format!(
            ": openapi/cryptomate.yaml:{line}:1: OpenAPI version 3.1.0 is not supported"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("error: cryptomate@"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
}
