// SQL shared by both engines: this file (imports, helpers, migrations) and one file per capability
// beside it, all `include!`d by `crate::shared_sql!` into `sqlite.rs` and `postgres.rs`. Each
// engine defines `Db`, `Engine` (with `Engine::begin`) and `WriteTx`, and implements
// `crate::dialect::Dialect` for `Engine`: what differs between the engines is called through that
// trait (`Engine::fts_index`, `Engine::INSERT_CHUNK`, …), so the compiler checks each engine has it.
// Placeholders are written `$N`, which both engines accept.

use std::collections::BTreeSet;

use pamir_domain::{
    access::FullAccessFilter,
    audit::{AuditDraft, AuditEntry},
    entity::{self, Entity, EntityId},
    event::Event,
    handling::HandlingCode,
    link::LinkKind,
    meta::{Dissemination, Evaluation},
    names::Names,
    operation,
    schema, AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, RecordMeta, Role, Username,
};
use sqlx::{QueryBuilder, Row};

use crate::dialect::{created_payload, join_codes, Dialect, RecordValues};

use crate::{
    classify, now_ms, Agency, AuditQuery, Country, Disclosure, ExistingId, Link, MatchRow, NewRecord, OutboxEvent,
    RecordQuery, Result, Session, SessionKind, StoreError, StoredRecord, User,
};

type DbRow = <Db as sqlx::Database>::Row;

/// Rows per multi-row INSERT: under both engines' limits on bound parameters.
const BATCH_ROWS: usize = 400;

/// Search terms with every spelling reduced to letters and digits, so no query syntax can reach
/// the engine; empty spellings and terms are dropped.
fn clean_terms(terms: &[Vec<String>]) -> Vec<Vec<String>> {
    terms
        .iter()
        .map(|term| {
            term.iter()
                .map(|t| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|term| !term.is_empty())
        .collect()
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn split_codes(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').filter(|c| !c.is_empty())
}

impl Engine {
    pub async fn migrate(&self) -> Result<Vec<(i64, &'static str)>> {
        self.bootstrap().await?;
        let applied = self.applied_migrations().await?;
        let mut done = Vec::new();
        for (version, name, sql) in MIGRATIONS {
            if applied.contains(version) {
                continue;
            }
            let mut tx = self.write.begin().await?;
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            if *name == "seizure_months" {
                backfill_seizure_facts(&mut tx).await?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(*version)
                .bind(*name)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, name, "applied migration");
            done.push((*version, *name));
        }
        Ok(done)
    }

    pub async fn pending_migrations(&self) -> Result<Vec<(i64, &'static str)>> {
        self.bootstrap().await?;
        let applied = self.applied_migrations().await?;
        Ok(MIGRATIONS.iter().filter(|(v, _, _)| !applied.contains(v)).map(|(v, n, _)| (*v, *n)).collect())
    }

    async fn bootstrap(&self) -> Result<()> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn applied_migrations(&self) -> Result<BTreeSet<i64>> {
        let rows = sqlx::query("SELECT version FROM schema_migrations").fetch_all(&self.read).await?;
        rows.iter().map(|r| r.try_get::<i64, _>("version").map_err(StoreError::from)).collect()
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) -> Result<()> {
        self.write.close().await;
        self.read.close().await;
        Ok(())
    }
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<()> {
        if self.bulk {
            Engine::finish_bulk(&mut self.tx).await?;
        }
        if self.dirty {
            sqlx::query("UPDATE chain_head SET audit_seq = $1, audit_hash = $2 WHERE id = 1")
                .bind(self.seq)
                .bind(&self.hash)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}
