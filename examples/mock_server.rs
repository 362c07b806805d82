//! Runs the crate's stateful mock of the API until interrupted (or for a
//! number of seconds), for tools outside Rust, such as an OpenAPI conformance
//! checker or an HTTP client in another language (`.ci/mock-e2e.py`).
//!
//! ```sh
//! cargo run --example mock_server            # until Ctrl-C
//! cargo run --example mock_server -- 120     # for at most 120 seconds
//! ```
//!
//! Once ready it prints `listening on http://127.0.0.1:PORT`, then the only
//! API key it accepts as `X-API-KEY: …` (the header's name is matched in any
//! case). On exit it prints how many requests it served and how many clients
//! and product requests it holds.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use cryptomate::mock::{MockServer, TEST_API_KEY};

#[tokio::main]
async fn main() -> ExitCode {
    let limit = match std::env::args().nth(1).map(|a| a.parse::<u64>()) {
        None => None,
        Some(Ok(seconds)) => Some(Duration::from_secs(seconds)),
        Some(Err(_)) => {
            eprintln!("error: the only argument is a number of seconds to run");
            return ExitCode::from(2);
        }
    };
    let mock = MockServer::start().await;
    // Like the vendor, reject every key but the one the mock hands out.
    mock.require_api_key(TEST_API_KEY);
    println!("listening on {}", mock.uri());
    println!("X-API-KEY: {TEST_API_KEY}");
    // Tools read the line above from a pipe: make sure it is not buffered.
    std::io::stdout().flush().ok();
    let stop = async {
        match limit {
            Some(limit) => tokio::time::sleep(limit).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = stop => {}
    }
    let (clients, products) = mock.store_sizes();
    eprintln!(
        "served {} requests; holds {clients} clients and {products} product requests",
        mock.requests().len()
    );
    ExitCode::SUCCESS
}
