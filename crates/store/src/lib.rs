//! Pamir's storage layer: the only crate that knows SQL.
//!
//! One API ([`Store`] for reads, [`WriteTx`] for writes) over two engines: SQLite (the embedded
//! default, WAL mode, one writer connection) and PostgreSQL. The SQL both engines share lives in
//! `sql/`, one file per capability, and is compiled once per engine; each engine implements
//! [`dialect::Dialect`] for what differs (full-text search, bulk inserts, locking settings).
//!
//! Invariants:
//! - Every write runs in a [`WriteTx`], which first takes the audit chain head. Writers are thus
//!   serialised, audit sequence numbers and outbox sequence numbers are assigned and committed in
//!   one order, and a change, its audit entry and its outbox event commit together or not at all.
//! - Listing and search take a [`FullAccessFilter`] (the domain's access rule as data) and state it
//!   in SQL; there is no listing without one.
//!
//! It must not know HTTP, sessions' cookies, or how access is decided (that is the domain's).

/// The SQL both engines share, one file per capability under `sql/`, compiled once inside each
/// engine's module (`sqlite.rs`, `postgres.rs`), whose differences are `dialect::Dialect`. A new
/// capability's SQL is a file there and a line here.
macro_rules! shared_sql {
    () => {
        include!("sql/base.rs");
        include!("sql/reference.rs");
        include!("sql/identity.rs");
        include!("sql/records.rs");
        include!("sql/audit.rs");
        include!("sql/events.rs");
        include!("sql/matching.rs");
        include!("sql/messaging.rs");
    };
}
pub(crate) use shared_sql;

mod dialect;
mod model;
mod postgres;
mod sqlite;
pub mod testing;

pub use model::*;
pub use pamir_domain::access::FullAccessFilter;

use pamir_domain::{
    audit::{AuditDraft, AuditEntry},
    message::{Addressing, Receipt, RecipientKind},
};

/// The outbox kinds the live event stream carries.
pub const LIVE_KINDS: &[&str] = pamir_domain::event::Event::KINDS;

/// Failures of the store, mapped by the application to what users see.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("version conflict: the record is now at version {current}")]
    Conflict { current: i64 },
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("the request was decided already")]
    AlreadyDecided,
    #[error("{0} refers to something that does not exist")]
    MissingReference(String),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Maps unique and foreign-key violations to typed errors: `duplicate` names what would be
/// there twice, `reference` what is referred to but missing.
fn classify(e: sqlx::Error, duplicate: &str, reference: &str) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return StoreError::Duplicate(duplicate.to_string())
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                return StoreError::MissingReference(reference.to_string())
            }
            _ => {}
        }
    }
    StoreError::Database(e)
}

/// The versioned migrations of each engine: (version, name, SQL). Both lists must name the
/// same versions in the same order.
pub fn migrations(engine: Engine) -> &'static [(i64, &'static str, &'static str)] {
    match engine {
        Engine::Sqlite => sqlite::MIGRATIONS,
        Engine::Postgres => postgres::MIGRATIONS,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Connection to the database, whichever engine it is.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Engine),
    Postgres(postgres::Engine),
}

/// A write transaction holding the audit chain head. Dropping it without `commit` rolls back.
pub enum WriteTx {
    Sqlite(sqlite::WriteTx),
    Postgres(postgres::WriteTx),
}

/// Writes methods that pass the call on to whichever engine is behind the enum.
macro_rules! forward {
    (@arms $enum:ident, $e:expr, $name:ident, $($arg:ident),*) => {
        match $e {
            $enum::Sqlite(e) => e.$name($($arg),*).await,
            $enum::Postgres(e) => e.$name($($arg),*).await,
        }
    };
    (&self $enum:ident; $(pub async fn $name:ident($($arg:ident : $ty:ty),*) -> $ret:ty;)*) => {
        impl $enum {
            $(pub async fn $name(&self $(, $arg: $ty)*) -> $ret { forward!(@arms $enum, self, $name, $($arg),*) })*
        }
    };
    (&mut self $enum:ident; $(pub async fn $name:ident($($arg:ident : $ty:ty),*) -> $ret:ty;)*) => {
        impl $enum {
            $(pub async fn $name(&mut self $(, $arg: $ty)*) -> $ret { forward!(@arms $enum, self, $name, $($arg),*) })*
        }
    };
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        match self {
            WriteTx::Sqlite(t) => t.commit().await,
            WriteTx::Postgres(t) => t.commit().await,
        }
    }
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating a SQLite file if needed.
    /// Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(sqlite::Engine::connect(url).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(postgres::Engine::connect(url, None).await?))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Connects to PostgreSQL with every table in `schema` (created if missing): how tests
    /// get a database of their own on a shared server.
    pub async fn connect_postgres_schema(url: &str, schema: &str) -> Result<Store> {
        Ok(Store::Postgres(
            postgres::Engine::connect(url, Some(schema)).await?,
        ))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Store::Sqlite(_) => Engine::Sqlite,
            Store::Postgres(_) => Engine::Postgres,
        }
    }

    /// Appends one audit entry in a transaction of its own (reads, searches, failed logins).
    pub async fn audit(&self, draft: &AuditDraft) -> Result<AuditEntry> {
        let mut tx = self.begin().await?;
        let entry = tx.audit(draft).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Appends several audit entries in one transaction (a read that shows several records).
    pub async fn audit_many(&self, drafts: &[&AuditDraft]) -> Result<()> {
        if drafts.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        tx.audit_many(drafts).await?;
        tx.commit().await
    }
}

