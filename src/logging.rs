//! The cockpit's log: a file in the data dir, never the terminal (the
//! screen belongs to the cockpit, and a line written under it would tear a
//! frame). `OMNIDECK_LOG` sets the filter in `tracing`'s env-filter syntax
//! (`debug`, `omnideck=trace,warn`); without it only warnings and errors are
//! kept, so a long-running cockpit does not fill the disk.
//!
//! What reaches the log is what the connectors say: source ids, paths,
//! retry counts and error messages. Those messages are built from remote
//! text already stripped of control characters, and never from credentials
//! or tokens (tests/secrets.rs polls every source through faults with the
//! log at `trace` and searches it for them).

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The file name inside the data dir.
pub const FILE: &str = "omnideck.log";

/// The filter when `OMNIDECK_LOG` is unset.
const DEFAULT_FILTER: &str = "warn";

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("OMNIDECK_LOG={value:?}: {reason}")]
    Filter { value: String, reason: String },
    #[error("cannot open the log {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
}

/// Parse a filter; `None` or an empty string gives the default.
pub fn filter(value: Option<&str>) -> Result<EnvFilter, LogError> {
    let value = value.map(str::trim).filter(|v| !v.is_empty()).unwrap_or(DEFAULT_FILTER);
    EnvFilter::try_new(value).map_err(|e| LogError::Filter { value: value.to_owned(), reason: e.to_string() })
}

/// Send this process's log to `dir/omnideck.log`, appending, readable by
/// its owner only (the log names sources, SKUs and error text).
///
/// Returns the log's path. A second call in one process leaves the first
/// subscriber in place (tests start several cockpits) and still succeeds.
pub fn start(dir: &Path, value: Option<&str>) -> Result<PathBuf, LogError> {
    let filter = filter(value)?;
    let path = dir.join(FILE);
    let open = |e: std::io::Error| LogError::Open { path: path.clone(), reason: e.to_string() };
    std::fs::create_dir_all(dir).map_err(open)?;
    let file = OpenOptions::new().create(true).append(true).mode(0o600).open(&path).map_err(open)?;
    let subscriber =
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(Mutex::new(file)).finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_or_name_the_variable() {
        assert!(filter(None).is_ok());
        assert!(filter(Some("  ")).is_ok());
        assert!(filter(Some("omnideck=trace,warn")).is_ok());
        let err = filter(Some("omnideck=loud")).unwrap_err().to_string();
        assert!(err.starts_with("OMNIDECK_LOG=\"omnideck=loud\": "), "{err}");
    }

    #[test]
    fn the_log_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = start(dir.path(), Some("warn")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
