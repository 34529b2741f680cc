//! Messages, recipients' delivery states and attachments.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use std::collections::BTreeSet;

use pamir_domain::{
    handling::HandlingCode,
    message::{Addressing, Priority, RecipientKind},
    Classification,
};

use crate::*;
use pamir_domain::audit::AuditDraft;
use pamir_domain::message::Receipt;

/// A message to store, with its recipients. See `pamir_domain::message` for the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub id: String,
    pub thread_id: String,
    pub parent_id: Option<String>,
    /// `new`, `reply` or `forward`.
    pub relation: String,
    pub channel: Option<String>,
    pub sender: String,
    pub sender_agency: String,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub classification: Classification,
    pub handling_codes: BTreeSet<HandlingCode>,
    pub links: Vec<String>,
    pub addressing: Addressing,
    pub created_at: i64,
    pub ack_due_at: Option<i64>,
    pub search_text: String,
    pub recipients: Vec<(RecipientKind, String)>,
    /// Attachments uploaded beforehand, now bound to this message.
    pub attachments: Vec<String>,
}

/// A stored message with the state of each recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    pub mid: i64,
    pub id: String,
    pub thread_id: String,
    pub parent_id: Option<String>,
    pub relation: String,
    pub channel: Option<String>,
    pub sender: String,
    pub sender_agency: String,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub classification: Classification,
    pub handling_codes: BTreeSet<HandlingCode>,
    pub links: Vec<String>,
    pub addressing: Addressing,
    pub created_at: i64,
    pub ack_due_at: Option<i64>,
    pub recipients: Vec<RecipientState>,
}

/// One recipient of a message and how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientState {
    pub kind: RecipientKind,
    pub code: String,
    pub delivered_at: Option<i64>,
    pub read_at: Option<i64>,
    pub read_by: Option<String>,
    pub acked_at: Option<i64>,
    pub acked_by: Option<String>,
    pub escalated_at: Option<i64>,
}

/// Whose messages a listing shows: the viewer's side of the access rule, stated in SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageViewer {
    pub agency: String,
    pub country: String,
    pub focal_point: bool,
    pub blo_officer: bool,
    pub clearance: Classification,
    /// The operations the viewer's agency takes part in (messages addressed to them).
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Folder {
    /// Addressed to the viewer's agency (or country, or channel).
    #[default]
    Inbox,
    /// Sent by the viewer's agency.
    Sent,
    /// Either.
    All,
}

/// A listing or search over the messages a viewer may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageQuery {
    pub viewer: MessageViewer,
    pub folder: Folder,
    /// Only this BLO channel's messages (membership is checked by the caller).
    pub channel: Option<String>,
    pub terms: Vec<Vec<String>>,
    pub priority: Option<Priority>,
    /// A username or an agency code.
    pub sender: Option<String>,
    /// Only messages linking to this record, case or operation.
    pub link: Option<String>,
    /// Unix ms bounds, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub unread_only: bool,
    /// Keyset pagination: only messages with `mid` below this.
    pub before: Option<i64>,
    pub limit: i64,
}

/// A recipient whose acknowledgement is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub message_id: String,
    pub kind: RecipientKind,
    pub code: String,
    pub ack_due_at: i64,
}

/// An attachment's stored description; its bytes live encrypted in the attachment folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub message_id: Option<String>,
    pub owner_agency: String,
    pub uploaded_by: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub key_id: String,
    pub wrapped_key: String,
    pub created_at: i64,
}

forward! { &self Store;
    pub async fn get_message(id: &str) -> Result<Option<StoredMessage>>;
    pub async fn thread(thread_id: &str, limit: i64) -> Result<Vec<StoredMessage>>;
    pub async fn list_messages(q: &MessageQuery) -> Result<Vec<StoredMessage>>;
    pub async fn unread_count(v: &MessageViewer) -> Result<i64>;
    pub async fn overdue(now: i64, limit: i64) -> Result<Vec<Overdue>>;
    pub async fn get_attachment(id: &str) -> Result<Option<Attachment>>;
    pub async fn attachments_of(message_id: &str) -> Result<Vec<Attachment>>;
    pub async fn attachments_after(after_id: &str, limit: i64) -> Result<Vec<Attachment>>;
    pub async fn unattached_before(before: i64, limit: i64) -> Result<Vec<Attachment>>;
    pub async fn pending_uploads(username: &str) -> Result<i64>;
}

forward! { &mut self WriteTx;
    pub async fn insert_messages(batch: &[(NewMessage, AuditDraft)]) -> Result<Vec<i64>>;
    pub async fn mark_delivered(items: &[(String, RecipientKind, String)]) -> Result<Vec<usize>>;
    pub async fn set_receipt(message_id: &str, kind: RecipientKind, code: &str, state: Receipt, by: &str) -> Result<bool>;
    pub async fn escalate(message_id: &str, kind: RecipientKind, code: &str, country: &str, addressing: &Addressing) -> Result<bool>;
    pub async fn insert_attachment(a: &Attachment) -> Result<()>;
    pub async fn delete_unattached(id: &str) -> Result<bool>;
    pub async fn rewrap_attachment(id: &str, old_key_id: &str, key_id: &str, wrapped_key: &str) -> Result<bool>;
}
