//! Promotions of channels that have no promotion API (Amazon deals and
//! coupons, wholesale promotions, marketplace markdowns), written in
//! omnideck.toml as `[[promotions]]` or as rows of the CSV named by
//! `[promotions_file]`.
//!
//! An entry and a row go through the one check below, so they are refused
//! for the same reasons; only the place differs (`promotions[2].end` in the
//! config, `file:line:column` in the CSV). The accepted promotions enter the
//! snapshot as the source [`CONFIG_SOURCE`] (see `live::Engine`), so they
//! meet the same collision detection as the promotions an API reports.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::build::Ctx;
use super::schema::{PromotionKind, RawChannel, RawConfig, RawItem, RawPromotion};
use super::values::Amount;
use crate::core::ids::{ChannelId, Sku, SourceId};
use crate::core::money::{Currency, Money};
use crate::core::promotion::{CONFIG_SOURCE, Discount, PromoScope, Promotion, Window};

/// Reports a problem at a path below one promotion (`["end"]`, `["skus", "1"]`).
pub(super) type Report<'r> = &'r mut dyn FnMut(&[&str], String);

/// What a promotion may refer to.
pub(super) struct Known<'a> {
    channels: &'a BTreeMap<String, RawChannel>,
    catalog: &'a BTreeMap<String, RawItem>,
    zone: Option<TimeZone>,
}

impl<'a> Known<'a> {
    pub fn new(raw: &'a RawConfig) -> Self {
        Known { channels: &raw.channels, catalog: &raw.catalog, zone: TimeZone::get(&raw.brand.time_zone).ok() }
    }
}

impl PromotionKind {
    pub fn name(self) -> &'static str {
        match self {
            PromotionKind::Deal => "deal",
            PromotionKind::Coupon => "coupon",
            PromotionKind::Markdown => "markdown",
            PromotionKind::Wholesale => "wholesale",
            PromotionKind::Other => "promotion",
        }
    }
}

/// Every promotion the config holds, entries first, then the CSV's rows.
pub(super) fn build(raw: &RawConfig, ctx: &mut Ctx<'_>) -> Vec<Promotion> {
    let known = Known::new(raw);
    let mut out = Vec::new();
    for (i, p) in raw.promotions.iter().enumerate() {
        let idx = i.to_string();
        let mut report = |sub: &[&str], msg: String| {
            let mut path = vec!["promotions", idx.as_str()];
            path.extend_from_slice(sub);
            ctx.err(&path, msg);
        };
        out.extend(check(p, &known, &mut report));
    }
    if let Some(file) = &raw.promotions_file {
        out.extend(super::promotions_csv::read(&file.path, &known, ctx));
    }
    refuse_duplicates(&out, ctx);
    out
}

fn refuse_duplicates(all: &[Promotion], ctx: &mut Ctx<'_>) {
    let mut seen = BTreeSet::new();
    for p in all {
        if !seen.insert((&p.channel, &p.id)) {
            let msg = format!("promotion {:?} on {} is written twice; ids must be unique per channel", p.id, p.channel);
            ctx.err(&["promotions"], msg);
        }
    }
}

/// One written promotion, checked; `None` when something is wrong (and
/// reported).
pub(super) fn check(p: &RawPromotion, known: &Known<'_>, report: Report<'_>) -> Option<Promotion> {
    let before = problems(p, known, report);
    let channel = known.channels.get(&p.channel)?;
    let zone = zone(p, known)?;
    let start = instant(&p.start, &zone)?;
    let end = match &p.end {
        Some(e) => Some(instant(e, &zone)?),
        None => None,
    };
    let discount = discount(p, channel.currency)?;
    let scope = scope(p, known)?;
    let window = Window::new(start, end).ok()?;
    if before > 0 {
        return None;
    }
    Some(Promotion {
        id: p.id.clone(),
        title: p.title.clone().unwrap_or_else(|| format!("{} {}", p.kind.name(), p.id)),
        channel: ChannelId::new(p.channel.as_str()).ok()?,
        scope,
        discount,
        window,
        campaign_id: p.campaign_id.clone(),
        source: SourceId::new(CONFIG_SOURCE).ok()?,
    })
}

/// Report everything wrong with `p`; the count of problems.
fn problems(p: &RawPromotion, known: &Known<'_>, report: Report<'_>) -> usize {
    let mut n = 0;
    let mut say = |sub: &[&str], msg: String| {
        n += 1;
        report(sub, msg);
    };
    if p.id.trim().is_empty() {
        say(&["id"], "expected a promotion id, found an empty string".to_owned());
    }
    if p.campaign_id.as_ref().is_some_and(|c| c.trim().is_empty()) {
        say(&["campaign_id"], "expected a campaign id, found an empty string".to_owned());
    }
    let channel = known.channels.get(&p.channel);
    if channel.is_none() {
        say(&["channel"], format!("unknown channel {:?}", p.channel));
    }
    window_problems(p, known, &mut say);
    if let Some(c) = channel {
        discount_problems(p, &p.channel, c.currency, &mut say);
    }
    scope_problems(p, known, &mut say);
    n
}

