//! What the connector remembers between polls about fee estimates and
//! detail-page offers, so that each poll re-reads only a bounded share of
//! them (a rolling refresh) and still reports the rest from earlier polls.
//!
//! Why rolling: even batched, fees (20 SKUs a request at 0.5/s) take about
//! 33 minutes and offers (20 ASINs a request at 0.1/s) about 2.8 hours for
//! 20k SKUs, far longer than the stock and listings they price. Each poll
//! spends its [`RefreshBudget`] on the SKUs never read, then those whose
//! price changed since they were read, then the longest unread; everything
//! else keeps its last reading, whose age a fee estimate carries in
//! `estimated_at`.

use std::collections::BTreeMap;

use crate::core::money::Money;
use crate::core::promotion::CompetitorOffer;
use crate::core::snapshot::FeeEstimate;

/// How much of the pricing data one poll re-reads.
///
/// The defaults are sized for a 20k-SKU account so the pricing steps take
/// no longer than stock and listings do (about 400 s of usage-plan time:
/// 300–400 inventory pages at 2/s and 1000 listing searches at 5/s): 2000
/// fee estimates are 100 requests at 0.5/s (≈ 200 s), 400 ASINs' offers
/// are 20 requests at 0.1/s (≈ 190 s). A smaller account is re-read whole
/// every poll; a 20k-SKU one re-estimates every fee in 10 polls and every
/// detail page in 50, the fastest the plans allow for that share of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshBudget {
    /// Seller SKUs whose fees are re-estimated per poll.
    pub fees: usize,
    /// ASINs whose offers are re-read per poll.
    pub offers: usize,
}

impl Default for RefreshBudget {
    fn default() -> Self {
        Self { fees: 2000, offers: 400 }
    }
}

/// Which seller SKUs (fees) and ASINs (offers) the last poll re-read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub fees: Vec<String>,
    pub offers: Vec<String>,
}

/// One remembered reading: `None` until a read succeeds.
#[derive(Debug, Clone)]
pub(super) struct Kept<T> {
    pub(super) value: Option<T>,
    /// The listing price the reading was taken at.
    price: Option<Money>,
    /// The poll that last tried to read it (success or not).
    tried_in: u64,
}

/// Readings by key (seller SKU for fees, ASIN for offers).
pub(super) type Readings<T> = BTreeMap<String, Kept<T>>;

#[derive(Debug, Default)]
pub(super) struct Ledger {
    poll: u64,
    pub(super) fees: Readings<FeeEstimate>,
    pub(super) offers: Readings<Vec<CompetitorOffer>>,
    pub(super) refreshed: Refreshed,
}

impl Ledger {
    pub(super) fn start_poll(&mut self) {
        self.poll += 1;
        self.refreshed = Refreshed::default();
    }

    pub(super) fn poll(&self) -> u64 {
        self.poll
    }
}

/// Records a read of `key` at `price`: `Some` on success; a failure keeps
/// the earlier reading but moves the key back in the queue, so a SKU that
/// always fails cannot take the whole budget every poll.
pub(super) fn record<T>(readings: &mut Readings<T>, key: &str, price: Option<Money>, value: Option<T>, poll: u64) {
    let kept = readings.entry(key.to_owned()).or_insert(Kept { value: None, price, tried_in: poll });
    kept.tried_in = poll;
    if value.is_some() {
        kept.value = value;
        kept.price = price;
    }
}

/// The positions in `candidates` (key, current price) to read this poll:
/// at most `budget`, never-read first, then price changed, then the
/// longest untried; ties in candidate order.
pub(super) fn due<T>(readings: &Readings<T>, candidates: &[(&str, Option<Money>)], budget: usize) -> Vec<usize> {
    let mut order: Vec<(u8, u64, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, (key, price))| match readings.get(*key) {
            None => (0, 0, i),
            Some(k) if k.value.is_none() => (0, k.tried_in, i),
            Some(k) if k.price != *price => (1, k.tried_in, i),
            Some(k) => (2, k.tried_in, i),
        })
        .collect();
    order.sort_unstable();
    order.into_iter().take(budget).map(|(_, _, i)| i).collect()
}

