//! The table every read pane is built on: selection, `/` filter, a detail
//! box for the selected row, masking in presentation mode, and a render
//! that builds only the rows around the viewport, so a 20k-row table costs
//! what a 20-row one does (ratatui's Table pays for every row it is given).

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use crate::ui::keymap::Action;
use crate::ui::theme::{Role, Theme};
use crate::ui::view::{Level, STALE_MARK, TableRow};

/// What a pane tells the table about its columns.
#[derive(Debug, Clone)]
pub struct Columns {
    pub title: String,
    pub headers: Vec<String>,
    pub widths: Vec<Constraint>,
    /// Column indices left out (narrow screens drop the least needed).
    pub hidden: Vec<usize>,
}

impl Columns {
    pub fn new(title: impl Into<String>, headers: Vec<String>, widths: Vec<Constraint>) -> Columns {
        Columns { title: title.into(), headers, widths, hidden: Vec::new() }
    }

    /// Hide `cols` when `width` is below `min`.
    #[must_use]
    pub fn hide_below(mut self, width: u16, min: u16, cols: &[usize]) -> Columns {
        if width < min {
            self.hidden.extend_from_slice(cols);
        }
        self
    }

    fn keep<T>(&self, items: impl IntoIterator<Item = T>) -> Vec<T> {
        items.into_iter().enumerate().filter(|(i, _)| !self.hidden.contains(i)).map(|(_, t)| t).collect()
    }
}

#[derive(Debug, Clone)]
pub struct RowTable<R> {
    rows: Vec<R>,
    /// Indices of the rows the filter lets through.
    matches: Vec<usize>,
    filter: String,
    selected: usize,
    loaded: bool,
    pub detail_open: bool,
    pub mask: bool,
}

impl<R> Default for RowTable<R> {
    fn default() -> Self {
        RowTable {
            rows: Vec::new(),
            matches: Vec::new(),
            filter: String::new(),
            selected: 0,
            loaded: false,
            detail_open: false,
            mask: false,
        }
    }
}

/// The rows to hand to ratatui: from where the selection would scroll the
/// view to, one screen beyond it.
pub fn window(len: usize, selected: usize, height: usize) -> Range<usize> {
    let height = height.max(1);
    let start = selected.saturating_sub(height - 1).min(len);
    start..len.min(start + 2 * height)
}

impl<R: TableRow + Clone> RowTable<R> {
    /// New rows; `None` means no read has arrived yet.
    /// The selection follows its row (by title) when a fresh read reorders
    /// the table, so a poll never moves the operator's place.
    pub fn set_rows(&mut self, rows: Option<&[R]>) {
        let was = self.selected().map(TableRow::title);
        self.loaded = rows.is_some();
        self.rows = rows.map(<[R]>::to_vec).unwrap_or_default();
        self.refilter();
        if let Some(pos) = was.and_then(|t| self.matches.iter().position(|i| self.rows[*i].title() == t)) {
            self.selected = pos;
        }
    }

    pub fn set_filter(&mut self, needle: &str) {
        self.filter = needle.to_lowercase();
        self.refilter();
    }

