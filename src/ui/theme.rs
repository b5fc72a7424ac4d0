//! Themes: TOML files of semantic roles, resolved into ratatui styles.
//!
//! Panes ask for a role (`stock.short`, `status.blocked`), never a colour, so
//! a theme can change every colour without touching a pane. The built-in
//! themes are embedded; a user theme overlays a built-in and names only what
//! it changes. Colour *depth* is decided at the draw site: without truecolor
//! an RGB colour becomes the nearest xterm-256 index, because ratatui sends
//! RGB as-is and terminals (and tmux) that cannot show it mangle it.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// Every role a theme can style. `key()` is its dotted name in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Text,
    Muted,
    Title,
    Border,
    Selection,
    Stale,
    Header,
    TooSmall,
    TabActive,
    TabInactive,
    TabPending,
    StatusOk,
    StatusBlocked,
    StatusGated,
    StatusRetiring,
    StatusLine,
    FlagBreach,
    StockShort,
    EscalationOverdue,
}

impl Role {
    pub const ALL: [Role; 19] = [
        Role::Text,
        Role::Muted,
        Role::Title,
        Role::Border,
        Role::Selection,
        Role::Stale,
        Role::Header,
        Role::TooSmall,
        Role::TabActive,
        Role::TabInactive,
        Role::TabPending,
        Role::StatusOk,
        Role::StatusBlocked,
        Role::StatusGated,
        Role::StatusRetiring,
        Role::StatusLine,
        Role::FlagBreach,
        Role::StockShort,
        Role::EscalationOverdue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Title => "title",
            Role::Border => "border",
            Role::Selection => "selection",
            Role::Stale => "stale",
            Role::Header => "header",
            Role::TooSmall => "too_small",
            Role::TabActive => "tab.active",
            Role::TabInactive => "tab.inactive",
            Role::TabPending => "tab.pending",
            Role::StatusOk => "status.ok",
            Role::StatusBlocked => "status.blocked",
            Role::StatusGated => "status.gated",
            Role::StatusRetiring => "status.retiring",
            Role::StatusLine => "status.line",
            Role::FlagBreach => "flag.breach",
            Role::StockShort => "stock.short",
            Role::EscalationOverdue => "escalation.overdue",
        }
    }

    fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The built-in themes, selectable with `--theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ThemeName {
    #[default]
    Default,
    Light,
    HighContrast,
    Mono,
}

impl ThemeName {
    fn file(self) -> (&'static str, &'static str) {
        match self {
            ThemeName::Default => ("themes/default.toml", include_str!("../../themes/default.toml")),
            ThemeName::Light => ("themes/light.toml", include_str!("../../themes/light.toml")),
            ThemeName::HighContrast => ("themes/high-contrast.toml", include_str!("../../themes/high-contrast.toml")),
            ThemeName::Mono => ("themes/mono.toml", include_str!("../../themes/mono.toml")),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: unknown theme role `{role}`")]
    UnknownRole { file: String, role: String },
    #[error("{file}: role `{role}`: {message}")]
    BadRole { file: String, role: String, message: String },
    #[error("{file}: role `{role}`: bad colour {value} (expected #rrggbb, a colour name such as `red`, or 0-255)")]
    BadColour { file: String, role: String, value: String },
}

/// The config-side colour: plain data, mapped to ratatui only in `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourSpec {
    Reset,
    Named(Color),
    Indexed(u8),
    Rgb(u8, u8, u8),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawColour {
    Name(String),
    Index(i64),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<RawColour>,
    bg: Option<RawColour>,
    #[serde(default)]
    modifiers: Vec<RawModifier>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawModifier {
    Bold,
    Dim,
    Italic,
    Underlined,
    Reversed,
}

/// One role's style as the file gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StyleSpec {
    pub fg: Option<ColourSpec>,
    pub bg: Option<ColourSpec>,
    pub modifiers: Modifier,
}

/// Whether the terminal can show 24-bit colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourDepth {
    TrueColour,
    Indexed256,
}

impl ColourDepth {
    /// `COLORTERM` is the only reliable signal; it is not forwarded by ssh or
    /// sudo, so its absence means "assume 256".
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> ColourDepth {
        match env("COLORTERM").as_deref() {
            Some("truecolor" | "24bit") => ColourDepth::TrueColour,
            _ => ColourDepth::Indexed256,
        }
    }
}

/// A resolved theme: a style per role, and the depth to draw it at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    roles: BTreeMap<Role, StyleSpec>,
    depth: ColourDepth,
}

impl Theme {
    /// A built-in theme. Built-ins are tested to parse, so this cannot fail
    /// at run time; an empty theme is the fallback that keeps that total.
    pub fn builtin(name: ThemeName, depth: ColourDepth) -> Theme {
        let (file, text) = name.file();
        let base = Theme { name: format!("{name:?}").to_lowercase(), roles: BTreeMap::new(), depth };
        base.clone().overlay(file, text).unwrap_or(base)
    }

