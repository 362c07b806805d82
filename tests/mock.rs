//! The local mock of the API (`cryptomate::mock`): what it accepts, what it
//! answers, what it records, and that every answer is one the spec allows.

mod common;

use common::{documented_request, spec};
use cryptomate::mock::{MockError, MockServer, Reply, TEST_API_KEY, check_against_spec};
use cryptomate::types::{self, CreateClientRequest};
use cryptomate::{ClientStatus, ClientType};
use serde_json::{Value, json};

/// Sends a raw request to the mock and returns status, headers and JSON body,
/// after checking the answer against the spec's response for that status.
async fn raw(
    mock: &MockServer,
    key: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/management/clients", mock.uri()))
        .body(body.to_string());
    if let Some(key) = key {
        request = request.header("X-API-KEY", key);
    }
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body: Value = response.json().await.expect("the mock answers JSON");
    assert_conforms(status, &headers, &body);
    (status, headers, body)
}

/// The spec declares `status` for the operation, and the body validates
/// against the schema it declares; a 429 carries its required `Retry-After`.
fn assert_conforms(status: u16, headers: &reqwest::header::HeaderMap, body: &Value) {
    let spec = spec();
    let response = spec
        .pointer(&format!(
            "/paths/~1management~1clients/post/responses/{status}"
        ))
        .unwrap_or_else(|| panic!("the spec declares no {status} response"));
    let reference = response
        .pointer("/content/application~1json/schema/$ref")
        .and_then(Value::as_str)
        .expect("a JSON body schema");
    let name = reference.rsplit('/').next().expect("a schema name");
    if let Err(problems) = check_against_spec(name, body) {
        panic!("the mock's {status} body breaks the spec's {name}: {problems:?}\n{body}");
    }
    if let Some(required) = response.get("headers").and_then(Value::as_object) {
        for (header, definition) in required {
            if definition["required"] == true {
                assert!(
                    headers.contains_key(header.as_str()),
                    "{status} lacks {header}"
                );
            }
        }
    }
}

async fn assert_bad_request(
    mock: &MockServer,
    key: Option<&str>,
    content_type: Option<&str>,
    body: &str,
    status: u16,
    says: &[&str],
) {
    let (got, _, answer) = raw(mock, key, content_type, body).await;
    assert_eq!(got, status, "{answer}");
    let message = answer["message"].as_str().expect("a message");
    for words in says {
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }
    assert!(
        answer["code"].is_string() && answer["trace_id"].is_string(),
        "{answer}"
    );
    // The mock is unharmed: the documented request still succeeds.
    let (next, _, created) = raw(
        mock,
        Some(TEST_API_KEY),
        Some("application/json"),
        &documented_request().to_string(),
    )
    .await;
    assert_eq!(next, 201, "after {body:?}: {created}");
}

#[tokio::test]
async fn the_documented_request_creates_a_client_from_its_fields() {
    let mock = MockServer::start().await;
    let request: CreateClientRequest =
        serde_json::from_value(documented_request()).expect("decodes");
    let created = mock
        .client()
        .create_client()
        .body(request)
        .send()
        .await
        .expect("created");
    assert_eq!(created.status(), 201);
    let client = created.into_inner();
    assert!(client.id.starts_with("client_"), "{}", client.id);
    assert_eq!(client.id.len(), "client_".len() + 36);
    assert!(
        client
            .company_id
            .as_deref()
            .is_some_and(|c| c.starts_with("comp_"))
    );
    assert_eq!(client.type_, Some(ClientType::Individual));
    assert_eq!(client.status, Some(ClientStatus::Pending));
    assert_eq!(client.first_name.as_deref(), Some("John"));
    assert_eq!(client.last_name.as_deref(), Some("Doe"));
    assert_eq!(client.email.as_deref(), Some("john.doe@example.com"));
    assert_eq!(client.phone_country_code, Some(1));
    assert_eq!(client.phone_number, Some(4_155_551_234));
    let created_at = client.created_at.expect("a timestamp");
    // Shaped like the vendor's example: UTC without an offset.
    assert_eq!(created_at.as_str().len(), "2026-04-15T10:30:00".len());
    let age = cryptomate::chrono::Utc::now() - created_at.utc();
    assert!(age.num_seconds().abs() < 60, "{created_at:?}");

    // Two clients get two ids.
    let second = mock
        .client()
        .create_client()
        .body(CreateClientRequest::default())
        .send()
        .await
        .expect("created");
    assert_ne!(second.id, client.id);
}

