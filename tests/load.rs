//! One client shared by 1,000 concurrent `create_client` calls against the
//! local mock: all succeed, connections are reused, memory stays bounded.
//! The figures are printed (`cargo test --test load -- --nocapture`) and
//! recorded in README.md, "Failure behaviour".

// `create_client` is deprecated by the vendor; the load it puts on one client
// is the same as any other operation's.
#![allow(deprecated)]

use std::time::Instant;

use cryptomate::mock::MockServer;
use cryptomate::types::CreateClientRequest;

const CALLS: usize = 1_000;

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4)
}

async fn wave(client: &cryptomate::Client) -> usize {
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let body = CreateClientRequest::builder()
                .first_name(format!("Client{i}"))
                .phone_number(4_155_550_000_i64 + i as i64);
            client.create_client().body(body).send().await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        let created = task
            .await
            .expect("the task completes")
            .expect("the call succeeds");
        assert!(
            created
                .first_name
                .as_deref()
                .is_some_and(|n| n.starts_with("Client"))
        );
        ok += 1;
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_share_one_client() {
    let mock = MockServer::start().await;
    let client = mock.client();

    let rss_start = rss_kib();
    let started = Instant::now();
    assert_eq!(wave(&client).await, CALLS);
    let first = started.elapsed();
    let after_first = mock.connections();
    let rss_first = rss_kib();

    for _ in 0..100 {
        client
            .create_client()
            .body(CreateClientRequest::default())
            .send()
            .await
            .expect("a sequential call");
    }
    let after_sequential = mock.connections();

    let started = Instant::now();
    assert_eq!(wave(&client).await, CALLS);
    let second = started.elapsed();
    let after_second = mock.connections();
    let rss_second = rss_kib();

    println!(
        "first wave: {CALLS} calls in {first:?}, {after_first} connections; \
         100 sequential calls: {} new connections; \
         second wave: {CALLS} calls in {second:?}, {} new connections; \
         RSS {rss_start} KiB -> {rss_first} KiB -> {rss_second} KiB",
        after_sequential - after_first,
        after_second - after_sequential
    );
    assert_eq!(mock.requests().len(), 2 * CALLS + 100);
    // HTTP/1.1 needs one connection per call in flight, so the first wave
    // may open up to one per call. After it, calls ride the pool: over all
    // 2,100 calls the client opens about as many connections as calls were
    // ever in flight at once (measured: 1,000 to 1,080), not one per call.
    // (The per-phase counts above move between phases because a connection
    // the client started while none was idle completes later and joins the
    // pool.)
    assert!(
        after_second <= CALLS + CALLS / 4,
        "{after_second} connections for {} calls: the pool was not reused",
        2 * CALLS + 100
    );
    // The second wave costs no more memory than the first: nothing piles up.
    if rss_start > 0 {
        let growth_first = rss_first.saturating_sub(rss_start);
        let growth_second = rss_second.saturating_sub(rss_first);
        assert!(
            growth_second <= growth_first.max(16 * 1024),
            "{growth_first} KiB then {growth_second} KiB"
        );
    }
}
