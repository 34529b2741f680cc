//! The audit trail and its hash chain.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;
use pamir_domain::audit::{AuditDraft, AuditEntry};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub agency: Option<String>,
    /// Unix ms bounds, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub before: Option<i64>,
    pub limit: i64,
}

forward! { &self Store;
    pub async fn list_audit(query: &AuditQuery) -> Result<Vec<AuditEntry>>;
    pub async fn audit_page(after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    pub async fn chain_head() -> Result<(i64, String)>;
}

forward! { &mut self WriteTx;
    pub async fn audit(draft: &AuditDraft) -> Result<AuditEntry>;
    pub async fn audit_many(drafts: &[&AuditDraft]) -> Result<Vec<AuditEntry>>;
}
