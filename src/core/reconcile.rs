//! Reconciliation: why a channel's own weekly figure differs from the
//! consolidated one, cause by cause, with what is left unexplained.
//!
//! Each cause is signed as "channel minus consolidated": an order the
//! channel counts in this week and we do not is positive. The causes:
//! - orders whose week differs between the channel's zone and the brand's;
//! - cancelled orders the channel still counts (when it says it does);
//! - fees not yet settled, as the caller reads them from the channel's
//!   settlement data (an input: the channel's figure is higher by that
//!   amount until they settle).
//!
//! Revenue here means what the readback counts: line price × units less
//! discounts, each line rounded, in the channel's currency.

use jiff::tz::TimeZone;
use rust_decimal::Decimal;

use super::ids::ChannelId;
use super::money::{CurrencyMismatch, Money};
use super::orders::{Order, OrderStatus};
use super::readback::WeekId;

/// The week as the channel reports it.
#[derive(Debug, Clone)]
pub struct ChannelFigure {
    pub channel: ChannelId,
    pub week: WeekId,
    /// The zone the channel cuts its weeks in.
    pub zone: TimeZone,
    pub revenue: Money,
    pub units: u32,
    /// Whether the channel's figure still counts cancelled orders.
    pub counts_cancelled: bool,
    /// Fees charged but not yet settled that the channel's figure still holds.
    pub unsettled_fees: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// Placed in the week in one zone and not in the other.
    WeekBoundary,
    CancelledCounted,
    UnsettledFees,
}

/// One explained part of the difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub cause: Cause,
    pub revenue: Money,
    /// Signed units (channel minus consolidated).
    pub units: i64,
    /// Order ids behind it, sorted.
    pub orders: Vec<String>,
}

/// The difference and its causes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub channel: ChannelId,
    pub week: WeekId,
    /// The consolidated figure (brand zone, cancelled orders left out).
    pub ours: Money,
    pub ours_units: u32,
    pub theirs: Money,
    pub theirs_units: u32,
    pub causes: Vec<Explained>,
    /// theirs − ours − Σ causes.
    pub unexplained: Money,
    pub unexplained_units: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReconcileError {
    #[error("order {order}: {source}")]
    Currency { order: String, source: CurrencyMismatch },
    #[error("order {order}: a line has no price yet (pending)")]
    Unpriced { order: String },
    #[error("unsettled fees: {0}")]
    Fees(CurrencyMismatch),
}

fn order_figure(o: &Order, want: Money) -> Result<(Decimal, i64), ReconcileError> {
    let mut revenue = Decimal::ZERO;
    let mut units = 0i64;
    for l in &o.lines {
        let unit_price = l.unit_price.ok_or_else(|| ReconcileError::Unpriced { order: o.id.clone() })?;
        for m in [unit_price, l.discount] {
            if m.currency != want.currency {
                let source = CurrencyMismatch { left: want.currency, right: m.currency };
                return Err(ReconcileError::Currency { order: o.id.clone(), source });
            }
        }
        let line = Money::new(unit_price.amount * Decimal::from(l.qty) - l.discount.amount, want.currency);
        revenue += line.rounded().amount;
        units += i64::from(l.qty);
    }
    Ok((revenue, units))
}

/// What the orders of the channel's week add up to, by cause.
struct Tally {
    ours: Money,
    ours_units: u32,
    boundary: Explained,
    cancelled: Explained,
}

impl Tally {
    fn new(zero: Money) -> Self {
        let blank = |cause| Explained { cause, revenue: zero, units: 0, orders: Vec::new() };
        Tally {
            ours: zero,
            ours_units: 0,
            boundary: blank(Cause::WeekBoundary),
            cancelled: blank(Cause::CancelledCounted),
        }
    }

    fn add(&mut self, theirs: &ChannelFigure, o: &Order, brand_zone: &TimeZone) -> Result<(), ReconcileError> {
        let in_ours = WeekId::of(o.placed_at, brand_zone) == theirs.week;
        let in_theirs = WeekId::of(o.placed_at, &theirs.zone) == theirs.week;
        if !in_ours && !in_theirs {
            return Ok(());
        }
        let (rev, units) = order_figure(o, theirs.revenue)?;
        if o.status == OrderStatus::Cancelled {
            if in_theirs && theirs.counts_cancelled {
                self.cancelled.revenue.amount += rev;
                self.cancelled.units += units;
                self.cancelled.orders.push(o.id.clone());
            }
            return Ok(());
        }
        if in_ours {
            self.ours.amount += rev;
            self.ours_units = self.ours_units.saturating_add(u32::try_from(units).unwrap_or(u32::MAX));
        }
        if in_ours != in_theirs {
            let (sign, signed_units) = if in_theirs { (Decimal::ONE, units) } else { (Decimal::NEGATIVE_ONE, -units) };
            self.boundary.revenue.amount += sign * rev;
            self.boundary.units += signed_units;
            self.boundary.orders.push(o.id.clone());
        }
        Ok(())
    }
}

/// Explain `theirs` against the consolidated figure from `orders`, whose
/// weeks the brand reads in `brand_zone`.
pub fn reconcile(
    theirs: &ChannelFigure,
    orders: &[Order],
    brand_zone: &TimeZone,
) -> Result<Reconciliation, ReconcileError> {
    let cur = theirs.revenue.currency;
    if theirs.unsettled_fees.currency != cur {
        return Err(ReconcileError::Fees(CurrencyMismatch { left: cur, right: theirs.unsettled_fees.currency }));
    }
    let mut t = Tally::new(Money::zero(cur));
    for o in orders.iter().filter(|o| o.channel == theirs.channel) {
        t.add(theirs, o, brand_zone)?;
    }
    let fees = Explained { cause: Cause::UnsettledFees, revenue: theirs.unsettled_fees, units: 0, orders: Vec::new() };
    let mut causes: Vec<Explained> =
        [t.boundary, t.cancelled, fees].into_iter().filter(|c| !c.revenue.is_zero() || c.units != 0).collect();
    for c in &mut causes {
        c.orders.sort();
    }
    let explained: Decimal = causes.iter().map(|c| c.revenue.amount).sum();
    let explained_units: i64 = causes.iter().map(|c| c.units).sum();
    Ok(Reconciliation {
        channel: theirs.channel.clone(),
        week: theirs.week,
        ours: t.ours,
        ours_units: t.ours_units,
        theirs: theirs.revenue,
        theirs_units: theirs.units,
        unexplained: Money::new(theirs.revenue.amount - t.ours.amount - explained, cur),
        unexplained_units: i64::from(theirs.units) - i64::from(t.ours_units) - explained_units,
        causes,
    })
}
