//! `omnideck check`: the gate table as text or JSON.

use std::fmt::Write as _;

use crate::config::gates::GateReport;
use crate::core::channel::ChannelStatus;

fn status_word(s: ChannelStatus) -> &'static str {
    match s {
        ChannelStatus::Active => "active",
        ChannelStatus::Gated => "gated",
        ChannelStatus::Retiring => "retiring",
    }
}

/// One line per channel, then what blocks each blocked one.
pub fn text(report: &GateReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "config: {}", report.config);
    let w = report.channels.iter().map(|c| c.channel.as_str().len()).max().unwrap_or(7).max(7);
    let _ = writeln!(out, "{:<w$}  {:<8}  {:<20}  {:<7}  blocked by", "channel", "status", "owner", "gates");
    for c in &report.channels {
        let ok = c.gates.iter().filter(|g| g.ok).count();
        let verdict = if c.can_be_active() {
            "-".to_owned()
        } else {
            c.blockers().map(|g| g.kind.label()).collect::<Vec<_>>().join(", ")
        };
        let owner: String = c.owner.as_deref().unwrap_or("(none)").chars().take(20).collect();
        let gates = format!("{ok}/{}", c.gates.len());
        let _ = writeln!(
            out,
            "{:<w$}  {:<8}  {owner:<20}  {gates:<7}  {verdict}",
            c.channel.as_str(),
            status_word(c.status)
        );
    }
    for c in report.channels.iter().filter(|c| !c.can_be_active()) {
        let mark = if c.is_blocked_active() { "BLOCKED" } else { "gated" };
        let _ = writeln!(out, "\n{mark}: {} ({})", c.channel, c.name);
        for g in c.blockers() {
            let _ = writeln!(out, "  ✗ {}: {}", g.kind.label(), g.detail);
        }
    }
    let verdict = if report.blocked {
        "an active channel is blocked: fix the gates above or mark it gated"
    } else {
        "every active channel passes its gates"
    };
    let _ = writeln!(out, "\n{verdict}");
    out
}

pub fn json(report: &GateReport) -> serde_json::Result<String> {
    serde_json::to_string_pretty(report).map(|mut s| {
        s.push('\n');
        s
    })
}
