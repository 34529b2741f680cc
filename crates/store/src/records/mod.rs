//! Records with their scope rows, search index and links.
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use pamir_domain::{
    entity::Entity, link::LinkKind, AgencyCode, Classification, CountryCode, RecordMeta,
};

use crate::*;
use pamir_domain::access::FullAccessFilter;

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

/// The outcome of checking ids of an import batch against what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingId {
    pub id: String,
    pub owner: AgencyCode,
    pub version: i64,
}

forward! { &self Store;
    pub async fn get_record(id: &str) -> Result<Option<StoredRecord>>;
    pub async fn get_records(ids: &[String]) -> Result<Vec<StoredRecord>>;
    pub async fn list_records(filter: &FullAccessFilter, query: &RecordQuery) -> Result<Vec<StoredRecord>>;
    pub async fn count_records(filter: &FullAccessFilter) -> Result<Vec<(String, i64)>>;
    pub async fn links_of(record_id: &str) -> Result<Vec<Link>>;
    pub async fn links_of_many(record_ids: &[String]) -> Result<Vec<Link>>;
    pub async fn get_link(id: &str) -> Result<Option<Link>>;
    pub async fn records_after(after_rid: i64, limit: i64, schemata: &[&str]) -> Result<Vec<StoredRecord>>;
}

forward! { &mut self WriteTx;
    pub async fn records_in_tx(ids: &[String]) -> Result<Vec<StoredRecord>>;
    pub async fn insert_record(r: &NewRecord) -> Result<StoredRecord>;
    pub async fn insert_records(batch: &[NewRecord]) -> Result<u64>;
    pub async fn existing_ids(ids: &[String]) -> Result<Vec<ExistingId>>;
    pub async fn update_record(r: &NewRecord, expected_version: i64) -> Result<StoredRecord>;
    pub async fn delete_record(id: &str, expected_version: Option<i64>) -> Result<StoredRecord>;
    pub async fn insert_link(l: &Link) -> Result<()>;
    pub async fn insert_links(links: &[Link]) -> Result<()>;
    pub async fn delete_link(id: &str) -> Result<()>;
}
