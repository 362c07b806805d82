//! `cargo run --example webhook_receiver`: a webhook receiver for the
//! company's subscribed URL.
//!
//! It listens on `CRYPTOMATE_WEBHOOK_ADDR` (default `127.0.0.1:8080`; port 0
//! picks a free one), prints `listening on http://ADDR` first, then one line
//! per verified event, `<product> <event_type> <operation_id> <status>`, and
//! approves card authorizations. The key is `CRYPTOMATE_WEBHOOK_KEY`; a
//! request without it, or with another, is answered `401` and prints
//! nothing; a body that is not a webhook, `400`. A redelivered event is
//! acknowledged and not printed again.

use std::convert::Infallible;
use std::process::ExitCode;

use cryptomate::webhooks::axum::{Receiver, serve};
use cryptomate::webhooks::{Reply, Verifier, WebhookKey};

/// The address it listens on unless `CRYPTOMATE_WEBHOOK_ADDR` says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let key = WebhookKey::from_env()?;
    let addr = std::env::var("CRYPTOMATE_WEBHOOK_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.into());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("listening on http://{}", listener.local_addr()?);
    let app = Receiver::new(Verifier::new(key)).router(|event| async move {
        println!(
            "{} {} {} {}",
            event.product, event.event_type, event.operation_id, event.status
        );
        Ok::<_, Infallible>(if event.is_authorization() {
            Reply::Approve
        } else {
            Reply::Acknowledge
        })
    });
    serve(listener, app).await?;
    Ok(())
}
