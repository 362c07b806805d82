//! Virtual wallets (Active Management): the override answers the balance it
//! was sent, and refuses a negative one (D-AM4, D-AM10 in
//! `openapi/DECISIONS.md`).

use super::Call;
use crate::mock::answer::Answer;

/// `override_virtual_wallet_balance`: a negative balance is the page's `412`;
/// otherwise the answer is the new balance, the number as sent (the page:
/// "Returns the updated virtual balance as a number"), not the example's.
pub(super) fn override_balance(call: &mut Call<'_>) -> Answer {
    let balance = call.body()["virtual_balance"].clone();
    if balance.as_f64().is_some_and(|b| b < 0.0) {
        return call.documented(412);
    }
    let plain = call.plain();
    if !plain.is_success() {
        return plain;
    }
    Answer::json(200, balance)
}
