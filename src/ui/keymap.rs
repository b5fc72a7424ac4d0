//! The keymap: one table binds every key to an [`Action`] and carries the
//! help text, so dispatch, the footer, the `?` overlay and docs/keys.md can
//! never disagree. The embedded default is merged with the user's file;
//! a key bound twice in one file is refused at load.

use std::fmt::{self, Write as _};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;

const DEFAULT_KEYMAP: &str = include_str!("default-keymap.toml");

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Up,
    Down,
    NextPane,
    PrevPane,
    GoOverview,
    GoStock,
    GoMargin,
    GoPromotions,
    GoEscalations,
    GoDecisions,
    GoChannels,
    /// Open (or close) the detail of the selected row.
    Open,
    /// Escalations: show only the operator's own.
    Mine,
    Filter,
    Refresh,
    Presentation,
    Help,
    Back,
    Quit,
    /// Start the weekly review: one item at a time.
    StartReview,
    ReviewNext,
    ReviewPrev,
    Acknowledge,
    Decide,
    Defer,
    Reassign,
    /// Write the week's readback with the review (from its summary).
    ExportReview,
}

impl Action {
    /// The short word the footer shows beside the key.
    pub fn short(self) -> &'static str {
        match self {
            Action::Up | Action::Down => "move",
            Action::NextPane
            | Action::PrevPane
            | Action::GoOverview
            | Action::GoStock
            | Action::GoMargin
            | Action::GoPromotions
            | Action::GoEscalations
            | Action::GoDecisions
            | Action::GoChannels => "pane",
            Action::Open => "detail",
            Action::Mine => "mine",
            Action::Filter => "filter",
            Action::Refresh => "refresh",
            Action::Presentation => "present",
            Action::Help => "help",
            Action::Back => "back",
            Action::Quit => "quit",
            Action::StartReview => "review",
            Action::ReviewNext | Action::ReviewPrev => "next/prev",
            Action::Acknowledge => "ack",
            Action::Decide => "decide",
            Action::Defer => "defer",
            Action::Reassign => "reassign",
            Action::ExportReview => "export",
        }
    }
}

/// A key with the modifiers that matter. Shift is folded into the
/// character itself (`?`, `G`), since terminals disagree on reporting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyChord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyChord {
    /// The chord a key press means, or `None` for releases.
    pub fn from_event(ev: &KeyEvent) -> Option<KeyChord> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            other => other,
        };
        Some(KeyChord { code, ctrl, alt })
    }

    /// The key event this chord is pressed as (tests press keys this way).
    pub fn to_event(self) -> KeyEvent {
        let mut mods = KeyModifiers::empty();
        mods.set(KeyModifiers::CONTROL, self.ctrl);
        mods.set(KeyModifiers::ALT, self.alt);
        KeyEvent::new(self.code, mods)
    }

    fn parse(s: &str) -> Option<KeyChord> {
        let (ctrl, rest) = s.strip_prefix("Ctrl-").map_or((false, s), |r| (true, r));
        let (alt, rest) = rest.strip_prefix("Alt-").map_or((false, rest), |r| (true, r));
        let code = match rest {
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Tab" => KeyCode::Tab,
            "BackTab" => KeyCode::BackTab,
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Backspace" => KeyCode::Backspace,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Space" => KeyCode::Char(' '),
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() && c != ' ' => KeyCode::Char(c),
                    _ => return None,
                }
            }
        };
        Some(KeyChord { code, ctrl, alt })
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Esc => f.write_str("Esc"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the table: a key, what it does, and how that is explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub key: KeyChord,
    pub action: Action,
    pub help: String,
    pub footer: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeymap {
    #[serde(default)]
    bind: Vec<RawBinding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    key: String,
    action: Action,
    help: String,
    #[serde(default)]
    footer: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: `{key}` is not a key (write `j`, `?`, `Down`, `Tab`, `Ctrl-c`, …)")]
    BadKey { file: String, key: String },
    #[error("{file}: key `{key}` is bound twice: to `{first:?}` and to `{second:?}`")]
    Duplicate { file: String, key: String, first: Action, second: Action },
}

/// The merged table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Keymap {
    /// The embedded defaults. They are tested to load, so failure here would
    /// be a build defect; an empty map keeps the function total.
    pub fn default_map() -> Keymap {
        Keymap { bindings: parse("default keymap", DEFAULT_KEYMAP).unwrap_or_default() }
    }

    /// The defaults with `text` (a user keys.toml) merged over them: a user
    /// binding replaces the default binding of the same key.
    pub fn with_overrides(file: &str, text: &str) -> Result<Keymap, KeymapError> {
        let user = parse(file, text)?;
        let mut map = Keymap::default_map();
        map.bindings.retain(|b| !user.iter().any(|u| u.key == b.key));
        map.bindings.extend(user);
        Ok(map)
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// What a key press asks for.
    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        let chord = KeyChord::from_event(ev)?;
        self.bindings.iter().find(|b| b.key == chord).map(|b| b.action)
    }

    /// The first key bound to `action`, for tests and hints.
    pub fn key_for(&self, action: Action) -> Option<KeyChord> {
        self.bindings.iter().find(|b| b.action == action).map(|b| b.key)
    }

    /// (keys, help) per distinct help text, in table order: keys that do
    /// the same thing share a row.
    pub fn help_rows(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, Vec<String>)> = Vec::new();
        for b in &self.bindings {
            match rows.iter_mut().find(|(h, _)| *h == b.help) {
                Some(row) => row.1.push(b.key.to_string()),
                None => rows.push((b.help.clone(), vec![b.key.to_string()])),
            }
        }
        rows.into_iter().map(|(help, keys)| (keys.join(", "), help)).collect()
    }

    /// "j/k move  Tab pane  …" from the bindings marked for the footer;
    /// footer keys with the same short word share one hint.
    pub fn footer_hints(&self) -> String {
        let mut hints: Vec<(Vec<String>, &'static str)> = Vec::new();
        for b in self.bindings.iter().filter(|b| b.footer) {
            match hints.iter_mut().find(|(_, w)| *w == b.action.short()) {
                Some(h) => h.0.push(b.key.to_string()),
                None => hints.push((vec![b.key.to_string()], b.action.short())),
            }
        }
        hints.iter().map(|(keys, word)| format!("{} {word}", keys.join("/"))).collect::<Vec<_>>().join("  ")
    }

    /// docs/keys.md, generated from the same records.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "# omnideck cockpit keys\n\n<!-- Generated from src/ui/default-keymap.toml by the \
             `keys_doc_is_current` test; do not edit. -->\n\n| Keys | Does |\n|---|---|\n",
        );
        for (keys, help) in self.help_rows() {
            let keys = keys.split(", ").map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let _ = writeln!(out, "| {} | {help} |", keys.replace('|', "\\|"));
        }
        out
    }
}

