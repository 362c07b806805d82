//! The calls of progenitor's `pre` and `post` hooks go from every operation's
//! `send`: the crate leaves them at their no-op defaults, its one hook is
//! `exec` (`src/auth.rs`, which attaches the key and retries), and without
//! them no progenitor error reaches `crate::Error`, which therefore has no
//! conversion from one.

use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{is_path, mismatches, per_operation};

#[derive(Debug, Default)]
struct Dropped {
    pre: usize,
    post: usize,
}

impl VisitMut for Dropped {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain(|stmt| {
            if is_hook_call(stmt, "pre") {
                self.pre += 1;
            } else if is_hook_call(stmt, "post") {
                self.post += 1;
            } else {
                return true;
            }
            false
        });
        syn::visit_mut::visit_block_mut(self, block);
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation(file, facts, |send| {
        let mut dropped = Dropped::default();
        dropped.visit_impl_item_fn_mut(send);
        dropped
    })?;
    match mismatches(&counts, |_, d| d.pre == 1 && d.post == 1) {
        None => Ok(()),
        Some(bad) => Err(format!(
            "expected one call of the `pre` hook and one of the `post` hook in the `send` of \
             every operation, and found otherwise in: {bad}"
        )),
    }
}

/// `client.pre(&mut request, &info).await?;` (or `post`).
fn is_hook_call(stmt: &syn::Stmt, hook: &str) -> bool {
    let syn::Stmt::Expr(syn::Expr::Try(tried), Some(_)) = stmt else {
        return false;
    };
    let syn::Expr::Await(awaited) = tried.expr.as_ref() else {
        return false;
    };
    let syn::Expr::MethodCall(call) = awaited.base.as_ref() else {
        return false;
    };
    call.method == hook && is_path(&call.receiver, &["client"]) && call.args.len() == 2
}
