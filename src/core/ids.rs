//! Identifiers. Each is a validated newtype so a channel id can never be
//! passed where a location id is expected, and no id holds control
//! characters that could reach a terminal. Ids up to 24 bytes (nearly all
//! SKUs and slugs) are stored inline: a million stock rows read from a file
//! do not cost a million allocations for their SKUs.

use std::fmt;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected}, found {found:?}")]
pub struct BadId {
    pub expected: &'static str,
    pub found: String,
}

const SLUG_EXPECTED: &str = "an id of lowercase letters, digits, '-' or '_' (at most 64)";
const SKU_EXPECTED: &str = "a SKU of 1 to 100 visible characters with no spaces or controls";

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[inline]
fn is_sku(s: &str) -> bool {
    // Most SKUs are short printable ASCII: decided without decoding chars.
    if Sku::is_plain(s.as_bytes()) {
        return true;
    }
    !s.is_empty() && s.chars().count() <= 100 && s.chars().all(|c| !c.is_control() && !c.is_whitespace())
}

/// Whether all eight bytes of `w` are visible ASCII (0x21..=0x7E).
#[inline]
fn graphic_word(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x21 sets its high bit when 0x21 is taken from it; a byte
    // above 0x7E has it set already or once 1 is added. A borrow or carry
    // into the next byte can only come from a byte that is already caught.
    let below = w.wrapping_sub(ONES * 0x21) & !w;
    let above = w.wrapping_add(ONES) | w;
    (below | above) & HIGH == 0
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $check:ident, $expected:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(CompactString);

        impl $name {
            #[inline]
            pub fn new(s: impl Into<CompactString>) -> Result<Self, BadId> {
                let s = s.into();
                if $check(&s) {
                    Ok(Self(s))
                } else {
                    Err(BadId { expected: $expected, found: s.into_string() })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadId;
            fn try_from(s: String) -> Result<Self, BadId> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into_string()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// The brand's canonical SKU: the one name every channel's listing maps to.
    Sku, is_sku, SKU_EXPECTED
);

impl Sku {
    /// Whether `b` is a SKU of visible ASCII only, the common case; a SKU
    /// may also hold other visible characters.
    #[inline]
    pub fn is_plain(b: &[u8]) -> bool {
        // Eight bytes at a time: a file reader asks this of every row.
        let (words, rest) = b.as_chunks::<8>();
        !b.is_empty()
            && b.len() <= 100
            && words.iter().all(|w| graphic_word(u64::from_le_bytes(*w)))
            && rest.iter().all(u8::is_ascii_graphic)
    }

    /// `s`, which the caller has just found to be a SKU (by
    /// [`Sku::is_plain`]), made without a `Result` to unwrap: a reader
    /// making a million SKUs pays for every copy of a freshly written one
    /// (see `channels::files::fast`).
    #[inline]
    pub(crate) fn checked(s: &str) -> Sku {
        debug_assert!(is_sku(s), "an unchecked SKU: {s:?}");
        Sku(CompactString::from(s))
    }
}

id_type!(
    /// A selling surface such as `shopify-dtc` or `amazon-us-fba`.
    ChannelId, is_slug, SLUG_EXPECTED
);
id_type!(
    /// A stock location: own warehouse, 3PL or FBA.
    LocationId, is_slug, SLUG_EXPECTED
);
id_type!(
    /// A data source: one API connection or one file feed.
    SourceId, is_slug, SLUG_EXPECTED
);
id_type!(
    /// A supplier that purchase orders go to.
    SupplierId, is_slug, SLUG_EXPECTED
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_and_short() {
        assert!(ChannelId::new("amazon-us-fba").is_ok());
        assert!(ChannelId::new("Amazon").is_err());
        assert!(ChannelId::new("-x").is_err());
        assert!(ChannelId::new("").is_err());
        assert!(ChannelId::new("a".repeat(65)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn plain_skus_are_visible_ascii(b in proptest::collection::vec(
            proptest::prop_oneof![0x21u8..=0x7e, proptest::num::u8::ANY], 0..110
        )) {
            let by_byte = !b.is_empty() && b.len() <= 100 && b.iter().all(u8::is_ascii_graphic);
            proptest::prop_assert_eq!(Sku::is_plain(&b), by_byte);
        }
    }

    #[test]
    fn skus_refuse_spaces_and_controls() {
        assert!(Sku::new("SOCK-MER-M-BLK").is_ok());
        assert!(Sku::new("SOCK M").is_err());
        assert!(Sku::new("SOCK\u{1b}[2J").is_err());
        let err = Sku::new("").unwrap_err();
        assert_eq!(err.to_string(), format!("expected {SKU_EXPECTED}, found \"\""));
    }
}
