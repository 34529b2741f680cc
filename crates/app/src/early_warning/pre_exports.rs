//! Pre-export notifications as a service, reached as `app.pre_exports()`: the exporting
//! country's authority notifies the importing country's of a precursor shipment, which answers
//! by a deadline fixed when it is sent (the importing country's reply period in working days,
//! by default `pre_export::DEFAULT_REPLY_DAYS`). Who reads one is the domain's
//! `pre_export::may_read` (the two countries, the centre's analysts and coordinators) — anyone
//! else gets the same "not found" as for one that does not exist; who may take which step is
//! `pre_export::side` and `check_step`. Every step is audited and pushed live to both sides; a
//! reply after the deadline, or none by then, is flagged to both.

use chrono::NaiveDate;
use pamir_domain::{
    audit::Action,
    error::Reason,
    event::Event,
    identity::Role,
    pre_export::{
        self, NotificationDraft, NotificationScope, Side, StepKind, Timeliness, DEFAULT_REPLY_DAYS,
    },
    AgencyCode, Classification, CountryCode, CountryStatus,
};
use pamir_store::{NotificationRow, StepRow};
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, UserContext};

/// A step as one reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub body: String,
    pub agency: String,
    pub by: String,
    pub at: i64,
}

/// A notification as one reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: String,
    pub draft: NotificationDraft,
    /// The substance's English and Russian names.
    pub substance_names: (String, String),
    pub sender_agency: AgencyCode,
    pub sent_by: String,
    pub sent_at: i64,
    /// The last day of the reply period.
    pub due_on: NaiveDate,
    pub steps: Vec<Step>,
    /// Its last step; `None` while it awaits an answer.
    pub status: Option<StepKind>,
    pub timeliness: Timeliness,
    /// The side the reader may act on, if any.
    pub side: Option<Side>,
}

impl Notification {
    /// The steps the reader may take now.
    pub fn next_steps(&self) -> Vec<StepKind> {
        let previous: Vec<StepKind> = self.steps.iter().map(|s| s.kind).collect();
        StepKind::ALL
            .iter()
            .copied()
            .filter(|k| pre_export::check_step(self.side, *k, &previous).is_ok())
            .collect()
    }
}

#[derive(Clone, Copy)]
pub struct PreExports<'a> {
    app: &'a App,
}

impl App {
    pub fn pre_exports(&self) -> PreExports<'_> {
        PreExports { app: self }
    }
}

const LIST_MAX: i64 = 5_000;

