//! The SQLite engine: the embedded default. WAL mode, foreign keys on, a busy timeout; one
//! writer connection (SQLite has one writer anyway) and a pool of readers.

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub type Db = sqlx::Sqlite;

pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "init",
    include_str!("../migrations/sqlite/0001_init.sql"),
)];

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
        }))
    }
}

fn push_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, tokens: &[String]) {
    let expr = clean_tokens(tokens)
        .iter()
        .map(|t| format!("\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" AND ");
    qb.push("r.rid IN (SELECT rowid FROM record_fts WHERE record_fts MATCH ")
        .push_bind(expr)
        .push(")");
}

async fn fts_index(tx: &mut sqlx::Transaction<'static, Db>, rows: &[(i64, String)]) -> Result<()> {
    for chunk in rows.chunks(BATCH_ROWS * 2) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO record_fts (rowid, search_text) ");
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

include!("common.rs");
