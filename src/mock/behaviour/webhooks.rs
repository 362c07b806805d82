//! Webhook simulation (D-W7 in `openapi/DECISIONS.md`): the four simulate
//! operations make a card transaction move and the mock post the webhooks
//! page's events to the company's subscribed URL, with its key.
//!
//! - `simulate_authorize`: a new transaction of the card (`PENDING`), and the
//!   `authorization` event, whose reply decides it (`00`/`SUCCESS`: approved;
//!   anything else, no answer within the deadline, or no subscribed URL:
//!   declined, with the reply's code); then `authorized` or `declined`.
//! - `simulate_clearing`: the card's latest approved transaction is cleared
//!   (`cleared`); `simulate_reversal`: the latest approved, not cleared, is
//!   reversed (`reversal`); `simulate_refund`: the latest cleared is refunded
//!   (`refund`). Each answers its page's `404` when there is none.
//!
//! The behaviours (sync, under the store's lock) change the store and queue
//! the deliveries in [`State::outbox`]; the server's handler sends them after
//! the answer is made and before it is sent ([`deliver`]): it waits for the
//! authorization's reply (at most [`AUTHORIZATION_DEADLINE`]), so that the
//! simulate call returns once the transaction is decided, and hands the
//! regular events to background tasks that retry as the page says
//! ([`retry_schedule`]). Events are built from the page's examples embedded
//! in the spec (`components/examples`, D-W1), with the transaction's values.
//! Deliveries go to loopback URLs only: the mock never reaches the network.

use std::time::Duration;

use serde_json::{Value, json};

use super::Call;
use crate::mock::answer::{self, Answer};
use crate::mock::store::{Item, Store};
use crate::webhooks::{AUTHORIZATION_DEADLINE, KEY_HEADER, Reply, TIMESTAMP_HEADER};

/// How many times a regular event is sent at most (the webhooks page: "Up to
/// 10 attempts with exponential backoff (initial 1 s, multiplier 2x)").
pub(crate) const REGULAR_ATTEMPTS: u32 = 10;
/// The first wait between two attempts of a regular event.
pub(crate) const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The timeout of one attempt of a regular event (the page: "30 s HTTP
/// timeout").
pub(crate) const REGULAR_TIMEOUT: Duration = Duration::from_secs(30);

/// What the webhook behaviours keep: the deliveries the handler has not
/// taken yet.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) outbox: Vec<Delivery>,
}

/// One webhook to send.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) url: String,
    pub(crate) key: Option<String>,
    pub(crate) event: Value,
    /// For an authorization, the transaction its reply decides.
    pub(crate) decides: Option<Decides>,
}

/// The transaction an authorization's reply decides.
#[derive(Debug, Clone)]
pub(crate) struct Decides {
    family: usize,
    transaction: String,
    /// Whether the family's `decline_reason` is the code as text (an
    /// individual card's transaction) rather than an object.
    reason_as_text: bool,
}

/// The card programs the simulations serve: the operation that reads a card,
/// and the one whose family holds the card's transactions (a virtual card's,
/// an individual card's).
const PROGRAMS: &[(&str, &str)] = &[
    ("get_card", "get_card_transaction"),
    ("get_individual_card", "search_individual_card_transactions"),
];

/// The family of the transactions of the card `card_id`, when a program
/// has the card.
fn transactions_of(call: &Call<'_>, card_id: &str) -> Option<usize> {
    PROGRAMS.iter().find_map(|(card, transactions)| {
        let cards = call.family_of(card)?;
        call.store.get(cards, card_id)?;
        call.family_of(transactions)
    })
}

