//! The plain engine: what every operation of a spec does without a line of
//! code of its own. It checks a request against the spec, keeps the
//! idempotency keys, answers `404` for an item a path names that the store
//! does not hold, runs the operation's behaviour when it has one
//! (`super::behaviour`) or its plain role (`super::model::Role`), and holds
//! the answer to the spec before it is sent.
//!
//! A plain answer is shaped by the response schema and the spec's examples:
//! a created item starts from the create's documented answer, takes the
//! request's fields and a fresh id like the example's; reads answer the
//! stored item projected onto the response schema; lists page the stored
//! items as the response and query parameters say; anything else answers
//! its example.

use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

use super::MockError;
use super::answer::{
    Answer, Body, CREATED_AT, UPDATED_AT, mint_id, new_trace_id, now, project, raw_body, synthesize,
};
use super::behaviour::{Call, Run};
use super::model::{Model, Paging, Role, list_shape, snake};
use super::spec::{In, Operation, Segment, Spec, validate};
use super::store::{Item, Store};

/// A spec read as resources, with the behaviours of its operations.
pub(crate) struct Engine {
    pub(crate) spec: Arc<Spec>,
    pub(crate) model: Model,
    behaviours: Vec<Option<Run>>,
    /// One id of each family's examples, to mint new ids like it.
    id_examples: Vec<Option<String>>,
}

/// A request that passed the spec's checks.
pub(crate) struct Request {
    pub(crate) op: usize,
    pub(crate) path: String,
    /// The path parameters, in the template's order.
    pub(crate) params: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    /// The JSON body; `null` when the operation has none.
    pub(crate) body: Value,
}

impl Request {
    /// A path parameter's value (empty when the template has none of that name).
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn values(&self) -> Vec<String> {
        self.params.iter().map(|(_, v)| v.clone()).collect()
    }
}

impl Engine {
    /// The engine of `spec`, with `behaviours` (operation id, function) for
    /// the operations that have one; an id the spec does not have is ignored.
    pub(crate) fn new(spec: Arc<Spec>, behaviours: &[(&str, Run)]) -> Engine {
        let model = Model::infer(&spec);
        let behaviours = spec
            .operations
            .iter()
            .map(|o| {
                behaviours
                    .iter()
                    .find(|(id, _)| *id == o.id)
                    .map(|(_, run)| *run)
            })
            .collect();
        let mut engine = Engine {
            spec,
            model,
            behaviours,
            id_examples: Vec::new(),
        };
        engine.id_examples = (0..engine.model.families.len())
            .map(|f| {
                engine
                    .item_examples(f)
                    .into_iter()
                    .find_map(|(_, data, _)| key_text(&data, &engine.model.families[f].key))
            })
            .collect();
        engine
    }

    fn operation(&self, op: usize) -> &Operation {
        &self.spec.operations[op]
    }

    // ----- Checks -------------------------------------------------------

