//! A treasury account's life against the mock, through the generated client:
//! every Treasury operation, and the mock's Treasury behaviours (D-T9 in
//! `openapi/DECISIONS.md`): a deleted wallet is marked, not removed, and an
//! account refuses to go while it has a wallet in use.

use cryptomate::Client;
use cryptomate::mock::MockServer;
use cryptomate::types::{TokenTransferRequest, TreasuryAccountRequest, TreasuryWalletRequest};
use cryptomate::types::{TreasuryAccountId, TreasuryWalletId};
use serde_json::{Value, json};

/// A request body from its JSON, as the pages write it (the types' own
/// constructors differ in how they carry amounts and open sets; the JSON
/// does not).
fn body<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid body")
}

async fn create_account(api: &Client, alias: &str) -> TreasuryAccountId {
    api.create_treasury_account()
        .body(body::<TreasuryAccountRequest>(json!({ "alias": alias })))
        .send()
        .await
        .expect("an account")
        .into_inner()
        .id
}

async fn create_wallet(api: &Client, account: &TreasuryAccountId) -> TreasuryWalletId {
    api.create_treasury_wallet()
        .account_id(account)
        .body(body::<TreasuryWalletRequest>(
            json!({ "alias": "Hot wallet", "blockchain": "POLYGON" }),
        ))
        .send()
        .await
        .expect("a wallet")
        .into_inner()
        .id
}

#[tokio::test]
async fn a_treasury_accounts_life() {
    let mock = MockServer::start().await;
    let api = mock.client();

    let account = create_account(&api, "Operations").await;
    assert!(account.starts_with("acc_"), "{account}");
    let listed = api.list_treasury_accounts().send().await.expect("a list");
    let ours = listed.iter().find(|a| a.id == account).expect("listed");
    assert_eq!(ours.alias.as_deref(), Some("Operations"));
    let renamed = api
        .update_treasury_account()
        .account_id(&account)
        .body(body::<TreasuryAccountRequest>(json!({ "alias": "Ops" })))
        .send()
        .await
        .expect("renamed");
    assert_eq!(renamed.alias.as_deref(), Some("Ops"));

    let wallet = create_wallet(&api, &account).await;
    assert!(wallet.starts_with("wallet_"), "{wallet}");
    let wallets = api
        .list_treasury_wallets()
        .account_id(&account)
        .send()
        .await
        .expect("the account's wallets");
    assert_eq!(wallets.len(), 1, "only the wallet made under the account");
    let read = api
        .get_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect("the wallet");
    assert_eq!(
        read.blockchain.as_ref().map(ToString::to_string).as_deref(),
        Some("POLYGON")
    );
    assert_eq!(read.enabled, Some(true));
    let renamed = api
        .update_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .body(body::<cryptomate::types::TreasuryWalletRename>(
            json!({ "alias": "Cold wallet" }),
        ))
        .send()
        .await
        .expect("renamed");
    assert_eq!(renamed.alias.as_deref(), Some("Cold wallet"));
    let balance = api
        .get_treasury_wallet_balance()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect("a balance");
    assert!(balance.iter().all(|token| token.symbol.is_some()));
    let transfer = api
        .transfer_token()
        .account_id(&account)
        .wallet_id(&wallet)
        .idempotency_key("4f5b8c9d-1e2a-4b3c-9d8e-7f6a5b4c3d2e")
        .body(body::<TokenTransferRequest>(json!({
            "to": "0x742d35Cc6634C0532925a3b844Bc9e7595f0bEb",
            "amount": 100.5
        })))
        .send()
        .await
        .expect("a transfer");
    assert!(transfer.transaction_hash.is_some());
    let page = api
        .search_treasury_transactions()
        .wallet_ids(vec![wallet.clone()])
        .operations(vec!["TRANSFER".parse().expect("an operation")])
        .page_number(1)
        .size(10)
        .send()
        .await
        .expect("a page of movements");
    assert!(page.movements.len() <= 10);

    // The account refuses to go while its wallet is in use: the page's 412.
    let refused = api
        .delete_treasury_account()
        .account_id(&account)
        .send()
        .await
        .expect_err("the account has a wallet");
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(412));
    assert_eq!(refused.code(), Some("VAL"));
    assert_eq!(refused.message(), Some("Account has wallets associated"));

    // Deleting the wallet marks it: it is still read and listed, disabled.
    let deleted = api
        .delete_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect("deleted");
    assert_eq!(
        (deleted.id.as_str(), deleted.enabled),
        (wallet.as_str(), Some(false))
    );
    let read = api
        .get_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect("still readable");
    assert_eq!(read.enabled, Some(false));

    // Now the account goes, and its wallets with it.
    api.delete_treasury_account()
        .account_id(&account)
        .send()
        .await
        .expect("deleted");
    let listed = api.list_treasury_accounts().send().await.expect("a list");
    assert!(listed.iter().all(|a| a.id != account));
    let gone = api
        .get_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect_err("the wallet went with its account");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_pages_own_delete_examples_work_against_a_fresh_mock() {
    // D-M4: the account of the pages' examples holds the pages' wallet, which
    // does not stop the delete-account page's own example.
    let mock = MockServer::start().await;
    let api = mock.client();
    let account = TreasuryAccountId::new("acc_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23").expect("id");
    let wallet = TreasuryWalletId::new("wallet_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d").expect("id");
    let read = api
        .get_treasury_wallet()
        .account_id(&account)
        .wallet_id(&wallet)
        .send()
        .await
        .expect("the pages' wallet");
    assert_eq!(read.alias.as_deref(), Some("Primary Polygon Wallet"));
    api.delete_treasury_account()
        .account_id(&account)
        .send()
        .await
        .expect("the page's delete example");
}

#[tokio::test]
async fn a_wallet_in_another_account_is_not_found() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let first = create_account(&api, "First").await;
    let second = create_account(&api, "Second").await;
    let wallet = create_wallet(&api, &first).await;
    let err = api
        .get_treasury_wallet()
        .account_id(&second)
        .wallet_id(&wallet)
        .send()
        .await
        .expect_err("not in this account");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    // Another account's wallets do not hold it back either.
    api.delete_treasury_account()
        .account_id(&second)
        .send()
        .await
        .expect("the second account has no wallet");
}
