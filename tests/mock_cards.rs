//! The mock's behaviours of the virtual cards (`src/mock/behaviour/cards.rs`,
//! D-C10 .. D-C13 in `openapi/DECISIONS.md`), driven over HTTP on 127.0.0.1:
//! a card's virtual balance through override, add and subtract, what
//! freezing, unblocking, the 3D Secure strategy, the email, the phone and a
//! reissue change, the rules of top-up cards, and the risk score fuse. Every answer is held to
//! the spec.

use cryptomate::mock::{MockServer, TEST_API_KEY, check_answer};
use reqwest::Method;
use serde_json::{Value, json};

const CARDS: &str = "/cards/virtual-cards";
/// The card the pages' examples name.
const EXAMPLE_CARD: &str = "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";

/// Sends a request as `operation` (with an idempotency key when given) and
/// returns the status and JSON body, after checking them against the spec.
async fn call(
    mock: &MockServer,
    operation: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", mock.uri()))
        .header("x-api-key", TEST_API_KEY);
    if let Some(key) = key {
        request = request.header("x-idempotency-key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let names: Vec<String> = response.headers().keys().map(|k| k.to_string()).collect();
    let bytes = response.bytes().await.expect("a body");
    let body: Option<Value> =
        (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).expect("JSON"));
    if let Err(problems) = check_answer(operation, status, &names, body.as_ref()) {
        panic!("{operation} answered {status}, which breaks the spec: {problems:?}\n{body:?}");
    }
    (status, body.unwrap_or(Value::Null))
}

async fn mock() -> MockServer {
    MockServer::builder()
        .start()
        .await
        .expect("the mock starts")
}

/// Creates a card with the create page's body and `approval_method`.
async fn create(mock: &MockServer, approval_method: &str) -> String {
    let body = json!({
        "card_holder_name": "John Doe",
        "email": "cardholder@example.com",
        "approval_method": approval_method,
        "phone_country_code": 1,
        "phone": "5551234567",
    });
    let (status, card) = call(
        mock,
        "create_card",
        Method::POST,
        &format!("{CARDS}/create"),
        Some(body),
        None,
    )
    .await;
    // D5: a creating operation's 200 and 201 are both success; the mock
    // answers 201, the status the errors page gives a creation.
    assert!(status == 200 || status == 201, "{status}");
    card["id"].as_str().expect("an id").to_string()
}

async fn change(mock: &MockServer, card: &str, how: &str, amount: f64, key: &str) -> (u16, Value) {
    call(
        mock,
        &format!("{how}_card_virtual_balance"),
        Method::POST,
        &format!("{CARDS}/{card}/virtual-balance/{how}"),
        Some(json!({ "amount": amount })),
        Some(key),
    )
    .await
}

async fn get(mock: &MockServer, card: &str) -> Value {
    let (status, card) = call(
        mock,
        "get_card",
        Method::GET,
        &format!("{CARDS}/{card}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    card
}

#[tokio::test]
async fn a_cards_virtual_balance_follows_override_add_and_subtract() {
    let mock = mock().await;
    // The pages' card holds 250.00: their add and subtract examples answer
    // exactly what the pages show.
    assert_eq!(
        change(&mock, EXAMPLE_CARD, "add", 100.0, "k1").await,
        (200, json!(350.0))
    );
    assert_eq!(
        change(&mock, EXAMPLE_CARD, "subtract", 200.0, "k2").await,
        (200, json!(150.0))
    );
    // A repeated key answers the first answer without subtracting again.
    assert_eq!(
        change(&mock, EXAMPLE_CARD, "subtract", 200.0, "k2").await,
        (200, json!(150.0))
    );

    // A new card holds nothing: subtracting is refused with the page's 412.
    let card = create(&mock, "TOP_UP").await;
    let (status, refused) = change(&mock, &card, "subtract", 0.01, "k3").await;
    assert_eq!(status, 412);
    assert_eq!(
        refused["message"],
        "Error subtracting virtual balances, insufficient funds"
    );
    let (status, balance) = call(
        &mock,
        "override_card_virtual_balance",
        Method::PATCH,
        &format!("{CARDS}/{card}/virtual-balance"),
        Some(json!({ "virtual_balance": 2500.0 })),
        None,
    )
    .await;
    assert_eq!((status, balance), (200, json!(2500.0)));
    // Amounts of two decimals add up exactly (0.1 + 0.2 is 0.3, not
    // 0.30000000000000004).
    change(&mock, &card, "add", 0.1, "k4").await;
    assert_eq!(
        change(&mock, &card, "add", 0.2, "k5").await,
        (200, json!(2500.3))
    );
    assert_eq!(
        change(&mock, &card, "subtract", 2500.3, "k6").await,
        (200, json!(0.0))
    );
    let (status, _) = change(&mock, &card, "subtract", 0.01, "k7").await;
    assert_eq!(status, 412);
    // The balances of two cards never mix.
    assert_eq!(
        change(&mock, EXAMPLE_CARD, "add", 0.0 + 1.0, "k8").await,
        (200, json!(151.0))
    );
}

#[tokio::test]
async fn a_cards_operations_change_the_fields_the_pages_name() {
    let mock = mock().await;
    let card = create(&mock, "TOP_UP").await;
    let made = get(&mock, &card).await;
    assert_eq!(
        made["meta"],
        json!({
            "email": "cardholder@example.com",
            "otp_phone_number": {"dial_code": 1, "phone_number": "5551234567"},
        })
    );
    let path = |tail: &str| format!("{CARDS}/{card}/{tail}");

    for (freeze, status) in [(true, "FROZEN"), (false, "ACTIVE")] {
        let answer = call(
            &mock,
            "set_card_frozen",
            Method::PATCH,
            &path("frozen"),
            Some(json!({ "freeze": freeze })),
            None,
        )
        .await;
        assert_eq!(answer, (200, json!({})));
        assert_eq!(get(&mock, &card).await["status"], status);
    }

    let answer = call(
        &mock,
        "set_card_3ds_configuration",
        Method::POST,
        &path("3ds-configuration"),
        Some(json!({ "type": "DISABLED" })),
        None,
    )
    .await;
    assert_eq!(answer.0, 200);
    let read = get(&mock, &card).await;
    assert_eq!(read["forwarded_3ds_type"], "DISABLED");
    assert_eq!(read["type"], made["type"], "the card's own type stays");

    call(
        &mock,
        "update_card_email",
        Method::PUT,
        &path("email"),
        Some(json!({ "business_email": "new@example.com" })),
        None,
    )
    .await;
    call(
        &mock,
        "update_card_phone",
        Method::PUT,
        &path("phone"),
        Some(json!({ "phone_country_code": 54, "phone": "1168860622" })),
        None,
    )
    .await;
    assert_eq!(
        get(&mock, &card).await["meta"],
        json!({
            "email": "new@example.com",
            "otp_phone_number": {"dial_code": 54, "phone_number": "1168860622"},
        })
    );

    let (status, reissued) = call(
        &mock,
        "reissue_card",
        Method::PUT,
        &path("reissue"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(reissued["id"], card.as_str());
    assert_ne!(reissued["last4"], made["last4"], "a new card number");
    assert_eq!(get(&mock, &card).await["last4"], reissued["last4"]);

    // Unblocking a blocked card makes it active again.
    mock.update_resource(&format!("{CARDS}/{card}"), json!({ "status": "BLOCKED" }))
        .expect("the card is stored");
    let answer = call(
        &mock,
        "unblock_card",
        Method::PATCH,
        &path("unblock"),
        None,
        None,
    )
    .await;
    assert_eq!(answer, (200, json!({ "blocked": false })));
    assert_eq!(get(&mock, &card).await["status"], "ACTIVE");
}

#[tokio::test]
async fn only_top_up_cards_have_virtual_balances_and_rotate_their_wallet() {
    let mock = mock().await;
    for (method, ok) in [
        ("TOP_UP", true),
        ("TOPUP", true),
        ("NONE", false),
        ("WEBHOOK", false),
    ] {
        let card = create(&mock, method).await;
        let (status, body) = call(
            &mock,
            "get_card_virtual_balances",
            Method::GET,
            &format!("{CARDS}/{card}/virtual-balances"),
            None,
            None,
        )
        .await;
        if ok {
            assert_eq!(status, 200, "{method}");
        } else {
            assert_eq!(
                (status, &body["code"]),
                (400, &json!("APP_ERROR")),
                "{method}"
            );
        }
        let (status, body) = call(
            &mock,
            "rotate_card_deposit_wallet",
            Method::POST,
            &format!("{CARDS}/{card}/deposit-wallet/rotate"),
            None,
            None,
        )
        .await;
        if ok {
            assert_eq!(status, 200, "{method}");
        } else {
            assert_eq!(status, 412, "{method}");
            assert_eq!(
                body["message"],
                "Only TOP_UP cards support deposit wallet rotation."
            );
        }
    }
}

#[tokio::test]
async fn a_cards_risk_score_fuse_is_armed_read_and_disarmed() {
    let mock = mock().await;
    let fuse = |card: &str| format!("{CARDS}/{card}/risk-score-fuse");
    let read = |card: String| {
        let mock = &mock;
        async move {
            call(
                mock,
                "get_card_risk_score_fuse",
                Method::GET,
                &fuse(&card),
                None,
                None,
            )
            .await
        }
    };
    // The pages' card has the page's fuse; a new card has none.
    let (status, shown) = read(EXAMPLE_CARD.into()).await;
    assert_eq!(status, 200);
    assert_eq!(shown["reason"], "Manual override for trusted transaction");
    let card = create(&mock, "TOP_UP").await;
    assert_eq!(read(card.clone()).await.0, 404);

    let (status, armed) = call(
        &mock,
        "arm_card_risk_score_fuse",
        Method::POST,
        &fuse(&card),
        Some(json!({ "reason": "trusted purchase" })),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(armed["card_id"], card.as_str());
    assert_eq!(armed["channel"], "API");
    assert_eq!(armed["reason"], "trusted purchase");
    assert_eq!(read(card.clone()).await, (200, armed));

    for _ in 0..2 {
        // Disarming succeeds whether or not a fuse is armed.
        let (status, body) = call(
            &mock,
            "disarm_card_risk_score_fuse",
            Method::DELETE,
            &fuse(&card),
            None,
            None,
        )
        .await;
        assert_eq!((status, body), (204, Value::Null));
        assert_eq!(read(card.clone()).await.0, 404);
    }
    call(
        &mock,
        "disarm_card_risk_score_fuse",
        Method::DELETE,
        &fuse(EXAMPLE_CARD),
        None,
        None,
    )
    .await;
    assert_eq!(read(EXAMPLE_CARD.into()).await.0, 404);
}

/// The generated client on the mock: a card's answers of every kind decode
/// (a list of cards, a card, `{}`, a bare number, a secret, a 204, an error).
#[tokio::test]
async fn the_generated_client_drives_a_card() {
    let mock = mock().await;
    let api = mock.client();
    let listed = api.list_cards().send().await.expect("listed").into_inner();
    assert_eq!(listed[0].id.as_str(), EXAMPLE_CARD);

    let body: cryptomate::types::CreateCardRequest = serde_json::from_value(json!({
        "card_holder_name": "Ada Lovelace",
        "approval_method": "TOP_UP",
        "phone_country_code": 44,
        "phone": "2079460000",
        "daily_limit": 100.5,
    }))
    .expect("a request");
    let card = api
        .create_card()
        .body(body)
        .send()
        .await
        .expect("created")
        .into_inner();
    assert!(card.id.as_str().starts_with("card_"));

    let frozen = api
        .set_card_frozen()
        .card_id(&card.id)
        .body(
            serde_json::from_value::<cryptomate::types::CardFreezeRequest>(
                json!({ "freeze": true }),
            )
            .expect("a request"),
        )
        .send()
        .await
        .expect("frozen");
    assert!(frozen.into_inner().is_empty());
    let read = api.get_card().card_id(&card.id).send().await.expect("read");
    assert_eq!(
        serde_json::to_value(read.into_inner()).expect("JSON")["status"],
        "FROZEN"
    );

    let balance = api
        .add_card_virtual_balance()
        .card_id(&card.id)
        .x_idempotency_key("a-key")
        .body(
            serde_json::from_value::<cryptomate::types::CardVirtualBalanceChange>(
                json!({ "amount": 12.5 }),
            )
            .expect("a request"),
        )
        .send()
        .await
        .expect("added");
    assert_eq!(balance.into_inner().to_string(), "12.5");

    let pan = api
        .get_card_pan_html()
        .card_id(&card.id)
        .send()
        .await
        .expect("the PAN page")
        .into_inner();
    assert!(!format!("{pan:?}").contains("secure-token"), "{pan:?}");

    let disarmed = api
        .disarm_card_risk_score_fuse()
        .card_id(&card.id)
        .send()
        .await
        .expect("disarmed");
    assert_eq!(disarmed.status(), 204);
    let missing = api
        .get_card_risk_score_fuse()
        .card_id(&card.id)
        .send()
        .await
        .expect_err("no fuse");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn an_individual_cards_balance_past_any_f64_is_refused_not_answered_as_null() {
    // The mock keeps an individual card's balance as an f64: a huge amount
    // is kept and answered as a number, and a sum past the largest f64 is a
    // 400, never a `null` the spec's number does not allow (a 500 before).
    let mock = MockServer::start().await;
    let path = format!("/cards/individual-cards/{EXAMPLE_CARD}/virtual-balance");
    let (status, body) = call(
        &mock,
        "override_individual_card_virtual_balance",
        Method::PATCH,
        &path,
        Some(json!({"virtual_balance": 1.5e308})),
        None,
    )
    .await;
    assert_eq!((status, body), (200, json!(1.5e308)));
    let (status, body) = call(
        &mock,
        "add_individual_card_virtual_balance",
        Method::POST,
        &format!("{path}/add"),
        Some(json!({"amount": 1.5e308})),
        Some("overflow-1"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("beyond")),
        "{body}"
    );
}
