//! Bad input stays harmless, on the wire against a real server on 127.0.0.1:
//! a path parameter never leaves its segment, a missing required field is
//! refused before anything is sent, and odd answers (an unknown enum value, a
//! 204 with a body, a 200 without one) give a clear typed result.

mod common;

use cryptomate::types::IndividualAddress;
use cryptomate::{
    ApiKey, Client, DecodeProblem, Error, IndividualClientStatus, ProductRequestStatus, Subproduct,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new("test-key-bad-input").expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording")
}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({"code": "NOT_FOUND", "message": "not found"}))
}

/// Ids that would change the request's path if they were sent as they are.
const ESCAPING: &[&str] = &[
    "",
    ".",
    "..",
    "../companies",
    "a/b",
    "/",
    "a\\b",
    "..\\companies",
];

#[tokio::test]
async fn an_id_that_would_leave_its_segment_is_refused_before_sending() {
    let server = answering(not_found()).await;
    let client = client_for(&server);
    for id in ESCAPING {
        let outcomes = [
            client
                .get_individual_client()
                .id(*id)
                .send()
                .await
                .map(|_| ()),
            client
                .delete_individual_client()
                .id(*id)
                .send()
                .await
                .map(|_| ()),
            client
                .list_client_products()
                .client_id(*id)
                .send()
                .await
                .map(|_| ()),
            client
                .submit_product_enablement()
                .client_id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
                .product_request_id(*id)
                .send()
                .await
                .map(|_| ()),
        ];
        for outcome in outcomes {
            let error = outcome.expect_err(id);
            assert!(
                matches!(error, Error::InvalidRequest(_)),
                "{id:?}: {error:?}"
            );
            assert!(!error.may_have_reached_server(), "{id:?}");
            let message = error.to_string();
            assert!(
                message.contains("id"),
                "{id:?}: the message names the parameter: {message}"
            );
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

/// A path parameter that is not an id has no check when it is made (an open
/// enum's `Other` holds any string): the URL's one check refuses it (D16).
#[tokio::test]
async fn an_open_enum_in_a_path_never_leaves_its_segment() {
    use cryptomate::types::{VirtualWalletBlockchain, VirtualWalletWithdrawalRequest};
    let server = answering(not_found()).await;
    let client = client_for(&server);
    let withdrawal = || VirtualWalletWithdrawalRequest {
        to_wallet_address: "0x1111111111111111111111111111111111111111".into(),
        token_address: "0x2222222222222222222222222222222222222222".into(),
        amount: "1.5".parse().expect("a decimal"),
    };
    for value in ESCAPING {
        let error = client
            .withdraw_from_virtual_wallets_holding_wallet()
            .blockchain(VirtualWalletBlockchain::Other((*value).into()))
            .body(withdrawal())
            .send()
            .await
            .expect_err(value);
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{value:?}: {error:?}"
        );
        assert!(!error.may_have_reached_server(), "{value:?}");
        let message = error.to_string();
        assert!(
            message.contains("the path parameter `blockchain` must not"),
            "{value:?}: the message names the parameter: {message}"
        );
        // (The shortest values are in the rule's own words.)
        if value.len() >= 3 {
            assert!(
                !message.contains(value),
                "{value:?}: the message names the value"
            );
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
    // A value that stays in its segment is sent, encoded.
    client
        .withdraw_from_virtual_wallets_holding_wallet()
        .blockchain(VirtualWalletBlockchain::Other("NEW CHAIN".into()))
        .body(withdrawal())
        .send()
        .await
        .expect_err("the server answers 404");
    let sent = requests(&server).await.pop().expect("a request");
    assert_eq!(
        sent.url.path(),
        "/virtual-wallets/holding/withdraw/NEW%20CHAIN"
    );
}

#[tokio::test]
async fn characters_that_mean_something_in_a_url_are_encoded_into_the_segment() {
    let server = answering(not_found()).await;
    let client = client_for(&server);
    for (id, on_the_wire) in [
        ("%2F", "%252F"),
        ("a b", "a%20b"),
        ("a?b#c", "a%3Fb%23c"),
        ("...", "..."),
        ("cliënt", "cli%C3%ABnt"),
    ] {
        let error = client
            .get_individual_client()
            .id(id)
            .send()
            .await
            .expect_err("the server answers 404");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
        let sent = requests(&server).await.pop().expect("a request");
        assert_eq!(
            sent.url.path(),
            format!("/management/clients/individuals/{on_the_wire}"),
            "{id:?}"
        );
        assert_eq!(sent.url.query(), None, "{id:?}");
    }
}

#[tokio::test]
async fn a_country_code_must_be_two_or_three_letters() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = client_for(&server);
    for code in ["", "U", "USAA", "../x", "U/S"] {
        let error = client
            .get_identifications_by_country()
            .country_code(code)
            .send()
            .await
            .expect_err(code);
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{code:?}: {error:?}"
        );
    }
    assert!(requests(&server).await.is_empty());
    let ok = client
        .get_identifications_by_country()
        .country_code("US")
        .send()
        .await
        .expect("a valid code");
    assert!(ok.is_empty());
    assert_eq!(
        requests(&server).await[0].url.path(),
        "/management/clients/individuals/identifications/US"
    );
}

#[tokio::test]
async fn an_over_long_id_is_sent_in_its_segment_or_refused_without_quoting_it() {
    let server = answering(not_found()).await;
    let client = client_for(&server);
    // A long id still fits in a URL: it stays in its segment.
    let long = "x".repeat(8 * 1024);
    let error = client
        .get_individual_client()
        .id(long.as_str())
        .send()
        .await
        .expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error:?}");
    let sent = requests(&server).await.pop().expect("sent");
    assert_eq!(
        sent.url.path(),
        format!("/management/clients/individuals/{long}")
    );
    // One that makes the URL longer than HTTP allows (64 KiB) is refused
    // before sending, with a message that does not repeat it.
    let too_long = "y".repeat(64 * 1024);
    let error = client
        .get_individual_client()
        .id(too_long.as_str())
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("yyyy"),
        "{}",
        &shown[..shown.len().min(300)]
    );
    assert!(shown.len() < 300, "{shown}");
    assert_eq!(requests(&server).await.len(), 1, "only the first was sent");
}

