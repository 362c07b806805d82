//! The rewrites of progenitor's output: where the crate needs more than
//! progenitor gives, each makes one change to the generated syntax tree and
//! nothing else.
//!
//! Each rewrite knows, from the spec (`facts.rs`), where its input must be:
//! when progenitor's output does not have it there (a progenitor upgrade that
//! changed its shape, or a site the rewrite does not match), generation fails
//! with the rewrite's file and what it expected, instead of silently producing
//! a client without its guarantee. Each has a test in `tests.rs` that fails
//! when it did not run, on the code generated from the project's spec, and
//! one that feeds it output without its input.
//!
//! The rewrites, in the order they run:
//! - `constructors`: removes `Client::new` (which unwraps and skips the
//!   builder's checks) and makes `Client::new_with_client` crate-private, so
//!   that `Client::builder` is the one way to make a client; any other public
//!   associated function of `Client` fails generation. It runs on progenitor's
//!   tokens, before they are parsed, since `cargo xtask api-diff` reads those.
//! - `error_type`: the generated code names `crate::Error` instead of
//!   progenitor's `Error`, which it no longer imports.
//! - `decoding`: response bodies are decoded by `crate::decode::from_response`
//!   and undocumented statuses read by `crate::decode::unexpected`, both given
//!   the method's `client` (for its size limit), instead of progenitor's own;
//!   a success body that is not JSON (a PDF) stays progenitor's `ByteStream`,
//!   which the caller streams.
//! - `redirects`: a 3xx status the spec documents (with the error body) is a
//!   documented error, `Error::ErrorResponse`, not an undocumented status.
//! - `hooks`: the calls of progenitor's `pre` and `post` hooks go; `exec`
//!   (`src/auth.rs`) is the crate's one hook, and no progenitor error reaches
//!   `crate::Error`.
//! - `api_version`: the `api-version` header progenitor sends with the spec's
//!   `info.version`, which the vendor does not document, goes (a header
//!   parameter of that name stays).
//! - `fragments`: the fragment of a path key that names a version of its
//!   path (`/p#v2`, D21) goes from the URL the operation sends to, and from
//!   the docs.
//! - `path_segments`: every path parameter goes into its URL through
//!   `crate::path::segment` instead of progenitor's `encode_path`, which
//!   passes `.`, `..`, `\` and the empty string (each would send the request
//!   to another path); the segment refuses them, and `/`, as the ids do.
//! - `fixed_headers`: a required header parameter whose schema allows one
//!   value (`X-API-Version: 2`, D21) is set by the builder itself, which has
//!   no setter for it.
//! - `header_map`: the header map an operation without header parameters then
//!   builds empty and merges into its request goes (two allocations a call).
//! - `idempotency`: an operation with an idempotency-key header (required
//!   or not) gets a fresh key in its builder, and `idempotency_key_in_use`.
//! - `bodies`: operation builders hold their request body as a
//!   `crate::body::Body`, so that a body given whole is sent as it is rather
//!   than converted into typify's builder and back.
//! - `deprecated`: the method of an operation the spec deprecates gets
//!   `#[deprecated]`, which progenitor only mentions in its docs.
//! - `deprecated_parameters`: the builder setter of a parameter the spec
//!   deprecates gets `#[deprecated]`, which progenitor does not give it.
//! - `doc_fences`: progenitor's usage sketch in each method's docs is fenced
//!   as `text`, not as an `ignore`d doctest.
//! - `schemars`: the types derive `schemars::JsonSchema` only with the
//!   `schemars` feature.
//! - `spec_types`: the open enums and checked ids the spec's conventions ask
//!   for (`codegen/spec_types.rs`) are written into `types`.
//! - `products`: each product's operations, their builders and the types only
//!   they use are gated by the product's feature (`features.rs` says which),
//!   and the client's methods are split into one `impl Client` per product.
//! - `client`: everything but the `types` module needs the `client` feature.

pub(super) mod constructors;

mod api_version;
mod bodies;
mod client;
mod decoding;
mod deprecated;
mod deprecated_parameters;
mod doc_fences;
mod error_type;
mod fixed_headers;
mod fragments;
mod header_map;
mod hooks;
pub(super) mod idempotency;
mod path_segments;
mod products;
mod redirects;
mod schemars;
mod spec_types;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use quote::ToTokens as _;

use super::facts::Facts;

/// A rewrite of the parsed file: `Err` says what it expected and found.
type Rewrite = fn(&mut syn::File, &Facts) -> Result<(), String>;

/// The rewrites of the parsed file, in order, each by the name of its file
/// (`constructors` ran on the tokens before).
const REWRITES: &[(&str, Rewrite)] = &[
    ("error_type", error_type::apply),
    ("decoding", decoding::apply),
    ("redirects", redirects::apply),
    ("hooks", hooks::apply),
    ("api_version", api_version::apply),
    ("fragments", fragments::apply),
    ("path_segments", path_segments::apply),
    ("fixed_headers", fixed_headers::apply),
    ("header_map", header_map::apply),
    ("idempotency", idempotency::apply),
    ("bodies", bodies::apply),
    ("deprecated", deprecated::apply),
    ("deprecated_parameters", deprecated_parameters::apply),
    ("doc_fences", doc_fences::apply),
    ("schemars", schemars::apply),
    ("spec_types", spec_types::apply),
    ("products", products::apply),
    ("client", client::apply),
];

