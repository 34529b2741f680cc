//! Risk communications.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// A risk communication as stored: the columns access and lists are decided on, and the whole
/// communication as the domain's draft JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskRow {
    pub id: String,
    pub substance_id: String,
    pub issuer: String,
    pub classification: i64,
    /// Observer country codes separated by spaces.
    pub observers: String,
    /// `issued` or `retracted`.
    pub status: String,
    pub version: i64,
    pub draft: String,
    /// Why it was retracted (empty while it stands).
    pub retraction: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

forward! { &self Store;
    pub async fn risk_communications(substance_id: Option<&str>, limit: i64) -> Result<Vec<RiskRow>>;
    pub async fn get_risk_communication(id: &str) -> Result<Option<RiskRow>>;
}

forward! { &mut self WriteTx;
    pub async fn insert_risk_communication(row: &RiskRow) -> Result<()>;
    pub async fn update_risk_communication(row: &RiskRow, seen_version: i64) -> Result<bool>;
}
