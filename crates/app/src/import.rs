//! Import of FtM JSON lines and CSV. A file is checked whole: when any line is bad, the answer
//! lists every bad line (`line N: field: reason`) and nothing is written; a good file is written
//! in one transaction, with its audit entry and one outbox event per record. Input is streamed
//! in batches, so memory stays flat whatever the file's size.

use std::{
    collections::{BTreeSet, HashMap},
    hash::{Hash, Hasher},
    io::BufRead,
};

use pamir_domain::{
    access,
    audit::{Action, AuditDraft},
    entity::{self, EntityId},
    meta::MetaInput,
    schema::Schema,
    AgencyCode, Subject,
};
use pamir_store::{NewRecord, WriteTx};
use serde_json::{json, Map, Value};

use crate::{App, AppError, AppResult, LineError};

/// Keys an FtM JSON line may carry besides its content (FtM tools write them); they are ignored.
const FTM_EXTRA_KEYS: &[&str] = &[
    "datasets",
    "referents",
    "caption",
    "first_seen",
    "last_seen",
    "last_change",
    "target",
];

/// At most this many bad lines are listed; the last entry says how many more there were.
const MAX_LISTED_ERRORS: usize = 10_000;

#[derive(Debug, Clone)]
pub enum Format {
    /// One FtM entity per line; a line may carry its own `meta`, which replaces the defaults.
    JsonLines,
    /// A header row, then one entity of `schema` per row. `mapping` renames columns to
    /// properties (`"-"` ignores a column); other columns must be named as properties, or `id`.
    Csv {
        schema: &'static Schema,
        mapping: HashMap<String, String>,
    },
}

impl Format {
    pub fn name(&self) -> &'static str {
        match self {
            Format::JsonLines => "jsonl",
            Format::Csv { .. } => "csv",
        }
    }
}

/// Parses `FROM=TO,FROM=TO` column mappings.
pub fn parse_mapping(s: &str) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = pair
            .split_once('=')
            .ok_or_else(|| format!("{pair:?} is not COLUMN=PROPERTY"))?;
        out.insert(from.trim().to_string(), to.trim().to_string());
    }
    Ok(out)
}

/// On whose behalf records are imported.
pub struct Importer<'a> {
    /// Recorded as the records' creator and in the audit trail.
    pub actor: String,
    /// The owner agency of every imported record.
    pub agency: AgencyCode,
    /// When a user imports, their rights are checked per record; the console operator's are not.
    pub subject: Option<&'a Subject>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub lines: u64,
    pub created: u64,
    pub updated: u64,
}

/// Progress as (lines read, bytes read).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

struct Batch {
    records: Vec<(u64, NewRecord)>,
}

struct Run<'a> {
    app: &'a App,
    who: &'a Importer<'a>,
    defaults: MetaInput,
    known_agencies: BTreeSet<AgencyCode>,
    seen: HashMap<u64, u64>,
    errors: Vec<LineError>,
    more_errors: u64,
    report: ImportReport,
    batch: Batch,
    batch_size: usize,
    today: chrono::NaiveDate,
}

