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
    error::Reason,
    meta::MetaInput,
    schema::Schema,
    AgencyCode, Subject,
};
use pamir_store::{NewRecord, StoredRecord, WriteTx};
use serde_json::{json, Map, Value};

use crate::{records, App, AppError, AppResult, LineError};

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
        /// The field separator; `None` takes whichever of `,` `;` or tab the header row uses most
        /// (Russian-language spreadsheets save with `;`).
        delimiter: Option<u8>,
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

/// Lines go from the parser thread to the writer in batches of this many records.
const BATCH: usize = 2_000;

/// What the parser thread sends the writer.
enum Msg {
    /// Valid records, and whether every line so far was valid (if not, the writer only checks ids).
    Batch {
        records: Vec<Queued>,
        clean: bool,
    },
    Progress {
        lines: u64,
        bytes: u64,
    },
}

/// A valid line on its way to the writer.
struct Queued {
    line: u64,
    record: NewRecord,
    /// The importer chose an id outside their agency's namespace: acceptable only as a change of
    /// a record of their agency that they read in full, refused alike otherwise.
    must_be_own: bool,
}

/// Reads, parses and validates the input on a thread of its own, so that the database writes
/// one batch while the next is being parsed.
struct Parser {
    actor: String,
    agency: AgencyCode,
    subject: Option<Subject>,
    defaults: MetaInput,
    known_agencies: BTreeSet<AgencyCode>,
    /// The operations the importer may tag records to (an import names only those).
    taggable: crate::operations::Taggable,
    seen: HashMap<u64, u64>,
    errors: Vec<LineError>,
    more_errors: u64,
    lines: u64,
    batch: Vec<Queued>,
    today: chrono::NaiveDate,
    out: tokio::sync::mpsc::Sender<Msg>,
}

/// What the parser found, once the input is read.
struct Parsed {
    lines: u64,
    errors: Vec<LineError>,
    more_errors: u64,
}

/// The writer stopped listening (the import failed on the database side); stop reading.
struct Stopped;

fn id_hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn push_error(
    errors: &mut Vec<LineError>,
    more: &mut u64,
    line: u64,
    field: impl Into<String>,
    reason: impl Into<Reason>,
) {
    if errors.len() < MAX_LISTED_ERRORS {
        errors.push(LineError {
            line,
            field: field.into(),
            reason: reason.into(),
        });
    } else {
        *more += 1;
    }
}

impl Parser {
    fn fail(&mut self, line: u64, field: impl Into<String>, reason: impl Into<Reason>) {
        push_error(&mut self.errors, &mut self.more_errors, line, field, reason);
    }

    fn send(&self, msg: Msg) -> Result<(), Stopped> {
        self.out.blocking_send(msg).map_err(|_| Stopped)
    }

    fn progress(&self, lines: u64, bytes: u64) -> Result<(), Stopped> {
        self.send(Msg::Progress { lines, bytes })
    }

    /// Validates one entity (`value` without `meta`) with its metadata and queues it.
    fn accept(&mut self, line: u64, value: &Value, meta: MetaInput) -> Result<(), Stopped> {
        let (id, mut entity) = match entity::parse_entity(value, self.today) {
            Ok(parsed) => parsed,
            Err(errors) => {
                for e in errors.0 {
                    self.fail(line, e.field, e.reason);
                }
                return Ok(());
            }
        };
        if let Some(a) = meta
            .dissemination
            .agencies
            .iter()
            .find(|a| !self.known_agencies.contains(*a))
        {
            let reason = Reason::coded("agency-not-registered", &[("agency", a)]);
            self.fail(line, "meta.dissemination.agencies", reason);
            return Ok(());
        }
        for (i, id) in meta.dissemination.operations.iter().enumerate() {
            if let Err(reason) = self.taggable.check(id, meta.classification) {
                self.fail(line, format!("meta.dissemination.operations[{i}]"), reason);
                return Ok(());
            }
        }
        let meta = meta.into_meta(self.agency.clone());
        if let Some(subject) = &self.subject {
            if let Err(denied) = access::can_create(subject, &meta) {
                self.fail(line, "meta", denied);
                return Ok(());
            }
        }
        let must_be_own = self.subject.is_some()
            && id
                .as_ref()
                .is_some_and(|id| !access::id_in_namespace(&self.agency, id.as_str()));
        entity.id = match id {
            Some(id) => id,
            None => match EntityId::parse(&uuid::Uuid::now_v7().to_string()) {
                Ok(id) => id,
                Err(e) => {
                    self.fail(line, "id", e);
                    return Ok(());
                }
            },
        };
        if let Some(first) = self.seen.insert(id_hash(entity.id.as_str()), line) {
            let reason = Reason::coded(
                "import-id-again",
                &[
                    ("value", &format!("{:?}", entity.id.as_str())),
                    ("line", &first),
                ],
            );
            self.fail(line, "id", reason);
            return Ok(());
        }
        self.batch.push(Queued {
            line,
            record: NewRecord::new(entity, meta, self.actor.clone()),
            must_be_own,
        });
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Stopped> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let records = std::mem::take(&mut self.batch);
        self.send(Msg::Batch {
            records,
            clean: self.errors.is_empty(),
        })
    }
}

