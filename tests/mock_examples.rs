//! Every operation of the crate's spec, sent as its page's example to a
//! freshly started mock: the path with the parameters' examples (the page's
//! curl values), the documented body, an idempotency key where one is
//! required. Each answers a success status the operation declares, with a
//! body that validates against the spec and decodes through the crate's
//! types. The examples are the spec's, which `cargo xtask docs-diff` holds
//! equal to the pages', so the mock depends on the spec alone.

mod common;

use common::examples::{first_example as example, resolve};
use cryptomate::mock::{MockServer, TEST_API_KEY};
use serde_json::Value;

/// Decodes `body` as the crate's type of the schema `name`; `None` when the
/// table below does not name it.
fn decode(name: &str, body: &Value) -> Option<Result<(), String>> {
    macro_rules! types {
        ($($ty:ident),* $(,)?) => {
            match name {
                $(stringify!($ty) => Some(
                    serde_json::from_value::<cryptomate::types::$ty>(body.clone())
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                ),)*
                _ => None,
            }
        };
    }
    // Every schema a success answer of the spec names: the test fails on a
    // new one until it is added here.
    types![
        Client,
        IdentificationType,
        IndividualClient,
        ProductRequest,
        ProductRequestResult,
        SupportedCountries,
    ]
}

/// Decodes a success body through the crate's types, by its schema: a
/// `$ref`, or an array of them.
fn decodes(spec: &Value, operation: &str, schema: &Value, body: &Value) {
    let (name, values) = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => (reference, vec![body.clone()]),
        None => {
            let items = resolve(spec, schema)
                .pointer("/items/$ref")
                .and_then(Value::as_str)
                .unwrap_or_else(|| {
                    panic!("{operation}: a success schema is a $ref or an array of them")
                });
            (items, body.as_array().cloned().unwrap_or_default())
        }
    };
    let name = name.rsplit('/').next().unwrap_or_default();
    for value in values {
        match decode(name, &value) {
            Some(Ok(())) => {}
            Some(Err(e)) => panic!("{operation}: the answer does not decode as {name}: {e}"),
            None => panic!("{operation}: add the schema {name} to the table of decode()"),
        }
    }
}

#[tokio::test]
async fn every_documented_example_works_against_a_fresh_mock() {
    let spec = common::spec();
    let http = reqwest::Client::new();
    let mut sent = 0;
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut path = template.clone();
            let mut headers: Vec<(String, String)> = Vec::new();
            let mut query: Vec<(String, String)> = Vec::new();
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let param = resolve(&spec, param);
                let name = param["name"].as_str().expect("a name");
                let value = param.get("example").map(|e| match e {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                match (param["in"].as_str(), value) {
                    (Some("path"), Some(value)) => {
                        path = path.replace(&format!("{{{name}}}"), &value);
                    }
                    (Some("path"), None) => panic!(
                        "{id}: the path parameter {name} has no example (the page's curl value)"
                    ),
                    (Some("header"), Some(value)) => headers.push((name.into(), value)),
                    (Some("query"), Some(value)) => query.push((name.into(), value)),
                    _ => {}
                }
            }
            let body = operation
                .pointer("/requestBody/content/application~1json")
                .map(|media| {
                    example(&spec, media)
                        .unwrap_or_else(|| panic!("{id}: the request body has an example"))
                });
            // A fresh mock for each: no example sees another's change.
            let mock = MockServer::start().await;
            let mut request = http
                .request(
                    method.to_uppercase().parse().expect("a method"),
                    format!("{}{path}", mock.uri()),
                )
                .query(&query)
                .header("x-api-key", TEST_API_KEY);
            for (name, value) in &headers {
                request = request.header(name, value);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.expect("the mock answers");
            let status = response.status().as_u16();
            let names: Vec<String> = response.headers().keys().map(|k| k.to_string()).collect();
            let bytes = response.bytes().await.expect("a body");
            let answer: Option<Value> =
                (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).expect("JSON"));
            assert!(
                (200..300).contains(&status),
                "{id}: {method} {path} answered {status}: {answer:?}"
            );
            if let Err(problems) = mock.check_answer(id, status, &names, answer.as_ref()) {
                panic!("{id}: the answer breaks the spec: {problems:?}");
            }
            let declared = resolve(&spec, &operation["responses"][status.to_string()]);
            if let (Some(schema), Some(answer)) = (
                declared.pointer("/content/application~1json/schema"),
                &answer,
            ) {
                decodes(&spec, id, schema, answer);
            }
            sent += 1;
        }
    }
    assert_eq!(sent, cryptomate::mock::operation_ids().len());
}
