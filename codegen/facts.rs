//! What the generator needs to know of the spec besides what progenitor reads:
//! the products and each operation's product, deprecation, method and path,
//! request body, parameters and kind of answer. The rewrites and the
//! dispatcher check progenitor's output against these facts, so that one that
//! matches fewer sites than the spec has fails.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

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
    /// Its method, upper case (`GET`).
    pub method: String,
    /// Its key under `paths`, which may end in a fragment naming a version
    /// of the path (`/cards/transactions/{cardId}/search#v2`, D21).
    pub path: String,
    /// Its parameters (its own and its path item's, an operation's own
    /// replacing its path item's of the same name, as progenitor does), in
    /// the spec's order.
    pub parameters: Vec<Parameter>,
    /// Whether a success response has a body that is not JSON (a PDF), which
    /// progenitor hands over as an unbounded stream.
    pub raw_response: bool,
    /// The 3xx statuses it documents, which progenitor reads as neither
    /// success nor error (`rewrite::redirects` makes them errors).
    pub redirects: Vec<u16>,
}

impl Operation {
    /// The path sent on the wire: the key under `paths` without a fragment.
    pub fn wire_path(&self) -> &str {
        self.path.split('#').next().unwrap_or(&self.path)
    }
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Its name in the spec (`cardId`, `X-API-Version`).
    pub name: String,
    /// Where it is sent.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// Whether the spec marks it `deprecated: true`.
    pub deprecated: bool,
    /// The one value a required header parameter's schema allows
    /// (`enum: ['2']`): the builder sends it without the caller (D21).
    pub fixed: Option<String>,
}

/// The facts of a spec, operations in the order progenitor generates them.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The products, in the order of the spec's `tags`.
    pub products: Vec<Product>,
    /// The operations with an id, in the order of the paths and methods.
    pub operations: Vec<Operation>,
    /// What the spec says of the webhooks the vendor sends (`x-webhook`).
    pub webhooks: Webhooks,
    /// The open enums and checked ids the generator writes (`spec_types.rs`).
    pub spec_types: super::spec_types::SpecTypes,
    /// The operations that get a fresh idempotency key, with the Rust name of
    /// its header parameter (`rewrite/idempotency.rs`).
    pub idempotency_keys: BTreeMap<String, String>,
}

/// The webhooks of a spec: the schemas marked `x-webhook` (the envelope,
/// the reply and each event's `data`), and the events, each with its
/// product, type and the schema of its `data` (D-W1 in
/// `openapi/DECISIONS.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Webhooks {
    /// The names of the schemas marked `x-webhook`, whose types need the
    /// `webhooks` feature.
    pub schemas: std::collections::BTreeSet<String>,
    /// The events, in the spec's order.
    pub events: Vec<WebhookEvent>,
}

/// One event of the vendor's webhooks page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// The envelope's `product` (`cards`).
    pub product: String,
    /// The envelope's `event_type` (`authorization`).
    pub event_type: String,
    /// The schema of its `data`.
    pub schema: String,
    /// The `data` fields that, with the envelope's `operation_id`, tell one
    /// occurrence of the event from another (`dedup`, D-W5).
    pub dedup: Vec<String>,
}

impl Webhooks {
    /// The Rust names of the types that need the `webhooks` feature: the
    /// schemas' (typify's names), and `WebhookData`, which `webhooks.rs`
    /// generates when there are events.
    pub fn type_names(&self) -> std::collections::BTreeSet<String> {
        use heck::ToUpperCamelCase as _;
        let mut names: std::collections::BTreeSet<String> = self
            .schemas
            .iter()
            .map(|s| s.to_upper_camel_case())
            .collect();
        if !self.events.is_empty() {
            names.insert("WebhookData".to_string());
        }
        names
    }

