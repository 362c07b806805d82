//! progenitor reads a 2xx as success and a 4xx or 5xx as a documented error;
//! a 3xx the spec documents (the transfer's `302 Found` with an error body,
//! D-T5 in `openapi/DECISIONS.md`) falls into the arm of undocumented
//! statuses. Each documented 3xx becomes a documented error: an arm
//! `302u16 => { Err(Error::ErrorResponse(crate::decode::from_response(client,
//! response).await?)) }` before the wildcard arm of the status match in the
//! `send` of exactly the operations the spec documents it for. It runs after
//! `decoding`, and writes the crate's decoding itself.

use quote::ToTokens as _;
use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{mismatches, per_operation_by_id};

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let counts = per_operation_by_id(file, facts, |id, send| {
        let statuses = facts
            .operations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.redirects.clone())
            .unwrap_or_default();
        let mut arms = AddArms { statuses, added: 0 };
        arms.visit_impl_item_fn_mut(send);
        arms.added
    })?;
    let expected = |id: &str| {
        facts
            .operations
            .iter()
            .find(|o| o.id == id)
            .map_or(0, |o| o.redirects.len())
    };
    match mismatches(&counts, |id, added| *added == expected(id)) {
        None => Ok(()),
        Some(bad) => Err(format!(
            "expected to add an error arm for each documented 3xx status before the wildcard \
             arm of the status match, and found otherwise (operation: arms added): {bad}"
        )),
    }
}

/// Adds an error arm for each of `statuses` to the status match.
struct AddArms {
    statuses: Vec<u16>,
    added: usize,
}

impl VisitMut for AddArms {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, m);
        let scrutinee: String = m
            .expr
            .to_token_stream()
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if scrutinee != "response.status().as_u16()" {
            return;
        }
        let Some(wildcard) = m
            .arms
            .iter()
            .position(|a| matches!(a.pat, syn::Pat::Wild(_)))
        else {
            return;
        };
        for status in &self.statuses {
            let literal = format!("{status}u16");
            let present = m.arms.iter().any(|a| {
                matches!(&a.pat, syn::Pat::Lit(l) if l.lit.to_token_stream().to_string() == literal)
            });
            if present {
                continue;
            }
            let lit = syn::LitInt::new(&literal, proc_macro2::Span::call_site());
            let arm: syn::Arm = syn::parse_quote! {
                #lit => {
                    Err(Error::ErrorResponse(crate::decode::from_response(client, response).await?))
                }
            };
            m.arms.insert(wildcard, arm);
            self.added += 1;
        }
    }
}
