//! The local mock of the API (`cryptomate::mock`) on the crate's spec: every
//! operation, the vendor's onboarding flow through its behaviours, the
//! controls a test drives it with, what it accepts and refuses, what it
//! records, and that every answer is one the spec allows. The engine's
//! shapes beyond this spec are in `tests/mock_engine.rs`; every documented
//! example against a fresh mock in `tests/mock_examples.rs`.

mod common;

use common::examples::{documented, documented_request};
use cryptomate::mock::{
    KycError, KycOutcome, MockError, MockServer, Reply, ResourceError, TEST_API_KEY,
    check_against_spec, check_answer, operation_ids,
};
use cryptomate::types::{
    DataField, DataRequirement, IndividualAddress, IndividualClientRequest, MissingRequirements,
    ProductEnablementRequest,
};
use cryptomate::{IndividualClientStatus, ProductRequestStatus, Subproduct};
use reqwest::Method;
use serde_json::{Value, json};

const INDIVIDUALS: &str = "/management/clients/individuals";
/// Individual Cards' paths.
const CARDS: &str = "/cards/individual-cards";
const COMPANIES: &str = "/management/companies";
/// The company of the Management pages' curl examples.
const COMPANY: &str = "comp_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
/// The client of the legacy create-client page and of the bank-account pages.
const LEGACY_CLIENT: &str = "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

/// A tiny valid PNG (1×1, grey), as a base64 data URL.
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";

/// One answer of the mock, after checking it against the spec.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Option<Value>,
}

impl Answer {
    fn json(&self) -> &Value {
        self.body.as_ref().expect("a JSON body")
    }

    fn message(&self) -> &str {
        self.json()["message"].as_str().expect("a message")
    }
}

/// Sends a request as the operation `operation` and checks the answer
/// against the spec's declared response for its status.
async fn call(
    mock: &MockServer,
    operation: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", mock.uri()))
        .header("x-api-key", TEST_API_KEY);
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(operation, request).await
}

