// Matches, hit references and disclosure requests (SQL shared by both engines).

const MATCH_COLS: &str = "id, a_id, b_id, a_owner, b_owner, schema, score, explanation, reasons, found_at, updated_at";

const DISCLOSURE_COLS: &str = "id, record_id, owner_agency, requester_agency, requester, match_id, justification, status, \
    decided_by, decision_reason, added_codes, created_at, decided_at";

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

impl Engine {
    pub async fn matching_cursor(&self) -> Result<i64> {
        let row = sqlx::query("SELECT seq FROM matching_cursor WHERE id = 1").fetch_one(&self.read).await?;
        Ok(row.try_get("seq")?)
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

    /// The matches touching any of these records (each once), strongest first.
    pub async fn matches_of_many(&self, record_ids: &[String]) -> Result<Vec<MatchRow>> {
        let mut out: Vec<MatchRow> = Vec::new();
        for chunk in record_ids.chunks(BATCH_ROWS / 2) {
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {MATCH_COLS} FROM matches WHERE a_id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(format!(") UNION SELECT {MATCH_COLS} FROM matches WHERE b_id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.read).await? {
                out.push(match_from_row(&row)?);
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        out.dedup_by(|a, b| a.id == b.id);
        Ok(out)
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
}

impl WriteTx {
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
}
