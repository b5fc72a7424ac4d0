//! The weekly review drawn over the focused pane: one item with its
//! context, the prompt being answered, and the keys; then the summary.
//!
//! ```text
//! ┌ Weekly review 2026-W47 — 3 of 31 ─────────────────────────────────┐
//! │▲ warning  margin flag: SKU-1 on amazon-us (floor)                  │
//! │owner Sam Ortiz · due 2026-11-27                                    │
//! │key floor:SKU-1:amazon-us                         ✔ acknowledged    │
//! │                                                                    │
//! │…context lines, wrapped; cost and margin masked when presenting…    │
//! │decision: hold the price until the promo ends▏                      │
//! └ n/N next/prev  a ack  d decide  D defer  o reassign  q end ────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::ui::keymap::{Action, Keymap};
use crate::ui::review::{Prompt, Review, ReviewItem};
use crate::ui::theme::{Role, Theme};
use crate::ui::view::Level;

/// Draw the review (or its summary) over `area`.
pub fn render(frame: &mut Frame, area: Rect, review: &Review, keymap: &Keymap, mask: bool, theme: &Theme) {
    if review.ended {
        summary(frame, area, review, keymap, theme);
        return;
    }
    let [cell] = Layout::horizontal([Constraint::Max(110)]).flex(Flex::Center).areas(area);
    frame.render_widget(Clear, cell);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(
            format!(" Weekly review {} — {} ", review.week, review.progress()),
            theme.style(Role::Title),
        ))
        .title_bottom(Span::styled(format!(" {} ", hints(keymap)), theme.style(Role::Muted)));
    let inner = block.inner(cell);
    frame.render_widget(block, cell);
    let Some(item) = review.current() else {
        let text = "Nothing needs a decision this week. q ends the review.";
        frame.render_widget(Paragraph::new(text).style(theme.style(Role::Text)), inner);
        return;
    };
    let prompt_height = match &review.prompt {
        None => 0,
        Some(Prompt::Reassign { choices, .. }) => u16::try_from(choices.len() + 1).unwrap_or(u16::MAX).min(8),
        Some(_) => 2,
    };
    let [body, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(prompt_height)]).areas(inner);
    let outcome = review.outcomes.get(review.pos).cloned().flatten().map(|o| o.label());
    // One paragraph, so a long title wraps and pushes the context down
    // instead of hiding the owner and key.
    let mut lines = heading(item, outcome, theme);
    lines.push(Line::raw(""));
    lines.extend(item.context.iter().map(|f| Line::styled(f.shown(mask).to_owned(), theme.style(Role::Text))));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    if let Some(p) = &review.prompt {
        frame.render_widget(Paragraph::new(prompt(p, theme)).wrap(Wrap { trim: false }), foot);
    }
}

fn heading<'a>(item: &ReviewItem, outcome: Option<String>, theme: &Theme) -> Vec<Line<'a>> {
    let loud = if item.level >= Level::Warning { Role::FlagBreach } else { Role::Text };
    let mut key_line = vec![Span::styled(format!("key {}", item.key), theme.style(Role::Muted))];
    if let Some(o) = outcome {
        key_line.push(Span::styled(format!("   {o}"), theme.style(Role::StatusOk)));
    }
    vec![
        Line::from(vec![
            Span::styled(format!("{}  ", item.level.label()), theme.style(loud)),
            Span::styled(format!("{}: {}", item.kind, item.title), theme.style(Role::Title)),
        ]),
        Line::styled(format!("owner {} · due {}", item.owner, item.due), theme.style(Role::Text)),
        Line::from(key_line),
    ]
}

fn prompt<'a>(p: &Prompt, theme: &Theme) -> Vec<Line<'a>> {
    let ask = theme.style(Role::Title);
    match p {
        Prompt::Decide { text } => vec![
            Line::styled(format!("decision: {text}▏"), ask),
            Line::styled("Enter saves · Ctrl-c or Esc cancels", theme.style(Role::Muted)),
        ],
        Prompt::Defer { text, error } => vec![
            Line::styled(format!("defer until (YYYY-MM-DD): {text}▏"), ask),
            match error {
                Some(e) => Line::styled(format!("✖ {e}"), theme.style(Role::FlagBreach)),
                None => Line::styled("Enter saves · Ctrl-c or Esc cancels", theme.style(Role::Muted)),
            },
        ],
        Prompt::Reassign { choices, selected } => {
            let mut lines = vec![Line::styled("reassign to (↑/↓, Enter; Ctrl-c or Esc cancels):", ask)];
            lines.extend(choices.iter().enumerate().map(|(i, name)| {
                if i == *selected {
                    Line::styled(format!("▶ {name}"), theme.style(Role::Selection))
                } else {
                    Line::styled(format!("  {name}"), theme.style(Role::Text))
                }
            }));
            lines
        }
    }
}

/// The review's keys from the keymap, so a rebinding shows here too.
fn hints(keymap: &Keymap) -> String {
    let key = |a: Action| keymap.key_for(a).map_or_else(|| "—".to_owned(), |k| k.to_string());
    format!(
        "{}/{} next/prev  {} ack  {} decide  {} defer  {} reassign  {} end",
        key(Action::ReviewNext),
        key(Action::ReviewPrev),
        key(Action::Acknowledge),
        key(Action::Decide),
        key(Action::Defer),
        key(Action::Reassign),
        key(Action::Quit)
    )
}

fn summary(frame: &mut Frame, area: Rect, review: &Review, keymap: &Keymap, theme: &Theme) {
    let t = review.tally();
    let key = |a: Action| keymap.key_for(a).map_or_else(|| "—".to_owned(), |k| k.to_string());
    let line = |label: &str, n: usize| Line::styled(format!("  {label:<13}{n:>4}"), theme.style(Role::Text));
    let lines = vec![
        line("acknowledged", t.acknowledged),
        line("decided", t.decided),
        line("deferred", t.deferred),
        line("reassigned", t.reassigned),
        Line::styled(format!("  {:<13}{:>4} of {}", "remaining", t.remaining, t.total), theme.style(Role::Text)),
        Line::raw(""),
        Line::styled(
            format!("  {} writes the readback again · {} closes", key(Action::ExportReview), key(Action::Quit)),
            theme.style(Role::Muted),
        ),
    ];
    let [row] = Layout::vertical([Constraint::Length(9)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(56)]).flex(Flex::Center).areas(row);
    let cell = cell.intersection(area);
    frame.render_widget(Clear, cell);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Span::styled(format!(" Review summary — {} ", review.week), theme.style(Role::Title)));
    frame.render_widget(Paragraph::new(lines).block(block), cell);
}
