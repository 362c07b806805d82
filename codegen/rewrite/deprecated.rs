//! The method of every operation the spec marks `deprecated: true` gets
//! `#[deprecated]`, with the replacement its `x-replaced-by` names: progenitor
//! 0.15 only mentions the deprecation in the docs, and a caller should get a
//! compiler warning. A deprecated operation without a method to mark fails,
//! so that a progenitor upgrade that renames methods cannot drop the warning.

use super::super::facts::Facts;
use super::is_client;

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
    Ok(())
}
