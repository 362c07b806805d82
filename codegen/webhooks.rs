//! The webhook events: generated code that types a webhook's `data` by the
//! envelope's `(product, event_type)`, from the spec's `x-webhook` schemas
//! (`openapi/DECISIONS.md` D-W1).
//!
//! It runs after the rewrites and adds to the `types` module one enum,
//! `WebhookData`, gated by the `webhooks` feature: a variant per event of
//! the spec (`CardsAuthorization(CardTransactionEventData)`, named after the
//! product and the event type), and `Unknown(crate::webhooks::UnknownData)`
//! for a pair the spec does not list, so that an event the vendor adds later
//! is still read. With it: `WebhookData::KNOWN` (every pair, in the spec's
//! order), `dedup_fields` (the spec's `dedup` of an event), `decode` (the `data` of a pair into its variant, through
//! `crate::webhooks::decode_data`, which locates a mismatch without quoting
//! the value), `product` and `event_type`.
//!
//! The types of the event schemas are typify's; `rewrite::products` gates
//! them (and whatever only they use) by the `webhooks` feature. Generation
//! fails, naming this file, when typify did not make a type of an event's
//! schema under the name this file expects.

use heck::ToUpperCamelCase as _;
use quote::{format_ident, quote};

use super::facts::Facts;
use super::settings::WEBHOOKS_FEATURE;

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    if facts.webhooks.events.is_empty() {
        return Ok(());
    }
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return Err("the generator codegen/webhooks.rs expected a `types` module".into());
    };
    let defined: std::collections::BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    types.extend(items(facts, Some(&defined))?);
    Ok(())
}

/// Adds the same items to `mod types` of progenitor's tokens, unchecked,
/// for `cargo xtask api-diff`, which reads the tokens (`generate_tokens`);
/// `apply` checks them on every build.
#[allow(
    dead_code,
    reason = "build.rs generates the whole file; api-diff reads the tokens"
)]
pub(super) fn append_to_tokens(
    facts: &Facts,
    tokens: proc_macro2::TokenStream,
) -> Result<proc_macro2::TokenStream, String> {
    use quote::ToTokens as _;
    if facts.webhooks.events.is_empty() {
        return Ok(tokens);
    }
    let mut added = proc_macro2::TokenStream::new();
    for item in items(facts, None)? {
        item.to_tokens(&mut added);
    }
    super::spec_types::append_to_types(tokens, &added).ok_or_else(|| {
        "the generator codegen/webhooks.rs expected a `mod types` in progenitor's tokens".into()
    })
}

/// The enum and its `impl`; with `defined`, each event's type is checked to
/// be a struct of `types`.
fn items(
    facts: &Facts,
    defined: Option<&std::collections::BTreeSet<String>>,
) -> Result<Vec<syn::Item>, String> {
    let events = &facts.webhooks.events;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut pairs = Vec::new();
    let mut names = Vec::new();
    let mut dedups = Vec::new();
    for event in events {
        let ty = event.schema.to_upper_camel_case();
        if defined.is_some_and(|d| !d.contains(&ty)) {
            return Err(format!(
                "the generator codegen/webhooks.rs expected a struct types::{ty} for the schema {} \
                 of the webhook event ({}, {}), and found none",
                event.schema, event.product, event.event_type
            ));
        }
        let variant = format_ident!(
            "{}{}",
            event.product.to_upper_camel_case(),
            event.event_type.to_upper_camel_case()
        );
        let ty = format_ident!("{ty}");
        let (product, event_type) = (&event.product, &event.event_type);
        let doc = format!(
            "`{product}` `{event_type}`: its `data` as the schema `{}` says.",
            event.schema
        );
        variants.push(quote! {
            #[doc = #doc]
            #variant(#ty)
        });
        arms.push(quote! {
            (#product, #event_type) => Self::#variant(crate::webhooks::decode_data(data)?)
        });
        pairs.push(quote! { (#product, #event_type) });
        names.push(quote! { Self::#variant(_) => (#product, #event_type) });
        if !event.dedup.is_empty() {
            let fields = &event.dedup;
            dedups.push(quote! { (#product, #event_type) => &[#(#fields),*] });
        }
    }
    let enum_item: syn::Item = syn::parse_quote! {
        /// A webhook's `data`, typed by the envelope's `product` and
        /// `event_type`: one variant per event of the vendor's webhooks page
        /// (generated from the spec's `x-webhook` schemas), and `Unknown` for
        /// an event this version of the crate does not know, kept readable.
        #[cfg(feature = #WEBHOOKS_FEATURE)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookData {
            #(#variants,)*
            /// An event the spec does not list: its product, type and `data`
            /// as received.
            Unknown(crate::webhooks::UnknownData),
        }
    };
    let impl_item: syn::Item = syn::parse_quote! {
        #[cfg(feature = #WEBHOOKS_FEATURE)]
        impl WebhookData {
            /// Every `(product, event_type)` the spec lists, in its order.
            pub const KNOWN: &'static [(&'static str, &'static str)] = &[#(#pairs),*];

            /// The `data` of the event `(product, event_type)`: its variant,
            /// or `Unknown` for a pair the spec does not list. Fails when a
            /// known event's `data` does not have its documented shape,
            /// naming the JSON path, never the value.
            pub fn decode(
                product: &str,
                event_type: &str,
                data: ::serde_json::Value,
            ) -> ::std::result::Result<Self, crate::webhooks::ShapeError> {
                Ok(match (product, event_type) {
                    #(#arms,)*
                    _ => Self::Unknown(crate::webhooks::UnknownData::new(product, event_type, data)),
                })
            }

            /// The `data` fields that, with the envelope's `operation_id`,
            /// tell one occurrence of the event `(product, event_type)` from
            /// another (the spec's `dedup`, D-W5); none for most events.
            pub fn dedup_fields(product: &str, event_type: &str) -> &'static [&'static str] {
                match (product, event_type) {
                    #(#dedups,)*
                    _ => &[],
                }
            }

            /// The event's `(product, event_type)`.
            pub fn kind(&self) -> (&str, &str) {
                match self {
                    #(#names,)*
                    Self::Unknown(unknown) => (unknown.product(), unknown.event_type()),
                }
            }
        }
    };
    Ok(vec![enum_item, impl_item])
}
