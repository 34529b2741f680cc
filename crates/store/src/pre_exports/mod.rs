//! Pre-export notifications, their steps, and each importing country's reply period.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// A notification as stored: the columns access and lists are decided on, and the whole
/// notification as the domain's draft JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRow {
    pub id: String,
    pub exporter_country: String,
    pub importer_country: String,
    pub substance_id: String,
    pub classification: i64,
    pub draft: String,
    /// `YYYY-MM-DD`: the last day of the reply period.
    pub due_on: String,
    pub sender_agency: String,
    pub created_by: String,
    pub created_at: i64,
}

/// A step of a notification: an answer, information given, a withdrawal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub notification_id: String,
    pub seq: i64,
    pub kind: String,
    /// The reason, question or information the step carries (may be empty).
    pub body: String,
    pub agency: String,
    pub created_by: String,
    pub created_at: i64,
}

forward! { &self Store;
    pub async fn pre_exports(country: Option<&str>, limit: i64) -> Result<Vec<NotificationRow>>;
    pub async fn pre_export_steps(country: Option<&str>) -> Result<Vec<StepRow>>;
    pub async fn get_pre_export(id: &str) -> Result<Option<(NotificationRow, Vec<StepRow>)>>;
    pub async fn reply_days(country: &str) -> Result<Option<i64>>;
    pub async fn all_reply_days() -> Result<Vec<(String, i64)>>;
    pub async fn pre_exports_past_due(today: &str, limit: i64) -> Result<Vec<NotificationRow>>;
}

forward! { &mut self WriteTx;
    pub async fn hold_pre_export(id: &str) -> Result<Option<(NotificationRow, Vec<StepRow>)>>;
    pub async fn insert_pre_export(row: &NotificationRow) -> Result<()>;
    pub async fn insert_pre_export_step(row: &StepRow) -> Result<()>;
    pub async fn set_reply_days(country: &str, days: i64, by: &str, at: i64) -> Result<()>;
    pub async fn mark_pre_export_overdue_done(id: &str) -> Result<bool>;
}
