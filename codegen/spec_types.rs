//! The types the spec's conventions ask for, which typify does not make: what
//! they are, read from the spec's named schemas.
//!
//! - **Open enums**: a schema of `type: string` with its known values in
//!   `x-extensible-enum` (never `enum`, which is closed) becomes a Rust enum
//!   with a variant per known value and `Other(String)`, which keeps a value
//!   the vendor adds later as it was sent (`openapi/DECISIONS.md`, D4).
//! - **Checked ids**: a schema named `<Thing>Id` of `type: string` with the
//!   segment pattern [`SEGMENT_PATTERN`] becomes a newtype that refuses, on
//!   every way in, a value that would leave its path segment (D16).
//!
//! Typify replaces each such schema with `crate::types::<Name>`
//! ([`SpecTypes::replacements`], used by `settings.rs`), and the rewrite
//! `rewrite/spec_types.rs` writes the types into the `types` module, where
//! `rewrite::products` gates them by product like any generated type. What
//! every open enum or id implements is written once, in `src/open_enum.rs` and
//! `src/ids.rs`; the generator emits the type and one macro invocation.
//!
//! Not for: schemas that typify handles itself, nor hand-written types
//! (`settings::REPLACEMENTS`).

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens as _, format_ident, quote};

/// The pattern that keeps a string one path segment: never empty, never `.`
/// or `..`, no `/` or `\`, as the spec writes it (D16).
pub const SEGMENT_PATTERN: &str = r"^[^/\\]*[^./\\][^/\\]*$";

/// The spec extension that lists an open set's known values.
pub const EXTENSIBLE_ENUM: &str = "x-extensible-enum";

/// The types the spec's conventions ask for, in the order of its schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecTypes {
    /// The open enums.
    pub open_enums: Vec<OpenEnum>,
    /// The checked ids.
    pub ids: Vec<CheckedId>,
}

/// An open enum: a named schema with `x-extensible-enum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEnum {
    /// The schema's name, which is the type's.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// The known values, with their variants' names, in the spec's order.
    pub variants: Vec<(String, String)>,
}

/// `tokens` (progenitor's output, unformatted) with `added` at the end of its
/// `mod types`; `None` when it has none. The generators of types beyond
/// typify's (`spec_types.rs`, `webhooks.rs`) add theirs for api-diff this way.
#[allow(
    dead_code,
    reason = "build.rs generates the whole file; api-diff reads the tokens"
)]
pub fn append_to_types(tokens: TokenStream, added: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut found = false;
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        let is_types = matches!(
            (&trees.get(i.wrapping_sub(2)), &trees.get(i.wrapping_sub(1)), tree),
            (Some(TokenTree::Ident(m)), Some(TokenTree::Ident(n)), TokenTree::Group(g))
                if m == "mod" && n == "types" && g.delimiter() == Delimiter::Brace
        );
        match tree {
            TokenTree::Group(g) if is_types && !found => {
                found = true;
                let mut stream = g.stream();
                stream.extend(added.clone());
                out.push(TokenTree::Group(Group::new(Delimiter::Brace, stream)));
            }
            other => out.push(other.clone()),
        }
    }
    found.then(|| out.into_iter().collect())
}

/// A checked id: a named schema `<Thing>Id` with the segment pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedId {
    /// The schema's name, which is the type's.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// What a value is, for errors: `ClientId` is "a client id".
    pub kind: String,
}

