//! Faults on the wire, each against a real server on 127.0.0.1: every one
//! gives a typed error that says what happened, keeps the status and body
//! where there was one, and never prints the key or personal data.

// The faults are exercised through `create_client`, the operation the crate
// was built on; their handling is shared by every operation, so the
// vendor's deprecation of that endpoint does not matter here.
#![allow(
    deprecated,
    reason = "faults are exercised through create_client; their handling is shared by every operation"
)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::documented_response;
use cryptomate::types::CreateClientRequest;
use cryptomate::{
    ApiKey, Client, ClientStatus, ClientType, DEFAULT_MAX_RESPONSE_BYTES, DecodeProblem, Error,
    RetryPolicy,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "fault-test-key-71c2";
const PII: &str = "123-45-6789";

fn client_at(base: &str) -> Client {
    Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(base)
        .connect_timeout(Duration::from_millis(500))
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client")
}

fn body() -> CreateClientRequest {
    CreateClientRequest {
        first_name: Some("John".into()),
        individual_identification: Some(PII.into()),
        ..Default::default()
    }
}

async fn create(
    client: &Client,
) -> Result<cryptomate::ResponseValue<cryptomate::types::Client>, Error> {
    client.create_client().body(body()).send().await
}

/// The error's `Display` and `Debug` say something and leak nothing.
fn assert_clean(err: &Error) -> String {
    let shown = format!("{err}");
    let debugged = format!("{err:?}");
    for text in [&shown, &debugged] {
        assert!(!text.contains(KEY), "the key leaks: {text}");
        assert!(!text.contains(PII), "personal data leaks: {text}");
        assert!(!text.contains("SECRET-PII"), "response data leaks: {text}");
    }
    assert!(!shown.is_empty());
    shown
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A TCP server on 127.0.0.1 whose every connection `handle` serves.
async fn raw_server<F, Fut>(handle: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle(stream));
        }
    });
    addr
}

/// Reads a request's head and body (by Content-Length) so that the client has
/// finished sending before the server misbehaves.
async fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                return;
            }
        }
    }
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_that_never_left() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let err = create(&client_at(&format!("http://127.0.0.1:{port}")))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.may_have_reached_server());
    assert_eq!(err.status(), None);
    assert!(assert_clean(&err).starts_with("cannot connect to the API; the request was not sent"));
}

/// A resolver that knows, as RFC 6761 says, that no name under `.invalid`
/// resolves: it answers without asking anyone, so the test never leaves the
/// machine (the system resolver could send the query to a name server).
#[derive(Default)]
struct InvalidNames {
    asked: std::sync::Mutex<Vec<String>>,
}

impl reqwest::dns::Resolve for InvalidNames {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.asked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(name.as_str().to_string());
        Box::pin(async { Err("no such host: names under .invalid never resolve".into()) })
    }
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_connect_error_that_never_left() {
    let resolver = std::sync::Arc::new(InvalidNames::default());
    let http = reqwest::Client::builder()
        .dns_resolver(resolver.clone())
        .build()
        .expect("reqwest client");
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url("https://api.cryptomate.invalid")
        .http_client(http)
        .build()
        .expect("client");
    let err = create(&client).await.expect_err("does not resolve");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.may_have_reached_server());
    assert_eq!(err.status(), None);
    assert!(assert_clean(&err).starts_with("cannot connect to the API; the request was not sent"));
    assert_eq!(
        *resolver.asked.lock().unwrap_or_else(|p| p.into_inner()),
        ["api.cryptomate.invalid"]
    );
}

