//! Calling an operation by its id with JSON (feature `dynamic`): for
//! spec-driven tests and tools, which hold the client to documents written in
//! JSON (the vendor's pages, the spec's examples) without code per operation.
//!
//! [`Client::call_operation`] calls any operation of the spec by its
//! `operationId`, with its path, query and header parameters by their names
//! in the spec and its body as JSON ([`Arguments`]). The call goes through the
//! operation's typed builder: each argument is decoded into the type its
//! setter takes, the body into the body's type, and the answer into the
//! operation's type, which is then serialized back to JSON ([`Answer`]). So a
//! call checks what a typed call checks, and an answer that comes back as
//! JSON has been through the types. Errors are the crate's [`Error`]; a bad
//! argument (an unknown operation or parameter, a value of the wrong type, a
//! product whose feature is off) is [`Error::InvalidRequest`], naming the
//! operation and the parameter, never the value.
//!
//! The dispatcher and [`OPERATIONS`] are generated from the spec
//! (`codegen/dispatch.rs`); nothing here knows an operation. It is not the
//! way to use the API from Rust code: the typed methods of [`Client`] are.

// Every call of the crate returns its one `Error`, whose documented-error
// variant holds the decoded body inline; the dispatcher returns what the typed
// calls return rather than a boxed copy.
#![allow(
    clippy::result_large_err,
    reason = "the dispatcher returns the crate's Error, as every typed call does"
)]

use bytes::{Bytes, BytesMut};
use progenitor_client::ByteStream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Body, DecodeProblem};
use crate::{Client, Error, ResponseValue};

/// Every operation of the spec, in the order of its paths, whether its
/// product's feature is on or not.
pub use crate::generated::dynamic::OPERATIONS;

/// An operation of the spec, as the dispatcher knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// Its `operationId`, which is the name of its method of [`Client`].
    pub id: &'static str,
    /// Its product: the crate feature it needs.
    pub product: &'static str,
    /// Whether its product's feature is on in this build.
    pub enabled: bool,
    /// Its HTTP method, upper case.
    pub method: &'static str,
    /// Its key under the spec's `paths`: the path template, with a fragment
    /// when it is a version of its path (`…/search#v2`, DECISIONS.md D21).
    pub path: &'static str,
    /// Its parameters, in the spec's order.
    pub parameters: &'static [Parameter],
    /// Whether it takes a JSON body.
    pub body: bool,
    /// Whether the spec deprecates it.
    pub deprecated: bool,
}

impl Operation {
    /// The operation `id`, if the spec has it.
    pub fn find(id: &str) -> Option<&'static Operation> {
        OPERATIONS.iter().find(|o| o.id == id)
    }

    /// The path template it is sent to: [`path`](Self::path) without a
    /// fragment.
    pub fn wire_path(&self) -> &'static str {
        let path: &'static str = self.path;
        path.split('#').next().unwrap_or(path)
    }

    /// Its parameter `name` (a header's in any case, as HTTP reads them).
    pub fn parameter(&self, name: &str) -> Option<&'static Parameter> {
        let parameters: &'static [Parameter] = self.parameters;
        parameters.iter().find(|p| match p.location {
            Location::Header => p.name.eq_ignore_ascii_case(name),
            _ => p.name == name,
        })
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Parameter {
    /// Its name in the spec (`cardId`, `X-API-Version`).
    pub name: &'static str,
    /// Where it is sent.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// Whether the spec deprecates it.
    pub deprecated: bool,
    /// The one value the spec allows for a required header, which the
    /// client sends itself (`X-API-Version: 2`, DECISIONS.md D21).
    pub fixed: Option<&'static str>,
    /// Whether the client supplies a value when the caller gives none: an
    /// idempotency key, a fresh UUID v4 per call (DECISIONS.md D-T4).
    pub supplied: bool,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// The answer of a call: the success body, through the operation's types.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Answer {
    /// A JSON body, decoded into the operation's type and serialized back.
    Json(Value),
    /// A body that is not JSON (a PDF), as received, read whole within the
    /// client's response size limit (the typed method hands over a
    /// `ByteStream` instead).
    Bytes(Bytes),
    /// No body.
    Empty,
}

