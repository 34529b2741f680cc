// Operations and their participants (SQL shared by both engines).

use crate::{OperationRow, ParticipantRow};

const OPERATION_COLS: &str = "id, code_name, kind, lead_country, coordinator_agency, starts, ends, classification, \
    ceiling, description, objectives, seizure_form, created_by, created_at, updated_at";

const PARTICIPANT_COLS: &str = "operation_id, party, state, invited_by, invited_at, changed_by, changed_at";

fn operation_from_row(row: &DbRow) -> Result<OperationRow> {
    Ok(OperationRow {
        id: row.try_get("id")?,
        code_name: row.try_get("code_name")?,
        kind: row.try_get("kind")?,
        lead_country: row.try_get("lead_country")?,
        coordinator_agency: row.try_get("coordinator_agency")?,
        starts: row.try_get("starts")?,
        ends: row.try_get("ends")?,
        classification: row.try_get("classification")?,
        ceiling: row.try_get("ceiling")?,
        description: row.try_get("description")?,
        objectives: row.try_get("objectives")?,
        seizure_form: row.try_get("seizure_form")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn participant_from_row(row: &DbRow) -> Result<ParticipantRow> {
    Ok(ParticipantRow {
        operation_id: row.try_get("operation_id")?,
        party: row.try_get("party")?,
        state: row.try_get("state")?,
        invited_by: row.try_get("invited_by")?,
        invited_at: row.try_get("invited_at")?,
        changed_by: row.try_get("changed_by")?,
        changed_at: row.try_get("changed_at")?,
    })
}

impl Engine {
    pub async fn get_operation(&self, id: &str) -> Result<Option<OperationRow>> {
        let row = sqlx::query(&format!("SELECT {OPERATION_COLS} FROM operations WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(operation_from_row).transpose()
    }

    pub async fn operation_participants(&self, id: &str) -> Result<Vec<ParticipantRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {PARTICIPANT_COLS} FROM operation_participants WHERE operation_id = $1 ORDER BY party"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(participant_from_row).collect()
    }

    /// Operations an agency coordinates, or where it or its country is invited or takes part,
    /// newest first: a pre-filter; who may see each is the domain's `operation::standing`.
    pub async fn operations_concerning(&self, agency: &str, country: &str) -> Result<Vec<OperationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {OPERATION_COLS} FROM operations WHERE coordinator_agency = $1 OR id IN \
             (SELECT operation_id FROM operation_participants WHERE party IN ($1, $2) \
              AND state IN ('invited', 'accepted')) ORDER BY starts DESC, id"
        ))
        .bind(agency)
        .bind(country)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(operation_from_row).collect()
    }
}

impl WriteTx {
    pub async fn insert_operation(&mut self, op: &OperationRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO operations ({OPERATION_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ))
        .bind(&op.id)
        .bind(&op.code_name)
        .bind(&op.kind)
        .bind(&op.lead_country)
        .bind(&op.coordinator_agency)
        .bind(&op.starts)
        .bind(&op.ends)
        .bind(op.classification)
        .bind(op.ceiling)
        .bind(&op.description)
        .bind(&op.objectives)
        .bind(&op.seizure_form)
        .bind(&op.created_by)
        .bind(op.created_at)
        .bind(op.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "an operation with this id", "its coordinating agency"))?;
        Ok(())
    }

    /// The participants as this transaction sees them.
    pub async fn operation_participants_in_tx(&mut self, id: &str) -> Result<Vec<ParticipantRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {PARTICIPANT_COLS} FROM operation_participants WHERE operation_id = $1 ORDER BY party"
        ))
        .bind(id)
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(participant_from_row).collect()
    }

    /// Invites a party: a new row, or one that had declined or was removed. `false` when the
    /// party is already invited or taking part (nothing changes then).
    pub async fn invite_party(&mut self, operation_id: &str, party: &str, by: &str) -> Result<bool> {
        let done = sqlx::query(&format!(
            "INSERT INTO operation_participants ({PARTICIPANT_COLS}) VALUES ($1, $2, 'invited', $3, $4, $3, $4) \
             ON CONFLICT (operation_id, party) DO UPDATE SET state = 'invited', invited_by = excluded.invited_by, \
             invited_at = excluded.invited_at, changed_by = excluded.changed_by, changed_at = excluded.changed_at \
             WHERE operation_participants.state IN ('declined', 'removed')"
        ))
        .bind(operation_id)
        .bind(party)
        .bind(by)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves a party from state `from` to `to`; `false` when it was not in `from` (someone else
    /// changed it first).
    pub async fn change_participant(
        &mut self,
        operation_id: &str,
        party: &str,
        from: &str,
        to: &str,
        by: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE operation_participants SET state = $4, changed_by = $5, changed_at = $6 \
             WHERE operation_id = $1 AND party = $2 AND state = $3",
        )
        .bind(operation_id)
        .bind(party)
        .bind(from)
        .bind(to)
        .bind(by)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