    /// Checks a request as the vendor would, after the key: its path, query
    /// and header parameters against their schemas, and for an operation
    /// with a body, its content type and the body against its schema.
    pub(crate) fn check(
        &self,
        op: usize,
        path: &str,
        params: Vec<(String, String)>,
        query: Option<&str>,
        headers: &HeaderMap,
        raw: &[u8],
    ) -> Result<Request, MockError> {
        let operation = self.operation(op);
        let pairs: Vec<(String, String)> = query
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let idempotency = self.model.plans[op].idempotency.as_deref();
        for param in &operation.params {
            let values: Vec<&str> = match param.location {
                In::Path => params
                    .iter()
                    .filter(|(n, _)| *n == param.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                In::Query => pairs
                    .iter()
                    .filter(|(n, _)| *n == param.name)
                    .map(|(_, v)| v.as_str())
                    .collect(),
                In::Header => headers
                    .get_all(param.name.as_str())
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect(),
            };
            let place = match param.location {
                In::Path => "path parameter",
                In::Query => "query parameter",
                In::Header => "header",
            };
            if values.is_empty() {
                // A missing idempotency key has its own answer (`serve`).
                if param.required && Some(param.name.as_str()) != idempotency {
                    return Err(MockError::InvalidRequest(format!(
                        "The {place} {} is required",
                        param.name
                    )));
                }
                continue;
            }
            let value = coerce(&self.spec, &param.schema, &values);
            let problems = validate(&param.validator, &value);
            if !problems.is_empty() {
                let problems: Vec<String> = problems
                    .iter()
                    .map(|p| p.trim_start_matches("/: ").to_string())
                    .collect();
                return Err(MockError::InvalidRequest(format!(
                    "Invalid {place} {}: {}",
                    param.name,
                    problems.join("; ")
                )));
            }
        }
        let body = match &operation.body {
            None => Value::Null,
            Some((_, validator)) => check_body(validator, headers, raw)?,
        };
        Ok(Request {
            op,
            path: path.to_string(),
            params,
            query: pairs,
            headers: headers.clone(),
            body,
        })
    }

    // ----- Serving ------------------------------------------------------

    /// Answers a checked request: idempotency, the items its path names,
    /// then its behaviour or plain role; the answer is held to the spec.
    pub(crate) fn serve(&self, store: &mut Store, request: &Request) -> Answer {
        let op = request.op;
        let mut key = self.model.plans[op].idempotency.as_deref().map(|header| {
            (
                header,
                request.header(header).map(str::trim).unwrap_or_default(),
            )
        });
        if let Some((header, given)) = key
            && given.is_empty()
        {
            let required = self.operation(op).params.iter().any(|p| {
                p.location == In::Header && p.required && p.name.eq_ignore_ascii_case(header)
            });
            if required {
                return self.missing_idempotency_key(op, header);
            }
            // An optional key not given: nothing to remember.
            key = None;
        }
        if let Some((_, given)) = key
            && let Some(first) = store.replays.get(&(op, given.to_string()))
        {
            return first.clone();
        }
        if let Err(answer) = self.find(store, request) {
            return answer;
        }
        let answer = match self.behaviours[op] {
            Some(run) => run(&mut Call::new(self, request, store)),
            None => self.plain(store, request, &mut |_| {}),
        };
        let answer = self.held_to_spec(op, answer);
        if let Some((_, key)) = key
            && answer.is_success()
        {
            store.replays.insert((op, key.to_string()), answer.clone());
        }
        answer
    }

    /// The documented answer to a missing or blank idempotency key: the
    /// operation's `412` example that names the header when it declares a
    /// `412` (as the vendor's pages do), else a `400`.
    fn missing_idempotency_key(&self, op: usize, header: &str) -> Answer {
        let declared = self.operation(op).responses.iter().any(|r| r.status == 412);
        if declared {
            let lower = header.to_ascii_lowercase();
            if let Some(answer) =
                self.documented_where(op, 412, None, |m| m.to_ascii_lowercase().contains(&lower))
            {
                return answer;
            }
        }
        Answer::error(
            if declared { 412 } else { 400 },
            "VAL",
            format!("{header} header is required"),
        )
    }

    /// Holds an answer to the spec: one that breaks it is a bug of the mock
    /// (or of a behaviour), reported as a `500` that names the problems
    /// rather than sent as if the API had said it.
    fn held_to_spec(&self, op: usize, answer: Answer) -> Answer {
        let operation = self.operation(op);
        let mut headers: Vec<String> = answer.headers.iter().map(|(n, _)| n.to_string()).collect();
        if let Body::Raw { .. } = answer.body {
            headers.push("content-type".into());
        }
        let problems = match &answer.body {
            Body::Raw { content_type, .. } => {
                let declared = operation
                    .responses
                    .iter()
                    .find(|r| r.status == answer.status)
                    .and_then(|r| r.media_type.as_deref());
                (declared != Some(content_type.as_str())).then(|| {
                    vec![format!(
                        "{} declares {declared:?}, not {content_type}",
                        answer.status
                    )]
                })
            }
            body => self
                .spec
                .check_answer(
                    &operation.id,
                    answer.status,
                    &headers,
                    match body {
                        Body::Json(value) => Some(value),
                        _ => None,
                    },
                )
                .err(),
        };
        match problems {
            None => answer,
            Some(problems) => Answer::error(
                500,
                "MOCK_INVALID_ANSWER",
                format!(
                    "The mock's answer {} to {} breaks the spec: {}",
                    answer.status,
                    operation.id,
                    problems.join("; ")
                ),
            ),
        }
    }

    /// Checks that the items the request's path names are in the store:
    /// the parents its collection is scoped by, and the item itself for an
    /// operation on one. Otherwise the operation's documented `404`.
    fn find(&self, store: &Store, request: &Request) -> Result<(), Answer> {
        let role = self.model.plans[request.op].role;
        let Some(f) = role.family() else {
            return Ok(());
        };
        let family = &self.model.families[f];
        let values = request.values();
        for (j, parent) in family.parents.iter().enumerate() {
            let Some(parent) = parent else { continue };
            let depth = self.model.families[*parent].depth;
            let found = store
                .get(*parent, &values[j])
                .is_some_and(|item| item.in_scope(&values[..depth]));
            if !found {
                return Err(self.not_found(request));
            }
        }
        if role.on_item() {
            let found = store
                .get(f, &values[family.depth])
                .is_some_and(|item| item.in_scope(&values[..family.depth]));
            if !found {
                return Err(self.not_found(request));
            }
        }
        Ok(())
    }

    /// The operation's documented `404`, its example's ids replaced by the
    /// request's; the errors page's body when it documents none.
    pub(crate) fn not_found(&self, request: &Request) -> Answer {
        self.documented(request, 404)
            .unwrap_or_else(|| MockError::NotFound.answer())
    }

    /// The operation's first documented answer of `status`, with the values
    /// of its path parameters' examples replaced by the request's and a
    /// fresh trace id.
    pub(crate) fn documented(&self, request: &Request, status: u16) -> Option<Answer> {
        self.documented_where(request.op, status, Some(request), |_| true)
    }

    /// The operation's first documented answer of `status` whose message
    /// `fits`, as [`Engine::documented`] makes it.
    pub(crate) fn documented_where(
        &self,
        op: usize,
        status: u16,
        request: Option<&Request>,
        fits: impl Fn(&str) -> bool,
    ) -> Option<Answer> {
        let operation = self.operation(op);
        let response = operation.responses.iter().find(|r| r.status == status)?;
        let example = response
            .examples
            .iter()
            .find(|e| e.get("message").and_then(Value::as_str).is_none_or(&fits))?;
        let mut body = example.clone();
        if let (Some(message), Some(request)) =
            (body.get("message").and_then(Value::as_str), request)
        {
            let mut message = message.to_string();
            for param in operation.params.iter().filter(|p| p.location == In::Path) {
                if let Some(example) = param.example.as_ref().and_then(Value::as_str) {
                    message = message.replace(example, request.param(&param.name));
                }
            }
            body["message"] = json!(message);
        }
        if body.is_object() && body.get("code").is_some() {
            body["trace_id"] = json!(new_trace_id());
        }
        Some(Answer::json(status, body))
    }

    // ----- The plain roles ----------------------------------------------

    /// What the operation does by its role alone. `edit` sees the item the
    /// operation creates or addresses before it is stored and answered: the
    /// hook a behaviour uses to change what the plain engine would store.
    pub(crate) fn plain(
        &self,
        store: &mut Store,
        request: &Request,
        edit: &mut dyn FnMut(&mut Item),
    ) -> Answer {
        let op = request.op;
        let plan = &self.model.plans[op];
        let Some(status) = plan.success else {
            return Answer::error(
                500,
                "MOCK_NO_SUCCESS",
                format!(
                    "{} declares no success status for the mock to answer",
                    self.operation(op).id
                ),
            );
        };
        let values = request.values();
        match plan.role {
            Role::Create(f) => {
                let item = self.create(store, request, f, status, edit);
                let answer = self.item_answer(op, status, &item);
                store.insert(f, item);
                answer
            }
            Role::List(f) => {
                let depth = self.model.families[f].depth;
                let items: Vec<Value> = store
                    .items(f)
                    .into_iter()
                    .filter(|item| item.in_scope(&values[..depth]))
                    .map(|item| item.data.clone())
                    .collect();
                self.list_answer(request, status, items)
            }
            Role::Static => self.static_answer(store, request, status),
            role => {
                let f = role.family().unwrap_or_default();
                let family = &self.model.families[f];
                let id = values[family.depth].clone();
                let Some(mut item) = store.get(f, &id).cloned() else {
                    return self.not_found(request);
                };
                match role {
                    Role::Replace(_) => {
                        self.replace_fields(op, &mut item.data, &request.body);
                        self.touch(f, &mut item.data);
                    }
                    Role::Merge(_) => {
                        merge(&mut item.data, &request.body);
                        self.touch(f, &mut item.data);
                    }
                    Role::SubWrite(_) => self.sub_write(request, f, &mut item),
                    _ => {}
                }
                edit(&mut item);
                if role == Role::Delete(f) {
                    self.delete(store, f, &id);
                } else {
                    store.insert(f, item.clone());
                }
                match role {
                    Role::Read(_) | Role::Replace(_) | Role::Merge(_) | Role::Delete(_) => {
                        self.item_answer(op, status, &item)
                    }
                    _ if self.answers_item(op, status, f) => self.item_answer(op, status, &item),
                    _ => self.example_answer(request, status, None),
                }
            }
        }
    }

    /// A new item of family `f` from a create request: the documented
    /// answer's fields, minus the request's fields it leaves out, plus the
    /// request's, a key (the body's, for an upsert keyed on a field the
    /// request sends, else a fresh id), the parents' ids and the stamps.
    fn create(
        &self,
        store: &mut Store,
        request: &Request,
        f: usize,
        status: u16,
        edit: &mut dyn FnMut(&mut Item),
    ) -> Item {
        let family = &self.model.families[f];
        let values = request.values();
        let mut data = self
            .example_of(request.op, status)
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        self.replace_fields(request.op, &mut data, &request.body);
        let given = key_text(&request.body, &family.key);
        let id = match given {
            Some(id) => id,
            None => loop {
                let id = mint_id(self.id_examples[f].as_deref());
                if store.get(f, &id).is_none() {
                    break id;
                }
            },
        };
        data[family.key.as_str()] = json!(id);
        self.stamp_parents(f, request, &mut data);
        let declared = self
            .spec
            .properties(&family.item_schema)
            .unwrap_or_default();
        let stamp = now();
        for field in [CREATED_AT, UPDATED_AT] {
            if declared.contains_key(field) {
                data[field] = json!(stamp);
            }
        }
        let existing = store
            .get(f, &id)
            .map(|item| (item.seq, item.hidden.clone()));
        let (seq, hidden) = match existing {
            Some(kept) => kept,
            None => (store.next_seq(), Map::new()),
        };
        let mut item = Item {
            id,
            seq,
            scope: values[..family.depth].iter().cloned().map(Some).collect(),
            data,
            hidden,
            seeded: false,
        };
        edit(&mut item);
        item
    }

    /// Sets the fields that name the item's parents (`client_id` for a
    /// `{clientId}` scope) when the item's schema declares them.
    fn stamp_parents(&self, f: usize, request: &Request, data: &mut Value) {
        let family = &self.model.families[f];
        let declared = self
            .spec
            .properties(&family.item_schema)
            .unwrap_or_default();
        for (name, value) in request.params.iter().take(family.depth) {
            let field = snake(name);
            if declared.contains_key(&field) {
                data[field.as_str()] = json!(value);
            }
        }
    }

    /// A `PUT` of the fields the request schema declares: the body's values,
    /// and those it leaves out gone (a full replacement); other fields (the
    /// id, the status, the stamps) stay.
    fn replace_fields(&self, op: usize, data: &mut Value, body: &Value) {
        if let (Some(schema), Some(map)) = (&self.operation(op).body, data.as_object_mut()) {
            for field in self.spec.properties(&schema.0).unwrap_or_default().keys() {
                if body.get(field).is_none() {
                    map.remove(field);
                }
            }
        }
        merge(data, body);
    }

    /// A sub-resource write: the body's fields, and the path parameters
    /// after the item's (`{clientId}` of `/virtual-wallets/{walletId}/client/
    /// {clientId}`), change the item where its schema declares them.
    fn sub_write(&self, request: &Request, f: usize, item: &mut Item) {
        let family = &self.model.families[f];
        let declared = self
            .spec
            .properties(&family.item_schema)
            .unwrap_or_default();
        let mut changed = false;
        if let Some(body) = request.body.as_object() {
            for (field, value) in body {
                if declared.contains_key(field) && field != &family.key {
                    item.data[field.as_str()] = value.clone();
                    changed = true;
                }
            }
        }
        for (name, value) in request.params.iter().skip(family.depth + 1) {
            let field = snake(name);
            if declared.contains_key(&field) {
                item.data[field.as_str()] = json!(value);
                changed = true;
            }
        }
        if changed {
            self.touch(f, &mut item.data);
        }
    }

    fn touch(&self, f: usize, data: &mut Value) {
        let declared = self
            .spec
            .properties(&self.model.families[f].item_schema)
            .unwrap_or_default();
        if declared.contains_key(UPDATED_AT) {
            data[UPDATED_AT] = json!(now());
        }
    }

    /// Deletes an item and, recursively, the items of the families scoped
    /// to it ("deletes a client and all associated data").
    pub(crate) fn delete(&self, store: &mut Store, f: usize, id: &str) {
        store.remove(f, id);
        let depth = self.model.families[f].depth;
        for (child, family) in self.model.families.iter().enumerate() {
            if family.parents.get(depth).copied().flatten() != Some(f) {
                continue;
            }
            let gone = store.remove_where(child, |item| {
                item.scope.get(depth).and_then(Option::as_deref) == Some(id)
            });
            for grandchild in gone {
                self.delete(store, child, &grandchild);
            }
        }
    }

    /// Whether the operation's answer of `status` is the family's item (its
    /// schema declares the family's key).
    fn answers_item(&self, op: usize, status: u16, f: usize) -> bool {
        self.response(op, status)
            .and_then(|r| r.schema.as_ref())
            .and_then(|schema| self.spec.properties(schema))
            .is_some_and(|p| p.contains_key(&self.model.families[f].key))
    }

    fn response(&self, op: usize, status: u16) -> Option<&super::spec::Response> {
        self.operation(op)
            .responses
            .iter()
            .find(|r| r.status == status)
    }

    /// The item as the operation's answer of `status` shows it.
    pub(crate) fn item_answer(&self, op: usize, status: u16, item: &Item) -> Answer {
        let Some(response) = self.response(op, status) else {
            return Answer::empty(status);
        };
        match (response.media_type.as_deref(), &response.schema) {
            (None, _) => Answer::empty(status),
            (Some("application/json"), Some(schema)) => {
                Answer::json(status, project(&self.spec, &item.data, schema))
            }
            (Some("application/json"), None) => Answer::json(status, &item.data),
            (Some(media), _) => raw(media, response.examples.first(), status),
        }
    }

    /// The example of the operation's answer `status`, or one made from its
    /// schema.
    pub(crate) fn example_of(&self, op: usize, status: u16) -> Option<Value> {
        let response = self.response(op, status)?;
        response.examples.first().cloned().or_else(|| {
            response
                .schema
                .as_ref()
                .map(|schema| synthesize(&self.spec, schema, 0))
        })
    }

    /// A static answer: the documented example (a JSON object takes the
    /// request's fields that its schema declares, and a fresh id like its
    /// own when a `POST` answers one), or a body of the declared media type.
    fn example_answer(&self, request: &Request, status: u16, base: Option<Value>) -> Answer {
        let op = request.op;
        let Some(response) = self.response(op, status) else {
            return Answer::empty(status);
        };
        match response.media_type.as_deref() {
            None => Answer::empty(status),
            Some("application/json") => {
                let mut body = base
                    .or_else(|| self.example_of(op, status))
                    .unwrap_or(Value::Null);
                let schema = response.schema.clone().unwrap_or(json!({}));
                // A `POST` answers what it made as a create would, without
                // storing it: the request's fields in place of the
                // example's, a fresh id, the time.
                if self.operation(op).method == "POST" && body.is_object() {
                    self.replace_fields(op, &mut body, &Value::Null);
                    let declared = self.spec.properties(&schema).unwrap_or_default();
                    if let Some(given) = request.body.as_object() {
                        for (field, value) in given {
                            if declared.contains_key(field) {
                                body[field.as_str()] = value.clone();
                            }
                        }
                    }
                    if let Some(id) = body.get("id").and_then(Value::as_str) {
                        body["id"] = json!(mint_id(Some(id)));
                    }
                    for field in [CREATED_AT, UPDATED_AT] {
                        if body.get(field).is_some() {
                            body[field] = json!(now());
                        }
                    }
                }
                if let Some(paging) = &self.model.plans[op].paging {
                    return self.paged(request, status, paging, body);
                }
                Answer::json(status, project(&self.spec, &body, &schema))
            }
            Some(media) => raw(media, response.examples.first(), status),
        }
    }

    /// A static operation. `GET`, `PUT`, `PATCH` and `DELETE` of one path
    /// share a document: the `GET`'s example until a `PUT` replaces or a
    /// `PATCH` changes it, and again after a `DELETE`.
    fn static_answer(&self, store: &mut Store, request: &Request, status: u16) -> Answer {
        let operation = self.operation(request.op);
        let reader = self
            .spec
            .operations
            .iter()
            .position(|o| o.method == "GET" && o.template == operation.template);
        let Some(reader) = reader.filter(|_| operation.method != "POST") else {
            return self.example_answer(request, status, None);
        };
        let read_status = self.model.plans[reader].success.unwrap_or(200);
        match operation.method.as_str() {
            "GET" => {
                let document = store.documents.get(&request.path).cloned();
                self.example_answer(request, status, document)
            }
            "DELETE" => {
                store.documents.remove(&request.path);
                self.example_answer(request, status, None)
            }
            _ => {
                let mut document = store
                    .documents
                    .get(&request.path)
                    .cloned()
                    .or_else(|| self.example_of(reader, read_status))
                    .unwrap_or_else(|| json!({}));
                if !document.is_object() {
                    return self.example_answer(request, status, None);
                }
                if operation.method == "PUT" {
                    self.replace_fields(request.op, &mut document, &request.body);
                } else {
                    merge(&mut document, &request.body);
                }
                store
                    .documents
                    .insert(request.path.clone(), document.clone());
                let same = self
                    .response(request.op, status)
                    .and_then(|r| r.schema.as_ref())
                    == self
                        .response(reader, read_status)
                        .and_then(|r| r.schema.as_ref());
                self.example_answer(request, status, same.then_some(document))
            }
        }
    }

    // ----- Lists --------------------------------------------------------

    /// A list of `items`: filtered by the query parameters named as their
    /// fields, then paged as the operation's paging says.
    fn list_answer(&self, request: &Request, status: u16, items: Vec<Value>) -> Answer {
        let op = request.op;
        let paging = self.model.plans[op].paging.clone().unwrap_or_default();
        let base = match &paging.items_field {
            Some(field) => {
                let mut base = self.example_of(op, status).unwrap_or_else(|| json!({}));
                base[field.as_str()] = Value::Array(items);
                base
            }
            None => Value::Array(items),
        };
        self.paged(request, status, &paging, base)
    }

    /// `body` (a list, or an object holding one in `paging.items_field`)
    /// filtered and cut to the page the request asks for, with the page's
    /// figures set in the fields [`PAGE_FIELDS`] names.
    fn paged(&self, request: &Request, status: u16, paging: &Paging, mut body: Value) -> Answer {
        let op = request.op;
        let schema = self
            .response(op, status)
            .and_then(|r| r.schema.clone())
            .unwrap_or(json!({}));
        let Some((_, item_schema)) = list_shape(&self.spec, &schema) else {
            return Answer::json(status, body);
        };
        let declared = self.spec.properties(&item_schema).unwrap_or_default();
        let list = match &paging.items_field {
            Some(field) => body.get_mut(field.as_str()),
            None => Some(&mut body),
        };
        let items = match list.map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        // A query parameter named as a field of the items filters on it.
        let paging_params: Vec<&str> = [
            paging.page.as_ref().map(|(name, _)| name.as_str()),
            paging.size.as_ref().map(|(name, _)| name.as_str()),
            paging.token.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let filters: Vec<(&str, Vec<&str>)> = {
            let mut filters: Vec<(&str, Vec<&str>)> = Vec::new();
            for (name, value) in &request.query {
                if paging_params.contains(&name.as_str()) || !declared.contains_key(name) {
                    continue;
                }
                match filters.iter_mut().find(|(n, _)| n == name) {
                    Some((_, values)) => values.push(value),
                    None => filters.push((name, vec![value])),
                }
            }
            filters
        };
        let items: Vec<Value> = items
            .into_iter()
            .filter(|item| {
                filters.iter().all(|(name, values)| {
                    item.get(*name)
                        .is_some_and(|v| values.iter().any(|w| text_of(v) == *w))
                })
            })
            .collect();
        let total = items.len();
        let query = |name: &str| {
            request
                .query
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| v.parse::<i64>().ok())
        };
        let size = paging
            .size
            .as_ref()
            .and_then(|(name, default)| query(name).or(*default))
            .filter(|size| *size > 0)
            .map_or(total.max(1), |size| usize::try_from(size).unwrap_or(1));
        let first_page = paging.page.as_ref().map_or(0, |(_, first)| *first);
        let start = match (&paging.token, &paging.page) {
            (Some(token), _) if request.query.iter().any(|(n, _)| n == token) => request
                .query
                .iter()
                .find(|(n, _)| n == token)
                .and_then(|(_, v)| decode_token(v))
                .unwrap_or(0),
            (_, Some((name, first))) => {
                let page = query(name).unwrap_or(*first).max(*first) - first;
                usize::try_from(page).unwrap_or(0).saturating_mul(size)
            }
            _ => 0,
        };
        let page: Vec<Value> = items
            .into_iter()
            .skip(start)
            .take(size)
            .map(|item| project(&self.spec, &item, &item_schema))
            .collect();
        let shown = page.len();
        let next = start + shown;
        let more = next < total;
        let Some(field) = &paging.items_field else {
            return Answer::json(status, Value::Array(page));
        };
        body[field.as_str()] = Value::Array(page);
        let fields = self.spec.properties(&schema).unwrap_or_default();
        let pages = total.div_ceil(size);
        let number = i64::try_from(start / size).unwrap_or(0) + first_page;
        for (name, figure) in PAGE_FIELDS {
            if !fields.contains_key(*name) || name == field {
                continue;
            }
            let nullable = self
                .spec
                .schema(&fields[*name])
                .get("nullable")
                .and_then(Value::as_bool)
                == Some(true);
            let value = match figure {
                Figure::Number => json!(number),
                Figure::Size => json!(size),
                Figure::Total => json!(total),
                Figure::Pages => json!(pages),
                Figure::Shown => json!(shown),
                Figure::NextNumber => {
                    if more {
                        json!(number + 1)
                    } else {
                        Value::Null
                    }
                }
                Figure::NextToken => {
                    if more {
                        json!(encode_token(next))
                    } else {
                        Value::Null
                    }
                }
            };
            match (value, body.as_object_mut()) {
                (Value::Null, Some(map)) if !nullable => {
                    map.remove(*name);
                }
                (value, Some(map)) => {
                    map.insert(name.to_string(), value);
                }
                _ => {}
            }
        }
        Answer::json(status, project(&self.spec, &body, &schema))
    }

    // ----- Seeding ------------------------------------------------------

    /// The examples of family `f`'s items in the spec: each with its
    /// priority (a read's answer over a list's items over a create's
    /// answer), its data and the parents' ids it names.
    fn item_examples(&self, f: usize) -> Vec<(u8, Value, Vec<Option<String>>)> {
        let family = &self.model.families[f];
        let mut out = Vec::new();
        for (op, (operation, plan)) in self
            .spec
            .operations
            .iter()
            .zip(&self.model.plans)
            .enumerate()
        {
            // A create's example shows the item as it was made; a read's and
            // a list's show it as stored, which a fresh mock shows.
            let priority = match plan.role {
                Role::Read(g) if g == f => 3,
                Role::List(g) if g == f => 2,
                Role::Create(g) if g == f => 1,
                _ => continue,
            };
            let Some(status) = plan.success else { continue };
            let Some(response) = self.response(op, status) else {
                continue;
            };
            for example in &response.examples {
                let items: Vec<Value> = match (plan.role, &plan.paging) {
                    (Role::List(_), Some(paging)) => match &paging.items_field {
                        Some(field) => example.get(field.as_str()).cloned(),
                        None => Some(example.clone()),
                    }
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default(),
                    _ => vec![example.clone()],
                };
                for data in items.into_iter().filter(Value::is_object) {
                    let scope = self.example_scope(operation, family, &data);
                    out.push((priority, data, scope));
                }
            }
        }
        out
    }

    /// The parents' ids an example names: the item's own field for each
    /// scope parameter (`client_id` for `{clientId}`), else the parameter's
    /// example.
    fn example_scope(
        &self,
        operation: &Operation,
        family: &super::model::Family,
        data: &Value,
    ) -> Vec<Option<String>> {
        operation
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(name) => Some(name),
                Segment::Literal(_) => None,
            })
            .take(family.depth)
            .map(|name| {
                key_text(data, &snake(name)).or_else(|| {
                    operation
                        .params
                        .iter()
                        .find(|p| p.location == In::Path && &p.name == name)
                        .and_then(|p| p.example.as_ref())
                        .and_then(|e| key_text(&json!({"v": e}), "v"))
                })
            })
            .collect()
    }

    /// Fills a fresh store with the items the spec's examples show: every
    /// item a read, list or create example holds (merged by id, a read's
    /// fields over a list's over a create's), and an item for every path
    /// parameter example that names one the examples do not hold (made from
    /// its family's first example, with that id).
    pub(crate) fn seed(&self, store: &mut Store) {
        for f in 0..self.model.families.len() {
            let key = self.model.families[f].key.clone();
            let mut examples = self.item_examples(f);
            examples.sort_by_key(|(priority, _, _)| *priority);
            for (_, data, scope) in examples {
                let Some(id) = key_text(&data, &key) else {
                    continue;
                };
                match store.get_mut(f, &id) {
                    Some(item) => {
                        merge(&mut item.data, &data);
                        for (mine, said) in item.scope.iter_mut().zip(scope) {
                            if said.is_some() {
                                *mine = said;
                            }
                        }
                    }
                    None => {
                        let seq = store.next_seq();
                        store.insert(
                            f,
                            Item {
                                id,
                                seq,
                                scope,
                                data,
                                hidden: Map::new(),
                                seeded: true,
                            },
                        );
                    }
                }
            }
        }
        self.seed_parameter_examples(store);
    }

    fn seed_parameter_examples(&self, store: &mut Store) {
        for (operation, plan) in self.spec.operations.iter().zip(&self.model.plans) {
            let Some(f) = plan.role.family() else {
                continue;
            };
            let family = &self.model.families[f];
            let examples: Vec<Option<String>> = operation
                .segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Param(name) => operation
                        .params
                        .iter()
                        .find(|p| p.location == In::Path && &p.name == name)
                        .map(|p| {
                            p.example
                                .as_ref()
                                .and_then(|e| key_text(&json!({"v": e}), "v"))
                        }),
                    Segment::Literal(_) => None,
                })
                .collect();
            // The parents first, then the item itself.
            let mut wanted: Vec<(usize, usize)> = family
                .parents
                .iter()
                .enumerate()
                .filter_map(|(j, parent)| parent.map(|p| (p, j)))
                .collect();
            if plan.role.on_item() {
                wanted.push((f, family.depth));
            }
            for (g, position) in wanted {
                let Some(Some(id)) = examples.get(position) else {
                    continue;
                };
                if store.get(g, id).is_some() {
                    continue;
                }
                let depth = self.model.families[g].depth;
                let template = store
                    .items(g)
                    .first()
                    .map(|item| item.data.clone())
                    .unwrap_or_else(|| json!({}));
                let mut data = template;
                data[self.model.families[g].key.as_str()] = json!(id);
                let seq = store.next_seq();
                store.insert(
                    g,
                    Item {
                        id: id.clone(),
                        seq,
                        scope: examples[..depth].to_vec(),
                        data,
                        hidden: Map::new(),
                        seeded: true,
                    },
                );
            }
        }
    }
}

