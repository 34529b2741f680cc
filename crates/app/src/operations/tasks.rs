//! Tasks of an operation: set by a coordinator for a participating agency, worked on by that
//! agency, commented on by participants, and escalated to the coordinator (and the assignee's
//! focal point) once overdue. Only those taking part see them.

use chrono::NaiveDate;
use pamir_domain::{
    audit::{Action, AuditDraft},
    error::Reason,
    event::Event,
    operation::Standing,
    task::{self, TaskDraft, TaskStatus},
    AgencyCode,
};
use pamir_store::{TaskCommentRow, TaskRow};
use serde_json::{json, Value};

use super::{participants, scope_of, Operations};
use crate::{secrets, AppError, AppResult, UserContext};

/// A task as a participant sees it, with its comments.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub operation: String,
    pub title: String,
    pub description: String,
    pub assignee: AgencyCode,
    pub due: NaiveDate,
    pub remind: Option<NaiveDate>,
    pub status: TaskStatus,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    /// Pending and past its due date today.
    pub overdue: bool,
    /// Reported to the coordinator as overdue.
    pub escalated: bool,
    pub comments: Vec<TaskComment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskComment {
    pub author: String,
    pub agency: String,
    pub body: String,
    pub created_at: i64,
}

const COMMENT_MAX: usize = 10_000;

impl<'a> Operations<'a> {
    /// The operation's tasks, soonest due first. Only for those taking part.
    pub async fn tasks(&self, ctx: &UserContext, operation: &str) -> AppResult<Vec<Task>> {
        self.taking_part(ctx, operation, "task.list").await?;
        let today = self.app.clock.today();
        let comments = self.app.store.task_comments(operation).await?;
        self.app
            .store
            .operation_tasks(operation)
            .await?
            .into_iter()
            .map(|row| task_of(row, &comments, today))
            .collect()
    }

