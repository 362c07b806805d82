//! The mock's in-memory store and the business rules of each operation:
//! individual clients, product enablement requests and their requirements.
//!
//! Every function here runs under the server's lock, on a request that has
//! already passed the spec's checks (key, path parameters, body schema).

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::tables::{self, SUBPRODUCTS};
use super::{Answer, MockError, now};
use crate::types::{self, MissingRequirements};

/// One stored individual client.
struct StoredClient {
    /// Creation order, for the list.
    seq: u64,
    /// The last body that created or replaced it, as validated.
    data: Value,
    created_at: String,
    updated_at: String,
}

/// One stored product enablement request.
struct StoredRequest {
    seq: u64,
    client_id: String,
    product: String,
    status: String,
    /// The product's requirements when the request was made.
    requirements: MissingRequirements,
    /// The types of the documents accepted. Only the type is kept, never an
    /// image or a metadata value: the store holds no personal data of
    /// uploads, and its size does not grow with the images'.
    documents: BTreeSet<String>,
    rejection_code: Option<String>,
    rejection_description: Option<String>,
    created_at: String,
    updated_at: String,
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

/// Why [`MockServer::finish_kyc`](super::MockServer::finish_kyc) could not
/// apply an outcome.
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

/// The mock's data, one per server.
pub(crate) struct Store {
    seq: u64,
    clients: HashMap<String, StoredClient>,
    requests: HashMap<String, StoredRequest>,
    catalogue: HashMap<String, MissingRequirements>,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            seq: 0,
            clients: HashMap::new(),
            requests: HashMap::new(),
            catalogue: SUBPRODUCTS
                .iter()
                .map(|product| (product.to_string(), tables::guide_requirements()))
                .collect(),
        }
    }
}

/// A new identifier shaped as the vendor's: 32 ASCII letters and digits.
pub(crate) fn new_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bytes = [uuid::Uuid::new_v4(), uuid::Uuid::new_v4()];
    bytes
        .iter()
        .flat_map(|u| u.as_bytes().iter().copied())
        .map(|b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()]))
        .collect()
}

fn client_not_found(id: &str) -> Answer {
    Answer::error(
        404,
        "NOT_FOUND",
        format!("Company client not found with id: {id}"),
    )
}

fn request_not_found(id: &str) -> Answer {
    Answer::error(
        404,
        "NOT_FOUND",
        format!("Product enablement request not found with id: {id}"),
    )
}

