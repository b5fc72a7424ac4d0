//! The cockpit's state and its one `update` function. `update` is pure —
//! no I/O, no clock — so every key sequence is a plain unit test; what it
//! cannot do itself it returns as an [`Effect`] for the loop to carry out.

use crossterm::event::{KeyCode, KeyEvent};

use super::keymap::{Action, KeyChord, Keymap};
use super::panes::{Pane, PaneId};
use super::review::{Prompt, Review, StoreCommand};
use super::view::CockpitView;

/// Everything that can happen to the cockpit.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    Tick,
    Quit(QuitReason),
    /// A fresh view from a poller; owned, so no locks.
    Data(Box<CockpitView>),
    /// The gates checked again (the refresh key, before the pollers
    /// answer): only the Channels pane changes; the read stays on screen.
    Gates(Box<CockpitView>),
    /// Something the feed could not do (the demo sandbox did not start,
    /// the store is unavailable), shown in the status line.
    Notice(String),
    /// Something done that is worth saying (where the readback was written).
    Info(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuitReason {
    User,
    /// SIGTERM, SIGINT or SIGHUP; the process exits 128 + n.
    Signal(i32),
}

/// What `update` asks the loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Exit(u8),
    /// Re-read the gates (they look at files and the environment).
    Refresh,
    /// Hand an operator action to the feed, which owns the store.
    Store(StoreCommand),
}

#[derive(Debug, Clone)]
pub struct State {
    pub keymap: Keymap,
    panes: Vec<Pane>,
    pub focus: PaneId,
    pub help_open: bool,
    pub presentation: bool,
    pub filter: String,
    pub filter_editing: bool,
    pub view: CockpitView,
    pub size: (u16, u16),
    /// The latest notice from the feed with its glyph (✖ failed, ✔ done),
    /// already free of control characters.
    pub notice: Option<String>,
    /// The weekly review, while it runs and while its summary shows.
    pub review: Option<Review>,
    /// Who acknowledgements and decisions are recorded as.
    pub operator: String,
}

impl State {
    pub fn new(keymap: Keymap, view: CockpitView) -> State {
        let mut panes: Vec<Pane> = PaneId::ALL.iter().map(|id| Pane::for_id(*id, &keymap)).collect();
        for p in &mut panes {
            p.set_data(&view);
        }
        State {
            keymap,
            panes,
            focus: PaneId::Channels,
            help_open: false,
            presentation: false,
            filter: String::new(),
            filter_editing: false,
            view,
            size: (0, 0),
            notice: None,
            review: None,
            operator: "operator".to_owned(),
        }
    }

    /// Who "mine" means on the escalations pane.
    #[must_use]
    pub fn with_operator(mut self, operator: Option<String>) -> State {
        if let Some(o) = &operator {
            self.operator = crate::core::text::clean(o).into_owned();
        }
        if let Pane::Escalations(p) = self.pane_mut(PaneId::Escalations) {
            p.set_operator(operator);
        }
        self
    }

    pub fn pane(&self, id: PaneId) -> &Pane {
        &self.panes[id.index()]
    }

    fn pane_mut(&mut self, id: PaneId) -> &mut Pane {
        &mut self.panes[id.index()]
    }

    /// Press the first key bound to `action` (tests drive the app this way).
    pub fn key_for(&self, action: Action) -> Option<Msg> {
        self.keymap.key_for(action).map(|k| Msg::Key(KeyChord::to_event(k)))
    }
}

/// Apply one message. Returns what the loop must do next, if anything.
pub fn update(state: &mut State, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) if state.review.as_ref().is_some_and(|r| r.prompt.is_some()) => prompt_key(state, &key),
        Msg::Key(key) if state.filter_editing => edit_filter(state, &key),
        Msg::Key(key) if state.review.is_some() => state.keymap.action(&key).and_then(|a| review_action(state, a)),
        Msg::Key(key) => state.keymap.action(&key).and_then(|a| apply(state, a)),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            None
        }
        Msg::Tick => None,
        Msg::Quit(QuitReason::User) => Some(Effect::Exit(0)),
        Msg::Quit(QuitReason::Signal(n)) => Some(Effect::Exit(u8::try_from(128 + n).unwrap_or(u8::MAX))),
        Msg::Notice(text) => {
            state.notice = Some(format!("✖ {}", crate::core::text::clean(&text)));
            None
        }
        Msg::Info(text) => {
            state.notice = Some(format!("✔ {}", crate::core::text::clean(&text)));
            None
        }
        Msg::Gates(gates) => {
            let CockpitView { config_path, channels, .. } = *gates;
            (state.view.config_path, state.view.channels) = (config_path, channels);
            state.panes[PaneId::Channels.index()].set_data(&state.view);
            None
        }
        Msg::Data(view) => {
            state.view = *view;
            let view = &state.view;
            state.panes.iter_mut().for_each(|p| p.set_data(view));
            if let (Some(review), Some(read)) = (state.review.as_mut(), view.read.as_ref()) {
                review.refresh(super::review::items(read));
            }
            None
        }
    }
}

