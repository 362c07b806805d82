//! Every captured API page (`openapi/vendor/`, the vendor's MDX) whose
//! operation the spec has, held to the client over real HTTP on 127.0.0.1: the
//! page's cURL example goes over the wire as the page writes it (method, path
//! with the example's ids, query, headers, JSON body), and every response
//! example of the page decodes through the types under its status, losing
//! nothing.
//!
//! The pages are read, not copied: a new capture is what these tests hold the
//! client to. `cargo xtask docs-diff` compares the spec with the same pages
//! field by field; these tests prove the generated client agrees on the wire.
//! Nothing here names an operation: each page's example is sent through the
//! dispatcher generated from the spec (`cryptomate::dynamic`), which calls the
//! operation's generated builder with the example's values, so a new
//! operation with its page is tested with no line added here.

mod common;

use common::assert_same_json;
use common::page::{Page, spec_pages};
use cryptomate::dynamic::{Answer, Arguments, OPERATIONS, Operation};
use cryptomate::{ApiKey, Client, Error};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-key-pages-71c2";

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// The operation a page documents: its method and path and, where two
/// versions share the path (DECISIONS.md D21), the one whose fixed headers
/// (`X-API-Version: 2`) the cURL example sends, else the one without.
fn operation_of(page: &Page) -> &'static Operation {
    let sends = |name: &str, value: &str| {
        page.headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v == value)
    };
    let mut matching: Vec<(usize, &'static Operation)> = OPERATIONS
        .iter()
        .filter(|o| o.method == page.method && o.wire_path() == page.path)
        .filter_map(|o| {
            let fixed: Vec<_> = o
                .parameters
                .iter()
                .filter_map(|p| Some((p.name, p.fixed?)))
                .collect();
            fixed
                .iter()
                .all(|(name, value)| sends(name, value))
                .then_some((fixed.len(), o))
        })
        .collect();
    matching.sort_by_key(|(fixed, _)| std::cmp::Reverse(*fixed));
    match matching.as_slice() {
        [(_, one)] => one,
        [(most, one), (next, _), ..] if most > next => one,
        [] => panic!(
            "{}: the spec has no operation {} {}",
            page.file, page.method, page.path
        ),
        _ => panic!(
            "{}: several operations of the spec are {} {} with the headers the page sends",
            page.file, page.method, page.path
        ),
    }
}

/// The query of the page's cURL URL, as (name, value) pairs, sorted.
fn page_query(page: &Page) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(&page.url)
        .unwrap_or_else(|e| panic!("{}: the cURL URL parses: {e}", page.file));
    sorted_pairs(&url)
}

fn sorted_pairs(url: &reqwest::Url) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// The arguments of a page's cURL example: the path's values, the query, the
/// headers that are parameters of the operation, all as their text on the
/// wire, and the JSON body.
fn arguments(page: &Page, operation: &Operation) -> Arguments {
    let mut arguments = Arguments::new();
    for (name, value) in page.path_values() {
        arguments = arguments.text(name, value);
    }
    for (name, value) in page_query(page) {
        arguments = arguments.text(name, value);
    }
    for (name, value) in &page.headers {
        if let Some(parameter) = operation.parameter(name) {
            arguments = arguments.text(parameter.name, value.as_str());
        }
    }
    if let Some(body) = &page.request {
        arguments = arguments.body(body.clone());
    }
    arguments
}

/// Calls the operation a page documents with the values of its cURL example,
/// through its generated builder, and returns the decoded success body
/// serialized back to JSON (`null` for an operation without a body).
async fn call(client: &Client, page: &Page) -> Result<Value, Error> {
    let operation = operation_of(page);
    let answer = client
        .call_operation(operation.id, arguments(page, operation))
        .await?
        .into_inner();
    Ok(match answer {
        Answer::Json(value) => value,
        Answer::Empty => Value::Null,
        // A binary body (a receipt's PDF) has no JSON form: its size stands
        // for it.
        Answer::Bytes(bytes) => Value::from(bytes.len()),
        other => panic!(
            "{}: a JSON, binary or empty answer, not {other:?}",
            page.file
        ),
    })
}