/// Files every candidate a full poll saw under an empty reading, so an
/// incremental poll can tell a listing new since then (read it at once)
/// from one still waiting its turn in the full polls' rotation (leave it
/// there). An empty reading untried (`tried_in` 0) ranks in [`due`] exactly
/// as an unknown key does, so the full polls' order is unchanged.
pub(super) fn enqueue<T>(readings: &mut Readings<T>, candidates: &[(&str, Option<Money>)]) {
    for (key, price) in candidates {
        readings.entry((*key).to_owned()).or_insert(Kept { value: None, price: *price, tried_in: 0 });
    }
}

/// The positions in `candidates` an incremental poll reads: at most
/// `budget` of those unknown to every full poll so far, or read and
/// repriced since. Never the oldest-first rotation: that belongs to full
/// polls, and would cost an incremental poll as much as a full one.
pub(super) fn changed<T>(readings: &Readings<T>, candidates: &[(&str, Option<Money>)], budget: usize) -> Vec<usize> {
    let is_changed = |key: &str, price: &Option<Money>| match readings.get(key) {
        None => true,
        Some(k) => k.value.is_some() && k.price != *price,
    };
    (0..candidates.len()).filter(|&i| is_changed(candidates[i].0, &candidates[i].1)).take(budget).collect()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::core::money::Currency;

    #[expect(clippy::unnecessary_wraps, reason = "listings carry optional prices")]
    fn usd(amount: rust_decimal::Decimal) -> Option<Money> {
        Some(Money::new(amount, Currency::USD))
    }

    #[test]
    fn never_read_then_repriced_then_oldest() {
        let mut readings: Readings<u8> = Readings::new();
        record(&mut readings, "old", usd(dec!(10)), Some(1), 1);
        record(&mut readings, "newer", usd(dec!(10)), Some(1), 2);
        record(&mut readings, "repriced", usd(dec!(10)), Some(1), 2);
        let candidates =
            [("newer", usd(dec!(10))), ("old", usd(dec!(10))), ("repriced", usd(dec!(12))), ("fresh", usd(dec!(5)))];
        assert_eq!(due(&readings, &candidates, 3), vec![3, 2, 1]);
        assert_eq!(due(&readings, &candidates, 10).len(), 4);
    }

    #[test]
    fn a_failed_read_keeps_the_last_value_and_goes_to_the_back() {
        let mut readings: Readings<u8> = Readings::new();
        record(&mut readings, "a", usd(dec!(10)), Some(7), 1);
        record(&mut readings, "a", usd(dec!(11)), None, 2);
        assert_eq!(readings["a"].value, Some(7));
        record(&mut readings, "b", None, None, 3);
        record(&mut readings, "c", None, None, 2);
        assert_eq!(due(&readings, &[("b", None), ("c", None)], 1), vec![1], "c waited longer");
    }

    #[test]
    fn an_incremental_poll_reads_only_new_and_repriced_keys() {
        let mut readings: Readings<u8> = Readings::new();
        record(&mut readings, "read", usd(dec!(10)), Some(1), 1);
        record(&mut readings, "repriced", usd(dec!(10)), Some(1), 1);
        enqueue(&mut readings, &[("queued", usd(dec!(10))), ("read", usd(dec!(99)))]);
        assert_eq!(readings["read"].price, usd(dec!(10)), "enqueue keeps an existing reading");
        let candidates =
            [("read", usd(dec!(10))), ("queued", usd(dec!(12))), ("repriced", usd(dec!(12))), ("new", usd(dec!(5)))];
        assert_eq!(changed(&readings, &candidates, 10), vec![2, 3]);
        assert_eq!(changed(&readings, &candidates, 1), vec![2]);
        assert_eq!(due(&readings, &candidates, 2), vec![1, 3], "the full polls still read the queue first");
    }
}
