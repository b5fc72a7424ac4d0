//! Incremental polls: what an Amazon poll reads when it only needs what
//! changed since the last successful one, and when a full poll is due.
//!
//! An incremental poll reads the FBA summaries changed since then
//! (`startDateTime`), the listings of those SKUs plus the next
//! 1/[`ROTATION_POLLS`] of all listings, orders created since then, and
//! fees and offers only for listings new or repriced since they were read.
//! Merchant-fulfilled listings have no inventory summary to say they
//! changed, and a repricing does not touch the summary either: the rotating
//! share re-reads every listing (and so sees every price change) within
//! [`ROTATION_POLLS`] incremental polls while the account's size holds, and
//! every full poll re-reads them all.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::steps::{FbaIds, Poll};

/// Incremental polls between two full ones. A full poll is the only one
/// that sees a SKU leave FBA inventory or a listing deleted (an absence is
/// not a change), and it resumes the oldest-first refresh of fees and
/// offers; at the default interval this bounds how long a deletion lingers
/// without making full polls (≈ 736 s of usage-plan time at 20k SKUs) the
/// bulk of the rate budget.
pub const FULL_EVERY: u32 = 60;

/// Longest time between full polls whatever the interval, for the same
/// reason as [`FULL_EVERY`]: a slow interval would otherwise let a deleted
/// listing stay on screen for days.
pub const FULL_MAX_AGE: SignedDuration = SignedDuration::from_hours(6);

/// An incremental poll re-reads 1/`ROTATION_POLLS` of all listings (at
/// 20k SKUs, 667 listings in 34 searches: under 3% of a full poll's
/// requests), so a merchant listing or a price is never more than this many
/// polls old.
pub const ROTATION_POLLS: usize = 30;

/// How far before the last poll's start an incremental poll asks for
/// changed summaries: a change Amazon stamps just before that start but
/// indexes after it would otherwise be missed until the next full poll.
/// Reading a summary twice only upserts it again.
pub const CHANGE_OVERLAP: SignedDuration = SignedDuration::from_mins(5);

/// What the connector keeps between polls besides the pricing ledger.
#[derive(Debug, Default)]
pub(super) struct Between {
    /// What FBA inventory said of each seller SKU: replaced by a full poll,
    /// updated by an incremental one (whose summaries are only the changed).
    fba: BTreeMap<String, FbaIds>,
    last_full: Option<Timestamp>,
    incremental_since_full: u32,
    /// Where the next rotating share of listings starts.
    cursor: usize,
}

impl Between {
    /// Whether the next poll must read everything.
    pub(super) fn full_due(&self, now: Timestamp) -> bool {
        self.last_full
            .is_none_or(|at| self.incremental_since_full >= FULL_EVERY || now.duration_since(at) >= FULL_MAX_AGE)
    }

    /// A full poll at `now` read `fba`: every FBA SKU there is.
    pub(super) fn full_done(&mut self, fba: &BTreeMap<String, FbaIds>, now: Timestamp) {
        self.fba.clone_from(fba);
        self.last_full = Some(now);
        self.incremental_since_full = 0;
    }

    pub(super) fn incremental_done(&mut self) {
        self.incremental_since_full += 1;
    }

    /// The listings an incremental poll reads, after its inventory step
    /// left only the changed summaries in `poll.fba`: those SKUs, plus the
    /// next rotating share of everything wanted. `poll.fba` is then every
    /// FBA SKU known, for the ASIN, FNSKU and title of rotated listings.
    pub(super) fn plan_listings(&mut self, poll: &mut Poll<'_>) -> BTreeMap<String, bool> {
        let changed: Vec<String> = poll.fba.keys().cloned().collect();
        self.fba.append(&mut poll.fba);
        poll.fba.clone_from(&self.fba);
        let mut wanted = rotation(&poll.wanted(), &mut self.cursor);
        wanted.extend(changed.into_iter().map(|sku| (sku, true)));
        wanted
    }
}

/// The next `all.len() / ROTATION_POLLS` (rounded up) entries of `all`
/// from `cursor`, wrapping round, and the cursor moved past them.
fn rotation(all: &BTreeMap<String, bool>, cursor: &mut usize) -> BTreeMap<String, bool> {
    if all.is_empty() {
        return BTreeMap::new();
    }
    let share = all.len().div_ceil(ROTATION_POLLS);
    let start = *cursor % all.len();
    *cursor = (start + share) % all.len();
    all.iter().cycle().skip(start).take(share).map(|(sku, fba)| (sku.clone(), *fba)).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_rotation_covers_every_listing_within_its_bound() {
        let all: BTreeMap<String, bool> = (0..95).map(|n| (format!("SKU-{n:03}"), n % 2 == 0)).collect();
        let mut cursor = 0;
        let mut seen = BTreeSet::new();
        for _ in 0..ROTATION_POLLS {
            let share = rotation(&all, &mut cursor);
            assert_eq!(share.len(), 4, "95 listings over {ROTATION_POLLS} polls, rounded up");
            seen.extend(share.into_keys());
        }
        assert_eq!(seen.len(), all.len());
    }

    #[test]
    fn a_full_poll_is_due_first_then_every_n_polls_or_after_the_age() {
        let at: Timestamp = "2026-11-27T08:00:00Z".parse().unwrap_or_default();
        let mut between = Between::default();
        assert!(between.full_due(at), "nothing read yet");
        between.full_done(&BTreeMap::new(), at);
        assert!(!between.full_due(at));
        assert!(between.full_due(at + FULL_MAX_AGE));
        for _ in 0..FULL_EVERY {
            between.incremental_done();
        }
        assert!(between.full_due(at));
    }
}
