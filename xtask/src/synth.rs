//! Synthetic inputs of any size, for benchmarks and tests, made from the
//! project's own spec and captured pages so that they stay realistic.
//!
//! [`spec`] (api-diff's input): operation `i` is the create-client operation at
//! `/management/clients{i}` with `operationId: create_client{i}` and its own
//! copies of the request and response schemas (`CreateClientRequest{i}`,
//! `Client{i}`, …); the schemas every operation shares in the real spec
//! (`ApiError`, `Timestamp`, …) stay shared.
//!
//! [`docs_spec`], [`docs_page`] and [`docs_nav`] (docs-diff's input): the same,
//! made from the create-individual-client operation and its captured MDX page,
//! the page with the most to read (required fields, an `address` object
//! nested through `<Expandable>`, prose-named nested response fields, a
//! `201 Created` and a `400 Bad Request` example); the schemas an operation's
//! request body and success responses reach are copied per operation, those
//! its error responses reach stay shared. The navigation lists every page
//! under one anchor, as the vendor's lists its products' pages.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Schemas copied per operation; every other schema is shared.
const PER_OPERATION: &[&str] = &["CreateClientRequest", "Address", "Document", "Client"];

/// The project's spec, as text.
pub fn base_spec() -> &'static str {
    include_str!("../../openapi/cryptomate.yaml")
}

/// A spec of `n` operations (at least one), as YAML.
pub fn spec(n: usize) -> String {
    let base: Value = serde_yaml_ng::from_str(base_spec()).expect("the project's spec is YAML");
    let mut spec = base.clone();
    let operation = base["paths"]["/management/clients"].clone();
    let schemas = base["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();

    let mut paths = Map::new();
    let mut out_schemas: Map<String, Value> = schemas
        .iter()
        .filter(|(name, _)| !PER_OPERATION.contains(&name.as_str()))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    for i in 0..n.max(1) {
        let suffix = suffix(i);
        let mut item = operation.clone();
        rename_refs(&mut item, &suffix);
        item["post"]["operationId"] = Value::String(format!("create_client{suffix}"));
        paths.insert(format!("/management/clients{suffix}"), item);
        for name in PER_OPERATION {
            let mut schema = schemas[*name].clone();
            rename_refs(&mut schema, &suffix);
            out_schemas.insert(format!("{name}{suffix}"), schema);
        }
    }
    spec["paths"] = Value::Object(paths);
    spec["components"]["schemas"] = Value::Object(out_schemas);
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

/// The path of the operation the inputs repeat.
pub const DOCS_PATH: &str = "/management/clients/individuals";
/// Its method, lower case.
pub const DOCS_METHOD: &str = "post";

/// The project's captured page of the docs-diff operation, as text.
pub fn docs_base_page() -> &'static str {
    include_str!(
        "../../openapi/vendor/api-reference/management/individual-clients/create-client.mdx"
    )
}

/// A spec of `n` operations (at least one), as YAML.
///
/// # Panics
///
/// When the project's spec has no operation `post /management/clients/individuals`:
/// the inputs are made from it.
pub fn docs_spec(n: usize) -> String {
    let base: Value = serde_yaml_ng::from_str(base_spec()).expect("the project's spec is YAML");
    let mut spec = base.clone();
    let operation = base["paths"][DOCS_PATH].clone();
    assert!(
        operation[DOCS_METHOD].is_object(),
        "the project's spec has the operation {DOCS_METHOD} {DOCS_PATH}"
    );
    let schemas = base["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let per_operation = per_operation(&operation[DOCS_METHOD], &schemas);
    let operation_id = operation[DOCS_METHOD]["operationId"]
        .as_str()
        .unwrap_or("operation")
        .to_string();

    let mut paths = Map::new();
    let mut out_schemas: Map<String, Value> = schemas
        .iter()
        .filter(|(name, _)| !per_operation.contains(name.as_str()))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    for i in 0..n.max(1) {
        let suffix = suffix(i);
        // Only the repeated operation: the path item's other methods would be
        // operations no synthetic page documents.
        let mut item = Map::new();
        let mut op = operation[DOCS_METHOD].clone();
        rename_refs_in(&mut op, &suffix, &per_operation);
        op["operationId"] = Value::String(format!("{operation_id}{suffix}"));
        item.insert(DOCS_METHOD.to_string(), op);
        paths.insert(format!("{DOCS_PATH}{suffix}"), Value::Object(item));
        for name in &per_operation {
            let mut schema = schemas[name.as_str()].clone();
            rename_refs_in(&mut schema, &suffix, &per_operation);
            out_schemas.insert(format!("{name}{suffix}"), schema);
        }
    }
    spec["paths"] = Value::Object(paths);
    spec["components"]["schemas"] = Value::Object(out_schemas);
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

/// Page `i` of the set that documents [`docs_spec`]`(n)` for any `n > i`: its
/// `api:` line and its cURL example's URL name operation `i`'s path.
pub fn docs_page(i: usize) -> String {
    let suffix = suffix(i);
    docs_base_page().replace(&format!("{DOCS_PATH}\""), &format!("{DOCS_PATH}{suffix}\""))
}

/// The path of page `i` in the synthetic capture folder.
pub fn docs_page_path(i: usize) -> String {
    format!("api-reference/synth/create-client{}.mdx", suffix(i))
}

/// The navigation (`docs.json`) of `n` synthetic pages: one anchor, one group.
pub fn docs_nav(n: usize) -> String {
    let pages: Vec<Value> = (0..n.max(1))
        .map(|i| Value::String(docs_page_path(i).trim_end_matches(".mdx").to_string()))
        .collect();
    let nav = serde_json::json!({
        "name": "Synthetic",
        "navigation": { "tabs": [{ "tab": "API reference", "anchors": [{
            "anchor": "Management",
            "pages": [{ "group": "Individual Clients", "pages": pages }],
        }]}]},
    });
    serde_json::to_string_pretty(&nav).expect("JSON values serialize")
}

/// The schemas an operation's request body and success responses reach, less
/// those its other responses reach (shared, as error bodies are).
fn per_operation(operation: &Value, schemas: &Map<String, Value>) -> BTreeSet<String> {
    let mut own = BTreeSet::new();
    reach(&operation["requestBody"], schemas, &mut own);
    let mut shared = BTreeSet::new();
    for (status, response) in operation["responses"].as_object().into_iter().flatten() {
        if status.starts_with('2') {
            reach(response, schemas, &mut own);
        } else {
            reach(response, schemas, &mut shared);
        }
    }
    own.difference(&shared).cloned().collect()
}

fn reach(value: &Value, schemas: &Map<String, Value>, out: &mut BTreeSet<String>) {
    crate::reach_schemas(value, &|name| schemas.get(name), out);
}

/// Operation 0 keeps the real names, so that a spec of one operation is the
/// project's own.
fn suffix(i: usize) -> String {
    if i == 0 { String::new() } else { i.to_string() }
}

fn rename_refs(value: &mut Value, suffix: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child
                        && let Some(name) = reference.strip_prefix("#/components/schemas/")
                        && PER_OPERATION.contains(&name)
                    {
                        *reference = format!("#/components/schemas/{name}{suffix}");
                    }
                } else {
                    rename_refs(child, suffix);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, suffix)),
        _ => {}
    }
}

