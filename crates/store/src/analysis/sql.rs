// Seizure facts and the statistics over them (SQL shared by both engines).

/// Seizure records read per step when the facts are filled in for records stored before them.
const BACKFILL_PAGE: i64 = 2_000;

/// The facts of the Seizure records among `records`, with the rid each was stored under.
fn seizure_facts_of<'a>(
    records: impl Iterator<Item = (&'a pamir_domain::entity::Entity, i64)>,
) -> Vec<(i64, pamir_domain::analysis::SeizureFacts)> {
    records
        .filter(|(e, _)| e.schema.name == "Seizure")
        .filter_map(|(e, rid)| pamir_domain::analysis::SeizureFacts::of(&e.properties).map(|f| (rid, f)))
        .collect()
}

async fn insert_seizure_facts(
    tx: &mut sqlx::Transaction<'static, Db>,
    rows: &[(i64, pamir_domain::analysis::SeizureFacts)],
) -> Result<()> {
    for chunk in rows.chunks(BATCH_ROWS / 2) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO seizure_facts (rid, day, country, substance, substance_group, kg, litres, units, \
             transport, concealment, detection, origin, destination, transit) ",
        );
        qb.push_values(chunk, |mut b, (rid, f)| {
            b.push_bind(*rid)
                .push_bind(f.day.clone())
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
            "SELECT rid, properties FROM records WHERE schema = 'Seizure' AND rid > $1 ORDER BY rid LIMIT $2",
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
                facts.push((row.try_get::<i64, _>("rid")?, f));
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
    /// The statistic of `by` over the seizures `filter` admits in full and `filters` selects, for
    /// the period, the previous one and the same period a year before, in one pass.
    pub async fn seizure_statistics(
        &self,
        filter: &FullAccessFilter,
        filters: &pamir_domain::analysis::Filters,
        by: pamir_domain::analysis::Dimension,
    ) -> Result<Vec<pamir_domain::analysis::StatRow>> {
        use pamir_domain::analysis::{finish, Tally};
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
        qb.push(" FROM seizure_facts f JOIN records r ON r.rid = f.rid WHERE f.day >= ")
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
        qb.push(") AND");
        push_access_filter(&mut qb, filter);
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
        if let Some(op) = &filters.operation {
            qb.push(" AND EXISTS (SELECT 1 FROM record_scope o WHERE o.rid = r.rid AND o.kind = 'o' AND o.code = ")
                .push_bind(op.clone())
                .push(")");
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
