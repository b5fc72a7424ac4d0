//! The allocation plan: for every (SKU, channel), the quantity the channel
//! should show and why.
//!
//! **Normal mode** — pools are shared, so channel numbers overlap: each
//! channel sees its eligible pool minus its buffer, capped by its cap.
//!
//! **Scarcity mode** — when a SKU's days of cover (sellable ÷ daily
//! velocity over all channels) fall below the threshold, its sellable units
//! are ring-fenced: open wholesale commitments first, then channels in the
//! order the policy gives, each up to its need (velocity × threshold days)
//! and then, in the same order, up to what is left. Units are drawn from
//! specific locations, the most restricted first, so the fences are always
//! physically possible and sum to at most the sellable units.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::channel::{Buffer, Channel, ChannelStatus};
use super::ids::{ChannelId, LocationId, Sku};
use super::kits::KitGraph;
use super::money::Money;
use super::pools::{Sellable, eligible};
use super::rules::Rules;

/// How scarce units are shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScarcityPolicy {
    /// Lower `priority` first; channels of one tier split by velocity.
    Priority,
    /// Highest unit contribution first.
    Contribution,
    /// Every channel in proportion to its velocity.
    Proportional,
}

/// What the plan needs beyond the rules and the sellable stock.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    pub rules: &'a Rules,
    pub sellable: &'a Sellable,
    /// Units per day per (SKU, channel).
    pub velocity: &'a BTreeMap<(Sku, ChannelId), Decimal>,
    /// Hours between polls per channel, for the sync-lag buffer.
    pub poll_hours: &'a BTreeMap<ChannelId, Decimal>,
    /// Unit contribution per (SKU, channel), for the contribution policy.
    pub contribution: &'a BTreeMap<(Sku, ChannelId), Money>,
    /// Open wholesale order units not yet committed at a location.
    pub wholesale_open: &'a BTreeMap<(Sku, ChannelId), u32>,
    pub scarcity_days: Decimal,
    pub policy: ScarcityPolicy,
}

/// One number of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub sku: Sku,
    pub channel: ChannelId,
    pub qty: u32,
    pub reason: String,
}

/// A SKU in scarcity mode, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scarcity {
    pub sku: Sku,
    pub sellable: u32,
    pub cover_days: Decimal,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub lines: Vec<PlanLine>,
    pub scarce: Vec<Scarcity>,
}

fn velocity(input: &PlanInput<'_>, sku: &Sku, channel: &ChannelId) -> Decimal {
    input.velocity.get(&(sku.clone(), channel.clone())).copied().unwrap_or(Decimal::ZERO)
}

fn ceil_u32(d: Decimal) -> u32 {
    d.max(Decimal::ZERO).ceil().to_u32().unwrap_or(u32::MAX)
}

/// Channels that take part in the plan: those that may sell (not gated)
/// and have an allocation rule.
fn planned_channels(rules: &Rules) -> impl Iterator<Item = &Channel> {
    rules.channels.values().filter(|c| c.status != ChannelStatus::Gated && c.allocation.is_some())
}

/// Build the plan for every catalog SKU and planned channel.
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let mut out = Plan::default();
    for item in input.rules.catalog.iter().filter(|i| !i.is_kit()) {
        let (lines, scarce) = plan_sku(input, &item.sku);
        out.lines.extend(lines);
        out.scarce.extend(scarce);
    }
    let graph = KitGraph::new(&input.rules.catalog);
    for kit in graph.order() {
        let fenced = graph.leaves(kit).any(|s| out.scarce.iter().any(|x| &x.sku == s));
        let planned =
            |sku: &Sku, c: &ChannelId| out.lines.iter().find(|l| &l.sku == sku && &l.channel == c).map_or(0, |l| l.qty);
        let lines = kit_lines(input, kit, fenced, planned);
        out.lines.extend(lines);
    }
    out
}

/// The plan for one plain (non-kit) SKU: its lines, and its scarcity when
/// cover is below the threshold.
pub fn plan_sku(input: &PlanInput<'_>, sku: &Sku) -> (Vec<PlanLine>, Option<Scarcity>) {
    let total = input.sellable.total(sku);
    let demand: Decimal = planned_channels(input.rules).map(|c| velocity(input, sku, &c.id)).sum();
    let cover = (demand > Decimal::ZERO).then(|| Decimal::from(total) / demand);
    match cover.filter(|c| *c < input.scarcity_days) {
        Some(cover_days) => {
            let reason = format!(
                "cover {:.1} days < {} ({total} sellable at {:.2}/day)",
                cover_days, input.scarcity_days, demand
            );
            (scarce_lines(input, sku), Some(Scarcity { sku: sku.clone(), sellable: total, cover_days, reason }))
        }
        None => (normal_lines(input, sku), None),
    }
}