async fn send(operation: &str, request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body: Option<Value> = if bytes.is_empty() {
        None
    } else {
        assert_eq!(headers["content-type"], "application/json");
        Some(serde_json::from_slice(&bytes).expect("the mock answers JSON"))
    };
    let names: Vec<String> = headers.keys().map(|k| k.to_string()).collect();
    if let Err(problems) = check_answer(operation, status, &names, body.as_ref()) {
        panic!("{operation} answered {status}, which breaks the spec: {problems:?}\n{body:?}");
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// The guide's client (step 1), with the required fields only.
fn maria() -> Value {
    json!({
        "first_name": "Maria",
        "last_name": "Barber",
        "email": "mjuliabarber@example.com",
        "birth_date": "1984-11-21",
        "address": {
            "street_line1": "Florida 9860",
            "city": "Del Viso",
            "postal_code": "1669",
            "state": "ARG-B",
            "country": "ARG"
        }
    })
}

fn passport(image: &str) -> Value {
    json!({"document": {
        "document_type": "passport",
        "image_front": image,
        "metadata": {"number": "AB1234567", "issuing_country": "ARG"}
    }})
}

async fn create(mock: &MockServer, body: Value) -> String {
    let created = call(
        mock,
        "create_individual_client",
        Method::POST,
        INDIVIDUALS,
        Some(body),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.json()["id"].as_str().expect("an id").to_string()
}

async fn request_cards(mock: &MockServer, client: &str) -> Answer {
    call(
        mock,
        "request_product_enablement",
        Method::POST,
        &format!("{INDIVIDUALS}/{client}/products"),
        Some(json!({"subproduct": "cards_individuals"})),
    )
    .await
}

/// Creates an individual card for `client`, and returns its id.
async fn create_card(mock: &MockServer, client: &str) -> String {
    let created = call(
        mock,
        "create_individual_card",
        Method::POST,
        &format!("{CARDS}/create"),
        Some(json!({"client_id": client, "card_holder_name": "Ana Gomez", "daily_limit": 100.0})),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.json()["id"].as_str().expect("an id").to_string()
}

/// Adds to or subtracts from a card's virtual balance (`change` is `add` or
/// `subtract`) with the idempotency key `key`.
async fn balance_change(
    mock: &MockServer,
    card: &str,
    change: &str,
    key: &str,
    amount: f64,
) -> Answer {
    let request = reqwest::Client::new()
        .post(format!(
            "{}{CARDS}/{card}/virtual-balance/{change}",
            mock.uri()
        ))
        .header("x-api-key", TEST_API_KEY)
        .header("x-idempotency-key", key)
        .json(&json!({ "amount": amount }));
    send(
        &format!("{change}_individual_card_virtual_balance"),
        request,
    )
    .await
}

async fn upload(mock: &MockServer, client: &str, request: &str, body: Value) -> Answer {
    call(
        mock,
        "complete_product_documentation",
        Method::POST,
        &format!("{INDIVIDUALS}/{client}/products/{request}/documentation"),
        Some(body),
    )
    .await
}

async fn submit(mock: &MockServer, client: &str, request: &str) -> Answer {
    call(
        mock,
        "submit_product_enablement",
        Method::POST,
        &format!("{INDIVIDUALS}/{client}/products/{request}/submit"),
        None,
    )
    .await
}

/// The ids of the missing requirements, data then documents.
fn missing(request: &Value) -> (Vec<&str>, Vec<&str>) {
    let ids = |list: &str| {
        request["missing_requirements"][list]
            .as_array()
            .unwrap_or_else(|| panic!("missing_requirements.{list} is an array: {request}"))
            .iter()
            .map(|r| r["id"].as_str().expect("an id"))
            .collect()
    };
    (ids("data"), ids("documents"))
}

/// `actual` has every key of `documented` with a value of the same JSON
/// type, recursively (arrays by their first items).
fn assert_shape(actual: &Value, documented: &Value, at: &str) {
    match (actual, documented) {
        (Value::Object(a), Value::Object(d)) => {
            for (key, value) in d {
                let inner = a
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}/{key} is missing from {actual}"));
                assert_shape(inner, value, &format!("{at}/{key}"));
            }
        }
        (Value::Array(a), Value::Array(d)) => {
            if let (Some(a), Some(d)) = (a.first(), d.first()) {
                assert_shape(a, d, &format!("{at}/0"));
            }
        }
        (a, d) => assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(d),
            "{at}: {a} is not shaped as {d}"
        ),
    }
}

/// A mock without the items of the spec's examples, for tests that count
/// what they made.
async fn empty() -> MockServer {
    MockServer::builder()
        .seeded(false)
        .start()
        .await
        .expect("the mock starts")
}

#[tokio::test]
async fn the_guide_runs_end_to_end_with_the_documented_answers() {
    let mock = empty().await;

    // Step 1: create.
    let created = call(
        &mock,
        "create_individual_client",
        Method::POST,
        INDIVIDUALS,
        Some(maria()),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_shape(
        created.json(),
        &json!({"id": "", "type": "", "status": "", "first_name": "", "last_name": "",
                "email": "", "birth_date": "", "address": {}, "created_at": "", "updated_at": ""}),
        "",
    );
    let id = created.json()["id"].as_str().expect("an id").to_string();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
    assert_eq!(created.json()["status"], "pending");
    assert_eq!(created.json()["address"], maria()["address"]);
    let get = call(
        &mock,
        "get_individual_client",
        Method::GET,
        &format!("{INDIVIDUALS}/{id}"),
        None,
    )
    .await;
    assert_eq!((get.status, get.json()), (200, created.json()));
    let list = call(
        &mock,
        "list_individual_clients",
        Method::GET,
        INDIVIDUALS,
        None,
    )
    .await;
    assert_eq!(list.json(), &json!([created.json()]));

    // Step 2: request the product; the guide's requirements are missing.
    let requested = request_cards(&mock, &id).await;
    assert_eq!(requested.status, 201);
    assert_shape(
        requested.json(),
        &documented("request_product_enablement", 201),
        "",
    );
    assert_eq!(requested.json()["status"], "pending_documentation");
    assert_eq!(requested.json()["client_id"], id.as_str());
    assert_eq!(
        missing(requested.json()),
        (vec!["personal_information"], vec!["identity_document"])
    );
    assert_eq!(
        requested.json()["missing_requirements"]["documents"],
        documented("request_product_enablement", 201)["missing_requirements"]["documents"]
    );
    let product = requested.json()["id"].as_str().expect("an id").to_string();
    assert_eq!(product.len(), 32);
    let again = request_cards(&mock, &id).await;
    assert_eq!(again.status, 409);
    assert_eq!(
        again.message(),
        "An enablement request is already active for this product"
    );
    assert_eq!(again.json()["code"], "VAL");

    // Submitting now reports what is pending and changes nothing.
    let early = submit(&mock, &id, &product).await;
    assert_eq!(early.status, 200);
    assert_eq!(early.json()["product"]["status"], "pending_documentation");
    assert_eq!(
        missing(&early.json()["product"]),
        (vec!["personal_information"], vec!["identity_document"])
    );

    // Step 4 with the page's own (shortened) image: rejected with a reason.
    let shortened = upload(
        &mock,
        &id,
        &product,
        passport("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ..."),
    )
    .await;
    assert_eq!(shortened.status, 200);
    let rejected = &shortened.json()["rejected_items"];
    assert_eq!(rejected[0]["type"], "document");
    assert_eq!(rejected[0]["key"], "passport");
    assert!(
        rejected[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("image_front") && r.contains("base64")),
        "{rejected}"
    );
    assert_eq!(
        missing(&shortened.json()["product"]).1,
        vec!["identity_document"]
    );

    // Step 4 with a real image: accepted; the data is still missing.
    let uploaded = upload(&mock, &id, &product, passport(PNG)).await;
    assert_eq!(uploaded.status, 200);
    assert_shape(
        uploaded.json(),
        &documented("complete_product_documentation", 200),
        "",
    );
    assert_eq!(uploaded.json()["rejected_items"], json!([]));
    assert_eq!(
        missing(&uploaded.json()["product"]),
        (vec!["personal_information"], vec![])
    );

    // Step 3: a partial update is refused: it is a full replacement.
    let partial = call(
        &mock,
        "update_individual_client",
        Method::PUT,
        &format!("{INDIVIDUALS}/{id}"),
        Some(json!({"phone_country_code": 54, "phone_number": 1168860622_i64})),
    )
    .await;
    assert_eq!(partial.status, 400);
    for field in [
        "/first_name",
        "/last_name",
        "/email",
        "/birth_date",
        "/address",
    ] {
        assert!(
            partial.message().contains(&format!("{field}: is required")),
            "{}",
            partial.message()
        );
    }
    let mut full = maria();
    full["phone_country_code"] = json!(54);
    full["phone_number"] = json!(1168860622_i64);
    let updated = call(
        &mock,
        "update_individual_client",
        Method::PUT,
        &format!("{INDIVIDUALS}/{id}"),
        Some(full),
    )
    .await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.json()["id"], id.as_str());

    // Step 5: submit advances to KYC; the request is then closed to changes.
    let submitted = submit(&mock, &id, &product).await;
    assert_eq!(submitted.status, 200);
    assert_shape(
        submitted.json(),
        &documented("submit_product_enablement", 200),
        "",
    );
    assert_eq!(submitted.json()["product"]["status"], "in_kyc");
    assert_eq!(missing(&submitted.json()["product"]), (vec![], vec![]));
    for closed in [
        submit(&mock, &id, &product).await,
        upload(&mock, &id, &product, passport(PNG)).await,
    ] {
        assert_eq!(closed.status, 409);
        assert_eq!(
            closed.message(),
            "The enablement request is not pending documentation"
        );
    }
    assert_eq!(request_cards(&mock, &id).await.status, 409);

    // The KYC review rejects; the list shows why, and a new request may be made.
    let decided = mock
        .finish_kyc(
            &product,
            KycOutcome::Rejected {
                code: Some("KYC_REJECTED".into()),
                description: "The passport photo is not legible".into(),
            },
        )
        .expect("in KYC");
    assert_eq!(decided.status, Some(ProductRequestStatus::Rejected));
    let second = request_cards(&mock, &id).await;
    assert_eq!(second.status, 201);
    let products = call(
        &mock,
        "list_client_products",
        Method::GET,
        &format!("{INDIVIDUALS}/{id}/products"),
        None,
    )
    .await;
    assert_eq!(products.status, 200);
    let list = products.json().as_array().expect("an array");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], second.json()["id"], "newest first");
    assert_eq!(list[1]["status"], "rejected");
    assert_eq!(
        list[1]["rejection_description"],
        "The passport photo is not legible"
    );
    assert_eq!(list[1]["rejection_code"], "KYC_REJECTED");
    // The phone is on file now: only the passport is missing.
    assert_eq!(missing(&list[0]), (vec![], vec!["identity_document"]));

    // Delete, then 404 with the vendor's body.
    let deleted = call(
        &mock,
        "delete_individual_client",
        Method::DELETE,
        &format!("{INDIVIDUALS}/{id}"),
        None,
    )
    .await;
    assert_eq!((deleted.status, deleted.body.as_ref()), (204, None));
    for (operation, method, path) in [
        (
            "get_individual_client",
            Method::GET,
            format!("{INDIVIDUALS}/{id}"),
        ),
        (
            "delete_individual_client",
            Method::DELETE,
            format!("{INDIVIDUALS}/{id}"),
        ),
        (
            "list_client_products",
            Method::GET,
            format!("{INDIVIDUALS}/{id}/products"),
        ),
    ] {
        let gone = call(&mock, operation, method, &path, None).await;
        assert_eq!(gone.status, 404);
        assert_eq!(gone.json()["code"], "NOT_FOUND");
        assert_eq!(
            gone.message(),
            format!("Company client not found with id: {id}")
        );
    }
    assert!(mock.product_requests(&id).is_empty());
}

