//! A local, stateful mock of the Cryptomate API, for examples and for the
//! tests of crates that use this one (feature `mock`).
//!
//! [`MockServer`] serves every operation of the spec on 127.0.0.1 with an
//! ephemeral port. It is driven by the spec, the same
//! `openapi/cryptomate.yaml` the client is generated from:
//!
//! - **Checks.** Each request is checked as the vendor would: the
//!   `x-api-key` header (its name in any case), the path, query and header
//!   parameters against their schemas, a JSON content type and a body that
//!   validates against the operation's schema. A request that fails a check
//!   gets the vendor's `400` body, `{"code": "VAL", ...}`, naming the JSON
//!   path at fault and never the value.
//! - **Resources.** Operations are read as resource families from their path
//!   templates and methods ([`plan`] prints how): `POST
//!   /virtual-wallets/create` makes an item that `GET
//!   /virtual-wallets/{walletId}` reads, `GET /virtual-wallets/list` lists,
//!   `PUT` replaces, `PATCH` changes, `DELETE` removes (with the items
//!   scoped to it), and a path naming an item the store does not hold gets
//!   the operation's documented `404`. Ids are minted like the examples'
//!   (`vw_` and a UUID, 32 letters and digits, ...). Lists are filtered by
//!   the query parameters named as the items' fields and paged as the
//!   response says (`page`/`size` with `content` and `total_pages`,
//!   `page_number` with `next_page`, a `paging_state_token`).
//! - **Answers.** Every answer is shaped by the response schema and the
//!   spec's examples: a stored item shows what the schema declares, a
//!   created one starts from the documented answer with the request's
//!   fields; an operation that is not a resource's answers its example (a
//!   bare number, an empty body, a PDF); and every answer is held to the
//!   spec before it is sent (a `500` naming the problem otherwise).
//! - **Idempotency.** An operation with an idempotency-key header parameter
//!   answers a repeated key with its first answer; a missing or blank key
//!   gets the operation's documented `412` (a `400` where it documents none).
//! - **Seeded from the docs.** A fresh mock holds the items the spec's
//!   examples show, and those its path parameters' examples name, so each
//!   page's cURL example works as it is against it
//!   ([`MockBuilder::seeded`] starts one without them).
//! - **Behaviour.** Where a flow of the API needs more than its plain role,
//!   a behaviour of one function says what: the table `BEHAVIOURS` in
//!   `src/mock/behaviour/mod.rs`, whose module documentation (and
//!   `ARCHITECTURE.md`, "The mock") shows how to add one, with an example.
//!   For the Individual Clients API:
//!   a client with the email of another is a duplicate (`400`,
//!   "Company client already exists for this company"); requesting a product
//!   makes a request in `pending_documentation` whose `missing_requirements`
//!   come from the client and the product's requirements
//!   ([`guide_requirements`] by default: the phone, and a passport with its
//!   number); a second request for an active product gets the documented
//!   `409`; documents are uploaded one per call, and one that is not
//!   acceptable (an image that is not a base64 data URL of a JPG or PNG, a
//!   missing metadata field) comes back in `rejected_items` with a reason;
//!   submit moves the request to `in_kyc` only when nothing is missing, and
//!   otherwise answers `200` with what is still missing; the supported
//!   countries and the identification types by country come from a small
//!   built-in table (the United States, as on the vendor's pages, and
//!   Argentina, Brazil and Mexico).
//!
//! A test drives what the API cannot: [`MockServer::finish_kyc`] plays the
//! KYC review's outcome (`enabled`, or `rejected` with a
//! `rejection_description`), [`MockServer::set_client_status`] a client's
//! review, [`MockServer::set_requirements`] a product's requirements, and
//! [`MockServer::update_resource`] any stored item. It can also
//! [`enqueue`](MockServer::enqueue) a canned answer or any documented error
//! for the next request, and read the [`requests`](MockServer::requests)
//! the mock received.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cryptomate::mock::{KycOutcome, MockServer};
//! use cryptomate::types::{IndividualAddress, IndividualClientRequest, ProductEnablementRequest};
//! use cryptomate::{IndividualClientStatus, ProductRequestStatus, Subproduct};
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
//! // The vendor's review makes the client active.
//! mock.set_client_status(&created.id, IndividualClientStatus::Active)?;
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
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::types;
use crate::{ApiKey, Client};

