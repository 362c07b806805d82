//! Individual cards: the rules their pages give (D-IC9 to D-IC11 in
//! `openapi/DECISIONS.md`). A client holds at most 5 cards that are not
//! cancelled; freezing sets a card's status; new limits replace all three
//! (`null` removes one); and a card keeps a virtual balance that
//! override, add and subtract move, which Get balance reads. The card search
//! matches its text search against the field it names, and a PIN is 4 to 12
//! digits.

use serde_json::{Value, json};

use super::Call;
use crate::mock::MockError;
use crate::mock::answer::{Answer, Body};
use crate::mock::engine::Request;
use crate::mock::store::Item;

/// The most cards a client may hold that are not cancelled (the create
/// page and the Individual cards guide).
const CARDS_PER_CLIENT: usize = 5;

/// The status of a cancelled card, the only one that frees a slot.
const CANCELLED: &str = "DELETED";

/// The limits Update individual card limits sets, all at once.
const LIMITS: [&str; 3] = ["daily_limit", "weekly_limit", "monthly_limit"];

/// Where a card keeps its virtual balance, in USD: no answer shows it but
/// Get balance's and the balance operations'.
const BALANCE: &str = "virtual_balance";

/// `create_individual_card`: refused with the page's `412` when the client
/// already holds 5 cards made through the API that are not cancelled (the
/// cards seeded from the pages' examples do not count, D-M4).
pub(super) fn create(call: &mut Call<'_>) -> Answer {
    let client = call.body()["client_id"].as_str().unwrap_or_default();
    let held = call
        .siblings()
        .iter()
        .filter(|card| {
            !card.seeded
                && card.text("client_id") == Some(client)
                && card.text("status") != Some(CANCELLED)
        })
        .count();
    if held >= CARDS_PER_CLIENT {
        return call.documented_where(412, |message| message.contains("maximum of 5 cards"));
    }
    call.plain()
}

/// `search_individual_cards`: the text search, `search_text` matched against
/// the field `search_type` names (`LAST4`: `last4`, `CLIENT_ID`:
/// `client_id`), as the engine filters on a field named in the query; an
/// unknown search type, or a search without text, filters nothing.
pub(super) fn search(call: &mut Call<'_>) -> Answer {
    let query = &call.request.query;
    let value = |name: &str| {
        query
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let field = match value("search_type").as_deref() {
        Some("LAST4") => "last4",
        Some("CLIENT_ID") => "client_id",
        _ => return call.plain(),
    };
    let Some(text) = value("search_text") else {
        return call.plain();
    };
    let request = Request {
        op: call.request.op,
        path: call.request.path.clone(),
        params: call.request.params.clone(),
        query: query
            .iter()
            .filter(|(n, _)| n != "search_type" && n != "search_text")
            .cloned()
            .chain([(field.to_string(), text)])
            .collect(),
        headers: call.request.headers.clone(),
        body: call.request.body.clone(),
    };
    call.engine.plain(call.store, &request, &mut |_| {})
}

/// `get_individual_card_pan`: the page's example number, ending in the
/// card's `last4` so that the two agree, and its CVC, sent with
/// `Cache-Control: no-store` as the page says.
pub(super) fn pan(call: &mut Call<'_>) -> Answer {
    let last4 = call
        .item()
        .and_then(|card| card.text("last4"))
        .map(str::to_string);
    let mut answer = call.documented(200);
    if let (Body::Json(body), Some(last4)) = (&mut answer.body, last4)
        && let Some(pan) = body["pan"].as_str()
        && pan.len() > last4.len()
        && last4.chars().all(|c| c.is_ascii_digit())
    {
        body["pan"] = json!(format!("{}{last4}", &pan[..pan.len() - last4.len()]));
    }
    answer.header("cache-control", "no-store".to_string())
}

/// `set_individual_card_pin`: a PIN that is not 4 to 12 digits is the
/// page's `400`; a valid one is not kept (no answer shows it).
pub(super) fn set_pin(call: &mut Call<'_>) -> Answer {
    let pin = call.body()["pin"].as_str().unwrap_or_default();
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return call.documented_where(400, |message| message.contains("PIN"));
    }
    call.plain()
}

