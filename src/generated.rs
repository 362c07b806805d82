//! The code progenitor generates from `openapi/cryptomate.yaml`.
//!
//! Nothing here is written by hand; the crate root re-exports what users need.
#![allow(
    clippy::all,
    clippy::restriction,
    missing_docs,
    unused_imports,
    unused_mut,
    reason = "generated code is reviewed through its snapshot, not held to the hand-written \
              code's lints; progenitor imports and binds more than each spec uses"
)]

include!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));
