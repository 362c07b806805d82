//! A local, stateful mock of the Cryptomate API, for examples and for the
//! tests of crates that use this one (feature `mock`).
//!
//! [`MockServer`] serves every operation of the spec on 127.0.0.1 with an
//! ephemeral port, and checks each request as the vendor would: the
//! `x-api-key` header (its name in any case), the path parameters, a JSON
//! content type and a body that validates against the operation's schema in
//! the same `openapi/cryptomate.yaml` the client is generated from. A request
//! that fails a check gets the vendor's `400` body, `{"code": "VAL", ...}`,
//! naming the JSON path at fault.
//!
//! Each server keeps its own store, so a test can drive the vendor's
//! onboarding flow end to end:
//!
//! - individual clients: create (`201`, a 32-character id like the vendor's),
//!   list, get, update as a full replacement, delete (`204`, then `404` with
//!   the vendor's `NOT_FOUND` body). A client with the email of another is a
//!   duplicate (`400`, "Company client already exists for this company");
//! - product enablement requests: requesting a product makes a request in
//!   `pending_documentation` whose `missing_requirements` are computed from
//!   the client and the product's requirements ([`guide_requirements`] by
//!   default: the phone, and a passport with its number); a second request
//!   for an active product gets the documented `409`; documents are uploaded
//!   one per call, and one that is not acceptable (an image that is not a
//!   base64 data URL of a JPG or PNG, a missing metadata field) comes back in
//!   `rejected_items` with a reason; submit moves the request to `in_kyc`
//!   only when nothing is missing, and otherwise answers `200` with what is
//!   still missing; [`MockServer::finish_kyc`] plays the KYC review's outcome
//!   (`enabled`, or `rejected` with a `rejection_description`);
//! - the supported countries and the identification types by country, from
//!   a small built-in table (the United States, as on the vendor's pages, and
//!   Argentina, Brazil and Mexico; a country is named by its alpha-2 or
//!   alpha-3 code);
//! - the deprecated `POST /management/clients`, answering a client made from
//!   the request, as before.
//!
//! A test can also [`enqueue`](MockServer::enqueue) a canned answer or any
//! documented error for the next request, and read the
//! [`requests`](MockServer::requests) the mock received.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cryptomate::mock::{KycOutcome, MockServer};
//! use cryptomate::types::{IndividualAddress, IndividualClientRequest, ProductEnablementRequest};
//! use cryptomate::{ProductRequestStatus, Subproduct};
//!
//! let mock = MockServer::start().await;
//! let client = mock.client();
//! let body = IndividualClientRequest::builder()
//!     .first_name("Ada")
//!     .last_name("Lovelace")
//!     .email("ada@example.com")
//!     .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1815, 12, 10).unwrap())
//!     .address(IndividualAddress {
//!         street_line1: "12 St James's Square".into(),
//!         street_line2: None,
//!         city: "London".into(),
//!         postal_code: "SW1Y 4JH".into(),
//!         state: "LND".into(),
//!         state_code: None,
//!         country: "GBR".into(),
//!         country_code: None,
//!     });
//! let created = client.create_individual_client().body(body).send().await?;
//! let request = client
//!     .request_product_enablement()
//!     .client_id(&created.id)
//!     .body(ProductEnablementRequest { subproduct: Subproduct::CardsIndividuals })
//!     .send()
//!     .await?;
//! assert_eq!(request.status, Some(ProductRequestStatus::PendingDocumentation));
//! // ... update the client, upload the passport, submit; then:
//! # let _ = KycOutcome::Enabled;
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::types::{self, CreateClientRequest, MissingRequirements};
use crate::{ApiKey, Client, ClientStatus, ClientType, Timestamp};

mod spec;
mod store;
mod tables;

pub use spec::{check_answer, operation_ids};
pub use store::{KycError, KycOutcome};
pub use tables::guide_requirements;

use spec::{Route, validate};
use store::Store;

/// The path of the deprecated `create_client` operation.
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
    /// `201` with this client as the body (an answer of the deprecated
    /// `create_client`).
    Created(types::Client),
    /// A documented error status with the vendor's body for the operation
    /// that receives it.
    Error(MockError),
    /// Any status and JSON body, sent as given.
    Json {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Value,
    },
}

