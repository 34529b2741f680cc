//! The PostgreSQL engine, chosen by a `postgres://` URL. Full-text search uses a generated
//! `tsvector` column; writers serialise on the chain head row (`SELECT … FOR UPDATE`).

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, Executor,
};

pub type Db = sqlx::Postgres;

pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "matching",
        include_str!("../migrations/postgres/0002_matching.sql"),
    ),
    (
        3,
        "messaging",
        include_str!("../migrations/postgres/0003_messaging.sql"),
    ),
    (
        4,
        "origin",
        include_str!("../migrations/postgres/0004_origin.sql"),
    ),
    (
        5,
        "match_reasons",
        include_str!("../migrations/postgres/0005_match_reasons.sql"),
    ),
    (
        6,
        "names",
        include_str!("../migrations/postgres/0006_names.sql"),
    ),
    (
        7,
        "operations",
        include_str!("../migrations/postgres/0007_operations.sql"),
    ),
    (
        8,
        "operation_tasks",
        include_str!("../migrations/postgres/0008_operation_tasks.sql"),
    ),
    (
        9,
        "deliveries",
        include_str!("../migrations/postgres/0009_deliveries.sql"),
    ),
    (
        10,
        "outbox_subject",
        include_str!("../migrations/postgres/0010_outbox_subject.sql"),
    ),
    (
        11,
        "operation_results",
        include_str!("../migrations/postgres/0011_operation_results.sql"),
    ),
    (
        12,
        "operation_scope",
        include_str!("../migrations/postgres/0012_operation_scope.sql"),
    ),
    (
        13,
        "operation_messages",
        include_str!("../migrations/postgres/0013_operation_messages.sql"),
    ),
    (
        14,
        "delivery_authorisations",
        include_str!("../migrations/postgres/0014_delivery_authorisations.sql"),
    ),
    (
        15,
        "task_reminders",
        include_str!("../migrations/postgres/0015_task_reminders.sql"),
    ),
    (
        16,
        "seizure_facts",
        include_str!("../migrations/postgres/0016_seizure_facts.sql"),
    ),
    (
        17,
        "seizure_scopes",
        include_str!("../migrations/postgres/0017_seizure_scopes.sql"),
    ),
    (
        18,
        "seizure_months",
        include_str!("../migrations/postgres/0018_seizure_months.sql"),
    ),
    (
        19,
        "substances",
        include_str!("../migrations/postgres/0019_substances.sql"),
    ),
    (
        20,
        "detections",
        include_str!("../migrations/postgres/0020_detections.sql"),
    ),
    (
        21,
        "pre_export_notifications",
        include_str!("../migrations/postgres/0021_pre_export_notifications.sql"),
    ),
    (
        22,
        "precursor_incidents",
        include_str!("../migrations/postgres/0022_precursor_incidents.sql"),
    ),
    (
        23,
        "risk_communications",
        include_str!("../migrations/postgres/0023_risk_communications.sql"),
    ),
    (
        24,
        "detection_notes",
        include_str!("../migrations/postgres/0024_detection_notes.sql"),
    ),
    (
        25,
        "pre_export_overdue",
        include_str!("../migrations/postgres/0025_pre_export_overdue.sql"),
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
            .after_release(|conn, _| Box::pin(crate::no_transaction_left_open(conn)))
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
            bulk: false,
        }))
    }
}

