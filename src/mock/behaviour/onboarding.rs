//! The onboarding flow of the Individual Clients API: a product enablement
//! request starts `pending_documentation` with the requirements its client
//! does not meet; documents are uploaded one per call and judged at once
//! (D-M3 in `openapi/DECISIONS.md`); submit moves it to `in_kyc` when
//! nothing is missing; the KYC review's verdict is the mock's control
//! ([`MockServer::finish_kyc`]).
//!
//! A request keeps, hidden from answers, the requirements it was made with
//! and the types of the documents accepted (never an image or a metadata
//! value). Its `missing_requirements` are recomputed whenever its client or
//! its documents change, so that the plain engine's list shows them.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::tables::{self, SUBPRODUCTS};
use super::{Call, family_of, view};
use crate::mock::MockServer;
use crate::mock::answer::{Answer, UPDATED_AT, now};
use crate::mock::store::{Item, Store};
use crate::types::{self, MissingRequirements};

const PENDING: &str = "pending_documentation";
const IN_KYC: &str = "in_kyc";
/// Hidden fields of a request: its requirements, its accepted documents.
const REQUIREMENTS: &str = "requirements";
const DOCUMENTS: &str = "documents";

/// What each product requires: the mock's catalogue, one per mock.
pub(crate) struct State {
    catalogue: HashMap<String, MissingRequirements>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            catalogue: SUBPRODUCTS
                .iter()
                .map(|product| (product.to_string(), tables::guide_requirements()))
                .collect(),
        }
    }
}

/// What the KYC review decides for a request in `in_kyc`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KycOutcome {
    /// The product is enabled for the client.
    Enabled,
    /// The request is rejected, with the motive shown as
    /// `rejection_description` and an optional `rejection_code`.
    Rejected {
        /// The `rejection_code`, when the test wants one.
        code: Option<String>,
        /// The `rejection_description`.
        description: String,
    },
}

/// Why [`MockServer::finish_kyc`] could not apply an outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KycError {
    /// No request of the mock has this id.
    #[error("the mock has no product enablement request {0}")]
    UnknownRequest(String),
    /// The request is not under KYC review: it was not submitted yet, or its
    /// review is already over.
    #[error("the product enablement request {id} is {status}, not in_kyc: submit it first")]
    NotInKyc {
        /// The request.
        id: String,
        /// Its status.
        status: String,
    },
}

