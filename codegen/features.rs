//! Which products' cargo features each generated item needs.
//!
//! A product is a tag of the spec (`check::products`): its operations' methods
//! and builders need its feature; a type of `types` needs the features of the
//! operations that use it, directly or through other types, and one used by
//! several products needs any of theirs. A type no operation uses, a type in
//! [`ALWAYS_PRESENT`](super::settings::ALWAYS_PRESENT), and every type those
//! use, need none: they are always present.
//!
//! This is worked out from progenitor's output, not from the spec's schemas,
//! so that inline schemas (a body typify names `CreateClientBody`) follow
//! their operation: an operation uses the types its builder names
//! (`types::X`, `types::builder::X`), and a type uses the types its fields and
//! variants name. The items may have their function bodies removed (as
//! `cargo xtask api-diff` reads them): everything used is in the signatures.
//! `rewrite::products` applies the result; api-diff reads it too, to say what
//! a change of an operation's product does to downstream crates.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens as _;

/// The products of which an item needs one; `None`: it is always present.
pub type Gate = Option<BTreeSet<String>>;

/// What a spec says of a type beyond the items [`gates`] reads: `cargo xtask
/// api-diff` generates a slice of a spec, whose other operations and types may
/// use a type of the slice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Beyond {
    /// The products of the operations outside the items that use the type.
    pub products: BTreeSet<String>,
    /// Whether a type outside the items that is always present uses it (a
    /// type no operation uses, or one of `always`): then so is it.
    pub present: bool,
}

/// The gates of the generated items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gates {
    /// The types of `types`, by name.
    pub types: BTreeMap<String, Gate>,
    /// The operations' methods of `Client` (the operation ids), with their
    /// product.
    pub methods: BTreeMap<String, String>,
    /// The operation builders of `builder`, by name, with their product.
    pub builders: BTreeMap<String, String>,
}

/// Works out the gates of the top-level `items` of a generated file.
///
/// `products` gives each operation's product, by operation id; a method of an
/// operation without one is not gated (api-diff reads specs without products).
/// `always` names the types present whatever the products, and `extra` says
/// what uses a type beyond what `items` show (api-diff generates a slice of a
/// spec, whose other operations may use a type of the slice, and whose other
/// types, always present, may make it always present too).
pub fn gates(
    items: &[syn::Item],
    products: &BTreeMap<String, String>,
    always: &[&str],
    extra: &dyn Fn(&str) -> Beyond,
) -> Gates {
    let uses = type_uses(module_items(items, "types"));
    let beyond: BTreeMap<&String, Beyond> = uses.keys().map(|name| (name, extra(name))).collect();
    let (methods, builders) = operations(items, products);
    let users = users(items, &uses, &builders, &beyond);
    let present = always_present(&uses, &users, always, &beyond);
    let types = uses
        .keys()
        .map(|name| {
            let gate = if present.contains(name) {
                None
            } else {
                users.get(name).cloned()
            };
            (name.clone(), gate)
        })
        .collect();
    Gates {
        types,
        methods,
        builders,
    }
}

/// The operations' methods of `Client` with a product, and the builders they
/// return, each with the product.
fn operations(
    items: &[syn::Item],
    products: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (mut methods, mut builders) = (BTreeMap::new(), BTreeMap::new());
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || !is_named(&block.self_ty, "Client") {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let method = f.sig.ident.to_string();
            if let (Some(product), Some(builder)) = (
                products.get(&method),
                builder_returned(&f.sig.output.to_token_stream()),
            ) {
                methods.insert(method, product.clone());
                builders.insert(builder, product.clone());
            }
        }
    }
    (methods, builders)
}

/// The products that use each type: through the operations' builders, and
/// as `beyond` says.
fn users(
    items: &[syn::Item],
    uses: &BTreeMap<String, BTreeSet<String>>,
    builders: &BTreeMap<String, String>,
    beyond: &BTreeMap<&String, Beyond>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut users = BTreeMap::new();
    for item in module_items(items, "builder") {
        let Some(product) = subject(item).and_then(|name| builders.get(&name)) else {
            continue;
        };
        for used in types_named(&item.to_token_stream()) {
            reach(uses, &used, product, &mut users);
        }
    }
    for (name, beyond) in beyond {
        for product in &beyond.products {
            reach(uses, name, product, &mut users);
        }
    }
    users
}

