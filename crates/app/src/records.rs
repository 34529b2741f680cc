//! The records service: submit, read, change, delete, search and link records. Every path that
//! returns a record decides access with `pamir_domain::access::decide`; every change goes through
//! the owner's rights (`can_create`, `can_modify`) and into the audit trail with its outbox event.

use std::collections::BTreeSet;

use pamir_domain::{
    access::{self, Access},
    audit::Action,
    entity::{self, Entity, EntityId},
    error::Reason,
    link::LinkKind,
    meta::MetaInput,
    schema, text, AgencyCode, Classification, CountryCode, RecordMeta, ValidationErrors,
};
use pamir_store::{Link, NewRecord, RecordQuery, StoredRecord};
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, UserContext};

/// A record as submitted: content and the metadata the submitter chose.
#[derive(Debug, Clone)]
pub struct RecordInput {
    pub id: Option<EntityId>,
    pub entity: Entity,
    pub meta: MetaInput,
}

/// Parses `{"id"?, "schema", "properties", "meta"}`, naming every bad field. Fields are named
/// under `prefix` when the record is part of a larger body (e.g. `records[2].`).
pub fn parse_record_input(
    body: &Value,
    today: chrono::NaiveDate,
    prefix: &str,
) -> Result<RecordInput, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let Some(obj) = body.as_object() else {
        return Err(ValidationErrors::single(
            prefix.trim_end_matches('.'),
            Reason::coded("entity-not-object", &[]),
        ));
    };
    for key in obj.keys() {
        if !["id", "schema", "properties", "meta"].contains(&key.as_str()) {
            errors.push(
                format!("{prefix}{key}"),
                Reason::coded("field-unknown", &[]),
            );
        }
    }
    let entity = match entity::parse_entity(body, today) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.0.extend(e.0.into_iter().map(|mut f| {
                f.field = format!("{prefix}{}", f.field);
                f
            }));
            None
        }
    };
    let meta = match obj.get("meta") {
        None | Some(Value::Null) => {
            errors.push(format!("{prefix}meta"), Reason::coded("meta-required", &[]));
            None
        }
        Some(m) => match MetaInput::parse(m, &format!("{prefix}meta")) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.extend(e);
                None
            }
        },
    };
    match (entity, meta) {
        (Some((id, entity)), Some(meta)) if errors.is_empty() => {
            Ok(RecordInput { id, entity, meta })
        }
        _ => Err(errors),
    }
}

/// What a caller may know of a record.
#[derive(Debug, Clone)]
pub enum RecordAccess {
    Full {
        record: Box<StoredRecord>,
        links: Vec<LinkView>,
    },
    /// Existence and owner only, never content.
    Hit {
        id: String,
        schema: String,
        owner: AgencyCode,
    },
}

#[derive(Debug, Clone)]
pub struct LinkView {
    pub link: Link,
    /// True when the viewed record is the link's source.
    pub outgoing: bool,
    pub other_id: String,
    pub other_schema: String,
    pub other_caption: String,
}

/// The parameters of a listing or search, as the API's query string and the search page both
/// carry them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub schema: Option<String>,
    pub country: Option<String>,
    pub agency: Option<String>,
    pub classification: Option<String>,
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<StoredRecord>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next: Option<i64>,
}

/// A link to create between records of a bundle (by index) or existing records (by id).
#[derive(Debug, Clone)]
pub struct LinkInput {
    pub kind: LinkKind,
    pub source: String,
    pub target: String,
    pub role: Option<String>,
}

pub fn meta_json(m: &RecordMeta) -> Value {
    json!({
        "owner": m.owner,
        "classification": m.classification,
        "dissemination": m.dissemination,
        "handling_codes": m.handling_codes,
        "evaluation": m.evaluation.map(|e| e.code()),
    })
}

/// What a change did to a record, for its audit entry: which properties changed (names, not
/// values: the trail must not copy content) and the metadata before and after where it moved.
pub fn change_details(
    old: &StoredRecord,
    new: &RecordMeta,
    properties: &pamir_domain::entity::Properties,
) -> Value {
    let changed: Vec<&str> = old
        .entity
        .properties
        .keys()
        .chain(properties.keys())
        .filter(|k| old.entity.properties.get(*k) != properties.get(*k))
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut d = json!({"from_version": old.version, "properties": changed});
    let o = &old.meta;
    if o.classification != new.classification {
        d["classification"] = json!({"from": o.classification, "to": new.classification});
    }
    if o.dissemination != new.dissemination {
        d["dissemination"] = json!({"from": o.dissemination, "to": new.dissemination});
    }
    if o.handling_codes != new.handling_codes {
        d["handling_codes"] = json!({"from": o.handling_codes, "to": new.handling_codes});
    }
    if o.evaluation != new.evaluation {
        d["evaluation"] =
            json!({"from": o.evaluation.map(|e| e.code()), "to": new.evaluation.map(|e| e.code())});
    }
    d
}

