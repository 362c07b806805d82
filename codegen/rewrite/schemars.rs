//! The types derive `schemars::JsonSchema` only with the crate's `schemars`
//! feature: typify's derive (`settings::settings`) leaves the derive list of
//! every type of `types` for `#[cfg_attr(feature = "schemars",
//! derive(schemars::JsonSchema))]`. Every struct and enum of `types` must have
//! had the derive, and no `schemars` attribute may be left that would need
//! the crate without the feature.

use quote::ToTokens as _;
use syn::punctuated::Punctuated;

use super::super::facts::Facts;
use super::super::settings::{JSON_SCHEMA_DERIVE, SCHEMARS_FEATURE};
use super::module;

pub(super) fn apply(file: &mut syn::File, _: &Facts) -> Result<(), String> {
    let Some(items) = module(file, "types") else {
        return Err("expected a `types` module, found none".into());
    };
    let derive: syn::Path = syn::parse_str(JSON_SCHEMA_DERIVE).map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    let mut items_with_derive = 0;
    for item in items.iter_mut() {
        let (name, attrs) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
            syn::Item::Enum(e) => (e.ident.to_string(), &mut e.attrs),
            _ => continue,
        };
        if move_derive(attrs, &derive)? {
            items_with_derive += 1;
        } else {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "expected a `{JSON_SCHEMA_DERIVE}` derive on every struct and enum of `types`, and \
             found none on {}",
            missing.join(", ")
        ));
    }
    // What is left: the derives behind the feature, one a type, and nothing
    // else of schemars (a helper attribute would need the derive).
    let moved = items_with_derive;
    let text = file.to_token_stream().to_string();
    let mentions =
        text.matches("schemars :: JsonSchema").count() + text.matches("# [schemars").count();
    if mentions != moved {
        return Err(format!(
            "left {} `schemars` attributes outside `cfg_attr(feature = \"{SCHEMARS_FEATURE}\", …)`",
            mentions.saturating_sub(moved)
        ));
    }
    Ok(())
}

/// Takes `derive` out of the item's derive lists and adds it back behind the
/// feature; returns whether it was there.
fn move_derive(attrs: &mut Vec<syn::Attribute>, derive: &syn::Path) -> Result<bool, String> {
    let mut found = None;
    for (i, attr) in attrs.iter_mut().enumerate() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let paths = attr
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("found a derive list that does not parse: {e}"))?;
        let before = paths.len();
        let wanted = derive.to_token_stream().to_string();
        let kept: Punctuated<syn::Path, syn::Token![,]> = paths
            .into_iter()
            .filter(|p| p.to_token_stream().to_string() != wanted)
            .collect();
        if kept.len() != before {
            *attr = syn::parse_quote!(#[derive(#kept)]);
            found = Some(i);
        }
    }
    let Some(at) = found else {
        return Ok(false);
    };
    attrs.insert(
        at + 1,
        syn::parse_quote!(#[cfg_attr(feature = #SCHEMARS_FEATURE, derive(#derive))]),
    );
    Ok(true)
}
