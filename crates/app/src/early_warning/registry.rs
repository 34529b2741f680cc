//! The substance registry as a service: list and search, read, add, change, and interchange as
//! JSON and CSV (an import writes all of its entries or none). Every reader of records reads the
//! registry (it holds reference facts, nothing classified); analysts of member countries and of
//! the centre, and the centre's administrators, keep it. A substance is never entered twice:
//! its English and Russian names, CAS number and InChIKey are each held by one substance only —
//! checked in the writing transaction, with unique indexes behind the check.

use std::collections::BTreeMap;

use pamir_domain::{
    audit::Action,
    error::Reason,
    substance::{self, name_key, Control, NameKind, SubstanceClass, SubstanceDraft},
    ValidationErrors,
};
use pamir_store::{NameKeyRow, SubstanceClash, SubstanceRow};
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, LineError, UserContext};

/// A registry entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Substance {
    pub id: String,
    pub draft: SubstanceDraft,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

impl Substance {
    /// The entry as the interchange writes it: the draft's fields and its id.
    pub fn to_json(&self) -> Value {
        let mut v = self.draft.to_json();
        v["id"] = Value::String(self.id.clone());
        v
    }
}

/// Which entries a list shows: a name (any name, street names too, or a CAS number or
/// InChIKey), a class, a control (`1961`, `1971/II`, `none`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFilter {
    pub q: Option<String>,
    pub class: Option<SubstanceClass>,
    pub control: Option<ControlFilter>,
}

/// A filter on international control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlFilter {
    /// Any schedule or table of a convention (by its year).
    Convention(u16),
    One(Control),
    NotControlled,
}

impl ControlFilter {
    pub fn parse(s: &str) -> Result<ControlFilter, Reason> {
        match s.trim() {
            "none" => Ok(ControlFilter::NotControlled),
            "1961" => Ok(ControlFilter::Convention(1961)),
            "1971" => Ok(ControlFilter::Convention(1971)),
            "1988" => Ok(ControlFilter::Convention(1988)),
            other => Control::parse(other).map(ControlFilter::One),
        }
    }

    fn admits(self, draft: &SubstanceDraft) -> bool {
        match self {
            ControlFilter::NotControlled => draft.controls.is_empty(),
            ControlFilter::Convention(year) => {
                draft.controls.iter().any(|c| c.convention() == year)
            }
            ControlFilter::One(c) => draft.controls.contains(&c),
        }
    }
}

impl RegistryFilter {
    pub(crate) fn admits(&self, s: &Substance) -> bool {
        if self.class.is_some_and(|c| c != s.draft.class) {
            return false;
        }
        if self.control.is_some_and(|c| !c.admits(&s.draft)) {
            return false;
        }
        let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) else {
            return true;
        };
        let upper = q.to_ascii_uppercase();
        if s.draft.cas.as_ref().is_some_and(|c| c.as_str() == q)
            || s.draft
                .inchikey
                .as_ref()
                .is_some_and(|k| k.as_str() == upper)
        {
            return true;
        }
        let key = name_key(q);
        !key.is_empty()
            && s.draft
                .names
                .iter()
                .any(|n| name_key(&n.text).contains(&key))
    }
}

/// The registry service.
#[derive(Clone, Copy)]
pub struct Substances<'a> {
    app: &'a App,
}

impl App {
    pub fn substances(&self) -> Substances<'_> {
        Substances { app: self }
    }
}

/// An import's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegistryImport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

const IMPORT_MAX: usize = 20_000;

impl<'a> Substances<'a> {
    /// The entries `filter` admits, by English name.
    pub async fn list(
        &self,
        ctx: &UserContext,
        filter: &RegistryFilter,
    ) -> AppResult<Vec<Substance>> {
        self.reader(ctx, "substance.list").await?;
        let rows = self.app.store.substances().await?;
        let mut out = Vec::new();
        for row in rows {
            let s = from_row(row)?;
            if filter.admits(&s) {
                out.push(s);
            }
        }
        Ok(out)
    }

    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<Substance> {
        self.reader(ctx, "substance.read").await?;
        match self.app.store.get_substance(id).await? {
            Some(row) => from_row(row),
            None => Err(AppError::not_found("the substance")),
        }
    }