/// Records as a service, reached as `app.records()`: create (one or a bundle with links), read
/// (in full or as a hit), change, delete, search and count records, and link them.
#[derive(Clone, Copy)]
pub struct Records<'a> {
    app: &'a App,
}

impl App {
    pub fn records(&self) -> Records<'_> {
        Records { app: self }
    }
}

impl<'a> Records<'a> {
    /// Checks that the agencies a dissemination names are registered.
    /// Checks that the agencies each dissemination names are registered; `prefix` names the
    /// record in field paths (`records[2].`). The agency list is read once, and only if needed.
    async fn check_scope(&self, metas: &[(&MetaInput, String)]) -> AppResult<()> {
        if metas
            .iter()
            .all(|(m, _)| m.dissemination.agencies.is_empty())
        {
            return Ok(());
        }
        let known: BTreeSet<AgencyCode> = self
            .app
            .store
            .list_agencies()
            .await?
            .into_iter()
            .map(|a| a.code)
            .collect();
        let mut errors = ValidationErrors::default();
        for (meta, prefix) in metas {
            for (i, a) in meta.dissemination.agencies.iter().enumerate() {
                if !known.contains(a) {
                    errors.push(
                        format!("{prefix}meta.dissemination.agencies[{i}]"),
                        Reason::coded("agency-not-registered", &[("agency", a)]),
                    );
                }
            }
        }
        errors.into_result(()).map_err(AppError::Invalid)
    }

    /// `prefix` names the record in field paths (`records[2].`).
    fn new_record(
        &self,
        ctx: &UserContext,
        input: RecordInput,
        prefix: &str,
    ) -> AppResult<NewRecord> {
        let meta = input.meta.into_meta(ctx.user.agency.clone());
        access::can_create(&ctx.subject, &meta)?;
        let mut entity = input.entity;
        entity.id = match input.id {
            // Refused alike whether or not a record holds the id: no oracle.
            Some(id) if !access::id_in_namespace(&ctx.user.agency, id.as_str()) => {
                return Err(AppError::invalid(
                    &format!("{prefix}id"),
                    access::id_outside_namespace(&ctx.user.agency, id.as_str()),
                ));
            }
            Some(id) => id,
            None => EntityId::parse(&uuid::Uuid::now_v7().to_string())
                .map_err(|e| AppError::Internal(e.into()))?,
        };
        Ok(NewRecord::new(entity, meta, ctx.username().to_string()))
    }

    /// Checks the operations the records name (a party taking part, nothing above the ceiling).
    async fn check_tags(
        &self,
        ctx: &UserContext,
        items: &[(&MetaInput, Option<&RecordMeta>, String)],
    ) -> AppResult<()> {
        let items: Vec<_> = items
            .iter()
            .map(|(m, current, prefix)| {
                (&m.dissemination, m.classification, *current, prefix.clone())
            })
            .collect();
        let errors = self
            .app
            .operations()
            .check_tags(&ctx.subject, &items)
            .await?;
        errors.into_result(()).map_err(AppError::Invalid)
    }

