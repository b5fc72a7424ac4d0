//! From the raw file to core types, cross-checking every reference.
//!
//! Errors are collected rather than returned at the first one, so a person
//! fixing a config sees everything wrong in one run.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::error::{ConfigError, Locator};
use super::schema::{
    RawAllocation, RawBuffer, RawChannel, RawCompetitor, RawConfig, RawFees, RawFloor, RawFulfilmentFee, RawItem,
    RawLocation, RawOperatingCost, RawPerson, RawPricing, RawSource,
};
use super::values::Amount;
use super::{SourceConfig, StateConfig};
use crate::core::catalog::{Catalog, CatalogItem, Component};
use crate::core::channel::{AllocationRule, Buffer, Channel, OperatingCost, Person};
use crate::core::fees::{Commission, FeeModel, FinalValue, FulfilmentFee, PaymentFee, Referral};
use crate::core::ids::{ChannelId, LocationId, Sku, SourceId, SupplierId};
use crate::core::location::Location;
use crate::core::money::{Currency, Fraction, FxRates, Money};
use crate::core::pricing::{CompetitorResponse, Floor, Parity, PriceRule};
use crate::core::promotion::{CONFIG_SOURCE, Promotion};
use crate::core::readback::ReadbackSettings;
use crate::core::rules::{Brand, InventorySettings, Rules, SkuMap, Supplier};

/// What a valid config turns into.
pub struct Built {
    pub rules: Rules,
    pub sources: BTreeMap<SourceId, SourceConfig>,
    pub state: StateConfig,
    pub promotions: Vec<Promotion>,
}

/// Collects errors with their places while building.
pub(super) struct Ctx<'a> {
    file: &'a Path,
    locator: Locator<'a>,
    pub errors: Vec<ConfigError>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        Ctx { file, locator: Locator::new(text), errors: Vec::new() }
    }

    /// The config file being built.
    pub fn file(&self) -> &Path {
        self.file
    }

    pub fn err(&mut self, path: &[&str], message: impl Into<String>) {
        let e = self.locator.error(self.file, path, message);
        self.errors.push(e);
    }

    fn id<T>(&mut self, path: &[&str], make: impl FnOnce() -> Result<T, crate::core::ids::BadId>) -> Option<T> {
        make().map_err(|e| self.err(path, format!("bad id: {e}"))).ok()
    }

    /// Money in the context's currency; an explicit other currency is an error.
    fn money(&mut self, path: &[&str], amount: &Amount, currency: Currency) -> Money {
        if let Some(c) = amount.currency.filter(|c| *c != currency) {
            self.err(path, format!("amount is in {c}, but this channel prices in {currency}"));
        }
        Money::new(amount.value, currency)
    }
}

pub(super) fn build(raw: &RawConfig, ctx: &mut Ctx<'_>) -> Option<Built> {
    let brand = brand(raw, ctx);
    let source_ids = raw.sources.keys().filter_map(|k| SourceId::new(k.as_str()).ok()).collect::<BTreeSet<_>>();
    let channel_ids: BTreeSet<String> = raw.channels.keys().cloned().collect();
    let mut sources = BTreeMap::new();
    for (id, s) in &raw.sources {
        if let Some(sc) = source(id, s, ctx) {
            sources.insert(sc.id.clone(), sc);
        }
    }
    let mut channels = BTreeMap::new();
    for (id, c) in &raw.channels {
        if let Some(ch) = channel(id, c, &source_ids, &channel_ids, brand.as_ref(), ctx) {
            channels.insert(ch.id.clone(), ch);
        }
    }
    let mut locations = BTreeMap::new();
    for (id, l) in &raw.locations {
        if let Some(loc) = location(id, l, reporters(raw, id), &channel_ids, &source_ids, ctx) {
            locations.insert(loc.id.clone(), loc);
        }
    }
    check_source_locations(raw, ctx);
    let suppliers = suppliers(raw, ctx);
    let (catalog, sku_map) = catalog(raw, brand.as_ref(), &channel_ids, &suppliers, ctx);
    let state = StateConfig {
        data_dir: raw.state.as_ref().and_then(|s| s.data_dir.clone()),
        team_group: raw.state.as_ref().and_then(|s| s.team_group.clone()),
    };
    let inventory = inventory(raw, &sources, &channels, ctx);
    let (escalation, slas) = super::escalation::build(raw.escalation.as_ref(), ctx);
    let readback = readback(raw, ctx);
    let promotions = super::promotions::build(raw, ctx);
    if raw.sources.contains_key(CONFIG_SOURCE) {
        let msg = format!("the source id {CONFIG_SOURCE:?} is reserved for the promotions written in this config");
        ctx.err(&["sources", CONFIG_SOURCE], msg);
    }
    let brand = brand?;
    ctx.errors.is_empty().then(|| Built {
        rules: Rules { brand, catalog, channels, locations, suppliers, sku_map, inventory, escalation, slas, readback },
        sources,
        state,
        promotions,
    })
}

