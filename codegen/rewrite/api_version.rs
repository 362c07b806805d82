//! The `api-version` header progenitor sends on every request, with the spec's
//! `info.version`, goes: the vendor documents no such header. What is removed
//! is exactly progenitor's statement
//! `header_map.append(HeaderName::from_static("api-version"),
//! HeaderValue::from_static(Client::api_version()))`, once in every
//! operation's `send`; a header parameter the spec names `api-version` is
//! appended from its value and stays.

use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{mismatches, per_operation};

#[derive(Debug, Default)]
struct Dropped(usize);

impl VisitMut for Dropped {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| {
            let drop = is_api_version_append(stmt);
            self.0 += usize::from(drop);
            !drop
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation(file, facts, |send| {
        let mut dropped = Dropped::default();
        dropped.visit_impl_item_fn_mut(send);
        dropped.0
    })?;
    match mismatches(&counts, |_, n| *n == 1) {
        None => Ok(()),
        Some(bad) => Err(format!(
            "expected progenitor's `api-version` header, from `Client::api_version()`, once in \
             the `send` of every operation, and found otherwise in: {bad}"
        )),
    }
}

/// `header_map.append(…, HeaderValue::from_static(X::api_version()))`.
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append" && call.args.len() == 2 && is_static_api_version(&call.args[1])
}

/// `…::HeaderValue::from_static(…::api_version())`.
fn is_static_api_version(expr: &syn::Expr) -> bool {
    let last = |path: &syn::ExprPath| path.path.segments.last().map(|s| s.ident.to_string());
    let syn::Expr::Call(call) = expr else {
        return false;
    };
    let syn::Expr::Path(func) = call.func.as_ref() else {
        return false;
    };
    if last(func).as_deref() != Some("from_static") || call.args.len() != 1 {
        return false;
    }
    let syn::Expr::Call(inner) = &call.args[0] else {
        return false;
    };
    matches!(inner.func.as_ref(), syn::Expr::Path(p) if last(p).as_deref() == Some("api_version"))
        && inner.args.is_empty()
}
