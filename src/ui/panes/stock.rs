//! Stock by channel: the plan's quantity per SKU and channel, the pool and
//! cover behind it; Enter shows the reason for every number.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::table::{Columns, RowTable};
use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use crate::ui::view::{CockpitView, StockRow};

#[derive(Debug, Clone, Default)]
pub struct StockPane {
    pub table: RowTable<StockRow>,
    channels: Vec<String>,
}

impl StockPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        let stock = view.read.as_ref().map(|r| &r.stock);
        self.channels = stock.map(|s| s.channels.clone()).unwrap_or_default();
        self.table.set_rows(stock.map(|s| s.rows.as_slice()));
    }

    pub fn handle(&mut self, action: Action) {
        self.table.handle(action);
    }

    fn columns(&self) -> Columns {
        let mut headers = vec!["SKU".to_owned()];
        headers.extend(self.channels.iter().cloned());
        headers.extend(["Pool".to_owned(), "Cover".to_owned(), "State".to_owned()]);
        let mut widths = vec![Constraint::Length(16)];
        widths.extend(self.channels.iter().map(|_| Constraint::Fill(1)));
        widths.extend([Constraint::Length(6), Constraint::Length(7), Constraint::Length(15)]);
        Columns::new("Stock by channel", headers, widths)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.table.render(frame, area, theme, &self.columns());
    }
}
