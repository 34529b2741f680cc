//! Operations and the parties taking part in them.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// An operation as stored. Dates are `YYYY-MM-DD`; classifications are levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRow {
    pub id: String,
    pub code_name: String,
    pub kind: String,
    pub lead_country: String,
    pub coordinator_agency: String,
    pub starts: String,
    pub ends: Option<String>,
    pub classification: i64,
    pub ceiling: i64,
    pub description: String,
    pub objectives: String,
    pub seizure_form: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A party (agency or country code) of an operation and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub operation_id: String,
    pub party: String,
    /// `invited`, `accepted`, `declined` or `removed`.
    pub state: String,
    pub invited_by: String,
    pub invited_at: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

/// A task of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: String,
    pub operation_id: String,
    pub title: String,
    pub description: String,
    pub assignee: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub remind: Option<String>,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub escalated_at: Option<i64>,
}

/// A comment on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCommentRow {
    pub id: String,
    pub task_id: String,
    pub author: String,
    pub agency: String,
    pub body: String,
    pub created_at: i64,
}

/// The consignment of a controlled delivery and where the delivery stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub operation_id: String,
    pub kind: String,
    pub substance: String,
    pub declared_quantity: Option<String>,
    pub actual_quantity: Option<String>,
    pub unit: String,
    pub concealment: String,
    pub conveyance: String,
    pub vehicle: String,
    pub markers: String,
    pub substitution: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One state's authorisation of a controlled delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisationRow {
    pub operation_id: String,
    pub country: String,
    pub authority: String,
    pub legal_basis: String,
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub authorised_on: String,
    /// `given` or `withdrawn`.
    pub consent: String,
    pub duty_contact: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One leg of a controlled delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegRow {
    pub id: String,
    pub operation_id: String,
    pub seq: i64,
    pub from_party: String,
    pub to_party: String,
    pub crossing_point: String,
    pub planned_departure: String,
    pub planned_handover: String,
    pub actual_departure: Option<String>,
    pub actual_handover: Option<String>,
    pub status: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// Results a participating agency reported, with the Seizure records it linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub id: String,
    pub operation_id: String,
    pub agency: String,
    pub arrests: i64,
    pub cases_opened: i64,
    pub assets_value: Option<String>,
    pub assets_currency: String,
    pub note: String,
    pub reported_by: String,
    pub reported_at: i64,
    pub seizures: Vec<String>,
}

forward! { &self Store;
    pub async fn operation_results(operation_id: &str) -> Result<Vec<ResultRow>>;
    pub async fn get_delivery(operation_id: &str) -> Result<Option<DeliveryRow>>;
    pub async fn delivery_legs(operation_id: &str) -> Result<Vec<LegRow>>;
    pub async fn delivery_authorisations(operation_id: &str) -> Result<Vec<AuthorisationRow>>;
    pub async fn operation_tasks(operation_id: &str) -> Result<Vec<TaskRow>>;
    pub async fn get_task(id: &str) -> Result<Option<TaskRow>>;
    pub async fn task_comments(operation_id: &str) -> Result<Vec<TaskCommentRow>>;
    pub async fn overdue_tasks(today: &str, limit: i64) -> Result<Vec<TaskRow>>;
    pub async fn due_reminders(today: &str, limit: i64) -> Result<Vec<TaskRow>>;
    pub async fn get_operation(id: &str) -> Result<Option<OperationRow>>;
    pub async fn operation_participants(id: &str) -> Result<Vec<ParticipantRow>>;
    pub async fn operations_concerning(agency: &str, country: &str) -> Result<Vec<OperationRow>>;
    pub async fn operations_taking_part(agency: &str, country: &str) -> Result<Vec<(String, i64)>>;
    pub async fn participants_of_operations(ids: &[String]) -> Result<Vec<ParticipantRow>>;
}

forward! { &mut self WriteTx;
    pub async fn insert_operation(op: &OperationRow) -> Result<()>;
    pub async fn update_operation(op: &OperationRow, seen: i64) -> Result<bool>;
    pub async fn highest_tagged(operation_id: &str) -> Result<Option<i64>>;
    pub async fn hold_operation_scope(operation_id: &str, level: i64) -> Result<bool>;
    pub async fn operation_participants_in_tx(id: &str) -> Result<Vec<ParticipantRow>>;
    pub async fn invite_party(operation_id: &str, party: &str, by: &str) -> Result<bool>;
    pub async fn insert_task(t: &TaskRow) -> Result<()>;
    pub async fn insert_result(r: &ResultRow) -> Result<()>;
    pub async fn insert_delivery(d: &DeliveryRow) -> Result<()>;
    pub async fn update_delivery(d: &DeliveryRow, seen: i64) -> Result<bool>;
    pub async fn put_authorisation(a: &AuthorisationRow) -> Result<()>;
    pub async fn delivery_legs_in_tx(operation_id: &str) -> Result<Vec<LegRow>>;
    pub async fn insert_leg(l: &LegRow) -> Result<()>;
    pub async fn update_leg(l: &LegRow, seen: i64) -> Result<bool>;
    pub async fn set_task_status(id: &str, version: i64, status: &str, by: &str) -> Result<bool>;
    pub async fn mark_task_escalated(id: &str) -> Result<bool>;
    pub async fn mark_task_reminded(id: &str) -> Result<bool>;
    pub async fn insert_task_comment(c: &TaskCommentRow) -> Result<()>;
    pub async fn change_participant(operation_id: &str, party: &str, from: &str, to: &str, by: &str) -> Result<bool>;
}
