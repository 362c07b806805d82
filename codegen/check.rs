//! The checks of the spec before generation, each failing with the JSON
//! pointer of the first problem and one sentence saying what it is:
//! - [`check`]: what progenitor would otherwise reject with a panic or a vague
//!   message (also run by `cargo xtask api-diff`, on any spec);
//! - [`products`]: what this crate asks of its own spec: the `tags` list is the
//!   list of products (cargo features), every operation has exactly one of
//!   them, and its `operationId` is the snake_case name of its method.

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};

use super::pointer::escape_pointer_key;
use super::settings::RESERVED_FEATURES;

/// Checks what progenitor would otherwise reject with a panic or a vague
/// message: the OpenAPI version, operation ids, and one error schema per
/// operation. Returns the JSON pointer of the first problem and what it is.
pub fn check(spec: &OpenAPI) -> Result<(), (String, String)> {
    if !spec.openapi.trim().starts_with("3.0.") {
        return Err((
            "/openapi".into(),
            format!(
                "OpenAPI version {} is not supported: progenitor reads OpenAPI 3.0.x only",
                spec.openapi
            ),
        ));
    }
    for (path, item) in spec.paths.iter() {
        let escaped = escape_pointer_key(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err((
                    format!("/paths/{escaped}"),
                    "a path item given by $ref is not supported".into(),
                ));
            }
        };
        for (method, operation) in item.iter() {
            let at = format!("/paths/{escaped}/{method}");
            if operation.operation_id.is_none() {
                return Err((
                    at,
                    format!(
                        "the operation {} {path} has no operationId",
                        method.to_uppercase()
                    ),
                ));
            }
            let mut error_schema: Option<(String, String)> = None;
            for (status, response) in &operation.responses.responses {
                // A documented 3xx is an error too (`rewrite::redirects`).
                let is_error = match status {
                    StatusCode::Code(code) => *code >= 300,
                    StatusCode::Range(range) => *range >= 3,
                };
                if !is_error {
                    continue;
                }
                let schema = response_schema(spec, response);
                if let Some((first_status, first)) = &error_schema {
                    if *first != schema {
                        return Err((
                            format!("{at}/responses/{status}"),
                            format!(
                                "the error responses of {} use different schemas ({first} for {first_status}, {schema} for {status}); progenitor needs one error schema per operation",
                                operation.operation_id.as_deref().unwrap_or_default()
                            ),
                        ));
                    }
                } else {
                    error_schema = Some((status.to_string(), schema));
                }
            }
        }
    }
    Ok(())
}

/// A printable identity of a response's JSON schema, to compare them.
fn response_schema(spec: &OpenAPI, response: &ReferenceOr<openapiv3::Response>) -> String {
    let response = match response {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| spec.components.as_ref()?.responses.get(name))
            .and_then(|r| r.as_item()),
    };
    let schema = response
        .and_then(|r| r.content.get("application/json"))
        .and_then(|media| media.schema.as_ref());
    match schema {
        None => "no body".into(),
        Some(ReferenceOr::Reference { reference }) => reference.clone(),
        Some(ReferenceOr::Item(item)) => {
            serde_json::to_string(item).unwrap_or_else(|_| "an inline schema".into())
        }
    }
}

