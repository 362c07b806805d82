//! The method of every operation the spec marks `deprecated: true` gets
//! `#[deprecated]`, with the replacement its `x-replaced-by` names: progenitor
//! 0.15 only mentions the deprecation in the docs, and a caller should get a
//! compiler warning. A deprecated operation without a method to mark fails,
//! so that a progenitor upgrade that renames methods cannot drop the warning.
//! Likewise the builder's setter of every parameter the spec marks
//! `deprecated: true` gets `#[deprecated]` (progenitor says nothing of it), and
//! a deprecated parameter without a setter to mark fails.

use super::super::facts::Facts;
use super::{is_client, module, operation_methods, self_type_name};

/// The note of a deprecated parameter's setter.
const PARAMETER_NOTE: &str = "the vendor deprecated this parameter";

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    for operation in &facts.operations {
        let Some(note) = &operation.deprecated else {
            continue;
        };
        let method = file
            .items
            .iter_mut()
            .filter_map(|item| match item {
                syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                    Some(block)
                }
                _ => None,
            })
            .flat_map(|block| block.items.iter_mut())
            .find_map(|item| match item {
                syn::ImplItem::Fn(f) if f.sig.ident == operation.id.as_str() => Some(f),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "expected a method Client::{id} to mark, since the operation {id} is \
                     deprecated, and found none",
                    id = operation.id
                )
            })?;
        if method.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
            return Err(format!(
                "expected Client::{} without `#[deprecated]`, and found it marked already",
                operation.id
            ));
        }
        method
            .attrs
            .push(syn::parse_quote!(#[deprecated(note = #note)]));
    }
    parameters(file, facts)
}

/// Marks the builder setters of the deprecated parameters.
fn parameters(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let builders: std::collections::BTreeMap<String, String> =
        operation_methods(&file.items).into_iter().collect();
    let mut items = module(file, "builder");
    for operation in &facts.operations {
        for setter in &operation.deprecated_parameters {
            let not_found = || {
                format!(
                    "expected a setter {setter} on the builder of {id} to mark, since its \
                     parameter is deprecated, and found none",
                    id = operation.id
                )
            };
            let builder = builders.get(&operation.id).ok_or_else(not_found)?;
            let method = items
                .as_deref_mut()
                .into_iter()
                .flatten()
                .filter_map(|item| match item {
                    syn::Item::Impl(block)
                        if block.trait_.is_none()
                            && self_type_name(block).as_ref() == Some(builder) =>
                    {
                        Some(block)
                    }
                    _ => None,
                })
                .flat_map(|block| block.items.iter_mut())
                .find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == setter.as_str() => Some(f),
                    _ => None,
                })
                .ok_or_else(not_found)?;
            if method.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
                return Err(format!(
                    "expected the setter {setter} of {} without `#[deprecated]`, and found it \
                     marked already",
                    operation.id
                ));
            }
            method
                .attrs
                .push(syn::parse_quote!(#[deprecated(note = #PARAMETER_NOTE)]));
        }
    }
    Ok(())
}
