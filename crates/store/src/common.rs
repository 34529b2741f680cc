// SQL shared by both engines. This file is `include!`d by `sqlite.rs` and `postgres.rs`, each of
// which defines `Db`, `Engine` (with `Engine::begin`) and `WriteTx`, and implements
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
    schema, AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, RecordMeta, Role, Username,
};
use sqlx::{QueryBuilder, Row};

use crate::dialect::{created_payload, join_codes, Dialect, RecordValues};

use crate::{
    classify, now_ms, Agency, AuditQuery, Country, Disclosure, ExistingId, Link, MatchRow, NewRecord, OutboxEvent,
    RecordQuery, Result, Session, SessionKind, StoreError, StoredRecord, User,
};

type DbRow = <Db as sqlx::Database>::Row;

const RECORD_COLS: &str = "r.rid, r.id, r.schema, r.properties, r.caption, r.owner_agency, r.classification, \
    r.all_members, r.scope_countries, r.scope_agencies, r.handling_codes, r.evaluation, r.version, \
    r.created_at, r.updated_at, r.created_by, r.updated_by";
const USER_COLS: &str = "username, display_name, agency, roles, clearance, password_hash, totp_secret, totp_last_step, language, \
    disabled, failed_logins, locked_until, created_at, updated_at";
const SESSION_COLS: &str =
    "id, token_hash, username, kind, label, csrf_token, created_at, expires_at, last_used_at, revoked_at";
const AUDIT_COLS: &str = "seq, at, actor, agency, action, target, outcome, details, prev_hash, hash";
const LINK_COLS: &str = "id, kind, source_id, target_id, role, owner_agency, created_by, created_at";
const MATCH_COLS: &str = "id, a_id, b_id, a_owner, b_owner, schema, score, explanation, reasons, found_at, updated_at";
const DISCLOSURE_COLS: &str = "id, record_id, owner_agency, requester_agency, requester, match_id, justification, status, \
    decided_by, decision_reason, added_codes, created_at, decided_at";

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