    /// Reads the `x-webhook` extensions of the spec's schemas; an entry that
    /// is not an object with `product` and `event_type` strings is skipped
    /// here and refused by `check::webhooks`.
    pub fn of(spec: &OpenAPI) -> Webhooks {
        let mut out = Webhooks::default();
        let Some(components) = &spec.components else {
            return out;
        };
        for (name, schema) in &components.schemas {
            let Some(schema) = schema.as_item() else {
                continue;
            };
            let Some(webhook) = schema.schema_data.extensions.get("x-webhook") else {
                continue;
            };
            out.schemas.insert(name.clone());
            for event in webhook
                .get("events")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
            {
                if let (Some(product), Some(event_type)) = (
                    event.get("product").and_then(|v| v.as_str()),
                    event.get("event_type").and_then(|v| v.as_str()),
                ) {
                    out.events.push(WebhookEvent {
                        product: product.to_string(),
                        event_type: event_type.to_string(),
                        schema: name.clone(),
                        dedup: event
                            .get("dedup")
                            .and_then(|d| d.as_array())
                            .into_iter()
                            .flatten()
                            .filter_map(|f| f.as_str().map(str::to_string))
                            .collect(),
                    });
                }
            }
        }
        out
    }
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
        for (path, item) in spec.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (method, operation) in item.iter() {
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
                        None => "the vendor deprecated this endpoint and names no replacement".to_string(),
                    }
                });
                let headers = parameter_names(spec, item, operation, |p| {
                    matches!(p, openapiv3::Parameter::Header { .. })
                });
                let mut parameters: Vec<Parameter> = Vec::new();
                for p in item.parameters.iter().chain(&operation.parameters) {
                    let Some(p) = parameter(spec, p).and_then(|p| Parameter::of(spec, p)) else {
                        continue;
                    };
                    match parameters.iter_mut().find(|q| q.name == p.name) {
                        Some(same) => *same = p,
                        None => parameters.push(p),
                    }
                }
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
                    json_response: responses
                        .iter()
                        .any(|r| r.content.keys().any(|media| is_json(media))),
                    default_response: operation.responses.default.is_some(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    parameters,
                    raw_response: operation
                        .responses
                        .responses
                        .iter()
                        .filter(|(status, _)| status.to_string().starts_with('2'))
                        .filter_map(|(_, r)| response(spec, r))
                        .any(|r| !r.content.is_empty() && !r.content.keys().any(|m| is_json(m))),
                    redirects: operation
                        .responses
                        .responses
                        .keys()
                        .filter_map(|status| match status {
                            openapiv3::StatusCode::Code(code) if (300..400).contains(code) => {
                                Some(*code)
                            }
                            _ => None,
                        })
                        .collect(),
                });
            }
        }
        Facts {
            products,
            operations,
            webhooks: Webhooks::of(spec),
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

impl Parameter {
    /// The facts of a parameter of the spec (`None`: a cookie, which
    /// progenitor refuses).
    fn of(spec: &OpenAPI, p: &openapiv3::Parameter) -> Option<Parameter> {
        let (data, location) = match p {
            openapiv3::Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path),
            openapiv3::Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
            openapiv3::Parameter::Header { parameter_data, .. } => {
                (parameter_data, Location::Header)
            }
            openapiv3::Parameter::Cookie { .. } => return None,
        };
        let fixed = match (&data.format, location, data.required) {
            (openapiv3::ParameterSchemaOrContent::Schema(schema), Location::Header, true) => {
                match &schema_of(spec, schema)?.schema_kind {
                    openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) => {
                        match s.enumeration.as_slice() {
                            [Some(one)] => Some(one.clone()),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        Some(Parameter {
            name: data.name.clone(),
            location,
            required: data.required,
            deprecated: data.deprecated == Some(true),
            fixed,
        })
    }
}

/// Whether a media type is JSON, as progenitor tells them apart.
fn is_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

pub(super) fn schema_of<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<openapiv3::Schema>,
) -> Option<&'a openapiv3::Schema> {
    match schema {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| spec.components.as_ref()?.schemas.get(name))
            .and_then(|s| schema_of(spec, s)),
    }
}

/// The names of the parameters of `operation` (its own and its path item's)
/// for which `keep` gives `true`.
pub(super) fn parameter_names(
    spec: &OpenAPI,
    item: &openapiv3::PathItem,
    operation: &openapiv3::Operation,
    keep: fn(&openapiv3::Parameter) -> bool,
) -> Vec<String> {
    item.parameters
        .iter()
        .chain(&operation.parameters)
        .filter_map(|p| parameter(spec, p))
        .filter(|p| keep(p))
        .map(|p| p.parameter_data_ref().name.clone())
        .collect()
}

pub(super) fn parameter<'a>(
    spec: &'a OpenAPI,
    p: &'a ReferenceOr<openapiv3::Parameter>,
) -> Option<&'a openapiv3::Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| spec.components.as_ref()?.parameters.get(name))
            .and_then(|p| p.as_item()),
    }
}

pub(super) fn response<'a>(
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
