//! The key reference, generated from the keymap records that dispatch keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Row, Table};

use crate::ui::keymap::{Action, Keymap};
use crate::ui::theme::{Role, Theme};

#[derive(Debug, Clone)]
pub struct HelpPane {
    rows: Vec<(String, String)>,
    scroll: usize,
}

impl HelpPane {
    pub fn new(keymap: &Keymap) -> HelpPane {
        HelpPane { rows: keymap.help_rows(), scroll: 0 }
    }

    pub fn handle(&mut self, action: Action) {
        match action {
            Action::Down => self.scroll = (self.scroll + 1).min(self.rows.len().saturating_sub(1)),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = self.rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(4);
        let rows = self.rows.iter().skip(self.scroll).map(|(keys, help)| {
            Row::new([
                Span::styled(keys.clone(), theme.style(Role::Title)),
                Span::styled(help.clone(), theme.style(Role::Text)),
            ])
        });
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Border))
            .title(Span::styled(" Help — keys ", theme.style(Role::Title)));
        let widths = [Constraint::Length(u16::try_from(width).unwrap_or(u16::MAX)), Constraint::Fill(1)];
        frame.render_widget(Table::new(rows, widths).column_spacing(2).block(block), area);
    }
}
