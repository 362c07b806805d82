//! Bulk work without the vendor's penalty: creates N individual clients at
//! once through one default client, against the local mock enforcing the
//! vendor's rate limit and its doubling block (15 requests a second; 1 s,
//! 2 s, 4 s … up to an hour; `openapi/DECISIONS.md` D-RL1).
//!
//! ```sh
//! cargo run --example bulk_create -- 1000               # paced: none limited
//! cargo run --example bulk_create -- 1000 --no-pacing   # what pacing prevents
//! ```
//!
//! It ends with one line, `N created, M rate-limited, R requests/s`: the
//! clients created, the calls the mock answered 429 (a creation has no
//! idempotency key, so the client never sends it twice), and the requests a
//! second from the first to the last answer. Bad arguments are one line on
//! stderr and exit status 2; a failure other than a 429, one line and exit
//! status 1.

use std::process::ExitCode;
use std::time::Instant;

use cryptomate::mock::{MockServer, RateLimit, TEST_API_KEY};
use cryptomate::types::{IndividualAddress, builder};
use cryptomate::{ApiKey, Client};

const USAGE: &str = "usage: bulk_create N [--no-pacing]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut count = None;
    let mut pacing = true;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--no-pacing" => pacing = false,
            n if count.is_none() => match n.parse::<usize>() {
                Ok(n) => count = Some(n),
                Err(_) => {
                    eprintln!("error: {n:?} is not a number of clients; {USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("error: unexpected argument {other:?}; {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(count) = count else {
        eprintln!("error: how many clients? {USAGE}");
        return ExitCode::from(2);
    };
    match run(count, pacing).await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Creates `count` clients at once and says how it went.
async fn run(count: usize, pacing: bool) -> Result<String, Box<dyn std::error::Error>> {
    let mock = MockServer::builder()
        .rate_limit(RateLimit::VENDOR)
        .start()
        .await?;
    let builder = Client::builder(ApiKey::new(TEST_API_KEY)?).base_url(mock.uri());
    let client = if pacing {
        builder.build()?
    } else {
        builder.without_pacing().build()?
    };
    let started = Instant::now();
    let calls: Vec<_> = (0..count)
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
    for call in calls {
        match call.await? {
            Ok(_) => created += 1,
            Err(e) if e.status().map(|s| s.as_u16()) == Some(429) => limited += 1,
            Err(e) => return Err(format!("a creation failed: {e}").into()),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let requests = mock.requests().len();
    let rate = if seconds > 0.0 {
        requests as f64 / seconds
    } else {
        0.0
    };
    Ok(format!(
        "{created} created, {limited} rate-limited, {rate:.1} requests/s"
    ))
}

/// Person number `i`, with an email of their own (the mock refuses a second
/// client with one email).
fn person(i: usize) -> builder::IndividualClientRequest {
    builder::IndividualClientRequest::default()
        .first_name("Ada")
        .last_name("Lovelace")
        .email(format!("ada.{i}@example.com"))
        .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1815, 12, 10).unwrap_or_default())
        .address(IndividualAddress {
            street_line1: "12 St James's Square".into(),
            street_line2: None,
            city: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            state: "LND".into(),
            state_code: None,
            country: "GBR".into(),
            country_code: None,
        })
}