/// The status a page's success answer has: its first 2xx example (a `text`
/// one, a PDF's placeholder, included), or the status its prose gives
/// (delete: `204 No Content`; "Returns an empty `201 Created` response"), or,
/// where the page shows no success at all (Delete and Re-enable company,
/// D-MG4 in `openapi/DECISIONS.md`), the first the spec declares.
fn success_status(page: &Page) -> u16 {
    page.mdx
        .response_examples
        .iter()
        .filter_map(|b| b.status)
        .find(|s| (200..300).contains(s))
        .unwrap_or_else(|| {
            let prose = page
                .section("Response")
                .map(|s| s.prose.join(" "))
                .unwrap_or_default();
            if let Some(status) = prose
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|w| w.parse::<u16>().ok())
                .find(|s| (200..300).contains(s))
            {
                return status;
            }
            assert!(
                page.section("Response").is_none(),
                "{}: a Response section that names no success status",
                page.file
            );
            let spec = common::spec();
            let responses = spec["paths"][&page.path][page.method.to_lowercase()]["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            responses
                .keys()
                .filter_map(|s| s.parse::<u16>().ok())
                .filter(|s| (200..300).contains(s))
                .min()
                .unwrap_or_else(|| panic!("{}: no success status", page.file))
        })
}

/// Whether a page's success example is a `text` block: a binary body such as
/// a PDF, which the spec declares with its media type.
fn binary_success(page: &Page) -> bool {
    page.mdx.response_examples.iter().any(|b| {
        b.status.is_some_and(|s| (200..300).contains(&s))
            && matches!(b.content, vendor_pages::mdx::Content::Text)
    })
}

fn success_body(page: &Page) -> Option<Value> {
    page.tabs
        .iter()
        .find(|t| (200..300).contains(&t.status))
        .and_then(|t| t.body.clone())
}

