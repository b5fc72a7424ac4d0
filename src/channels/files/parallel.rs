//! A big export read by several threads at once from stretches of the same
//! open file, with the rows kept in file order. There are a few stretches
//! per thread, and a thread that finishes one takes the next: a thread on a
//! busy core (the cockpit's own work, a neighbour on a shared machine)
//! leaves more of the file to the others instead of holding up the read.
//!
//! A stretch's first row is found by guessing: the first row to start at or
//! after the stretch's first byte. The guess is wrong only when that byte
//! falls inside a quoted field holding a newline. The thread reading the
//! stretch before knows the truth: it reads on past its end to the first
//! real row start, and when that differs from the next thread's guess the
//! parallel read is thrown away and the file is read again on one thread.
//! So is a read that meets a file-wide error, so that the error names the
//! file's own line rather than a stretch's.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::head::Head;
use super::rows::{Rows, Tally};
use super::stream::{At, Stream};
use super::{Env, FileError, Record, Summary};
use crate::config::files::{FileMapping, FileRecord};

/// Below this many bytes of rows, threads cost more than they save.
pub const PARALLEL_FROM: u64 = 8 * 1024 * 1024;

/// Stretches per thread: enough for a fast thread to take over a slow one's
/// share, few enough that each is megabytes long.
const STRETCHES_PER_THREAD: usize = 4;

/// How a file read splits its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub threads: usize,
    /// Files with fewer bytes of rows are read on one thread.
    pub from_bytes: u64,
}

impl Split {
    /// One thread per core, for files worth it.
    pub fn per_core() -> Split {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
        Split { threads, from_bytes: PARALLEL_FROM }
    }
}

/// Reads `path` (named `name` in messages) into parts made by `new`, one
/// per stretch, in file order; `keep` adds a record to a part.
pub fn read_file<P: Send>(
    path: &Path,
    name: &str,
    m: &FileMapping,
    env: &Env,
    split: Split,
    new: impl Fn() -> P + Sync,
    keep: impl Fn(&mut P, Record) + Sync,
) -> Result<(Vec<P>, Summary), FileError> {
    let file = File::open(path).map_err(|e| FileError::Io(format!("{name}: {e}")))?;
    let size = file.metadata().map_err(FileError::io)?.len();
    let (head, stream) = Head::read(BufReader::new(Positioned::new(&file, 0)), name, m, env)?;
    let rows_bytes = size.saturating_sub(head.data.offset);
    // A Shopify title carries from a product's first variant to the next
    // rows, across any stretch boundary: listings are read in one piece.
    let threads = if cfg!(unix) && m.record != FileRecord::Listings && rows_bytes >= split.from_bytes {
        split.threads.max(1)
    } else {
        1
    };
    if threads > 1
        && let Some(parts) = in_stretches(&file, size, &head, env, m.record, threads, &new, &keep)
    {
        let (parts, tallies): (Vec<P>, Vec<(u64, Tally)>) = parts.into_iter().unzip();
        return Ok((parts, Summary::of(name, &head, tallies)));
    }
    let mut part = new();
    let tally = super::rows_into(stream, &head, env, m.record, |r| keep(&mut part, r))?;
    Ok((vec![part], Summary::of(name, &head, vec![(0, tally)])))
}

/// What one thread brings back from its stretch.
struct Stretch<P> {
    part: P,
    tally: Tally,
    /// Where its first row started (its guess) and where the next began.
    start: u64,
    end: At,
    failed: bool,
}

