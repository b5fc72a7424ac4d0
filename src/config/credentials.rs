//! Secrets: read from environment variables or a separate credentials file,
//! never from the main config. A credentials file that others can read is
//! refused, as ssh refuses an unprotected private key.

use std::collections::BTreeMap;
use std::fmt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use super::schema::RawCredentials;

/// The secrets of one source. `Debug` shows field names, never values.
#[derive(Clone)]
pub struct Credentials {
    fields: BTreeMap<String, SecretString>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.fields.keys().map(|k| (k, "[redacted]"))).finish()
    }
}

impl Credentials {
    pub fn from_pairs<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Credentials { fields: pairs.into_iter().map(|(k, v)| (k, SecretString::from(v))).collect() }
    }

    /// The secret named `field`, exposed only for the request that needs it.
    pub fn expose(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(ExposeSecret::expose_secret)
    }
}

/// Why credentials could not be had. Messages name files and variables,
/// never secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
    #[error("cannot read credentials file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("credentials file {path} is readable by group or others (mode {mode:04o}); run `chmod 600 {path}`")]
    Unprotected { path: PathBuf, mode: u32 },
    #[error("credentials file {path} belongs to another user (uid {owner})")]
    WrongOwner { path: PathBuf, owner: u32 },
    #[error("credentials file {path}: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error("credentials file {path} has no [{entry}] table")]
    MissingEntry { path: PathBuf, entry: String },
    #[error("credentials for {entry} lack {field}")]
    MissingField { entry: String, field: String },
}

/// The environment variable that holds `field` under `prefix`.
pub fn env_var_name(prefix: &str, field: &str) -> String {
    format!("{prefix}_{}", field.to_ascii_uppercase())
}

/// Resolve credentials holding every field in `required`. `config_dir` is
/// the directory relative credential paths are taken from.
pub fn resolve(
    source: &RawCredentials,
    required: &[&str],
    config_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialError> {
    match source {
        RawCredentials::Sandbox => Ok(sandbox_credentials(required)),
        RawCredentials::Env(prefix) => {
            let mut fields = BTreeMap::new();
            for field in required {
                let var = env_var_name(prefix, field);
                let value = env(&var).filter(|v| !v.is_empty()).ok_or(CredentialError::MissingEnv(var))?;
                fields.insert((*field).to_owned(), SecretString::from(value));
            }
            Ok(Credentials { fields })
        }
        RawCredentials::File { path, entry } => {
            let path = if path.is_absolute() { path.clone() } else { config_dir.join(path) };
            let creds = read_file_entry(&path, entry)?;
            match required.iter().find(|f| creds.expose(f).is_none()) {
                Some(f) => Err(CredentialError::MissingField { entry: entry.clone(), field: (*f).to_owned() }),
                None => Ok(creds),
            }
        }
    }
}

/// The sandbox's well-known demo secrets: public by design, accepted
/// only by the local sandbox.
pub fn sandbox_credentials(required: &[&str]) -> Credentials {
    Credentials::from_pairs(required.iter().map(|f| ((*f).to_owned(), format!("sandbox-{f}"))))
}

/// Refuse a file others can read or that another user owns.
pub fn check_protected(path: &Path) -> Result<(), CredentialError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CredentialError::Unreadable { path: path.to_owned(), reason: e.kind().to_string() })?;
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(CredentialError::Unprotected { path: path.to_owned(), mode });
    }
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me && me != 0 {
        return Err(CredentialError::WrongOwner { path: path.to_owned(), owner: meta.uid() });
    }
    Ok(())
}

fn read_file_entry(path: &Path, entry: &str) -> Result<Credentials, CredentialError> {
    check_protected(path)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| CredentialError::Unreadable { path: path.to_owned(), reason: e.kind().to_string() })?;
    // Parse errors from the toml crate quote the offending line, which may
    // hold a secret; report only the position.
    let table: toml::Table = toml::from_str(&text).map_err(|e| CredentialError::Malformed {
        path: path.to_owned(),
        reason: match e.span() {
            Some(span) => {
                let (line, col) = super::error::line_col(&text, span.start);
                format!("not valid TOML at line {line}, column {col}")
            }
            None => "not valid TOML".to_owned(),
        },
    })?;
    let Some(toml::Value::Table(t)) = table.get(entry) else {
        return Err(CredentialError::MissingEntry { path: path.to_owned(), entry: entry.to_owned() });
    };
    let fields =
        t.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), SecretString::from(s.to_owned())))).collect();
    Ok(Credentials { fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn debug_never_shows_a_secret() {
        let c = Credentials::from_pairs([("access_token".to_owned(), "shpat_topsecret".to_owned())]);
        let shown = format!("{c:?}");
        assert!(!shown.contains("topsecret"));
        assert!(shown.contains("access_token"));
    }

    #[test]
    fn env_credentials_name_the_missing_variable() {
        let src = RawCredentials::Env("OMNIDECK_SHOP".into());
        let env = |k: &str| (k == "OMNIDECK_SHOP_ACCESS_TOKEN").then(|| "tok".to_owned());
        let c = resolve(&src, &["access_token"], Path::new("."), &env).unwrap();
        assert_eq!(c.expose("access_token"), Some("tok"));
        let err = resolve(&src, &["client_id"], Path::new("."), &env).unwrap_err();
        assert_eq!(err.to_string(), "environment variable OMNIDECK_SHOP_CLIENT_ID is not set");
    }

    #[test]
    fn an_unprotected_file_is_refused_and_a_private_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        std::fs::write(&path, "[shop]\naccess_token = \"shpat_x\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let src = RawCredentials::File { path: path.clone(), entry: "shop".into() };
        let err = resolve(&src, &["access_token"], dir.path(), &|_| None).unwrap_err();
        assert!(matches!(err, CredentialError::Unprotected { mode: 0o644, .. }), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let c = resolve(&src, &["access_token"], dir.path(), &|_| None).unwrap();
        assert_eq!(c.expose("access_token"), Some("shpat_x"));
        let err = resolve(&src, &["refresh_token"], dir.path(), &|_| None).unwrap_err();
        assert_eq!(err.to_string(), "credentials for shop lack refresh_token");
    }

    #[test]
    fn a_malformed_file_error_does_not_quote_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[shop]\naccess_token = shpat_unquoted_secret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let src = RawCredentials::File { path, entry: "shop".into() };
        let err = resolve(&src, &["access_token"], dir.path(), &|_| None).unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }
}
