//! Creates the vendor's documented client (John Doe) and prints it.
//!
//! With no `CRYPTOMATE_API_KEY` it starts the crate's local mock of the API and
//! talks to that: no account and no network needed. With `CRYPTOMATE_API_KEY`
//! (and optionally `CRYPTOMATE_BASE_URL`, such as the sandbox) it talks to the
//! real API.
//!
//! ```sh
//! cargo run --example create_client
//! CRYPTOMATE_API_KEY=… CRYPTOMATE_BASE_URL=https://api.sandbox.cryptomate.me cargo run --example create_client
//! ```

use std::process::ExitCode;

use cryptomate::chrono::NaiveDate;
use cryptomate::mock::MockServer;
use cryptomate::types::{Address, CreateClientRequest};
use cryptomate::{Client, ENV_API_KEY, Sensitive};

#[tokio::main]
async fn main() -> ExitCode {
    // Held for the whole run: the mock stops when dropped.
    let mut _mock = None;
    let client = if std::env::var_os(ENV_API_KEY).is_some() {
        match Client::from_env() {
            Ok(client) => client,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let mock = MockServer::start().await;
        println!(
            "No {ENV_API_KEY} set: using a local mock of the API at {}",
            mock.uri()
        );
        let client = mock.client();
        _mock = Some(mock);
        client
    };

    match client.create_client().body(john_doe()).send().await {
        Ok(created) => {
            let status = created.status();
            let client = created.into_inner();
            println!("Created client ({status}):");
            print_client(&client);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::FAILURE
        }
    }
}

/// The request of the vendor's curl example.
fn john_doe() -> CreateClientRequest {
    CreateClientRequest {
        phone_country_code: Some(1),
        phone_number: Some(4_155_551_234),
        username: Some("johndoe123".into()),
        first_name: Some("John".into()),
        last_name: Some("Doe".into()),
        email: Some("john.doe@example.com".into()),
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 15),
        otp: Some(true),
        sms: Some(true),
        address: Some(Address {
            street_line_1: Some("123 Main Street".into()),
            city: Some("San Francisco".into()),
            postal_code: Some("94102".into()),
            state: Some("CA".into()),
            country: Some("US".into()),
            ..Default::default()
        }),
        individual_identification: Some(Sensitive::from("123-45-6789")),
        individual_identification_type: Some("SSN".into()),
        ..Default::default()
    }
}

fn print_client(client: &cryptomate::types::Client) {
    let show = |value: Option<String>| value.unwrap_or_else(|| "-".into());
    let rows = [
        ("id", Some(client.id.clone())),
        ("company", client.company_id.clone()),
        ("type", client.type_.as_ref().map(ToString::to_string)),
        ("status", client.status.as_ref().map(ToString::to_string)),
        (
            "name",
            Some(format!(
                "{} {}",
                client.first_name.as_deref().unwrap_or(""),
                client.last_name.as_deref().unwrap_or("")
            ))
            .filter(|n| n.trim() != ""),
        ),
        ("email", client.email.clone()),
        (
            "phone",
            client
                .phone_number
                .map(|n| format!("+{} {n}", client.phone_country_code.unwrap_or(0))),
        ),
        (
            "created",
            client
                .created_at
                .as_ref()
                .map(|t| format!("{} UTC", t.utc().format("%Y-%m-%d %H:%M:%S"))),
        ),
        (
            "updated",
            client
                .updated_at
                .as_ref()
                .map(|t| format!("{} UTC", t.utc().format("%Y-%m-%d %H:%M:%S"))),
        ),
    ];
    for (name, value) in rows {
        println!("  {name:<8} {}", show(value));
    }
}

/// One line that says what went wrong: the error, then its causes (such as
/// "Connection refused") where the error has any.
fn describe(e: &cryptomate::Error) -> String {
    let mut line = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !line.contains(&cause_text) {
            line = format!("{line}: {cause_text}");
        }
        source = cause.source();
    }
    line
}