/// `simulate_authorize`: a pending transaction, and its authorization.
pub(super) fn authorize(call: &mut Call<'_>) -> Answer {
    let card_id = match call.body().get("card_id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        // Neither field is required (D-C52): the latest virtual card.
        None => match call
            .family_of(PROGRAMS[0].0)
            .and_then(|cards| call.store.items(cards).last().map(|c| c.id.clone()))
        {
            Some(id) => id,
            None => return call.documented(412),
        },
    };
    let Some(transactions) = transactions_of(call, &card_id) else {
        return call.documented(412);
    };
    let reason_as_text = call.family_of(PROGRAMS[1].1) == Some(transactions);
    let amount = call
        .body()
        .get("bill_amount")
        .and_then(Value::as_f64)
        .unwrap_or(10.0);
    let id = uuid::Uuid::new_v4().to_string();
    let lifecycle = format!("life_evt_{}", uuid::Uuid::new_v4().simple());
    let data = json!({
        "id": id,
        "datetime": answer::now(),
        "operation": "TRANSACTION_AUTHORIZATION",
        "bill_amount": amount,
        "bill_currency": "USD",
        "transaction_amount": amount,
        "transaction_currency": "USD",
        "exchange_rate": 1.0,
        "merchant_name": "Acme Coffee",
        "status": "PENDING",
        "decline_reason": null,
    });
    let mut hidden = serde_json::Map::new();
    hidden.insert("lifecycle".into(), lifecycle.clone().into());
    let seq = call.store.next_seq();
    call.store.insert(
        transactions,
        Item {
            id: id.clone(),
            seq,
            scope: vec![Some(card_id.clone())],
            data,
            hidden,
            seeded: false,
        },
    );
    match subscription(call.store) {
        Some((url, key)) => {
            let event = event(
                call,
                "WebhookCardsAuthorization",
                &lifecycle,
                &card_id,
                amount,
            );
            call.store.behaviour.webhooks.outbox.push(Delivery {
                url,
                key,
                event,
                decides: Some(Decides {
                    family: transactions,
                    transaction: id,
                    reason_as_text,
                }),
            });
        }
        // No URL to ask: the card's default, declined (D-W7).
        None => {
            decide(call.store, transactions, &id, None, reason_as_text);
        }
    }
    Answer::empty(201)
}

/// `simulate_clearing`: the latest approved transaction is cleared.
pub(super) fn clearing(call: &mut Call<'_>) -> Answer {
    advance(
        call,
        "TRANSACTION_APPROVED",
        "TRANSACTION_CLEARED",
        "WebhookCardsAuthorized",
        "cleared",
    )
}

/// `simulate_reversal`: the latest approved transaction, not cleared, is
/// reversed.
pub(super) fn reversal(call: &mut Call<'_>) -> Answer {
    advance(
        call,
        "TRANSACTION_APPROVED",
        "TRANSACTION_REVERSED",
        "WebhookCardsAuthorized",
        "reversal",
    )
}

/// `simulate_refund`: the latest cleared transaction is refunded.
pub(super) fn refund(call: &mut Call<'_>) -> Answer {
    advance(
        call,
        "TRANSACTION_CLEARED",
        "TRANSACTION_REFUND",
        "WebhookCardsAuthorized",
        "refund",
    )
}

