// Seizure facts and the statistics over them (SQL shared by both engines).

/// Seizure records read per step when the facts are filled in for records stored before them.
const BACKFILL_PAGE: i64 = 2_000;

/// A record's protective metadata as `fact_scopes` keeps it (codes joined as in `records`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ScopeKey {
    owner: String,
    classification: i64,
    all_members: i64,
    countries: String,
    agencies: String,
    operations: String,
}

impl ScopeKey {
    fn of(v: &RecordValues<'_>) -> ScopeKey {
        ScopeKey {
            owner: v.owner_agency.to_string(),
            classification: v.classification,
            all_members: v.all_members,
            countries: v.scope_countries.clone(),
            agencies: v.scope_agencies.clone(),
            operations: v.scope_operations.clone(),
        }
    }

    /// The metadata the access rule reads (no handling codes: they do not decide reading).
    fn meta(&self) -> Result<RecordMeta> {
        let bad = |what: &str| corrupt(format!("fact scope: {what}"));
        Ok(RecordMeta {
            owner: AgencyCode::parse(&self.owner).map_err(|_| bad("owner"))?,
            classification: Classification::from_level(self.classification).ok_or_else(|| bad("classification"))?,
            dissemination: Dissemination {
                all_members: self.all_members != 0,
                countries: split_codes(&self.countries)
                    .map(CountryCode::parse)
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|_| bad("countries"))?,
                agencies: split_codes(&self.agencies)
                    .map(AgencyCode::parse)
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|_| bad("agencies"))?,
                operations: split_codes(&self.operations).map(str::to_string).collect(),
            },
            handling_codes: Default::default(),
            evaluation: None,
        })
    }
}

