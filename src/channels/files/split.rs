//! Rows and fields out of CSV/TSV bytes, 64 bytes at a time.
//!
//! Why not a byte-at-a-time state machine: reading a big export should cost
//! little more than counting its lines. Each 64-byte block becomes three
//! bit masks (quotes, delimiters, newlines); a running XOR of the quote mask
//! says which bytes are inside quotes, and the delimiters and newlines
//! outside quotes are the field and row ends, visited bit by bit.
//!
//! That shortcut is exact only while every quote that opens a quoted part
//! stands at the start of a field (or right after a closing quote, as in
//! `""`). A quote inside an unquoted field (`12" ruler`) is a literal
//! character, so a block holding one sends its row to [`slow_row`], a
//! byte-by-byte machine with the usual CSV rules, and the fast scan resumes
//! at the next row.
//!
//! A row ends at `\n`; a `\r` before it stays in the last field, where
//! trimming removes it. Quoted fields may hold delimiters, newlines and
//! doubled quotes; [`unquote`] turns them into the field's text.

use std::borrow::Cow;
use std::ops::ControlFlow;

const QUOTE: u8 = b'"';
const NEWLINE: u8 = b'\n';

/// One row: its bytes (without the `\n`) and where each field ends.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields<'a> {
    row: &'a [u8],
    ends: &'a [u32],
}

impl<'a> Fields<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where field `k` starts within the row.
    #[inline]
    pub fn start(&self, k: usize) -> usize {
        if k == 0 { 0 } else { self.ends[k - 1] as usize + 1 }
    }

    /// Field `k` as written, quotes and all.
    #[inline]
    pub fn raw(&self, k: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(k)? as usize;
        Some(&self.row[self.start(k)..end])
    }

    /// Where field `k`'s text starts: after its opening quote, if any.
    pub fn text_start(&self, k: usize) -> usize {
        self.start(k) + usize::from(self.raw(k).is_some_and(|r| r.first() == Some(&QUOTE)))
    }

    /// Field `k`'s text: quotes removed and doubled quotes undoubled.
    #[inline]
    pub fn get(&self, k: usize) -> Option<Cow<'a, [u8]>> {
        self.raw(k).map(unquote)
    }
}

/// A field's text. Only a quoted field with a doubled quote (or text after
/// its closing quote) is copied; the rest are borrowed.
#[inline]
pub(super) fn unquote(raw: &[u8]) -> Cow<'_, [u8]> {
    let Some(body) = raw.strip_prefix(&[QUOTE]) else { return Cow::Borrowed(raw) };
    match memchr::memchr(QUOTE, body) {
        None => Cow::Borrowed(body),
        Some(close) if close + 1 == body.len() => Cow::Borrowed(&body[..close]),
        Some(_) => {
            let mut out = Vec::with_capacity(body.len());
            let (mut quoted, mut i) = (true, 0);
            while i < body.len() {
                let b = body[i];
                if quoted && b == QUOTE {
                    if body.get(i + 1) == Some(&QUOTE) {
                        out.push(QUOTE);
                        i += 1;
                    } else {
                        quoted = false;
                    }
                } else {
                    out.push(b);
                }
                i += 1;
            }
            Cow::Owned(out)
        }
    }
}

/// Splits rows out of a buffer that always starts at a row start.
#[derive(Debug)]
pub(super) struct Splitter {
    delimiter: u8,
    ends: Vec<u32>,
}

/// A row found by [`Splitter::scan`].
pub(super) struct Found<'a> {
    /// Offset of the row's first byte in the scanned buffer.
    pub at: usize,
    /// Newlines in the buffer before the row: its line, counted from 0.
    pub newlines_before: u64,
    pub fields: Fields<'a>,
}

/// How far a scan got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scanned {
    /// The first byte not yet part of an emitted row.
    pub consumed: usize,
    /// Newlines in `buf[..consumed]`.
    pub newlines: u64,
    /// Whether the callback asked to stop.
    pub stopped: bool,
}

/// Where a scan stands: the row being read.
struct Cursor {
    /// The current row's first byte.
    start: usize,
    /// Newlines before `start`.
    newlines: u64,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Splitter {
        Splitter { delimiter, ends: Vec::with_capacity(32) }
    }

