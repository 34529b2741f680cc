// Operations and their participants (SQL shared by both engines).

use crate::{AuthorisationRow, DeliveryRow, LegRow, OperationRow, ParticipantRow, ResultRow, TaskCommentRow, TaskRow};

const OPERATION_COLS: &str = "id, code_name, kind, lead_country, coordinator_agency, starts, ends, classification, \
    ceiling, description, objectives, seizure_form, created_by, created_at, updated_at";

const PARTICIPANT_COLS: &str = "operation_id, party, state, invited_by, invited_at, changed_by, changed_at";

/// One operation's participants: read from the pool, and inside a writer's transaction.
const PARTICIPANTS_OF: &str =
    "SELECT operation_id, party, state, invited_by, invited_at, changed_by, changed_at \
     FROM operation_participants WHERE operation_id = $1";

const TASK_COLS: &str = "id, operation_id, title, description, assignee, due, remind, status, version, created_by, \
    created_at, updated_by, updated_at, escalated_at";

fn task_from_row(row: &DbRow) -> Result<TaskRow> {
    Ok(TaskRow {
        id: row.try_get("id")?,
        operation_id: row.try_get("operation_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        assignee: row.try_get("assignee")?,
        due: row.try_get("due")?,
        remind: row.try_get("remind")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
        escalated_at: row.try_get("escalated_at")?,
    })
}

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
        let rows = sqlx::query(&format!("{PARTICIPANTS_OF} ORDER BY party"))
        .bind(id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(participant_from_row).collect()
    }

    /// The participants of several operations at once (for a list of them).
    pub async fn participants_of_operations(&self, ids: &[String]) -> Result<Vec<ParticipantRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(BATCH_ROWS) {
            let mut qb = QueryBuilder::<Db>::new(format!(
                "SELECT {PARTICIPANT_COLS} FROM operation_participants WHERE operation_id IN ("
            ));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(id.clone());
            }
            qb.push(") ORDER BY operation_id, party");
            let rows = qb.build().fetch_all(&self.read).await?;
            for row in &rows {
                out.push(participant_from_row(row)?);
            }
        }
        Ok(out)
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

    /// The operations an agency takes part in, as (id, workspace classification level): those
    /// it coordinates and those it, or its whole country, accepted.
    pub async fn operations_taking_part(&self, agency: &str, country: &str) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT id, classification FROM operations WHERE coordinator_agency = $1 OR id IN \
             (SELECT operation_id FROM operation_participants WHERE party IN ($1, $2) AND state = 'accepted')",
        )
        .bind(agency)
        .bind(country)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("classification")?))).collect()
    }
}

impl Engine {
    /// An operation's tasks, soonest due first.
    pub async fn operation_tasks(&self, operation_id: &str) -> Result<Vec<TaskRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLS} FROM operation_tasks WHERE operation_id = $1 ORDER BY due, created_at, id"
        ))
        .bind(operation_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(task_from_row).collect()
    }

    pub async fn get_task(&self, id: &str) -> Result<Option<TaskRow>> {
        let row = sqlx::query(&format!("SELECT {TASK_COLS} FROM operation_tasks WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(task_from_row).transpose()
    }

    /// The comments on every task of an operation, oldest first.
    pub async fn task_comments(&self, operation_id: &str) -> Result<Vec<TaskCommentRow>> {
        let rows = sqlx::query(
            "SELECT c.id, c.task_id, c.author, c.agency, c.body, c.created_at FROM operation_task_comments c \
             JOIN operation_tasks t ON t.id = c.task_id WHERE t.operation_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(operation_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TaskCommentRow {
                    id: row.try_get("id")?,
                    task_id: row.try_get("task_id")?,
                    author: row.try_get("author")?,
                    agency: row.try_get("agency")?,
                    body: row.try_get("body")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Pending tasks due before `today` (`YYYY-MM-DD`) not yet escalated.
    pub async fn overdue_tasks(&self, today: &str, limit: i64) -> Result<Vec<TaskRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLS} FROM operation_tasks WHERE status IN ('open', 'in_progress') AND due < $1 \
             AND escalated_at IS NULL ORDER BY due, id LIMIT $2"
        ))
        .bind(today)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(task_from_row).collect()
    }

    /// Open tasks whose reminder date has come (`remind <= today`) and that were not reminded.
    pub async fn due_reminders(&self, today: &str, limit: i64) -> Result<Vec<TaskRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLS} FROM operation_tasks WHERE status IN ('open', 'in_progress') AND remind <= $1 \
             AND reminded_at IS NULL ORDER BY remind, id LIMIT $2"
        ))
        .bind(today)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(task_from_row).collect()
    }
}