/// What is always present: the types named `always`, those no product
/// uses, those an always present type beyond the items uses (`beyond`), and
/// every type they use.
fn always_present(
    uses: &BTreeMap<String, BTreeSet<String>>,
    users: &BTreeMap<String, BTreeSet<String>>,
    always: &[&str],
    beyond: &BTreeMap<&String, Beyond>,
) -> BTreeSet<String> {
    let mut present = BTreeSet::new();
    let mut seeds: Vec<&String> = uses
        .keys()
        .filter(|name| {
            always.contains(&name.as_str())
                || !users.contains_key(*name)
                || beyond.get(name).is_some_and(|b| b.present)
        })
        .collect();
    while let Some(name) = seeds.pop() {
        if present.insert(name.clone()) {
            seeds.extend(uses.get(name).into_iter().flatten());
        }
    }
    present
}

/// Adds `product` to the users of `name` and of every type it uses.
fn reach(
    uses: &BTreeMap<String, BTreeSet<String>>,
    name: &str,
    product: &str,
    users: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let mut todo = vec![name.to_string()];
    while let Some(name) = todo.pop() {
        let Some(used) = uses.get(&name) else {
            continue;
        };
        if users.entry(name).or_default().insert(product.to_string()) {
            todo.extend(used.iter().cloned());
        }
    }
}

/// The items of the top-level module `name`.
fn module_items<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| i.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// The types of `types` (structs, enums, aliases), each with the types of
/// `types` its fields, variants or aliased type name.
fn type_uses(items: &[syn::Item]) -> BTreeMap<String, BTreeSet<String>> {
    let mut named: BTreeMap<String, TokenStream> = BTreeMap::new();
    for item in items {
        let (name, tokens) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), s.fields.to_token_stream()),
            syn::Item::Enum(e) => (
                e.ident.to_string(),
                e.variants
                    .iter()
                    .map(|v| v.fields.to_token_stream())
                    .collect(),
            ),
            syn::Item::Type(t) => (t.ident.to_string(), t.ty.to_token_stream()),
            _ => continue,
        };
        named.insert(name, tokens);
    }
    let names: BTreeSet<String> = named.keys().cloned().collect();
    named
        .into_iter()
        .map(|(name, tokens)| {
            let mut used = idents(&tokens);
            used.retain(|u| names.contains(u) && *u != name);
            (name, used)
        })
        .collect()
}

