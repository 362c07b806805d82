//! A local mock of the Cryptomate API, for examples and for the tests of crates
//! that use this one (feature `mock`).
//!
//! [`MockServer`] serves `POST /management/clients` on 127.0.0.1 with an
//! ephemeral port and checks each request as the vendor would: the `X-API-KEY`
//! header, a JSON content type, and a body that validates against the spec's
//! `CreateClientRequest` schema (read from the same `openapi/cryptomate.yaml`
//! the client is generated from). By default it answers `201` with a client
//! made from the request; a test can [`enqueue`](MockServer::enqueue) a canned
//! client or any documented error for the next request instead. It records
//! every request it receives.
//!
//! It is not a simulation of the vendor's business rules (duplicates,
//! screening): those outcomes are what a test enqueues.
//!
//! ```no_run
//! # async fn run() -> Result<(), cryptomate::Error> {
//! use cryptomate::mock::{MockError, MockServer, Reply};
//! use cryptomate::types::CreateClientRequest;
//!
//! let mock = MockServer::start().await;
//! let client = mock.client();
//! let created = client
//!     .create_client()
//!     .body(CreateClientRequest::builder().first_name("Ada".to_string()))
//!     .send()
//!     .await?;
//! assert_eq!(created.first_name.as_deref(), Some("Ada"));
//!
//! mock.enqueue(Reply::Error(MockError::DuplicateClient));
//! let err = client.create_client().body(CreateClientRequest::default()).send().await;
//! assert_eq!(err.unwrap_err().status().map(|s| s.as_u16()), Some(412));
//! assert_eq!(mock.requests().len(), 2);
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use wiremock::{Mock, ResponseTemplate, matchers::any};

use crate::types::{self, CreateClientRequest};
use crate::{ApiKey, Client, ClientStatus, ClientType, Timestamp};

/// The spec the mock validates against: the one the client is generated from.
const SPEC: &str = include_str!("../openapi/cryptomate.yaml");

/// The path of the one operation the mock serves.
pub const CREATE_CLIENT_PATH: &str = "/management/clients";

/// The API key [`MockServer::client`] uses. Any non-empty key is accepted
/// unless [`MockServer::require_api_key`] says otherwise.
pub const TEST_API_KEY: &str = "mock-api-key";

/// What the mock answers to one request, in place of its default.
#[derive(Debug, Clone)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "a handful of replies are queued per test; boxing would only make them harder to write"
)]
pub enum Reply {
    /// `201` with this client as the body.
    Created(types::Client),
    /// A documented error status with a vendor-shaped body.
    Error(MockError),
}

/// The documented errors of `POST /management/clients`.
///
/// The vendor does not publish the `code` strings of its 412 responses; the
/// mock's codes (`DUPLICATE_CLIENT`, …) are its own, and its messages are the
/// vendor's case names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockError {
    /// `400`, with the message given.
    InvalidRequest(String),
    /// `401`: the key is not authorized.
    Unauthorized,
    /// `404`.
    NotFound,
    /// `412 Duplicate Client`.
    DuplicateClient,
    /// `412 Address Invalid`.
    AddressInvalid,
    /// `412 Screening Failed`.
    ScreeningFailed,
    /// `412 Screening Review`.
    ScreeningReview,
    /// `412 Bridge Error`.
    BridgeError,
    /// `429` with `Retry-After` in seconds and the 429 body shape
    /// (`error_code`, `message`).
    RateLimited {
        /// Seconds until the next request is allowed.
        retry_after: u32,
    },
    /// `500`.
    ServerError,
}

