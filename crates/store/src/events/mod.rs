//! The outbox of typed events and the node identity.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use crate::*;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutboxEvent {
    /// This node's sequence number: the order every consumer here follows.
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub subject: String,
    pub payload: serde_json::Value,
    /// The node the event comes from; `None` for this node.
    pub origin: Option<String>,
    /// Its number in its origin's sequence (this node's: `seq`).
    pub origin_seq: i64,
}

forward! { &self Store;
    pub async fn outbox_after(seq: i64, limit: i64) -> Result<Vec<OutboxEvent>>;
    pub async fn node_id() -> Result<Option<String>>;
    pub async fn outbox_last_seq() -> Result<i64>;
    pub async fn outbox_count() -> Result<i64>;
    pub async fn outbox_kinds_after(seq: i64, kinds: &[&str], limit: i64) -> Result<Vec<OutboxEvent>>;
    pub async fn outbox_of_subject(subject: &str, limit: i64) -> Result<Vec<OutboxEvent>>;
}

forward! { &mut self WriteTx;
    pub async fn emit(event: &pamir_domain::event::Event) -> Result<i64>;
    pub async fn claim_node_id(node: &str) -> Result<String>;
    pub async fn emit_all(events: &[pamir_domain::event::Event]) -> Result<()>;
}