/// D-M1 in openapi/DECISIONS.md: two clients are duplicates when their
/// emails are equal, ignoring ASCII case and surrounding spaces.
#[tokio::test]
async fn a_client_with_the_email_of_another_is_a_duplicate() {
    let mock = empty().await;
    let first = create(&mock, maria()).await;
    let documented = documented("create_individual_client", 400);

    let mut same_email = maria();
    same_email["first_name"] = json!("Julia");
    same_email["email"] = json!("MJuliaBarber@Example.com");
    let duplicate = call(
        &mock,
        "create_individual_client",
        Method::POST,
        INDIVIDUALS,
        Some(same_email.clone()),
    )
    .await;
    assert_eq!(duplicate.status, 400);
    assert_eq!(duplicate.json()["code"], documented["code"]);
    assert_eq!(duplicate.json()["message"], documented["message"]);

    // Same name, birth date and address, another email: another client.
    let mut other_email = maria();
    other_email["email"] = json!("maria.barber@example.com");
    let second = create(&mock, other_email.clone()).await;
    assert_ne!(first, second);

    // An update may not take another client's email, but may keep its own.
    let taken = call(
        &mock,
        "update_individual_client",
        Method::PUT,
        &format!("{INDIVIDUALS}/{second}"),
        Some(maria()),
    )
    .await;
    assert_eq!(
        (taken.status, taken.message()),
        (400, "Company client already exists for this company")
    );
    let kept = call(
        &mock,
        "update_individual_client",
        Method::PUT,
        &format!("{INDIVIDUALS}/{second}"),
        Some(other_email),
    )
    .await;
    assert_eq!(kept.status, 200);

    // Deleting a client frees its email.
    call(
        &mock,
        "delete_individual_client",
        Method::DELETE,
        &format!("{INDIVIDUALS}/{first}"),
        None,
    )
    .await;
    create(&mock, same_email).await;
    assert_eq!(mock.clients().len(), 2);
}

#[tokio::test]
async fn bad_input_gets_the_vendors_400_naming_the_json_path_and_no_value() {
    let mock = empty().await;
    let with = |pointer: &str, value: Value| {
        let mut body = maria();
        *body.pointer_mut(pointer).expect("a field of the example") = value;
        body
    };
    let mut no_city = maria();
    no_city["address"]
        .as_object_mut()
        .expect("an object")
        .remove("city");
    let cases: Vec<(Value, &[&str])> = vec![
        (no_city, &["/address/city: is required"]),
        (
            with("/birth_date", json!("21/11/1984")),
            &["/birth_date: is not a valid date"],
        ),
        (
            with("/email", json!(42)),
            &["/email: must be of type string"],
        ),
        (json!([1, 2]), &["/: must be of type object"]),
    ];
    let mut phone = maria();
    phone["phone_number"] = json!(18_446_744_073_709_551_615_u64);
    let mut zip = maria();
    zip["address"]["zip"] = json!("1669");
    let cases = cases.into_iter().chain([
        (phone, &["/phone_number: must be at most"][..]),
        (zip, &["/address: unknown field \"zip\""][..]),
    ]);
    for (body, says) in cases {
        let answer = call(
            &mock,
            "create_individual_client",
            Method::POST,
            INDIVIDUALS,
            Some(body.clone()),
        )
        .await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(answer.json()["code"], "VAL");
        assert!(answer.json()["trace_id"].is_string());
        for words in says {
            assert!(
                answer.message().contains(words),
                "{:?} should say {words:?}",
                answer.message()
            );
        }
        for value in ["21/11/1984", "Del Viso", "18446744073709551615"] {
            assert!(
                !answer.message().contains(value),
                "{:?} quotes a value",
                answer.message()
            );
        }
    }
    assert!(mock.clients().is_empty());

    // Not JSON, no content type, an empty body: each said plainly.
    let raw = |content_type: Option<&str>, body: &str| {
        let mut request = reqwest::Client::new()
            .post(format!("{}{INDIVIDUALS}", mock.uri()))
            .header("x-api-key", TEST_API_KEY)
            .body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request
    };
    for (request, says) in [
        (
            raw(Some("application/json"), "{\"first_name\": "),
            "not valid JSON",
        ),
        (
            raw(None, &maria().to_string()),
            "Content-Type must be application/json",
        ),
        (
            raw(Some("text/plain"), &maria().to_string()),
            "not \"text/plain\"",
        ),
        (raw(Some("application/json"), "  "), "empty"),
        // Just below i64::MIN: JSON parsing rounds it to the bound.
        (
            raw(
                Some("application/json"),
                &maria()
                    .to_string()
                    .replacen('{', "{\"phone_number\": -9223372036854775809, ", 1),
            ),
            "/phone_number: is out of the 64-bit integer range",
        ),
    ] {
        let answer = send("create_individual_client", request).await;
        assert_eq!(answer.status, 400);
        assert!(answer.message().contains(says), "{:?}", answer.message());
    }

    // A path parameter is checked against its schema.
    let bad = call(
        &mock,
        "get_identifications_by_country",
        Method::GET,
        &format!("{INDIVIDUALS}/identifications/U1"),
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(bad.message().contains("countryCode"), "{}", bad.message());
    // The product is an open set in the spec; one the mock does not know is
    // the page's 412.
    let id = create(&mock, maria()).await;
    let unknown = call(
        &mock,
        "request_product_enablement",
        Method::POST,
        &format!("{INDIVIDUALS}/{id}/products"),
        Some(json!({"subproduct": "ramps_moon"})),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.message()),
        (412, "Invalid product")
    );
    let missing_field = call(
        &mock,
        "request_product_enablement",
        Method::POST,
        &format!("{INDIVIDUALS}/{id}/products"),
        Some(json!({})),
    )
    .await;
    assert_eq!(missing_field.status, 400);
    assert!(missing_field.message().contains("/subproduct: is required"));
}