impl MockError {
    /// The HTTP status, code and message of this error.
    fn parts(&self) -> (u16, &'static str, String) {
        match self {
            Self::InvalidRequest(message) => (400, "BAD_REQUEST", message.clone()),
            Self::Unauthorized => (401, "UNAUTHORIZED", "API key not authorized".into()),
            Self::NotFound => (404, "NOT_FOUND", "Resource not found".into()),
            Self::DuplicateClient => (412, "DUPLICATE_CLIENT", "Duplicate Client".into()),
            Self::AddressInvalid => (412, "ADDRESS_INVALID", "Address Invalid".into()),
            Self::ScreeningFailed => (412, "SCREENING_FAILED", "Screening Failed".into()),
            Self::ScreeningReview => (412, "SCREENING_REVIEW", "Screening Review".into()),
            Self::BridgeError => (412, "BRIDGE_ERROR", "Bridge Error".into()),
            Self::RateLimited { retry_after } => (
                429,
                "TOO_MANY_REQUESTS",
                format!("Rate limit exceeded. Retry after {retry_after} seconds"),
            ),
            Self::ServerError => (500, "INTERNAL_ERROR", "Internal server error".into()),
        }
    }

    fn response(&self) -> ResponseTemplate {
        let (status, code, message) = self.parts();
        match self {
            Self::RateLimited { retry_after } => ResponseTemplate::new(status)
                .insert_header("Retry-After", retry_after.to_string().as_str())
                .set_body_json(json!({"error_code": code, "message": message})),
            _ => ResponseTemplate::new(status).set_body_json(json!({
                "code": code,
                "message": message,
                "trace_id": uuid::Uuid::new_v4().simple().to_string(),
            })),
        }
    }
}

/// A request the mock received, as it arrived.
#[derive(Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path of the URL.
    pub path: String,
    /// The headers; `X-API-KEY` is marked sensitive, so `Debug` hides it.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold personal data; its size is enough to debug with.
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

#[derive(Default)]
struct State {
    queue: VecDeque<Reply>,
    requests: Vec<RecordedRequest>,
    required_key: Option<String>,
}

/// A mock of the Cryptomate API on 127.0.0.1; it stops when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a mock on 127.0.0.1 with an ephemeral port. Needs a Tokio runtime.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let server = wiremock::MockServer::start().await;
        Mock::given(any())
            .respond_with(Handler {
                state: Arc::clone(&state),
                company_id: format!("comp_{}", uuid::Uuid::new_v4()),
            })
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// The base URL of the mock, such as `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client of this mock, authenticated with [`TEST_API_KEY`].
    pub fn client(&self) -> Client {
        let key = ApiKey::new(TEST_API_KEY).expect("the test key is a valid header value");
        Client::builder(key)
            .base_url(self.uri())
            .build()
            .expect("a loopback URL is a valid base URL")
    }

    /// Accepts only `key` from now on; other keys get the vendor's 401.
    pub fn require_api_key(&self, key: impl Into<String>) {
        self.state().required_key = Some(key.into());
    }

    /// Answers the next request to the endpoint with `reply`, before any check
    /// of the request. Replies queue up and are used in order.
    pub fn enqueue(&self, reply: Reply) {
        self.state().queue.push_back(reply);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// Locks the state; a test that panicked while holding it does not make the
/// mock unusable for the next one.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Handler {
    state: Arc<Mutex<State>>,
    company_id: String,
}

impl wiremock::Respond for Handler {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let mut headers = request.headers.clone();
        if let Some(key) = headers.get_mut("x-api-key") {
            key.set_sensitive(true);
        }
        let recorded = RecordedRequest {
            method: request.method.to_string(),
            path: request.url.path().to_string(),
            headers,
            body: request.body.clone(),
        };
        let mut state = lock(&self.state);
        state.requests.push(recorded.clone());
        if recorded.path.trim_end_matches('/') != CREATE_CLIENT_PATH {
            return MockError::NotFound.response();
        }
        if recorded.method != "POST" {
            // Not a documented status of the operation, but what HTTP says a
            // server answers; the body keeps the vendor's error shape.
            return ResponseTemplate::new(405)
                .insert_header("Allow", "POST")
                .set_body_json(json!({
                    "code": "METHOD_NOT_ALLOWED",
                    "message": format!(
                        "Method {} is not allowed on {CREATE_CLIENT_PATH}; use POST",
                        recorded.method
                    ),
                    "trace_id": uuid::Uuid::new_v4().simple().to_string(),
                }));
        }
        if let Some(reply) = state.queue.pop_front() {
            return match reply {
                Reply::Created(client) => ResponseTemplate::new(201).set_body_json(client),
                Reply::Error(error) => error.response(),
            };
        }
        let required_key = state.required_key.clone();
        drop(state);
        match self.create(&recorded, required_key.as_deref()) {
            Ok(client) => ResponseTemplate::new(201).set_body_json(client),
            Err(error) => error.response(),
        }
    }
}

