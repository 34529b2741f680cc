//! The audit trail, for auditors: filtered reading and verification of the whole chain.

use std::sync::Arc;

use axum::{extract::State, Json};
use pamir_app::{audit::VerifyOutcome, App, AppError};
use pamir_domain::Role;
use pamir_store::AuditQuery;
use serde::Deserialize;

use crate::api::types::*;
use crate::{
    error::{ApiQuery, ApiResult},
    extract::ApiUser,
};

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub actor: Option<String>,
    /// An action such as `record.read`, or a family such as `record.*`.
    pub action: Option<String>,
    pub target: Option<String>,
    pub agency: Option<String>,
    /// RFC 3339 time or date (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub before: Option<i64>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

fn parse_time(field: &str, s: &str, end_of_day: bool) -> Result<i64, AppError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            field,
            format!("{s:?} is not a date (YYYY-MM-DD) or RFC 3339 time"),
        )
    })?;
    let t = if end_of_day {
        d.and_hms_milli_opt(23, 59, 59, 999)
    } else {
        d.and_hms_opt(0, 0, 0)
    };
    Ok(t.map(|t| t.and_utc().timestamp_millis()).unwrap_or(0))
}

impl AuditParams {
    pub fn to_query(&self) -> Result<AuditQuery, AppError> {
        let clean = |s: &Option<String>| {
            s.as_ref()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(AppError::invalid("limit", "must be between 1 and 1000"));
        }
        Ok(AuditQuery {
            actor: clean(&self.actor),
            action: clean(&self.action),
            target: clean(&self.target),
            agency: clean(&self.agency).map(|a| a.to_uppercase()),
            from: clean(&self.from)
                .map(|s| parse_time("from", &s, false))
                .transpose()?,
            to: clean(&self.to)
                .map(|s| parse_time("to", &s, true))
                .transpose()?,
            before: self.before,
            limit,
        })
    }
}

/// Read the audit trail, newest first (auditors only; the reading is itself audited).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    let query = p.to_query()?;
    let entries = app.audit_trail().read(&ctx, &query).await?;
    let next = (entries.len() as i64 == query.limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(Json(AuditPage {
        items: entries.iter().map(AuditEntryOut::of).collect(),
        next,
    }))
}

/// Verify the whole hash chain (auditors only).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyOut), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn verify(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<VerifyOut>> {
    ctx.require(Role::Auditor)?;
    Ok(Json(match app.audit_trail().verify(&|_| {}).await? {
        VerifyOutcome::Intact { entries } => VerifyOut {
            intact: true,
            entries: Some(entries),
            broken_at: None,
            reason: None,
        },
        VerifyOutcome::Broken(b) => VerifyOut {
            intact: false,
            entries: None,
            broken_at: Some(b.seq),
            reason: Some(b.reason),
        },
    }))
}
