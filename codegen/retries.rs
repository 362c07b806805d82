//! The retry rule of every operation, from the spec: which calls the client
//! may send again without risk of doing twice what the caller asked once
//! (`openapi/DECISIONS.md` D-RL3).
//!
//! An operation is
//! - `Read` when its method is `GET`: reading twice changes nothing;
//! - `Keyed(header)` when it has an idempotency-key header parameter
//!   (`x-idempotency-key` or `Idempotency-Key`, in any case: the headers
//!   `rewrite::idempotency` gives a fresh key, one list for both): the vendor
//!   answers a repeated key with the first answer, so a call that carries the
//!   key may be sent again;
//! - `Never` otherwise: a `POST`, `PUT`, `PATCH` or `DELETE` without a key
//!   may have been done once already, and is never sent twice.
//!
//! It emits `RETRY_RULES`, the table of every operation sorted by id, which
//! `crate::retry::RetryRule::of` searches; the policy that uses it is
//! `src/retry.rs`, the only one.

use proc_macro2::TokenStream;
use quote::quote;

use super::facts::{Facts, Location, Operation};

/// An operation's retry rule, as the generator decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A `GET`.
    Read,
    /// Carries an idempotency key in this header parameter (as the spec
    /// spells it).
    Keyed(String),
    /// Neither.
    Never,
}

/// The rule of `operation`.
pub fn rule(operation: &Operation) -> Rule {
    if operation.method == "GET" {
        return Rule::Read;
    }
    operation
        .parameters
        .iter()
        .find(|p| {
            p.location == Location::Header
                && super::rewrite::idempotency::HEADERS
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(&p.name))
        })
        .map_or(Rule::Never, |p| Rule::Keyed(p.name.clone()))
}

/// Appends `RETRY_RULES` to the generated file.
pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let item: syn::Item = syn::parse2(table(facts)).map_err(|e| {
        format!("the generator codegen/retries.rs made code that does not parse: {e}")
    })?;
    file.items.push(item);
    Ok(())
}

fn table(facts: &Facts) -> TokenStream {
    let mut operations: Vec<&Operation> = facts.operations.iter().collect();
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    let rows = operations.iter().map(|operation| {
        let id = &operation.id;
        let rule = match rule(operation) {
            Rule::Read => quote!(crate::RetryRule::Read),
            Rule::Keyed(header) => quote!(crate::RetryRule::Keyed { header: #header }),
            Rule::Never => quote!(crate::RetryRule::Never),
        };
        quote!((#id, #rule))
    });
    quote! {
        /// The retry rule of every operation of the spec, sorted by operation
        /// id: a `GET` is `Read`, an operation with an idempotency-key header
        /// parameter `Keyed`, any other `Never` (`codegen/retries.rs`).
        #[cfg(feature = "client")]
        pub(crate) const RETRY_RULES: &[(&str, crate::RetryRule)] = &[#(#rows),*];
    }
}
