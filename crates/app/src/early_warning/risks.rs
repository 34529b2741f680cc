//! Risk communications as a service, reached as `app.risk_communications()`: an analyst's
//! warning about a substance, issued, updated and retracted, each step pushed live to its
//! readers (who read it as they would a detection of the issuing agency: the domain's
//! `detection::may_read`) and audited. Anyone else gets the same "not found" as for one that
//! does not exist.

use pamir_domain::{
    audit::Action,
    detection::{self, DetectionScope},
    error::Reason,
    event::Event,
    risk_communication::{self, RiskDraft},
    AgencyCode, Classification, CountryCode,
};
use pamir_store::RiskRow;
use serde_json::{json, Value};

use crate::{secrets, App, AppError, AppResult, UserContext};

/// A risk communication as one reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskCommunication {
    pub id: String,
    pub draft: RiskDraft,
    /// The substance's English and Russian names.
    pub substance_names: (String, String),
    pub issuer: AgencyCode,
    pub version: i64,
    /// Why it was retracted; `None` while it stands.
    pub retraction: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

#[derive(Clone, Copy)]
pub struct RiskCommunications<'a> {
    app: &'a App,
}

impl App {
    pub fn risk_communications(&self) -> RiskCommunications<'_> {
        RiskCommunications { app: self }
    }
}

const LIST_MAX: i64 = 2_000;
const ISSUED: &str = "issued";
const RETRACTED: &str = "retracted";