    /// Emits every complete row of `buf`, and at `eof` the unterminated last
    /// one. A row that runs past the end of `buf` stays unconsumed, for the
    /// caller to scan again with more bytes. Row lengths must fit in `u32`.
    pub fn scan(&mut self, buf: &[u8], eof: bool, mut row: impl FnMut(Found<'_>) -> ControlFlow<()>) -> Scanned {
        let mut cur = Cursor { start: 0, newlines: 0 };
        let done =
            |cur: &Cursor, stopped| Scanned { consumed: cur.start.min(buf.len()), newlines: cur.newlines, stopped };
        self.ends.clear();
        loop {
            match self.fast(buf, &mut cur, &mut row) {
                Fast::Stopped => return done(&cur, true),
                Fast::End => break,
                Fast::Misplaced => {
                    self.ends.clear();
                    let Some((len, newlines)) = slow_row(&buf[cur.start..], self.delimiter, eof, &mut self.ends) else {
                        return done(&cur, false);
                    };
                    let (end, next) = (cur.start + len, cur.newlines + newlines);
                    let flow = emit(buf, &mut self.ends, &mut cur, end, next, &mut row);
                    if flow.is_break() || cur.start >= buf.len() {
                        return done(&cur, flow.is_break());
                    }
                }
            }
        }
        if eof && cur.start < buf.len() {
            // The last row has no newline: its last field ends with the file.
            self.ends.push(offset(buf.len() - cur.start));
            let newlines = cur.newlines + memchr::memchr_iter(NEWLINE, &buf[cur.start..]).count() as u64;
            let flow = emit(buf, &mut self.ends, &mut cur, buf.len(), newlines, &mut row);
            return done(&cur, flow.is_break());
        }
        self.ends.clear();
        done(&cur, false)
    }

    /// Scans 64-byte blocks from the current row until the buffer ends, the
    /// callback stops, or a misplaced quote makes the masks untrustworthy.
    fn fast(&mut self, buf: &[u8], cur: &mut Cursor, row: &mut impl FnMut(Found<'_>) -> ControlFlow<()>) -> Fast {
        // A local vector: its length stays in a register across the
        // callback, where the field's would be reloaded for every push.
        let mut ends = std::mem::take(&mut self.ends);
        let fast = fast_blocks(buf, self.delimiter, &mut ends, cur, row);
        self.ends = ends;
        fast
    }
}

/// [`Splitter::fast`] on a vector of field ends of its own.
#[inline]
fn fast_blocks(
    buf: &[u8],
    delimiter: u8,
    ends: &mut Vec<u32>,
    cur: &mut Cursor,
    row: &mut impl FnMut(Found<'_>) -> ControlFlow<()>,
) -> Fast {
    let mut carry = Carry::ROW_START;
    let (mut pos, mut newlines_before_pos) = (cur.start, cur.newlines);
    while pos < buf.len() {
        let block = Block::load(&buf[pos..], delimiter);
        let marks = block.marks(&mut carry);
        // Bits from the first misplaced quote on are not to be trusted.
        let trusted = if marks.misplaced == 0 { u64::MAX } else { (1u64 << marks.misplaced.trailing_zeros()) - 1 };
        let mut structural = marks.structural & trusted;
        // Newlines are counted by the rows they end, except where quotes
        // hold some: this target has no popcount instruction to spare.
        let quoted_newlines = block.newline & !marks.structural;
        let mut rows_ended = 0;
        while structural != 0 {
            let bit = structural.trailing_zeros();
            structural &= structural - 1;
            let at = pos + bit as usize;
            ends.push(offset(at - cur.start));
            if block.newline >> bit & 1 == 1 {
                let below = (1u64 << bit) - 1;
                let before = if quoted_newlines & below == 0 {
                    rows_ended
                } else {
                    u64::from((block.newline & below).count_ones())
                };
                rows_ended += 1;
                if emit(buf, ends, cur, at, newlines_before_pos + before + 1, row).is_break() {
                    return Fast::Stopped;
                }
            }
        }
        if marks.misplaced != 0 {
            return Fast::Misplaced;
        }
        newlines_before_pos +=
            rows_ended + if quoted_newlines == 0 { 0 } else { u64::from(quoted_newlines.count_ones()) };
        pos += 64;
    }
    Fast::End
}

/// Hands the row `cur.start..end` to the callback, moves past it, and
/// empties `ends` for the next.
#[inline]
fn emit(
    buf: &[u8],
    ends: &mut Vec<u32>,
    cur: &mut Cursor,
    end: usize,
    next_newlines: u64,
    row: &mut impl FnMut(Found<'_>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let fields = Fields { row: &buf[cur.start..end], ends };
    let flow = row(Found { at: cur.start, newlines_before: cur.newlines, fields });
    ends.clear();
    cur.start = end + 1;
    cur.newlines = next_newlines;
    flow
}

enum Fast {
    /// Every byte of the buffer was looked at.
    End,
    Stopped,
    /// A quote inside an unquoted field: redo the current row slowly.
    Misplaced,
}

/// Row lengths are capped by the caller far below 4 GiB.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What one block passes to the next.
#[derive(Debug, Clone, Copy)]
struct Carry {
    /// All ones while inside quotes.
    inside: u64,
    /// The last byte ended a field (or the block starts a row).
    field_start: u64,
    /// The last byte closed a quoted part.
    after_close: u64,
}

impl Carry {
    const ROW_START: Carry = Carry { inside: 0, field_start: 1, after_close: 0 };
}

/// One 64-byte block's character classes, one bit per byte.
struct Block {
    quote: u64,
    delimiter: u64,
    newline: u64,
}

struct Marks {
    /// Delimiters and newlines outside quotes.
    structural: u64,
    /// Quotes that open a quoted part somewhere other than a field's start.
    misplaced: u64,
}

impl Block {
    /// The block at the start of `bytes`, zero-padded past its end (a zero
    /// byte is no delimiter, quote or newline).
    #[inline]
    fn load(bytes: &[u8], delimiter: u8) -> Block {
        if let Some(full) = bytes.first_chunk::<64>() {
            return classes(full, delimiter);
        }
        let mut padded = [0u8; 64];
        padded[..bytes.len()].copy_from_slice(bytes);
        classes(&padded, delimiter)
    }

    #[inline]
    fn marks(&self, carry: &mut Carry) -> Marks {
        let inside = prefix_xor(self.quote) ^ carry.inside;
        let structural = (self.delimiter | self.newline) & !inside;
        let opens = self.quote & inside;
        let closes = self.quote & !inside;
        let field_start = (structural << 1) | carry.field_start;
        let after_close = (closes << 1) | carry.after_close;
        *carry =
            Carry { inside: 0u64.wrapping_sub(inside >> 63), field_start: structural >> 63, after_close: closes >> 63 };
        Marks { structural, misplaced: opens & !(field_start | after_close) }
    }
}

/// Bit i of the result is the XOR of bits 0..=i: set inside quotes (and on
/// each opening quote), clear outside (and on each closing quote).
#[inline]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn classes(block: &[u8; 64], delimiter: u8) -> Block {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let splat = |b: u8| set_splat_i8_m128i(i8::from_ne_bytes([b]));
    let (q, d, n) = (splat(QUOTE), splat(delimiter), splat(NEWLINE));
    let mut out = Block { quote: 0, delimiter: 0, newline: 0 };
    for (k, lane) in block.chunks_exact(16).enumerate() {
        let Some(lane) = lane.first_chunk::<16>() else { continue };
        let v = load_unaligned_m128i(lane);
        // move_mask gives one bit per byte in the low 16 bits of an i32.
        let bits = |m| u64::from(move_mask_i8_m128i(m).cast_unsigned() & 0xFFFF) << (16 * k);
        out.quote |= bits(cmp_eq_mask_i8_m128i(v, q));
        out.delimiter |= bits(cmp_eq_mask_i8_m128i(v, d));
        out.newline |= bits(cmp_eq_mask_i8_m128i(v, n));
    }
    out
}

#[cfg(not(target_arch = "x86_64"))]
fn classes(block: &[u8; 64], delimiter: u8) -> Block {
    let mut out = Block { quote: 0, delimiter: 0, newline: 0 };
    for (i, &b) in block.iter().enumerate() {
        out.quote |= u64::from(b == QUOTE) << i;
        out.delimiter |= u64::from(b == delimiter) << i;
        out.newline |= u64::from(b == NEWLINE) << i;
    }
    out
}

/// One row, byte by byte, by the usual CSV rules: a quote opens a quoted
/// part only at a field's start; inside one, a doubled quote is a quote and
/// a single one closes it; anywhere else a quote is just a character.
/// Returns the row's length (to its `\n`, or the end at `eof`) and the
/// newlines consumed; `None` when the row runs past the buffer.
fn slow_row(bytes: &[u8], delimiter: u8, eof: bool, ends: &mut Vec<u32>) -> Option<(usize, u64)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut newlines = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        state = match (state, b) {
            (State::Quoted, NEWLINE) => {
                newlines += 1;
                State::Quoted
            }
            (State::Quoted, QUOTE) => State::QuoteInQuoted,
            (State::Quoted, _) | (State::FieldStart | State::QuoteInQuoted, QUOTE) => State::Quoted,
            (_, NEWLINE) => {
                ends.push(offset(i));
                return Some((i, newlines + 1));
            }
            (_, b) if b == delimiter => {
                ends.push(offset(i));
                State::FieldStart
            }
            _ => State::Unquoted,
        };
    }
    if !eof {
        ends.clear();
        return None;
    }
    ends.push(offset(bytes.len()));
    Some((bytes.len(), newlines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8]) -> Vec<Vec<Vec<u8>>> {
        split_keeping(text, true)
    }

    fn split_keeping(text: &[u8], blank: bool) -> Vec<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        let done = Splitter::new(b',').scan(text, true, |f| {
            if !blank && f.fields.len() == 1 && f.fields.raw(0).is_some_and(<[u8]>::is_empty) {
                return ControlFlow::Continue(());
            }
            out.push((0..f.fields.len()).map(|k| f.fields.get(k).unwrap_or_default().into_owned()).collect());
            ControlFlow::Continue(())
        });
        assert_eq!(done.consumed, text.len());
        out
    }

