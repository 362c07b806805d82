//! Every operation of the crate's spec, sent as its page's example to a
//! freshly started mock: the path with the parameters' examples (the page's
//! curl values), the documented body, an idempotency key where one is
//! required. Each answers a success status the operation declares, with a
//! body that validates against the spec and decodes through the crate's
//! types: the same example, sent to another fresh mock through the
//! dispatcher generated from the spec (`cryptomate::dynamic`), comes back
//! with the same status, decoded into the operation's type, and serialized
//! back it still validates. The examples are the spec's, which `cargo xtask
//! docs-diff` holds equal to the pages', so the mock depends on the spec
//! alone; nothing here names an operation or a type.

mod common;

use common::examples::{first_example as example, resolve};
use cryptomate::dynamic::{Answer, Arguments};
use cryptomate::mock::{MockServer, TEST_API_KEY};
use serde_json::Value;

/// Whether `status` is, for `operation`, a documented answer to its example
/// on a fresh mock although not a success: the operation's success has no
/// body, and `status` has an example of its own, which the answer must then
/// be ([`error_examples`]). So are the webhook
/// simulations (D-W7): they act on a card's transactions, which no example
/// creates, and their pages' examples are exactly those errors.
fn answers_a_documented_error(spec: &Value, operation: &Value, status: u16) -> bool {
    let Some(responses) = operation["responses"].as_object() else {
        return false;
    };
    let bare_success = responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .all(|(_, r)| resolve(spec, r).get("content").is_none());
    let documented = responses.get(&status.to_string()).is_some_and(|r| {
        resolve(spec, r)
            .pointer("/content/application~1json")
            .is_some_and(|media| media.get("examples").is_some() || media.get("example").is_some())
    });
    bare_success && documented
}

/// The examples `operation` documents for `status`, without their
/// `trace_id` (one per request, which the mock makes fresh).
fn error_examples(spec: &Value, operation: &Value, status: u16) -> Vec<Value> {
    let Some(media) = operation["responses"]
        .get(status.to_string())
        .and_then(|r| resolve(spec, r).pointer("/content/application~1json"))
    else {
        return Vec::new();
    };
    let mut examples: Vec<Value> = media.get("example").cloned().into_iter().collect();
    for named in media["examples"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, e)| e)
    {
        examples.extend(resolve(spec, named).get("value").cloned());
    }
    examples.iter().map(without_trace_id).collect()
}

fn without_trace_id(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(fields) = value.as_object_mut() {
        fields.remove("trace_id");
    }
    value
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
            let mut arguments = Arguments::new();
            let mut headers: Vec<(String, String)> = Vec::new();
            let mut query: Vec<(String, String)> = Vec::new();
            for param in operation["parameters"].as_array().into_iter().flatten() {
                let param = resolve(&spec, param);
                let name = param["name"].as_str().expect("a name");
                if let Some(example) = param.get("example") {
                    arguments = arguments.parameter(name, example.clone());
                }
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
                    // An array is the parameter repeated (OpenAPI's form style,
                    // exploded, the default of a query parameter).
                    (Some("query"), Some(_)) if param["example"].is_array() => {
                        for item in param["example"].as_array().into_iter().flatten() {
                            let item = item
                                .as_str()
                                .map_or_else(|| item.to_string(), str::to_string);
                            query.push((name.into(), item));
                        }
                    }
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
            // A body of another media type (a receipt's PDF) is checked by
            // `check_answer` through its declared media type, not as JSON.
            let json = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_none_or(|v| v.starts_with("application/json"));
            let bytes = response.bytes().await.expect("a body");
            let answer: Option<Value> =
                (json && !bytes.is_empty()).then(|| serde_json::from_slice(&bytes).expect("JSON"));
            assert!(
                json || !bytes.is_empty(),
                "{id}: a binary answer has a body"
            );
            let documented_error = !(200..300).contains(&status)
                && answers_a_documented_error(&spec, operation, status);
            assert!(
                (200..300).contains(&status) || documented_error,
                "{id}: {method} {path} answered {status}: {answer:?}"
            );
            if let Err(problems) = mock.check_answer(id, status, &names, answer.as_ref()) {
                panic!("{id}: the answer breaks the spec: {problems:?}");
            }
            if documented_error {
                // Not any error the operation documents: the one its page
                // shows for that status, word for word.
                let examples = error_examples(&spec, operation, status);
                let got = answer.as_ref().map(without_trace_id);
                assert!(
                    got.as_ref().is_some_and(|got| examples.contains(got)),
                    "{id}: answered {status} {got:?}, which is none of the page's {examples:?}"
                );
                // Through the generated client: the same documented error.
                if let Some(body) = &body {
                    arguments = arguments.body(body.clone());
                }
                let error = MockServer::start()
                    .await
                    .client()
                    .call_operation(id, arguments)
                    .await
                    .err()
                    .unwrap_or_else(|| panic!("{id}: the generated client's call fails"));
                assert_eq!(
                    error.status().map(|s| s.as_u16()),
                    Some(status),
                    "{id}: the same status"
                );
                sent += 1;
                continue;
            }
            // The same call through the generated client, to a fresh mock.
            if let Some(body) = &body {
                arguments = arguments.body(body.clone());
            }
            let typed = MockServer::start()
                .await
                .client()
                .call_operation(id, arguments)
                .await
                .unwrap_or_else(|e| panic!("{id}: the generated client's call succeeds: {e}"));
            assert_eq!(typed.status().as_u16(), status, "{id}: the same status");
            let decoded = match typed.into_inner() {
                Answer::Json(value) => Some(value),
                Answer::Empty => None,
                // The same bytes the mock sent, as received.
                Answer::Bytes(received) if !json => {
                    assert_eq!(&received[..], &bytes[..], "{id}: the binary body");
                    None
                }
                other => panic!("{id}: a JSON, binary or empty answer, not {other:?}"),
            };
            assert_eq!(
                decoded.is_some(),
                answer.is_some(),
                "{id}: a body exactly when the mock sent one"
            );
            if let Err(problems) = mock.check_answer(id, status, &names, decoded.as_ref()) {
                panic!("{id}: the answer, through the types, breaks the spec: {problems:?}");
            }
            sent += 1;
        }
    }
    assert_eq!(sent, cryptomate::mock::operation_ids().len());
}
