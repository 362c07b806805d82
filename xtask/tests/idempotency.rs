//! The generated client's idempotency keys and exact decimals, over HTTP on
//! 127.0.0.1: a copy of the package generated from
//! `tests/fixtures/idempotency.yaml` (an `x-idempotency-key` operation that
//! sends and answers amounts, and an `Idempotency-Key` one), and a downstream
//! program that calls it against a server on loopback that records what it
//! receives. The project's spec has no such operation yet (the product issues
//! add them), so the fixture is what the rewrite `codegen/rewrite/idempotency.rs`
//! and the decimal conversion (`openapi/DECISIONS.md`, D22) are held to.
//!
//! The copy is built in `target/spec-copies` (kept between runs, shared with
//! `features.rs`); its reqwest has no TLS, which no call on loopback needs and
//! whose C build would only slow the test.

mod common;

use std::path::Path;

/// The downstream program: a recording HTTP server on 127.0.0.1 and the
/// calls. It prints one line per check and exits non-zero on the first that
/// fails.
const PROGRAM: &str = r#####"
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use cryptomate::types::AddVirtualBalanceBody;
use cryptomate::{ApiKey, Client, Decimal};

/// What the server received: each request's idempotency header and body.
type Record = Arc<Mutex<Vec<(Option<String>, String)>>>;

fn serve(listener: TcpListener, record: Record) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { return };
        let record = record.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut stream = stream;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let path = line.split(' ').nth(1).unwrap_or_default().to_string();
                let (mut length, mut key) = (0usize, None);
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).expect("a header");
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    let (name, value) = header.split_once(':').expect("name: value");
                    let name = name.to_ascii_lowercase();
                    if name == "content-length" {
                        length = value.trim().parse().expect("a length");
                    }
                    if name == "x-idempotency-key" || name == "idempotency-key" {
                        key = Some(value.trim().to_string());
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).expect("the body");
                record.lock().expect("lock").push((key, String::from_utf8(body).expect("utf-8")));
                let answer = if path.starts_with("/cards") {
                    "12345678901234567.10"
                } else {
                    r#"{"id":"transfer_1"}"#
                };
                write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                    answer.len(),
                    answer
                )
                .expect("answer");
            }
        });
    }
}

fn check(ok: bool, what: &str) {
    if ok {
        println!("ok: {what}");
    } else {
        eprintln!("FAILED: {what}");
        std::process::exit(1);
    }
}

fn is_uuid_v4(key: &str) -> bool {
    let parts: Vec<&str> = key.split('-').collect();
    key.len() == 36
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && key.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let record: Record = Arc::default();
    let server_record = record.clone();
    std::thread::spawn(move || serve(listener, server_record));
    let client = Client::builder(ApiKey::new("test-key-idempotency").expect("key"))
        .base_url(base)
        .build()
        .expect("client");
    let received = || record.lock().expect("lock").clone();

    // No key given: a fresh UUID v4, the one the builder exposes.
    let amount: Decimal = "12345678901234567.89".parse().expect("a decimal");
    let call = client
        .add_virtual_balance()
        .card_id("card_1")
        .body(AddVirtualBalanceBody { amount });
    let key = call.idempotency_key_in_use().expect("a key").to_string();
    check(is_uuid_v4(&key), "a fresh key is a UUID v4");

    // The same call retried (a clone of its builder) sends the same key.
    let balance = call.clone().send().await.expect("the first try").into_inner();
    call.send().await.expect("the retry");
    let sent = received();
    check(
        sent.len() == 2 && sent.iter().all(|(k, _)| k.as_deref() == Some(key.as_str())),
        "a retried call sends the key the builder exposed, twice",
    );

    // Decimals: the amount goes out with every digit; the answer reads exactly.
    check(
        sent[0].1 == r#"{"amount":12345678901234567.89}"#,
        "an amount f64 cannot hold is sent exactly",
    );
    check(
        balance.to_string() == "12345678901234567.10",
        "an answered amount reads exactly, scale kept",
    );

    // Another call gets another key.
    let other = client
        .add_virtual_balance()
        .card_id("card_1")
        .body(AddVirtualBalanceBody { amount });
    let other_key = other.idempotency_key_in_use().expect("a key").to_string();
    other.send().await.expect("sent");
    check(
        other_key != key && received()[2].0.as_deref() == Some(other_key.as_str()),
        "another call sends another fresh key",
    );

    // A key the caller gives is the one sent and exposed.
    let given = client
        .add_virtual_balance()
        .card_id("card_1")
        .x_idempotency_key("order-42")
        .body(AddVirtualBalanceBody { amount });
    check(
        given.idempotency_key_in_use() == Some("order-42"),
        "a given key is exposed",
    );
    given.send().await.expect("sent");
    check(
        received()[3].0.as_deref() == Some("order-42"),
        "a given key is sent as given",
    );

    // A given key that cannot be a header is refused before sending, and the
    // error does not quote it.
    let bad = client
        .add_virtual_balance()
        .card_id("card_1")
        .x_idempotency_key("order\n42")
        .body(AddVirtualBalanceBody { amount });
    let error = bad.send().await.expect_err("refused");
    check(
        !error.may_have_reached_server()
            && !error.to_string().contains("order")
            && received().len() == 4,
        "a key that is no header value is refused before sending, unquoted",
    );

    // The `Idempotency-Key` spelling gets the same treatment.
    let transfer = client.transfer_tokens();
    let transfer_key = transfer.idempotency_key_in_use().expect("a key").to_string();
    transfer.send().await.expect("sent");
    check(
        is_uuid_v4(&transfer_key) && received()[4].0.as_deref() == Some(transfer_key.as_str()),
        "Idempotency-Key is set fresh too",
    );
}
"#####;

#[test]
fn generated_builders_set_expose_and_reuse_idempotency_keys_over_http() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let target = root.join("target/spec-copies");
    let copy = target.join("crates/idempotency");
    if copy.exists() {
        std::fs::remove_dir_all(&copy).expect("clean the copy");
    }
    common::copy_package(root, &copy);
    let spec =
        std::fs::read_to_string(root.join("tests/fixtures/idempotency.yaml")).expect("the fixture");
    std::fs::write(copy.join("openapi/cryptomate.yaml"), spec).expect("write the spec");
    // The copy's reqwest without TLS: every call here is plain HTTP on
    // loopback.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("the manifest");
    let without_tls = manifest.replace(
        r#"features = ["json", "query", "stream", "rustls", "http2"]"#,
        r#"features = ["json", "query", "stream"]"#,
    );
    assert_ne!(
        manifest, without_tls,
        "the manifest's reqwest features moved"
    );
    std::fs::write(copy.join("Cargo.toml"), without_tls).expect("write the manifest");
    let downstream = copy.join("downstream");
    std::fs::create_dir_all(downstream.join("src")).expect("downstream dir");
    std::fs::write(
        downstream.join("Cargo.toml"),
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[workspace]\n\n[dependencies]\n\
         cryptomate = { path = \"..\", default-features = false, features = [\"client\", \
         \"cards\", \"treasury\"] }\n\
         tokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n\n\
         [profile.dev]\ndebug = false\n",
    )
    .expect("write the downstream manifest");
    std::fs::copy(root.join("Cargo.lock"), downstream.join("Cargo.lock")).expect("copy lock");
    std::fs::write(downstream.join("src/main.rs"), PROGRAM).expect("write the program");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .current_dir(&downstream)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.matches("ok: ").count(), 9, "{stdout}");
}
