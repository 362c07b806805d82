//! Each product's code needs the product's cargo feature, as
//! `features::gates` works it out: the operations' methods of `Client`, split
//! into one `impl Client` per product (in the order of the spec's `tags`, each
//! with the product's name and description as its docs, so that the docs list
//! operations by product), their operation builders, and the types only they
//! use (`#[cfg(feature = "cards")]`, or `#[cfg(any(…))]` for a type several
//! products use). An item of `types` that is not a type itself (an `impl`, a
//! builder of typify's, a function) needs what the types it names need.
//!
//! Every operation of the spec must have its method, every method its
//! operation, and every operation builder its method: a method progenitor
//! named otherwise than its operation id would be gated by nothing.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens as _;

use super::super::facts::{Facts, Product};
use super::super::features::{self, Gate, Gates};
use super::super::settings::{ALWAYS_PRESENT, WEBHOOKS_FEATURE};
use super::{is_client, module, operation_methods};

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let by_operation = facts.products_by_operation();
    // The types of the webhook schemas, and what only they use, need the
    // `webhooks` feature, as if an operation of that product used them
    // (D-W1); it is gated like a product, after the spec's.
    let webhook_types = facts.webhooks.type_names();
    let gates = features::gates(&file.items, &by_operation, ALWAYS_PRESENT, &|name| {
        features::Beyond {
            products: if webhook_types.contains(name) {
                BTreeSet::from([WEBHOOKS_FEATURE.to_string()])
            } else {
                BTreeSet::new()
            },
            present: false,
        }
    });
    check_operations(file, facts, &by_operation, &gates)?;
    let order = facts.product_names();
    split_client(file, &facts.products, &gates, &order)?;
    let mut order = order;
    order.push(WEBHOOKS_FEATURE.to_string());
    if let Some(items) = module(file, "builder") {
        for item in items.iter_mut() {
            let Some(product) = features::subject(item).and_then(|s| gates.builders.get(&s)) else {
                continue;
            };
            let products = BTreeSet::from([product.clone()]);
            push_cfg(item, &products, &order)?;
        }
    }
    let Some(items) = module(file, "types") else {
        return Err("expected a `types` module, found none".into());
    };
    gate_types(items, &gates, &order)
}

/// Every operation has its method and builder, and every method and builder
/// an operation.
fn check_operations(
    file: &syn::File,
    facts: &Facts,
    by_operation: &BTreeMap<String, String>,
    gates: &Gates,
) -> Result<(), String> {
    for item in &file.items {
        if let syn::Item::Impl(block) = item
            && block.trait_.is_none()
            && is_client(&block.self_ty)
            && block.attrs.iter().any(|a| a.path().is_ident("cfg"))
        {
            return Err(
                "expected progenitor's `impl Client` without a feature, and found one gated".into(),
            );
        }
    }
    if let Some(operation) = facts.operations.iter().find(|o| o.product.is_none()) {
        return Err(format!(
            "expected a product for every operation, and the operation {} has none",
            operation.id
        ));
    }
    for id in by_operation.keys() {
        if !gates.methods.contains_key(id) {
            return Err(format!(
                "expected a method Client::{id} returning a builder, for the operation {id}, and \
                 found none"
            ));
        }
    }
    for (method, _) in operation_methods(&file.items) {
        if !by_operation.contains_key(&method) {
            return Err(format!(
                "found the method Client::{method}, which is no operation id of the spec"
            ));
        }
    }
    if let Some(items) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, i)| i),
        _ => None,
    }) {
        for item in items {
            if let syn::Item::Struct(s) = item
                && !gates.builders.contains_key(&s.ident.to_string())
            {
                return Err(format!(
                    "found the operation builder builder::{}, which no method of Client returns",
                    s.ident
                ));
            }
        }
    }
    Ok(())
}

