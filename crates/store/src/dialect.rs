//! What differs between the two engines, as a trait each engine implements: the SQL shared by
//! both (`sql/*.rs`, `include!`d by `sqlite.rs` and `postgres.rs` through `shared_sql!`) calls only
//! these and portable SQL with `$N` placeholders, which both accept. A dialect that lacks an
//! item or gets its signature wrong does not compile.

use pamir_domain::{
    event::{Event, RecordRef},
    AgencyCode, RecordMeta,
};

use crate::NewRecord;

pub(crate) trait Dialect {
    type Db: sqlx::Database;

    /// Records per multi-row insert statement.
    const INSERT_CHUNK: usize;
    /// Whether indexing a record for search needs its rid (a separate index table).
    const NEEDS_RIDS_FOR_SEARCH: bool;
    /// Whether `insert_record_rows` writes the new records' `record.created` events itself.
    const WRITES_CREATED_EVENTS: bool;

    /// Appends the condition that a record's text matches every term (any of its spellings).
    fn push_text_filter(qb: &mut sqlx::QueryBuilder<'_, Self::Db>, terms: &[Vec<String>]);
    /// The same for a message's text.
    fn push_message_text_filter(qb: &mut sqlx::QueryBuilder<'_, Self::Db>, terms: &[Vec<String>]);

    /// Inserts record rows; returns their rids in order when `want_rids` (or always, where the
    /// dialect gets them for free).
    async fn insert_record_rows(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        rows: &[RecordValues<'_>],
        actors: &[&str],
        now: i64,
        want_rids: bool,
    ) -> Result<Vec<i64>, sqlx::Error>;
    /// Settings for a transaction that writes many records.
    async fn bulk_settings(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
    ) -> Result<(), sqlx::Error>;
    /// What a bulk transaction does before it commits.
    async fn finish_bulk(tx: &mut sqlx::Transaction<'static, Self::Db>) -> Result<(), sqlx::Error>;
    /// Appends one outbox event of `kind` per (subject, payload).
    async fn insert_outbox_rows(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        kind: &str,
        events: &[(String, String)],
        now: i64,
    ) -> Result<(), sqlx::Error>;
    /// `id, owner_agency, version` of the records with these ids that exist.
    async fn existing_rows(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        ids: &[String],
    ) -> Result<Vec<<Self::Db as sqlx::Database>::Row>, sqlx::Error>;
    /// Indexes records' search text by rid.
    async fn fts_index(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        rows: &[(i64, String)],
    ) -> crate::Result<()>;
    /// Removes a record from the search index.
    async fn fts_unindex(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        rid: i64,
    ) -> crate::Result<()>;
    /// Indexes messages' search text by mid.
    async fn message_fts_index_many(
        tx: &mut sqlx::Transaction<'static, Self::Db>,
        rows: &[(i64, String)],
    ) -> crate::Result<()>;
}

/// Columns of a record row as values to bind, borrowed from the record where they can be.
pub(crate) struct RecordValues<'a> {
    pub id: &'a str,
    pub schema: &'static str,
    pub properties: &'a str,
    pub caption: &'a str,
    pub owner_agency: &'a str,
    pub owner: &'a AgencyCode,
    pub owner_country: String,
    pub classification: i64,
    pub all_members: i64,
    pub scope_countries: String,
    pub scope_agencies: String,
    pub scope_operations: String,
    pub handling_codes: String,
    pub evaluation: Option<String>,
    pub search_text: &'a str,
}

impl<'a> RecordValues<'a> {
    pub fn of(r: &'a NewRecord) -> Self {
        let m = &r.meta;
        Self {
            id: r.entity.id.as_str(),
            schema: r.entity.schema.name,
            properties: &r.properties_json,
            caption: &r.caption,
            owner_agency: m.owner.as_str(),
            owner: &m.owner,
            owner_country: m.owner.country().as_str().to_string(),
            classification: m.classification.level(),
            all_members: i64::from(m.dissemination.all_members),
            scope_countries: join_codes(&m.dissemination.countries),
            scope_agencies: join_codes(&m.dissemination.agencies),
            scope_operations: join_codes(&m.dissemination.operations),
            handling_codes: join_codes(&m.handling_codes),
            evaluation: m.evaluation.map(|e| e.code()),
            search_text: &r.search_text,
        }
    }

    pub fn scope_rows(meta: &RecordMeta) -> Vec<(&'static str, String)> {
        let d = &meta.dissemination;
        d.countries
            .iter()
            .map(|c| ("c", c.as_str().to_string()))
            .chain(d.agencies.iter().map(|a| ("a", a.as_str().to_string())))
            .chain(d.operations.iter().map(|o| ("o", o.clone())))
            .collect()
    }
}

/// The outbox payload of a new record: thin, so that consumers fetch what they may see.
pub(crate) fn created_payload(v: &RecordValues<'_>) -> String {
    Event::RecordCreated(RecordRef {
        id: v.id.to_string(),
        schema: v.schema.to_string(),
        owner: v.owner.clone(),
        version: 1,
    })
    .payload()
    .to_string()
}

pub(crate) fn join_codes<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
