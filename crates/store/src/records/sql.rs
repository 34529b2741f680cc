// Records, their scope rows, search index and links (SQL shared by both engines).

const RECORD_COLS: &str = "r.rid, r.id, r.schema, r.properties, r.caption, r.owner_agency, r.classification, \
    r.all_members, r.scope_countries, r.scope_agencies, r.scope_operations, r.handling_codes, r.evaluation, r.version, \
    r.created_at, r.updated_at, r.created_by, r.updated_by";

const LINK_COLS: &str = "id, kind, source_id, target_id, role, owner_agency, created_by, created_at";

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
    let operations: String = row.try_get("scope_operations")?;
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
            operations: split_codes(&operations)
                .map(operation::parse_id)
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| bad("operations"))?,
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
        .push(")");
    if !f.operations.is_empty() {
        qb.push(" OR (s.kind = 'o' AND s.code IN (");
        let mut sep = qb.separated(", ");
        for o in &f.operations {
            sep.push_bind(o.clone());
        }
        qb.push("))");
    }
    qb.push(")))");
}

impl Engine {
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

    /// The links touching any of these records (each once), oldest first.
    pub async fn links_of_many(&self, record_ids: &[String]) -> Result<Vec<Link>> {
        let mut out: Vec<Link> = Vec::new();
        for chunk in record_ids.chunks(BATCH_ROWS / 2) {
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {LINK_COLS} FROM links WHERE source_id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(format!(") UNION SELECT {LINK_COLS} FROM links WHERE target_id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(")");
            for row in qb.build().fetch_all(&self.read).await? {
                out.push(link_from_row(&row)?);
            }
        }
        out.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        out.dedup_by(|a, b| a.id == b.id);
        Ok(out)
    }

    pub async fn get_link(&self, id: &str) -> Result<Option<Link>> {
        let row = sqlx::query(&format!("SELECT {LINK_COLS} FROM links WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(link_from_row).transpose()
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
}

impl WriteTx {
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
            let has_seizures = chunk.iter().any(|r| r.entity.schema.name == "Seizure");
            let want_rids = Engine::NEEDS_RIDS_FOR_SEARCH || has_seizures || scope_rows.iter().any(|s| !s.is_empty());
            let rids = Engine::insert_record_rows(&mut self.tx, &values, &actors, self.now, want_rids)
                .await
                .map_err(|e| classify(e, "a record with this id", "its owner agency"))?;
            if want_rids {
                let mut scope = Vec::new();
                let mut fts = Vec::with_capacity(chunk.len());
                for ((v, rows), rid) in values.iter().zip(scope_rows).zip(rids.iter().copied()) {
                    scope.extend(rows.into_iter().map(|(k, c)| (rid, k, c)));
                    fts.push((rid, v.search_text.to_string()));
                }
                self.insert_scope(&scope).await?;
                Engine::fts_index(&mut self.tx, &fts).await?;
                if has_seizures {
                    let facts = seizure_facts_of(
                        chunk
                            .iter()
                            .zip(&values)
                            .zip(rids.iter().copied())
                            .map(|((r, v), rid)| (&r.entity, rid, ScopeKey::of(v))),
                    );
                    insert_seizure_facts(&mut self.tx, &facts).await?;
                }
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
             version = version + 1, updated_at = $10, updated_by = $11, scope_operations = $14 \
             WHERE id = $12 AND version = $13 RETURNING rid, version, owner_agency",
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
        .bind(&v.scope_operations)
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
        // A change never moves a record to another owner: its facts keep the stored one.
        let fact_scope = ScopeKey {
            owner: row.try_get("owner_agency")?,
            ..ScopeKey::of(&v)
        };
        sqlx::query("DELETE FROM record_scope WHERE rid = $1").bind(rid).execute(&mut *self.tx).await?;
        let scope: Vec<_> = RecordValues::scope_rows(&r.meta).into_iter().map(|(k, c)| (rid, k, c)).collect();
        self.insert_scope(&scope).await?;
        Engine::fts_unindex(&mut self.tx, rid).await?;
        Engine::fts_index(&mut self.tx, &[(rid, v.search_text.to_string())]).await?;
        remove_seizure_facts(&mut self.tx, rid).await?;
        insert_seizure_facts(&mut self.tx, &seizure_facts_of(std::iter::once((&r.entity, rid, fact_scope)))).await?;
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
        remove_seizure_facts(&mut self.tx, record.rid).await?;
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

    /// Inserts many links in multi-row statements (bulk loads); ends must exist.
    pub async fn insert_links(&mut self, links: &[Link]) -> Result<()> {
        for chunk in links.chunks(BATCH_ROWS / 2) {
            let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO links ({LINK_COLS}) "));
            qb.push_values(chunk, |mut b, l| {
                b.push_bind(l.id.clone())
                    .push_bind(l.kind.as_str())
                    .push_bind(l.source.clone())
                    .push_bind(l.target.clone())
                    .push_bind(l.role.clone())
                    .push_bind(l.owner.as_str().to_string())
                    .push_bind(l.created_by.clone())
                    .push_bind(l.created_at);
            });
            qb.build()
                .execute(&mut *self.tx)
                .await
                .map_err(|e| classify(e, "the link", "one of the linked records"))?;
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
