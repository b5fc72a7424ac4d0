//! Neutralises control characters in text that came from a remote API before
//! it reaches a terminal, a log, an export or the database.
//!
//! Why: order notes, product titles and customer names are attacker-chosen.
//! Written to a terminal, `ESC [ 2 J` clears the screen, `ESC ] 52` writes the
//! clipboard, the 8-bit CSI U+009B works like `ESC [` on some terminals, a bare
//! `\r` or a cursor-up can overwrite a previous line ("ok\r[OK]"), and bidi
//! overrides make `abc\u{202E}fdp.exe` display as `abcexe.pdf`.
//!
//! Each offending char is replaced by U+FFFD (so the tampering stays visible
//! and char counts are preserved), except `\t`, which becomes a space. Text
//! that needs no change is returned borrowed, without allocating.

use std::borrow::Cow;

/// The replacement character shown in place of a removed control.
pub const REPLACEMENT: char = '\u{FFFD}';

/// True for the bidirectional formatting characters we neutralise: LRM/RLM
/// (U+200E, U+200F), ALM (U+061C), the embeddings/overrides U+202A–U+202E and
/// the isolates U+2066–U+2069.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What to emit for `c`, or `None` to keep it. `char::is_control` is exactly
/// Unicode category Cc: C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
fn replacement(c: char, keep_newline: bool) -> Option<char> {
    match c {
        '\t' => Some(' '),
        '\n' if keep_newline => None,
        c if c.is_control() || is_bidi_control(c) => Some(REPLACEMENT),
        _ => None,
    }
}

/// Sanitises single-line text (names, titles, SKUs, statuses): `\t` becomes a
/// space; every other control (including `\r`, `\n` and ESC), DEL, C1 controls
/// and bidi controls become U+FFFD.
#[must_use]
pub fn clean(s: &str) -> Cow<'_, str> {
    clean_with(s, false)
}

/// Like [`clean`] but keeps `\n`, for multi-line fields such as order notes.
/// A `\r\n` pair becomes `\n`; a lone `\r` still becomes U+FFFD because it
/// lets text overwrite the line it is on.
#[must_use]
pub fn clean_multiline(s: &str) -> Cow<'_, str> {
    clean_with(s, true)
}

fn clean_with(s: &str, keep_newline: bool) -> Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| replacement(c, keep_newline).is_some()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first.0]);
    let mut chars = s[first.0..].chars().peekable();
    while let Some(c) = chars.next() {
        if keep_newline && c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        out.push(replacement(c, keep_newline).unwrap_or(c));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hostile_corpus_is_neutralised() {
        let cases = [
            ("\x1b[2J", "\u{FFFD}[2J"),
            ("\x1b]52;c;ZXZpbA==\x07", "\u{FFFD}]52;c;ZXZpbA==\u{FFFD}"),
            ("\u{9b}31m", "\u{FFFD}31m"),
            ("ok\r[OK]", "ok\u{FFFD}[OK]"),
            ("\x1b[1A[OK]", "\u{FFFD}[1A[OK]"),
            ("abc\u{202E}fdp.exe", "abc\u{FFFD}fdp.exe"),
            ("a\u{2066}b\u{2069}c\u{200E}\u{200F}", "a\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}"),
            ("nul\0del\x7f", "nul\u{FFFD}del\u{FFFD}"),
            ("line1\nline2", "line1\u{FFFD}line2"),
            ("col1\tcol2", "col1 col2"),
            ("\u{80}\u{9f}", "\u{FFFD}\u{FFFD}"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input:?}");
        }
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        for s in ["", "Plain ASCII order #1001", "Grüße, 東京, emoji 📦, RTL שלום", "\u{FFFD} already"] {
            assert!(matches!(clean(s), Cow::Borrowed(b) if b == s), "{s:?}");
            assert!(matches!(clean_multiline(s), Cow::Borrowed(_)));
        }
        assert!(matches!(clean_multiline("note\nsecond line"), Cow::Borrowed(_)));
        assert!(matches!(clean("tab\there"), Cow::Owned(_)));
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(clean_multiline("Leave at door\nRing twice"), "Leave at door\nRing twice");
        assert_eq!(clean_multiline("a\r\nb"), "a\nb");
        assert_eq!(clean_multiline("ok\r[OK]"), "ok\u{FFFD}[OK]");
        assert_eq!(clean_multiline("\r\r\n"), "\u{FFFD}\n");
        assert_eq!(clean_multiline("x\x1b[1A\ty"), "x\u{FFFD}[1A y");
        assert_eq!(clean_multiline("abc\u{202E}fdp.exe\n"), "abc\u{FFFD}fdp.exe\n");
    }

    /// Printable text interleaved with every kind of character we strip.
    const HOSTILE: &str =
        "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{61c}\\u{200e}\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]|\\r\\n)*";

    proptest! {
        #[test]
        fn clean_output_has_no_controls(s in HOSTILE) {
            let out = clean(&s);
            prop_assert!(!out.chars().any(|c| c.is_control() || is_bidi_control(c)));
            prop_assert_eq!(out.chars().count(), s.chars().count());
            prop_assert_eq!(clean(&out), out.clone());
        }

        #[test]
        fn multiline_output_has_no_controls_but_newline(s in HOSTILE) {
            let out = clean_multiline(&s);
            prop_assert!(!out.chars().any(|c| (c.is_control() && c != '\n') || is_bidi_control(c)));
            prop_assert_eq!(out.matches('\n').count(), s.matches('\n').count());
        }
    }
}