#[tokio::test]
async fn the_default_answer_conforms_to_the_spec() {
    let mock = MockServer::start().await;
    let (status, _, body) = raw(
        &mock,
        Some(TEST_API_KEY),
        Some("application/json"),
        &documented_request().to_string(),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(body["first_name"], "John");
}

#[tokio::test]
async fn a_canned_client_answers_the_next_request_only() {
    let mock = MockServer::start().await;
    let canned: types::Client =
        serde_json::from_value(common::documented_response()).expect("decodes");
    mock.enqueue(Reply::Created(canned.clone()));
    let client = mock.client();
    let first = client
        .create_client()
        .body(CreateClientRequest::default())
        .send()
        .await
        .expect("ok");
    assert_eq!(first.into_inner(), canned);
    let second = client
        .create_client()
        .body(CreateClientRequest::default())
        .send()
        .await
        .expect("ok");
    assert_ne!(second.id, canned.id);
}

#[tokio::test]
async fn every_documented_error_can_be_queued_and_conforms() {
    let cases = [
        (
            MockError::InvalidRequest("Bad phone number".into()),
            400,
            "BAD_REQUEST",
        ),
        (MockError::Unauthorized, 401, "UNAUTHORIZED"),
        (MockError::NotFound, 404, "NOT_FOUND"),
        (MockError::DuplicateClient, 412, "DUPLICATE_CLIENT"),
        (MockError::AddressInvalid, 412, "ADDRESS_INVALID"),
        (MockError::ScreeningFailed, 412, "SCREENING_FAILED"),
        (MockError::ScreeningReview, 412, "SCREENING_REVIEW"),
        (MockError::BridgeError, 412, "BRIDGE_ERROR"),
        (
            MockError::RateLimited { retry_after: 4 },
            429,
            "TOO_MANY_REQUESTS",
        ),
        (MockError::ServerError, 500, "INTERNAL_ERROR"),
    ];
    let mock = MockServer::start().await;
    for (error, status, code) in cases {
        // Through raw HTTP: the answer conforms to the spec.
        mock.enqueue(Reply::Error(error.clone()));
        let (got, headers, body) =
            raw(&mock, Some(TEST_API_KEY), Some("application/json"), "{}").await;
        assert_eq!(got, status, "{error:?}");
        if status == 429 {
            assert_eq!(headers["retry-after"], "4");
            assert_eq!(
                body,
                json!({"error_code": code, "message": "Rate limit exceeded. Retry after 4 seconds"})
            );
        } else {
            assert_eq!(body["code"], code);
        }
        // Through the client: the typed error carries it.
        mock.enqueue(Reply::Error(error.clone()));
        let err = mock
            .client()
            .create_client()
            .body(CreateClientRequest::default())
            .send()
            .await
            .expect_err("an error");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.trace_id().is_some(), status != 429);
    }
}

#[tokio::test]
async fn bad_input_gets_the_vendors_error_naming_the_problem() {
    let mock = MockServer::start().await;
    let json = Some("application/json");
    let key = Some(TEST_API_KEY);
    let documented = documented_request();
    let with = |field: &str, value: Value| {
        let mut body = documented.clone();
        body[field] = value;
        body.to_string()
    };

    assert_bad_request(
        &mock,
        None,
        json,
        &documented.to_string(),
        401,
        &["not authorized"],
    )
    .await;
    assert_bad_request(
        &mock,
        Some(""),
        json,
        &documented.to_string(),
        401,
        &["not authorized"],
    )
    .await;
    assert_bad_request(
        &mock,
        key,
        Some("text/plain"),
        &documented.to_string(),
        400,
        &["Content-Type", "text/plain"],
    )
    .await;
    assert_bad_request(
        &mock,
        key,
        None,
        &documented.to_string(),
        400,
        &["Content-Type"],
    )
    .await;
    assert_bad_request(
        &mock,
        key,
        json,
        "{\"first_name\": ",
        400,
        &["not valid JSON", "line 1"],
    )
    .await;
    assert_bad_request(&mock, key, json, "", 400, &["empty"]).await;
    assert_bad_request(
        &mock,
        key,
        json,
        &with("phone_number", json!("4155551234")),
        400,
        &["/phone_number", "integer"],
    )
    .await;
    assert_bad_request(
        &mock,
        key,
        json,
        &with("nickname", json!("JD")),
        400,
        &["nickname"],
    )
    .await;
    assert_bad_request(
        &mock,
        key,
        json,
        &with("birth_date", json!("15/05/1990")),
        400,
        &["/birth_date", "date"],
    )
    .await;
    assert_bad_request(&mock, key, json, "[1, 2]", 400, &["/", "object"]).await;
    let mut nested = documented.clone();
    nested["address"]["zip"] = json!("94102");
    assert_bad_request(
        &mock,
        key,
        json,
        &nested.to_string(),
        400,
        &["/address", "zip"],
    )
    .await;
}

#[tokio::test]
async fn a_required_key_is_enforced() {
    let mock = MockServer::start().await;
    mock.require_api_key("the-right-key");
    let (status, _, body) = raw(&mock, Some(TEST_API_KEY), Some("application/json"), "{}").await;
    assert_eq!((status, body["code"].as_str()), (401, Some("UNAUTHORIZED")));
    let (status, _, _) = raw(&mock, Some("the-right-key"), Some("application/json"), "{}").await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn other_paths_and_methods_get_vendor_errors() {
    let mock = MockServer::start().await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/management/cards", mock.uri()))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["code"], "NOT_FOUND");
    let response = http
        .get(format!("{}/management/clients", mock.uri()))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.expect("JSON");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("GET")),
        "{body}"
    );
}

#[tokio::test]
async fn every_request_is_recorded_and_the_key_is_hidden_from_debug() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let request: CreateClientRequest =
        serde_json::from_value(documented_request()).expect("decodes");
    client
        .create_client()
        .body(request)
        .send()
        .await
        .expect("ok");
    raw(&mock, None, Some("text/plain"), "hello").await;
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(recorded[0].path, "/management/clients");
    assert_eq!(recorded[0].header("x-api-key"), Some(TEST_API_KEY));
    assert_eq!(recorded[0].json(), Some(documented_request()));
    assert_eq!(recorded[1].header("x-api-key"), None);
    assert_eq!(recorded[1].body, b"hello");
    let debug = format!("{recorded:?}");
    assert!(!debug.contains(TEST_API_KEY), "{debug}");
    assert!(!debug.contains("123-45-6789"), "{debug}");
}

#[test]
fn check_against_spec_names_unknown_schemas_and_paths() {
    assert_eq!(
        check_against_spec("Nope", &json!({})),
        Err(vec!["the spec has no schema Nope".to_string()])
    );
    let problems = check_against_spec("Client", &json!({"id": 7})).expect_err("bad");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("/id: "), "{problems:?}");
}