    pub async fn create(&self, ctx: &UserContext, input: RecordInput) -> AppResult<StoredRecord> {
        self.check_scope(&[(&input.meta, String::new())]).await?;
        self.check_tags(ctx, &[(&input.meta, None, String::new())])
            .await?;
        let record = match self.new_record(ctx, input, "") {
            Ok(r) => r,
            Err(e @ AppError::Forbidden(_)) => {
                return Err(self.app.refused(ctx, "record.create", "-", e).await)
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.app.store.begin().await?;
        self.app
            .operations()
            .hold_tags(&mut tx, &[(&record.meta, String::new())])
            .await?;
        let stored = tx.insert_record(&record).await.map_err(|e| match e {
            pamir_store::StoreError::Duplicate(_) => {
                AppError::AlreadyExists(format!("a record with id {}", record.entity.id))
            }
            other => other.into(),
        })?;
        tx.audit(&ctx.draft(Action::RecordCreate, stored.entity.id.as_str()).details(json!({
            "schema": stored.entity.schema.name, "classification": stored.meta.classification
        })))
        .await?;
        tx.commit().await?;
        self.app.matching().sync_matches_soon().await;
        Ok(stored)
    }

    /// Submits several records and the links between them in one transaction: a seizure with its
    /// persons and vehicles is stored whole or not at all. Link ends are `#N` (the N-th record of
    /// the bundle) or the id of an existing record the caller may read in full.
    pub async fn create_bundle(
        &self,
        ctx: &UserContext,
        inputs: Vec<RecordInput>,
        links: Vec<LinkInput>,
    ) -> AppResult<Vec<StoredRecord>> {
        let metas: Vec<(&MetaInput, String)> = inputs
            .iter()
            .enumerate()
            .map(|(i, input)| (&input.meta, format!("records[{i}].")))
            .collect();
        self.check_scope(&metas).await?;
        let tagged: Vec<_> = metas.iter().map(|(m, p)| (*m, None, p.clone())).collect();
        self.check_tags(ctx, &tagged).await?;
        let records = match inputs
            .into_iter()
            .enumerate()
            .map(|(n, i)| self.new_record(ctx, i, &format!("records[{n}].")))
            .collect::<AppResult<Vec<_>>>()
        {
            Ok(r) => r,
            Err(e @ AppError::Forbidden(_)) => {
                return Err(self.app.refused(ctx, "record.create", "-", e).await)
            }
            Err(e) => return Err(e),
        };
        let mut resolved = Vec::with_capacity(links.len());
        for (i, l) in links.iter().enumerate() {
            let end = |r: &str, which: &str| -> AppResult<(String, String)> {
                if let Some(n) = r.strip_prefix('#') {
                    let rec = n
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| records.get(n))
                        .ok_or_else(|| {
                            AppError::invalid(
                                &format!("links[{i}].{which}"),
                                Reason::coded("link-end-not-in-report", &[("end", &r)]),
                            )
                        })?;
                    Ok((
                        rec.entity.id.to_string(),
                        rec.entity.schema.name.to_string(),
                    ))
                } else {
                    Ok((r.to_string(), String::new()))
                }
            };
            let (s, ss) = end(&l.source, "source")?;
            let (t, ts) = end(&l.target, "target")?;
            resolved.push((l, s, ss, t, ts));
        }
        let mut tx = self.app.store.begin().await?;
        let metas: Vec<_> = records
            .iter()
            .enumerate()
            .map(|(n, r)| (&r.meta, format!("records[{n}].")))
            .collect();
        self.app.operations().hold_tags(&mut tx, &metas).await?;
        let mut stored = Vec::with_capacity(records.len());
        for r in &records {
            let s = tx.insert_record(r).await?;
            tx.audit(
                &ctx.draft(Action::RecordCreate, s.entity.id.as_str())
                    .details(json!({
                        "schema": s.entity.schema.name, "classification": s.meta.classification
                    })),
            )
            .await?;
            stored.push(s);
        }
        for (i, (l, s, ss, t, ts)) in resolved.into_iter().enumerate() {
            let (ss, ts) = (
                self.schema_for_link(ctx, i, &s, ss).await?,
                self.schema_for_link(ctx, i, &t, ts).await?,
            );
            l.kind
                .check_ends(&ss, &ts)
                .map_err(|e| AppError::invalid(&format!("links[{i}].kind"), e))?;
            let link = self.make_link(ctx, l.kind, s, t, l.role.clone())?;
            tx.insert_link(&link).await?;
            tx.emit(&crate::events::link_created(&link)).await?;
            tx.audit(&ctx.draft(Action::LinkCreate, &link.id).details(json!({
                "kind": link.kind, "source": link.source, "target": link.target
            })))
            .await?;
        }
        tx.commit().await?;
        self.app.matching().sync_matches_soon().await;
        Ok(stored)
    }

    /// The schema of a link end: known for records of the bundle, looked up (and access-checked)
    /// for existing records.
    async fn schema_for_link(
        &self,
        ctx: &UserContext,
        i: usize,
        id: &str,
        known: String,
    ) -> AppResult<String> {
        if !known.is_empty() {
            return Ok(known);
        }
        match self.app.store.get_record(id).await? {
            Some(r) if access::decide(&ctx.subject, &r.meta) == Access::Full => {
                Ok(r.entity.schema.name.to_string())
            }
            _ => Err(AppError::invalid(
                &format!("links[{i}]"),
                Reason::coded("link-record-not-found", &[("id", &id)]),
            )),
        }
    }

    fn make_link(
        &self,
        ctx: &UserContext,
        kind: LinkKind,
        source: String,
        target: String,
        role: Option<String>,
    ) -> AppResult<Link> {
        let role = role.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if role
            .as_ref()
            .is_some_and(|r| r.chars().count() > 200 || r.chars().any(char::is_control))
        {
            return Err(AppError::invalid(
                "role",
                Reason::coded("link-role-too-long", &[]),
            ));
        }
        if source == target {
            return Err(AppError::invalid(
                "target",
                Reason::coded("link-to-itself", &[]),
            ));
        }
        Ok(Link {
            id: secrets::new_handle(),
            kind,
            source,
            target,
            role,
            owner: ctx.user.agency.clone(),
            created_by: ctx.username().to_string(),
            created_at: self.app.clock.now_ms(),
        })
    }

    /// Reads a record: in full, as a hit, or not at all (then it answers "not found", as for a
    /// record that does not exist). Reads above UNCLASSIFIED, hits and refusals are audited.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<RecordAccess> {
        let not_found = || AppError::NotFound(format!("record {id} not found"));
        let Some(record) = self.app.store.get_record(id).await? else {
            return Err(not_found());
        };
        match access::decide(&ctx.subject, &record.meta) {
            Access::None => Err(self.app.refused(ctx, "record.read", id, not_found()).await),
            Access::Hit => {
                self.app
                    .store
                    .audit(
                        &ctx.draft(Action::RecordHit, id)
                            .details(json!({"owner": record.meta.owner})),
                    )
                    .await?;
                Ok(RecordAccess::Hit {
                    id: record.entity.id.to_string(),
                    schema: record.entity.schema.name.to_string(),
                    owner: record.meta.owner,
                })
            }
            Access::Full => {
                let links = self.visible_links(ctx, id).await?;
                let mut reads = Vec::new();
                if record.meta.classification > Classification::Unclassified {
                    reads.push(
                        ctx.draft(Action::RecordRead, id)
                            .details(json!({"classification": record.meta.classification})),
                    );
                }
                // The linked records' captions are shown too: reads of their own.
                let shown: Vec<&str> = links.iter().map(|l| l.other_id.as_str()).collect();
                if !shown.is_empty() {
                    reads.push(
                        ctx.draft(Action::RecordRead, id)
                            .details(json!({"via": "links", "ids": shown})),
                    );
                }
                self.app
                    .store
                    .audit_many(&reads.iter().collect::<Vec<_>>())
                    .await?;
                Ok(RecordAccess::Full {
                    record: Box::new(record),
                    links,
                })
            }
        }
    }

