//! Owned view data: what the panes draw, built once from the engines'
//! output. Every string that came from config or a remote API passes
//! through `core::text::clean` here, so panes can render it as-is.
//!
//! Two states: [`CockpitView::from_gates`] before any data (the read panes
//! say "loading…"), and [`CockpitView::from_read`] once a `Cockpit` is
//! evaluated.

mod format;
mod margin;
mod promos;
mod read;
mod readback;
mod rows;
mod stock;

pub use read::{DEFAULT_STALE_AFTER, ReadContext, ReadView};
pub use readback::{NextRow, ReadbackRow};
pub use rows::{
    DecisionRow, EscalationRow, Field, Level, MASK, MarginRow, PromoRow, PromoTable, STALE_MARK, SourceRow, StockRow,
    StockTable, TableRow,
};

use crate::config::gates::{ChannelGates, GateReport};
use crate::core::channel::ChannelStatus;
use crate::core::escalation::Event;
use crate::core::evaluate::Cockpit;
use crate::core::text::clean;
use crate::store::Decision;

/// How a channel stands, as the cockpit shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Active and every gate holds.
    Live,
    /// Marked active but a gate fails: `check` exits 1 on this.
    Blocked,
    /// Being prepared; not counted as live.
    Gated,
    Retiring,
}

impl StatusKind {
    /// Glyph and word, so severity survives a colourless screen share.
    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Live => "✔ active",
            StatusKind::Blocked => "✖ blocked",
            StatusKind::Gated => "◌ gated",
            StatusKind::Retiring => "↓ retiring",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateRow {
    pub label: &'static str,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRow {
    pub id: String,
    pub name: String,
    pub status: StatusKind,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub passed: usize,
    pub total: usize,
    pub gates: Vec<GateRow>,
}

impl ChannelRow {
    /// What blocks it, in one line ("" when nothing does).
    pub fn blockers(&self) -> String {
        self.gates.iter().filter(|g| !g.ok).map(|g| g.label).collect::<Vec<_>>().join(", ")
    }

    /// Whether `needle` (lower-case) appears in id, name or owner.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty()
            || [Some(&self.id), Some(&self.name), self.owner.as_ref()]
                .into_iter()
                .flatten()
                .any(|s| s.to_lowercase().contains(needle))
    }
}

/// Everything the cockpit shows, owned; pollers will send new ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CockpitView {
    pub config_path: String,
    pub channels: Vec<ChannelRow>,
    /// The evaluated read; `None` until the first one arrives.
    pub read: Option<ReadView>,
}

impl CockpitView {
    pub fn from_gates(report: &GateReport) -> CockpitView {
        CockpitView {
            config_path: clean(&report.config).into_owned(),
            channels: report.channels.iter().map(channel_row).collect(),
            read: None,
        }
    }

    /// The evaluated read with default context (UTC, default stale limits
    /// and SLAs, no promotion list); see [`CockpitView::from_read_with`].
    pub fn from_read(cockpit: &Cockpit, events: &[Event], decisions: &[Decision], gates: &GateReport) -> CockpitView {
        CockpitView::from_read_with(cockpit, events, decisions, gates, &ReadContext::default())
    }

    /// The evaluated read, with the config's zone, stale limits, chains and
    /// SLAs and the snapshot's promotions.
    pub fn from_read_with(
        cockpit: &Cockpit,
        events: &[Event],
        decisions: &[Decision],
        gates: &GateReport,
        ctx: &ReadContext,
    ) -> CockpitView {
        CockpitView { read: Some(ReadView::build(cockpit, events, decisions, ctx)), ..CockpitView::from_gates(gates) }
    }

    pub fn count(&self, kind: StatusKind) -> usize {
        self.channels.iter().filter(|c| c.status == kind).count()
    }
}

fn channel_row(c: &ChannelGates) -> ChannelRow {
    let status = match c.status {
        ChannelStatus::Active if c.can_be_active() => StatusKind::Live,
        ChannelStatus::Active => StatusKind::Blocked,
        ChannelStatus::Gated => StatusKind::Gated,
        ChannelStatus::Retiring => StatusKind::Retiring,
    };
    let gates: Vec<GateRow> = c
        .gates
        .iter()
        .map(|g| GateRow { label: g.kind.label(), ok: g.ok, detail: clean(&g.detail).into_owned() })
        .collect();
    ChannelRow {
        id: clean(c.channel.as_str()).into_owned(),
        name: clean(&c.name).into_owned(),
        status,
        owner: c.owner.as_deref().map(|o| clean(o).into_owned()),
        source: c.source.as_ref().map(|s| clean(&s.to_string()).into_owned()),
        passed: gates.iter().filter(|g| g.ok).count(),
        total: gates.len(),
        gates,
    }
}
