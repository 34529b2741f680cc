// The audit trail and its hash chain (SQL shared by both engines).

const AUDIT_COLS: &str = "seq, at, actor, agency, action, target, outcome, details, prev_hash, hash";

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

impl Engine {
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
}
