//! Retries that cannot double-spend (`openapi/DECISIONS.md` D-RL3): a `GET`
//! and a call carrying its idempotency key are sent again after a 429 (when
//! its `Retry-After` says), a 5xx or a failed connection; any other call
//! never is. Against the crate's mock on 127.0.0.1; waits on tokio's paused
//! clock (the mock runs on the test's runtime, so the clock jumps only when
//! both sides wait).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::examples::{first_example, resolve};
use cryptomate::dynamic::Arguments;
use cryptomate::mock::{MockError, MockServer, Reply};
use cryptomate::{RetryEvent, RetryPolicy, RetryReason, RetryRule};
use serde_json::Value;
use tokio::time::Instant;

/// The retries a client of `mock` tells of, as the hook receives them.
fn logged_client(mock: &MockServer) -> (cryptomate::Client, Arc<Mutex<Vec<RetryEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&events);
    let client = cryptomate::Client::builder(
        cryptomate::ApiKey::new(cryptomate::mock::TEST_API_KEY).expect("key"),
    )
    .base_url(mock.uri())
    .on_retry(move |event| log.lock().expect("log").push(event.clone()))
    .build()
    .expect("client");
    (client, events)
}

#[tokio::test(start_paused = true)]
async fn a_429_on_a_get_is_retried_once_after_retry_after_and_succeeds() {
    let mock = MockServer::start().await;
    mock.enqueue_for(
        "get_supported_countries",
        Reply::Error(MockError::RateLimited { retry_after: 2 }),
    );
    // A default client: default pacing and retry policy.
    let (client, events) = logged_client(&mock);
    let started = Instant::now();
    let countries = client
        .get_supported_countries()
        .send()
        .await
        .expect("answered on the second attempt");
    assert_eq!(countries.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "sent again after {:?}",
        started.elapsed()
    );
    assert_eq!(mock.requests().len(), 2);
    let events = events.lock().expect("log").clone();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].operation_id, "get_supported_countries");
    assert_eq!(events[0].retry, 1);
    assert_eq!(events[0].reason, RetryReason::RateLimited);
    assert_eq!(events[0].wait, Duration::from_secs(2));
    // What a logger prints of it names no key.
    assert!(!format!("{:?}", events[0]).contains(cryptomate::mock::TEST_API_KEY));
}

#[tokio::test(start_paused = true)]
async fn a_429_on_a_post_without_a_key_is_returned_not_retried() {
    let mock = MockServer::start().await;
    mock.enqueue_for(
        "create_individual_client",
        Reply::Error(MockError::RateLimited { retry_after: 2 }),
    );
    let (client, events) = logged_client(&mock);
    let started = Instant::now();
    let err = client
        .create_individual_client()
        .body(common::person(0))
        .send()
        .await
        .expect_err("rate limited");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(mock.requests().len(), 1);
    assert!(events.lock().expect("log").is_empty());
    assert_eq!(RetryRule::of("create_individual_client"), RetryRule::Never);
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_within_the_retries_and_the_budget() {
    let mock = MockServer::start().await;
    for _ in 0..5 {
        mock.enqueue_for(
            "get_supported_countries",
            Reply::Error(MockError::ServerError),
        );
    }
    let (client, events) = logged_client(&mock);
    let started = Instant::now();
    let err = client
        .get_supported_countries()
        .send()
        .await
        .expect_err("the default's 3 retries are spent");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(mock.requests().len(), 4);
    let waits: Vec<Duration> = events.lock().expect("log").iter().map(|e| e.wait).collect();
    assert_eq!(
        waits,
        [100, 200, 400].map(Duration::from_millis),
        "100 ms doubling"
    );
    assert!(started.elapsed() >= Duration::from_millis(700));
    // A budget smaller than the next wait stops there.
    let client = cryptomate::Client::builder(
        cryptomate::ApiKey::new(cryptomate::mock::TEST_API_KEY).expect("key"),
    )
    .base_url(mock.uri())
    .retry(RetryPolicy::DEFAULT.budget(Duration::from_millis(150)))
    .build()
    .expect("client");
    mock.take_requests();
    client
        .get_supported_countries()
        .send()
        .await
        .expect("the second attempt meets the last queued error's end");
    // Queued: one 500 was left; the retry after it succeeded.
    assert_eq!(mock.take_requests().len(), 2);
    for _ in 0..2 {
        mock.enqueue_for(
            "get_supported_countries",
            Reply::Error(MockError::ServerError),
        );
    }
    let err = client
        .get_supported_countries()
        .send()
        .await
        .expect_err("100 ms, then 200 ms would pass the budget");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(mock.take_requests().len(), 2);
}

/// The rule of an operation as the spec says it, read here from the spec's
/// JSON rather than from the generator's facts.
fn rule_in_spec(method: &str, operation: &Value, spec: &Value) -> (String, Option<(String, bool)>) {
    let key = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| resolve(spec, p))
        .find(|p| {
            p["in"] == "header"
                && p["name"].as_str().is_some_and(|n| {
                    n.eq_ignore_ascii_case("x-idempotency-key")
                        || n.eq_ignore_ascii_case("Idempotency-Key")
                })
        })
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_string(),
                p["required"] == true,
            )
        });
    (method.to_uppercase(), key)
}

