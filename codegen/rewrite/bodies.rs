//! Operation builders hold their request body as a `crate::body::Body`
//! (`src/body.rs`: none, given whole, or being built through typify's
//! builder) instead of always as typify's builder, so that a body given whole
//! to `.body(value)` is sent as it is rather than converted into the builder
//! and back (two copies of the whole body a call). For each operation builder
//! with a `body: Result<types::builder::X, String>` field:
//! - the field becomes `Result<crate::body::Body<types::X, types::builder::X>, String>`
//!   (its `new` and `.body` need no change: `Default` and `From` do the same);
//! - `.body_map(f)` maps through `Body::map`;
//! - `send` takes the body with `Body::into_value` instead of
//!   `types::X::try_from`.
//!
//! No signature changes. A body that typify gives no builder (a string, a raw
//! `reqwest::Body`) is held as it is. Every operation with a request body in
//! the spec must have a `body` field of one of these shapes, and each builder
//! body's `body_map` and `send` must be rewritten exactly once.

use std::collections::BTreeMap;

use quote::ToTokens as _;
use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{is_path, module, operation_methods, self_type_name};

/// The shape of an operation builder's `body` field.
enum Held {
    /// `Result<types::builder::X, String>`: rewritten, with `X`.
    Builder(String),
    /// `Result<types::X, String>` or `Result<reqwest::Body, String>`: kept.
    Whole,
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let operation_of: BTreeMap<String, String> = operation_methods(&file.items)
        .into_iter()
        .map(|(method, builder)| (builder, method))
        .collect();
    let Some(items) = module(file, "builder") else {
        return Err("expected a `builder` module of operation builders, found none".into());
    };
    // The operation builders with a body, by operation id.
    let mut bodies: BTreeMap<String, (String, Held)> = BTreeMap::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(st) = item else {
            continue;
        };
        let Some(field) = st
            .fields
            .iter_mut()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
        else {
            continue;
        };
        let builder = st.ident.to_string();
        let text = field.ty.to_token_stream().to_string();
        let held = if let Some(name) = text
            .strip_prefix("Result < types :: builder :: ")
            .and_then(|rest| rest.strip_suffix(" , String >"))
            .filter(|name| name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
            field.ty = syn::parse_quote!(
                Result<crate::body::Body<types::#ident, types::builder::#ident>, String>
            );
            Held::Builder(name.to_string())
        } else if text.starts_with("Result < types :: ")
            || text == "Result < reqwest :: Body , String >"
        {
            Held::Whole
        } else {
            return Err(format!(
                "found the body of builder::{builder} as `{text}`, not \
                 `Result<types::builder::X, String>`, `Result<types::X, String>` or \
                 `Result<reqwest::Body, String>`"
            ));
        };
        let operation = operation_of
            .get(&builder)
            .cloned()
            .unwrap_or(builder.clone());
        bodies.insert(operation, (builder, held));
    }
    for operation in &facts.operations {
        if operation.body != bodies.contains_key(&operation.id) {
            return Err(format!(
                "expected a `body` field in the builder of each operation with a request body, \
                 and of no other: the operation {} {} a request body and its builder {} one",
                operation.id,
                if operation.body { "has" } else { "has no" },
                if operation.body { "has not" } else { "has" },
            ));
        }
    }
    for (operation, (builder, held)) in &bodies {
        let Held::Builder(body_type) = held else {
            continue;
        };
        let (maps, sends) = rewrite_methods(items, builder, body_type);
        if (maps, sends) != (1, 1) {
            return Err(format!(
                "expected to rewrite `body_map` and the body's conversion in `send` once each in \
                 builder::{builder} (of {operation}), and rewrote them {maps} and {sends} times"
            ));
        }
    }
    Ok(())
}

/// Rewrites `body_map` and `send` of the builder `builder`; returns how many
/// times each was rewritten.
fn rewrite_methods(items: &mut [syn::Item], builder: &str, body_type: &str) -> (usize, usize) {
    /// In `send`, `types::X::try_from(v)` becomes `crate::body::Body::into_value(v)`.
    struct IntoValue<'a> {
        body_type: &'a str,
        rewritten: usize,
    }
    impl VisitMut for IntoValue<'_> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            if let syn::Expr::Call(call) = expr
                && call.args.len() == 1
                && is_path(&call.func, &["types", self.body_type, "try_from"])
            {
                let value = &call.args[0];
                *expr = syn::parse_quote!(crate::body::Body::into_value(#value));
                self.rewritten += 1;
            }
        }
    }

    let (mut maps, mut sends) = (0, 0);
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || self_type_name(block).as_deref() != Some(builder) {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if f.sig.ident == "body_map" {
                for stmt in &mut f.block.stmts {
                    if stmt.to_token_stream().to_string() == "self . body = self . body . map (f) ;"
                    {
                        *stmt = syn::parse_quote!(self.body = self.body.map(|body| body.map(f)););
                        maps += 1;
                    }
                }
            } else if f.sig.ident == "send" {
                let mut into_value = IntoValue {
                    body_type,
                    rewritten: 0,
                };
                into_value.visit_block_mut(&mut f.block);
                sends += into_value.rewritten;
            }
        }
    }
    (maps, sends)
}
