//! The review's items, from the read: the ranked next decisions first,
//! then open escalations, margin flags, promotion collisions and scarce
//! SKUs. Each carries the key its actions are recorded against — the
//! escalation or condition key where there is one, so acknowledging a
//! floor breach in the review acknowledges its escalation too.

use std::collections::BTreeSet;

use crate::ui::view::{EscalationRow, Field, Level, MarginRow, NextRow, PromoRow, ReadView, StockRow};

/// One thing that needs a decision, with what the operator needs to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    pub key: String,
    /// "next decision", "escalation", "margin flag", "collision", "stock".
    pub kind: &'static str,
    pub title: String,
    pub level: Level,
    pub channel: Option<String>,
    pub sku: Option<String>,
    pub owner: String,
    pub due: String,
    pub context: Vec<Field>,
    /// Whom it can be handed to: the channel's owner and chain, or
    /// everyone named on any channel when it belongs to none.
    pub people: Vec<String>,
}

/// Every item in review order, each key once (the first, most urgent
/// framing wins), without those deferred to a later date.
pub fn items(read: &ReadView) -> Vec<ReviewItem> {
    let all = read
        .next
        .iter()
        .map(next_item)
        .chain(read.escalations.iter().map(escalation_item))
        .chain(read.margin.iter().map(margin_item))
        .chain(read.promotions.rows.iter().filter(|r| !r.collisions.is_empty()).map(promo_item))
        .chain(read.stock.rows.iter().filter(|r| r.scarce || r.level == Level::Critical).map(stock_item));
    let mut seen = BTreeSet::new();
    let mut out: Vec<ReviewItem> =
        all.filter(|i| !read.deferred.contains_key(&i.key) && seen.insert(i.key.clone())).collect();
    for item in &mut out {
        item.people = people(read, item.channel.as_deref());
        if let Some(to) = read.reassigned.get(&item.key) {
            item.owner = format!("{to} (reassigned)");
        }
    }
    out
}

fn people(read: &ReadView, channel: Option<&str>) -> Vec<String> {
    if let Some(names) = channel.and_then(|c| read.people.get(c)) {
        return names.clone();
    }
    let mut all: Vec<String> = Vec::new();
    for name in read.people.values().flatten() {
        if !all.contains(name) {
            all.push(name.clone());
        }
    }
    all
}

fn item(key: String, kind: &'static str, title: String, level: Level) -> ReviewItem {
    ReviewItem {
        key,
        kind,
        title,
        level,
        channel: None,
        sku: None,
        owner: "—".to_owned(),
        due: "—".to_owned(),
        context: Vec::new(),
        people: Vec::new(),
    }
}

fn next_item(r: &NextRow) -> ReviewItem {
    ReviewItem {
        channel: r.channel.clone(),
        owner: r.owner.clone(),
        due: r.due.clone(),
        context: vec![Field::secret(format!("at stake: {}", r.at_stake))],
        ..item(r.key.clone(), "next decision", r.what.clone(), r.level)
    }
}

fn escalation_item(r: &EscalationRow) -> ReviewItem {
    ReviewItem {
        channel: (r.channel != "—").then(|| r.channel.clone()),
        owner: r.owner.clone(),
        due: r.due.clone(),
        context: r.detail.clone(),
        ..item(r.key.clone(), "escalation", r.summary.clone(), r.level)
    }
}

/// Floor and MAP breaches are escalation conditions; their key is the
/// condition's, so the escalation steps when the review acts on the flag.
fn margin_item(r: &MarginRow) -> ReviewItem {
    let key = match r.kind {
        "floor" => format!("floor:{}:{}", r.sku, r.channel),
        "MAP" => format!("map:{}:{}", r.sku, r.channel),
        other => format!("flag:{}:{}:{other}", r.channel, r.sku),
    };
    ReviewItem {
        channel: Some(r.channel.clone()),
        sku: Some(r.sku.clone()),
        owner: r.owner.clone().unwrap_or_else(|| "—".to_owned()),
        context: r.detail.clone(),
        ..item(key, "margin flag", format!("{} on {} ({})", r.sku, r.channel, r.kind), r.level)
    }
}

fn promo_item(r: &PromoRow) -> ReviewItem {
    ReviewItem {
        channel: Some(r.channel.clone()),
        sku: Some(r.sku.clone()),
        owner: if r.owners.is_empty() { "—".to_owned() } else { r.owners.clone() },
        context: r.detail.clone(),
        ..item(
            format!("promo:{}:{}", r.sku, r.channel),
            "collision",
            format!("{} on {}: {}", r.sku, r.channel, r.collisions),
            r.level,
        )
    }
}

/// `cover:<sku>` is the low-cover condition's key.
fn stock_item(r: &StockRow) -> ReviewItem {
    let what = if r.level == Level::Critical { "out of stock" } else { "scarce" };
    ReviewItem {
        sku: Some(r.sku.clone()),
        context: r.detail.clone(),
        ..item(format!("cover:{}", r.sku), "stock", format!("{} {what}", r.sku), r.level)
    }
}
