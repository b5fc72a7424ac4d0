//! The weekly review, pressed by action name through `update` (no
//! terminal, no sleeps: each step's state is final), and drawn at 80×24
//! and 200×50 with its summary.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod ui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use omnideck::ui::app::{Effect, Msg, State, update};
use omnideck::ui::review::{Prompt, StoreCommand};
use omnideck::ui::theme::{ColourDepth, Theme, ThemeName, Themes};
use omnideck::ui::{Action, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ui_support::{Freshness, read_state};

fn press(state: &mut State, action: Action) -> Option<Effect> {
    let msg = state.key_for(action).unwrap();
    update(state, msg)
}

fn key(state: &mut State, code: KeyCode, mods: KeyModifiers) -> Option<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, mods)))
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        assert_eq!(key(state, KeyCode::Char(c), KeyModifiers::empty()), None);
    }
}

fn enter(state: &mut State) -> Option<Effect> {
    key(state, KeyCode::Enter, KeyModifiers::empty())
}

fn started() -> State {
    let mut state = read_state(Freshness::Fresh);
    let Some(Effect::Store(StoreCommand::Begin { who, total })) = press(&mut state, Action::StartReview) else {
        panic!("starting a review is recorded")
    };
    assert_eq!((who.as_str(), total), ("maya", state.review.as_ref().unwrap().items.len()));
    state
}

fn total(state: &State) -> usize {
    state.review.as_ref().unwrap().items.len()
}

fn progress(state: &State) -> String {
    state.review.as_ref().unwrap().progress()
}

fn current_key(state: &State) -> String {
    state.review.as_ref().unwrap().current().unwrap().key.clone()
}

