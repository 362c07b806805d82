//! Replies: the `200 OK` body that acknowledges a webhook, and for a card
//! `authorization` approves or declines the transaction, as the webhooks
//! page says; and [`answer_authorization`], which answers within the
//! vendor's deadline whatever the caller's decision does.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::types::WebhookReply;

/// The vendor's hard deadline for the reply to a card `authorization`
/// (the webhooks page, "Delivery and retries"); after it the card's default
/// behaviour applies.
pub const AUTHORIZATION_DEADLINE: Duration = Duration::from_millis(1_200);

/// What [`DEFAULT_AUTHORIZATION_BUDGET`] leaves of the deadline for the
/// network and the server between the vendor and the decision.
pub const AUTHORIZATION_MARGIN: Duration = Duration::from_millis(200);

/// How long [`answer_authorization`] waits for the caller's decision by
/// default: the deadline minus the margin.
pub const DEFAULT_AUTHORIZATION_BUDGET: Duration =
    AUTHORIZATION_DEADLINE.saturating_sub(AUTHORIZATION_MARGIN);

/// A decline code: `05` (do not honour), or another ISO 8583 response code
/// the vendor passes to the card network as the reason. Never `00` or
/// `SUCCESS`, which approve.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeclineCode(String);

impl DeclineCode {
    /// `05`: decline, do not authorize (the webhooks page).
    pub fn do_not_honor() -> Self {
        Self("05".to_string())
    }

    /// A decline code; refused when empty or when it is one of the codes
    /// that approve (`00`, `SUCCESS`).
    pub fn new(code: impl Into<String>) -> Result<Self, DeclineCodeError> {
        let code = code.into();
        if code.trim().is_empty() {
            return Err(DeclineCodeError::Empty);
        }
        if APPROVING.contains(&code.as_str()) {
            return Err(DeclineCodeError::Approves);
        }
        Ok(Self(code))
    }

    /// The code as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeclineCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The response codes that approve an authorization (the webhooks page).
const APPROVING: &[&str] = &["00", "SUCCESS"];

/// Why a decline code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeclineCodeError {
    /// The code is empty.
    Empty,
    /// The code approves (`00`, `SUCCESS`): use [`Reply::Approve`].
    Approves,
}

impl fmt::Display for DeclineCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeclineCodeError::Empty => f.write_str("a decline code is empty"),
            DeclineCodeError::Approves => {
                f.write_str("`00` and `SUCCESS` approve an authorization; they decline nothing")
            }
        }
    }
}

impl std::error::Error for DeclineCodeError {}

/// The reply to a webhook, sent with `200 OK`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `{"response_code": "OK"}`: a regular event was received.
    Acknowledge,
    /// `{"response_code": "00"}`: approve a card authorization.
    Approve,
    /// `{"response_code": "<code>"}`: decline a card authorization.
    Decline(DeclineCode),
}

impl Reply {
    /// Declines with `05`, do not honour.
    pub fn decline() -> Self {
        Reply::Decline(DeclineCode::do_not_honor())
    }

    /// The `response_code` the reply sends.
    pub fn response_code(&self) -> &str {
        match self {
            Reply::Acknowledge => "OK",
            Reply::Approve => "00",
            Reply::Decline(code) => code.as_str(),
        }
    }

    /// The reply's body, as the spec's `WebhookReply`.
    pub fn body(&self) -> WebhookReply {
        WebhookReply {
            response_code: self.response_code().to_string(),
        }
    }

    /// The reply's body as JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        // A struct of one string field always serializes.
        serde_json::to_vec(&self.body()).unwrap_or_else(|_| b"{}".to_vec())
    }

    /// Reads a reply's `response_code` as the vendor does for an
    /// authorization: `00` or `SUCCESS` approve, anything else declines
    /// with that code (the mock decides a simulated authorization so).
    pub fn of_authorization(response_code: &str) -> Self {
        if APPROVING.contains(&response_code) {
            Reply::Approve
        } else {
            match DeclineCode::new(response_code) {
                Ok(code) => Reply::Decline(code),
                Err(_) => Reply::decline(),
            }
        }
    }
}

/// How [`answer_authorization`] came to its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The caller decided within the budget.
    Decided,
    /// The caller's decision did not come within the budget: declined.
    Late,
    /// The caller's decision failed: declined.
    Failed,
}

/// The reply to an authorization and how it was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationAnswer {
    /// What to send.
    pub reply: Reply,
    /// Whether the caller decided, was late or failed.
    pub outcome: Outcome,
}

/// What is left of `budget` for an authorization the vendor sent at
/// `sent_at` (`Event::sent_at`), as of `now`: the budget counts from the
/// vendor's send, so that the time the request spent on the network and in
/// the server's queues is not waited a second time. Without a send time, or
/// when the two clocks disagree so that the request seems to come from the
/// future, the whole budget; never more than it.
pub fn remaining_budget(
    budget: Duration,
    sent_at: Option<std::time::SystemTime>,
    now: std::time::SystemTime,
) -> Duration {
    match sent_at.map(|sent| now.duration_since(sent)) {
        Some(Ok(elapsed)) => budget.saturating_sub(elapsed),
        _ => budget,
    }
}

/// Answers a card authorization within `budget`: the caller's `decision`
/// when it comes in time, a decline (`05`) when it is late or fails. A late
/// decision is dropped (cancelled) at the budget. Use
/// [`DEFAULT_AUTHORIZATION_BUDGET`] unless the network to the vendor is
/// known to be faster or slower.
pub async fn answer_authorization<F, E>(budget: Duration, decision: F) -> AuthorizationAnswer
where
    F: Future<Output = Result<Reply, E>>,
{
    match tokio::time::timeout(budget, decision).await {
        Ok(Ok(reply)) => AuthorizationAnswer {
            reply,
            outcome: Outcome::Decided,
        },
        Ok(Err(_)) => AuthorizationAnswer {
            reply: Reply::decline(),
            outcome: Outcome::Failed,
        },
        Err(_) => AuthorizationAnswer {
            reply: Reply::decline(),
            outcome: Outcome::Late,
        },
    }
}