/// Applies every rewrite of the parsed file, in order.
pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    for (name, rewrite) in REWRITES {
        rewrite(file, facts).map_err(|message| failure(name, &message))?;
    }
    Ok(())
}

/// The message of a rewrite that did not find its input.
fn failure(name: &str, message: &str) -> String {
    format!("the rewrite codegen/rewrite/{name}.rs {message}")
}

/// The top-level module `name` of the generated file (`types`, `builder`).
fn module<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Whether `ty` is the plain type `Client`.
fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Client"))
}

/// The operations' methods of `Client` (public, with a receiver, in an
/// inherent `impl Client`), each with the name of the operation builder it
/// returns (`builder::X<'_>`), in the order of the file.
fn operation_methods(items: &[syn::Item]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        for member in &block.items {
            if let syn::ImplItem::Fn(f) = member
                && matches!(f.vis, syn::Visibility::Public(_))
                && f.sig.receiver().is_some()
                && let Some(builder) = builder_returned(&f.sig.output)
            {
                found.push((f.sig.ident.to_string(), builder));
            }
        }
    }
    found
}

/// `X` of a return type `builder::X<'_>`.
fn builder_returned(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// The name of the type an `impl` is for (its last path segment).
fn self_type_name(block: &syn::ItemImpl) -> Option<String> {
    match block.self_ty.as_ref() {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Runs `f` on the `send` of every operation's builder and returns what it
/// returned, by operation id. Fails when an operation of the spec has no
/// method, or its builder no `send`: the rewrites that call this would then
/// miss its sites.
fn per_operation<T>(
    file: &mut syn::File,
    facts: &Facts,
    mut f: impl FnMut(&mut syn::ImplItemFn) -> T,
) -> Result<BTreeMap<String, T>, String> {
    per_operation_by_id(file, facts, |_, send| f(send))
}

/// Like [`per_operation`], giving `f` the operation id too.
fn per_operation_by_id<T>(
    file: &mut syn::File,
    facts: &Facts,
    mut f: impl FnMut(&str, &mut syn::ImplItemFn) -> T,
) -> Result<BTreeMap<String, T>, String> {
    let operation_of: BTreeMap<String, String> = operation_methods(&file.items)
        .into_iter()
        .map(|(method, builder)| (builder, method))
        .collect();
    let mut out = BTreeMap::new();
    if let Some(items) = module(file, "builder") {
        for item in items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            if block.trait_.is_some() {
                continue;
            }
            let Some(operation) = self_type_name(block).and_then(|name| operation_of.get(&name))
            else {
                continue;
            };
            for member in &mut block.items {
                if let syn::ImplItem::Fn(send) = member
                    && send.sig.ident == "send"
                {
                    out.insert(operation.clone(), f(operation, send));
                }
            }
        }
    }
    for operation in &facts.operations {
        if !out.contains_key(&operation.id) {
            return Err(format!(
                "expected the operation {id} to have a method Client::{id} returning a builder \
                 with a `send`, and found none",
                id = operation.id
            ));
        }
    }
    Ok(out)
}

/// The inherent `impl` of each operation's builder (its setters and `send`),
/// by operation id.
pub(super) fn builder_impls(file: &mut syn::File) -> BTreeMap<String, &mut syn::ItemImpl> {
    let operation_of: BTreeMap<String, String> = operation_methods(&file.items)
        .into_iter()
        .map(|(method, builder)| (builder, method))
        .collect();
    let mut out = BTreeMap::new();
    for item in module(file, "builder").into_iter().flatten() {
        if let syn::Item::Impl(block) = item
            && block.trait_.is_none()
            && let Some(operation) = self_type_name(block).and_then(|n| operation_of.get(&n))
        {
            out.insert(operation.clone(), block);
        }
    }
    out
}

/// The method `name` of an `impl`.
fn method_mut<'a>(block: &'a mut syn::ItemImpl, name: &str) -> Option<&'a mut syn::ImplItemFn> {
    block.items.iter_mut().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
        _ => None,
    })
}

/// Whether `expr` is exactly the relative path `segments` (`a::b`).
fn is_path(expr: &syn::Expr, segments: &[&str]) -> bool {
    match expr {
        syn::Expr::Path(p) => {
            p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == segments.len()
                && p.path
                    .segments
                    .iter()
                    .zip(segments)
                    .all(|(s, want)| s.ident == want)
        }
        _ => false,
    }
}

/// How many times `needle` (token text, as `quote` spaces it) occurs in the
/// file: what a rewrite that must leave none of its input checks.
fn occurrences(file: &syn::File, needle: &str) -> usize {
    file.to_token_stream().to_string().matches(needle).count()
}

/// The operations of `counts` whose count fails `ok`, as a list for a
/// message, or `None` when all pass.
fn mismatches<T>(counts: &BTreeMap<String, T>, ok: impl Fn(&str, &T) -> bool) -> Option<String>
where
    T: std::fmt::Debug,
{
    let bad: Vec<String> = counts
        .iter()
        .filter(|(id, n)| !ok(id, n))
        .map(|(id, n)| format!("{id}: {n:?}"))
        .collect();
    (!bad.is_empty()).then(|| bad.join(", "))
}
