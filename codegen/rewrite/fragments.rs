//! A path key with a fragment names a version of its path
//! (`/cards/transactions/{cardId}/search#v2`, `openapi/DECISIONS.md` D21):
//! the request goes to the path without it. progenitor writes the key whole
//! into the URL it formats, where the fragment would reach reqwest (which
//! does not send it, but keeps it in the request's URL, and so in every error
//! that names the URL); here it goes from the URL's format string of the
//! operation's `send`, exactly once, and from the docs that name the path.
//! Afterwards no `#` fragment of the spec is left anywhere in the file.

use syn::visit_mut::VisitMut;

use super::super::facts::Facts;
use super::{mismatches, occurrences, per_operation_by_id};

/// Strips the fragment of `key` from the format strings of `format!` calls.
struct Stripped<'a> {
    key: &'a str,
    count: usize,
}

impl VisitMut for Stripped<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(template),
            ..
        })) = args.first_mut()
        else {
            return;
        };
        let value = template.value();
        // The URL is `{}` (the base URL) then the path, its parameters as `{}`.
        let Some(fragment) = self.key.find('#').map(|at| &self.key[at..]) else {
            return;
        };
        if value.starts_with("{}/") && value.ends_with(fragment) {
            let kept = &value[..value.len() - fragment.len()];
            *template = syn::LitStr::new(kept, template.span());
            mac.tokens = quote::quote!(#args);
            self.count += 1;
        }
    }
}

/// Rewrites the path key into the wire path in doc strings.
struct Docs {
    key: String,
    wire: String,
}

impl VisitMut for Docs {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let syn::Meta::NameValue(doc) = &mut attr.meta else {
            return;
        };
        if !doc.path.is_ident("doc") {
            return;
        }
        if let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut doc.value
        {
            let value = text.value();
            if value.contains(&self.key) {
                *text = syn::LitStr::new(&value.replace(&self.key, &self.wire), text.span());
            }
        }
    }
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let versioned: Vec<_> = facts
        .operations
        .iter()
        .filter(|o| o.path.contains('#'))
        .collect();
    let counts = per_operation_by_id(file, facts, |id, send| {
        let Some(operation) = versioned.iter().find(|o| o.id == id) else {
            return 0;
        };
        let mut stripped = Stripped {
            key: &operation.path,
            count: 0,
        };
        stripped.visit_impl_item_fn_mut(send);
        stripped.count
    })?;
    let fragment = |id: &str| versioned.iter().any(|o| o.id == id);
    if let Some(bad) = mismatches(&counts, |id, n| *n == usize::from(fragment(id))) {
        return Err(format!(
            "expected one URL format string ending in the path's fragment in the `send` of \
             every operation whose path key has one, and found otherwise (operation: \
             rewritten): {bad}"
        ));
    }
    for operation in &versioned {
        let mut docs = Docs {
            key: format!("`{}`", operation.path),
            wire: format!("`{}`", operation.wire_path()),
        };
        docs.visit_file_mut(file);
        let left = occurrences(file, &operation.path);
        if left > 0 {
            return Err(format!(
                "left the path key {} {left} times in the file, with its fragment",
                operation.path
            ));
        }
    }
    Ok(())
}
