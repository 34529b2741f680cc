//! Risk communications over the API: issue, update, retract, list and read what the caller may
//! see. One the caller may not read answers 404, exactly as one that does not exist.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{early_warning::RiskCommunication, App};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{ApiQuery, ApiResult, JsonBody},
    extract::ApiUser,
};

/// A risk communication as the caller may see it.
#[derive(Serialize, ToSchema, Debug)]
pub struct RiskOut {
    pub id: String,
    pub substance: String,
    pub substance_name_en: String,
    pub substance_name_ru: String,
    pub title: String,
    /// `information`, `warning` or `alert`.
    pub severity: String,
    pub risk: String,
    pub advice: String,
    pub detections: Vec<String>,
    pub classification: String,
    pub observers: Vec<String>,
    pub issuer: String,
    /// Counts the changes; send it back with an update.
    pub version: i64,
    /// Why it was retracted; absent while it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retraction: Option<String>,
    pub issued_by: String,
    pub issued_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

impl RiskOut {
    pub fn of(r: &RiskCommunication) -> RiskOut {
        let d = &r.draft;
        RiskOut {
            id: r.id.clone(),
            substance: d.substance.clone(),
            substance_name_en: r.substance_names.0.clone(),
            substance_name_ru: r.substance_names.1.clone(),
            title: d.title.clone(),
            severity: d.severity.as_str().to_string(),
            risk: d.risk.clone(),
            advice: d.advice.clone(),
            detections: d.detections.clone(),
            classification: d.classification.as_str().to_string(),
            observers: d.observers.iter().map(|c| c.to_string()).collect(),
            issuer: r.issuer.to_string(),
            version: r.version,
            retraction: r.retraction.clone(),
            issued_by: r.created_by.clone(),
            issued_at: r.created_at,
            updated_by: r.updated_by.clone(),
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RiskList {
    pub communications: Vec<RiskOut>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskParams {
    /// Only communications about this registry substance.
    substance: Option<String>,
}

/// Issues a risk communication: `{"substance": registry id, "title", "severity":
/// "information|warning|alert", "risk", "advice"?, "detections"?: [detection ids of the
/// substance], "classification"? (default RESTRICTED), "observers"?: [observer country codes]}`.
/// Analysts of member countries and of the centre; pushed live (`risk` events) to whoever reads
/// the substance's detections.
#[utoipa::path(post, path = "/api/v1/risk-communications", tag = "early_warning", request_body = Object,
    responses((status = 201, body = RiskOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn issue(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<RiskOut>)> {
    let r = app.risk_communications().issue(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(RiskOut::of(&r))))
}

/// The risk communications you may read, last changed first.
#[utoipa::path(get, path = "/api/v1/risk-communications", tag = "early_warning", params(RiskParams),
    responses((status = 200, body = RiskList)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<RiskParams>,
) -> ApiResult<Json<RiskList>> {
    let all = app
        .risk_communications()
        .list(&ctx, p.substance.as_deref())
        .await?;
    Ok(Json(RiskList {
        communications: all.iter().map(RiskOut::of).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/risk-communications/{id}", tag = "early_warning",
    params(("id" = String, Path)),
    responses((status = 200, body = RiskOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<RiskOut>> {
    let r = app.risk_communications().get(&ctx, &id).await?;
    Ok(Json(RiskOut::of(&r)))
}

/// Updates a risk communication: the whole communication again with the `version` read (409
/// when it changed meanwhile). The issuing agency's analysts, while it stands.
#[utoipa::path(put, path = "/api/v1/risk-communications/{id}", tag = "early_warning",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = RiskOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<RiskOut>> {
    let r = app.risk_communications().update(&ctx, &id, &body).await?;
    Ok(Json(RiskOut::of(&r)))
}

/// Retracts a risk communication: `{"reason"}`. It stays readable, marked retracted, and the
/// retraction is pushed live.
#[utoipa::path(post, path = "/api/v1/risk-communications/{id}/retract", tag = "early_warning",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = RiskOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn retract(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<RiskOut>> {
    let r = app.risk_communications().retract(&ctx, &id, &body).await?;
    Ok(Json(RiskOut::of(&r)))
}