/// Whether a connection coming back to its pool may be reused: not if it is still inside a
/// transaction. A request dropped mid-write (its client went away) can leave one open: sqlx 0.8
/// returns the connection still in `BEGIN IMMEDIATE` when the future is cancelled just after
/// SQLite acknowledged it, and every later write on the one writer then failed. A rollback
/// queued by a dropped transaction may still be on its way, so the connection first catches
/// up; a connection still in a transaction after that is closed, which rolls it back.
pub(crate) async fn no_transaction_left_open<C: sqlx::Connection>(
    conn: &mut C,
) -> std::result::Result<bool, sqlx::Error> {
    if conn.is_in_transaction() {
        conn.ping().await?;
    }
    Ok(!conn.is_in_transaction())
}

forward! { &self Store;
    pub async fn migrate() -> Result<Vec<(i64, &'static str)>>;
    pub async fn pending_migrations() -> Result<Vec<(i64, &'static str)>>;
    pub async fn ping() -> Result<()>;
    pub async fn close() -> Result<()>;
    pub async fn begin() -> Result<WriteTx>;
    pub async fn list_countries() -> Result<Vec<Country>>;
    pub async fn get_country(code: &str) -> Result<Option<Country>>;
    pub async fn list_agencies() -> Result<Vec<Agency>>;
    pub async fn get_agency(code: &str) -> Result<Option<Agency>>;
    pub async fn get_user(username: &str) -> Result<Option<User>>;
    pub async fn list_users(country: Option<&str>) -> Result<Vec<User>>;
    pub async fn agency_users(agency: &str) -> Result<Vec<User>>;
    pub async fn find_session(token_hash: &str) -> Result<Option<Session>>;
    pub async fn find_session_user(token_hash: &str) -> Result<Option<(Session, User, Option<pamir_domain::CountryStatus>)>>;
    pub async fn touch_session(id: &str, at: i64) -> Result<()>;
    pub async fn list_sessions(username: &str) -> Result<Vec<Session>>;
    pub async fn get_session(id: &str) -> Result<Option<Session>>;
    pub async fn get_record(id: &str) -> Result<Option<StoredRecord>>;
    pub async fn get_records(ids: &[String]) -> Result<Vec<StoredRecord>>;
    pub async fn list_records(filter: &FullAccessFilter, query: &RecordQuery) -> Result<Vec<StoredRecord>>;
    pub async fn count_records(filter: &FullAccessFilter) -> Result<Vec<(String, i64)>>;
    pub async fn links_of(record_id: &str) -> Result<Vec<Link>>;
    pub async fn get_link(id: &str) -> Result<Option<Link>>;
    pub async fn list_audit(query: &AuditQuery) -> Result<Vec<AuditEntry>>;
    pub async fn audit_page(after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    pub async fn chain_head() -> Result<(i64, String)>;
    pub async fn outbox_after(seq: i64, limit: i64) -> Result<Vec<OutboxEvent>>;
    pub async fn node_id() -> Result<Option<String>>;
    pub async fn outbox_last_seq() -> Result<i64>;
    pub async fn matching_cursor() -> Result<i64>;
    pub async fn records_after(after_rid: i64, limit: i64, schemata: &[&str]) -> Result<Vec<StoredRecord>>;
    pub async fn matches_of(record_id: &str) -> Result<Vec<MatchRow>>;
    pub async fn matches_owned_by(agencies: &[String], limit: i64) -> Result<Vec<MatchRow>>;
    pub async fn get_match(id: &str) -> Result<Option<MatchRow>>;
    pub async fn hit_reference(id: &str, agency: &str) -> Result<Option<String>>;
    pub async fn get_disclosure(id: &str) -> Result<Option<Disclosure>>;
    pub async fn list_disclosures(owner: Option<&str>, requester: Option<&str>, limit: i64) -> Result<Vec<Disclosure>>;
    pub async fn pending_disclosure(record_id: &str, requester_agency: &str) -> Result<Option<Disclosure>>;
    pub async fn outbox_count() -> Result<i64>;
    pub async fn get_message(id: &str) -> Result<Option<StoredMessage>>;
    pub async fn thread(thread_id: &str, limit: i64) -> Result<Vec<StoredMessage>>;
    pub async fn list_messages(q: &MessageQuery) -> Result<Vec<StoredMessage>>;
    pub async fn unread_count(v: &MessageViewer) -> Result<i64>;
    pub async fn overdue(now: i64, limit: i64) -> Result<Vec<Overdue>>;
    pub async fn outbox_kinds_after(seq: i64, kinds: &[&str], limit: i64) -> Result<Vec<OutboxEvent>>;
    pub async fn get_attachment(id: &str) -> Result<Option<Attachment>>;
    pub async fn attachments_of(message_id: &str) -> Result<Vec<Attachment>>;
    pub async fn attachments_after(after_id: &str, limit: i64) -> Result<Vec<Attachment>>;
    pub async fn unattached_before(before: i64, limit: i64) -> Result<Vec<Attachment>>;
    pub async fn pending_uploads(username: &str) -> Result<i64>;
}

forward! { &mut self WriteTx;
    pub async fn audit(draft: &AuditDraft) -> Result<AuditEntry>;
    pub async fn emit(event: &pamir_domain::event::Event) -> Result<i64>;
    pub async fn claim_node_id(node: &str) -> Result<String>;
    pub async fn emit_all(events: &[pamir_domain::event::Event]) -> Result<()>;
    pub async fn upsert_country(c: &Country) -> Result<()>;
    pub async fn insert_country(c: &Country) -> Result<()>;
    pub async fn insert_agency(a: &Agency) -> Result<()>;
    pub async fn insert_user(u: &User) -> Result<()>;
    pub async fn set_user_profile(u: &User) -> Result<()>;
    pub async fn set_user_disabled(username: &str, disabled: bool) -> Result<()>;
    pub async fn set_user_password(username: &str, password_hash: &str) -> Result<()>;
    pub async fn set_user_totp(username: &str, secret: &str) -> Result<()>;
    pub async fn count_login_failure(username: &str, threshold: i64, lock_until: i64) -> Result<Option<i64>>;
    pub async fn record_login_success(username: &str, checked_hash: &str, totp_step: Option<i64>, now: i64) -> Result<bool>;
    pub async fn records_in_tx(ids: &[String]) -> Result<Vec<StoredRecord>>;
    pub async fn insert_session(s: &Session) -> Result<()>;
    pub async fn revoke_session(id: &str, at: i64) -> Result<bool>;
    pub async fn revoke_user_sessions(username: &str, at: i64) -> Result<u64>;
    pub async fn insert_record(r: &NewRecord) -> Result<StoredRecord>;
    pub async fn insert_records(batch: &[NewRecord]) -> Result<u64>;
    pub async fn existing_ids(ids: &[String]) -> Result<Vec<ExistingId>>;
    pub async fn update_record(r: &NewRecord, expected_version: i64) -> Result<StoredRecord>;
    pub async fn delete_record(id: &str, expected_version: Option<i64>) -> Result<StoredRecord>;
    pub async fn insert_link(l: &Link) -> Result<()>;
    pub async fn delete_link(id: &str) -> Result<()>;
    pub async fn upsert_match(m: &MatchRow) -> Result<(String, bool)>;
    pub async fn set_matching_cursor(seq: i64) -> Result<()>;
    pub async fn insert_hit_reference(id: &str, record_id: &str, agency: &str) -> Result<()>;
    pub async fn delete_matches_of(record_id: &str, keep: &[String]) -> Result<u64>;
    pub async fn insert_disclosure(d: &Disclosure) -> Result<()>;
    pub async fn decide_disclosure(d: &Disclosure) -> Result<()>;
    pub async fn insert_messages(batch: &[(NewMessage, AuditDraft)]) -> Result<Vec<i64>>;
    pub async fn audit_many(drafts: &[&AuditDraft]) -> Result<Vec<AuditEntry>>;
    pub async fn mark_delivered(items: &[(String, RecipientKind, String)]) -> Result<Vec<usize>>;
    pub async fn set_receipt(message_id: &str, kind: RecipientKind, code: &str, state: Receipt, by: &str) -> Result<bool>;
    pub async fn escalate(message_id: &str, kind: RecipientKind, code: &str, country: &str, addressing: &Addressing) -> Result<bool>;
    pub async fn insert_attachment(a: &Attachment) -> Result<()>;
    pub async fn delete_unattached(id: &str) -> Result<bool>;
    pub async fn rewrap_attachment(id: &str, old_key_id: &str, key_id: &str, wrapped_key: &str) -> Result<bool>;
}
