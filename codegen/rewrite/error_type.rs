//! The generated code names `crate::Error` (`src/error.rs`) where progenitor
//! names its own `Error`: `Error` leaves progenitor's `pub use
//! progenitor_client::{…}` and `pub use crate::Error;` takes its place.
//! progenitor's error drops the status of a response whose body does not
//! decode, leaves the body of an undocumented status unread, and reads bodies
//! without a size limit; the crate's keeps all three (with `decoding`).

use super::super::facts::Facts;

pub(super) fn apply(file: &mut syn::File, _: &Facts) -> Result<(), String> {
    let mut removed = 0;
    for item in &mut file.items {
        if let syn::Item::Use(item) = item {
            removed += drop_error_import(item);
        }
    }
    if removed != 1 {
        return Err(format!(
            "expected `Error` once in progenitor's `pub use progenitor_client::{{…}}`, found it \
             {removed} times"
        ));
    }
    file.items.insert(
        0,
        syn::parse_quote! {
            #[allow(unused_imports, reason = "a spec may have no operation that returns an error")]
            pub use crate::Error;
        },
    );
    Ok(())
}

/// Removes `Error` from `pub use progenitor_client::{…, Error, …};`; returns
/// how many names it removed.
fn drop_error_import(item: &mut syn::ItemUse) -> usize {
    if !matches!(item.vis, syn::Visibility::Public(_)) {
        return 0;
    }
    let syn::UseTree::Path(path) = &mut item.tree else {
        return 0;
    };
    if path.ident != "progenitor_client" {
        return 0;
    }
    let syn::UseTree::Group(group) = path.tree.as_mut() else {
        return 0;
    };
    let before = group.items.len();
    group.items = std::mem::take(&mut group.items)
        .into_iter()
        .filter(|tree| !matches!(tree, syn::UseTree::Name(name) if name.ident == "Error"))
        .collect();
    before - group.items.len()
}