impl SpecTypes {
    /// Reads the open enums and checked ids of a spec's named schemas.
    pub fn of(spec: &OpenAPI) -> SpecTypes {
        let mut out = SpecTypes::default();
        let Some(components) = &spec.components else {
            return out;
        };
        for (name, schema) in &components.schemas {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
                continue;
            };
            let description = schema.schema_data.description.clone();
            let known = schema
                .schema_data
                .extensions
                .get(EXTENSIBLE_ENUM)
                .and_then(|v| v.as_array());
            if let Some(known) = known
                && string.enumeration.is_empty()
            {
                let values: Vec<String> = known
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                out.open_enums.push(OpenEnum {
                    name: name.clone(),
                    description,
                    variants: variants(&values),
                });
            } else if let Some(thing) = name.strip_suffix("Id")
                && !thing.is_empty()
                && string.pattern.as_deref() == Some(SEGMENT_PATTERN)
                && string.enumeration.is_empty()
            {
                out.ids.push(CheckedId {
                    name: name.clone(),
                    description,
                    kind: kind(thing),
                });
            }
        }
        out
    }

    /// The schemas typify must not generate, each with the path of the type
    /// that replaces it.
    pub fn replacements(&self) -> Vec<(String, String)> {
        self.names()
            .map(|name| (name.to_string(), format!("crate::types::{name}")))
            .collect()
    }

    /// The items of every type: the type, then the crate's macro that
    /// implements it.
    pub fn items(&self) -> Result<Vec<syn::Item>, String> {
        let mut items = Vec::new();
        for open in &self.open_enums {
            items.extend(open_enum(open)?);
        }
        for id in &self.ids {
            items.extend(checked_id(id)?);
        }
        Ok(items)
    }

    /// Adds [`Self::items`] to the `types` module of progenitor's tokens, for
    /// the tools that read those rather than the rewritten file (`cargo xtask
    /// api-diff`, through `generate_tokens`).
    #[allow(
        dead_code,
        reason = "build.rs generates the whole file; api-diff reads the tokens"
    )]
    pub fn append_to_tokens(&self, tokens: TokenStream) -> Result<TokenStream, String> {
        let mut added = TokenStream::new();
        for item in self.items()? {
            item.to_tokens(&mut added);
        }
        append_to_types(tokens, &added)
            .ok_or_else(|| "expected progenitor's tokens to have a `mod types`, found none".into())
    }

    /// The names of every type, open enums first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.open_enums
            .iter()
            .map(|e| e.name.as_str())
            .chain(self.ids.iter().map(|i| i.name.as_str()))
    }
}

fn open_enum(open: &OpenEnum) -> Result<Vec<syn::Item>, String> {
    let name = format_ident!("{}", open.name);
    let schema_name = &open.name;
    let description = open
        .description
        .clone()
        .unwrap_or_else(|| open.name.clone());
    let doc = doc_lines(&format!(
        "{}\n\nAn open set: a value this version of the crate does not know decodes as \
         `Other`, kept as it was sent, and serializes back unchanged.",
        description.trim()
    ));
    let variants: Vec<syn::Ident> = open
        .variants
        .iter()
        .map(|(_, variant)| format_ident!("{variant}"))
        .collect();
    let texts: Vec<&String> = open.variants.iter().map(|(text, _)| text).collect();
    let variant_docs: Vec<String> = texts.iter().map(|t| format!(" `{t}`.")).collect();
    parse_items(quote! {
        #( #[doc = #doc] )*
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value this version of the crate does not know, kept as sent.
            Other(::std::string::String),
        }

        crate::open_enum::open_enum_impls! {
            #name, #schema_name, #description {
                #( #variants = #texts, )*
            }
        }
    })
}

fn checked_id(id: &CheckedId) -> Result<Vec<syn::Item>, String> {
    let name = format_ident!("{}", id.name);
    let kind = &id.kind;
    let description = id.description.clone().unwrap_or_else(|| id.name.clone());
    let doc = doc_lines(&format!(
        "{}\n\nChecked when it is made (`new`, `parse`, `TryFrom`, deserialization): a value \
         that would not stay one path segment is refused.",
        description.trim()
    ));
    parse_items(quote! {
        #( #[doc = #doc] )*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct #name(::std::string::String);

        crate::ids::checked_string_impls! {
            #name, kind = #kind, check = crate::ids::check_segment,
            schema = {
                "type": "string",
                "description": #description,
                "minLength": 1,
                "pattern": #SEGMENT_PATTERN
            }
        }
    })
}

/// The lines of a doc comment, each as `///` writes it (after a space).
fn doc_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

fn parse_items(tokens: TokenStream) -> Result<Vec<syn::Item>, String> {
    syn::parse2::<syn::File>(tokens)
        .map(|f| f.items)
        .map_err(|e| format!("made items that do not parse: {e}"))
}

