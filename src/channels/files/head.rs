//! What a read settles before its first data row: the encoding, the
//! delimiter, the header line and so the layout, and the number formats.

use std::io::BufRead;
use std::ops::ControlFlow;

use super::layout::{self, Field, Layout};
use super::stream::{At, Stream};
use super::text::{self, field_text};
use super::values::Formats;
use super::{Env, FileError};
use crate::config::files::{FileEncoding, FileMapping, FileRecord};
use crate::core::snapshot::SourceIssue;

/// Everything every row is read with.
#[derive(Debug, Clone)]
pub(super) struct Head {
    pub encoding: FileEncoding,
    pub delimiter: u8,
    pub layout: Layout,
    pub formats: Formats,
    /// Detection notes, reported before any bad row.
    pub notes: Vec<SourceIssue>,
    /// Where the first data row starts.
    pub data: At,
}

impl Head {
    /// Reads up to the end of the header line and returns the stream,
    /// positioned at the first data row.
    pub fn read<R: BufRead>(
        mut input: R,
        name: &str,
        m: &FileMapping,
        env: &Env,
    ) -> Result<(Head, Stream<R>), FileError> {
        let delimiter = m.delimiter.or(layout::preset_delimiter(m.format));
        let prelude = text::prelude(&mut input, m.encoding, delimiter)?;
        let mut stream = Stream::new(input, prelude.delimiter, At { offset: prelude.bom_len, newlines: 0 });
        let mut header: Option<Result<Vec<String>, FileError>> = None;
        let data = stream.each(u64::MAX, |at, fields| {
            // Leading blank lines are not the header.
            if fields.len() == 1 && fields.raw(0).is_some_and(<[u8]>::is_empty) {
                return ControlFlow::Continue(());
            }
            let names = (0..fields.len())
                .map(|k| {
                    let raw = fields.get(k).unwrap_or_default();
                    let text = field_text(raw, prelude.encoding)
                        .map_err(|valid| encoding_error(at, fields.text_start(k) + valid, k))?;
                    Ok(text.into_owned())
                })
                .collect();
            header = Some(names);
            ControlFlow::Break(())
        })?;
        let headers = header.ok_or(FileError::Empty)??;
        let layout = Layout::resolve(m, headers, name)?;
        if m.record == FileRecord::Stock && layout.of(Field::Location).is_empty() && env.location.is_none() {
            return Err(FileError::Format("stock rows need a location column or the source's location setting".into()));
        }
        let notes = prelude
            .notes
            .iter()
            .map(|n| SourceIssue { place: name.to_owned(), message: format!("note: {n}") })
            .collect();
        let formats = Formats::of(m, env);
        Ok((Head { encoding: prelude.encoding, delimiter: prelude.delimiter, layout, formats, notes, data }, stream))
    }
}

/// Text that is not in the declared encoding, `within` bytes into the row
/// at `at` (exact unless doubled quotes come earlier in the field).
pub(super) fn encoding_error(at: At, within: usize, column: usize) -> FileError {
    FileError::Encoding { offset: at.offset + within as u64, line: at.newlines + 1, column: column + 1 }
}