    /// Adds a substance.
    pub async fn create(&self, ctx: &UserContext, body: &Value) -> AppResult<Substance> {
        self.editor(ctx, "substance.create", "-").await?;
        let draft = SubstanceDraft::parse(body)?;
        substance::check_country_changes(&ctx.subject, &[], &draft.countries)?;
        let id = format!("sub-{}", secrets::new_handle());
        let mut tx = self.app.store.begin().await?;
        let s = self.insert(&mut tx, ctx, id, draft).await?;
        tx.audit(
            &ctx.draft(Action::SubstanceCreate, &s.id)
                .details(json!({"name": s.draft.name(NameKind::En), "class": s.draft.class})),
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Changes a substance last read at `version`.
    pub async fn update(
        &self,
        ctx: &UserContext,
        id: &str,
        version: i64,
        body: &Value,
    ) -> AppResult<Substance> {
        self.editor(ctx, "substance.update", id).await?;
        let draft = SubstanceDraft::parse(body)?;
        let Some(row) = self.app.store.get_substance(id).await? else {
            return Err(AppError::not_found("the substance"));
        };
        let before = from_row(row)?;
        substance::check_country_changes(&ctx.subject, &before.draft.countries, &draft.countries)?;
        let mut tx = self.app.store.begin().await?;
        let s = self.replace(&mut tx, ctx, &before, version, draft).await?;
        tx.audit(
            &ctx.draft(Action::SubstanceUpdate, &s.id)
                .details(json!({"name": s.draft.name(NameKind::En), "version": s.version})),
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The whole registry as the interchange writes it (JSON entries with their ids).
    pub async fn export(&self, ctx: &UserContext) -> AppResult<Vec<Value>> {
        let all = self.list(ctx, &RegistryFilter::default()).await?;
        Ok(all.iter().map(Substance::to_json).collect())
    }

    /// Imports entries (as `export` writes them): an entry whose `id` names a substance of the
    /// registry replaces it (or leaves it, when equal); any other is added, under its `id` when
    /// it gives one. All or nothing: every bad entry is named (`line` is its place, from 1), and
    /// nothing is written unless all are good.
    pub async fn import(&self, ctx: &UserContext, entries: &[Value]) -> AppResult<RegistryImport> {
        let numbered: Vec<(u64, Value)> = (1u64..).zip(entries.iter().cloned()).collect();
        self.import_numbered(ctx, &numbered).await
    }

    /// Imports a CSV file (`interchange::from_csv`); errors name its lines.
    pub async fn import_csv(&self, ctx: &UserContext, bytes: &[u8]) -> AppResult<RegistryImport> {
        self.editor(ctx, "substance.import", "-").await?;
        let entries = super::interchange::from_csv(bytes).map_err(AppError::ImportRejected)?;
        self.import_numbered(ctx, &entries).await
    }

    /// `import` with each entry's line given (its place in a CSV file).
    pub async fn import_numbered(
        &self,
        ctx: &UserContext,
        entries: &[(u64, Value)],
    ) -> AppResult<RegistryImport> {
        self.editor(ctx, "substance.import", "-").await?;
        if entries.is_empty() {
            return Err(AppError::ImportRejected(vec![LineError {
                line: 0,
                field: String::new(),
                reason: Reason::coded("import-empty", &[]),
            }]));
        }
        if entries.len() > IMPORT_MAX {
            return Err(AppError::TooLarge(format!(
                "an import holds at most {IMPORT_MAX} substances"
            )));
        }
        let mut bad = Vec::new();
        let mut parsed = Vec::new();
        // Unique keys within the file: (key, first line).
        let mut in_file: BTreeMap<String, u64> = BTreeMap::new();
        let mut ids_in_file: BTreeMap<String, u64> = BTreeMap::new();
        for (line, entry) in entries {
            let line = *line;
            let mut body = entry.clone();
            let id = match body.as_object_mut().and_then(|o| o.remove("id")) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if valid_id(&s) => Some(s),
                Some(_) => {
                    bad.push(LineError {
                        line,
                        field: "id".into(),
                        reason: Reason::coded("id-invalid", &[("value", &entry["id"])]),
                    });
                    continue;
                }
            };
            if let Some(id) = &id {
                if let Some(first) = ids_in_file.insert(id.clone(), line) {
                    bad.push(LineError {
                        line,
                        field: "id".into(),
                        reason: Reason::coded("import-id-again", &[("line", &first)]),
                    });
                }
            }
            let draft = match SubstanceDraft::parse(&body) {
                Ok(d) => d,
                Err(e) => {
                    bad.extend(e.0.into_iter().map(|f| LineError {
                        line,
                        field: f.field,
                        reason: f.reason,
                    }));
                    continue;
                }
            };
            for (field, key) in draft.unique_keys() {
                if let Some(first) = in_file.get(&key) {
                    let text = draft
                        .names
                        .iter()
                        .find(|n| name_key(&n.text) == key)
                        .map_or("", |n| n.text.as_str());
                    bad.push(LineError {
                        line,
                        field: format!("{field}.text"),
                        reason: Reason::coded(
                            "substance-name-taken",
                            &[("name", &text), ("existing", &format!("line {first}"))],
                        ),
                    });
                } else {
                    in_file.insert(key, line);
                }
            }
            parsed.push((line, id, draft));
        }
        if !bad.is_empty() {
            return Err(AppError::ImportRejected(bad));
        }
        let mut summary = RegistryImport::default();
        let mut tx = self.app.store.begin().await?;
        let existing: BTreeMap<String, Substance> = self
            .app
            .store
            .substances()
            .await?
            .into_iter()
            .map(|r| from_row(r).map(|s| (s.id.clone(), s)))
            .collect::<AppResult<_>>()?;
        // Entries that replace others go first, so that names moved between substances in the
        // same file do not clash with what they replace.
        parsed.sort_by_key(|(line, id, _)| {
            (
                !id.as_ref().is_some_and(|i| existing.contains_key(i)),
                *line,
            )
        });
        for (line, id, draft) in parsed {
            let prefix = |e: ValidationErrors| -> Vec<LineError> {
                e.0.into_iter()
                    .map(|f| LineError {
                        line,
                        field: f.field,
                        reason: f.reason,
                    })
                    .collect()
            };
            let result = match id.as_ref().and_then(|i| existing.get(i)) {
                Some(before) if before.draft == draft => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(before) => {
                    if let Err(e) = substance::check_country_changes(
                        &ctx.subject,
                        &before.draft.countries,
                        &draft.countries,
                    ) {
                        bad.extend(prefix(e));
                        continue;
                    }
                    let r = self
                        .replace(&mut tx, ctx, before, before.version, draft)
                        .await;
                    summary.updated += usize::from(r.is_ok());
                    r
                }
                None => {
                    if let Err(e) =
                        substance::check_country_changes(&ctx.subject, &[], &draft.countries)
                    {
                        bad.extend(prefix(e));
                        continue;
                    }
                    let id = id.unwrap_or_else(|| format!("sub-{}", secrets::new_handle()));
                    let r = self.insert(&mut tx, ctx, id, draft).await;
                    summary.created += usize::from(r.is_ok());
                    r
                }
            };
            match result {
                Ok(_) => {}
                Err(AppError::Invalid(e)) => bad.extend(prefix(e)),
                Err(e) => return Err(e),
            }
        }
        if !bad.is_empty() {
            bad.sort_by_key(|e| e.line);
            return Err(AppError::ImportRejected(bad));
        }
        tx.audit(
            &ctx.draft(Action::SubstanceImport, "registry")
                .details(json!({
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn insert(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        id: String,
        draft: SubstanceDraft,
    ) -> AppResult<Substance> {
        self.refuse_clashes(tx, &id, &draft).await?;
        let now = self.app.clock.now_ms();
        let s = Substance {
            id,
            draft,
            version: 1,
            created_by: ctx.username().to_string(),
            created_at: now,
            updated_by: ctx.username().to_string(),
            updated_at: now,
        };
        tx.insert_substance(&to_row(&s), &name_keys(&s.draft))
            .await
            .map_err(clash_in_race)?;
        Ok(s)
    }

    async fn replace(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        before: &Substance,
        seen: i64,
        draft: SubstanceDraft,
    ) -> AppResult<Substance> {
        self.refuse_clashes(tx, &before.id, &draft).await?;
        let s = Substance {
            draft,
            version: seen + 1,
            updated_by: ctx.username().to_string(),
            updated_at: self.app.clock.now_ms(),
            ..before.clone()
        };
        if !tx
            .update_substance(&to_row(&s), seen, &name_keys(&s.draft))
            .await
            .map_err(clash_in_race)?
        {
            let current = self
                .app
                .store
                .get_substance(&before.id)
                .await?
                .map_or(seen, |r| r.version);
            return Err(AppError::VersionConflict { current });
        }
        Ok(s)
    }

    /// Refuses a draft that names a substance the registry holds under another entry, naming
    /// the field and the entry that holds it.
    async fn refuse_clashes(
        &self,
        tx: &mut pamir_store::WriteTx,
        id: &str,
        draft: &SubstanceDraft,
    ) -> AppResult<()> {
        let keys = draft.unique_keys();
        let clashes = tx
            .substance_clashes(
                id,
                &keys.iter().map(|(_, k)| k.clone()).collect::<Vec<_>>(),
                draft.cas.as_ref().map(|c| c.as_str()),
                draft.inchikey.as_ref().map(|k| k.as_str()),
            )
            .await?;
        let mut errors = ValidationErrors::default();
        for SubstanceClash {
            what,
            value,
            id: other,
            name_en,
        } in clashes
        {
            let existing = format!("{name_en} ({other})");
            match what {
                "name" => {
                    for (field, _) in keys.iter().filter(|(_, k)| *k == value) {
                        let i: usize = field
                            .trim_start_matches("names[")
                            .trim_end_matches(']')
                            .parse()
                            .unwrap_or(0);
                        let text = draft.names.get(i).map_or("", |n| n.text.as_str());
                        errors.push(
                            format!("{field}.text"),
                            Reason::coded(
                                "substance-name-taken",
                                &[("name", &text), ("existing", &existing)],
                            ),
                        );
                    }
                }
                "cas" => errors.push(
                    "cas",
                    Reason::coded(
                        "substance-cas-taken",
                        &[("value", &value), ("existing", &existing)],
                    ),
                ),
                _ => errors.push(
                    "inchikey",
                    Reason::coded(
                        "substance-inchikey-taken",
                        &[("value", &value), ("existing", &existing)],
                    ),
                ),
            }
        }
        errors.into_result(())?;
        Ok(())
    }

    async fn reader(&self, ctx: &UserContext, attempted: &str) -> AppResult<()> {
        if ctx.subject.reads_records() {
            return Ok(());
        }
        let e = AppError::Forbidden("your roles do not include reading records".into());
        Err(self.app.refused(ctx, attempted, "registry", e).await)
    }

    async fn editor(&self, ctx: &UserContext, attempted: &str, target: &str) -> AppResult<()> {
        match substance::may_edit(&ctx.subject) {
            Ok(()) => Ok(()),
            Err(reason) => {
                let e = AppError::Forbidden(reason.as_str().to_string());
                Err(self.app.refused(ctx, attempted, target, e).await)
            }
        }
    }
}

/// A registry id: lower-case letters, digits and hyphens, 3–64 long, starting with a letter or
/// digit (`sub-…` when the registry makes it).
fn valid_id(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// A unique index refused what the check let through: another writer added the same name,
/// CAS number or InChIKey in the meantime.
fn clash_in_race(e: pamir_store::StoreError) -> AppError {
    match e {
        pamir_store::StoreError::Duplicate(what) => AppError::Conflict(format!(
            "{what} was added by someone else meanwhile; reload and try again"
        )),
        other => other.into(),
    }
}

/// Every name's key; a unique key is marked once (the same code may stand in English and
/// Russian).
fn name_keys(draft: &SubstanceDraft) -> Vec<NameKeyRow> {
    let mut marked = std::collections::BTreeSet::new();
    draft
        .names
        .iter()
        .map(|n| {
            let key = name_key(&n.text);
            NameKeyRow {
                unique: n.is_unique() && marked.insert(key.clone()),
                key,
            }
        })
        .collect()
}

fn to_row(s: &Substance) -> SubstanceRow {
    let d = &s.draft;
    SubstanceRow {
        id: s.id.clone(),
        name_en: d.name(NameKind::En).to_string(),
        name_ru: d.name(NameKind::Ru).to_string(),
        class: d.class.as_str().to_string(),
        cas: d.cas.as_ref().map(|c| c.as_str().to_string()),
        inchikey: d.inchikey.as_ref().map(|k| k.as_str().to_string()),
        formula: d.formula.as_ref().map(|f| f.as_str().to_string()),
        international: d
            .controls
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(" "),
        draft: d.to_json().to_string(),
        version: s.version,
        created_by: s.created_by.clone(),
        created_at: s.created_at,
        updated_by: s.updated_by.clone(),
        updated_at: s.updated_at,
    }
}

fn from_row(row: SubstanceRow) -> AppResult<Substance> {
    let value: Value = serde_json::from_str(&row.draft)
        .map_err(|e| AppError::Internal(format!("substance {}: {e}", row.id)))?;
    let draft = SubstanceDraft::parse(&value)
        .map_err(|e| AppError::Internal(format!("substance {}: {e}", row.id)))?;
    Ok(Substance {
        id: row.id,
        draft,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    })
}
