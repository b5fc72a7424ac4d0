//! What more than one bench needs.

/// A `/proc/self/status` field in KiB (`VmHWM:` is the peak resident set);
/// 0 where the file or the field is missing.
pub fn status_kib(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = text.lines().find(|l| l.starts_with(field));
    line.and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
}