fn brand(raw: &RawConfig, ctx: &mut Ctx<'_>) -> Option<Brand> {
    let report = raw.brand.report_currency;
    let mut fx = FxRates::new(report);
    for (code, rate) in &raw.fx {
        let Ok(c) = code.parse::<Currency>() else {
            ctx.err(&["fx", code], format!("expected a currency code like EUR, found {code:?}"));
            continue;
        };
        if rate.0 <= Decimal::ZERO {
            ctx.err(&["fx", code], format!("expected a positive rate, found {}", rate.0));
        }
        fx = fx.with_rate(c, rate.0);
    }
    let time_zone = TimeZone::get(&raw.brand.time_zone).ok();
    if time_zone.is_none() {
        let msg = format!("expected an IANA time zone like \"America/New_York\", found {:?}", raw.brand.time_zone);
        ctx.err(&["brand", "time_zone"], msg);
    }
    Some(Brand { name: raw.brand.name.clone(), time_zone: time_zone?, fx })
}

fn inventory(
    raw: &RawConfig,
    sources: &BTreeMap<SourceId, SourceConfig>,
    channels: &BTreeMap<ChannelId, Channel>,
    ctx: &mut Ctx<'_>,
) -> InventorySettings {
    let mut s = InventorySettings::default();
    if let Some(i) = &raw.inventory {
        let days = [
            ("scarcity_cover_days", i.scarcity_cover_days, &mut s.scarcity_cover_days),
            ("fba_target_cover_days", i.fba_target_cover_days, &mut s.fba_target_cover_days),
            ("safety_days", i.safety_days, &mut s.safety_days),
        ];
        for (key, value, slot) in days {
            match value {
                Some(d) if d.0 < Decimal::ZERO => {
                    ctx.err(&["inventory", key], format!("expected zero or more days, found {}", d.0));
                }
                Some(d) => *slot = d.0,
                None => {}
            }
        }
        s.scarcity_policy = i.scarcity_policy.unwrap_or(s.scarcity_policy);
        s.velocity_window_days = i.velocity_window_days.unwrap_or(s.velocity_window_days);
        if s.velocity_window_days == 0 {
            ctx.err(&["inventory", "velocity_window_days"], "expected at least 1 day, found 0");
        }
        s.disagreement_tolerance = i.disagreement_tolerance.unwrap_or(s.disagreement_tolerance);
    }
    for c in channels.values() {
        if let Some(src) = c.source.as_ref().and_then(|id| sources.get(id)) {
            let secs = Decimal::from(src.poll_interval.as_secs());
            s.poll_hours.insert(c.id.clone(), secs / Decimal::from(3600));
        }
    }
    s
}

/// The `[readback]` settings; every key is optional.
fn readback(raw: &RawConfig, ctx: &mut Ctx<'_>) -> ReadbackSettings {
    let mut s = ReadbackSettings::default();
    let Some(r) = &raw.readback else { return s };
    if let Some(n) = r.retire_after_weeks {
        if n == 0 {
            ctx.err(&["readback", "retire_after_weeks"], "expected at least 1 week, found 0");
        }
        s.retire_after_weeks = n;
    }
    let ratios = [
        ("retire_share_ratio", r.retire_share_ratio, &mut s.retire_share_ratio),
        ("attention_share_ratio", r.attention_share_ratio, &mut s.attention_share_ratio),
        ("helping_share_ratio", r.helping_share_ratio, &mut s.helping_share_ratio),
    ];
    for (key, value, slot) in ratios {
        match value {
            Some(d) if d.0 <= Decimal::ZERO => {
                ctx.err(&["readback", key], format!("expected a positive ratio like 0.25, found {}", d.0));
            }
            Some(d) => *slot = d.0,
            None => {}
        }
    }
    if let Some(f) = r.watch_drop {
        s.watch_drop = f.0;
    }
    s
}