#[tokio::test]
async fn a_missing_required_field_is_refused_before_sending_and_named() {
    let server = answering(ResponseTemplate::new(201)).await;
    let client = client_for(&server);
    // `email` is required; the builder was never given one.
    let error = client
        .create_individual_client()
        .body(common::maria())
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("email"), "{error}");
    // A required field of a nested object is named too.
    let error = client
        .update_individual_client()
        .id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .body(
            common::maria()
                .email("mjuliabarber@example.com")
                .address(IndividualAddress::builder().city("Del Viso")),
        )
        .send()
        .await
        .expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("address") && message.contains("no value supplied for"),
        "{message}"
    );
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn unknown_enum_values_in_a_response_decode_as_other() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!([{
        "id": "2VvyMx6rNLRB1W9euCyJGe46qyoiVPzh",
        "client_id": "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG",
        "product": "cards_business",
        "status": "under_review",
        "a_field_added_later": {"nested": true}
    }])))
    .await;
    let requests = client_for(&server)
        .list_client_products()
        .client_id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        requests[0].product,
        Some(Subproduct::Other("cards_business".into()))
    );
    assert_eq!(
        requests[0].status,
        Some(ProductRequestStatus::Other("under_review".into()))
    );

    let server = answering(ResponseTemplate::new(200).set_body_json(json!({
        "id": "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG",
        "status": "suspended"
    })))
    .await;
    let client = client_for(&server)
        .get_individual_client()
        .id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        client.status,
        Some(IndividualClientStatus::Other("suspended".into()))
    );
}

#[tokio::test]
async fn a_204_with_a_body_is_still_a_deletion() {
    let server =
        answering(ResponseTemplate::new(204).set_body_json(json!({"unexpected": "body"}))).await;
    let deleted = client_for(&server)
        .delete_individual_client()
        .id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .send()
        .await
        .expect("a 204 is success, whatever follows it");
    assert_eq!(deleted.status().as_u16(), 204);
    let () = deleted.into_inner();
}

#[tokio::test]
async fn a_200_without_a_body_is_an_invalid_response_not_a_panic() {
    let server = answering(ResponseTemplate::new(200)).await;
    let client = client_for(&server);
    let error = client
        .get_individual_client()
        .id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .send()
        .await
        .expect_err("an empty body is no client");
    match &error {
        Error::InvalidResponse { problem, .. } => assert_eq!(*problem, DecodeProblem::Empty),
        other => panic!("{other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    // An id the server sends that could not be used as a path parameter is a
    // decoding problem located at `id`, not a panic.
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({"id": "../x"}))).await;
    let error = client_for(&server)
        .get_individual_client()
        .id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .send()
        .await
        .expect_err("refused");
    match &error {
        Error::InvalidResponse {
            problem: DecodeProblem::WrongShape { path, .. },
            ..
        } => assert_eq!(path, "id"),
        other => panic!("{other:?}"),
    }
    assert!(
        !format!("{error} {error:?}").contains("../x"),
        "the value is not quoted"
    );
}

/// An idempotency key holding a character an HTTP header cannot carry is
/// refused before anything is sent, with a message that does not quote it;
/// the same call with a valid key goes out with it.
#[tokio::test]
async fn an_idempotency_key_a_header_cannot_carry_is_refused_before_sending() {
    let server = answering(ResponseTemplate::new(200).set_body_json(json!(350.0))).await;
    let client = client_for(&server);
    let card = "icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    let body = || {
        cryptomate::types::IndividualCardBalanceChange::builder()
            .amount(cryptomate::Decimal::from(100))
    };
    let refused = client
        .add_individual_card_virtual_balance()
        .card_id(card)
        .x_idempotency_key("key\nwith a line break")
        .body(body())
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");
    assert!(!refused.to_string().contains("line break"), "{refused}");
    assert!(!refused.may_have_reached_server());
    assert!(requests(&server).await.is_empty(), "nothing was sent");
    let sent = client
        .add_individual_card_virtual_balance()
        .card_id(card)
        .x_idempotency_key("4f5b8c9d-1e2a-4b3c-9d8e-7f6a5b4c3d2e")
        .body(body())
        .send()
        .await
        .expect("sent");
    assert_eq!(
        sent.into_inner(),
        "350".parse::<cryptomate::Decimal>().expect("a decimal")
    );
    let received = requests(&server).await;
    assert_eq!(
        received[0].headers["x-idempotency-key"],
        "4f5b8c9d-1e2a-4b3c-9d8e-7f6a5b4c3d2e"
    );
}
