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
    let message = refused(&mock, "get_card", Arguments::new()).await;
    assert_eq!(message, "the spec has no operation `get_card`");

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
    assert_eq!(
        OPERATIONS.iter().filter(|o| o.deprecated).count(),
        1,
        "the deprecated create_client"
    );
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
