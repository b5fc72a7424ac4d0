//! Promotions: a day-by-day timeline per SKU and channel over this week and
//! the next three, collisions marked, and the money they put at stake.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::table::{Columns, RowTable};
use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use crate::ui::view::{CockpitView, PromoRow};

#[derive(Debug, Clone, Default)]
pub struct PromotionsPane {
    pub table: RowTable<PromoRow>,
    weeks: String,
}

impl PromotionsPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        let promos = view.read.as_ref().map(|r| &r.promotions);
        self.weeks = promos.map(|p| p.weeks.clone()).unwrap_or_default();
        self.table.set_rows(promos.map(|p| p.rows.as_slice()));
    }

    pub fn handle(&mut self, action: Action) {
        self.table.handle(action);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let timeline = if self.weeks.is_empty() { "Timeline".to_owned() } else { self.weeks.clone() };
        let headers = vec![
            "SKU".to_owned(),
            "Channel".to_owned(),
            timeline,
            "Collisions".to_owned(),
            "At stake".to_owned(),
            "Margin lost".to_owned(),
            "Owners".to_owned(),
        ];
        let widths = vec![
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(31),
            Constraint::Fill(4),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Fill(2),
        ];
        let cols =
            Columns::new("Promotions (━ running, ✖ collision)", headers, widths).hide_below(area.width, 120, &[5, 6]);
        self.table.render(frame, area, theme, &cols);
    }
}
