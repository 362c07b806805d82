#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod config;
mod decode;
mod error;
mod generated;
mod ids;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod open_enum;
mod retry;
mod sensitive;
mod timestamp;

pub use auth::{ApiKey, Settings};
pub use config::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_BASE_URL,
    PRODUCTION_URL, SANDBOX_URL,
};
pub use error::{Body, ConfigError, DecodeProblem, Error, ErrorBody, MAX_RESPONSE_BYTES};
pub use generated::{Client, ClientInfo, ResponseValue, builder, types};
pub use ids::{ClientId, CountryCode, IdError, ProductRequestId};
pub use open_enum::{
    ClientStatus, ClientType, IndividualClientStatus, ProductRequestStatus, Subproduct,
};
pub use retry::RetryPolicy;
pub use sensitive::Sensitive;
pub use timestamp::{Timestamp, TimestampError};

/// The date library of the generated types (`birth_date` is a
/// `chrono::NaiveDate`), re-exported so that callers need no version match.
pub use chrono;

/// The JSON Schema library of the generated types' `JsonSchema` derives,
/// re-exported so that callers need no version match.
pub use schemars;
