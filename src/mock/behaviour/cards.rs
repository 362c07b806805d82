//! Virtual cards (the Cards product): what the pages say a card's operations
//! do to the card beyond the plain engine's merge (D-C10 .. D-C13 in
//! `openapi/DECISIONS.md`): freezing sets its status, the 3D Secure
//! strategy, email and phone land in the card's fields of those names, a
//! reissue gives a new card number, and the virtual balance is kept per card
//! and changed by override, add and subtract (refused when it would go
//! negative); the balances and the deposit wallet rotation apply to top-up
//! cards only; a card's risk score fuse is armed, read and disarmed.

use serde_json::{Value, json};

use super::Call;
use crate::mock::MockError;
use crate::mock::answer::{Answer, Body, now};

/// The approval methods of a top-up card: the pages spell it both ways (D-C4).
const TOP_UP: [&str; 2] = ["TOP_UP", "TOPUP"];

/// Where a card's virtual balance is kept, in cents, so that adding and
/// subtracting amounts of two decimals is exact.
const BALANCE: &str = "virtual_balance_cents";

/// Where a card's risk score fuse is kept: the fuse as answered, or `null`
/// once disarmed.
const FUSE: &str = "risk_score_fuse";

/// The virtual balance of the card the pages' examples name, in cents: Add
/// answers 350.00 after adding 100.00 and Subtract 150.00 after subtracting
/// 100.00, so their card holds 250.00 (D-C12). A card made through the API
/// starts at zero.
const SEEDED_BALANCE_CENTS: i64 = 25_000;

/// `create_card`: the card's email and OTP phone are its `meta` (the get
/// page's example shows them there, D-C10).
pub(super) fn create(call: &mut Call<'_>) -> Answer {
    let body = call.body().clone();
    call.plain_with(|card| {
        card.data["meta"] = json!({
            "email": body.get("email").cloned().unwrap_or(Value::Null),
            "otp_phone_number": {
                "dial_code": body["phone_country_code"],
                "phone_number": body["phone"],
            },
        });
        strip_nulls(&mut card.data["meta"]);
    })
}

/// `set_card_frozen`: `freeze` is not a field of a card; its status is.
pub(super) fn set_frozen(call: &mut Call<'_>) -> Answer {
    let status = if call.body()["freeze"] == true {
        "FROZEN"
    } else {
        "ACTIVE"
    };
    call.plain_with(|card| card.data["status"] = status.into())
}

/// `unblock_card`: a blocked card is active again.
pub(super) fn unblock(call: &mut Call<'_>) -> Answer {
    call.plain_with(|card| {
        if card.text("status") == Some("BLOCKED") {
            card.data["status"] = "ACTIVE".into();
        }
    })
}

/// `set_card_3ds_configuration`: the body's `type` is the card's
/// `forwarded_3ds_type`, not its card `type` (`VIRTUAL`), which the plain
/// merge of a field of that name would overwrite.
pub(super) fn set_3ds(call: &mut Call<'_>) -> Answer {
    let strategy = call.body()["type"].clone();
    let card_type = call.item().and_then(|card| card.data.get("type").cloned());
    call.plain_with(|card| {
        card.data["forwarded_3ds_type"] = strategy.clone();
        match &card_type {
            Some(kept) => card.data["type"] = kept.clone(),
            None => {
                if let Some(map) = card.data.as_object_mut() {
                    map.remove("type");
                }
            }
        }
    })
}

/// `update_card_email`: the new email is the card's `meta.email`.
pub(super) fn update_email(call: &mut Call<'_>) -> Answer {
    let email = call.body()["business_email"].clone();
    call.plain_with(|card| {
        if !email.is_null() {
            card.data["meta"]["email"] = email.clone();
        }
    })
}

/// `update_card_phone`: the new phone is the card's `meta.otp_phone_number`.
pub(super) fn update_phone(call: &mut Call<'_>) -> Answer {
    let body = call.body().clone();
    call.plain_with(|card| {
        for (sent, field) in [
            ("phone_country_code", "dial_code"),
            ("phone", "phone_number"),
        ] {
            if let Some(value) = body.get(sent).filter(|v| !v.is_null()) {
                card.data["meta"]["otp_phone_number"][field] = value.clone();
            }
        }
    })
}

/// `reissue_card`: a new card number, so new last four digits.
pub(super) fn reissue(call: &mut Call<'_>) -> Answer {
    call.plain_with(|card| {
        let last4 = card
            .text("last4")
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0);
        card.data["last4"] = format!("{:04}", (last4 + 1) % 10_000).into();
    })
}

/// `rotate_card_deposit_wallet`: "Only applicable to `TOP_UP` cards"; the
/// others get the page's `412`.
pub(super) fn rotate(call: &mut Call<'_>) -> Answer {
    if !is_top_up(call) {
        return call.documented(412);
    }
    call.plain()
}