    fn refilter(&mut self) {
        let f = &self.filter;
        self.matches = (0..self.rows.len()).filter(|i| f.is_empty() || self.rows[*i].search().contains(f)).collect();
        self.selected = self.selected.min(self.matches.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Action) {
        match action {
            Action::Down => self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1)),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Open => self.detail_open = !self.detail_open && self.selected().is_some(),
            _ => {}
        }
    }

    pub fn loaded(&self) -> bool {
        self.loaded
    }

    pub fn len(&self) -> usize {
        self.matches.len()
    }

    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
    }

    pub fn selected(&self) -> Option<&R> {
        self.matches.get(self.selected).map(|i| &self.rows[*i])
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, cols: &Columns) {
        if !self.loaded {
            let text = Paragraph::new(Line::styled("loading…", theme.style(Role::Muted)));
            frame.render_widget(text.block(block(theme, format!(" {} ", cols.title))), area);
            return;
        }
        let detail = self.selected().filter(|_| self.detail_open).map(TableRow::detail);
        let detail_height = detail.map_or(0, |d| u16::try_from(d.len() + 2).unwrap_or(u16::MAX).min(area.height / 2));
        let [table_area, detail_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(detail_height)]).areas(area);
        self.render_table(frame, table_area, theme, cols);
        if let (Some(lines), Some(row)) = (detail, self.selected()) {
            let lines: Vec<Line> =
                lines.iter().map(|f| Line::styled(f.shown(self.mask).to_owned(), theme.style(Role::Text))).collect();
            let title = format!(" Detail — {} ", row.title());
            let para = Paragraph::new(lines).wrap(Wrap { trim: false }).block(block(theme, title));
            frame.render_widget(para, detail_area);
        }
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme, cols: &Columns) {
        let title = if self.filter.is_empty() {
            format!(" {} ({}) ", cols.title, self.matches.len())
        } else {
            format!(" {} ({} of {}, filter: {}) ", cols.title, self.matches.len(), self.rows.len(), self.filter)
        };
        let block = block(theme, title);
        if self.matches.is_empty() {
            let why = if self.rows.is_empty() { "nothing to show" } else { "no row matches the filter" };
            frame.render_widget(Paragraph::new(Line::styled(why, theme.style(Role::Muted))).block(block), area);
            return;
        }
        // Borders and the header take three lines.
        let range = window(self.matches.len(), self.selected, usize::from(area.height.saturating_sub(3)));
        let body = self.matches[range.clone()].iter().map(|i| self.row(&self.rows[*i], theme, cols));
        let header =
            Row::new(cols.keep(cols.headers.iter().map(|h| Cell::from(h.clone())))).style(theme.style(Role::Header));
        let widths = fixed_widths(&cols.keep(cols.widths.iter().copied()), area.width.saturating_sub(4));
        let table = Table::new(body, widths)
            .header(header)
            .row_highlight_style(theme.style(Role::Selection))
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always)
            .block(block);
        let mut state = TableState::default().with_selected(Some(self.selected - range.start));
        frame.render_stateful_widget(table, area, &mut state);
    }

    fn row(&self, r: &R, theme: &Theme, cols: &Columns) -> Row<'static> {
        let style = row_style(theme, r);
        let mut cells: Vec<Cell> = r.cells().iter().map(|f| Cell::from(f.shown(self.mask).to_owned())).collect();
        if r.stale()
            && let Some(first) = r.cells().first()
        {
            let text = format!("{STALE_MARK} {}", first.shown(self.mask));
            cells[0] = Cell::from(Span::styled(text, theme.style(Role::Stale)));
        }
        Row::new(cols.keep(cells)).style(style)
    }
}

/// `Fill` columns turned into lengths, the remainder going to the last.
/// ratatui's solver splits remainders between equal fills in an order that
/// varies between runs, which would make snapshots flaky.
pub fn fixed_widths(widths: &[Constraint], inner: u16) -> Vec<Constraint> {
    let spacing = u16::try_from(widths.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let fixed: u16 = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) | Constraint::Min(n) => *n,
            _ => 0,
        })
        .sum();
    let weights: u16 = widths.iter().map(|c| if let Constraint::Fill(w) = c { *w } else { 0 }).sum();
    let mut left = inner.saturating_sub(fixed).saturating_sub(spacing);
    let share = left;
    let last_fill = widths.iter().rposition(|c| matches!(c, Constraint::Fill(_)));
    widths
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Constraint::Fill(_) if Some(i) == last_fill => Constraint::Length(left),
            Constraint::Fill(w) => {
                let n = u16::try_from(u32::from(share) * u32::from(*w) / u32::from(weights.max(1))).unwrap_or(0);
                left = left.saturating_sub(n);
                Constraint::Length(n)
            }
            other => *other,
        })
        .collect()
}

fn row_style<R: TableRow>(theme: &Theme, r: &R) -> Style {
    if r.overdue() {
        return theme.style(Role::EscalationOverdue);
    }
    theme.style(match r.level() {
        Level::Critical => Role::FlagBreach,
        Level::Warning => Role::StockShort,
        Level::Info | Level::Ok => Role::Text,
    })
}

pub fn block(theme: &Theme, title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(title, theme.style(Role::Title)))
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_is_bounded_by_the_viewport_not_the_table() {
        assert_eq!(window(20_000, 0, 20), 0..40);
        assert_eq!(window(20_000, 10_000, 20), 9_981..10_021);
        assert_eq!(window(5, 4, 20), 0..5);
        assert_eq!(window(0, 0, 0), 0..0);
        let w = window(1_000_000, 999_999, 47);
        assert!(w.len() <= 94 && w.contains(&999_999));
    }
}
