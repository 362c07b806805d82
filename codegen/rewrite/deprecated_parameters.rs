//! The builder setter of every parameter the spec marks `deprecated: true`
//! gets `#[deprecated]`: progenitor 0.15 does not mark it at all, and a
//! caller should get a compiler warning (the card transaction search's
//! `sort_field` and `sort_order`, which the vendor's page deprecates). A
//! deprecated parameter without a setter of the name progenitor gives it
//! (`names::snake`) fails, so that a progenitor upgrade that renames setters
//! cannot drop the warning.

use super::super::facts::Facts;
use super::super::names;
use super::{builder_impls, method_mut};

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let mut impls = builder_impls(file);
    for operation in &facts.operations {
        for parameter in operation
            .parameters
            .iter()
            .filter(|p| p.deprecated && p.fixed.is_none())
        {
            let name = names::snake(&parameter.name);
            let setter = impls
                .get_mut(&operation.id)
                .and_then(|block| method_mut(block, &name))
                .ok_or_else(|| {
                    format!(
                        "expected a setter `{name}` in the builder of {}, since its parameter {} \
                         is deprecated, and found none",
                        operation.id, parameter.name
                    )
                })?;
            if setter.attrs.iter().any(|a| a.path().is_ident("deprecated")) {
                return Err(format!(
                    "expected the setter `{name}` of {} without `#[deprecated]`, and found it \
                     marked already",
                    operation.id
                ));
            }
            let note = format!("the vendor deprecated the parameter `{}`", parameter.name);
            setter
                .attrs
                .push(syn::parse_quote!(#[deprecated(note = #note)]));
        }
    }
    Ok(())
}