/// [`rename_refs`] for the schemas of a set rather than [`PER_OPERATION`].
fn rename_refs_in(value: &mut Value, suffix: &str, per_operation: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child
                        && let Some(name) = reference.strip_prefix("#/components/schemas/")
                        && per_operation.contains(name)
                    {
                        *reference = format!("#/components/schemas/{name}{suffix}");
                    }
                } else {
                    rename_refs_in(child, suffix, per_operation);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rename_refs_in(v, suffix, per_operation)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_of_n_operations_generates() {
        let text = spec(3);
        let parsed: Value = serde_yaml_ng::from_str(&text).expect("YAML");
        assert_eq!(parsed["paths"].as_object().map(Map::len), Some(3));
        assert!(parsed["components"]["schemas"]["Client2"].is_object());
        let item = &parsed["paths"]["/management/clients2"]["post"];
        assert_eq!(item["operationId"], "create_client2");
        assert_eq!(
            item["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Client2"
        );
        crate::codegen::generate_from_str(std::path::Path::new("synth.yaml"), &text)
            .expect("the synthetic spec generates a client");
    }

    #[test]
    fn a_docs_spec_of_n_operations_generates() {
        let text = docs_spec(3);
        let parsed: Value = serde_yaml_ng::from_str(&text).expect("YAML");
        assert_eq!(parsed["paths"].as_object().map(Map::len), Some(3));
        let item = &parsed["paths"][format!("{DOCS_PATH}2")][DOCS_METHOD];
        assert!(
            item["operationId"]
                .as_str()
                .is_some_and(|id| id.ends_with('2')),
            "{item}"
        );
        let reference = item["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_default();
        assert!(reference.ends_with('2'), "{reference}");
        crate::codegen::generate_from_str(std::path::Path::new("synth.yaml"), &text)
            .expect("the synthetic spec generates a client");
    }

    #[test]
    fn docs_page_i_documents_operation_i() {
        let page = docs_page(7);
        assert!(page.contains("api: \"POST /management/clients/individuals7\""));
        assert!(page.contains("https://api.cryptomate.me/management/clients/individuals7\""));
        assert_eq!(docs_page(0), docs_base_page());
        let nav = vendor_pages::Navigation::parse(&docs_nav(3)).expect("a docs.json");
        assert_eq!(nav.pages.len(), 3);
        assert_eq!(nav.pages[2].file(), docs_page_path(2));
    }
}
