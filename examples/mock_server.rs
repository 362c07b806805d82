//! Runs the crate's mock of the API until interrupted (or for a number of
//! seconds), for tools outside Rust, such as an OpenAPI conformance checker.
//!
//! ```sh
//! cargo run --example mock_server            # until Ctrl-C
//! cargo run --example mock_server -- 120     # for at most 120 seconds
//! ```
//!
//! Once ready it prints `listening on http://127.0.0.1:PORT`, then the only
//! API key it accepts as `X-API-KEY: …`.

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
    eprintln!("served {} requests", mock.requests().len());
    ExitCode::SUCCESS
}
