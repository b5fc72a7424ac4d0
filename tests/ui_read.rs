//! The read panes (Overview, Stock, Margin, Promotions, Escalations,
//! Decisions) on a hand-made read of the demo brand: every pane at 80×24
//! and 200×50 in its loading, empty, loaded, stale and error states; `NO_COLOR`;
//! presentation masking; hostile text; no panic at any size on any pane.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod ui_support;

use insta::assert_snapshot;
use omnideck::core::evaluate::{History, evaluate};
use omnideck::core::snapshot::Snapshot;
use omnideck::ui::app::{Msg, State, update};
use omnideck::ui::panes::PaneId;
use omnideck::ui::theme::{ColourDepth, Theme, ThemeName, Themes};
use omnideck::ui::{Action, CockpitView, Keymap, layout};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ui_support::{Freshness, config, gate_report, now, read_state};

const READ_PANES: [(PaneId, Action); 6] = [
    (PaneId::Overview, Action::GoOverview),
    (PaneId::Stock, Action::GoStock),
    (PaneId::Margin, Action::GoMargin),
    (PaneId::Promotions, Action::GoPromotions),
    (PaneId::Escalations, Action::GoEscalations),
    (PaneId::Decisions, Action::GoDecisions),
];

fn themes() -> Themes {
    let theme = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
    Themes { normal: theme.clone(), presentation: theme }
}

fn press(state: &mut State, action: Action) {
    let msg = state.key_for(action).unwrap();
    assert_eq!(update(state, msg), None);
}

fn draw(state: &mut State, w: u16, h: u16, themes: &Themes) -> Terminal<TestBackend> {
    update(state, Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| layout::draw(f, state, themes)).unwrap();
    terminal
}

fn text(state: &mut State, w: u16, h: u16) -> String {
    draw(state, w, h, &themes()).backend().to_string()
}

/// A read with no stock, prices, promotions or events.
fn empty_state() -> State {
    let config = config();
    let cockpit = evaluate(&Snapshot::default(), &config.rules, &History::default(), now());
    State::new(Keymap::default_map(), CockpitView::from_read(&cockpit, &[], &[], &gate_report(&config)))
}

fn loading_state() -> State {
    State::new(Keymap::default_map(), CockpitView::from_gates(&gate_report(&config())))
}

fn snapshot_every_pane(label: &str, make: impl Fn() -> State) {
    for (id, action) in READ_PANES {
        for (w, h) in [(80, 24), (200, 50)] {
            let mut state = make();
            press(&mut state, action);
            let name = format!("{}_{label}_{w}x{h}", id.title().to_lowercase());
            assert_snapshot!(name, text(&mut state, w, h));
        }
    }
}

#[test]
fn loading() {
    snapshot_every_pane("loading", loading_state);
    let mut state = loading_state();
    press(&mut state, Action::GoStock);
    assert!(text(&mut state, 80, 24).contains("loading…"));
}

#[test]
fn empty() {
    snapshot_every_pane("empty", empty_state);
}

#[test]
fn loaded() {
    snapshot_every_pane("loaded", || read_state(Freshness::Fresh));
}

#[test]
fn stale() {
    snapshot_every_pane("stale", || read_state(Freshness::Stale));
    let mut state = read_state(Freshness::Stale);
    press(&mut state, Action::GoStock);
    let screen = text(&mut state, 200, 50);
    assert!(screen.contains("⧗ amazon-us stale since"), "status line names the stale source");
    assert!(screen.contains("⧗ SOCK-MER-M-BLK"), "rows that depend on it are marked");
}

/// The refresh key re-checks the gates at once and sends a view without a
/// read; the read on screen stays until the pollers bring a new one.
#[test]
fn a_gates_only_view_keeps_the_read_on_screen() {
    let mut state = read_state(Freshness::Fresh);
    press(&mut state, Action::GoStock);
    let before = text(&mut state, 200, 50);
    assert!(before.contains("SOCK-MER-M-BLK"), "the stock pane shows the read");
    let gates = CockpitView::from_gates(&gate_report(&config()));
    update(&mut state, Msg::Gates(Box::new(gates)));
    assert!(state.view.read.is_some());
    assert_eq!(text(&mut state, 200, 50), before);
}

#[test]
fn error() {
    snapshot_every_pane("error", || read_state(Freshness::Error));
    let mut state = read_state(Freshness::Error);
    assert!(text(&mut state, 200, 50).contains("✖ shopify-main: 503 Service Unavailable"));
}

