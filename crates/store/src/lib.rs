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

/// The SQL both engines share — `sql_base.rs` and each capability's `<capability>/sql.rs` —
/// compiled once inside each engine's module (`sqlite.rs`, `postgres.rs`), whose differences are
/// `dialect::Dialect`. A new capability's SQL is a file in its folder and a line here.
macro_rules! shared_sql {
    () => {
        include!("sql_base.rs");
        include!("reference/sql.rs");
        include!("identity/sql.rs");
        include!("records/sql.rs");
        include!("audit/sql.rs");
        include!("events/sql.rs");
        include!("matching/sql.rs");
        include!("messaging/sql.rs");
        include!("operations/sql.rs");
        include!("analysis/sql.rs");
        include!("substances/sql.rs");
        include!("detections/sql.rs");
        include!("pre_exports/sql.rs");
        include!("precursor_incidents/sql.rs");
        include!("risk_communications/sql.rs");
    };
}
pub(crate) use shared_sql;

mod dialect;
mod postgres;
mod sqlite;
pub mod testing;

pub use pamir_domain::access::FullAccessFilter;

use pamir_domain::audit::{AuditDraft, AuditEntry};

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

// One folder per capability: its row types and methods here, its SQL in `sql.rs`. A new
// capability is a folder, a line below and a line in `shared_sql!`.
mod analysis;
mod audit;
mod detections;
mod events;
mod identity;
mod matching;
mod messaging;
mod operations;
mod pre_exports;
mod precursor_incidents;
mod records;
mod reference;
mod risk_communications;
mod substances;
pub use audit::*;
pub use detections::*;
pub use events::*;
pub use identity::*;
pub use matching::*;
pub use messaging::*;
pub use operations::*;
pub use pre_exports::*;
pub use precursor_incidents::*;
pub use records::*;
pub use reference::*;
pub use risk_communications::*;
pub use substances::*;

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
}

forward! { &mut self WriteTx;

}