/// The arguments of a call: parameters by their names in the spec, and the
/// body. `Debug` shows the names, never the values (which may be personal
/// data).
#[derive(Clone, Default)]
pub struct Arguments {
    parameters: Vec<(String, Argument)>,
    body: Option<Value>,
}

/// A parameter's value as the caller gave it.
#[derive(Clone)]
enum Argument {
    /// A JSON value of the parameter's schema.
    Json(Value),
    /// The text of the value on the wire (a path segment, a query value, a
    /// header), as a page's cURL example writes it.
    Text(String),
    /// The texts of a query parameter given several times, in order: an
    /// array as a URL writes it, the name repeated once per value (OpenAPI's
    /// default `style: form, explode: true`).
    Texts(Vec<String>),
}

impl Arguments {
    /// No parameter and no body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the parameter `name` (a path, query or header parameter, by its
    /// name in the spec) to `value`, a JSON value of its schema (an array for
    /// an array of query values).
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.parameters
            .push((name.into(), Argument::Json(value.into())));
        self
    }

    /// Sets the parameter `name` to the text it has on the wire (a path
    /// segment, a query value, a header value, as a cURL example writes it):
    /// a string when the parameter's type takes one, else the JSON value it
    /// spells (`2`, `true`), since a URL or a header does not say which.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters
            .push((name.into(), Argument::Text(value.into())));
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Checks the arguments against `operation`: every parameter is one of
    /// its own and given once, a fixed header has its value, a body is given
    /// only to an operation that takes one, and every required parameter the
    /// caller must set is there.
    #[allow(
        dead_code,
        reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
    )]
    pub(crate) fn check(self, operation: &'static Operation) -> Result<Checked, Error> {
        let id = operation.id;
        let mut parameters = Vec::with_capacity(self.parameters.len());
        for (name, value) in self.parameters {
            let Some(parameter) = operation.parameter(&name) else {
                let known: Vec<&str> = operation.parameters.iter().map(|p| p.name).collect();
                return Err(invalid(format!(
                    "the operation {id} has no parameter `{name}` (its parameters: {})",
                    known.join(", ")
                )));
            };
            if let Some(at) = parameters.iter().position(|(p, _)| p == &parameter.name) {
                // A query parameter's texts given one by one are an array, as
                // a URL writes it (`operations=TRANSFER&operations=DEPOSIT`);
                // anything else given twice is a mistake.
                let (_, earlier) = &mut parameters[at];
                match (parameter.location, earlier, value) {
                    (Location::Query, Argument::Texts(texts), Argument::Text(text)) => {
                        texts.push(text);
                    }
                    (Location::Query, earlier @ Argument::Text(_), Argument::Text(text)) => {
                        let Argument::Text(first) =
                            std::mem::replace(earlier, Argument::Texts(Vec::new()))
                        else {
                            unreachable!("matched as a text above");
                        };
                        *earlier = Argument::Texts(vec![first, text]);
                    }
                    _ => {
                        return Err(invalid(format!(
                            "the parameter `{name}` of {id} is given twice"
                        )));
                    }
                }
                continue;
            }
            if let Some(fixed) = parameter.fixed {
                // The client sends it; the caller may give it, with its value.
                let given = match &value {
                    Argument::Json(value) => value.as_str(),
                    Argument::Text(text) => Some(text.as_str()),
                    Argument::Texts(_) => None,
                };
                if given != Some(fixed) {
                    return Err(invalid(format!(
                        "the header `{name}` of {id} takes the value {fixed:?} only, which the \
                         client sends by itself"
                    )));
                }
                continue;
            }
            parameters.push((parameter.name, value));
        }
        if let Some(missing) = operation.parameters.iter().find(|p| {
            p.required
                && p.fixed.is_none()
                && !p.supplied
                && !parameters.iter().any(|(n, _)| *n == p.name)
        }) {
            return Err(invalid(format!(
                "the operation {id} needs its parameter `{}`",
                missing.name
            )));
        }
        if self.body.is_some() && !operation.body {
            return Err(invalid(format!("the operation {id} takes no body")));
        }
        Ok(Checked {
            operation,
            parameters,
            body: self.body,
        })
    }
}

