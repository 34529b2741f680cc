//! An operation's journal: everything that happened in it — participants, tasks, the delivery —
//! in time order, read from the typed event log (never typed in twice). Only for those taking
//! part.

use pamir_domain::event::Event;

use super::Operations;
use crate::{AppError, AppResult, UserContext};

/// What part of the operation an entry is about, to filter by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalPart {
    Participants,
    Tasks,
    Delivery,
}

impl JournalPart {
    pub const ALL: [JournalPart; 3] = [
        JournalPart::Participants,
        JournalPart::Tasks,
        JournalPart::Delivery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JournalPart::Participants => "participants",
            JournalPart::Tasks => "tasks",
            JournalPart::Delivery => "delivery",
        }
    }

    pub fn parse(s: &str) -> AppResult<JournalPart> {
        JournalPart::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "part",
                    pamir_domain::error::Reason::coded(
                        "value-not-one-of",
                        &[
                            ("value", &format!("{s:?}")),
                            ("allowed", &"participants, tasks, delivery"),
                        ],
                    ),
                )
            })
    }

    fn of(event: &Event) -> Option<JournalPart> {
        Some(match event {
            Event::OperationChanged { .. }
            | Event::ParticipantChanged { .. }
            | Event::ResultReported { .. } => JournalPart::Participants,
            Event::TaskChanged { .. } | Event::TaskOverdue { .. } | Event::TaskReminder { .. } => {
                JournalPart::Tasks
            }
            Event::DeliveryChanged { .. }
            | Event::AuthorisationChanged { .. }
            | Event::LegChanged { .. } => JournalPart::Delivery,
            _ => return None,
        })
    }
}

/// One thing that happened in the operation.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// Its place in this node's event sequence.
    pub seq: i64,
    /// When, in milliseconds since 1970.
    pub at: i64,
    pub part: JournalPart,
    pub event: Event,
}

/// At most this many entries are read (a standing programme runs for years).
const JOURNAL_MAX: i64 = 5_000;

impl<'a> Operations<'a> {
    /// The operation's journal, oldest first, optionally one part of it.
    pub async fn journal(
        &self,
        ctx: &UserContext,
        operation: &str,
        only: Option<JournalPart>,
    ) -> AppResult<Vec<JournalEntry>> {
        self.taking_part(ctx, operation, "operation.journal")
            .await?;
        let rows = self
            .app
            .store
            .outbox_of_subject(operation, JOURNAL_MAX)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let event = Event::read(&row.kind, &row.payload)?;
                let part = JournalPart::of(&event)?;
                only.is_none_or(|o| o == part).then_some(JournalEntry {
                    seq: row.seq,
                    at: row.at,
                    part,
                    event,
                })
            })
            .collect())
    }
}