fn id_hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl<'a> Run<'a> {
    fn fail(&mut self, line: u64, field: impl Into<String>, reason: impl Into<String>) {
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(LineError {
                line,
                field: field.into(),
                reason: reason.into(),
            });
        } else {
            self.more_errors += 1;
        }
    }

    fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Validates one entity (`obj` without `meta`) with its metadata and queues it.
    async fn accept(
        &mut self,
        tx: &mut WriteTx,
        line: u64,
        value: &Value,
        meta: MetaInput,
    ) -> AppResult<()> {
        let (id, entity) = match entity::parse_entity(value, self.today) {
            Ok(parsed) => parsed,
            Err(errors) => {
                for e in errors.0 {
                    self.fail(line, e.field, e.reason);
                }
                return Ok(());
            }
        };
        for a in &meta.dissemination.agencies {
            if !self.known_agencies.contains(a) {
                self.fail(
                    line,
                    "meta.dissemination.agencies",
                    format!("agency {a} is not registered"),
                );
                return Ok(());
            }
        }
        let meta = meta.into_meta(self.who.agency.clone());
        if let Some(subject) = self.who.subject {
            if let Err(denied) = access::can_create(subject, &meta) {
                self.fail(line, "meta", denied.to_string());
                return Ok(());
            }
        }
        let id = match id {
            Some(id) => id,
            None => {
                EntityId::parse(&uuid::Uuid::now_v7().to_string()).map_err(AppError::Internal)?
            }
        };
        if let Some(first) = self.seen.insert(id_hash(id.as_str()), line) {
            self.fail(
                line,
                "id",
                format!("{id} appears again (first on line {first})"),
            );
            return Ok(());
        }
        let mut entity = entity;
        entity.id = id;
        self.batch.records.push((
            line,
            NewRecord {
                entity,
                meta,
                actor: self.who.actor.clone(),
            },
        ));
        if self.batch.records.len() >= self.batch_size {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Checks the batch's ids against the store and, while the file is still clean, writes it.
    /// Ids already held by the same agency are updates; by another agency, errors.
    async fn flush(&mut self, tx: &mut WriteTx) -> AppResult<()> {
        let batch = std::mem::take(&mut self.batch.records);
        if batch.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = batch.iter().map(|(_, r)| r.entity.id.to_string()).collect();
        let existing: HashMap<String, (AgencyCode, i64)> = tx
            .existing_ids(&ids)
            .await?
            .into_iter()
            .map(|e| (e.id, (e.owner, e.version)))
            .collect();
        let mut fresh = Vec::with_capacity(batch.len());
        let mut updates = Vec::new();
        for (line, record) in batch {
            match existing.get(record.entity.id.as_str()) {
                None => fresh.push(record),
                Some((owner, version)) if *owner == self.who.agency => {
                    updates.push((record, *version))
                }
                Some((owner, _)) => {
                    let id = record.entity.id.to_string();
                    self.fail(
                        line,
                        "id",
                        format!("{id} is already held by agency {owner}"),
                    );
                }
            }
        }
        if self.failed() {
            return Ok(());
        }
        self.report.created += tx.insert_records(&fresh).await?;
        for (record, version) in updates {
            tx.update_record(&record, version).await?;
            self.report.updated += 1;
        }
        Ok(())
    }
}

impl App {
    /// Imports `input` for `who`. See the module documentation for the all-or-nothing rule.
    pub async fn import(
        &self,
        who: &Importer<'_>,
        format: &Format,
        defaults: MetaInput,
        input: impl BufRead,
        progress: Progress<'_>,
    ) -> AppResult<ImportReport> {
        if self.store.get_agency(who.agency.as_str()).await?.is_none() {
            return Err(AppError::invalid(
                "agency",
                format!("agency {} is not registered", who.agency),
            ));
        }
        let mut run = Run {
            app: self,
            who,
            defaults,
            known_agencies: self
                .store
                .list_agencies()
                .await?
                .into_iter()
                .map(|a| a.code)
                .collect(),
            seen: HashMap::new(),
            errors: Vec::new(),
            more_errors: 0,
            report: ImportReport::default(),
            batch: Batch {
                records: Vec::new(),
            },
            batch_size: 2_000,
            today: self.clock.today(),
        };
        let mut tx = self.store.begin().await?;
        match format {
            Format::JsonLines => import_jsonl(&mut run, &mut tx, input, progress).await?,
            Format::Csv { schema, mapping } => {
                import_csv(&mut run, &mut tx, input, schema, mapping, progress).await?
            }
        }
        run.flush(&mut tx).await?;
        if run.report.lines == 0 && !run.failed() {
            run.fail(1, "file", "is empty: no records to import");
        }
        if run.failed() {
            drop(tx);
            let mut errors = run.errors;
            // Problems found when a batch met the store come later than those of later lines.
            errors.sort_by_key(|e| e.line);
            if run.more_errors > 0 {
                errors.push(LineError {
                    line: 0,
                    field: "file".into(),
                    reason: format!("and {} more bad line(s)", run.more_errors),
                });
            }
            let draft = AuditDraft::new(&who.actor, who.agency.as_str(), Action::Import, format.name())
                .outcome("failed")
                .details(json!({"lines": run.report.lines, "bad_lines": errors.len() as u64 + run.more_errors}));
            run.app.store.audit(&draft).await?;
            return Err(AppError::ImportRejected(errors));
        }
        tx.audit(&AuditDraft::new(&who.actor, who.agency.as_str(), Action::Import, format.name()).details(json!({
            "lines": run.report.lines, "created": run.report.created, "updated": run.report.updated
        })))
        .await?;
        tx.commit().await?;
        Ok(run.report)
    }
}

async fn import_jsonl(
    run: &mut Run<'_>,
    tx: &mut WriteTx,
    mut input: impl BufRead,
    progress: Progress<'_>,
) -> AppResult<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| AppError::BadRequest(format!("cannot read the input: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        bytes += n as u64;
        if line_no.is_multiple_of(5_000) {
            progress(line_no, bytes);
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            run.fail(line_no, "line", "is not valid UTF-8");
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        run.report.lines += 1;
        let mut value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                run.fail(line_no, "json", format!("malformed JSON: {e}"));
                continue;
            }
        };
        let Some(obj) = value.as_object_mut() else {
            run.fail(line_no, "json", "each line must be a JSON object");
            continue;
        };
        let unknown: Vec<String> = obj
            .keys()
            .filter(|k| {
                !["id", "schema", "properties", "meta"].contains(&k.as_str())
                    && !FTM_EXTRA_KEYS.contains(&k.as_str())
            })
            .cloned()
            .collect();
        if !unknown.is_empty() {
            for k in unknown {
                run.fail(line_no, k, "unknown field");
            }
            continue;
        }
        let meta = match obj.remove("meta") {
            None | Some(Value::Null) => run.defaults.clone(),
            Some(m) => match MetaInput::parse(&m, "meta") {
                Ok(m) => m,
                Err(errors) => {
                    for e in errors.0 {
                        run.fail(line_no, e.field, e.reason);
                    }
                    continue;
                }
            },
        };
        run.accept(tx, line_no, &value, meta).await?;
    }
    progress(line_no, bytes);
    Ok(())
}

