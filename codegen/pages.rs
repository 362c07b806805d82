//! Pages as streams: for every operation the spec marks with
//! `x-pagination: {style, items}`, the methods `pages()` and `items()` of
//! its builder, each a `futures_core::Stream` over every page of the answer
//! (`src/pages.rs` is their runtime; `openapi/DECISIONS.md` D-RL4).
//!
//! The styles are the vendor's:
//! - `page_number`: the query parameter `page_number`, pages from 1, the
//!   answer's `next_page` and `total_pages` when it has them;
//! - `page`: the query parameter `page`, pages from 0, `total_pages`;
//! - `cursor`: the query parameter `paging_state_token`, the answer's field of
//!   that name for the next page.
//!
//! Every style takes the page size from the builder's `size` when the
//! operation has one (the vendor's six paginated operations do), which the
//! caller sets. `items` names the answer's field that holds a page's items.
//!
//! [`check`] holds the spec to the marks: an operation with a paging
//! parameter ([`PAGE_PARAMETERS`]) and no `x-pagination` fails generation,
//! as does a mark whose style, parameters or items field the operation does
//! not have. [`apply`] emits the methods into the builders after the
//! rewrites, failing when a builder or type does not have the shape it
//! expects.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::facts::{parameter_names, response, schema_of};
use super::names;
use super::pointer::escape_pointer_key;
use super::rewrite::builder_impls;

/// The query parameters that page an answer; an operation with one must
/// carry `x-pagination`.
pub const PAGE_PARAMETERS: &[&str] = &["page", "page_number", "paging_state_token"];

/// A style of paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `page_number`, from 1.
    PageNumber,
    /// `page`, from 0.
    Page,
    /// `paging_state_token`.
    Cursor,
}

impl Style {
    fn parse(name: &str) -> Option<Style> {
        match name {
            "page_number" => Some(Style::PageNumber),
            "page" => Some(Style::Page),
            "cursor" => Some(Style::Cursor),
            _ => None,
        }
    }

    /// The query parameter that says which page.
    pub fn parameter(self) -> &'static str {
        match self {
            Style::PageNumber => "page_number",
            Style::Page => "page",
            Style::Cursor => "paging_state_token",
        }
    }
}

/// An operation's mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The operation.
    pub operation: String,
    /// Its style.
    pub style: Style,
    /// The answer's field holding a page's items.
    pub items: String,
}

/// Reads every operation's `x-pagination` and checks it against the
/// operation, and that every operation with a paging parameter has one.
/// Fails with the JSON pointer of the first problem and what it is.
pub fn check(spec: &OpenAPI) -> Result<Vec<Pagination>, (String, String)> {
    read(spec, true)
}

/// Like [`check`], without requiring a mark of an operation with a paging
/// parameter, which then has no streams: `cargo xtask api-diff` compares any
/// spec, and a mark removed is a change it reports, not a failure.
#[allow(dead_code, reason = "build.rs checks; api-diff reads the marks")]
pub fn marks(spec: &OpenAPI) -> Result<Vec<Pagination>, (String, String)> {
    read(spec, false)
}

fn read(spec: &OpenAPI, required: bool) -> Result<Vec<Pagination>, (String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let Some(id) = operation.operation_id.clone() else {
                continue;
            };
            let at = format!("/paths/{}/{method}", escape_pointer_key(path));
            let query = parameter_names(spec, item, operation, |p| {
                matches!(p, openapiv3::Parameter::Query { .. })
            });
            let Some(mark) = operation.extensions.get("x-pagination") else {
                if !required {
                    continue;
                }
                if let Some(name) = query.iter().find(|q| PAGE_PARAMETERS.contains(&q.as_str())) {
                    return Err((
                        at,
                        format!(
                            "the operation `{id}` takes the paging parameter `{name}` but has no \
                             `x-pagination: {{style, items}}` saying how its answer pages \
                             (openapi/DECISIONS.md D-RL4)"
                        ),
                    ));
                }
                continue;
            };
            let at = format!("{at}/x-pagination");
            let style = mark
                .get("style")
                .and_then(|s| s.as_str())
                .and_then(Style::parse)
                .ok_or_else(|| {
                    (
                        format!("{at}/style"),
                        format!(
                            "the `x-pagination` of `{id}` needs a `style`: `page_number`, `page` \
                             or `cursor`"
                        ),
                    )
                })?;
            let items = mark
                .get("items")
                .and_then(|s| s.as_str())
                .ok_or_else(|| {
                    (
                        format!("{at}/items"),
                        format!(
                            "the `x-pagination` of `{id}` needs `items`: the answer's field that \
                             holds a page's items"
                        ),
                    )
                })?
                .to_string();
            // The page size is optional: without it, the vendor's default.
            for needed in [style.parameter()] {
                if !query.iter().any(|q| q == needed) {
                    return Err((
                        at.clone(),
                        format!(
                            "`{id}` is marked with the paging style that sends `{needed}`, and has \
                             no query parameter `{needed}`"
                        ),
                    ));
                }
            }
            if !answer_has_array(spec, operation, &items) {
                return Err((
                    format!("{at}/items"),
                    format!(
                        "the success answer of `{id}` has no array property `{items}` to take \
                         the items of a page from"
                    ),
                ));
            }
            out.push(Pagination {
                operation: id,
                style,
                items,
            });
        }
    }
    Ok(out)
}

