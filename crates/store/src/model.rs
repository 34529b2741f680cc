//! What the store holds and returns: plain rows in domain types, no SQL.

use std::collections::BTreeSet;

use pamir_domain::{
    entity::Entity,
    handling::HandlingCode,
    link::LinkKind,
    message::{Addressing, Priority, RecipientKind},
    names::Names,
    AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, RecordMeta, Role, Username,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Country {
    pub code: CountryCode,
    /// Its name in each language it has one in; English always.
    pub names: Names,
    pub status: CountryStatus,
}

impl Country {
    /// The name in `lang`; English where the row has none in that language.
    pub fn name(&self, lang: pamir_domain::schema::Lang) -> &str {
        self.names.get(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Agency {
    pub code: AgencyCode,
    pub country: CountryCode,
    pub kind: AgencyKind,
    /// Its name in each language it has one in; English always.
    pub names: Names,
}

impl Agency {
    /// The name in `lang`; English where the row has none in that language.
    pub fn name(&self, lang: pamir_domain::schema::Lang) -> &str {
        self.names.get(lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: Username,
    pub display_name: String,
    pub agency: AgencyCode,
    pub roles: BTreeSet<Role>,
    pub clearance: Classification,
    /// Argon2id PHC string.
    pub password_hash: pamir_domain::secret::Secret,
    /// Base32 TOTP secret, when the user has enrolled a second factor.
    pub totp_secret: Option<pamir_domain::secret::Secret>,
    /// The last TOTP time step accepted, so that a code cannot be replayed.
    pub totp_last_step: Option<i64>,
    pub language: Option<String>,
    pub disabled: bool,
    pub failed_logins: i64,
    /// Unix ms until which logins are refused after repeated failures.
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A browser or API login; expires when idle.
    Web,
    /// A long-lived bearer token for a national system; lives until revoked or expired.
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Public handle used to list and revoke; never the secret.
    pub id: String,
    /// SHA-256 of the bearer secret.
    pub token_hash: String,
    pub username: Username,
    pub kind: SessionKind,
    pub label: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: i64,
    pub revoked_at: Option<i64>,
}

/// Never prints the form token (it guards the session's forms) or the bearer secret's hash.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("kind", &self.kind)
            .field("label", &self.label)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_used_at", &self.last_used_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

/// A record as stored: content, protective metadata, version and provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub rid: i64,
    pub entity: Entity,
    pub meta: RecordMeta,
    pub caption: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub created_by: String,
    pub updated_by: String,
}

/// A record to write: validated content and metadata, and who writes it. Build it with
/// [`NewRecord::new`], which derives the stored caption, search text and property JSON once —
/// in whichever thread builds it (an import derives them while the database writes the previous
/// batch). Change the entity's id freely; change its properties only before building.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    pub entity: Entity,
    pub meta: RecordMeta,
    pub actor: String,
    pub(crate) caption: String,
    pub(crate) search_text: String,
    pub(crate) properties_json: String,
}

impl NewRecord {
    pub fn new(entity: Entity, meta: RecordMeta, actor: impl Into<String>) -> NewRecord {
        let caption = entity.caption();
        let search_text = entity.search_text();
        // A map of strings to lists of strings always serialises.
        let properties_json =
            serde_json::to_string(&entity.properties).unwrap_or_else(|_| "{}".into());
        NewRecord {
            entity,
            meta,
            actor: actor.into(),
            caption,
            search_text,
            properties_json,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub kind: LinkKind,
    pub source: String,
    pub target: String,
    pub role: Option<String>,
    pub owner: AgencyCode,
    pub created_by: String,
    pub created_at: i64,
}

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

/// A listing or search over records. The access filter is not optional: see `Store::list_records`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordQuery {
    pub schema: Option<String>,
    /// Search terms (`pamir_domain::text::query_terms`): a record matches when, for every term,
    /// one of its tokens starts with one of the term's spellings.
    pub terms: Vec<Vec<String>>,
    pub owner_country: Option<CountryCode>,
    pub owner_agency: Option<AgencyCode>,
    pub classification: Option<Classification>,
    /// Keyset pagination: only records with `rid` below this.
    pub before: Option<i64>,
    pub limit: i64,
}

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

/// The outcome of checking ids of an import batch against what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingId {
    pub id: String,
    pub owner: AgencyCode,
    pub version: i64,
}

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
