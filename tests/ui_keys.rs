//! Key sequences, pressed by action name through `update`; no terminal,
//! no sleeps: `update` is pure, so each step's state is final.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use omnideck::config::Config;
use omnideck::config::gates;
use omnideck::ui::app::{Effect, Msg, QuitReason, State, update};
use omnideck::ui::panes::{Pane, PaneId};
use omnideck::ui::{Action, CockpitView, Keymap};

fn demo_state() -> State {
    let config = Config::load(Path::new("fixtures/demo/omnideck.toml")).unwrap();
    State::new(Keymap::default_map(), CockpitView::from_gates(&gates::evaluate(&config, &|_| None, None)))
}

fn press(state: &mut State, action: Action) -> Option<Effect> {
    let msg = state.key_for(action).unwrap();
    update(state, msg)
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::empty())));
    }
}

fn selected(state: &State) -> String {
    let Pane::Channels(p) = state.pane(PaneId::Channels) else { panic!("channels pane") };
    p.selected().map(|c| c.id.clone()).unwrap_or_default()
}

#[test]
fn selection_moves_and_stops_at_the_ends() {
    let mut state = demo_state();
    let ids: Vec<String> = state.view.channels.iter().map(|c| c.id.clone()).collect();
    assert_eq!(selected(&state), ids[0]);
    press(&mut state, Action::Up);
    assert_eq!(selected(&state), ids[0]);
    for _ in 0..ids.len() + 3 {
        press(&mut state, Action::Down);
    }
    assert_eq!(selected(&state), *ids.last().unwrap());
    press(&mut state, Action::Up);
    assert_eq!(selected(&state), ids[ids.len() - 2]);
}

#[test]
fn panes_cycle_and_jump() {
    let mut state = demo_state();
    assert_eq!(state.focus, PaneId::Channels);
    press(&mut state, Action::NextPane);
    assert_eq!(state.focus, PaneId::Help);
    press(&mut state, Action::NextPane);
    assert_eq!(state.focus, PaneId::Overview);
    press(&mut state, Action::PrevPane);
    assert_eq!(state.focus, PaneId::Help);
    press(&mut state, Action::GoMargin);
    assert_eq!(state.focus, PaneId::Margin);
    update(&mut state, Msg::Key(KeyEvent::new(KeyCode::Char('7'), KeyModifiers::empty())));
    assert_eq!(state.focus, PaneId::Channels);
}

#[test]
fn help_toggles_and_back_closes_it() {
    let mut state = demo_state();
    press(&mut state, Action::Help);
    assert!(state.help_open);
    press(&mut state, Action::Help);
    assert!(!state.help_open);
    press(&mut state, Action::Help);
    press(&mut state, Action::Back);
    assert!(!state.help_open);
}

#[test]
fn filter_narrows_rows_and_esc_clears_it() {
    let mut state = demo_state();
    let owner = state.view.channels.iter().find_map(|c| c.owner.clone()).unwrap();
    press(&mut state, Action::Filter);
    assert!(state.filter_editing);
    type_text(&mut state, &owner.to_lowercase());
    // `q` typed into the filter is text, not quit.
    assert_eq!(state.filter, owner.to_lowercase());
    update(&mut state, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::empty())));
    assert!(!state.filter_editing);
    let Pane::Channels(p) = state.pane(PaneId::Channels) else { panic!() };
    assert!(p.visible().iter().all(|c| c.owner.as_deref() == Some(owner.as_str())));
    assert!(p.visible().len() < state.view.channels.len());
    press(&mut state, Action::Back);
    assert_eq!(state.filter, "");
}

#[test]
fn quit_refresh_presentation_and_signals() {
    let mut state = demo_state();
    assert_eq!(press(&mut state, Action::Refresh), Some(Effect::Refresh));
    assert_eq!(press(&mut state, Action::Presentation), None);
    assert!(state.presentation);
    assert_eq!(press(&mut state, Action::Quit), Some(Effect::Exit(0)));
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut state, ctrl_c), Some(Effect::Exit(0)));
    assert_eq!(update(&mut state, Msg::Quit(QuitReason::Signal(15))), Some(Effect::Exit(143)));
    assert_eq!(update(&mut state, Msg::Quit(QuitReason::Signal(1))), Some(Effect::Exit(129)));
}

#[test]
fn ctrl_c_quits_even_while_filtering() {
    let mut state = demo_state();
    press(&mut state, Action::Filter);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut state, ctrl_c), Some(Effect::Exit(0)));
}

#[test]
fn data_replaces_the_view_and_keeps_selection_in_range() {
    let mut state = demo_state();
    for _ in 0..10 {
        press(&mut state, Action::Down);
    }
    let mut view = state.view.clone();
    view.channels.truncate(1);
    update(&mut state, Msg::Data(Box::new(view)));
    assert_eq!(selected(&state), state.view.channels[0].id);
    assert_eq!(update(&mut state, Msg::Tick), None);
}
