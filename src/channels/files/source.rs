//! The poller's side of a file source: pick the file, read it on a
//! blocking thread (file I/O would stall the async workers), and turn its
//! records into the source's data.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::PathBuf;

use super::{Env, FileError, ListingRow, Record, Split};
use crate::channels::error::ChannelError;
use crate::config::files::FileMapping;
use crate::core::ids::{ChannelId, SourceId};
use crate::core::listing::{Listing, ListingIds};
use crate::core::orders::Order;
use crate::core::snapshot::{SourceData, SourceIssue};

/// What one stretch of a file read keeps: its data, and its orders by id.
type Part = (SourceData, BTreeMap<String, Order>);

/// One configured file or folder.
#[derive(Debug, Clone)]
pub struct FileSource {
    pub id: SourceId,
    pub path: PathBuf,
    pub mapping: FileMapping,
    pub env: Env,
    /// The channels this source feeds: listings, costs and orders need one.
    pub channels: Vec<ChannelId>,
}

impl FileSource {
    pub async fn poll(&self) -> Result<SourceData, ChannelError> {
        let job = self.clone();
        let id = self.id.clone();
        let path = self.path.display().to_string();
        match tokio::task::spawn_blocking(move || job.read_now()).await {
            Ok(Ok(data)) => Ok(data),
            Ok(Err(e)) => Err(ChannelError::Payload { source_id: id, path, detail: e.to_string() }),
            Err(e) => Err(ChannelError::Payload { source_id: id, path, detail: format!("the reader stopped: {e}") }),
        }
    }

    /// Read the file now, on this thread (and, for a big file, on one
    /// more per core).
    pub fn read_now(&self) -> Result<SourceData, FileError> {
        self.read_split(Split::per_core())
    }

    /// Read the file now, split as `split` says.
    pub fn read_split(&self, split: Split) -> Result<SourceData, FileError> {
        let (file, note) = super::pick(&self.path, self.mapping.pattern.as_deref())?;
        let name = file.display().to_string();
        let new = || (SourceData::default(), BTreeMap::new());
        let keep = |(data, orders): &mut Part, r: Record| self.keep(r, data, orders);
        let (parts, summary) = super::read_file(&file, &name, &self.mapping, &self.env, split, new, keep)?;
        let mut data = SourceData::default();
        let mut orders: BTreeMap<String, Order> = BTreeMap::new();
        for (part, part_orders) in parts {
            append(&mut data.stock, part.stock);
            append(&mut data.purchase_orders, part.purchase_orders);
            append(&mut data.listings, part.listings);
            for (id, order) in part_orders {
                // An order whose lines straddle two stretches keeps the
                // first stretch's header, as a one-piece read would.
                match orders.entry(id) {
                    Entry::Vacant(v) => {
                        v.insert(order);
                    }
                    Entry::Occupied(mut o) => o.get_mut().lines.extend(order.lines),
                }
            }
        }
        data.orders = orders.into_values().collect();
        if let Some(n) = note {
            data.issues.push(SourceIssue { place: self.path.display().to_string(), message: n });
        }
        data.issues.extend(summary.issues);
        let unplaced = !data.orders.is_empty() || !data.listings.is_empty() || summary.rows > 0;
        if self.channels.is_empty() && unplaced && self.needs_channel() {
            let msg = "no channel uses this source, so its rows have nowhere to go".to_owned();
            data.issues.push(SourceIssue { place: name, message: msg });
        }
        Ok(data)
    }

    fn needs_channel(&self) -> bool {
        use crate::config::files::FileRecord as R;
        matches!(self.mapping.record, R::Costs | R::Listings | R::WholesaleOrders)
    }

    /// The row once per channel this source feeds.
    fn listings(&self, l: &ListingRow, data: &mut SourceData) {
        for ch in &self.channels {
            data.listings.push(Listing {
                channel: ch.clone(),
                sku: l.sku.clone(),
                // A file has no channel ids; the SKU is the only handle.
                ids: ListingIds::Marketplace { sku: l.sku.as_str().to_owned() },
                title: l.title.clone(),
                price: l.price,
                compare_at: l.compare_at,
                quantity: l.quantity,
                unit_cost: l.unit_cost,
            });
        }
    }

    fn keep(&self, r: Record, data: &mut SourceData, orders: &mut BTreeMap<String, Order>) {
        match r {
            Record::Stock(s) => data.stock.push(s),
            Record::PurchaseOrder(p) => data.purchase_orders.push(p),
            Record::Cost { sku, cost } => {
                let row = ListingRow {
                    sku,
                    title: None,
                    price: None,
                    compare_at: None,
                    unit_cost: Some(cost),
                    quantity: None,
                };
                self.listings(&row, data);
            }
            Record::Listing(l) => self.listings(&l, data),
            Record::OrderLine { order_id, placed_at, status, line } => {
                let Some(channel) = self.channels.first() else { return };
                let order = orders.entry(order_id.clone()).or_insert_with(|| Order {
                    id: order_id,
                    channel: channel.clone(),
                    placed_at,
                    status,
                    first_order: false,
                    lines: Vec::new(),
                });
                order.lines.push(line);
            }
        }
    }
}

/// `from` after `into`, moving rather than copying when `into` is empty
/// (the first of a file's stretches, and all of a small file).
fn append<T>(into: &mut Vec<T>, mut from: Vec<T>) {
    if into.is_empty() {
        *into = from;
    } else {
        into.append(&mut from);
    }
}
