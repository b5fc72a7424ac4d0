//! Helping, consuming attention or watch, and the retire signal: each with
//! the rule that decided it and the numbers it was decided on.
//!
//! Consuming attention is tested first: a channel that loses money after
//! its operating cost, or takes far more of the team's cost than it brings
//! in revenue, is the first thing a weekly review should see, whatever
//! else is true of it.

use rust_decimal::Decimal;
use serde::Serialize;

use super::ReadbackSettings;
use super::figures::WeekFigures;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Helping,
    ConsumingAttention,
    Watch,
}

impl Class {
    pub fn word(self) -> &'static str {
        match self {
            Class::Helping => "helping",
            Class::ConsumingAttention => "consuming attention",
            Class::Watch => "watch",
        }
    }
}

/// A class with the rule that decided it and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub class: Class,
    /// The rule as written in docs/readback.md.
    pub rule: String,
    /// The numbers the rule was applied to.
    pub reason: String,
}

/// The shares a channel is judged on, both in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shares {
    pub revenue: Decimal,
    pub operating_cost: Decimal,
}

fn pct(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).round_dp(1).normalize())
}

/// Revenue fall from the prior week as a fraction of the prior week's
/// revenue; `None` when there was no prior revenue to fall from.
pub fn revenue_drop(this: &WeekFigures, prior: Option<&WeekFigures>) -> Option<Decimal> {
    let prior = prior?.revenue.amount;
    (prior > Decimal::ZERO).then(|| (prior - this.revenue.amount) / prior)
}

/// Classify one channel's week. `this` and `prior` are in the channel's
/// currency; the shares are across channels in the report currency.
pub fn classify(
    this: &WeekFigures,
    prior: Option<&WeekFigures>,
    shares: Shares,
    s: &ReadbackSettings,
) -> Classification {
    let after = this.after_operating_cost;
    let numbers = format!(
        "after operating cost {after}; revenue share {}, operating-cost share {}",
        pct(shares.revenue),
        pct(shares.operating_cost)
    );
    let mk = |class, rule: String, reason: String| Classification { class, rule, reason };
    if after.is_negative() {
        return mk(Class::ConsumingAttention, "contribution after operating cost < 0".into(), numbers);
    }
    if shares.operating_cost > Decimal::ZERO && shares.operating_cost >= s.attention_share_ratio * shares.revenue {
        let rule = format!("operating-cost share ≥ {} × revenue share", s.attention_share_ratio.normalize());
        return mk(Class::ConsumingAttention, rule, numbers);
    }
    let helping = after.amount > Decimal::ZERO && shares.revenue >= s.helping_share_ratio * shares.operating_cost;
    let drop = revenue_drop(this, prior).filter(|d| *d > s.watch_drop.value());
    match (helping, drop) {
        (true, None) => {
            let rule = format!(
                "contribution after operating cost > 0 and revenue share ≥ {} × operating-cost share",
                s.helping_share_ratio.normalize()
            );
            mk(Class::Helping, rule, numbers)
        }
        (true, Some(d)) => {
            let rule = format!("revenue fell more than {} week over week", s.watch_drop);
            mk(Class::Watch, rule, format!("revenue fell {} from the prior week; {numbers}", pct(d)))
        }
        (false, _) => {
            let rule = "neither helping nor consuming attention".to_owned();
            let drop = drop.map(|d| format!("revenue fell {} from the prior week; ", pct(d))).unwrap_or_default();
            mk(Class::Watch, rule, format!("{drop}{numbers}"))
        }
    }
}

/// Why a channel should be considered for retirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetireSignal {
    pub rule: String,
    pub reason: String,
}

/// The retire signal: a loss after operating cost in each of the last
/// `retire_after_weeks` weeks (`weeks` oldest first, this week last), or a
/// revenue share at most `retire_share_ratio` × the operating-cost share.
pub fn retire_signal(weeks: &[WeekFigures], shares: Shares, s: &ReadbackSettings) -> Option<RetireSignal> {
    let n = usize::try_from(s.retire_after_weeks).unwrap_or(usize::MAX);
    if n > 0 && weeks.len() >= n {
        let last = &weeks[weeks.len() - n..];
        if last.iter().all(|w| w.after_operating_cost.is_negative()) {
            let losses: Vec<String> = last.iter().map(|w| format!("{} {}", w.week, w.after_operating_cost)).collect();
            return Some(RetireSignal {
                rule: format!("contribution after operating cost below zero for {n} weeks"),
                reason: losses.join(", "),
            });
        }
    }
    let limit = s.retire_share_ratio * shares.operating_cost;
    (shares.operating_cost > Decimal::ZERO && shares.revenue <= limit).then(|| RetireSignal {
        rule: format!("revenue share ≤ {} × operating-cost share", s.retire_share_ratio.normalize()),
        reason: format!(
            "{} of revenue at {} of operating cost (limit {})",
            pct(shares.revenue),
            pct(shares.operating_cost),
            pct(limit)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::money::{Currency, Money};
    use crate::core::readback::WeekId;
    use rust_decimal_macros::dec;

    fn week(revenue: Decimal, after: Decimal) -> WeekFigures {
        let mut w = WeekFigures::zero("2026-W48".parse::<WeekId>().unwrap(), Currency::USD);
        w.revenue = Money::new(revenue, Currency::USD);
        w.after_operating_cost = Money::new(after, Currency::USD);
        w
    }

    fn shares(revenue: Decimal, operating_cost: Decimal) -> Shares {
        Shares { revenue, operating_cost }
    }

    #[test]
    fn five_percent_of_revenue_at_half_the_cost_retires_with_the_defaults() {
        let s = ReadbackSettings::default();
        let r = retire_signal(&[week(dec!(50), dec!(1))], shares(dec!(0.05), dec!(0.5)), &s).unwrap();
        assert!(r.reason.contains("5% of revenue at 50% of operating cost"), "{}", r.reason);
        assert!(retire_signal(&[week(dec!(50), dec!(1))], shares(dec!(0.2), dec!(0.5)), &s).is_none());
    }

    #[test]
    fn a_helping_channel_whose_revenue_fell_is_watched() {
        let s = ReadbackSettings::default();
        let prior = week(dec!(100), dec!(40));
        let this = week(dec!(60), dec!(10));
        let c = classify(&this, Some(&prior), shares(dec!(0.6), dec!(0.4)), &s);
        assert_eq!(c.class, Class::Watch);
        assert!(c.reason.starts_with("revenue fell 40%"), "{}", c.reason);
        let steady = classify(&this, Some(&week(dec!(80), dec!(10))), shares(dec!(0.6), dec!(0.4)), &s);
        assert_eq!(steady.class, Class::Helping);
    }

    #[test]
    fn break_even_with_no_shares_is_watch() {
        let c = classify(&week(dec!(0), dec!(0)), None, shares(dec!(0), dec!(0)), &ReadbackSettings::default());
        assert_eq!(c.class, Class::Watch);
    }
}