const DEFAULT_POLL: Duration = Duration::from_mins(5);

fn source(id: &str, s: &RawSource, ctx: &mut Ctx<'_>) -> Option<SourceConfig> {
    let path = ["sources", id];
    let sid = ctx.id(&path, || SourceId::new(id))?;
    for (key, url) in [("base_url", &s.base_url), ("token_url", &s.token_url)] {
        if let Some(u) = url.as_deref().filter(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
            ctx.err(&["sources", id, key], format!("expected a URL starting with https:// or http://, found {u:?}"));
        }
    }
    if s.credentials == Some(super::RawCredentials::Sandbox) && !s.base_url.as_deref().is_some_and(is_loopback_url) {
        ctx.err(
            &["sources", id, "credentials"],
            "sandbox credentials work only with a loopback base_url like http://127.0.0.1:8787",
        );
    }
    if let Some(0) = s.poll_interval_secs {
        ctx.err(&["sources", id, "poll_interval_secs"], "expected at least 1 second, found 0");
    }
    super::sources::check_kind_fields(id, s, ctx);
    let file = if s.kind == super::SourceKind::File {
        super::files::build(id, s, ctx)
    } else {
        super::files::refuse_on_other_kinds(id, s, ctx);
        None
    };
    Some(SourceConfig {
        id: sid,
        kind: s.kind,
        base_url: s.base_url.clone(),
        token_url: s.token_url.clone(),
        api_version: s.api_version.clone(),
        marketplace_id: s.marketplace_id.clone(),
        seller_id: s.seller_id.clone(),
        path: s.path.clone(),
        poll_interval: s.poll_interval_secs.map_or(DEFAULT_POLL, Duration::from_secs),
        stale_after: Duration::from_secs(s.stale_after_minutes.unwrap_or(60).saturating_mul(60)),
        credentials: s.credentials.clone(),
        location: s.location.clone(),
        location_map: s.location_map.clone(),
        file,
    })
}

/// True for `http://127.0.0.1…`, `http://localhost…` and `http://[::1]…`.
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or("");
    let host = if rest.starts_with('[') {
        rest.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        rest.split([':', '/']).next().unwrap_or("").to_owned()
    };
    host == "localhost" || host == "[::1]" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The sources whose `location` or `location_map` names location `id`.
fn reporters(raw: &RawConfig, id: &str) -> BTreeSet<SourceId> {
    raw.sources
        .iter()
        .filter(|(_, s)| s.location.as_deref() == Some(id) || s.location_map.values().any(|l| l == id))
        .filter_map(|(sid, _)| SourceId::new(sid.as_str()).ok())
        .collect()
}

fn check_source_locations(raw: &RawConfig, ctx: &mut Ctx<'_>) {
    for (id, s) in &raw.sources {
        let named = s.location.iter().map(|l| (vec!["sources", id, "location"], l));
        let mapped = s.location_map.iter().map(|(k, l)| (vec!["sources", id, "location_map", k.as_str()], l));
        for (path, loc) in named.chain(mapped) {
            if !raw.locations.contains_key(loc) {
                ctx.err(&path, format!("names location {loc:?}, which is not defined under [locations]"));
            }
        }
    }
}

fn person(p: &RawPerson) -> Person {
    Person { name: p.name.clone(), contact: p.contact.clone() }
}

