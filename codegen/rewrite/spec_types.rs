//! The open enums and checked ids of the spec (`codegen/spec_types.rs`) are
//! written into the `types` module: each type, then one invocation of the
//! crate's macro that implements it (`crate::open_enum::open_enum_impls!`,
//! `crate::ids::checked_string_impls!`). Typify left each schema to the type
//! of that name (`settings.rs`), so no item of `types` may have the name
//! already; the rewrite `products` then gates them like the others.

use super::super::facts::Facts;
use super::module;

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let Some(items) = module(file, "types") else {
        return Err("expected a `types` module, found none".into());
    };
    let types = &facts.spec_types;
    for name in types.names() {
        let defined = items.iter().any(|item| match item {
            syn::Item::Struct(s) => s.ident == name,
            syn::Item::Enum(e) => e.ident == name,
            syn::Item::Type(t) => t.ident == name,
            _ => false,
        });
        if defined {
            return Err(format!(
                "expected typify to leave the schema {name} to `crate::types::{name}`, and found \
                 `types::{name}` defined"
            ));
        }
    }
    items.extend(types.items()?);
    Ok(())
}
