//! The velocity rules of Cards' account configuration: Replace velocity
//! rules refuses two rules with the same `time_window_seconds` ("No two rules
//! may share the same value") with its page's `400`
//! `VELOCITY_RULES_DUPLICATE_WINDOW`. More than 5 rules are refused before,
//! by the request schema's `maxItems` (D-C54 in `openapi/DECISIONS.md`).

use std::collections::BTreeSet;

use super::Call;
use crate::mock::answer::Answer;

/// `replace_velocity_rules`: the page's `400` when two rules share a window,
/// else the plain replacement of the stored rules.
pub(super) fn replace(call: &mut Call<'_>) -> Answer {
    let rules = call.body()["rules"].as_array().cloned().unwrap_or_default();
    let mut windows = BTreeSet::new();
    let duplicate = rules
        .iter()
        .any(|rule| !windows.insert(rule["time_window_seconds"].as_i64()));
    if duplicate {
        return call.documented_where(400, |message| message.contains("same time_window_seconds"));
    }
    call.plain()
}