fn channel(
    id: &str,
    c: &RawChannel,
    sources: &BTreeSet<SourceId>,
    channels: &BTreeSet<String>,
    brand: Option<&Brand>,
    ctx: &mut Ctx<'_>,
) -> Option<Channel> {
    let cid = ctx.id(&["channels", id], || ChannelId::new(id))?;
    let source = c.source.as_ref().and_then(|s| {
        let known = SourceId::new(s.as_str()).ok().filter(|s| sources.contains(s));
        if known.is_none() {
            ctx.err(&["channels", id, "source"], format!("names source {s:?}, which is not defined under [sources]"));
        }
        known
    });
    if let Some(b) = brand.filter(|b| !b.fx.knows(c.currency)) {
        let msg =
            format!("no exchange rate from {} to the report currency {}: add it under [fx]", c.currency, b.fx.report);
        ctx.err(&["channels", id, "currency"], msg);
    }
    if c.owner.as_ref().is_some_and(|o| o.name.trim().is_empty()) {
        ctx.err(&["channels", id, "owner", "name"], "expected a person's name, found an empty string");
    }
    let cur = c.currency;
    Some(Channel {
        id: cid,
        name: c.name.clone(),
        kind: c.kind,
        fulfilment: c.fulfilment,
        currency: cur,
        status: c.status,
        owner: c.owner.as_ref().map(person),
        escalation_chain: c.escalation_chain.iter().map(person).collect(),
        source,
        fees: c.fees.as_ref().map(|f| fees(id, f, cur, ctx)),
        allocation: c.allocation.as_ref().map(allocation),
        pricing: c.pricing.as_ref().map(|p| pricing(id, p, cur, channels, ctx)),
        operating_cost: c.operating_cost.as_ref().map(|o| operating_cost(id, o, cur, ctx)),
        multi_channel_fulfilment: c.multi_channel_fulfilment,
        wholesale: c.wholesale,
    })
}

fn fees(id: &str, f: &RawFees, cur: Currency, ctx: &mut Ctx<'_>) -> FeeModel {
    let p = |k: &'static str| ["channels", id, "fees", k];
    let referral = f
        .referral
        .as_ref()
        .map(|r| Referral { rate: r.rate.0, min_per_item: r.min_per_item.map(|m| ctx.money(&p("referral"), &m, cur)) });
    let payment = f
        .payment
        .as_ref()
        .map(|r| PaymentFee { rate: r.rate.0, fixed_per_order: ctx.money(&p("payment"), &r.fixed, cur) });
    let final_value = f
        .final_value
        .as_ref()
        .map(|r| FinalValue { rate: r.rate.0, per_order: ctx.money(&p("final_value"), &r.fixed, cur) });
    let fulfilment = f.fulfilment.as_ref().map(|ff| match ff {
        RawFulfilmentFee::PerUnit(a) => FulfilmentFee::PerUnit(ctx.money(&p("fulfilment"), a, cur)),
        RawFulfilmentFee::SizeTiers(t) => {
            FulfilmentFee::SizeTiers(t.iter().map(|(k, a)| (k.clone(), ctx.money(&p("fulfilment"), a, cur))).collect())
        }
        RawFulfilmentFee::PickPack { per_order, per_unit } => FulfilmentFee::PickPack {
            per_order: ctx.money(&p("fulfilment"), per_order, cur),
            per_unit: ctx.money(&p("fulfilment"), per_unit, cur),
        },
    });
    let units_per_order = f.units_per_order.map_or(Decimal::ONE, |d| d.0);
    if units_per_order < Decimal::ONE {
        ctx.err(&p("units_per_order"), format!("expected at least 1, found {units_per_order}"));
    }
    FeeModel {
        referral,
        payment,
        commission: f.commission.as_ref().map(|c| Commission { first_order: c.first_order.0, reorder: c.reorder.0 }),
        final_value,
        fulfilment,
        shipping_subsidy_per_order: f
            .shipping_subsidy_per_order
            .map(|a| ctx.money(&p("shipping_subsidy_per_order"), &a, cur)),
        returns_allowance: f.returns_allowance.map(|r| r.0),
        units_per_order,
    }
}

fn allocation(a: &RawAllocation) -> AllocationRule {
    let buffer = match a.buffer {
        RawBuffer::Fixed(n) => Buffer::Fixed(n),
        RawBuffer::Percent(f) => Buffer::Percent(f.0),
        RawBuffer::SyncLag => Buffer::SyncLag,
    };
    AllocationRule { buffer, cap: a.cap, priority: a.priority }
}

fn floor(path: &[&str], f: &RawFloor, cur: Currency, ctx: &mut Ctx<'_>) -> Floor {
    Floor { margin: f.margin.map(|m| m.0), amount: f.amount.map(|a| ctx.money(path, &a, cur)) }
}

