//! Precursor incidents as a service, reached as `app.precursor_incidents()`: a seizure, stopped
//! shipment or diversion attempt of a precursor, reported by the country where it happened (or
//! the centre) and alerted at once to the users of every country on its way and the centre's
//! analysts. Who reads one is the domain's `precursor_incident::may_read`; anyone else gets the
//! same "not found" as for one that does not exist. A party of a suspicious pre-export
//! notification turns it into an incident in one action (`from_notification`).

use chrono::NaiveDate;
use pamir_domain::{
    access::{self, Access},
    audit::Action,
    error::Reason,
    event::Event,
    precursor_incident::{self, IncidentDraft, IncidentScope},
    AgencyCode, Classification, CountryCode,
};
use pamir_store::IncidentRow;
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, UserContext};

/// An incident as one reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: String,
    pub draft: IncidentDraft,
    /// The substance's English and Russian names.
    pub substance_names: (String, String),
    pub reporter: AgencyCode,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Clone, Copy)]
pub struct Incidents<'a> {
    app: &'a App,
}

impl App {
    pub fn precursor_incidents(&self) -> Incidents<'_> {
        Incidents { app: self }
    }
}

const LIST_MAX: i64 = 5_000;

impl<'a> Incidents<'a> {
    /// Reports an incident.
    pub async fn report(&self, ctx: &UserContext, body: &Value) -> AppResult<Incident> {
        self.report_at(ctx, body, self.app.clock.now_ms()).await
    }

