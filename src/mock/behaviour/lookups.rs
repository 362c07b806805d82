//! The lookups of the Individual Clients API, answered from the built-in
//! tables (`tables.rs`) rather than from the pages' one-row examples: the
//! onboarding guide's client lives in Argentina, and a country code must
//! answer that country's identification types or the page's `404`
//! (D-M2 in `openapi/DECISIONS.md`).

use super::Call;
use super::tables;
use crate::mock::answer::Answer;

/// `get_supported_countries`: the table's countries.
pub(super) fn countries(_: &mut Call<'_>) -> Answer {
    Answer::json(200, tables::countries())
}

/// `get_identifications_by_country`: the country's identification types,
/// by its alpha-2 or alpha-3 code; the page's `404` for another.
pub(super) fn identifications(call: &mut Call<'_>) -> Answer {
    match tables::identifications(call.param("countryCode")) {
        Some(types) => Answer::json(200, types),
        None => call.documented(404),
    }
}