    /// Apply a theme file over this one; roles it does not name are kept.
    pub fn overlay(mut self, file: &str, text: &str) -> Result<Theme, ThemeError> {
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| ThemeError::Syntax { file: file.to_owned(), message: e.message().to_owned() })?;
        walk(file, "", &table, &mut self.roles)?;
        Ok(self)
    }

    /// Roles this theme does not define.
    pub fn missing_roles(&self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| !self.roles.contains_key(r)).collect()
    }

    /// The style for `role`, with colours reduced to what the terminal shows.
    pub fn style(&self, role: Role) -> Style {
        let spec = self.roles.get(&role).copied().unwrap_or_default();
        let mut style = Style::default().add_modifier(spec.modifiers);
        if let Some(fg) = spec.fg {
            style = style.fg(to_color(fg, self.depth));
        }
        if let Some(bg) = spec.bg {
            style = style.bg(to_color(bg, self.depth));
        }
        style
    }
}

/// The theme for normal use and the one for presentation mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Themes {
    pub normal: Theme,
    pub presentation: Theme,
}

impl Themes {
    /// `NO_COLOR` (set and non-empty) wins over everything: mono for both.
    pub fn resolve(name: ThemeName, env: &dyn Fn(&str) -> Option<String>) -> Themes {
        let depth = ColourDepth::from_env(env);
        if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            let mono = Theme::builtin(ThemeName::Mono, depth);
            return Themes { normal: mono.clone(), presentation: mono };
        }
        Themes { normal: Theme::builtin(name, depth), presentation: Theme::builtin(ThemeName::HighContrast, depth) }
    }
}

impl fmt::Display for ThemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ThemeName::Default => "default",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
            ThemeName::Mono => "mono",
        })
    }
}

fn walk(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    roles: &mut BTreeMap<Role, StyleSpec>,
) -> Result<(), ThemeError> {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        if let Some(role) = Role::from_key(&path) {
            roles.insert(role, style_spec(file, &path, value.clone())?);
        } else if let toml::Value::Table(inner) = value
            && Role::ALL.iter().any(|r| r.key().strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with('.')))
        {
            walk(file, &path, inner, roles)?;
        } else {
            return Err(ThemeError::UnknownRole { file: file.to_owned(), role: path });
        }
    }
    Ok(())
}

fn style_spec(file: &str, role: &str, value: toml::Value) -> Result<StyleSpec, ThemeError> {
    let raw: RawStyle = value.try_into().map_err(|e: toml::de::Error| ThemeError::BadRole {
        file: file.into(),
        role: role.into(),
        message: e.message().into(),
    })?;
    let colour = |c: Option<RawColour>| {
        c.map(|c| {
            parse_colour(&c).ok_or_else(|| ThemeError::BadColour {
                file: file.into(),
                role: role.into(),
                value: match c {
                    RawColour::Name(s) => format!("`{s}`"),
                    RawColour::Index(i) => i.to_string(),
                },
            })
        })
        .transpose()
    };
    let modifiers = raw.modifiers.iter().fold(Modifier::empty(), |m, r| {
        m | match r {
            RawModifier::Bold => Modifier::BOLD,
            RawModifier::Dim => Modifier::DIM,
            RawModifier::Italic => Modifier::ITALIC,
            RawModifier::Underlined => Modifier::UNDERLINED,
            RawModifier::Reversed => Modifier::REVERSED,
        }
    });
    Ok(StyleSpec { fg: colour(raw.fg)?, bg: colour(raw.bg)?, modifiers })
}