#[test]
fn details_open_with_reasons_and_fee_lines() {
    let mut state = read_state(Freshness::Fresh);
    press(&mut state, Action::GoStock);
    press(&mut state, Action::Open);
    assert_snapshot!("stock_detail_200x50", text(&mut state, 200, 50));
    press(&mut state, Action::GoMargin);
    press(&mut state, Action::Open);
    assert_snapshot!("margin_detail_200x50", text(&mut state, 200, 50));
    press(&mut state, Action::GoPromotions);
    press(&mut state, Action::Open);
    assert_snapshot!("promotions_detail_200x50", text(&mut state, 200, 50));
}

#[test]
fn presentation_masks_cost_margin_and_fees() {
    let mut state = read_state(Freshness::Fresh);
    press(&mut state, Action::GoMargin);
    let plain = text(&mut state, 200, 50);
    press(&mut state, Action::Presentation);
    press(&mut state, Action::Open);
    let shown = text(&mut state, 200, 50);
    assert!(shown.contains("•••"));
    assert!(!shown.contains("landed"), "fee breakdown is masked");
    assert!(plain.contains('%') && !shown.contains('%'), "margins are masked");
    assert_snapshot!("margin_presentation_200x50", shown);
}

#[test]
fn no_color_keeps_glyphs_and_words_and_uses_no_colour() {
    let themes = Themes::resolve(ThemeName::Default, &|k| (k == "NO_COLOR").then(|| "1".to_owned()));
    for (_, action) in READ_PANES {
        let mut state = read_state(Freshness::Stale);
        press(&mut state, action);
        let terminal = draw(&mut state, 200, 50, &themes);
        let buf = terminal.backend().buffer();
        assert!(buf.content.iter().all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    }
    let mut state = read_state(Freshness::Stale);
    press(&mut state, Action::GoMargin);
    let screen = draw(&mut state, 80, 24, &themes).backend().to_string();
    assert!(screen.contains("✖ CRITICAL") && screen.contains("▲ warning"));
    assert_snapshot!("margin_no_color_80x24", screen);
}

/// Each channel's revenue share against its operating-cost share, as
/// bars; at 80×24 the operator scrolls down to them.
#[test]
fn overview_bars_set_revenue_share_against_operating_cost_share() {
    let mut state = read_state(Freshness::Fresh);
    press(&mut state, Action::GoOverview);
    for _ in 0..26 {
        press(&mut state, Action::Down);
    }
    let screen = text(&mut state, 80, 24);
    assert_snapshot!("overview_share_bars_80x24", screen);
    let mut wide = read_state(Freshness::Fresh);
    press(&mut wide, Action::GoOverview);
    let wide = text(&mut wide, 200, 50);
    // The demo's Shopify DTC: 60% of revenue, 33% of operating cost.
    let cells = |screen: &str| -> (usize, usize) {
        let bars = &screen[screen.find("Share of revenue against").unwrap()..];
        let mut lines = bars.lines().skip_while(|l| !l.contains("Shopify DTC"));
        let mut count = || lines.next().unwrap().chars().filter(|c| *c == '█').count();
        (count(), count())
    };
    for screen in [&screen, &wide] {
        let (rev, op) = cells(screen);
        assert!(rev > op && op > 0, "revenue bar {rev} cells, operating-cost bar {op}:\n{screen}");
        assert!(screen.contains("60%") && screen.contains("33%"), "{screen}");
    }
}

/// The corpus of the reliability notes (clear screen, OSC 52 clipboard
/// write, 8-bit CSI, carriage return, cursor-up spoofing an "[OK]", a bidi
/// override) as an escalation's summary and owner, drawn in a table: every
/// row stays on its line and nothing reaches the terminal as a control.
#[test]
fn hostile_titles_in_a_table_move_nothing() {
    let hostile = "Eve\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\rOK\u{1b}[1A[OK]\u{202e}fdp.exe";
    let config = config();
    let snap = ui_support::snapshot(Freshness::Fresh);
    let cockpit = evaluate(&snap, &config.rules, &History::default(), now());
    let mut events = ui_support::events(&config, &cockpit);
    events[0].summary = format!("stock-out {hostile}");
    events[0].assignee = Some(hostile.to_owned());
    let view = CockpitView::from_read(&cockpit, &events, &[], &gate_report(&config));
    let mut state = State::new(Keymap::default_map(), view);
    press(&mut state, Action::GoEscalations);
    press(&mut state, Action::Open);
    let screen = text(&mut state, 120, 24);
    assert!(!screen.chars().any(|c| (c.is_control() && c != '\n') || omnideck::core::text::is_bidi_control(c)));
    assert!(screen.contains("Eve\u{fffd}[2J"), "{screen}");
    assert!(screen.lines().all(|l| l.chars().count() == 122), "every line keeps its width (quotes included)");
    assert_snapshot!("escalations_hostile_120x24", screen);
}

#[test]
fn hostile_decision_text_is_neutralised() {
    let mut state = read_state(Freshness::Fresh);
    press(&mut state, Action::GoDecisions);
    let screen = text(&mut state, 200, 50);
    assert!(!screen.chars().any(|c| c.is_control() && c != '\n'));
    assert!(screen.contains("renewed\u{fffd}[2J"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_pane_renders_at_any_size(w in 1u16..300, h in 1u16..300, detail: bool, present: bool) {
        let mut state = read_state(Freshness::Stale);
        if present { press(&mut state, Action::Presentation); }
        for _ in 0..8 {
            if detail { press(&mut state, Action::Open); }
            draw(&mut state, w, h, &themes());
            press(&mut state, Action::NextPane);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever a rule or a remote source puts in a summary, no control or
    /// bidi character reaches a row or its detail.
    #[test]
    fn escalation_rows_never_carry_controls(summary in "(\\PC|[\\x00-\\x1f\\x7f-\\x9f\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}])*") {
        let config = config();
        let snap = ui_support::snapshot(Freshness::Fresh);
        let cockpit = evaluate(&snap, &config.rules, &History::default(), now());
        let mut events = ui_support::events(&config, &cockpit);
        events[0].summary = summary;
        events[0].assignee = Some("Eve\u{1b}]52;c;ZXZpbA==\u{7}".into());
        let view = CockpitView::from_read(&cockpit, &events, &[], &gate_report(&config));
        for row in &view.read.unwrap().escalations {
            let texts = row.detail.iter().map(|f| f.text.as_str()).chain([row.owner.as_str(), row.summary.as_str()]);
            for t in texts {
                prop_assert!(!t.chars().any(|c| c.is_control() || omnideck::core::text::is_bidi_control(c)), "{t:?}");
            }
        }
    }
}

/// A SKU that breaks its floor at its live price and again under a running
/// promotion raises two floor flags; each margin row shows the price and
/// contribution its own flag was raised at, not the promotional pair twice.
#[test]
fn live_and_promotional_floor_breaches_each_show_their_own_figures() {
    use std::collections::BTreeSet;

    use omnideck::core::ids::{ChannelId, Sku, SourceId};
    use omnideck::core::money::Fraction;
    use omnideck::core::promotion::{Discount, PromoScope, Promotion, Window};
    use omnideck::core::snapshot::Sourced;

    let config = config();
    let mut snap = ui_support::snapshot(Freshness::Fresh);
    let source = SourceId::new("amazon-us").unwrap();
    let promotion = Promotion {
        id: "GRY-10".into(),
        title: "grey socks 10% off".into(),
        channel: ChannelId::new("amazon-us-fba").unwrap(),
        scope: PromoScope::Skus(BTreeSet::from([Sku::new("SOCK-MER-M-GRY").unwrap()])),
        discount: Discount::Percent(Fraction::new("0.10".parse().unwrap()).unwrap()),
        // Running at the fixture's `now` (2026-11-25).
        window: Window::new("2026-11-20T05:00:00Z".parse().unwrap(), Some("2026-12-03T05:00:00Z".parse().unwrap()))
            .unwrap(),
        campaign_id: None,
        source: source.clone(),
    };
    snap.promotions.push(Sourced { source, value: promotion });
    let cockpit = evaluate(&snap, &config.rules, &History::default(), now());
    let view = CockpitView::from_read(&cockpit, &[], &[], &gate_report(&config));
    let floors: BTreeSet<(String, String)> = view
        .read
        .unwrap()
        .margin
        .iter()
        .filter(|r| r.kind == "floor" && r.sku == "SOCK-MER-M-GRY")
        .map(|r| (r.price.clone(), r.contribution.clone()))
        .collect();
    assert_eq!(floors.len(), 2, "the live breach and the promotional one, each with its own figures: {floors:?}");
    assert!(floors.iter().any(|(price, _)| price == "11.00 USD"), "{floors:?}");
    assert!(floors.iter().any(|(price, _)| price == "9.90 USD"), "{floors:?}");
}
