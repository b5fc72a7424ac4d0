//! The weekly review: everything that needs a decision, one item at a time.
//!
//! The items are taken from the read when the review starts and stay put
//! while it runs (a list that reorders under the operator's cursor loses
//! their place); what the operator does to each comes back from `update`
//! as an [`Effect::Store`](super::Effect::Store) for the feed to write.

mod items;

use jiff::civil::Date;

pub use items::{ReviewItem, items};

/// What the feed is asked to write, on the operator's behalf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreCommand {
    /// A review session starts (kept in the `reviews` table).
    Begin {
        who: String,
        total: usize,
    },
    Ack {
        key: String,
        who: String,
        note: Option<String>,
    },
    Decide {
        key: String,
        who: String,
        channel: Option<String>,
        sku: Option<String>,
        text: String,
        follow_up: Option<Date>,
    },
    Defer {
        key: String,
        who: String,
        until: Date,
    },
    Reassign {
        key: String,
        who: String,
        to: String,
    },
    /// Write the week's readback with this review's tally to the data dir.
    Export {
        who: String,
        tally: Tally,
    },
    /// The cockpit is leaving (quit, signal, lost terminal) with a review
    /// not ended: close its session with what was done, so the store
    /// holds no review that looks as if it were still going on.
    Abandon {
        tally: Tally,
    },
}

/// What was done to one item in this review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Acknowledged,
    Decided,
    Deferred(Date),
    Reassigned(String),
}

impl Outcome {
    pub fn label(&self) -> String {
        match self {
            Outcome::Acknowledged => "✔ acknowledged".to_owned(),
            Outcome::Decided => "✔ decided".to_owned(),
            Outcome::Deferred(d) => format!("⏸ deferred to {d}"),
            Outcome::Reassigned(to) => format!("→ reassigned to {to}"),
        }
    }
}

/// The counts the summary shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub acknowledged: usize,
    pub decided: usize,
    pub deferred: usize,
    pub reassigned: usize,
    pub remaining: usize,
    pub total: usize,
}

/// A one-line prompt the review is waiting on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Decide { text: String },
    Defer { text: String, error: Option<String> },
    Reassign { choices: Vec<String>, selected: usize },
}

/// A review in progress, or its summary once ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub items: Vec<ReviewItem>,
    pub pos: usize,
    pub prompt: Option<Prompt>,
    /// Per item, the last thing done to it.
    pub outcomes: Vec<Option<Outcome>>,
    counts: Tally,
    /// Ended: the summary is showing.
    pub ended: bool,
    pub week: String,
}

impl Review {
    pub fn new(items: Vec<ReviewItem>, week: String) -> Review {
        let outcomes = vec![None; items.len()];
        Review { items, pos: 0, prompt: None, outcomes, counts: Tally::default(), ended: false, week }
    }

    pub fn current(&self) -> Option<&ReviewItem> {
        self.items.get(self.pos)
    }

    /// "12 of 31".
    pub fn progress(&self) -> String {
        if self.items.is_empty() { "0 of 0".to_owned() } else { format!("{} of {}", self.pos + 1, self.items.len()) }
    }

    pub fn tally(&self) -> Tally {
        Tally {
            remaining: self.outcomes.iter().filter(|o| o.is_none()).count(),
            total: self.items.len(),
            ..self.counts
        }
    }

    /// A new read arrived: keep the order and the cursor, but show each
    /// item's current context, owner and due (another operator may have
    /// acknowledged it meanwhile). Items gone from the read stay as they were.
    pub fn refresh(&mut self, fresh: Vec<ReviewItem>) {
        for new in fresh {
            if let Some(old) = self.items.iter_mut().find(|i| i.key == new.key) {
                *old = new;
            }
        }
    }

    pub fn step(&mut self, forward: bool) {
        self.pos =
            if forward { (self.pos + 1).min(self.items.len().saturating_sub(1)) } else { self.pos.saturating_sub(1) };
    }

    /// Acknowledge the current item and move on.
    pub fn acknowledge(&mut self, who: &str) -> Option<StoreCommand> {
        let key = self.current()?.key.clone();
        self.counts.acknowledged += 1;
        self.done(Outcome::Acknowledged);
        Some(StoreCommand::Ack { key, who: who.to_owned(), note: None })
    }

    /// Open a prompt for the current item (nothing to prompt about on an
    /// empty review).
    pub fn open(&mut self, prompt: Prompt) {
        if self.current().is_some() {
            self.prompt = Some(prompt);
        }
    }

    /// The reassignment prompt: the item's channel owner and chain.
    pub fn reassign_prompt(&self) -> Prompt {
        let choices = self.current().map(|i| i.people.clone()).unwrap_or_default();
        Prompt::Reassign { choices, selected: 0 }
    }

    /// Enter on the open prompt: the command to store, if the input is
    /// good; a bad date keeps the prompt open with the reason.
    pub fn submit(&mut self, who: &str) -> Option<StoreCommand> {
        let item = self.current()?.clone();
        let who = who.to_owned();
        match self.prompt.take()? {
            Prompt::Decide { text } if text.trim().is_empty() => {
                self.prompt = Some(Prompt::Decide { text });
                None
            }
            Prompt::Decide { text } => {
                self.counts.decided += 1;
                self.done(Outcome::Decided);
                let text = crate::core::text::clean(text.trim()).into_owned();
                Some(StoreCommand::Decide {
                    key: item.key,
                    who,
                    channel: item.channel,
                    sku: item.sku,
                    text,
                    follow_up: None,
                })
            }
            Prompt::Defer { text, .. } => match parse_date(&text) {
                Ok(until) => {
                    self.counts.deferred += 1;
                    self.done(Outcome::Deferred(until));
                    Some(StoreCommand::Defer { key: item.key, who, until })
                }
                Err(e) => {
                    self.prompt = Some(Prompt::Defer { text, error: Some(e) });
                    None
                }
            },
            Prompt::Reassign { choices, selected } => {
                let to = choices.get(selected)?.clone();
                self.counts.reassigned += 1;
                self.done(Outcome::Reassigned(to.clone()));
                Some(StoreCommand::Reassign { key: item.key, who, to })
            }
        }
    }

    fn done(&mut self, outcome: Outcome) {
        if let Some(slot) = self.outcomes.get_mut(self.pos) {
            *slot = Some(outcome);
        }
        self.step(true);
    }
}

/// Strictly `YYYY-MM-DD`: jiff alone would also take a time or an offset,
/// which a deferral has no use for.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let shaped =
        t.len() == 10 && t.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    let bad = || format!("{:?} is not a date: write YYYY-MM-DD", crate::core::text::clean(t));
    if !shaped {
        return Err(bad());
    }
    t.parse::<Date>().map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-12-02").is_ok());
        for bad in ["2026-13-01", "2026-02-30", "2026-2-3", "tomorrow", "2026-12-02T10:00", ""] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
