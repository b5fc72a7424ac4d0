//! The overview: each channel's status and source freshness, the counts of
//! flags, collisions and escalations, the next decisions with owners, and
//! the weekly readback — which channel helps, which consumes attention —
//! with a sparkline of each channel's weekly revenue, and bars of each
//! channel's share of revenue against its share of operating cost, which
//! stretch with the pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::table::block;
use crate::ui::keymap::Action;
use crate::ui::theme::{Role, Theme};
use crate::ui::view::{CockpitView, Level, ReadView, STALE_MARK, SourceRow, StatusKind, TableRow};

/// How many escalations the next-decisions list shows.
const NEXT: usize = 5;

type Segments = Vec<(Role, String)>;

/// One line of the overview: text, or a share bar whose length depends on
/// the width it is drawn at.
#[derive(Debug, Clone)]
enum Entry {
    Text(Segments),
    Bar { label: String, measure: &'static str, share: Decimal, role: Role },
}

impl From<Segments> for Entry {
    fn from(s: Segments) -> Entry {
        Entry::Text(s)
    }
}

#[derive(Debug, Clone, Default)]
pub struct OverviewPane {
    lines: Vec<Entry>,
    scroll: usize,
}

/// At most `n` characters, so the columns stay aligned.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { s.chars().take(n - 1).chain(['…']).collect() }
}

fn heading(text: &str) -> Segments {
    vec![(Role::Header, text.to_owned())]
}

fn level_role(l: Level) -> Role {
    match l {
        Level::Critical => Role::FlagBreach,
        Level::Warning => Role::StockShort,
        Level::Info => Role::Text,
        Level::Ok => Role::StatusOk,
    }
}

fn freshness(s: &SourceRow) -> Segments {
    // A source never fetched has no age; its stale mark says so.
    let parts = [
        s.age.as_ref().map(|age| (Role::Muted, format!("{age} old"))),
        s.stale_since.as_ref().map(|since| (Role::Stale, format!("{STALE_MARK} {since}"))),
        s.error.as_ref().map(|e| (Role::StatusBlocked, format!("✖ error: {e}"))),
    ];
    let mut out: Segments = Vec::new();
    for (role, text) in parts.into_iter().flatten() {
        let gap = if out.is_empty() { "" } else { "  " };
        out.push((role, format!("{gap}{text}")));
    }
    out
}

impl OverviewPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        let mut lines = vec![heading("Channels")];
        let read = view.read.as_ref();
        for c in &view.channels {
            let role = match c.status {
                StatusKind::Live => Role::StatusOk,
                StatusKind::Blocked => Role::StatusBlocked,
                StatusKind::Gated => Role::StatusGated,
                StatusKind::Retiring => Role::StatusRetiring,
            };
            let mut l = vec![
                (role, format!("  {:<11}", c.status.label())),
                (
                    Role::Text,
                    format!("{:<22} {:<18} ", fit(&c.name, 22), fit(c.owner.as_deref().unwrap_or("— no owner —"), 18)),
                ),
            ];
            let src = c.source.as_ref().and_then(|s| read?.sources.iter().find(|r| &r.source == s));
            match (c.source.as_ref(), src) {
                (Some(s), Some(row)) => {
                    l.push((Role::Muted, format!("{s}: ")));
                    l.extend(freshness(row));
                }
                (Some(s), None) => l.push((Role::Muted, s.clone())),
                (None, _) => l.push((Role::Muted, "no source".to_owned())),
            }
            lines.push(l);
        }
        lines.push(Vec::new());
        match read {
            Some(r) => read_lines(r, &mut lines),
            None => lines.push(vec![(Role::Muted, "loading… (no read has arrived yet)".to_owned())]),
        }
        let mut lines: Vec<Entry> = lines.into_iter().map(Entry::from).collect();
        if let Some(r) = read {
            lines.push(Entry::Text(Vec::new()));
            let mut readback = Vec::new();
            readback_lines(r, &mut readback);
            lines.extend(readback.into_iter().map(Entry::from));
            share_bars(r, &mut lines);
        }
        self.lines = lines;
        self.scroll = self.scroll.min(self.lines.len().saturating_sub(1));
    }

    pub fn handle(&mut self, action: Action) {
        match action {
            Action::Down => self.scroll = (self.scroll + 1).min(self.lines.len().saturating_sub(1)),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => {}
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let height = usize::from(area.height);
        let bar_width = usize::from(area.width.saturating_sub(2)).saturating_sub(BAR_TEXT).clamp(4, 60);
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.scroll)
            .take(height)
            .map(|entry| {
                let segs = match entry {
                    Entry::Text(segs) => segs.clone(),
                    Entry::Bar { label, measure, share, role } => bar_line(label, measure, *share, *role, bar_width),
                };
                Line::from(segs.into_iter().map(|(r, t)| Span::styled(t, theme.style(r))).collect::<Vec<_>>())
            })
            .collect();
        frame.render_widget(Paragraph::new(lines).block(block(theme, " Overview ".to_owned())), area);
    }
}

