//! Money and idempotency across the products, over HTTP on 127.0.0.1:
//! amounts travel as exact decimals, never through `f64` (D22), and every
//! operation whose page offers an idempotency key sends one the client made,
//! fresh per call and the same on a retry (D-T4, `codegen/rewrite/idempotency.rs`).

mod common;

use common::examples::{documented_request, resolve};
use cryptomate::dynamic::{Arguments, OPERATIONS};
use cryptomate::mock::MockServer;
use cryptomate::types::{
    IndividualCardId, TokenTransferRequest, TreasuryAccountId, TreasuryWalletId,
};
use cryptomate::{ApiKey, Client, Decimal};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, ResponseTemplate};

/// Amounts that `f64` cannot hold: each differs from its nearest `f64`.
const AMOUNTS: [&str; 3] = [
    "12345678901234567.89",
    "0.1000000000000000000000000001",
    "9007199254740993.01",
];

#[test]
fn the_amounts_of_these_tests_are_ones_f64_rounds() {
    // The premise of the wire tests below: each amount, read as an f64 and
    // written back, is another number.
    for amount in AMOUNTS {
        let through_f64: f64 = amount.parse().expect("an f64");
        let exact: Decimal = amount.parse().expect("a decimal");
        assert_ne!(through_f64.to_string(), exact.to_string(), "{amount}");
        assert_eq!(exact.to_string(), amount);
    }
}

/// The idempotency-key header parameters of the spec, by operation id.
fn idempotent_operations() -> Vec<(String, String)> {
    let spec = common::spec();
    let mut out = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let parameter = resolve(&spec, parameter);
                let name = parameter["name"].as_str().expect("a name");
                if parameter["in"] == "header"
                    && ["x-idempotency-key", "idempotency-key"]
                        .contains(&name.to_ascii_lowercase().as_str())
                {
                    out.push((id.to_string(), name.to_string()));
                }
            }
        }
    }
    out
}

/// The arguments of `operation_id` from its spec: each path parameter's
/// example value (D-M5) and the documented request body; no idempotency key.
fn documented_arguments(operation_id: &str) -> Arguments {
    let spec = common::spec();
    let operation = common::examples::operation(&spec, operation_id);
    let mut arguments = Arguments::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let parameter = resolve(&spec, parameter);
        if parameter["in"] == "path" {
            let name = parameter["name"].as_str().expect("a name");
            arguments = arguments.parameter(name, parameter["example"].clone());
        }
    }
    if operation.get("requestBody").is_some() {
        arguments = arguments.body(documented_request(operation_id));
    }
    arguments
}

fn is_uuid_v4(key: &str) -> bool {
    uuid::Uuid::parse_str(key).is_ok_and(|u| u.get_version_num() == 4) && key.len() == 36
}

#[tokio::test]
async fn every_idempotent_operation_sends_a_fresh_key_and_reuses_it() {
    let operations = idempotent_operations();
    // Add and subtract a card's and an individual card's virtual balance,
    // and the token transfer (the only optional one, D-T4).
    assert_eq!(operations.len(), 5, "{operations:?}");
    let mock = MockServer::start().await;
    let client = mock.client();
    for (id, header) in &operations {
        let entry = OPERATIONS
            .iter()
            .find(|o| o.id == id)
            .expect("the dispatcher has it");
        assert!(
            entry.parameter(header).expect("the parameter").supplied,
            "{id}: the client supplies {header}"
        );
        mock.take_requests();
        for _ in 0..2 {
            // The answer does not matter here, only what was sent.
            let _ = client.call_operation(id, documented_arguments(id)).await;
        }
        let sent: Vec<String> = mock
            .take_requests()
            .iter()
            .map(|r| {
                r.headers
                    .get(header.as_str())
                    .unwrap_or_else(|| panic!("{id} sends {header}"))
                    .to_str()
                    .expect("text")
                    .to_string()
            })
            .collect();
        assert_eq!(sent.len(), 2, "{id}");
        assert!(sent.iter().all(|k| is_uuid_v4(k)), "{id}: {sent:?}");
        assert_ne!(sent[0], sent[1], "{id}: a fresh key per call");
    }
}

#[tokio::test]
async fn a_retried_transfer_sends_the_same_key_and_the_mock_transfers_once() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let body: TokenTransferRequest =
        serde_json::from_value(documented_request("transfer_token")).expect("the page's body");
    let call = client
        .transfer_token()
        .account_id(
            "acc_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23"
                .parse::<TreasuryAccountId>()
                .expect("an id"),
        )
        .wallet_id(
            "wallet_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
                .parse::<TreasuryWalletId>()
                .expect("an id"),
        )
        .body(body);
    let key = call.idempotency_key_in_use().expect("a key").to_string();
    assert!(is_uuid_v4(&key), "{key}");
    let first = call.clone().send().await.map(|r| r.into_inner());
    let again = call.send().await.map(|r| r.into_inner());
    let sent = mock.requests();
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(request.headers["idempotency-key"], key.as_str());
    }
    // D-M6: the mock keeps the first answer per key.
    assert_eq!(format!("{first:?}"), format!("{again:?}"));
}

async fn recorder(answer: &str) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(answer.to_string(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn client_of(server: &wiremock::MockServer) -> Client {
    Client::builder(ApiKey::new("test-key-money").expect("a key"))
        .base_url(server.uri())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn amounts_f64_cannot_hold_travel_exact_both_ways() {
    for amount in AMOUNTS {
        // A body's amount goes out as its digits ...
        let server = recorder(&format!(
            r#"{{"transaction_hash":"0x1","status":"PENDING","amount":{amount}}}"#
        ))
        .await;
        let client = client_of(&server);
        let body = TokenTransferRequest::builder()
            .to("0x742d35Cc6634C0532925a3b844Bc9e7595f0bEb")
            .amount(amount.parse::<Decimal>().expect("a decimal"));
        client
            .transfer_token()
            .account_id("acc_1".parse::<TreasuryAccountId>().expect("an id"))
            .wallet_id("wallet_1".parse::<TreasuryWalletId>().expect("an id"))
            .body(body)
            .send()
            .await
            .expect("sent");
        let received = server.received_requests().await.expect("recorded");
        let text = String::from_utf8(received[0].body.clone()).expect("UTF-8");
        assert!(
            text.contains(&format!(r#""amount":{amount}"#)),
            "D22: {amount} went out as {text}"
        );

        // ... and a bare-number answer comes in with all of them.
        let server = recorder(amount).await;
        let balance = client_of(&server)
            .add_individual_card_virtual_balance()
            .card_id("ic_1".parse::<IndividualCardId>().expect("an id"))
            .body(
                serde_json::from_value::<cryptomate::types::IndividualCardBalanceChange>(
                    documented_request("add_individual_card_virtual_balance"),
                )
                .expect("the page's body"),
            )
            .send()
            .await
            .expect("an answer")
            .into_inner();
        assert_eq!(balance.to_string(), amount, "D22: a bare number");
    }
}