/// `request_product_enablement`: a known product not already active for
/// the client makes a pending request with what the client lacks.
pub(super) fn request(call: &mut Call<'_>) -> Answer {
    let product = call.body()["subproduct"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(requirements) = call.store.behaviour.onboarding.catalogue.get(&product) else {
        return call.documented(412);
    };
    let requirements = requirements.clone();
    // A rejected request is history; any other state is still active. The
    // requests seeded from the pages never block the pages' own example
    // (D-M4).
    let active = call.siblings().iter().any(|r| {
        !r.seeded
            && r.text("product") == Some(product.as_str())
            && r.text("status") != Some("rejected")
    });
    if active {
        return call.documented(409);
    }
    let client = client_data(
        call.store,
        call.family_of("get_individual_client"),
        call.param("clientId"),
    );
    let missing = missing(&requirements, &client, &BTreeSet::new());
    call.plain_with(|request| {
        request.data["product"] = json!(product);
        request.data["status"] = json!(PENDING);
        request.data["missing_requirements"] = shown(&missing);
        if let Some(data) = request.data.as_object_mut() {
            data.remove("rejection_code");
            data.remove("rejection_description");
        }
        request
            .hidden
            .insert(REQUIREMENTS.into(), json!(requirements));
        request.hidden.insert(DOCUMENTS.into(), json!([]));
    })
}

/// `list_client_products`: the plain list, newest first as the page says.
pub(super) fn list(call: &mut Call<'_>) -> Answer {
    let mut answer = call.plain();
    if let crate::mock::answer::Body::Json(Value::Array(items)) = &mut answer.body {
        items.reverse();
    }
    answer
}

/// `complete_product_documentation`: one document, accepted or rejected
/// with its reasons; the request's missing requirements follow.
pub(super) fn upload(call: &mut Call<'_>) -> Answer {
    let Some(request) = call.item().cloned() else {
        return call.documented(404);
    };
    if request.text("status") != Some(PENDING) {
        return call.documented(409);
    }
    let requirements = requirements_of(call.store, &request);
    let mut accepted = documents_of(&request);
    let document = call.body()["document"].clone();
    let ty = document["document_type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let reasons = judge(&requirements, &accepted, &document);
    if reasons.is_empty() {
        accepted.insert(ty.clone());
        if let Some(f) = call.family()
            && let Some(stored) = call.store.get_mut(f, &request.id)
        {
            stored.hidden.insert(DOCUMENTS.into(), json!(accepted));
            stored.data[UPDATED_AT] = json!(now());
        }
    }
    let rejected: Vec<Value> = reasons
        .into_iter()
        .map(|reason| json!({"type": "document", "key": ty, "reason": reason}))
        .collect();
    result(call, &request.id, rejected)
}

/// Why `document` is not accepted for a request with `requirements` that
/// has `accepted` documents already: each reason names the field and the
/// rule, never a value.
fn judge(
    requirements: &MissingRequirements,
    accepted: &BTreeSet<String>,
    document: &Value,
) -> Vec<String> {
    let ty = document["document_type"].as_str().unwrap_or_default();
    let valid_documents = || {
        requirements
            .documents
            .iter()
            .flat_map(|r| &r.valid_documents)
    };
    let Some(valid) = valid_documents().find(|d| d.id.as_deref() == Some(ty)) else {
        let known: Vec<&str> = valid_documents().filter_map(|d| d.id.as_deref()).collect();
        return vec![format!(
            "{ty:?} is not a document type this request asks for (it asks for: {})",
            known.join(", ")
        )];
    };
    let mut reasons = Vec::new();
    if accepted.contains(ty) && document["replace"] != json!(true) {
        reasons.push(format!(
            "a {ty} was already accepted; send \"replace\": true to replace it"
        ));
    }
    for (field, needed) in [
        ("image_front", valid.require_image != Some(false)),
        ("image_back", valid.require_back_image == Some(true)),
    ] {
        match document[field].as_str() {
            Some(image) => reasons.extend(tables::image_problem(field, image)),
            None if needed => reasons.push(format!("{field} is required for {ty}")),
            None => {}
        }
    }
    for field in &valid.metadata {
        let Some(key) = field.id.as_deref() else {
            continue;
        };
        let given = document["metadata"][key]
            .as_str()
            .is_some_and(|v| !v.trim().is_empty());
        if field.required != Some(false) && !given {
            reasons.push(format!("metadata {key} is required for {ty}"));
        }
    }
    reasons
}

/// `submit_product_enablement`: to `in_kyc` when nothing required is
/// missing; otherwise the request as it is, with what is missing.
pub(super) fn submit(call: &mut Call<'_>) -> Answer {
    let Some(request) = call.item().cloned() else {
        return call.documented(404);
    };
    if request.text("status") != Some(PENDING) {
        return call.documented(409);
    }
    let client = client_data(
        call.store,
        call.family_of("get_individual_client"),
        call.param("clientId"),
    );
    let missing = missing(
        &requirements_of(call.store, &request),
        &client,
        &documents_of(&request),
    );
    let blocking = missing.data.iter().any(|r| r.required != Some(false))
        || missing.documents.iter().any(|r| r.required != Some(false));
    if !blocking
        && let Some(f) = call.family()
        && let Some(stored) = call.store.get_mut(f, &request.id)
    {
        stored.data["status"] = json!(IN_KYC);
        stored.data["missing_requirements"] = shown(&MissingRequirements::default());
        stored.data[UPDATED_AT] = json!(now());
    }
    // What is still missing is in the request's missing_requirements, as
    // the page shows; nothing was evaluated and rejected.
    result(call, &request.id, Vec::new())
}

/// The answer of an upload or a submission: the request after it, and the
/// items rejected on the way.
fn result(call: &mut Call<'_>, id: &str, rejected: Vec<Value>) -> Answer {
    let client_id = call.param("clientId").to_string();
    refresh(call, &client_id);
    let Some(f) = call.family() else {
        return call.documented(404);
    };
    let product = match call.store.get(f, id) {
        Some(request) => call.view(f, request),
        None => return call.documented(404),
    };
    Answer::json(200, json!({"product": product, "rejected_items": rejected}))
}

/// Recomputes the missing requirements of the client's pending requests
/// from its current data and their accepted documents.
pub(super) fn refresh(call: &mut Call<'_>, client_id: &str) {
    let clients = call.family_of("get_individual_client");
    let Some(products) = call.family_of("list_client_products") else {
        return;
    };
    refresh_requests(call.store, clients, products, client_id);
}

fn refresh_requests(store: &mut Store, clients: Option<usize>, products: usize, client_id: &str) {
    let client = client_data(store, clients, client_id);
    let ids: Vec<String> = store
        .items(products)
        .into_iter()
        .filter(|r| r.scope.first().cloned().flatten().as_deref() == Some(client_id))
        .filter(|r| r.text("status") == Some(PENDING))
        .map(|r| r.id.clone())
        .collect();
    for id in ids {
        let Some(request) = store.get(products, &id).cloned() else {
            continue;
        };
        let missing = missing(
            &requirements_of(store, &request),
            &client,
            &documents_of(&request),
        );
        if let Some(stored) = store.get_mut(products, &id) {
            stored.data["missing_requirements"] = shown(&missing);
        }
    }
}

/// The stored data of the client `id` (`null` when there is none).
fn client_data(store: &Store, clients: Option<usize>, id: &str) -> Value {
    clients
        .and_then(|f| store.get(f, id))
        .map_or(Value::Null, |client| client.data.clone())
}

/// The requirements a request was made with; for a request seeded from
/// the pages, its product's requirements in the catalogue now.
fn requirements_of(store: &Store, request: &Item) -> MissingRequirements {
    request
        .hidden
        .get(REQUIREMENTS)
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .or_else(|| {
            let product = request.text("product")?;
            store.behaviour.onboarding.catalogue.get(product).cloned()
        })
        .unwrap_or_else(tables::guide_requirements)
}

/// The types of the documents accepted for a request.
fn documents_of(request: &Item) -> BTreeSet<String> {
    request
        .hidden
        .get(DOCUMENTS)
        .and_then(|d| serde_json::from_value(d.clone()).ok())
        .unwrap_or_default()
}

/// Whether the client has the field a data requirement names: `phone` is
/// the country code and number together; any other key is a field of the
/// client's body (`address.city` reaches into the address).
fn client_has(client: &Value, key: &str) -> bool {
    let present = |pointer: &str| {
        client
            .pointer(pointer)
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
    };
    match key {
        "phone" => present("/phone_country_code") && present("/phone_number"),
        key => present(&format!("/{}", key.replace('.', "/"))),
    }
}

/// Missing requirements as the API shows them: both lists, even empty (the
/// crate's type leaves an empty list out when it serializes).
fn shown(missing: &MissingRequirements) -> Value {
    json!({"documents": missing.documents, "data": missing.data})
}

/// The requirements not yet met by the client and the accepted documents.
fn missing(
    requirements: &MissingRequirements,
    client: &Value,
    documents: &BTreeSet<String>,
) -> MissingRequirements {
    let data = requirements
        .data
        .iter()
        .filter(|requirement| {
            requirement.fields.iter().any(|field| {
                field.required != Some(false)
                    && !client_has(client, field.key.as_deref().unwrap_or_default())
            })
        })
        .cloned()
        .collect();
    let documents = requirements
        .documents
        .iter()
        .filter(|requirement| {
            !requirement.valid_documents.iter().any(|document| {
                document
                    .id
                    .as_deref()
                    .is_some_and(|id| documents.contains(id))
            })
        })
        .cloned()
        .collect();
    MissingRequirements { data, documents }
}

impl MockServer {
    /// Sets what requesting `product` (a subproduct, such as
    /// `"cards_individuals"`, or a new one the mock should accept) requires
    /// from now on; requests already made keep theirs. A data field's `key`
    /// names a field of the client's body (`second_name`, `address.city`),
    /// or `phone` for the phone country code and number together.
    pub fn set_requirements(&self, product: &str, requirements: MissingRequirements) {
        self.with_store(|_, store| {
            store
                .behaviour
                .onboarding
                .catalogue
                .insert(product.to_string(), requirements);
        });
    }

    /// Plays the KYC review's outcome for the product enablement request
    /// `request_id`, which must be `in_kyc` (submitted with nothing
    /// missing). Returns the request as the API now shows it.
    pub fn finish_kyc(
        &self,
        request_id: &str,
        outcome: KycOutcome,
    ) -> Result<types::ProductRequest, KycError> {
        let unknown = || KycError::UnknownRequest(request_id.to_string());
        self.with_store(|engine, store| {
            let f = family_of(engine, "list_client_products").ok_or_else(unknown)?;
            let request = store.get_mut(f, request_id).ok_or_else(unknown)?;
            let status = request.text("status").unwrap_or_default().to_string();
            if status != IN_KYC {
                return Err(KycError::NotInKyc {
                    id: request_id.to_string(),
                    status,
                });
            }
            match outcome {
                KycOutcome::Enabled => request.data["status"] = json!("enabled"),
                KycOutcome::Rejected { code, description } => {
                    request.data["status"] = json!("rejected");
                    if let Some(code) = code {
                        request.data["rejection_code"] = json!(code);
                    }
                    request.data["rejection_description"] = json!(description);
                }
            }
            request.data[UPDATED_AT] = json!(now());
            serde_json::from_value(view(engine, f, request)).map_err(|_| unknown())
        })
    }

    /// Every individual client the mock holds, in creation order, as the API
    /// shows them (those seeded from the pages' examples first).
    pub fn clients(&self) -> Vec<types::IndividualClient> {
        self.shown("get_individual_client", None)
    }

    /// The product enablement requests of the client `client_id`, newest
    /// first, as the API shows them (none for an unknown client).
    pub fn product_requests(&self, client_id: &str) -> Vec<types::ProductRequest> {
        let mut requests: Vec<types::ProductRequest> =
            self.shown("list_client_products", Some(client_id));
        requests.reverse();
        requests
    }

    /// How many individual clients and product enablement requests the
    /// mock holds (the pages' examples included; see
    /// [`MockServer::builder`] for a mock without them).
    pub fn store_sizes(&self) -> (usize, usize) {
        self.with_store(|engine, store| {
            let count = |op| family_of(engine, op).map_or(0, |f| store.len(f));
            (
                count("get_individual_client"),
                count("list_client_products"),
            )
        })
    }

    /// The items of the family `operation_id` serves (under the parent
    /// `parent`, when given), in creation order, decoded as `T`.
    fn shown<T: serde::de::DeserializeOwned>(
        &self,
        operation_id: &str,
        parent: Option<&str>,
    ) -> Vec<T> {
        self.with_store(|engine, store| {
            let Some(f) = family_of(engine, operation_id) else {
                return Vec::new();
            };
            store
                .items(f)
                .into_iter()
                .filter(|item| parent.is_none_or(|p| item.in_scope(&[p.to_string()])))
                .filter_map(|item| serde_json::from_value(view(engine, f, item)).ok())
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::{missing, tables};

    #[test]
    fn the_guide_requires_the_phone_and_a_passport() {
        let requirements = tables::guide_requirements();
        let none = missing(&requirements, &json!({}), &BTreeSet::new());
        assert_eq!((none.data.len(), none.documents.len()), (1, 1));
        let phone = json!({"phone_country_code": 54, "phone_number": 1_168_860_622_i64});
        let passport = BTreeSet::from(["passport".to_string()]);
        let met = missing(&requirements, &phone, &passport);
        assert_eq!((met.data.len(), met.documents.len()), (0, 0));
    }
}
