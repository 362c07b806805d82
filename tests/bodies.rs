//! How an operation's request body is given (whole to `.body`, field by field
//! through `.body_map`, or both) and what goes over the wire for each,
//! against a real HTTP server on 127.0.0.1. The builders hold a body given
//! whole as it is (`src/body.rs`); these hold that to the same wire bytes
//! and the same refusals as building it field by field.

mod common;

use cryptomate::types::{IndividualAddress, IndividualClientRequest, builder};
use cryptomate::{ApiKey, Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG"})),
        )
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new("test-key-bodies").expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// The JSON bodies the server received, in order.
async fn sent(server: &MockServer) -> Vec<Value> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect()
}

fn maria() -> builder::IndividualClientRequest {
    common::maria().email("mjuliabarber@example.com")
}

fn maria_whole() -> IndividualClientRequest {
    IndividualClientRequest::try_from(maria()).expect("every required field")
}

/// The operation's builder holds a body given whole as it is, and one built
/// through `body_map` as typify's builder (`codegen/rewrite/bodies.rs`): its
/// `Debug` shows which. progenitor's own builders hold every body as typify's
/// builder (`body: Ok(IndividualClientRequest { first_name: Ok(…), … })`), so
/// the wire tests below, which pass either way, cannot tell.
#[tokio::test]
async fn a_body_given_whole_is_held_whole() {
    let server = server().await;
    let client = client_for(&server);
    let whole = format!(
        "{:?}",
        client.create_individual_client().body(maria_whole())
    );
    assert!(
        whole.contains("body: Ok(Whole(IndividualClientRequest {"),
        "{whole}"
    );
    let built = format!(
        "{:?}",
        client.create_individual_client().body_map(|_| maria())
    );
    assert!(
        built.contains("body: Ok(Building(IndividualClientRequest {"),
        "{built}"
    );
    assert!(built.contains("first_name: Ok("), "{built}");
}

#[tokio::test]
async fn a_body_given_whole_or_built_sends_the_same_json() {
    let server = server().await;
    let client = client_for(&server);
    client
        .create_individual_client()
        .body(maria_whole())
        .send()
        .await
        .expect("created");
    client
        .create_individual_client()
        .body_map(|_| maria())
        .send()
        .await
        .expect("created");
    let bodies = sent(&server).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        bodies[0],
        serde_json::to_value(maria_whole()).expect("JSON")
    );
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn body_map_after_a_whole_body_edits_it_and_keeps_the_rest() {
    let server = server().await;
    client_for(&server)
        .create_individual_client()
        .body(maria_whole())
        .body_map(|b| b.email("maria@example.org"))
        .send()
        .await
        .expect("created");
    let mut expected = serde_json::to_value(maria_whole()).expect("JSON");
    expected["email"] = json!("maria@example.org");
    assert_eq!(sent(&server).await, vec![expected]);
}

#[tokio::test]
async fn a_whole_body_after_body_map_replaces_what_was_built() {
    let server = server().await;
    client_for(&server)
        .create_individual_client()
        .body_map(|b| b.first_name("Someone else"))
        .body(maria_whole())
        .send()
        .await
        .expect("created");
    let expected = serde_json::to_value(maria_whole()).expect("JSON");
    assert_eq!(sent(&server).await, vec![expected]);
}

#[tokio::test]
async fn a_body_never_given_or_built_incomplete_is_refused_before_sending() {
    let server = server().await;
    let client = client_for(&server);
    let never_given = client
        .create_individual_client()
        .send()
        .await
        .expect_err("refused");
    assert!(
        matches!(never_given, Error::InvalidRequest(_)),
        "{never_given:?}"
    );
    assert!(
        never_given.to_string().contains("no value supplied for"),
        "{never_given}"
    );
    // A whole body made incomplete through the builder is checked when sent.
    let emptied = client
        .create_individual_client()
        .body(maria_whole())
        .body_map(|b| b.address(IndividualAddress::builder().city("Del Viso")))
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(emptied, Error::InvalidRequest(_)), "{emptied:?}");
    assert!(emptied.to_string().contains("address"), "{emptied}");
    assert!(sent(&server).await.is_empty(), "nothing was sent");
}