/// The writer's side: checks each batch's ids against the store and, while everything is clean,
/// writes it. An id the importer's agency already holds is a change, checked like every other
/// change (the same schema; `can_modify` against the stored metadata) and audited per record
/// with what changed; an id another agency holds is refused without naming it.
struct Writer<'a> {
    agency: &'a AgencyCode,
    actor: &'a str,
    subject: Option<&'a Subject>,
    errors: Vec<LineError>,
    more_errors: u64,
    report: ImportReport,
}

impl Writer<'_> {
    fn fail(&mut self, line: u64, field: &str, reason: impl Into<Reason>) {
        push_error(&mut self.errors, &mut self.more_errors, line, field, reason);
    }

    async fn write(&mut self, tx: &mut WriteTx, batch: Vec<Queued>, clean: bool) -> AppResult<()> {
        let ids: Vec<String> = batch
            .iter()
            .map(|q| q.record.entity.id.to_string())
            .collect();
        let stored: HashMap<String, StoredRecord> = tx
            .records_in_tx(&ids)
            .await?
            .into_iter()
            .map(|r| (r.entity.id.to_string(), r))
            .collect();
        let mut fresh = Vec::with_capacity(batch.len());
        let mut updates = Vec::new();
        for Queued {
            line,
            record,
            must_be_own,
        } in batch
        {
            let current = stored.get(record.entity.id.as_str());
            if must_be_own {
                let own = current.is_some_and(|c| {
                    &c.meta.owner == self.agency
                        && self
                            .subject
                            .is_none_or(|s| access::decide(s, &c.meta) == access::Access::Full)
                });
                if !own {
                    let reason =
                        access::id_outside_namespace(self.agency, record.entity.id.as_str());
                    self.fail(line, "id", reason);
                    continue;
                }
            }
            let Some(current) = current else {
                fresh.push(record);
                continue;
            };
            if &current.meta.owner != self.agency {
                // Whose it is, or what it is, is not the importer's to learn.
                let reason = Reason::coded(
                    "import-id-in-use",
                    &[("value", &format!("{:?}", record.entity.id.as_str()))],
                );
                self.fail(line, "id", reason);
                continue;
            }
            if current.entity.schema.name != record.entity.schema.name {
                let reason = Reason::coded(
                    "import-schema-change",
                    &[
                        ("value", &format!("{:?}", record.entity.id.as_str())),
                        ("from", &current.entity.schema.name),
                        ("to", &record.entity.schema.name),
                    ],
                );
                self.fail(line, "schema", reason);
                continue;
            }
            if let Some(subject) = self.subject {
                if let Err(denied) = access::can_modify(subject, &current.meta, Some(&record.meta))
                {
                    self.fail(line, "meta", denied);
                    continue;
                }
            }
            updates.push((record, current));
        }
        if !clean || !self.errors.is_empty() {
            return Ok(());
        }
        self.report.created += tx.insert_records(&fresh).await?;
        // One audit entry per record changed, written in batches: the trail names each record
        // and what changed, never its content. (New records are counted in the import's entry.)
        let mut drafts = Vec::with_capacity(updates.len());
        for (record, current) in updates {
            let mut details =
                records::change_details(current, &record.meta, &record.entity.properties);
            let written = tx.update_record(&record, current.version).await?;
            tx.emit(&crate::events::record_updated(&written)).await?;
            details["version"] = json!(written.version);
            details["via"] = json!("import");
            drafts.push(
                AuditDraft::new(
                    self.actor,
                    self.agency.as_str(),
                    Action::RecordUpdate,
                    record.entity.id.as_str(),
                )
                .details(details),
            );
            self.report.updated += 1;
        }
        if !drafts.is_empty() {
            tx.audit_many(&drafts.iter().collect::<Vec<_>>()).await?;
        }
        // Freeing thousands of records takes a while; the next batch should not wait for it.
        tokio::task::spawn_blocking(move || drop(fresh));
        Ok(())
    }
}

/// Bulk import as a service, reached as `app.imports()`: FtM JSON lines or CSV, all or nothing per file.
#[derive(Clone, Copy)]
pub struct Imports<'a> {
    app: &'a App,
}

impl App {
    pub fn imports(&self) -> Imports<'_> {
        Imports { app: self }
    }
}

