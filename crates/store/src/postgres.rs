//! The PostgreSQL engine, chosen by a `postgres://` URL. Full-text search uses a generated
//! `tsvector` column; writers serialise on the chain head row (`SELECT … FOR UPDATE`).

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, Executor,
};

pub type Db = sqlx::Postgres;

pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "init",
    include_str!("../migrations/postgres/0001_init.sql"),
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
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Self> {
        let mut opts = PgConnectOptions::from_str(url)?;
        if let Some(schema) = schema {
            if schema.is_empty()
                || !schema
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(StoreError::UnsupportedUrl(format!(
                    "schema name {schema:?}"
                )));
            }
            let mut conn = sqlx::PgConnection::connect_with(&opts).await?;
            conn.execute(format!("CREATE SCHEMA IF NOT EXISTS {schema}").as_str())
                .await?;
            conn.close().await?;
            opts = opts.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(120))
            .connect_with(opts)
            .await?;
        Ok(Engine {
            read: pool.clone(),
            write: pool,
        })
    }

    pub async fn begin(&self) -> Result<crate::WriteTx> {
        let mut tx = self.write.begin().await?;
        let row =
            sqlx::query("SELECT audit_seq, audit_hash FROM chain_head WHERE id = 1 FOR UPDATE")
                .fetch_one(&mut *tx)
                .await?;
        use sqlx::Row;
        Ok(crate::WriteTx::Postgres(WriteTx {
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
        .map(|t| format!("{t}:*"))
        .collect::<Vec<_>>()
        .join(" & ");
    qb.push("r.tsv @@ to_tsquery('simple', ")
        .push_bind(expr)
        .push(")");
}

/// The `tsv` column is generated from `search_text`: nothing to do.
async fn fts_index(
    _tx: &mut sqlx::Transaction<'static, Db>,
    _rows: &[(i64, String)],
) -> Result<()> {
    Ok(())
}

async fn fts_unindex(_tx: &mut sqlx::Transaction<'static, Db>, _rid: i64) -> Result<()> {
    Ok(())
}

include!("common.rs");
