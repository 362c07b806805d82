//! Webhooks (feature `webhooks`): the events the vendor posts to the
//! company's URL, verified and typed, and the replies.
//!
//! ```no_run
//! use cryptomate::webhooks::{Reply, Verifier, WebhookKey};
//! use cryptomate::types::WebhookData;
//!
//! # fn run(headers: &http::HeaderMap, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::new(WebhookKey::from_env()?);
//! let event = verifier.verify(headers, body)?; // 401 or 400 on error: `e.status()`
//! let reply = match &event.data {
//!     WebhookData::CardsAuthorization(authorization) => Reply::Approve,
//!     _ => Reply::Acknowledge,
//! };
//! # let _ = reply; Ok(())
//! # }
//! ```
//!
//! - [`Verifier`]: from the request's headers and raw body to an [`Event`]:
//!   the `X-Webhook-Key` header compared with the [`WebhookKey`] in constant
//!   time, an optional maximum age from `X-Request-Timestamp`, the body read
//!   as the spec's envelope and its `data` as the event's type
//!   ([`WebhookData`], generated from the spec; an event the spec does not
//!   list is `WebhookData::Unknown`). Each failure is a [`VerifyError`] with
//!   its HTTP status; none prints the key or the body.
//! - [`Reply`]: acknowledge, approve, or decline with a [`DeclineCode`];
//!   [`answer_authorization`] declines when the caller's decision is late or
//!   fails, within [`DEFAULT_AUTHORIZATION_BUDGET`].
//! - [`DedupStore`], [`MemoryDedup`]: each event handed over once.
//! - `axum` (feature `webhooks-axum`): a receiver doing all of that.

#[cfg(feature = "webhooks-axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks-axum")))]
pub mod axum;
mod dedup;
mod event;
mod reply;
mod verify;

pub use crate::types::WebhookData;
pub use dedup::{DedupStore, MemoryDedup};
pub use event::{Event, ShapeError, UnknownData, decode_data};
pub use reply::{
    AUTHORIZATION_DEADLINE, AUTHORIZATION_MARGIN, AuthorizationAnswer,
    DEFAULT_AUTHORIZATION_BUDGET, DeclineCode, DeclineCodeError, Outcome, Reply,
    answer_authorization, remaining_budget,
};
pub use verify::{
    ENV_WEBHOOK_KEY, KEY_HEADER, KeyError, TIMESTAMP_HEADER, Verifier, VerifyError, WebhookKey,
};