fn observers_of(draft: &RiskDraft) -> String {
    draft
        .observers
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl<'a> RiskCommunications<'a> {
    /// Issues a communication.
    pub async fn issue(&self, ctx: &UserContext, body: &Value) -> AppResult<RiskCommunication> {
        if let Err(reason) = risk_communication::may_issue(&ctx.subject) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, "risk.issue", "-", e).await);
        }
        let draft = RiskDraft::parse(body)?;
        self.check(ctx, &draft).await?;
        let now = self.app.clock.now_ms();
        let row = RiskRow {
            id: format!("risk-{}", secrets::new_handle()),
            substance_id: draft.substance.clone(),
            issuer: ctx.agency().to_string(),
            classification: draft.classification.level(),
            observers: observers_of(&draft),
            status: ISSUED.into(),
            version: 1,
            draft: draft.to_json().to_string(),
            retraction: String::new(),
            created_by: ctx.username().to_string(),
            created_at: now,
            updated_by: ctx.username().to_string(),
            updated_at: now,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_risk_communication(&row).await?;
        self.announce(&mut tx, ctx, &row, &draft, "issued", Action::RiskIssue)
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, &row.id).await
    }

    /// What a draft must hold beyond its fields: a registry substance, detections the issuer
    /// may read, a classification within the issuer's clearance.
    async fn check(&self, ctx: &UserContext, draft: &RiskDraft) -> AppResult<()> {
        if draft.classification > ctx.subject.clearance {
            return Err(AppError::invalid(
                "classification",
                Reason::coded("denied-above-clearance", &[]),
            ));
        }
        if self
            .app
            .store
            .get_substance(&draft.substance)
            .await?
            .is_none()
        {
            return Err(AppError::invalid(
                "substance",
                Reason::coded(
                    "detection-substance-unknown",
                    &[("value", &draft.substance)],
                ),
            ));
        }
        for (i, id) in draft.detections.iter().enumerate() {
            let ok = match self.app.detections().get(ctx, id).await {
                Ok(d) => d.draft.substance.as_deref() == Some(draft.substance.as_str()),
                Err(AppError::NotFound(_)) => false,
                Err(e) => return Err(e),
            };
            if !ok {
                return Err(AppError::invalid(
                    &format!("detections[{i}]"),
                    Reason::coded("risk-detection-unknown", &[("value", id)]),
                ));
            }
        }
        Ok(())
    }

    async fn announce(
        &self,
        tx: &mut pamir_store::WriteTx,
        ctx: &UserContext,
        row: &RiskRow,
        draft: &RiskDraft,
        change: &str,
        action: Action,
    ) -> AppResult<()> {
        let issuer = AgencyCode::parse(&row.issuer).map_err(|_| corrupt(row))?;
        tx.emit(&Event::RiskCommunicationChanged {
            id: row.id.clone(),
            substance: row.substance_id.clone(),
            change: change.to_string(),
            version: row.version,
            scope: draft.scope(issuer),
        })
        .await?;
        tx.audit(&ctx.draft(action, &row.id).details(json!({
            "substance": row.substance_id,
            "version": row.version,
            "severity": draft.severity,
        })))
        .await?;
        Ok(())
    }

    /// The stored row, when the reader may change it: its agency's analyst, and it still stands.
    async fn changeable(&self, ctx: &UserContext, id: &str, attempted: &str) -> AppResult<RiskRow> {
        let current = self.get(ctx, id).await?;
        if let Err(reason) = risk_communication::may_change(&ctx.subject, &current.issuer) {
            let e = AppError::Forbidden(reason.as_str().to_string());
            return Err(self.app.refused(ctx, attempted, id, e).await);
        }
        if current.retraction.is_some() {
            return Err(AppError::Conflict(
                Reason::coded("risk-retracted", &[]).as_str().to_string(),
            ));
        }
        self.app
            .store
            .get_risk_communication(id)
            .await?
            .ok_or_else(|| AppError::not_found("the risk communication"))
    }

    /// Updates a communication: the whole draft again, with the `version` read.
    pub async fn update(
        &self,
        ctx: &UserContext,
        id: &str,
        body: &Value,
    ) -> AppResult<RiskCommunication> {
        let stored = self.changeable(ctx, id, "risk.update").await?;
        let mut body = body.clone();
        let seen = body
            .as_object_mut()
            .and_then(|o| o.remove("version"))
            .and_then(|v| v.as_i64());
        let Some(seen) = seen else {
            return Err(AppError::invalid(
                "version",
                Reason::coded("field-required", &[]),
            ));
        };
        let draft = RiskDraft::parse(&body)?;
        if draft.substance != stored.substance_id {
            return Err(AppError::invalid(
                "substance",
                Reason::coded("risk-substance-fixed", &[]),
            ));
        }
        self.check(ctx, &draft).await?;
        let row = RiskRow {
            classification: draft.classification.level(),
            observers: observers_of(&draft),
            version: seen + 1,
            draft: draft.to_json().to_string(),
            updated_by: ctx.username().to_string(),
            updated_at: self.app.clock.now_ms(),
            ..stored
        };
        let mut tx = self.app.store.begin().await?;
        if !tx.update_risk_communication(&row, seen).await? {
            return Err(AppError::VersionConflict {
                current: self
                    .app
                    .store
                    .get_risk_communication(id)
                    .await?
                    .map_or(0, |r| r.version),
            });
        }
        self.announce(&mut tx, ctx, &row, &draft, "updated", Action::RiskUpdate)
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, id).await
    }

    /// Retracts a communication: `{"reason"}`. It stays readable, marked retracted.
    pub async fn retract(
        &self,
        ctx: &UserContext,
        id: &str,
        body: &Value,
    ) -> AppResult<RiskCommunication> {
        let stored = self.changeable(ctx, id, "risk.retract").await?;
        let reason = risk_communication::retraction_reason(body)?;
        let draft = parse(&stored)?;
        let seen = stored.version;
        let row = RiskRow {
            status: RETRACTED.into(),
            version: seen + 1,
            retraction: reason,
            updated_by: ctx.username().to_string(),
            updated_at: self.app.clock.now_ms(),
            ..stored
        };
        let mut tx = self.app.store.begin().await?;
        if !tx.update_risk_communication(&row, seen).await? {
            return Err(AppError::VersionConflict { current: seen + 1 });
        }
        self.announce(&mut tx, ctx, &row, &draft, "retracted", Action::RiskRetract)
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        self.get(ctx, id).await
    }

    /// The communications the reader may read, last changed first (of one substance when given).
    pub async fn list(
        &self,
        ctx: &UserContext,
        substance: Option<&str>,
    ) -> AppResult<Vec<RiskCommunication>> {
        let rows = self
            .app
            .store
            .risk_communications(substance, LIST_MAX)
            .await?;
        let views = self.views(ctx, rows).await?;
        self.audit_reads(ctx, &views, "list").await?;
        Ok(views)
    }

    /// One communication; "not found" for a reader who may not read it.
    pub async fn get(&self, ctx: &UserContext, id: &str) -> AppResult<RiskCommunication> {
        let Some(row) = self.app.store.get_risk_communication(id).await? else {
            return Err(AppError::not_found("the risk communication"));
        };
        let views = self.views(ctx, vec![row]).await?;
        self.audit_reads(ctx, &views, "get").await?;
        views
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found("the risk communication"))
    }

    async fn views(
        &self,
        ctx: &UserContext,
        rows: Vec<RiskRow>,
    ) -> AppResult<Vec<RiskCommunication>> {
        let mut names: std::collections::BTreeMap<String, (String, String)> = Default::default();
        let mut out = Vec::new();
        for row in rows {
            let scope = scope_of(&row)?;
            if !detection::may_read(&ctx.subject, &scope) {
                continue;
            }
            let draft = parse(&row)?;
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
            out.push(RiskCommunication {
                id: row.id.clone(),
                substance_names: names.get(&row.substance_id).cloned().unwrap_or_default(),
                issuer: scope.reporter,
                version: row.version,
                retraction: (row.status == RETRACTED).then(|| row.retraction.clone()),
                created_by: row.created_by.clone(),
                created_at: row.created_at,
                updated_by: row.updated_by.clone(),
                updated_at: row.updated_at,
                draft,
            });
        }
        Ok(out)
    }

    /// Records the reads of communications above UNCLASSIFIED in one entry.
    async fn audit_reads(
        &self,
        ctx: &UserContext,
        views: &[RiskCommunication],
        via: &str,
    ) -> AppResult<()> {
        let ids: Vec<&str> = views
            .iter()
            .filter(|r| r.draft.classification > Classification::Unclassified)
            .map(|r| r.id.as_str())
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let target = if ids.len() == 1 {
            ids[0]
        } else {
            "risk_communications"
        };
        self.app
            .store
            .audit(
                &ctx.draft(Action::RiskRead, target)
                    .details(json!({"via": via, "ids": ids})),
            )
            .await?;
        Ok(())
    }
}

fn corrupt(row: &RiskRow) -> AppError {
    AppError::Internal(format!("risk communication {} is unreadable", row.id))
}

fn parse(row: &RiskRow) -> AppResult<RiskDraft> {
    let v: Value = serde_json::from_str(&row.draft).map_err(|_| corrupt(row))?;
    RiskDraft::parse(&v).map_err(|_| corrupt(row))
}

fn scope_of(row: &RiskRow) -> AppResult<DetectionScope> {
    Ok(DetectionScope {
        reporter: AgencyCode::parse(&row.issuer).map_err(|_| corrupt(row))?,
        classification: Classification::from_level(row.classification)
            .ok_or_else(|| corrupt(row))?,
        observers: row
            .observers
            .split_whitespace()
            .map(|c| CountryCode::parse(c).map_err(|_| corrupt(row)))
            .collect::<AppResult<_>>()?,
    })
}