#[tokio::test]
async fn an_upload_that_cannot_be_processed_is_rejected_with_its_reason() {
    let mock = MockServer::start().await;
    let id = create(&mock, maria()).await;
    let product = request_cards(&mock, &id).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let reason = |answer: &Answer| -> String {
        let items = answer.json()["rejected_items"]
            .as_array()
            .expect("an array")
            .clone();
        assert!(!items.is_empty(), "nothing rejected: {:?}", answer.body);
        items
            .iter()
            .map(|i| i["reason"].as_str().expect("a reason").to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let jpeg_text = format!("data:image/jpeg;base64,{}", "aGVsbG8=");
    let cases = [
        (
            passport("AB1234567.jpg"),
            "image_front is not a base64 data URL",
        ),
        (
            passport("data:application/pdf;base64,JVBERi0="),
            "only JPG and PNG",
        ),
        (
            passport("data:image/png;base64,%%%"),
            "image_front is not valid base64",
        ),
        (
            passport(&jpeg_text),
            "image_front is not a JPG or PNG image",
        ),
        (
            json!({"document": {"document_type": "passport", "image_front": PNG}}),
            "metadata number is required for passport",
        ),
        (
            json!({"document": {"document_type": "selfie", "image_front": PNG}}),
            "it asks for: passport",
        ),
    ];
    for (body, says) in cases {
        let answer = upload(&mock, &id, &product, body).await;
        assert_eq!(answer.status, 200);
        assert!(
            reason(&answer).contains(says),
            "{:?} should say {says:?}",
            reason(&answer)
        );
        assert!(
            !reason(&answer).contains("AB1234567"),
            "a reason quotes the document"
        );
        assert_eq!(
            missing(&answer.json()["product"]).1,
            vec!["identity_document"]
        );
    }
    // A schema error is a 400, not a rejected item.
    let no_image = upload(
        &mock,
        &id,
        &product,
        json!({"document": {"document_type": "passport"}}),
    )
    .await;
    assert_eq!(no_image.status, 400);
    assert!(
        no_image
            .message()
            .contains("/document/image_front: is required")
    );
    // Accepted once; again only with `replace`.
    assert_eq!(
        upload(&mock, &id, &product, passport(PNG)).await.json()["rejected_items"],
        json!([])
    );
    let again = upload(&mock, &id, &product, passport(PNG)).await;
    assert!(reason(&again).contains("replace"), "{}", reason(&again));
    let mut replace = passport(PNG);
    replace["document"]["replace"] = json!(true);
    assert_eq!(
        upload(&mock, &id, &product, replace).await.json()["rejected_items"],
        json!([])
    );
}

#[tokio::test]
async fn requests_of_two_clients_never_mix() {
    let mock = empty().await;
    let a = create(&mock, maria()).await;
    let mut other = maria();
    other["email"] = json!("other@example.com");
    let b = create(&mock, other).await;
    let product_a = request_cards(&mock, &a).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    // Client b reaching for a's request: not found.
    // The operation's documented 404: the errors page's.
    let crossed = upload(&mock, &b, &product_a, passport(PNG)).await;
    assert_eq!(crossed.status, 404);
    assert_eq!(
        crossed.message(),
        documented("complete_product_documentation", 404)["message"]
    );
    assert_eq!(submit(&mock, &b, &product_a).await.status, 404);
    let listed = call(
        &mock,
        "list_client_products",
        Method::GET,
        &format!("{INDIVIDUALS}/{b}/products"),
        None,
    )
    .await;
    assert_eq!(listed.json(), &json!([]));
    assert_eq!(mock.product_requests(&a).len(), 1);
}

#[tokio::test]
async fn the_lookups_come_from_the_built_in_table() {
    let mock = MockServer::start().await;
    let countries = call(
        &mock,
        "get_supported_countries",
        Method::GET,
        &format!("{INDIVIDUALS}/countries"),
        None,
    )
    .await;
    assert_eq!(countries.status, 200);
    assert_shape(
        countries.json(),
        &documented("get_supported_countries", 200),
        "",
    );
    let data = countries.json()["data"].as_array().expect("data");
    assert_eq!(countries.json()["count"], data.len());
    let usa = data
        .iter()
        .find(|c| c["alpha3"] == "USA")
        .expect("the page's country");
    assert!(
        usa["subdivisions"]
            .as_array()
            .expect("subdivisions")
            .contains(&json!({"name": "California", "code": "CA"}))
    );
    assert!(
        data.iter().any(|c| c["alpha3"] == "ARG"),
        "the guide's client's country"
    );

    let documented_types = documented("get_identifications_by_country", 200);
    for code in ["US", "USA", "us"] {
        let answer = call(
            &mock,
            "get_identifications_by_country",
            Method::GET,
            &format!("{INDIVIDUALS}/identifications/{code}"),
            None,
        )
        .await;
        assert_eq!(
            (answer.status, answer.json()),
            (200, &documented_types),
            "{code}"
        );
    }
    let unknown = call(
        &mock,
        "get_identifications_by_country",
        Method::GET,
        &format!("{INDIVIDUALS}/identifications/ZZ"),
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.message(),
        documented("get_identifications_by_country", 404)["message"]
    );
}

#[tokio::test]
async fn the_generated_client_drives_the_flow_and_the_kyc_outcome() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let body = IndividualClientRequest::builder()
        .first_name("Ada")
        .last_name("Lovelace")
        .email("ada@example.com")
        .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1815, 12, 10).expect("a date"))
        .address(IndividualAddress {
            street_line1: "12 St James's Square".into(),
            street_line2: None,
            city: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            state: "LND".into(),
            state_code: None,
            country: "GBR".into(),
            country_code: None,
        })
        .phone_country_code(44)
        .phone_number(2_079_460_000_i64);
    let created = api
        .create_individual_client()
        .body(body)
        .send()
        .await
        .expect("created");
    assert_eq!(created.status(), 201);
    // A catalogue of the test's own: the second name and a street line 2.
    mock.set_requirements(
        "ramps_pix",
        MissingRequirements {
            data: vec![DataRequirement {
                id: Some("names".into()),
                fields: vec![
                    DataField {
                        key: Some("second_name".into()),
                        data_type: Some("STRING".into()),
                        required: Some(true),
                    },
                    DataField {
                        key: Some("address.street_line2".into()),
                        data_type: Some("STRING".into()),
                        required: Some(true),
                    },
                ],
                ..Default::default()
            }],
            documents: vec![],
        },
    );
    let request = api
        .request_product_enablement()
        .client_id(&created.id)
        .body(ProductEnablementRequest {
            subproduct: Subproduct::RampsPix,
        })
        .send()
        .await
        .expect("requested");
    let missing = request.missing_requirements.clone().expect("missing");
    assert_eq!(missing.data.len(), 1);
    assert!(missing.documents.is_empty());
    assert_eq!(
        mock.finish_kyc(&request.id, KycOutcome::Enabled),
        Err(KycError::NotInKyc {
            id: request.id.to_string(),
            status: "pending_documentation".into()
        })
    );
    let mut full: IndividualClientRequest = serde_json::from_value(json!({
        "first_name": "Ada", "second_name": "Augusta", "last_name": "Lovelace",
        "email": "ada@example.com", "birth_date": "1815-12-10",
        "address": {"street_line1": "12 St James's Square", "street_line2": "Flat 1",
                    "city": "London", "postal_code": "SW1Y 4JH", "state": "LND", "country": "GBR"}
    }))
    .expect("a request");
    // Without the phone it had: a full replacement drops it, and the
    // phone-free catalogue does not care.
    full.phone_number = None;
    api.update_individual_client()
        .id(&created.id)
        .body(full)
        .send()
        .await
        .expect("updated");
    let submitted = api
        .submit_product_enablement()
        .client_id(&created.id)
        .product_request_id(&request.id)
        .send()
        .await
        .expect("submitted");
    let product = submitted.into_inner().product.expect("a product");
    assert_eq!(product.status, Some(ProductRequestStatus::InKyc));
    let enabled = mock
        .finish_kyc(&request.id, KycOutcome::Enabled)
        .expect("in KYC");
    assert_eq!(enabled.status, Some(ProductRequestStatus::Enabled));
    let listed = api
        .list_client_products()
        .client_id(&created.id)
        .send()
        .await
        .expect("listed");
    assert_eq!(listed[0].status, Some(ProductRequestStatus::Enabled));
    assert_eq!(
        mock.finish_kyc("nope", KycOutcome::Enabled),
        Err(KycError::UnknownRequest("nope".into()))
    );
    // The cards product still has the guide's requirements.
    let cards = api
        .request_product_enablement()
        .client_id(&created.id)
        .body(ProductEnablementRequest {
            subproduct: Subproduct::CardsIndividuals,
        })
        .send()
        .await
        .expect("requested");
    let missing = cards.missing_requirements.clone().expect("missing");
    assert_eq!(
        missing.data.len(),
        1,
        "the phone is gone after the full replacement"
    );
    assert_eq!(missing.documents.len(), 1);
}