fn zone(p: &RawPromotion, known: &Known<'_>) -> Option<TimeZone> {
    match &p.time_zone {
        Some(tz) => TimeZone::get(tz).ok(),
        None => known.zone.clone(),
    }
}

/// `2025-06-01` (midnight), `2025-06-01T09:00` in `zone`, or an instant
/// with an offset (`2025-06-01T09:00Z`).
fn instant(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil =
        t.parse::<DateTime>().ok().or_else(|| t.parse::<Date>().ok().map(|d| d.to_datetime(Time::midnight())))?;
    zone.to_timestamp(civil).ok()
}

const WHEN: &str = "a date like \"2025-06-01\" or a time like \"2025-06-01T09:00\"";

fn window_problems(p: &RawPromotion, known: &Known<'_>, say: &mut impl FnMut(&[&str], String)) {
    if let Some(tz) = p.time_zone.as_ref().filter(|tz| TimeZone::get(tz).is_err()) {
        say(&["time_zone"], format!("expected an IANA time zone like \"Europe/Berlin\", found {tz:?}"));
    }
    let Some(zone) = zone(p, known) else { return };
    let start = instant(&p.start, &zone);
    if start.is_none() {
        say(&["start"], format!("expected {WHEN}, found {:?}", p.start));
    }
    let Some(end_text) = &p.end else { return };
    match (start, instant(end_text, &zone)) {
        (_, None) => say(&["end"], format!("expected {WHEN}, found {end_text:?}")),
        (Some(s), Some(e)) if e <= s => {
            say(&["end"], format!("expected an end after the start {:?}, found {end_text:?}", p.start));
        }
        _ => {}
    }
}

fn written_discounts(p: &RawPromotion) -> Vec<&'static str> {
    let set = [
        ("percent_off", p.percent_off.is_some()),
        ("amount_off", p.amount_off.is_some()),
        ("fixed_price", p.fixed_price.is_some()),
    ];
    set.iter().filter(|(_, on)| *on).map(|(k, _)| *k).collect()
}

fn discount_problems(p: &RawPromotion, channel: &str, cur: Currency, say: &mut impl FnMut(&[&str], String)) {
    match written_discounts(p).as_slice() {
        [] => say(&["percent_off"], "expected one of percent_off, amount_off or fixed_price".to_owned()),
        [_] => {}
        [_, second, ..] => {
            say(&[second], "expected one of percent_off, amount_off or fixed_price, found several".into());
        }
    }
    let amounts = [("amount_off", p.amount_off), ("fixed_price", p.fixed_price)];
    for (key, amount) in amounts.iter().filter_map(|(k, a)| a.map(|a| (*k, a))) {
        if let Some(c) = amount.currency.filter(|c| *c != cur) {
            let found = format!("{} {c}", amount.value);
            say(&[key], format!("expected an amount in {cur}, the currency of channel {channel}, found {found}"));
        } else if amount.value <= Decimal::ZERO {
            say(&[key], format!("expected a positive amount, found {}", amount.value));
        }
    }
}

fn discount(p: &RawPromotion, cur: Currency) -> Option<Discount> {
    let money = |a: Amount| Money::new(a.value, cur);
    match (p.percent_off, p.amount_off, p.fixed_price) {
        (Some(f), None, None) => Some(Discount::Percent(f.0)),
        (None, Some(a), None) => Some(Discount::AmountOff(money(a))),
        (None, None, Some(a)) => Some(Discount::FixedPrice(money(a))),
        _ => None,
    }
}

fn scope_problems(p: &RawPromotion, known: &Known<'_>, say: &mut impl FnMut(&[&str], String)) {
    match (&p.skus[..], &p.sku_group) {
        ([], None) => say(&["skus"], "expected skus or sku_group: the SKUs the promotion covers".to_owned()),
        ([_, ..], Some(_)) => say(&["sku_group"], "expected skus or sku_group, found both".to_owned()),
        (skus, None) => {
            for (i, s) in skus.iter().enumerate() {
                if !known.catalog.contains_key(s) {
                    say(&["skus", &i.to_string()], format!("unknown SKU {s:?}: it is not in the catalog"));
                }
            }
        }
        ([], Some(g)) => {
            if !known.catalog.values().any(|item| item.group.as_ref() == Some(g)) {
                say(&["sku_group"], format!("no catalog item is in group {g:?}"));
            }
        }
    }
}

fn scope(p: &RawPromotion, known: &Known<'_>) -> Option<PromoScope> {
    let skus: BTreeSet<Sku> = match &p.sku_group {
        Some(g) => known
            .catalog
            .iter()
            .filter(|(_, item)| item.group.as_ref() == Some(g))
            .filter_map(|(s, _)| Sku::new(s.as_str()).ok())
            .collect(),
        None => p.skus.iter().filter_map(|s| Sku::new(s.as_str()).ok()).collect(),
    };
    (!skus.is_empty()).then_some(PromoScope::Skus(skus))
}
