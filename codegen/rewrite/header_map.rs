//! Once the `api-version` header is gone (`api_version`), an operation
//! without header parameters still builds `let mut header_map =
//! HeaderMap::with_capacity(1);` and merges it into its request with
//! `.headers(header_map)`: two allocations a call that send nothing. Both go,
//! in the `send` of exactly the operations the spec gives no header parameter.

use quote::ToTokens as _;
use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{is_path, mismatches, per_operation};

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation(file, facts, |send| drop_empty_header_map(&mut send.block))?;
    let headerless = |id: &str| {
        facts
            .operations
            .iter()
            .any(|o| o.id == id && o.headers.is_empty())
    };
    match mismatches(&counts, |id, n| *n == usize::from(headerless(id))) {
        None => Ok(()),
        Some(bad) => Err(format!(
            "expected to drop the header map of every operation without header parameters (and \
             of no other), and dropped otherwise (operation: maps dropped): {bad}"
        )),
    }
}

/// In a block that builds `let mut header_map = …;` and uses it nowhere but
/// in `.headers(header_map)`, removes both. Returns how many it removed.
fn drop_empty_header_map(block: &mut syn::Block) -> usize {
    /// Replaces `receiver.headers(header_map)` by `receiver`.
    struct Unmerge(usize);
    impl VisitMut for Unmerge {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && is_path(&call.args[0], &["header_map"])
            {
                *expr = (*call.receiver).clone();
                self.0 += 1;
            }
        }
    }

    let is_header_map_let = |stmt: &syn::Stmt| {
        matches!(stmt, syn::Stmt::Local(local) if matches!(&local.pat,
            syn::Pat::Ident(p) if p.ident == "header_map"))
    };
    let Some(at) = block.stmts.iter().position(is_header_map_let) else {
        return 0;
    };
    let uses: usize = block.stmts[at + 1..]
        .iter()
        .map(|stmt| {
            stmt.to_token_stream()
                .to_string()
                .matches("header_map")
                .count()
        })
        .sum();
    if uses != 1 {
        return 0;
    }
    let mut unmerge = Unmerge(0);
    for stmt in &mut block.stmts[at + 1..] {
        unmerge.visit_stmt_mut(stmt);
    }
    if unmerge.0 != 1 {
        return 0;
    }
    block.stmts.remove(at);
    1
}