impl std::fmt::Debug for Arguments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Arguments")
            .field(
                "parameters",
                &self.parameters.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body.as_ref().map(|_| "<withheld>"))
            .finish()
    }
}

/// Arguments checked against their operation, which the generated
/// dispatcher decodes one by one into the types its builder takes.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
pub(crate) struct Checked {
    operation: &'static Operation,
    parameters: Vec<(&'static str, Argument)>,
    body: Option<Value>,
}

#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
impl Checked {
    /// The value of the parameter `name` (as the spec spells it), decoded
    /// into `T`, when the caller gave it.
    pub(crate) fn parameter<T: DeserializeOwned>(
        &mut self,
        name: &str,
    ) -> Result<Option<T>, Error> {
        let Some(at) = self.parameters.iter().position(|(n, _)| *n == name) else {
            return Ok(None);
        };
        let (_, value) = self.parameters.swap_remove(at);
        let decoded = match value {
            Argument::Json(value) => decode(value),
            // A string first; else the JSON the text spells; else an array
            // of that one value (a query array sent with one value); and when
            // those fail too, the string's error, which names the type
            // expected.
            Argument::Text(text) => decode(Value::String(text.clone())).or_else(|error| {
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|value| decode(value).ok())
                    .or_else(|| decode(Value::Array(vec![spelled(&text)])).ok())
                    .ok_or(error)
            }),
            // Strings first; else the JSON each text spells.
            Argument::Texts(texts) => {
                let strings = texts.iter().cloned().map(Value::String).collect();
                decode(Value::Array(strings)).or_else(|error| {
                    decode(Value::Array(texts.iter().map(|t| spelled(t)).collect()))
                        .map_err(|_| error)
                })
            }
        };
        decoded.map(Some).map_err(|e| {
            invalid(format!(
                "the parameter `{name}` of {}: {e}",
                self.operation.id
            ))
        })
    }

    /// The body, decoded into `T`, when the caller gave one.
    pub(crate) fn body<T: DeserializeOwned>(&mut self) -> Result<Option<T>, Error> {
        let Some(body) = self.body.take() else {
            return Ok(None);
        };
        decode(body)
            .map(Some)
            .map_err(|e| invalid(format!("the body of {}: {e}", self.operation.id)))
    }
}

/// The JSON value a text spells (`2`, `true`), else the text as a string.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
fn spelled(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// Decodes a JSON value, saying where it fails and why, without its values.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
fn decode<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let reason = crate::decode::without_quoted_values(&e.into_inner().to_string());
        if path == "." {
            reason
        } else {
            format!("at {path}: {reason}")
        }
    })
}

fn invalid(message: String) -> Error {
    Error::InvalidRequest(message)
}

impl Client {
    /// Calls the operation `operation_id` of the spec with `arguments`,
    /// through its typed builder, and returns its success body as an
    /// [`Answer`], with the status and headers.
    ///
    /// An operation of a product whose feature is off, an unknown operation
    /// or parameter, a missing required parameter, and an argument that does
    /// not decode into the parameter's type are [`Error::InvalidRequest`]:
    /// nothing is sent. Everything else is what the typed call returns.
    ///
    /// ```no_run
    /// # async fn run(client: cryptomate::Client) -> Result<(), cryptomate::Error> {
    /// use cryptomate::dynamic::{Answer, Arguments};
    ///
    /// let answer = client
    ///     .call_operation(
    ///         "get_individual_client",
    ///         Arguments::new().parameter("id", "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG"),
    ///     )
    ///     .await?;
    /// if let Answer::Json(client) = answer.into_inner() {
    ///     println!("{}", client["email"]);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call_operation(
        &self,
        operation_id: &str,
        arguments: Arguments,
    ) -> Result<ResponseValue<Answer>, Error> {
        crate::generated::dynamic::call(self, operation_id, arguments).await
    }
}

