// Precursor incidents (SQL shared by both engines).

use crate::IncidentRow;

const INCIDENT_COLS: &str = "id, reporter, country, substance_id, occurred_on, classification, countries, \
    notification_id, draft, created_by, created_at";

fn incident_from_row(row: &DbRow) -> Result<IncidentRow> {
    Ok(IncidentRow {
        id: row.try_get("id")?,
        reporter: row.try_get("reporter")?,
        country: row.try_get("country")?,
        substance_id: row.try_get("substance_id")?,
        occurred_on: row.try_get("occurred_on")?,
        classification: row.try_get("classification")?,
        countries: row.try_get("countries")?,
        notification_id: row.try_get("notification_id")?,
        draft: row.try_get("draft")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Engine {
    /// Incidents, newest first, at most `limit`: a pre-filter; who may read each is the
    /// domain's `precursor_incident::may_read`.
    pub async fn precursor_incidents(&self, limit: i64) -> Result<Vec<IncidentRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {INCIDENT_COLS} FROM precursor_incidents ORDER BY occurred_on DESC, created_at DESC, id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(incident_from_row).collect()
    }

    pub async fn get_precursor_incident(&self, id: &str) -> Result<Option<IncidentRow>> {
        let row = sqlx::query(&format!("SELECT {INCIDENT_COLS} FROM precursor_incidents WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(incident_from_row).transpose()
    }

    pub async fn incidents_of_notification(&self, notification_id: &str) -> Result<Vec<IncidentRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {INCIDENT_COLS} FROM precursor_incidents WHERE notification_id = $1 ORDER BY created_at, id"
        ))
        .bind(notification_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(incident_from_row).collect()
    }
}

impl WriteTx {
    pub async fn insert_precursor_incident(&mut self, row: &IncidentRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO precursor_incidents ({INCIDENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&row.id)
        .bind(&row.reporter)
        .bind(&row.country)
        .bind(&row.substance_id)
        .bind(&row.occurred_on)
        .bind(row.classification)
        .bind(&row.countries)
        .bind(&row.notification_id)
        .bind(&row.draft)
        .bind(&row.created_by)
        .bind(row.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "an incident with this id", "its substance or notification"))?;
        Ok(())
    }
}
