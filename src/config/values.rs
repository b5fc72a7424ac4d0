//! Value types for omnideck.toml whose parse errors say what was expected:
//! amounts (always strings, never floats) and fractions (never "15%").

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::core::money::{Currency, Fraction, Money};

/// An amount written as a string, `"6.40"` or `"6.40 EUR"`.
///
/// TOML floats are binary and cannot hold 6.40 exactly, so money is only
/// accepted as a string; the currency defaults to the one the context
/// names (the channel's, or the report currency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub value: Decimal,
    pub currency: Option<Currency>,
}

impl Amount {
    pub fn money(self, default: Currency) -> Money {
        Money::new(self.value, self.currency.unwrap_or(default))
    }
}

const AMOUNT_EXPECTED: &str = "an amount as a string like \"6.40\" or \"6.40 EUR\"";

fn parse_amount(s: &str) -> Option<Amount> {
    let mut parts = s.split_whitespace();
    let value = Decimal::from_str(parts.next()?).ok()?;
    let currency = match parts.next() {
        Some(code) => Some(code.parse::<Currency>().ok()?),
        None => None,
    };
    parts.next().is_none().then_some(Amount { value, currency })
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(AMOUNT_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Amount, E> {
        parse_amount(s).ok_or_else(|| E::custom(format!("expected {AMOUNT_EXPECTED}, found {s:?}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        Err(E::custom(format!("expected {AMOUNT_EXPECTED}, found the number {v} (write it in quotes)")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Err(E::custom(format!("expected {AMOUNT_EXPECTED}, found the number {v} (write it in quotes)")))
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AmountVisitor)
    }
}

/// A fraction between 0 and 1: `0.15`, or `"0.15"`; `"15%"` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Frac(pub Fraction);

struct FracVisitor;

const FRAC_EXPECTED: &str = "a fraction like 0.15";

impl FracVisitor {
    fn from_decimal<E: de::Error>(d: Decimal, shown: &dyn fmt::Display) -> Result<Frac, E> {
        Fraction::new(d)
            .map(Frac)
            .map_err(|_| E::custom(format!("expected {FRAC_EXPECTED} (between 0 and 1), found {shown}")))
    }
}

impl Visitor<'_> for FracVisitor {
    type Value = Frac;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(FRAC_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Frac, E> {
        match Decimal::from_str(s.trim()) {
            Ok(d) => Self::from_decimal(d, &format_args!("{s:?}")),
            Err(_) => Err(E::custom(format!("expected {FRAC_EXPECTED}, found {s:?}"))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Frac, E> {
        // The shortest decimal that round-trips to this float is exactly
        // what was written for any literal of up to 15 significant digits.
        match Decimal::from_str(&v.to_string()) {
            Ok(d) => Self::from_decimal(d, &v),
            Err(_) => Err(E::custom(format!("expected {FRAC_EXPECTED}, found {v}"))),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Frac, E> {
        Self::from_decimal(Decimal::from(v), &v)
    }
}

impl<'de> Deserialize<'de> for Frac {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FracVisitor)
    }
}

/// A plain decimal (a rate, hours, units per order): a number or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dec(pub Decimal);

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Dec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number like 1.08")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Dec, E> {
        Decimal::from_str(s.trim())
            .map(Dec)
            .map_err(|_| E::custom(format!("expected a decimal number like 1.08, found {s:?}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
        // See `FracVisitor::visit_f64` for why the shortest repr is exact.
        Decimal::from_str(&v.to_string())
            .map(Dec)
            .map_err(|_| E::custom(format!("expected a decimal number like 1.08, found {v}")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DecVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[derive(Debug, Deserialize)]
    struct T {
        a: Option<Amount>,
        f: Option<Frac>,
    }

    fn parse(s: &str) -> Result<T, String> {
        toml::from_str::<T>(s).map_err(|e| e.message().to_owned())
    }

    #[test]
    fn amounts_are_strings_with_an_optional_currency() {
        assert_eq!(parse("a = \"6.40\"").unwrap().a, Some(Amount { value: dec!(6.40), currency: None }));
        assert_eq!(parse("a = \"6.40 EUR\"").unwrap().a.unwrap().currency, Some(Currency::EUR));
        assert!(parse("a = 6.40").unwrap_err().contains("write it in quotes"));
        assert!(parse("a = \"6.40 euros\"").unwrap_err().contains("found \"6.40 euros\""));
    }

    #[test]
    fn fractions_refuse_percent_signs() {
        assert_eq!(parse("f = 0.15").unwrap().f, Some(Frac(Fraction::new(dec!(0.15)).unwrap())));
        assert_eq!(parse("f = \"0.029\"").unwrap().f.unwrap().0.value(), dec!(0.029));
        assert_eq!(parse("f = \"15%\"").unwrap_err(), "expected a fraction like 0.15, found \"15%\"");
        assert!(parse("f = 15").unwrap_err().contains("between 0 and 1"));
    }
}
