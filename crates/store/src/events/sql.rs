// The outbox of events and the node identity (SQL shared by both engines).

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

impl Engine {
    pub async fn outbox_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox").fetch_one(&self.read).await?;
        Ok(row.try_get("n")?)
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

    /// The events about `subject`, oldest first.
    pub async fn outbox_of_subject(&self, subject: &str, limit: i64) -> Result<Vec<OutboxEvent>> {
        let rows = sqlx::query(&format!("SELECT {OUTBOX_COLS} FROM outbox WHERE subject = $1 ORDER BY seq LIMIT $2"))
            .bind(subject)
            .bind(limit.clamp(1, 100_000))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(outbox_from_row).collect()
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
}
