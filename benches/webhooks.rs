//! The authorization's bar under load: 1,000 authorizations delivered at
//! once to one receiver (`cryptomate::webhooks::axum::Receiver`, the default
//! budget) whose decision never comes. Each must be answered, declined (`05`),
//! within the vendor's deadline of 1,200 ms (`AUTHORIZATION_DEADLINE`) as the
//! sender sees it: from before it connects until the whole reply is read.
//!
//! One process, a multi-threaded tokio runtime on every core: the receiver
//! on 127.0.0.1 and 1,000 senders, each on its own new HTTP/1.1 connection
//! (none pre-warmed, which the vendor's pooled HTTP/2 client would have), each
//! with its own `operation_id` so that none is a duplicate. Several rounds,
//! each on a fresh receiver; prints the latency's median, p99 and maximum per
//! round and over all, and fails when any reply is not a `05` or comes after
//! the deadline.
//!
//! `cargo bench --bench webhooks` runs it; `cargo xtask bench webhooks` runs
//! it as part of `benches/run`, and `benchmarks/webhooks.md` holds its
//! figures.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use cryptomate::webhooks::axum::{Receiver, serve};
use cryptomate::webhooks::{
    AUTHORIZATION_DEADLINE, DEFAULT_AUTHORIZATION_BUDGET, Reply, Verifier, WebhookKey,
};

const DELIVERIES: usize = 1_000;
const ROUNDS: usize = 5;
const KEY: &str = "bench_webhook_key";

/// The webhooks page's authorization example, with `operation_id` `id`.
fn authorization(id: usize) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "product": "cards",
        "event_type": "authorization",
        "operation_id": format!("life_evt_bench_{id}"),
        "status": "pending",
        "data": {
            "card_id": "crd_123",
            "bill_amount": "42.50",
            "bill_currency_number": "840",
            "bill_currency_code": "USD",
            "exchange_rate": "1.0",
            "fees": { "atm_fees": "0.00", "fx_fees": "0.42" },
            "transaction_amount": "42.50",
            "transaction_currency_number": "840",
            "transaction_currency_code": "USD",
            "channel": "POS",
            "created_at": "2025-01-15T12:34:56Z",
            "merchant_data": { "id": "mch_1", "name": "Acme Coffee", "mcc_code": "5812" },
            "decline_reason": null,
            "metadata": { "account": "0xabc..." }
        }
    }))
    .unwrap_or_default()
}

/// One round: a fresh receiver, 1,000 concurrent deliveries; each one's
/// latency, or why it failed.
async fn round(round: usize) -> Result<Vec<Duration>, String> {
    let key = WebhookKey::new(KEY).map_err(|e| e.to_string())?;
    let app = Receiver::new(Verifier::new(key)).router(|_event| async {
        // The decision that never comes.
        std::future::pending::<Result<Reply, ()>>().await
    });
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind(([127, 0, 0, 1], 0).into())
        .map_err(|e| e.to_string())?;
    let listener = socket.listen(4096).map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}/webhooks",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let server = tokio::spawn(serve(listener, app));
    // One client per delivery: each its own connection, as 1,000 separate
    // deliveries arrive.
    let start = tokio::sync::Barrier::new(DELIVERIES);
    let start = std::sync::Arc::new(start);
    let mut tasks = Vec::with_capacity(DELIVERIES);
    for i in 0..DELIVERIES {
        let (url, start) = (url.clone(), std::sync::Arc::clone(&start));
        let body = authorization(round * DELIVERIES + i);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| e.to_string())?;
            start.wait().await;
            let sent = Instant::now();
            // When it is sent, as the vendor stamps it.
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            let response = client
                .post(&url)
                .header("X-Webhook-Key", KEY)
                .header("X-Request-Timestamp", stamp.to_string())
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| format!("send: {e}"))?;
            let status = response.status();
            let text = response.text().await.map_err(|e| format!("read: {e}"))?;
            let took = sent.elapsed();
            if status != 200 || text != r#"{"response_code":"05"}"# {
                return Err(format!("answered {status} {text}"));
            }
            Ok::<_, String>(took)
        }));
    }
    let mut latencies = Vec::with_capacity(DELIVERIES);
    for task in tasks {
        latencies.push(task.await.map_err(|e| e.to_string())??);
    }
    server.abort();
    Ok(latencies)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{DELIVERIES} concurrent authorizations, a decision that never comes, budget {} ms, deadline {} ms, {} core(s)",
        DEFAULT_AUTHORIZATION_BUDGET.as_millis(),
        AUTHORIZATION_DEADLINE.as_millis(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    let mut all = Vec::new();
    for r in 0..ROUNDS {
        let mut latencies = match runtime.block_on(round(r)) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: round {r}: {e}");
                return ExitCode::FAILURE;
            }
        };
        latencies.sort();
        println!(
            "round {r}: median {} ms, p99 {} ms, max {} ms, min {} ms",
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.99)),
            ms(latencies[latencies.len() - 1]),
            ms(latencies[0]),
        );
        all.extend(latencies);
    }
    all.sort();
    let max = all[all.len() - 1];
    let late = all.iter().filter(|d| **d > AUTHORIZATION_DEADLINE).count();
    println!(
        "all {} replies declined (05): median {} ms, p99 {} ms, max {} ms; {late} after the deadline",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(max),
    );
    if late > 0 {
        eprintln!("error: {late} replies came after the deadline");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
