//! omnideck.toml: the one place the shared logic is defined.
//!
//! Loading is strict: unknown keys are refused, and every error names the
//! file, line, column and key, what was expected and what was found.

mod build;
pub mod credentials;
pub mod error;
mod escalation;
pub mod files;
pub mod gates;
mod promotions;
mod promotions_csv;
pub mod schema;
mod sources;
pub mod values;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::{ConfigError, ConfigErrors};
pub use schema::{RawCredentials, SourceKind};

use crate::core::ids::SourceId;
use crate::core::promotion::Promotion;
use crate::core::rules::Rules;

/// Larger than any real config; refusing early keeps a stray log file
/// or binary from being parsed for minutes.
const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// How to reach one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    pub id: SourceId,
    pub kind: SourceKind,
    pub base_url: Option<String>,
    pub token_url: Option<String>,
    pub api_version: Option<String>,
    pub marketplace_id: Option<String>,
    pub seller_id: Option<String>,
    pub path: Option<PathBuf>,
    pub poll_interval: Duration,
    pub stale_after: Duration,
    pub credentials: Option<RawCredentials>,
    pub location: Option<String>,
    pub location_map: BTreeMap<String, String>,
    /// File sources: the validated mapping.
    pub file: Option<files::FileMapping>,
}

impl SourceConfig {
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref().or(self.kind.default_base_url())
    }
}

/// Where local state lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateConfig {
    pub data_dir: Option<PathBuf>,
    pub team_group: Option<String>,
}

/// A loaded, validated config.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub rules: Rules,
    pub sources: BTreeMap<SourceId, SourceConfig>,
    pub state: StateConfig,
    /// Promotions written in the config or its promotions CSV, for
    /// channels whose API reports none; they enter the snapshot as the
    /// source `config`.
    pub promotions: Vec<Promotion>,
}

impl Config {
    /// The directory relative paths in the config are taken from.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let text = read_text(path)?;
        Config::parse(path, &text)
    }

    /// Parse config text; `path` is used in messages and for relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigErrors> {
        if text.trim().is_empty() {
            return Err(ConfigErrors::single(path, "the file is empty: expected at least a [brand] table"));
        }
        let raw = deserialize(path, text)?;
        let mut ctx = build::Ctx::new(path, text);
        match build::build(&raw, &mut ctx) {
            Some(b) if ctx.errors.is_empty() => {
                let (rules, sources, state, promotions) = (b.rules, b.sources, b.state, b.promotions);
                Ok(Config { path: path.to_owned(), rules, sources, state, promotions })
            }
            _ => {
                let mut errors = ctx.errors;
                // The config's own errors first, then those of files it names.
                errors.sort_by_key(|e| (e.file != path, e.position));
                Err(ConfigErrors(errors))
            }
        }
    }
}

fn read_text(path: &Path) -> Result<String, ConfigErrors> {
    let file = std::fs::File::open(path).map_err(|e| ConfigErrors::single(path, format!("cannot open: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ConfigErrors::single(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        let msg = format!("the file is larger than {} MiB; is this the right file?", MAX_CONFIG_BYTES / 1024 / 1024);
        return Err(ConfigErrors::single(path, msg));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ConfigErrors::single(path, format!("not a text file: invalid UTF-8 at byte {at}"))
    })
}

fn deserialize(path: &Path, text: &str) -> Result<schema::RawConfig, ConfigErrors> {
    let de = toml::Deserializer::parse(text).map_err(|e| ConfigErrors(vec![toml_error(path, text, &e, None)]))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let key = (key != ".").then_some(key);
        ConfigErrors(vec![toml_error(path, text, e.inner(), key)])
    })
}

fn toml_error(path: &Path, text: &str, e: &toml::de::Error, key: Option<String>) -> ConfigError {
    ConfigError {
        file: path.to_owned(),
        position: e.span().map(|s| error::line_col(text, s.start)),
        key,
        message: e.message().trim().to_owned(),
    }
}

/// Where the config is looked for: `--config`, then `$OMNIDECK_CONFIG`,
/// then the platform config dir (`~/.config/omnideck/omnideck.toml`).
pub fn locate(flag: Option<&Path>, env: Option<&str>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_owned());
    }
    if let Some(p) = env.filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "omnideck").map(|d| d.config_dir().join("omnideck.toml"))
}

/// The platform data dir for state (`~/.local/share/omnideck`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "omnideck").map(|d| d.data_dir().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_prefers_the_flag_then_the_environment() {
        let flag = Path::new("/a/omnideck.toml");
        assert_eq!(locate(Some(flag), Some("/b.toml")), Some(flag.to_owned()));
        assert_eq!(locate(None, Some("/b.toml")), Some(PathBuf::from("/b.toml")));
        let fallback = locate(None, Some("")).unwrap();
        assert!(fallback.ends_with("omnideck/omnideck.toml"), "{}", fallback.display());
    }
}
