//! The operator's review actions, written to the store by the feed (which
//! owns it), and the week's readback exported beside the store.

use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt;

use jiff::{SignedDuration, Timestamp};

use super::Engine;
use crate::core::text::clean;
use crate::store::{Decision, Store, StoreError};
use crate::ui::StoreCommand;
use crate::ui::review::Tally;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("there is no store in this session (see the first notice)")]
    NoStore,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: cannot write the readback: {reason}")]
    Write { path: String, reason: String },
}

/// Write `command`; `Ok(Some(text))` is something to tell the operator.
/// `session` is the review in progress, as its row in the store.
pub fn apply(
    engine: &mut Engine,
    store: Option<&mut Store>,
    session: &mut Option<i64>,
    command: StoreCommand,
    now: Timestamp,
) -> Result<Option<String>, ActionError> {
    let store = store.ok_or(ActionError::NoStore)?;
    match command {
        StoreCommand::Begin { who, total } => {
            *session = Some(store.start_review(&who, now, total)?);
        }
        StoreCommand::Ack { key, who, note } => {
            store.add_ack(&key, &who, now, note.as_deref())?;
        }
        StoreCommand::Decide { key, who, channel, sku, text, follow_up } => {
            let zone = engine.config.rules.brand.time_zone.clone();
            let follow_up = follow_up.and_then(|d| d.to_zoned_datetime(zone.clone()).ok()).map(|z| z.timestamp());
            let d = Decision { id: 0, at: now, who, channel, sku, event_key: Some(key), text, follow_up };
            store.add_decision(&d)?;
        }
        StoreCommand::Defer { key, who, until } => {
            store.add_deferral(&key, &who, now, until)?;
        }
        StoreCommand::Reassign { key, who, to } => {
            store.add_reassignment(&key, &who, now, &to)?;
        }
        StoreCommand::Abandon { tally } => {
            if let Some(id) = session.take() {
                store.end_review(id, now, tally.total - tally.remaining)?;
            }
        }
        StoreCommand::Export { who, tally } => {
            if let Some(id) = *session {
                store.end_review(id, now, tally.total - tally.remaining)?;
            }
            return export(engine, store, &who, tally, now).map(Some);
        }
    }
    Ok(None)
}

/// The weekly readback with the review's tally and the week's recorded
/// actions, as `review-<week>.md` in the data dir (private: it carries
/// costs and margins).
fn export(engine: &mut Engine, store: &Store, who: &str, tally: Tally, now: Timestamp) -> Result<String, ActionError> {
    let cockpit = engine.evaluate(now, Some(store))?;
    let mut text = crate::report::weekly::markdown(&cockpit, &engine.config.rules.brand.name);
    review_section(&mut text, store, who, tally, now)?;
    let dir = store.path().parent().unwrap_or_else(|| std::path::Path::new("."));
    let path = dir.join(format!("review-{}.md", cockpit.readback.week));
    let fail = |e: &std::io::Error| ActionError::Write { path: path.display().to_string(), reason: e.to_string() };
    std::fs::write(&path, text).map_err(|e| fail(&e))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|e| fail(&e))?;
    Ok(format!("review written to {}", path.display()))
}

