//! A receiver of webhooks for axum servers (feature `webhooks-axum`): each
//! request verified ([`Verifier`]), each event handed to the caller once
//! ([`DedupStore`]), authorizations answered within their budget
//! ([`answer_authorization`]).
//!
//! | request | answer | the caller's function |
//! | --- | --- | --- |
//! | no `X-Webhook-Key`, or not the key | `401`, empty | not called |
//! | stale, not JSON, cut short, not a webhook | `400`, `{"error": "..."}` (no key, no body quoted) | not called |
//! | an event seen before (its dedup key) | `200` `{"response_code": "OK"}`, or `05` for an authorization | not called |
//! | a card `authorization` | `200` with the caller's reply, or `05` when it is late (the budget counted from `X-Request-Timestamp`, [`remaining_budget`]) or fails | called |
//! | another event | `200` with the caller's reply; `500` when it fails (the vendor retries; the event is forgotten, so the retry is handed over) | called |
//!
//! ```no_run
//! use cryptomate::webhooks::axum::Receiver;
//! use cryptomate::webhooks::{Reply, Verifier, WebhookKey};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let receiver = Receiver::new(Verifier::new(WebhookKey::from_env()?));
//! let app = receiver.router(|event| async move {
//!     println!("{} {}", event.product, event.event_type);
//!     Ok::<_, std::convert::Infallible>(if event.is_authorization() {
//!         Reply::Approve
//!     } else {
//!         Reply::Acknowledge
//!     })
//! });
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! cryptomate::webhooks::axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::{
    DEFAULT_AUTHORIZATION_BUDGET, DedupStore, Event, MemoryDedup, Reply, Verifier,
    answer_authorization, remaining_budget,
};

/// What a receiver needs besides the caller's function: the verifier, the
/// dedup store and the authorization's budget.
#[derive(Clone)]
pub struct Receiver {
    verifier: Verifier,
    dedup: Arc<dyn DedupStore>,
    budget: Duration,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("verifier", &self.verifier)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl Receiver {
    /// A receiver verifying with `verifier`, deduplicating in memory
    /// ([`MemoryDedup`]), answering authorizations within
    /// [`DEFAULT_AUTHORIZATION_BUDGET`].
    pub fn new(verifier: Verifier) -> Self {
        Self {
            verifier,
            dedup: Arc::new(MemoryDedup::default()),
            budget: DEFAULT_AUTHORIZATION_BUDGET,
        }
    }

    /// Deduplicates with `store` (one shared by several servers).
    pub fn dedup(mut self, store: impl DedupStore) -> Self {
        self.dedup = Arc::new(store);
        self
    }

    /// Waits `budget` for the caller's decision on an authorization.
    pub fn authorization_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// A router answering `POST` on every path as the table above says,
    /// handing each new verified event to `on_event`.
    pub fn router<F, Fut, E>(self, on_event: F) -> Router
    where
        F: Fn(Event) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Reply, E>> + Send + 'static,
        E: Send + 'static,
    {
        let state = Arc::new(Inner {
            receiver: self,
            on_event,
        });
        Router::new()
            .route("/", post(handle::<F, Fut, E>))
            .route("/{*path}", post(handle::<F, Fut, E>))
            .with_state(state)
    }

    /// Answers one request: what the router does, for a server that is not
    /// axum's router (or a test).
    pub async fn answer<F, Fut, E>(&self, headers: &HeaderMap, body: &[u8], on_event: &F) -> Answer
    where
        F: Fn(Event) -> Fut,
        Fut: Future<Output = Result<Reply, E>>,
    {
        let event = match self.verifier.verify(headers, body) {
            Ok(event) => event,
            Err(e) => {
                return Answer {
                    status: e.status(),
                    reply: None,
                    error: Some(e.to_string()),
                };
            }
        };
        let key = event.dedup_key().to_string();
        let authorization = event.is_authorization();
        if !self.dedup.first_time(&key) {
            let reply = if authorization {
                Reply::decline()
            } else {
                Reply::Acknowledge
            };
            return Answer::ok(reply);
        }
        if authorization {
            // The budget counts from the vendor's send (D-W6).
            let budget = remaining_budget(self.budget, event.sent_at(), SystemTime::now());
            let answer = answer_authorization(budget, on_event(event)).await;
            return Answer::ok(answer.reply);
        }
        match on_event(event).await {
            Ok(reply) => Answer::ok(reply),
            Err(_) => {
                self.dedup.forget(&key);
                Answer {
                    status: 500,
                    reply: None,
                    error: Some("the receiver could not handle the event".into()),
                }
            }
        }
    }
}

/// What a receiver answers one request with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The reply sent with a `200`.
    pub reply: Option<Reply>,
    /// What was wrong, sent with a `400` or `500` (never the key or the
    /// body).
    pub error: Option<String>,
}

impl Answer {
    fn ok(reply: Reply) -> Self {
        Self {
            status: 200,
            reply: Some(reply),
            error: None,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let json = |body: Vec<u8>| {
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        };
        match (self.reply, self.error) {
            (Some(reply), _) => json(reply.to_json()),
            (None, Some(error)) if status != StatusCode::UNAUTHORIZED => json(
                serde_json::json!({ "error": error })
                    .to_string()
                    .into_bytes(),
            ),
            _ => status.into_response(),
        }
    }
}

/// Serves `router` on `listener` until the process ends or the listener
/// fails: `axum::serve`, for callers that do not depend on axum themselves.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    ::axum::serve(listener, router).await
}

struct Inner<F> {
    receiver: Receiver,
    on_event: F,
}

async fn handle<F, Fut, E>(
    State(state): State<Arc<Inner<F>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer
where
    F: Fn(Event) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Reply, E>> + Send + 'static,
    E: Send + 'static,
{
    state
        .receiver
        .answer(&headers, &body, &state.on_event)
        .await
}
