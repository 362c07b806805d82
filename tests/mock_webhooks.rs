//! The mock delivers webhooks (D-W7): with the company's URL and key
//! subscribed through the API, the simulate operations make it post the
//! webhooks page's events to a receiver on 127.0.0.1 with the documented
//! headers; the authorization's reply decides the transaction the API then
//! shows; the regular events follow. (The retry schedule is tested on a
//! paused clock beside the delivery, `src/mock/behaviour/webhooks.rs`.)

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cryptomate::mock::MockServer;
use cryptomate::types::WebhookData;
use cryptomate::webhooks::axum::{Receiver, serve};
use cryptomate::webhooks::{Event, Reply, Verifier, WebhookKey};
use serde_json::{Value, json};

const KEY: &str = "wh_key_0123456789";

/// A receiver on 127.0.0.1 that records every event and answers an
/// authorization with `decision` (never, when `None`).
async fn receiver(key: &str, decision: Option<Reply>) -> (String, Arc<Mutex<Vec<Event>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let app = Receiver::new(Verifier::new(
        WebhookKey::new(key).expect("as the test sets it up"),
    ))
    .router(move |event| {
        let seen = Arc::clone(&seen);
        let decision = decision.clone();
        async move {
            let authorization = event.is_authorization();
            seen.lock().expect("not poisoned").push(event);
            if !authorization {
                return Ok::<_, ()>(Reply::Acknowledge);
            }
            match decision {
                Some(reply) => Ok(reply),
                None => std::future::pending().await,
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("as the test sets it up");
    let url = format!(
        "http://{}/cryptomate",
        listener.local_addr().expect("as the test sets it up")
    );
    tokio::spawn(serve(listener, app));
    (url, events)
}

/// A mock whose company subscribed `url` with `KEY`, and a new card.
async fn mock_with(url: &str) -> (MockServer, String) {
    let mock = MockServer::start().await;
    let api = mock.client();
    api.subscribe_webhook_url()
        .body(
            serde_json::from_value::<cryptomate::types::WebhookSubscriptionRequest>(
                json!({ "url": url, "webhook_key": KEY }),
            )
            .expect("as the test sets it up"),
        )
        .send()
        .await
        .expect("subscribed");
    let card = api
        .create_card()
        .body(
            serde_json::from_value::<cryptomate::types::CreateCardRequest>(json!({
                "card_holder_name": "Maria Barber",
                "approval_method": "TOP_UP",
                "phone_country_code": 54,
                "phone": "1168860622",
            }))
            .expect("as the test sets it up"),
        )
        .send()
        .await
        .expect("a card")
        .into_inner();
    (mock, card.id.to_string())
}

async fn simulate(mock: &MockServer, what: &str, card: &str, amount: f64) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/cards/webhook/simulate/{what}", mock.uri()))
        .header("x-api-key", "test-key")
        .json(&json!({ "card_id": card, "bill_amount": amount }))
        .send()
        .await
        .expect("the mock answers")
        .status()
        .as_u16()
}

/// The card's transaction of `amount`, as the API shows it.
async fn transaction(mock: &MockServer, card: &str, amount: f64) -> Value {
    let page: Value = reqwest::Client::new()
        .get(format!(
            "{}/cards/transactions/{card}/search?operations=TRANSACTION_AUTHORIZATION&size=100",
            mock.uri()
        ))
        .header("x-api-key", "test-key")
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("a page");
    page["movements"]
        .as_array()
        .expect("movements")
        .iter()
        .find(|m| m["bill_amount"].as_f64() == Some(amount))
        .cloned()
        .unwrap_or_else(|| panic!("a transaction of {amount} in {page}"))
}

/// Waits (a few seconds at most) until the receiver has `n` events.
async fn events(events: &Arc<Mutex<Vec<Event>>>, n: usize) -> Vec<(String, String)> {
    for _ in 0..500 {
        if events.lock().expect("not poisoned").len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    events
        .lock()
        .expect("as the test sets it up")
        .iter()
        .map(|e| (e.product.to_string(), e.event_type.clone()))
        .collect()
}

fn pair(product: &str, event_type: &str) -> (String, String) {
    (product.to_string(), event_type.to_string())
}

#[tokio::test]
async fn an_authorization_approved_by_the_webhook_is_approved_then_cleared_and_refunded() {
    let (url, seen) = receiver(KEY, Some(Reply::Approve)).await;
    let (mock, card) = mock_with(&url).await;
    assert_eq!(simulate(&mock, "authorize", &card, 42.5).await, 201);
    // Decided before the simulation answered.
    let t = transaction(&mock, &card, 42.5).await;
    assert_eq!(
        (t["operation"].as_str(), t["status"].as_str()),
        (Some("TRANSACTION_APPROVED"), Some("SUCCESS"))
    );
    assert_eq!(
        events(&seen, 2).await,
        [pair("cards", "authorization"), pair("cards", "authorized")]
    );
    {
        let seen = seen.lock().expect("not poisoned");
        let WebhookData::CardsAuthorization(data) = &seen[0].data else {
            panic!("{:?}", seen[0]);
        };
        assert_eq!(data.card_id, card);
        assert_eq!(data.bill_amount.as_deref(), Some("42.50"));
        assert_eq!(
            seen[0].operation_id, seen[1].operation_id,
            "one transaction"
        );
    }
    assert_eq!(simulate(&mock, "clearing", &card, 42.5).await, 201);
    assert_eq!(
        transaction(&mock, &card, 42.5).await["operation"],
        "TRANSACTION_CLEARED"
    );
    assert_eq!(simulate(&mock, "refund", &card, 42.5).await, 201);
    assert_eq!(
        transaction(&mock, &card, 42.5).await["operation"],
        "TRANSACTION_REFUND"
    );
    assert_eq!(
        events(&seen, 4).await[2..],
        [pair("cards", "cleared"), pair("cards", "refund")]
    );
    // Nothing left to clear or refund: the pages' 404s.
    assert_eq!(simulate(&mock, "clearing", &card, 1.0).await, 404);
    assert_eq!(simulate(&mock, "refund", &card, 1.0).await, 404);
    assert_eq!(simulate(&mock, "reversal", &card, 1.0).await, 404);
}

#[tokio::test]
async fn an_authorization_declined_by_the_webhook_carries_its_code() {
    let (url, seen) = receiver(
        KEY,
        Some(Reply::Decline(
            cryptomate::webhooks::DeclineCode::new("51").expect("as the test sets it up"),
        )),
    )
    .await;
    let (mock, card) = mock_with(&url).await;
    assert_eq!(simulate(&mock, "authorize", &card, 7.25).await, 201);
    let t = transaction(&mock, &card, 7.25).await;
    assert_eq!(t["operation"], "TRANSACTION_REJECTED");
    assert_eq!(t["status"], "FAILED");
    assert_eq!(t["decline_reason"]["code"], "51");
    assert_eq!(
        events(&seen, 2).await,
        [pair("cards", "authorization"), pair("cards", "declined")]
    );
    let seen = seen.lock().expect("not poisoned");
    let WebhookData::CardsDeclined(data) = &seen[1].data else {
        panic!("{:?}", seen[1]);
    };
    let reason = data.decline_reason.as_ref().expect("a reason");
    assert_eq!(reason.code.as_deref(), Some("51"));
    assert_eq!(reason.response_code.as_deref(), Some("51"));
}

#[tokio::test]
async fn a_reversal_reverses_the_latest_approved_authorization() {
    let (url, seen) = receiver(KEY, Some(Reply::Approve)).await;
    let (mock, card) = mock_with(&url).await;
    assert_eq!(simulate(&mock, "authorize", &card, 3.0).await, 201);
    assert_eq!(simulate(&mock, "reversal", &card, 3.0).await, 201);
    assert_eq!(
        transaction(&mock, &card, 3.0).await["operation"],
        "TRANSACTION_REVERSED"
    );
    assert_eq!(events(&seen, 3).await[2], pair("cards", "reversal"));
}

#[tokio::test]
async fn a_receiver_that_refuses_the_key_or_never_answers_declines() {
    // The receiver expects another key: 401, no reply, declined.
    let (url, seen) = receiver("another_key_0123", Some(Reply::Approve)).await;
    let (mock, card) = mock_with(&url).await;
    assert_eq!(simulate(&mock, "authorize", &card, 5.0).await, 201);
    assert_eq!(
        transaction(&mock, &card, 5.0).await["operation"],
        "TRANSACTION_REJECTED"
    );
    assert!(
        seen.lock().expect("not poisoned").is_empty(),
        "nothing handed over"
    );

    // A receiver whose decision never comes: its own budget declines first
    // (05), well within the mock's deadline.
    let (url, _) = receiver(KEY, None).await;
    let (mock, card) = mock_with(&url).await;
    assert_eq!(simulate(&mock, "authorize", &card, 6.0).await, 201);
    let t = transaction(&mock, &card, 6.0).await;
    assert_eq!(t["operation"], "TRANSACTION_REJECTED");
    assert_eq!(t["decline_reason"]["code"], "05");
}

#[tokio::test]
async fn without_a_local_subscription_nothing_is_sent_and_the_authorization_is_declined() {
    // A fresh mock: the company's example URL is the vendor's, never called.
    let mock = MockServer::start().await;
    let card = mock
        .client()
        .list_cards()
        .send()
        .await
        .expect("the example card")
        .into_inner()[0]
        .id
        .to_string();
    assert_eq!(simulate(&mock, "authorize", &card, 9.0).await, 201);
    assert_eq!(
        transaction(&mock, &card, 9.0).await["operation"],
        "TRANSACTION_REJECTED"
    );
    // An unknown card is the page's 412.
    assert_eq!(simulate(&mock, "authorize", "card_unknown", 9.0).await, 412);
}