/// Every Management operation through the onboarding flow's own items. The
/// other products' operations are each served with their page's example by
/// `tests/mock_examples.rs`, which the spec drives; this table is not
/// extended per operation.
#[tokio::test]
async fn every_operation_of_the_spec_is_served() {
    let mock = MockServer::start().await;
    let id = create(&mock, maria()).await;
    let product = request_cards(&mock, &id).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let client_path = format!("{INDIVIDUALS}/{id}");
    let product_path = format!("{INDIVIDUALS}/{id}/products/{product}");
    let banks = format!("/management/clients/{LEGACY_CLIENT}/banks");
    let calls: Vec<(&str, Method, String, Option<Value>, u16)> = vec![
        (
            "list_individual_clients",
            Method::GET,
            INDIVIDUALS.into(),
            None,
            200,
        ),
        (
            "get_individual_client",
            Method::GET,
            client_path.clone(),
            None,
            200,
        ),
        (
            "update_individual_client",
            Method::PUT,
            client_path.clone(),
            Some(maria()),
            200,
        ),
        (
            "get_supported_countries",
            Method::GET,
            format!("{INDIVIDUALS}/countries"),
            None,
            200,
        ),
        (
            "get_identifications_by_country",
            Method::GET,
            format!("{INDIVIDUALS}/identifications/US"),
            None,
            200,
        ),
        (
            "list_client_products",
            Method::GET,
            format!("{client_path}/products"),
            None,
            200,
        ),
        (
            "complete_product_documentation",
            Method::POST,
            format!("{product_path}/documentation"),
            Some(passport(PNG)),
            200,
        ),
        (
            "submit_product_enablement",
            Method::POST,
            format!("{product_path}/submit"),
            None,
            200,
        ),
        (
            "create_client",
            Method::POST,
            "/management/clients".into(),
            Some(json!({"first_name": "John"})),
            201,
        ),
        (
            "delete_individual_client",
            Method::DELETE,
            client_path.clone(),
            None,
            204,
        ),
        // The rest of Management (issue 27): the company, on the seeded
        // company of the pages' examples, and the bank accounts of the
        // seeded client of the legacy create-client page.
        ("get_company", Method::GET, COMPANIES.into(), None, 200),
        (
            "update_company",
            Method::PUT,
            COMPANIES.into(),
            Some(json!({"name": "Acme Corporation", "webhook_url": "https://acme.example/hooks"})),
            200,
        ),
        (
            "create_company",
            Method::POST,
            COMPANIES.into(),
            Some(json!({"name": "Initech"})),
            201,
        ),
        (
            "subscribe_webhook_url",
            Method::POST,
            format!("{COMPANIES}/webhook/subscribe"),
            Some(json!({"url": "https://acme.example/hooks", "webhook_key": "wh_key_0123456789"})),
            200,
        ),
        (
            "subscribe_webhook_key",
            Method::POST,
            format!("{COMPANIES}/webhook/key"),
            Some(json!({"key": "wh_key_9876543210"})),
            200,
        ),
        (
            "get_company_information",
            Method::GET,
            format!("{COMPANIES}/{COMPANY}/information"),
            None,
            200,
        ),
        (
            "delete_company",
            Method::DELETE,
            format!("{COMPANIES}/{COMPANY}"),
            None,
            200,
        ),
        (
            "re_enable_company",
            Method::POST,
            format!("{COMPANIES}/{COMPANY}/re-enable"),
            None,
            200,
        ),
        (
            "list_operations",
            Method::GET,
            "/management/operations/list".into(),
            None,
            200,
        ),
        (
            "get_operation",
            Method::GET,
            "/management/operations/treasury".into(),
            None,
            200,
        ),
        (
            "list_blockchains",
            Method::GET,
            "/management/blockchains/list".into(),
            None,
            200,
        ),
        (
            "list_custom_tokens",
            Method::GET,
            "/mpc/tokens/list".into(),
            None,
            200,
        ),
        (
            "get_contracted_product",
            Method::GET,
            "/management/contracted-product".into(),
            None,
            200,
        ),
        (
            "get_contracted_and_used_products",
            Method::GET,
            "/management/contracted-product/used".into(),
            None,
            200,
        ),
        ("list_bank_accounts", Method::GET, banks.clone(), None, 200),
        (
            "create_us_bank_account",
            Method::POST,
            format!("{banks}/us"),
            Some(json!({"bank_name": "Chase Bank", "account_type": "CHECKING"})),
            201,
        ),
        (
            "create_spei_bank_account",
            Method::POST,
            format!("{banks}/spei"),
            Some(json!({"account_number": "012180001234567897"})),
            201,
        ),
        (
            "create_sepa_bank_account",
            Method::POST,
            format!("{banks}/sepa"),
            Some(json!({"business_name": "Acme GmbH", "account_number": "DE89370400440532013000"})),
            201,
        ),
        (
            "create_pix_bank_account",
            Method::POST,
            format!("{banks}/pix"),
            Some(json!({"pix_key": "customer@example.com"})),
            201,
        ),
        (
            "create_fps_bank_account",
            Method::POST,
            format!("{banks}/fps"),
            Some(json!({"sort_code": "123456", "account_number": "12345678"})),
            201,
        ),
        (
            "create_co_bank_transfer_bank_account",
            Method::POST,
            format!("{banks}/co-bank-transfer"),
            Some(json!({"bank_code": "1007", "co_account_type": "savings"})),
            201,
        ),
        (
            "create_bre_b_bank_account",
            Method::POST,
            format!("{banks}/bre-b"),
            Some(json!({"bre_b_key": "1234567890123456"})),
            201,
        ),
        (
            "list_colombian_bank_codes",
            Method::GET,
            "/management/clients/colombian-bank-codes".into(),
            None,
            200,
        ),
        (
            "list_co_account_types",
            Method::GET,
            "/management/clients/co-account-types".into(),
            None,
            200,
        ),
        (
            "get_bank_account",
            Method::GET,
            format!("{banks}/ba_abc123"),
            None,
            200,
        ),
        (
            "delete_bank_account",
            Method::DELETE,
            format!("{banks}/ba_abc123"),
            None,
            200,
        ),
    ];
    let mut served: Vec<&str> = vec!["create_individual_client", "request_product_enablement"];
    for (operation, method, path, body, status) in calls {
        let answer = call(&mock, operation, method, &path, body).await;
        assert_eq!(answer.status, status, "{operation}: {:?}", answer.body);
        served.push(operation);
    }
    served.sort_unstable();
    // Management's operations, in the flow above. The other products' are
    // served from their pages' examples (`tests/mock_examples.rs`, driven by
    // the spec) and their behaviours' own tests (`tests/mock_cards.rs`), so
    // that this table does not grow with every operation.
    let spec = common::spec();
    let mut all: Vec<&str> = operation_ids()
        .into_iter()
        .filter(|id| {
            spec["paths"]
                .as_object()
                .expect("paths")
                .values()
                .any(|item| {
                    item.as_object()
                        .expect("a path item")
                        .values()
                        .any(|op| op["operationId"] == *id && op["tags"] == json!(["management"]))
                })
        })
        .collect();
    all.sort_unstable();
    assert!(
        all.iter().all(|id| operation_ids().contains(id)),
        "the dispatcher's operations are the mock's"
    );
    assert_eq!(
        served, all,
        "an operation of Management is not exercised here"
    );
}

#[tokio::test]
async fn the_key_header_is_matched_in_any_case_and_enforced() {
    let mock = MockServer::start().await;
    mock.require_api_key("the-right-key");
    for (name, key, status) in [
        ("x-api-key", "the-right-key", 200),
        ("X-API-KEY", "the-right-key", 200),
        ("X-Api-Key", "the-right-key", 200),
        ("x-api-key", TEST_API_KEY, 401),
        ("x-api-key", "", 401),
    ] {
        let request = reqwest::Client::new()
            .get(format!("{}{INDIVIDUALS}", mock.uri()))
            .header(name, key);
        let answer = send("list_individual_clients", request).await;
        assert_eq!(answer.status, status, "{name}: {key}");
    }
    let none = send(
        "list_individual_clients",
        reqwest::Client::new().get(format!("{}{INDIVIDUALS}", mock.uri())),
    )
    .await;
    assert_eq!(
        (none.status, none.message()),
        (401, "API key not authorized")
    );
}

