//! The mock's plain engine on a spec with the shapes of the vendor's other
//! products (`tests/fixtures/mock-engine.yaml`: virtual wallets, treasury
//! accounts and their wallets, individual cards, card transactions, bank
//! accounts, configurations), before the crate's spec has them: resource
//! families inferred from path templates, ids minted like the examples',
//! seeding from the examples, `404`s, deletes and what is scoped to them,
//! the three paging styles, state changed through sub-resources, bare
//! numbers, empty and PDF answers, idempotency keys. No operation of that
//! spec has code of its own; every answer is checked against the spec.

use cryptomate::mock::{MockServer, StartError, TEST_API_KEY};
use reqwest::Method;
use serde_json::{Value, json};

const SPEC: &str = include_str!("fixtures/mock-engine.yaml");

async fn mock() -> MockServer {
    MockServer::builder()
        .spec(SPEC)
        .start()
        .await
        .expect("the mock serves the spec")
}

struct Answer {
    status: u16,
    content_type: Option<String>,
    bytes: Vec<u8>,
    body: Option<Value>,
}

impl Answer {
    fn json(&self) -> &Value {
        self.body.as_ref().expect("a JSON body")
    }
}

/// Sends a request as `operation` and holds the answer to the spec.
async fn call(
    mock: &MockServer,
    operation: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", mock.uri()))
        .header("x-api-key", TEST_API_KEY);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let names: Vec<String> = response.headers().keys().map(|k| k.to_string()).collect();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("text").to_string());
    let bytes = response.bytes().await.expect("a body").to_vec();
    let body = (content_type.as_deref() == Some("application/json"))
        .then(|| serde_json::from_slice(&bytes).expect("JSON"));
    if let Err(problems) = mock.check_answer(operation, status, &names, body.as_ref()) {
        panic!("{operation} answered {status}, which breaks the spec: {problems:?}\n{body:?}");
    }
    Answer {
        status,
        content_type,
        bytes,
        body,
    }
}

async fn get(mock: &MockServer, operation: &str, path: &str) -> Answer {
    call(mock, operation, Method::GET, path, None, &[]).await
}

const SEEDED_WALLET: &str = "vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

