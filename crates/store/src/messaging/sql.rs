// Messages, recipients' delivery states and attachments (SQL shared by both engines; the message
// search index is the dialect's `message_fts_index_many` and `push_message_text_filter`).

use pamir_domain::message::{Addressing, Priority, Receipt, RecipientKind};

use crate::{Attachment, Folder, MessageQuery, MessageViewer, NewMessage, Overdue, RecipientState, StoredMessage};

const MESSAGE_COLS: &str = "m.mid, m.id, m.thread_id, m.parent_id, m.relation, m.channel, m.sender, m.sender_agency, \
    m.subject, m.body, m.priority, m.classification, m.handling_codes, m.links, m.addressing, m.created_at, m.ack_due_at";
const RECIPIENT_COLS: &str =
    "message_id, kind, code, delivered_at, read_at, read_by, acked_at, acked_by, escalated_at";
const ATTACHMENT_COLS: &str = "id, message_id, owner_agency, uploaded_by, filename, content_type, size, sha256, \
    key_id, wrapped_key, created_at";

fn message_from_row(row: &DbRow) -> Result<StoredMessage> {
    let id: String = row.try_get("id")?;
    let bad = |what: &str| corrupt(format!("message {id}: {what}"));
    let priority: String = row.try_get("priority")?;
    let codes: String = row.try_get("handling_codes")?;
    let links: String = row.try_get("links")?;
    let addressing: String = row.try_get("addressing")?;
    Ok(StoredMessage {
        mid: row.try_get("mid")?,
        thread_id: row.try_get("thread_id")?,
        parent_id: row.try_get("parent_id")?,
        relation: row.try_get("relation")?,
        channel: row.try_get("channel")?,
        sender: row.try_get("sender")?,
        sender_agency: row.try_get("sender_agency")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        priority: priority.parse::<Priority>().map_err(|_| bad("priority"))?,
        classification: Classification::from_level(row.try_get("classification")?)
            .ok_or_else(|| bad("classification"))?,
        handling_codes: split_codes(&codes)
            .map(|c| c.parse::<HandlingCode>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("handling codes"))?,
        links: serde_json::from_str(&links).map_err(|_| bad("links"))?,
        addressing: serde_json::from_str::<Addressing>(&addressing).map_err(|_| bad("addressing"))?,
        created_at: row.try_get("created_at")?,
        ack_due_at: row.try_get("ack_due_at")?,
        recipients: Vec::new(),
        id,
    })
}

fn recipient_from_row(row: &DbRow) -> Result<(String, RecipientState)> {
    let kind: String = row.try_get("kind")?;
    Ok((
        row.try_get("message_id")?,
        RecipientState {
            kind: kind.parse::<RecipientKind>().map_err(corrupt)?,
            code: row.try_get("code")?,
            delivered_at: row.try_get("delivered_at")?,
            read_at: row.try_get("read_at")?,
            read_by: row.try_get("read_by")?,
            acked_at: row.try_get("acked_at")?,
            acked_by: row.try_get("acked_by")?,
            escalated_at: row.try_get("escalated_at")?,
        },
    ))
}

fn attachment_from_row(row: &DbRow) -> Result<Attachment> {
    Ok(Attachment {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        owner_agency: row.try_get("owner_agency")?,
        uploaded_by: row.try_get("uploaded_by")?,
        filename: row.try_get("filename")?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        key_id: row.try_get("key_id")?,
        wrapped_key: row.try_get("wrapped_key")?,
        created_at: row.try_get("created_at")?,
    })
}

/// `r` is a recipient row addressed to the viewer: their agency, their country if they are its
/// focal point, their agency's side of a channel if they are a BLO officer, an operation their
/// agency takes part in.
fn push_addressed_to(qb: &mut QueryBuilder<'_, Db>, v: &MessageViewer) {
    qb.push("((r.kind = 'agency' AND r.code = ")
        .push_bind(v.agency.clone())
        .push(")");
    if v.focal_point {
        qb.push(" OR (r.kind = 'country' AND r.code = ").push_bind(v.country.clone()).push(")");
    }
    if v.blo_officer {
        qb.push(" OR (r.kind = 'channel' AND r.code = ").push_bind(v.agency.clone()).push(")");
    }
    if !v.operations.is_empty() {
        qb.push(" OR (r.kind = 'operation' AND r.code IN (");
        let mut sep = qb.separated(", ");
        for o in &v.operations {
            sep.push_bind(o.clone());
        }
        qb.push("))");
    }
    qb.push(")");
}