    /// The record's links whose other end the caller may also read in full.
    async fn visible_links(&self, ctx: &UserContext, id: &str) -> AppResult<Vec<LinkView>> {
        let links = self.app.store.links_of(id).await?;
        if links.is_empty() {
            return Ok(Vec::new());
        }
        let others: Vec<String> = links
            .iter()
            .map(|l| {
                if l.source == id {
                    l.target.clone()
                } else {
                    l.source.clone()
                }
            })
            .collect();
        let records = self.app.store.get_records(&others).await?;
        let mut out = Vec::new();
        for link in links {
            let outgoing = link.source == id;
            let other_id = if outgoing { &link.target } else { &link.source };
            let Some(other) = records.iter().find(|r| r.entity.id.as_str() == other_id) else {
                continue;
            };
            if access::decide(&ctx.subject, &other.meta) != Access::Full {
                continue;
            }
            out.push(LinkView {
                outgoing,
                other_id: other_id.clone(),
                other_schema: other.entity.schema.name.to_string(),
                other_caption: other.caption.clone(),
                link,
            });
        }
        Ok(out)
    }

    /// Loads a record the caller may change, or explains why not. Records the caller cannot read
    /// in full answer "not found", so that a change request reveals nothing.
    async fn record_to_change(
        &self,
        ctx: &UserContext,
        id: &str,
        attempted: &str,
    ) -> AppResult<StoredRecord> {
        let not_found = || AppError::NotFound(format!("record {id} not found"));
        let record = self.app.store.get_record(id).await?.ok_or_else(not_found)?;
        match access::decide(&ctx.subject, &record.meta) {
            Access::Full => Ok(record),
            // Whoever may know the record exists learns why they cannot change it: the owner's
            // own under-cleared members, that it is above their clearance; others, whose it is.
            Access::Hit => {
                let e = if record.meta.owner == ctx.user.agency {
                    access::Denied::AboveClearance {
                        classification: record.meta.classification,
                        clearance: ctx.subject.clearance,
                    }
                } else {
                    access::Denied::NotOwner(record.meta.owner.clone())
                };
                Err(self.app.refused(ctx, attempted, id, e.into()).await)
            }
            Access::None => Err(self.app.refused(ctx, attempted, id, not_found()).await),
        }
    }

