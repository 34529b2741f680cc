//! Cross-matching in the server: an in-memory index (pamir-match) built from the store and kept
//! current from the outbox; matches stored and shown on both records; hit/no-hit; disclosure
//! requests; screening without storing.
//!
//! The index follows the outbox, so every change — from the API, the pages, an import or
//! another node — is matched the same way, in commit order, and a restart loses nothing: the
//! index is rebuilt from the records and matches are stored rows.

use pamir_domain::error::Reason;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::RwLock;

use pamir_domain::{
    access::{self, Access},
    audit::Action,
    event::Event,
    handling::HandlingCode,
    AgencyCode, Role,
};
/// Why two records match, as catalogue messages (the pages render them in their language).
pub use pamir_match::explain;
use pamir_match::{Index, Record, Scratch, SearchOptions, DEFAULT_THRESHOLD};
use pamir_store::{Disclosure, MatchRow, NewRecord, StoredRecord};
use serde_json::{json, Value};

use crate::{context::UserContext, App, AppError, AppResult};

/// Schemata the index holds.
pub const MATCHED_SCHEMATA: &[&str] = &[
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vehicle",
    "Vessel",
];
/// Most matches kept per record.
const TOP: usize = 20;
/// Outbox events read per round.
const EVENTS_PER_ROUND: i64 = 2_000;

/// The index and how far along the outbox it is.
pub struct MatchIndex {
    index: RwLock<Index>,
    /// The outbox sequence number the index and stored matches reflect.
    seq: AtomicI64,
    loaded: AtomicBool,
    /// One follower at a time: events must be applied in order.
    follow: tokio::sync::Mutex<()>,
    pub threshold: f32,
}

impl Default for MatchIndex {
    fn default() -> Self {
        MatchIndex::with_threshold(DEFAULT_THRESHOLD)
    }
}

impl MatchIndex {
    pub fn with_threshold(threshold: f32) -> MatchIndex {
        MatchIndex {
            index: RwLock::new(Index::new()),
            seq: AtomicI64::new(0),
            loaded: AtomicBool::new(false),
            follow: tokio::sync::Mutex::new(()),
            threshold,
        }
    }
}

/// What matching reads from a stored record.
pub fn match_record(record: &StoredRecord) -> Option<Record> {
    let props = &record.entity.properties;
    Record::from_properties(record.entity.schema.name, |p| {
        props
            .get(p)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    })
}

/// The other record of a match as the caller may see it.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchSide {
    /// The caller may read it: everything, with the reasons.
    Full {
        id: String,
        schema: String,
        caption: String,
        owner: String,
        /// The reasons in English.
        explanation: String,
        /// The reasons as catalogue messages, for pages in any language; empty for a match
        /// stored before they were kept (its English explanation stands).
        reasons: Vec<pamir_match::explain::Reason>,
    },
    /// The caller may only learn that it exists: owner, a reference, schema, strength.
    Hit {
        reference: String,
        schema: String,
        owner: String,
        /// The caller's agency's request for it, if any: `pending`, `approved`, `declined`.
        request: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatchView {
    /// The match's id, which is also the reference a hit is known by.
    pub id: String,
    pub score: f64,
    pub found_at: i64,
    /// The caller's record of the pair (absent when screening).
    pub record: Option<(String, String)>,
    pub other: MatchSide,
}

/// An entity to screen: FtM JSON without storing it.
pub struct ScreenInput {
    pub entity: Value,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Change {
    Created,
    Updated,
    Deleted,
}

/// A score as stored and shown: three decimals, without the noise of f32 → f64.
fn score(s: f32) -> f64 {
    (f64::from(s) * 1000.0).round() / 1000.0
}

fn sorted_pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Cross-matching as a service, reached as `app.matching()`: the index kept in step with the
/// outbox, a record's matches, hits, screening and disclosure requests.
#[derive(Clone, Copy)]
pub struct Matching<'a> {
    app: &'a App,
}

impl App {
    pub fn matching(&self) -> Matching<'_> {
        Matching { app: self }
    }
}