/// The figures a page of a list shows, by the field the answer names them
/// with. A field of the response schema named otherwise keeps its example.
const PAGE_FIELDS: &[(&str, Figure)] = &[
    ("page", Figure::Number),
    ("page_number", Figure::Number),
    ("number", Figure::Number),
    ("size", Figure::Size),
    ("total_elements", Figure::Total),
    ("count", Figure::Total),
    ("total", Figure::Total),
    ("total_pages", Figure::Pages),
    ("number_of_elements", Figure::Shown),
    ("next_page", Figure::NextNumber),
    ("paging_state_token", Figure::NextToken),
    ("next_token", Figure::NextToken),
];

#[derive(Clone, Copy)]
enum Figure {
    Number,
    Size,
    Total,
    Pages,
    Shown,
    NextNumber,
    NextToken,
}

/// A cursor: the offset of the next page, base64-encoded so that callers
/// treat it as opaque, as the vendor's.
fn encode_token(offset: usize) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{{\"offset\":{offset}}}"))
}

fn decode_token(token: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    usize::try_from(value.get("offset")?.as_u64()?).ok()
}

/// A non-JSON answer of `media` type.
fn raw(media: &str, example: Option<&Value>, status: u16) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        body: Body::Raw {
            content_type: media.to_string(),
            bytes: raw_body(media, example),
        },
    }
}