/// Checks the spec's products: its `tags` list names the products (each a
/// cargo feature of the crate: lower case letters, digits and `-`, none of the
/// crate's other features), and every operation has exactly one of them and a
/// snake_case `operationId` (its method's name, by which `rewrite::products`
/// finds it). Run after [`check`], which makes sure every operation has an id.
pub fn products(spec: &OpenAPI) -> Result<(), (String, String)> {
    let names: Vec<&str> = spec.tags.iter().map(|t| t.name.as_str()).collect();
    if names.is_empty() {
        return Err((
            "/tags".into(),
            "the spec has no `tags` list: its tags are the crate's products (one cargo feature \
             each), and every operation needs one"
                .into(),
        ));
    }
    for (i, name) in names.iter().enumerate() {
        let at = format!("/tags/{i}/name");
        if !is_feature_name(name) {
            return Err((
                at,
                format!(
                    "the tag `{name}` cannot name a product: it becomes a cargo feature, written \
                     in lower case letters, digits and `-`"
                ),
            ));
        }
        if RESERVED_FEATURES.contains(name) {
            return Err((
                at,
                format!(
                    "the tag `{name}` cannot name a product: `{name}` is a feature of the crate \
                     that is not a product"
                ),
            ));
        }
        if names[..i].contains(name) {
            return Err((at, format!("the tag `{name}` is listed twice")));
        }
    }
    let listed = names.join(", ");
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let at = format!("/paths/{}/{method}", escape_pointer_key(path));
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            if !is_snake_case(id) {
                return Err((
                    format!("{at}/operationId"),
                    format!(
                        "the operationId `{id}` is not snake_case (lower case letters, digits and \
                         `_`): the operation's method is named after it"
                    ),
                ));
            }
            match operation.tags.as_slice() {
                [] => {
                    return Err((
                        at,
                        format!(
                            "the operation {id} has no tag: give it the product it belongs to, \
                             one of the spec's tags ({listed})"
                        ),
                    ));
                }
                [tag] if !names.contains(&tag.as_str()) => {
                    return Err((
                        format!("{at}/tags/0"),
                        format!(
                            "the operation {id} has the tag `{tag}`, which is not a product: \
                             the spec's tags are {listed}"
                        ),
                    ));
                }
                [_] => {}
                tags => {
                    return Err((
                        format!("{at}/tags"),
                        format!(
                            "the operation {id} has {} tags ({}): an operation belongs to \
                             exactly one product",
                            tags.len(),
                            tags.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A cargo feature name this crate accepts for a product.
fn is_feature_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
}

/// A snake_case Rust identifier.
fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks the spec's webhooks (`x-webhook` on a schema, D-W1): each is an
/// object naming its `page`, and either its `role` (`envelope` or `reply`,
/// one schema each) or its `events`, each with a `product` and an
/// `event_type` in snake_case (the generated enum's variant is named after
/// them), no pair twice in the spec. A schema the extension marks must be
/// an object schema, which typify makes a struct of.
pub fn webhooks(spec: &OpenAPI) -> Result<(), (String, String)> {
    let Some(components) = &spec.components else {
        return Ok(());
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut roles: Vec<String> = Vec::new();
    for (name, schema) in &components.schemas {
        let Some(schema) = schema.as_item() else {
            continue;
        };
        let Some(webhook) = schema.schema_data.extensions.get("x-webhook") else {
            continue;
        };
        let at = format!("/components/schemas/{}/x-webhook", escape_pointer_key(name));
        if webhook.get("page").and_then(|p| p.as_str()).is_none() {
            return Err((
                at,
                format!(
                    "the webhook schema {name} names no `page`: the vendor's page it follows, \
                     which docs-diff holds it to"
                ),
            ));
        }
        match (webhook.get("role"), webhook.get("events")) {
            (Some(role), None) => {
                let role = role.as_str().unwrap_or_default();
                if !matches!(role, "envelope" | "reply") {
                    return Err((
                        format!("{at}/role"),
                        format!(
                            "the webhook schema {name} has the role `{role}`: a role is \
                             `envelope` or `reply`"
                        ),
                    ));
                }
                if roles.iter().any(|r| r == role) {
                    return Err((
                        format!("{at}/role"),
                        format!("the webhook schema {name} is a second `{role}`"),
                    ));
                }
                roles.push(role.to_string());
            }
            (None, Some(events)) => {
                let events = events.as_array().filter(|e| !e.is_empty()).ok_or_else(|| {
                    (
                        format!("{at}/events"),
                        format!("the webhook schema {name} has no list of `events`"),
                    )
                })?;
                for (i, event) in events.iter().enumerate() {
                    let at = format!("{at}/events/{i}");
                    let text = |key: &str| {
                        event
                            .get(key)
                            .and_then(|v| v.as_str())
                            .filter(|v| is_snake_case(v))
                            .map(str::to_string)
                            .ok_or_else(|| {
                                (
                                    format!("{at}/{key}"),
                                    format!(
                                        "an event of the webhook schema {name} has no `{key}` in \
                                         snake_case (the generated variant is named after it)"
                                    ),
                                )
                            })
                    };
                    let pair = (text("product")?, text("event_type")?);
                    let properties = match &schema.schema_kind {
                        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => {
                            o.properties.keys().cloned().collect()
                        }
                        _ => Vec::new(),
                    };
                    if let Some(dedup) = event.get("dedup") {
                        let fields = dedup.as_array().map(Vec::as_slice).unwrap_or_default();
                        if fields.is_empty()
                            || fields.iter().any(|f| {
                                !f.as_str()
                                    .is_some_and(|f| properties.iter().any(|p| p == f))
                            })
                        {
                            return Err((
                                format!("{at}/dedup"),
                                format!(
                                    "the `dedup` of the webhook event ({}, {}) is not a list of \
                                     fields of {name}",
                                    pair.0, pair.1
                                ),
                            ));
                        }
                    }
                    if seen.contains(&pair) {
                        return Err((
                            at,
                            format!(
                                "the webhook event ({}, {}) is listed twice: one schema per event",
                                pair.0, pair.1
                            ),
                        ));
                    }
                    seen.push(pair);
                }
            }
            _ => {
                return Err((
                    at,
                    format!(
                        "the webhook schema {name} needs either a `role` (`envelope`, `reply`) \
                         or a list of `events`, not both or neither"
                    ),
                ));
            }
        }
        if !matches!(
            &schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(_))
        ) {
            return Err((
                at,
                format!("the webhook schema {name} is not an object schema"),
            ));
        }
    }
    Ok(())
}

/// Checks that every open set of the spec (`x-extensible-enum`) is a named
/// schema of `components/schemas`: the generator makes an open enum of each
/// named one (`spec_types.rs`), and typify would leave an inline one a plain
/// `String`, so the set's known values would reach no Rust type. Returns the
/// JSON pointer of the first inline one.
pub fn open_sets(spec: &OpenAPI) -> Result<(), (String, String)> {
    let value = serde_json::to_value(spec).map_err(|e| {
        (
            String::new(),
            format!("the spec cannot be read as JSON: {e}"),
        )
    })?;
    let mut found = None;
    inline_open_set(&value, String::new(), 0, &mut found);
    match found {
        None => Ok(()),
        Some(at) => Err((
            at,
            format!(
                "an open set (`{}`) that is not a named schema of components/schemas: the \
                 generator makes an open enum only of a named one, so move it there and refer \
                 to it with $ref",
                super::spec_types::EXTENSIBLE_ENUM
            ),
        )),
    }
}

/// Finds the first `x-extensible-enum` below `value` that is not on a schema
/// of `components/schemas` itself (`depth` counts the keys from the root).
fn inline_open_set(
    value: &serde_json::Value,
    at: String,
    depth: usize,
    found: &mut Option<String>,
) {
    if found.is_some() {
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            let named = depth == 3 && at.starts_with("/components/schemas/");
            if map.contains_key(super::spec_types::EXTENSIBLE_ENUM) && !named {
                *found = Some(at.clone());
                return;
            }
            for (key, child) in map {
                inline_open_set(
                    child,
                    format!("{at}/{}", escape_pointer_key(key)),
                    depth + 1,
                    found,
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                inline_open_set(child, format!("{at}/{i}"), depth + 1, found);
            }
        }
        _ => {}
    }
}
