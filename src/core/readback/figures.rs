//! The weekly columns of one channel: summed from rounded per-line figures
//! in the channel's currency, then converted column by column into the
//! report currency.
//!
//! **Why derived columns are not converted.** Converting revenue, COGS,
//! fees and contribution separately could leave the converted contribution
//! a cent away from revenue − COGS − fees − fulfilment. So only the
//! measured columns are converted (each rounded); contribution and
//! contribution after operating cost are recomputed from them, and the
//! columns add up to the cent in both currencies.

use std::ops::Add;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::week::WeekId;
use crate::core::channel::OperatingCost;
use crate::core::contribution::convert;
use crate::core::money::{Currency, FxRates, MissingRate, Money};

/// What running the channel cost in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatingCostFigures {
    pub fixed: Money,
    /// People hours × hourly rate.
    pub people: Money,
    /// Exceptions (escalations, flags) the channel caused that week.
    pub exceptions: u32,
    /// Exceptions × minutes each × hourly rate.
    pub exception_cost: Money,
    pub total: Money,
}

impl OperatingCostFigures {
    pub fn zero(currency: Currency) -> Self {
        let z = Money::zero(currency);
        OperatingCostFigures { fixed: z, people: z, exceptions: 0, exception_cost: z, total: z }
    }

    /// The cost of one week, each part rounded, in `currency`.
    pub fn of(cost: &OperatingCost, exceptions: u32, currency: Currency, fx: &FxRates) -> Result<Self, MissingRate> {
        let fixed = convert(cost.fixed_weekly, currency, fx)?.rounded();
        let rate = convert(cost.hourly_rate, currency, fx)?;
        let people = rate.times(cost.people_hours_weekly).rounded();
        let hours = Decimal::from(exceptions) * Decimal::from(cost.minutes_per_exception) / Decimal::from(60);
        let exception_cost = rate.times(hours).rounded();
        Ok(Self::from_parts(fixed, people, exceptions, exception_cost))
    }

    fn from_parts(fixed: Money, people: Money, exceptions: u32, exception_cost: Money) -> Self {
        let total = Money::new(fixed.amount + people.amount + exception_cost.amount, fixed.currency);
        OperatingCostFigures { fixed, people, exceptions, exception_cost, total }
    }

    fn to_report(&self, fx: &FxRates) -> Result<Self, MissingRate> {
        let c = |m: Money| fx.to_report(m).map(Money::rounded);
        Ok(Self::from_parts(c(self.fixed)?, c(self.people)?, self.exceptions, c(self.exception_cost)?))
    }
}

/// One channel's week (or the consolidated week), every column in one
/// currency. Deserialized from the store's `weeks` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekFigures {
    pub week: WeekId,
    /// Orders placed in the week, cancelled ones left out.
    pub orders: u32,
    /// Orders placed in the week as the feed showed them, cancelled ones
    /// included: how much data the week was read from. A cancellation
    /// leaves it unchanged; an order window that has moved past part of
    /// the week lowers it. Decides whether a stored week may be replaced.
    #[serde(default)]
    pub seen: u32,
    pub units: u32,
    /// Net of discounts.
    pub revenue: Money,
    /// Discounts given on the lines: already out of revenue, shown so the
    /// cost of promotions is visible.
    pub promotion_cost: Money,
    /// Landed cost × units.
    pub cogs: Money,
    /// Every fee line except fulfilment.
    pub fees: Money,
    pub fulfilment: Money,
    /// revenue − COGS − fees − fulfilment.
    pub contribution: Money,
    pub operating: OperatingCostFigures,
    pub after_operating_cost: Money,
    pub stock_out_days: u32,
    /// Days out of stock × velocity × net price; not part of revenue.
    pub lost_sales: Money,
}

/// The measured columns of one order line, in the channel's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFigures {
    pub units: u32,
    pub revenue: Decimal,
    pub promotion_cost: Decimal,
    pub cogs: Decimal,
    pub fees: Decimal,
    pub fulfilment: Decimal,
}

impl WeekFigures {
    pub fn zero(week: WeekId, currency: Currency) -> Self {
        let z = Money::zero(currency);
        WeekFigures {
            week,
            orders: 0,
            seen: 0,
            units: 0,
            revenue: z,
            promotion_cost: z,
            cogs: z,
            fees: z,
            fulfilment: z,
            contribution: z,
            operating: OperatingCostFigures::zero(currency),
            after_operating_cost: z,
            stock_out_days: 0,
            lost_sales: z,
        }
    }

    pub fn currency(&self) -> Currency {
        self.revenue.currency
    }

    /// Add one line's figures; contribution follows.
    pub fn add_line(&mut self, l: &LineFigures) {
        self.units = self.units.saturating_add(l.units);
        self.revenue.amount += l.revenue;
        self.promotion_cost.amount += l.promotion_cost;
        self.cogs.amount += l.cogs;
        self.fees.amount += l.fees;
        self.fulfilment.amount += l.fulfilment;
        self.settle();
    }

    pub fn set_operating(&mut self, operating: OperatingCostFigures) {
        self.operating = operating;
        self.settle();
    }

    /// Recompute the derived columns from the measured ones.
    fn settle(&mut self) {
        let c = self.revenue.amount - self.cogs.amount - self.fees.amount - self.fulfilment.amount;
        self.contribution = Money::new(c, self.currency());
        self.after_operating_cost = Money::new(c - self.operating.total.amount, self.currency());
    }

    /// Every measured column converted into the report currency and
    /// rounded; derived columns recomputed.
    pub fn to_report(&self, fx: &FxRates) -> Result<Self, MissingRate> {
        let c = |m: Money| fx.to_report(m).map(Money::rounded);
        let mut out = WeekFigures {
            revenue: c(self.revenue)?,
            promotion_cost: c(self.promotion_cost)?,
            cogs: c(self.cogs)?,
            fees: c(self.fees)?,
            fulfilment: c(self.fulfilment)?,
            operating: self.operating.to_report(fx)?,
            lost_sales: c(self.lost_sales)?,
            ..self.clone()
        };
        out.settle();
        Ok(out)
    }
}

/// Sum two weeks in the same currency (consolidation); the week id and
/// currency of the left side are kept.
impl Add<&WeekFigures> for WeekFigures {
    type Output = WeekFigures;
    fn add(mut self, o: &WeekFigures) -> WeekFigures {
        self.orders = self.orders.saturating_add(o.orders);
        self.seen = self.seen.saturating_add(o.seen);
        self.units = self.units.saturating_add(o.units);
        self.stock_out_days = self.stock_out_days.saturating_add(o.stock_out_days);
        self.lost_sales.amount += o.lost_sales.amount;
        self.promotion_cost.amount += o.promotion_cost.amount;
        let op = &o.operating;
        let mine = &self.operating;
        let operating = OperatingCostFigures::from_parts(
            Money::new(mine.fixed.amount + op.fixed.amount, mine.fixed.currency),
            Money::new(mine.people.amount + op.people.amount, mine.fixed.currency),
            mine.exceptions.saturating_add(op.exceptions),
            Money::new(mine.exception_cost.amount + op.exception_cost.amount, mine.fixed.currency),
        );
        self.operating = operating;
        self.add_line(&LineFigures {
            units: 0,
            revenue: o.revenue.amount,
            promotion_cost: Decimal::ZERO,
            cogs: o.cogs.amount,
            fees: o.fees.amount,
            fulfilment: o.fulfilment.amount,
        });
        self
    }
}
