//! Store errors that say what happened to which file and what to do.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {what}: {reason}", path = .path.display())]
    Io { path: PathBuf, what: &'static str, reason: String },
    #[error("{}: exists but is not a directory; set [state] data_dir to a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("{}: the disk is full; nothing new was saved (what was saved before is intact). Free space and retry", .0.display())]
    DiskFull(PathBuf),
    #[error("{}: the database is read-only here; check the data directory's permissions or mount", .0.display())]
    ReadOnly(PathBuf),
    #[error("{}: the data directory is read-only; nothing can be saved here (what was saved before is intact). Check its permissions or mount", .0.display())]
    ReadOnlyDir(PathBuf),
    #[error("{}: locked by another process for longer than the wait; another omnideck may be mid-write — retry", .0.display())]
    Locked(PathBuf),
    #[error("{path}: not a usable omnideck database ({detail}); move it aside to start a new one", path = .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: unsupported: {what}; the store needs a local filesystem", path = .path.display())]
    Unsupported { path: PathBuf, what: String },
    #[error("{path}: {reason}", path = .path.display())]
    Sqlite { path: PathBuf, reason: String },
}

impl StoreError {
    pub(super) fn io(path: &Path, what: &'static str, e: &std::io::Error) -> StoreError {
        StoreError::Io { path: path.to_owned(), what, reason: e.to_string() }
    }

    pub(super) fn from_sqlite(path: &Path, e: &rusqlite::Error) -> StoreError {
        let path = path.to_owned();
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(path),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked(path),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupt { path, detail: e.to_string() }
            }
            Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                StoreError::Io { path, what: "cannot open the database", reason: e.to_string() }
            }
            _ => StoreError::Sqlite { path, reason: e.to_string() },
        }
    }
}
