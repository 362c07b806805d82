//! Behaviour: what an operation does beyond its plain role, where a flow of
//! the API needs it. Each behaviour is one function, listed once in
//! [`BEHAVIOURS`] with the operation id it serves; an operation without one
//! is answered by the plain engine (`super::engine`) from the spec alone.
//! This table and the modules beside it are the only places where the mock
//! names an operation of the spec.
//!
//! # Adding a behaviour
//!
//! A behaviour receives a [`Call`]: the checked request, the store, and the
//! engine's plain answer on demand. It runs after the spec's checks (key,
//! parameters, body), after the idempotency key and after the `404`s of the
//! items the path names, so the items it reads are there. It returns an
//! answer; the engine holds that answer to the spec (a `500` naming the
//! problem otherwise) and keeps it for the idempotency key.
//!
//! For example, freezing an individual card: the plain engine merges the
//! body's fields that a card declares into the stored card, but `freeze` is
//! not a field of a card, its `status` is:
//!
//! ```text
//! // src/mock/behaviour/cards.rs
//! pub(super) fn set_frozen(call: &mut Call<'_>) -> Answer {
//!     let status = if call.body()["freeze"] == true { "FROZEN" } else { "ACTIVE" };
//!     call.plain_with(|card| card.data["status"] = status.into())
//! }
//!
//! // src/mock/behaviour/mod.rs, in BEHAVIOURS:
//! ("set_individual_card_frozen", cards::set_frozen),
//! ```
//!
//! and a test in `tests/mock.rs` that freezes a card through the API and
//! reads it back. A rule with a documented error answers it from the spec:
//! `call.documented_where(412, |m| m.contains("balance"))` is the page's
//! `412` whose message says so. State of the behaviour's own that belongs to
//! one item goes in [`Item::hidden`]; state of the whole mock in a field of
//! [`BehaviourState`].

use serde_json::Value;

use super::answer::Answer;
use super::engine::{Engine, Request};
use super::store::{Item, Store};

mod cards;
mod clients;
mod company;
mod fees;
mod individual_cards;
mod lookups;
pub(crate) mod onboarding;
pub(crate) mod ramps;
pub(crate) mod tables;
mod treasury;
mod velocity;
mod wallets;
pub(crate) mod webhooks;

pub use onboarding::{KycError, KycOutcome};

/// A behaviour: the answer to one call of its operation.
pub(crate) type Run = fn(&mut Call<'_>) -> Answer;

/// Every behaviour of the crate's spec, by operation id.
pub(crate) const BEHAVIOURS: &[(&str, Run)] = &[
    ("create_individual_client", clients::create),
    ("update_individual_client", clients::update),
    ("get_supported_countries", lookups::countries),
    ("get_identifications_by_country", lookups::identifications),
    ("request_product_enablement", onboarding::request),
    ("list_client_products", onboarding::list),
    ("complete_product_documentation", onboarding::upload),
    ("submit_product_enablement", onboarding::submit),
    ("create_card", cards::create),
    ("set_card_frozen", cards::set_frozen),
    ("unblock_card", cards::unblock),
    ("set_card_3ds_configuration", cards::set_3ds),
    ("update_card_email", cards::update_email),
    ("update_card_phone", cards::update_phone),
    ("reissue_card", cards::reissue),
    ("rotate_card_deposit_wallet", cards::rotate),
    ("get_card_virtual_balances", cards::balances),
    ("override_card_virtual_balance", cards::override_balance),
    ("add_card_virtual_balance", cards::add),
    ("subtract_card_virtual_balance", cards::subtract),
    ("arm_card_risk_score_fuse", cards::arm),
    ("get_card_risk_score_fuse", cards::get_fuse),
    ("disarm_card_risk_score_fuse", cards::disarm),
    ("create_company", company::create),
    ("subscribe_webhook_url", company::subscribe_url),
    ("subscribe_webhook_key", company::subscribe_key),
    ("delete_treasury_wallet", treasury::delete_wallet),
    ("delete_treasury_account", treasury::delete_account),
    ("create_individual_card", individual_cards::create),
    ("get_individual_card_pan", individual_cards::pan),
    ("search_individual_cards", individual_cards::search),
    ("set_individual_card_pin", individual_cards::set_pin),
    ("set_individual_card_frozen", individual_cards::set_frozen),
    (
        "update_individual_card_limits",
        individual_cards::set_limits,
    ),
    ("get_individual_card_balance", individual_cards::balance),
    (
        "override_individual_card_virtual_balance",
        individual_cards::override_balance,
    ),
    ("add_individual_card_virtual_balance", individual_cards::add),
    (
        "subtract_individual_card_virtual_balance",
        individual_cards::subtract,
    ),
    ("override_virtual_wallet_balance", wallets::override_balance),
    ("update_ramp_transfer", ramps::update),
    ("cancel_bank_ramp_on", ramps::cancel),
    ("replace_velocity_rules", velocity::replace),
    ("withdraw_fees_wallet", fees::withdraw),
    ("simulate_authorize", webhooks::authorize),
    ("simulate_clearing", webhooks::clearing),
    ("simulate_reversal", webhooks::reversal),
    ("simulate_refund", webhooks::refund),
];

/// What the behaviours keep of their own, one per mock.
#[derive(Default)]
pub(crate) struct BehaviourState {
    pub(crate) onboarding: onboarding::State,
    pub(crate) company: company::State,
    pub(crate) ramps: ramps::State,
    pub(crate) webhooks: webhooks::State,
}

/// One call of an operation, as a behaviour sees it.
pub(crate) struct Call<'a> {
    engine: &'a Engine,
    request: &'a Request,
    pub(crate) store: &'a mut Store,
}