mod answer;
mod behaviour;
mod dialect;
mod engine;
mod limits;
mod model;
mod spec;
mod store;

pub use behaviour::tables::guide_requirements;
pub use behaviour::{KycError, KycOutcome};
pub use limits::{EXEMPT_PATHS, LimitStats, RateLimit};
pub use spec::{check_answer, operation_ids};

use answer::Answer;
use engine::{Engine, MAX_REQUEST_BYTES};
use spec::{Route, Spec, validate};
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
    /// The client already exists: the operation's documented answer (`400`
    /// "Company client already exists for this company" from the Individual
    /// Clients operations, `412` "... and phone number" from the deprecated
    /// `create_client`).
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
    /// The HTTP status, code and message of this error, where the spec
    /// documents nothing better ([`MockError::answer_in`]).
    fn parts(&self) -> (u16, &'static str, String) {
        match self {
            Self::InvalidRequest(message) => (400, "VAL", message.clone()),
            Self::Unauthorized => (401, "UNAUTHORIZED", "API key not authorized".into()),
            Self::NotFound => (404, "NOT_FOUND", "Resource not found".into()),
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

    /// This error as the operation `op` of `engine` answers it: a
    /// duplicate client is the operation's documented answer that says the
    /// client "already exists" (the deprecated `create_client` documents a
    /// `412` naming the phone number, `create_individual_client` a `400`),
    /// and any other error, or one the operation does not document, the
    /// vendor's body of [`MockError::answer`].
    pub(crate) fn answer_in(&self, engine: &Engine, op: usize) -> Answer {
        if *self == Self::DuplicateClient {
            let documented = [400, 409, 412].into_iter().find_map(|status| {
                engine.documented_where(op, status, None, |m| m.contains("already exists"))
            });
            if let Some(answer) = documented {
                return answer;
            }
        }
        self.answer()
    }

    /// This error with the vendor's body and a fresh trace id.
    pub(crate) fn answer(&self) -> Answer {
        let (status, code, message) = self.parts();
        match self {
            Self::RateLimited { retry_after } => {
                Answer::json(status, json!({"error_code": code, "message": message}))
                    .header("retry-after", retry_after.to_string())
            }
            _ => Answer::error(status, code, message),
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
    /// The query of the URL (after `?`), when it has one.
    pub query: Option<String>,
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
        // The body and the query may hold personal data; the body's size is
        // enough to debug with.
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

struct State {
    /// Canned replies, each for the next request of one operation (`Some`)
    /// or of any (`None`).
    queue: VecDeque<(Option<String>, Reply)>,
    requests: Vec<RecordedRequest>,
    required_key: Option<String>,
    store: Store,
    /// The vendor's rate limit, when the mock enforces it.
    limiter: Option<limits::Limiter>,
}

/// How to start a [`MockServer`]: on the crate's spec or another one, with
/// or without the items of the spec's examples.
#[derive(Debug, Clone)]
#[must_use]
pub struct MockBuilder {
    spec: Option<String>,
    seeded: bool,
    rate_limit: Option<RateLimit>,
}

/// Why a mock did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The spec given to [`MockBuilder::spec`] is not one the mock can serve.
    #[error("the mock cannot serve this spec: {0}")]
    Spec(String),
    /// No port could be bound on 127.0.0.1.
    #[error("the mock cannot listen on 127.0.0.1: {0}")]
    Listen(#[source] std::io::Error),
}

/// Why a control could not read or change a stored item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResourceError {
    /// The path is not one of an item of a resource family.
    #[error("{0} is not the path of an item the mock stores (see cryptomate::mock::plan)")]
    NotAResource(String),
    /// The mock holds no item at this path.
    #[error("the mock holds no item at {0}")]
    Unknown(String),
    /// The change would make the item break its schema; nothing changed.
    #[error("the change would make {path} break the spec: {}", problems.join("; "))]
    Invalid {
        /// The item's path.
        path: String,
        /// What would be wrong, each as `JSON pointer: what`.
        problems: Vec<String>,
    },
}

impl MockBuilder {
    /// Serves `spec` (an OpenAPI 3.0 document, YAML or JSON) instead of the
    /// crate's: every operation answered by the plain engine, with none of
    /// the crate's behaviours. For testing the engine on shapes the crate's
    /// spec does not have yet.
    pub fn spec(mut self, spec: impl Into<String>) -> Self {
        self.spec = Some(spec.into());
        self
    }

    /// Whether the mock starts holding the items of the spec's examples
    /// (the default) or empty.
    pub fn seeded(mut self, seeded: bool) -> Self {
        self.seeded = seeded;
        self
    }

    /// Enforces a rate limit and its penalty as the vendor does
    /// ([`RateLimit::VENDOR`]: 15 requests a second per IP address and per
    /// key, blocks of 1 s doubling up to an hour, answered `429` with
    /// `Retry-After`). Off by default, so that tests of other things may
    /// send as fast as they like; [`MockServer::client`] then paces as a
    /// default client does, and [`MockServer::limit_stats`] says what the
    /// limiter did. Its clock is tokio's (a paused clock in a test moves it).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Starts the mock on 127.0.0.1 with an ephemeral port. Needs a Tokio
    /// runtime.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let engine = match self.spec {
            None => crate_engine(),
            Some(text) => {
                let spec = Spec::parse(&text).map_err(StartError::Spec)?;
                Arc::new(Engine::new(Arc::new(spec), &[]))
            }
        };
        let mut store = Store::default();
        if self.seeded {
            engine.seed(&mut store);
        }
        // A backlog of 4,096 rather than tokio's 1,024: a thousand flows
        // connecting at once must not overflow the accept queue while the
        // machine is busy (a connection then fails before its answer).
        let socket = tokio::net::TcpSocket::new_v4().map_err(StartError::Listen)?;
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .map_err(StartError::Listen)?;
        let listener: TcpListener = socket.listen(4096).map_err(StartError::Listen)?;
        let addr = listener.local_addr().map_err(StartError::Listen)?;
        let state = Arc::new(Mutex::new(State {
            queue: VecDeque::new(),
            requests: Vec::new(),
            required_key: None,
            store,
            limiter: self.rate_limit.map(limits::Limiter::new),
        }));
        let connections = Arc::new(AtomicUsize::new(0));
        let (shutdown, stopped) = watch::channel(());
        let handler = Arc::new(Handler {
            state: Arc::clone(&state),
            engine: Arc::clone(&engine),
            http: reqwest::Client::new(),
        });
        tokio::spawn(accept_loop(
            listener,
            handler,
            Arc::clone(&connections),
            stopped,
        ));
        Ok(MockServer {
            addr,
            state,
            engine,
            connections,
            shutdown,
        })
    }
}

/// The engine of the crate's spec and behaviours, made once per process.
fn crate_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(
        ENGINE.get_or_init(|| Arc::new(Engine::new(Spec::crate_spec(), behaviour::BEHAVIOURS))),
    )
}

