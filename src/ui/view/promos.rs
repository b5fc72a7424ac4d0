//! Promotion rows: per SKU and channel, a day-by-day text timeline over
//! this ISO week and the next three (brand zone), collisions marked on the
//! days they overlap, and the money they put at stake.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;

use super::format::{date_time, money, safe};
use super::read::ReadContext;
use super::rows::{Field, Level, PromoRow, PromoTable, haystack};
use crate::core::collisions::{Collision, CollisionKind};
use crate::core::evaluate::Cockpit;
use crate::core::ids::SourceId;
use crate::core::money::Money;
use crate::core::promotion::{PromoScope, Promotion, Window};

/// Weeks the timeline covers, starting with the current one.
pub const WEEKS: usize = 4;

fn kind_name(k: CollisionKind) -> &'static str {
    match k {
        CollisionKind::CrossChannel => "cross-channel",
        CollisionKind::Stacked => "stacked",
        CollisionKind::BreaksFloor => "floor",
        CollisionKind::BreaksMap => "MAP",
        CollisionKind::Scarcity => "scarcity",
        CollisionKind::BreaksParity => "parity",
        CollisionKind::BadWindow => "bad window",
        CollisionKind::BadDiscount => "bad discount",
    }
}

#[derive(Default)]
struct Entry<'a> {
    promos: Vec<&'a Promotion>,
    collisions: Vec<&'a Collision>,
}

/// The timeline's days as [start, end) instants, and the week labels.
fn days(cockpit: &Cockpit, ctx: &ReadContext) -> (Vec<(Timestamp, Timestamp)>, String) {
    let today = cockpit.now.to_zoned_datetime(ctx.time_zone.clone()).date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    let monday = today.checked_sub(jiff::Span::new().days(back)).unwrap_or(today);
    let instant = |d: Date| d.to_zoned_datetime(ctx.time_zone.clone()).map_or(cockpit.now, |z| z.timestamp());
    let mut out = Vec::with_capacity(WEEKS * 7);
    let mut weeks = String::new();
    for i in 0..i64::try_from(WEEKS * 7).unwrap_or(28) {
        let Ok(d) = monday.checked_add(jiff::Span::new().days(i)) else { break };
        if i % 7 == 0 {
            let _ = write!(weeks, "{:<8}", format!("W{:02}", d.iso_week_date().week()));
        }
        let next = d.tomorrow().unwrap_or(d);
        out.push((instant(d), instant(next)));
    }
    (out, weeks.trim_end().to_owned())
}

fn touches(w: &Window, (start, end): (Timestamp, Timestamp)) -> bool {
    w.start < end && w.end.is_none_or(|e| e > start)
}

pub(super) fn table(cockpit: &Cockpit, ctx: &ReadContext, stale: &BTreeSet<SourceId>) -> PromoTable {
    let (days, weeks) = days(cockpit, ctx);
    let horizon = Window { start: days.first().map_or(cockpit.now, |d| d.0), end: days.last().map(|d| d.1) };
    let mut rows: BTreeMap<(String, String), Entry> = BTreeMap::new();
    for p in ctx.promotions.iter().map(|p| &p.value).filter(|p| p.window.overlaps(&horizon)) {
        let skus: Vec<String> = match &p.scope {
            PromoScope::All => vec!["(whole store)".to_owned()],
            PromoScope::Skus(s) => s.iter().map(|s| safe(s.as_str())).collect(),
        };
        for sku in skus {
            rows.entry((sku, safe(p.channel.as_str()))).or_default().promos.push(p);
        }
    }
    for c in &cockpit.collisions {
        for sku in &c.skus {
            for ch in &c.channels {
                rows.entry((safe(sku.as_str()), safe(ch.as_str()))).or_default().collisions.push(c);
            }
        }
    }
    let mut out: Vec<PromoRow> =
        rows.into_iter().map(|((sku, channel), e)| row(sku, channel, &e, &days, ctx, stale)).collect();
    out.sort_by(|a, b| {
        (std::cmp::Reverse(a.level), &a.sku, &a.channel).cmp(&(std::cmp::Reverse(b.level), &b.sku, &b.channel))
    });
    PromoTable { weeks, rows: out }
}

fn timeline(e: &Entry, days: &[(Timestamp, Timestamp)]) -> String {
    let mut s = String::with_capacity(days.len() * 4);
    for (i, day) in days.iter().enumerate() {
        if i > 0 && i % 7 == 0 {
            s.push(' ');
        }
        let c = if e.collisions.iter().any(|c| touches(&c.window, *day)) {
            '✖'
        } else if e.promos.iter().any(|p| touches(&p.window, *day)) {
            '━'
        } else {
            '·'
        };
        s.push(c);
    }
    s
}

fn stake_sum(e: &Entry, pick: impl Fn(&crate::core::collisions::Stake) -> Money) -> String {
    let mut total: Option<Money> = None;
    for s in e.collisions.iter().filter_map(|c| c.stake.as_ref()) {
        let m = pick(s);
        total = Some(total.map_or(m, |t| t.checked_add(m).unwrap_or(t)));
    }
    total.map_or_else(String::new, money)
}

fn row(
    sku: String,
    channel: String,
    e: &Entry,
    days: &[(Timestamp, Timestamp)],
    ctx: &ReadContext,
    stale: &BTreeSet<SourceId>,
) -> PromoRow {
    let kinds: BTreeSet<&str> = e.collisions.iter().map(|c| kind_name(c.kind)).collect();
    let level = if e.collisions.iter().any(|c| c.kind == CollisionKind::BreaksMap) {
        Level::Critical
    } else if e.collisions.is_empty() {
        Level::Ok
    } else {
        Level::Warning
    };
    let owners: BTreeSet<String> = e.collisions.iter().flat_map(|c| c.owners.iter().map(|o| safe(o))).collect();
    let owners = owners.into_iter().collect::<Vec<_>>().join(", ");
    let collisions = if kinds.is_empty() {
        String::new()
    } else {
        // The level's glyph and word, so a shared screen shows how bad it is.
        format!("{} {}", level.label(), kinds.into_iter().collect::<Vec<_>>().join(", "))
    };
    let mut detail: Vec<Field> = e
        .promos
        .iter()
        .map(|p| {
            let end = p.window.end.map_or_else(|| "open-ended".to_owned(), |t| date_time(t, &ctx.time_zone));
            let campaign = p.campaign_id.as_deref().map_or_else(String::new, |c| format!(", campaign {}", safe(c)));
            Field::plain(format!(
                "━ {} {:?} from {} to {end}{campaign}",
                safe(&p.id),
                safe(&p.title),
                date_time(p.window.start, &ctx.time_zone)
            ))
        })
        .collect();
    for c in &e.collisions {
        detail.push(Field::plain(format!("✖ {}: {}", kind_name(c.kind), safe(&c.detail))));
        if let Some(s) = &c.stake {
            detail.push(Field::plain(format!(
                "  at stake: {} discount on {} units",
                money(s.discount),
                s.expected_units.round_dp(1)
            )));
            detail.push(Field::secret(format!("  margin given up: {}", money(s.margin_given_up))));
        }
    }
    PromoRow {
        search: haystack([sku.as_str(), channel.as_str(), collisions.as_str(), owners.as_str()]),
        timeline: timeline(e, days),
        discount_at_stake: stake_sum(e, |s| s.discount),
        margin_at_stake: stake_sum(e, |s| s.margin_given_up),
        stale: e.promos.iter().any(|p| stale.contains(&p.source)),
        level,
        collisions,
        owners,
        sku,
        channel,
        detail,
    }
}