/// The documented errors, each answered with the vendor's body.
///
/// The vendor publishes the bodies of its `400`, `404`, `409` and `412`
/// errors (`code` `VAL` or `NOT_FOUND` and a message); the codes of `401`,
/// `429` and `500` are the errors page's or the mock's own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MockError {
    /// `400` `VAL`, with the message given.
    InvalidRequest(String),
    /// `401`: the key is not authorized.
    Unauthorized,
    /// `404` `NOT_FOUND`, "Resource not found".
    NotFound,
    /// The client already exists: `400` "Company client already exists for
    /// this company" from the Individual Clients operations, `412` "... and
    /// phone number" from the deprecated `create_client`.
    DuplicateClient,
    /// `412 Address Invalid` of the deprecated `create_client`.
    AddressInvalid,
    /// `412 Screening Failed` of the deprecated `create_client`.
    ScreeningFailed,
    /// `412 Screening Review` of the deprecated `create_client`.
    ScreeningReview,
    /// `412 Bridge Error` of the deprecated `create_client`.
    BridgeError,
    /// `409`: an enablement request is already active for this product.
    AlreadyRequested,
    /// `409`: the enablement request is not pending documentation.
    NotPendingDocumentation,
    /// `412`: the product is not valid for this client.
    InvalidProduct,
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
    /// The HTTP status, code and message of this error as `operation`
    /// answers it.
    fn parts(&self, operation: &str) -> (u16, &'static str, String) {
        match self {
            Self::InvalidRequest(message) => (400, "VAL", message.clone()),
            Self::Unauthorized => (401, "UNAUTHORIZED", "API key not authorized".into()),
            Self::NotFound => (404, "NOT_FOUND", "Resource not found".into()),
            Self::DuplicateClient if operation == "create_client" => (
                412,
                "VAL",
                "Company client already exists for this company and phone number".into(),
            ),
            Self::DuplicateClient => (
                400,
                "VAL",
                "Company client already exists for this company".into(),
            ),
            Self::AddressInvalid => (
                412,
                "VAL",
                "Address validation failed: state 'CA' does not belong to country 'US'".into(),
            ),
            Self::ScreeningFailed => (
                412,
                "VAL",
                "Client registration could not be completed due to compliance requirements. \
                 Please contact support for more information."
                    .into(),
            ),
            Self::ScreeningReview => (
                412,
                "VAL",
                "Client requires manual screening review. The account creation is temporarily \
                 on hold pending compliance team verification. You will be notified once the \
                 review is complete and your account is activated."
                    .into(),
            ),
            Self::BridgeError => (
                412,
                "VAL",
                "Error creating Bridge customer: <downstream error message>".into(),
            ),
            Self::AlreadyRequested => (
                409,
                "VAL",
                "An enablement request is already active for this product".into(),
            ),
            Self::NotPendingDocumentation => (
                409,
                "VAL",
                "The enablement request is not pending documentation".into(),
            ),
            Self::InvalidProduct => (412, "VAL", "Invalid product".into()),
            Self::RateLimited { retry_after } => (
                429,
                "TOO_MANY_REQUESTS",
                format!("Rate limit exceeded. Retry after {retry_after} seconds"),
            ),
            Self::ServerError => (500, "INTERNAL_ERROR", "Internal server error".into()),
        }
    }

    fn answer(&self, operation: &str) -> Answer {
        let (status, code, message) = self.parts(operation);
        match self {
            Self::RateLimited { retry_after } => {
                Answer::json(status, json!({"error_code": code, "message": message}))
                    .header("retry-after", retry_after.to_string())
            }
            _ => Answer::error(status, code, message),
        }
    }
}

fn new_trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The time as the vendor writes it: UTC, to the second, without an offset.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// One answer of the mock: a status, extra headers and a JSON body, if any.
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
}

impl Answer {
    fn json(status: u16, body: impl serde::Serialize) -> Self {
        Self {
            status,
            headers: Vec::new(),
            // Serializing the crate's own types cannot fail.
            body: Some(serde_json::to_value(body).unwrap_or(Value::Null)),
        }
    }

    fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    /// The vendor's error body, with a fresh trace id.
    fn error(status: u16, code: &str, message: String) -> Self {
        Self::json(
            status,
            json!({"code": code, "message": message, "trace_id": new_trace_id()}),
        )
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let bytes = match &self.body {
            Some(body) => Bytes::from(body.to_string()),
            None => Bytes::new(),
        };
        let mut response = hyper::Response::new(Full::new(bytes));
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if self.body.is_some() {
            headers.insert("content-type", HeaderValue::from_static("application/json"));
        }
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
    /// The headers; `x-api-key` is marked sensitive, so `Debug` hides it.
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
    /// Canned replies, each for the next request of one operation (`Some`)
    /// or of any (`None`).
    queue: VecDeque<(Option<String>, Reply)>,
    requests: Vec<RecordedRequest>,
    required_key: Option<String>,
    store: Store,
}

/// The largest request body the mock reads, 32 MiB: a document with two
/// images of the vendor's 10 MB limit, base64-encoded, fits. A larger body
/// gets a 400.
const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

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
        // Read and compile the spec's operations before the first request,
        // so that no request waits on it.
        spec::operations();
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