/// `get_card_virtual_balances`: a card that is not a top-up card has none
/// (the page's `400`).
pub(super) fn balances(call: &mut Call<'_>) -> Answer {
    if !is_top_up(call) {
        return call.documented(400);
    }
    call.plain()
}

/// `override_card_virtual_balance`: the balance becomes the body's amount.
pub(super) fn override_balance(call: &mut Call<'_>) -> Answer {
    let cents = cents(&call.body()["virtual_balance"]);
    set_balance(call, cents)
}

/// `add_card_virtual_balance`: the balance grows by the body's amount.
pub(super) fn add(call: &mut Call<'_>) -> Answer {
    let cents = balance(call) + cents(&call.body()["amount"]);
    set_balance(call, cents)
}

/// `subtract_card_virtual_balance`: the balance shrinks by the body's
/// amount; a card that holds less gets the page's `412 Insufficient Funds`.
pub(super) fn subtract(call: &mut Call<'_>) -> Answer {
    let cents = balance(call) - cents(&call.body()["amount"]);
    if cents < 0 {
        return call.documented_where(412, |m| m.contains("insufficient"));
    }
    set_balance(call, cents)
}

/// `arm_card_risk_score_fuse`: the page's fuse, armed now through the API
/// for this card, with the body's reason.
pub(super) fn arm(call: &mut Call<'_>) -> Answer {
    let reason = call.body().get("reason").cloned();
    let card_id = call.param("cardId").to_string();
    let mut answer = call.plain();
    if let Body::Json(fuse) = &mut answer.body
        && answer.status == 200
    {
        fuse["card_id"] = card_id.into();
        fuse["activated_at"] = now().into();
        fuse["channel"] = "API".into();
        match &reason {
            Some(reason) if !reason.is_null() => fuse["reason"] = reason.clone(),
            _ => {
                if let Some(map) = fuse.as_object_mut() {
                    map.remove("reason");
                }
            }
        }
        let kept = fuse.clone();
        call.plain_with(|card| {
            card.hidden.insert(FUSE.into(), kept.clone());
        });
    }
    answer
}

/// `get_card_risk_score_fuse`: the armed fuse, or a `404` when none is
/// ("Returns `404` if no fuse is armed."). The card the pages' examples name
/// has the page's fuse until it is disarmed (D-M4).
pub(super) fn get_fuse(call: &mut Call<'_>) -> Answer {
    let (kept, seeded) = call.item().map_or((None, false), |card| {
        (card.hidden.get(FUSE).cloned(), card.seeded)
    });
    match kept {
        Some(fuse) if fuse.is_object() => Answer::json(200, fuse),
        None if seeded => call.plain(),
        _ => call.error(&MockError::NotFound),
    }
}

/// `disarm_card_risk_score_fuse`: no fuse any more; succeeds whether or not
/// one was armed.
pub(super) fn disarm(call: &mut Call<'_>) -> Answer {
    call.plain_with(|card| {
        card.hidden.insert(FUSE.into(), Value::Null);
    })
}

/// Whether the card the path names is a top-up card.
fn is_top_up(call: &Call<'_>) -> bool {
    call.item()
        .and_then(|card| card.text("approval_method"))
        .is_some_and(|method| TOP_UP.contains(&method))
}

/// The virtual balance of the card the path names, in cents.
fn balance(call: &Call<'_>) -> i64 {
    call.item().map_or(0, |card| {
        card.hidden
            .get(BALANCE)
            .and_then(Value::as_i64)
            .unwrap_or(if card.seeded { SEEDED_BALANCE_CENTS } else { 0 })
    })
}

/// Keeps `cents` as the card's balance and answers it as the pages do: a
/// bare JSON number of dollars.
fn set_balance(call: &mut Call<'_>, cents: i64) -> Answer {
    let answer = call.plain_with(|card| {
        card.hidden.insert(BALANCE.into(), json!(cents));
    });
    if !answer.is_success() {
        return answer;
    }
    // Balances are far below 2^53 cents, so the conversion is exact.
    let dollars = cents as f64 / 100.0;
    Answer::json(answer.status, dollars)
}

/// An amount of the body in cents (the pages allow two decimals; the schema
/// has already checked it is a number).
fn cents(amount: &Value) -> i64 {
    // A value past i64 saturates; the vendor's amounts are far below it.
    (amount.as_f64().unwrap_or(0.0) * 100.0).round() as i64
}

/// Removes the `null` fields of an object, recursively, so that a field the
/// request left out is absent rather than `null`.
fn strip_nulls(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.retain(|_, v| !v.is_null());
        for v in map.values_mut() {
            strip_nulls(v);
            if v.as_object().is_some_and(serde_json::Map::is_empty) {
                *v = Value::Null;
            }
        }
        map.retain(|_, v| !v.is_null());
    }
}