/// Whether the operation's first success answer is a JSON object with an
/// array property `field`.
fn answer_has_array(spec: &OpenAPI, operation: &openapiv3::Operation, field: &str) -> bool {
    let Some(response) = operation
        .responses
        .responses
        .iter()
        .find(|(status, _)| status.to_string().starts_with('2'))
        .and_then(|(_, r)| response(spec, r))
    else {
        return false;
    };
    let Some(schema) = response
        .content
        .get("application/json")
        .and_then(|m| m.schema.as_ref())
        .and_then(|s| schema_of(spec, s))
    else {
        return false;
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
        return false;
    };
    object
        .properties
        .get(field)
        .and_then(|p| match p {
            ReferenceOr::Item(s) => Some(s.as_ref()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| spec.components.as_ref()?.schemas.get(name))
                .and_then(|s| schema_of(spec, s)),
        })
        .is_some_and(|p| {
            matches!(
                p.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::Array(_))
            )
        })
}

/// The fields of a generated struct of `mod types`: name to type.
type Fields = BTreeMap<String, syn::Type>;

/// The structs of `mod types`, by name.
fn structs(file: &syn::File) -> BTreeMap<String, Fields> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            if let syn::Item::Struct(s) = item {
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
                    .collect();
                out.insert(s.ident.to_string(), fields);
            }
        }
    }
    out
}

