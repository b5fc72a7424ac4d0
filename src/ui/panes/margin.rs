//! Margin and price flags: floor, MAP, drift, parity and competitor flags
//! per channel and SKU; Enter shows the fee lines behind the contribution.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::table::{Columns, RowTable};
use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use crate::ui::view::{CockpitView, MarginRow};

#[derive(Debug, Clone, Default)]
pub struct MarginPane {
    pub table: RowTable<MarginRow>,
}

impl MarginPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        self.table.set_rows(view.read.as_ref().map(|r| r.margin.as_slice()));
    }

    pub fn handle(&mut self, action: Action) {
        self.table.handle(action);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let headers = ["Level", "Flag", "Channel", "SKU", "Price", "Contrib.", "Margin", "Owner", "Price age"];
        let widths = vec![
            Constraint::Length(11),
            Constraint::Length(6),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Fill(2),
            Constraint::Length(9),
        ];
        // Narrow screens keep what a flag is and where; the detail has the rest.
        let cols = Columns::new("Margin & price flags", headers.map(String::from).to_vec(), widths).hide_below(
            area.width,
            120,
            &[5, 8],
        );
        self.table.render(frame, area, theme, &cols);
    }
}
