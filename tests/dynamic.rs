//! The dispatcher generated from the spec (`cryptomate::dynamic`): what it
//! refuses before sending, naming the operation and the parameter but never a
//! value, and a call that goes through the generated builder to the mock.
//! `tests/pages.rs` and `tests/mock_examples.rs` call every operation
//! through it.

use cryptomate::Error;
use cryptomate::dynamic::{Answer, Arguments, OPERATIONS, Operation};
use cryptomate::mock::MockServer;
use serde_json::json;

const CLIENT: &str = "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG";

/// The message of an `InvalidRequest`, after checking nothing was sent.
async fn refused(mock: &MockServer, operation: &str, arguments: Arguments) -> String {
    let error = mock
        .client()
        .call_operation(operation, arguments)
        .await
        .expect_err("refused");
    assert!(mock.requests().is_empty(), "nothing is sent: {error}");
    match error {
        Error::InvalidRequest(message) => message,
        other => panic!("an InvalidRequest, not {other:?}"),
    }
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending_naming_what_is_wrong() {
    let mock = MockServer::start().await;
    let message = refused(&mock, "get_unicorn", Arguments::new()).await;
    assert_eq!(message, "the spec has no operation `get_unicorn`");

    let message = refused(
        &mock,
        "get_individual_client",
        Arguments::new().parameter("id", CLIENT).text("page", "2"),
    )
    .await;
    assert_eq!(
        message,
        "the operation get_individual_client has no parameter `page` (its parameters: id)"
    );

    let message = refused(&mock, "get_individual_client", Arguments::new()).await;
    assert_eq!(
        message,
        "the operation get_individual_client needs its parameter `id`"
    );

    let message = refused(
        &mock,
        "get_individual_client",
        Arguments::new()
            .parameter("id", CLIENT)
            .parameter("id", CLIENT),
    )
    .await;
    assert_eq!(
        message,
        "the parameter `id` of get_individual_client is given twice"
    );

    let message = refused(
        &mock,
        "get_individual_client",
        Arguments::new().parameter("id", CLIENT).body(json!({})),
    )
    .await;
    assert_eq!(message, "the operation get_individual_client takes no body");

    // A value of the wrong type, and an id that would leave its segment: the
    // parameter is named, its value is not.
    let message = refused(
        &mock,
        "get_individual_client",
        Arguments::new().parameter("id", json!(["secret-4155551234"])),
    )
    .await;
    assert!(message.starts_with("the parameter `id` of get_individual_client: "));
    assert!(!message.contains("4155551234"), "{message}");
    let message = refused(
        &mock,
        "get_individual_client",
        Arguments::new().text("id", "../secret-4155551234"),
    )
    .await;
    assert!(message.starts_with("the parameter `id` of get_individual_client: "));
    assert!(!message.contains("4155551234"), "{message}");

    // A body that is not the request type: the JSON path, not the value.
    let message = refused(
        &mock,
        "create_individual_client",
        Arguments::new().body(json!({"first_name": 4155551234_u64})),
    )
    .await;
    assert!(
        message.starts_with("the body of create_individual_client: at first_name: "),
        "{message}"
    );
    assert!(!message.contains("4155551234"), "{message}");
}

#[tokio::test]
async fn a_call_goes_through_the_generated_builder_and_decodes() {
    let mock = MockServer::start().await;
    let answer = mock
        .client()
        .call_operation("get_individual_client", Arguments::new().text("id", CLIENT))
        .await
        .expect("the seeded client");
    assert_eq!(answer.status().as_u16(), 200);
    let Answer::Json(client) = answer.into_inner() else {
        panic!("a JSON answer");
    };
    assert_eq!(client["id"], CLIENT);
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(
        sent[0].path,
        format!("/management/clients/individuals/{CLIENT}")
    );

    // No body: `Answer::Empty`; a documented error: the typed error.
    let deleted = mock
        .client()
        .call_operation(
            "delete_individual_client",
            Arguments::new().text("id", CLIENT),
        )
        .await
        .expect("deleted");
    assert_eq!(deleted.into_inner(), Answer::Empty);
    let error = mock
        .client()
        .call_operation("get_individual_client", Arguments::new().text("id", CLIENT))
        .await
        .expect_err("gone");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(error.api_error().is_some(), "{error:?}");
}

#[test]
fn the_table_knows_each_operation_by_its_id() {
    let operation = Operation::find("get_identifications_by_country").expect("in the spec");
    assert_eq!(operation.method, "GET");
    assert_eq!(operation.product, "management");
    assert!(operation.enabled);
    assert_eq!(
        operation.wire_path(),
        "/management/clients/individuals/identifications/{countryCode}"
    );
    assert!(operation.parameter("countryCode").is_some());
    assert!(
        Operation::find("create_client")
            .expect("in the spec")
            .deprecated
    );
    // The table's deprecated operations are the spec's.
    let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/openapi/cryptomate.yaml"
        ))
        .expect("the spec is readable"),
    )
    .expect("the spec is YAML");
    let deprecated_in_spec = spec["paths"]
        .as_mapping()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_mapping().into_iter().flat_map(|m| m.values()))
        .filter(|op| op["deprecated"].as_bool() == Some(true))
        .count();
    assert_eq!(
        OPERATIONS.iter().filter(|o| o.deprecated).count(),
        deprecated_in_spec
    );
    assert!(deprecated_in_spec >= 1, "create_client at least");
}

#[test]
fn arguments_show_names_never_values() {
    let arguments = Arguments::new()
        .text("id", "secret-4155551234")
        .body(json!({"individual_identification": "secret-4155551234"}));
    let debug = format!("{arguments:?}");
    assert!(!debug.contains("4155551234"), "{debug}");
    assert!(debug.contains("\"id\""), "{debug}");
}

/// A query parameter given several times as text (`?operations=A&operations=B`,
/// as a cURL example writes an array) is the array's items; one given once is
/// an array of one; a path parameter given twice is still refused.
#[tokio::test]
async fn a_repeated_query_parameter_is_an_arrays_items() {
    let mock = MockServer::start().await;
    let card = "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    for (given, sent) in [
        (
            vec!["TRANSACTION_APPROVED", "TRANSACTION_REFUND"],
            "operations=TRANSACTION_APPROVED&operations=TRANSACTION_REFUND",
        ),
        (vec!["WALLET_DEPOSIT"], "operations=WALLET_DEPOSIT"),
    ] {
        let mut arguments = Arguments::new().text("cardId", card);
        for value in &given {
            arguments = arguments.text("operations", *value);
        }
        mock.client()
            .call_operation("search_individual_card_transactions", arguments)
            .await
            .expect("sent");
        let recorded = mock.take_requests();
        assert_eq!(
            recorded.last().and_then(|r| r.query.clone()).as_deref(),
            Some(sent)
        );
    }
    let message = refused(
        &mock,
        "get_individual_card",
        Arguments::new().text("cardId", "a").text("cardId", "b"),
    )
    .await;
    assert_eq!(
        message,
        "the parameter `cardId` of get_individual_card is given twice"
    );
}
