//! Matches, hit references and disclosure requests.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

/// A match between two records, stored once per pair (`a_id` < `b_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchRow {
    pub id: String,
    pub a_id: String,
    pub b_id: String,
    pub a_owner: String,
    pub b_owner: String,
    pub schema: String,
    pub score: f64,
    pub explanation: String,
    /// The reasons as catalogue messages (JSON); `None` for matches stored before they were.
    pub reasons: Option<String>,
    pub found_at: i64,
    pub updated_at: i64,
}

impl MatchRow {
    /// The other record of the pair, and its owner.
    pub fn other(&self, id: &str) -> (&str, &str) {
        if self.a_id == id {
            (&self.b_id, &self.b_owner)
        } else {
            (&self.a_id, &self.a_owner)
        }
    }
}

/// A request by one agency to read a record another agency owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub id: String,
    pub record_id: String,
    pub owner_agency: String,
    pub requester_agency: String,
    pub requester: String,
    pub match_id: Option<String>,
    pub justification: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    /// Handling codes the owner added on approval, comma-separated.
    pub added_codes: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

forward! { &self Store;
    pub async fn matching_cursor() -> Result<i64>;
    pub async fn matches_of(record_id: &str) -> Result<Vec<MatchRow>>;
    pub async fn matches_of_many(record_ids: &[String]) -> Result<Vec<MatchRow>>;
    pub async fn matches_owned_by(agencies: &[String], limit: i64) -> Result<Vec<MatchRow>>;
    pub async fn get_match(id: &str) -> Result<Option<MatchRow>>;
    pub async fn hit_reference(id: &str, agency: &str) -> Result<Option<String>>;
    pub async fn get_disclosure(id: &str) -> Result<Option<Disclosure>>;
    pub async fn list_disclosures(owner: Option<&str>, requester: Option<&str>, limit: i64) -> Result<Vec<Disclosure>>;
    pub async fn pending_disclosure(record_id: &str, requester_agency: &str) -> Result<Option<Disclosure>>;
}

forward! { &mut self WriteTx;
    pub async fn upsert_match(m: &MatchRow) -> Result<(String, bool)>;
    pub async fn set_matching_cursor(seq: i64) -> Result<()>;
    pub async fn insert_hit_reference(id: &str, record_id: &str, agency: &str) -> Result<()>;
    pub async fn delete_matches_of(record_id: &str, keep: &[String]) -> Result<u64>;
    pub async fn insert_disclosure(d: &Disclosure) -> Result<()>;
    pub async fn decide_disclosure(d: &Disclosure) -> Result<()>;
}