impl WriteTx {
    /// Marks a task reminded; `false` when another worker did first.
    pub async fn mark_task_reminded(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE operation_tasks SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL")
            .bind(id)
            .bind(self.now)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_task(&mut self, t: &TaskRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO operation_tasks ({TASK_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&t.id)
        .bind(&t.operation_id)
        .bind(&t.title)
        .bind(&t.description)
        .bind(&t.assignee)
        .bind(&t.due)
        .bind(&t.remind)
        .bind(&t.status)
        .bind(t.version)
        .bind(&t.created_by)
        .bind(t.created_at)
        .bind(&t.updated_by)
        .bind(t.updated_at)
        .bind(t.escalated_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Sets a task's status if it is still at `version`; `false` when someone changed it first.
    pub async fn set_task_status(&mut self, id: &str, version: i64, status: &str, by: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE operation_tasks SET status = $3, version = version + 1, updated_by = $4, updated_at = $5 \
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .bind(status)
        .bind(by)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks an overdue task reported; `false` when another server did it first.
    pub async fn mark_task_escalated(&mut self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE operation_tasks SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL")
            .bind(id)
            .bind(self.now)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_task_comment(&mut self, c: &TaskCommentRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO operation_task_comments (id, task_id, author, agency, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&c.id)
        .bind(&c.task_id)
        .bind(&c.author)
        .bind(&c.agency)
        .bind(&c.body)
        .bind(c.created_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

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

    /// Rewrites what a coordinator may change (name, lead country, period, classifications,
    /// texts, seizure form) if the operation is still as last written at `seen` (its
    /// `updated_at`); `false` when someone changed it meanwhile.
    pub async fn update_operation(&mut self, op: &OperationRow, seen: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE operations SET code_name = $2, lead_country = $3, starts = $4, ends = $5, classification = $6, \
             ceiling = $7, description = $8, objectives = $9, seizure_form = $10, updated_at = $11 \
             WHERE id = $1 AND updated_at = $12",
        )
        .bind(&op.id)
        .bind(&op.code_name)
        .bind(&op.lead_country)
        .bind(&op.starts)
        .bind(&op.ends)
        .bind(op.classification)
        .bind(op.ceiling)
        .bind(&op.description)
        .bind(&op.objectives)
        .bind(&op.seizure_form)
        .bind(op.updated_at)
        .bind(seen)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Holds an operation's scope for an item of classification `level` being written in this
    /// transaction: locks the operation's row (a no-op write) if its ceiling still admits the
    /// item. `false` when it no longer does (lowered meanwhile) or the operation is gone. With
    /// `update_operation` taking the same row first, a ceiling lowered and an item tagged at the
    /// same moment cannot both win, on either engine.
    pub async fn hold_operation_scope(&mut self, operation_id: &str, level: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE operations SET updated_at = updated_at WHERE id = $1 AND ceiling >= $2")
            .bind(operation_id)
            .bind(level)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The highest classification level among the records and messages in an operation's
    /// scope, as this transaction sees them; `None` when nothing is.
    pub async fn highest_tagged(&mut self, operation_id: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(level) FROM (\
             SELECT r.classification AS level FROM records r JOIN record_scope s ON s.rid = r.rid \
             WHERE s.kind = 'o' AND s.code = $1 \
             UNION ALL SELECT m.classification AS level FROM messages m JOIN message_recipients x ON x.mid = m.mid \
             WHERE x.kind = 'operation' AND x.code = $1) tagged",
        )
        .bind(operation_id)
        .fetch_one(&mut *self.tx)
        .await?)
    }

    /// The participants as this transaction sees them.
    pub async fn operation_participants_in_tx(&mut self, id: &str) -> Result<Vec<ParticipantRow>> {
        let rows = sqlx::query(&format!("{PARTICIPANTS_OF} ORDER BY party"))
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

const DELIVERY_COLS: &str = "operation_id, kind, substance, declared_quantity, actual_quantity, unit, concealment, \
    conveyance, vehicle, markers, substitution, status, status_reason, version, updated_by, updated_at";

const LEG_COLS: &str = "id, operation_id, seq, from_party, to_party, crossing_point, planned_departure, \
    planned_handover, actual_departure, actual_handover, status, version, updated_by, updated_at";

/// One delivery's legs: read from the pool, and inside a writer's transaction.
const LEGS_OF: &str = "SELECT id, operation_id, seq, from_party, to_party, crossing_point, planned_departure, \
    planned_handover, actual_departure, actual_handover, status, version, updated_by, updated_at \
    FROM delivery_legs WHERE operation_id = $1";

fn delivery_from_row(row: &DbRow) -> Result<DeliveryRow> {
    Ok(DeliveryRow {
        operation_id: row.try_get("operation_id")?,
        kind: row.try_get("kind")?,
        substance: row.try_get("substance")?,
        declared_quantity: row.try_get("declared_quantity")?,
        actual_quantity: row.try_get("actual_quantity")?,
        unit: row.try_get("unit")?,
        concealment: row.try_get("concealment")?,
        conveyance: row.try_get("conveyance")?,
        vehicle: row.try_get("vehicle")?,
        markers: row.try_get("markers")?,
        substitution: row.try_get("substitution")?,
        status: row.try_get("status")?,
        status_reason: row.try_get("status_reason")?,
        version: row.try_get("version")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn leg_from_row(row: &DbRow) -> Result<LegRow> {
    Ok(LegRow {
        id: row.try_get("id")?,
        operation_id: row.try_get("operation_id")?,
        seq: row.try_get("seq")?,
        from_party: row.try_get("from_party")?,
        to_party: row.try_get("to_party")?,
        crossing_point: row.try_get("crossing_point")?,
        planned_departure: row.try_get("planned_departure")?,
        planned_handover: row.try_get("planned_handover")?,
        actual_departure: row.try_get("actual_departure")?,
        actual_handover: row.try_get("actual_handover")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const AUTHORISATION_COLS: &str = "operation_id, country, authority, legal_basis, reference, authorised_on, \
    consent, duty_contact, updated_by, updated_at";

fn authorisation_from_row(row: &DbRow) -> Result<AuthorisationRow> {
    Ok(AuthorisationRow {
        operation_id: row.try_get("operation_id")?,
        country: row.try_get("country")?,
        authority: row.try_get("authority")?,
        legal_basis: row.try_get("legal_basis")?,
        reference: row.try_get("reference")?,
        authorised_on: row.try_get("authorised_on")?,
        consent: row.try_get("consent")?,
        duty_contact: row.try_get("duty_contact")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Engine {
    /// The states' authorisations of a delivery, by country.
    pub async fn delivery_authorisations(&self, operation_id: &str) -> Result<Vec<AuthorisationRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {AUTHORISATION_COLS} FROM delivery_authorisations WHERE operation_id = $1 ORDER BY country"
        ))
        .bind(operation_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(authorisation_from_row).collect()
    }

    pub async fn get_delivery(&self, operation_id: &str) -> Result<Option<DeliveryRow>> {
        let row = sqlx::query(&format!("SELECT {DELIVERY_COLS} FROM deliveries WHERE operation_id = $1"))
            .bind(operation_id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(delivery_from_row).transpose()
    }

    /// A delivery's legs in order.
    pub async fn delivery_legs(&self, operation_id: &str) -> Result<Vec<LegRow>> {
        let rows = sqlx::query(&format!("{LEGS_OF} ORDER BY seq"))
            .bind(operation_id)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(leg_from_row).collect()
    }
}

impl WriteTx {
    /// Records a state's authorisation, replacing what it recorded before.
    pub async fn put_authorisation(&mut self, a: &AuthorisationRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO delivery_authorisations ({AUTHORISATION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (operation_id, country) DO UPDATE SET authority = excluded.authority, \
             legal_basis = excluded.legal_basis, reference = excluded.reference, authorised_on = excluded.authorised_on, \
             consent = excluded.consent, duty_contact = excluded.duty_contact, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at"
        ))
        .bind(&a.operation_id)
        .bind(&a.country)
        .bind(&a.authority)
        .bind(&a.legal_basis)
        .bind(&a.reference)
        .bind(&a.authorised_on)
        .bind(&a.consent)
        .bind(&a.duty_contact)
        .bind(&a.updated_by)
        .bind(a.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "an authorisation", "its operation"))?;
        Ok(())
    }

    pub async fn insert_delivery(&mut self, d: &DeliveryRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO deliveries ({DELIVERY_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
        ))
        .bind(&d.operation_id)
        .bind(&d.kind)
        .bind(&d.substance)
        .bind(&d.declared_quantity)
        .bind(&d.actual_quantity)
        .bind(&d.unit)
        .bind(&d.concealment)
        .bind(&d.conveyance)
        .bind(&d.vehicle)
        .bind(&d.markers)
        .bind(&d.substitution)
        .bind(&d.status)
        .bind(&d.status_reason)
        .bind(d.version)
        .bind(&d.updated_by)
        .bind(d.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a delivery of this operation", "its operation"))?;
        Ok(())
    }

    /// Writes every field of `d` (its version included) if the stored one is still at `seen`.
    pub async fn update_delivery(&mut self, d: &DeliveryRow, seen: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE deliveries SET kind = $2, substance = $3, declared_quantity = $4, actual_quantity = $5, \
             unit = $6, concealment = $7, conveyance = $8, vehicle = $9, markers = $10, substitution = $11, \
             status = $12, status_reason = $13, version = $14, updated_by = $15, updated_at = $16 \
             WHERE operation_id = $1 AND version = $17",
        )
        .bind(&d.operation_id)
        .bind(&d.kind)
        .bind(&d.substance)
        .bind(&d.declared_quantity)
        .bind(&d.actual_quantity)
        .bind(&d.unit)
        .bind(&d.concealment)
        .bind(&d.conveyance)
        .bind(&d.vehicle)
        .bind(&d.markers)
        .bind(&d.substitution)
        .bind(&d.status)
        .bind(&d.status_reason)
        .bind(d.version)
        .bind(&d.updated_by)
        .bind(d.updated_at)
        .bind(seen)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delivery_legs_in_tx(&mut self, operation_id: &str) -> Result<Vec<LegRow>> {
        let rows = sqlx::query(&format!("{LEGS_OF} ORDER BY seq"))
            .bind(operation_id)
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter().map(leg_from_row).collect()
    }

    /// Appends a leg; two writers appending at once cannot both take the same place.
    pub async fn insert_leg(&mut self, l: &LegRow) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO delivery_legs ({LEG_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&l.id)
        .bind(&l.operation_id)
        .bind(l.seq)
        .bind(&l.from_party)
        .bind(&l.to_party)
        .bind(&l.crossing_point)
        .bind(&l.planned_departure)
        .bind(&l.planned_handover)
        .bind(&l.actual_departure)
        .bind(&l.actual_handover)
        .bind(&l.status)
        .bind(l.version)
        .bind(&l.updated_by)
        .bind(l.updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, "a leg at this place of the route", "its operation"))?;
        Ok(())
    }

    /// Writes a leg's status and actual times if it is still at `seen`.
    pub async fn update_leg(&mut self, l: &LegRow, seen: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE delivery_legs SET status = $2, actual_departure = $3, actual_handover = $4, version = $5, \
             updated_by = $6, updated_at = $7 WHERE id = $1 AND version = $8",
        )
        .bind(&l.id)
        .bind(&l.status)
        .bind(&l.actual_departure)
        .bind(&l.actual_handover)
        .bind(l.version)
        .bind(&l.updated_by)
        .bind(l.updated_at)
        .bind(seen)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Engine {
    /// An operation's reported results in the order reported, each with its linked seizures.
    pub async fn operation_results(&self, operation_id: &str) -> Result<Vec<ResultRow>> {
        let rows = sqlx::query(
            "SELECT id, operation_id, agency, arrests, cases_opened, assets_value, assets_currency, note, \
             reported_by, reported_at FROM operation_results WHERE operation_id = $1 ORDER BY reported_at, id",
        )
        .bind(operation_id)
        .fetch_all(&self.read)
        .await?;
        let links = sqlx::query(
            "SELECT s.result_id, s.record_id FROM operation_result_seizures s \
             JOIN operation_results r ON r.id = s.result_id WHERE r.operation_id = $1 ORDER BY s.record_id",
        )
        .bind(operation_id)
        .fetch_all(&self.read)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let mut seizures = Vec::new();
            for l in &links {
                if l.try_get::<String, _>("result_id")? == id {
                    seizures.push(l.try_get("record_id")?);
                }
            }
            out.push(ResultRow {
                operation_id: row.try_get("operation_id")?,
                agency: row.try_get("agency")?,
                arrests: row.try_get("arrests")?,
                cases_opened: row.try_get("cases_opened")?,
                assets_value: row.try_get("assets_value")?,
                assets_currency: row.try_get("assets_currency")?,
                note: row.try_get("note")?,
                reported_by: row.try_get("reported_by")?,
                reported_at: row.try_get("reported_at")?,
                seizures,
                id,
            });
        }
        Ok(out)
    }
}

impl WriteTx {
    pub async fn insert_result(&mut self, r: &ResultRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO operation_results (id, operation_id, agency, arrests, cases_opened, assets_value, \
             assets_currency, note, reported_by, reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&r.id)
        .bind(&r.operation_id)
        .bind(&r.agency)
        .bind(r.arrests)
        .bind(r.cases_opened)
        .bind(&r.assets_value)
        .bind(&r.assets_currency)
        .bind(&r.note)
        .bind(&r.reported_by)
        .bind(r.reported_at)
        .execute(&mut *self.tx)
        .await?;
        for record in &r.seizures {
            sqlx::query("INSERT INTO operation_result_seizures (result_id, record_id) VALUES ($1, $2)")
                .bind(&r.id)
                .bind(record)
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}
