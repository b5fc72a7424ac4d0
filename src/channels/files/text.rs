//! The first bytes of a file: its byte-order mark, its delimiter, and the
//! decoding of each field. Only what cannot be wrong is detected; the rest
//! must be declared.

use std::borrow::Cow;
use std::io::BufRead;

use super::FileError;
use crate::config::files::FileEncoding;
use crate::core::text::clean;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const CANDIDATES: [u8; 4] = [b'\t', b',', b';', b'|'];

/// What the start of the file settled, and what was detected on the way.
#[derive(Debug)]
pub(super) struct Prelude {
    pub encoding: FileEncoding,
    pub delimiter: u8,
    /// Bytes consumed before the header (a BOM), for byte offsets.
    pub bom_len: u64,
    pub notes: Vec<String>,
}

/// Reads the BOM (consuming it) and the header's delimiter (without
/// consuming anything else) from the reader's buffer.
pub(super) fn prelude<R: BufRead>(
    input: &mut R,
    encoding: Option<FileEncoding>,
    delimiter: Option<u8>,
) -> Result<Prelude, FileError> {
    let mut notes = Vec::new();
    let head = input.fill_buf().map_err(FileError::io)?;
    if head.is_empty() {
        return Err(FileError::Empty);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(FileError::Format("the file is UTF-16; export it as UTF-8 or Latin-1".into()));
    }
    let has_bom = head.starts_with(UTF8_BOM);
    let encoding = match (has_bom, encoding) {
        (true, Some(FileEncoding::Latin1)) => {
            let msg = "the file starts with a UTF-8 byte-order mark but encoding = \"latin-1\" is declared";
            return Err(FileError::Format(msg.into()));
        }
        (true, None) => {
            notes.push("detected a UTF-8 byte-order mark: reading as UTF-8".to_owned());
            FileEncoding::Utf8
        }
        (_, e) => e.unwrap_or(FileEncoding::Utf8),
    };
    if has_bom {
        input.consume(UTF8_BOM.len());
    }
    let delimiter = if let Some(d) = delimiter {
        d
    } else {
        let d = detect_delimiter(input.fill_buf().map_err(FileError::io)?)?;
        notes.push(format!("detected delimiter {} from the header line", shown(d)));
        d
    };
    Ok(Prelude { encoding, delimiter, bom_len: if has_bom { 3 } else { 0 }, notes })
}

fn shown(d: u8) -> String {
    if d == b'\t' { "tab".to_owned() } else { format!("{:?}", char::from(d)) }
}

/// The one candidate that occurs outside quotes in the header line; more
/// than one (or none) is a question for the config, not for a guess.
fn detect_delimiter(buf: &[u8]) -> Result<u8, FileError> {
    let line = buf.split(|b| *b == b'\n').next().unwrap_or(buf);
    let mut counts = [0usize; CANDIDATES.len()];
    let mut quoted = false;
    for b in line {
        if *b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = CANDIDATES.iter().position(|c| c == b) {
            counts[i] += 1;
        }
    }
    let found: Vec<u8> = CANDIDATES.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(c, _)| *c).collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(FileError::Format(
            "no tab, comma, semicolon or | in the header line; set delimiter in the source's config".into(),
        )),
        many => {
            let names: Vec<String> = many.iter().map(|d| shown(*d)).collect();
            Err(FileError::Format(format!(
                "the header line has several possible delimiters ({}); set delimiter in the source's config",
                names.join(", ")
            )))
        }
    }
}

/// One field as text; UTF-8 that does not decode is an error for the whole
/// file (the caller adds the byte offset), since every other field of a
/// mis-declared file would be wrong too.
pub(super) fn decode(bytes: &[u8], encoding: FileEncoding) -> Result<Cow<'_, str>, usize> {
    match encoding {
        FileEncoding::Utf8 => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| e.valid_up_to()),
        FileEncoding::Latin1 if bytes.is_ascii() => {
            Ok(Cow::Borrowed(std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?))
        }
        // Latin-1 bytes are exactly the code points U+0000–U+00FF.
        FileEncoding::Latin1 => Ok(Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect())),
    }
}

/// An unquoted field of printable ASCII, trimmed: text as it stands, in
/// any encoding this reader knows.
#[inline]
pub(super) fn plain(raw: &[u8]) -> Option<&str> {
    let t = raw.trim_ascii();
    if t.first() == Some(&b'"') || !t.iter().all(|c| (b' '..=b'~').contains(c)) {
        return None;
    }
    // Printable ASCII is UTF-8: this cannot fail.
    std::str::from_utf8(t).ok()
}

/// A field as the text a record holds: decoded, trimmed, and with control
/// characters neutralised. Borrowed unless something had to change; most
/// fields are plain printable ASCII and take the short way.
#[inline]
pub(super) fn field_text(bytes: Cow<'_, [u8]>, encoding: FileEncoding) -> Result<Cow<'_, str>, usize> {
    match bytes {
        Cow::Borrowed(b) => {
            if let Some(s) = plain(b) {
                return Ok(Cow::Borrowed(s));
            }
            let t = b.trim_ascii();
            let lead = b.len() - b.trim_ascii_start().len();
            let s = decode(t, encoding).map_err(|at| at + lead)?;
            Ok(match s {
                Cow::Borrowed(s) => clean(s.trim()),
                Cow::Owned(o) => Cow::Owned(clean(o.trim()).into_owned()),
            })
        }
        Cow::Owned(b) => Ok(Cow::Owned(clean(decode(&b, encoding)?.trim()).into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_taken_only_when_it_is_the_only_candidate() {
        assert_eq!(detect_delimiter(b"a;b;\"c,d\"\n1;2;3").unwrap(), b';');
        assert_eq!(detect_delimiter(b"sku\tqty").unwrap(), b'\t');
        assert!(detect_delimiter(b"a;b,c").unwrap_err().to_string().contains("several"));
        assert!(detect_delimiter(b"sku").is_err());
    }

    #[test]
    fn latin1_maps_bytes_to_code_points() {
        assert_eq!(decode(b"Gr\xfc\xdfe", FileEncoding::Latin1).unwrap(), "Grüße");
        assert_eq!(decode(b"Gr\xfc", FileEncoding::Utf8).unwrap_err(), 2);
    }
}
