//! The generated client against the code a careful engineer writes by hand,
//! and (when built by `cargo xtask bench`, with `--cfg peer`) against the
//! client openapi-generator makes from the same spec — side by side, in one
//! run, against one local HTTP server answering the documented response.
//!
//! Measures, each as a median over rounds with its spread (p25–p75):
//! - one `create_client` call end to end, sequential and 16 at a time;
//! - serializing and deserializing the full request (25 fields, 38 with the
//!   nested address and document) and the response, generated types against
//!   hand-written structs.
//!
//! Rounds interleave the clients (A B C A B C …) so that drift of a shared
//! machine falls on all of them alike. `cargo bench --bench compare` runs it
//! without the peer; `cargo xtask bench` runs it with the peer and writes the
//! figures used in BENCHMARKS.md.
//!
//! Built with `--cfg count_allocations` (which `benches/run compare` does in
//! a second build), it times nothing and counts instead: the allocations and
//! bytes allocated per call and per serde operation, on the calling thread
//! (the client, its runtime and its connections; the server runs on its own
//! thread and is not counted), by the `allocation-counter` crate's global
//! allocator. The timed build does not link that allocator, so the times
//! carry no counting.

// The comparison measures `create_client`, the operation its hand-written
// and openapi-generator peers implement; it is deprecated by the vendor.
#![allow(
    deprecated,
    reason = "the comparison measures create_client, the operation its peers implement"
)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const ROUNDS: usize = 61;
const SERDE_ROUNDS: usize = 61;
const SEQUENTIAL: usize = 100;
const CONCURRENCY: usize = 16;
const PER_TASK: usize = 25;
const SERDE_ITERATIONS: usize = 2_000;
const KEY: &str = "bench-key";

/// The documented response, byte for byte, as the server's answer.
const RESPONSE: &str = r#"{"id":"client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","company_id":"comp_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23","type":"individual","status":"PENDING","first_name":"John","last_name":"Doe","email":"john.doe@example.com","phone_country_code":1,"phone_number":4155551234,"created_at":"2026-04-15T10:30:00","updated_at":"2026-04-15T10:30:00"}"#;

/// Every request field set: the documented example plus the fields it omits.
fn full_request() -> Value {
    json!({
        "phone_country_code": 1, "phone_number": 4155551234_i64, "username": "johndoe123",
        "first_name": "John", "second_name": "Q", "last_name": "Doe", "otp": true, "sms": true,
        "whatsapp": false, "telegram": false, "email": "john.doe@example.com", "gender": "male",
        "birth_date": "1990-05-15", "expiration_date": "2030-01-31",
        "address": {"street_line_1": "123 Main Street", "street_line_2": "Apt 4",
            "city": "San Francisco", "postal_code": "94102", "state": "CA", "country": "US"},
        "individual_identification": "123-45-6789", "individual_identification_type": "SSN",
        "bank_ramp": true, "credit_card_ramp": false, "individual_cards": true,
        "occupation": "Engineer", "annual_salary": "120000", "account_purpose": "Savings",
        "expected_monthly_volume": "5000",
        "documents": [{"id": "doc_1", "name": "Passport", "description": "US passport",
            "issuing_country": "US", "number": "X1234567", "image_front": "aGVsbG8=",
            "image_back": "d29ybGQ="}]
    })
}

// Hand-written types: what a careful engineer writes for this endpoint.
#[derive(Clone, Serialize, Deserialize)]
struct HwAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    street_line_1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    street_line_2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct HwDocument {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuing_country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_front: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_back: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct HwRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    second_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    otp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sms: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    whatsapp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telegram: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_date: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<HwAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    individual_identification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    individual_identification_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bank_ramp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_card_ramp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    individual_cards: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occupation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annual_salary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_purpose: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_monthly_volume: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    documents: Vec<HwDocument>,
}

/// The response. Its timestamps are `Ts`: `String` (kept as text), or
/// `chrono::NaiveDateTime` as a careful engineer who also types them writes it,
/// as the generated `Client` has them (it parses both into a date-time): the
/// cost of the generated code apart from the cost of parsing the two
/// timestamps. `NaiveDateTime` reads the vendor's form, which has no offset.
#[derive(Clone, Serialize, Deserialize)]
struct HwClient<Ts> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_id: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    type_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_country_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<Ts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<Ts>,
}