fn pricing(id: &str, p: &RawPricing, cur: Currency, channels: &BTreeSet<String>, ctx: &mut Ctx<'_>) -> PriceRule {
    let base = ["channels", id, "pricing"];
    let parity = p.parity.as_ref().map(|par| {
        for (i, other) in par.against.iter().enumerate() {
            if !channels.contains(other) {
                let idx = i.to_string();
                ctx.err(&["channels", id, "pricing", "parity", "against", &idx], format!("unknown channel {other:?}"));
            }
        }
        Parity {
            against: par.against.iter().filter_map(|c| ChannelId::new(c.as_str()).ok()).collect(),
            tolerance: par.tolerance.0,
        }
    });
    let competitor = match &p.competitor {
        None | Some(RawCompetitor::Hold) => CompetitorResponse::Hold,
        Some(RawCompetitor::Match) => CompetitorResponse::Match,
        Some(RawCompetitor::UndercutAmount(a)) => CompetitorResponse::UndercutAmount(ctx.money(&base, a, cur)),
        Some(RawCompetitor::UndercutFraction(f)) => CompetitorResponse::UndercutFraction(f.0),
    };
    PriceRule {
        floor: floor(&base, &p.floor, cur, ctx),
        group_floors: p.group_floors.iter().map(|(g, f)| (g.clone(), floor(&base, f, cur, ctx))).collect(),
        drift_tolerance: p.drift_tolerance.map_or(Fraction::ZERO, |f| f.0),
        parity,
        competitor,
    }
}

fn operating_cost(id: &str, o: &RawOperatingCost, cur: Currency, ctx: &mut Ctx<'_>) -> OperatingCost {
    let path = ["channels", id, "operating_cost"];
    if o.people_hours_weekly.0 < Decimal::ZERO {
        ctx.err(&["channels", id, "operating_cost", "people_hours_weekly"], "expected zero or more hours");
    }
    OperatingCost {
        fixed_weekly: ctx.money(&path, &o.fixed_weekly, cur),
        people_hours_weekly: o.people_hours_weekly.0,
        hourly_rate: ctx.money(&path, &o.hourly_rate, cur),
        minutes_per_exception: o.minutes_per_exception,
    }
}

fn location(
    id: &str,
    l: &RawLocation,
    reported_by: BTreeSet<SourceId>,
    channels: &BTreeSet<String>,
    sources: &BTreeSet<SourceId>,
    ctx: &mut Ctx<'_>,
) -> Option<Location> {
    let lid = ctx.id(&["locations", id], || LocationId::new(id))?;
    let mut serves = BTreeSet::new();
    for (i, c) in l.serves.iter().enumerate() {
        if let Some(cid) = ChannelId::new(c.as_str()).ok().filter(|_| channels.contains(c)) {
            serves.insert(cid);
        } else {
            let idx = i.to_string();
            ctx.err(&["locations", id, "serves", &idx], format!("serves unknown channel {c:?}"));
        }
    }
    let authoritative_source = l.authoritative_source.as_ref().and_then(|s| {
        let known = SourceId::new(s.as_str()).ok().filter(|s| sources.contains(s));
        if known.is_none() {
            ctx.err(&["locations", id, "authoritative_source"], format!("names unknown source {s:?}"));
        }
        known
    });
    Some(Location {
        id: lid,
        name: l.name.clone(),
        kind: l.kind,
        serves,
        safety_stock: l.safety_stock,
        transfer_lead_days: l.transfer_lead_days,
        authoritative_source,
        reported_by,
    })
}

fn suppliers(raw: &RawConfig, ctx: &mut Ctx<'_>) -> BTreeMap<SupplierId, Supplier> {
    let mut out = BTreeMap::new();
    for (id, s) in &raw.suppliers {
        if let Some(sid) = ctx.id(&["suppliers", id], || SupplierId::new(id.as_str())) {
            if s.cadence_days == 0 {
                ctx.err(&["suppliers", id, "cadence_days"], "expected at least 1 day, found 0");
            }
            out.insert(sid.clone(), Supplier { id: sid, name: s.name.clone(), cadence_days: s.cadence_days });
        }
    }
    out
}