fn parse_colour(raw: &RawColour) -> Option<ColourSpec> {
    let name = match raw {
        RawColour::Index(i) => return u8::try_from(*i).ok().map(ColourSpec::Indexed),
        RawColour::Name(s) => s.as_str(),
    };
    if let Some(hex) = name.strip_prefix('#') {
        let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        return Some(ColourSpec::Rgb(byte(0)?, byte(2)?, byte(4)?));
    }
    let named = match name {
        "reset" => return Some(ColourSpec::Reset),
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "dark_gray" => Color::DarkGray,
        "light_red" => Color::LightRed,
        "light_green" => Color::LightGreen,
        "light_yellow" => Color::LightYellow,
        "light_blue" => Color::LightBlue,
        "light_magenta" => Color::LightMagenta,
        "light_cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    };
    Some(ColourSpec::Named(named))
}

fn to_color(c: ColourSpec, depth: ColourDepth) -> Color {
    match (c, depth) {
        (ColourSpec::Reset, _) => Color::Reset,
        (ColourSpec::Named(n), _) => n,
        (ColourSpec::Indexed(i), _) => Color::Indexed(i),
        (ColourSpec::Rgb(r, g, b), ColourDepth::TrueColour) => Color::Rgb(r, g, b),
        (ColourSpec::Rgb(r, g, b), ColourDepth::Indexed256) => Color::Indexed(nearest_xterm256(r, g, b)),
    }
}

/// The nearest xterm-256 index: the closer of the 6×6×6 cube and the
/// 24-step grey ramp (the first 16 are user-configurable, so never chosen).
pub fn nearest_xterm256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let nearest_level = |v: u8| (0..6u8).min_by_key(|&i| LEVELS[usize::from(i)].abs_diff(v)).unwrap_or(0);
    let dist = |(r2, g2, b2): (u8, u8, u8)| {
        [(r, r2), (g, g2), (b, b2)].iter().map(|&(a, b)| u32::from(a.abs_diff(b)).pow(2)).sum::<u32>()
    };
    let (ri, gi, bi) = (nearest_level(r), nearest_level(g), nearest_level(b));
    let cube = (LEVELS[usize::from(ri)], LEVELS[usize::from(gi)], LEVELS[usize::from(bi)]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    let avg = u8::try_from((u32::from(r) + u32::from(g) + u32::from(b)) / 3).unwrap_or(u8::MAX);
    let grey_step = (avg.saturating_sub(3) / 10).min(23);
    let grey = 8 + 10 * grey_step;
    if dist((grey, grey, grey)) < dist(cube) { 232 + grey_step } else { cube_index }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_defines_every_role() {
        for name in [ThemeName::Default, ThemeName::Light, ThemeName::HighContrast, ThemeName::Mono] {
            let (file, text) = name.file();
            let empty = Theme { name: String::new(), roles: BTreeMap::new(), depth: ColourDepth::TrueColour };
            let theme = empty.overlay(file, text).unwrap();
            assert_eq!(theme.missing_roles(), vec![], "{file}");
        }
    }

    #[test]
    fn no_color_means_mono_even_when_presenting() {
        let env = |k: &str| (k == "NO_COLOR").then(|| "1".to_owned());
        let themes = Themes::resolve(ThemeName::Light, &env);
        assert_eq!(themes.normal.name, "mono");
        assert_eq!(themes.presentation.name, "mono");
        let empty = |k: &str| (k == "NO_COLOR").then(String::new);
        assert_eq!(Themes::resolve(ThemeName::Light, &empty).normal.name, "light");
    }

    #[test]
    fn mono_has_no_colour() {
        let mono = Theme::builtin(ThemeName::Mono, ColourDepth::TrueColour);
        for role in Role::ALL {
            let s = mono.style(role);
            assert_eq!((s.fg, s.bg), (None, None), "{role:?}");
        }
    }

    #[test]
    fn bad_colour_names_role_and_file() {
        let base = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
        let err = base.overlay("mine.toml", "[status]\nok = { fg = \"#12345\" }").unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.toml: role `status.ok`: bad colour `#12345` (expected #rrggbb, a colour name such as `red`, or 0-255)"
        );
    }

    #[test]
    fn unknown_roles_and_fields_are_refused() {
        let base = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
        let err = base.clone().overlay("t.toml", "[status]\nokay = { fg = \"red\" }").unwrap_err();
        assert_eq!(err, ThemeError::UnknownRole { file: "t.toml".into(), role: "status.okay".into() });
        let err = base.overlay("t.toml", "text = { colour = \"red\" }").unwrap_err();
        assert!(err.to_string().starts_with("t.toml: role `text`: unknown field `colour`"), "{err}");
    }

    #[test]
    fn user_theme_overrides_only_what_it_names() {
        let base = Theme::builtin(ThemeName::Default, ColourDepth::TrueColour);
        let mine = base.clone().overlay("t.toml", "muted = { fg = 244 }").unwrap();
        assert_eq!(mine.style(Role::Muted).fg, Some(Color::Indexed(244)));
        assert_eq!(mine.style(Role::Text), base.style(Role::Text));
    }

    #[test]
    fn rgb_is_reduced_without_truecolor() {
        let env_none = |_: &str| None;
        assert_eq!(ColourDepth::from_env(&env_none), ColourDepth::Indexed256);
        assert_eq!(nearest_xterm256(0, 0, 0), 16);
        assert_eq!(nearest_xterm256(255, 255, 255), 231);
        assert_eq!(nearest_xterm256(0x87, 0xaf, 0xff), 111);
        assert_eq!(nearest_xterm256(0x80, 0x80, 0x80), 244);
        let theme = Theme::builtin(ThemeName::Default, ColourDepth::Indexed256);
        assert!(matches!(theme.style(Role::Title).fg, Some(Color::Indexed(_))));
    }
}
