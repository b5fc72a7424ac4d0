//! A pane whose engine does not exist yet: it says so plainly rather than
//! showing made-up numbers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::PaneId;
use crate::ui::theme::{Role, Theme};

#[derive(Debug, Clone)]
pub struct PendingPane {
    id: PaneId,
}

impl PendingPane {
    pub fn new(id: PaneId) -> PendingPane {
        PendingPane { id }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Border))
            .title(Span::styled(format!(" {} ", self.id.title()), theme.style(Role::Title)));
        let needs = self.id.needs().unwrap_or("nothing");
        let text =
            vec![Line::default(), Line::styled(format!("not available yet — needs {needs}"), theme.style(Role::Muted))];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }).block(block), area);
    }
}