fn apply(state: &mut State, action: Action) -> Option<Effect> {
    let go = |state: &mut State, id: PaneId| {
        state.focus = id;
        state.help_open = false;
    };
    match action {
        Action::Quit => return Some(Effect::Exit(0)),
        Action::Refresh => return Some(Effect::Refresh),
        Action::Help => state.help_open = !state.help_open,
        Action::Presentation => {
            state.presentation = !state.presentation;
            let mask = state.presentation;
            state.panes.iter_mut().for_each(|p| p.set_mask(mask));
        }
        Action::Filter => state.filter_editing = true,
        Action::Back if state.help_open => state.help_open = false,
        Action::Back => {
            let focus = state.focus;
            if !state.pane_mut(focus).close_detail() {
                set_filter(state, String::new());
            }
        }
        Action::NextPane => go(state, state.focus.cycle(true)),
        Action::PrevPane => go(state, state.focus.cycle(false)),
        Action::GoOverview => go(state, PaneId::Overview),
        Action::GoStock => go(state, PaneId::Stock),
        Action::GoMargin => go(state, PaneId::Margin),
        Action::GoPromotions => go(state, PaneId::Promotions),
        Action::GoEscalations => go(state, PaneId::Escalations),
        Action::GoDecisions => go(state, PaneId::Decisions),
        Action::GoChannels => go(state, PaneId::Channels),
        Action::Up | Action::Down | Action::Open | Action::Mine => {
            let target = if state.help_open { PaneId::Help } else { state.focus };
            state.pane_mut(target).handle(action);
        }
        Action::StartReview => return start_review(state),
        // Only mean something inside the review.
        Action::ReviewNext
        | Action::ReviewPrev
        | Action::Acknowledge
        | Action::Decide
        | Action::Defer
        | Action::Reassign
        | Action::ExportReview => {}
    }
    None
}

fn start_review(state: &mut State) -> Option<Effect> {
    state.help_open = false;
    let Some(read) = &state.view.read else {
        state.notice = Some("● nothing to review yet: the first read is still loading".to_owned());
        return None;
    };
    let review = Review::new(super::review::items(read), read.week.clone());
    let total = review.items.len();
    state.review = Some(review);
    Some(Effect::Store(StoreCommand::Begin { who: state.operator.clone(), total }))
}

/// Keys while the review (or its summary) shows. `q` ends the review
/// rather than the cockpit: everything is already stored, and the summary
/// is the point of ending.
fn review_action(state: &mut State, action: Action) -> Option<Effect> {
    if state.help_open {
        return if action == Action::Quit { apply(state, Action::Back) } else { apply(state, action) };
    }
    let who = state.operator.clone();
    let review = state.review.as_mut()?;
    let command = match action {
        Action::Help | Action::Presentation => return apply(state, action),
        _ if review.ended => match action {
            Action::ExportReview => Some(StoreCommand::Export { who, tally: review.tally() }),
            Action::Quit | Action::Back | Action::Open => {
                state.review = None;
                None
            }
            _ => None,
        },
        Action::ReviewNext | Action::Down | Action::NextPane => {
            review.step(true);
            None
        }
        Action::ReviewPrev | Action::Up | Action::PrevPane => {
            review.step(false);
            None
        }
        Action::Acknowledge => review.acknowledge(&who),
        Action::Decide => {
            review.open(Prompt::Decide { text: String::new() });
            None
        }
        Action::Defer => {
            review.open(Prompt::Defer { text: String::new(), error: None });
            None
        }
        Action::Reassign => {
            let prompt = review.reassign_prompt();
            review.open(prompt);
            None
        }
        Action::Quit => {
            review.ended = true;
            Some(StoreCommand::Export { who, tally: review.tally() })
        }
        _ => None,
    };
    command.map(Effect::Store)
}

/// While a review prompt is open, keys are its text; Enter submits, Esc or
/// any modified key bound to quit (Ctrl-c) cancels.
fn prompt_key(state: &mut State, key: &KeyEvent) -> Option<Effect> {
    let chord = KeyChord::from_event(key)?;
    let quit = (chord.ctrl || chord.alt) && state.keymap.action(key) == Some(Action::Quit);
    let who = state.operator.clone();
    let review = state.review.as_mut()?;
    if quit || chord.code == KeyCode::Esc {
        review.prompt = None;
        return None;
    }
    if chord.ctrl || chord.alt {
        return None;
    }
    if chord.code == KeyCode::Enter {
        return review.submit(&who).map(Effect::Store);
    }
    match review.prompt.as_mut()? {
        Prompt::Reassign { choices, selected } => match chord.code {
            KeyCode::Down | KeyCode::Tab | KeyCode::Char('j') => {
                *selected = (*selected + 1).min(choices.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::BackTab | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
            _ => {}
        },
        Prompt::Decide { text } | Prompt::Defer { text, .. } => match chord.code {
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !c.is_control() => text.push(c),
            _ => {}
        },
    }
    None
}

/// While the filter is being typed, keys are text, except the ones that
/// end it; Ctrl-C and friends still go through the keymap so quitting
/// always works.
fn edit_filter(state: &mut State, key: &KeyEvent) -> Option<Effect> {
    let chord = KeyChord::from_event(key)?;
    if chord.ctrl || chord.alt {
        return state.keymap.action(key).and_then(|a| apply(state, a));
    }
    match chord.code {
        KeyCode::Enter => state.filter_editing = false,
        KeyCode::Esc => {
            state.filter_editing = false;
            set_filter(state, String::new());
        }
        KeyCode::Backspace => {
            let mut f = state.filter.clone();
            f.pop();
            set_filter(state, f);
        }
        KeyCode::Char(c) if !c.is_control() => {
            let f = format!("{}{c}", state.filter);
            set_filter(state, f);
        }
        _ => {}
    }
    None
}

fn set_filter(state: &mut State, filter: String) {
    state.filter = filter;
    let needle = &state.filter;
    state.panes.iter_mut().for_each(|p| p.set_filter(needle));
}