/// The answer of a `send` whose success body is a JSON type.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
pub(crate) fn json<T: Serialize>(
    sent: Result<ResponseValue<T>, Error>,
) -> Result<ResponseValue<Answer>, Error> {
    let value = sent?;
    match serde_json::to_value(&*value) {
        Ok(json) => answered(value, Answer::Json(json)),
        // The generated types serialize what they decoded; a failure here
        // is a type the crate cannot give back as JSON.
        Err(e) => Err(Error::InvalidResponse {
            status: value.status(),
            headers: value.headers().clone(),
            body: Body(Bytes::new()),
            problem: DecodeProblem::WrongShape {
                path: ".".into(),
                reason: format!("the decoded answer does not serialize to JSON: {e}"),
            },
        }),
    }
}

/// The answer of a `send` whose success body is not JSON (a PDF): the
/// stream the typed call hands over, read whole within the client's response
/// size limit, as every JSON body is.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
pub(crate) async fn stream(
    client: &Client,
    sent: Result<ResponseValue<ByteStream>, Error>,
) -> Result<ResponseValue<Answer>, Error> {
    let value = sent?;
    let status = value.status();
    let headers = value.headers().clone();
    let limit = client.inner.max_response_bytes();
    let mut stream = value.into_inner_stream();
    let mut body = BytesMut::new();
    while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(source) => {
                return Err(Error::ResponseBody {
                    status,
                    headers,
                    source,
                });
            }
        };
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge {
                status,
                headers,
                limit,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(ResponseValue::new(
        Answer::Bytes(body.freeze()),
        status,
        headers,
    ))
}

/// The answer of a `send` without a success body.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
pub(crate) fn empty(
    sent: Result<ResponseValue<()>, Error>,
) -> Result<ResponseValue<Answer>, Error> {
    answered(sent?, Answer::Empty)
}

/// The error of an operation that documents no error body (`Error<()>`) as
/// the crate's `Error`: a documented error status without a body type cannot
/// arise (the generated code has no such status), so it reads as an
/// unexpected one.
#[allow(
    dead_code,
    reason = "only operations without a documented error call it, and a spec may have none"
)]
pub(crate) fn without_error_body(error: Error<()>) -> Error {
    match error {
        Error::InvalidRequest(message) => Error::InvalidRequest(message),
        Error::Connect(e) => Error::Connect(e),
        Error::Timeout(e) => Error::Timeout(e),
        Error::Transport(e) => Error::Transport(e),
        Error::ResponseBody {
            status,
            headers,
            source,
        } => Error::ResponseBody {
            status,
            headers,
            source,
        },
        Error::ResponseTooLarge {
            status,
            headers,
            limit,
        } => Error::ResponseTooLarge {
            status,
            headers,
            limit,
        },
        Error::ErrorResponse(value) => Error::UnexpectedResponse {
            status: value.status(),
            headers: value.headers().clone(),
            body: Body(Bytes::new()),
        },
        Error::InvalidResponse {
            status,
            headers,
            body,
            problem,
        } => Error::InvalidResponse {
            status,
            headers,
            body,
            problem,
        },
        Error::UnexpectedResponse {
            status,
            headers,
            body,
        } => Error::UnexpectedResponse {
            status,
            headers,
            body,
        },
    }
}

/// `value`'s status and headers with `answer`.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
fn answered<T>(value: ResponseValue<T>, answer: Answer) -> Result<ResponseValue<Answer>, Error> {
    value.map(|_| answer)
}

/// The error of an operation id the spec does not have.
pub(crate) fn unknown(operation_id: &str) -> Error {
    invalid(format!("the spec has no operation `{operation_id}`"))
}

/// The error of an operation whose product's feature is off.
#[allow(
    dead_code,
    reason = "the generated dispatcher calls it for the operations that need it; a build may have none"
)]
pub(crate) fn disabled(operation: &Operation) -> Error {
    invalid(format!(
        "the operation {} needs the crate feature `{}`",
        operation.id, operation.product
    ))
}
