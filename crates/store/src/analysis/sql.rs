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

    /// From a row with the columns of `fact_scopes` (`owner_agency`, `classification`,
    /// `all_members`, `countries`, `agencies`, `operations`).
    fn from_row(row: &DbRow) -> Result<ScopeKey> {
        Ok(ScopeKey {
            owner: row.try_get("owner_agency")?,
            classification: row.try_get("classification")?,
            all_members: row.try_get("all_members")?,
            countries: row.try_get("countries")?,
            agencies: row.try_get("agencies")?,
            operations: row.try_get("operations")?,
        })
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
    let monthly: Vec<(i64, &pamir_domain::analysis::SeizureFacts)> =
        rows.iter().map(|(_, k, f)| (ids.get(k).copied().unwrap_or_default(), f)).collect();
    add_to_months(tx, &monthly).await
}

/// The columns a monthly aggregate is kept per (besides month and scope).
const MONTH_COLS: &str = "country, substance, substance_group, transport, concealment, detection, origin, destination, transit";

fn month_attrs(f: &pamir_domain::analysis::SeizureFacts) -> [String; 9] {
    [
        f.country.clone(),
        f.substance.clone(),
        f.substance_group.clone(),
        f.transport.clone(),
        f.concealment.clone(),
        f.detection.clone(),
        f.origin.clone(),
        f.destination.clone(),
        f.transit.clone(),
    ]
}

/// Adds facts to the monthly aggregates (one upsert per distinct month, scope and values).
async fn add_to_months(
    tx: &mut sqlx::Transaction<'static, Db>,
    rows: &[(i64, &pamir_domain::analysis::SeizureFacts)],
) -> Result<()> {
    type MonthKey = (String, i64, [String; 9]);
    let mut sums: std::collections::BTreeMap<MonthKey, (i64, f64, f64, f64)> = std::collections::BTreeMap::new();
    for (scope, f) in rows {
        let e = sums.entry((f.day[..7].to_string(), *scope, month_attrs(f))).or_default();
        e.0 += 1;
        e.1 += f.kg;
        e.2 += f.litres;
        e.3 += f.units;
    }
    let items: Vec<_> = sums.into_iter().collect();
    for chunk in items.chunks(BATCH_ROWS / 4) {
        let mut qb = QueryBuilder::<Db>::new(format!(
            "INSERT INTO seizure_months (month, scope_id, {MONTH_COLS}, n, kg, litres, units) "
        ));
        qb.push_values(chunk, |mut b, ((month, scope, attrs), (n, kg, litres, units))| {
            b.push_bind(month.clone()).push_bind(*scope);
            for a in attrs {
                b.push_bind(a.clone());
            }
            b.push_bind(*n).push_bind(*kg).push_bind(*litres).push_bind(*units);
        });
        qb.push(format!(
            " ON CONFLICT (month, scope_id, {MONTH_COLS}) DO UPDATE SET n = seizure_months.n + excluded.n, \
             kg = seizure_months.kg + excluded.kg, litres = seizure_months.litres + excluded.litres, \
             units = seizure_months.units + excluded.units"
        ));
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Removes a record's facts, taking them off the monthly aggregates first.
async fn remove_seizure_facts(tx: &mut sqlx::Transaction<'static, Db>, rid: i64) -> Result<()> {
    let rows = sqlx::query(&format!(
        "SELECT scope_id, day, kg, litres, units, {MONTH_COLS} FROM seizure_facts WHERE rid = $1"
    ))
    .bind(rid)
    .fetch_all(&mut **tx)
    .await?;
    for row in &rows {
        let day: String = row.try_get("day")?;
        let month = day.get(..7).unwrap_or("").to_string();
        let scope: i64 = row.try_get("scope_id")?;
        let mut qb = QueryBuilder::<Db>::new("UPDATE seizure_months SET n = n - 1, kg = kg - ");
        qb.push_bind(row.try_get::<f64, _>("kg")?)
            .push(", litres = litres - ")
            .push_bind(row.try_get::<f64, _>("litres")?)
            .push(", units = units - ")
            .push_bind(row.try_get::<f64, _>("units")?)
            .push(" WHERE month = ")
            .push_bind(month.clone())
            .push(" AND scope_id = ")
            .push_bind(scope);
        for col in MONTH_COLS.split(", ") {
            qb.push(format!(" AND {col} = ")).push_bind(row.try_get::<String, _>(col)?);
        }
        qb.build().execute(&mut **tx).await?;
        sqlx::query("DELETE FROM seizure_months WHERE month = $1 AND scope_id = $2 AND n <= 0")
            .bind(&month)
            .bind(scope)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("DELETE FROM seizure_facts WHERE rid = $1").bind(rid).execute(&mut **tx).await?;
    Ok(())
}

/// Fills in the facts (and their monthly aggregates) of every Seizure that has none: run inside
/// the migration that creates the aggregates, after the SQL that sums the facts already there,
/// so that a crash leaves neither half.
async fn backfill_seizure_facts(tx: &mut sqlx::Transaction<'static, Db>) -> Result<()> {
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT rid, properties, owner_agency, classification, all_members, scope_countries AS countries, \
             scope_agencies AS agencies, scope_operations AS operations FROM records WHERE schema = 'Seizure' AND rid > $1 \
             AND NOT EXISTS (SELECT 1 FROM seizure_facts f WHERE f.rid = records.rid) ORDER BY rid LIMIT $2",
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
                let key = ScopeKey::from_row(row)?;
                facts.push((row.try_get::<i64, _>("rid")?, key, f));
            }
        }
        insert_seizure_facts(tx, &facts).await?;
    }
}