    /// Answers the next request of any operation with `reply`, before any
    /// check of the request. Replies queue up and are used in order.
    pub fn enqueue(&self, reply: Reply) {
        self.state().queue.push_back((None, reply));
    }

    /// Answers the next request of the operation `operation_id` (such as
    /// `"submit_product_enablement"`) with `reply`, before any check of the
    /// request; requests of other operations pass it by.
    ///
    /// # Panics
    /// When the spec has no such operation: a misspelt id would otherwise
    /// wait in the queue forever.
    pub fn enqueue_for(&self, operation_id: &str, reply: Reply) {
        assert!(
            operation_ids().contains(&operation_id),
            "the spec has no operation {operation_id:?}; it has {:?}",
            operation_ids()
        );
        self.state()
            .queue
            .push_back((Some(operation_id.to_string()), reply));
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Every request received so far, in order, forgetting them: the record
    /// is the one part of the mock that grows with every request, so a
    /// long-running mock (or a load test) takes it now and then.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut self.state().requests)
    }

    /// Sets what requesting `product` (a subproduct, such as
    /// `"cards_individuals"`, or a new one the mock should accept) requires
    /// from now on; requests already made keep theirs. A data field's `key`
    /// names a field of the client's body (`second_name`, `address.city`),
    /// or `phone` for the phone country code and number together.
    pub fn set_requirements(&self, product: &str, requirements: MissingRequirements) {
        self.state().store.set_requirements(product, requirements);
    }

    /// Plays the KYC review's outcome for the product enablement request
    /// `request_id`, which must be `in_kyc` (submitted with nothing
    /// missing). Returns the request as the API now shows it.
    pub fn finish_kyc(
        &self,
        request_id: &str,
        outcome: KycOutcome,
    ) -> Result<types::ProductRequest, KycError> {
        self.state().store.finish_kyc(request_id, outcome)
    }

    /// Every individual client the mock holds, in creation order, as the API
    /// shows them.
    pub fn clients(&self) -> Vec<types::IndividualClient> {
        self.state()
            .store
            .clients()
            .into_iter()
            .filter_map(|c| serde_json::from_value(c).ok())
            .collect()
    }

    /// The product enablement requests of the client `client_id`, newest
    /// first, as the API shows them (none for an unknown client).
    pub fn product_requests(&self, client_id: &str) -> Vec<types::ProductRequest> {
        self.state()
            .store
            .products(client_id)
            .into_iter()
            .filter_map(|r| serde_json::from_value(r).ok())
            .collect()
    }