/// A server on its own thread that answers every request with the documented
/// response; returns its address.
fn start_server() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        |request: hyper::Request<hyper::body::Incoming>| async move {
                            // Read the body, as a real server does.
                            let _ = http_body_util::BodyExt::collect(request.into_body()).await;
                            let mut response = hyper::Response::new(Full::new(Bytes::from_static(
                                RESPONSE.as_bytes(),
                            )));
                            *response.status_mut() = hyper::StatusCode::CREATED;
                            response.headers_mut().insert(
                                "content-type",
                                hyper::header::HeaderValue::from_static("application/json"),
                            );
                            Ok::<_, Infallible>(response)
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    rx.recv().expect("the server starts")
}

/// One way of making the call, boxed so that all are driven alike. Each
/// shares its client (and the hand-written one its URL) through an `Rc`, as
/// a program shares one client, and each call builds its body anew (a clone
/// of the prepared one): the generated client and the peer take it by value.
type Call = Box<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>;

fn ours(base: &str, body: &cryptomate::types::CreateClientRequest) -> Call {
    // The benchmark measures the client's own cost, not the vendor's pace.
    let client = cryptomate::Client::builder(cryptomate::ApiKey::new(KEY).expect("key"))
        .base_url(base)
        .without_pacing()
        .build()
        .expect("client");
    let client = std::rc::Rc::new(client);
    let body = body.clone();
    Box::new(move || {
        let client = std::rc::Rc::clone(&client);
        let body = body.clone();
        Box::pin(async move {
            let created = client
                .create_client()
                .body(body)
                .send()
                .await
                .expect("created");
            std::hint::black_box(created);
        })
    })
}

fn hand_written(base: &str, body: &HwRequest) -> Call {
    // The same client settings and headers the generated client sends.
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("cryptomate-rust/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("client");
    let state = std::rc::Rc::new((client, format!("{base}/management/clients")));
    let body = body.clone();
    Box::new(move || {
        let state = std::rc::Rc::clone(&state);
        let body = body.clone();
        Box::pin(async move {
            let (client, url) = &*state;
            let response = client
                .post(url)
                .header("x-api-key", KEY)
                .header("accept", "application/json")
                .json(&body)
                .send()
                .await
                .expect("sent");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("body");
            let created: HwClient<String> = serde_json::from_slice(&bytes).expect("decodes");
            std::hint::black_box(created);
        })
    })
}

#[cfg(peer)]
fn peer(base: &str, request: &Value) -> Call {
    use cryptomate_peer::apis::{clients_api, configuration};
    let mut config = configuration::Configuration::new();
    config.base_path = base.to_string();
    config.api_key = Some(configuration::ApiKey {
        prefix: None,
        key: KEY.to_string(),
    });
    let config = std::rc::Rc::new(config);
    let body: cryptomate_peer::models::CreateClientRequest =
        serde_json::from_value(request.clone()).expect("the peer's request type");
    Box::new(move || {
        let config = std::rc::Rc::clone(&config);
        let body = body.clone();
        Box::pin(async move {
            let created = clients_api::create_client(&config, body)
                .await
                .expect("created");
            std::hint::black_box(created);
        })
    })
}

/// Microseconds per call: `SEQUENTIAL` calls one after another.
async fn sequential(call: &Call) -> f64 {
    let started = Instant::now();
    for _ in 0..SEQUENTIAL {
        call().await;
    }
    started.elapsed().as_secs_f64() * 1e6 / SEQUENTIAL as f64
}

/// Microseconds per call: `CONCURRENCY` tasks of `PER_TASK` calls each.
async fn concurrent(call: &Call) -> f64 {
    let started = Instant::now();
    let tasks = (0..CONCURRENCY).map(|_| async {
        for _ in 0..PER_TASK {
            call().await;
        }
    });
    futures::future::join_all(tasks).await;
    started.elapsed().as_secs_f64() * 1e6 / (CONCURRENCY * PER_TASK) as f64
}

/// Median and p25–p75 of samples.
fn summary(samples: &mut [f64]) -> (f64, f64, f64) {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.25), at(0.75))
}

/// Prints each client's median and spread, then ours against each other:
/// the ratio of the medians, and the median (p25–p75) of the rounds' own
/// ratios, each taken between calls made moments apart, so that the drift of
/// a shared machine between rounds cancels out. The rows are aligned by round.
fn report(title: &str, unit: &str, rows: &[(&str, Vec<f64>)]) {
    println!("\n{title}");
    println!("| client | median ({unit}) | p25–p75 ({unit}) |");
    println!("| --- | ---: | ---: |");
    let mut medians = Vec::new();
    for (name, samples) in rows {
        let (median, p25, p75) = summary(&mut samples.clone());
        println!("| {name} | {median:.2} | {p25:.2}–{p75:.2} |");
        medians.push(median);
    }
    let (ours_name, ours) = &rows[0];
    for (i, (name, samples)) in rows.iter().enumerate().skip(1) {
        let mut paired: Vec<f64> = ours.iter().zip(samples).map(|(a, b)| a / b).collect();
        let (median, p25, p75) = summary(&mut paired);
        println!(
            "ratio {title}: {ours_name} / {name}: of the medians {:.3}; paired by round {median:.3} (p25–p75 {p25:.3}–{p75:.3})",
            medians[0] / medians[i]
        );
    }
}

