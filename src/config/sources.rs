//! Per-kind requirements of a source: the fields its connector needs and
//! the secrets its credentials must provide.

use super::build::Ctx;
use super::schema::{RawSource, SourceKind};

impl SourceKind {
    /// The secret fields a credentials entry must hold for this kind.
    pub fn secret_fields(self) -> &'static [&'static str] {
        match self {
            SourceKind::Shopify | SourceKind::Shipbob | SourceKind::Faire => &["access_token"],
            SourceKind::Amazon | SourceKind::Ebay => &["client_id", "client_secret", "refresh_token"],
            SourceKind::File => &[],
        }
    }

    /// The production API base, used when `base_url` is not set.
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            SourceKind::Shopify | SourceKind::File => None,
            SourceKind::Amazon => Some("https://sellingpartnerapi-na.amazon.com"),
            SourceKind::Shipbob => Some("https://api.shipbob.com"),
            SourceKind::Faire => Some("https://www.faire.com/external-api/v2"),
            SourceKind::Ebay => Some("https://api.ebay.com"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Shopify => "shopify",
            SourceKind::Amazon => "amazon",
            SourceKind::Shipbob => "shipbob",
            SourceKind::Faire => "faire",
            SourceKind::Ebay => "ebay",
            SourceKind::File => "file",
        }
    }
}

/// Report fields a source of this kind cannot work without.
pub(super) fn check_kind_fields(id: &str, s: &RawSource, ctx: &mut Ctx<'_>) {
    let mut need = |present: bool, key: &str, what: &str| {
        if !present {
            ctx.err(&["sources", id, key], format!("a {} source needs {key} ({what})", s.kind.name()));
        }
    };
    match s.kind {
        SourceKind::Shopify => {
            need(s.base_url.is_some(), "base_url", "the shop's https://<shop>.myshopify.com address");
        }
        SourceKind::Amazon => {
            need(s.marketplace_id.is_some(), "marketplace_id", "e.g. ATVPDKIKX0DER for amazon.com");
            need(s.seller_id.is_some(), "seller_id", "the merchant token from Seller Central");
        }
        SourceKind::File => need(s.path.is_some(), "path", "the export file or folder to read"),
        SourceKind::Shipbob | SourceKind::Faire | SourceKind::Ebay => {}
    }
}
