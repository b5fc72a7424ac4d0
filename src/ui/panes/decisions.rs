//! The decision log, newest first as the store returns it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::table::{Columns, RowTable};
use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use crate::ui::view::{CockpitView, DecisionRow};

#[derive(Debug, Clone, Default)]
pub struct DecisionsPane {
    pub table: RowTable<DecisionRow>,
}

impl DecisionsPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        self.table.set_rows(view.read.as_ref().map(|r| r.decisions.as_slice()));
    }

    pub fn handle(&mut self, action: Action) {
        self.table.handle(action);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let headers = ["When", "Who", "On", "Decision", "Follow-up"].map(String::from).to_vec();
        let widths = vec![
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Fill(2),
            Constraint::Fill(4),
            Constraint::Length(16),
        ];
        self.table.render(frame, area, theme, &Columns::new("Decisions", headers, widths));
    }
}