fn catalog(
    raw: &RawConfig,
    brand: Option<&Brand>,
    channels: &BTreeSet<String>,
    suppliers: &BTreeMap<SupplierId, Supplier>,
    ctx: &mut Ctx<'_>,
) -> (Catalog, SkuMap) {
    let report = raw.brand.report_currency;
    let mut items = Vec::new();
    let mut sku_map = SkuMap::default();
    for (sku, item) in &raw.catalog {
        let Some(s) = ctx.id(&["catalog", sku], || Sku::new(sku.as_str())) else { continue };
        if let Some(built) = catalog_item(&s, item, report, brand, raw, suppliers, ctx) {
            items.push(built);
        }
        for (channel, channel_sku) in &item.channel_skus {
            let path = ["catalog", sku, "channel_skus", channel.as_str()];
            let Some(cid) = ChannelId::new(channel.as_str()).ok().filter(|_| channels.contains(channel)) else {
                ctx.err(&path, format!("unknown channel {channel:?}"));
                continue;
            };
            if let Some(prev) = sku_map.insert(cid, channel_sku.clone(), s.clone()) {
                ctx.err(&path, format!("{channel_sku:?} on {channel} is already mapped to SKU {prev}"));
            }
        }
    }
    match Catalog::new(items) {
        Ok(c) => (c, sku_map),
        Err(e) => {
            let key = match &e {
                crate::core::catalog::CatalogError::KitCycle { kit, .. }
                | crate::core::catalog::CatalogError::UnknownComponent { kit, .. } => kit.to_string(),
                crate::core::catalog::CatalogError::Duplicate(s) => s.to_string(),
            };
            ctx.err(&["catalog", &key, "components"], e.to_string());
            (Catalog::default(), sku_map)
        }
    }
}

fn catalog_item(
    sku: &Sku,
    item: &RawItem,
    report: Currency,
    brand: Option<&Brand>,
    raw: &RawConfig,
    suppliers: &BTreeMap<SupplierId, Supplier>,
    ctx: &mut Ctx<'_>,
) -> Option<CatalogItem> {
    let key = sku.as_str();
    let money = |field: &str, a: Amount, ctx: &mut Ctx<'_>| {
        let m = a.money(report);
        if brand.is_some_and(|b| !b.fx.knows(m.currency)) {
            ctx.err(&["catalog", key, field], format!("no exchange rate from {} to {report}", m.currency));
        }
        m
    };
    let landed_cost = money("landed_cost", item.landed_cost, ctx);
    let map = item.map.map(|a| money("map", a, ctx));
    let msrp = item.msrp.map(|a| money("msrp", a, ctx));
    if let (Some(m), Some(r)) = (map, msrp)
        && m.compare(&r) == Some(std::cmp::Ordering::Greater)
    {
        ctx.err(&["catalog", key, "map"], format!("MAP {m} is above MSRP {r}"));
    }
    let case_pack = NonZeroU32::new(item.case_pack.unwrap_or(1));
    if case_pack.is_none() {
        ctx.err(&["catalog", key, "case_pack"], "expected at least 1, found 0");
    }
    let supplier = item.supplier.as_ref().and_then(|s| {
        let known = SupplierId::new(s.as_str()).ok().filter(|id| suppliers.contains_key(id));
        if known.is_none() {
            ctx.err(&["catalog", key, "supplier"], format!("names unknown supplier {s:?}"));
        }
        known
    });
    let components = components(key, item, raw, ctx);
    Some(CatalogItem {
        sku: sku.clone(),
        title: item.title.clone(),
        landed_cost,
        map,
        msrp,
        case_pack: case_pack?,
        moq: item.moq,
        lead_time_days: item.lead_time_days,
        supplier,
        group: item.group.clone(),
        size_tier: item.size_tier.clone(),
        components,
    })
}

fn components(key: &str, item: &RawItem, raw: &RawConfig, ctx: &mut Ctx<'_>) -> Vec<Component> {
    let mut out = Vec::new();
    for (i, c) in item.components.iter().enumerate() {
        let idx = i.to_string();
        let path = ["catalog", key, "components", idx.as_str()];
        if !raw.catalog.contains_key(&c.sku) {
            ctx.err(&path, format!("kit {key} lists component {:?}, which is not in the catalog", c.sku));
            continue;
        }
        match (Sku::new(c.sku.as_str()), NonZeroU32::new(c.qty)) {
            (Ok(sku), Some(qty)) => out.push(Component { sku, qty }),
            (_, None) => ctx.err(&path, "expected a component quantity of at least 1, found 0"),
            (Err(e), _) => ctx.err(&path, e.to_string()),
        }
    }
    out
}
