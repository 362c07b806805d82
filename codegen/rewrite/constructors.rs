//! `Client::builder` (`src/config.rs`) is the one way to make a client, so
//! that the refusal of plain http off loopback and the timeouts always apply
//! and no constructor unwraps: every public associated function of `Client`
//! that progenitor generates is removed or made crate-private here, by the
//! table [`KNOWN`]. One the table does not know fails generation, as does a
//! known one that is missing.
//!
//! It runs on progenitor's tokens, before they are parsed, and parses only the
//! `impl Client` items, so that `cargo xtask api-diff` reads the public API
//! from the tokens without paying for a parse of the rest.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens as _;

/// What becomes of a public associated function of `Client`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Removed: `new` unwraps the building of a reqwest client and skips the
    /// builder's checks.
    Removed,
    /// Made `pub(crate)`, for `Client::builder` to call.
    CrateOnly,
}

/// Every public associated function progenitor gives `Client`, and its fate.
const KNOWN: &[(&str, Fate)] = &[("new", Fate::Removed), ("new_with_client", Fate::CrateOnly)];

/// Rewrites the top-level `impl Client` items of progenitor's tokens.
pub(in crate::codegen) fn apply_to_tokens(tokens: TokenStream) -> Result<TokenStream, String> {
    rewrite_tokens(tokens).map_err(|message| super::failure("constructors", &message))
}

fn rewrite_tokens(tokens: TokenStream) -> Result<TokenStream, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        if let [
            TokenTree::Ident(keyword),
            TokenTree::Ident(name),
            TokenTree::Group(body),
            ..,
        ] = &trees[i..]
            && keyword == "impl"
            && name == "Client"
            && body.delimiter() == Delimiter::Brace
        {
            let mut item: syn::ItemImpl = syn::parse2(trees[i..i + 3].iter().cloned().collect())
                .map_err(|e| format!("found an `impl Client` that does not parse: {e}"))?;
            seen.extend(rewrite_impl(&mut item)?);
            item.to_tokens(&mut out);
            i += 3;
        } else {
            out.extend([trees[i].clone()]);
            i += 1;
        }
    }
    for (name, _) in KNOWN {
        let n = seen.iter().filter(|s| *s == name).count();
        if n != 1 {
            return Err(format!(
                "expected one public associated function Client::{name}, found {n}"
            ));
        }
    }
    Ok(out)
}

/// Applies [`KNOWN`] to one `impl Client`; returns the names it found.
fn rewrite_impl(item: &mut syn::ItemImpl) -> Result<Vec<&'static str>, String> {
    let mut seen = Vec::new();
    let mut kept = Vec::new();
    for member in std::mem::take(&mut item.items) {
        let syn::ImplItem::Fn(mut f) = member else {
            kept.push(member);
            continue;
        };
        if !matches!(f.vis, syn::Visibility::Public(_)) || f.sig.receiver().is_some() {
            kept.push(syn::ImplItem::Fn(f));
            continue;
        }
        let Some(&(name, fate)) = KNOWN.iter().find(|(name, _)| f.sig.ident == name) else {
            return Err(format!(
                "found the public associated function Client::{}, which it does not know: \
                 every way to make a Client but Client::builder must be removed or made \
                 crate-private, so add it to the table KNOWN",
                f.sig.ident
            ));
        };
        seen.push(name);
        match fate {
            Fate::Removed => {}
            Fate::CrateOnly => {
                f.vis = syn::parse_quote!(pub(crate));
                kept.push(syn::ImplItem::Fn(f));
            }
        }
    }
    item.items = kept;
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_public_constructor_fails_generation_by_name() {
        let tokens = quote::quote! {
            impl Client {
                pub fn new(baseurl: &str, inner: crate::Settings) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: crate::Settings) -> Self { todo!() }
                pub fn from_parts(baseurl: &str) -> Self { todo!() }
            }
        };
        let message = apply_to_tokens(tokens).expect_err("an unknown constructor");
        assert!(
            message.starts_with("the rewrite codegen/rewrite/constructors.rs found the public associated function Client::from_parts"),
            "{message}"
        );
    }

    #[test]
    fn a_missing_constructor_fails_generation_by_name() {
        let tokens = quote::quote! {
            impl Client {
                pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: crate::Settings) -> Self { todo!() }
            }
            impl ClientInfo<crate::Settings> for Client {}
        };
        let message = apply_to_tokens(tokens).expect_err("no `new`");
        assert!(
            message.ends_with("expected one public associated function Client::new, found 0"),
            "{message}"
        );
    }
}
