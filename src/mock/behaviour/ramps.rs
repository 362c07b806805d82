//! Ramp transfers (Active Management): a transfer changes only while it is
//! `PENDING`; an update sets its amount, a cancel makes it `CANCELLED`
//! (D-AM10 in `openapi/DECISIONS.md`). The pages create no transfer the mock
//! could store (a bank ramp-on answers a `rampon_` id, not a transfer's), so
//! the transfers are the pages' example, kept in the behaviour's state from
//! the first call that names it.

use std::collections::HashMap;

use serde_json::Value;

use super::Call;
use crate::mock::answer::{Answer, Body};

/// The ramp transfers the mock holds, by id.
#[derive(Default)]
pub(crate) struct State {
    transfers: HashMap<String, Value>,
}

const PENDING: &str = "PENDING";

/// The transfer the call names, from the state, else from the operation's
/// documented answer when that is the transfer named (as it starts:
/// `PENDING`). `None` when the mock holds no such transfer.
fn transfer(call: &mut Call<'_>) -> Option<Value> {
    let id = call.param("id").to_string();
    if let Some(known) = call.store.behaviour.ramps.transfers.get(&id) {
        return Some(known.clone());
    }
    let Body::Json(mut example) = call.plain().body else {
        return None;
    };
    if example["id"].as_str() != Some(id.as_str()) {
        return None;
    }
    example["status"] = PENDING.into();
    Some(example)
}

/// Applies `change` to the transfer the call names when it is `PENDING`:
/// the page's `404` for an unknown one, its `400` for one in another state.
fn change_pending(call: &mut Call<'_>, change: impl FnOnce(&mut Value, &Value)) -> Answer {
    let Some(mut transfer) = transfer(call) else {
        return call.documented(404);
    };
    if transfer["status"] != PENDING {
        return call.documented(400);
    }
    change(&mut transfer, call.body());
    let id = call.param("id").to_string();
    call.store
        .behaviour
        .ramps
        .transfers
        .insert(id, transfer.clone());
    Answer::json(200, transfer)
}

/// `update_ramp_transfer`: a pending transfer takes the body's amount.
pub(super) fn update(call: &mut Call<'_>) -> Answer {
    change_pending(call, |transfer, body| {
        if let Some(amount) = body.get("amount").filter(|a| a.is_number()) {
            transfer["origin_amount"] = amount.clone();
        }
    })
}

/// `cancel_bank_ramp_on`: a pending transfer becomes `CANCELLED`.
pub(super) fn cancel(call: &mut Call<'_>) -> Answer {
    change_pending(call, |transfer, _| transfer["status"] = "CANCELLED".into())
}
