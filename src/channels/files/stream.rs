//! Rows from a byte stream through one reused buffer: whatever the file's
//! size, memory is the buffer plus the longest row.

use std::io::Read;
use std::ops::ControlFlow;

use super::FileError;
use super::split::{Fields, Splitter};

/// The buffer starts at 1 MiB and doubles for a longer row, up to this.
const MAX_ROW: usize = 64 * 1024 * 1024;
const BUFFER: usize = 1024 * 1024;

/// Where a row starts in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct At {
    /// Byte offset from the start of the file.
    pub offset: u64,
    /// Newlines before the row (from wherever the stream began counting).
    pub newlines: u64,
}

pub(super) struct Stream<R> {
    input: R,
    splitter: Splitter,
    buf: Vec<u8>,
    filled: usize,
    eof: bool,
    /// Where `buf[0]` is.
    at: At,
}

impl<R: Read> Stream<R> {
    /// A stream whose first byte is a row start at `at`.
    pub fn new(input: R, delimiter: u8, at: At) -> Stream<R> {
        Stream::reusing(Vec::new(), input, delimiter, at)
    }

    /// [`Stream::new`] in `buf`, a buffer from an earlier stream: a fresh
    /// megabyte costs its page faults again.
    pub fn reusing(mut buf: Vec<u8>, input: R, delimiter: u8, at: At) -> Stream<R> {
        buf.resize(buf.len().max(BUFFER), 0);
        Stream { input, splitter: Splitter::new(delimiter), buf, filled: 0, eof: false, at }
    }

    /// The buffer, for the next stream.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// Calls `each` on every row until the input ends, `each` breaks (after
    /// its row), or a row starts at or past `limit` (left unread). Returns
    /// where the next row starts.
    pub fn each(
        &mut self,
        limit: u64,
        mut each: impl FnMut(At, Fields<'_>) -> ControlFlow<()>,
    ) -> Result<At, FileError> {
        loop {
            self.fill()?;
            let mut stop_at = None;
            let base = self.at;
            let scanned = self.splitter.scan(&self.buf[..self.filled], self.eof, |found| {
                let at = At { offset: base.offset + found.at as u64, newlines: base.newlines + found.newlines_before };
                if at.offset >= limit {
                    stop_at = Some(at);
                    return ControlFlow::Break(());
                }
                each(at, found.fields)
            });
            if let Some(at) = stop_at {
                return Ok(at);
            }
            self.buf.copy_within(scanned.consumed..self.filled, 0);
            self.filled -= scanned.consumed;
            self.at = At { offset: base.offset + scanned.consumed as u64, newlines: base.newlines + scanned.newlines };
            if scanned.stopped || (self.eof && self.filled == 0) {
                return Ok(self.at);
            }
            if scanned.consumed == 0 && self.filled == self.buf.len() {
                self.grow()?;
            }
        }
    }

    /// Tops the buffer up, stopping early only at the end of the input.
    fn fill(&mut self) -> Result<(), FileError> {
        while !self.eof && self.filled < self.buf.len() {
            match self.input.read(&mut self.buf[self.filled..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(FileError::io(e)),
            }
        }
        Ok(())
    }

    /// Room for a row longer than the buffer, within reason.
    fn grow(&mut self) -> Result<(), FileError> {
        if self.buf.len() >= MAX_ROW {
            return Err(FileError::Format(format!(
                "the row on line {} is longer than {} MiB; is a quote left open?",
                self.at.newlines + 1,
                MAX_ROW / (1024 * 1024)
            )));
        }
        self.buf.resize(self.buf.len() * 2, 0);
        Ok(())
    }
}
