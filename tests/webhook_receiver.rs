//! `cargo run --example webhook_receiver`, as a user runs it: it prints where
//! it listens, then one line per verified event of the vendor's webhooks
//! page posted to it over HTTP on 127.0.0.1; it approves authorizations,
//! answers a missing, wrong or differently-cased key with 401 and a body
//! that is not a webhook with 400, printing nothing for them; and the
//! library's receiver (`cryptomate::webhooks::axum`) deduplicates, retries
//! what its caller failed, and declines an authorization whose decision is
//! late.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cryptomate::webhooks::axum::{Receiver, serve};
use cryptomate::webhooks::{Reply, Verifier, WebhookKey};
use serde_json::Value;
use vendor_pages::mdx::{self, Content};

const KEY: &str = "wh_key_abc123xyz";

/// The page's event examples.
fn page_events() -> Vec<Value> {
    let text =
        std::fs::read_to_string(common::page::captures_dir().join("integration/webhooks.mdx"))
            .expect("the webhooks page");
    mdx::parse(&text)
        .code_blocks
        .into_iter()
        .filter_map(|b| match b.content {
            Content::Json(json) if json.value.get("event_type").is_some() => Some(json.value),
            _ => None,
        })
        .collect()
}

/// The example binary, built by `cargo test` beside the tests.
fn example_binary() -> PathBuf {
    let deps = std::env::current_exe().expect("test path");
    let binary = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>")
        .join("examples")
        .join(format!("webhook_receiver{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: run `cargo build --example webhook_receiver` (plain `cargo test` builds it)",
                binary.display()
            )
        });
    let source = common::root().join("examples/webhook_receiver.rs");
    let changed = std::fs::metadata(&source)
        .and_then(|m| m.modified())
        .expect("a time");
    assert!(
        changed <= built,
        "{} is older than its source: run `cargo build --example webhook_receiver`",
        binary.display()
    );
    binary
}

/// Kills the child when the test ends, whatever happens.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    body: Vec<u8>,
) -> (u16, String) {
    let mut request = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Request-Timestamp", "1736944496000")
        .body(body);
    if let Some(key) = key {
        request = request.header("X-Webhook-Key", key);
    }
    let response = request.send().await.expect("the receiver answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn the_example_prints_one_line_per_verified_event_and_nothing_for_the_rest() {
    let mut child = Command::new(example_binary())
        .env("CRYPTOMATE_WEBHOOK_ADDR", "127.0.0.1:0")
        .env("CRYPTOMATE_WEBHOOK_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let stdout = child.stdout.take().expect("stdout");
    let _running = Running(child);
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = |lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>| {
        let line = lines.try_recv();
        line.ok()
    };
    let first = tokio::time::timeout(Duration::from_secs(30), lines.recv())
        .await
        .expect("the example prints where it listens")
        .expect("a first line");
    let addr = first
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("the first line says where it listens: {first:?}"));
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{first}"
    );
    let url = format!("http://{addr}/webhooks");
    let client = reqwest::Client::new();

    let mut expected = Vec::new();
    for event in page_events() {
        let body = serde_json::to_vec(&event).expect("as the test sets it up");
        // Refused first: no key, a wrong one, the key in capitals.
        for key in [None, Some("wh_key_abc123xyZ"), Some("WH_KEY_ABC123XYZ")] {
            let (status, text) = post(&client, &url, key, body.clone()).await;
            assert_eq!(status, 401, "{key:?}");
            assert!(!text.contains(KEY));
        }
        // Cut short, and not JSON.
        let (status, _) = post(&client, &url, Some(KEY), body[..body.len() / 2].to_vec()).await;
        assert_eq!(status, 400);
        let (status, _) = post(&client, &url, Some(KEY), b"<html>".to_vec()).await;
        assert_eq!(status, 400);
        // Verified.
        let (status, text) = post(&client, &url, Some(KEY), body.clone()).await;
        assert_eq!(status, 200, "{text}");
        let reply: Value = serde_json::from_str(&text).expect("a JSON reply");
        let code = if event["product"] == "cards" && event["event_type"] == "authorization" {
            "00"
        } else {
            "OK"
        };
        assert_eq!(reply, serde_json::json!({ "response_code": code }));
        let line = format!(
            "{} {} {} {}",
            event["product"].as_str().expect("as the test sets it up"),
            event["event_type"]
                .as_str()
                .expect("as the test sets it up"),
            event["operation_id"]
                .as_str()
                .expect("as the test sets it up"),
            event["status"].as_str().expect("as the test sets it up")
        );
        // A redelivery: acknowledged, not printed again (the envelope's
        // example repeats the virtual wallets' deposit).
        if !expected.contains(&line) {
            expected.push(line);
        }
        let (status, _) = post(&client, &url, Some(KEY), body).await;
        assert_eq!(status, 200);
    }
    // Every event's line, in order, and nothing else.
    let mut printed = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while printed.len() < expected.len() && tokio::time::Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), lines.recv()).await {
            Ok(Some(line)) => printed.push(line),
            _ => break,
        }
    }
    assert_eq!(printed, expected);
    assert_eq!(next(&mut lines), None, "nothing else printed");
}