fn normal_lines(input: &PlanInput<'_>, sku: &Sku) -> Vec<PlanLine> {
    planned_channels(input.rules)
        .filter_map(|c| {
            let rule = c.allocation.as_ref()?;
            let pool = input.sellable.pool(input.rules, sku, c);
            let (buffer, why) = match rule.buffer {
                Buffer::Fixed(n) => (n, format!("fixed buffer {n}")),
                Buffer::Percent(f) => (ceil_u32(Decimal::from(pool) * f.value()), format!("{f} buffer")),
                Buffer::SyncLag => {
                    let hours = input.poll_hours.get(&c.id).copied().unwrap_or(Decimal::ONE);
                    let v = velocity(input, sku, &c.id);
                    (
                        ceil_u32(v * hours / Decimal::from(24)),
                        format!("sync-lag buffer ({v:.2}/day × {})", poll_gap(hours)),
                    )
                }
            };
            let mut qty = pool.saturating_sub(buffer);
            let mut reason = format!("pool {pool} − {why} = {qty}");
            if let Some(cap) = rule.cap.filter(|cap| qty > *cap) {
                qty = cap;
                let _ = write!(reason, ", capped at {cap}");
            }
            Some(PlanLine { sku: sku.clone(), channel: c.id.clone(), qty, reason })
        })
        .collect()
}

/// The order channels are served in under the policy, with the key shown.
fn serving_order<'a>(input: &PlanInput<'a>, sku: &Sku) -> Vec<&'a Channel> {
    let mut chans: Vec<&Channel> = planned_channels(input.rules).collect();
    let contribution =
        |c: &Channel| input.contribution.get(&(sku.clone(), c.id.clone())).map_or(Decimal::MIN, |m| m.amount);
    match input.policy {
        ScarcityPolicy::Priority => {
            chans.sort_by_key(|c| (c.allocation.as_ref().map_or(u8::MAX, |a| a.priority), c.id.clone()));
        }
        ScarcityPolicy::Contribution => {
            chans.sort_by(|a, b| contribution(b).cmp(&contribution(a)).then_with(|| a.id.cmp(&b.id)));
        }
        ScarcityPolicy::Proportional => {
            chans.sort_by(|a, b| {
                velocity(input, sku, &b.id).cmp(&velocity(input, sku, &a.id)).then_with(|| a.id.cmp(&b.id))
            });
        }
    }
    chans
}

/// Units left per location while fences are drawn.
struct Shelves<'a> {
    rules: &'a Rules,
    left: BTreeMap<LocationId, u32>,
}

impl Shelves<'_> {
    fn available(&self, c: &Channel) -> u32 {
        self.rules
            .locations
            .values()
            .filter(|l| eligible(l, c))
            .fold(0u32, |acc, l| acc.saturating_add(self.left.get(&l.id).copied().unwrap_or(0)))
    }

    /// Take up to `want` units for `c`, from the locations that serve the
    /// fewest channels first, so flexible stock stays for others.
    fn take(&mut self, c: &Channel, want: u32) -> u32 {
        let mut locs: Vec<_> = self.rules.locations.values().filter(|l| eligible(l, c)).collect();
        locs.sort_by_key(|l| (l.serves.len(), l.id.clone()));
        let mut got = 0;
        for l in locs {
            let have = self.left.entry(l.id.clone()).or_insert(0);
            let n = (*have).min(want - got);
            *have -= n;
            got += n;
        }
        got
    }
}