/// How the mock reads the crate's spec: each resource family (its
/// collection, key and parents) and each operation's role, success status,
/// idempotency header and paging, one line each. Held by a snapshot test;
/// read it after adding operations to the spec.
pub fn plan() -> String {
    let engine = crate_engine();
    engine.model.describe(&engine.spec)
}

/// A mock of the Cryptomate API on 127.0.0.1; it stops when dropped.
///
/// It is a small HTTP/1.1 server of its own (hyper): it keeps accepting
/// connections under load and through transient accept errors, and it counts
/// the connections it accepted, so a test can check that a client reuses them.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    engine: Arc<Engine>,
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
    /// Starts a mock of the crate's spec on 127.0.0.1 with an ephemeral
    /// port, holding the items of the spec's examples. Needs a Tokio runtime.
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

    /// Starts a mock as [`MockServer::start`] does, or says why not.
    pub async fn try_start() -> std::io::Result<Self> {
        match Self::builder().start().await {
            Ok(server) => Ok(server),
            Err(StartError::Listen(e)) => Err(e),
            Err(other) => Err(std::io::Error::other(other)),
        }
    }

    /// A mock to be started on another spec, or without the items of the
    /// spec's examples.
    pub fn builder() -> MockBuilder {
        MockBuilder {
            spec: None,
            seeded: true,
            rate_limit: None,
        }
    }

    /// The base URL of the mock, such as `http://127.0.0.1:40123`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many TCP connections the mock has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A client of this mock, authenticated with [`TEST_API_KEY`]: paced
    /// as a default client is when the mock enforces a rate limit
    /// ([`MockBuilder::rate_limit`]), and without pacing when it does not,
    /// so that tests of other things run at full speed.
    pub fn client(&self) -> Client {
        let key = ApiKey::new(TEST_API_KEY).expect("the test key is a valid header value");
        let builder = Client::builder(key).base_url(self.uri());
        let builder = if self.state().limiter.is_some() {
            builder
        } else {
            builder.without_pacing()
        };
        builder.build().expect("a loopback URL is a valid base URL")
    }

    /// What the mock's rate limiter has done so far; `None` when the mock
    /// enforces no limit ([`MockBuilder::rate_limit`]).
    pub fn limit_stats(&self) -> Option<LimitStats> {
        self.state().limiter.as_ref().map(limits::Limiter::stats)
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
    /// When the mock's spec has no such operation: a misspelt id would
    /// otherwise wait in the queue forever.
    pub fn enqueue_for(&self, operation_id: &str, reply: Reply) {
        let ids: Vec<&str> = self
            .engine
            .spec
            .operations
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert!(
            ids.contains(&operation_id),
            "the spec has no operation {operation_id:?}; it has {ids:?}"
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

    /// The stored item at `path` (the path that reads it, such as
    /// `/virtual-wallets/vw_…`), as the API shows it; `None` when the mock
    /// holds none there.
    pub fn resource(&self, path: &str) -> Option<Value> {
        let (f, id) = self.locate(path).ok()?;
        self.with_store(|engine, store| {
            store
                .get(f, &id)
                .map(|item| behaviour::view(engine, f, item))
        })
    }

    /// Sets `fields` (a JSON object) on the stored item at `path`, as the
    /// vendor's own processes would (a review, a card network), and returns
    /// the item as the API now shows it. The change must leave the item
    /// valid for its schema; otherwise nothing changes.
    pub fn update_resource(&self, path: &str, fields: Value) -> Result<Value, ResourceError> {
        let (f, id) = self.locate(path)?;
        self.with_store(|engine, store| {
            let item = store
                .get_mut(f, &id)
                .ok_or_else(|| ResourceError::Unknown(path.to_string()))?;
            let mut changed = item.clone();
            engine::merge(&mut changed.data, &fields);
            let declared = engine
                .spec
                .properties(&engine.model.families[f].item_schema)
                .unwrap_or_default();
            if declared.contains_key(answer::UPDATED_AT) && fields.get(answer::UPDATED_AT).is_none()
            {
                changed.data[answer::UPDATED_AT] = json!(answer::now());
            }
            let shown = behaviour::view(engine, f, &changed);
            let validator = engine
                .spec
                .validator_of(&engine.model.families[f].item_schema)
                .map_err(|e| ResourceError::Invalid {
                    path: path.to_string(),
                    problems: vec![e],
                })?;
            let problems = validate(&validator, &shown);
            if !problems.is_empty() {
                return Err(ResourceError::Invalid {
                    path: path.to_string(),
                    problems,
                });
            }
            *item = changed;
            Ok(shown)
        })
    }

    /// Adds `items` to the list answered at `path` (the path of a list
    /// operation, such as `/virtual-wallets/vw_…/movements`), after the items
    /// it holds: for a test that pages through a long list. Each item must
    /// be valid for the list's item schema; one without its key gets a fresh
    /// one. Returns how many items the list now holds; on a problem, nothing
    /// is added.
    pub fn insert_items(
        &self,
        path: &str,
        items: impl IntoIterator<Item = Value>,
    ) -> Result<usize, ResourceError> {
        let not = || ResourceError::NotAResource(path.to_string());
        let Route::Operation(op, params) = self.engine.spec.route("GET", path) else {
            return Err(not());
        };
        let model::Role::List(f) = self.engine.model.plans[op].role else {
            return Err(not());
        };
        let family = &self.engine.model.families[f];
        let scope: Vec<Option<String>> = params
            .iter()
            .take(family.depth)
            .map(|(_, v)| Some(v.clone()))
            .collect();
        let validator = self
            .engine
            .spec
            .validator_of(&family.item_schema)
            .map_err(|e| ResourceError::Invalid {
                path: path.to_string(),
                problems: vec![e],
            })?;
        let mut checked = Vec::new();
        for (index, mut data) in items.into_iter().enumerate() {
            let problems = validate(&validator, &data);
            if !problems.is_empty() {
                return Err(ResourceError::Invalid {
                    path: format!("{path} (item {index})"),
                    problems,
                });
            }
            if data.get(&family.key).and_then(Value::as_str).is_none() {
                data[family.key.as_str()] =
                    json!(format!("item_{}", uuid::Uuid::new_v4().simple()));
            }
            checked.push(data);
        }
        self.with_store(|_, store| {
            for data in checked {
                let id = data[family.key.as_str()]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let seq = store.next_seq();
                store.insert(
                    f,
                    store::Item {
                        id,
                        seq,
                        scope: scope.clone(),
                        data,
                        hidden: serde_json::Map::new(),
                        seeded: false,
                    },
                );
            }
            let asked: Vec<String> = scope.iter().flatten().cloned().collect();
            Ok(store
                .items(f)
                .iter()
                .filter(|item| item.in_scope(&asked))
                .count())
        })
    }

    /// How this mock reads its spec (see [`plan`]).
    pub fn plan(&self) -> String {
        self.engine.model.describe(&self.engine.spec)
    }

    /// Checks an answer of the operation `operation_id` against this mock's
    /// spec, as [`check_answer`] does against the crate's.
    pub fn check_answer(
        &self,
        operation_id: &str,
        status: u16,
        headers: &[String],
        body: Option<&Value>,
    ) -> Result<(), Vec<String>> {
        self.engine
            .spec
            .check_answer(operation_id, status, headers, body)
    }

    /// The family and id of the item at `path`.
    fn locate(&self, path: &str) -> Result<(usize, String), ResourceError> {
        let not = || ResourceError::NotAResource(path.to_string());
        let Route::Operation(op, params) = self.engine.spec.route("GET", path) else {
            return Err(not());
        };
        let role = self.engine.model.plans[op].role;
        let f = role.family().filter(|_| role.on_item()).ok_or_else(not)?;
        let depth = self.engine.model.families[f].depth;
        let (_, id) = params.get(depth).ok_or_else(not)?;
        Ok((f, id.clone()))
    }

    /// Runs `f` on the engine and the store, under the mock's lock.
    pub(crate) fn with_store<T>(&self, f: impl FnOnce(&Engine, &mut Store) -> T) -> T {
        let mut state = self.state();
        f(&self.engine, &mut state.store)
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
                Ok((stream, peer)) => {
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, peer, Arc::clone(&handler), stopped.clone()));
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
    peer: SocketAddr,
    handler: Arc<Handler>,
    mut stopped: watch::Receiver<()>,
) {
    let service = service_fn(move |request| {
        let handler = Arc::clone(&handler);
        async move { Ok::<_, Infallible>(handler.handle(request, peer).await.into_response()) }
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
    engine: Arc<Engine>,
    /// Posts the webhooks the simulations queue (D-W7).
    http: reqwest::Client,
}

impl Handler {
    async fn handle(&self, request: hyper::Request<Incoming>, peer: SocketAddr) -> Answer {
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
        let (answer, deliveries) = self.respond(
            RecordedRequest {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().map(str::to_string),
                headers,
                body,
            },
            peer,
        );
        // The webhooks this request's simulation queued (taken under the
        // lock that served it, so no other request sends them) go out
        // before its answer: an authorization's reply decides the
        // transaction the caller reads next (D-W7).
        if !deliveries.is_empty() {
            let with_store = |f: &mut dyn FnMut(&mut Store)| f(&mut lock(&self.state).store);
            behaviour::webhooks::deliver(&self.http, deliveries, &with_store).await;
        }
        answer
    }

    /// The answer to a request, and the webhooks its behaviour queued.
    fn respond(
        &self,
        recorded: RecordedRequest,
        peer: SocketAddr,
    ) -> (Answer, Vec<behaviour::webhooks::Delivery>) {
        let mut deliveries = Vec::new();
        let answer = self.answer(recorded, peer, &mut deliveries);
        (answer, deliveries)
    }

    fn answer(
        &self,
        recorded: RecordedRequest,
        peer: SocketAddr,
        deliveries: &mut Vec<behaviour::webhooks::Delivery>,
    ) -> Answer {
        let route =
            self.engine
                .spec
                .route_with(&recorded.method, &recorded.path, &recorded.headers);
        let mut state = lock(&self.state);
        state.requests.push(recorded.clone());
        // The vendor's limits come first, as its gateway's would: a
        // rejected request is checked for nothing else.
        if let Some(limiter) = state.limiter.as_mut() {
            let key = recorded
                .header("x-api-key")
                .map(str::trim)
                .filter(|k| !k.is_empty());
            if let Err(retry_after) = limiter.admit(&recorded.path, &peer.ip().to_string(), key) {
                return MockError::RateLimited {
                    retry_after: u32::try_from(retry_after).unwrap_or(u32::MAX),
                }
                .answer();
            }
        }
        let (op, params) = match route {
            Route::Operation(op, params) => (op, params),
            Route::NotFound => return MockError::NotFound.answer(),
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
        let id = self.engine.spec.operations[op].id.as_str();
        let queued = state
            .queue
            .iter()
            .position(|(only, _)| only.as_deref().is_none_or(|only| only == id));
        if let Some((_, reply)) = queued.and_then(|i| state.queue.remove(i)) {
            return match reply {
                Reply::Created(client) => Answer::json(201, client),
                Reply::Error(error) => error.answer_in(&self.engine, op),
                Reply::Json { status, body } => Answer::json(status, body),
            };
        }
        let required_key = state.required_key.clone();
        // The checks run without the lock, so that requests of other
        // clients do not wait on them.
        drop(state);
        match recorded.header("x-api-key").map(str::trim) {
            None | Some("") => return MockError::Unauthorized.answer(),
            Some(key) if required_key.as_deref().is_some_and(|r| r != key) => {
                return MockError::Unauthorized.answer();
            }
            Some(_) => {}
        }
        let request = match self.engine.check(
            op,
            &recorded.path,
            params,
            recorded.query.as_deref(),
            &recorded.headers,
            &recorded.body,
        ) {
            Ok(request) => request,
            Err(error) => return error.answer(),
        };
        let mut state = lock(&self.state);
        let answer = self.engine.serve(&mut state.store, &request);
        *deliveries = std::mem::take(&mut state.store.behaviour.webhooks.outbox);
        answer
    }
}

/// Checks `instance` against the crate spec's schema `name` (a key of
/// `components/schemas`, such as `IndividualClient` or `ApiError`) with the
/// same validator the mock uses for requests. Returns every problem, each as
/// `JSON pointer: what is wrong`.
pub fn check_against_spec(name: &str, instance: &Value) -> Result<(), Vec<String>> {
    let validator = Spec::crate_spec()
        .schema_validator(name)
        .map_err(|e| vec![e])?;
    let problems = validate(&validator, instance);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