/// Moves the card's latest transaction in `from` to `to` and queues the
/// event `event_type` (of the shape of the page's example `example`).
fn advance(call: &mut Call<'_>, from: &str, to: &str, example: &str, event_type: &str) -> Answer {
    let card_id = call
        .body()
        .get("card_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let families: Vec<usize> = PROGRAMS
        .iter()
        .filter_map(|(_, transactions)| call.family_of(transactions))
        .collect();
    let latest = families
        .iter()
        .flat_map(|f| call.store.items(*f).into_iter().map(move |t| (*f, t)))
        .filter(|(_, t)| {
            !t.seeded
                && card_id
                    .as_deref()
                    .is_none_or(|c| t.scope.first() == Some(&Some(c.to_string())))
        })
        .filter(|(_, t)| t.text("operation") == Some(from))
        .max_by_key(|(_, t)| t.seq)
        .map(|(f, t)| {
            (
                f,
                t.id.clone(),
                t.scope.first().cloned().flatten().unwrap_or_default(),
                t.hidden
                    .get("lifecycle")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                t.data["bill_amount"].as_f64().unwrap_or_default(),
            )
        });
    let Some((transactions, id, card, lifecycle, amount)) = latest else {
        return call.documented(404);
    };
    let amount = call
        .body()
        .get("bill_amount")
        .and_then(Value::as_f64)
        .unwrap_or(amount);
    if let Some(t) = call.store.get_mut(transactions, &id) {
        t.data["operation"] = to.into();
        t.data["status"] = "SUCCESS".into();
        t.data["datetime"] = answer::now().into();
    }
    if let Some((url, key)) = subscription(call.store) {
        let mut event = event(call, example, &lifecycle, &card, amount);
        event["event_type"] = event_type.into();
        call.store.behaviour.webhooks.outbox.push(Delivery {
            url,
            key,
            event,
            decides: None,
        });
    }
    Answer::empty(201)
}

/// The company's subscribed webhook URL, when it is on this machine, and
/// key.
fn subscription(store: &Store) -> Option<(String, Option<String>)> {
    let company = store.documents.get(super::company::COMPANY)?;
    let url = company.get("webhook_url")?.as_str()?.to_string();
    let parsed = url::Url::parse(&url).ok()?;
    let loopback = match parsed.host()? {
        url::Host::Domain(d) => d == "localhost",
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    if !loopback || !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let key = company
        .get("webhook_key")
        .and_then(Value::as_str)
        .map(str::to_string);
    Some((url, key))
}

/// The page's example `example`, with the transaction's values.
fn event(call: &Call<'_>, example: &str, operation_id: &str, card_id: &str, amount: f64) -> Value {
    let mut event = call
        .component_example(example)
        .unwrap_or_else(|| json!({"product": "cards", "data": {}}));
    let amount = format!("{amount:.2}");
    event["operation_id"] = operation_id.into();
    let data = &mut event["data"];
    data["card_id"] = card_id.into();
    data["bill_amount"] = amount.clone().into();
    data["transaction_amount"] = amount.into();
    data["created_at"] = format!("{}Z", answer::now()).into();
    event
}

/// Decides an authorized transaction from the reply's `response_code`
/// (`None`: no reply in time, declined as the card's default, D-W7).
/// Returns the regular event that follows (`authorized` or `declined`).
fn decide(
    store: &mut Store,
    family: usize,
    id: &str,
    response_code: Option<&str>,
    reason_as_text: bool,
) -> &'static str {
    let reply = response_code.map(Reply::of_authorization);
    let Some(t) = store.get_mut(family, id) else {
        return "declined";
    };
    match reply {
        Some(Reply::Approve) => {
            t.data["operation"] = "TRANSACTION_APPROVED".into();
            t.data["status"] = "SUCCESS".into();
            "authorized"
        }
        other => {
            let code = match other {
                Some(reply) => reply.response_code().to_string(),
                None => "05".to_string(),
            };
            t.data["operation"] = "TRANSACTION_REJECTED".into();
            t.data["status"] = "FAILED".into();
            t.data["decline_reason"] = if reason_as_text {
                code.into()
            } else {
                json!({
                    "code": code,
                    "simple_reason": DECLINED,
                    "detailed_reason": DECLINED,
                })
            };
            "declined"
        }
    }
}

/// The reason of a transaction the company's webhook declined.
const DECLINED: &str = "Declined by the company's authorization webhook";

/// The waits before each attempt after the first of a regular event: 1 s,
/// 2 s, 4 s, … (the page's exponential backoff), `REGULAR_ATTEMPTS - 1` of
/// them.
pub(crate) fn retry_schedule() -> impl Iterator<Item = Duration> {
    (0..REGULAR_ATTEMPTS - 1).map(|n| FIRST_BACKOFF * 2u32.pow(n))
}

/// Sends `attempt` until it succeeds, at most [`REGULAR_ATTEMPTS`] times,
/// waiting [`retry_schedule`] between attempts. Returns the number of
/// attempts made and whether one succeeded.
pub(crate) async fn with_retries<F, Fut>(mut attempt: F) -> (u32, bool)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut made = 1;
    if attempt().await {
        return (made, true);
    }
    for wait in retry_schedule() {
        tokio::time::sleep(wait).await;
        made += 1;
        if attempt().await {
            return (made, true);
        }
    }
    (made, false)
}

