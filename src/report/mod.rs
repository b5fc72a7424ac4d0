//! Headless renderers: what `check`, `report`, `pricebook` and `runbook`
//! print. They render the same values the cockpit shows.

pub mod check;
pub mod pricebook;
pub mod runbook;
pub mod weekly;
