//! `cargo xtask codegen --lines`: how many lines of the generated code each
//! cargo feature gates, and so what a downstream crate compiles with one
//! product alone. `benches/run build` records it beside the build times.
//!
//! Lines are counted per top-level item of the file and of its modules, each
//! formatted on its own as prettyplease formats the file, and filed under the
//! features its `#[cfg]`s and those of its modules name.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens as _;

/// The features an item needs: `client` or not, and one of `any` (products;
/// empty when it needs none).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Needs {
    /// Whether it needs the `client` feature.
    pub client: bool,
    /// The products of which it needs one, or none.
    pub any: BTreeSet<String>,
}

/// The lines of generated code by what they need.
pub fn lines_by_needs(code: &str) -> Result<BTreeMap<Needs, usize>, String> {
    let file =
        syn::parse_file(code).map_err(|e| format!("the generated code does not parse: {e}"))?;
    let mut out = BTreeMap::new();
    count(&file.items, &Needs::default(), &mut out);
    Ok(out)
}

fn count(items: &[syn::Item], outer: &Needs, out: &mut BTreeMap<Needs, usize>) {
    for item in items {
        let mut needs = outer.clone();
        for attr in attrs(item).iter().filter(|a| a.path().is_ident("cfg")) {
            let text = attr.to_token_stream().to_string();
            let mut features: BTreeSet<String> = text
                .split("feature = \"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_string)
                .collect();
            if features.remove(crate::codegen::CLIENT_FEATURE) {
                needs.client = true;
            }
            if !features.is_empty() {
                needs.any = features;
            }
        }
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &m.content
        {
            count(inner, &needs, out);
            continue;
        }
        let lines = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item.clone()],
        })
        .lines()
        .count();
        *out.entry(needs).or_default() += lines;
    }
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The report: the lines by what they need, then, for each product, the
/// lines a downstream crate compiles with it alone, as types and with the
/// client.
pub fn report(code: &str, products: &[String]) -> Result<String, String> {
    let by_needs = lines_by_needs(code)?;
    let mut text = String::from("lines of generated code, by the features they need:\n");
    for (needs, lines) in &by_needs {
        let mut names: Vec<String> = Vec::new();
        if needs.client {
            names.push("client".into());
        }
        match needs.any.len() {
            0 => {}
            1 => names.extend(needs.any.iter().cloned()),
            _ => names.push(format!(
                "any of {}",
                needs.any.iter().cloned().collect::<Vec<_>>().join(", ")
            )),
        }
        let label = if names.is_empty() {
            "(every build)".to_string()
        } else {
            names.join(" + ")
        };
        text.push_str(&format!("  {label:<40} {lines:>7}\n"));
    }
    text.push_str("per product alone:            types only    with client\n");
    for product in products {
        let with = |client: bool| -> usize {
            by_needs
                .iter()
                .filter(|(n, _)| {
                    (client || !n.client) && (n.any.is_empty() || n.any.contains(product))
                })
                .map(|(_, lines)| lines)
                .sum()
        };
        text.push_str(&format!(
            "  {product:<26} {:>12} {:>14}\n",
            with(false),
            with(true)
        ));
    }
    let total: usize = by_needs.values().sum();
    text.push_str(&format!("every feature: {total}\n"));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_filed_under_what_it_needs() {
        let code = r#"
            pub mod types {
                pub struct Always;
                #[cfg(feature = "cards")]
                pub struct Card;
                #[cfg(any(feature = "cards", feature = "management"))]
                pub struct Address;
            }
            #[cfg(feature = "client")]
            pub struct Client;
            #[cfg(feature = "client")]
            #[cfg(feature = "cards")]
            impl Client {
                pub fn create_card(&self) {}
            }
        "#;
        let by_needs = lines_by_needs(code).expect("parses");
        let needs = |client: bool, any: &[&str]| Needs {
            client,
            any: any.iter().map(|s| s.to_string()).collect(),
        };
        // Attributes are lines of their own.
        assert_eq!(by_needs[&needs(false, &[])], 1);
        assert_eq!(by_needs[&needs(false, &["cards"])], 2);
        assert_eq!(by_needs[&needs(false, &["cards", "management"])], 2);
        assert_eq!(by_needs[&needs(true, &[])], 2);
        assert_eq!(by_needs[&needs(true, &["cards"])], 5);
        let report = report(code, &["management".into(), "cards".into()]).expect("a report");
        let row = |product: &str| -> Vec<String> {
            report
                .lines()
                .skip_while(|l| !l.starts_with("per product alone"))
                .find(|l| l.split_whitespace().next() == Some(product))
                .map(|l| l.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default()
        };
        assert_eq!(row("management"), ["management", "3", "5"], "{report}");
        assert_eq!(row("cards"), ["cards", "5", "12"], "{report}");
    }
}
