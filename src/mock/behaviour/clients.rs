//! Individual clients: a client with the email of another is a duplicate
//! (D-M1 in `openapi/DECISIONS.md`), and a client's status is the mock's
//! control ([`MockServer::set_client_status`]).

use serde_json::{Value, json};

use super::{Call, onboarding};
use crate::mock::answer::Answer;
use crate::mock::{MockError, MockServer, ResourceError};
use crate::{IndividualClientStatus, types};

/// `create_individual_client`: refused when another client has its email.
pub(super) fn create(call: &mut Call<'_>) -> Answer {
    if duplicate(call, None) {
        return call.error(&MockError::DuplicateClient);
    }
    call.plain()
}

/// `update_individual_client`: refused when another client has the new
/// email; the client's product requests then see its new data.
pub(super) fn update(call: &mut Call<'_>) -> Answer {
    let id = call.param("id").to_string();
    if duplicate(call, Some(&id)) {
        return call.error(&MockError::DuplicateClient);
    }
    let answer = call.plain();
    onboarding::refresh(call, &id);
    answer
}

/// The email of a client body, as compared for duplicates: trimmed, ASCII
/// case ignored.
fn email_key(data: &Value) -> String {
    data.get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a client other than `except`, made through the API, has the
/// request's email. The clients seeded from the pages' examples do not
/// count: the pages' own create example uses the same email as their get
/// example, and it must work against a fresh mock (D-M4).
fn duplicate(call: &Call<'_>, except: Option<&str>) -> bool {
    let key = email_key(call.body());
    call.siblings()
        .iter()
        .any(|c| !c.seeded && Some(c.id.as_str()) != except && email_key(&c.data) == key)
}

impl MockServer {
    /// Sets the `status` of the individual client `client_id` (the vendor's
    /// account status: `pending`, `active`, `rejected`, or a value of its
    /// own), as the vendor's review would, and returns the client as the API
    /// now shows it. A client starts `pending` and nothing in the API
    /// changes that, so a test that needs an `active` or `rejected` client
    /// sets it here.
    pub fn set_client_status(
        &self,
        client_id: &str,
        status: IndividualClientStatus,
    ) -> Result<types::IndividualClient, ResourceError> {
        let path = format!("/management/clients/individuals/{client_id}");
        let shown = self.update_resource(&path, json!({ "status": status }))?;
        serde_json::from_value(shown).map_err(|e| ResourceError::Invalid {
            path,
            problems: vec![e.to_string()],
        })
    }
}
