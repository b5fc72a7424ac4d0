//! The panes. Each is a small struct with `handle(Action)` and
//! `render(frame, area, &Theme)`; [`Pane`] is the enum the app holds.
//!
//! Adding a pane: a variant in [`PaneId`] (title, and the engine it needs
//! until it is built), a module with its struct, an arm in [`Pane`] and in
//! `Pane::for_id`, and its data in `view::CockpitView`.

mod channels;
mod help;
mod pending;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use channels::ChannelsPane;
pub use help::HelpPane;
pub use pending::PendingPane;

use super::keymap::{Action, Keymap};
use super::theme::Theme;
use super::view::CockpitView;

/// The planned panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneId {
    Overview,
    Stock,
    Margin,
    Promotions,
    Escalations,
    Decisions,
    Channels,
    Help,
}

impl PaneId {
    pub const ALL: [PaneId; 8] = [
        PaneId::Overview,
        PaneId::Stock,
        PaneId::Margin,
        PaneId::Promotions,
        PaneId::Escalations,
        PaneId::Decisions,
        PaneId::Channels,
        PaneId::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Overview => "Overview",
            PaneId::Stock => "Stock",
            PaneId::Margin => "Margin",
            PaneId::Promotions => "Promotions",
            PaneId::Escalations => "Escalations",
            PaneId::Decisions => "Decisions",
            PaneId::Channels => "Channels",
            PaneId::Help => "Help",
        }
    }

    /// For tab bars too narrow for the full titles.
    pub fn short_title(self) -> &'static str {
        match self {
            PaneId::Promotions => "Promos",
            PaneId::Escalations => "Escal",
            PaneId::Decisions => "Decide",
            other => other.title(),
        }
    }

    /// What a pane that is not built yet is waiting for.
    pub fn needs(self) -> Option<&'static str> {
        match self {
            PaneId::Overview => Some("the readback engine (core::evaluate) and channel pollers"),
            PaneId::Stock => Some("the allocation engine and stock connectors"),
            PaneId::Margin => Some("the pricing engine and fee models"),
            PaneId::Promotions => Some("the promotion collision engine"),
            PaneId::Escalations => Some("the escalation engine and the store"),
            PaneId::Decisions => Some("the decision store"),
            PaneId::Channels | PaneId::Help => None,
        }
    }

    pub fn index(self) -> usize {
        PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The pane `step` tabs away, wrapping.
    #[must_use]
    pub fn cycle(self, forward: bool) -> PaneId {
        let n = PaneId::ALL.len();
        let i = if forward { (self.index() + 1) % n } else { (self.index() + n - 1) % n };
        PaneId::ALL[i]
    }
}

/// One pane and its own state.
#[derive(Debug, Clone)]
pub enum Pane {
    Channels(ChannelsPane),
    Help(HelpPane),
    Pending(PendingPane),
}

impl Pane {
    pub fn for_id(id: PaneId, keymap: &Keymap) -> Pane {
        match id {
            PaneId::Channels => Pane::Channels(ChannelsPane::default()),
            PaneId::Help => Pane::Help(HelpPane::new(keymap)),
            other => Pane::Pending(PendingPane::new(other)),
        }
    }

    pub fn handle(&mut self, action: Action) {
        match self {
            Pane::Channels(p) => p.handle(action),
            Pane::Help(p) => p.handle(action),
            Pane::Pending(_) => {}
        }
    }

    /// New data arrived; panes keep their selection where they can.
    pub fn set_data(&mut self, view: &CockpitView) {
        if let Pane::Channels(p) = self {
            p.set_data(view);
        }
    }

    pub fn set_filter(&mut self, needle: &str) {
        if let Pane::Channels(p) = self {
            p.set_filter(needle);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self {
            Pane::Channels(p) => p.render(frame, area, theme),
            Pane::Help(p) => p.render(frame, area, theme),
            Pane::Pending(p) => p.render(frame, area, theme),
        }
    }
}