impl<'a> Matching<'a> {
    /// Builds the index from the records and catches up with the outbox. Called at start;
    /// everything that reads matches calls it too, so it happens once, whoever comes first.
    pub async fn start_matching(&self) -> AppResult<()> {
        if self.app.match_index.loaded.load(Ordering::Acquire) {
            return Ok(());
        }
        let _guard = self.app.match_index.follow.lock().await;
        if self.app.match_index.loaded.load(Ordering::Acquire) {
            return Ok(());
        }
        // The stored matches reflect the outbox up to the cursor; events after it are applied
        // (again, for those the records below already show: applying one twice is harmless,
        // missing one is not).
        let seq = self.app.store.matching_cursor().await?;
        let mut after = 0;
        let mut n = 0usize;
        loop {
            let page = self
                .app
                .store
                .records_after(after, 5_000, MATCHED_SCHEMATA)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.rid;
            let mut index = self.index_write();
            for r in &page {
                if let Some(m) = match_record(r) {
                    if index.insert(r.entity.id.as_str(), &m) {
                        n += 1;
                    }
                }
            }
        }
        self.index_write().shrink();
        self.app.match_index.seq.store(seq, Ordering::Release);
        self.app.match_index.loaded.store(true, Ordering::Release);
        tracing::info!(records = n, "matching index built");
        Ok(())
    }