/// The parts and tallies (with the newlines before each stretch) of a read
/// by `threads` threads; `None` when it must be redone on one thread: a
/// guessed row start was wrong, or a stretch failed.
#[expect(clippy::too_many_arguments, reason = "one call site; a struct would only rename them")]
fn in_stretches<P: Send>(
    file: &File,
    size: u64,
    head: &Head,
    env: &Env,
    record: FileRecord,
    threads: usize,
    new: &(impl Fn() -> P + Sync),
    keep: &(impl Fn(&mut P, Record) + Sync),
) -> Option<Vec<(P, (u64, Tally))>> {
    let first = head.data.offset;
    let count = threads * STRETCHES_PER_THREAD;
    let width = (size - first) / count as u64;
    let bounds: Vec<u64> = (0..count).map(|k| first + width * k as u64).chain([u64::MAX]).collect();
    let (next, give_up) = (AtomicUsize::new(0), AtomicBool::new(false));
    // Each thread takes the next stretch until none is left (or one failed,
    // which makes the rest pointless).
    let take_stretches = || {
        let (mut read, mut buf) = (Vec::new(), Vec::new());
        while !give_up.load(Ordering::Relaxed) {
            let k = next.fetch_add(1, Ordering::Relaxed);
            if k >= count {
                break;
            }
            let (from, limit) = (bounds[k], bounds[k + 1]);
            let stretch = read_stretch(file, size, head, env, record, from, limit, &mut buf, new, keep);
            if stretch.as_ref().map_or(true, |s| s.failed) {
                give_up.store(true, Ordering::Relaxed);
            }
            read.push((k, stretch));
        }
        read
    };
    let mut read: Vec<(usize, Result<Stretch<P>, FileError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(take_stretches)).collect();
        // A thread that panicked brings nothing back; the count below
        // notices the missing stretches.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    read.sort_unstable_by_key(|(k, _)| *k);
    // Any failure is met again on one thread, which places it in the file.
    let Ok(stretches) = read.into_iter().map(|(_, s)| s).collect::<Result<Vec<Stretch<P>>, _>>() else {
        return None;
    };
    let joined = stretches.windows(2).all(|w| w[0].end.offset == w[1].start);
    if stretches.len() != count || !joined || stretches.iter().any(|s| s.failed) {
        return None;
    }
    let mut newlines = head.data.newlines;
    let parts = stretches
        .into_iter()
        .map(|s| {
            let before = newlines;
            newlines += s.end.newlines;
            (s.part, (before, s.tally))
        })
        .collect();
    Some(parts)
}

/// One thread's stretch: rows starting in `from..limit`, the first being
/// the first data row for the first stretch and a guess for the others.
#[expect(clippy::too_many_arguments, reason = "one call site; a struct would only rename them")]
fn read_stretch<P>(
    file: &File,
    size: u64,
    head: &Head,
    env: &Env,
    record: FileRecord,
    from: u64,
    limit: u64,
    buf: &mut Vec<u8>,
    new: &impl Fn() -> P,
    keep: &impl Fn(&mut P, Record),
) -> Result<Stretch<P>, FileError> {
    let start = if from == head.data.offset { from } else { row_start_from(file, from, size)? };
    let mut part = new();
    let mut rows = Rows::new(head, env, record);
    let at = At { offset: start, newlines: 0 };
    let mut stream = Stream::reusing(std::mem::take(buf), Positioned::new(file, start), head.delimiter, at);
    let end = stream.each(limit, |at, fields| rows.take(at, fields, &mut |r| keep(&mut part, r)));
    *buf = stream.into_buffer();
    Ok(Stretch { part, tally: rows.tally, start, end: end?, failed: rows.failed.is_some() })
}

/// The first row start at or after `from`, guessing that the newline before
/// it is not inside quotes; the file's end when there is none.
fn row_start_from(file: &File, from: u64, size: u64) -> Result<u64, FileError> {
    let mut input = Positioned::new(file, from.saturating_sub(1));
    let mut pos = from.saturating_sub(1);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut input, &mut buf).map_err(FileError::io)?;
        if n == 0 {
            return Ok(size);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Reads `file` from `pos` on without moving the file's own offset, so
/// threads share one open file (and so surely read the same one).
struct Positioned<'a> {
    file: &'a File,
    pos: u64,
}

impl<'a> Positioned<'a> {
    fn new(file: &'a File, pos: u64) -> Positioned<'a> {
        Positioned { file, pos }
    }
}

impl std::io::Read for Positioned<'_> {
    #[cfg(unix)]
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }

    /// Elsewhere a file is read on one thread, through its own offset.
    #[cfg(not(unix))]
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::{Read, Seek};
        let mut file = self.file;
        file.seek(std::io::SeekFrom::Start(self.pos))?;
        let n = file.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}