impl Engine {
    /// Fills in the recipients of `messages`, in one query.
    async fn with_recipients(&self, mut messages: Vec<StoredMessage>) -> Result<Vec<StoredMessage>> {
        if messages.is_empty() {
            return Ok(messages);
        }
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {RECIPIENT_COLS} FROM message_recipients WHERE message_id IN ("));
        let mut sep = qb.separated(", ");
        for m in &messages {
            sep.push_bind(m.id.clone());
        }
        qb.push(") ORDER BY kind, code");
        let rows = qb.build().fetch_all(&self.read).await?;
        let mut by_id: std::collections::HashMap<String, Vec<RecipientState>> = Default::default();
        for row in &rows {
            let (id, state) = recipient_from_row(row)?;
            by_id.entry(id).or_default().push(state);
        }
        for m in &mut messages {
            m.recipients = by_id.remove(&m.id).unwrap_or_default();
        }
        Ok(messages)
    }

    pub async fn get_message(&self, id: &str) -> Result<Option<StoredMessage>> {
        let row = sqlx::query(&format!("SELECT {MESSAGE_COLS} FROM messages m WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(self.with_recipients(vec![message_from_row(&row)?]).await?.pop())
    }

    /// The messages of a thread, oldest first (access is the caller's to check per message).
    pub async fn thread(&self, thread_id: &str, limit: i64) -> Result<Vec<StoredMessage>> {
        let rows = sqlx::query(&format!(
            "SELECT {MESSAGE_COLS} FROM messages m WHERE m.thread_id = $1 ORDER BY m.mid LIMIT $2"
        ))
        .bind(thread_id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        let messages = rows.iter().map(message_from_row).collect::<Result<Vec<_>>>()?;
        self.with_recipients(messages).await
    }

    /// Messages the viewer may see, newest first.
    pub async fn list_messages(&self, q: &MessageQuery) -> Result<Vec<StoredMessage>> {
        let v = &q.viewer;
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {MESSAGE_COLS} FROM messages m WHERE m.classification <= "));
        qb.push_bind(v.clearance.level());
        let inbox = |qb: &mut QueryBuilder<'_, Db>, unread: bool| {
            qb.push("EXISTS (SELECT 1 FROM message_recipients r WHERE r.mid = m.mid AND ");
            push_addressed_to(qb, v);
            if unread {
                qb.push(" AND r.read_at IS NULL");
            }
            qb.push(")");
        };
        qb.push(" AND ");
        match q.folder {
            Folder::Inbox => inbox(&mut qb, q.unread_only),
            Folder::Sent => {
                qb.push("m.sender_agency = ").push_bind(v.agency.clone());
            }
            Folder::All => {
                qb.push("(m.sender_agency = ").push_bind(v.agency.clone()).push(" OR ");
                inbox(&mut qb, false);
                qb.push(")");
            }
        }
        if let Some(channel) = &q.channel {
            qb.push(" AND m.channel = ").push_bind(channel.clone());
        }
        let terms = clean_terms(&q.terms);
        if !terms.is_empty() {
            qb.push(" AND ");
            Engine::push_message_text_filter(&mut qb, &terms);
        }
        if let Some(p) = q.priority {
            qb.push(" AND m.priority = ").push_bind(p.as_str());
        }
        if let Some(s) = &q.sender {
            qb.push(" AND (m.sender = ").push_bind(s.clone()).push(" OR m.sender_agency = ").push_bind(s.clone()).push(")");
        }
        if let Some(link) = &q.link {
            qb.push(" AND m.mid IN (SELECT mid FROM message_links WHERE target = ").push_bind(link.clone()).push(")");
        }
        if let Some(from) = q.from {
            qb.push(" AND m.created_at >= ").push_bind(from);
        }
        if let Some(to) = q.to {
            qb.push(" AND m.created_at <= ").push_bind(to);
        }
        if let Some(before) = q.before {
            qb.push(" AND m.mid < ").push_bind(before);
        }
        qb.push(" ORDER BY m.mid DESC LIMIT ").push_bind(q.limit);
        let rows = qb.build().fetch_all(&self.read).await?;
        let messages = rows.iter().map(message_from_row).collect::<Result<Vec<_>>>()?;
        self.with_recipients(messages).await
    }

    /// Messages addressed to the viewer that nobody on their side has read yet.
    pub async fn unread_count(&self, v: &MessageViewer) -> Result<i64> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(DISTINCT r.mid) AS n FROM message_recipients r JOIN messages m ON m.mid = r.mid \
             WHERE r.read_at IS NULL AND m.classification <= ",
        );
        qb.push_bind(v.clearance.level()).push(" AND ");
        push_addressed_to(&mut qb, v);
        let row = qb.build().fetch_one(&self.read).await?;
        Ok(row.try_get("n")?)
    }

    /// Recipients whose acknowledgement was due by `now` and who were not escalated yet.
    pub async fn overdue(&self, now: i64, limit: i64) -> Result<Vec<Overdue>> {
        let rows = sqlx::query(
            "SELECT r.message_id, r.kind, r.code, m.ack_due_at FROM message_recipients r JOIN messages m ON m.mid = r.mid \
             WHERE r.acked_at IS NULL AND r.escalated_at IS NULL AND m.ack_due_at IS NOT NULL AND m.ack_due_at <= $1 \
             ORDER BY m.ack_due_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(Overdue {
                    message_id: row.try_get("message_id")?,
                    kind: kind.parse::<RecipientKind>().map_err(corrupt)?,
                    code: row.try_get("code")?,
                    ack_due_at: row.try_get("ack_due_at")?,
                })
            })
            .collect()
    }

    /// Outbox events of the given kinds after `seq`, oldest first.
    pub async fn outbox_kinds_after(&self, seq: i64, kinds: &[&str], limit: i64) -> Result<Vec<OutboxEvent>> {
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {OUTBOX_COLS} FROM outbox WHERE seq > "));
        qb.push_bind(seq).push(" AND kind IN (");
        let mut sep = qb.separated(", ");
        for k in kinds {
            sep.push_bind(k.to_string());
        }
        qb.push(") ORDER BY seq LIMIT ").push_bind(limit);
        let rows = qb.build().fetch_all(&self.read).await?;
        rows.iter().map(outbox_from_row).collect()
    }

    pub async fn get_attachment(&self, id: &str) -> Result<Option<Attachment>> {
        let row = sqlx::query(&format!("SELECT {ATTACHMENT_COLS} FROM attachments WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(attachment_from_row).transpose()
    }

    pub async fn attachments_of(&self, message_id: &str) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLS} FROM attachments WHERE message_id = $1 ORDER BY created_at, id"
        ))
        .bind(message_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// Uploads never attached to a message, made before `before`: to expire.
    pub async fn unattached_before(&self, before: i64, limit: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLS} FROM attachments WHERE message_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// How many uploads of `username` wait to be attached.
    pub async fn pending_uploads(&self, username: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM attachments WHERE message_id IS NULL AND uploaded_by = $1")
            .bind(username)
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Every attachment, in pages by id: for key rotation.
    pub async fn attachments_after(&self, after_id: &str, limit: i64) -> Result<Vec<Attachment>> {
        let rows = sqlx::query(&format!("SELECT {ATTACHMENT_COLS} FROM attachments WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(attachment_from_row).collect()
    }
}

fn receipt_column(state: Receipt) -> (&'static str, Option<&'static str>) {
    match state {
        Receipt::Delivered => ("delivered_at", None),
        Receipt::Read => ("read_at", Some("read_by")),
        Receipt::Acknowledged => ("acked_at", Some("acked_by")),
    }
}

impl WriteTx {
    /// Stores a batch of messages (a group commit) in a handful of statements: each with its
    /// recipients, links, search entry, `message.created` outbox event and audit entry, in order.
    /// Returns their `mid`s in the batch's order.
    pub async fn insert_messages(&mut self, batch: &[(NewMessage, AuditDraft)]) -> Result<Vec<i64>> {
        let mut mids: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for chunk in batch.chunks(200) {
            let mut qb = QueryBuilder::<Db>::new(
                "INSERT INTO messages (id, thread_id, parent_id, relation, channel, sender, sender_agency, subject, body, \
                 priority, classification, handling_codes, links, addressing, created_at, ack_due_at, search_text) ",
            );
            qb.push_values(chunk, |mut b, (m, _)| {
                b.push_bind(m.id.clone())
                    .push_bind(m.thread_id.clone())
                    .push_bind(m.parent_id.clone())
                    .push_bind(m.relation.clone())
                    .push_bind(m.channel.clone())
                    .push_bind(m.sender.clone())
                    .push_bind(m.sender_agency.clone())
                    .push_bind(m.subject.clone())
                    .push_bind(m.body.clone())
                    .push_bind(m.priority.as_str())
                    .push_bind(m.classification.level())
                    .push_bind(join_codes(&m.handling_codes))
                    .push_bind(serde_json::to_string(&m.links).unwrap_or_else(|_| "[]".into()))
                    .push_bind(serde_json::to_string(&m.addressing).unwrap_or_else(|_| "{}".into()))
                    .push_bind(m.created_at)
                    .push_bind(m.ack_due_at)
                    .push_bind(m.search_text.clone());
            });
            qb.push(" RETURNING id, mid");
            let rows = qb
                .build()
                .fetch_all(&mut *self.tx)
                .await
                .map_err(|e| classify(e, "a message id", "-"))?;
            for row in &rows {
                mids.insert(row.try_get("id")?, row.try_get("mid")?);
            }
        }
        let mid_of = |id: &str| mids.get(id).copied().ok_or_else(|| corrupt(format!("message {id} was not stored")));
        let mut recipients = Vec::new();
        let mut links = Vec::new();
        let mut texts = Vec::new();
        for (m, _) in batch {
            let mid = mid_of(&m.id)?;
            recipients.extend(m.recipients.iter().map(|(k, c)| (m.id.clone(), mid, k.as_str(), c.clone())));
            let mut own: Vec<&String> = m.links.iter().collect();
            own.sort();
            own.dedup();
            links.extend(own.into_iter().map(|l| (mid, l.clone())));
            texts.push((mid, m.search_text.clone()));
        }
        for chunk in recipients.chunks(500) {
            let mut qb = QueryBuilder::<Db>::new("INSERT INTO message_recipients (message_id, mid, kind, code) ");
            qb.push_values(chunk, |mut b, (id, mid, kind, code)| {
                b.push_bind(id.clone()).push_bind(*mid).push_bind(*kind).push_bind(code.clone());
            });
            qb.build().execute(&mut *self.tx).await?;
        }
        for chunk in links.chunks(500) {
            let mut qb = QueryBuilder::<Db>::new("INSERT INTO message_links (mid, target) ");
            qb.push_values(chunk, |mut b, (mid, target)| {
                b.push_bind(*mid).push_bind(target.clone());
            });
            qb.build().execute(&mut *self.tx).await?;
        }
        Engine::message_fts_index_many(&mut self.tx, &texts).await?;
        for (m, _) in batch {
            for a in &m.attachments {
                let bound = sqlx::query(
                    "UPDATE attachments SET message_id = $1 WHERE id = $2 AND message_id IS NULL AND uploaded_by = $3",
                )
                .bind(&m.id)
                .bind(a)
                .bind(&m.sender)
                .execute(&mut *self.tx)
                .await?;
                if bound.rows_affected() != 1 {
                    return Err(StoreError::MissingReference(format!("attachment {a}")));
                }
            }
        }
        let drafts: Vec<&AuditDraft> = batch.iter().map(|(_, d)| d).collect();
        self.audit_many(&drafts).await?;
        batch.iter().map(|(m, _)| mid_of(&m.id)).collect()
    }

    /// Marks messages delivered to recipients (those not marked yet) in one statement per chunk.
    /// Returns the indexes of the items that changed (the caller writes their receipts' events).
    pub async fn mark_delivered(&mut self, items: &[(String, RecipientKind, String)]) -> Result<Vec<usize>> {
        let mut changed = Vec::new();
        const CHUNK: usize = 300;
        for (n, chunk) in items.chunks(CHUNK).enumerate() {
            let mut qb = QueryBuilder::<Db>::new("UPDATE message_recipients SET delivered_at = ");
            qb.push_bind(self.now).push(" WHERE delivered_at IS NULL AND (message_id, kind, code) IN (VALUES ");
            let mut sep = qb.separated(", ");
            for (id, kind, code) in chunk {
                sep.push("(");
                sep.push_bind_unseparated(id.clone());
                sep.push_unseparated(", ");
                sep.push_bind_unseparated(kind.as_str());
                sep.push_unseparated(", ");
                sep.push_bind_unseparated(code.clone());
                sep.push_unseparated(")");
            }
            qb.push(") RETURNING message_id, kind, code");
            let rows = qb.build().fetch_all(&mut *self.tx).await?;
            let base = n * CHUNK;
            for row in &rows {
                let (id, kind, code): (String, String, String) =
                    (row.try_get("message_id")?, row.try_get("kind")?, row.try_get("code")?);
                if let Some(i) = chunk.iter().position(|(i, k, c)| *i == id && k.as_str() == kind && *c == code) {
                    changed.push(base + i);
                }
            }
        }
        changed.sort_unstable();
        Ok(changed)
    }

    /// Sets a recipient's `state` (and the earlier states it implies) if not set yet; returns
    /// true when something changed (the caller writes the receipt's event).
    pub async fn set_receipt(
        &mut self,
        message_id: &str,
        kind: RecipientKind,
        code: &str,
        state: Receipt,
        by: &str,
    ) -> Result<bool> {
        let (col, by_col) = receipt_column(state);
        let mut sets = vec![format!("{col} = $1")];
        if let Some(b) = by_col {
            sets.push(format!("{b} = $2"));
        }
        // Reading implies delivery; acknowledging implies both.
        for implied in Receipt::ALL.iter().filter(|s| **s < state) {
            let (c, b) = receipt_column(*implied);
            sets.push(format!("{c} = COALESCE({c}, $1)"));
            if let Some(b) = b {
                sets.push(format!("{b} = COALESCE({b}, $2)"));
            }
        }
        let sql = format!(
            "UPDATE message_recipients SET {} WHERE message_id = $3 AND kind = $4 AND code = $5 AND {col} IS NULL",
            sets.join(", ")
        );
        let done = sqlx::query(&sql)
            .bind(self.now)
            .bind(by)
            .bind(message_id)
            .bind(kind.as_str())
            .bind(code)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks an overdue recipient escalated and addresses the message to `country`'s focal points
    /// as well (`addressing` is the message's new addressing); returns whether it changed (the
    /// caller writes `message.escalated`).
    pub async fn escalate(
        &mut self,
        message_id: &str,
        kind: RecipientKind,
        code: &str,
        country: &str,
        addressing: &Addressing,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE message_recipients SET escalated_at = $1 WHERE message_id = $2 AND kind = $3 AND code = $4 \
             AND escalated_at IS NULL AND acked_at IS NULL",
        )
        .bind(self.now)
        .bind(message_id)
        .bind(kind.as_str())
        .bind(code)
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO message_recipients (message_id, mid, kind, code, escalated_at) \
             SELECT id, mid, 'country', $2, $3 FROM messages WHERE id = $1 ON CONFLICT DO NOTHING",
        )
        .bind(message_id)
        .bind(country)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        sqlx::query("UPDATE messages SET addressing = $1 WHERE id = $2")
            .bind(serde_json::to_string(addressing).unwrap_or_else(|_| "{}".into()))
            .bind(message_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(true)
    }

    pub async fn insert_attachment(&mut self, a: &Attachment) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO attachments ({ATTACHMENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&a.id)
        .bind(a.message_id.as_deref())
        .bind(&a.owner_agency)
        .bind(&a.uploaded_by)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(a.size)
        .bind(&a.sha256)
        .bind(&a.key_id)
        .bind(&a.wrapped_key)
        .bind(a.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, &format!("attachment {}", a.id), "message"))?;
        Ok(())
    }

    /// Removes an upload if it is still unattached; false if a message took it meanwhile.
    pub async fn delete_unattached(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM attachments WHERE id = $1 AND message_id IS NULL")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces an attachment's wrapped key (key rotation), if it is still wrapped by `old_key_id`.
    pub async fn rewrap_attachment(&mut self, id: &str, old_key_id: &str, key_id: &str, wrapped_key: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE attachments SET key_id = $1, wrapped_key = $2 WHERE id = $3 AND key_id = $4")
            .bind(key_id)
            .bind(wrapped_key)
            .bind(id)
            .bind(old_key_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

