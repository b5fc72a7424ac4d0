//! Money: a `Decimal` amount that always carries its ISO 4217 currency.
//!
//! Arithmetic across currencies is refused rather than guessed: a sum over
//! channels that sell in different currencies must go through [`FxRates`]
//! into the report currency first.
//!
//! **Rounding rule.** Intermediate results keep full `Decimal` precision.
//! A figure is rounded to the currency's minor unit (2 places for USD/EUR,
//! 0 for JPY, 3 for KWD) only where it becomes a per-unit price, fee or
//! contribution that a person reads, with the midpoint rounded away from
//! zero (`0.005 → 0.01`), the rule card schemes and most commerce ledgers
//! use. Totals are sums of already-rounded figures, so a report's columns
//! add up to the cent.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Neg;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An ISO 4217 alphabetic currency code: three ASCII capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");
    pub const EUR: Currency = Currency(*b"EUR");
    pub const GBP: Currency = Currency(*b"GBP");
    pub const CAD: Currency = Currency(*b"CAD");

    pub fn code(&self) -> &str {
        // The constructor only admits ASCII capitals, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Decimal places of the currency's minor unit (ISO 4217 exponent).
    pub fn minor_units(self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" | b"HUF" | b"TWD" | b"UGX" | b"XAF" | b"XOF" | b"PYG" => 0,
            b"KWD" | b"BHD" | b"OMR" | b"JOD" | b"TND" | b"LYD" | b"IQD" => 3,
            _ => 2,
        }
    }
}

/// Why a string is not a currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a three-letter ISO currency code like \"USD\", found {0:?}")]
pub struct BadCurrency(pub String);

impl FromStr for Currency {
    type Err = BadCurrency;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_uppercase) => Ok(Currency([*a, *b, *c])),
            _ => Err(BadCurrency(s.to_owned())),
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = BadCurrency;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Two amounts in different currencies met in one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot combine {left} with {right} without an exchange rate")]
pub struct CurrencyMismatch {
    pub left: Currency,
    pub right: Currency,
}