/// The variants' names of the known values: each value in PascalCase
/// (`pending_documentation` is `PendingDocumentation`, `TOP_UP` is `TopUp`,
/// `TOPUP` is `Topup`), `V` before one that would start with a digit, `Empty`
/// for one without letters or digits, `OtherValue` for a value spelled
/// `other` (`Other` holds the unknown ones), and a number after a name an
/// earlier value took (`ACTIVE` and `active` are `Active` and `Active2`).
pub fn variants(values: &[String]) -> Vec<(String, String)> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for value in values {
        let mut name = pascal(value);
        if name.is_empty() {
            name = "Empty".into();
        } else if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, 'V');
        }
        if name == "Other" {
            name = "OtherValue".into();
        }
        let base = name.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.push(name.clone());
        out.push((value.clone(), name));
    }
    out
}

/// `value` in PascalCase: words split at anything but ASCII letters and
/// digits; an all-capitals word is capitalised (`PENDING` is `Pending`),
/// another keeps its inner capitals (`inKyc` is `InKyc`).
fn pascal(value: &str) -> String {
    let mut out = String::new();
    for word in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        let shouting = !word.chars().any(|c| c.is_ascii_lowercase());
        for (i, c) in word.chars().enumerate() {
            if i == 0 {
                out.push(c.to_ascii_uppercase());
            } else if shouting {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// What a `<Thing>Id` is, for its errors: `Client` is "a client id",
/// `IndividualCard` "an individual card id".
fn kind(thing: &str) -> String {
    let mut words = String::new();
    for (i, c) in thing.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {words} id")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn variants_are_the_values_in_pascal_case_and_never_collide() {
        let values = strings(&[
            "pending_documentation",
            "TOP_UP",
            "TOPUP",
            "inKyc",
            "3ds",
            "other",
            "ACTIVE",
            "active",
            "--",
            "ramps-pix",
        ]);
        let names: Vec<String> = variants(&values).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            names,
            [
                "PendingDocumentation",
                "TopUp",
                "Topup",
                "InKyc",
                "V3ds",
                "OtherValue",
                "Active",
                "Active2",
                "Empty",
                "RampsPix"
            ]
        );
    }

    #[test]
    fn decimal_numbers_become_the_crates_decimal_inline_or_named() {
        // D22: `settings.rs` converts every `type: number, format: decimal`,
        // whatever its description; a plain number stays `f64`.
        let spec: OpenAPI = serde_yaml_ng::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
tags: [{name: cards}]
paths:
  /balance:
    get:
      tags: [cards]
      operationId: get_balance
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: number, format: decimal}}}
components:
  schemas:
    Limits:
      type: object
      properties:
        daily: {type: number, format: decimal, description: The daily limit.}
        ratio: {type: number}
        fees: {type: array, items: {$ref: '#/components/schemas/Amount'}}
    Amount: {type: number, format: decimal}
"#,
        )
        .expect("a spec");
        let code: String = super::super::generate(&spec)
            .expect("generates")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            code.contains("pubdaily:::std::option::Option<crate::Decimal>"),
            "{code}"
        );
        assert!(
            code.contains("pubratio:::std::option::Option<f64>"),
            "{code}"
        );
        assert!(code.contains("ResponseValue<crate::Decimal>"), "{code}");
        assert!(!code.contains("decimal>,f64"), "{code}");
    }

    #[test]
    fn an_id_says_what_it_is() {
        assert_eq!(kind("Client"), "a client id");
        assert_eq!(kind("ProductRequest"), "a product request id");
        assert_eq!(kind("IndividualCard"), "an individual card id");
    }

    #[test]
    fn only_open_strings_and_segment_ids_are_read() {
        let spec: OpenAPI = serde_yaml_ng::from_str(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Status: {type: string, x-extensible-enum: [a, b]}
    Closed: {type: string, enum: [a, b]}
    CardId: {type: string, minLength: 1, pattern: '^[^/\\]*[^./\\][^/\\]*$'}
    OtherId: {type: string}
    Shape: {type: object, x-extensible-enum: [a]}
"#,
        )
        .expect("a spec");
        let types = SpecTypes::of(&spec);
        assert_eq!(types.names().collect::<Vec<_>>(), ["Status", "CardId"]);
        assert_eq!(
            types.replacements()[1],
            ("CardId".to_string(), "crate::types::CardId".to_string())
        );
    }
}