fn parse(file: &str, text: &str) -> Result<Vec<Binding>, KeymapError> {
    let raw: RawKeymap = toml::from_str(text)
        .map_err(|e| KeymapError::Syntax { file: file.to_owned(), message: e.message().to_owned() })?;
    let mut out: Vec<Binding> = Vec::with_capacity(raw.bind.len());
    for b in raw.bind {
        let key =
            KeyChord::parse(&b.key).ok_or_else(|| KeymapError::BadKey { file: file.into(), key: b.key.clone() })?;
        if let Some(prev) = out.iter().find(|p| p.key == key) {
            return Err(KeymapError::Duplicate { file: file.into(), key: b.key, first: prev.action, second: b.action });
        }
        out.push(Binding { key, action: b.action, help: b.help, footer: b.footer });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_loads_with_vim_keys_and_arrows() {
        let map = parse("default", DEFAULT_KEYMAP).unwrap();
        assert!(map.len() > 20);
        let km = Keymap::default_map();
        let press = |code| km.action(&KeyEvent::new(code, KeyModifiers::empty()));
        assert_eq!(press(KeyCode::Char('j')), Some(Action::Down));
        assert_eq!(press(KeyCode::Down), Some(Action::Down));
        assert_eq!(press(KeyCode::BackTab), Some(Action::PrevPane));
        assert_eq!(km.action(&KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::Help));
        assert_eq!(km.action(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    }

    #[test]
    fn duplicates_are_refused_with_both_actions() {
        let text = "[[bind]]\nkey = \"x\"\naction = \"up\"\nhelp = \"a\"\n[[bind]]\nkey = \"x\"\naction = \"quit\"\nhelp = \"b\"\n";
        let err = Keymap::with_overrides("keys.toml", text).unwrap_err();
        assert_eq!(err.to_string(), "keys.toml: key `x` is bound twice: to `Up` and to `Quit`");
    }

    #[test]
    fn user_binding_replaces_the_default_for_that_key() {
        let text = "[[bind]]\nkey = \"q\"\naction = \"help\"\nhelp = \"mine\"\n";
        let km = Keymap::with_overrides("keys.toml", text).unwrap();
        assert_eq!(km.action(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::empty())), Some(Action::Help));
        assert_eq!(km.action(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    }

    #[test]
    fn bad_keys_and_actions_are_named() {
        let err = Keymap::with_overrides("k.toml", "[[bind]]\nkey = \"Hyper-x\"\naction = \"up\"\nhelp = \"\"\n");
        assert!(matches!(err, Err(KeymapError::BadKey { key, .. }) if key == "Hyper-x"));
        let err = Keymap::with_overrides("k.toml", "[[bind]]\nkey = \"x\"\naction = \"launch\"\nhelp = \"\"\n");
        assert!(err.unwrap_err().to_string().contains("unknown variant `launch`"));
    }

    #[test]
    fn chords_round_trip_through_text() {
        for b in Keymap::default_map().bindings() {
            assert_eq!(KeyChord::parse(&b.key.to_string()), Some(b.key));
        }
    }
}