/// `value` without the object keys whose value is `[]`, `{}` or `null`, at
/// every depth: what the types write back for an empty optional array (a
/// `Vec`), an empty optional free-form object (a `Map`) and an optional field
/// that is `null` (an `Option`, `None`).
fn without_empty_arrays(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            // Children first, so that an object left empty goes too.
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .filter(|(_, v)| v.as_object().is_none_or(|o| !o.is_empty()))
                .map(|(k, v)| (k.clone(), without_empty_arrays(v)))
                .filter(|(_, v)| {
                    !v.is_null()
                        && v.as_array().is_none_or(|a| !a.is_empty())
                        && v.as_object().is_none_or(|o| !o.is_empty())
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty_arrays).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn there_is_a_page_for_every_operation_of_the_spec() {
    let pages = spec_pages();
    let mut documented: Vec<&str> = pages.iter().map(|p| operation_of(p).id).collect();
    documented.sort_unstable();
    let mut specified: Vec<&str> = OPERATIONS.iter().map(|o| o.id).collect();
    specified.sort_unstable();
    assert_eq!(documented, specified);
    // The dispatcher's table is the spec's operations, path and method.
    let spec = common::spec();
    for operation in OPERATIONS {
        let at = &spec["paths"][operation.path][operation.method.to_lowercase()];
        assert_eq!(at["operationId"], operation.id, "{}", operation.path);
    }
    let in_spec: usize = spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("a path item").values())
        .filter(|o| o.get("operationId").is_some())
        .count();
    assert_eq!(OPERATIONS.len(), in_spec);
    // One page per operation, so the pages are at least today's: the 11
    // Individual Clients pages and the deprecated create-client.
    assert!(pages.len() >= 12, "only {} pages read", pages.len());
}

#[tokio::test]
async fn every_curl_example_goes_over_the_wire_as_documented() {
    for page in spec_pages() {
        let server = MockServer::start().await;
        let status = success_status(&page);
        let mut answer = ResponseTemplate::new(status);
        if let Some(body) = success_body(&page) {
            answer = answer.set_body_json(body);
        } else if binary_success(&page) {
            answer = answer.set_body_raw(&b"%PDF-1.4\n%%EOF\n"[..], "application/pdf");
        }
        Mock::given(any()).respond_with(answer).mount(&server).await;
        call(&client_for(&server), &page)
            .await
            .unwrap_or_else(|e| panic!("{}: the documented call succeeds: {e}", page.file));

        let received = server.received_requests().await.expect("recording");
        assert_eq!(received.len(), 1, "{}: one request", page.file);
        let request = &received[0];
        assert_eq!(request.method.as_str(), page.method, "{}", page.file);
        assert_eq!(
            request.url.path(),
            page.url_path(),
            "{}: the path",
            page.file
        );
        let query = page_query(&page);
        assert_eq!(
            sorted_pairs(&request.url),
            query,
            "{}: the query",
            page.file
        );
        if query.is_empty() {
            assert_eq!(request.url.query(), None, "{}: no query", page.file);
        }
        for (name, value) in &page.headers {
            let sent = request
                .headers
                .get(name.as_str())
                .unwrap_or_else(|| panic!("{}: the {name} header is sent", page.file));
            if value.starts_with('$') {
                // The key of the caller's environment: here, the test key.
                assert_eq!(sent, KEY, "{}: {name}", page.file);
            } else {
                assert_eq!(sent, value.as_str(), "{}: {name}", page.file);
            }
        }
        match &page.request {
            Some(expected) => {
                let sent: Value = serde_json::from_slice(&request.body)
                    .unwrap_or_else(|e| panic!("{}: the body is JSON: {e}", page.file));
                assert_same_json(&sent, expected);
            }
            None => {
                assert!(request.body.is_empty(), "{}: no body", page.file);
                assert!(
                    request.headers.get("content-type").is_none(),
                    "{}: no content type without a body",
                    page.file
                );
            }
        }
    }
}

#[tokio::test]
async fn every_example_tab_decodes_under_its_status() {
    let mut tabs = 0;
    for page in spec_pages() {
        for tab in &page.tabs {
            tabs += 1;
            let server = MockServer::start().await;
            let mut answer = ResponseTemplate::new(tab.status);
            if let Some(body) = &tab.body {
                answer = answer.set_body_json(body);
            }
            Mock::given(any()).respond_with(answer).mount(&server).await;
            let what = format!("{} {}", page.file, tab.label);
            let result = call(&client_for(&server), &page).await;
            if (200..300).contains(&tab.status) {
                let decoded = result.unwrap_or_else(|e| panic!("{what}: decodes: {e}"));
                // Serialized back, the decoded body is the page's: no field
                // is lost or changed on the way through the types. An
                // optional array (a free-form object) is a `Vec` (a `Map`)
                // that serializes as absent when empty, so `[]` (`{}`) on the
                // page reads the same as no key, and so does an optional
                // field's `null` (`None`, a nullable `memo`); an empty example
                // is no body, `()` here.
                let body = tab.body.clone().unwrap_or(Value::Null);
                assert_same_json(
                    &without_empty_arrays(&decoded),
                    &without_empty_arrays(&body),
                );
            } else {
                let error = result.expect_err(&what);
                assert_eq!(
                    error.status().map(|s| s.as_u16()),
                    Some(tab.status),
                    "{what}"
                );
                if tab.body.is_none() {
                    // An error tab without a body (the risk score fuse's
                    // 404, D-C6): the status is the answer; the spec's one
                    // error schema has nothing to decode.
                    assert!(
                        matches!(
                            &error,
                            Error::InvalidResponse {
                                problem: cryptomate::DecodeProblem::Empty,
                                ..
                            }
                        ),
                        "{what}: {error:?}"
                    );
                    continue;
                }
                let api = error
                    .api_error()
                    .unwrap_or_else(|| panic!("{what}: a documented error status: {error:?}"));
                let body = tab.body.clone().unwrap_or(Value::Null);
                assert_eq!(error.code(), body["code"].as_str(), "{what}");
                assert_eq!(api.message.as_deref(), body["message"].as_str(), "{what}");
            }
        }
    }
    // 12 pages at least; the create-client page alone has six tabs.
    assert!(tabs >= 25, "only {tabs} tabs read");
}