impl<'a> Imports<'a> {
    /// Imports `input` for `who`. See the module documentation for the all-or-nothing rule.
    pub async fn run(
        &self,
        who: &Importer<'_>,
        format: &Format,
        defaults: MetaInput,
        input: impl BufRead + Send + 'static,
        progress: Progress<'_>,
    ) -> AppResult<ImportReport> {
        if let Some(subject) = who.subject {
            if !(subject.active && subject.roles.iter().any(|r| r.writes_records())) {
                let e = AppError::Forbidden("your roles do not allow submitting records".into());
                let draft = AuditDraft::new(
                    &who.actor,
                    who.agency.as_str(),
                    Action::AccessDenied,
                    format.name(),
                )
                .outcome("denied")
                .details(json!({"attempted": "import", "reason": e.to_string()}));
                self.app.store.audit(&draft).await?;
                return Err(e);
            }
        }
        if self
            .app
            .store
            .get_agency(who.agency.as_str())
            .await?
            .is_none()
        {
            return Err(AppError::invalid(
                "agency",
                Reason::coded("agency-not-registered", &[("agency", &who.agency)]),
            ));
        }
        let (out, mut inbox) = tokio::sync::mpsc::channel(4);
        let mut parser = Parser {
            actor: who.actor.clone(),
            agency: who.agency.clone(),
            subject: who.subject.cloned(),
            defaults,
            known_agencies: self
                .app
                .store
                .list_agencies()
                .await?
                .into_iter()
                .map(|a| a.code)
                .collect(),
            taggable: self
                .app
                .operations()
                .taggable(&who.agency, who.subject)
                .await?,
            seen: HashMap::new(),
            errors: Vec::new(),
            more_errors: 0,
            lines: 0,
            batch: Vec::new(),
            today: self.app.clock.today(),
            out,
        };
        let format_owned = format.clone();
        let parsing = tokio::task::spawn_blocking(move || {
            let read = match &format_owned {
                Format::JsonLines => parse_jsonl(&mut parser, input),
                Format::Csv {
                    schema,
                    mapping,
                    delimiter,
                } => parse_csv(&mut parser, input, schema, mapping, *delimiter),
            };
            let read = read.and_then(|()| parser.flush());
            read.map(|()| Parsed {
                lines: parser.lines,
                errors: parser.errors,
                more_errors: parser.more_errors,
            })
        });

        let mut writer = Writer {
            agency: &who.agency,
            actor: &who.actor,
            subject: who.subject,
            errors: Vec::new(),
            more_errors: 0,
            report: ImportReport::default(),
        };
        let mut tx = self.app.store.begin().await?;
        let mut written = Ok(());
        while let Some(msg) = inbox.recv().await {
            match msg {
                Msg::Progress { lines, bytes } => progress(lines, bytes),
                Msg::Batch { records, clean } => {
                    if written.is_ok() {
                        written = writer.write(&mut tx, records, clean).await;
                    }
                    if written.is_err() {
                        // Closing the inbox tells the parser to stop.
                        inbox.close();
                    }
                }
            }
        }
        let parsed = parsing
            .await
            .map_err(|e| AppError::Internal(format!("the import's parser failed: {e}")))?;
        written?;
        let parsed =
            parsed.map_err(|Stopped| AppError::Internal("the import stopped early".into()))?;
        let mut report = writer.report;
        report.lines = parsed.lines;
        let mut errors = parsed.errors;
        errors.extend(writer.errors);
        let more = parsed.more_errors + writer.more_errors;
        if report.lines == 0 && errors.is_empty() {
            errors.push(LineError {
                line: 1,
                field: "file".into(),
                reason: Reason::coded("import-empty", &[]),
            });
        }
        if !errors.is_empty() {
            drop(tx);
            // Problems found when a batch met the store come after those the parser found.
            errors.sort_by_key(|e| e.line);
            errors.truncate(MAX_LISTED_ERRORS);
            let bad = errors.len() as u64 + more;
            if more > 0 {
                errors.push(LineError {
                    line: 0,
                    field: "file".into(),
                    reason: Reason::coded("import-more-bad-lines", &[("count", &more)]),
                });
            }
            let draft = AuditDraft::new(
                &who.actor,
                who.agency.as_str(),
                Action::Import,
                format.name(),
            )
            .outcome("failed")
            .details(json!({"lines": report.lines, "bad_lines": bad}));
            self.app.store.audit(&draft).await?;
            return Err(AppError::ImportRejected(errors));
        }
        tx.audit(
            &AuditDraft::new(
                &who.actor,
                who.agency.as_str(),
                Action::Import,
                format.name(),
            )
            .details(json!({
                "lines": report.lines, "created": report.created, "updated": report.updated
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }
}

fn parse_jsonl(run: &mut Parser, mut input: impl BufRead) -> Result<(), Stopped> {
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = match input.read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) => {
                run.fail(
                    line_no + 1,
                    "file",
                    Reason::coded("import-unreadable", &[("error", &e)]),
                );
                break;
            }
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        bytes += n as u64;
        if line_no.is_multiple_of(5_000) {
            run.progress(line_no, bytes)?;
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            run.fail(line_no, "line", Reason::coded("not-utf8", &[]));
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        run.lines += 1;
        let mut value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                run.fail(
                    line_no,
                    "json",
                    Reason::coded("json-malformed", &[("error", &e)]),
                );
                continue;
            }
        };
        let Some(obj) = value.as_object_mut() else {
            run.fail(line_no, "json", Reason::coded("json-line-not-object", &[]));
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
                run.fail(line_no, k, Reason::coded("field-unknown", &[]));
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
        run.accept(line_no, &value, meta)?;
    }
    run.progress(line_no, bytes)
}

fn parse_csv(
    run: &mut Parser,
    input: impl BufRead,
    schema: &'static Schema,
    mapping: &HashMap<String, String>,
    delimiter: Option<u8>,
) -> Result<(), Stopped> {
    let mut input = CrlfToLf {
        inner: input,
        pending_cr: false,
    };
    let delimiter = match delimiter {
        Some(d) => d,
        None => sniff_delimiter(input.inner.fill_buf().unwrap_or(&[])),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(input);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            run.fail(
                1,
                "header",
                Reason::coded("csv-header-unreadable", &[("error", &e)]),
            );
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
                run.fail(
                    1,
                    format!("column {} ({name:?})", i + 1),
                    Reason::coded(
                        "csv-not-a-property",
                        &[
                            ("value", &format!("{t:?}")),
                            ("schema", &schema.name),
                            ("column", &name),
                        ],
                    ),
                );
                targets.push(None);
            }
        }
    }
    for (from, _) in mapping.iter() {
        if !headers.iter().any(|h| h.trim() == from) {
            run.fail(
                1,
                "mapping",
                Reason::coded("csv-no-such-column", &[("column", &format!("{from:?}"))]),
            );
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
                    } => Reason::coded(
                        "csv-row-length",
                        &[("count", &len), ("expected", &expected_len)],
                    ),
                    csv::ErrorKind::Utf8 { .. } => Reason::coded("not-utf8", &[]),
                    _ => Reason::coded("csv-row-unreadable", &[("error", &e)]),
                };
                run.fail(line, "row", reason);
                run.lines += 1;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let bytes = record.position().map(|p| p.byte()).unwrap_or(0);
        run.lines += 1;
        if run.lines.is_multiple_of(5_000) {
            run.progress(run.lines, bytes)?;
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
            run.fail(line, "row", Reason::coded("not-utf8", &[]));
            continue;
        }
        obj.insert("properties".into(), Value::Object(props));
        let meta = run.defaults.clone();
        run.accept(line, &Value::Object(obj), meta)?;
    }
    run.progress(run.lines, reader.position().byte())
}

