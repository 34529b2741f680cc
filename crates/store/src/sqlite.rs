//! The SQLite engine: the embedded default. WAL mode, foreign keys on, a busy timeout; one
//! writer connection (SQLite has one writer anyway) and a pool of readers.

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Db = sqlx::Sqlite;

pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "matching",
        include_str!("../migrations/sqlite/0002_matching.sql"),
    ),
    (
        3,
        "messaging",
        include_str!("../migrations/sqlite/0003_messaging.sql"),
    ),
    (
        4,
        "origin",
        include_str!("../migrations/sqlite/0004_origin.sql"),
    ),
    (
        5,
        "match_reasons",
        include_str!("../migrations/sqlite/0005_match_reasons.sql"),
    ),
    (
        6,
        "names",
        include_str!("../migrations/sqlite/0006_names.sql"),
    ),
    (
        7,
        "operations",
        include_str!("../migrations/sqlite/0007_operations.sql"),
    ),
    (
        8,
        "operation_tasks",
        include_str!("../migrations/sqlite/0008_operation_tasks.sql"),
    ),
    (
        9,
        "deliveries",
        include_str!("../migrations/sqlite/0009_deliveries.sql"),
    ),
    (
        10,
        "outbox_subject",
        include_str!("../migrations/sqlite/0010_outbox_subject.sql"),
    ),
    (
        11,
        "operation_results",
        include_str!("../migrations/sqlite/0011_operation_results.sql"),
    ),
    (
        12,
        "operation_scope",
        include_str!("../migrations/sqlite/0012_operation_scope.sql"),
    ),
    (
        13,
        "operation_messages",
        include_str!("../migrations/sqlite/0013_operation_messages.sql"),
    ),
    (
        14,
        "delivery_authorisations",
        include_str!("../migrations/sqlite/0014_delivery_authorisations.sql"),
    ),
    (
        15,
        "task_reminders",
        include_str!("../migrations/sqlite/0015_task_reminders.sql"),
    ),
    (
        16,
        "seizure_facts",
        include_str!("../migrations/sqlite/0016_seizure_facts.sql"),
    ),
    (
        17,
        "seizure_scopes",
        include_str!("../migrations/sqlite/0017_seizure_scopes.sql"),
    ),
    (
        18,
        "seizure_months",
        include_str!("../migrations/sqlite/0018_seizure_months.sql"),
    ),
    (
        19,
        "substances",
        include_str!("../migrations/sqlite/0019_substances.sql"),
    ),
    (
        20,
        "detections",
        include_str!("../migrations/sqlite/0020_detections.sql"),
    ),
    (
        21,
        "pre_export_notifications",
        include_str!("../migrations/sqlite/0021_pre_export_notifications.sql"),
    ),
    (
        22,
        "precursor_incidents",
        include_str!("../migrations/sqlite/0022_precursor_incidents.sql"),
    ),
    (
        23,
        "risk_communications",
        include_str!("../migrations/sqlite/0023_risk_communications.sql"),
    ),
    (
        24,
        "detection_notes",
        include_str!("../migrations/sqlite/0024_detection_notes.sql"),
    ),
    (
        25,
        "pre_export_overdue",
        include_str!("../migrations/sqlite/0025_pre_export_overdue.sql"),
    ),
];

#[derive(Clone)]
pub struct Engine {
    read: sqlx::Pool<Db>,
    write: sqlx::Pool<Db>,
}

pub struct WriteTx {
    tx: sqlx::Transaction<'static, Db>,
    seq: i64,
    hash: String,
    now: i64,
    dirty: bool,
    bulk: bool,
}

impl Engine {
    pub async fn connect(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        // The writer gets a larger page cache (32 MiB): bulk imports update several B-trees.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(120))
            .after_release(|conn, _| Box::pin(crate::no_transaction_left_open(conn)))
            .connect_with(opts.clone().pragma("cache_size", "-32768"))
            .await?;
        let readers = std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(2)
            .max(4);
        let read = SqlitePoolOptions::new()
            .max_connections(readers)
            .connect_with(opts)
            .await?;
        Ok(Engine { read, write })
    }