/// Posts one event; the reply's `response_code` when the answer is a `200`.
async fn post(
    http: &reqwest::Client,
    delivery: &Delivery,
    timeout: Duration,
) -> Result<Option<String>, ()> {
    let sent_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut request = http
        .post(&delivery.url)
        .timeout(timeout)
        .header(TIMESTAMP_HEADER, sent_ms.to_string())
        .json(&delivery.event);
    if let Some(key) = &delivery.key {
        request = request.header(KEY_HEADER, key);
    }
    let response = request.send().await.map_err(|_| ())?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(());
    }
    let body: Value = response.json().await.unwrap_or(Value::Null);
    Ok(body
        .get("response_code")
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// Runs a function on the mock's store, under its lock.
pub(crate) type WithStore<'a> = dyn Fn(&mut dyn FnMut(&mut Store)) + Sync + 'a;

/// Sends the deliveries `take` gives: each authorization now, its reply
/// deciding its transaction (under `with_store`), and every regular event,
/// the authorization's follow-up included, in the background with retries.
pub(crate) async fn deliver(
    http: &reqwest::Client,
    deliveries: Vec<Delivery>,
    with_store: &WithStore<'_>,
) {
    for delivery in deliveries {
        let Some(decides) = delivery.decides.clone() else {
            regular(http.clone(), delivery);
            continue;
        };
        let reply = post(http, &delivery, AUTHORIZATION_DEADLINE)
            .await
            .ok()
            .flatten();
        let mut follow_up = None;
        with_store(&mut |store| {
            let event_type = decide(
                store,
                decides.family,
                &decides.transaction,
                reply.as_deref(),
                decides.reason_as_text,
            );
            let transaction = store
                .get(decides.family, &decides.transaction)
                .map(|t| t.data.clone());
            follow_up = Some((event_type, transaction));
        });
        if let Some((event_type, transaction)) = follow_up {
            let mut event = delivery.event.clone();
            event["event_type"] = event_type.into();
            event["status"] = "success".into();
            if event_type == "declined"
                && let Some(code) = transaction.as_ref().map(|t| {
                    let reason = &t["decline_reason"];
                    reason.get("code").unwrap_or(reason).clone()
                })
            {
                // Webhooks carry the five fields (the decline codes page).
                event["data"]["decline_reason"] = json!({
                    "response_code": code,
                    "description": DECLINED,
                    "code": code,
                    "simple_reason": DECLINED,
                    "detailed_reason": DECLINED,
                });
            }
            regular(
                http.clone(),
                Delivery {
                    event,
                    decides: None,
                    ..delivery
                },
            );
        }
    }
}

/// Sends a regular event in the background, retrying as the page says.
fn regular(http: reqwest::Client, delivery: Delivery) {
    tokio::spawn(async move {
        with_retries(|| {
            let (http, delivery) = (&http, &delivery);
            async move { post(http, delivery, REGULAR_TIMEOUT).await.is_ok() }
        })
        .await;
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn the_schedule_is_the_pages() {
        let waits: Vec<u64> = retry_schedule().map(|d| d.as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256]);
        assert_eq!(waits.len() as u32 + 1, REGULAR_ATTEMPTS);
    }

    #[tokio::test(start_paused = true)]
    async fn a_regular_event_is_retried_with_exponential_backoff_on_a_paused_clock() {
        let start = tokio::time::Instant::now();
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        let calls = Arc::new(AtomicU32::new(0));
        let (t, c) = (Arc::clone(&times), Arc::clone(&calls));
        // Fails three times, then succeeds.
        let (made, ok) = with_retries(move || {
            let (t, c) = (Arc::clone(&t), Arc::clone(&c));
            async move {
                t.lock()
                    .expect("not poisoned")
                    .push(start.elapsed().as_secs());
                c.fetch_add(1, Ordering::SeqCst) >= 3
            }
        })
        .await;
        assert_eq!((made, ok), (4, true));
        assert_eq!(*times.lock().expect("not poisoned"), [0, 1, 3, 7]);

        // Never succeeds: ten attempts, then it stops.
        let start = tokio::time::Instant::now();
        let (made, ok) = with_retries(|| async { false }).await;
        assert_eq!((made, ok), (REGULAR_ATTEMPTS, false));
        assert_eq!(start.elapsed(), Duration::from_secs(511));
    }
}
