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
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

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

    fn answer(&self) -> Answer {
        let (status, code, message) = self.parts();
        match self {
            Self::RateLimited { retry_after } => {
                Answer::json(status, json!({"error_code": code, "message": message}))
                    .header("retry-after", retry_after.to_string())
            }
            _ => Answer::json(
                status,
                json!({"code": code, "message": message, "trace_id": new_trace_id()}),
            ),
        }
    }
}

fn new_trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// One answer of the mock: a status, extra headers and a JSON body.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
}

impl Answer {
    fn json(status: u16, body: impl serde::Serialize) -> Self {
        Self {
            status,
            headers: Vec::new(),
            // Serializing the crate's own types cannot fail.
            body: serde_json::to_value(body).unwrap_or(Value::Null),
        }
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let mut response = hyper::Response::new(Full::new(Bytes::from(self.body.to_string())));
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        response
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

/// The largest request body the mock reads, 1 MiB; a larger one gets a 400.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// A mock of the Cryptomate API on 127.0.0.1; it stops when dropped.
///
/// It is a small HTTP/1.1 server of its own (hyper): it keeps accepting
/// connections under load and through transient accept errors, and it counts
/// the connections it accepted, so a test can check that a client reuses them.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    connections: Arc<AtomicUsize>,
    shutdown: watch::Sender<()>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.uri())
            .finish()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Stops the accept loop and closes every connection gracefully.
        let _ = self.shutdown.send(());
    }
}

impl MockServer {
    /// Starts a mock on 127.0.0.1 with an ephemeral port. Needs a Tokio runtime.
    ///
    /// # Panics
    /// When no port can be bound on 127.0.0.1; [`MockServer::try_start`]
    /// returns that error instead.
    pub async fn start() -> Self {
        match Self::try_start().await {
            Ok(server) => server,
            Err(e) => panic!("the Cryptomate mock cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts a mock on 127.0.0.1 with an ephemeral port, or says why not.
    pub async fn try_start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (shutdown, stopped) = watch::channel(());
        let handler = Arc::new(Handler {
            state: Arc::clone(&state),
            company_id: format!("comp_{}", uuid::Uuid::new_v4()),
        });
        tokio::spawn(accept_loop(
            listener,
            handler,
            Arc::clone(&connections),
            stopped,
        ));
        Ok(Self {
            addr,
            state,
            connections,
            shutdown,
        })
    }

    /// The base URL of the mock, such as `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many TCP connections the mock has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
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

async fn accept_loop(
    listener: TcpListener,
    handler: Arc<Handler>,
    connections: Arc<AtomicUsize>,
    mut stopped: watch::Receiver<()>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, Arc::clone(&handler), stopped.clone()));
                }
                // An accept error (out of file descriptors, a connection reset
                // before it was accepted) is transient: wait a moment and go
                // on, rather than stop serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            },
            _ = stopped.changed() => return,
        }
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    handler: Arc<Handler>,
    mut stopped: watch::Receiver<()>,
) {
    let service = service_fn(move |request| {
        let handler = Arc::clone(&handler);
        async move { Ok::<_, Infallible>(handler.handle(request).await.into_response()) }
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

struct Handler {
    state: Arc<Mutex<State>>,
    company_id: String,
}

impl Handler {
    async fn handle(&self, request: hyper::Request<Incoming>) -> Answer {
        let (parts, body) = request.into_parts();
        let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
            Ok(body) => body.to_bytes().to_vec(),
            Err(_) => {
                return MockError::InvalidRequest(format!(
                    "The request body could not be read or is over {MAX_REQUEST_BYTES} bytes"
                ))
                .answer();
            }
        };
        let mut headers = parts.headers;
        if let Some(key) = headers.get_mut("x-api-key") {
            key.set_sensitive(true);
        }
        self.respond(RecordedRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            headers,
            body,
        })
    }

    fn respond(&self, recorded: RecordedRequest) -> Answer {
        let mut state = lock(&self.state);
        state.requests.push(recorded.clone());
        if recorded.path.trim_end_matches('/') != CREATE_CLIENT_PATH {
            return MockError::NotFound.answer();
        }
        if recorded.method != "POST" {
            // Not a documented status of the operation, but what HTTP says a
            // server answers; the body keeps the vendor's error shape.
            return Answer::json(
                405,
                json!({
                    "code": "METHOD_NOT_ALLOWED",
                    "message": format!(
                        "Method {} is not allowed on {CREATE_CLIENT_PATH}; use POST",
                        recorded.method
                    ),
                    "trace_id": new_trace_id(),
                }),
            )
            .header("allow", "POST".into());
        }
        if let Some(reply) = state.queue.pop_front() {
            return match reply {
                Reply::Created(client) => Answer::json(201, client),
                Reply::Error(error) => error.answer(),
            };
        }
        let required_key = state.required_key.clone();
        drop(state);
        match self.create(&recorded, required_key.as_deref()) {
            Ok(client) => Answer::json(201, client),
            Err(error) => error.answer(),
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