/// Starts the library's receiver on 127.0.0.1 with `budget`; the caller's
/// function fails the first `fail` regular events, and takes `decide` to
/// decide an authorization.
async fn receiver(budget: Duration, fail: usize, decide: Duration) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let app = Receiver::new(Verifier::new(
        WebhookKey::new(KEY).expect("as the test sets it up"),
    ))
    .authorization_budget(budget)
    .router(move |event| {
        let n = counted.fetch_add(1, Ordering::SeqCst);
        async move {
            if event.is_authorization() {
                tokio::time::sleep(decide).await;
                return Ok(Reply::Approve);
            }
            if n < fail {
                return Err("the database is down");
            }
            Ok(Reply::Acknowledge)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("as the test sets it up");
    let url = format!(
        "http://{}/",
        listener.local_addr().expect("as the test sets it up")
    );
    tokio::spawn(serve(listener, app));
    (url, calls)
}

#[tokio::test]
async fn a_failed_event_is_answered_500_and_its_retry_handed_over_again() {
    let (url, calls) = receiver(Duration::from_secs(1), 1, Duration::ZERO).await;
    let client = reqwest::Client::new();
    let deposit = page_events()
        .into_iter()
        .find(|e| e["event_type"] == "deposit")
        .expect("as the test sets it up");
    let body = serde_json::to_vec(&deposit).expect("as the test sets it up");
    let (status, _) = post(&client, &url, Some(KEY), body.clone()).await;
    assert_eq!(status, 500, "the caller failed: the vendor retries");
    let (status, text) = post(&client, &url, Some(KEY), body.clone()).await;
    assert_eq!((status, text.as_str()), (200, r#"{"response_code":"OK"}"#));
    let (status, _) = post(&client, &url, Some(KEY), body).await;
    assert_eq!(status, 200);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the retry, not the duplicate"
    );
}

#[tokio::test]
async fn a_late_decision_declines_the_authorization_and_a_redelivery_is_declined() {
    // The decision takes far longer than the budget: the receiver declines
    // at the budget (timed by the paused-clock test of the helper; here,
    // over HTTP, only the reply is checked).
    let (url, calls) = receiver(Duration::from_millis(50), 0, Duration::from_secs(3600)).await;
    let client = reqwest::Client::new();
    let authorization = page_events()
        .into_iter()
        .find(|e| e["event_type"] == "authorization")
        .expect("as the test sets it up");
    let body = serde_json::to_vec(&authorization).expect("as the test sets it up");
    let (status, text) = post(&client, &url, Some(KEY), body.clone()).await;
    assert_eq!((status, text.as_str()), (200, r#"{"response_code":"05"}"#));
    let (status, text) = post(&client, &url, Some(KEY), body).await;
    assert_eq!((status, text.as_str()), (200, r#"{"response_code":"05"}"#));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