/// An amount of money in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money::new(Decimal::ZERO, currency)
    }

    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    fn same(self, other: Money) -> Result<Currency, CurrencyMismatch> {
        if self.currency == other.currency {
            Ok(self.currency)
        } else {
            Err(CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, CurrencyMismatch> {
        let currency = self.same(other)?;
        Ok(Money::new(self.amount + other.amount, currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, CurrencyMismatch> {
        let currency = self.same(other)?;
        Ok(Money::new(self.amount - other.amount, currency))
    }

    /// Multiply by a plain factor (a quantity, a fraction, a rate).
    #[must_use]
    pub fn times(self, factor: Decimal) -> Money {
        Money::new(self.amount * factor, self.currency)
    }

    /// Divide by a plain factor; `None` when the divisor is zero.
    pub fn divided_by(self, divisor: Decimal) -> Option<Money> {
        self.amount.checked_div(divisor).map(|a| Money::new(a, self.currency))
    }

    /// Round to the currency's minor unit, midpoint away from zero.
    #[must_use]
    pub fn rounded(self) -> Money {
        let dp = self.currency.minor_units();
        Money::new(self.amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero), self.currency)
    }

    pub fn max(self, other: Money) -> Result<Money, CurrencyMismatch> {
        self.same(other)?;
        Ok(if other.amount > self.amount { other } else { self })
    }

    pub fn min(self, other: Money) -> Result<Money, CurrencyMismatch> {
        self.same(other)?;
        Ok(if other.amount < self.amount { other } else { self })
    }

    /// Ordering within one currency; `None` across currencies.
    pub fn compare(&self, other: &Money) -> Option<std::cmp::Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }

    /// Sum amounts that must all be in `currency`.
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<Money, CurrencyMismatch> {
        items.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::new(-self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.rounded();
        let dp = usize::try_from(self.currency.minor_units()).unwrap_or(2);
        write!(f, "{:.dp$} {}", r.amount, self.currency)
    }
}

/// A fraction between 0 and 1 inclusive, such as a 15% referral fee (0.15).
///
/// Written as a number in config (`0.15`); `"15%"` is refused with a message
/// that shows the expected form, since a silent ×100 error would be costly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Fraction(Decimal);

/// A value outside 0..=1 where a fraction was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a fraction between 0 and 1 like 0.15, found {0}")]
pub struct BadFraction(pub Decimal);

impl Fraction {
    pub const ZERO: Fraction = Fraction(Decimal::ZERO);
    pub const ONE: Fraction = Fraction(Decimal::ONE);

    pub fn new(value: Decimal) -> Result<Self, BadFraction> {
        if value >= Decimal::ZERO && value <= Decimal::ONE { Ok(Fraction(value)) } else { Err(BadFraction(value)) }
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for Fraction {
    type Error = BadFraction;
    fn try_from(d: Decimal) -> Result<Self, BadFraction> {
        Fraction::new(d)
    }
}

impl From<Fraction> for Decimal {
    fn from(f: Fraction) -> Decimal {
        f.0
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.0 * Decimal::ONE_HUNDRED).normalize())
    }
}

/// No rate is configured from a currency into the report currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no exchange rate from {from} to the report currency {to}")]
pub struct MissingRate {
    pub from: Currency,
    pub to: Currency,
}

/// Explicit exchange rates into one report currency, as configured.
///
/// `rates[c]` is the number of report-currency units one unit of `c` buys.
/// Rates are never fetched or inferred: a missing rate is an error the
/// config validation reports before any number is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxRates {
    pub report: Currency,
    pub rates: BTreeMap<Currency, Decimal>,
}

impl FxRates {
    pub fn new(report: Currency) -> Self {
        FxRates { report, rates: BTreeMap::new() }
    }

    #[must_use]
    pub fn with_rate(mut self, from: Currency, rate: Decimal) -> Self {
        self.rates.insert(from, rate);
        self
    }

    pub fn knows(&self, from: Currency) -> bool {
        from == self.report || self.rates.contains_key(&from)
    }

    /// Convert into the report currency, unrounded (round where shown).
    pub fn to_report(&self, money: Money) -> Result<Money, MissingRate> {
        if money.currency == self.report {
            return Ok(money);
        }
        let rate = self.rates.get(&money.currency).ok_or(MissingRate { from: money.currency, to: self.report })?;
        Ok(Money::new(money.amount * rate, self.report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn currency_codes_are_three_capitals() {
        assert_eq!("USD".parse::<Currency>(), Ok(Currency::USD));
        assert!("usd".parse::<Currency>().is_err());
        assert!("US".parse::<Currency>().is_err());
        assert!("USDX".parse::<Currency>().is_err());
        assert!("ÜSD".parse::<Currency>().is_err());
    }

    #[test]
    fn mixing_currencies_is_refused() {
        let usd = Money::new(dec!(1), Currency::USD);
        let eur = Money::new(dec!(1), Currency::EUR);
        assert_eq!(usd.checked_add(eur), Err(CurrencyMismatch { left: Currency::USD, right: Currency::EUR }));
        assert_eq!(usd.checked_add(usd).map(|m| m.amount), Ok(dec!(2)));
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_the_minor_unit() {
        let m = |a| Money::new(a, Currency::USD).rounded().amount;
        assert_eq!(m(dec!(0.005)), dec!(0.01));
        assert_eq!(m(dec!(-0.005)), dec!(-0.01));
        assert_eq!(m(dec!(10.2449)), dec!(10.24));
        let yen = Money::new(dec!(100.5), "JPY".parse().unwrap_or(Currency::USD)).rounded();
        assert_eq!(yen.amount, dec!(101));
    }

    #[test]
    fn fx_converts_into_the_report_currency_only_with_a_rate() {
        let fx = FxRates::new(Currency::USD).with_rate(Currency::EUR, dec!(1.08));
        let eur = Money::new(dec!(10.00), Currency::EUR);
        assert_eq!(fx.to_report(eur), Ok(Money::new(dec!(10.80), Currency::USD)));
        let gbp = Money::new(dec!(1), Currency::GBP);
        assert_eq!(fx.to_report(gbp), Err(MissingRate { from: Currency::GBP, to: Currency::USD }));
    }

    #[test]
    fn display_shows_the_minor_unit_and_code() {
        assert_eq!(Money::new(dec!(10.2), Currency::USD).to_string(), "10.20 USD");
    }
}
