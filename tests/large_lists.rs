//! The list endpoints return every client in one JSON array, with no
//! pagination: a company with 100,000 clients gets a body of tens of
//! megabytes. Over real HTTP on 127.0.0.1: the default limit reads it, a
//! client with a smaller limit refuses it with an error that names the limit
//! and how to raise it.

use cryptomate::{ApiKey, Client, DEFAULT_MAX_RESPONSE_BYTES, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENTS: usize = 100_000;

#[path = "common/list_body.rs"]
mod list_body;

async fn serving_the_list() -> (MockServer, usize) {
    let body = list_body::list_body(CLIENTS);
    let size = body.len();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/management/clients/individuals"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    (server, size)
}

fn client(server: &MockServer, limit: Option<usize>) -> Client {
    let mut builder =
        Client::builder(ApiKey::new("test-key-lists").expect("key")).base_url(server.uri());
    if let Some(limit) = limit {
        builder = builder.max_response_bytes(limit);
    }
    builder.build().expect("client")
}

#[tokio::test]
async fn a_list_of_100_000_clients_decodes_with_the_default_limit() {
    let (server, size) = serving_the_list().await;
    assert!(
        size > 30 * 1024 * 1024 && size < DEFAULT_MAX_RESPONSE_BYTES,
        "{size}"
    );
    let clients = client(&server, None)
        .list_individual_clients()
        .send()
        .await
        .expect("the default limit holds a list of 100,000 clients")
        .into_inner();
    assert_eq!(clients.len(), CLIENTS);
    assert_eq!(clients[0].id.as_str(), format!("{:032}", 0));
    assert_eq!(
        clients[CLIENTS - 1].id.as_str(),
        format!("{:032}", CLIENTS - 1)
    );
    assert!(
        clients
            .iter()
            .all(|c| c.address.as_ref().and_then(|a| a.city.as_deref()) == Some("Del Viso"))
    );
}

#[tokio::test]
async fn a_smaller_limit_refuses_it_and_says_how_to_raise_it() {
    let (server, size) = serving_the_list().await;
    let limit = 8 * 1024 * 1024;
    let err = client(&server, Some(limit))
        .list_individual_clients()
        .send()
        .await
        .expect_err("over the limit");
    match &err {
        Error::ResponseTooLarge {
            limit: reported,
            status,
            ..
        } => {
            assert_eq!(*reported, limit);
            assert_eq!(status.as_u16(), 200);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "the API answered 200 OK with a body over the client's limit of {limit} bytes; raise it with ClientBuilder::max_response_bytes"
        )
    );
    // A limit of the body's size reads it.
    let clients = client(&server, Some(size))
        .list_individual_clients()
        .send()
        .await
        .expect("a limit of exactly the body's size");
    assert_eq!(clients.len(), CLIENTS);
}
