// Risk communications (SQL shared by both engines).

use crate::RiskRow;

const RISK_COLS: &str = "id, substance_id, issuer, classification, observers, status, version, draft, \
    retraction, created_by, created_at, updated_by, updated_at";

fn risk_from_row(row: &DbRow) -> Result<RiskRow> {
    Ok(RiskRow {
        id: row.try_get("id")?,
        substance_id: row.try_get("substance_id")?,
        issuer: row.try_get("issuer")?,
        classification: row.try_get("classification")?,
        observers: row.try_get("observers")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        draft: row.try_get("draft")?,
        retraction: row.try_get("retraction")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Engine {
    /// Communications, last changed first (of one substance when given), at most `limit`: a
    /// pre-filter; who may read each is the domain's `detection::may_read`.
    pub async fn risk_communications(&self, substance_id: Option<&str>, limit: i64) -> Result<Vec<RiskRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {RISK_COLS} FROM risk_communications WHERE $1 = '' OR substance_id = $1 \
             ORDER BY updated_at DESC, id LIMIT $2"
        ))
        .bind(substance_id.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(risk_from_row).collect()
    }

    pub async fn get_risk_communication(&self, id: &str) -> Result<Option<RiskRow>> {
        let row = sqlx::query(&format!("SELECT {RISK_COLS} FROM risk_communications WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(risk_from_row).transpose()
    }
}

impl WriteTx {
    pub async fn insert_risk_communication(&mut self, row: &RiskRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO risk_communications ({RISK_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(&row.id)
        .bind(&row.substance_id)
        .bind(&row.issuer)
        .bind(row.classification)
        .bind(&row.observers)
        .bind(&row.status)
        .bind(row.version)
        .bind(&row.draft)
        .bind(&row.retraction)
        .bind(&row.created_by)
        .bind(row.created_at)
        .bind(&row.updated_by)
        .bind(row.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a risk communication with this id", "its substance"))?;
        Ok(())
    }

    /// Writes a change when the stored version is still `seen_version`; `false` when another
    /// change came first.
    pub async fn update_risk_communication(&mut self, row: &RiskRow, seen_version: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE risk_communications SET classification = $1, observers = $2, status = $3, version = $4, \
             draft = $5, retraction = $6, updated_by = $7, updated_at = $8 WHERE id = $9 AND version = $10",
        )
        .bind(row.classification)
        .bind(&row.observers)
        .bind(&row.status)
        .bind(row.version)
        .bind(&row.draft)
        .bind(&row.retraction)
        .bind(&row.updated_by)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind(seen_version)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
