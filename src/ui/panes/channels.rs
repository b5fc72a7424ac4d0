//! The gate table: every channel, whether it can be live, and what blocks
//! it; the selected channel's gates in detail below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use crate::ui::keymap::Action;
use crate::ui::theme::{Role, Theme};
use crate::ui::view::{ChannelRow, CockpitView, StatusKind};

#[derive(Debug, Clone, Default)]
pub struct ChannelsPane {
    rows: Vec<ChannelRow>,
    filter: String,
    selected: usize,
}

impl ChannelsPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        self.rows.clone_from(&view.channels);
        self.clamp();
    }

    pub fn set_filter(&mut self, needle: &str) {
        self.filter = needle.to_lowercase();
        self.clamp();
    }

    pub fn handle(&mut self, action: Action) {
        match action {
            Action::Down => self.selected += 1,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            _ => {}
        }
        self.clamp();
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<&ChannelRow> {
        self.rows.iter().filter(|r| r.matches(&self.filter)).collect()
    }

    pub fn selected(&self) -> Option<&ChannelRow> {
        self.visible().get(self.selected).copied()
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.visible().len().saturating_sub(1));
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let rows = self.visible();
        let detail_height = self.selected().map_or(3, |c| u16::try_from(c.gates.len()).unwrap_or(u16::MAX) + 2);
        let [table_area, detail_area] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(detail_height)]).areas(area);
        self.render_table(frame, table_area, theme, &rows);
        self.render_detail(frame, detail_area, theme);
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme, rows: &[&ChannelRow]) {
        let header =
            Row::new(["Channel", "Status", "Owner", "Source", "Gates", "Blocked by"]).style(theme.style(Role::Header));
        let body = rows.iter().map(|c| {
            let owner = c.owner.as_deref().map_or_else(
                || Span::styled("— none —", theme.style(Role::FlagBreach)),
                |o| Span::styled(o.to_owned(), theme.style(Role::Text)),
            );
            Row::new([
                Cell::from(Span::styled(c.name.clone(), theme.style(Role::Text))),
                Cell::from(Span::styled(c.status.label(), status_style(theme, c.status))),
                Cell::from(owner),
                Cell::from(Span::styled(c.source.clone().unwrap_or_else(|| "—".into()), theme.style(Role::Muted))),
                Cell::from(Span::styled(format!("{}/{}", c.passed, c.total), theme.style(Role::Text))),
                Cell::from(Span::styled(c.blockers(), theme.style(Role::Muted))),
            ])
        });
        let widths = [
            Constraint::Fill(4),
            Constraint::Length(11),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(5),
            Constraint::Fill(3),
        ];
        let title = if self.filter.is_empty() {
            format!(" Channels ({}) ", rows.len())
        } else {
            format!(" Channels ({} of {}, filter: {}) ", rows.len(), self.rows.len(), self.filter)
        };
        let table = Table::new(body, widths)
            .header(header)
            .row_highlight_style(theme.style(Role::Selection))
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always)
            .block(block(theme, title));
        let mut state = TableState::default().with_selected((!rows.is_empty()).then_some(self.selected));
        frame.render_stateful_widget(table, area, &mut state);
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(c) = self.selected() else {
            let why = if self.rows.is_empty() { "no channels in the config" } else { "no channel matches the filter" };
            let text = Paragraph::new(Line::styled(why, theme.style(Role::Muted)));
            frame.render_widget(text.block(block(theme, " Gates ".into())), area);
            return;
        };
        let lines: Vec<Line> = c
            .gates
            .iter()
            .map(|g| {
                let (mark, role) = if g.ok { ("✔ pass", Role::StatusOk) } else { ("✖ FAIL", Role::StatusBlocked) };
                Line::from(vec![
                    Span::styled(format!("{mark}  "), theme.style(role)),
                    Span::styled(format!("{:<16}", g.label), theme.style(Role::Title)),
                    Span::styled(g.detail.clone(), theme.style(Role::Text)),
                ])
            })
            .collect();
        let title = format!(" Gates — {} ({}) ", c.name, c.id);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block(theme, title)), area);
    }
}

fn block(theme: &Theme, title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(title, theme.style(Role::Title)))
}

fn status_style(theme: &Theme, status: StatusKind) -> ratatui::style::Style {
    theme.style(match status {
        StatusKind::Live => Role::StatusOk,
        StatusKind::Blocked => Role::StatusBlocked,
        StatusKind::Gated => Role::StatusGated,
        StatusKind::Retiring => Role::StatusRetiring,
    })
}