    /// How many individual clients and product enablement requests the
    /// mock holds.
    pub fn store_sizes(&self) -> (usize, usize) {
        self.state().store.sizes()
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
                .answer("");
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
        let route = spec::route(&recorded.method, &recorded.path);
        let mut state = lock(&self.state);
        state.requests.push(recorded.clone());
        let (operation, params) = match route {
            Route::Operation(operation, params) => (operation, params),
            Route::NotFound => return MockError::NotFound.answer(""),
            Route::MethodNotAllowed(allowed) => {
                // Not a documented status, but what HTTP says a server
                // answers; the body keeps the vendor's error shape.
                let allowed = allowed.join(", ");
                return Answer::error(
                    405,
                    "METHOD_NOT_ALLOWED",
                    format!(
                        "Method {} is not allowed on {}; use {allowed}",
                        recorded.method, recorded.path
                    ),
                )
                .header("allow", allowed);
            }
        };
        let queued = state
            .queue
            .iter()
            .position(|(only, _)| only.as_deref().is_none_or(|id| id == operation.id));
        if let Some((_, reply)) = queued.and_then(|i| state.queue.remove(i)) {
            return match reply {
                Reply::Created(client) => Answer::json(201, client),
                Reply::Error(error) => error.answer(&operation.id),
                Reply::Json { status, body } => Answer::json(status, body),
            };
        }
        let required_key = state.required_key.clone();
        // The checks run without the lock, so that requests of other
        // clients do not wait on them.
        drop(state);
        let body = match check(operation, &params, &recorded, required_key.as_deref()) {
            Ok(body) => body,
            Err(error) => return error.answer(&operation.id),
        };
        let param = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        };
        if operation.id == "create_client" {
            return match self.create_client(body) {
                Ok(client) => Answer::json(201, client),
                Err(error) => error.answer(&operation.id),
            };
        }
        let mut state = lock(&self.state);
        let store = &mut state.store;
        match operation.id.as_str() {
            "create_individual_client" => store.create_client(body),
            "list_individual_clients" => store.list_clients(),
            "get_individual_client" => store.get_client(param("id")),
            "update_individual_client" => store.update_client(param("id"), body),
            "delete_individual_client" => store.delete_client(param("id")),
            "get_supported_countries" => Answer::json(200, tables::countries()),
            "get_identifications_by_country" => {
                match tables::identifications(param("countryCode")) {
                    Some(types) => Answer::json(200, types),
                    None => Answer::error(
                        404,
                        "NOT_FOUND",
                        "Country not found or no identification types available".into(),
                    ),
                }
            }
            "list_client_products" => store.list_products(param("clientId")),
            "request_product_enablement" => store.request_product(param("clientId"), &body),
            "complete_product_documentation" => {
                store.upload_document(param("clientId"), param("productRequestId"), &body)
            }
            "submit_product_enablement" => {
                store.submit(param("clientId"), param("productRequestId"))
            }
            other => Answer::error(
                500,
                "INTERNAL_ERROR",
                format!("The mock does not implement the operation {other}"),
            ),
        }
    }

    /// Makes the client the deprecated `create_client` answers.
    fn create_client(&self, body: Value) -> Result<types::Client, MockError> {
        // The schema and the type agree; a failure here would be a bug of the
        // mock, reported to the caller rather than panicking.
        let body: CreateClientRequest = serde_json::from_value(body)
            .map_err(|e| MockError::InvalidRequest(format!("Invalid request body: {e}")))?;
        let now = Timestamp::parse(&now()).map_err(|_| MockError::ServerError)?;
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

/// Checks a request as the vendor would: the key, the path parameters, and
/// for an operation with a body, its content type and the body against the
/// operation's schema. Returns the body (`null` when the operation has none).
fn check(
    operation: &spec::Operation,
    params: &[(String, String)],
    request: &RecordedRequest,
    required_key: Option<&str>,
) -> Result<Value, MockError> {
    match request.header("x-api-key").map(str::trim) {
        None | Some("") => return Err(MockError::Unauthorized),
        Some(key) if required_key.is_some_and(|required| required != key) => {
            return Err(MockError::Unauthorized);
        }
        Some(_) => {}
    }
    for param in &operation.params {
        let value = params
            .iter()
            .find(|(name, _)| *name == param.name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        let problems = validate(&param.validator, &json!(value));
        if !problems.is_empty() {
            let problems: Vec<String> = problems
                .iter()
                .map(|p| p.trim_start_matches("/: ").to_string())
                .collect();
            return Err(MockError::InvalidRequest(format!(
                "Invalid path parameter {}: {}",
                param.name,
                problems.join("; ")
            )));
        }
    }
    let Some(validator) = &operation.body else {
        return Ok(Value::Null);
    };
    let content_type = request.header("content-type").unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(MockError::InvalidRequest(format!(
            "Content-Type must be application/json, not {content_type:?}"
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
    let mut problems = validate(validator, &body);
    out_of_range(&body, &mut String::new(), &mut problems);
    if !problems.is_empty() {
        return Err(MockError::InvalidRequest(format!(
            "Invalid request body: {}",
            problems.join("; ")
        )));
    }
    Ok(body)
}

/// Adds a problem for every whole number of `value` beyond 64 bits. JSON
/// parsing reads such a number as a float, rounded to the nearest 64-bit
/// bound, so the schema's `minimum` and `maximum` cannot see it; the spec
/// has no field of type `number`, so none is valid.
fn out_of_range(value: &Value, path: &mut String, problems: &mut Vec<String>) {
    match value {
        Value::Number(n)
            if n.is_f64()
                && n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() >= 9.2e18) =>
        {
            let at = if path.is_empty() { "/" } else { path.as_str() };
            problems.push(format!("{at}: is out of the 64-bit integer range"));
        }
        Value::Object(map) => {
            for (key, child) in map {
                let len = path.len();
                path.push('/');
                path.push_str(key);
                out_of_range(child, path, problems);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                out_of_range(child, path, problems);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Checks `instance` against the spec's schema `name` (a key of
/// `components/schemas`, such as `IndividualClient` or `ApiError`) with the
/// same validator the mock uses for requests. Returns every problem, each as
/// `JSON pointer: what is wrong`.
pub fn check_against_spec(name: &str, instance: &Value) -> Result<(), Vec<String>> {
    let validator = spec::schema_validator(name).map_err(|e| vec![e])?;
    let problems = validate(&validator, instance);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
