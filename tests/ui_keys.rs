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
    let config =
        Config::parse(Path::new("fixtures/demo/omnideck.toml"), include_str!("ui_support/brand.toml")).unwrap();
    State::new(Keymap::default_map(), CockpitView::from_gates(&gates::evaluate(&config, &|_| None, None)))
}

pub(crate) fn press(state: &mut State, action: Action) -> Option<Effect> {
    let msg = state.key_for(action).unwrap();
    update(state, msg)
}

pub(crate) fn type_text(state: &mut State, text: &str) {
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

mod ui_support;

mod read {
    use omnideck::ui::app::{Msg, State, update};
    use omnideck::ui::panes::{Pane, PaneId};
    use omnideck::ui::view::TableRow;
    use omnideck::ui::{Action, Keymap, operator};

    use super::ui_support::{Freshness, read_state, read_view};
    use super::{press, type_text};

    fn escalation_owners(state: &State) -> Vec<String> {
        let Pane::Escalations(p) = state.pane(PaneId::Escalations) else { panic!("escalations pane") };
        let mut owners = Vec::new();
        let mut probe = p.table.clone();
        for _ in 0..probe.len() {
            owners.push(probe.selected().unwrap().owner.clone());
            probe.handle(Action::Down);
        }
        owners
    }

    #[test]
    fn open_shows_detail_and_back_closes_it_before_clearing_the_filter() {
        let mut state = read_state(Freshness::Fresh);
        press(&mut state, Action::GoStock);
        press(&mut state, Action::Filter);
        type_text(&mut state, "sock-mer-m");
        update(&mut state, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter)));
        let Pane::Stock(p) = state.pane(PaneId::Stock) else { panic!() };
        assert_eq!(p.table.len(), 2);
        press(&mut state, Action::Down);
        press(&mut state, Action::Open);
        let Pane::Stock(p) = state.pane(PaneId::Stock) else { panic!() };
        assert!(p.table.detail_open);
        assert_eq!(p.table.selected().unwrap().sku, "SOCK-MER-M-GRY");
        assert!(p.table.selected().unwrap().detail().iter().any(|f| f.text.contains("velocity on amazon-us-fba")));
        press(&mut state, Action::Back);
        let Pane::Stock(p) = state.pane(PaneId::Stock) else { panic!() };
        assert!(!p.table.detail_open);
        assert_eq!(state.filter, "sock-mer-m");
        press(&mut state, Action::Back);
        assert_eq!(state.filter, "");
    }

    #[test]
    fn filter_reaches_every_table() {
        let mut state = read_state(Freshness::Fresh);
        press(&mut state, Action::Filter);
        type_text(&mut state, "base-top");
        update(&mut state, Msg::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter)));
        for (id, go) in [(PaneId::Margin, Action::GoMargin), (PaneId::Escalations, Action::GoEscalations)] {
            press(&mut state, go);
            let n = match state.pane(id) {
                Pane::Margin(p) => p.table.len(),
                Pane::Escalations(p) => p.table.len(),
                _ => unreachable!(),
            };
            assert!(n >= 1, "{id:?}");
        }
        let Pane::Margin(p) = state.pane(PaneId::Margin) else { panic!() };
        assert!((0..p.table.len()).all(|_| p.table.selected().unwrap().sku == "BASE-TOP-M"));
    }

    #[test]
    fn escalations_are_grouped_by_owner_overdue_first_and_mine_filters() {
        let mut state = read_state(Freshness::Fresh);
        press(&mut state, Action::GoEscalations);
        let owners = escalation_owners(&state);
        let mut sorted = owners.clone();
        sorted.sort();
        assert_eq!(owners, sorted, "grouped by owner");
        let view = read_view(Freshness::Fresh);
        let rows = &view.read.as_ref().unwrap().escalations;
        let sam: Vec<bool> = rows.iter().filter(|r| r.owner == "Sam Ortiz").map(|r| r.overdue).collect();
        assert!(sam.windows(2).all(|w| w[0] >= w[1]), "overdue first: {sam:?}");
        // Everything sits with Sam; Maya owns none of it.
        press(&mut state, Action::Mine);
        let Pane::Escalations(p) = state.pane(PaneId::Escalations) else { panic!() };
        assert!(p.mine && p.table.is_empty());
        let mut state =
            State::new(Keymap::default_map(), read_view(Freshness::Fresh)).with_operator(Some("SAM".into()));
        press(&mut state, Action::GoEscalations);
        press(&mut state, Action::Mine);
        assert!(escalation_owners(&state).iter().all(|o| o == "Sam Ortiz"));
        assert!(!escalation_owners(&state).is_empty());
        press(&mut state, Action::Mine);
        assert_eq!(escalation_owners(&state).len(), rows.len());
    }

    #[test]
    fn operator_comes_from_omnideck_operator_then_user() {
        let env = |k: &str| match k {
            "OMNIDECK_OPERATOR" => Some("Maya Chen".to_owned()),
            "USER" => Some("maya".to_owned()),
            _ => None,
        };
        assert_eq!(operator(&env).as_deref(), Some("Maya Chen"));
        let env = |k: &str| (k == "USER").then(|| "sam".to_owned());
        assert_eq!(operator(&env).as_deref(), Some("sam"));
        assert_eq!(operator(&|_| None), None);
    }

    #[test]
    fn selection_moves_in_every_table_and_data_keeps_it_in_range() {
        let mut state = read_state(Freshness::Fresh);
        press(&mut state, Action::GoMargin);
        for _ in 0..50 {
            press(&mut state, Action::Down);
        }
        let Pane::Margin(p) = state.pane(PaneId::Margin) else { panic!() };
        let last = p.table.selected().unwrap().clone();
        assert_eq!(Some(&last), state.view.read.as_ref().unwrap().margin.last());
        let mut view = state.view.clone();
        view.read.as_mut().unwrap().margin.truncate(1);
        update(&mut state, Msg::Data(Box::new(view)));
        let Pane::Margin(p) = state.pane(PaneId::Margin) else { panic!() };
        assert_eq!(p.table.len(), 1);
        assert!(p.table.selected().is_some());
        update(&mut state, Msg::Data(Box::default()));
        assert!(!state.pane(PaneId::Margin).loaded());
    }
}

mod follow {
    use omnideck::ui::app::{Msg, update};
    use omnideck::ui::panes::{Pane, PaneId};
    use omnideck::ui::view::TableRow;

    use super::press;
    use super::ui_support::{Freshness, read_state};
    use omnideck::ui::Action;

    #[test]
    fn selection_follows_its_row_when_a_new_read_reorders_the_table() {
        let mut state = read_state(Freshness::Fresh);
        press(&mut state, Action::GoStock);
        press(&mut state, Action::Down);
        press(&mut state, Action::Down);
        let Pane::Stock(p) = state.pane(PaneId::Stock) else { panic!() };
        let before = p.table.selected().unwrap().title();
        let mut view = state.view.clone();
        view.read.as_mut().unwrap().stock.rows.reverse();
        update(&mut state, Msg::Data(Box::new(view)));
        let Pane::Stock(p) = state.pane(PaneId::Stock) else { panic!() };
        assert_eq!(p.table.selected().unwrap().title(), before);
    }
}
