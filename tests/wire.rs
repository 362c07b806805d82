//! What goes over the wire, against a real HTTP server on 127.0.0.1.

// These tests hold the deprecated `create_client` to its page: it stays
// until the vendor removes it.
#![allow(
    deprecated,
    reason = "the deprecated create_client is held to its page until the vendor removes it"
)]

mod common;

use common::{assert_same_json, documented_request, documented_response};
use cryptomate::types::{self, Address, CreateClientRequest};
use cryptomate::{ApiKey, Client, ClientStatus, Error, ResponseValue, Sensitive};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-key-3f9a";

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// A server on 127.0.0.1 that answers every POST with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// Sends the documented request to `server`.
async fn create(server: &MockServer) -> Result<ResponseValue<types::Client>, Error> {
    client_for(server)
        .create_client()
        .body(documented_body())
        .send()
        .await
}

/// The curl example's request, built with the typed builder as a caller would.
fn documented_body() -> CreateClientRequest {
    CreateClientRequest::builder()
        .phone_country_code(1)
        .phone_number(4_155_551_234_i64)
        .username("johndoe123".to_string())
        .first_name("John".to_string())
        .last_name("Doe".to_string())
        .email("john.doe@example.com".to_string())
        .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1990, 5, 15))
        .otp(true)
        .sms(true)
        .address(Address {
            street_line_1: Some("123 Main Street".into()),
            city: Some("San Francisco".into()),
            postal_code: Some("94102".into()),
            state: Some("USA-CA".into()),
            country: Some("USA".into()),
            ..Default::default()
        })
        .individual_identification(Sensitive::from("123-45-6789"))
        .individual_identification_type("SSN".to_string())
        .try_into()
        .expect("a complete body")
}

#[tokio::test]
async fn the_curl_example_goes_over_the_wire_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/management/clients"))
        .respond_with(ResponseTemplate::new(201).set_body_json(documented_response()))
        .expect(1)
        .mount(&server)
        .await;

    let created = client_for(&server)
        .create_client()
        .body(documented_body())
        .send()
        .await
        .expect("created");
    assert_eq!(created.status(), 201);
    assert_eq!(created.status, Some(ClientStatus::Pending));

    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/management/clients");
    assert_eq!(request.url.query(), None);
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    };
    assert_eq!(header("x-api-key"), Some(KEY));
    assert_eq!(header("content-type"), Some("application/json"));
    assert_eq!(
        header("api-version"),
        None,
        "no header beyond the documented ones"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_same_json(&body, &documented_request());
}

#[tokio::test]
async fn a_caller_supplied_http_client_still_sends_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_response()))
        .mount(&server)
        .await;
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(format!("{}/", server.uri()))
        .http_client(reqwest::Client::new())
        .build()
        .expect("client");
    client
        .create_client()
        .body(CreateClientRequest::default())
        .send()
        .await
        .expect("created");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests[0].url.path(), "/management/clients");
    assert_eq!(
        requests[0].headers.get("x-api-key").map(|v| v.as_bytes()),
        Some(KEY.as_bytes())
    );
}

#[tokio::test]
async fn the_documented_response_decodes_over_http() {
    let server = answering(ResponseTemplate::new(200).set_body_json(documented_response())).await;
    let created = create(&server).await.expect("created").into_inner();
    assert_same_json(
        &serde_json::to_value(&created).expect("encodes"),
        &documented_response(),
    );
}

/// Each documented error status, with the body shape the vendor sends for it.
fn documented_errors() -> Vec<(u16, Value)> {
    let usual = |code: &str, message: &str| json!({"code": code, "message": message, "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"});
    vec![
        (400, usual("INVALID_REQUEST", "Invalid request")),
        (401, usual("UNAUTHORIZED", "API key not authorized")),
        (404, usual("NOT_FOUND", "Resource not found")),
        (412, usual("DUPLICATE_CLIENT", "Duplicate Client")),
        (
            429,
            json!({"error_code": "TOO_MANY_REQUESTS", "message": "Rate limit exceeded. Retry after 4 seconds"}),
        ),
        (500, usual("INTERNAL_ERROR", "Server error")),
    ]
}

#[tokio::test]
async fn every_documented_error_decodes_into_the_typed_error() {
    for (status, body) in documented_errors() {
        let mut response = ResponseTemplate::new(status).set_body_json(&body);
        if status == 429 {
            response = response.insert_header("Retry-After", "4");
        }
        let server = answering(response).await;
        let err = create(&server).await.expect_err("an error status");
        assert!(matches!(err, Error::ErrorResponse(_)), "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let expected_code = body["code"].as_str().or(body["error_code"].as_str());
        assert_eq!(err.code(), expected_code, "{status}");
        let api_error = err.api_error().expect("a decoded body");
        assert_eq!(api_error.message.as_deref(), body["message"].as_str());
        if status == 429 {
            assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(4)));
            assert_eq!(err.trace_id(), None);
        } else {
            assert_eq!(err.trace_id(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
            assert_eq!(err.retry_after(), None);
        }
    }
}

#[tokio::test]
async fn the_trace_id_header_of_older_api_versions_is_reachable() {
    let server = answering(
        ResponseTemplate::new(412)
            .insert_header("X-Trace-Id", "trace-from-header")
            .set_body_json(json!({"code": "SCREENING_FAILED", "message": "Screening Failed"})),
    )
    .await;
    let err = create(&server).await.expect_err("412");
    assert_eq!(err.trace_id(), Some("trace-from-header"));
    assert_eq!(err.code(), Some("SCREENING_FAILED"));
}

#[tokio::test]
async fn neither_the_key_nor_personal_data_is_printed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"code": "UNAUTHORIZED", "message": "API key not authorized"}),
            ),
        )
        .mount(&server)
        .await;
    let client = client_for(&server);
    let body = documented_body();
    let builder = client.create_client().body(body.clone());
    let err = builder.send().await.expect_err("401");
    let printed = [
        format!("{client:?}"),
        format!("{body:?}"),
        format!("{body:#?}"),
        format!("{:?}", client.create_client().body(body.clone())),
        format!("{err}"),
        format!("{err:?}"),
        format!("{:?}", Client::builder(ApiKey::new(KEY).expect("key"))),
    ];
    for text in &printed {
        assert!(!text.contains(KEY), "the key leaks in {text}");
        assert!(!text.contains("123-45-6789"), "the SSN leaks in {text}");
    }
    assert!(
        printed[1].contains("Sensitive(<redacted>)"),
        "{}",
        printed[1]
    );
    // Redaction is only of printing: the wire carries the value.
    let sent = serde_json::to_value(&body).expect("encodes");
    assert_eq!(sent["individual_identification"], "123-45-6789");
}
