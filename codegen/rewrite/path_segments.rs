//! Every path parameter goes into its URL through `crate::path::segment`
//! (`src/path.rs`), which refuses a value that would leave its segment and
//! then percent-encodes it as progenitor does, instead of progenitor's
//! `encode_path`, which encodes `/` and `%` but passes `.`, `..`, `\` and
//! the empty string: `..` would be normalised away by the URL parser and `\`
//! counts as `/` in `http` URLs, so such a value would send the request to
//! another path. The checked ids (`src/ids.rs`) refuse those values when they
//! are made; this covers the path parameters that are not ids (an open enum's
//! `Other`, D16 in `openapi/DECISIONS.md`), and every id again.
//!
//! Each `encode_path(<value>)` in an operation's URL becomes
//! ``crate::path::segment("the path parameter `<rust name>`", <value>)?``,
//! whose refusal `send` returns as `Error::InvalidRequest` before anything is
//! sent; `encode_path` leaves the imports. Every operation's `send` must have one call per path parameter.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;

use super::super::facts::{Facts, Location};
use super::{mismatches, per_operation_by_id};

/// Rewrites the `encode_path` calls in the arguments of `format!` calls.
#[derive(Default)]
struct Segments {
    count: usize,
}

impl VisitMut for Segments {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            let tokens = std::mem::take(&mut mac.tokens);
            mac.tokens = self.rewrite(tokens);
        }
    }
}

impl Segments {
    /// `encode_path (ARGS)` becomes
    /// ``crate::path::segment("the path parameter `name`", ARGS)?``, where
    /// `name` is the first identifier of `ARGS` (`& id . to_string()`).
    fn rewrite(&mut self, tokens: TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let mut trees = tokens.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Ident(ident) if ident == "encode_path" => {
                    let args = match trees.peek() {
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                            g.stream()
                        }
                        _ => {
                            out.extend([TokenTree::Ident(ident)]);
                            continue;
                        }
                    };
                    trees.next();
                    let name = args
                        .clone()
                        .into_iter()
                        .find_map(|t| match t {
                            TokenTree::Ident(i) => Some(i.to_string()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    let kind = format!("the path parameter `{name}`");
                    out.extend(quote!(crate::path::segment(#kind, #args)?));
                    self.count += 1;
                }
                TokenTree::Group(g) => {
                    let inner = self.rewrite(g.stream());
                    let mut group = Group::new(g.delimiter(), inner);
                    group.set_span(g.span());
                    out.extend([TokenTree::Group(group)]);
                }
                other => out.extend([other]),
            }
        }
        out
    }
}

/// Removes `encode_path` from `use progenitor_client::{…};` and the
/// `builder` module's `use super::{…};`; counts what it removed.
struct Imports {
    removed: usize,
}

impl VisitMut for Imports {
    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let syn::UseTree::Path(path) = &mut item.tree else {
            return;
        };
        if path.ident != "progenitor_client" && path.ident != "super" {
            return;
        }
        let syn::UseTree::Group(group) = path.tree.as_mut() else {
            return;
        };
        let before = group.items.len();
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|tree| !matches!(tree, syn::UseTree::Name(name) if name.ident == "encode_path"))
            .collect();
        self.removed += before - group.items.len();
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation_by_id(file, facts, |_, send| {
        let mut segments = Segments::default();
        segments.visit_impl_item_fn_mut(send);
        segments.count
    })?;
    let expected = |id: &str| {
        facts.operations.iter().find(|o| o.id == id).map_or(0, |o| {
            o.parameters
                .iter()
                .filter(|p| p.location == Location::Path)
                .count()
        })
    };
    if let Some(bad) = mismatches(&counts, |id, n| *n == expected(id)) {
        return Err(format!(
            "expected one `encode_path(…)` per path parameter in the URL of every operation's \
             `send`, and found otherwise (operation: found): {bad}"
        ));
    }
    let mut imports = Imports { removed: 0 };
    imports.visit_file_mut(file);
    let calls: usize = counts.values().sum();
    if calls > 0 && imports.removed == 0 {
        return Err(
            "found `encode_path` in no `use progenitor_client::{…}` or `use super::{…}`".into(),
        );
    }
    Ok(())
}