    /// `BEGIN IMMEDIATE` takes SQLite's write lock at once, so a transaction never fails
    /// half-way when it turns from reading to writing.
    pub async fn begin(&self) -> Result<crate::WriteTx> {
        let mut tx = self.write.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query("SELECT audit_seq, audit_hash FROM chain_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        use sqlx::Row;
        Ok(crate::WriteTx::Sqlite(WriteTx {
            seq: row.try_get("audit_seq")?,
            hash: row.try_get("audit_hash")?,
            tx,
            now: now_ms(),
            dirty: false,
            bulk: false,
        }))
    }
}

/// `("a"* OR "b"*) AND ("c"*)`: every term, any of its spellings, as a prefix.
fn fts_expr(terms: &[Vec<String>]) -> String {
    terms
        .iter()
        .map(|term| {
            format!(
                "({})",
                term.iter()
                    .map(|t| format!("\"{t}\"*"))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

impl crate::dialect::Dialect for Engine {
    type Db = Db;

    fn push_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, terms: &[Vec<String>]) {
        qb.push("r.rid IN (SELECT rowid FROM record_fts WHERE record_fts MATCH ")
            .push_bind(fts_expr(terms))
            .push(")");
    }

    fn push_message_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, terms: &[Vec<String>]) {
        qb.push("m.mid IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ")
            .push_bind(fts_expr(terms))
            .push(")");
    }

    /// Records per multi-row statement: 18 parameters a row, under SQLite's 32,766.
    const INSERT_CHUNK: usize = 1_000;

    /// Inserts record rows in one multi-row statement and returns their rids in order. Inside our
    /// exclusive transaction SQLite gives each new row the largest rowid plus one, so the batch's rids
    /// are the consecutive run ending at `last_insert_rowid()`. (Asking for them with RETURNING would
    /// send every row back through the driver's thread, one by one.)
    async fn insert_record_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        rows: &[crate::dialect::RecordValues<'_>],
        actors: &[&str],
        now: i64,
        _want_rids: bool,
    ) -> Result<Vec<i64>, sqlx::Error> {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO records (id, schema, properties, caption, owner_agency, owner_country, classification, \
             all_members, scope_countries, scope_agencies, handling_codes, evaluation, version, created_at, \
             updated_at, created_by, updated_by, search_text, scope_operations) ",
        );
        qb.push_values(rows.iter().zip(actors), |mut b, (v, actor)| {
            b.push_bind(v.id)
                .push_bind(v.schema)
                .push_bind(v.properties)
                .push_bind(v.caption)
                .push_bind(v.owner_agency)
                .push_bind(v.owner_country.as_str())
                .push_bind(v.classification)
                .push_bind(v.all_members)
                .push_bind(v.scope_countries.as_str())
                .push_bind(v.scope_agencies.as_str())
                .push_bind(v.handling_codes.as_str())
                .push_bind(v.evaluation.as_deref())
                .push_bind(1i64)
                .push_bind(now)
                .push_bind(now)
                .push_bind(*actor)
                .push_bind(*actor)
                .push_bind(v.search_text)
                .push_bind(v.scope_operations.as_str());
        });
        qb.build().execute(&mut **tx).await?;
        let last: i64 = sqlx::query_scalar("SELECT last_insert_rowid()")
            .fetch_one(&mut **tx)
            .await?;
        let first = last - rows.len() as i64 + 1;
        Ok((first..=last).collect())
    }

    /// The full-text index is a separate table keyed by rid: every insert needs its rid.
    const NEEDS_RIDS_FOR_SEARCH: bool = true;

    /// The outbox events of new records are written by the caller, with `insert_outbox_rows`.
    const WRITES_CREATED_EVENTS: bool = false;

    /// Nothing to set for bulk writes: the writer connection always has a large page cache.
    async fn bulk_settings(_tx: &mut sqlx::Transaction<'static, Db>) -> Result<(), sqlx::Error> {
        Ok(())
    }

    async fn finish_bulk(_tx: &mut sqlx::Transaction<'static, Db>) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Appends one outbox event of `kind` per (subject, payload).
    async fn insert_outbox_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        kind: &str,
        events: &[(String, String)],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        for chunk in events.chunks(Self::INSERT_CHUNK) {
            let mut qb =
                sqlx::QueryBuilder::<Db>::new("INSERT INTO outbox (at, kind, subject, payload) ");
            qb.push_values(chunk, |mut b, (subject, payload)| {
                b.push_bind(now)
                    .push_bind(kind.to_string())
                    .push_bind(subject.clone())
                    .push_bind(payload.clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    async fn existing_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        ids: &[String],
    ) -> Result<Vec<<Db as sqlx::Database>::Row>, sqlx::Error> {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT id, owner_agency, version FROM records WHERE id IN (",
        );
        let mut sep = qb.separated(", ");
        for id in ids {
            sep.push_bind(id.as_str());
        }
        qb.push(")");
        qb.build().fetch_all(&mut **tx).await
    }

    async fn fts_index(
        tx: &mut sqlx::Transaction<'static, Db>,
        rows: &[(i64, String)],
    ) -> Result<()> {
        for chunk in rows.chunks(BATCH_ROWS * 2) {
            let mut qb =
                sqlx::QueryBuilder::<Db>::new("INSERT INTO record_fts (rowid, search_text) ");
            qb.push_values(chunk, |mut b, (rid, text)| {
                b.push_bind(*rid).push_bind(text.clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }

    async fn fts_unindex(tx: &mut sqlx::Transaction<'static, Db>, rid: i64) -> Result<()> {
        sqlx::query("DELETE FROM record_fts WHERE rowid = $1")
            .bind(rid)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn message_fts_index_many(
        tx: &mut sqlx::Transaction<'static, Db>,
        rows: &[(i64, String)],
    ) -> Result<()> {
        for chunk in rows.chunks(400) {
            let mut qb =
                sqlx::QueryBuilder::<Db>::new("INSERT INTO message_fts (rowid, search_text) ");
            qb.push_values(chunk, |mut b, (mid, text)| {
                b.push_bind(*mid).push_bind(text.clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        Ok(())
    }
}

crate::shared_sql!();