fn screen(state: &mut State, w: u16, h: u16) -> String {
    let theme = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
    let themes = Themes { normal: theme.clone(), presentation: theme };
    update(state, Msg::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| layout::draw(f, state, &themes)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn review_walks_every_item_with_progress() {
    let mut state = started();
    let n = total(&state);
    assert!(n >= 5, "the demo read has flags, collisions, escalations and next decisions: {n}");
    assert_eq!(progress(&state), format!("1 of {n}"));
    let review = state.review.as_ref().unwrap();
    let kinds: Vec<&str> = review.items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds[0], "next decision", "next decisions come first: {kinds:?}");
    for kind in ["escalation", "margin flag", "collision", "stock"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    press(&mut state, Action::ReviewNext);
    assert_eq!(progress(&state), format!("2 of {n}"));
    press(&mut state, Action::Down);
    press(&mut state, Action::ReviewPrev);
    assert_eq!(progress(&state), format!("2 of {n}"));
    for _ in 0..n + 3 {
        press(&mut state, Action::ReviewNext);
    }
    assert_eq!(progress(&state), format!("{n} of {n}"), "stops at the last item");
}

#[test]
fn acknowledge_and_decide_return_store_commands() {
    let mut state = started();
    press(&mut state, Action::ReviewNext);
    let key = current_key(&state);
    let effect = press(&mut state, Action::Acknowledge);
    assert_eq!(effect, Some(Effect::Store(StoreCommand::Ack { key, who: "maya".into(), note: None })));
    assert_eq!(progress(&state), format!("3 of {}", total(&state)), "moves on after acting");

    let key = current_key(&state);
    assert_eq!(press(&mut state, Action::Decide), None);
    type_text(&mut state, "hold the price; q and d are text here");
    let Some(Effect::Store(StoreCommand::Decide { key: k, text, who, .. })) = enter(&mut state) else {
        panic!("a decision")
    };
    assert_eq!((k, text.as_str(), who.as_str()), (key, "hold the price; q and d are text here", "maya"));
}

#[test]
fn prompts_cancel_with_ctrl_c_or_esc_and_keep_the_review() {
    let mut state = started();
    for cancel in [(KeyCode::Char('c'), KeyModifiers::CONTROL), (KeyCode::Esc, KeyModifiers::empty())] {
        press(&mut state, Action::Decide);
        type_text(&mut state, "half a thought");
        assert_eq!(key(&mut state, cancel.0, cancel.1), None);
        let review = state.review.as_ref().unwrap();
        assert!(review.prompt.is_none() && !review.ended);
        assert_eq!(progress(&state), format!("1 of {}", total(&state)), "nothing recorded, no move");
    }
    press(&mut state, Action::Decide);
    assert_eq!(enter(&mut state), None, "an empty decision is not saved");
    assert!(state.review.as_ref().unwrap().prompt.is_some());
}

#[test]
fn defer_rejects_a_bad_date_and_accepts_a_good_one() {
    let mut state = started();
    let key = current_key(&state);
    press(&mut state, Action::Defer);
    type_text(&mut state, "next friday");
    assert_eq!(enter(&mut state), None);
    let Some(Prompt::Defer { error: Some(e), .. }) = &state.review.as_ref().unwrap().prompt else {
        panic!("the prompt stays open with the reason")
    };
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    for _ in 0.."next friday".len() {
        key_backspace(&mut state);
    }
    type_text(&mut state, "2026-12-04");
    let until = "2026-12-04".parse().unwrap();
    assert_eq!(enter(&mut state), Some(Effect::Store(StoreCommand::Defer { key, who: "maya".into(), until })));
}

fn key_backspace(state: &mut State) {
    key(state, KeyCode::Backspace, KeyModifiers::empty());
}

#[test]
fn reassign_chooses_from_the_owner_and_chain() {
    let mut state = started();
    let item = state.review.as_ref().unwrap().current().unwrap().clone();
    assert!(!item.people.is_empty(), "someone to hand {} to", item.key);
    press(&mut state, Action::Reassign);
    key(&mut state, KeyCode::Down, KeyModifiers::empty());
    let to = item.people.get(1).unwrap_or(&item.people[0]).clone();
    assert_eq!(
        enter(&mut state),
        Some(Effect::Store(StoreCommand::Reassign { key: item.key, who: "maya".into(), to }))
    );
}

#[test]
fn quit_ends_the_review_with_a_summary_and_an_export() {
    let mut state = started();
    let n = total(&state);
    press(&mut state, Action::Acknowledge);
    press(&mut state, Action::Decide);
    type_text(&mut state, "retire eBay");
    enter(&mut state);
    press(&mut state, Action::Defer);
    type_text(&mut state, "2026-12-04");
    enter(&mut state);
    let Some(Effect::Store(StoreCommand::Export { tally, .. })) = press(&mut state, Action::Quit) else {
        panic!("ending the review writes the readback")
    };
    assert_eq!((tally.acknowledged, tally.decided, tally.deferred, tally.reassigned), (1, 1, 1, 0));
    assert_eq!((tally.remaining, tally.total), (n - 3, n));
    assert!(state.review.as_ref().unwrap().ended);
    assert!(matches!(press(&mut state, Action::ExportReview), Some(Effect::Store(StoreCommand::Export { .. }))));
    assert_eq!(press(&mut state, Action::Quit), None, "q closes the summary, not the cockpit");
    assert!(state.review.is_none());
    assert_eq!(press(&mut state, Action::Quit), Some(Effect::Exit(0)));
}

#[test]
fn review_waits_for_the_first_read() {
    let mut state = ui_support::read_state(Freshness::Fresh);
    state.view.read = None;
    press(&mut state, Action::StartReview);
    assert!(state.review.is_none());
    assert!(state.notice.as_deref().unwrap().contains("loading"));
}

#[test]
fn review_80x24() {
    let mut state = started();
    assert_snapshot!(screen(&mut state, 80, 24));
}

#[test]
fn review_200x50_deciding() {
    let mut state = started();
    press(&mut state, Action::ReviewNext);
    press(&mut state, Action::Acknowledge);
    press(&mut state, Action::ReviewPrev);
    press(&mut state, Action::Decide);
    type_text(&mut state, "keep the floor; raise the price on Monday");
    assert_snapshot!(screen(&mut state, 200, 50));
}

#[test]
fn review_80x24_reassigning() {
    let mut state = started();
    press(&mut state, Action::Reassign);
    assert_snapshot!(screen(&mut state, 80, 24));
}

#[test]
fn review_summary_80x24() {
    let mut state = started();
    press(&mut state, Action::Acknowledge);
    press(&mut state, Action::Defer);
    type_text(&mut state, "2026-12-04");
    enter(&mut state);
    press(&mut state, Action::Quit);
    assert_snapshot!(screen(&mut state, 80, 24));
}

#[test]
fn presentation_masks_the_items_cost_and_margin() {
    let mut state = started();
    let open = screen(&mut state, 120, 30);
    assert!(open.contains("at stake: "), "{open}");
    press(&mut state, Action::Presentation);
    let shown = screen(&mut state, 120, 30);
    assert!(shown.contains("•••") && !shown.contains("at stake: "), "{shown}");
}

#[test]
fn a_margin_flag_item_shows_its_context_200x50() {
    let mut state = started();
    while state.review.as_ref().unwrap().current().unwrap().kind != "margin flag" {
        press(&mut state, Action::ReviewNext);
    }
    assert_snapshot!(screen(&mut state, 200, 50));
}

#[test]
fn a_new_read_refreshes_items_in_place() {
    let mut state = started();
    press(&mut state, Action::ReviewNext);
    let before = state.review.as_ref().unwrap().items.clone();
    let mut view = ui_support::read_view(Freshness::Fresh);
    let read = view.read.as_mut().unwrap();
    read.escalations.iter_mut().for_each(|e| e.owner = "someone else".into());
    update(&mut state, Msg::Data(Box::new(view)));
    let review = state.review.as_ref().unwrap();
    assert_eq!(
        review.items.iter().map(|i| &i.key).collect::<Vec<_>>(),
        before.iter().map(|i| &i.key).collect::<Vec<_>>()
    );
    assert_eq!(review.pos, 1, "the cursor stays");
    let esc = review.items.iter().find(|i| i.kind == "escalation").unwrap();
    assert_eq!(esc.owner, "someone else");
}

#[test]
fn deferred_items_stay_out_and_reassigned_ones_show_their_new_owner() {
    let mut state = started();
    let items = state.review.as_ref().unwrap().items.clone();
    press(&mut state, Action::Quit);
    press(&mut state, Action::Quit);
    let mut view = ui_support::read_view(Freshness::Fresh);
    let read = view.read.as_mut().unwrap();
    read.deferred.insert(items[0].key.clone(), "2026-12-04".into());
    read.reassigned.insert(items[1].key.clone(), "Sam Ortiz".into());
    update(&mut state, Msg::Data(Box::new(view)));
    press(&mut state, Action::StartReview);
    let review = state.review.as_ref().unwrap();
    assert_eq!(review.items.len(), items.len() - 1);
    assert!(review.items.iter().all(|i| i.key != items[0].key));
    assert_eq!(review.items[0].owner, "Sam Ortiz (reassigned)");
}