/// The separator the header row uses most among `,` `;` and tab (outside quotes).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line {
        if *b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if b == d {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

/// Reads CRLF line ends as LF, so that line numbers in error reports count as an editor does
/// (the CSV reader miscounts lines ended by CRLF, as Excel writes them).
struct CrlfToLf<R> {
    inner: R,
    pending_cr: bool,
}

impl<R: BufRead> std::io::Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                if self.pending_cr {
                    self.pending_cr = false;
                    out[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            let (mut written, mut used) = (0, 0);
            for &b in available {
                if written >= out.len() {
                    break;
                }
                if self.pending_cr {
                    self.pending_cr = false;
                    if b != b'\n' {
                        out[written] = b'\r';
                        written += 1;
                        if written >= out.len() {
                            break;
                        }
                    }
                }
                used += 1;
                if b == b'\r' {
                    self.pending_cr = true;
                } else {
                    out[written] = b;
                    written += 1;
                }
            }
            self.inner.consume(used);
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn crlf_reads_as_lf_in_any_buffer_size() {
        for cap in [1, 2, 3, 7, 64] {
            let input = std::io::BufReader::with_capacity(cap, &b"a,b\r\nc\rd\r\n\r"[..]);
            let mut out = String::new();
            CrlfToLf {
                inner: input,
                pending_cr: false,
            }
            .read_to_string(&mut out)
            .unwrap();
            assert_eq!(out, "a,b\nc\rd\n\r", "buffer {cap}");
        }
    }

    #[test]
    fn the_header_row_tells_the_delimiter() {
        assert_eq!(sniff_delimiter(b"name;birthDate;\"a,b\"\nx"), b';');
        assert_eq!(sniff_delimiter(b"name,birthDate"), b',');
        assert_eq!(sniff_delimiter(b"name\tbirthDate"), b'\t');
        assert_eq!(sniff_delimiter(b"name"), b',');
    }
}