fn read_lines(r: &ReadView, lines: &mut Vec<Segments>) {
    lines.push(heading(&format!("Read at {}", r.at)));
    let count = |l: Level| r.margin.iter().filter(|m| m.level == l).count();
    let mut flags = vec![(Role::Text, "  price flags: ".to_owned())];
    for l in [Level::Critical, Level::Warning, Level::Info] {
        flags.push((level_role(l), format!("{} {}  ", count(l), l.label())));
    }
    lines.push(flags);
    let overdue = r.escalations.iter().filter(|e| e.overdue).count();
    lines.push(vec![
        (Role::Text, format!("  promotion collisions: {}   ", r.collisions)),
        (Role::Text, format!("escalations: {} open, ", r.escalations.len())),
        (if overdue > 0 { Role::EscalationOverdue } else { Role::Text }, format!("{overdue} overdue")),
    ]);
    let scarce = r.stock.rows.iter().filter(|s| s.scarce).count();
    let out = r.stock.rows.iter().filter(|s| s.level() == Level::Critical).count();
    lines.push(vec![(
        Role::Text,
        format!("  stock: {} SKUs, {scarce} ▼ scarce, {out} ✖ out of stock", r.stock.rows.len()),
    )]);
    for i in r.issues.iter().take(3) {
        lines.push(vec![(Role::StockShort, format!("  ▲ source issue: {i}"))]);
    }
    lines.push(Vec::new());
    lines.push(heading("Next decisions"));
    if r.next.is_empty() {
        lines.push(vec![(Role::Muted, "  nothing waiting".to_owned())]);
    }
    for d in r.next.iter().take(NEXT) {
        lines.push(vec![
            (level_role(d.level), format!("  {:<11} ", d.level.label())),
            (Role::Text, format!("{} by {} ({} at stake) — {}", d.owner, d.due, d.at_stake, d.what)),
        ]);
    }
}

/// Eight levels of a block sparkline: a week's revenue against the
/// channel's best week in the trail.
fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values.iter().map(|v| BARS[usize::try_from(v * 7 / max).unwrap_or(7).min(7)]).collect()
}

fn readback_lines(r: &ReadView, lines: &mut Vec<Segments>) {
    lines.push(heading(&format!("Readback {} (after operating cost; revenue share vs operating-cost share)", r.week)));
    for c in &r.readback {
        let stale = if c.stale { format!("  {STALE_MARK} stale") } else { String::new() };
        lines.push(vec![
            (level_role(c.level), format!("  {} {:<19} ", c.level.glyph(), c.class)),
            (Role::Text, format!("{:<22} {:>14}  {:<17} ", fit(&c.channel, 22), c.after_operating_cost, c.shares)),
            (Role::Muted, sparkline(&c.trail)),
            (Role::Stale, stale),
        ]);
        if let Some(retire) = &c.retire {
            lines.push(vec![(Role::FlagBreach, format!("      ✖ retire signal: {retire}"))]);
        }
    }
}

/// The text around a share bar: indent, name, measure and percentage.
const BAR_TEXT: usize = 2 + 22 + 1 + 8 + 1 + 1 + 4;

/// Per channel, its share of revenue over its share of operating cost; the
/// cost bar is drawn as a warning when it is the longer of the two.
fn share_bars(r: &ReadView, lines: &mut Vec<Entry>) {
    if r.readback.is_empty() {
        return;
    }
    lines.push(Entry::Text(Vec::new()));
    lines.push(Entry::Text(heading("Share of revenue against share of operating cost")));
    for c in &r.readback {
        let costly = c.operating_cost_share > c.revenue_share;
        let label = fit(&c.channel, 22);
        lines.push(Entry::Bar { label, measure: "revenue", share: c.revenue_share, role: Role::StatusOk });
        let role = if costly { Role::StockShort } else { Role::Muted };
        lines.push(Entry::Bar { label: String::new(), measure: "op cost", share: c.operating_cost_share, role });
    }
}

fn bar_line(label: &str, measure: &str, share: Decimal, role: Role, width: usize) -> Segments {
    let share = share.clamp(Decimal::ZERO, Decimal::ONE);
    let percent = (share * Decimal::ONE_HUNDRED).round_dp(0).normalize();
    vec![
        (Role::Text, format!("  {label:<22} {measure:<8} ")),
        (role, bar(share, width)),
        (Role::Text, format!(" {:>4}", format!("{percent}%"))),
    ]
}

/// `share` of `width` cells in eighths of a cell, padded to `width` so the
/// percentages line up.
fn bar(share: Decimal, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (share * Decimal::from(width * 8)).round().to_usize().unwrap_or(0).min(width * 8);
    let mut out = "█".repeat(eighths / 8);
    let part = eighths % 8;
    if part > 0 {
        out.push(PARTS[part]);
    }
    let pad = width.saturating_sub(out.chars().count());
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::{SourceRow, bar, freshness};

    #[test]
    fn a_bar_fills_its_share_of_the_width_in_eighths() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(bar(d("0"), 4), "    ");
        assert_eq!(bar(d("1"), 4), "████");
        assert_eq!(bar(d("0.5"), 4), "██  ");
        assert_eq!(bar(d("0.0625"), 4), "▎   ");
        assert_eq!(bar(d("0.40"), 10), "████      ");
    }

    fn shown(age: Option<&str>, stale: Option<&str>, error: Option<&str>) -> String {
        let own = |s: Option<&str>| s.map(str::to_owned);
        let row = SourceRow { source: "ebay".into(), age: own(age), stale_since: own(stale), error: own(error) };
        freshness(&row).into_iter().map(|(_, text)| text).collect()
    }

    #[test]
    fn a_source_never_fetched_says_so_once() {
        assert_eq!(shown(None, Some("never fetched"), Some("refused")), "⧗ never fetched  ✖ error: refused");
        assert_eq!(shown(Some("12m"), None, None), "12m old");
        assert_eq!(shown(Some("3h 05m"), Some("stale since 09:00"), None), "3h 05m old  ⧗ stale since 09:00");
    }
}
