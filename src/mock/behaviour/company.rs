//! The company (D-M9 in `openapi/DECISIONS.md`): subscribing a webhook
//! changes the company Get company shows, a webhook key shorter than ten
//! characters is Subscribe webhook key's documented `412`, and creating a
//! second company with an email already used is Create company's `412`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Call;
use crate::mock::answer::Answer;

/// The path of the current company (Get, Update company), whose document
/// the engine keeps for `GET` and `PUT`.
pub(super) const COMPANY: &str = "/management/companies";

/// The shortest webhook key the vendor accepts (Subscribe webhook key's
/// `412`: "Webhook key must be at least 10 characters long").
const MIN_WEBHOOK_KEY: usize = 10;

/// What the company behaviours keep: the emails of the companies created
/// through the API.
#[derive(Default)]
pub(crate) struct State {
    emails: BTreeSet<String>,
}

/// `create_company`: refused with the page's `412` when a company created
/// through the API has the email already. The pages' example company is
/// not counted: Create company's own example uses its email (D-M4).
pub(super) fn create(call: &mut Call<'_>) -> Answer {
    let email = call.body()["email"]
        .as_str()
        .map(|e| e.trim().to_ascii_lowercase());
    if let Some(email) = email {
        if call.store.behaviour.company.emails.contains(&email) {
            // The vendor's message quotes the email the request sent.
            return Answer::error(412, "VAL", format!("Company {email} already exists."));
        }
        let answer = call.plain();
        if answer.is_success() {
            call.store.behaviour.company.emails.insert(email);
        }
        return answer;
    }
    call.plain()
}

/// `subscribe_webhook_url`: the company's webhook URL and key become the
/// request's.
pub(super) fn subscribe_url(call: &mut Call<'_>) -> Answer {
    let (url, key) = (
        call.body()["url"].clone(),
        call.body()["webhook_key"].clone(),
    );
    update(call, |company| {
        company["webhook_url"] = url;
        company["webhook_key"] = key;
    })
}

/// `subscribe_webhook_key`: a key shorter than ten characters is the page's
/// `412`; otherwise it becomes the company's webhook key.
pub(super) fn subscribe_key(call: &mut Call<'_>) -> Answer {
    let key = call.body()["key"].clone();
    if key.as_str().unwrap_or_default().chars().count() < MIN_WEBHOOK_KEY {
        return call.documented_where(412, |m| m.contains("at least"));
    }
    update(call, |company| company["webhook_key"] = key)
}

/// Changes the current company as `edit` says and answers it.
fn update(call: &mut Call<'_>, edit: impl FnOnce(&mut Value)) -> Answer {
    let mut company = call
        .store
        .documents
        .get(COMPANY)
        .cloned()
        .or_else(|| call.example_of("get_company", 200))
        .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    edit(&mut company);
    call.store
        .documents
        .insert(COMPANY.to_string(), company.clone());
    Answer::json(200, company)
}