    /// Replaces a record's content and metadata; `expected_version` is the version the caller read.
    pub async fn update(
        &self,
        ctx: &UserContext,
        id: &str,
        expected_version: i64,
        input: RecordInput,
    ) -> AppResult<StoredRecord> {
        let current = self.record_to_change(ctx, id, "record.update").await?;
        if input.entity.schema.name != current.entity.schema.name {
            return Err(AppError::invalid(
                "schema",
                Reason::coded(
                    "record-schema-change",
                    &[
                        ("from", &current.entity.schema.name),
                        ("to", &input.entity.schema.name),
                    ],
                ),
            ));
        }
        if input.id.as_ref().is_some_and(|i| i.as_str() != id) {
            return Err(AppError::invalid(
                "id",
                Reason::coded("record-id-mismatch", &[]),
            ));
        }
        self.check_scope(&[(&input.meta, String::new())]).await?;
        let next = input.meta.into_meta(current.meta.owner.clone());
        if let Err(denied) = access::can_modify(&ctx.subject, &current.meta, Some(&next)) {
            return Err(self
                .app
                .refused(ctx, "record.update", id, denied.into())
                .await);
        }
        // After the owner check: only the owner learns what its operations accept.
        let tag_items = [(
            &next.dissemination,
            next.classification,
            Some(&current.meta),
            String::new(),
        )];
        self.app
            .operations()
            .check_tags(&ctx.subject, &tag_items)
            .await?
            .into_result(())
            .map_err(AppError::Invalid)?;
        let mut entity = input.entity;
        entity.id = current.entity.id.clone();
        let mut details = change_details(&current, &next, &entity.properties);
        let record = NewRecord::new(entity, next, ctx.username().to_string());
        let mut tx = self.app.store.begin().await?;
        self.app
            .operations()
            .hold_tags(&mut tx, &[(&record.meta, String::new())])
            .await?;
        let stored = tx.update_record(&record, expected_version).await?;
        tx.emit(&crate::events::record_updated(&stored)).await?;
        details["version"] = json!(stored.version);
        tx.audit(&ctx.draft(Action::RecordUpdate, id).details(details))
            .await?;
        tx.commit().await?;
        self.app.matching().sync_matches_soon().await;
        Ok(stored)
    }

    pub async fn delete(
        &self,
        ctx: &UserContext,
        id: &str,
        expected_version: Option<i64>,
    ) -> AppResult<()> {
        let current = self.record_to_change(ctx, id, "record.delete").await?;
        if let Err(denied) = access::can_modify(&ctx.subject, &current.meta, None) {
            return Err(self
                .app
                .refused(ctx, "record.delete", id, denied.into())
                .await);
        }
        let mut tx = self.app.store.begin().await?;
        let deleted = tx.delete_record(id, expected_version).await?;
        tx.emit(&crate::events::record_deleted(&deleted)).await?;
        tx.audit(&ctx.draft(Action::RecordDelete, id).details(json!({
            "schema": deleted.entity.schema.name, "version": deleted.version
        })))
        .await?;
        tx.commit().await?;
        self.app.matching().sync_matches_soon().await;
        Ok(())
    }