    fn strs(rows: &[&[&str]]) -> Vec<Vec<Vec<u8>>> {
        rows.iter().map(|r| r.iter().map(|f| f.as_bytes().to_vec()).collect()).collect()
    }

    #[test]
    fn quoted_fields_keep_delimiters_newlines_and_doubled_quotes() {
        let text = b"a,\"b,c\",d\n\"x\ny\",\"say \"\"hi\"\"\",\n";
        assert_eq!(split(text), strs(&[&["a", "b,c", "d"], &["x\ny", "say \"hi\"", ""]]));
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_a_character() {
        let text = b"ruler,12\" long,3\nnext,\"ok\",4";
        assert_eq!(split(text), strs(&[&["ruler", "12\" long", "3"], &["next", "ok", "4"]]));
    }

    #[test]
    fn rows_longer_than_a_block_and_lines_are_counted() {
        let long = "z".repeat(150);
        let text = format!("{long},\"q\nq\"\nb,c\n");
        let mut lines = Vec::new();
        let done = Splitter::new(b',').scan(text.as_bytes(), false, |f| {
            lines.push((f.at, f.newlines_before, f.fields.len()));
            ControlFlow::Continue(())
        });
        assert_eq!(lines, vec![(0, 0, 2), (157, 2, 2)]);
        assert_eq!((done.consumed, done.newlines), (text.len(), 3));
    }

    #[test]
    fn an_unterminated_row_waits_for_more_bytes_unless_at_the_end() {
        let mut n = 0;
        let done = Splitter::new(b',').scan(b"a,b\nc,\"d", false, |_| {
            n += 1;
            ControlFlow::Continue(())
        });
        assert_eq!((n, done.consumed, done.newlines), (1, 4, 1));
        assert_eq!(split(b"a,b\nc,\"d"), strs(&[&["a", "b"], &["c", "d"]]));
    }

    /// The rows a conventional CSV reader finds (blank lines, which it
    /// skips, are dropped from ours before comparing).
    fn reference(text: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(text);
        r.byte_records().map(|rec| rec.unwrap().iter().map(<[u8]>::to_vec).collect()).collect()
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_conventional_reader(
            text in proptest::collection::vec(proptest::sample::select(b"ab,\"\n\r x".to_vec()), 0..400)
        ) {
            proptest::prop_assert_eq!(split_keeping(&text, false), reference(&text));
        }
    }
}
