//! The shared operating logic: plain data and pure functions.
//!
//! Nothing here does I/O, reads the clock or imports an async runtime, HTTP
//! client, terminal or database crate (`tests/core_is_pure.rs` enforces
//! it): every engine takes owned values and `now` as arguments, so each
//! rule can be tested with plain values.

pub mod allocation;
pub mod catalog;
pub mod channel;
pub mod collisions;
pub mod conditions;
pub mod contribution;
pub mod decisions;
pub mod escalation;
pub mod evaluate;
pub mod fba_inbound;
pub mod fee_calc;
pub mod fees;
pub mod floor;
pub mod ids;
pub mod inventory;
pub mod inventory_facts;
mod inventory_merge;
pub mod kits;
pub mod listing;
pub mod location;
pub mod market;
pub mod money;
pub mod orders;
pub mod pools;
pub mod price_flags;
pub mod pricebook;
pub mod pricing;
pub mod promotion;
pub mod readback;
pub mod reconcile;
pub mod replenish;
pub mod rules;
pub mod snapshot;
pub mod stock;
pub mod stock_view;
pub mod text;
pub mod velocity;
