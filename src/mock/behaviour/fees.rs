//! The cards fees wallet: Withdraw fees accepts only a destination of the
//! cards whitelist that is enabled, which is what Get fees wallet whitelisted
//! addresses lists ("Use this list to know which destinations Withdraw fees
//! will accept"); another is the page's `400` `VALIDATION_ERROR`.

use super::Call;
use crate::mock::answer::Answer;

/// `withdraw_fees_wallet`: the page's `400` for a destination the enabled
/// whitelist does not hold, else the plain answer.
pub(super) fn withdraw(call: &mut Call<'_>) -> Answer {
    let destination = call.body()["destination_address"]
        .as_str()
        .unwrap_or_default();
    let enabled = call
        .family_of("get_fees_wallet_whitelisted_addresses")
        .is_some_and(|f| {
            call.store
                .items(f)
                .iter()
                .any(|item| item.data["address"].as_str() == Some(destination))
        });
    if !enabled {
        return call.documented_where(400, |message| message.contains("whitelisted address"));
    }
    call.plain()
}