/// `('a':* | 'b':*) & ('c':*)`: every term, any of its spellings, as a prefix. The column holds
/// Pamir's own tokens as lexemes and the query names them as a tsquery literal, so PostgreSQL's
/// text parser never re-splits either side.
fn tsquery(terms: &[Vec<String>]) -> String {
    terms
        .iter()
        .map(|term| {
            format!(
                "({})",
                term.iter()
                    .map(|t| format!("'{t}':*"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

impl crate::dialect::Dialect for Engine {
    type Db = Db;

    fn push_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, terms: &[Vec<String>]) {
        qb.push("r.tsv @@ ")
            .push_bind(tsquery(terms))
            .push("::tsquery");
    }

    fn push_message_text_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, terms: &[Vec<String>]) {
        qb.push("m.tsv @@ ")
            .push_bind(tsquery(terms))
            .push("::tsquery");
    }

    /// Records per statement: arrays have no parameter limit, and fewer, larger statements cost the
    /// server less.
    const INSERT_CHUNK: usize = 2_000;

    /// Inserts record rows with one array parameter per column (`UNNEST`), and their
    /// `record.created` outbox events in the same statement. Returns the rows' rids in order when
    /// `want_rids` (the caller has scope rows to write), else nothing: sending 2,000 rows back costs.
    async fn insert_record_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        rows: &[crate::dialect::RecordValues<'_>],
        actors: &[&str],
        now: i64,
        want_rids: bool,
    ) -> Result<Vec<i64>, sqlx::Error> {
        use sqlx::Row;
        let col = |f: for<'r> fn(&'r RecordValues<'_>) -> &'r str| {
            rows.iter().map(f).collect::<Vec<&str>>()
        };
        let sql = format!(
            "WITH ins AS (INSERT INTO records (id, schema, properties, caption, owner_agency, owner_country, classification, \
             all_members, scope_countries, scope_agencies, handling_codes, evaluation, version, created_at, updated_at, \
             created_by, updated_by, search_text, scope_operations) \
             SELECT u.id, u.schema, u.properties, u.caption, u.owner_agency, u.owner_country, u.classification, u.all_members, \
             u.scope_countries, u.scope_agencies, u.handling_codes, u.evaluation, 1, $15, $15, u.actor, u.actor, u.search_text, \
             u.scope_operations \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[], \
             $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $17::text[]) WITH ORDINALITY \
             AS u(id, schema, properties, caption, owner_agency, owner_country, classification, all_members, \
             scope_countries, scope_agencies, handling_codes, evaluation, actor, search_text, scope_operations, n) ORDER BY u.n \
             RETURNING rid, id, schema, owner_agency), \
             events AS (INSERT INTO outbox (at, kind, subject, payload) \
             SELECT $15, 'record.created', ins.id, p.payload FROM ins \
             JOIN UNNEST($1::text[], $16::text[]) AS p(id, payload) ON p.id = ins.id ORDER BY ins.rid) \
             SELECT rid, id FROM ins {}",
            if want_rids { "" } else { "WHERE false" }
        );
        let result = sqlx::query(&sql)
            .bind(col(|v| v.id))
            .bind(col(|v| v.schema))
            .bind(col(|v| v.properties))
            .bind(col(|v| v.caption))
            .bind(col(|v| v.owner_agency))
            .bind(col(|v| v.owner_country.as_str()))
            .bind(rows.iter().map(|v| v.classification).collect::<Vec<i64>>())
            .bind(rows.iter().map(|v| v.all_members).collect::<Vec<i64>>())
            .bind(col(|v| v.scope_countries.as_str()))
            .bind(col(|v| v.scope_agencies.as_str()))
            .bind(col(|v| v.handling_codes.as_str()))
            .bind(
                rows.iter()
                    .map(|v| v.evaluation.as_deref())
                    .collect::<Vec<Option<&str>>>(),
            )
            .bind(actors)
            .bind(col(|v| v.search_text))
            .bind(now)
            .bind(rows.iter().map(created_payload).collect::<Vec<String>>())
            .bind(col(|v| v.scope_operations.as_str()))
            .fetch_all(&mut **tx)
            .await?;
        if !want_rids {
            return Ok(Vec::new());
        }
        let mut by_id = std::collections::HashMap::with_capacity(result.len());
        for row in &result {
            by_id.insert(
                row.try_get::<String, _>("id")?,
                row.try_get::<i64, _>("rid")?,
            );
        }
        rows.iter()
            .map(|v| {
                by_id
                    .get(v.id)
                    .copied()
                    .ok_or_else(|| sqlx::Error::Protocol(format!("no rid returned for {}", v.id)))
            })
            .collect()
    }

    /// The full-text column is part of the row: rids are needed only for scope rows.
    const NEEDS_RIDS_FOR_SEARCH: bool = false;

    /// The outbox events of new records are written by `insert_record_rows`.
    const WRITES_CREATED_EVENTS: bool = true;

    /// Settings for a transaction that writes many records: the full-text index's pending list may
    /// grow to 64 MiB between merges instead of 4 MiB; what is left is merged before commit
    /// ([`finish_bulk`]).
    async fn bulk_settings(tx: &mut sqlx::Transaction<'static, Db>) -> Result<(), sqlx::Error> {
        sqlx::query("SET LOCAL gin_pending_list_limit = '64MB'")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Merges the pending list before commit, so that neither the next writer nor searches pay for
    /// the bulk write.
    async fn finish_bulk(tx: &mut sqlx::Transaction<'static, Db>) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT gin_clean_pending_list('records_tsv'::regclass)")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Appends one outbox event of `kind` per (subject, payload).
    async fn insert_outbox_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        kind: &str,
        events: &[(String, String)],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO outbox (at, kind, subject, payload) SELECT $1, $2, u.subject, u.payload FROM UNNEST($3::text[], $4::text[]) AS u(subject, payload)")
            .bind(now)
            .bind(kind)
            .bind(events.iter().map(|(s, _)| s.as_str()).collect::<Vec<&str>>())
            .bind(events.iter().map(|(_, p)| p.as_str()).collect::<Vec<&str>>())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    async fn existing_rows(
        tx: &mut sqlx::Transaction<'static, Db>,
        ids: &[String],
    ) -> Result<Vec<<Db as sqlx::Database>::Row>, sqlx::Error> {
        sqlx::query("SELECT id, owner_agency, version FROM records WHERE id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut **tx)
            .await
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

    async fn message_fts_index_many(
        _tx: &mut sqlx::Transaction<'static, Db>,
        _rows: &[(i64, String)],
    ) -> Result<()> {
        Ok(())
    }
}

crate::shared_sql!();
