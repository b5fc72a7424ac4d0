//! omnideck: one operating read across every sales channel.
//!
//! The layout follows DESIGN.md: `core` holds the shared logic as pure
//! functions, `config` reads omnideck.toml and its gates, `report` renders
//! headless output, and `cli` defines the command line `main` dispatches.

pub mod channels;
pub mod cli;
pub mod commands;
pub mod config;
pub mod core;
pub mod live;
pub mod logging;
pub mod report;
pub mod sandbox;
pub mod store;
pub mod ui;
