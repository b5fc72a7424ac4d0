//! The row types the read panes draw. Everything is already formatted and
//! sanitized; cells that carry cost, margin or fees are marked
//! confidential so presentation mode can mask them without knowing why.

use crate::core::escalation::Severity;

/// How loud a row is. Every level has a glyph and a word, so it survives a
/// colourless screen share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Ok,
    Info,
    Warning,
    Critical,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Ok => "✔ ok",
            Level::Info => "● info",
            Level::Warning => "▲ warning",
            Level::Critical => "✖ CRITICAL",
        }
    }

    /// The glyph alone, for lines that carry their own word.
    pub fn glyph(self) -> char {
        match self {
            Level::Ok => '✔',
            Level::Info => '●',
            Level::Warning => '▲',
            Level::Critical => '✖',
        }
    }
}

impl From<Severity> for Level {
    fn from(s: Severity) -> Level {
        match s {
            Severity::Info => Level::Info,
            Severity::Warning => Level::Warning,
            Severity::Critical => Level::Critical,
        }
    }
}

/// The mark a row carries when a source it depends on is stale.
pub const STALE_MARK: &str = "⧗";
/// What a confidential cell shows in presentation mode.
pub const MASK: &str = "•••";

/// One cell or detail line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    /// Cost, margin or fees: masked in presentation mode.
    pub confidential: bool,
}

impl Field {
    pub fn plain(text: impl Into<String>) -> Field {
        Field { text: text.into(), confidential: false }
    }

    pub fn secret(text: impl Into<String>) -> Field {
        Field { text: text.into(), confidential: true }
    }

    /// The text as shown, masked when asked.
    pub fn shown(&self, mask: bool) -> &str {
        if mask && self.confidential { MASK } else { &self.text }
    }
}

/// What every table pane needs from a row; the panes stay generic.
pub trait TableRow {
    fn cells(&self) -> Vec<Field>;
    fn level(&self) -> Level;
    /// A source the row depends on is older than its `stale_after`.
    fn stale(&self) -> bool;
    fn detail(&self) -> &[Field];
    /// Lower-case text the `/` filter searches.
    fn search(&self) -> &str;
    /// What the detail box is titled.
    fn title(&self) -> String {
        self.cells().into_iter().next().map(|c| c.text).unwrap_or_default()
    }
    /// Past a deadline (escalations): drawn in the overdue style.
    fn overdue(&self) -> bool {
        false
    }
}

/// Lower-case search text over the given parts.
pub fn haystack<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One SKU across channels: the quantity shown on each, from the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    pub sku: String,
    /// Aligned with [`StockTable::channels`]; `None` = not planned there.
    pub quantities: Vec<Option<u32>>,
    /// Sellable units over every location.
    pub pool: u32,
    pub cover_days: Option<String>,
    pub scarce: bool,
    pub level: Level,
    pub stale: bool,
    pub detail: Vec<Field>,
    pub search: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockTable {
    pub channels: Vec<String>,
    pub rows: Vec<StockRow>,
}

impl TableRow for StockRow {
    fn cells(&self) -> Vec<Field> {
        let mut cells = vec![Field::plain(self.sku.clone())];
        cells.extend(self.quantities.iter().map(|q| Field::plain(q.map_or_else(|| "—".to_owned(), |q| q.to_string()))));
        cells.push(Field::plain(self.pool.to_string()));
        cells.push(Field::plain(self.cover_days.clone().unwrap_or_else(|| "—".into())));
        cells.push(Field::plain(match (self.level, self.scarce) {
            (Level::Critical, _) => "✖ out of stock",
            (_, true) => "▼ scarce",
            _ => "",
        }));
        cells
    }
    fn level(&self) -> Level {
        self.level
    }
    fn stale(&self) -> bool {
        self.stale
    }
    fn detail(&self) -> &[Field] {
        &self.detail
    }
    fn search(&self) -> &str {
        &self.search
    }
}

/// One price flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarginRow {
    pub level: Level,
    pub kind: &'static str,
    pub channel: String,
    pub sku: String,
    pub price: String,
    pub contribution: String,
    pub margin: String,
    pub owner: Option<String>,
    pub source_age: String,
    pub stale: bool,
    pub detail: Vec<Field>,
    pub search: String,
}

