//! The rest of Management on the local mock, through the typed client: the
//! company's webhook subscription (D-M9), and the deprecated bank accounts of
//! a client, created, read, listed and deleted.

use cryptomate::mock::MockServer;
use cryptomate::types::BankAccountId;
use cryptomate::types::{
    CreateCompanyRequest, SepaBankAccountRequest, WebhookKeyRequest, WebhookSubscriptionRequest,
};
use cryptomate::{ClientId, Sensitive};

/// The client of the legacy create-client page and of the bank-account pages,
/// which a fresh mock holds (D-M4, D-M5).
const LEGACY_CLIENT: &str = "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

#[tokio::test]
async fn subscribing_a_webhook_changes_the_company() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let before = api.get_company().send().await.expect("the company");
    assert_eq!(before.name.as_deref(), Some("Acme Corporation"));

    let subscribed = api
        .subscribe_webhook_url()
        .body(
            WebhookSubscriptionRequest::builder()
                .url("https://hooks.example.com/cryptomate")
                .webhook_key(Sensitive::from("wh_key_0123456789")),
        )
        .send()
        .await
        .expect("subscribed");
    assert_eq!(
        subscribed.webhook_url.as_deref(),
        Some("https://hooks.example.com/cryptomate")
    );
    let after = api.get_company().send().await.expect("the company");
    assert_eq!(
        after.webhook_url.as_deref(),
        Some("https://hooks.example.com/cryptomate")
    );
    assert_eq!(
        after.webhook_key.as_ref().map(Sensitive::expose),
        Some("wh_key_0123456789")
    );
    // The key is a secret: the company's Debug does not show it (D-MG5).
    assert!(!format!("{after:?}").contains("wh_key_0123456789"));

    let rotated = api
        .subscribe_webhook_key()
        .body(WebhookKeyRequest::builder().key(Sensitive::from("wh_key_rotated_42")))
        .send()
        .await
        .expect("rotated");
    assert_eq!(
        rotated.webhook_key.as_ref().map(Sensitive::expose),
        Some("wh_key_rotated_42")
    );
    let after = api.get_company().send().await.expect("the company");
    assert_eq!(
        after.webhook_key.as_ref().map(Sensitive::expose),
        Some("wh_key_rotated_42")
    );
    assert_eq!(
        after.webhook_url.as_deref(),
        Some("https://hooks.example.com/cryptomate"),
        "rotating the key keeps the URL"
    );
}

#[tokio::test]
async fn a_webhook_key_under_ten_characters_is_refused_as_documented() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let refused = api
        .subscribe_webhook_key()
        .body(WebhookKeyRequest::builder().key(Sensitive::from("short")))
        .send()
        .await
        .expect_err("a 412");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(412));
    assert_eq!(refused.code(), Some("VAL"));
    assert_eq!(
        refused.message(),
        Some("Webhook key must be at least 10 characters long")
    );
    // Nine characters are still too few, ten are enough.
    for (key, accepted) in [("123456789", false), ("1234567890", true)] {
        let answer = api
            .subscribe_webhook_key()
            .body(WebhookKeyRequest::builder().key(Sensitive::from(key)))
            .send()
            .await;
        assert_eq!(answer.is_ok(), accepted, "{key}");
    }
    let company = api.get_company().send().await.expect("the company");
    assert_eq!(
        company.webhook_key.as_ref().map(Sensitive::expose),
        Some("1234567890")
    );
}

#[tokio::test]
async fn a_second_company_with_one_email_is_refused() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let body = || {
        CreateCompanyRequest::builder()
            .name("Initech")
            .email("Ops@Initech.example".to_string())
    };
    let created = api
        .create_company()
        .body(body())
        .send()
        .await
        .expect("created");
    assert_eq!(created.name.as_deref(), Some("Initech"));
    let refused = api
        .create_company()
        .body(body())
        .send()
        .await
        .expect_err("a duplicate");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(412));
    assert_eq!(
        refused.message(),
        Some("Company ops@initech.example already exists.")
    );
    // Another email is another company.
    api.create_company()
        .body(body().email("hr@initech.example".to_string()))
        .send()
        .await
        .expect("another company");
}

#[tokio::test]
#[allow(
    deprecated,
    reason = "the bank-account operations are deprecated by the vendor (D-MG1)"
)]
async fn a_clients_bank_account_is_created_read_listed_and_deleted() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let client: ClientId = LEGACY_CLIENT.parse().expect("an id");
    let seeded = api
        .list_bank_accounts()
        .client_id(&client)
        .send()
        .await
        .expect("the client's accounts");
    let created = api
        .create_sepa_bank_account()
        .client_id(&client)
        .body(
            SepaBankAccountRequest::builder()
                .bank_name("Deutsche Bank".to_string())
                .business_name("Acme GmbH".to_string())
                .account_number(Sensitive::from("DE89370400440532013000"))
                .bic("DEUTDEFF".to_string()),
        )
        .send()
        .await
        .expect("created");
    let id: BankAccountId = created.id.clone().expect("an id");
    assert_ne!(id.as_str(), "ba_ghi789", "a fresh id, not the example's");
    assert_eq!(created.bank_name.as_deref(), Some("Deutsche Bank"));

    let read = api
        .get_bank_account()
        .client_id(&client)
        .bank_id(&id)
        .send()
        .await
        .expect("read back");
    assert_eq!(read.business_name.as_deref(), Some("Acme GmbH"));
    assert_eq!(read.bic.as_deref(), Some("DEUTDEFF"));
    let listed = api
        .list_bank_accounts()
        .client_id(&client)
        .send()
        .await
        .expect("listed");
    assert_eq!(listed.len(), seeded.len() + 1);
    assert!(listed.iter().any(|a| a.id.as_ref() == Some(&id)));

    api.delete_bank_account()
        .client_id(&client)
        .bank_id(&id)
        .send()
        .await
        .expect("deleted");
    let gone = api
        .get_bank_account()
        .client_id(&client)
        .bank_id(&id)
        .send()
        .await
        .expect_err("gone");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));

    // A client the mock does not know has no bank accounts to list.
    let unknown: ClientId = "client_unknown".parse().expect("an id");
    let missing = api
        .list_bank_accounts()
        .client_id(&unknown)
        .send()
        .await
        .expect_err("no such client");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
}