/// `set_individual_card_frozen`: `freeze` is not a card field, its status
/// is; a body without `freeze` changes nothing.
pub(super) fn set_frozen(call: &mut Call<'_>) -> Answer {
    let status = match call.body().get("freeze").and_then(Value::as_bool) {
        Some(true) => Some("FROZEN"),
        Some(false) => Some("ACTIVE"),
        None => None,
    };
    call.plain_with(|card| {
        if let Some(status) = status {
            card.data["status"] = status.into();
        }
    })
}

/// `update_individual_card_limits`: the three limits are the body's, a
/// `null` or (as the page says, though the spec requires all three, D-IC7)
/// a limit left out removing it.
pub(super) fn set_limits(call: &mut Call<'_>) -> Answer {
    let body = call.body().clone();
    call.plain_with(|card| {
        for limit in LIMITS {
            card.data[limit] = body.get(limit).cloned().unwrap_or(Value::Null);
        }
    })
}

/// `get_individual_card_balance`: the card's virtual balance.
pub(super) fn balance(call: &mut Call<'_>) -> Answer {
    let balance = current(call);
    Answer::json(200, json!({ "available_credit": balance }))
}

/// `override_individual_card_virtual_balance`: the balance is the body's.
pub(super) fn override_balance(call: &mut Call<'_>) -> Answer {
    let balance = call.body()["virtual_balance"].as_f64().unwrap_or_default();
    store(call, balance)
}

/// `add_individual_card_virtual_balance`: the balance grows by the amount
/// (once per idempotency key: the engine replays a repeated key).
pub(super) fn add(call: &mut Call<'_>) -> Answer {
    let balance = current(call) + call.body()["amount"].as_f64().unwrap_or_default();
    store(call, balance)
}

/// `subtract_individual_card_virtual_balance`: the balance shrinks by the
/// amount, and a card without enough is the page's `412` "insufficient
/// funds", its balance unchanged.
pub(super) fn subtract(call: &mut Call<'_>) -> Answer {
    let balance = current(call) - call.body()["amount"].as_f64().unwrap_or_default();
    if cents(balance) < 0.0 {
        return call.documented_where(412, |message| message.contains("insufficient funds"));
    }
    store(call, balance)
}

/// The virtual balance of the card the path names: what the balance
/// operations left, else 0 for a card made through the API and the Get
/// balance page's example for a card seeded from the pages (D-IC11), so that
/// each page's example works against a fresh mock.
fn current(call: &Call<'_>) -> f64 {
    let Some(card) = call.item() else {
        return 0.0;
    };
    match card.hidden.get(BALANCE).and_then(Value::as_f64) {
        Some(balance) => balance,
        None if card.seeded => documented_balance(call),
        None => 0.0,
    }
}

/// The `available_credit` of the Get balance page's example.
fn documented_balance(call: &Call<'_>) -> f64 {
    let engine = call.engine;
    let answer = engine
        .spec
        .operation("get_individual_card_balance")
        .and_then(|op| engine.documented_where(op, 200, None, |_| true));
    match answer {
        Some(Answer {
            body: Body::Json(body),
            ..
        }) => body["available_credit"].as_f64().unwrap_or_default(),
        _ => 0.0,
    }
}

/// Keeps `balance` (in whole cents) on the card the path names, and answers
/// it as the page does: a bare JSON number.
fn store(call: &mut Call<'_>, balance: f64) -> Answer {
    if !balance.is_finite() {
        // A sum past the largest f64 (about 1.8e308): refused rather than
        // answered as a JSON `null`, which the spec's number does not allow.
        return MockError::InvalidRequest(
            "The card's virtual balance would be beyond what the mock can hold".into(),
        )
        .answer();
    }
    let balance = cents(balance);
    let (Some(family), Some(id)) = (call.family(), call.item().map(|card| card.id.clone())) else {
        // The engine answered 404 for a card it does not hold before this.
        return call.plain();
    };
    if let Some(card) = call.store.get_mut(family, &id) {
        set_balance(card, balance);
    }
    Answer::json(200, json!(balance))
}

fn set_balance(card: &mut Item, balance: f64) {
    card.hidden.insert(BALANCE.into(), json!(balance));
}

/// An amount in USD rounded to the cent, as the pages' amounts are.
fn cents(amount: f64) -> f64 {
    // Beyond 2^53 an f64 has no cents to round, and scaling a huge amount
    // would overflow to infinity (which JSON cannot write).
    let scaled = amount * 100.0;
    if scaled.is_finite() {
        scaled.round() / 100.0
    } else {
        amount
    }
}