fn review_section(out: &mut String, store: &Store, who: &str, t: Tally, now: Timestamp) -> Result<(), StoreError> {
    let since = now - SignedDuration::from_hours(7 * 24);
    let _ = writeln!(out, "\n## Review by {}\n", clean(who));
    let _ = writeln!(
        out,
        "acknowledged {}, decided {}, deferred {}, reassigned {}, remaining {} of {}\n",
        t.acknowledged, t.decided, t.deferred, t.reassigned, t.remaining, t.total
    );
    let decisions: Vec<Decision> = store.decisions(500)?.into_iter().filter(|d| d.at >= since).collect();
    if !decisions.is_empty() {
        let _ = writeln!(out, "### Decisions this week\n");
    }
    for d in decisions.iter().rev() {
        let on = d.event_key.as_deref().map_or_else(String::new, |k| format!(" on `{}`", clean(k)));
        let _ = writeln!(out, "- {} — {}{on}: {}", d.at, clean(&d.who), clean(&d.text));
    }
    let deferred: Vec<_> = store.deferrals()?.into_iter().filter(|d| d.at >= since).collect();
    let moved: Vec<_> = store.reassignments()?.into_iter().filter(|r| r.at >= since).collect();
    if !deferred.is_empty() || !moved.is_empty() {
        let _ = writeln!(out, "\n### Deferred and reassigned\n");
    }
    for d in deferred {
        let _ = writeln!(out, "- `{}` deferred to {} by {}", clean(&d.item_key), d.until, clean(&d.who));
    }
    for r in moved {
        let _ = writeln!(out, "- `{}` reassigned to {} by {}", clean(&r.item_key), clean(&r.assignee), clean(&r.who));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ui::review::Tally;

    #[test]
    fn each_command_lands_in_the_store_and_export_writes_the_readback() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let config = Config::load(std::path::Path::new("fixtures/demo/omnideck.toml")).unwrap();
        let now: Timestamp = "2026-11-25T17:00:00Z".parse().unwrap();
        let mut engine = Engine::new(config, &[], now);
        let who = || "maya".to_owned();
        let key = || "cover:SKU-1".to_owned();
        let until = "2026-12-04".parse().unwrap();
        let mut session = None;
        let commands = [
            StoreCommand::Begin { who: who(), total: 6 },
            StoreCommand::Ack { key: key(), who: who(), note: None },
            StoreCommand::Decide {
                key: key(),
                who: who(),
                channel: None,
                sku: None,
                text: "reorder".into(),
                follow_up: Some(until),
            },
            StoreCommand::Defer { key: key(), who: who(), until },
            StoreCommand::Reassign { key: key(), who: who(), to: "Sam Ortiz".into() },
        ];
        for c in commands {
            assert_eq!(apply(&mut engine, Some(&mut store), &mut session, c, now).unwrap(), None);
        }
        assert_eq!(store.acks_after(0).unwrap().len(), 1);
        assert_eq!(store.decisions(5).unwrap()[0].text, "reorder");
        assert_eq!(store.deferrals().unwrap().len(), 1);
        assert_eq!(store.reassignments().unwrap()[0].assignee, "Sam Ortiz");
        let tally = Tally { acknowledged: 1, decided: 1, deferred: 1, reassigned: 1, remaining: 2, total: 6 };
        let said = apply(&mut engine, Some(&mut store), &mut session, StoreCommand::Export { who: who(), tally }, now)
            .unwrap()
            .unwrap();
        let path = said.strip_prefix("review written to ").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            path.contains("review-2026-W") && std::path::Path::new(path).extension().is_some_and(|e| e == "md"),
            "{path}"
        );
        assert!(text.contains("acknowledged 1, decided 1, deferred 1, reassigned 1, remaining 2 of 6"), "{text}");
        assert!(text.contains("`cover:SKU-1` reassigned to Sam Ortiz by maya"), "{text}");
        assert_eq!(store.reviews().unwrap(), [("maya".to_owned(), 6, 4, true)]);
        let err = apply(&mut engine, None, &mut session, StoreCommand::Ack { key: key(), who: who(), note: None }, now);
        assert!(matches!(err, Err(ActionError::NoStore)));
    }

    /// What the feed's store poll relies on: another operator's ack, written
    /// through another handle, is pending for this engine until it evaluates.
    #[test]
    fn another_operators_ack_is_pending_until_evaluated() {
        let dir = tempfile::tempdir().unwrap();
        let mut theirs = Store::open(dir.path()).unwrap();
        let mine = Store::open(dir.path()).unwrap();
        let config = Config::load(std::path::Path::new("fixtures/demo/omnideck.toml")).unwrap();
        let now: Timestamp = "2026-11-25T17:00:00Z".parse().unwrap();
        let mut engine = Engine::new(config, &[], now);
        assert!(!engine.acks_pending(&mine).unwrap());
        theirs.add_ack("cover:SKU-1", "sam", now, None).unwrap();
        assert!(engine.acks_pending(&mine).unwrap());
        engine.evaluate(now, Some(&mine)).unwrap();
        assert!(!engine.acks_pending(&mine).unwrap());
    }
}
