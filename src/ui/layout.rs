//! The screen: tabs on top, the focused pane, a status line at the bottom.
//!
//! ```text
//! ┌──────────────────────────────────────────────────────────────────────┐
//! │ 1 Overview  2 Stock  3 Margin  4 Promotions  …  7 Channels  ? Help   │ tabs
//! │┌ Channels (6) ──────────────────────────────────────────────────────┐│
//! ││ Channel        Status     Owner      Source     Gates  Blocked by  ││ focused pane
//! ││▶ Shopify DTC   ✔ active   Maya Chen  shopify    6/6                ││
//! │└────────────────────────────────────────────────────────────────────┘│
//! │┌ Gates — Shopify DTC (shopify-dtc) ─────────────────────────────────┐│ pane detail
//! ││✔ pass  owner           Maya Chen                                  ││
//! │└────────────────────────────────────────────────────────────────────┘│
//! │ omnideck.toml · 4 active · 1 blocked · 1 gated │ j down  k up  q quit │ status line
//! └──────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! `R` draws the weekly review over the pane (sketch in `panes::review`);
//! `?` draws Help in a centred box over the pane; presentation mode (`p`)
//! drops the tabs and hints and gives the pane the whole screen. Below
//! 60×15 only a "too small" notice is drawn; nothing here indexes the
//! buffer directly, so no size can panic.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::State;
use super::panes::PaneId;
use super::theme::{Role, Theme, Themes};
use super::view::{CockpitView, STALE_MARK, StatusKind};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Draw the whole screen for `state`.
pub fn draw(frame: &mut Frame, state: &State, themes: &Themes) {
    let theme = if state.presentation { &themes.presentation } else { &themes.normal };
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.style(Role::Text)), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, theme);
        return;
    }
    let [top, body, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let body = if state.presentation {
        let title = format!(" {} — presentation mode (p to leave) ", state.focus.title());
        frame.render_widget(Paragraph::new(Span::styled(title, theme.style(Role::Title))), top);
        let zoomed = Rect { height: body.height + 1, ..body };
        state.pane(state.focus).render(frame, zoomed, theme);
        zoomed
    } else {
        draw_tabs(frame, top, state, theme);
        state.pane(state.focus).render(frame, body, theme);
        draw_status(frame, bottom, state, theme);
        body
    };
    if let Some(review) = &state.review {
        super::panes::review::render(frame, body, review, &state.keymap, state.presentation, theme);
    }
    if state.help_open {
        let height = u16::try_from(state.keymap.help_rows().len() + 2).unwrap_or(u16::MAX);
        let popup = centred(body, body.width.saturating_mul(9) / 10, height);
        frame.render_widget(Clear, popup);
        state.pane(PaneId::Help).render(frame, popup, theme);
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled(format!("terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})"), theme.style(Role::TooSmall)),
        Line::styled(format!("now {}×{} — q quits", area.width, area.height), theme.style(Role::Muted)),
    ];
    let [middle] = Layout::vertical([Constraint::Length(2)]).flex(Flex::Center).areas(area);
    frame.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), middle);
}

/// Tabs with full titles when they fit, short ones when not (80 columns
/// must show every tab).
fn draw_tabs(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let full: usize = PaneId::ALL.iter().map(|id| id.title().chars().count() + 4).sum();
    let short = full > usize::from(area.width);
    let spans: Vec<Span> = PaneId::ALL
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let key = if *id == PaneId::Help { "?".to_owned() } else { (i + 1).to_string() };
            let role = if *id == state.focus {
                Role::TabActive
            } else if !state.pane(*id).loaded() {
                Role::TabPending
            } else {
                Role::TabInactive
            };
            let title = if short { id.short_title() } else { id.title() };
            Span::styled(format!(" {key} {title} "), theme.style(role))
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Counts on the left, key hints (or the filter being typed) on the right.
/// The hints win the space; the config path shows when it still fits.
fn draw_status(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let v = &state.view;
    let mut counts = format!(
        "{} active · {} blocked · {} gated",
        v.count(StatusKind::Live),
        v.count(StatusKind::Blocked),
        v.count(StatusKind::Gated)
    );
    if let Some(health) = source_health(v) {
        counts = format!("{health} · {counts}");
    }
    if let Some(notice) = &state.notice {
        counts = format!("{notice} · {counts}");
    }
    let right = if state.filter_editing {
        format!("filter: {}▏ Enter keeps, Esc clears ", state.filter)
    } else if state.filter.is_empty() {
        format!("{} ", state.keymap.footer_hints())
    } else {
        format!("filter: {} │ {} ", state.filter, state.keymap.footer_hints())
    };
    let right_len = u16::try_from(right.chars().count()).unwrap_or(u16::MAX).min(area.width);
    let [left_area, right_area] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_len)]).areas(area);
    let with_path = format!(" {} · {counts}", v.config_path);
    let fits = with_path.chars().count() < usize::from(left_area.width);
    let left = if fits && !v.config_path.is_empty() { with_path } else { format!(" {counts}") };
    let style = theme.style(Role::StatusLine);
    frame.render_widget(Paragraph::new(left).style(style), left_area);
    frame.render_widget(Paragraph::new(right).style(style).right_aligned(), right_area);
}

/// Stale and failing sources, worst first, for the status line: "⧗ amz
/// stale since 13:05 · ✖ shopify: 503 …". `None` when every source is fine.
fn source_health(v: &CockpitView) -> Option<String> {
    let read = v.read.as_ref()?;
    let errors = read.sources.iter().filter_map(|s| Some(format!("✖ {}: {}", s.source, s.error.as_ref()?)));
    let stale =
        read.sources.iter().filter_map(|s| Some(format!("{STALE_MARK} {} {}", s.source, s.stale_since.as_ref()?)));
    let parts: Vec<String> = errors.chain(stale).collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A box of at most `width`×`height` (and at most 90 columns, so help
/// stays readable on a wide screen) centred in `area`, clipped to it.
fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(90))]).flex(Flex::Center).areas(row);
    cell.intersection(area)
}
