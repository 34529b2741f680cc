//! Matches, hits, screening and disclosure requests.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{
    matching::{MatchSide, MatchView, ScreenInput},
    App, AppError,
};
use pamir_domain::handling::HandlingCode;
use pamir_store::Disclosure;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{field, only_fields, required_string, string_field, ApiResult, JsonBody},
    extract::ApiUser,
};

/// A match as the caller may see it. `access` is `full` (the other record is shown, with the
/// reasons) or `hit` (only owner, schema, strength and a reference to ask for it by).
#[derive(Serialize, ToSchema, Debug)]
pub struct MatchOut {
    /// The match id; for a hit, the reference to request disclosure by.
    pub id: String,
    pub score: f64,
    pub access: String,
    /// The caller's record of the pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The other record (full access only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    pub schema: String,
    pub owner: String,
    /// For a hit: the reference to use in `POST /api/v1/disclosures`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For a hit: the state of your agency's request, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

impl MatchOut {
    pub fn of(v: &MatchView) -> MatchOut {
        let record = v.record.as_ref().map(|(id, _)| id.clone());
        match &v.other {
            MatchSide::Full {
                id,
                schema,
                caption,
                owner,
                explanation,
                ..
            } => MatchOut {
                id: v.id.clone(),
                score: v.score,
                access: "full".into(),
                record,
                other: Some(id.clone()),
                caption: Some(caption.clone()),
                explanation: Some(explanation.clone()),
                schema: schema.clone(),
                owner: owner.clone(),
                reference: None,
                request: None,
            },
            MatchSide::Hit {
                reference,
                schema,
                owner,
                request,
            } => MatchOut {
                id: v.id.clone(),
                score: v.score,
                access: "hit".into(),
                record,
                other: None,
                caption: None,
                explanation: None,
                schema: schema.clone(),
                owner: owner.clone(),
                reference: Some(reference.clone()),
                request: request.clone(),
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MatchList {
    pub matches: Vec<MatchOut>,
}

/// Screening result: what you may read, and what exists but is not yours to read.
#[derive(Serialize, ToSchema)]
pub struct ScreenOut {
    pub matches: Vec<MatchOut>,
    pub hits: Vec<MatchOut>,
}

#[derive(Serialize, ToSchema)]
pub struct DisclosureOut {
    pub id: String,
    /// The record asked for: shown to the owner, and to the requester once approved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The hit (match) the request was made from: the requester's handle until approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub owner: String,
    pub requester_agency: String,
    pub requester: String,
    pub justification: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub added_handling_codes: Vec<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<i64>,
}

impl DisclosureOut {
    /// The request as `as_owner` (the owner agency) or the requester sees it: the requester
    /// learns the record's id only once the owner has approved.
    pub fn of(d: &Disclosure, as_owner: bool) -> DisclosureOut {
        DisclosureOut {
            id: d.id.clone(),
            record: (as_owner || d.status == "approved").then(|| d.record_id.clone()),
            reference: d.match_id.clone(),
            owner: d.owner_agency.clone(),
            requester_agency: d.requester_agency.clone(),
            requester: d.requester.clone(),
            justification: d.justification.clone(),
            status: d.status.clone(),
            decided_by: d.decided_by.clone(),
            reason: d.decision_reason.clone(),
            added_handling_codes: d
                .added_codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            created_at: d.created_at,
            decided_at: d.decided_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DisclosureLists {
    /// Requests to your agency, as the owner.
    pub incoming: Vec<DisclosureOut>,
    /// Requests from your agency.
    pub outgoing: Vec<DisclosureOut>,
}

/// Matches of a record you may read: in full where you may read the other record too, as hits
/// otherwise.
#[utoipa::path(get, path = "/api/v1/records/{id}/matches", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = MatchList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn record_matches(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MatchList>> {
    let views = app.matching().record_matches(&ctx, &id).await?;
    Ok(Json(MatchList {
        matches: views.iter().map(MatchOut::of).collect(),
    }))
}

/// Your inbox: matches touching your agency's records (a national focal point's: their
/// country's), newest first.
#[utoipa::path(get, path = "/api/v1/hits", tag = "matching",
    responses((status = 200, body = MatchList), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn hits(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<MatchList>> {
    let views = app.matching().hits(&ctx, 500).await?;
    Ok(Json(MatchList {
        matches: views.iter().map(MatchOut::of).collect(),
    }))
}

/// Screens an FtM entity (`{"schema": "Person", "properties": {…}}`) against everything,
/// without storing it; audited.
#[utoipa::path(post, path = "/api/v1/match", tag = "matching", request_body = Object,
    responses((status = 200, body = ScreenOut), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn screen(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<ScreenOut>> {
    only_fields(&body, &["id", "schema", "properties"])?;
    if !matches!(field(&body, "properties"), Some(Value::Object(_))) {
        return Err(
            AppError::invalid("properties", "an object of property lists is required").into(),
        );
    }
    let views = app
        .matching()
        .screen(&ctx, ScreenInput { entity: body })
        .await?;
    let (hits, matches): (Vec<_>, Vec<_>) = views
        .iter()
        .map(MatchOut::of)
        .partition(|m| m.access == "hit");
    Ok(Json(ScreenOut { matches, hits }))
}

/// Asks the owner of a hit to disclose it: `{"reference": "<hit reference>", "justification": "…"}`.
#[utoipa::path(post, path = "/api/v1/disclosures", tag = "matching", request_body = Object,
    responses((status = 201, body = DisclosureOut), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "a request is pending already"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn request(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<DisclosureOut>)> {
    only_fields(&body, &["reference", "justification"])?;
    let reference = required_string(&body, "reference")?;
    let justification = required_string(&body, "justification")?;
    let d = app
        .matching()
        .request_disclosure(&ctx, &reference, &justification)
        .await?;
    Ok((StatusCode::CREATED, Json(DisclosureOut::of(&d, false))))
}

/// Requests to and from your agency.
#[utoipa::path(get, path = "/api/v1/disclosures", tag = "matching",
    responses((status = 200, body = DisclosureLists)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<DisclosureLists>> {
    let (incoming, outgoing) = app.matching().disclosures(&ctx).await?;
    Ok(Json(DisclosureLists {
        incoming: incoming
            .iter()
            .map(|d| DisclosureOut::of(d, true))
            .collect(),
        outgoing: outgoing
            .iter()
            .map(|d| DisclosureOut::of(d, false))
            .collect(),
    }))
}

fn codes(body: &Value) -> Result<Vec<HandlingCode>, AppError> {
    match field(body, "handling_codes") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .and_then(|s| s.parse::<HandlingCode>().ok())
                    .ok_or_else(|| {
                        AppError::invalid("handling_codes", format!("{v} is not a handling code"))
                    })
            })
            .collect(),
        Some(_) => Err(AppError::invalid("handling_codes", "must be a list")),
    }
}

/// The owner approves: the requesting agency may then read the record. Optional
/// `{"handling_codes": ["NO_ONWARD"], "reason": "…"}` (or `{}`).
#[utoipa::path(post, path = "/api/v1/disclosures/{id}/approve", tag = "matching", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = DisclosureOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DisclosureOut>> {
    only_fields(&body, &["handling_codes", "reason"])?;
    let reason = string_field(&body, "reason")?;
    let d = app
        .matching()
        .decide_disclosure(&ctx, &id, true, reason.as_deref(), &codes(&body)?)
        .await?;
    Ok(Json(DisclosureOut::of(&d, true)))
}

/// The owner declines, saying why: `{"reason": "…"}`.
#[utoipa::path(post, path = "/api/v1/disclosures/{id}/decline", tag = "matching", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = DisclosureOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decline(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<DisclosureOut>> {
    only_fields(&body, &["reason"])?;
    let reason = required_string(&body, "reason")?;
    let d = app
        .matching()
        .decide_disclosure(&ctx, &id, false, Some(&reason), &[])
        .await?;
    Ok(Json(DisclosureOut::of(&d, true)))
}