impl Handler {
    /// Checks a request as the vendor would and makes the client it creates.
    fn create(
        &self,
        request: &RecordedRequest,
        required_key: Option<&str>,
    ) -> Result<types::Client, MockError> {
        match request.header("x-api-key").map(str::trim) {
            None | Some("") => return Err(MockError::Unauthorized),
            Some(key) if required_key.is_some_and(|required| required != key) => {
                return Err(MockError::Unauthorized);
            }
            Some(_) => {}
        }
        let content_type = request.header("content-type").unwrap_or("");
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case("application/json") {
            return Err(MockError::InvalidRequest(format!(
                "Content-Type must be application/json, not {:?}",
                content_type
            )));
        }
        if request.body.iter().all(u8::is_ascii_whitespace) {
            return Err(MockError::InvalidRequest(
                "The request body is empty; expected a JSON object".into(),
            ));
        }
        let body: Value = serde_json::from_slice(&request.body).map_err(|e| {
            MockError::InvalidRequest(format!("The request body is not valid JSON: {e}"))
        })?;
        let problems = validate(request_validator(), &body);
        if !problems.is_empty() {
            return Err(MockError::InvalidRequest(format!(
                "Invalid request body: {}",
                problems.join("; ")
            )));
        }
        // The schema and the type agree; a failure here would be a bug of the
        // mock, reported to the caller rather than panicking.
        let body: CreateClientRequest = serde_json::from_value(body)
            .map_err(|e| MockError::InvalidRequest(format!("Invalid request body: {e}")))?;
        let now = Timestamp::parse(&chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string())
            .map_err(|_| MockError::ServerError)?;
        Ok(types::Client {
            id: format!("client_{}", uuid::Uuid::new_v4()),
            company_id: Some(self.company_id.clone()),
            type_: Some(ClientType::Individual),
            status: Some(ClientStatus::Pending),
            first_name: body.first_name,
            last_name: body.last_name,
            email: body.email,
            phone_country_code: body.phone_country_code,
            phone_number: body.phone_number,
            created_at: Some(now.clone()),
            updated_at: Some(now),
        })
    }
}

/// Every problem of `instance`, each as `JSON pointer: what is wrong`.
fn validate(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| {
            let path = e.instance_path().to_string();
            let path = if path.is_empty() {
                "/".to_string()
            } else {
                path
            };
            format!("{path}: {e}")
        })
        .collect()
}

/// The spec as JSON, parsed once.
fn spec() -> &'static Value {
    static SPEC_JSON: OnceLock<Value> = OnceLock::new();
    SPEC_JSON.get_or_init(|| {
        serde_yaml_ng::from_str(SPEC).expect("the spec parses, or the crate would not have built")
    })
}

/// Checks `instance` against the spec's schema `name` (a key of
/// `components/schemas`, such as `Client` or `ApiError`) with the same
/// validator the mock uses for requests. Returns every problem, each as
/// `JSON pointer: what is wrong`.
pub fn check_against_spec(name: &str, instance: &Value) -> Result<(), Vec<String>> {
    let validator = schema_validator(name).map_err(|e| vec![e])?;
    let problems = validate(&validator, instance);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A validator of the spec's schema `name`, with the spec's components as the
/// document its `$ref`s resolve in. OpenAPI's own keywords (`nullable`,
/// `example`, `x-…`) are unknown to JSON Schema and ignored.
fn schema_validator(name: &str) -> Result<jsonschema::Validator, String> {
    let components = spec()
        .get("components")
        .ok_or("the spec has no components")?;
    if components.pointer(&format!("/schemas/{name}")).is_none() {
        return Err(format!("the spec has no schema {name}"));
    }
    let root = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": components,
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the spec's schema {name} is not a valid JSON Schema: {e}"))
}

fn request_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        schema_validator("CreateClientRequest")
            .expect("the spec's request schema compiles (tested)")
    })
}
