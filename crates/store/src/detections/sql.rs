// Early warning's detections (SQL shared by both engines).

use crate::DetectionRow;

const DETECTION_COLS: &str = "id, substance_id, country, detected_on, confirmed, reporter, classification, observers, \
    draft, created_by, created_at";

fn detection_from_row(row: &DbRow) -> Result<DetectionRow> {
    Ok(DetectionRow {
        id: row.try_get("id")?,
        substance_id: row.try_get("substance_id")?,
        country: row.try_get("country")?,
        detected_on: row.try_get("detected_on")?,
        confirmed: row.try_get::<i64, _>("confirmed")? != 0,
        reporter: row.try_get("reporter")?,
        classification: row.try_get("classification")?,
        observers: row.try_get("observers")?,
        draft: row.try_get("draft")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Engine {
    /// Detections, newest first (of one substance when given), at most `limit`: a pre-filter;
    /// who may read each is the domain's `detection::may_read`.
    pub async fn detections(&self, substance_id: Option<&str>, limit: i64) -> Result<Vec<DetectionRow>> {
        let rows = match substance_id {
            Some(s) => {
                sqlx::query(&format!(
                    "SELECT {DETECTION_COLS} FROM detections WHERE substance_id = $1 \
                     ORDER BY detected_on DESC, created_at DESC, id LIMIT $2"
                ))
                .bind(s)
                .bind(limit)
                .fetch_all(&self.read)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {DETECTION_COLS} FROM detections ORDER BY detected_on DESC, created_at DESC, id LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(&self.read)
                .await?
            }
        };
        rows.iter().map(detection_from_row).collect()
    }

    pub async fn get_detection(&self, id: &str) -> Result<Option<DetectionRow>> {
        let row = sqlx::query(&format!("SELECT {DETECTION_COLS} FROM detections WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(detection_from_row).transpose()
    }
}

impl WriteTx {
    /// Locks a substance's row for this transaction (a no-op write), so that two detections of
    /// it reported at once are weighed one after the other: only one can be the first. `false`
    /// when there is no such substance.
    pub async fn hold_substance(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE substances SET version = version WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn detections_of_substance_in_tx(&mut self, substance_id: &str) -> Result<Vec<DetectionRow>> {
        let rows = sqlx::query(&format!("SELECT {DETECTION_COLS} FROM detections WHERE substance_id = $1"))
            .bind(substance_id)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(detection_from_row).collect()
    }

    pub async fn insert_detection(&mut self, row: &DetectionRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO detections ({DETECTION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&row.id)
        .bind(&row.substance_id)
        .bind(&row.country)
        .bind(&row.detected_on)
        .bind(i64::from(row.confirmed))
        .bind(&row.reporter)
        .bind(row.classification)
        .bind(&row.observers)
        .bind(&row.draft)
        .bind(&row.created_by)
        .bind(row.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a detection with this id", "its substance"))?;
        Ok(())
    }
}

impl Engine {
    /// A detection's assessment notes, oldest first.
    pub async fn detection_notes(&self, detection_id: &str) -> Result<Vec<crate::DetectionNoteRow>> {
        let rows = sqlx::query(
            "SELECT detection_id, seq, agency, author, body, created_at FROM detection_notes \
             WHERE detection_id = $1 ORDER BY seq",
        )
        .bind(detection_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crate::DetectionNoteRow {
                    detection_id: r.try_get("detection_id")?,
                    seq: r.try_get("seq")?,
                    agency: r.try_get("agency")?,
                    author: r.try_get("author")?,
                    body: r.try_get("body")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

impl WriteTx {
    /// Appends a note; its number follows the last (two notes written at once: the second
    /// collides on the key and its writer retries).
    pub async fn add_detection_note(
        &mut self,
        detection_id: &str,
        agency: &str,
        author: &str,
        body: &str,
        at: i64,
    ) -> Result<i64> {
        let seq: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM detection_notes WHERE detection_id = $1",
        )
        .bind(detection_id)
        .fetch_one(&mut *self.tx)
        .await?;
        sqlx::query(
            "INSERT INTO detection_notes (detection_id, seq, agency, author, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(detection_id)
        .bind(seq)
        .bind(agency)
        .bind(author)
        .bind(body)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a note with this number", "its detection"))?;
        Ok(seq)
    }
}