/// The email of a client body, as compared for duplicates (D-M1 in
/// `openapi/DECISIONS.md`): trimmed, ASCII case ignored.
fn email_key(data: &Value) -> String {
    data.get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

impl Store {
    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn duplicate_of(&self, data: &Value, except: Option<&str>) -> bool {
        let key = email_key(data);
        self.clients
            .iter()
            .any(|(id, client)| Some(id.as_str()) != except && email_key(&client.data) == key)
    }

    fn client_json(id: &str, client: &StoredClient) -> Value {
        let mut out = json!({"id": id, "type": "individual", "status": "pending"});
        // The vendor's answer shows the identity data and the address, not
        // the phone (its page lists no phone field in the response).
        for field in [
            "first_name",
            "second_name",
            "last_name",
            "email",
            "birth_date",
            "address",
        ] {
            if let Some(value) = client.data.get(field) {
                out[field] = value.clone();
            }
        }
        out["created_at"] = json!(client.created_at);
        out["updated_at"] = json!(client.updated_at);
        out
    }

    pub(crate) fn create_client(&mut self, data: Value) -> Answer {
        if self.duplicate_of(&data, None) {
            return MockError::DuplicateClient.answer("create_individual_client");
        }
        let id = new_id();
        let stamp = now();
        let client = StoredClient {
            seq: self.next_seq(),
            data,
            created_at: stamp.clone(),
            updated_at: stamp,
        };
        let body = Self::client_json(&id, &client);
        self.clients.insert(id, client);
        Answer::json(201, body)
    }

    pub(crate) fn list_clients(&self) -> Answer {
        let mut clients: Vec<_> = self.clients.iter().collect();
        clients.sort_by_key(|(_, c)| c.seq);
        Answer::json(
            200,
            Value::Array(
                clients
                    .into_iter()
                    .map(|(id, c)| Self::client_json(id, c))
                    .collect(),
            ),
        )
    }

    pub(crate) fn get_client(&self, id: &str) -> Answer {
        match self.clients.get(id) {
            Some(client) => Answer::json(200, Self::client_json(id, client)),
            None => client_not_found(id),
        }
    }

    pub(crate) fn update_client(&mut self, id: &str, data: Value) -> Answer {
        if !self.clients.contains_key(id) {
            return client_not_found(id);
        }
        if self.duplicate_of(&data, Some(id)) {
            return MockError::DuplicateClient.answer("update_individual_client");
        }
        let Some(client) = self.clients.get_mut(id) else {
            return client_not_found(id);
        };
        // A full replacement: what the body leaves out is gone.
        client.data = data;
        client.updated_at = now();
        Answer::json(200, Self::client_json(id, client))
    }

    pub(crate) fn delete_client(&mut self, id: &str) -> Answer {
        if self.clients.remove(id).is_none() {
            return client_not_found(id);
        }
        // "Permanently deletes a client and all associated data."
        self.requests.retain(|_, request| request.client_id != id);
        Answer::empty(204)
    }

    /// Whether the client has the field a data requirement names: `phone` is
    /// the country code and number together; any other key is a field of
    /// the client's body (`address.city` reaches into the address).
    fn client_has(client: &StoredClient, key: &str) -> bool {
        let present = |pointer: &str| {
            client
                .data
                .pointer(pointer)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
        };
        match key {
            "phone" => present("/phone_country_code") && present("/phone_number"),
            key => present(&format!("/{}", key.replace('.', "/"))),
        }
    }

    /// The requirements of `request` not yet met by its client and its
    /// accepted documents. Only a pending request has any.
    fn missing(&self, request: &StoredRequest) -> MissingRequirements {
        if request.status != "pending_documentation" {
            return MissingRequirements::default();
        }
        let client = self.clients.get(&request.client_id);
        let data = request
            .requirements
            .data
            .iter()
            .filter(|requirement| {
                requirement.fields.iter().any(|field| {
                    field.required != Some(false)
                        && !client.is_some_and(|c| {
                            Self::client_has(c, field.key.as_deref().unwrap_or_default())
                        })
                })
            })
            .cloned()
            .collect();
        let documents = request
            .requirements
            .documents
            .iter()
            .filter(|requirement| {
                !requirement.valid_documents.iter().any(|document| {
                    document
                        .id
                        .as_deref()
                        .is_some_and(|id| request.documents.contains(id))
                })
            })
            .cloned()
            .collect();
        MissingRequirements { data, documents }
    }

    fn request_json(&self, id: &str, request: &StoredRequest) -> Value {
        let missing = self.missing(request);
        let mut out = json!({
            "id": id,
            "client_id": request.client_id,
            "product": request.product,
            "status": request.status,
            "missing_requirements": {
                "documents": missing.documents,
                "data": missing.data,
            },
            "created_at": request.created_at,
            "updated_at": request.updated_at,
        });
        if let Some(code) = &request.rejection_code {
            out["rejection_code"] = json!(code);
        }
        if let Some(description) = &request.rejection_description {
            out["rejection_description"] = json!(description);
        }
        out
    }

    pub(crate) fn request_product(&mut self, client_id: &str, body: &Value) -> Answer {
        if !self.clients.contains_key(client_id) {
            return client_not_found(client_id);
        }
        let product = body
            .get("subproduct")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(requirements) = self.catalogue.get(&product).cloned() else {
            return MockError::InvalidProduct.answer("request_product_enablement");
        };
        // A rejected request is history; any other state is still active.
        let active = self
            .requests
            .values()
            .any(|r| r.client_id == client_id && r.product == product && r.status != "rejected");
        if active {
            return MockError::AlreadyRequested.answer("request_product_enablement");
        }
        let id = new_id();
        let stamp = now();
        let request = StoredRequest {
            seq: self.next_seq(),
            client_id: client_id.to_string(),
            product,
            status: "pending_documentation".into(),
            requirements,
            documents: BTreeSet::new(),
            rejection_code: None,
            rejection_description: None,
            created_at: stamp.clone(),
            updated_at: stamp,
        };
        let body = self.request_json(&id, &request);
        self.requests.insert(id, request);
        Answer::json(201, body)
    }

    pub(crate) fn list_products(&self, client_id: &str) -> Answer {
        if !self.clients.contains_key(client_id) {
            return client_not_found(client_id);
        }
        let mut requests: Vec<_> = self
            .requests
            .iter()
            .filter(|(_, r)| r.client_id == client_id)
            .collect();
        // Newest first, as the page says.
        requests.sort_by_key(|(_, r)| std::cmp::Reverse(r.seq));
        Answer::json(
            200,
            Value::Array(
                requests
                    .into_iter()
                    .map(|(id, r)| self.request_json(id, r))
                    .collect(),
            ),
        )
    }

    /// The client's pending request `request_id`, or the answer saying why
    /// there is none.
    fn pending(&self, client_id: &str, request_id: &str) -> Result<&StoredRequest, Answer> {
        if !self.clients.contains_key(client_id) {
            return Err(client_not_found(client_id));
        }
        let request = self
            .requests
            .get(request_id)
            .filter(|r| r.client_id == client_id)
            .ok_or_else(|| request_not_found(request_id))?;
        if request.status != "pending_documentation" {
            return Err(MockError::NotPendingDocumentation.answer("submit_product_enablement"));
        }
        Ok(request)
    }

    pub(crate) fn upload_document(
        &mut self,
        client_id: &str,
        request_id: &str,
        body: &Value,
    ) -> Answer {
        let request = match self.pending(client_id, request_id) {
            Ok(request) => request,
            Err(answer) => return answer,
        };
        let document = &body["document"];
        let ty = document["document_type"].as_str().unwrap_or_default();
        let mut reasons = Vec::new();
        let valid = request
            .requirements
            .documents
            .iter()
            .flat_map(|r| &r.valid_documents)
            .find(|d| d.id.as_deref() == Some(ty));
        match valid {
            None => {
                let known: Vec<&str> = request
                    .requirements
                    .documents
                    .iter()
                    .flat_map(|r| &r.valid_documents)
                    .filter_map(|d| d.id.as_deref())
                    .collect();
                reasons.push(format!(
                    "{ty:?} is not a document type this request asks for (it asks for: {})",
                    known.join(", ")
                ));
            }
            Some(valid) => {
                if request.documents.contains(ty) && document["replace"] != json!(true) {
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
            }
        }
        let rejected: Vec<Value> = reasons
            .into_iter()
            .map(|reason| json!({"type": "document", "key": ty, "reason": reason}))
            .collect();
        if rejected.is_empty()
            && let Some(request) = self.requests.get_mut(request_id)
        {
            request.documents.insert(ty.to_string());
            request.updated_at = now();
        }
        self.result(request_id, rejected)
    }

    fn result(&self, request_id: &str, rejected: Vec<Value>) -> Answer {
        match self.requests.get(request_id) {
            Some(request) => Answer::json(
                200,
                json!({
                    "product": self.request_json(request_id, request),
                    "rejected_items": rejected,
                }),
            ),
            None => request_not_found(request_id),
        }
    }

    pub(crate) fn submit(&mut self, client_id: &str, request_id: &str) -> Answer {
        let request = match self.pending(client_id, request_id) {
            Ok(request) => request,
            Err(answer) => return answer,
        };
        let missing = self.missing(request);
        let blocking = missing.data.iter().any(|r| r.required != Some(false))
            || missing.documents.iter().any(|r| r.required != Some(false));
        if !blocking && let Some(request) = self.requests.get_mut(request_id) {
            request.status = "in_kyc".into();
            request.updated_at = now();
        }
        // What is still missing is in the request's missing_requirements,
        // as the page shows; nothing was evaluated and rejected.
        self.result(request_id, Vec::new())
    }

    pub(crate) fn set_requirements(&mut self, product: &str, requirements: MissingRequirements) {
        self.catalogue.insert(product.to_string(), requirements);
    }

    pub(crate) fn finish_kyc(
        &mut self,
        request_id: &str,
        outcome: KycOutcome,
    ) -> Result<types::ProductRequest, KycError> {
        let request = self
            .requests
            .get_mut(request_id)
            .ok_or_else(|| KycError::UnknownRequest(request_id.to_string()))?;
        if request.status != "in_kyc" {
            return Err(KycError::NotInKyc {
                id: request_id.to_string(),
                status: request.status.clone(),
            });
        }
        match outcome {
            KycOutcome::Enabled => request.status = "enabled".into(),
            KycOutcome::Rejected { code, description } => {
                request.status = "rejected".into();
                request.rejection_code = code;
                request.rejection_description = Some(description);
            }
        }
        request.updated_at = now();
        let json = match self.requests.get(request_id) {
            Some(request) => self.request_json(request_id, request),
            None => return Err(KycError::UnknownRequest(request_id.to_string())),
        };
        serde_json::from_value(json).map_err(|_| KycError::UnknownRequest(request_id.to_string()))
    }

    /// Every client, in creation order, as the API shows them.
    pub(crate) fn clients(&self) -> Vec<Value> {
        match self.list_clients().body {
            Some(Value::Array(clients)) => clients,
            _ => Vec::new(),
        }
    }

    /// Every request of the client, newest first, as the API shows them.
    pub(crate) fn products(&self, client_id: &str) -> Vec<Value> {
        match self.list_products(client_id).body {
            Some(Value::Array(requests)) => requests,
            _ => Vec::new(),
        }
    }

    /// How many clients and product requests the store holds.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        (self.clients.len(), self.requests.len())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_ids_are_32_letters_and_digits_and_differ() {
        let a = super::new_id();
        let b = super::new_id();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }
}