#[tokio::test]
async fn queued_answers_go_to_the_next_request_or_the_named_operation() {
    let mock = empty().await;
    let id = create(&mock, maria()).await;
    mock.enqueue_for(
        "submit_product_enablement",
        Reply::Error(MockError::ServerError),
    );
    mock.enqueue(Reply::Error(MockError::RateLimited { retry_after: 4 }));
    // The next request of any operation takes the unnamed reply.
    let limited = call(
        &mock,
        "get_individual_client",
        Method::GET,
        &format!("{INDIVIDUALS}/{id}"),
        None,
    )
    .await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "4");
    assert_eq!(
        limited.json(),
        &json!({"error_code": "TOO_MANY_REQUESTS", "message": "Rate limit exceeded. Retry after 4 seconds"})
    );
    // Other operations pass the named one by.
    let product = request_cards(&mock, &id).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let failed = submit(&mock, &id, &product).await;
    assert_eq!(
        (failed.status, failed.json()["code"].as_str()),
        (500, Some("INTERNAL_ERROR"))
    );
    assert_eq!(submit(&mock, &id, &product).await.status, 200);

    // Each documented error, queued for an operation that documents it.
    let cases = [
        (
            "create_individual_client",
            MockError::DuplicateClient,
            400,
            "Company client already exists for this company",
        ),
        (
            "request_product_enablement",
            MockError::AlreadyRequested,
            409,
            "An enablement request is already active for this product",
        ),
        (
            "complete_product_documentation",
            MockError::NotPendingDocumentation,
            409,
            "The enablement request is not pending documentation",
        ),
        (
            "request_product_enablement",
            MockError::InvalidProduct,
            412,
            "Invalid product",
        ),
        (
            "get_individual_client",
            MockError::NotFound,
            404,
            "Resource not found",
        ),
        (
            "get_individual_client",
            MockError::Unauthorized,
            401,
            "API key not authorized",
        ),
        (
            "get_individual_client",
            MockError::InvalidRequest("Bad id".into()),
            400,
            "Bad id",
        ),
    ];
    for (operation, error, status, message) in cases {
        mock.enqueue_for(operation, Reply::Error(error.clone()));
        let (method, path, body) = match operation {
            "create_individual_client" => (Method::POST, INDIVIDUALS.to_string(), Some(maria())),
            "get_individual_client" => (Method::GET, format!("{INDIVIDUALS}/{id}"), None),
            "complete_product_documentation" => (
                Method::POST,
                format!("{INDIVIDUALS}/{id}/products/{product}/documentation"),
                Some(passport(PNG)),
            ),
            _ => (
                Method::POST,
                format!("{INDIVIDUALS}/{id}/products"),
                Some(json!({"subproduct": "ramps_cards"})),
            ),
        };
        let answer = call(&mock, operation, method, &path, body).await;
        assert_eq!(
            (answer.status, answer.message()),
            (status, message),
            "{error:?}"
        );
        assert!(answer.json()["trace_id"].is_string());
    }
    // A canned body of any status.
    mock.enqueue(Reply::Json {
        status: 200,
        body: json!([]),
    });
    let canned = call(
        &mock,
        "list_individual_clients",
        Method::GET,
        INDIVIDUALS,
        None,
    )
    .await;
    assert_eq!(canned.json(), &json!([]));
    assert_eq!(mock.clients().len(), 1);
}

#[test]
#[should_panic(expected = "the spec has no operation \"submit_product\"")]
fn a_misspelt_operation_is_refused_when_queued() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mock = runtime.block_on(MockServer::start());
    mock.enqueue_for("submit_product", Reply::Error(MockError::ServerError));
}

/// The deprecated `create_client` is still served as before.
#[allow(
    deprecated,
    reason = "the deprecated operation is what this test checks"
)]
#[tokio::test]
async fn the_deprecated_create_client_is_still_served() {
    let mock = MockServer::start().await;
    let request: cryptomate::types::CreateClientRequest =
        serde_json::from_value(documented_request("create_client")).expect("decodes");
    let created = mock
        .client()
        .create_client()
        .body(request)
        .send()
        .await
        .expect("created");
    assert_eq!(created.status(), 201);
    assert!(created.id.starts_with("client_"), "{}", created.id);
    assert_eq!(created.first_name.as_deref(), Some("John"));
    assert_eq!(created.phone_number, Some(4_155_551_234));

    let cases = [
        (
            MockError::DuplicateClient,
            412,
            "Company client already exists for this company and phone number",
        ),
        (
            MockError::AddressInvalid,
            412,
            "Address validation failed: state 'CA' does not belong to country 'US'",
        ),
        (
            MockError::ScreeningFailed,
            412,
            "Client registration could not be completed",
        ),
        (
            MockError::ScreeningReview,
            412,
            "Client requires manual screening review",
        ),
        (
            MockError::BridgeError,
            412,
            "Error creating Bridge customer",
        ),
        (MockError::ServerError, 500, "Internal server error"),
    ];
    for (error, status, message) in cases {
        mock.enqueue(Reply::Error(error.clone()));
        let answer = call(
            &mock,
            "create_client",
            Method::POST,
            "/management/clients",
            Some(json!({})),
        )
        .await;
        assert_eq!(answer.status, status, "{error:?}");
        assert_eq!(
            answer.json()["code"],
            if status == 412 {
                "VAL"
            } else {
                "INTERNAL_ERROR"
            }
        );
        assert!(
            answer.message().starts_with(message),
            "{}",
            answer.message()
        );
        // Through the client: the typed error carries it.
        mock.enqueue(Reply::Error(error.clone()));
        let err = mock
            .client()
            .create_client()
            .body(cryptomate::types::CreateClientRequest::default())
            .send()
            .await
            .expect_err("an error");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.trace_id().is_some());
    }
    let canned: cryptomate::types::Client =
        serde_json::from_value(documented("create_client", 201)).expect("decodes");
    mock.enqueue(Reply::Created(canned.clone()));
    let first = mock
        .client()
        .create_client()
        .body(cryptomate::types::CreateClientRequest::default())
        .send()
        .await
        .expect("ok");
    assert_eq!(first.into_inner(), canned);
    let bad = call(
        &mock,
        "create_client",
        Method::POST,
        "/management/clients",
        Some(json!({"nickname": "JD"})),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(bad.message().contains("nickname"));
}

#[tokio::test]
async fn other_paths_and_methods_get_vendor_errors() {
    let mock = MockServer::start().await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/management/cards", mock.uri()))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["code"], "NOT_FOUND");
    for (method, path, allow) in [
        (Method::GET, "/management/clients".to_string(), "POST"),
        (
            Method::PATCH,
            format!("{INDIVIDUALS}/abc"),
            "GET, PUT, DELETE",
        ),
        // A literal segment wins over a parameter: this is not a client id.
        (Method::PUT, format!("{INDIVIDUALS}/countries"), "GET"),
    ] {
        let response = http
            .request(method.clone(), format!("{}{path}", mock.uri()))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow);
        let body: Value = response.json().await.expect("JSON");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains(method.as_str())),
            "{body}"
        );
    }
}

