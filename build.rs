//! Generates the client from `openapi/cryptomate.yaml` into `OUT_DIR`.
//!
//! It reads only the spec and writes only `OUT_DIR/cryptomate.rs`; it never
//! touches the network. All generation settings live in `codegen/` (the module
//! `codegen`), shared with `cargo xtask codegen`.

mod codegen;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The only input of this script besides its own source, `codegen/`
    // included (cargo tracks the build script's modules by itself): a build
    // with nothing changed does not rerun it.
    println!("cargo::rerun-if-changed={}", codegen::SPEC_PATH);

    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("error: OUT_DIR is not set; build.rs runs under cargo only");
        return ExitCode::FAILURE;
    };
    // Relative to the package root, which is where cargo runs build scripts:
    // errors then name the spec as `openapi/cryptomate.yaml:LINE:COLUMN`.
    let spec = Path::new(codegen::SPEC_PATH);
    let code = match codegen::generate_file(spec) {
        Ok(code) => code,
        Err(e) => {
            // `cargo::error` makes cargo fail the build and show the message
            // as an error of its own, without the script's raw output.
            println!("cargo::error={e}");
            return ExitCode::SUCCESS;
        }
    };
    let out = Path::new(&out_dir).join("cryptomate.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo::error=cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
