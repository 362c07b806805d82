//! `cargo xtask package`: the publishable `cryptomate` crate, with its
//! generated code included, so that a downstream build compiles no generator.
//!
//! The repository generates at build time (`build.rs`, from the spec, the one
//! source of truth). The package is what `cargo package` makes of the crate,
//! with three changes: the code `codegen/` generates from the spec (every
//! product's, each behind its feature, as the build generates it) is written
//! to `src/cryptomate.rs` and `src/generated.rs` includes it from there instead
//! of `OUT_DIR`; `build.rs` and `codegen/` are left out; and the manifest
//! loses its build script and build dependencies (progenitor, typify, syn, …).
//! Nothing in the package is edited by hand: `.ci/run` rebuilds it, builds it
//! on its own, offline, with and without the `client` feature and with each
//! product alone, and checks that its generated code equals a fresh
//! generation.
//!
//! It is not a publisher: uploading the package stays a deliberate, manual step.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Failure, codegen, workspace_root};

/// The line of `src/generated.rs` that includes the code build.rs writes.
pub const INCLUDE_FROM_OUT_DIR: &str = r#"include!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));"#;
/// What the package's `src/generated.rs` has instead.
pub const INCLUDE_PACKAGED: &str = r#"include!("cryptomate.rs");"#;
/// Where, in the package, the generated code is.
pub const PACKAGED_CODE: &str = "src/cryptomate.rs";

/// Makes the package under `target/xtask-package/` and returns its folder.
pub fn run() -> Result<PathBuf, Failure> {
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "package",
            "-p",
            "cryptomate",
            "--no-verify",
            "--allow-dirty",
            "--locked",
        ])
        .status()
        .map_err(|e| Failure::Run(format!("cannot run cargo package: {e}")))?;
    if !status.success() {
        return Err(Failure::Run(format!("cargo package failed ({status})")));
    }
    let version = crate_version(&root.join("Cargo.toml"))?;
    let name = format!("cryptomate-{version}");
    let archive = target.join("package").join(format!("{name}.crate"));
    let out = target.join("xtask-package");
    let dir = out.join(&name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| Failure::Run(format!("cannot clear {}: {e}", dir.display())))?;
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::Run(format!("cannot create {}: {e}", out.display())))?;
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&out)
        .status()
        .map_err(|e| Failure::Run(format!("cannot run tar: {e}")))?;
    if !status.success() {
        return Err(Failure::Run(format!("cannot unpack {}", archive.display())));
    }
    let code = codegen::generate_file(&root.join(codegen::SPEC_PATH))
        .map_err(|e| Failure::Input(e.to_string()))?;
    ship_generated_code(&dir, &code)?;
    // The lock file cargo package wrote still lists the build dependencies;
    // resolving again, offline, drops them and keeps every other version as
    // locked, so that the package builds with `--locked`.
    let status = Command::new(&cargo)
        .arg("metadata")
        .args(["--offline", "--format-version", "1", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| Failure::Run(format!("cannot run cargo metadata: {e}")))?;
    if !status.success() {
        return Err(Failure::Run(format!(
            "cannot settle the package's lock file ({status})"
        )));
    }
    Ok(dir)
}

fn crate_version(manifest: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| Failure::Input(format!("{}: {e}", manifest.display())))?;
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| Failure::Input(format!("{}: {e}", manifest.display())))?;
    doc["package"]["version"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Failure::Input(format!("{}: no package.version", manifest.display())))
}

/// Turns an unpacked `cargo package` of the crate into one that ships its
/// generated code: writes it, includes it, and drops the build script.
pub fn ship_generated_code(dir: &Path, code: &str) -> Result<(), Failure> {
    let io = |what: &Path, e: std::io::Error| Failure::Run(format!("{}: {e}", what.display()));
    std::fs::write(dir.join(PACKAGED_CODE), code).map_err(|e| io(&dir.join(PACKAGED_CODE), e))?;

    let generated = dir.join("src/generated.rs");
    let text = std::fs::read_to_string(&generated).map_err(|e| io(&generated, e))?;
    if text.matches(INCLUDE_FROM_OUT_DIR).count() != 1 {
        return Err(Failure::Run(format!(
            "{} does not include the generated code with `{INCLUDE_FROM_OUT_DIR}` exactly once: \
             update xtask/src/package.rs with it",
            generated.display()
        )));
    }
    std::fs::write(
        &generated,
        text.replace(INCLUDE_FROM_OUT_DIR, INCLUDE_PACKAGED),
    )
    .map_err(|e| io(&generated, e))?;

    let path = dir.join("build.rs");
    if path.exists() {
        std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
    }
    let path = dir.join("codegen");
    if path.exists() {
        std::fs::remove_dir_all(&path).map_err(|e| io(&path, e))?;
    }

    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| io(&manifest, e))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| Failure::Run(format!("{}: {e}", manifest.display())))?;
    doc.remove("build-dependencies");
    let package = doc["package"]
        .as_table_mut()
        .ok_or_else(|| Failure::Run(format!("{}: no [package]", manifest.display())))?;
    package.remove("build");
    // Without a build script, cargo would look for `build.rs` by itself.
    package.insert("build", toml_edit::value(false));
    if let Some(include) = package.get_mut("include").and_then(|i| i.as_array_mut()) {
        include.retain(|v| !matches!(v.as_str(), Some("/build.rs" | "/codegen")));
    }
    std::fs::write(&manifest, doc.to_string()).map_err(|e| io(&manifest, e))?;
    Ok(())
}
