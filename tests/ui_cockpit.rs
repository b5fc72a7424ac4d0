//! The cockpit shell: snapshots of each pane at 80×24 and 200×50 on the
//! demo brand, the too-small screen, hostile text, and no panic at any size.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::Path;

use insta::assert_snapshot;
use omnideck::config::Config;
use omnideck::config::gates::{self, GateReport};
use omnideck::ui::app::{Msg, State, update};
use omnideck::ui::theme::{ColourDepth, Theme, ThemeName, Themes};
use omnideck::ui::{Action, CockpitView, Keymap, layout};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn demo_report() -> GateReport {
    let config =
        Config::parse(Path::new("fixtures/demo/omnideck.toml"), include_str!("ui_support/brand.toml")).unwrap();
    gates::evaluate(&config, &|_| None, None)
}

fn demo_state() -> State {
    State::new(Keymap::default_map(), CockpitView::from_gates(&demo_report()))
}

fn themes() -> Themes {
    let theme = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
    Themes { normal: theme.clone(), presentation: theme }
}

fn press(state: &mut State, action: Action) {
    let msg = state.key_for(action).unwrap();
    assert_eq!(update(state, msg), None);
}

fn screen(state: &mut State, w: u16, h: u16) -> Terminal<TestBackend> {
    update(state, Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| layout::draw(f, state, &themes())).unwrap();
    terminal
}

#[test]
fn channels_80x24() {
    let mut state = demo_state();
    assert_snapshot!(screen(&mut state, 80, 24).backend());
}

#[test]
fn channels_200x50_second_row_selected() {
    let mut state = demo_state();
    press(&mut state, Action::Down);
    assert_snapshot!(screen(&mut state, 200, 50).backend());
}

#[test]
fn help_80x24() {
    let mut state = demo_state();
    press(&mut state, Action::Help);
    assert_snapshot!(screen(&mut state, 80, 24).backend());
}

#[test]
fn help_200x50() {
    let mut state = demo_state();
    press(&mut state, Action::Help);
    assert_snapshot!(screen(&mut state, 200, 50).backend());
}

#[test]
fn read_pane_says_loading_before_data() {
    let mut state = demo_state();
    press(&mut state, Action::GoStock);
    let terminal = screen(&mut state, 80, 24);
    assert!(terminal.backend().to_string().contains("loading…"));
    assert_snapshot!(terminal.backend());
}

#[test]
fn too_small_40x10() {
    let mut state = demo_state();
    assert_snapshot!(screen(&mut state, 40, 10).backend());
}

#[test]
fn presentation_zooms_the_pane() {
    let mut state = demo_state();
    press(&mut state, Action::Presentation);
    assert_snapshot!(screen(&mut state, 80, 24).backend());
}

#[test]
fn hostile_owner_is_rendered_harmlessly() {
    let mut report = demo_report();
    let hostile = "Eve\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\rOK\u{202e}fdp.exe";
    report.channels[0].owner = Some(hostile.to_owned());
    report.channels[0].name = format!("Shop\u{1b}[1A[OK]{hostile}");
    let mut state = State::new(Keymap::default_map(), CockpitView::from_gates(&report));
    let terminal = screen(&mut state, 120, 24);
    let text = terminal.backend().to_string();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a control reached the screen");
    assert!(!text.contains('\u{202e}'));
    assert!(text.contains("Eve\u{fffd}[2J"));
    assert_snapshot!(terminal.backend());
}

#[test]
fn blocked_channel_shows_glyph_word_and_failing_gate() {
    let mut report = demo_report();
    report.channels[0].gates[1].ok = false;
    report.channels[0].gates[1].detail = "no fee model configured".into();
    let mut state = State::new(Keymap::default_map(), CockpitView::from_gates(&report));
    let text = screen(&mut state, 80, 24).backend().to_string();
    assert!(text.contains("✖ blocked") && text.contains("✖ FAIL  fee model"));
    assert!(text.contains("4 active · 1 blocked · 1 gated"));
    assert_snapshot!(text);
}

#[test]
fn empty_config_and_unmatched_filter() {
    let mut state = State::new(Keymap::default_map(), CockpitView::default());
    assert_snapshot!("empty_80x24", screen(&mut state, 80, 24).backend());
    let mut state = demo_state();
    press(&mut state, Action::Filter);
    for c in "zzz".chars() {
        update(&mut state, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c))));
    }
    assert_snapshot!("filter_matches_nothing_80x24", screen(&mut state, 80, 24).backend());
}

#[test]
fn keys_doc_is_current() {
    let generated = Keymap::default_map().markdown();
    let path = Path::new("docs/keys.md");
    if std::env::var_os("UPDATE_KEYS_DOC").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(committed, generated, "docs/keys.md is stale: run UPDATE_KEYS_DOC=1 cargo test keys_doc_is_current");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_size_renders_without_panic(w in 1u16..300, h in 1u16..300, help: bool, present: bool) {
        let mut state = demo_state();
        if help { press(&mut state, Action::Help); }
        if present { press(&mut state, Action::Presentation); }
        // Every pane, in its no-data state (ui_read covers the loaded ones).
        for _ in 0..8 {
            screen(&mut state, w, h);
            press(&mut state, Action::NextPane);
        }
    }
}