/// The ids of these scopes in `fact_scopes`, adding those not there yet.
async fn scope_ids(
    tx: &mut sqlx::Transaction<'static, Db>,
    keys: &[ScopeKey],
) -> Result<std::collections::BTreeMap<ScopeKey, i64>> {
    let mut out = std::collections::BTreeMap::new();
    for k in keys {
        if out.contains_key(k) {
            continue;
        }
        sqlx::query(
            "INSERT INTO fact_scopes (owner_agency, classification, all_members, countries, agencies, operations) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&k.owner)
        .bind(k.classification)
        .bind(k.all_members)
        .bind(&k.countries)
        .bind(&k.agencies)
        .bind(&k.operations)
        .execute(&mut **tx)
        .await?;
        let id: i64 = sqlx::query(
            "SELECT id FROM fact_scopes WHERE owner_agency = $1 AND classification = $2 AND all_members = $3 \
             AND countries = $4 AND agencies = $5 AND operations = $6",
        )
        .bind(&k.owner)
        .bind(k.classification)
        .bind(k.all_members)
        .bind(&k.countries)
        .bind(&k.agencies)
        .bind(&k.operations)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        out.insert(k.clone(), id);
    }
    Ok(out)
}

/// The facts of the Seizure records among `records` (with the rid each was stored under and its
/// scope), ready to insert.
fn seizure_facts_of<'a>(
    records: impl Iterator<Item = (&'a pamir_domain::entity::Entity, i64, ScopeKey)>,
) -> Vec<(i64, ScopeKey, pamir_domain::analysis::SeizureFacts)> {
    records
        .filter(|(e, _, _)| e.schema.name == "Seizure")
        .filter_map(|(e, rid, k)| pamir_domain::analysis::SeizureFacts::of(&e.properties).map(|f| (rid, k, f)))
        .collect()
}

async fn insert_seizure_facts(
    tx: &mut sqlx::Transaction<'static, Db>,
    rows: &[(i64, ScopeKey, pamir_domain::analysis::SeizureFacts)],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let keys: Vec<ScopeKey> = rows.iter().map(|(_, k, _)| k.clone()).collect();
    let ids = scope_ids(tx, &keys).await?;
    for chunk in rows.chunks(BATCH_ROWS / 2) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO seizure_facts (day, rid, scope_id, country, substance, substance_group, kg, litres, units, \
             transport, concealment, detection, origin, destination, transit) ",
        );
        qb.push_values(chunk, |mut b, (rid, k, f)| {
            b.push_bind(f.day.clone())
                .push_bind(*rid)
                .push_bind(ids.get(k).copied().unwrap_or_default())
                .push_bind(f.country.clone())
                .push_bind(f.substance.clone())
                .push_bind(f.substance_group.clone())
                .push_bind(f.kg)
                .push_bind(f.litres)
                .push_bind(f.units)
                .push_bind(f.transport.clone())
                .push_bind(f.concealment.clone())
                .push_bind(f.detection.clone())
                .push_bind(f.origin.clone())
                .push_bind(f.destination.clone())
                .push_bind(f.transit.clone());
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Fills in the facts of every Seizure stored before the table existed (run once, inside the
/// migration that creates it, so that a crash leaves neither half).
async fn backfill_seizure_facts(tx: &mut sqlx::Transaction<'static, Db>) -> Result<()> {
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT rid, properties, owner_agency, classification, all_members, scope_countries, scope_agencies, \
             scope_operations FROM records WHERE schema = 'Seizure' AND rid > $1 ORDER BY rid LIMIT $2",
        )
        .bind(after)
        .bind(BACKFILL_PAGE)
        .fetch_all(&mut **tx)
        .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.try_get("rid")?;
        let mut facts = Vec::with_capacity(rows.len());
        for row in &rows {
            let json: String = row.try_get("properties")?;
            let props: entity::Properties =
                serde_json::from_str(&json).map_err(|e| corrupt(format!("seizure properties: {e}")))?;
            if let Some(f) = pamir_domain::analysis::SeizureFacts::of(&props) {
                let key = ScopeKey {
                    owner: row.try_get("owner_agency")?,
                    classification: row.try_get("classification")?,
                    all_members: row.try_get("all_members")?,
                    countries: row.try_get("scope_countries")?,
                    agencies: row.try_get("scope_agencies")?,
                    operations: row.try_get("scope_operations")?,
                };
                facts.push((row.try_get::<i64, _>("rid")?, key, f));
            }
        }
        insert_seizure_facts(tx, &facts).await?;
    }
}

/// The SQL expression of a dimension's key over `seizure_facts f`.
fn dimension_key(by: pamir_domain::analysis::Dimension) -> &'static str {
    use pamir_domain::analysis::Dimension as D;
    match by {
        D::SubstanceGroup => "f.substance_group",
        D::Substance => "f.substance",
        D::Country => "f.country",
        D::Month => "substr(f.day, 1, 7)",
        D::Transport => "f.transport",
        D::Concealment => "f.concealment",
        D::Detection => "f.detection",
        D::Route => "f.origin || '>' || f.destination",
        D::Path => "f.origin || '|' || f.transit || '|' || f.destination",
    }
}

impl Engine {
    /// The scopes whose records `filter` admits in full (and, with `operation`, that name it):
    /// the access rule applied to the few distinct scopes rather than to every row.
    async fn visible_scopes(&self, filter: &FullAccessFilter, operation: Option<&str>) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT id, owner_agency, classification, all_members, countries, agencies, operations FROM fact_scopes",
        )
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let key = ScopeKey {
                owner: row.try_get("owner_agency")?,
                classification: row.try_get("classification")?,
                all_members: row.try_get("all_members")?,
                countries: row.try_get("countries")?,
                agencies: row.try_get("agencies")?,
                operations: row.try_get("operations")?,
            };
            let meta = key.meta()?;
            if filter.admits(&meta) && operation.is_none_or(|o| meta.dissemination.operations.contains(o)) {
                out.push(row.try_get::<i64, _>("id")?);
            }
        }
        Ok(out)
    }

    /// The statistic of `by` over the seizures `filter` admits in full and `filters` selects, for
    /// the period, the previous one and the same period a year before, in one pass over the
    /// facts of those days.
    pub async fn seizure_statistics(
        &self,
        filter: &FullAccessFilter,
        filters: &pamir_domain::analysis::Filters,
        by: pamir_domain::analysis::Dimension,
    ) -> Result<Vec<pamir_domain::analysis::StatRow>> {
        use pamir_domain::analysis::{finish, Tally};
        let scopes = self.visible_scopes(filter, filters.operation.as_deref()).await?;
        if scopes.is_empty() {
            return Ok(finish(Default::default(), filters, by));
        }
        let periods = [filters.period, filters.period.previous(), filters.period.year_before()];
        let mut qb = QueryBuilder::<Db>::new(format!("SELECT {} AS k", dimension_key(by)));
        for (i, p) in periods.iter().enumerate() {
            let within = |qb: &mut QueryBuilder<'_, Db>| {
                let (from, to) = p.bounds();
                qb.push("CASE WHEN f.day >= ").push_bind(from).push(" AND f.day <= ").push_bind(to);
            };
            qb.push(", SUM(");
            within(&mut qb);
            qb.push(format!(" THEN 1 ELSE 0 END) AS c{i}"));
            for col in ["kg", "litres", "units"] {
                qb.push(", SUM(");
                within(&mut qb);
                qb.push(format!(" THEN f.{col} ELSE 0.0 END) AS {col}{i}"));
            }
        }
        let first = periods.iter().map(|p| p.bounds().0).min().unwrap_or_default();
        qb.push(" FROM seizure_facts f WHERE f.day >= ")
            .push_bind(first)
            .push(" AND f.day <= ")
            .push_bind(filters.period.bounds().1)
            .push(" AND (");
        for (i, p) in periods.iter().enumerate() {
            let (from, to) = p.bounds();
            qb.push(if i == 0 { "(f.day >= " } else { " OR (f.day >= " })
                .push_bind(from)
                .push(" AND f.day <= ")
                .push_bind(to)
                .push(")");
        }
        qb.push(") AND f.scope_id IN (");
        let mut sep = qb.separated(", ");
        for s in &scopes {
            sep.push_bind(*s);
        }
        qb.push(")");
        if !filters.countries.is_empty() {
            qb.push(" AND f.country IN (");
            let mut sep = qb.separated(", ");
            for c in &filters.countries {
                sep.push_bind(c.as_str().to_string());
            }
            qb.push(")");
        }
        if !filters.groups.is_empty() {
            qb.push(" AND f.substance_group IN (");
            let mut sep = qb.separated(", ");
            for g in &filters.groups {
                sep.push_bind(g.clone());
            }
            qb.push(")");
        }
        qb.push(" GROUP BY k");
        let rows = qb.build().fetch_all(&self.read).await?;
        let mut keyed = std::collections::BTreeMap::new();
        for row in &rows {
            let mut t = [Tally::default(); 3];
            for (i, t) in t.iter_mut().enumerate() {
                t.count = row.try_get::<i64, _>(format!("c{i}").as_str())?;
                t.kg = row.try_get::<f64, _>(format!("kg{i}").as_str())?;
                t.litres = row.try_get::<f64, _>(format!("litres{i}").as_str())?;
                t.units = row.try_get::<f64, _>(format!("units{i}").as_str())?;
            }
            // A key with no seizure in any period is an artefact of the day range (the previous
            // period may start before the year-before one): drop it, as the reference does.
            if t.iter().any(|t| t.count > 0) {
                keyed.insert(row.try_get::<String, _>("k")?, t);
            }
        }
        Ok(finish(keyed, filters, by))
    }
}