/// A field of `data` as an id: a string, or a number written out.
fn key_text(data: &Value, field: &str) -> Option<String> {
    match data.get(field)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Sets every field of `patch` (an object) on `data`.
pub(crate) fn merge(data: &mut Value, patch: &Value) {
    if let (Some(data), Some(patch)) = (data.as_object_mut(), patch.as_object()) {
        for (field, value) in patch {
            data.insert(field.clone(), value.clone());
        }
    }
}

/// A parameter's text values as the JSON its schema types: an integer, a
/// number, a boolean, or an array of them for a repeated parameter. Text
/// that does not parse stays text, for the validator to name.
fn coerce(spec: &Spec, schema: &Value, values: &[&str]) -> Value {
    let one = |schema: &Value, value: &str| -> Value {
        match spec.type_of(schema).as_deref() {
            Some("integer") => value.parse::<i64>().map_or(json!(value), |n| json!(n)),
            Some("number") => value.parse::<f64>().map_or(json!(value), |n| json!(n)),
            Some("boolean") => match value {
                "true" => json!(true),
                "false" => json!(false),
                _ => json!(value),
            },
            _ => json!(value),
        }
    };
    match spec.type_of(schema).as_deref() {
        Some("array") => {
            let items = spec
                .schema(schema)
                .get("items")
                .cloned()
                .unwrap_or(json!({}));
            Value::Array(values.iter().map(|v| one(&items, v)).collect())
        }
        _ => one(schema, values.last().copied().unwrap_or_default()),
    }
}

/// The largest request body the mock reads, 32 MiB: a document with two
/// images of the vendor's 10 MB limit, base64-encoded, fits. A larger body
/// gets a 400.
pub(crate) const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

/// Checks a JSON request body: its content type, that it is JSON, and that
/// it validates against the operation's schema.
fn check_body(
    validator: &jsonschema::Validator,
    headers: &HeaderMap,
    raw: &[u8],
) -> Result<Value, MockError> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(MockError::InvalidRequest(format!(
            "Content-Type must be application/json, not {content_type:?}"
        )));
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MockError::InvalidRequest(
            "The request body is empty; expected a JSON object".into(),
        ));
    }
    let body: Value = serde_json::from_slice(raw).map_err(|e| {
        MockError::InvalidRequest(format!("The request body is not valid JSON: {e}"))
    })?;
    let mut problems = validate(validator, &body);
    if has_long_integer_literal(raw) {
        out_of_range(&body, &mut String::new(), &mut problems);
    }
    if !problems.is_empty() {
        return Err(MockError::InvalidRequest(format!(
            "Invalid request body: {}",
            problems.join("; ")
        )));
    }
    Ok(body)
}