/// `(column >= a AND column <= b) OR …` over inclusive ranges.
fn push_ranges<'r>(qb: &mut QueryBuilder<'_, Db>, column: &str, ranges: impl Iterator<Item = &'r (String, String)>) {
    for (j, (a, b)) in ranges.enumerate() {
        qb.push(if j == 0 { "(" } else { " OR (" })
            .push(column)
            .push(" >= ")
            .push_bind(a.clone())
            .push(format!(" AND {column} <= "))
            .push_bind(b.clone())
            .push(")");
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
            let key = ScopeKey::from_row(row)?;
            let meta = key.meta()?;
            if filter.admits(&meta) && operation.is_none_or(|o| meta.dissemination.operations.contains(o)) {
                out.push(row.try_get::<i64, _>("id")?);
            }
        }
        Ok(out)
    }

    /// The statistic of `by` over the seizures `filter` admits in full and `filters` selects, for
    /// the period, the previous one and the same period a year before: the whole months of each
    /// from the monthly aggregates, the days at their edges from the facts.
    pub async fn seizure_statistics(
        &self,
        filter: &FullAccessFilter,
        filters: &pamir_domain::analysis::Filters,
        by: pamir_domain::analysis::Dimension,
    ) -> Result<pamir_domain::analysis::Tallied> {
        use pamir_domain::analysis::{finish, Tally};
        let scopes = self.visible_scopes(filter, filters.operation.as_deref()).await?;
        let mut keyed: std::collections::BTreeMap<String, [Tally; 3]> = std::collections::BTreeMap::new();
        if scopes.is_empty() {
            return Ok(finish(keyed, filters, by));
        }
        let periods = [filters.period, filters.period.previous(), filters.period.year_before()];
        let splits: Vec<_> = periods.iter().map(|p| p.split_months()).collect();
        // (column, ranges per period): months from the aggregates, days from the facts.
        let months: Vec<Vec<(String, String)>> = splits.iter().map(|(m, _)| m.iter().cloned().collect()).collect();
        let days: Vec<Vec<(String, String)>> = splits.iter().map(|(_, d)| d.clone()).collect();
        for (table, column, ranges) in [("seizure_months", "f.month", &months), ("seizure_facts", "f.day", &days)] {
            if ranges.iter().all(|r| r.is_empty()) {
                continue;
            }
            let aggregate = table == "seizure_months";
            let key = if aggregate && by == pamir_domain::analysis::Dimension::Month {
                "f.month"
            } else {
                dimension_key(by)
            };
            let (count, kg, litres, units) = if aggregate {
                ("f.n", "f.kg", "f.litres", "f.units")
            } else {
                ("1", "f.kg", "f.litres", "f.units")
            };
            let mut qb = QueryBuilder::<Db>::new(format!("SELECT {key} AS k"));
            let within = |qb: &mut QueryBuilder<'_, Db>, rs: &[(String, String)]| {
                qb.push("CASE WHEN ");
                push_ranges(qb, column, rs.iter());
            };
            for (i, rs) in ranges.iter().enumerate() {
                if rs.is_empty() {
                    qb.push(format!(
                        ", CAST(0 AS BIGINT) AS c{i}, CAST(0 AS DOUBLE PRECISION) AS kg{i}, \
                         CAST(0 AS DOUBLE PRECISION) AS litres{i}, CAST(0 AS DOUBLE PRECISION) AS units{i}"
                    ));
                    continue;
                }
                qb.push(", CAST(SUM(");
                within(&mut qb, rs);
                qb.push(format!(" THEN {count} ELSE 0 END) AS BIGINT) AS c{i}"));
                for (col, expr) in [("kg", kg), ("litres", litres), ("units", units)] {
                    qb.push(", SUM(");
                    within(&mut qb, rs);
                    qb.push(format!(" THEN {expr} ELSE 0.0 END) AS {col}{i}"));
                }
            }
            qb.push(format!(" FROM {table} f WHERE ("));
            push_ranges(&mut qb, column, ranges.iter().flatten());
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
            for row in qb.build().fetch_all(&self.read).await? {
                let entry = keyed.entry(row.try_get::<String, _>("k")?).or_default();
                for (i, t) in entry.iter_mut().enumerate() {
                    t.merge(&Tally {
                        count: row.try_get::<i64, _>(format!("c{i}").as_str())?,
                        kg: row.try_get::<f64, _>(format!("kg{i}").as_str())?,
                        litres: row.try_get::<f64, _>(format!("litres{i}").as_str())?,
                        units: row.try_get::<f64, _>(format!("units{i}").as_str())?,
                    });
                }
            }
        }
        // A key with no seizure in any period (its months lie between the periods, or its
        // aggregate rows were emptied) is not shown, as the reference does not.
        keyed.retain(|_, t| t.iter().any(|t| t.count > 0));
        Ok(finish(keyed, filters, by))
    }
}
