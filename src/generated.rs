//! The code progenitor generates from `openapi/cryptomate.yaml`.
//!
//! Nothing here is written by hand; the crate root re-exports what users need.
#![allow(
    clippy::all,
    clippy::restriction,
    missing_docs,
    unused_imports,
    unused_mut
)]

include!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));