/// Moves the operations' methods out of progenitor's `impl Client` into one
/// `impl Client` per product, where the first of them was.
fn split_client(
    file: &mut syn::File,
    products: &[Product],
    gates: &Gates,
    order: &[String],
) -> Result<(), String> {
    let mut methods: BTreeMap<&str, Vec<syn::ImplItem>> = BTreeMap::new();
    let mut at = None;
    let mut i = 0;
    while i < file.items.len() {
        let syn::Item::Impl(block) = &mut file.items[i] else {
            i += 1;
            continue;
        };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            i += 1;
            continue;
        }
        let before = block.items.len();
        let mut kept = Vec::new();
        for member in std::mem::take(&mut block.items) {
            let product = match &member {
                syn::ImplItem::Fn(f) => gates.methods.get(&f.sig.ident.to_string()),
                _ => None,
            };
            match product {
                Some(product) => methods.entry(product.as_str()).or_default().push(member),
                None => kept.push(member),
            }
        }
        let moved = kept.len() != before;
        block.items = kept;
        if moved && at.is_none() {
            at = Some(i);
        }
        if moved && block.items.is_empty() {
            file.items.remove(i);
        } else {
            i += 1;
        }
    }
    let Some(at) = at else { return Ok(()) };
    let mut blocks = Vec::new();
    for product in products {
        let Some(members) = methods.remove(product.name.as_str()) else {
            continue;
        };
        let doc = product_doc(product);
        let mut block: syn::ItemImpl = syn::parse_quote! {
            #[doc = #doc]
            impl Client {}
        };
        block.items = members;
        let mut item = syn::Item::Impl(block);
        push_cfg(&mut item, &BTreeSet::from([product.name.clone()]), order)?;
        blocks.push(item);
    }
    file.items.splice(at..at, blocks);
    Ok(())
}

/// The docs of a product's `impl Client`: one line, which prettyplease
/// writes as a `///` comment.
fn product_doc(product: &Product) -> String {
    let mut doc = format!(
        " The operations of **{}**, with the crate feature `{}` (on by default)",
        product.title, product.name
    );
    match &product.description {
        Some(description) => {
            doc.push_str(": ");
            doc.push_str(&description.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        None => doc.push('.'),
    }
    doc
}

/// Gates the items of `types`, and of its `builder` and other modules.
fn gate_types(items: &mut [syn::Item], gates: &Gates, order: &[String]) -> Result<(), String> {
    for item in items {
        let gate = match &mut *item {
            syn::Item::Struct(s) => gates.types.get(&s.ident.to_string()).cloned().flatten(),
            syn::Item::Enum(e) => gates.types.get(&e.ident.to_string()).cloned().flatten(),
            syn::Item::Type(t) => gates.types.get(&t.ident.to_string()).cloned().flatten(),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    gate_types(inner, gates, order)?;
                }
                continue;
            }
            syn::Item::Impl(block) => {
                let mut header = block.generics.to_token_stream();
                if let Some((_, path, _)) = &block.trait_ {
                    path.to_tokens(&mut header);
                }
                block.self_ty.to_tokens(&mut header);
                named_gate(&header, gates)?
            }
            syn::Item::Fn(f) => named_gate(&f.sig.to_token_stream(), gates)?,
            other => named_gate(&other.to_token_stream(), gates)?,
        };
        if let Some(products) = gate {
            push_cfg(item, &products, order)?;
        }
    }
    Ok(())
}

/// What an item that names types needs: the products every type it names is
/// present with.
fn named_gate(tokens: &proc_macro2::TokenStream, gates: &Gates) -> Result<Gate, String> {
    let mut gate: Gate = None;
    for name in features::idents(tokens) {
        let Some(Some(products)) = gates.types.get(&name) else {
            continue;
        };
        gate = Some(match gate {
            None => products.clone(),
            Some(before) => before.intersection(products).cloned().collect(),
        });
    }
    if gate.as_ref().is_some_and(BTreeSet::is_empty) {
        return Err(format!(
            "found an item that names types of no common product: {}",
            tokens
        ));
    }
    Ok(gate)
}

/// Adds `#[cfg(feature = "p")]`, or `#[cfg(any(feature = "p", …))]` in the
/// spec's order, after the item's docs.
fn push_cfg(
    item: &mut syn::Item,
    products: &BTreeSet<String>,
    order: &[String],
) -> Result<(), String> {
    let features: Vec<&String> = order.iter().filter(|p| products.contains(*p)).collect();
    let attr: syn::Attribute = match features.as_slice() {
        [] => {
            return Err(format!(
                "found an item gated by no product of the spec's tags ({products:?})"
            ));
        }
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    };
    let attrs = match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        other => {
            return Err(format!(
                "found an item of a kind it cannot gate: {}",
                other.to_token_stream()
            ));
        }
    };
    let after_docs = attrs
        .iter()
        .take_while(|a| a.path().is_ident("doc"))
        .count();
    attrs.insert(after_docs, attr);
    Ok(())
}
