// The substance registry (SQL shared by both engines).

use crate::{NameKeyRow, SubstanceClash, SubstanceRow};

const SUBSTANCE_COLS: &str = "id, name_en, name_ru, class, cas, inchikey, formula, international, draft, version, \
    created_by, created_at, updated_by, updated_at";

fn substance_from_row(row: &DbRow) -> Result<SubstanceRow> {
    Ok(SubstanceRow {
        id: row.try_get("id")?,
        name_en: row.try_get("name_en")?,
        name_ru: row.try_get("name_ru")?,
        class: row.try_get("class")?,
        cas: row.try_get("cas")?,
        inchikey: row.try_get("inchikey")?,
        formula: row.try_get("formula")?,
        international: row.try_get("international")?,
        draft: row.try_get("draft")?,
        version: row.try_get("version")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Engine {
    /// The whole registry, by English name (it holds thousands, not millions).
    pub async fn substances(&self) -> Result<Vec<SubstanceRow>> {
        let rows = sqlx::query(&format!("SELECT {SUBSTANCE_COLS} FROM substances ORDER BY lower(name_en), id"))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(substance_from_row).collect()
    }

    pub async fn get_substance(&self, id: &str) -> Result<Option<SubstanceRow>> {
        let row = sqlx::query(&format!("SELECT {SUBSTANCE_COLS} FROM substances WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(substance_from_row).transpose()
    }

    /// The substances one of whose names (street names too) has `key`.
    pub async fn substances_named(&self, key: &str) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT substance_id FROM substance_names WHERE name_key = $1 ORDER BY substance_id")
            .bind(key)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("substance_id")?)).collect()
    }
}

impl WriteTx {
    /// What substances other than `except` already hold of these unique name keys, this CAS
    /// number and this InChIKey. The unique indexes stand behind it for writers in a race.
    pub async fn substance_clashes(
        &mut self,
        except: &str,
        keys: &[String],
        cas: Option<&str>,
        inchikey: Option<&str>,
    ) -> Result<Vec<SubstanceClash>> {
        let mut out = Vec::new();
        for chunk in keys.chunks(BATCH_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(
                "SELECT n.unique_key AS value, s.id, s.name_en FROM substance_names n \
                 JOIN substances s ON s.id = n.substance_id WHERE s.id <> ",
            );
            qb.push_bind(except.to_string());
            qb.push(" AND n.unique_key IN (");
            let mut sep = qb.separated(", ");
            for k in chunk {
                sep.push_bind(k.clone());
            }
            qb.push(") ORDER BY n.unique_key");
            for row in qb.build().fetch_all(&mut *self.tx).await? {
                out.push(SubstanceClash {
                    what: "name",
                    value: row.try_get("value")?,
                    id: row.try_get("id")?,
                    name_en: row.try_get("name_en")?,
                });
            }
        }
        for (what, column, value) in [("cas", "cas", cas), ("inchikey", "inchikey", inchikey)] {
            let Some(value) = value else { continue };
            let rows = sqlx::query(&format!(
                "SELECT id, name_en FROM substances WHERE {column} = $1 AND id <> $2"
            ))
            .bind(value)
            .bind(except)
            .fetch_all(&mut *self.tx)
            .await?;
            for row in rows {
                out.push(SubstanceClash {
                    what,
                    value: value.to_string(),
                    id: row.try_get("id")?,
                    name_en: row.try_get("name_en")?,
                });
            }
        }
        Ok(out)
    }

    pub async fn insert_substance(&mut self, row: &SubstanceRow, names: &[NameKeyRow]) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO substances ({SUBSTANCE_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&row.id)
        .bind(&row.name_en)
        .bind(&row.name_ru)
        .bind(&row.class)
        .bind(&row.cas)
        .bind(&row.inchikey)
        .bind(&row.formula)
        .bind(&row.international)
        .bind(&row.draft)
        .bind(row.version)
        .bind(&row.created_by)
        .bind(row.created_at)
        .bind(&row.updated_by)
        .bind(row.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a substance with this id, CAS number or InChIKey", "-"))?;
        self.put_substance_names(&row.id, names).await
    }

    /// Rewrites a substance if it is still at version `seen`; `false` when someone changed it
    /// meanwhile. Its name keys are replaced.
    pub async fn update_substance(&mut self, row: &SubstanceRow, seen: i64, names: &[NameKeyRow]) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE substances SET name_en = $2, name_ru = $3, class = $4, cas = $5, inchikey = $6, formula = $7, \
             international = $8, draft = $9, version = $10, updated_by = $11, updated_at = $12 \
             WHERE id = $1 AND version = $13",
        )
        .bind(&row.id)
        .bind(&row.name_en)
        .bind(&row.name_ru)
        .bind(&row.class)
        .bind(&row.cas)
        .bind(&row.inchikey)
        .bind(&row.formula)
        .bind(&row.international)
        .bind(&row.draft)
        .bind(row.version)
        .bind(&row.updated_by)
        .bind(row.updated_at)
        .bind(seen)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a substance with this CAS number or InChIKey", "-"))?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM substance_names WHERE substance_id = $1")
            .bind(&row.id)
            .execute(&mut *self.tx)
            .await?;
        self.put_substance_names(&row.id, names).await?;
        Ok(true)
    }

    async fn put_substance_names(&mut self, id: &str, names: &[NameKeyRow]) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut qb = QueryBuilder::<Db>::new("INSERT INTO substance_names (substance_id, seq, name_key, unique_key) ");
        qb.push_values(names.iter().zip(0i64..), |mut b, (n, seq)| {
            b.push_bind(id.to_string())
                .push_bind(seq)
                .push_bind(n.key.clone())
                .push_bind(n.unique.then(|| n.key.clone()));
        });
        qb.build()
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, "a substance with one of these names", "-"))?;
        Ok(())
    }
}