/// Whether the JSON text `raw` writes a whole number of 19 digits or more
/// outside its strings (`-9223372036854775809`): the only way a body can
/// hold an integer beyond 64 bits. A number written with a fraction or an
/// exponent (`9.8e307`, an amount) is a float, valid where the schema says
/// `number`, and is left to the schema.
fn has_long_integer_literal(raw: &[u8]) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < raw.len() && matches!(raw[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                i += 1;
            }
            let token = &raw[start..i];
            let digits = token.iter().filter(|c| c.is_ascii_digit()).count();
            if digits >= 19 && !token.iter().any(|c| matches!(c, b'.' | b'e' | b'E')) {
                return true;
            }
            continue;
        }
        i += 1;
    }
    false
}

/// Adds a problem for every whole number of `value` beyond 64 bits. JSON
/// parsing reads such a number as a float, rounded to the nearest 64-bit
/// bound, so the schema's `minimum` and `maximum` cannot see it.
fn out_of_range(value: &Value, path: &mut String, problems: &mut Vec<String>) {
    match value {
        Value::Number(n)
            if n.is_f64()
                && n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() >= 9.2e18) =>
        {
            let at = if path.is_empty() { "/" } else { path.as_str() };
            problems.push(format!("{at}: is out of the 64-bit integer range"));
        }
        Value::Object(map) => {
            for (key, child) in map {
                let len = path.len();
                path.push('/');
                path.push_str(key);
                out_of_range(child, path, problems);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                out_of_range(child, path, problems);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod long_integer_tests {
    use super::has_long_integer_literal;

    #[test]
    fn only_whole_numbers_of_19_digits_or_more_outside_strings_count() {
        for (raw, long) in [
            (r#"{"n": -9223372036854775809}"#, true),
            (r#"{"n": 12345678901234567890123}"#, true),
            (r#"{"n": 9.844056426475428e+307}"#, false),
            (r#"{"n": -1.851899918191283e+228}"#, false),
            (r#"{"n": 1234567890123456.5}"#, false),
            (r#"{"n": 123}"#, false),
            (r#"{"s": "12345678901234567890123"}"#, false),
            (r#"{"s": "a\"12345678901234567890123"}"#, false),
            (r#"{"s": "a\\", "n": 12345678901234567890123}"#, true),
        ] {
            assert_eq!(has_long_integer_literal(raw.as_bytes()), long, "{raw}");
        }
    }
}
