//! Everything but the `types` module needs the crate's `client` feature, so
//! that `default-features = false` compiles the types (on serde, serde_json
//! and chrono) without reqwest or progenitor's client runtime. Fails when the
//! file has no `types` module to keep apart, or an item of a kind it does not
//! know.

use quote::ToTokens as _;

use super::super::facts::Facts;
use super::super::settings::CLIENT_FEATURE;

pub(super) fn apply(file: &mut syn::File, _: &Facts) -> Result<(), String> {
    let mut types = 0;
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
        {
            types += 1;
            continue;
        }
        let attrs = match item {
            syn::Item::Use(i) => &mut i.attrs,
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Static(i) => &mut i.attrs,
            syn::Item::Macro(i) => &mut i.attrs,
            other => {
                return Err(format!(
                    "found a generated item of a kind it does not know: {}",
                    other.to_token_stream()
                ));
            }
        };
        let gate: syn::Attribute = syn::parse_quote!(#[cfg(feature = #CLIENT_FEATURE)]);
        let text = gate.to_token_stream().to_string();
        if attrs
            .iter()
            .any(|a| a.to_token_stream().to_string() == text)
        {
            return Err("expected items without the `client` gate, and found one with it".into());
        }
        attrs.insert(0, gate);
    }
    if types != 1 {
        return Err(format!(
            "expected one `types` module to keep apart from the client, found {types}"
        ));
    }
    Ok(())
}