    /// Reports an incident as at `now` (the demo's history is reported in the past).
    pub(crate) async fn report_at(
        &self,
        ctx: &UserContext,
        body: &Value,
        now: i64,
    ) -> AppResult<Incident> {
        let draft = IncidentDraft::parse(body, self.app.clock.today())?;
        if let Err(reason) = precursor_incident::may_report(&ctx.subject, draft.country) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self
                .app
                .refused(ctx, "precursor_incident.report", "-", e)
                .await);
        }
        if draft.classification > ctx.subject.clearance {
            return Err(AppError::invalid(
                "classification",
                Reason::coded("denied-above-clearance", &[]),
            ));
        }
        super::pre_exports::chemical(self.app, &draft.substance).await?;
        self.check_records(
            ctx,
            &draft.companies,
            "companies",
            &["Company", "Organization"],
            "incident-company-unknown",
        )
        .await?;
        self.check_records(
            ctx,
            &draft.seizures,
            "seizures",
            &["Seizure"],
            "detection-seizure-unknown",
        )
        .await?;
        if let Some(n) = &draft.notification {
            // A notification the reporter may not read answers as one that does not exist.
            if self.app.pre_exports().get(ctx, n).await.is_err() {
                return Err(AppError::invalid(
                    "notification",
                    Reason::coded("incident-notification-unknown", &[("value", n)]),
                ));
            }
        }
        let scope = draft.scope(ctx.user.agency.clone());
        let row = IncidentRow {
            id: format!("pci-{}", secrets::new_handle()),
            reporter: ctx.agency().to_string(),
            country: draft.country.to_string(),
            substance_id: draft.substance.clone(),
            occurred_on: draft.occurred_on.format("%Y-%m-%d").to_string(),
            classification: draft.classification.level(),
            countries: scope
                .countries
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            notification_id: draft.notification.clone(),
            draft: draft.to_json().to_string(),
            created_by: ctx.username().to_string(),
            created_at: now,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_precursor_incident(&row).await?;
        tx.emit(&Event::PrecursorIncidentReported {
            id: row.id.clone(),
            country: row.country.clone(),
            substance: row.substance_id.clone(),
            scope,
        })
        .await?;
        tx.audit(
            &ctx.draft(Action::PrecursorIncidentReport, &row.id)
                .details(json!({
                    "kind": draft.kind,
                    "substance": draft.substance,
                    "countries": row.countries,
                    "notification": draft.notification,
                })),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, &row.id).await
    }

    /// Each of `ids` must be a record of one of `schemas` the reporter reads in full; any other
    /// answers as one that does not exist.
    async fn check_records(
        &self,
        ctx: &UserContext,
        ids: &[String],
        field: &str,
        schemas: &[&str],
        key: &'static str,
    ) -> AppResult<()> {
        for (i, id) in ids.iter().enumerate() {
            let ok = self.app.store.get_record(id).await?.is_some_and(|r| {
                schemas.contains(&r.entity.schema.name)
                    && access::decide(&ctx.subject, &r.meta) == Access::Full
            });
            if !ok {
                return Err(AppError::invalid(
                    &format!("{field}[{i}]"),
                    Reason::coded(key, &[("value", id)]),
                ));
            }
        }
        Ok(())
    }

    /// Turns a pre-export notification into an incident where the reporter's country stands:
    /// `extra` adds `kind` (default `stopped_shipment`), `modus_operandi`, `place`, `notes`. Only
    /// a party of the notification (either side) may.
    pub async fn from_notification(
        &self,
        ctx: &UserContext,
        id: &str,
        extra: &Value,
    ) -> AppResult<Incident> {
        let n = self.app.pre_exports().get(ctx, id).await?;
        if n.side.is_none() {
            let reason = Reason::coded("incident-not-party", &[]);
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self
                .app
                .refused(ctx, "precursor_incident.from_notification", id, e)
                .await);
        }
        let Some(obj) = extra.as_object() else {
            return Err(AppError::invalid(
                "",
                Reason::coded("entity-not-object", &[]),
            ));
        };
        for key in obj.keys() {
            if !["kind", "modus_operandi", "place", "notes"].contains(&key.as_str()) {
                return Err(AppError::invalid(key, Reason::coded("field-unknown", &[])));
            }
        }
        let body = precursor_incident::from_notification(
            &n.id,
            &n.draft,
            ctx.subject.country,
            self.app.clock.today(),
            extra,
        );
        self.report(ctx, &body).await
    }

    /// The incidents the reader may read, newest first.
    pub async fn list(&self, ctx: &UserContext) -> AppResult<Vec<Incident>> {
        if !ctx.subject.reads_records() {
            return Ok(Vec::new());
        }
        let rows = self.app.store.precursor_incidents(LIST_MAX).await?;
        let views = self.views(ctx, rows).await?;
        self.audit_reads(ctx, &views, "list").await?;
        Ok(views)
    }

    /// The incidents a notification became, of those the reader may read.
    pub async fn of_notification(&self, ctx: &UserContext, id: &str) -> AppResult<Vec<Incident>> {
        let rows = self.app.store.incidents_of_notification(id).await?;
        let views = self.views(ctx, rows).await?;
        self.audit_reads(ctx, &views, "notification").await?;
        Ok(views)
    }

    /// One incident; "not found" for a reader who may not read it.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<Incident> {
        let Some(row) = self.app.store.get_precursor_incident(id).await? else {
            return Err(AppError::not_found("the incident"));
        };
        let views = self.views(ctx, vec![row]).await?;
        self.audit_reads(ctx, &views, "get").await?;
        views
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("the incident"))
    }

    async fn views(&self, ctx: &UserContext, rows: Vec<IncidentRow>) -> AppResult<Vec<Incident>> {
        let mut names: std::collections::BTreeMap<String, (String, String)> = Default::default();
        let mut out = Vec::new();
        for row in rows {
            let scope = scope_of(&row)?;
            if !precursor_incident::may_read(&ctx.subject, &scope) {
                continue;
            }
            let v: Value = serde_json::from_str(&row.draft).map_err(|_| corrupt(&row))?;
            // Stored reports were checked when written; their date is not weighed against today again.
            let draft = IncidentDraft::parse(&v, NaiveDate::MAX).map_err(|_| corrupt(&row))?;
            if !names.contains_key(&row.substance_id) {
                let n = self
                    .app
                    .store
                    .get_substance(&row.substance_id)
                    .await?
                    .map(|s| (s.name_en, s.name_ru))
                    .unwrap_or_default();
                names.insert(row.substance_id.clone(), n);
            }
            out.push(Incident {
                id: row.id.clone(),
                substance_names: names.get(&row.substance_id).cloned().unwrap_or_default(),
                reporter: scope.reporter,
                created_by: row.created_by.clone(),
                created_at: row.created_at,
                draft,
            });
        }
        Ok(out)
    }

    /// Records the reads of incidents above UNCLASSIFIED in one entry.
    async fn audit_reads(&self, ctx: &UserContext, views: &[Incident], via: &str) -> AppResult<()> {
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
            "precursor_incidents"
        };
        self.app
            .store
            .audit(
                &ctx.draft(Action::PrecursorIncidentRead, target)
                    .details(json!({"via": via, "ids": ids})),
            )
            .await?;
        Ok(())
    }
}

fn corrupt(row: &IncidentRow) -> AppError {
    AppError::Internal(format!("precursor incident {} is unreadable", row.id))
}

fn scope_of(row: &IncidentRow) -> AppResult<IncidentScope> {
    Ok(IncidentScope {
        reporter: AgencyCode::parse(&row.reporter).map_err(|_| corrupt(row))?,
        classification: Classification::from_level(row.classification)
            .ok_or_else(|| corrupt(row))?,
        countries: row
            .countries
            .split_whitespace()
            .map(|c| CountryCode::parse(c).map_err(|_| corrupt(row)))
            .collect::<AppResult<_>>()?,
    })
}
