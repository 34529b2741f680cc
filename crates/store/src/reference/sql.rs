// Countries and agencies: the reference data (SQL shared by both engines).

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

impl Engine {
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
}

impl WriteTx {
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
}