#[tokio::test]
async fn every_request_is_recorded_and_the_key_is_hidden_from_debug() {
    let mock = MockServer::start().await;
    let id = create(&mock, maria()).await;
    let request = reqwest::Client::new()
        .get(format!("{}{INDIVIDUALS}/{id}", mock.uri()))
        .header("X-API-KEY", "a-secret-key");
    send("get_individual_client", request).await;
    let recorded = mock.requests();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].method, "POST");
    assert_eq!(recorded[0].path, INDIVIDUALS);
    assert_eq!(recorded[0].json(), Some(maria()));
    assert_eq!(recorded[1].header("x-api-key"), Some("a-secret-key"));
    let debug = format!("{recorded:?}");
    for secret in ["a-secret-key", TEST_API_KEY, "Barber", "1984-11-21"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[test]
fn check_against_spec_names_unknown_schemas_and_paths() {
    assert_eq!(
        check_against_spec("Nope", &json!({})),
        Err(vec!["the spec has no schema Nope".to_string()])
    );
    let problems = check_against_spec("IndividualClient", &json!({"id": 7})).expect_err("bad");
    assert_eq!(problems, vec!["/id: must be of type string".to_string()]);
    // The answer check resolves components/responses and names what is off.
    assert!(
        check_answer(
            "submit_product_enablement",
            409,
            &[],
            Some(&json!({"code": "VAL"}))
        )
        .is_ok()
    );
    assert_eq!(
        check_answer("delete_individual_client", 204, &[], Some(&json!({}))),
        Err(vec!["204 declares no body; one was sent".to_string()])
    );
    assert_eq!(
        check_answer("list_individual_clients", 429, &[], Some(&json!({}))),
        Err(vec!["429 requires the header Retry-After".to_string()])
    );
    assert_eq!(
        check_answer("get_individual_client", 418, &[], None),
        Err(vec![
            "get_individual_client declares no 418 response".to_string()
        ])
    );
}

/// Issue 21: a client's status is the test's to set, as `finish_kyc` is a
/// product request's; the API then shows it everywhere.
#[tokio::test]
async fn a_clients_status_is_set_by_the_test_and_shown_by_the_api() {
    let mock = empty().await;
    let id = create(&mock, maria()).await;
    let path = format!("{INDIVIDUALS}/{id}");
    let read = || async {
        call(&mock, "get_individual_client", Method::GET, &path, None)
            .await
            .json()["status"]
            .clone()
    };
    assert_eq!(read().await, "pending");
    for (status, shown) in [
        (IndividualClientStatus::Active, "active"),
        (IndividualClientStatus::Rejected, "rejected"),
        (IndividualClientStatus::Other("on_hold".into()), "on_hold"),
    ] {
        let client = mock
            .set_client_status(&id, status.clone())
            .expect("a client of the mock");
        assert_eq!(client.status, Some(status));
        assert_eq!(read().await, shown);
        let listed = call(
            &mock,
            "list_individual_clients",
            Method::GET,
            INDIVIDUALS,
            None,
        )
        .await;
        assert_eq!(listed.json()[0]["status"], shown);
    }
    assert_eq!(
        mock.set_client_status("nobody", IndividualClientStatus::Active),
        Err(ResourceError::Unknown(format!("{INDIVIDUALS}/nobody")))
    );
}

/// Any stored item can be read and changed by its path; a change that
/// would break the item's schema changes nothing.
#[tokio::test]
async fn a_stored_item_is_read_and_changed_by_its_path() {
    let mock = empty().await;
    let id = create(&mock, maria()).await;
    let path = format!("{INDIVIDUALS}/{id}");
    let before = mock.resource(&path).expect("stored");
    assert_eq!(before["email"], "mjuliabarber@example.com");
    let changed = mock
        .update_resource(&path, json!({"first_name": "Julia"}))
        .expect("changed");
    assert_eq!(changed["first_name"], "Julia");
    assert_eq!(
        call(&mock, "get_individual_client", Method::GET, &path, None)
            .await
            .json(),
        &changed
    );
    let refused = mock.update_resource(&path, json!({"first_name": 42}));
    assert_eq!(
        refused,
        Err(ResourceError::Invalid {
            path: path.clone(),
            problems: vec!["/first_name: must be of type string".into()],
        })
    );
    assert_eq!(mock.resource(&path), Some(changed));
    for not_an_item in [INDIVIDUALS.to_string(), format!("{INDIVIDUALS}/countries")] {
        assert_eq!(
            mock.update_resource(&not_an_item, json!({})),
            Err(ResourceError::NotAResource(not_an_item.clone()))
        );
    }
    assert_eq!(mock.resource(&format!("{INDIVIDUALS}/nobody")), None);
}

/// D-M4 and D-M5: a fresh mock holds what the pages' examples name, and
/// those items never conflict with the pages' own examples.
#[tokio::test]
async fn a_fresh_mock_holds_the_pages_examples_without_conflicting_with_them() {
    let mock = MockServer::start().await;
    let maria_id = "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG";
    let seeded = call(
        &mock,
        "get_individual_client",
        Method::GET,
        &format!("{INDIVIDUALS}/{maria_id}"),
        None,
    )
    .await;
    // The get page's example, over the create page's.
    assert_eq!(seeded.json(), &documented("get_individual_client", 200));
    let products = call(
        &mock,
        "list_client_products",
        Method::GET,
        &format!("{INDIVIDUALS}/{maria_id}/products"),
        None,
    )
    .await;
    assert_eq!(products.json(), &documented("list_client_products", 200));
    // The create page's Maria is not a duplicate of the seeded one, and the
    // request page's product is not already active.
    let created = call(
        &mock,
        "create_individual_client",
        Method::POST,
        INDIVIDUALS,
        Some(documented_request("create_individual_client")),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_eq!(request_cards(&mock, maria_id).await.status, 201);
    // A second client with Maria's email is still a duplicate.
    let again = call(
        &mock,
        "create_individual_client",
        Method::POST,
        INDIVIDUALS,
        Some(maria()),
    )
    .await;
    assert_eq!(again.status, 400);
    assert_eq!(mock.clients().len(), 2);
    assert_eq!(empty().await.clients().len(), 0);
}

/// How the engine reads the crate's spec: review this snapshot when the
/// spec gains operations (each line says what an operation does without
/// code of its own).
#[test]
fn the_plan_of_the_crates_spec() {
    insta::assert_snapshot!("mock_plan", cryptomate::mock::plan());
}

/// The rules of the Individual Cards pages (D-IC9 to D-IC11): freezing sets
/// the status, new limits replace all three, the virtual balance moves once
/// per idempotency key and never below zero, a client holds at most 5 cards
/// that are not cancelled.
#[tokio::test]
async fn an_individual_card_follows_the_rules_of_its_pages() {
    let mock = empty().await;
    let card = create_card(&mock, "client_rules").await;
    assert!(
        card.starts_with("icard_"),
        "{card}: minted like the example's"
    );
    let path = format!("{CARDS}/{card}");
    let read = |mock: &MockServer| {
        let path = path.clone();
        let mock = mock.uri();
        async move {
            let request = reqwest::Client::new()
                .get(format!("{mock}{path}"))
                .header("x-api-key", TEST_API_KEY);
            send("get_individual_card", request).await.json().clone()
        }
    };
    assert_eq!(read(&mock).await["status"], "ACTIVE");

    // Freezing and unfreezing: `{}`, and the card's status.
    for (freeze, status) in [(true, "FROZEN"), (false, "ACTIVE")] {
        let answer = call(
            &mock,
            "set_individual_card_frozen",
            Method::PATCH,
            &format!("{path}/frozen"),
            Some(json!({ "freeze": freeze })),
        )
        .await;
        assert_eq!((answer.status, answer.json()), (200, &json!({})));
        assert_eq!(read(&mock).await["status"], status);
    }

    // New limits replace all three: null removes one; all three are required
    // (D-IC7).
    let limits = call(
        &mock,
        "update_individual_card_limits",
        Method::PATCH,
        &format!("{path}/limits"),
        Some(json!({"daily_limit": null, "weekly_limit": 500.0, "monthly_limit": null})),
    )
    .await;
    assert_eq!(limits.status, 200);
    let partial = call(
        &mock,
        "update_individual_card_limits",
        Method::PATCH,
        &format!("{path}/limits"),
        Some(json!({"weekly_limit": 1.0})),
    )
    .await;
    assert_eq!(partial.status, 400, "a limit left out is refused");
    for shown in [limits.json().clone(), read(&mock).await] {
        assert_eq!(shown["daily_limit"], Value::Null, "null: removed");
        assert_eq!(shown["weekly_limit"], 500.0);
        assert_eq!(shown["monthly_limit"], Value::Null);
        assert_eq!(shown["card_holder_name"], "Ana Gomez", "the rest is kept");
    }

    // The virtual balance: 0 for a new card, moved once per key.
    let balance = |mock: &MockServer| {
        let url = format!("{}{path}/balance", mock.uri());
        async move {
            let request = reqwest::Client::new()
                .get(url)
                .header("x-api-key", TEST_API_KEY);
            send("get_individual_card_balance", request).await.json()["available_credit"].clone()
        }
    };
    assert_eq!(balance(&mock).await, 0.0);
    let added = balance_change(&mock, &card, "add", "key-1", 100.25).await;
    assert_eq!((added.status, added.json()), (200, &json!(100.25)));
    let again = balance_change(&mock, &card, "add", "key-1", 100.25).await;
    assert_eq!(
        again.json(),
        &json!(100.25),
        "a repeated key is not applied twice"
    );
    let added = balance_change(&mock, &card, "add", "key-2", 50.0).await;
    assert_eq!(added.json(), &json!(150.25));
    let refused = balance_change(&mock, &card, "subtract", "key-3", 200.0).await;
    assert_eq!(refused.status, 412);
    assert_eq!(
        refused.message(),
        "Error subtracting virtual balances, insufficient funds"
    );
    assert_eq!(
        balance(&mock).await,
        150.25,
        "a refused subtraction moves nothing"
    );
    // The refused key was not kept: the same key may be retried.
    let retried = balance_change(&mock, &card, "subtract", "key-3", 0.25).await;
    assert_eq!((retried.status, retried.json()), (200, &json!(150.0)));
    let set = call(
        &mock,
        "override_individual_card_virtual_balance",
        Method::PATCH,
        &format!("{path}/virtual-balance"),
        Some(json!({"virtual_balance": 10.0})),
    )
    .await;
    assert_eq!((set.status, set.json()), (200, &json!(10.0)));
    assert_eq!(balance(&mock).await, 10.0);
    let keyless = call(
        &mock,
        "add_individual_card_virtual_balance",
        Method::POST,
        &format!("{path}/virtual-balance/add"),
        Some(json!({"amount": 1.0})),
    )
    .await;
    assert_eq!(keyless.status, 412);
    assert_eq!(keyless.message(), "x-idempotency-key header is required");

    // The PAN ends in the card's last 4 digits, and is not to be cached.
    let pan = call(
        &mock,
        "get_individual_card_pan",
        Method::GET,
        &format!("{path}/pan"),
        None,
    )
    .await;
    assert_eq!(pan.headers["cache-control"], "no-store");
    let last4 = read(&mock).await["last4"]
        .as_str()
        .expect("last4")
        .to_string();
    assert!(
        pan.json()["pan"]
            .as_str()
            .is_some_and(|p| p.ends_with(&last4))
    );

    // A PIN is 4 to 12 digits.
    for (pin, status) in [
        ("1234", 200),
        ("123456789012", 200),
        ("123", 400),
        ("12a4", 400),
    ] {
        let answer = call(
            &mock,
            "set_individual_card_pin",
            Method::PUT,
            &format!("{path}/pin"),
            Some(json!({ "pin": pin })),
        )
        .await;
        assert_eq!(answer.status, status, "{pin}: {:?}", answer.body);
        if status == 400 {
            assert_eq!(answer.message(), "PIN must be 4 to 12 digits");
        }
    }
    assert!(
        read(&mock).await.get("pin").is_none(),
        "the PIN is not shown"
    );

    // The text search: by the last 4 digits, or by client.
    let found = |query: &str| {
        let url = format!("{}{CARDS}/list/search?{query}", mock.uri());
        async move {
            let request = reqwest::Client::new()
                .get(url)
                .header("x-api-key", TEST_API_KEY);
            send("search_individual_cards", request)
                .await
                .json()
                .clone()
        }
    };
    let by_last4 = found(&format!("search_type=LAST4&search_text={last4}")).await;
    assert_eq!(by_last4["total_elements"], 1, "{by_last4}");
    assert_eq!(by_last4["content"][0]["id"], card.as_str());
    let by_client = found("search_type=CLIENT_ID&search_text=client_rules").await;
    assert_eq!(by_client["content"][0]["client_id"], "client_rules");
    let nobody = found("search_type=CLIENT_ID&search_text=client_nobody").await;
    assert_eq!(nobody["total_elements"], 0);

    // Five cards a client, the cancelled ones apart.
    for _ in 1..5 {
        create_card(&mock, "client_rules").await;
    }
    let sixth = call(
        &mock,
        "create_individual_card",
        Method::POST,
        &format!("{CARDS}/create"),
        Some(json!({"client_id": "client_rules", "card_holder_name": "Ana Gomez"})),
    )
    .await;
    assert_eq!(sixth.status, 412);
    assert!(
        sixth.message().contains("maximum of 5 cards"),
        "{}",
        sixth.message()
    );
    create_card(&mock, "client_other").await;
    mock.update_resource(&path, json!({"status": "DELETED"}))
        .expect("the card is cancelled");
    create_card(&mock, "client_rules").await;
}

/// The PAN and CVC of a card decode as `Sensitive`: the typed answer's
/// `Debug` never shows them, while the values are there to use.
#[tokio::test]
async fn the_generated_client_reads_a_cards_pan_without_printing_it() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let pan = api
        .get_individual_card_pan()
        .card_id("icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23")
        .send()
        .await
        .expect("the PAN")
        .into_inner();
    let shown = format!("{pan:?} {pan:#?}");
    assert!(
        !shown.contains("4242424242424242") && !shown.contains("123"),
        "{shown}"
    );
    assert!(shown.contains("redacted"), "{shown}");
    let pan_value = pan.pan.as_ref().expect("a PAN");
    assert_eq!(pan_value.expose(), "4242424242424242");
    assert_eq!(pan.cvc.as_ref().expect("a CVC").expose(), "123");
    // The PIN setter takes the PIN as Sensitive too.
    let body = cryptomate::types::IndividualCardPinRequest {
        pin: cryptomate::Sensitive::from("9876"),
    };
    assert!(!format!("{body:?}").contains("9876"));
    api.set_individual_card_pin()
        .card_id("icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23")
        .body(body)
        .send()
        .await
        .expect("the PIN is set");
}
