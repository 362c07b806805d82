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
//! Nothing in the package is edited by hand: `.ci/package-check` rebuilds it,
//! checks that its generated code is byte for byte what `build.rs` generated
//! in the build the test suite ran on, builds it on its own, offline, with and
//! without the `client` feature and with each product alone, and runs the
//! README's downstream test on it.
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
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo = || {
        let mut command = Command::new(&program);
        command.current_dir(root);
        command
    };
    offline_first(
        &cargo,
        &[
            "package",
            "-p",
            "cryptomate",
            "--no-verify",
            "--allow-dirty",
            "--locked",
        ],
        "make the package (cargo package)",
    )?;
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
    settle_lock_file(&cargo, &dir)?;
    Ok(dir)
}

/// Settles the lock file of the crate in `dir` after its manifest lost
/// dependencies: the entries nothing needs any more (the build dependencies)
/// are dropped, and every other version stays as locked, so that the crate
/// builds with `--locked`. `cargo` makes the command to run (the tests give it
/// a `CARGO_HOME` of their own).
///
/// `cargo update --workspace` resolves from the registry's index alone and
/// downloads no crate, so the local index cache that any build of the
/// workspace fills is enough, offline. (`cargo metadata`, used before, also
/// downloads every package of the lock file, for every target: crates such as
/// `bumpalo`, which only a wasm build needs, are not in the cache of a build
/// on Linux, so it failed offline after a plain `cargo test`.)
pub fn settle_lock_file(cargo: &dyn Fn() -> Command, dir: &Path) -> Result<(), Failure> {
    let manifest = dir.join("Cargo.toml");
    let manifest = manifest
        .to_str()
        .ok_or_else(|| Failure::Run(format!("{}: the path is not UTF-8", manifest.display())))?;
    offline_first(
        cargo,
        &["update", "--workspace", "--manifest-path", manifest],
        "settle the package's lock file (cargo update --workspace)",
    )
}

/// Runs `cargo args` offline first: the local registry cache, which a build
/// of the workspace fills, is all the step needs, and a maintainer without
/// network can then still make the package. When that fails (a cache without
/// the index entries the step reads), it runs again with the registry, and
/// when that fails too, the failure is one line saying what to run.
fn offline_first(cargo: &dyn Fn() -> Command, args: &[&str], what: &str) -> Result<(), Failure> {
    let run = |offline: bool| {
        let mut command = cargo();
        command.args(args);
        if offline {
            command.arg("--offline");
        }
        command
            .output()
            .map_err(|e| Failure::Run(format!("cannot run cargo to {what}: {e}")))
    };
    let offline = run(true)?;
    let output = if offline.status.success() {
        offline
    } else {
        run(false)?
    };
    // cargo's progress and warnings go on to the user as they would have.
    std::io::Write::write_all(&mut std::io::stderr(), &output.stderr).ok();
    if output.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let cause = said
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or("no message");
    Err(Failure::Run(format!(
        "cannot {what}: offline, cargo's registry cache lacks what it needs, and with the \
         registry cargo failed ({cause}); where crates.io is reachable, run `cargo fetch` in \
         the workspace, then `cargo xtask package` again"
    )))
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