/// The names in `tokens`, at any depth, that can be types of the generated
/// `types` module: a path's first identifier, or one after `super::`,
/// `self::`, `builder::` or `types::` (`crate::types::ClientId`, the path
/// typify gives a type of `spec_types.rs`), but not one after any other path
/// (`::std::error::Error` names no generated `Error`).
pub fn idents(tokens: &TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![tokens.clone()];
    while let Some(stream) = todo.pop() {
        // The identifier before the last `::`, if the last tokens were one.
        let mut after: Option<Option<String>> = None;
        let mut last_ident: Option<String> = None;
        let mut colons = 0;
        for tree in stream {
            match tree {
                TokenTree::Ident(i) => {
                    let name = i.to_string();
                    let local = match &after {
                        None => true,
                        Some(Some(before)) => {
                            matches!(before.as_str(), "super" | "self" | "builder" | "types")
                        }
                        Some(None) => false,
                    };
                    if local {
                        out.insert(name.clone());
                    }
                    last_ident = Some(name);
                    after = None;
                    colons = 0;
                    continue;
                }
                TokenTree::Punct(p) if p.as_char() == ':' => {
                    colons += 1;
                    if colons == 2 {
                        after = Some(last_ident.take());
                        colons = 0;
                    }
                    continue;
                }
                TokenTree::Group(g) => todo.push(g.stream()),
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
            last_ident = None;
            after = None;
            colons = 0;
        }
    }
    out
}

/// The names `X` of `types::X` and `types::builder::X` in `tokens`.
pub fn types_named(tokens: &TokenStream) -> BTreeSet<String> {
    let text = tokens.to_string();
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("types :: ") {
        let preceded = text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        if preceded {
            continue;
        }
        let rest = &text[at + "types :: ".len()..];
        let rest = rest.strip_prefix("builder :: ").unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

/// `X` of a return type `-> builder::X<'_>`, as tokens.
fn builder_returned(output: &TokenStream) -> Option<String> {
    let text = output.to_string();
    let rest = text.strip_prefix("-> builder :: ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Whether a type is the plain path `name`.
fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// The name of what an item of the `builder` module is about: a struct's
/// name, or the type an inherent or trait `impl` is for.
pub fn subject(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(block) => match block.self_ty.as_ref() {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use quote::ToTokens as _;

    /// Two products: `Holder` is Management's, `Card`, `CardRequest`,
    /// `Limits` and the inline `CardStatus` are Cards', `Address` is both's,
    /// `ApiError` is always present (`ALWAYS_PRESENT`), and so is `Orphan`,
    /// which no operation uses.
    pub(crate) const TWO_PRODUCTS: &str = r#"
openapi: 3.0.3
info: {title: Two products, version: "1"}
tags:
  - name: management
  - name: cards
    x-displayName: Cards
    description: Issue cards.
paths:
  /holders/{id}:
    get:
      tags: [management]
      operationId: get_holder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}
        '404': {$ref: '#/components/responses/Error'}
  /cards:
    post:
      tags: [cards]
      operationId: create_card
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/CardRequest'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Card'}}}}
        '404': {$ref: '#/components/responses/Error'}
components:
  responses:
    Error: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ApiError'}}}}
  schemas:
    ApiError: {type: object, properties: {code: {type: string}}}
    Holder:
      type: object
      required: [name]
      properties: {name: {type: string}, address: {$ref: '#/components/schemas/Address'}}
    Address: {type: object, properties: {city: {type: string}}}
    CardRequest:
      type: object
      required: [holder_id]
      properties: {holder_id: {type: string}, limits: {$ref: '#/components/schemas/Limits'}}
    Card:
      type: object
      required: [id]
      properties:
        id: {type: string}
        limits: {$ref: '#/components/schemas/Limits'}
        billing: {$ref: '#/components/schemas/Address'}
        status: {type: string, enum: [active, frozen]}
    Limits: {type: object, properties: {daily: {type: integer}}}
    Orphan: {type: object, properties: {note: {type: string}}}
"#;

    fn generated() -> syn::File {
        let code = crate::codegen::generate_from_str(Path::new("two.yaml"), TWO_PRODUCTS)
            .unwrap_or_else(|e| panic!("generates: {e}"));
        syn::parse_file(&code).expect("parses")
    }

    /// The `cfg` attributes of an item, as text.
    fn cfgs(attrs: &[syn::Attribute]) -> Vec<String> {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .map(|a| a.to_token_stream().to_string())
            .collect()
    }

    fn module<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
        items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|c| &c.1[..]),
                _ => None,
            })
            .unwrap_or_else(|| panic!("a module {name}"))
    }

    const MANAGEMENT: &str = "# [cfg (feature = \"management\")]";
    const CARDS: &str = "# [cfg (feature = \"cards\")]";
    const BOTH: &str = "# [cfg (any (feature = \"management\" , feature = \"cards\"))]";

    #[test]
    fn only_local_paths_name_generated_types() {
        let tokens = quote::quote! {
            impl ::std::error::Error for ConversionError {}
            impl From<super::Address> for builder::Card {
                fn f(x: Option<Limits>) -> ::std::string::String {}
            }
        };
        let names: Vec<String> = super::idents(&tokens).into_iter().collect();
        for name in [
            "ConversionError",
            "Address",
            "Card",
            "Limits",
            "Option",
            "From",
        ] {
            assert!(names.contains(&name.to_string()), "{name}: {names:?}");
        }
        for name in ["Error", "String", "error", "string"] {
            assert!(!names.contains(&name.to_string()), "{name}: {names:?}");
        }
    }

    #[test]
    fn types_need_the_features_of_the_operations_that_use_them() {
        let file = generated();
        let types = module(&file.items, "types");
        let gate_of = |name: &str| {
            types
                .iter()
                .find_map(|item| match item {
                    syn::Item::Struct(s) if s.ident == name => Some(cfgs(&s.attrs)),
                    syn::Item::Enum(e) if e.ident == name => Some(cfgs(&e.attrs)),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("a type {name}"))
        };
        assert_eq!(gate_of("Holder"), [MANAGEMENT]);
        for cards_only in ["Card", "CardRequest", "Limits", "CardStatus"] {
            assert_eq!(gate_of(cards_only), [CARDS], "{cards_only}");
        }
        assert_eq!(gate_of("Address"), [BOTH]);
        assert!(gate_of("ApiError").is_empty());
        assert!(gate_of("Orphan").is_empty());
        // typify's builder of a type, and the impls of a type, need what the
        // type needs.
        let builders = module(types, "builder");
        for item in builders {
            let (name, attrs) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Impl(i) => (super::subject(item).unwrap_or_default(), &i.attrs),
                _ => continue,
            };
            assert_eq!(cfgs(attrs), gate_of(&name), "builder::{name}");
        }
        for item in types {
            if let syn::Item::Impl(block) = item {
                let name = super::subject(item).unwrap_or_default();
                assert_eq!(cfgs(&block.attrs), gate_of(&name), "an impl of {name}");
            }
        }
    }

    #[test]
    fn methods_and_builders_need_their_products_feature() {
        let file = generated();
        let blocks: Vec<(Vec<String>, Vec<String>, Vec<String>)> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block)
                    if block.trait_.is_none()
                        && block.self_ty.to_token_stream().to_string() == "Client" =>
                {
                    let docs = block
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("doc"))
                        .map(|a| a.to_token_stream().to_string())
                        .collect();
                    let methods = block
                        .items
                        .iter()
                        .filter_map(|m| match m {
                            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                            _ => None,
                        })
                        .collect();
                    Some((cfgs(&block.attrs), docs, methods))
                }
                _ => None,
            })
            .collect();
        let client = "# [cfg (feature = \"client\")]";
        // The constructor's block, then one block per product, in the
        // order of the spec's tags, each with its product's name and
        // description.
        assert_eq!(blocks.len(), 3, "{blocks:#?}");
        assert_eq!(blocks[0].0, [client]);
        assert_eq!(blocks[1].0, [client, MANAGEMENT]);
        assert_eq!(blocks[1].2, ["get_holder"]);
        assert_eq!(blocks[2].0, [client, CARDS]);
        assert_eq!(blocks[2].2, ["create_card"]);
        assert!(blocks[2].1[0].contains("**Cards**"), "{:?}", blocks[2].1);
        assert!(blocks[2].1[0].contains("`cards`"), "{:?}", blocks[2].1);
        assert!(blocks[2].1[0].contains("Issue cards."), "{:?}", blocks[2].1);
        for item in module(&file.items, "builder") {
            let (name, attrs) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Impl(i) => (super::subject(item).unwrap_or_default(), &i.attrs),
                _ => continue,
            };
            let want = match name.as_str() {
                "GetHolder" => MANAGEMENT,
                "CreateCard" => CARDS,
                other => panic!("an unexpected builder {other}"),
            };
            assert_eq!(cfgs(attrs), [want], "builder::{name}");
        }
    }

    #[test]
    fn an_operation_without_a_product_fails_generation_naming_it_and_its_tag() {
        let spec = TWO_PRODUCTS.replace("tags: [cards]", "tags: [wallets]");
        let error = crate::codegen::generate_from_str(Path::new("two.yaml"), &spec)
            .expect_err("wallets is no product");
        let line = spec
            .lines()
            .position(|l| l.contains("tags: [wallets]"))
            .unwrap_or_default()
            + 1;
        assert_eq!(
            error.to_string(),
            format!(
                "two.yaml:{line}:1: the operation create_card has the tag `wallets`, which is not \
                 a product: the spec's tags are management, cards (at /paths/~1cards/post/tags/0)"
            )
        );
        let spec = TWO_PRODUCTS.replace("      tags: [cards]\n", "");
        let error =
            crate::codegen::generate_from_str(Path::new("two.yaml"), &spec).expect_err("no tag");
        assert!(
            error
                .to_string()
                .contains("the operation create_card has no tag: give it the product it belongs to, one of the spec's tags (management, cards)"),
            "{error}"
        );
    }
}