/// The generic arguments of the last segment of a path type.
fn arguments(ty: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(p) = ty else {
        return Vec::new();
    };
    let Some(last) = p.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The last segment's name of a path type.
fn last_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A type as written inside `mod types`, as `mod builder` names it: a
/// single-segment path is a sibling type (`types::X`).
fn from_builder(ty: &syn::Type) -> syn::Type {
    match ty {
        syn::Type::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1 =>
        {
            let ident = &p.path.segments[0].ident;
            if ident == "String" || ident == "i64" || ident == "u64" {
                return ty.clone();
            }
            syn::parse_quote!(types::#p)
        }
        _ => ty.clone(),
    }
}

/// Emits `pages()` and `items()` into the builder of every marked operation.
pub fn apply(file: &mut syn::File, marks: &[Pagination]) -> Result<(), String> {
    let fail = |m: &str| format!("the generator codegen/pages.rs {m}");
    let structs = structs(file);
    let mut builders = builder_impls(file);
    for mark in marks {
        let id = &mark.operation;
        let block = builders
            .get_mut(id)
            .ok_or_else(|| fail(&format!("expected a builder for {id}, and found none")))?;
        let setters: Vec<String> = block
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for name in ["pages", "items"] {
            if setters.iter().any(|s| s == name) {
                return Err(fail(&format!(
                    "cannot add `{name}()` to the builder of {id}: it has a setter of that name"
                )));
            }
        }
        let setter = names::snake(mark.style.parameter());
        if !setters.contains(&setter) {
            return Err(fail(&format!(
                "expected the builder of {id} to have the setter `{setter}`, and found none"
            )));
        }
        let send = block
            .items
            .iter()
            .find_map(|i| match i {
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                _ => None,
            })
            .ok_or_else(|| fail(&format!("expected the builder of {id} to have `send`")))?;
        let syn::ReturnType::Type(_, output) = &send.sig.output else {
            return Err(fail(&format!(
                "expected the `send` of {id} to return a Result"
            )));
        };
        let output = (**output).clone();
        let result = arguments(&output);
        let (Some(value), Some(error)) = (result.first(), result.get(1)) else {
            return Err(fail(&format!(
                "expected the `send` of {id} to return Result<ResponseValue<_>, Error<_>>"
            )));
        };
        let page_type = arguments(value)
            .first()
            .map(|t| (*t).clone())
            .ok_or_else(|| {
                fail(&format!(
                    "expected the `send` of {id} to answer a ResponseValue"
                ))
            })?;
        let page_name = last_name(&page_type).unwrap_or_default();
        let fields = structs.get(&page_name).ok_or_else(|| {
            fail(&format!(
                "expected the answer of {id} to be the struct types::{page_name}"
            ))
        })?;
        let items_field = names::snake(&mark.items);
        let item_type = fields
            .get(&items_field)
            .filter(|ty| last_name(ty).as_deref() == Some("Vec"))
            .and_then(|ty| arguments(ty).first().map(|t| from_builder(t)))
            .ok_or_else(|| {
                fail(&format!(
                    "expected types::{page_name} to have the field `{items_field}: Vec<_>`"
                ))
            })?;
        let items_ident = format_ident!("{items_field}");
        let number = |field: &str| -> TokenStream {
            let Some(ty) = fields.get(field) else {
                return quote!(None);
            };
            let ident = format_ident!("{field}");
            if last_name(ty).as_deref() == Some("Option") {
                quote!(page.#ident.and_then(|n| u32::try_from(n).ok()))
            } else {
                quote!(u32::try_from(page.#ident).ok())
            }
        };
        let next_number = number("next_page");
        let total_pages = number("total_pages");
        let next_token = match fields.get("paging_state_token") {
            Some(ty) if last_name(ty).as_deref() == Some("Option") => {
                quote!(page.paging_state_token.clone())
            }
            Some(_) => quote!(Some(page.paging_state_token.clone())),
            None => quote!(None),
        };
        let setter = format_ident!("{setter}");
        let (style, place, first) = match mark.style {
            Style::PageNumber => (
                quote!(crate::pages::Style::Numbered { first: 1u32 }),
                quote!(crate::pages::At::Number(n) => builder.#setter(n),),
                "its `page_number` pages, counted from 1",
            ),
            Style::Page => (
                quote!(crate::pages::Style::Numbered { first: 0u32 }),
                quote!(crate::pages::At::Number(n) => builder.#setter(n),),
                "its `page` pages, counted from 0",
            ),
            Style::Cursor => (
                quote!(crate::pages::Style::Cursor),
                quote!(crate::pages::At::Token(t) => builder.#setter(t),),
                "the `paging_state_token` each page gives for the next",
            ),
        };
        let pages_doc = format!(
            "Every page of the answer, from the first to the last ({first}), as a stream: \
             each page is fetched when the one before has been taken, so the stream holds one \
             page at a time. The page size is this builder's `size` when it has one; a page \
             this builder was set to is not used. An error is the stream's last item. Generated from the spec's \
             `x-pagination` (`codegen/pages.rs`)."
        );
        let items_doc = format!(
            "Every item of every page (each page's `{}`), in order, as a stream: see \
             [`Self::pages`]. An error is the stream's last item.",
            mark.items
        );
        let methods: syn::ItemImpl = syn::parse2(quote! {
            impl X {
                #[doc = #pages_doc]
                pub fn pages(self) -> impl futures_core::Stream<Item = #output> + 'a {
                    crate::pages::pages(
                        #style,
                        move |at| {
                            let builder = self.clone();
                            async move {
                                let builder = match at {
                                    #place
                                    _ => builder,
                                };
                                builder.send().await
                            }
                        },
                        |page: &#page_type| crate::pages::Seen {
                            items: page.#items_ident.len(),
                            next_number: #next_number,
                            total_pages: #total_pages,
                            next_token: #next_token,
                        },
                    )
                }

                #[doc = #items_doc]
                pub fn items(self) -> impl futures_core::Stream<Item = Result<#item_type, #error>> + 'a {
                    crate::pages::items(self.pages(), |page: #page_type| page.#items_ident)
                }
            }
        })
        .map_err(|e| fail(&format!("made code that does not parse for {id}: {e}")))?;
        block.items.extend(methods.items);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extra: &str, params: &str) -> OpenAPI {
        let text = format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    get:
      operationId: list_things
      {extra}
      parameters: [{params}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  content: {{type: array, items: {{type: string}}}}
                  total_pages: {{type: integer}}
"#
        );
        serde_yaml_ng::from_str(&text).expect("a spec")
    }

    const PAGED: &str = "{name: page, in: query, schema: {type: integer}}, {name: size, in: query, schema: {type: integer}}";

    #[test]
    fn a_paged_operation_without_its_mark_is_refused() {
        let (at, message) = check(&spec("", PAGED)).expect_err("unmarked");
        assert_eq!(at, "/paths/~1things/get");
        assert!(message.contains("paging parameter `page`"), "{message}");
    }

    #[test]
    fn a_mark_is_held_to_the_operation() {
        let marks = check(&spec("x-pagination: {style: page, items: content}", PAGED))
            .expect("a good mark");
        assert_eq!(
            marks,
            [Pagination {
                operation: "list_things".into(),
                style: Style::Page,
                items: "content".into()
            }]
        );
        for (mark, at, says) in [
            (
                "{style: pages, items: content}",
                "/style",
                "needs a `style`",
            ),
            ("{style: page}", "/items", "needs `items`"),
            (
                "{style: page, items: movements}",
                "/items",
                "no array property `movements`",
            ),
            (
                "{style: page, items: total_pages}",
                "/items",
                "no array property `total_pages`",
            ),
            (
                "{style: cursor, items: content}",
                "",
                "no query parameter `paging_state_token`",
            ),
        ] {
            let (pointer, message) =
                check(&spec(&format!("x-pagination: {mark}"), PAGED)).expect_err(mark);
            assert_eq!(
                pointer,
                format!("/paths/~1things/get/x-pagination{at}"),
                "{mark}"
            );
            assert!(message.contains(says), "{mark}: {message}");
        }
        // Without a page size, the server's default.
        check(&spec(
            "x-pagination: {style: page, items: content}",
            "{name: page, in: query, schema: {type: integer}}",
        ))
        .expect("no size");
    }
}