    /// Lists or searches what the caller may read in full, newest first. Audited with its query.
    pub async fn search(&self, ctx: &UserContext, params: &SearchParams) -> AppResult<Page> {
        let Some(filter) = ctx.subject.full_access_filter() else {
            let e = AppError::Forbidden("your roles do not include reading records".into());
            return Err(self
                .app
                .refused(ctx, "record.search", params.q.as_deref().unwrap_or(""), e)
                .await);
        };
        let mut errors = ValidationErrors::default();
        let schema = params.schema.as_deref().filter(|s| !s.is_empty());
        if let Some(s) = schema {
            if schema::schema(s).is_none() {
                errors.push(
                    "schema",
                    Reason::coded("search-schema-unknown", &[("value", &format!("{s:?}"))]),
                );
            }
        }
        let country = match params.country.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => CountryCode::parse(c)
                .map_err(|e| errors.push("country", e))
                .ok(),
            None => None,
        };
        let agency = match params.agency.as_deref().filter(|s| !s.is_empty()) {
            Some(a) => AgencyCode::parse(a)
                .map_err(|e| errors.push("agency", e))
                .ok(),
            None => None,
        };
        let classification = match params.classification.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => c
                .parse::<Classification>()
                .map_err(|e| errors.push("classification", e))
                .ok(),
            None => None,
        };
        let limit = params.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            errors.push("limit", Reason::coded("search-limit-range", &[]));
        }
        let q = params.q.as_deref().unwrap_or("").trim();
        if q.chars().count() > 500 {
            errors.push("q", Reason::coded("search-query-too-long", &[]));
        }
        errors.into_result(()).map_err(AppError::Invalid)?;
        let mut terms = text::query_terms(q);
        terms.truncate(12);
        let query = RecordQuery {
            schema: schema.map(str::to_string),
            terms,
            owner_country: country,
            owner_agency: agency,
            classification,
            before: params.before,
            limit: limit + 1,
        };
        let mut items = self.app.store.list_records(&filter, &query).await?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|r| r.rid)
        } else {
            None
        };
        // The SQL filter states the policy; deciding again here means a mistake in one of them
        // shows up as a missing row, never as a leak.
        let before = items.len();
        items.retain(|r| access::decide(&ctx.subject, &r.meta) == Access::Full);
        if items.len() != before {
            tracing::error!(
                "storage filter admitted {} record(s) the access policy refuses",
                before - items.len()
            );
        }
        self.app
            .store
            .audit(&ctx.draft(Action::RecordSearch, q).details(json!({
                "schema": schema, "country": params.country, "agency": params.agency,
                "classification": params.classification,
                "results": items.len(),
                // Who saw which record through a search is on record, as for a read.
                "ids": items.iter().map(|r| r.entity.id.as_str()).collect::<Vec<_>>(),
            })))
            .await?;
        Ok(Page { items, next })
    }

    /// Counts per schema of what the caller may read in full, for the dashboard.
    pub async fn counts(&self, ctx: &UserContext) -> AppResult<Vec<(String, i64)>> {
        match ctx.subject.full_access_filter() {
            Some(f) => Ok(self.app.store.count_records(&f).await?),
            None => Ok(Vec::new()),
        }
    }

    /// Links two records the caller may read in full, on behalf of the caller's agency.
    pub async fn create_link(&self, ctx: &UserContext, input: LinkInput) -> AppResult<Link> {
        if !ctx.user.roles.iter().any(|r| r.writes_records()) {
            return Err(AppError::Forbidden(
                "your roles do not allow linking records".into(),
            ));
        }
        let source = self
            .record_to_change(ctx, &input.source, "link.create")
            .await?;
        let target = self
            .record_to_change(ctx, &input.target, "link.create")
            .await?;
        input
            .kind
            .check_ends(source.entity.schema.name, target.entity.schema.name)
            .map_err(|e| AppError::invalid("kind", e))?;
        let link = self.make_link(ctx, input.kind, input.source, input.target, input.role)?;
        let mut tx = self.app.store.begin().await?;
        tx.insert_link(&link).await?;
        tx.emit(&crate::events::link_created(&link)).await?;
        tx.audit(&ctx.draft(Action::LinkCreate, &link.id).details(json!({
            "kind": link.kind, "source": link.source, "target": link.target
        })))
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    pub async fn delete_link(&self, ctx: &UserContext, id: &str) -> AppResult<()> {
        let link = self
            .app
            .store
            .get_link(id)
            .await?
            .ok_or_else(|| AppError::not_found("link"))?;
        // Invisible unless both ends are readable in full.
        self.record_to_change(ctx, &link.source, "link.delete")
            .await?;
        self.record_to_change(ctx, &link.target, "link.delete")
            .await?;
        if link.owner != ctx.user.agency {
            return Err(AppError::Forbidden(format!(
                "only the agency that made the link ({}) may remove it",
                link.owner
            )));
        }
        let mut tx = self.app.store.begin().await?;
        tx.delete_link(id).await?;
        tx.emit(&crate::events::link_deleted(id)).await?;
        tx.audit(&ctx.draft(Action::LinkDelete, id)).await?;
        tx.commit().await?;
        Ok(())
    }
}