#[tokio::test]
async fn a_family_is_created_read_listed_changed_and_deleted_from_the_spec_alone() {
    let mock = mock().await;
    let created = call(
        &mock,
        "create_virtual_wallet",
        Method::POST,
        "/virtual-wallets/create",
        Some(json!({"alias": "Savings", "blockchain": "BSC"})),
        &[],
    )
    .await;
    assert_eq!(created.status, 200);
    let wallet = created.json().clone();
    let id = wallet["id"].as_str().expect("an id").to_string();
    // Minted like the example's: `vw_` and a fresh UUID.
    assert!(
        id.starts_with("vw_") && id.len() == SEEDED_WALLET.len(),
        "{id}"
    );
    assert_ne!(id, SEEDED_WALLET);
    // The request's fields, the example's others (the address, enabled).
    assert_eq!(wallet["alias"], "Savings");
    assert_eq!(wallet["blockchain"], "BSC");
    assert_eq!(wallet["enabled"], true);
    assert_eq!(wallet["client_id"], Value::Null);

    let path = format!("/virtual-wallets/{id}");
    let read = get(&mock, "get_virtual_wallet", &path).await;
    assert_eq!((read.status, read.json()), (200, &wallet));

    // The list filters on the query parameter named as a field.
    let bsc = get(
        &mock,
        "list_virtual_wallets",
        "/virtual-wallets/list?blockchain=BSC",
    )
    .await;
    assert_eq!(bsc.json(), &json!([wallet]));
    let polygon = get(
        &mock,
        "list_virtual_wallets",
        "/virtual-wallets/list?blockchain=POLYGON",
    )
    .await;
    let ids: Vec<&str> = polygon
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .map(|w| w["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, [SEEDED_WALLET], "the seeded wallet only");

    // A PUT replaces what its body declares; a PATCH of a sub-resource
    // changes the fields it names, the path's trailing id included.
    let renamed = call(
        &mock,
        "update_virtual_wallet",
        Method::PUT,
        &path,
        Some(json!({"alias": "Renamed"})),
        &[],
    )
    .await;
    assert_eq!(renamed.json()["alias"], "Renamed");
    assert_eq!(renamed.json()["blockchain"], "BSC");
    let disabled = call(
        &mock,
        "set_virtual_wallet_enabled",
        Method::PATCH,
        &format!("{path}/set-enabled"),
        Some(json!({"enabled": false})),
        &[],
    )
    .await;
    assert_eq!(disabled.json()["enabled"], false);
    call(
        &mock,
        "associate_client_to_wallet",
        Method::PATCH,
        &format!("{path}/client/client_q1w2e3"),
        None,
        &[],
    )
    .await;
    let now = get(&mock, "get_virtual_wallet", &path).await;
    assert_eq!(
        (
            &now.json()["enabled"],
            &now.json()["client_id"],
            &now.json()["alias"]
        ),
        (&json!(false), &json!("client_q1w2e3"), &json!("Renamed"))
    );
    assert_eq!(mock.resource(&path), Some(now.json().clone()));

    // A bare number is the example's; the item is not its schema's.
    let balance = call(
        &mock,
        "override_virtual_wallet_balance",
        Method::PATCH,
        &format!("{path}/virtual-balance"),
        Some(json!({"virtual_balance": 10})),
        &[("x-idempotency-key", "k1")],
    )
    .await;
    assert_eq!(balance.json(), &json!(1000.5));

    // Deleted: an empty 200, then the documented 404 naming this id.
    let deleted = call(
        &mock,
        "delete_virtual_wallet",
        Method::DELETE,
        &path,
        None,
        &[],
    )
    .await;
    assert_eq!((deleted.status, deleted.bytes.len()), (200, 0));
    for (operation, method) in [
        ("get_virtual_wallet", Method::GET),
        ("delete_virtual_wallet", Method::DELETE),
    ] {
        let gone = call(&mock, operation, method, &path, None, &[]).await;
        assert_eq!(gone.status, 404);
        assert_eq!(gone.json()["code"], "NOT_FOUND");
        assert_eq!(
            gone.json()["message"],
            format!("Virtual wallet not found: {id}")
        );
        assert!(gone.json()["trace_id"].is_string());
    }
    assert_eq!(
        get(
            &mock,
            "list_virtual_wallets",
            "/virtual-wallets/list?blockchain=BSC"
        )
        .await
        .json(),
        &json!([])
    );
    // Sub-resources of a missing item are missing too.
    let orphan = call(
        &mock,
        "set_virtual_wallet_enabled",
        Method::PATCH,
        &format!("{path}/set-enabled"),
        Some(json!({"enabled": true})),
        &[],
    )
    .await;
    assert_eq!(orphan.status, 404);
}

#[tokio::test]
async fn a_scoped_family_lives_under_its_parent_and_goes_with_it() {
    let mock = mock().await;
    let account = |name: &str| {
        let mock = &mock;
        let name = name.to_string();
        async move {
            call(
                mock,
                "create_account",
                Method::POST,
                "/mpc/accounts/create",
                Some(json!({"name": name})),
                &[],
            )
            .await
            .json()["id"]
                .as_str()
                .expect("an id")
                .to_string()
        }
    };
    let a = account("A").await;
    let b = account("B").await;
    assert!(a.starts_with("acc_"), "{a}");
    let wallet = call(
        &mock,
        "create_wallet",
        Method::POST,
        &format!("/mpc/accounts/{a}/wallets/create"),
        Some(json!({"blockchain": "POLYGON"})),
        &[],
    )
    .await;
    let wallet = wallet.json().clone();
    let id = wallet["id"].as_str().expect("id").to_string();
    assert!(id.starts_with("wallet_"), "{id}");
    // The parent's id is set where the item declares it.
    assert_eq!(wallet["account_id"], a.as_str());
    // A field the request leaves out is not the example's.
    assert_eq!(wallet.get("alias"), None);

    let in_a = get(
        &mock,
        "list_wallets",
        &format!("/mpc/accounts/{a}/wallets/list"),
    )
    .await;
    assert_eq!(in_a.json(), &json!([wallet]));
    let in_b = get(
        &mock,
        "list_wallets",
        &format!("/mpc/accounts/{b}/wallets/list"),
    )
    .await;
    assert_eq!(in_b.json(), &json!([]));
    let crossed = get(
        &mock,
        "get_wallet",
        &format!("/mpc/accounts/{b}/wallets/{id}"),
    )
    .await;
    assert_eq!(crossed.status, 404);
    assert_eq!(
        crossed.json()["message"],
        format!("Wallet with id `{id}` was not found.")
    );
    let unknown_parent = get(&mock, "list_wallets", "/mpc/accounts/acc_nope/wallets/list").await;
    assert_eq!(unknown_parent.status, 404);

    // `/update` and `/delete` name the item's own change and delete.
    let updated = call(
        &mock,
        "update_wallet",
        Method::PUT,
        &format!("/mpc/accounts/{a}/wallets/{id}/update"),
        Some(json!({"alias": "Cold"})),
        &[],
    )
    .await;
    assert_eq!(updated.json()["alias"], "Cold");

    // Deleting the account deletes its wallets.
    let deleted = call(
        &mock,
        "delete_account",
        Method::DELETE,
        &format!("/mpc/accounts/{a}"),
        None,
        &[],
    )
    .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        mock.resource(&format!("/mpc/accounts/{a}/wallets/{id}")),
        None
    );
    let second = call(
        &mock,
        "create_wallet",
        Method::POST,
        &format!("/mpc/accounts/{b}/wallets/create"),
        Some(json!({"blockchain": "BASE"})),
        &[],
    )
    .await;
    let second = second.json()["id"].as_str().expect("id").to_string();
    let gone = call(
        &mock,
        "delete_wallet",
        Method::DELETE,
        &format!("/mpc/accounts/{b}/wallets/{second}/delete"),
        None,
        &[],
    )
    .await;
    assert_eq!((gone.status, gone.bytes.len()), (204, 0));
    assert_eq!(
        get(
            &mock,
            "get_wallet",
            &format!("/mpc/accounts/{b}/wallets/{second}")
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn a_fresh_mock_holds_what_the_examples_name() {
    let mock = mock().await;
    // A read's example over a create's: the client is the read's.
    let wallet = get(
        &mock,
        "get_virtual_wallet",
        &format!("/virtual-wallets/{SEEDED_WALLET}"),
    )
    .await;
    assert_eq!(wallet.status, 200);
    assert_eq!(wallet.json()["client_id"], "client_xyz789");
    // A create's example is an item; a path parameter's example that no
    // example holds is one too, made from its family's first.
    for card in [
        "icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23",
        "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23",
    ] {
        let read = get(
            &mock,
            "get_individual_card",
            &format!("/cards/individual-cards/{card}"),
        )
        .await;
        assert_eq!((read.status, read.json()["id"].as_str()), (200, Some(card)));
        assert_eq!(read.json()["last4"], "4242");
        let balance = get(
            &mock,
            "get_individual_card_balance",
            &format!("/cards/individual-cards/{card}/balance"),
        )
        .await;
        assert_eq!(
            balance.json(),
            &json!({"balance": 350.0, "currency": "USD"})
        );
    }
    // A scoped item under the parent its example names.
    let client = "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    let bank = get(
        &mock,
        "get_bank_account",
        &format!("/management/clients/{client}/banks/ba_abc123"),
    )
    .await;
    assert_eq!(bank.status, 200);
    let banks = get(
        &mock,
        "list_bank_accounts",
        &format!("/management/clients/{client}/banks"),
    )
    .await;
    assert_eq!(banks.json().as_array().map(Vec::len), Some(1));
    // A family keyed on a field other than `id`.
    let polygon = get(
        &mock,
        "get_payment_destination",
        "/management/configurations/payments/polygon",
    )
    .await;
    assert_eq!(polygon.status, 200);

    let empty = MockServer::builder()
        .spec(SPEC)
        .seeded(false)
        .start()
        .await
        .expect("starts");
    assert_eq!(
        get(
            &empty,
            "get_virtual_wallet",
            &format!("/virtual-wallets/{SEEDED_WALLET}")
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn an_idempotency_key_answers_a_repeat_with_the_first_answer() {
    let mock = mock().await;
    let card = "/cards/individual-cards/icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    let add = |key: Option<&'static str>| {
        let mock = &mock;
        async move {
            let headers: Vec<(&str, &str)> =
                key.map(|k| ("x-idempotency-key", k)).into_iter().collect();
            call(
                mock,
                "add_individual_card_virtual_balance",
                Method::POST,
                &format!("{card}/virtual-balance/add"),
                Some(json!({"amount": 100.0})),
                &headers,
            )
            .await
        }
    };
    // Missing or blank: the page's 412 that names the header.
    for key in [None, Some("  ")] {
        let refused = add(key).await;
        assert_eq!(refused.status, 412);
        assert_eq!(
            refused.json()["message"],
            "x-idempotency-key header is required"
        );
    }
    let first = add(Some("4f5b8c9d")).await;
    assert_eq!((first.status, first.json()), (200, &json!(350.0)));
    assert_eq!(add(Some("4f5b8c9d")).await.bytes, first.bytes);

    // A repeated key makes nothing twice.
    let create = |key: &'static str| {
        let mock = &mock;
        async move {
            call(
                mock,
                "create_individual_card",
                Method::POST,
                "/cards/individual-cards/create",
                Some(json!({"client_id": "client_idem", "card_holder_name": "ADA"})),
                &[("Idempotency-Key", key)],
            )
            .await
            .json()["id"]
                .as_str()
                .expect("an id")
                .to_string()
        }
    };
    let one = create("k-1").await;
    assert_eq!(create("k-1").await, one);
    let two = create("k-2").await;
    assert_ne!(one, two);
    let listed = get(
        &mock,
        "search_individual_cards",
        "/cards/individual-cards/list/search?client_id=client_idem",
    )
    .await;
    assert_eq!(listed.json()["total_elements"], 2);

    // Required without a documented 412: the vendor's 400.
    let unkeyed = call(
        &mock,
        "override_virtual_wallet_balance",
        Method::PATCH,
        &format!("/virtual-wallets/{SEEDED_WALLET}/virtual-balance"),
        Some(json!({"virtual_balance": 1})),
        &[],
    )
    .await;
    assert_eq!(unkeyed.status, 400);
    // Optional: no key, no memory.
    let transfer = "/mpc/accounts/acc_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23/wallets/wallet_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/transfer";
    let sent = call(
        &mock,
        "transfer_token",
        Method::POST,
        transfer,
        Some(json!({"to": "0x742d", "amount": 100.5})),
        &[],
    )
    .await;
    assert_eq!(sent.json()["status"], "PENDING");
}

#[tokio::test]
async fn lists_page_in_each_of_the_vendors_styles() {
    let mock = mock().await;
    for i in 0..24 {
        let status = call(
            &mock,
            "create_individual_card",
            Method::POST,
            "/cards/individual-cards/create",
            Some(json!({"client_id": "client_pages", "card_holder_name": format!("HOLDER {i}")})),
            &[],
        )
        .await;
        assert_eq!(status.status, 201, "{:?}", status.body);
    }
    // page (from 0) and size, with content and the totals.
    let search = "/cards/individual-cards/list/search?client_id=client_pages&status=ACTIVE";
    let first = get(
        &mock,
        "search_individual_cards",
        &format!("{search}&page=0&size=10"),
    )
    .await;
    let page = first.json();
    assert_eq!(page["content"].as_array().map(Vec::len), Some(10));
    assert_eq!(
        (
            &page["page"],
            &page["size"],
            &page["total_elements"],
            &page["total_pages"]
        ),
        (&json!(0), &json!(10), &json!(24), &json!(3))
    );
    assert_eq!(page["content"][0]["card_holder_name"], "HOLDER 0");
    let last = get(
        &mock,
        "search_individual_cards",
        &format!("{search}&page=2&size=10"),
    )
    .await;
    assert_eq!(last.json()["content"].as_array().map(Vec::len), Some(4));
    assert_eq!(last.json()["content"][3]["card_holder_name"], "HOLDER 23");
    // The default size is the parameter's default.
    let default = get(&mock, "search_individual_cards", search).await;
    assert_eq!(default.json()["size"], 10);
    let frozen = get(
        &mock,
        "search_individual_cards",
        "/cards/individual-cards/list/search?status=FROZEN",
    )
    .await;
    assert_eq!(frozen.json()["total_elements"], 0);

    // page_number (from 1) with next_page, null on the last page.
    let card = "/cards/transactions/card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23/search";
    let one = get(
        &mock,
        "search_card_transactions",
        &format!("{card}?page_number=1&size=2"),
    )
    .await;
    assert_eq!(one.json()["movements"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        (
            &one.json()["next_page"],
            &one.json()["number_of_elements"],
            &one.json()["total_pages"]
        ),
        (&json!(2), &json!(2), &json!(2))
    );
    let two = get(
        &mock,
        "search_card_transactions",
        &format!("{card}?page_number=2&size=2"),
    )
    .await;
    assert_eq!(two.json()["movements"][0]["bill_amount"], 12.5);
    assert_eq!(two.json()["next_page"], Value::Null);

    // A cursor: the token of one page fetches the next.
    let movements = format!("/virtual-wallets/{SEEDED_WALLET}/movements");
    let start = get(
        &mock,
        "get_wallet_movements",
        &format!("{movements}?size=2"),
    )
    .await;
    assert_eq!(start.json()["movements"].as_array().map(Vec::len), Some(2));
    let token = start.json()["paging_state_token"]
        .as_str()
        .expect("a token")
        .to_string();
    let next = get(
        &mock,
        "get_wallet_movements",
        &format!("{movements}?size=2&paging_state_token={token}"),
    )
    .await;
    assert_eq!(next.json()["movements"][0]["amount"], 5);
    assert_eq!(next.json()["paging_state_token"], Value::Null);
}

#[tokio::test]
async fn sub_resources_documents_and_non_json_answers() {
    let mock = mock().await;
    let card = "/cards/individual-cards/icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    let limits = call(
        &mock,
        "update_individual_card_limits",
        Method::PATCH,
        &format!("{card}/limits"),
        Some(json!({"daily_limit": 250.0})),
        &[],
    )
    .await;
    assert_eq!(limits.json()["daily_limit"], 250.0);
    assert_eq!(limits.json()["monthly_limit"], 2000.0);
    // `freeze` is not a field of a card: the answer is the page's `{}` and
    // the card is as it was (a behaviour would change its status).
    let frozen = call(
        &mock,
        "set_individual_card_frozen",
        Method::PATCH,
        &format!("{card}/frozen"),
        Some(json!({"freeze": true})),
        &[],
    )
    .await;
    assert_eq!(frozen.json(), &json!({}));
    assert_eq!(
        get(&mock, "get_individual_card", card).await.json()["status"],
        "ACTIVE"
    );
    // A delete that answers the item answers it as it was.
    let deleted = call(
        &mock,
        "delete_individual_card",
        Method::DELETE,
        card,
        None,
        &[],
    )
    .await;
    assert_eq!(deleted.json()["daily_limit"], 250.0);
    assert_eq!(get(&mock, "get_individual_card", card).await.status, 404);

    // A PDF, as its media type.
    let pdf = get(
        &mock,
        "get_transactions_pdf",
        "/cards/transactions/card_x/pdf",
    )
    .await;
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert!(pdf.bytes.starts_with(b"%PDF-") && pdf.bytes.ends_with(b"%%EOF\n"));

    // A static path's GET, PUT and DELETE share one document.
    let rules = "/cards/account/configuration/velocity-rules";
    let documented = json!({"max_transactions_per_day": 10, "max_amount_per_day": 1000});
    assert_eq!(
        get(&mock, "get_velocity_rules", rules).await.json(),
        &documented
    );
    let replaced = json!({"max_transactions_per_day": 3, "max_amount_per_day": 50});
    let put = call(
        &mock,
        "replace_velocity_rules",
        Method::PUT,
        rules,
        Some(replaced.clone()),
        &[],
    )
    .await;
    assert_eq!(put.json(), &replaced);
    assert_eq!(
        get(&mock, "get_velocity_rules", rules).await.json(),
        &replaced
    );
    let cleared = call(
        &mock,
        "delete_velocity_rules",
        Method::DELETE,
        rules,
        None,
        &[],
    )
    .await;
    assert_eq!(cleared.status, 204);
    assert_eq!(
        get(&mock, "get_velocity_rules", rules).await.json(),
        &documented
    );

    // An upsert keyed on the body's field, answering nothing.
    for address in ["0xAAA", "0xBBB"] {
        let upserted = call(
            &mock,
            "upsert_payment_destination",
            Method::POST,
            "/management/configurations/payments",
            Some(json!({"blockchain": "base", "payment_deposit_address": address})),
            &[],
        )
        .await;
        assert_eq!((upserted.status, upserted.bytes.len()), (200, 0));
        let read = get(
            &mock,
            "get_payment_destination",
            "/management/configurations/payments/base",
        )
        .await;
        assert_eq!(read.json()["payment_deposit_address"], address);
    }

    // A create under a literal of the collection (`/banks/us`).
    let client = "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    let bank = call(
        &mock,
        "create_us_bank_account",
        Method::POST,
        &format!("/management/clients/{client}/banks/us"),
        Some(json!({"account_number": "****1111"})),
        &[],
    )
    .await;
    let id = bank.json()["id"].as_str().expect("id");
    assert!(
        id.starts_with("ba_") && id.len() == "ba_abc123".len(),
        "{id}"
    );
    assert_eq!(bank.json()["client_id"], client);
    let banks = get(
        &mock,
        "list_bank_accounts",
        &format!("/management/clients/{client}/banks"),
    )
    .await;
    assert_eq!(banks.json().as_array().map(Vec::len), Some(2));
    // Deleting the client deletes its bank accounts.
    call(
        &mock,
        "delete_client",
        Method::DELETE,
        &format!("/management/clients/{client}"),
        None,
        &[],
    )
    .await;
    assert_eq!(
        mock.resource(&format!("/management/clients/{client}/banks/{id}")),
        None
    );
}

#[tokio::test]
async fn requests_are_checked_against_the_spec_dialect_included() {
    let mock = mock().await;
    let cases: Vec<(&str, Method, &str, Option<Value>, &str)> = vec![
        (
            "list_virtual_wallets",
            Method::GET,
            "/virtual-wallets/list",
            None,
            "The query parameter blockchain is required",
        ),
        (
            "list_virtual_wallets",
            Method::GET,
            "/virtual-wallets/list?blockchain=SOLANA",
            None,
            "Invalid query parameter blockchain: must be one of",
        ),
        (
            "search_individual_cards",
            Method::GET,
            "/cards/individual-cards/list/search?page=first",
            None,
            "Invalid query parameter page: must be of type integer",
        ),
        (
            "create_virtual_wallet",
            Method::POST,
            "/virtual-wallets/create",
            Some(json!({"alias": "x", "blockchain": "POLYGON", "colour": "red"})),
            "unknown field \"colour\"",
        ),
        (
            // OpenAPI 3.0's boolean exclusiveMinimum: 0 is refused.
            "add_individual_card_virtual_balance",
            Method::POST,
            "/cards/individual-cards/icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23/virtual-balance/add",
            Some(json!({"amount": 0})),
            "/amount: must be greater than 0",
        ),
    ];
    for (operation, method, path, body, says) in cases {
        let answer = call(
            &mock,
            operation,
            method,
            path,
            body,
            &[("x-idempotency-key", "k")],
        )
        .await;
        assert_eq!(answer.status, 400, "{path}");
        let message = answer.json()["message"].as_str().expect("a message");
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
}

#[tokio::test]
async fn a_spec_the_mock_cannot_serve_is_refused_with_where() {
    let cases = [
        ("openapi: [unclosed", "the spec is not YAML"),
        (
            "openapi: 3.0.3\npaths:\n  /things:\n    get:\n      responses: {}\n",
            "GET /things has no operationId",
        ),
        (
            "openapi: 3.0.3\npaths:\n  /things:\n    post:\n      operationId: make\n      requestBody:\n        content:\n          application/json:\n            schema: {type: objekt}\n      responses: {}\n",
            "POST /things (make): request body",
        ),
    ];
    for (spec, says) in cases {
        let error = MockServer::builder()
            .spec(spec)
            .start()
            .await
            .expect_err("refused");
        assert!(matches!(error, StartError::Spec(_)), "{error:?}");
        assert!(
            error.to_string().contains(says),
            "{error} should say {says:?}"
        );
    }
}

#[tokio::test]
async fn the_plan_names_each_operations_role() {
    let mock = mock().await;
    insta::assert_snapshot!("mock_engine_plan", mock.plan());
}

/// The spec of answers that are not a JSON object and of two versions of one
/// path (`tests/fixtures/shapes.yaml`, DECISIONS.md D21).
const SHAPES: &str = include_str!("fixtures/shapes.yaml");

const SHAPES_CARD: &str = "card_2b4f1c7e-9a1d-4c3e-8f5a-6d7e8f9a0b1c";

#[tokio::test]
async fn two_versions_of_a_path_are_routed_by_the_version_header() {
    let mock = MockServer::builder()
        .spec(SHAPES)
        .start()
        .await
        .expect("the mock serves the spec");
    let path = format!("/cards/transactions/{SHAPES_CARD}/search");
    // `call` holds each answer to the named operation's schema: v1 answers
    // `transactions`, v2 `data` and `total`, both required.
    let v1 = call(
        &mock,
        "search_card_transactions",
        Method::GET,
        &path,
        None,
        &[],
    )
    .await;
    assert_eq!(v1.status, 200);
    assert!(v1.json()["transactions"].is_array(), "{:?}", v1.body);
    let v2 = call(
        &mock,
        "search_card_transactions_v2",
        Method::GET,
        &path,
        None,
        &[("X-API-Version", "2")],
    )
    .await;
    assert_eq!(v2.status, 200);
    assert!(v2.json()["total"].is_number(), "{:?}", v2.body);
    assert!(v2.json().get("transactions").is_none(), "{:?}", v2.body);
    // The header in another case is the same header.
    let lower = call(
        &mock,
        "search_card_transactions_v2",
        Method::GET,
        &path,
        None,
        &[("x-api-version", "2")],
    )
    .await;
    assert!(lower.json()["total"].is_number(), "{:?}", lower.body);
    // A version the spec does not have is version 1, as the vendor's API
    // Versioning page says (D21).
    let other = call(
        &mock,
        "search_card_transactions",
        Method::GET,
        &path,
        None,
        &[("X-API-Version", "3")],
    )
    .await;
    assert!(other.json()["transactions"].is_array(), "{:?}", other.body);
    // The fragment is never a path of its own.
    let response = reqwest::Client::new()
        .get(format!("{}{path}%23v2", mock.uri()))
        .header("x-api-key", TEST_API_KEY)
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(response.status().as_u16(), 404);
    let recorded = mock.requests();
    assert!(recorded.iter().all(|r| !r.path.contains('#')));
}

#[tokio::test]
async fn a_pdf_a_bare_number_no_body_and_an_empty_object_are_served() {
    let mock = MockServer::builder()
        .spec(SHAPES)
        .start()
        .await
        .expect("the mock serves the spec");
    let pdf = get(
        &mock,
        "get_card_transactions_pdf",
        &format!("/cards/transactions/{SHAPES_CARD}/pdf"),
    )
    .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let balance = get(
        &mock,
        "get_card_balance",
        &format!("/cards/{SHAPES_CARD}/balance"),
    )
    .await;
    assert_eq!(balance.json(), &json!(1520.75));
    let pin = call(
        &mock,
        "reset_card_pin",
        Method::POST,
        &format!("/cards/{SHAPES_CARD}/pin"),
        None,
        &[],
    )
    .await;
    assert_eq!(pin.json(), &json!({}));
    let deleted = call(
        &mock,
        "delete_card",
        Method::DELETE,
        &format!("/cards/{SHAPES_CARD}"),
        None,
        &[],
    )
    .await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.bytes.is_empty());
    assert_eq!(deleted.content_type, None);
}