/// A TLS server on 127.0.0.1 with a self-signed certificate, which the client
/// does not trust. Returns its address and the number of handshakes it
/// completed.
async fn untrusted_tls_server() -> (SocketAddr, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio_rustls::rustls;
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).expect("certificate");
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let completed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = completed.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                if acceptor.accept(stream).await.is_ok() {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    (addr, completed)
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_connect_error_that_never_left() {
    let (addr, completed) = untrusted_tls_server().await;
    let err = create(&client_at(&format!("https://{addr}")))
        .await
        .expect_err("untrusted");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.may_have_reached_server());
    assert!(assert_clean(&err).starts_with("cannot connect to the API; the request was not sent"));
    // The cause is the certificate, as the error's sources say.
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    assert!(
        causes.iter().any(|c| c.contains("certificate")),
        "{causes:?}"
    );
    assert_eq!(completed.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A caller's value whose conversion into a body field fails, as a validated
/// newtype's can.
struct NotAnEmail;

impl TryFrom<NotAnEmail> for Option<String> {
    type Error = &'static str;

    fn try_from(_: NotAnEmail) -> Result<Self, Self::Error> {
        Err("not an email address")
    }
}

#[tokio::test]
async fn a_body_field_that_fails_to_convert_is_an_invalid_request_never_sent() {
    let server = answering(ResponseTemplate::new(201).set_body_json(documented_response())).await;
    let body = CreateClientRequest::builder()
        .first_name("John".to_string())
        .email(NotAnEmail);
    let err = client_at(&server.uri())
        .create_client()
        .body(body)
        .send()
        .await
        .expect_err("invalid");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(!err.may_have_reached_server());
    let shown = assert_clean(&err);
    assert!(
        shown.starts_with("the request could not be built: "),
        "{shown}"
    );
    assert!(shown.contains("email: not an email address"), "{shown}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

/// A documented error's `message` is kept for the caller but never shown:
/// the vendor's messages quote identifiers.
#[tokio::test]
async fn an_error_message_is_kept_but_not_shown() {
    let message = "Company client not found with id: client_SECRET-PII-77";
    let server = answering(ResponseTemplate::new(404).set_body_json(json!({
        "code": "CLIENT_NOT_FOUND",
        "message": message,
        "trace_id": "trace-9",
    })))
    .await;
    let err = create(&client_at(&server.uri())).await.expect_err("404");
    assert_eq!(err.message(), Some(message));
    assert_eq!(
        assert_clean(&err),
        "the API answered 404 Not Found (code CLIENT_NOT_FOUND) [trace id trace-9]"
    );
    let debugged = format!("{err:?}");
    assert!(
        debugged.contains("code: Some(\"CLIENT_NOT_FOUND\")"),
        "{debugged}"
    );
    assert!(
        debugged.contains(&format!("<{} bytes, not shown>", message.len())),
        "{debugged}"
    );
}

#[tokio::test]
async fn a_connect_timeout_is_a_connect_error() {
    // A listener with a full accept queue drops new SYNs, so connecting hangs.
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
    socket
        .bind(&"127.0.0.1:0".parse::<SocketAddr>().expect("addr").into())
        .expect("bind");
    socket.listen(0).expect("listen");
    let addr = socket
        .local_addr()
        .expect("addr")
        .as_socket()
        .expect("inet");
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            fillers.push(s);
        }
    }
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    // The connect timeout, not another failure, ended the call: reqwest says
    // so (how long it took is no test: a loaded machine is slow).
    let err = create(&client).await.expect_err("times out");
    assert!(
        matches!(err, Error::Connect(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(!err.may_have_reached_server());
    assert_clean(&err);
    drop(fillers);
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_that_may_have_reached_it() {
    let addr = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(400))
        .build()
        .expect("client");
    // The server holds the request for 30 s; a Timeout rather than the
    // Transport of its eventual close shows the client's 400 ms ended it.
    let err = create(&client).await.expect_err("times out");
    assert!(
        matches!(err, Error::Timeout(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(err.may_have_reached_server());
    assert!(assert_clean(&err).contains("may have reached the server"));
}

#[tokio::test]
async fn a_connection_reset_mid_body_keeps_the_status() {
    let addr = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\": \"client_")
            .await;
        let _ = stream.flush().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Linger 0 turns the close into a reset.
        let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        drop(stream);
    })
    .await;
    let err = create(&client_at(&format!("http://{addr}")))
        .await
        .expect_err("reset");
    assert!(matches!(err, Error::ResponseBody { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(201));
    assert!(err.may_have_reached_server());
    assert!(assert_clean(&err).contains("201 Created but its body could not be read"));
}

#[tokio::test]
async fn a_truncated_body_keeps_the_status() {
    let addr = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\": \"cli")
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let err = create(&client_at(&format!("http://{addr}")))
        .await
        .expect_err("truncated");
    assert!(matches!(err, Error::ResponseBody { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_clean(&err);
}

/// The limit the size tests set: small, so that they stream megabytes, not
/// the default's tens of them.
const LIMIT: usize = 1024 * 1024;

fn client_with_limit(base: &str) -> Client {
    Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(base)
        .connect_timeout(Duration::from_millis(500))
        .timeout(Duration::from_secs(2))
        .max_response_bytes(LIMIT)
        .build()
        .expect("client")
}

fn assert_too_large(err: &Error, limit: usize) {
    match err {
        Error::ResponseTooLarge {
            limit: reported, ..
        } => assert_eq!(*reported, limit),
        other => panic!("{other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains(&limit.to_string()) && message.contains("max_response_bytes"),
        "the message names the limit and how to raise it: {message}"
    );
}

#[tokio::test]
async fn an_unbounded_chunked_body_is_cut_off_at_the_limit() {
    let addr = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b' '; 64 * 1024];
        let head = format!("{:x}\r\n", chunk.len());
        // Twice the limit, unless the client hangs up first.
        for _ in 0..(2 * LIMIT / chunk.len()) {
            if stream.write_all(head.as_bytes()).await.is_err()
                || stream.write_all(&chunk).await.is_err()
                || stream.write_all(b"\r\n").await.is_err()
            {
                return;
            }
        }
    })
    .await;
    let err = create(&client_with_limit(&format!("http://{addr}")))
        .await
        .expect_err("too large");
    assert_too_large(&err, LIMIT);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_clean(&err);
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_reading() {
    let server = answering(ResponseTemplate::new(200).set_body_string(" ".repeat(LIMIT + 1))).await;
    let err = create(&client_with_limit(&server.uri()))
        .await
        .expect_err("too large");
    assert_too_large(&err, LIMIT);
}

#[tokio::test]
async fn the_default_limit_holds_for_a_client_that_sets_none() {
    // The server declares one byte over the default and sends nothing: the
    // client refuses on the declaration alone.
    let addr = raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            DEFAULT_MAX_RESPONSE_BYTES + 1
        );
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let err = create(&client_at(&format!("http://{addr}")))
        .await
        .expect_err("too large");
    assert_too_large(&err, DEFAULT_MAX_RESPONSE_BYTES);
}

#[tokio::test]
async fn a_502_html_page_is_an_unexpected_response_with_its_body() {
    for status in [502, 503] {
        let html = "<html><body><h1>Bad Gateway</h1></body></html>";
        let server = answering(ResponseTemplate::new(status).set_body_raw(html, "text/html")).await;
        let err = create(&client_at(&server.uri()))
            .await
            .expect_err("gateway");
        assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.body().map(|b| b.text_lossy()), Some(html.to_string()));
        let shown = assert_clean(&err);
        assert!(
            shown.contains("a status the spec does not document"),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("{} bytes, text/html", html.len())),
            "{shown}"
        );
        assert!(!shown.contains("<html>"), "{shown}");
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_body() {
    let server = answering(
        ResponseTemplate::new(418)
            .insert_header("X-Trace-Id", "t-418")
            .set_body_json(json!({"code": "TEAPOT"})),
    )
    .await;
    let err = create(&client_at(&server.uri())).await.expect_err("418");
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(err.trace_id(), Some("t-418"));
    assert_eq!(
        err.body().map(|b| b.as_bytes().to_vec()),
        Some(br#"{"code":"TEAPOT"}"#.to_vec())
    );
    assert_clean(&err);
}

#[tokio::test]
async fn bodies_that_do_not_decode_keep_status_body_and_say_why() {
    let cases: Vec<(u16, &str, &str, DecodeProblem)> = vec![
        (
            200,
            "{\"id\": \"client_1\", ",
            "application/json",
            DecodeProblem::Truncated,
        ),
        (
            200,
            "<html>oops</html>",
            "text/html",
            DecodeProblem::NotJson { line: 1, column: 1 },
        ),
        (201, "", "application/json", DecodeProblem::Empty),
        (
            200,
            "{\"id\": 5, \"first_name\": \"SECRET-PII\"}",
            "application/json",
            DecodeProblem::WrongShape {
                path: "id".into(),
                reason: "invalid type: integer `…`, expected a string".into(),
            },
        ),
        (
            200,
            "{\"first_name\": \"SECRET-PII\"}",
            "application/json",
            DecodeProblem::WrongShape {
                path: ".".into(),
                reason: "missing field `id`".into(),
            },
        ),
        (
            200,
            "[\"SECRET-PII\"]",
            "application/json",
            DecodeProblem::WrongShape {
                path: ".".into(),
                reason: "invalid length 1, expected struct Client with 11 elements".into(),
            },
        ),
        // A documented error status whose body is an HTML page.
        (
            500,
            "<html>SECRET-PII</html>",
            "text/html",
            DecodeProblem::NotJson { line: 1, column: 1 },
        ),
    ];
    for (status, raw, content_type, problem) in cases {
        let server = answering(ResponseTemplate::new(status).set_body_raw(raw, content_type)).await;
        let err = create(&client_at(&server.uri()))
            .await
            .expect_err("does not decode");
        let Error::InvalidResponse { problem: got, .. } = &err else {
            panic!("{status} {raw:?}: {err:?}");
        };
        assert_eq!(got, &problem, "{status} {raw:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.body().map(|b| b.text_lossy()), Some(raw.to_string()));
        let shown = assert_clean(&err);
        assert!(shown.contains(&problem.to_string()), "{shown}");
    }
}

async fn decode(body: Value) -> cryptomate::types::Client {
    let server = answering(ResponseTemplate::new(200).set_body_json(body)).await;
    create(&client_at(&server.uri()))
        .await
        .expect("decodes")
        .into_inner()
}

#[tokio::test]
async fn unknown_fields_and_new_values_decode() {
    let mut body = documented_response();
    body["risk_score"] = json!(0.4);
    body["metadata"] = json!({"nested": [1, 2, {"deep": true}]});
    body["type"] = json!("trust");
    body["status"] = json!("UNDER_REVIEW");
    let client = decode(body).await;
    assert_eq!(client.type_, Some(ClientType::Other("trust".into())));
    assert_eq!(
        client.status,
        Some(ClientStatus::Other("UNDER_REVIEW".into()))
    );
    assert_eq!(client.first_name.as_deref(), Some("John"));
}

#[tokio::test]
async fn missing_and_null_optional_fields_decode() {
    let client = decode(json!({"id": "client_1"})).await;
    assert_eq!(client.id, "client_1");
    assert_eq!(client.email, None);
    let mut nulls = documented_response();
    for field in [
        "company_id",
        "type",
        "status",
        "first_name",
        "phone_number",
        "created_at",
    ] {
        nulls[field] = Value::Null;
    }
    let client = decode(nulls).await;
    assert_eq!(
        (client.company_id, client.type_, client.status),
        (None, None, None)
    );
    assert_eq!((client.phone_number, client.created_at), (None, None));
    assert_eq!(client.last_name.as_deref(), Some("Doe"));
}

#[tokio::test]
async fn timestamps_with_and_without_offset_decode_as_utc() {
    for (text, utc) in [
        ("2026-04-15T10:30:00", "2026-04-15T10:30:00+00:00"),
        ("2026-04-15T10:30:00Z", "2026-04-15T10:30:00+00:00"),
        ("2026-04-15T12:30:00+02:00", "2026-04-15T10:30:00+00:00"),
        (
            "2026-04-15T10:30:00.123456",
            "2026-04-15T10:30:00.123456+00:00",
        ),
    ] {
        let mut body = documented_response();
        body["created_at"] = json!(text);
        let client = decode(body).await;
        let created = client.created_at.expect("a timestamp");
        assert_eq!(created.utc().to_rfc3339(), utc, "{text}");
        assert_eq!(created.as_str(), text);
    }
    // A timestamp that is no timestamp is a shape problem at its path.
    let mut body = documented_response();
    body["created_at"] = json!("yesterday");
    let server = answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let err = create(&client_at(&server.uri()))
        .await
        .expect_err("bad timestamp");
    assert!(
        matches!(&err, Error::InvalidResponse { problem: DecodeProblem::WrongShape { path, .. }, .. } if path == "created_at"),
        "{err:?}"
    );
}

/// A server that counts the requests it answers and answers each with the
/// next of `responses` (the last one repeats).
async fn counting(responses: Vec<ResponseTemplate>) -> MockServer {
    struct Sequence(std::sync::Mutex<Vec<ResponseTemplate>>);
    impl wiremock::Respond for Sequence {
        fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
            let mut left = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if left.len() > 1 {
                left.remove(0)
            } else {
                left[0].clone()
            }
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(Sequence(std::sync::Mutex::new(responses)))
        .mount(&server)
        .await;
    server
}

fn rate_limited(seconds: u32) -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("Retry-After", seconds.to_string().as_str())
        .set_body_json(json!({"error_code": "TOO_MANY_REQUESTS", "message": "Rate limit exceeded"}))
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(documented_response())
}

async fn received(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .map(|r| r.len())
        .unwrap_or(0)
}

/// A 429's one line says when to retry, from its `Retry-After` in either of
/// RFC 9110's forms, and says to wait when the header is missing or
/// unreadable; another status with a `Retry-After` (a proxy's 503) says it
/// too. The date is written back as a date, not as a wait from the clock.
#[tokio::test]
async fn a_429_says_when_to_retry_in_one_line() {
    let answered = "the API answered 429 Too Many Requests (code TOO_MANY_REQUESTS)";
    let no_header =
        "; no usable Retry-After: wait before retrying, since each violation doubles the block";
    let cases = [
        (Some("4"), "; retry in 4 s".to_string()),
        (Some("3600"), "; retry in 3600 s".to_string()),
        (
            Some("Wed, 21 Oct 2026 07:28:00 GMT"),
            "; retry after Wed, 21 Oct 2026 07:28:00 GMT".to_string(),
        ),
        (None, no_header.to_string()),
        (Some("soon"), no_header.to_string()),
        (Some("-4"), no_header.to_string()),
    ];
    for (header, hint) in cases {
        let mut answer = ResponseTemplate::new(429).set_body_json(
            json!({"error_code": "TOO_MANY_REQUESTS", "message": "Rate limit exceeded. Retry after 4 seconds"}),
        );
        if let Some(value) = header {
            answer = answer.insert_header("Retry-After", value);
        }
        let server = answering(answer).await;
        let err = create(&client_at(&server.uri())).await.expect_err("429");
        assert!(matches!(err, Error::ErrorResponse(_)), "{err:?}");
        assert_eq!(
            assert_clean(&err),
            format!("{answered}{hint}"),
            "{header:?}"
        );
    }

    // `retry_after()` gives the time left until a date.
    let at = cryptomate::chrono::Utc::now() + cryptomate::chrono::Duration::seconds(120);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = answering(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", date.as_str())
            .set_body_json(json!({"error_code": "TOO_MANY_REQUESTS"})),
    )
    .await;
    let err = create(&client_at(&server.uri())).await.expect_err("429");
    let wait = err.retry_after().expect("a wait");
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
    assert!(
        assert_clean(&err).ends_with(&format!("; retry after {date}")),
        "{err}"
    );

    // A 429 whose body is not the documented one, and a proxy's 503.
    let server = answering(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .set_body_raw("<html>slow down</html>", "text/html"),
    )
    .await;
    let err = create(&client_at(&server.uri())).await.expect_err("429");
    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
    assert!(assert_clean(&err).ends_with("; retry in 7 s"), "{err}");
    let server = answering(
        ResponseTemplate::new(503)
            .insert_header("Retry-After", "30")
            .set_body_raw("<html>maintenance</html>", "text/html"),
    )
    .await;
    let err = create(&client_at(&server.uri())).await.expect_err("503");
    assert!(matches!(err, Error::UnexpectedResponse { .. }), "{err:?}");
    assert!(assert_clean(&err).ends_with("; retry in 30 s"), "{err}");
    // Without the header, a status other than 429 says nothing of retrying.
    let server = answering(ResponseTemplate::new(503)).await;
    let err = create(&client_at(&server.uri())).await.expect_err("503");
    assert!(!assert_clean(&err).contains("retry"), "{err}");
}

// Retries are `tests/retries.rs`'s; here, that a call without an
// idempotency key (`create_client`, a POST) is sent once whatever the
// failure, under the default policy and a generous one.
#[tokio::test]
async fn by_default_a_call_without_a_key_is_not_retried() {
    let server = counting(vec![rate_limited(1), created()]).await;
    let err = create(&client_at(&server.uri())).await.expect_err("429");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn what_may_have_been_done_is_never_sent_twice() {
    let policy = RetryPolicy::DEFAULT.retries(3);
    // A 500 and a 503.
    for status in [500, 503] {
        let server = counting(vec![ResponseTemplate::new(status), created()]).await;
        let client = Client::builder(ApiKey::new(KEY).expect("key"))
            .base_url(server.uri())
            .retry(policy)
            .build()
            .expect("client");
        create(&client).await.expect_err("server error");
        assert_eq!(received(&server).await, 1, "{status}");
    }
    // A timeout after the request was sent.
    let server = counting(vec![created().set_delay(Duration::from_secs(2))]).await;
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry(policy)
        .build()
        .expect("client");
    let err = create(&client).await.expect_err("timeout");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn a_read_whose_connection_failed_is_retried_until_the_server_is_up() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = Client::builder(ApiKey::new(KEY).expect("key"))
        .base_url(format!("http://127.0.0.1:{port}"))
        // Up to 12.7 s of backoff (100 ms doubling, at most 3.2 s) for a
        // server that comes up after 250 ms, however loaded the machine.
        .retry(RetryPolicy::DEFAULT.retries(8))
        .build()
        .expect("client");
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind the port");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(common::examples::documented("get_individual_client", 200)),
            )
            .mount(&server)
            .await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(server);
    });
    let read = client
        .get_individual_client()
        .id("cl_123")
        .send()
        .await
        .expect("read once the server is up");
    assert_eq!(read.status(), 200);
    server.abort();
}
