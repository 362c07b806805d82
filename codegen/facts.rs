//! What the generator needs to know of the spec besides what progenitor reads:
//! the products and each operation's product, deprecation, request body and
//! header parameters. The rewrites check progenitor's output against these
//! facts, so that a rewrite that matches fewer sites than the spec has fails.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

/// A product of the vendor's API: a tag of the spec, a cargo feature of the
/// crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// The tag's name, which is the feature's.
    pub name: String,
    /// The name the vendor's navigation gives it (the tag's `x-displayName`,
    /// or its name).
    pub title: String,
    /// The tag's description.
    pub description: Option<String>,
}

/// An operation, as the rewrites need to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Its `operationId`, which is the name of its method.
    pub id: String,
    /// Its product: its one tag when that is a product.
    pub product: Option<String>,
    /// The note of its method's `#[deprecated]`, when the spec deprecates it.
    pub deprecated: Option<String>,
    /// Whether it takes a request body.
    pub body: bool,
    /// The names of its header parameters (its own and its path's).
    pub headers: Vec<String>,
    /// Whether one of its responses has a JSON body.
    pub json_response: bool,
    /// Whether it has a `default` response, which leaves progenitor no
    /// undocumented status to report.
    pub default_response: bool,
}

/// The facts of a spec, operations in the order progenitor generates them.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The products, in the order of the spec's `tags`.
    pub products: Vec<Product>,
    /// The operations with an id, in the order of the paths and methods.
    pub operations: Vec<Operation>,
    /// The open enums and checked ids the generator writes (`spec_types.rs`).
    pub spec_types: super::spec_types::SpecTypes,
    /// The operations that get a fresh idempotency key, with the Rust name of
    /// its header parameter (`rewrite/idempotency.rs`).
    pub idempotency_keys: BTreeMap<String, String>,
}

impl Facts {
    /// Reads the facts of a spec (checked or not: an operation without an id
    /// is skipped, one without a product tag has no product).
    pub fn of(spec: &OpenAPI) -> Facts {
        let products: Vec<Product> = spec
            .tags
            .iter()
            .map(|tag| Product {
                name: tag.name.clone(),
                title: tag
                    .extensions
                    .get("x-displayName")
                    .and_then(|v| v.as_str())
                    .unwrap_or(&tag.name)
                    .to_string(),
                description: tag.description.clone(),
            })
            .collect();
        let mut operations = Vec::new();
        for (_, item) in spec.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (_, operation) in item.iter() {
                let Some(id) = &operation.operation_id else {
                    continue;
                };
                let product = match operation.tags.as_slice() {
                    [tag] if products.iter().any(|p| &p.name == tag) => Some(tag.clone()),
                    _ => None,
                };
                let deprecated = operation.deprecated.then(|| {
                    match operation
                        .extensions
                        .get("x-replaced-by")
                        .and_then(|v| v.as_str())
                    {
                        Some(replacement) => format!(
                            "the vendor deprecated this endpoint; use `Client::{replacement}` instead"
                        ),
                        None => "the vendor deprecated this endpoint".to_string(),
                    }
                });
                let headers = item
                    .parameters
                    .iter()
                    .chain(&operation.parameters)
                    .filter_map(|p| parameter(spec, p))
                    .filter_map(|p| match p {
                        Parameter::Header { parameter_data, .. } => {
                            Some(parameter_data.name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                let responses: Vec<&openapiv3::Response> = operation
                    .responses
                    .responses
                    .values()
                    .chain(&operation.responses.default)
                    .filter_map(|r| response(spec, r))
                    .collect();
                operations.push(Operation {
                    id: id.clone(),
                    product,
                    deprecated,
                    body: operation.request_body.is_some(),
                    headers,
                    json_response: responses.iter().any(|r| {
                        r.content
                            .keys()
                            .any(|media| media.starts_with("application/json"))
                    }),
                    default_response: operation.responses.default.is_some(),
                });
            }
        }
        Facts {
            products,
            operations,
            spec_types: super::spec_types::SpecTypes::of(spec),
            idempotency_keys: super::rewrite::idempotency::keys(spec),
        }
    }

    /// Each operation's product, by operation id, for the operations that
    /// have one.
    pub fn products_by_operation(&self) -> BTreeMap<String, String> {
        self.operations
            .iter()
            .filter_map(|o| Some((o.id.clone(), o.product.clone()?)))
            .collect()
    }

    /// The products' names, in the spec's order.
    pub fn product_names(&self) -> Vec<String> {
        self.products.iter().map(|p| p.name.clone()).collect()
    }
}

/// The operations the spec marks `deprecated: true`, with the note their
/// method's `#[deprecated]` carries: the operation named by the operation's
/// `x-replaced-by` extension, when it has one.
#[allow(
    dead_code,
    reason = "build.rs marks deprecations through `rewrite::deprecated`; api-diff reads this list"
)]
pub fn deprecations(spec: &OpenAPI) -> Vec<(String, String)> {
    Facts::of(spec)
        .operations
        .into_iter()
        .filter_map(|o| Some((o.id, o.deprecated?)))
        .collect()
}

fn parameter<'a>(spec: &'a OpenAPI, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| spec.components.as_ref()?.parameters.get(name))
            .and_then(|p| p.as_item()),
    }
}

fn response<'a>(
    spec: &'a OpenAPI,
    r: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| spec.components.as_ref()?.responses.get(name))
            .and_then(|r| r.as_item()),
    }
}