fn scarce_lines(input: &PlanInput<'_>, sku: &Sku) -> Vec<PlanLine> {
    let rules = input.rules;
    let left = rules.locations.keys().map(|l| (l.clone(), input.sellable.at(sku, l))).collect();
    let mut shelves = Shelves { rules, left };
    let order = serving_order(input, sku);
    let mut fenced: BTreeMap<ChannelId, (u32, Vec<String>)> = BTreeMap::new();
    let mut give = |shelves: &mut Shelves<'_>, c: &Channel, want: u32, why: &str| {
        let cap_left = c
            .allocation
            .as_ref()
            .and_then(|a| a.cap)
            .map_or(u32::MAX, |cap| cap.saturating_sub(fenced.get(&c.id).map_or(0, |f| f.0)));
        let got = shelves.take(c, want.min(cap_left));
        let entry = fenced.entry(c.id.clone()).or_default();
        entry.0 += got;
        if got > 0 {
            entry.1.push(format!("{got} {why}"));
        }
    };
    for c in order.iter().filter(|c| c.wholesale) {
        let open = input.wholesale_open.get(&(sku.clone(), c.id.clone())).copied().unwrap_or(0);
        give(&mut shelves, c, open, "for open wholesale orders");
    }
    let total_v: Decimal = order.iter().map(|c| velocity(input, sku, &c.id)).sum();
    let remaining: u32 = shelves.left.values().sum();
    for c in &order {
        let v = velocity(input, sku, &c.id);
        let want = match input.policy {
            ScarcityPolicy::Proportional if total_v > Decimal::ZERO => {
                (Decimal::from(remaining) * v / total_v).floor().to_u32().unwrap_or(0)
            }
            _ => ceil_u32(v * input.scarcity_days),
        };
        give(&mut shelves, c, want, "for need");
    }
    for c in &order {
        let rest = shelves.available(c);
        give(&mut shelves, c, rest, "of what was left");
    }
    order
        .iter()
        .map(|c| {
            let (qty, parts) = fenced.remove(&c.id).unwrap_or_default();
            let how = if parts.is_empty() { "nothing left".to_owned() } else { parts.join(" + ") };
            let reason = format!("scarcity ({:?} policy): ring-fenced {how}", input.policy).to_lowercase();
            PlanLine { sku: sku.clone(), channel: c.id.clone(), qty, reason }
        })
        .collect()
}

/// A kit shows what its components allow on that channel: in normal mode
/// from the kit's own pool; when any SKU it is made of (through any depth
/// of kits) is scarce, from its components' planned numbers, which are
/// then fences. `planned` gives a component's quantity on a channel.
pub fn kit_lines(
    input: &PlanInput<'_>,
    kit: &Sku,
    fenced: bool,
    planned: impl Fn(&Sku, &ChannelId) -> u32,
) -> Vec<PlanLine> {
    if !fenced {
        return normal_lines(input, kit);
    }
    let components = input.rules.catalog.get(kit.as_str()).map_or(&[][..], |k| &k.components[..]);
    planned_channels(input.rules)
        .map(|c| {
            let qty = components.iter().map(|comp| planned(&comp.sku, &c.id) / comp.qty.get()).min().unwrap_or(0);
            let reason = "kit: limited by its components' scarcity fences on this channel".to_owned();
            PlanLine { sku: kit.clone(), channel: c.id.clone(), qty, reason }
        })
        .collect()
}

/// A SKU entering or leaving scarcity mode between two plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScarcityChange {
    pub sku: Sku,
    pub entered: bool,
    pub reason: String,
}

/// What changed in scarcity from `before` to `after`, in SKU order.
pub fn scarcity_changes(before: &Plan, after: &Plan) -> Vec<ScarcityChange> {
    let was: BTreeMap<&Sku, &Scarcity> = before.scarce.iter().map(|s| (&s.sku, s)).collect();
    let now: BTreeMap<&Sku, &Scarcity> = after.scarce.iter().map(|s| (&s.sku, s)).collect();
    let mut out: Vec<ScarcityChange> = now
        .iter()
        .filter(|(sku, _)| !was.contains_key(*sku))
        .map(|(sku, s)| ScarcityChange {
            sku: (*sku).clone(),
            entered: true,
            reason: format!("entered scarcity: {}", s.reason),
        })
        .chain(was.iter().filter(|(sku, _)| !now.contains_key(*sku)).map(|(sku, s)| ScarcityChange {
            sku: (*sku).clone(),
            entered: false,
            reason: format!("left scarcity: cover is back above the threshold (was {:.1} days)", s.cover_days),
        }))
        .collect();
    out.sort_by(|a, b| a.sku.cmp(&b.sku));
    out
}

/// The time between polls as people say it: "5 min", "1.5 h".
fn poll_gap(hours: Decimal) -> String {
    if hours < Decimal::ONE {
        format!("{} min", (hours * Decimal::from(60)).round_dp(1).normalize())
    } else {
        format!("{} h", hours.round_dp(2).normalize())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::poll_gap;

    #[test]
    fn the_time_between_polls_reads_as_people_say_it() {
        let gap = |s: &str| poll_gap(s.parse::<Decimal>().unwrap());
        assert_eq!(gap("0.0833333333333333333333333333"), "5 min");
        assert_eq!(gap("0.25"), "15 min");
        assert_eq!(gap("1"), "1 h");
        assert_eq!(gap("1.5"), "1.5 h");
    }
}
