//! Every captured API page (`openapi/vendor/`, the vendor's MDX) whose
//! operation the spec has, held to the client over real HTTP on 127.0.0.1: the
//! page's cURL example goes over the wire as the page writes it (method, path
//! with the example's ids, headers, JSON body), and every response example of
//! the page decodes through the types under its status, losing nothing.
//!
//! The pages are read, not copied: a new capture is what these tests hold the
//! client to. `cargo xtask docs-diff` compares the spec with the same pages
//! field by field; these tests prove the generated client agrees on the wire.
//! The one place that knows the operations is [`call`]; it is meant to be
//! replaced by a dispatcher generated from the spec, so that this test does not
//! grow with it.

// The deprecated `create_client` has a page too, and stays until the vendor
// removes it.
#![allow(deprecated, reason = "the deprecated create_client has a page too")]

mod common;

use common::assert_same_json;
use common::page::{Page, spec_pages};
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

fn body<T: serde::de::DeserializeOwned>(page: &Page) -> T {
    let request = page
        .request
        .clone()
        .unwrap_or_else(|| panic!("{}: the curl example has a body", page.file));
    serde_json::from_value(request).unwrap_or_else(|e| {
        panic!(
            "{}: the curl body decodes as the request type: {e}",
            page.file
        )
    })
}

fn path_value(page: &Page, name: &str) -> String {
    page.path_values()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{}: the curl URL gives {name}", page.file))
}

/// Calls the operation a page documents with the values of its cURL example,
/// and returns the decoded success body serialized back to JSON (`null` for an
/// operation without a body). The one function of this file that names
/// operations.
async fn call(client: &Client, page: &Page) -> Result<Value, Error> {
    fn json<T: serde::Serialize>(value: T) -> Value {
        serde_json::to_value(value).expect("a decoded body serializes")
    }
    let id = || path_value(page, "id");
    let client_id = || path_value(page, "clientId");
    let request_id = || path_value(page, "productRequestId");
    let individuals = "/management/clients/individuals";
    let path = page.path.as_str();
    Ok(match (page.method.as_str(), path) {
        ("POST", "/management/clients") => json(
            client
                .create_client()
                .body(body::<cryptomate::types::CreateClientRequest>(page))
                .send()
                .await?
                .into_inner(),
        ),
        ("POST", p) if p == individuals => json(
            client
                .create_individual_client()
                .body(body::<cryptomate::types::IndividualClientRequest>(page))
                .send()
                .await?
                .into_inner(),
        ),
        ("GET", p) if p == individuals => {
            json(client.list_individual_clients().send().await?.into_inner())
        }
        ("GET", "/management/clients/individuals/{id}") => json(
            client
                .get_individual_client()
                .id(id())
                .send()
                .await?
                .into_inner(),
        ),
        ("PUT", "/management/clients/individuals/{id}") => json(
            client
                .update_individual_client()
                .id(id())
                .body(body::<cryptomate::types::IndividualClientRequest>(page))
                .send()
                .await?
                .into_inner(),
        ),
        ("DELETE", "/management/clients/individuals/{id}") => {
            // A deletion has no body: `ResponseValue<()>`.
            let () = client
                .delete_individual_client()
                .id(id())
                .send()
                .await?
                .into_inner();
            Value::Null
        }
        ("GET", "/management/clients/individuals/countries") => {
            json(client.get_supported_countries().send().await?.into_inner())
        }
        ("GET", "/management/clients/individuals/identifications/{countryCode}") => json(
            client
                .get_identifications_by_country()
                .country_code(path_value(page, "countryCode"))
                .send()
                .await?
                .into_inner(),
        ),
        ("GET", "/management/clients/individuals/{clientId}/products") => json(
            client
                .list_client_products()
                .client_id(client_id())
                .send()
                .await?
                .into_inner(),
        ),
        ("POST", "/management/clients/individuals/{clientId}/products") => json(
            client
                .request_product_enablement()
                .client_id(client_id())
                .body(body::<cryptomate::types::ProductEnablementRequest>(page))
                .send()
                .await?
                .into_inner(),
        ),
        (
            "POST",
            "/management/clients/individuals/{clientId}/products/{productRequestId}/documentation",
        ) => json(
            client
                .complete_product_documentation()
                .client_id(client_id())
                .product_request_id(request_id())
                .body(body::<cryptomate::types::ProductDocumentationRequest>(page))
                .send()
                .await?
                .into_inner(),
        ),
        (
            "POST",
            "/management/clients/individuals/{clientId}/products/{productRequestId}/submit",
        ) => json(
            client
                .submit_product_enablement()
                .client_id(client_id())
                .product_request_id(request_id())
                .send()
                .await?
                .into_inner(),
        ),
        (method, path) => panic!(
            "{}: {method} {path} has no call in tests/pages.rs: add the operation the page documents",
            page.file
        ),
    })
}

/// The status a page's success answer has: its first 2xx example, or the
/// status its prose gives (delete: `204 No Content`).
fn success_status(page: &Page) -> u16 {
    page.tabs
        .iter()
        .map(|t| t.status)
        .find(|s| (200..300).contains(s))
        .unwrap_or_else(|| {
            let prose = page
                .section("Response")
                .map(|s| s.prose.join(" "))
                .unwrap_or_default();
            assert!(
                prose.contains("204 No Content"),
                "{}: no success status",
                page.file
            );
            204
        })
}

fn success_body(page: &Page) -> Option<Value> {
    page.tabs
        .iter()
        .find(|t| (200..300).contains(&t.status))
        .and_then(|t| t.body.clone())
}

/// `value` without the object keys whose value is `[]`, at every depth.
fn without_empty_arrays(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), without_empty_arrays(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty_arrays).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn there_is_a_page_for_every_operation_of_the_spec() {
    let pages = spec_pages();
    let spec = common::spec();
    let mut documented: Vec<String> = pages
        .iter()
        .map(|p| format!("{} {}", p.method, p.path))
        .collect();
    documented.sort();
    let mut specified: Vec<String> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|m| ["get", "put", "post", "delete", "patch"].contains(&m.as_str()))
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    specified.sort();
    assert_eq!(documented, specified);
    assert_eq!(
        pages.len(),
        12,
        "11 Individual Clients pages and the deprecated create-client"
    );
}

#[tokio::test]
async fn every_curl_example_goes_over_the_wire_as_documented() {
    for page in spec_pages() {
        let server = MockServer::start().await;
        let status = success_status(&page);
        let mut answer = ResponseTemplate::new(status);
        if let Some(body) = success_body(&page) {
            answer = answer.set_body_json(body);
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
        assert_eq!(request.url.query(), None, "{}: no query", page.file);
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
                // optional array is a `Vec` that serializes as absent when
                // empty, so `[]` on the page reads the same as no key; an
                // empty example is no body, `()` here.
                let body = tab.body.clone().unwrap_or(Value::Null);
                assert_same_json(&decoded, &without_empty_arrays(&body));
            } else {
                let error = result.expect_err(&what);
                assert_eq!(
                    error.status().map(|s| s.as_u16()),
                    Some(tab.status),
                    "{what}"
                );
                let api = error
                    .api_error()
                    .unwrap_or_else(|| panic!("{what}: a documented error status: {error:?}"));
                let body = tab.body.clone().unwrap_or(Value::Null);
                assert_eq!(error.code(), body["code"].as_str(), "{what}");
                assert_eq!(api.message.as_deref(), body["message"].as_str(), "{what}");
            }
        }
    }
    // 12 pages; the create-client page alone has six tabs.
    assert!(tabs >= 25, "only {tabs} tabs read");
}
