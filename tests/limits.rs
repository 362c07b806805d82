//! The vendor's rate limit, lived with: a default client never trips the
//! mock that enforces it, and a client without pacing does.
//!
//! Time is tokio's paused clock, for the client's pacer and the mock's
//! limiter alike (the mock runs on the test's runtime): a thousand requests
//! at 14 a second take 71 s of that clock and a moment of the real one, and
//! the rate is measured exactly. A ticker of 1 ms keeps the clock's jumps
//! small: a paused clock jumps to the next timer whenever every task waits,
//! which, while a request is on the loopback wire, would otherwise be the
//! client's 30 s timeout.

mod common;

use std::time::Duration;

use common::person;
use cryptomate::mock::{MockServer, RateLimit};
use cryptomate::{Client, DEFAULT_REQUESTS_PER_SECOND, VENDOR_REQUESTS_PER_SECOND};
use tokio::time::Instant;

/// Keeps the paused clock moving in steps of 1 ms while a test runs.
fn tick() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut ticks = tokio::time::interval(Duration::from_millis(1));
        loop {
            ticks.tick().await;
        }
    })
}

/// What `n` concurrent creations through `client` (of people numbered from
/// `first`, each with an email of their own) came to: how many were
/// created, how many were answered 429, and the seconds (of the test's
/// clock) from the first request to the last answer.
async fn create_concurrently(client: &Client, first: usize, n: usize) -> (usize, usize, f64) {
    let started = Instant::now();
    let tasks: Vec<_> = (first..first + n)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .create_individual_client()
                    .body(person(i))
                    .send()
                    .await
            })
        })
        .collect();
    let (mut created, mut limited) = (0, 0);
    for task in tasks {
        match task.await.expect("the task completes") {
            Ok(_) => created += 1,
            Err(e) if e.status().map(|s| s.as_u16()) == Some(429) => limited += 1,
            Err(e) => panic!("{e}"),
        }
    }
    (created, limited, started.elapsed().as_secs_f64())
}

#[tokio::test(start_paused = true)]
async fn a_thousand_calls_through_a_default_client_are_never_rate_limited() {
    let mock = MockServer::builder()
        .rate_limit(RateLimit::VENDOR)
        .start()
        .await
        .expect("mock");
    let ticker = tick();
    // The mock's client is a default client: paced, at the default rate.
    let client = mock.client();
    assert_eq!(
        client.pacer().map(|p| p.requests_per_second()),
        Some(DEFAULT_REQUESTS_PER_SECOND)
    );
    let (created, limited, seconds) = create_concurrently(&client, 0, 1_000).await;
    ticker.abort();
    let stats = mock.limit_stats().expect("the mock enforces the limit");
    assert_eq!((created, limited), (1_000, 0), "{stats:?}");
    assert_eq!(stats.rejected, 0, "{stats:?}");
    assert_eq!(mock.requests().len(), 1_000);
    let rate = 1_000.0 / seconds;
    // The figure of benchmarks/limits.md (`-- --nocapture`).
    println!("1,000 paced calls: {rate:.2} requests/s over {seconds:.2} s of the paused clock");
    let ceiling = f64::from(VENDOR_REQUESTS_PER_SECOND);
    assert!(
        rate <= ceiling && rate >= 0.9 * ceiling,
        "{rate:.2} requests/s in {seconds:.2} s: not within 10 % under {ceiling}/s"
    );
    // Every request but the first waited its turn.
    assert_eq!(client.pacer().map(|p| p.requests_waited()), Some(999));
}

#[tokio::test(start_paused = true)]
async fn without_pacing_the_same_calls_earn_the_penalty() {
    let mock = MockServer::builder()
        .rate_limit(RateLimit::VENDOR)
        .start()
        .await
        .expect("mock");
    let ticker = tick();
    let client =
        Client::builder(cryptomate::ApiKey::new(cryptomate::mock::TEST_API_KEY).expect("key"))
            .base_url(mock.uri())
            .without_pacing()
            .build()
            .expect("client");
    assert!(client.pacer().is_none());
    let (created, limited, _) = create_concurrently(&client, 0, 1_000).await;
    ticker.abort();
    let stats = mock.limit_stats().expect("the mock enforces the limit");
    assert_eq!(created + limited, 1_000);
    // The burst is over the limit within its first second: a violation,
    // and a block that rejects the rest.
    assert!(stats.violations >= 1, "{stats:?}");
    assert!(stats.longest_block >= Duration::from_secs(1), "{stats:?}");
    assert!(created <= 15 * 2, "{created} created in a burst");
    assert_eq!(stats.rejected as usize, limited, "{stats:?}");
    println!("1,000 unpaced calls: {created} created, {limited} rate-limited; {stats:?}");
}

#[tokio::test(start_paused = true)]
async fn two_clients_given_one_pacer_share_its_rate() {
    let mock = MockServer::builder()
        .rate_limit(RateLimit::VENDOR)
        .start()
        .await
        .expect("mock");
    let ticker = tick();
    let first = mock.client();
    let pacer = first.pacer().expect("paced").clone();
    // Another key of the same company (the mock limits each key as a
    // company; the two share the IP address's limit).
    let second = Client::builder(cryptomate::ApiKey::new("another-key").expect("key"))
        .base_url(mock.uri())
        .pacer(pacer)
        .build()
        .expect("client");
    let (a, b) = tokio::join!(
        create_concurrently(&first, 0, 100),
        create_concurrently(&second, 100, 100)
    );
    ticker.abort();
    assert_eq!((a.0, a.1, b.0, b.1), (100, 0, 100, 0));
    assert_eq!(mock.limit_stats().map(|s| s.rejected), Some(0));
    // 200 requests one pacing period apart between both clients: 14.2 s,
    // where two pacers of their own would have taken half that.
    let seconds = a.2.max(b.2);
    let paced = 199.0 / f64::from(DEFAULT_REQUESTS_PER_SECOND);
    assert!(seconds >= paced && seconds < paced + 0.5, "{seconds:.3} s");
}

#[tokio::test(start_paused = true)]
async fn a_429_holds_every_clone_until_its_retry_after() {
    // A block the vendor gave for another process's burst: this client's
    // next request is answered 429 with Retry-After: 3, and nothing else of
    // the company goes out before the 3 s have passed.
    let mock = MockServer::builder()
        .rate_limit(RateLimit::VENDOR)
        .start()
        .await
        .expect("mock");
    let ticker = tick();
    mock.enqueue_for(
        "create_individual_client",
        cryptomate::mock::Reply::Error(cryptomate::mock::MockError::RateLimited { retry_after: 3 }),
    );
    let client = mock.client();
    let other = client.clone();
    let started = Instant::now();
    let (created, limited, _) = create_concurrently(&client, 0, 1).await;
    assert_eq!((created, limited), (0, 1), "answered 429");
    let read = other
        .get_supported_countries()
        .send()
        .await
        .expect("read after the block");
    ticker.abort();
    assert_eq!(read.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "the clone sent after {:?}",
        started.elapsed()
    );
    // Two requests: the one limited, and the clone's, after the block.
    assert_eq!(mock.requests().len(), 2);
}