async fn import_csv(
    run: &mut Run<'_>,
    tx: &mut WriteTx,
    input: impl BufRead,
    schema: &'static Schema,
    mapping: &HashMap<String, String>,
    progress: Progress<'_>,
) -> AppResult<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            run.fail(1, "header", format!("cannot read the header row: {e}"));
            return Ok(());
        }
    };
    // Column index → target: `Some("id")`, `Some(property)`, or `None` to ignore.
    let mut targets: Vec<Option<String>> = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().trim_start_matches('\u{feff}');
        let target = mapping
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string());
        match target.as_str() {
            "-" => targets.push(None),
            "id" => targets.push(Some("id".into())),
            t if schema.prop(t).is_some() => targets.push(Some(t.to_string())),
            t => {
                run.fail(1, format!("column {} ({name:?})", i + 1), format!(
                    "{t:?} is not a property of {}; map it with --map \"{name}=PROPERTY\" or ignore it with --map \"{name}=-\"",
                    schema.name
                ));
                targets.push(None);
            }
        }
    }
    for (from, _) in mapping.iter() {
        if !headers.iter().any(|h| h.trim() == from) {
            run.fail(1, "mapping", format!("there is no column named {from:?}"));
        }
    }
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields; the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                run.fail(line, "row", reason);
                run.report.lines += 1;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let bytes = record.position().map(|p| p.byte()).unwrap_or(0);
        run.report.lines += 1;
        if run.report.lines.is_multiple_of(5_000) {
            progress(run.report.lines, bytes);
        }
        let mut props = Map::new();
        let mut obj = Map::new();
        obj.insert("schema".into(), Value::String(schema.name.to_string()));
        let mut bad_utf8 = false;
        for (i, field) in record.iter().enumerate() {
            let Some(Some(target)) = targets.get(i) else {
                continue;
            };
            let Ok(value) = std::str::from_utf8(field) else {
                bad_utf8 = true;
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            if target == "id" {
                obj.insert("id".into(), Value::String(value.trim().to_string()));
            } else {
                let entry = props
                    .entry(target.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = entry {
                    list.push(Value::String(value.to_string()));
                }
            }
        }
        if bad_utf8 {
            run.fail(line, "row", "is not valid UTF-8");
            continue;
        }
        obj.insert("properties".into(), Value::Object(props));
        let meta = run.defaults.clone();
        run.accept(tx, line, &Value::Object(obj), meta).await?;
    }
    progress(run.report.lines, reader.position().byte());
    Ok(())
}
