//! A required header parameter whose schema allows exactly one value (the
//! `X-API-Version: 2` of a path's second version, `openapi/DECISIONS.md`
//! D21) is set by the operation's builder itself: its field starts with that
//! value instead of "not initialized", and its setter goes, so that a caller
//! never has to set it and cannot set another value. The line of the setter
//! goes from the usage sketch in the method's docs too.
//!
//! For each such parameter of the spec, the builder must have a field
//! initialised in `new` and a setter, both of the name progenitor gives it
//! (`names::snake`); otherwise generation fails.

use super::super::facts::Facts;
use super::super::names;
use super::{builder_impls, is_client, method_mut};

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let mut sketches = Vec::new();
    {
        let mut impls = builder_impls(file);
        for operation in &facts.operations {
            for parameter in &operation.parameters {
                let Some(value) = &parameter.fixed else {
                    continue;
                };
                let name = names::snake(&parameter.name);
                let block = impls.get_mut(&operation.id).ok_or_else(|| {
                    format!(
                        "expected a builder for the operation {}, whose header {} is fixed, and \
                         found none",
                        operation.id, parameter.name
                    )
                })?;
                let initialised = initialise(block, &name, &parameter.name, value);
                let before = block.items.len();
                block.items.retain(
                    |item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == name.as_str()),
                );
                let removed = before - block.items.len();
                if (initialised, removed) != (1, 1) {
                    return Err(format!(
                        "expected the builder of {} to initialise the field `{name}` of its fixed \
                         header {} once in `new` and to have one setter `{name}`, and found {} \
                         initialisations and {} setters",
                        operation.id, parameter.name, initialised, removed
                    ));
                }
                sketches.push((operation.id.clone(), format!("    .{name}({name})\n")));
            }
        }
    }
    for (id, line) in sketches {
        if !drop_sketch_line(file, &id, &line) {
            return Err(format!(
                "expected the usage sketch of Client::{id} to show `{}`, and found it not",
                line.trim()
            ));
        }
    }
    Ok(())
}

/// Makes `new` initialise the field `name` with `value`; returns how many
/// initialisations it rewrote.
fn initialise(block: &mut syn::ItemImpl, name: &str, header: &str, value: &str) -> usize {
    let Some(new) = method_mut(block, "new") else {
        return 0;
    };
    let mut count = 0;
    let message = format!("the header {header} takes the value {value:?} only");
    for stmt in &mut new.block.stmts {
        let syn::Stmt::Expr(syn::Expr::Struct(init), _) = stmt else {
            continue;
        };
        for field in &mut init.fields {
            if matches!(&field.member, syn::Member::Named(ident) if ident == name) {
                // The value parses into the parameter's type (the enum typify
                // made of the schema, or a string); it is the spec's one
                // value, so the error branch is unreachable, and a message
                // that names it beats a panic.
                field.expr = syn::parse_quote!(#value.parse().map_err(|_| #message.to_string()));
                count += 1;
            }
        }
    }
    count
}

/// Removes `line` from the docs of the method `id` of `Client`.
fn drop_sketch_line(file: &mut syn::File, id: &str, line: &str) -> bool {
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        let Some(method) = method_mut(block, id) else {
            continue;
        };
        for attr in &mut method.attrs {
            if let syn::Meta::NameValue(doc) = &mut attr.meta
                && doc.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut doc.value
                && text.value().contains(line)
            {
                *text = syn::LitStr::new(&text.value().replacen(line, "", 1), text.span());
                return true;
            }
        }
    }
    false
}
