//! Generation of the Rust client from the OpenAPI spec.
//!
//! This folder is the one place that decides how the spec becomes Rust code.
//! It is compiled twice: as the module `codegen` of `build.rs` (which writes
//! the code the crate compiles) and as a module of `xtask` (whose `codegen
//! --print` shows that very code, whose diffs read it, and whose tests
//! exercise the error paths). It reads only the spec it is given and never
//! touches the network. Its size does not grow with the spec: everything it
//! knows of operations and types it reads from the spec or from progenitor's
//! output.
//!
//! The way from a spec to the file, and where each step is:
//! 1. `parse.rs`: the YAML text into an OpenAPI document, errors located;
//! 2. `check.rs`: what progenitor would reject with a panic (`check`) and
//!    what this crate asks of its spec (`products`: one product tag per
//!    operation, snake_case operation ids);
//! 3. `settings.rs`: the settings progenitor and typify generate with, and
//!    the names of the crate the generated code relies on;
//! 4. progenitor, its panics caught (`panic_hook.rs`);
//! 5. `rewrite/`: the checked rewrites of progenitor's output (their list is
//!    in `rewrite/mod.rs`), given what the spec says they must find
//!    (`facts.rs`); the cargo feature each item needs is worked out in
//!    `features.rs`;
//! 6. `dispatch.rs`: the dispatcher, generated from the facts and the
//!    rewritten builders; `retries.rs`: the retry rule of every operation
//!    (`RETRY_RULES`), from each one's method and idempotency-key header;
//!    `pages.rs`: `pages()` and `items()` on the builder of every operation
//!    the spec marks `x-pagination` (after the dispatcher, which reads the
//!    builders' setters);
//! 7. `webhooks.rs`: the enum of the webhook events (`types::WebhookData`),
//!    generated from the spec's `x-webhook` schemas;
//! 8. prettyplease, and the stamp.
//!
//! Code generated from the spec beyond progenitor's belongs in a file of its
//! own here, called from [`generate`] after the rewrites, reading what it needs
//! of the spec through `facts.rs` and gating what it emits by product, as
//! `rewrite::products` does: `dispatch.rs` (6.) is the dispatcher that calls
//! any operation by its id with JSON arguments (`crate::dynamic`); open enums
//! and checked ids generated from spec extensions would be a file that emits
//! the types and gives `settings.rs` the replacements `REPLACEMENTS` lists by
//! hand today. `names.rs` computes the Rust names progenitor gives the
//! spec's names, for the rewrites and the dispatcher to find them.
//!
//! It is not the place for hand-written client behaviour: that lives in `src/`.

mod check;
mod dispatch;
mod error;
mod facts;
pub mod features;
mod names;
pub mod pages;
mod panic_hook;
mod parse;
mod pointer;
mod retries;
mod rewrite;
mod settings;
mod spec_types;
mod webhooks;

use std::path::Path;

use openapiv3::OpenAPI;
use progenitor::Generator;

pub use check::check;
pub use error::CodegenError;
#[allow(
    unused_imports,
    reason = "build.rs prints errors whole; xtask's tests look at where they are"
)]
pub use error::Location;
#[allow(
    unused_imports,
    reason = "build.rs locates its errors through generate_file; api-diff locates its own"
)]
pub use error::error_at;
pub use facts::Facts;
#[allow(
    unused_imports,
    reason = "build.rs reads no deprecation list; api-diff's Rust model does"
)]
pub use facts::deprecations;
pub use parse::parse;
#[allow(
    unused_imports,
    reason = "build.rs uses the lines of pointers through located errors; the diffs use them all"
)]
pub use pointer::{
    escape_pointer_key, line_of_pointer, lines_of_pointers, unescape_pointer_segment,
};
#[allow(
    unused_imports,
    reason = "build.rs uses the spec path only; xtask uses the rest"
)]
pub use settings::{
    ALWAYS_PRESENT, CLIENT_FEATURE, REPLACEMENTS, SPEC_PATH, STAMP, WEBHOOKS_FEATURE,
};

/// Reads, checks and generates: the whole path from a spec file to the
/// formatted, stamped Rust source.
pub fn generate_file(path: &Path) -> Result<String, CodegenError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| error::error_in_file(path, format!("cannot read the spec: {e}")))?;
    generate_from_str(path, &text)
}

/// Like [`generate_file`], from text already read; `path` names it in errors.
pub fn generate_from_str(path: &Path, text: &str) -> Result<String, CodegenError> {
    let spec = parse(path, text)?;
    check(&spec)
        .and_then(|()| check::products(&spec))
        .and_then(|()| check::open_sets(&spec))
        .and_then(|()| pages::check(&spec).map(|_| ()))
        .and_then(|()| check::webhooks(&spec))
        .map_err(|(pointer, message)| error::error_at(path, text, &pointer, message))?;
    generate(&spec).map_err(|message| error::error_in_file(path, message))
}

/// Runs progenitor, rewrites and formats its output. The spec must have
/// passed [`check`] and `check::products`.
pub fn generate(spec: &OpenAPI) -> Result<String, String> {
    let tokens = rewrite::constructors::apply_to_tokens(progenitor_tokens(spec)?)?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    let facts = Facts::of(spec);
    rewrite::apply(&mut file, &facts)?;
    dispatch::apply(&mut file, &facts)?;
    retries::apply(&mut file, &facts)?;
    let marks = pages::check(spec).map_err(|(pointer, message)| format!("{pointer}: {message}"))?;
    pages::apply(&mut file, &marks)?;
    webhooks::apply(&mut file, &facts)?;
    let code = prettyplease::unparse(&file);
    Ok(format!("{STAMP}\n{code}"))
}

/// Runs progenitor and returns its tokens, unformatted, for tools that read
/// the code's structure and need not pay for parsing all of it (`cargo xtask
/// api-diff`). Of the rewrites, only the one of the client's constructors,
/// which changes the public API, is made here (`rewrite::constructors`), and
/// the open enums and checked ids are added to `types` (`spec_types.rs`), and
/// the enum of the webhook events (`webhooks.rs`); the other rewrites, of
/// [`generate`], change no type or method signature, and the
/// attributes they add (`#[deprecated]`, the features) are worked out from the
/// spec by [`deprecations`] and [`features::gates`].
#[allow(
    dead_code,
    reason = "build.rs generates the whole file; api-diff reads the tokens"
)]
pub fn generate_tokens(spec: &OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    let tokens = rewrite::constructors::apply_to_tokens(progenitor_tokens(spec)?)?;
    let tokens = spec_types::SpecTypes::of(spec).append_to_tokens(tokens)?;
    webhooks::append_to_tokens(&Facts::of(spec), tokens)
}

/// progenitor's tokens, with its panics reported as errors.
fn progenitor_tokens(spec: &OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    let generated =
        panic_hook::catching(|| Generator::new(&settings::settings(spec)).generate_tokens(spec));
    match generated {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(format!("progenitor cannot generate a client: {e}")),
        Err(reason) => Err(format!(
            "progenitor does not support something in the spec: {reason}"
        )),
    }
}
