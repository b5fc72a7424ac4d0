//! Channel connectors: one module per API, each turning its payloads into
//! `core` types and nothing else, plus the pacing and retry primitives they
//! share with the sandbox that imitates them.

pub mod amazon;
pub mod ebay;
pub mod error;
pub mod faire;
pub mod files;
pub mod http;
pub mod limit;
pub(crate) mod oauth;
pub mod poller;
pub mod registry;
pub mod rest;
pub mod retry;
pub mod shipbob;
pub mod shopify;
pub mod token;

pub use error::ChannelError;