fn day_of(ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

impl<'a> PreExports<'a> {
    /// Sends a notification from the caller's country.
    pub async fn send(&self, ctx: &UserContext, body: &Value) -> AppResult<Notification> {
        self.send_at(ctx, body, self.app.clock.now_ms()).await
    }

    /// Sends a notification as at `now` (the demo's history is sent in the past).
    pub(crate) async fn send_at(
        &self,
        ctx: &UserContext,
        body: &Value,
        now: i64,
    ) -> AppResult<Notification> {
        let draft = NotificationDraft::parse(body)?;
        if let Err(reason) = pre_export::may_send(&ctx.subject, draft.exporter_country) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "pre_export.send", "-", e).await);
        }
        if draft.classification > ctx.subject.clearance {
            return Err(AppError::invalid(
                "classification",
                Reason::coded("denied-above-clearance", &[]),
            ));
        }
        chemical(self.app, &draft.substance).await?;
        let days = self.reply_days(draft.importer_country).await?;
        let row = NotificationRow {
            id: format!("pen-{}", secrets::new_handle()),
            exporter_country: draft.exporter_country.to_string(),
            importer_country: draft.importer_country.to_string(),
            substance_id: draft.substance.clone(),
            classification: draft.classification.level(),
            draft: draft.to_json().to_string(),
            due_on: pre_export::due_on(day_of(now), days)
                .format("%Y-%m-%d")
                .to_string(),
            sender_agency: ctx.agency().to_string(),
            created_by: ctx.username().to_string(),
            created_at: now,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_pre_export(&row).await?;
        tx.emit(&Event::PreExportChanged {
            id: row.id.clone(),
            change: "sent".into(),
            late: false,
            scope: draft.scope(),
        })
        .await?;
        tx.audit(&ctx.draft(Action::PreExportSend, &row.id).details(json!({
            "exporter": draft.exporter_country,
            "importer": draft.importer_country,
            "substance": draft.substance,
            "due_on": row.due_on,
        })))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, &row.id).await
    }

    /// Takes a step: `{"kind", "text"}` — the importing country's answer, the information the
    /// exporting country gives when asked, or its withdrawal.
    pub async fn step(&self, ctx: &UserContext, id: &str, body: &Value) -> AppResult<Notification> {
        self.step_at(ctx, id, body, self.app.clock.now_ms()).await
    }

    /// Takes a step as at `now` (the demo's history is answered in the past).
    pub(crate) async fn step_at(
        &self,
        ctx: &UserContext,
        id: &str,
        body: &Value,
        now: i64,
    ) -> AppResult<Notification> {
        let (kind, text) = pre_export::parse_step(body)?;
        let mut tx = self.app.store.begin().await?;
        let Some((row, steps)) = tx.hold_pre_export(id).await? else {
            return Err(AppError::not_found("the notification"));
        };
        let scope = scope_of(&row)?;
        if !pre_export::may_read(&ctx.subject, &scope) {
            return Err(AppError::not_found("the notification"));
        }
        let previous: Vec<StepKind> = steps
            .iter()
            .map(|s| {
                s.kind
                    .parse::<StepKind>()
                    .map_err(|_| corrupt(&row, "step"))
            })
            .collect::<AppResult<_>>()?;
        let side = pre_export::side(&ctx.subject, &scope);
        if let Err(reason) = pre_export::check_step(side, kind, &previous) {
            if matches!(reason.key(), Some("pen-not-importer" | "pen-not-exporter")) {
                drop(tx);
                let e = AppError::Forbidden(reason.as_str().to_string());
                return Err(self.app.refused(ctx, "pre_export.step", id, e).await);
            }
            return Err(AppError::invalid("kind", reason));
        }
        let due = due_of(&row)?;
        // Late only for the reply that stops the clock.
        let late = kind.is_reply() && !previous.iter().any(|k| k.is_reply()) && day_of(now) > due;
        tx.insert_pre_export_step(&StepRow {
            notification_id: row.id.clone(),
            seq: steps.len() as i64 + 1,
            kind: kind.as_str().to_string(),
            body: text.clone(),
            agency: ctx.agency().to_string(),
            created_by: ctx.username().to_string(),
            created_at: now,
        })
        .await?;
        tx.emit(&Event::PreExportChanged {
            id: row.id.clone(),
            change: kind.as_str().to_string(),
            late,
            scope,
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::PreExportStep, &row.id)
                .details(json!({"kind": kind, "late": late})),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, id).await
    }

    /// The notifications the reader may read, newest first.
    pub async fn list(&self, ctx: &UserContext) -> AppResult<Vec<Notification>> {
        let country = self.prefilter(ctx);
        let Some(country) = country else {
            return Ok(Vec::new());
        };
        let rows = self
            .app
            .store
            .pre_exports(country.as_deref(), LIST_MAX)
            .await?;
        let mut steps = self.app.store.pre_export_steps(country.as_deref()).await?;
        let mut out = Vec::new();
        for row in rows {
            let (mine, rest): (Vec<StepRow>, Vec<StepRow>) =
                steps.into_iter().partition(|s| s.notification_id == row.id);
            steps = rest;
            if let Some(view) = self.view(ctx, row, mine).await? {
                out.push(view);
            }
        }
        self.audit_reads(ctx, &out, "list").await?;
        Ok(out)
    }

    /// One notification; "not found" for a reader who may not read it.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<Notification> {
        let Some((row, steps)) = self.app.store.get_pre_export(id).await? else {
            return Err(AppError::not_found("the notification"));
        };
        let view = self
            .view(ctx, row, steps)
            .await?
            .ok_or_else(|| AppError::not_found("the notification"))?;
        self.audit_reads(ctx, std::slice::from_ref(&view), "get")
            .await?;
        Ok(view)
    }

    /// Which rows a reader's list reads: `Some(None)` all (the centre), `Some(Some(country))`
    /// those of the reader's country, `None` nothing.
    fn prefilter(&self, ctx: &UserContext) -> Option<Option<String>> {
        if !ctx.subject.reads_records() {
            return None;
        }
        if ctx.subject.country_status == CountryStatus::Centre
            && (ctx.has(Role::Analyst) || ctx.has(Role::Coordinator))
        {
            Some(None)
        } else {
            Some(Some(ctx.subject.country.to_string()))
        }
    }

    async fn view(
        &self,
        ctx: &UserContext,
        row: NotificationRow,
        steps: Vec<StepRow>,
    ) -> AppResult<Option<Notification>> {
        let scope = scope_of(&row)?;
        if !pre_export::may_read(&ctx.subject, &scope) {
            return Ok(None);
        }
        let v: Value = serde_json::from_str(&row.draft).map_err(|_| corrupt(&row, "draft"))?;
        let draft = NotificationDraft::parse(&v).map_err(|_| corrupt(&row, "draft"))?;
        let steps: Vec<Step> = steps
            .into_iter()
            .map(|s| {
                Ok(Step {
                    kind: s.kind.parse().map_err(|_| corrupt(&row, "step"))?,
                    body: s.body,
                    agency: s.agency,
                    by: s.created_by,
                    at: s.created_at,
                })
            })
            .collect::<AppResult<_>>()?;
        let due_on = due_of(&row)?;
        let dated: Vec<(StepKind, NaiveDate)> =
            steps.iter().map(|s| (s.kind, day_of(s.at))).collect();
        let names = self
            .app
            .store
            .get_substance(&row.substance_id)
            .await?
            .map(|s| (s.name_en, s.name_ru))
            .unwrap_or_default();
        Ok(Some(Notification {
            id: row.id.clone(),
            substance_names: names,
            sender_agency: AgencyCode::parse(&row.sender_agency)
                .map_err(|_| corrupt(&row, "sender"))?,
            sent_by: row.created_by.clone(),
            sent_at: row.created_at,
            due_on,
            status: steps.last().map(|s| s.kind),
            timeliness: pre_export::timeliness(due_on, &dated, self.app.clock.today()),
            side: pre_export::side(&ctx.subject, &scope),
            steps,
            draft,
        }))
    }

    /// Records the reads of notifications above UNCLASSIFIED in one entry.
    async fn audit_reads(
        &self,
        ctx: &UserContext,
        views: &[Notification],
        via: &str,
    ) -> AppResult<()> {
        let ids: Vec<&str> = views
            .iter()
            .filter(|n| n.draft.classification > Classification::Unclassified)
            .map(|n| n.id.as_str())
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let target = if ids.len() == 1 {
            ids[0]
        } else {
            "pre_exports"
        };
        self.app
            .store
            .audit(
                &ctx.draft(Action::PreExportRead, target)
                    .details(json!({"via": via, "ids": ids})),
            )
            .await?;
        Ok(())
    }

    /// Flags to both sides, once, each notification left unanswered past its deadline (an
    /// `overdue` change, pushed live); one answered or withdrawn in time is only marked dealt
    /// with. Returns how many were flagged.
    pub async fn flag_overdue(&self) -> AppResult<usize> {
        let today = self.app.clock.today();
        let mut flagged = 0;
        let rows = self
            .app
            .store
            .pre_exports_past_due(&today.format("%Y-%m-%d").to_string(), 500)
            .await?;
        for row in rows {
            let Some((row, steps)) = self.app.store.get_pre_export(&row.id).await? else {
                continue;
            };
            let due = due_of(&row)?;
            let dated: Vec<(StepKind, NaiveDate)> = steps
                .iter()
                .map(|s| {
                    let kind = s.kind.parse().map_err(|_| corrupt(&row, "step"))?;
                    Ok((kind, day_of(s.created_at)))
                })
                .collect::<AppResult<_>>()?;
            let overdue = matches!(
                pre_export::timeliness(due, &dated, today),
                Timeliness::Overdue { .. }
            );
            let mut tx = self.app.store.begin().await?;
            if !tx.mark_pre_export_overdue_done(&row.id).await? {
                continue;
            }
            if overdue {
                tx.emit(&Event::PreExportChanged {
                    id: row.id.clone(),
                    change: "overdue".into(),
                    late: true,
                    scope: scope_of(&row)?,
                })
                .await?;
                tx.audit(
                    &pamir_domain::audit::AuditDraft::new(
                        "system",
                        "-",
                        Action::PreExportOverdue,
                        &row.id,
                    )
                    .details(json!({"due_on": row.due_on})),
                )
                .await?;
                flagged += 1;
            }
            tx.commit().await?;
        }
        if flagged > 0 {
            self.app.live.wake();
        }
        Ok(flagged)
    }

    /// The reply period of an importing country, in working days.
    pub async fn reply_days(&self, country: CountryCode) -> AppResult<u32> {
        Ok(match self.app.store.reply_days(country.as_str()).await? {
            Some(d) => u32::try_from(d).unwrap_or(DEFAULT_REPLY_DAYS),
            None => DEFAULT_REPLY_DAYS,
        })
    }

    /// Every country that set its own reply period.
    pub async fn all_reply_days(&self) -> AppResult<Vec<(String, i64)>> {
        Ok(self.app.store.all_reply_days().await?)
    }

    /// Sets an importing country's reply period: the centre's administrators, or the country's
    /// own focal point. Notifications already sent keep their deadline.
    pub async fn set_reply_days(
        &self,
        ctx: &UserContext,
        country: &str,
        days: i64,
    ) -> AppResult<(CountryCode, u32)> {
        let country = CountryCode::parse(country).map_err(|r| AppError::invalid("country", r))?;
        let allowed = ctx.subject.active
            && (ctx.has(Role::CentreAdmin)
                || (ctx.has(Role::NationalFocalPoint) && ctx.subject.country == country));
        if !allowed {
            let reason = Reason::coded("pen-reply-days-forbidden", &[("country", &country)]);
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self
                .app
                .refused(ctx, "pre_export.reply_days", country.as_str(), e)
                .await);
        }
        let days =
            pre_export::check_reply_days(days).map_err(|r| AppError::invalid("working_days", r))?;
        let mut tx = self.app.store.begin().await?;
        tx.set_reply_days(
            country.as_str(),
            i64::from(days),
            ctx.username(),
            self.app.clock.now_ms(),
        )
        .await?;
        tx.audit(
            &ctx.draft(Action::PreExportReplyDays, country.as_str())
                .details(json!({"working_days": days})),
        )
        .await?;
        tx.commit().await?;
        Ok((country, days))
    }
}

