//! Precursor incidents.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// An incident as stored: the columns access and lists are decided on, and the whole report as
/// the domain's draft JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub id: String,
    pub reporter: String,
    pub country: String,
    pub substance_id: String,
    /// `YYYY-MM-DD`.
    pub occurred_on: String,
    pub classification: i64,
    /// The countries concerned, separated by spaces.
    pub countries: String,
    pub notification_id: Option<String>,
    pub draft: String,
    pub created_by: String,
    pub created_at: i64,
}

forward! { &self Store;
    pub async fn precursor_incidents(limit: i64) -> Result<Vec<IncidentRow>>;
    pub async fn get_precursor_incident(id: &str) -> Result<Option<IncidentRow>>;
    pub async fn incidents_of_notification(notification_id: &str) -> Result<Vec<IncidentRow>>;
}

forward! { &mut self WriteTx;
    pub async fn insert_precursor_incident(row: &IncidentRow) -> Result<()>;
}