impl TableRow for MarginRow {
    fn title(&self) -> String {
        format!("{} on {} ({})", self.sku, self.channel, self.kind)
    }
    fn cells(&self) -> Vec<Field> {
        vec![
            Field::plain(self.level.label()),
            Field::plain(self.kind),
            Field::plain(self.channel.clone()),
            Field::plain(self.sku.clone()),
            Field::plain(self.price.clone()),
            Field::secret(self.contribution.clone()),
            Field::secret(self.margin.clone()),
            Field::plain(self.owner.clone().unwrap_or_else(|| "— none —".into())),
            Field::plain(self.source_age.clone()),
        ]
    }
    fn level(&self) -> Level {
        self.level
    }
    fn stale(&self) -> bool {
        self.stale
    }
    fn detail(&self) -> &[Field] {
        &self.detail
    }
    fn search(&self) -> &str {
        &self.search
    }
}

/// One SKU on one channel over the promotion horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoRow {
    pub sku: String,
    pub channel: String,
    /// One character per day, a space between weeks: `━` running, `✖` a
    /// collision that day, `·` nothing.
    pub timeline: String,
    pub level: Level,
    pub collisions: String,
    pub discount_at_stake: String,
    pub margin_at_stake: String,
    pub owners: String,
    pub stale: bool,
    pub detail: Vec<Field>,
    pub search: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PromoTable {
    /// Week labels aligned over the timeline column.
    pub weeks: String,
    pub rows: Vec<PromoRow>,
}

impl TableRow for PromoRow {
    fn title(&self) -> String {
        format!("{} on {}", self.sku, self.channel)
    }
    fn cells(&self) -> Vec<Field> {
        vec![
            Field::plain(self.sku.clone()),
            Field::plain(self.channel.clone()),
            Field::plain(self.timeline.clone()),
            Field::plain(self.collisions.clone()),
            Field::plain(self.discount_at_stake.clone()),
            Field::secret(self.margin_at_stake.clone()),
            Field::plain(self.owners.clone()),
        ]
    }
    fn level(&self) -> Level {
        self.level
    }
    fn stale(&self) -> bool {
        self.stale
    }
    fn detail(&self) -> &[Field] {
        &self.detail
    }
    fn search(&self) -> &str {
        &self.search
    }
}

/// One escalation event that is not closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRow {
    pub key: String,
    pub owner: String,
    pub level: Level,
    pub state: &'static str,
    /// "in 3h 20m", "OVERDUE 1h 05m", or "acknowledged".
    pub due: String,
    pub overdue: bool,
    /// Seconds until due (negative when overdue); sorts the rows.
    pub due_in: Option<i64>,
    pub channel: String,
    pub summary: String,
    pub detail: Vec<Field>,
    pub search: String,
}

impl TableRow for EscalationRow {
    fn title(&self) -> String {
        self.key.clone()
    }
    fn cells(&self) -> Vec<Field> {
        vec![
            Field::plain(self.owner.clone()),
            Field::plain(self.level.label()),
            Field::plain(self.state),
            Field::plain(self.due.clone()),
            Field::plain(self.channel.clone()),
            Field::plain(self.summary.clone()),
        ]
    }
    fn level(&self) -> Level {
        self.level
    }
    fn stale(&self) -> bool {
        false
    }
    fn detail(&self) -> &[Field] {
        &self.detail
    }
    fn search(&self) -> &str {
        &self.search
    }
    fn overdue(&self) -> bool {
        self.overdue
    }
}

/// One recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub at: String,
    pub who: String,
    pub subject: String,
    pub text: String,
    pub follow_up: String,
    pub detail: Vec<Field>,
    pub search: String,
}

impl TableRow for DecisionRow {
    fn cells(&self) -> Vec<Field> {
        vec![
            Field::plain(self.at.clone()),
            Field::plain(self.who.clone()),
            Field::plain(self.subject.clone()),
            Field::plain(self.text.clone()),
            Field::plain(self.follow_up.clone()),
        ]
    }
    fn level(&self) -> Level {
        Level::Ok
    }
    fn stale(&self) -> bool {
        false
    }
    fn detail(&self) -> &[Field] {
        &self.detail
    }
    fn search(&self) -> &str {
        &self.search
    }
}

/// How fresh one source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub source: String,
    /// "12m", "3h 05m"; `None` when never fetched.
    pub age: Option<String>,
    /// "stale since HH:MM" (brand zone) when older than its `stale_after`.
    pub stale_since: Option<String>,
    pub error: Option<String>,
}