fn match_from_row(row: &DbRow) -> Result<MatchRow> {
    Ok(MatchRow {
        id: row.try_get("id")?,
        a_id: row.try_get("a_id")?,
        b_id: row.try_get("b_id")?,
        a_owner: row.try_get("a_owner")?,
        b_owner: row.try_get("b_owner")?,
        schema: row.try_get("schema")?,
        score: row.try_get("score")?,
        explanation: row.try_get("explanation")?,
        reasons: row.try_get("reasons")?,
        found_at: row.try_get("found_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn disclosure_from_row(row: &DbRow) -> Result<Disclosure> {
    Ok(Disclosure {
        id: row.try_get("id")?,
        record_id: row.try_get("record_id")?,
        owner_agency: row.try_get("owner_agency")?,
        requester_agency: row.try_get("requester_agency")?,
        requester: row.try_get("requester")?,
        match_id: row.try_get("match_id")?,
        justification: row.try_get("justification")?,
        status: row.try_get("status")?,
        decided_by: row.try_get("decided_by")?,
        decision_reason: row.try_get("decision_reason")?,
        added_codes: row.try_get("added_codes")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

fn outbox_from_row(r: &DbRow) -> Result<OutboxEvent> {
    let payload: String = r.try_get("payload")?;
    Ok(OutboxEvent {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        kind: r.try_get("kind")?,
        subject: r.try_get("subject")?,
        payload: serde_json::from_str(&payload).map_err(corrupt)?,
        origin: r.try_get("origin")?,
        origin_seq: r.try_get("origin_seq")?,
    })
}

/// The outbox columns `outbox_from_row` reads.
const OUTBOX_COLS: &str = "seq, at, kind, subject, payload, origin, COALESCE(origin_seq, seq) AS origin_seq";

fn record_from_row(row: &DbRow) -> Result<StoredRecord> {
    let id: String = row.try_get("id")?;
    let schema_name: String = row.try_get("schema")?;
    let schema = schema::schema(&schema_name).ok_or_else(|| corrupt(format!("record {id}: schema {schema_name}")))?;
    let props_json: String = row.try_get("properties")?;
    let properties: entity::Properties =
        serde_json::from_str(&props_json).map_err(|e| corrupt(format!("record {id}: properties: {e}")))?;
    let owner: String = row.try_get("owner_agency")?;
    let classification: i64 = row.try_get("classification")?;
    let countries: String = row.try_get("scope_countries")?;
    let agencies: String = row.try_get("scope_agencies")?;
    let codes: String = row.try_get("handling_codes")?;
    let evaluation: Option<String> = row.try_get("evaluation")?;
    let bad = |what: &str| corrupt(format!("record {id}: {what}"));
    let meta = RecordMeta {
        owner: AgencyCode::parse(&owner).map_err(|_| bad("owner"))?,
        classification: Classification::from_level(classification).ok_or_else(|| bad("classification"))?,
        dissemination: Dissemination {
            all_members: row.try_get::<i64, _>("all_members")? != 0,
            countries: split_codes(&countries)
                .map(CountryCode::parse)
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| bad("countries"))?,
            agencies: split_codes(&agencies)
                .map(AgencyCode::parse)
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| bad("agencies"))?,
        },
        handling_codes: split_codes(&codes)
            .map(|c| c.parse::<HandlingCode>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("handling codes"))?,
        evaluation: match evaluation {
            Some(e) if e.len() == 2 => Some(Evaluation::parse(&e[..1], &e[1..]).map_err(|_| bad("evaluation"))?),
            _ => None,
        },
    };
    Ok(StoredRecord {
        rid: row.try_get("rid")?,
        entity: Entity { id: EntityId::parse(&id).map_err(|_| bad("id"))?, schema, properties },
        meta,
        caption: row.try_get("caption")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        created_by: row.try_get("created_by")?,
        updated_by: row.try_get("updated_by")?,
    })
}

fn user_from_row(row: &DbRow) -> Result<User> {
    let username: String = row.try_get("username")?;
    let bad = |what: &str| corrupt(format!("user {username}: {what}"));
    let roles: String = row.try_get("roles")?;
    Ok(User {
        username: Username::parse(&username).map_err(|_| bad("username"))?,
        display_name: row.try_get("display_name")?,
        agency: AgencyCode::parse(&row.try_get::<String, _>("agency")?).map_err(|_| bad("agency"))?,
        roles: split_codes(&roles).map(|r| r.parse::<Role>()).collect::<std::result::Result<_, _>>().map_err(|_| bad("roles"))?,
        clearance: Classification::from_level(row.try_get("clearance")?).ok_or_else(|| bad("clearance"))?,
        password_hash: pamir_domain::secret::Secret::new(row.try_get::<String, _>("password_hash")?),
        totp_secret: row.try_get::<Option<String>, _>("totp_secret")?.map(pamir_domain::secret::Secret::new),
        totp_last_step: row.try_get("totp_last_step")?,
        language: row.try_get("language")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn session_from_row(row: &DbRow) -> Result<Session> {
    let username: String = row.try_get("username")?;
    let kind: String = row.try_get("kind")?;
    Ok(Session {
        id: row.try_get("id")?,
        token_hash: row.try_get("token_hash")?,
        username: Username::parse(&username).map_err(|_| corrupt("session username"))?,
        kind: match kind.as_str() {
            "api" => SessionKind::Api,
            _ => SessionKind::Web,
        },
        label: row.try_get("label")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// Reads an audit row whatever was done to it. A value of the wrong type (someone edited the
/// database) is read as a sentinel, which cannot hash as the original did: verification then
/// names the entry instead of failing to read it.
fn audit_from_row(row: &DbRow) -> Result<AuditEntry> {
    let int = |col: &str| -> i64 {
        row.try_get::<i64, _>(col)
            .ok()
            .or_else(|| row.try_get::<String, _>(col).ok().and_then(|s| s.parse().ok()))
            .unwrap_or(i64::MIN)
    };
    let text = |col: &str| -> String {
        row.try_get::<String, _>(col)
            .ok()
            .or_else(|| row.try_get::<i64, _>(col).ok().map(|n| n.to_string()))
            .unwrap_or_else(|| "\u{fffd}unreadable".to_string())
    };
    Ok(AuditEntry {
        seq: int("seq"),
        at: int("at"),
        actor: text("actor"),
        agency: text("agency"),
        action: text("action"),
        target: text("target"),
        outcome: text("outcome"),
        details: text("details"),
        prev_hash: text("prev_hash"),
        hash: text("hash"),
    })
}

fn link_from_row(row: &DbRow) -> Result<Link> {
    let kind: String = row.try_get("kind")?;
    let owner: String = row.try_get("owner_agency")?;
    Ok(Link {
        id: row.try_get("id")?,
        kind: kind.parse::<LinkKind>().map_err(corrupt)?,
        source: row.try_get("source_id")?,
        target: row.try_get("target_id")?,
        role: row.try_get("role")?,
        owner: AgencyCode::parse(&owner).map_err(corrupt)?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

fn country_from_row(row: &DbRow) -> Result<Country> {
    let code: String = row.try_get("code")?;
    let status: String = row.try_get("status")?;
    Ok(Country {
        code: CountryCode::parse(&code).map_err(corrupt)?,
        names: names_from_row(row)?,
        status: status.parse::<CountryStatus>().map_err(corrupt)?,
    })
}

fn agency_from_row(row: &DbRow) -> Result<Agency> {
    let code: String = row.try_get("code")?;
    let country: String = row.try_get("country")?;
    let kind: String = row.try_get("kind")?;
    Ok(Agency {
        code: AgencyCode::parse(&code).map_err(corrupt)?,
        country: CountryCode::parse(&country).map_err(corrupt)?,
        kind: kind.parse::<AgencyKind>().map_err(corrupt)?,
        names: names_from_row(row)?,
    })
}

fn names_from_row(row: &DbRow) -> Result<Names> {
    let names: String = row.try_get("names")?;
    Ok(Names::from_stored(
        serde_json::from_str(&names).map_err(corrupt)?,
    ))
}

fn names_json(names: &Names) -> String {
    serde_json::to_string(names.as_map()).unwrap_or_else(|_| "{}".into())
}

/// States the access policy's `Full` rule in SQL (see `pamir_domain::access::FullAccessFilter`).
fn push_access_filter(qb: &mut QueryBuilder<'_, Db>, f: &FullAccessFilter) {
    qb.push(" r.classification <= ").push_bind(f.max_classification.level());
    qb.push(" AND (r.owner_agency = ").push_bind(f.agency.as_str().to_string());
    if f.all_members_visible {
        qb.push(" OR r.all_members = 1");
    }
    qb.push(" OR EXISTS (SELECT 1 FROM record_scope s WHERE s.rid = r.rid AND ((s.kind = 'c' AND s.code = ")
        .push_bind(f.country.as_str().to_string())
        .push(") OR (s.kind = 'a' AND s.code = ")
        .push_bind(f.agency.as_str().to_string())
        .push("))))");
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

    pub async fn list_countries(&self) -> Result<Vec<Country>> {
        let rows = sqlx::query("SELECT code, names, status FROM countries ORDER BY code")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(country_from_row).collect()
    }

    pub async fn get_country(&self, code: &str) -> Result<Option<Country>> {
        let row = sqlx::query("SELECT code, names, status FROM countries WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(country_from_row).transpose()
    }

    pub async fn list_agencies(&self) -> Result<Vec<Agency>> {
        let rows = sqlx::query("SELECT code, country, kind, names FROM agencies ORDER BY code")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(agency_from_row).collect()
    }

    pub async fn get_agency(&self, code: &str) -> Result<Option<Agency>> {
        let row = sqlx::query("SELECT code, country, kind, names FROM agencies WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(agency_from_row).transpose()
    }

    pub async fn get_user(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn agency_users(&self, agency: &str) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE agency = $1 ORDER BY username"))
            .bind(agency)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn list_users(&self, country: Option<&str>) -> Result<Vec<User>> {
        let rows = match country {
            Some(c) => {
                sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE agency LIKE $1 ORDER BY username"))
                    .bind(format!("{c}-%"))
                    .fetch_all(&self.read)
                    .await?
            }
            None => sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY username")).fetch_all(&self.read).await?,
        };
        rows.iter().map(user_from_row).collect()
    }

    pub async fn find_session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// A session with its user and the status of the user's country, in one query: every
    /// authenticated request asks for all three.
    pub async fn find_session_user(&self, token_hash: &str) -> Result<Option<(Session, User, Option<CountryStatus>)>> {
        let user_cols = USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(&format!(
            "SELECT {user_cols}, s.id, s.token_hash, s.kind, s.label, s.csrf_token, s.created_at AS session_created_at, \
             s.expires_at, s.last_used_at, s.revoked_at, c.status AS country_status \
             FROM sessions s JOIN users u ON u.username = s.username \
             LEFT JOIN countries c ON c.code = substr(u.agency, 1, 2) WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row)?;
        let kind: String = row.try_get("kind")?;
        let session = Session {
            id: row.try_get("id")?,
            token_hash: row.try_get("token_hash")?,
            username: user.username.clone(),
            kind: match kind.as_str() {
                "api" => SessionKind::Api,
                _ => SessionKind::Web,
            },
            label: row.try_get("label")?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: row.try_get("session_created_at")?,
            expires_at: row.try_get("expires_at")?,
            last_used_at: row.try_get("last_used_at")?,
            revoked_at: row.try_get("revoked_at")?,
        };
        let status: Option<String> = row.try_get("country_status")?;
        let status = status.map(|s| s.parse::<CountryStatus>().map_err(corrupt)).transpose()?;
        Ok(Some((session, user, status)))
    }

    pub async fn get_session(&self, id: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Records that a session was used; not audited and outside the chain lock, so it never
    /// waits behind a long import.
    pub async fn touch_session(&self, id: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2").bind(at).bind(id).execute(&self.write).await?;
        Ok(())
    }

    pub async fn list_sessions(&self, username: &str) -> Result<Vec<Session>> {
        let rows = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE username = $1 ORDER BY created_at DESC"))
            .bind(username)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(session_from_row).collect()
    }

    pub async fn get_record(&self, id: &str) -> Result<Option<StoredRecord>> {
        let row = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records r WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    pub async fn get_records(&self, ids: &[String]) -> Result<Vec<StoredRecord>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(BATCH_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {RECORD_COLS} FROM records r WHERE r.id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.read).await? {
                out.push(record_from_row(&row)?);
            }
        }
        Ok(out)
    }

    /// Records the filter admits in full, newest first, narrowed by `query`.
    pub async fn list_records(&self, filter: &FullAccessFilter, query: &RecordQuery) -> Result<Vec<StoredRecord>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {RECORD_COLS} FROM records r WHERE"));
        push_access_filter(&mut qb, filter);
        if let Some(s) = &query.schema {
            qb.push(" AND r.schema = ").push_bind(s.clone());
        }
        if let Some(c) = &query.owner_country {
            qb.push(" AND r.owner_country = ").push_bind(c.as_str().to_string());
        }
        if let Some(a) = &query.owner_agency {
            qb.push(" AND r.owner_agency = ").push_bind(a.as_str().to_string());
        }
        if let Some(c) = query.classification {
            qb.push(" AND r.classification = ").push_bind(c.level());
        }
        if let Some(b) = query.before {
            qb.push(" AND r.rid < ").push_bind(b);
        }
        let terms = clean_terms(&query.terms);
        if !terms.is_empty() {
            qb.push(" AND ");
            Engine::push_text_filter(&mut qb, &terms);
        }
        qb.push(" ORDER BY r.rid DESC LIMIT ").push_bind(query.limit.clamp(1, 10_000));
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(record_from_row).collect()
    }

    /// How many records of each schema the filter admits.
    pub async fn count_records(&self, filter: &FullAccessFilter) -> Result<Vec<(String, i64)>> {
        let mut qb = QueryBuilder::<Db>::new("SELECT r.schema AS schema, COUNT(*) AS n FROM records r WHERE");
        push_access_filter(&mut qb, filter);
        qb.push(" GROUP BY r.schema ORDER BY r.schema");
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(|r| Ok((r.try_get("schema")?, r.try_get("n")?))).collect()
    }

    pub async fn links_of(&self, record_id: &str) -> Result<Vec<Link>> {
        let rows = sqlx::query(&format!(
            "SELECT {LINK_COLS} FROM links WHERE source_id = $1 UNION SELECT {LINK_COLS} FROM links WHERE target_id = $1 ORDER BY created_at"
        ))
        .bind(record_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(link_from_row).collect()
    }

    pub async fn get_link(&self, id: &str) -> Result<Option<Link>> {
        let row = sqlx::query(&format!("SELECT {LINK_COLS} FROM links WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(link_from_row).transpose()
    }

    pub async fn list_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {AUDIT_COLS} FROM audit_log WHERE 1 = 1"));
        if let Some(a) = &q.actor {
            qb.push(" AND actor = ").push_bind(a.clone());
        }
        if let Some(a) = &q.action {
            if let Some(prefix) = a.strip_suffix(".*") {
                qb.push(" AND action LIKE ").push_bind(format!("{prefix}.%"));
            } else {
                qb.push(" AND action = ").push_bind(a.clone());
            }
        }
        if let Some(t) = &q.target {
            qb.push(" AND target = ").push_bind(t.clone());
        }
        if let Some(a) = &q.agency {
            qb.push(" AND agency = ").push_bind(a.clone());
        }
        if let Some(f) = q.from {
            qb.push(" AND at >= ").push_bind(f);
        }
        if let Some(t) = q.to {
            qb.push(" AND at <= ").push_bind(t);
        }
        if let Some(b) = q.before {
            qb.push(" AND seq < ").push_bind(b);
        }
        qb.push(" ORDER BY seq DESC LIMIT ").push_bind(q.limit.clamp(1, 10_000));
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(audit_from_row).collect()
    }

    /// Entries after `after_seq` in sequence order: `pamir audit verify` walks the chain page by page.
    pub async fn audit_page(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(&format!("SELECT {AUDIT_COLS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"))
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(audit_from_row).collect()
    }

    pub async fn chain_head(&self) -> Result<(i64, String)> {
        let row = sqlx::query("SELECT audit_seq, audit_hash FROM chain_head WHERE id = 1").fetch_one(&self.read).await?;
        Ok((row.try_get("audit_seq")?, row.try_get("audit_hash")?))
    }

    pub async fn outbox_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox").fetch_one(&self.read).await?;
        Ok(row.try_get("n")?)
    }

    pub async fn matching_cursor(&self) -> Result<i64> {
        let row = sqlx::query("SELECT seq FROM matching_cursor WHERE id = 1").fetch_one(&self.read).await?;
        Ok(row.try_get("seq")?)
    }

    /// This installation's node id, once it has one.
    pub async fn node_id(&self) -> Result<Option<String>> {
        let row = sqlx::query("SELECT node FROM node_identity WHERE id = 1").fetch_optional(&self.read).await?;
        Ok(match row {
            Some(r) => Some(r.try_get("node")?),
            None => None,
        })
    }

    pub async fn outbox_last_seq(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS n FROM outbox").fetch_one(&self.read).await?;
        Ok(row.try_get("n")?)
    }

    /// Records of the given schemata after `after_rid`, in rid order (to read them all in pages).
    pub async fn records_after(&self, after_rid: i64, limit: i64, schemata: &[&str]) -> Result<Vec<StoredRecord>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {RECORD_COLS} FROM records r WHERE r.rid > "));
        qb.push_bind(after_rid);
        if !schemata.is_empty() {
            qb.push(" AND r.schema IN (");
            let mut sep = qb.separated(", ");
            for s in schemata {
                sep.push_bind(s.to_string());
            }
            qb.push(")");
        }
        qb.push(" ORDER BY r.rid LIMIT ").push_bind(limit.clamp(1, 100_000));
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(record_from_row).collect()
    }

    pub async fn matches_of(&self, record_id: &str) -> Result<Vec<MatchRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {MATCH_COLS} FROM matches WHERE a_id = $1 UNION ALL \
             SELECT {MATCH_COLS} FROM matches WHERE b_id = $1 ORDER BY score DESC"
        ))
        .bind(record_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(match_from_row).collect()
    }

    /// Matches touching records of these agencies, most recently found or changed first.
    pub async fn matches_owned_by(&self, agencies: &[String], limit: i64) -> Result<Vec<MatchRow>> {
        if agencies.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {MATCH_COLS} FROM matches WHERE a_owner IN ("));
        let mut sep = qb.separated(", ");
        for a in agencies {
            sep.push_bind(a.clone());
        }
        qb.push(") OR b_owner IN (");
        let mut sep = qb.separated(", ");
        for a in agencies {
            sep.push_bind(a.clone());
        }
        qb.push(") ORDER BY updated_at DESC, id LIMIT ").push_bind(limit.clamp(1, 10_000));
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(match_from_row).collect()
    }

    pub async fn get_match(&self, id: &str) -> Result<Option<MatchRow>> {
        let row = sqlx::query(&format!("SELECT {MATCH_COLS} FROM matches WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(match_from_row).transpose()
    }

    /// The record behind a screening hit's reference, for the agency it was given to.
    pub async fn hit_reference(&self, id: &str, agency: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT record_id FROM hit_references WHERE id = $1 AND agency = $2")
            .bind(id)
            .bind(agency)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| r.try_get("record_id")).transpose()?)
    }

    pub async fn get_disclosure(&self, id: &str) -> Result<Option<Disclosure>> {
        let row = sqlx::query(&format!("SELECT {DISCLOSURE_COLS} FROM disclosure_requests WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(disclosure_from_row).transpose()
    }

    /// Requests to an owner agency, or from a requesting agency (or both), newest first.
    pub async fn list_disclosures(
        &self,
        owner: Option<&str>,
        requester: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Disclosure>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {DISCLOSURE_COLS} FROM disclosure_requests WHERE 1 = 1"));
        if let Some(o) = owner {
            qb.push(" AND owner_agency = ").push_bind(o.to_string());
        }
        if let Some(r) = requester {
            qb.push(" AND requester_agency = ").push_bind(r.to_string());
        }
        qb.push(" ORDER BY created_at DESC, id LIMIT ").push_bind(limit.clamp(1, 10_000));
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(disclosure_from_row).collect()
    }

    pub async fn pending_disclosure(&self, record_id: &str, requester_agency: &str) -> Result<Option<Disclosure>> {
        let row = sqlx::query(&format!(
            "SELECT {DISCLOSURE_COLS} FROM disclosure_requests \
             WHERE record_id = $1 AND requester_agency = $2 AND status = 'pending'"
        ))
        .bind(record_id)
        .bind(requester_agency)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(disclosure_from_row).transpose()
    }

    pub async fn outbox_after(&self, seq: i64, limit: i64) -> Result<Vec<OutboxEvent>> {
        let rows = sqlx::query(&format!("SELECT {OUTBOX_COLS} FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2"))
            .bind(seq)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(outbox_from_row).collect()
    }
}

impl WriteTx {
    pub async fn audit(&mut self, draft: &AuditDraft) -> Result<AuditEntry> {
        self.audit_many(&[draft]).await?.pop().ok_or_else(|| corrupt("no audit entry was sealed"))
    }

    /// Appends audit entries in order, in one statement per 200.
    pub async fn audit_many(&mut self, drafts: &[&AuditDraft]) -> Result<Vec<AuditEntry>> {
        let mut entries = Vec::with_capacity(drafts.len());
        for d in drafts {
            let e = AuditEntry::seal(d, self.seq + 1, self.now, &self.hash);
            self.seq = e.seq;
            self.hash = e.hash.clone();
            entries.push(e);
        }
        for chunk in entries.chunks(200) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO audit_log ({AUDIT_COLS}) "));
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(e.seq)
                    .push_bind(e.at)
                    .push_bind(e.actor.clone())
                    .push_bind(e.agency.clone())
                    .push_bind(e.action.clone())
                    .push_bind(e.target.clone())
                    .push_bind(e.outcome.clone())
                    .push_bind(e.details.clone())
                    .push_bind(e.prev_hash.clone())
                    .push_bind(e.hash.clone());
            });
            qb.build().execute(&mut *self.tx).await?;
        }
        if !entries.is_empty() {
            self.dirty = true;
        }
        Ok(entries)
    }

    /// Gives the installation its node id unless it has one; returns the id it has.
    pub async fn claim_node_id(&mut self, node: &str) -> Result<String> {
        sqlx::query("INSERT INTO node_identity (id, node, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING")
            .bind(node)
            .bind(self.now)
            .execute(&mut *self.tx)
            .await?;
        let row = sqlx::query("SELECT node FROM node_identity WHERE id = 1").fetch_one(&mut *self.tx).await?;
        Ok(row.try_get("node")?)
    }

    /// Appends an event to the outbox; returns its sequence number.
    pub async fn emit(&mut self, event: &Event) -> Result<i64> {
        let row = sqlx::query("INSERT INTO outbox (at, kind, subject, payload) VALUES ($1, $2, $3, $4) RETURNING seq")
            .bind(self.now)
            .bind(event.kind())
            .bind(event.subject())
            .bind(event.payload().to_string())
            .fetch_one(&mut *self.tx)
            .await?;
        Ok(row.try_get("seq")?)
    }

    /// Appends events in multi-row statements, one per run of events of the same kind.
    pub async fn emit_all(&mut self, events: &[Event]) -> Result<()> {
        for run in events.chunk_by(|a, b| a.kind() == b.kind()) {
            let rows: Vec<(String, String)> =
                run.iter().map(|e| (e.subject().to_string(), e.payload().to_string())).collect();
            Engine::insert_outbox_rows(&mut self.tx, run[0].kind(), &rows, self.now).await?;
        }
        Ok(())
    }

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

    /// Adds a country; one that is already registered is a `Duplicate`.
    pub async fn insert_country(&mut self, c: &Country) -> Result<()> {
        sqlx::query("INSERT INTO countries (code, names, status, created_at) VALUES ($1, $2, $3, $4)")
            .bind(c.code.as_str())
            .bind(names_json(&c.names))
            .bind(c.status.as_str())
            .bind(self.now)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, &format!("country {}", c.code), "-"))?;
        Ok(())
    }

    pub async fn upsert_country(&mut self, c: &Country) -> Result<()> {
        sqlx::query(
            "INSERT INTO countries (code, names, status, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET names = excluded.names, status = excluded.status",
        )
        .bind(c.code.as_str())
        .bind(names_json(&c.names))
        .bind(c.status.as_str())
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn insert_agency(&mut self, a: &Agency) -> Result<()> {
        sqlx::query("INSERT INTO agencies (code, country, kind, names, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(a.code.as_str())
            .bind(a.country.as_str())
            .bind(a.kind.as_str())
            .bind(names_json(&a.names))
            .bind(self.now)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, &format!("agency {}", a.code), &format!("country {}", a.country)))?;
        Ok(())
    }

    pub async fn insert_user(&mut self, u: &User) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(u.username.as_str())
        .bind(&u.display_name)
        .bind(u.agency.as_str())
        .bind(join_codes(&u.roles))
        .bind(u.clearance.level())
        .bind(u.password_hash.expose())
        .bind(u.totp_secret.as_ref().map(|s| s.expose()))
        .bind(u.totp_last_step)
        .bind(&u.language)
        .bind(i64::from(u.disabled))
        .bind(u.failed_logins)
        .bind(u.locked_until)
        .bind(self.now)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, &format!("user {}", u.username), &format!("agency {}", u.agency)))?;
        Ok(())
    }

    /// Changes what an administrator manages (name, roles, clearance, language) and nothing
    /// else: a concurrent login or password reset keeps what it wrote.
    pub async fn set_user_profile(&mut self, u: &User) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, roles = $2, clearance = $3, language = $4, updated_at = $5 \
             WHERE username = $6",
        )
        .bind(&u.display_name)
        .bind(join_codes(&u.roles))
        .bind(u.clearance.level())
        .bind(&u.language)
        .bind(self.now)
        .bind(u.username.as_str())
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Sets `set` (SQL assigning `$1`) on one user's row and stamps it; nothing else changes.
    async fn set_user_columns<T>(&mut self, username: &str, set: &str, value: T) -> Result<()>
    where
        T: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send,
    {
        let sql = format!("UPDATE users SET {set}, updated_at = $2 WHERE username = $3");
        let done = sqlx::query(&sql)
            .bind(value)
            .bind(self.now)
            .bind(username)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Disables or enables an account, clearing its failure count and lock.
    pub async fn set_user_disabled(&mut self, username: &str, disabled: bool) -> Result<()> {
        self.set_user_columns(username, "disabled = $1, failed_logins = 0, locked_until = NULL", i64::from(disabled)).await
    }

    /// Sets a new password hash, clearing the failure count and lock.
    pub async fn set_user_password(&mut self, username: &str, password_hash: &str) -> Result<()> {
        self.set_user_columns(username, "password_hash = $1, failed_logins = 0, locked_until = NULL", password_hash.to_string()).await
    }

    /// Enrols a new second factor (its last used step forgotten).
    pub async fn set_user_totp(&mut self, username: &str, secret: &str) -> Result<()> {
        self.set_user_columns(username, "totp_secret = $1, totp_last_step = NULL", secret.to_string()).await
    }

    /// Counts one failed login in a single statement, so that concurrent attempts each count;
    /// at `threshold` the account is locked until `lock_until` and the count starts again.
    /// Returns the lock when this failure set it.
    pub async fn count_login_failure(&mut self, username: &str, threshold: i64, lock_until: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "UPDATE users SET \
               locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END, \
               failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END \
             WHERE username = $3 RETURNING locked_until, failed_logins",
        )
        .bind(threshold)
        .bind(lock_until)
        .bind(username)
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let locked: Option<i64> = row.try_get("locked_until")?;
        let failed: i64 = row.try_get("failed_logins")?;
        Ok(locked.filter(|l| *l == lock_until && failed == 0))
    }

    /// Records a successful login, only if at this moment the account is still enabled, not
    /// locked, has the password that was checked and (with a second factor) has not seen this
    /// or a later step. False means one of those changed since it was read: no session.
    pub async fn record_login_success(
        &mut self,
        username: &str,
        checked_hash: &str,
        totp_step: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, \
               totp_last_step = COALESCE($1, totp_last_step) \
             WHERE username = $2 AND disabled = 0 AND password_hash = $3 \
               AND (locked_until IS NULL OR locked_until <= $4) \
               AND ($1 IS NULL OR totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(totp_step)
        .bind(username)
        .bind(checked_hash)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_session(&mut self, s: &Session) -> Result<()> {
        sqlx::query(&format!("INSERT INTO sessions ({SESSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
            .bind(&s.id)
            .bind(&s.token_hash)
            .bind(s.username.as_str())
            .bind(s.kind.as_str())
            .bind(&s.label)
            .bind(&s.csrf_token)
            .bind(s.created_at)
            .bind(s.expires_at)
            .bind(s.last_used_at)
            .bind(s.revoked_at)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, "session", &format!("user {}", s.username)))?;
        Ok(())
    }

    pub async fn revoke_session(&mut self, id: &str, at: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn revoke_user_sessions(&mut self, username: &str, at: i64) -> Result<u64> {
        let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE username = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(username)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }

    async fn insert_scope(&mut self, rows: &[(i64, &'static str, String)]) -> Result<()> {
        for chunk in rows.chunks(BATCH_ROWS * 4) {
            let mut qb = QueryBuilder::<Db>::new("INSERT INTO record_scope (rid, kind, code) ");
            qb.push_values(chunk, |mut b, (rid, kind, code)| {
                b.push_bind(*rid).push_bind(*kind).push_bind(code.clone());
            });
            qb.build().execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    pub async fn insert_record(&mut self, r: &NewRecord) -> Result<StoredRecord> {
        self.insert_records(std::slice::from_ref(r)).await?;
        let row = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records r WHERE r.id = $1"))
            .bind(r.entity.id.as_str())
            .fetch_one(&mut *self.tx)
            .await?;
        record_from_row(&row)
    }

    /// Inserts new records with their scope rows, search index entries and one outbox event each,
    /// in multi-row statements. Ids must be new.
    pub async fn insert_records(&mut self, batch: &[NewRecord]) -> Result<u64> {
        if batch.len() >= 500 && !self.bulk {
            Engine::bulk_settings(&mut self.tx).await?;
            self.bulk = true;
        }
        for chunk in batch.chunks(Engine::INSERT_CHUNK) {
            let values: Vec<RecordValues> = chunk.iter().map(RecordValues::of).collect();
            let actors: Vec<&str> = chunk.iter().map(|r| r.actor.as_str()).collect();
            let scope_rows: Vec<Vec<(&'static str, String)>> = chunk.iter().map(|r| RecordValues::scope_rows(&r.meta)).collect();
            let want_rids = Engine::NEEDS_RIDS_FOR_SEARCH || scope_rows.iter().any(|s| !s.is_empty());
            let rids = Engine::insert_record_rows(&mut self.tx, &values, &actors, self.now, want_rids)
                .await
                .map_err(|e| classify(e, "a record with this id", "its owner agency"))?;
            if want_rids {
                let mut scope = Vec::new();
                let mut fts = Vec::with_capacity(chunk.len());
                for ((v, rows), rid) in values.iter().zip(scope_rows).zip(rids) {
                    scope.extend(rows.into_iter().map(|(k, c)| (rid, k, c)));
                    fts.push((rid, v.search_text.to_string()));
                }
                self.insert_scope(&scope).await?;
                Engine::fts_index(&mut self.tx, &fts).await?;
            }
            if !Engine::WRITES_CREATED_EVENTS {
                let events: Vec<(String, String)> = values.iter().map(|v| (v.id.to_string(), created_payload(v))).collect();
                Engine::insert_outbox_rows(&mut self.tx, "record.created", &events, self.now).await?;
            }
        }
        Ok(batch.len() as u64)
    }

    /// The records with these ids, read inside the transaction (for changes checked against
    /// what is stored).
    pub async fn records_in_tx(&mut self, ids: &[String]) -> Result<Vec<StoredRecord>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(BATCH_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {RECORD_COLS} FROM records r WHERE r.id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&mut *self.tx).await? {
                out.push(record_from_row(&row)?);
            }
        }
        Ok(out)
    }

    pub async fn existing_ids(&mut self, ids: &[String]) -> Result<Vec<ExistingId>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(Engine::INSERT_CHUNK) {
            for row in Engine::existing_rows(&mut self.tx, chunk).await? {
                let owner: String = row.try_get("owner_agency")?;
                out.push(ExistingId {
                    id: row.try_get("id")?,
                    owner: AgencyCode::parse(&owner).map_err(corrupt)?,
                    version: row.try_get("version")?,
                });
            }
        }
        Ok(out)
    }

    /// Replaces a record's content and metadata if it is still at `expected_version`.
    pub async fn update_record(&mut self, r: &NewRecord, expected_version: i64) -> Result<StoredRecord> {
        let v = RecordValues::of(r);
        let row = sqlx::query(
            "UPDATE records SET properties = $1, caption = $2, classification = $3, all_members = $4, \
             scope_countries = $5, scope_agencies = $6, handling_codes = $7, evaluation = $8, search_text = $9, \
             version = version + 1, updated_at = $10, updated_by = $11 WHERE id = $12 AND version = $13 RETURNING rid, version",
        )
        .bind(v.properties)
        .bind(v.caption)
        .bind(v.classification)
        .bind(v.all_members)
        .bind(&v.scope_countries)
        .bind(&v.scope_agencies)
        .bind(&v.handling_codes)
        .bind(&v.evaluation)
        .bind(v.search_text)
        .bind(self.now)
        .bind(&r.actor)
        .bind(v.id)
        .bind(expected_version)
        .fetch_optional(&mut *self.tx)
        .await?;
        let Some(row) = row else {
            let current = sqlx::query("SELECT version FROM records WHERE id = $1")
                .bind(v.id)
                .fetch_optional(&mut *self.tx)
                .await?;
            return Err(match current {
                Some(c) => StoreError::Conflict { current: c.try_get("version")? },
                None => StoreError::NotFound,
            });
        };
        let rid: i64 = row.try_get("rid")?;
        sqlx::query("DELETE FROM record_scope WHERE rid = $1").bind(rid).execute(&mut *self.tx).await?;
        let scope: Vec<_> = RecordValues::scope_rows(&r.meta).into_iter().map(|(k, c)| (rid, k, c)).collect();
        self.insert_scope(&scope).await?;
        Engine::fts_unindex(&mut self.tx, rid).await?;
        Engine::fts_index(&mut self.tx, &[(rid, v.search_text.to_string())]).await?;
        let row = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records r WHERE r.rid = $1"))
            .bind(rid)
            .fetch_one(&mut *self.tx)
            .await?;
        record_from_row(&row)
    }

    /// Deletes a record (its scope rows and links go with it); with `expected_version`, only if
    /// it is still at that version. Returns what was deleted.
    pub async fn delete_record(&mut self, id: &str, expected_version: Option<i64>) -> Result<StoredRecord> {
        let row = sqlx::query(&format!("SELECT {RECORD_COLS} FROM records r WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let record = match row {
            Some(row) => record_from_row(&row)?,
            None => return Err(StoreError::NotFound),
        };
        if let Some(v) = expected_version {
            if v != record.version {
                return Err(StoreError::Conflict { current: record.version });
            }
        }
        Engine::fts_unindex(&mut self.tx, record.rid).await?;
        sqlx::query("DELETE FROM records WHERE rid = $1").bind(record.rid).execute(&mut *self.tx).await?;
        Ok(record)
    }

    pub async fn insert_link(&mut self, l: &Link) -> Result<()> {
        sqlx::query(&format!("INSERT INTO links ({LINK_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
            .bind(&l.id)
            .bind(l.kind.as_str())
            .bind(&l.source)
            .bind(&l.target)
            .bind(&l.role)
            .bind(l.owner.as_str())
            .bind(&l.created_by)
            .bind(l.created_at)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, "the link", "one of the linked records"))?;
        Ok(())
    }

    /// Stores a match, or updates its score and explanation; returns its id and whether it is
    /// new (the caller writes its `match.found` event).
    pub async fn upsert_match(&mut self, m: &MatchRow) -> Result<(String, bool)> {
        let row = sqlx::query(&format!(
            "INSERT INTO matches ({MATCH_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (a_id, b_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation, \
             reasons = excluded.reasons, \
             a_owner = excluded.a_owner, b_owner = excluded.b_owner, updated_at = excluded.updated_at \
             RETURNING id, found_at"
        ))
        .bind(&m.id)
        .bind(&m.a_id)
        .bind(&m.b_id)
        .bind(&m.a_owner)
        .bind(&m.b_owner)
        .bind(&m.schema)
        .bind(m.score)
        .bind(&m.explanation)
        .bind(&m.reasons)
        .bind(m.found_at)
        .bind(m.updated_at)
        .fetch_one(&mut *self.tx)
        .await?;
        let id: String = row.try_get("id")?;
        let found_at: i64 = row.try_get("found_at")?;
        let new = id == m.id && found_at == m.found_at;
        Ok((id, new))
    }

    pub async fn insert_hit_reference(&mut self, id: &str, record_id: &str, agency: &str) -> Result<()> {
        sqlx::query("INSERT INTO hit_references (id, record_id, agency, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(record_id)
            .bind(agency)
            .bind(self.now)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_matching_cursor(&mut self, seq: i64) -> Result<()> {
        sqlx::query("UPDATE matching_cursor SET seq = $1 WHERE id = 1").bind(seq).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Removes the record's matches except those with the other records in `keep`.
    pub async fn delete_matches_of(&mut self, record_id: &str, keep: &[String]) -> Result<u64> {
        let mut qb = QueryBuilder::<Db>::new("DELETE FROM matches WHERE ");
        for (k, (this, other)) in [("a_id", "b_id"), ("b_id", "a_id")].into_iter().enumerate() {
            if k > 0 {
                qb.push(" OR ");
            }
            qb.push(format!("({this} = ")).push_bind(record_id.to_string());
            if !keep.is_empty() {
                qb.push(format!(" AND {other} NOT IN ("));
                let mut sep = qb.separated(", ");
                for id in keep {
                    sep.push_bind(id.clone());
                }
                qb.push(")");
            }
            qb.push(")");
        }
        let done = qb.build().execute(&mut *self.tx).await?;
        Ok(done.rows_affected())
    }

    pub async fn insert_disclosure(&mut self, d: &Disclosure) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO disclosure_requests ({DISCLOSURE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&d.id)
        .bind(&d.record_id)
        .bind(&d.owner_agency)
        .bind(&d.requester_agency)
        .bind(&d.requester)
        .bind(&d.match_id)
        .bind(&d.justification)
        .bind(&d.status)
        .bind(&d.decided_by)
        .bind(&d.decision_reason)
        .bind(&d.added_codes)
        .bind(d.created_at)
        .bind(d.decided_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "the request", "the record"))?;
        Ok(())
    }

    /// Records the owner's decision on a pending request; `Conflict` when it was decided already.
    pub async fn decide_disclosure(&mut self, d: &Disclosure) -> Result<()> {
        let done = sqlx::query(
            "UPDATE disclosure_requests SET status = $1, decided_by = $2, decision_reason = $3, added_codes = $4, \
             decided_at = $5 WHERE id = $6 AND status = 'pending'",
        )
        .bind(&d.status)
        .bind(&d.decided_by)
        .bind(&d.decision_reason)
        .bind(&d.added_codes)
        .bind(d.decided_at)
        .bind(&d.id)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::AlreadyDecided);
        }
        Ok(())
    }

    pub async fn delete_link(&mut self, id: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM links WHERE id = $1").bind(id).execute(&mut *self.tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
