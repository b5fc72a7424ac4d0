//! The shape of omnideck.toml, exactly as written. Every table refuses
//! unknown keys, so a typo is an error rather than a silently ignored rule.
//! `build` turns this into the core types after cross-checking references.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::files::{FileEncoding, FileFormat, FileRecord};
use super::values::{Amount, Dec, Frac};
use crate::core::allocation::ScarcityPolicy;
use crate::core::channel::{ChannelKind, ChannelStatus, Fulfilment};
use crate::core::location::LocationKind;
use crate::core::money::Currency;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub brand: RawBrand,
    #[serde(default)]
    pub fx: BTreeMap<String, Dec>,
    #[serde(default)]
    pub state: Option<RawState>,
    #[serde(default)]
    pub sources: BTreeMap<String, RawSource>,
    #[serde(default)]
    pub channels: BTreeMap<String, RawChannel>,
    #[serde(default)]
    pub locations: BTreeMap<String, RawLocation>,
    #[serde(default)]
    pub suppliers: BTreeMap<String, RawSupplier>,
    #[serde(default)]
    pub catalog: BTreeMap<String, RawItem>,
    pub inventory: Option<RawInventory>,
    pub escalation: Option<RawEscalation>,
    pub readback: Option<RawReadback>,
    /// Promotions of channels with no promotion API, written here.
    #[serde(default)]
    pub promotions: Vec<RawPromotion>,
    /// The same promotions as rows of a CSV file.
    pub promotions_file: Option<RawPromotionsFile>,
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawSeverity {
    Off,
    Info,
    Warning,
    Critical,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub severity: RawSeverity,
    /// `stockout_top_sku`: how many best sellers count.
    pub top: Option<u32>,
    /// `cover_below`: days of cover.
    pub days: Option<Dec>,
    /// `stale_source`: hours since the last fetch.
    pub hours: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlaHours {
    pub critical: Option<u32>,
    pub warning: Option<u32>,
    pub info: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    pub sla_hours: Option<RawSlaHours>,
    pub stockout_top_sku: Option<RawRule>,
    pub cover_below: Option<RawRule>,
    pub floor_breach: Option<RawRule>,
    pub map_breach: Option<RawRule>,
    pub collision: Option<RawRule>,
    pub stale_source: Option<RawRule>,
    pub sync_error: Option<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInventory {
    pub scarcity_cover_days: Option<Dec>,
    pub scarcity_policy: Option<ScarcityPolicy>,
    pub fba_target_cover_days: Option<Dec>,
    pub safety_days: Option<Dec>,
    pub velocity_window_days: Option<u32>,
    pub disagreement_tolerance: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReadback {
    pub retire_after_weeks: Option<u32>,
    pub retire_share_ratio: Option<Dec>,
    pub attention_share_ratio: Option<Dec>,
    pub helping_share_ratio: Option<Dec>,
    pub watch_drop: Option<Frac>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    pub name: String,
    pub report_currency: Currency,
    pub time_zone: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawState {
    /// Where the database lives; defaults to the platform data dir.
    pub data_dir: Option<PathBuf>,
    /// A group-owned directory several operators share on one server.
    pub team_group: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Shopify,
    Amazon,
    Shipbob,
    Faire,
    Ebay,
    File,
}

/// Where a source's secrets come from: never the main config itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum RawCredentials {
    /// The fixed, public demo secrets the local sandbox accepts; refused
    /// for any base URL that is not on loopback.
    Sandbox,
    /// Environment variables, one per secret field, with this prefix:
    /// `OMNIDECK_SHOPIFY_ACCESS_TOKEN` for prefix `OMNIDECK_SHOPIFY`.
    Env(String),
    /// A table named `entry` in a credentials file (mode 0600).
    File { path: PathBuf, entry: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub kind: SourceKind,
    /// API base URL; point it at the sandbox or a proxy to test.
    pub base_url: Option<String>,
    /// Amazon: the Login with Amazon token endpoint.
    pub token_url: Option<String>,
    pub api_version: Option<String>,
    pub marketplace_id: Option<String>,
    pub seller_id: Option<String>,
    /// File sources: the file or folder to read.
    pub path: Option<PathBuf>,
    pub poll_interval_secs: Option<u64>,
    pub stale_after_minutes: Option<u64>,
    pub credentials: Option<RawCredentials>,
    /// For a 3PL or file source: the location its counts describe.
    pub location: Option<String>,
    /// Which stock location each of the source's own location ids maps to.
    #[serde(default)]
    pub location_map: BTreeMap<String, String>,
    /// File sources: which export the file is, and how its text is written
    /// (see `config::files`).
    pub format: Option<FileFormat>,
    pub record: Option<FileRecord>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    pub delimiter: Option<String>,
    pub decimal: Option<String>,
    pub thousands: Option<String>,
    pub encoding: Option<FileEncoding>,
    pub date_format: Option<String>,
    pub time_zone: Option<String>,
    pub currency: Option<Currency>,
    pub pattern: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    pub contact: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub name: String,
    pub kind: ChannelKind,
    #[serde(default = "merchant")]
    pub fulfilment: Fulfilment,
    pub currency: Currency,
    #[serde(default = "gated")]
    pub status: ChannelStatus,
    pub source: Option<String>,
    pub owner: Option<RawPerson>,
    #[serde(default)]
    pub escalation_chain: Vec<RawPerson>,
    #[serde(default)]
    pub multi_channel_fulfilment: bool,
    #[serde(default)]
    pub wholesale: bool,
    pub fees: Option<RawFees>,
    pub allocation: Option<RawAllocation>,
    pub pricing: Option<RawPricing>,
    pub operating_cost: Option<RawOperatingCost>,
}

fn merchant() -> Fulfilment {
    Fulfilment::Merchant
}

fn gated() -> ChannelStatus {
    ChannelStatus::Gated
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReferral {
    pub rate: Frac,
    pub min_per_item: Option<Amount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRateFixed {
    pub rate: Frac,
    pub fixed: Amount,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommission {
    pub first_order: Frac,
    pub reorder: Frac,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum RawFulfilmentFee {
    PerUnit(Amount),
    SizeTiers(BTreeMap<String, Amount>),
    PickPack { per_order: Amount, per_unit: Amount },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFees {
    pub referral: Option<RawReferral>,
    pub payment: Option<RawRateFixed>,
    pub commission: Option<RawCommission>,
    pub final_value: Option<RawRateFixed>,
    pub fulfilment: Option<RawFulfilmentFee>,
    pub shipping_subsidy_per_order: Option<Amount>,
    pub returns_allowance: Option<Frac>,
    pub units_per_order: Option<Dec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum RawBuffer {
    Fixed(u32),
    Percent(Frac),
    SyncLag,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllocation {
    pub buffer: RawBuffer,
    pub cap: Option<u32>,
    #[serde(default)]
    pub priority: u8,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFloor {
    pub margin: Option<Frac>,
    pub amount: Option<Amount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParity {
    pub against: Vec<String>,
    pub tolerance: Frac,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum RawCompetitor {
    Match,
    Hold,
    UndercutAmount(Amount),
    UndercutFraction(Frac),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPricing {
    #[serde(default)]
    pub floor: RawFloor,
    #[serde(default)]
    pub group_floors: BTreeMap<String, RawFloor>,
    pub drift_tolerance: Option<Frac>,
    pub parity: Option<RawParity>,
    pub competitor: Option<RawCompetitor>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperatingCost {
    pub fixed_weekly: Amount,
    pub people_hours_weekly: Dec,
    pub hourly_rate: Amount,
    #[serde(default)]
    pub minutes_per_exception: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    pub name: String,
    pub kind: LocationKind,
    pub serves: Vec<String>,
    #[serde(default)]
    pub safety_stock: u32,
    #[serde(default)]
    pub transfer_lead_days: u32,
    pub authoritative_source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupplier {
    pub name: String,
    /// Days between purchase orders to this supplier.
    pub cadence_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    pub sku: String,
    pub qty: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub title: String,
    pub landed_cost: Amount,
    pub map: Option<Amount>,
    pub msrp: Option<Amount>,
    pub case_pack: Option<u32>,
    #[serde(default)]
    pub moq: u32,
    #[serde(default)]
    pub lead_time_days: u32,
    pub supplier: Option<String>,
    pub group: Option<String>,
    pub size_tier: Option<String>,
    #[serde(default)]
    pub components: Vec<RawComponent>,
    /// The SKU string a channel uses where it differs from the canonical one.
    #[serde(default)]
    pub channel_skus: BTreeMap<String, String>,
}

/// What sort of promotion a written one is; shown in its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    Deal,
    Coupon,
    Markdown,
    Wholesale,
    Other,
}

/// One `[[promotions]]` entry, and one row of the promotions CSV (its
/// header names these same fields).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPromotion {
    pub id: String,
    pub channel: String,
    /// Promotions sharing a campaign id are coordinated, not colliding.
    pub campaign_id: Option<String>,
    pub kind: PromotionKind,
    pub title: Option<String>,
    /// `2025-06-01` or `2025-06-01T09:00`, in `time_zone`.
    pub start: String,
    pub end: Option<String>,
    /// Defaults to the brand's zone.
    pub time_zone: Option<String>,
    pub percent_off: Option<Frac>,
    pub amount_off: Option<Amount>,
    pub fixed_price: Option<Amount>,
    #[serde(default)]
    pub skus: Vec<String>,
    pub sku_group: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPromotionsFile {
    /// A CSV file, relative to this config file.
    pub path: PathBuf,
}
