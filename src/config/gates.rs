//! Gates: no channel goes active before the shared logic can hold it.
//!
//! A channel can be active only when it has a named owner, a fee model,
//! an allocation rule, a price rule, and a source whose credentials are
//! present and safe (and, when probed, that answers).

use std::collections::BTreeMap;

use serde::Serialize;

use super::credentials;
use super::{Config, SourceKind};
use crate::core::channel::{Channel, ChannelStatus};
use crate::core::ids::{ChannelId, SourceId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    Owner,
    FeeModel,
    AllocationRule,
    PriceRule,
    Source,
    Credentials,
    Probe,
}

impl GateKind {
    pub fn label(self) -> &'static str {
        match self {
            GateKind::Owner => "owner",
            GateKind::FeeModel => "fee model",
            GateKind::AllocationRule => "allocation rule",
            GateKind::PriceRule => "price rule",
            GateKind::Source => "source",
            GateKind::Credentials => "credentials",
            GateKind::Probe => "probe",
        }
    }
}

/// One gate's verdict, with what satisfied or blocks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub kind: GateKind,
    pub ok: bool,
    pub detail: String,
}

/// Every gate of one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelGates {
    pub channel: ChannelId,
    pub name: String,
    pub status: ChannelStatus,
    pub owner: Option<String>,
    pub source: Option<SourceId>,
    pub gates: Vec<Gate>,
}

impl ChannelGates {
    pub fn can_be_active(&self) -> bool {
        self.gates.iter().all(|g| g.ok)
    }

    pub fn blockers(&self) -> impl Iterator<Item = &Gate> {
        self.gates.iter().filter(|g| !g.ok)
    }

    /// Marked active while a gate fails: this is what `check` exits 1 on.
    pub fn is_blocked_active(&self) -> bool {
        self.status == ChannelStatus::Active && !self.can_be_active()
    }
}

/// The gate table for every channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateReport {
    pub config: String,
    pub channels: Vec<ChannelGates>,
    pub blocked: bool,
}

/// What probing a source found: `Ok(summary)` or `Err(reason)`.
pub type ProbeResults = BTreeMap<SourceId, Result<String, String>>;

fn gate(kind: GateKind, ok: bool, detail: impl Into<String>) -> Gate {
    Gate { kind, ok, detail: detail.into() }
}

fn present<T>(kind: GateKind, value: Option<&T>, describe: impl FnOnce(&T) -> String) -> Gate {
    match value {
        Some(v) => gate(kind, true, describe(v)),
        None => gate(kind, false, format!("no {} configured", kind.label())),
    }
}

/// Evaluate every channel's gates. `env` reads environment variables;
/// `probe` holds the result of calling each source once, when asked for.
pub fn evaluate(config: &Config, env: &dyn Fn(&str) -> Option<String>, probe: Option<&ProbeResults>) -> GateReport {
    let channels: Vec<ChannelGates> =
        config.rules.channels.values().map(|c| channel_gates(config, c, env, probe)).collect();
    let blocked = channels.iter().any(ChannelGates::is_blocked_active);
    GateReport { config: config.path.display().to_string(), channels, blocked }
}

fn channel_gates(
    config: &Config,
    c: &Channel,
    env: &dyn Fn(&str) -> Option<String>,
    probe: Option<&ProbeResults>,
) -> ChannelGates {
    let mut gates = vec![
        present(GateKind::Owner, c.owner.as_ref(), |p| p.name.clone()),
        present(GateKind::FeeModel, c.fees.as_ref(), |_| "configured".to_owned()),
        present(GateKind::AllocationRule, c.allocation.as_ref(), |a| format!("priority {}", a.priority)),
        present(GateKind::PriceRule, c.pricing.as_ref(), |_| "configured".to_owned()),
        present(GateKind::Source, c.source.as_ref(), ToString::to_string),
    ];
    if let Some(source) = c.source.as_ref().and_then(|s| config.sources.get(s)) {
        gates.push(credentials_gate(config, source, env));
        if let Some(result) = probe.and_then(|p| p.get(&source.id)) {
            gates.push(match result {
                Ok(summary) => gate(GateKind::Probe, true, summary.clone()),
                Err(reason) => gate(GateKind::Probe, false, reason.clone()),
            });
        }
    }
    ChannelGates {
        channel: c.id.clone(),
        name: c.name.clone(),
        status: c.status,
        owner: c.owner.as_ref().map(|p| p.name.clone()),
        source: c.source.clone(),
        gates,
    }
}

fn credentials_gate(config: &Config, source: &super::SourceConfig, env: &dyn Fn(&str) -> Option<String>) -> Gate {
    if source.kind == SourceKind::File {
        let path = source.path.as_ref().map(|p| if p.is_absolute() { p.clone() } else { config.dir().join(p) });
        return match path {
            Some(p) if p.exists() => gate(GateKind::Credentials, true, format!("reads {}", p.display())),
            Some(p) => gate(GateKind::Credentials, false, format!("{} does not exist", p.display())),
            None => gate(GateKind::Credentials, false, "no path configured"),
        };
    }
    let Some(raw) = &source.credentials else {
        return gate(GateKind::Credentials, false, format!("source {} has no credentials configured", source.id));
    };
    match credentials::resolve(raw, source.kind.secret_fields(), config.dir(), env) {
        Ok(_) => gate(GateKind::Credentials, true, describe_credentials(raw)),
        Err(e) => gate(GateKind::Credentials, false, e.to_string()),
    }
}

fn describe_credentials(raw: &super::RawCredentials) -> String {
    match raw {
        super::RawCredentials::Sandbox => "sandbox demo credentials".to_owned(),
        super::RawCredentials::Env(prefix) => format!("from environment {prefix}_*"),
        super::RawCredentials::File { path, entry } => format!("[{entry}] in {}", path.display()),
    }
}
