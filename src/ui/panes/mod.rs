//! The panes. Each is a small struct with `handle(Action)` and
//! `render(frame, area, &Theme)`; [`Pane`] is the enum the app holds.
//!
//! Adding a pane: a variant in [`PaneId`], a module with its struct (the
//! read panes wrap [`table::RowTable`]), an arm in [`Pane`] and in
//! `Pane::for_id`, and its data in `view::CockpitView`.

mod channels;
mod decisions;
mod escalations;
mod help;
mod margin;
mod overview;
mod promotions;
pub mod review;
mod stock;
pub mod table;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use channels::ChannelsPane;
pub use decisions::DecisionsPane;
pub use escalations::EscalationsPane;
pub use help::HelpPane;
pub use margin::MarginPane;
pub use overview::OverviewPane;
pub use promotions::PromotionsPane;
pub use stock::StockPane;

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
    Overview(OverviewPane),
    Stock(StockPane),
    Margin(MarginPane),
    Promotions(PromotionsPane),
    Escalations(EscalationsPane),
    Decisions(DecisionsPane),
    Channels(ChannelsPane),
    Help(HelpPane),
}

/// The table inside a read pane, whatever its row type.
macro_rules! each_table {
    ($pane:expr, $t:ident => $body:expr, $other:expr) => {
        match $pane {
            Pane::Stock(p) => {
                let $t = &mut p.table;
                $body
            }
            Pane::Margin(p) => {
                let $t = &mut p.table;
                $body
            }
            Pane::Promotions(p) => {
                let $t = &mut p.table;
                $body
            }
            Pane::Escalations(p) => {
                let $t = &mut p.table;
                $body
            }
            Pane::Decisions(p) => {
                let $t = &mut p.table;
                $body
            }
            Pane::Overview(_) | Pane::Channels(_) | Pane::Help(_) => $other,
        }
    };
}

impl Pane {
    pub fn for_id(id: PaneId, keymap: &Keymap) -> Pane {
        match id {
            PaneId::Overview => Pane::Overview(OverviewPane::default()),
            PaneId::Stock => Pane::Stock(StockPane::default()),
            PaneId::Margin => Pane::Margin(MarginPane::default()),
            PaneId::Promotions => Pane::Promotions(PromotionsPane::default()),
            PaneId::Escalations => Pane::Escalations(EscalationsPane::default()),
            PaneId::Decisions => Pane::Decisions(DecisionsPane::default()),
            PaneId::Channels => Pane::Channels(ChannelsPane::default()),
            PaneId::Help => Pane::Help(HelpPane::new(keymap)),
        }
    }

    pub fn handle(&mut self, action: Action) {
        match self {
            Pane::Overview(p) => p.handle(action),
            Pane::Stock(p) => p.handle(action),
            Pane::Margin(p) => p.handle(action),
            Pane::Promotions(p) => p.handle(action),
            Pane::Escalations(p) => p.handle(action),
            Pane::Decisions(p) => p.handle(action),
            Pane::Channels(p) => p.handle(action),
            Pane::Help(p) => p.handle(action),
        }
    }

    /// New data arrived; panes keep their selection where they can.
    pub fn set_data(&mut self, view: &CockpitView) {
        match self {
            Pane::Overview(p) => p.set_data(view),
            Pane::Stock(p) => p.set_data(view),
            Pane::Margin(p) => p.set_data(view),
            Pane::Promotions(p) => p.set_data(view),
            Pane::Escalations(p) => p.set_data(view),
            Pane::Decisions(p) => p.set_data(view),
            Pane::Channels(p) => p.set_data(view),
            Pane::Help(_) => {}
        }
    }

    pub fn set_filter(&mut self, needle: &str) {
        if let Pane::Channels(p) = self {
            p.set_filter(needle);
        }
        each_table!(self, t => t.set_filter(needle), ());
    }

    /// Presentation mode masks confidential columns.
    pub fn set_mask(&mut self, mask: bool) {
        each_table!(self, t => t.mask = mask, ());
    }

    /// Close the detail box if one is open; says whether it was.
    pub fn close_detail(&mut self) -> bool {
        each_table!(self, t => std::mem::replace(&mut t.detail_open, false), false)
    }

    /// Whether the pane has its data (the read panes wait for a read).
    pub fn loaded(&self) -> bool {
        match self {
            Pane::Stock(p) => p.table.loaded(),
            Pane::Margin(p) => p.table.loaded(),
            Pane::Promotions(p) => p.table.loaded(),
            Pane::Escalations(p) => p.table.loaded(),
            Pane::Decisions(p) => p.table.loaded(),
            Pane::Overview(_) | Pane::Channels(_) | Pane::Help(_) => true,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self {
            Pane::Overview(p) => p.render(frame, area, theme),
            Pane::Stock(p) => p.render(frame, area, theme),
            Pane::Margin(p) => p.render(frame, area, theme),
            Pane::Promotions(p) => p.render(frame, area, theme),
            Pane::Escalations(p) => p.render(frame, area, theme),
            Pane::Decisions(p) => p.render(frame, area, theme),
            Pane::Channels(p) => p.render(frame, area, theme),
            Pane::Help(p) => p.render(frame, area, theme),
        }
    }
}