/// Every operation of the spec: its generated rule is the spec's, and over
/// the wire (through the dispatcher, with the page's example) a 429 that
/// asks for no wait is sent again exactly when the rule allows it.
#[tokio::test]
async fn every_operation_is_retried_exactly_as_its_rule_says() {
    let spec = common::spec();
    let mut counted = (0, 0, 0, 0);
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let (method, key) = rule_in_spec(method, operation, &spec);
            let expected = match (&*method, &key) {
                ("GET", _) => RetryRule::Read,
                (_, Some((name, _))) => RetryRule::Keyed {
                    header: RetryRule::table()
                        .iter()
                        .find_map(|(i, r)| match r {
                            RetryRule::Keyed { header } if *i == id => Some(*header),
                            _ => None,
                        })
                        .filter(|h| h == name)
                        .unwrap_or_else(|| panic!("{id}: the table names {name}")),
                },
                _ => RetryRule::Never,
            };
            assert_eq!(RetryRule::of(id), expected, "{id} ({method} {template})");

            // The page's example, without the parameter `skip`.
            let arguments = |skip: Option<&str>| {
                let mut arguments = Arguments::new();
                for param in operation["parameters"].as_array().into_iter().flatten() {
                    let param = resolve(&spec, param);
                    let name = param["name"].as_str().expect("a name");
                    if let Some(example) = param.get("example").filter(|_| Some(name) != skip) {
                        arguments = arguments.parameter(name, example.clone());
                    }
                }
                if let Some(media) = operation.pointer("/requestBody/content/application~1json") {
                    arguments =
                        arguments.body(first_example(&spec, media).expect("a body example"));
                }
                arguments
            };
            // The requests a mock received for one call answered 429 first.
            let sends = |arguments: Arguments| async move {
                let mock = MockServer::start().await;
                mock.enqueue_for(id, Reply::Error(MockError::RateLimited { retry_after: 0 }));
                let _ = mock.client().call_operation(id, arguments).await;
                mock.requests()
            };
            let retried = expected != RetryRule::Never;
            assert_eq!(
                sends(arguments(None)).await.len(),
                if retried { 2 } else { 1 },
                "{id}: {expected:?}"
            );
            // A keyed call the caller gives no key gets a fresh one from its
            // builder (`codegen/rewrite/idempotency.rs`), and its retry sends
            // that same key: what the vendor needs to answer it once.
            if let Some((name, _)) = &key {
                let sent = sends(arguments(Some(name))).await;
                let keys: Vec<Option<&str>> = sent.iter().map(|r| r.header(name)).collect();
                assert_eq!(keys.len(), 2, "{id} without {name}");
                assert!(keys[0].is_some_and(|k| !k.is_empty()), "{id}: {keys:?}");
                assert_eq!(keys[0], keys[1], "{id}: the retry sends the same key");
                counted.3 += 1;
            }
            match expected {
                RetryRule::Read => counted.0 += 1,
                RetryRule::Keyed { .. } => counted.1 += 1,
                _ => counted.2 += 1,
            }
        }
    }
    assert_eq!(
        counted.0 + counted.1 + counted.2,
        RetryRule::table().len(),
        "every operation of the table is in the spec"
    );
    // Today: 5 keyed operations (the treasury transfer's key optional).
    assert!(
        counted.0 > 50 && counted.1 >= 5 && counted.2 > 40 && counted.3 == counted.1,
        "{counted:?}"
    );
}