/// Nanoseconds per operation of `f`, over `SERDE_ITERATIONS` runs.
fn per_op(f: impl Fn()) -> f64 {
    let started = Instant::now();
    for _ in 0..SERDE_ITERATIONS {
        f();
    }
    started.elapsed().as_secs_f64() * 1e9 / SERDE_ITERATIONS as f64
}

/// The request and response, decoded into both kinds of types once.
struct Fixtures {
    request_json: Vec<u8>,
    ours_request: cryptomate::types::CreateClientRequest,
    hw_request: HwRequest,
    ours_response: cryptomate::types::Client,
    hw_response: HwClient<String>,
}

impl Fixtures {
    fn new() -> Self {
        let request_json = serde_json::to_vec(&full_request()).expect("JSON");
        let ours_request: cryptomate::types::CreateClientRequest =
            serde_json::from_slice(&request_json).expect("generated type");
        let hw_request: HwRequest =
            serde_json::from_slice(&request_json).expect("hand-written type");
        assert_eq!(
            serde_json::to_value(&ours_request).expect("JSON"),
            serde_json::to_value(&hw_request).expect("JSON"),
            "both types carry the same 38 fields"
        );
        Self {
            request_json,
            ours_request,
            hw_request,
            ours_response: serde_json::from_str(RESPONSE).expect("generated"),
            hw_response: serde_json::from_str(RESPONSE).expect("hand-written"),
        }
    }
}

/// One serde operation: its name, done through the generated types, and
/// through the hand-written ones.
type SerdeOp<'a> = (&'static str, Box<dyn Fn() + 'a>, Box<dyn Fn() + 'a>);

fn serde_ops(f: &Fixtures) -> Vec<SerdeOp<'_>> {
    use cryptomate::types::{Client, CreateClientRequest};
    use std::hint::black_box;
    vec![
        (
            "serialize request",
            Box::new(|| drop(black_box(serde_json::to_vec(&f.ours_request).expect("ser")))),
            Box::new(|| drop(black_box(serde_json::to_vec(&f.hw_request).expect("ser")))),
        ),
        (
            "deserialize request",
            Box::new(|| {
                let de = serde_json::from_slice::<CreateClientRequest>(&f.request_json);
                drop(black_box(de.expect("de")))
            }),
            Box::new(|| {
                let de = serde_json::from_slice::<HwRequest>(&f.request_json);
                drop(black_box(de.expect("de")))
            }),
        ),
        (
            "serialize response",
            Box::new(|| {
                drop(black_box(
                    serde_json::to_vec(&f.ours_response).expect("ser"),
                ))
            }),
            Box::new(|| drop(black_box(serde_json::to_vec(&f.hw_response).expect("ser")))),
        ),
        (
            "deserialize response",
            Box::new(|| {
                drop(black_box(
                    serde_json::from_str::<Client>(RESPONSE).expect("de"),
                ))
            }),
            Box::new(|| {
                drop(black_box(
                    serde_json::from_str::<HwClient<String>>(RESPONSE).expect("de"),
                ))
            }),
        ),
        (
            "deserialize response, hand-written with typed timestamps",
            Box::new(|| {
                drop(black_box(
                    serde_json::from_str::<Client>(RESPONSE).expect("de"),
                ))
            }),
            Box::new(|| {
                drop(black_box(
                    serde_json::from_str::<HwClient<chrono::NaiveDateTime>>(RESPONSE).expect("de"),
                ))
            }),
        ),
    ]
}

fn serde_costs() {
    let fixtures = Fixtures::new();
    for (name, ours, hand) in serde_ops(&fixtures) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        // A B, B A, A B, …: neither always runs first.
        for round in 0..SERDE_ROUNDS {
            if round % 2 == 0 {
                a.push(per_op(&ours));
                b.push(per_op(&hand));
            } else {
                b.push(per_op(&hand));
                a.push(per_op(&ours));
            }
        }
        report(
            &format!("serde: {name}"),
            "ns",
            &[("ours", a), ("hand-written", b)],
        );
    }
}

