//! Escalations by owner, overdue first, with the SLA countdown. `m` keeps
//! only the operator's own (`$OMNIDECK_OPERATOR`, else `$USER`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::table::{Columns, RowTable};
use crate::ui::keymap::Action;
use crate::ui::theme::Theme;
use crate::ui::view::{CockpitView, EscalationRow};

#[derive(Debug, Clone, Default)]
pub struct EscalationsPane {
    pub table: RowTable<EscalationRow>,
    all: Option<Vec<EscalationRow>>,
    operator: Option<String>,
    pub mine: bool,
}

impl EscalationsPane {
    pub fn set_data(&mut self, view: &CockpitView) {
        self.all = view.read.as_ref().map(|r| r.escalations.clone());
        self.apply();
    }

    pub fn set_operator(&mut self, operator: Option<String>) {
        self.operator = operator.filter(|o| !o.trim().is_empty());
        self.apply();
    }

    pub fn operator(&self) -> Option<&str> {
        self.operator.as_deref()
    }

    /// Names match case-insensitively, and a login ("maya") matches a full
    /// name ("Maya Chen"), since `$USER` is usually the short form.
    fn is_mine(&self, row: &EscalationRow) -> bool {
        self.operator.as_ref().is_some_and(|o| row.owner.to_lowercase().contains(&o.to_lowercase()))
    }

    fn apply(&mut self) {
        let rows: Option<Vec<EscalationRow>> =
            self.all.as_ref().map(|all| all.iter().filter(|r| !self.mine || self.is_mine(r)).cloned().collect());
        self.table.set_rows(rows.as_deref());
    }

    pub fn handle(&mut self, action: Action) {
        if action == Action::Mine {
            self.mine = !self.mine;
            self.apply();
        } else {
            self.table.handle(action);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let headers = ["Owner", "Level", "State", "SLA", "Channel", "Summary"].map(String::from).to_vec();
        let widths = vec![
            Constraint::Fill(2),
            Constraint::Length(11),
            Constraint::Length(12),
            Constraint::Length(16),
            Constraint::Fill(2),
            Constraint::Fill(5),
        ];
        let title = match (&self.operator, self.mine) {
            (Some(o), true) => format!("Escalations — mine ({o})"),
            (None, true) => "Escalations — mine (no operator: set $OMNIDECK_OPERATOR)".to_owned(),
            _ => "Escalations by owner".to_owned(),
        };
        let cols = Columns::new(title, headers, widths).hide_below(area.width, 120, &[2, 4]);
        self.table.render(frame, area, theme, &cols);
    }
}
