//! Response bodies are read and decoded by the crate, within the calling
//! client's size limit: in every operation's `send`,
//! `ResponseValue::from_response(r)` becomes
//! `crate::decode::from_response(client, r)`, and
//! `Error::UnexpectedResponse(r)` (an undocumented status) becomes
//! `crate::decode::unexpected(client, r).await`. None of progenitor's may be
//! left anywhere in the file. A success body that is not JSON (a PDF) stays
//! progenitor's `ResponseValue::stream(r)`: the caller streams the
//! `ByteStream` (to a file, say) and bounds it; it must be there in every
//! operation with such a body and in no other.

use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{is_path, mismatches, occurrences, per_operation};

#[derive(Debug, Default)]
struct Routed {
    decodes: usize,
    unexpected: usize,
    streams: usize,
}

impl VisitMut for Routed {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::Call(call) = expr else {
            return;
        };
        if call.args.len() != 1 {
            return;
        }
        let response = &call.args[0];
        if is_path(&call.func, &["ResponseValue", "stream"]) {
            self.streams += 1;
            return;
        }
        if is_path(&call.func, &["ResponseValue", "from_response"]) {
            *expr = syn::parse_quote!(crate::decode::from_response(client, #response));
            self.decodes += 1;
        } else if is_path(&call.func, &["Error", "UnexpectedResponse"]) {
            *expr = syn::parse_quote!(crate::decode::unexpected(client, #response).await);
            self.unexpected += 1;
        }
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation(file, facts, |send| {
        let mut routed = Routed::default();
        routed.visit_impl_item_fn_mut(send);
        routed
    })?;
    let fact = |id: &str| facts.operations.iter().find(|o| o.id == id);
    if let Some(bad) = mismatches(&counts, |id, routed| {
        fact(id).is_none_or(|o| !o.json_response || routed.decodes > 0)
    }) {
        return Err(format!(
            "expected `ResponseValue::from_response` in the `send` of every operation with a \
             JSON response, and found none in: {bad}"
        ));
    }
    if let Some(bad) = mismatches(&counts, |id, routed| {
        fact(id).is_none_or(|o| o.default_response || routed.unexpected == 1)
    }) {
        return Err(format!(
            "expected one `Error::UnexpectedResponse` in the `send` of every operation without \
             a `default` response, and found otherwise in: {bad}"
        ));
    }
    if let Some(bad) = mismatches(&counts, |id, routed| {
        let raw = fact(id).is_some_and(|o| o.raw_response);
        (routed.streams > 0) == raw
    }) {
        return Err(format!(
            "expected `ResponseValue::stream` in the `send` of every operation with a success \
             body that is not JSON, and of no other, and found otherwise in: {bad}"
        ));
    }
    for left in [
        "ResponseValue :: from_response",
        "Error :: UnexpectedResponse",
    ] {
        let n = occurrences(file, left);
        if n > 0 {
            return Err(format!(
                "left {n} `{left}` it did not match: progenitor's decoding would bypass the \
                 crate's"
            ));
        }
    }
    Ok(())
}
