//! The one error type connectors return. Every variant names the source
//! and, where there is one, the URL path; none carries a secret.

use super::http::HttpError;
use crate::core::ids::SourceId;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{source_id}: {path} sent a body that is not valid JSON ({detail})")]
    BadBody { source_id: SourceId, path: String, detail: String },
    #[error("{source_id}: {path} sent an unexpected payload at {at} ({detail})")]
    BadShape { source_id: SourceId, path: String, at: String, detail: String },
    #[error("{source_id}: {path} answered with errors: {message}")]
    Api { source_id: SourceId, path: String, message: String },
    #[error("{source_id}: {path} kept throttling after {attempts} attempts")]
    Throttled { source_id: SourceId, path: String, attempts: u32 },
    #[error("{source_id}: pagination of {what} stopped advancing")]
    Stuck { source_id: SourceId, what: &'static str },
    #[error("{source_id}: {message}")]
    Config { source_id: SourceId, message: String },
    /// Login with Amazon refused the refresh token or client: retrying
    /// cannot help.
    #[error("{source_id}: Login with Amazon refused the credentials (HTTP {status}, {code}): {description}")]
    Lwa { source_id: SourceId, status: u16, code: String, description: String },
    /// An OAuth token endpoint (eBay's) refused the refresh token or the
    /// client: retrying cannot help until someone renews the consent.
    #[error("{source_id}: the OAuth token endpoint refused the credentials (HTTP {status}, {code}): {description}")]
    OAuth { source_id: SourceId, status: u16, code: String, description: String },
    #[error("{source_id}: {path} sent a payload omnideck cannot read: {detail}")]
    Payload { source_id: SourceId, path: String, detail: String },
    #[error("{source_id}: {path} was not found")]
    NotFound { source_id: SourceId, path: String },
}

impl ChannelError {
    /// Whether the next poll may well succeed (throttling, network, 5xx).
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Http(e) => e.is_transient(),
            Self::Throttled { .. } | Self::Stuck { .. } => true,
            Self::BadBody { .. }
            | Self::BadShape { .. }
            | Self::Api { .. }
            | Self::Config { .. }
            | Self::Lwa { .. }
            | Self::OAuth { .. }
            | Self::Payload { .. }
            | Self::NotFound { .. } => false,
        }
    }

    /// Whether the whole poll must stop (credentials or setup), rather than
    /// one item being reported and skipped.
    #[must_use]
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            Self::Lwa { .. } | Self::OAuth { .. } | Self::Config { .. } | Self::Http(HttpError::Unauthorized { .. })
        )
    }
}
