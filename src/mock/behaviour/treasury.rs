//! Treasury: a deleted wallet is marked deleted, not removed, and an account
//! refuses to be deleted while it has a wallet in use (D-T9 in
//! `openapi/DECISIONS.md`).

use serde_json::Value;

use super::Call;
use crate::mock::answer::Answer;

/// `delete_treasury_wallet`: the page "Marks a wallet as deleted and removes
/// it from active use" and answers the wallet with `enabled: false`; it stays
/// readable and listed, marked so.
pub(super) fn delete_wallet(call: &mut Call<'_>) -> Answer {
    let Some(family) = call.family() else {
        return call.plain();
    };
    let id = call.param("walletId").to_string();
    let Some(wallet) = call.store.get_mut(family, &id) else {
        return call.plain();
    };
    wallet.data["enabled"] = Value::Bool(false);
    let wallet = wallet.clone();
    Answer::json(200, call.view(family, &wallet))
}

/// `delete_treasury_account`: the page's `412` "Account has wallets
/// associated" while a wallet made through the API under the account is not
/// marked deleted; otherwise the account goes, and its wallets with it. The
/// wallets seeded from the pages' examples do not count, so that the page's
/// own delete example works against a fresh mock (D-M4).
pub(super) fn delete_account(call: &mut Call<'_>) -> Answer {
    let account = call.param("accountId").to_string();
    let Some(wallets) = call.family_of("list_treasury_wallets") else {
        return call.plain();
    };
    let in_use = call.store.items(wallets).iter().any(|wallet| {
        !wallet.seeded
            && wallet.in_scope(std::slice::from_ref(&account))
            && wallet.data.get("enabled") != Some(&Value::Bool(false))
    });
    if in_use {
        return call.documented_where(412, |m| m.contains("wallets"));
    }
    call.plain()
}