/// Allocation counts (built with `--cfg count_allocations`).
#[cfg(count_allocations)]
mod count {
    use super::{CONCURRENCY, Call, PER_TASK, SEQUENTIAL, SerdeOp};

    fn line(what: &str, who: &str, info: allocation_counter::AllocationInfo, per: usize) {
        println!(
            "allocations {what}, {who}: {:.1} per call, {:.0} bytes per call",
            info.count_total as f64 / per as f64,
            info.bytes_total as f64 / per as f64
        );
    }

    /// Allocations per call, sequential and concurrent, after a warm-up
    /// that opens the connections.
    pub fn calls(calls: &[(&str, Call)]) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("client runtime");
        for (who, call) in calls {
            runtime.block_on(async {
                for _ in 0..100 {
                    call().await;
                }
            });
            let info = allocation_counter::measure(|| {
                runtime.block_on(async {
                    for _ in 0..SEQUENTIAL {
                        call().await;
                    }
                })
            });
            line("create_client, sequential", who, info, SEQUENTIAL);
            let info = allocation_counter::measure(|| {
                runtime.block_on(super::concurrent(call));
            });
            line(
                &format!("create_client, {CONCURRENCY} concurrent"),
                who,
                info,
                CONCURRENCY * PER_TASK,
            );
        }
    }

    /// Allocations per serde operation.
    pub fn serde(ops: &[SerdeOp<'_>]) {
        for (name, ours, hand) in ops {
            for (who, op) in [("ours", ours), ("hand-written", hand)] {
                let info = allocation_counter::measure(|| {
                    for _ in 0..super::SERDE_ITERATIONS {
                        op();
                    }
                });
                line(&format!("serde {name}"), who, info, super::SERDE_ITERATIONS);
            }
        }
    }
}

/// `BENCH_PROFILE=<client>:<calls>` makes `calls` sequential calls of one
/// client and nothing else, for an instruction-count profile such as
/// `valgrind --tool=callgrind`: the difference of two call counts is the cost
/// of the calls alone.
fn profile(calls: &[(&str, Call)], spec: &str) {
    let (name, count) = spec.split_once(':').unwrap_or((spec, "1000"));
    let count: usize = count.parse().expect("BENCH_PROFILE=<client>:<calls>");
    let (_, call) = calls
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no client {name}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    runtime.block_on(async {
        for _ in 0..count {
            call().await;
        }
    });
}

fn main() {
    let addr = start_server();
    let base = format!("http://{addr}");
    let request = full_request();
    let ours_body: cryptomate::types::CreateClientRequest =
        serde_json::from_value(request.clone()).expect("generated type");
    let hw_body: HwRequest = serde_json::from_value(request.clone()).expect("hand-written type");

    #[allow(unused_mut, reason = "only a build with cfg(peer) adds a call")]
    let mut calls: Vec<(&str, Call)> = vec![
        ("ours", ours(&base, &ours_body)),
        ("hand-written", hand_written(&base, &hw_body)),
    ];
    #[cfg(peer)]
    calls.push(("openapi-generator", peer(&base, &request)));

    if let Ok(spec) = std::env::var("BENCH_PROFILE") {
        profile(&calls, &spec);
        return;
    }
    #[cfg(count_allocations)]
    {
        count::calls(&calls);
        count::serde(&serde_ops(&Fixtures::new()));
    }
    #[cfg(not(count_allocations))]
    timed(&calls);
}

/// The timed rounds, interleaved, and the serde costs.
#[cfg_attr(
    count_allocations,
    allow(dead_code, reason = "the counting build times nothing")
)]
fn timed(calls: &[(&str, Call)]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    runtime.block_on(async {
        // Warm up: connections, allocator, caches.
        for (_, call) in calls {
            for _ in 0..100 {
                call().await;
            }
        }
        let mut seq: Vec<(&str, Vec<f64>)> = calls.iter().map(|(n, _)| (*n, Vec::new())).collect();
        let mut conc: Vec<(&str, Vec<f64>)> = calls.iter().map(|(n, _)| (*n, Vec::new())).collect();
        // Each round starts with the next client (A B C, B C A, C A B, …),
        // so that none always runs first or last.
        for round in 0..ROUNDS {
            let order = (0..calls.len()).map(|i| (round + i) % calls.len());
            for i in order.clone() {
                seq[i].1.push(sequential(&calls[i].1).await);
            }
            for i in order {
                conc[i].1.push(concurrent(&calls[i].1).await);
            }
        }
        report("create_client, sequential", "µs/call", &seq);
        report(
            &format!("create_client, {CONCURRENCY} concurrent"),
            "µs/call",
            &conc,
        );
    });
    serde_costs();
}