impl<'a> Call<'a> {
    pub(crate) fn new(engine: &'a Engine, request: &'a Request, store: &'a mut Store) -> Self {
        Self {
            engine,
            request,
            store,
        }
    }

    /// A path parameter's value.
    pub(crate) fn param(&self, name: &str) -> &str {
        self.request.param(name)
    }

    /// The request's JSON body (`null` when the operation has none).
    pub(crate) fn body(&self) -> &Value {
        &self.request.body
    }

    /// What the plain engine answers.
    pub(crate) fn plain(&mut self) -> Answer {
        self.plain_with(|_| {})
    }

    /// What the plain engine answers, with `edit` applied to the item it
    /// creates or addresses before that item is stored and answered.
    pub(crate) fn plain_with(&mut self, mut edit: impl FnMut(&mut Item)) -> Answer {
        self.engine.plain(self.store, self.request, &mut edit)
    }

    /// The operation's documented answer of `status` (the first example
    /// of it in the spec), with the request's ids and a fresh trace id.
    pub(crate) fn documented(&self, status: u16) -> Answer {
        self.documented_where(status, |_| true)
    }

    /// The operation's documented answer of `status` whose message `fits`.
    ///
    /// # Panics
    /// Never in a tested behaviour: when the spec documents no such answer
    /// the call is a `500` naming what is missing.
    pub(crate) fn documented_where(&self, status: u16, fits: impl Fn(&str) -> bool) -> Answer {
        self.engine
            .documented_where(self.request.op, status, Some(self.request), fits)
            .unwrap_or_else(|| {
                Answer::error(
                    500,
                    "MOCK_UNDOCUMENTED",
                    format!(
                        "{} documents no {status} answer for this behaviour",
                        self.engine.spec.operations[self.request.op].id
                    ),
                )
            })
    }

    /// `error` as this operation answers it (its documented answer where
    /// the spec has one).
    pub(crate) fn error(&self, error: &crate::mock::MockError) -> Answer {
        error.answer_in(self.engine, self.request.op)
    }

    /// The first documented example of the answer `status` of the
    /// operation `operation_id` (a read's example is a static document's
    /// first state).
    pub(crate) fn example_of(&self, operation_id: &str, status: u16) -> Option<Value> {
        let op = self.engine.spec.operation(operation_id)?;
        self.engine.example_of(op, status)
    }

    /// The value of the spec's example `name` (`components/examples`).
    pub(crate) fn component_example(&self, name: &str) -> Option<Value> {
        self.engine.spec.json["components"]["examples"][name]
            .get("value")
            .cloned()
    }

    /// The family of the operation's items.
    pub(crate) fn family(&self) -> Option<usize> {
        self.engine.model.plans[self.request.op].role.family()
    }

    /// The family whose items the operation `operation_id` serves.
    pub(crate) fn family_of(&self, operation_id: &str) -> Option<usize> {
        family_of(self.engine, operation_id)
    }

    /// The item the request's path names (its family's).
    pub(crate) fn item(&self) -> Option<&Item> {
        let f = self.family()?;
        let depth = self.engine.model.families[f].depth;
        let (_, id) = self.request.params.get(depth)?;
        self.store.get(f, id)
    }

    /// The items of the operation's family under the parents the path names.
    pub(crate) fn siblings(&self) -> Vec<&Item> {
        let Some(f) = self.family() else {
            return Vec::new();
        };
        let depth = self.engine.model.families[f].depth;
        let scope: Vec<String> = self.request.params[..depth.min(self.request.params.len())]
            .iter()
            .map(|(_, v)| v.clone())
            .collect();
        self.store
            .items(f)
            .into_iter()
            .filter(|item| item.in_scope(&scope))
            .collect()
    }

    /// The item of family `f` as the API shows it (projected onto the
    /// family's item schema).
    pub(crate) fn view(&self, f: usize, item: &Item) -> Value {
        view(self.engine, f, item)
    }
}

/// The family whose items the operation `operation_id` of the engine's
/// spec serves.
pub(crate) fn family_of(engine: &Engine, operation_id: &str) -> Option<usize> {
    let op = engine.spec.operation(operation_id)?;
    engine.model.plans[op].role.family()
}

/// The item of family `f` as the API shows it.
pub(crate) fn view(engine: &Engine, f: usize, item: &Item) -> Value {
    super::answer::project(
        &engine.spec,
        &item.data,
        &engine.model.families[f].item_schema,
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::BEHAVIOURS;
    use crate::mock::spec::Spec;

    #[test]
    fn every_behaviour_names_an_operation_of_the_spec_once() {
        let spec = Spec::crate_spec();
        let mut seen = BTreeSet::new();
        for (id, _) in BEHAVIOURS {
            assert!(spec.operation(id).is_some(), "no operation {id}");
            assert!(seen.insert(id), "{id} has two behaviours");
        }
    }
}
