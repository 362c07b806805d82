//! The mock's Active Management rules (D-AM10 in `openapi/DECISIONS.md`),
//! driven through the generated client: a virtual wallet's life, the
//! override's balance and its `412`, and a ramp transfer that changes only
//! while it is pending.

use cryptomate::ClientId;
use cryptomate::mock::MockServer;
use cryptomate::types::RampTransferId;
use cryptomate::types::{
    CreateVirtualWalletRequest, OverrideVirtualWalletBalanceRequest,
    SetVirtualWalletEnabledRequest, UpdateRampTransferRequest, UpdateVirtualWalletRequest,
};
use serde_json::json;

/// The blockchain `BASE`, whatever Rust type the spec's open set becomes
/// (a string newtype today, an open enum once the generator makes them).
fn base() -> cryptomate::types::VirtualWalletBlockchain {
    serde_json::from_value(json!("BASE")).expect("a blockchain")
}

/// A request body from its JSON, whatever Rust type the spec's decimals
/// become (`f64` today, an exact decimal once the generator makes them).
fn body<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a body the spec allows")
}

/// The documented `412` or `400` of a call, as the client returns it.
fn refused<T: std::fmt::Debug>(
    result: Result<T, cryptomate::Error>,
    status: u16,
) -> cryptomate::Error {
    let err = result.expect_err("refused");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
    err
}

#[tokio::test]
async fn a_virtual_wallets_life_through_the_api() {
    let mock = MockServer::start().await;
    let api = mock.client();

    let wallet = api
        .create_virtual_wallet()
        .body(CreateVirtualWalletRequest {
            alias: "Savings".into(),
            blockchain: base(),
        })
        .send()
        .await
        .expect("created")
        .into_inner();
    assert!(wallet.id.starts_with("vw_"), "{}", wallet.id.as_str());
    assert_eq!(wallet.client_id, None);
    assert_eq!(wallet.enabled, Some(true));

    // Listed under its blockchain only.
    let base = api
        .list_virtual_wallets()
        .blockchain(base())
        .send()
        .await
        .expect("listed");
    assert_eq!(base.iter().map(|w| &w.id).collect::<Vec<_>>(), [&wallet.id]);

    // Renamed, disabled and given a client: the other fields stay.
    api.update_virtual_wallet()
        .wallet_id(&wallet.id)
        .body(UpdateVirtualWalletRequest {
            alias: "Renamed".into(),
        })
        .send()
        .await
        .expect("renamed");
    api.set_virtual_wallet_enabled()
        .wallet_id(&wallet.id)
        .body(SetVirtualWalletEnabledRequest { enabled: false })
        .send()
        .await
        .expect("disabled");
    let client = ClientId::new("client_xyz789").expect("an id");
    let associated = api
        .associate_client_to_wallet()
        .wallet_id(&wallet.id)
        .client_id(&client)
        .send()
        .await
        .expect("associated");
    assert_eq!(associated.status().as_u16(), 201);
    let read = api
        .get_virtual_wallet()
        .wallet_id(&wallet.id)
        .send()
        .await
        .expect("read")
        .into_inner();
    assert_eq!(read.alias.as_deref(), Some("Renamed"));
    assert_eq!(read.enabled, Some(false));
    assert_eq!(read.client_id.as_ref(), Some(&client));
    assert_eq!(read.blockchain, wallet.blockchain);
    assert_eq!(read.wallet_address, wallet.wallet_address);

    // D-AM4: a negative balance is the page's 412; another is the answer.
    let negative = api
        .override_virtual_wallet_balance()
        .wallet_id(&wallet.id)
        .body(body::<OverrideVirtualWalletBalanceRequest>(
            json!({"virtual_balance": -1.25}),
        ))
        .send()
        .await;
    let err = refused(negative, 412);
    assert!(err.message().is_some_and(|m| m.contains("negative")));
    let balance = api
        .override_virtual_wallet_balance()
        .wallet_id(&wallet.id)
        .body(body::<OverrideVirtualWalletBalanceRequest>(
            json!({"virtual_balance": 42.5}),
        ))
        .send()
        .await
        .expect("overridden")
        .into_inner();
    assert_eq!(json!(balance), json!(42.5));

    // Deleted: a wallet's tokens are on-chain, which the mock does not model.
    let deleted = api
        .delete_virtual_wallet()
        .wallet_id(&wallet.id)
        .send()
        .await
        .expect("deleted");
    assert_eq!(deleted.status().as_u16(), 200);
    let gone = api.get_virtual_wallet().wallet_id(&wallet.id).send().await;
    refused(gone, 404);
}

#[tokio::test]
async fn a_ramp_transfer_changes_only_while_pending() {
    let mock = MockServer::start().await;
    let api = mock.client();
    // The pages' transfer, which a fresh mock holds.
    let id = RampTransferId::new("evt_a1b2c3d4e5f6").expect("an id");

    let updated = api
        .update_ramp_transfer()
        .id(&id)
        .body(body::<UpdateRampTransferRequest>(json!({"amount": 12.5})))
        .send()
        .await
        .expect("updated")
        .into_inner();
    assert_eq!(json!(updated.origin_amount), json!(12.5));
    assert_eq!(json!(updated.status), json!("PENDING"));

    let cancelled = api
        .cancel_bank_ramp_on()
        .id(&id)
        .send()
        .await
        .expect("cancelled")
        .into_inner();
    assert_eq!(json!(cancelled.status), json!("CANCELLED"));
    assert_eq!(json!(cancelled.origin_amount), json!(12.5));

    // The page's 400, naming this transfer, once it is not pending.
    let late = api
        .update_ramp_transfer()
        .id(&id)
        .body(UpdateRampTransferRequest { amount: None })
        .send()
        .await;
    let err = refused(late, 400);
    assert!(err.message().is_some_and(|m| m.contains(id.as_str())));
    refused(api.cancel_bank_ramp_on().id(&id).send().await, 400);

    // A transfer the mock does not hold is the page's 404, naming it.
    let unknown = RampTransferId::new("evt_000000000000").expect("an id");
    let err = refused(api.cancel_bank_ramp_on().id(&unknown).send().await, 404);
    assert!(
        err.message()
            .is_some_and(|m| m.contains("evt_000000000000"))
    );
}
