//! Margin floors: which floor applies, whether a contribution meets it, and
//! the floor price — the lowest price at which it still does.
//!
//! **Solving the floor price.** Every fee line is `rate × p + fixed` (see
//! [`super::fee_calc`]), so with R the summed rates, F the summed fixed
//! amounts and C the landed cost, contribution is `p(1 − R) − F − C`. An
//! amount floor A needs `p ≥ (C + F + A) ÷ (1 − R)`; a margin floor m needs
//! `p(1 − R − m) ≥ C + F`, i.e. `p ≥ (C + F) ÷ (1 − R − m)`. The floor price
//! is the larger of the two, rounded up to the minor unit. A referral
//! minimum makes the fees piecewise, so the solve is repeated at its own
//! answer until the pieces agree; the answer is then checked against the
//! rounded breakdown and raised a cent at a time if rounding moved it.
//! When `1 − R − m ≤ 0` no price meets the floor: `None`.

use rust_decimal::Decimal;

use super::catalog::CatalogItem;
use super::contribution::{LandedCost, UnitContribution, unit_contribution};
use super::fee_calc::{FeeError, Sale, fee_parts, linear_total};
use super::money::{Fraction, Money};
use super::pricing::{Floor, PriceRule};

/// The floor for one SKU: its group's floor where the rule names the
/// group, else the channel floor.
pub fn floor_for<'a>(rule: &'a PriceRule, item: &CatalogItem) -> &'a Floor {
    item.group.as_ref().and_then(|g| rule.group_floors.get(g)).unwrap_or(&rule.floor)
}

/// Whether a contribution meets a floor (both parts, where both are set).
/// An amount floor in another currency cannot be met: config builds floors
/// in the channel's currency, so a mismatch is a bug worth a flag.
pub fn meets_floor(floor: &Floor, c: &UnitContribution) -> bool {
    let margin_ok = floor.margin.is_none_or(|m| c.margin.is_some_and(|got| got >= m.value()));
    let amount_ok = floor.amount.is_none_or(|a| c.contribution.compare(&a).is_some_and(std::cmp::Ordering::is_ge));
    margin_ok && amount_ok
}

/// The most cents the check after the linear solve will climb; rounding
/// of a handful of fee lines moves the answer by a few cents at most.
const MAX_ROUNDING_STEPS: u32 = 50;

/// The lowest price at which `sale`'s contribution meets `floor`; `None`
/// when no price does. An empty floor gives the price that covers cost.
pub fn floor_price(sale: &Sale<'_>, landed: &LandedCost, floor: &Floor) -> Result<Option<Money>, FeeError> {
    let cur = sale.price.currency;
    let cost = landed.amount.amount;
    let amount_floor = match floor.amount {
        Some(a) if a.currency == cur => a.amount,
        Some(_) => return Ok(None),
        None => Decimal::ZERO,
    };
    let margin_floor = floor.margin.map_or(Decimal::ZERO, Fraction::value);
    let mut p = cost.max(Decimal::ZERO);
    for _ in 0..4 {
        let fees = linear_total(&fee_parts(&sale.at(Money::new(p, cur)))?);
        let Some(next) = solve(fees.rate, fees.fixed, cost, amount_floor, margin_floor) else { return Ok(None) };
        if next == p {
            break;
        }
        p = next;
    }
    let step = Decimal::new(1, cur.minor_units());
    let mut price = Money::new(p.max(Decimal::ZERO), cur).rounded();
    // Round up, never down: the rounded price must still meet the floor.
    if price.amount < p {
        price.amount += step;
    }
    for _ in 0..MAX_ROUNDING_STEPS {
        if meets_floor(floor, &unit_contribution(&sale.at(price), landed)?) {
            return Ok(Some(price));
        }
        price.amount += step;
    }
    Ok(None)
}

fn solve(rate: Decimal, fixed: Decimal, cost: Decimal, amount: Decimal, margin: Decimal) -> Option<Decimal> {
    let keep = Decimal::ONE - rate;
    if keep <= Decimal::ZERO || keep - margin <= Decimal::ZERO {
        return None;
    }
    let by_amount = (cost + fixed + amount) / keep;
    let by_margin = (cost + fixed) / (keep - margin);
    Some(by_amount.max(by_margin))
}

#[cfg(test)]
mod tests {
    use super::solve;
    use rust_decimal_macros::dec;

    #[test]
    fn the_linear_solve_takes_the_stricter_floor() {
        // 15% + 3% of price, 3.76 fixed, 6.40 cost: margin 25% needs
        // (6.40 + 3.76) ÷ (1 − 0.18 − 0.25) = 17.824…; amount 3.00 needs
        // 13.16 ÷ 0.82 = 16.048…; the margin floor is the stricter.
        let p = solve(dec!(0.18), dec!(3.76), dec!(6.40), dec!(3.00), dec!(0.25)).unwrap();
        assert_eq!(p.round_dp(4), dec!(17.8246));
        assert!(solve(dec!(0.80), dec!(0), dec!(1), dec!(0), dec!(0.25)).is_none());
    }
}