/// The registry substance `id`, when it is a precursor or chemical (a class of chemicals, or a
/// table of the 1988 Convention): what notifications and incidents are about.
pub(crate) async fn chemical(app: &App, id: &str) -> AppResult<pamir_store::SubstanceRow> {
    let Some(substance) = app.store.get_substance(id).await? else {
        return Err(AppError::invalid(
            "substance",
            Reason::coded("pen-substance-unknown", &[("value", &id)]),
        ));
    };
    let chemical = substance
        .class
        .parse::<pamir_domain::substance::SubstanceClass>()
        .is_ok_and(|c| c.is_chemical())
        || substance.international.contains("1988/");
    if !chemical {
        return Err(AppError::invalid(
            "substance",
            Reason::coded(
                "pen-substance-not-chemical",
                &[("value", &substance.name_en)],
            ),
        ));
    }
    Ok(substance)
}

fn corrupt(row: &NotificationRow, what: &str) -> AppError {
    AppError::Internal(format!("notification {} has a bad {what}", row.id))
}

fn due_of(row: &NotificationRow) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(&row.due_on, "%Y-%m-%d").map_err(|_| corrupt(row, "due date"))
}

fn scope_of(row: &NotificationRow) -> AppResult<NotificationScope> {
    Ok(NotificationScope {
        exporter: CountryCode::parse(&row.exporter_country)
            .map_err(|_| corrupt(row, "exporter"))?,
        importer: CountryCode::parse(&row.importer_country)
            .map_err(|_| corrupt(row, "importer"))?,
        classification: Classification::from_level(row.classification)
            .ok_or_else(|| corrupt(row, "classification"))?,
    })
}
