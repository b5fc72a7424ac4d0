//! The four built-in themes on every pane, as a screen shows them: a theme
//! changes only style, never a word or a glyph; `NO_COLOR` and mono draw
//! no colour but keep emphasis; and without `COLORTERM` no cell asks the
//! terminal for 24-bit colour (tmux and ssh would mangle it).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly")]

mod ui_support;

use omnideck::ui::app::{Msg, State, update};
use omnideck::ui::panes::PaneId;
use omnideck::ui::theme::{ColourDepth, Theme, ThemeName, Themes};
use omnideck::ui::{Action, layout};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ui_support::{Freshness, read_state};

const THEMES: [ThemeName; 4] = [ThemeName::Default, ThemeName::Light, ThemeName::HighContrast, ThemeName::Mono];

/// Every pane (and the help overlay) of a stale read with a row's detail
/// open, drawn at 120×30 with `themes`.
fn every_pane(themes: &Themes) -> Vec<Buffer> {
    let mut state = read_state(Freshness::Stale);
    let mut out = Vec::new();
    for _ in PaneId::ALL {
        press(&mut state, Action::Open);
        out.push(draw(&mut state, themes));
        press(&mut state, Action::NextPane);
    }
    press(&mut state, Action::Help);
    out.push(draw(&mut state, themes));
    out
}

fn press(state: &mut State, action: Action) {
    let msg = state.key_for(action).unwrap();
    update(state, msg);
}

fn draw(state: &mut State, themes: &Themes) -> Buffer {
    update(state, Msg::Resize(120, 30));
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|f| layout::draw(f, state, themes)).unwrap();
    terminal.backend().buffer().clone()
}

fn symbols(b: &Buffer) -> String {
    b.content.iter().map(ratatui::buffer::Cell::symbol).collect()
}

fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
}

fn colours(b: &Buffer) -> impl Iterator<Item = Color> + '_ {
    b.content.iter().flat_map(|c| [c.fg, c.bg])
}

#[test]
fn every_theme_shows_the_same_words_and_glyphs_on_every_pane() {
    let plain = |name| {
        let theme = Theme::builtin(name, ColourDepth::TrueColour);
        every_pane(&Themes { normal: theme.clone(), presentation: theme })
    };
    let reference: Vec<String> = plain(ThemeName::Default).iter().map(symbols).collect();
    for name in THEMES {
        let screens: Vec<String> = plain(name).iter().map(symbols).collect();
        assert_eq!(screens, reference, "{name} changed what the panes say");
    }
}

#[test]
fn no_color_and_mono_draw_no_colour_yet_keep_bold_and_reverse() {
    let no_color = Themes::resolve(ThemeName::HighContrast, &env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")]));
    let mono = Theme::builtin(ThemeName::Mono, ColourDepth::TrueColour);
    let mono = Themes { normal: mono.clone(), presentation: mono };
    for themes in [no_color, mono] {
        let screens = every_pane(&themes);
        for b in &screens {
            assert!(colours(b).all(|c| c == Color::Reset), "a colour under {}", themes.normal.name);
            assert!(b.content.iter().any(|c| c.modifier.contains(Modifier::BOLD)), "titles stay bold");
        }
        let reversed = screens.iter().flat_map(|b| &b.content).any(|c| c.modifier.contains(Modifier::REVERSED));
        assert!(reversed, "the selection and the active tab stay visible by reverse video");
    }
}

#[test]
fn without_colorterm_every_theme_falls_back_to_the_256_colour_palette() {
    for name in THEMES {
        let truecolour = Themes::resolve(name, &env(&[("COLORTERM", "truecolor")]));
        let fallback = Themes::resolve(name, &env(&[("TERM", "xterm-256color")]));
        let rgb = |themes: &Themes| every_pane(themes).iter().any(|b| colours(b).any(|c| matches!(c, Color::Rgb(..))));
        assert!(!rgb(&fallback), "{name}: 24-bit colour without COLORTERM");
        // Default and light are written in #rrggbb; high contrast in the
        // sixteen named colours, which need no fallback.
        if matches!(name, ThemeName::Default | ThemeName::Light) {
            assert!(rgb(&truecolour), "{name}: the truecolour theme uses 24-bit colour (else this test shows nothing)");
        }
        if name != ThemeName::Mono {
            let coloured = every_pane(&fallback).iter().any(|b| colours(b).any(|c| c != Color::Reset));
            assert!(coloured, "{name}: the fallback still has colour");
        }
    }
}