    /// Sets a task for a participating agency (coordinator).
    pub async fn add_task(
        &self,
        ctx: &UserContext,
        operation: &str,
        body: &Value,
    ) -> AppResult<Task> {
        let loaded = self.coordinated(ctx, operation, "task.create").await?;
        let today = self.app.clock.today();
        let draft = TaskDraft::parse(body, today)?;
        if !task::may_be_assigned(&loaded.scope, &draft.assignee) {
            return Err(AppError::invalid(
                "assignee",
                Reason::coded("task-not-participant", &[("value", &draft.assignee)]),
            ));
        }
        let now = self.app.clock.now_ms();
        let row = TaskRow {
            id: format!("task-{}", secrets::new_handle()),
            operation_id: operation.to_string(),
            title: draft.title,
            description: draft.description,
            assignee: draft.assignee.to_string(),
            due: draft.due.to_string(),
            remind: draft.remind.map(|d| d.to_string()),
            status: TaskStatus::Open.as_str().to_string(),
            version: 1,
            created_by: ctx.username().to_string(),
            created_at: now,
            updated_by: ctx.username().to_string(),
            updated_at: now,
            escalated_at: None,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_task(&row).await?;
        tx.emit(&Event::TaskChanged {
            id: row.id.clone(),
            operation: operation.to_string(),
            status: row.status.clone(),
            assignee: draft.assignee.clone(),
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::TaskCreate, &row.id)
                .details(json!({"operation": operation, "assignee": row.assignee, "due": row.due})),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        task_of(row, &[], today)
    }

    /// Moves a task to `status` (the assignee's users; a coordinator also cancels). `version`
    /// is the one the caller saw: a change made meanwhile is a conflict, not overwritten.
    pub async fn set_task_status(
        &self,
        ctx: &UserContext,
        operation: &str,
        task_id: &str,
        status: &str,
        version: Option<i64>,
    ) -> AppResult<Task> {
        let (loaded, standing) = self.taking_part(ctx, operation, "task.update").await?;
        let row = self.task_in(operation, task_id).await?;
        let next: TaskStatus = status.parse().map_err(|r| AppError::invalid("status", r))?;
        let current: TaskStatus = stored_status(&row)?;
        let assignee = stored_assignee(&row)?;
        if !task::may_set_status(&ctx.subject, standing, &assignee, next) {
            let e = AppError::Forbidden(
                "only the assigned agency works on a task; a coordinator also cancels it".into(),
            );
            return Err(self.app.refused(ctx, "task.update", task_id, e).await);
        }
        if !current.may_become(next) {
            return Err(AppError::invalid(
                "status",
                Reason::coded(
                    "task-status-move",
                    &[("from", &current.as_str()), ("to", &next.as_str())],
                ),
            ));
        }
        let seen = version.unwrap_or(row.version);
        let mut tx = self.app.store.begin().await?;
        if !tx
            .set_task_status(task_id, seen, next.as_str(), ctx.username())
            .await?
        {
            return Err(AppError::VersionConflict {
                current: row.version,
            });
        }
        tx.emit(&Event::TaskChanged {
            id: task_id.to_string(),
            operation: operation.to_string(),
            status: next.as_str().to_string(),
            assignee,
            scope: loaded.scope.clone(),
        })
        .await?;
        tx.audit(&ctx.draft(Action::TaskUpdate, task_id).details(
            json!({"operation": operation, "from": current.as_str(), "to": next.as_str()}),
        ))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.task(ctx, operation, task_id).await
    }

    /// Adds a comment to a task (anyone taking part).
    pub async fn comment_task(
        &self,
        ctx: &UserContext,
        operation: &str,
        task_id: &str,
        body: &str,
    ) -> AppResult<Task> {
        self.taking_part(ctx, operation, "task.comment").await?;
        self.task_in(operation, task_id).await?;
        let body = body.trim();
        if body.is_empty() {
            return Err(AppError::invalid(
                "body",
                Reason::coded("task-comment-required", &[]),
            ));
        }
        let len = body.chars().count();
        if len > COMMENT_MAX {
            return Err(AppError::invalid(
                "body",
                Reason::coded(
                    "value-too-long",
                    &[("length", &len), ("limit", &COMMENT_MAX)],
                ),
            ));
        }
        let mut tx = self.app.store.begin().await?;
        tx.insert_task_comment(&TaskCommentRow {
            id: secrets::new_handle(),
            task_id: task_id.to_string(),
            author: ctx.username().to_string(),
            agency: ctx.agency().to_string(),
            body: body.to_string(),
            created_at: self.app.clock.now_ms(),
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::TaskComment, task_id)
                .details(json!({"operation": operation})),
        )
        .await?;
        tx.commit().await?;
        self.task(ctx, operation, task_id).await
    }

    /// Reports pending tasks past their due date, once each, to the operation's coordinator and
    /// the assignee (and its focal point) over the event stream. Returns how many; safe to run
    /// on every server at once.
    pub async fn escalate_overdue_tasks(&self) -> AppResult<usize> {
        let today = self.app.clock.today().to_string();
        let mut escalated = 0;
        for row in self.app.store.overdue_tasks(&today, 500).await? {
            let Some(op) = self.app.store.get_operation(&row.operation_id).await? else {
                continue;
            };
            let parts = participants(self.app.store.operation_participants(&op.id).await?);
            let scope = scope_of(&op, &parts)?;
            let assignee = stored_assignee(&row)?;
            let mut tx = self.app.store.begin().await?;
            if !tx.mark_task_escalated(&row.id).await? {
                continue;
            }
            tx.emit(&Event::TaskOverdue {
                id: row.id.clone(),
                operation: op.id.clone(),
                assignee,
                scope,
            })
            .await?;
            tx.audit(
                &AuditDraft::new("system", "-", Action::TaskEscalate, &row.id)
                    .details(json!({"operation": op.id, "due": row.due, "assignee": row.assignee})),
            )
            .await?;
            tx.commit().await?;
            escalated += 1;
        }
        if escalated > 0 {
            self.app.live.wake();
        }
        Ok(escalated)
    }

    /// Reminds assignees of open tasks whose reminder date has come (once per task): an event
    /// their agency's participants are shown live, and a line in the operation's journal.
    /// Returns how many.
    pub async fn remind_due_tasks(&self) -> AppResult<usize> {
        let today = self.app.clock.today().to_string();
        let mut reminded = 0;
        for row in self.app.store.due_reminders(&today, 500).await? {
            let Some(op) = self.app.store.get_operation(&row.operation_id).await? else {
                continue;
            };
            let parts = participants(self.app.store.operation_participants(&op.id).await?);
            let scope = scope_of(&op, &parts)?;
            let assignee = stored_assignee(&row)?;
            let mut tx = self.app.store.begin().await?;
            if !tx.mark_task_reminded(&row.id).await? {
                continue;
            }
            tx.emit(&Event::TaskReminder {
                id: row.id.clone(),
                operation: op.id.clone(),
                assignee,
                scope,
            })
            .await?;
            tx.audit(
                &AuditDraft::new("system", "-", Action::TaskRemind, &row.id).details(
                    json!({"operation": op.id, "remind": row.remind, "due": row.due, "assignee": row.assignee}),
                ),
            )
            .await?;
            tx.commit().await?;
            reminded += 1;
        }
        if reminded > 0 {
            self.app.live.wake();
        }
        Ok(reminded)
    }

    async fn task(&self, ctx: &UserContext, operation: &str, task_id: &str) -> AppResult<Task> {
        self.tasks(ctx, operation)
            .await?
            .into_iter()
            .find(|t| t.id == task_id)
            .ok_or_else(|| AppError::not_found("task"))
    }

    /// The operation when the caller takes part in it; refused (audited) for an invited party,
    /// "not found" for anyone else.
    pub(super) async fn taking_part(
        &self,
        ctx: &UserContext,
        operation: &str,
        attempted: &str,
    ) -> AppResult<(super::Loaded, Standing)> {
        let (loaded, standing) = self.visible(ctx, operation).await?;
        if !standing.takes_part() {
            let e = AppError::Forbidden("accept the invitation to see the operation's work".into());
            return Err(self.app.refused(ctx, attempted, operation, e).await);
        }
        Ok((loaded, standing))
    }

    /// The task, if it belongs to the operation.
    async fn task_in(&self, operation: &str, task_id: &str) -> AppResult<TaskRow> {
        self.app
            .store
            .get_task(task_id)
            .await?
            .filter(|t| t.operation_id == operation)
            .ok_or_else(|| AppError::not_found("task"))
    }
}

fn stored_status(row: &TaskRow) -> AppResult<TaskStatus> {
    row.status
        .parse()
        .map_err(|_| AppError::Internal(format!("task {} has a bad status", row.id)))
}

fn stored_assignee(row: &TaskRow) -> AppResult<AgencyCode> {
    AgencyCode::parse(&row.assignee)
        .map_err(|_| AppError::Internal(format!("task {} has a bad assignee", row.id)))
}

fn task_of(row: TaskRow, comments: &[TaskCommentRow], today: NaiveDate) -> AppResult<Task> {
    let bad = |what: &str| AppError::Internal(format!("task {} has a bad {what}", row.id));
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("date"));
    let status = stored_status(&row)?;
    let due = date(&row.due)?;
    Ok(Task {
        assignee: stored_assignee(&row)?,
        due,
        remind: row.remind.as_deref().map(date).transpose()?,
        status,
        overdue: task::overdue(status, due, today),
        escalated: row.escalated_at.is_some(),
        comments: comments
            .iter()
            .filter(|c| c.task_id == row.id)
            .map(|c| TaskComment {
                author: c.author.clone(),
                agency: c.agency.clone(),
                body: c.body.clone(),
                created_at: c.created_at,
            })
            .collect(),
        id: row.id,
        operation: row.operation_id,
        title: row.title,
        description: row.description,
        version: row.version,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    })
}