    fn index_write(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.app
            .match_index
            .index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn index_read(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.app
            .match_index
            .index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies the outbox events the index has not seen: indexes created and changed records,
    /// matches them against all others and stores what is found (a change re-evaluates its
    /// matches), forgets deleted ones. Returns how many records were matched.
    pub async fn sync_matches(&self) -> AppResult<usize> {
        self.start_matching().await?;
        let _guard = self.app.match_index.follow.lock().await;
        let mut matched = 0;
        loop {
            let after = self.app.match_index.seq.load(Ordering::Acquire);
            let events = self.app.store.outbox_after(after, EVENTS_PER_ROUND).await?;
            let Some(last) = events.last().map(|e| e.seq) else {
                break;
            };
            // The latest event of each record decides what to do with it; a record only
            // created (not changed) in this round has no earlier matches to re-evaluate.
            let mut latest: BTreeMap<String, Change> = BTreeMap::new();
            for e in &events {
                let (record, change) = match Event::read(&e.kind, &e.payload) {
                    Some(Event::RecordCreated(r)) => (r.id, Change::Created),
                    Some(Event::RecordUpdated(r)) => (r.id, Change::Updated),
                    Some(Event::RecordDeleted(r)) => (r.id, Change::Deleted),
                    _ => continue,
                };
                let entry = latest.entry(record).or_insert(change);
                *entry = match (*entry, change) {
                    (_, Change::Deleted) => Change::Deleted,
                    (Change::Created, Change::Created) => Change::Created,
                    _ => Change::Updated,
                };
            }
            matched += self.apply(latest, last).await?;
            self.app.match_index.seq.store(last, Ordering::Release);
        }
        Ok(matched)
    }

    /// Before answering a read: catch up with the outbox, but wait at most a moment — after a
    /// big import the follower may have minutes of work, and pages must not wait for it (they
    /// show what is stored, and the rest appears as it is matched).
    async fn catch_up(&self) -> AppResult<()> {
        self.start_matching().await?;
        match tokio::time::timeout(std::time::Duration::from_secs(2), self.sync_matches()).await {
            Ok(result) => result.map(|_| ()),
            Err(_) => Ok(()),
        }
    }

    /// Matches without waiting when another task is already following the outbox (it will
    /// get to these events); used after single writes so pages show matches at once.
    pub async fn sync_matches_soon(&self) {
        if self.app.match_index.follow.try_lock().is_ok() {
            if let Err(e) = self.sync_matches().await {
                tracing::warn!("matching: {e}");
            }
        }
    }

    async fn apply(&self, latest: BTreeMap<String, Change>, upto: i64) -> AppResult<usize> {
        let live: Vec<String> = latest
            .iter()
            .filter(|(_, c)| **c != Change::Deleted)
            .map(|(id, _)| id.clone())
            .collect();
        let gone: Vec<String> = latest
            .iter()
            .filter(|(_, c)| **c == Change::Deleted)
            .map(|(id, _)| id.clone())
            .collect();
        let mut records: BTreeMap<String, StoredRecord> = BTreeMap::new();
        for r in self.app.store.get_records(&live).await? {
            records.insert(r.entity.id.to_string(), r);
        }
        // Index first (all of them), then search: records of one batch find each other.
        {
            let mut index = self.index_write();
            for id in &gone {
                index.remove(id);
            }
            for id in &live {
                match records.get(id).and_then(match_record) {
                    Some(m) => {
                        index.insert(id, &m);
                    }
                    None => {
                        index.remove(id);
                    }
                }
            }
        }
        let options = SearchOptions {
            top: TOP,
            threshold: self.app.match_index.threshold,
            exclude: None,
        };
        // Searching is CPU work on a shared, read-only index: a big round (an import) is
        // split over the machine's cores.
        let found: Vec<(String, Vec<pamir_match::Match>)> = {
            let guard = self.index_read();
            let index: &Index = &guard;
            let work: Vec<(&String, &StoredRecord)> = records.iter().collect();
            let search = |part: &[(&String, &StoredRecord)]| {
                let mut scratch = Scratch::default();
                part.iter()
                    .map(|(id, record)| {
                        let matches = match_record(record)
                            .and_then(|m| index.prepare(&m))
                            .map(|prepared| {
                                let options = SearchOptions {
                                    exclude: Some(id.as_str()),
                                    ..options
                                };
                                index.search(&prepared, &options, &mut scratch)
                            })
                            .unwrap_or_default();
                        ((*id).clone(), matches)
                    })
                    .collect::<Vec<_>>()
            };
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1);
            if work.len() < 64 || threads == 1 {
                search(&work)
            } else {
                let chunk = work.len().div_ceil(threads);
                std::thread::scope(|s| {
                    let handles: Vec<_> = work
                        .chunks(chunk)
                        .map(|part| s.spawn(move || search(part)))
                        .collect();
                    handles
                        .into_iter()
                        .flat_map(|h| h.join().unwrap_or_default())
                        .collect()
                })
            }
        };
        let others: Vec<String> = found
            .iter()
            .flat_map(|(_, ms)| ms.iter().map(|m| m.id.clone()))
            .filter(|id| !records.contains_key(id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for r in self.app.store.get_records(&others).await? {
            records.insert(r.entity.id.to_string(), r);
        }
        let now = self.app.clock.now_ms();
        let mut tx = self.app.store.begin().await?;
        for id in &gone {
            tx.delete_matches_of(id, &[]).await?;
        }
        let mut new_matches = Vec::new();
        for (id, matches) in &found {
            if latest.get(id) == Some(&Change::Updated) {
                let keep: Vec<String> = matches.iter().map(|m| m.id.clone()).collect();
                tx.delete_matches_of(id, &keep).await?;
            }
            let Some(this) = records.get(id) else {
                continue;
            };
            for m in matches {
                let Some(other) = records.get(&m.id) else {
                    continue;
                };
                let (a, b) = sorted_pair(id, &m.id);
                let (ra, rb) = if a == id {
                    (this, other)
                } else {
                    (other, this)
                };
                let row = MatchRow {
                    id: uuid::Uuid::now_v7().simple().to_string(),
                    a_id: a.to_string(),
                    b_id: b.to_string(),
                    a_owner: ra.meta.owner.to_string(),
                    b_owner: rb.meta.owner.to_string(),
                    schema: this.entity.schema.name.to_string(),
                    score: score(m.score),
                    explanation: m.explanation.clone(),
                    reasons: Some(pamir_match::explain::to_json(&m.reasons)),
                    found_at: now,
                    updated_at: now,
                };
                let (match_id, new) = tx.upsert_match(&row).await?;
                if new {
                    tx.emit(&crate::events::match_found(&match_id, &row)?)
                        .await?;
                    new_matches.push((match_id, row));
                }
            }
        }
        for (match_id, row) in &new_matches {
            tx.audit(
                &pamir_domain::audit::AuditDraft::new(
                    "system:matching",
                    "-",
                    Action::MatchFound,
                    match_id.as_str(),
                )
                .details(json!({
                    "a": row.a_id, "b": row.b_id, "a_owner": row.a_owner,
                    "b_owner": row.b_owner, "score": row.score
                })),
            )
            .await?;
        }
        tx.set_matching_cursor(upto).await?;
        tx.commit().await?;
        Ok(found.len())
    }

    /// The caller's agency's requests, read once per listing to mark hits already asked for.
    async fn own_requests(&self, ctx: &UserContext) -> AppResult<Vec<Disclosure>> {
        Ok(self
            .app
            .store
            .list_disclosures(None, Some(ctx.agency()), 10_000)
            .await?)
    }

    /// How one match looks to the caller from their record `mine`: `None` when they may not
    /// even learn of the other record. `requests` are [`App::own_requests`].
    fn view_match(
        ctx: &UserContext,
        requests: &[Disclosure],
        m: &MatchRow,
        mine: &StoredRecord,
        other: &StoredRecord,
    ) -> Option<MatchView> {
        let side = match access::decide(&ctx.subject, &other.meta) {
            Access::None => return None,
            Access::Full => MatchSide::Full {
                id: other.entity.id.to_string(),
                schema: other.entity.schema.name.to_string(),
                caption: other.caption.clone(),
                owner: other.meta.owner.to_string(),
                explanation: m.explanation.clone(),
                reasons: m
                    .reasons
                    .as_deref()
                    .and_then(pamir_match::explain::from_json)
                    .unwrap_or_default(),
            },
            Access::Hit => {
                let request = requests
                    .iter()
                    .find(|d| d.record_id == other.entity.id.as_str())
                    .map(|d| d.status.clone());
                MatchSide::Hit {
                    reference: m.id.clone(),
                    schema: other.entity.schema.name.to_string(),
                    owner: other.meta.owner.to_string(),
                    request,
                }
            }
        };
        Some(MatchView {
            id: m.id.clone(),
            score: m.score,
            found_at: m.found_at,
            record: Some((mine.entity.id.to_string(), mine.caption.clone())),
            other: side,
        })
    }

    /// Audits the hits a caller was shown: learning that a record exists is itself an access.
    async fn audit_hits(&self, ctx: &UserContext, views: &[MatchView], via: &str) -> AppResult<()> {
        let hits: Vec<&str> = views
            .iter()
            .filter(|v| matches!(v.other, MatchSide::Hit { .. }))
            .map(|v| v.id.as_str())
            .collect();
        // The other records shown in full (caption and explanation) are reads.
        let shown: Vec<&str> = views
            .iter()
            .filter_map(|v| match &v.other {
                MatchSide::Full { id, .. } => Some(id.as_str()),
                MatchSide::Hit { .. } => None,
            })
            .collect();
        let mut drafts = Vec::new();
        if !hits.is_empty() {
            drafts.push(
                ctx.draft(Action::RecordHit, via)
                    .details(json!({"matches": hits, "via": via})),
            );
        }
        if !shown.is_empty() {
            drafts.push(
                ctx.draft(Action::RecordRead, via)
                    .details(json!({"ids": shown, "via": "matches"})),
            );
        }
        self.app
            .store
            .audit_many(&drafts.iter().collect::<Vec<_>>())
            .await?;
        Ok(())
    }

    /// The matches of a record the caller may read in full, best first.
    pub async fn record_matches(&self, ctx: &UserContext, id: &str) -> AppResult<Vec<MatchView>> {
        self.catch_up().await?;
        let not_found = || AppError::NotFound(format!("record {id} not found"));
        let mine = self.app.store.get_record(id).await?.ok_or_else(not_found)?;
        match access::decide(&ctx.subject, &mine.meta) {
            Access::Full => {}
            // Whoever may know the record exists learns why; anyone else, that there is none.
            Access::Hit => {
                let e =
                    AppError::Forbidden("matches are shown only on records you may read".into());
                return Err(self.app.refused(ctx, "match.read", id, e).await);
            }
            Access::None => return Err(self.app.refused(ctx, "match.read", id, not_found()).await),
        }
        let rows = self.app.store.matches_of(id).await?;
        let others: Vec<String> = rows.iter().map(|m| m.other(id).0.to_string()).collect();
        let records = self.app.store.get_records(&others).await?;
        let requests = self.own_requests(ctx).await?;
        let mut out = Vec::new();
        for m in &rows {
            let (other_id, _) = m.other(id);
            let Some(other) = records.iter().find(|r| r.entity.id.as_str() == other_id) else {
                continue;
            };
            if let Some(v) = Self::view_match(ctx, &requests, m, &mine, other) {
                out.push(v);
            }
        }
        self.audit_hits(ctx, &out, id).await?;
        Ok(out)
    }

    /// The caller's inbox: matches touching records of their agency (a national focal point:
    /// of their country's agencies) that they may read, newest first.
    pub async fn hits(&self, ctx: &UserContext, limit: i64) -> AppResult<Vec<MatchView>> {
        self.catch_up().await?;
        let agencies = self.inbox_agencies(ctx).await?;
        let rows = self.app.store.matches_owned_by(&agencies, limit).await?;
        let out = self.inbox_views(ctx, &agencies, &rows).await?;
        self.audit_hits(ctx, &out, "inbox").await?;
        Ok(out)
    }

    /// The agencies whose matches reach the caller's inbox: theirs, or for a national focal
    /// point their country's.
    async fn inbox_agencies(&self, ctx: &UserContext) -> AppResult<Vec<String>> {
        Ok(if ctx.has(Role::NationalFocalPoint) {
            self.app
                .store
                .list_agencies()
                .await?
                .into_iter()
                .filter(|a| a.country == ctx.subject.country)
                .map(|a| a.code.to_string())
                .collect()
        } else {
            vec![ctx.agency().to_string()]
        })
    }

    /// How the inbox shows each match, leaving out those the caller may not know of.
    async fn inbox_views(
        &self,
        ctx: &UserContext,
        agencies: &[String],
        rows: &[MatchRow],
    ) -> AppResult<Vec<MatchView>> {
        let ids: Vec<String> = rows
            .iter()
            .flat_map(|m| [m.a_id.clone(), m.b_id.clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let records = self.app.store.get_records(&ids).await?;
        let find = |id: &str| records.iter().find(|r| r.entity.id.as_str() == id);
        let requests = self.own_requests(ctx).await?;
        let mut out = Vec::new();
        for m in rows {
            let (Some(a), Some(b)) = (find(&m.a_id), find(&m.b_id)) else {
                continue;
            };
            // The caller's side: a record of theirs they may read in full.
            let ours = |r: &StoredRecord| {
                agencies.iter().any(|x| x == r.meta.owner.as_str())
                    && access::decide(&ctx.subject, &r.meta) == Access::Full
            };
            let (mine, other) = if ours(a) {
                (a, b)
            } else if ours(b) {
                (b, a)
            } else {
                continue;
            };
            if let Some(v) = Self::view_match(ctx, &requests, m, mine, other) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Whether the caller's hits inbox shows match `id` now: a live `hit` event is sent only
    /// then, so that the stream never tells more than the pages.
    pub(crate) async fn match_in_inbox(&self, ctx: &UserContext, id: &str) -> AppResult<bool> {
        if !ctx.subject.reads_records() {
            return Ok(false);
        }
        let Some(m) = self.app.store.get_match(id).await? else {
            return Ok(false);
        };
        let agencies = self.inbox_agencies(ctx).await?;
        Ok(!self.inbox_views(ctx, &agencies, &[m]).await?.is_empty())
    }

    /// Screens an entity against everything without storing it: visible matches in full, the
    /// rest as hits. Audited with what was screened and what was found.
    pub async fn screen(&self, ctx: &UserContext, input: ScreenInput) -> AppResult<Vec<MatchView>> {
        if !ctx.subject.reads_records() {
            return Err(AppError::Forbidden(
                "your roles do not allow screening".into(),
            ));
        }
        self.catch_up().await?;
        let mut entity = input.entity;
        if entity.get("id").is_none() {
            if let Some(map) = entity.as_object_mut() {
                map.insert("id".into(), json!("screening"));
            }
        }
        // The same checks as a record submitted for storing: a mistyped date or an unknown
        // property is an error to show, not a silent "no match".
        if let Err(errors) = pamir_domain::entity::parse_entity(&entity, self.app.clock.today()) {
            return Err(AppError::Invalid(errors));
        }
        let (_, record) = Record::from_ftm_json(&entity).map_err(AppError::BadRequest)?;
        let record = record.ok_or_else(|| {
            AppError::invalid(
                "schema",
                Reason::coded(
                    "screening-schemata",
                    &[("allowed", &MATCHED_SCHEMATA.join(", "))],
                ),
            )
        })?;
        let found = {
            let index = self.index_read();
            let prepared = index.prepare(&record).ok_or_else(|| {
                AppError::invalid(
                    "properties",
                    Reason::coded("screening-nothing-to-match", &[]),
                )
            })?;
            let options = SearchOptions {
                top: TOP,
                threshold: self.app.match_index.threshold,
                exclude: None,
            };
            index.search(&prepared, &options, &mut Scratch::default())
        };
        let ids: Vec<String> = found.iter().map(|m| m.id.clone()).collect();
        let records = self.app.store.get_records(&ids).await?;
        let mut out = Vec::new();
        let mut references: Vec<(String, String)> = Vec::new();
        for m in found {
            let Some(other) = records.iter().find(|r| r.entity.id.as_str() == m.id) else {
                continue;
            };
            let side = match access::decide(&ctx.subject, &other.meta) {
                Access::None => continue,
                Access::Full => MatchSide::Full {
                    id: m.id.clone(),
                    schema: other.entity.schema.name.to_string(),
                    caption: other.caption.clone(),
                    owner: other.meta.owner.to_string(),
                    explanation: m.explanation.clone(),
                    reasons: m.reasons.clone(),
                },
                Access::Hit => {
                    // A screening stores no match: the hit gets an opaque reference of its own,
                    // valid for the caller's agency, so the record's id is never shown.
                    let reference = uuid::Uuid::now_v7().simple().to_string();
                    references.push((reference.clone(), m.id.clone()));
                    MatchSide::Hit {
                        reference,
                        schema: other.entity.schema.name.to_string(),
                        owner: other.meta.owner.to_string(),
                        request: None,
                    }
                }
            };
            let id = match &side {
                MatchSide::Hit { reference, .. } => reference.clone(),
                MatchSide::Full { id, .. } => id.clone(),
            };
            out.push(MatchView {
                id,
                score: score(m.score),
                found_at: self.app.clock.now_ms(),
                record: None,
                other: side,
            });
        }
        let schema = entity.get("schema").cloned().unwrap_or(Value::Null);
        let mut tx = self.app.store.begin().await?;
        for (reference, record) in &references {
            tx.insert_hit_reference(reference, record, ctx.agency())
                .await?;
        }
        tx.audit(&ctx.draft(Action::MatchScreen, "-").details(json!({
                "schema": schema,
                "found": out.iter().map(|v| json!({
                    "record": match &v.other { MatchSide::Full { id, .. } => id.clone(), MatchSide::Hit { reference, .. } => reference.clone() },
                    "hit": matches!(v.other, MatchSide::Hit { .. }),
                    "score": v.score,
                })).collect::<Vec<_>>(),
                "records": references.iter().map(|(r, id)| json!({"reference": r, "record": id})).collect::<Vec<_>>(),
            })))
            .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The record a hit reference points at, and the reference to keep with a request for it:
    /// a match id (the other side from the caller's view), a screening's reference, or a
    /// record id (nothing to keep: the caller knows it).
    async fn record_of_reference(
        &self,
        ctx: &UserContext,
        reference: &str,
    ) -> AppResult<(StoredRecord, Option<String>)> {
        let not_found = || AppError::NotFound(format!("no hit {reference}"));
        if let Some(m) = self.app.store.get_match(reference).await? {
            let ids = vec![m.a_id.clone(), m.b_id.clone()];
            let records = self.app.store.get_records(&ids).await?;
            // The side the caller cannot read is the one asked for.
            let record = records
                .into_iter()
                .find(|r| access::decide(&ctx.subject, &r.meta) == Access::Hit)
                .ok_or_else(not_found)?;
            return Ok((record, Some(m.id)));
        }
        // A screening's reference is kept as the request's handle, so that the requester never
        // needs the record's id (which can carry a name) before approval.
        let (id, handle) = match self
            .app
            .store
            .hit_reference(reference, ctx.agency())
            .await?
        {
            Some(id) => (id, Some(reference.to_string())),
            None => (reference.to_string(), None),
        };
        let record = self
            .app
            .store
            .get_record(&id)
            .await?
            .ok_or_else(not_found)?;
        Ok((record, handle))
    }

    /// Files a disclosure request for a record the caller knows only as a hit.
    pub async fn request_disclosure(
        &self,
        ctx: &UserContext,
        reference: &str,
        justification: &str,
    ) -> AppResult<Disclosure> {
        let justification = justification.trim();
        if justification.chars().count() < 10 {
            return Err(AppError::invalid(
                "justification",
                Reason::coded("disclosure-justification-short", &[]),
            ));
        }
        if justification.chars().count() > 4_000 {
            return Err(AppError::invalid(
                "justification",
                Reason::coded("disclosure-justification-long", &[]),
            ));
        }
        let (record, match_id) = self.record_of_reference(ctx, reference).await?;
        let id = record.entity.id.to_string();
        match access::decide(&ctx.subject, &record.meta) {
            Access::Full => {
                return Err(AppError::BadRequest(
                    "you may read this record already; there is nothing to request".into(),
                ))
            }
            Access::None => {
                let e = AppError::NotFound(format!("no hit {reference}"));
                return Err(self.app.refused(ctx, "disclosure.request", &id, e).await);
            }
            Access::Hit => {}
        }
        if let Some(pending) = self.app.store.pending_disclosure(&id, ctx.agency()).await? {
            return Err(AppError::AlreadyExists(format!(
                "a pending request from your agency ({})",
                pending.id
            )));
        }
        let d = Disclosure {
            id: uuid::Uuid::now_v7().simple().to_string(),
            record_id: id.clone(),
            owner_agency: record.meta.owner.to_string(),
            requester_agency: ctx.agency().to_string(),
            requester: ctx.username().to_string(),
            match_id,
            justification: justification.to_string(),
            status: "pending".into(),
            decided_by: None,
            decision_reason: None,
            added_codes: String::new(),
            created_at: self.app.clock.now_ms(),
            decided_at: None,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_disclosure(&d).await?;
        tx.emit(&crate::events::disclosure_requested(&d)?).await?;
        tx.audit(&ctx.draft(Action::DisclosureRequest, &id).details(json!({
            "request": d.id, "owner": d.owner_agency, "justification": d.justification
        })))
        .await?;
        tx.commit().await?;
        Ok(d)
    }

    /// Requests to the caller's agency (incoming) and from it (outgoing), newest first.
    pub async fn disclosures(
        &self,
        ctx: &UserContext,
    ) -> AppResult<(Vec<Disclosure>, Vec<Disclosure>)> {
        let incoming = self
            .app
            .store
            .list_disclosures(Some(ctx.agency()), None, 500)
            .await?;
        let outgoing = self
            .app
            .store
            .list_disclosures(None, Some(ctx.agency()), 500)
            .await?;
        Ok((incoming, outgoing))
    }

    /// The owner's decision. Approval adds the requesting agency to the record's dissemination
    /// (and any handling codes the owner adds), so every path — pages, API, search, export —
    /// lets that agency read it; a decline needs a reason. Audited, and the record's new
    /// version is written in the same transaction.
    pub async fn decide_disclosure(
        &self,
        ctx: &UserContext,
        id: &str,
        approve: bool,
        reason: Option<&str>,
        add_codes: &[HandlingCode],
    ) -> AppResult<Disclosure> {
        let not_found = || AppError::NotFound(format!("request {id} not found"));
        let mut d = self
            .app
            .store
            .get_disclosure(id)
            .await?
            .ok_or_else(not_found)?;
        if d.owner_agency != ctx.agency() {
            let e =
                AppError::Forbidden(format!("only the owner agency {} decides", d.owner_agency));
            return Err(self.app.refused(ctx, "disclosure.decide", id, e).await);
        }
        if d.status != "pending" {
            return Err(AppError::Conflict(format!(
                "the request was {} already",
                d.status
            )));
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if !approve && reason.is_none() {
            return Err(AppError::invalid(
                "reason",
                Reason::coded("disclosure-decline-reason", &[]),
            ));
        }
        let record = self
            .app
            .store
            .get_record(&d.record_id)
            .await?
            .ok_or_else(|| {
                AppError::NotFound(format!("record {} no longer exists", d.record_id))
            })?;
        let mut next_meta = record.meta.clone();
        if approve {
            let requester = AgencyCode::parse(&d.requester_agency)
                .map_err(|e| AppError::Internal(format!("stored agency code: {e}")))?;
            next_meta.dissemination.agencies.insert(requester);
            next_meta.handling_codes.extend(add_codes.iter().copied());
        }
        // The same modification check as every other change, against the stored metadata.
        if let Err(denied) = access::can_modify(&ctx.subject, &record.meta, Some(&next_meta)) {
            return Err(self
                .app
                .refused(ctx, "disclosure.decide", id, denied.into())
                .await);
        }
        d.status = if approve { "approved" } else { "declined" }.into();
        d.decided_by = Some(ctx.username().to_string());
        d.decision_reason = reason.map(str::to_string);
        d.added_codes = if approve {
            add_codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(",")
        } else {
            String::new()
        };
        d.decided_at = Some(self.app.clock.now_ms());
        let mut tx = self.app.store.begin().await?;
        tx.decide_disclosure(&d).await?;
        tx.emit(&crate::events::disclosure_decided(&d)?).await?;
        if approve {
            let mut details =
                crate::records::change_details(&record, &next_meta, &record.entity.properties);
            let next = NewRecord::new(record.entity.clone(), next_meta, ctx.username().to_string());
            let stored = tx.update_record(&next, record.version).await?;
            tx.emit(&crate::events::record_updated(&stored)).await?;
            details["version"] = json!(stored.version);
            details["disclosed_to"] = json!(d.requester_agency);
            details["request"] = json!(d.id);
            tx.audit(
                &ctx.draft(Action::RecordUpdate, &d.record_id)
                    .details(details),
            )
            .await?;
        }
        let action = if approve {
            Action::DisclosureApprove
        } else {
            Action::DisclosureDecline
        };
        tx.audit(&ctx.draft(action, &d.record_id).details(json!({
            "request": d.id, "requester": d.requester_agency,
            "reason": d.decision_reason, "added_codes": d.added_codes
        })))
        .await?;
        tx.commit().await?;
        Ok(d)
    }
}
