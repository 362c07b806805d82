#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The HTTP client and everything it needs (feature `client`, on by default).
// Without it the crate is the types, their builders, and the hand-written
// types they use, on serde, serde_json, chrono and rust_decimal only; the products' features
// choose which operations and types there are (`codegen/features.rs`), and
// `schemars` adds the types' JSON Schemas.
#[cfg(feature = "client")]
mod auth;
// The generated operations call `body` and `decode`; a build without every
// product (the default) may have no operation at all.
#[cfg(feature = "client")]
#[cfg_attr(
    not(feature = "default"),
    allow(dead_code, reason = "only the generated operations use it")
)]
mod body;
#[cfg(feature = "client")]
mod config;
mod decimal;
#[cfg(feature = "client")]
#[cfg_attr(
    not(feature = "default"),
    allow(dead_code, reason = "only the generated operations use it")
)]
mod decode;
#[cfg(feature = "dynamic")]
#[cfg_attr(docsrs, doc(cfg(feature = "dynamic")))]
pub mod dynamic;
#[cfg(feature = "client")]
mod error;
mod generated;
#[cfg(feature = "client")]
#[allow(
    dead_code,
    reason = "only the builders of operations that take an idempotency key use it"
)]
mod idempotency;
mod ids;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod open_enum;
#[cfg(feature = "client")]
mod pace;
// The runtime of the generated `pages()` and `items()`; a build without the
// products that page has none.
#[cfg(feature = "client")]
#[cfg_attr(
    not(feature = "default"),
    allow(dead_code, reason = "only the generated paginated operations use it")
)]
mod pages;
// Every generated operation with a path parameter calls it.
#[cfg(feature = "client")]
#[cfg_attr(
    not(feature = "default"),
    allow(dead_code, reason = "only the generated operations use it")
)]
mod path;
#[cfg(feature = "client")]
mod retry;
mod sensitive;
mod str_de;
mod timestamp;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

#[cfg(feature = "client")]
pub use auth::{ApiKey, Settings};
#[cfg(feature = "client")]
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_BASE_URL,
    PRODUCTION_URL, SANDBOX_URL,
};
pub use decimal::Decimal;
#[cfg(feature = "client")]
pub use error::DEFAULT_MAX_RESPONSE_BYTES;
#[cfg(feature = "client")]
#[allow(
    deprecated,
    reason = "re-exported so that code naming it keeps compiling, with a warning"
)]
pub use error::MAX_RESPONSE_BYTES;
#[cfg(feature = "client")]
pub use error::{Body, ConfigError, DecodeProblem, Error, ErrorBody};
pub use generated::types;
#[cfg(feature = "client")]
pub use generated::{ByteStream, Client, ClientInfo, ResponseValue, builder};
pub use ids::{CountryCode, IdError};
// The open enums and ids this crate had at its root before the generator wrote
// them (`types::…`, like every generated type); kept here for the code that
// names them so. New ones are in `types` only.
#[cfg(feature = "management")]
pub use generated::types::{
    ClientId, ClientStatus, ClientType, IndividualClientStatus, ProductRequestId,
    ProductRequestStatus, Subproduct,
};
#[cfg(feature = "client")]
pub use pace::{DEFAULT_REQUESTS_PER_SECOND, Pacer, VENDOR_REQUESTS_PER_SECOND};
#[cfg(feature = "client")]
pub use retry::{RetryEvent, RetryPolicy, RetryReason, RetryRule};
pub use sensitive::Sensitive;
pub use timestamp::{Timestamp, TimestampError};

/// The decimal library `Decimal` holds (`Decimal::get`, `Deref`), re-exported
/// so that callers need no version match.
pub use rust_decimal;

/// The date library of the generated types (`birth_date` is a
/// `chrono::NaiveDate`), re-exported so that callers need no version match.
pub use chrono;

/// The JSON Schema library of the generated types' `JsonSchema` derives,
/// re-exported so that callers need no version match.
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub use schemars;
