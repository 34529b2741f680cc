// Pre-export notifications (SQL shared by both engines).

use crate::{NotificationRow, StepRow};

const NOTIFICATION_COLS: &str = "id, exporter_country, importer_country, substance_id, classification, draft, \
    due_on, sender_agency, created_by, created_at";
const STEP_COLS: &str = "notification_id, seq, kind, body, agency, created_by, created_at";

fn notification_from_row(row: &DbRow) -> Result<NotificationRow> {
    Ok(NotificationRow {
        id: row.try_get("id")?,
        exporter_country: row.try_get("exporter_country")?,
        importer_country: row.try_get("importer_country")?,
        substance_id: row.try_get("substance_id")?,
        classification: row.try_get("classification")?,
        draft: row.try_get("draft")?,
        due_on: row.try_get("due_on")?,
        sender_agency: row.try_get("sender_agency")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

fn step_from_row(row: &DbRow) -> Result<StepRow> {
    Ok(StepRow {
        notification_id: row.try_get("notification_id")?,
        seq: row.try_get("seq")?,
        kind: row.try_get("kind")?,
        body: row.try_get("body")?,
        agency: row.try_get("agency")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Engine {
    /// Notifications newest first, of one country (as exporter or importer) when given, at most
    /// `limit`: a pre-filter; who may read each is the domain's `pre_export::may_read`.
    pub async fn pre_exports(&self, country: Option<&str>, limit: i64) -> Result<Vec<NotificationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLS} FROM pre_export_notifications \
             WHERE $1 = '' OR exporter_country = $1 OR importer_country = $1 \
             ORDER BY created_at DESC, id LIMIT $2"
        ))
        .bind(country.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(notification_from_row).collect()
    }

    /// The steps of the notifications `pre_exports` lists for `country`, oldest first.
    pub async fn pre_export_steps(&self, country: Option<&str>) -> Result<Vec<StepRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {STEP_COLS} FROM pre_export_steps WHERE notification_id IN \
             (SELECT id FROM pre_export_notifications \
              WHERE $1 = '' OR exporter_country = $1 OR importer_country = $1) \
             ORDER BY notification_id, seq"
        ))
        .bind(country.unwrap_or(""))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(step_from_row).collect()
    }

    pub async fn get_pre_export(&self, id: &str) -> Result<Option<(NotificationRow, Vec<StepRow>)>> {
        let Some(row) = sqlx::query(&format!("SELECT {NOTIFICATION_COLS} FROM pre_export_notifications WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let steps = sqlx::query(&format!("SELECT {STEP_COLS} FROM pre_export_steps WHERE notification_id = $1 ORDER BY seq"))
            .bind(id)
            .fetch_all(&self.read)
            .await?;
        Ok(Some((notification_from_row(&row)?, steps.iter().map(step_from_row).collect::<Result<_>>()?)))
    }

    pub async fn reply_days(&self, country: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT working_days FROM pre_export_reply_days WHERE country = $1")
            .bind(country)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| r.try_get("working_days")).transpose()?)
    }

    pub async fn all_reply_days(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT country, working_days FROM pre_export_reply_days ORDER BY country")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("country")?, r.try_get("working_days")?)))
            .collect()
    }
}

impl WriteTx {
    /// Locks a notification for this transaction and reads it with its steps, so that two
    /// answers given at once are weighed one after the other. `None` when there is none.
    pub async fn hold_pre_export(&mut self, id: &str) -> Result<Option<(NotificationRow, Vec<StepRow>)>> {
        let done = sqlx::query("UPDATE pre_export_notifications SET version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        let row = sqlx::query(&format!("SELECT {NOTIFICATION_COLS} FROM pre_export_notifications WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *self.tx)
            .await?;
        let steps = sqlx::query(&format!("SELECT {STEP_COLS} FROM pre_export_steps WHERE notification_id = $1 ORDER BY seq"))
            .bind(id)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(Some((notification_from_row(&row)?, steps.iter().map(step_from_row).collect::<Result<_>>()?)))
    }

    pub async fn insert_pre_export(&mut self, row: &NotificationRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO pre_export_notifications ({NOTIFICATION_COLS}, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)"
        ))
        .bind(&row.id)
        .bind(&row.exporter_country)
        .bind(&row.importer_country)
        .bind(&row.substance_id)
        .bind(row.classification)
        .bind(&row.draft)
        .bind(&row.due_on)
        .bind(&row.sender_agency)
        .bind(&row.created_by)
        .bind(row.created_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a notification with this id", "its substance"))?;
        Ok(())
    }

    pub async fn insert_pre_export_step(&mut self, row: &StepRow) -> Result<()> {
        sqlx::query(&format!("INSERT INTO pre_export_steps ({STEP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
            .bind(&row.notification_id)
            .bind(row.seq)
            .bind(&row.kind)
            .bind(&row.body)
            .bind(&row.agency)
            .bind(&row.created_by)
            .bind(row.created_at)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, "this step", "its notification"))?;
        Ok(())
    }

    pub async fn set_reply_days(&mut self, country: &str, days: i64, by: &str, at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO pre_export_reply_days (country, working_days, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (country) DO UPDATE SET \
             working_days = excluded.working_days, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(country)
        .bind(days)
        .bind(by)
        .bind(at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

impl Engine {
    /// Notifications whose deadline (`due_on`) is before `today` and which the overdue sweep has
    /// not dealt with yet, oldest deadline first.
    pub async fn pre_exports_past_due(&self, today: &str, limit: i64) -> Result<Vec<NotificationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLS} FROM pre_export_notifications \
             WHERE due_on < $1 AND overdue_done = 0 ORDER BY due_on, id LIMIT $2"
        ))
        .bind(today)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(notification_from_row).collect()
    }
}

impl WriteTx {
    /// Marks a notification dealt with by the overdue sweep; `false` when another sweep did.
    pub async fn mark_pre_export_overdue_done(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE pre_export_notifications SET overdue_done = 1 WHERE id = $1 AND overdue_done = 0")
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
