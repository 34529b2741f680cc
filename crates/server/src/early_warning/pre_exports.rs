//! Pre-export notifications over the API: send one, list and read what the caller may see, take
//! a step (the importing country's answer, the exporting country's information or withdrawal),
//! and each importing country's reply period. A notification the caller may not read answers
//! 404, exactly as one that does not exist.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{early_warning::Notification, App, AppError};
use pamir_domain::error::Reason;
use pamir_domain::pre_export::{Timeliness, DEFAULT_REPLY_DAYS};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{ApiError, ApiResult, JsonBody},
    extract::ApiUser,
};

/// A step of a notification.
#[derive(Serialize, ToSchema, Debug)]
pub struct StepOut {
    /// `acknowledged`, `no_objection`, `objection`, `information_requested`,
    /// `information_given` or `withdrawn`.
    pub kind: String,
    /// The reason, question or information it carries.
    pub text: String,
    pub agency: String,
    pub by: String,
    pub at: i64,
}

/// A pre-export notification as the caller may see it.
#[derive(Serialize, ToSchema, Debug)]
pub struct NotificationOut {
    pub id: String,
    pub exporter_country: String,
    pub importer_country: String,
    /// The exporting authority's own reference.
    pub reference: String,
    pub exporter: String,
    pub exporter_address: String,
    pub importer: String,
    pub importer_address: String,
    pub substance: String,
    pub substance_name_en: String,
    pub substance_name_ru: String,
    pub quantity: f64,
    /// `kg` or `l`.
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mixture_percent: Option<f64>,
    pub customs_code: String,
    pub transport: String,
    pub transit: Vec<String>,
    pub route: String,
    pub port_of_exit: String,
    pub port_of_entry: String,
    /// `YYYY-MM-DD`.
    pub departure_on: String,
    /// `YYYY-MM-DD`.
    pub arrival_on: String,
    pub notes: String,
    pub classification: String,
    pub sender_agency: String,
    pub sent_by: String,
    pub sent_at: i64,
    /// The last day of the importing country's reply period, `YYYY-MM-DD`.
    pub due_on: String,
    /// The last step's kind, or `awaiting`.
    pub status: String,
    /// `awaiting`, `on_time`, `overdue`, `late` or `withdrawn`.
    pub timeliness: String,
    /// Days past the deadline, when late or overdue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_days: Option<i64>,
    pub steps: Vec<StepOut>,
    /// The steps the caller may take now.
    pub next_steps: Vec<String>,
}

impl NotificationOut {
    pub fn of(n: &Notification) -> NotificationOut {
        let d = &n.draft;
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let (timeliness, late_days) = match n.timeliness {
            Timeliness::Awaiting => ("awaiting", None),
            Timeliness::OnTime => ("on_time", None),
            Timeliness::Overdue { days } => ("overdue", Some(days)),
            Timeliness::Late { days } => ("late", Some(days)),
            Timeliness::Withdrawn => ("withdrawn", None),
        };
        NotificationOut {
            id: n.id.clone(),
            exporter_country: d.exporter_country.to_string(),
            importer_country: d.importer_country.to_string(),
            reference: d.reference.clone(),
            exporter: d.exporter.clone(),
            exporter_address: d.exporter_address.clone(),
            importer: d.importer.clone(),
            importer_address: d.importer_address.clone(),
            substance: d.substance.clone(),
            substance_name_en: n.substance_names.0.clone(),
            substance_name_ru: n.substance_names.1.clone(),
            quantity: d.quantity,
            unit: d.unit.as_str().to_string(),
            mixture_percent: d.mixture_percent,
            customs_code: d.customs_code.clone(),
            transport: d.transport.as_str().to_string(),
            transit: d.transit.iter().map(|c| c.to_string()).collect(),
            route: d.route.clone(),
            port_of_exit: d.port_of_exit.clone(),
            port_of_entry: d.port_of_entry.clone(),
            departure_on: day(d.departure_on),
            arrival_on: day(d.arrival_on),
            notes: d.notes.clone(),
            classification: d.classification.as_str().to_string(),
            sender_agency: n.sender_agency.to_string(),
            sent_by: n.sent_by.clone(),
            sent_at: n.sent_at,
            due_on: day(n.due_on),
            status: n.status.map_or("awaiting", |k| k.as_str()).to_string(),
            timeliness: timeliness.to_string(),
            late_days,
            steps: n
                .steps
                .iter()
                .map(|s| StepOut {
                    kind: s.kind.as_str().to_string(),
                    text: s.body.clone(),
                    agency: s.agency.clone(),
                    by: s.by.clone(),
                    at: s.at,
                })
                .collect(),
            next_steps: n
                .next_steps()
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub notifications: Vec<NotificationOut>,
}

/// Sends a notification from the caller's country: `{"exporter_country", "importer_country",
/// "reference"?, "exporter", "exporter_address"?, "importer", "importer_address"?, "substance":
/// registry id of a precursor or chemical, "quantity" (> 0), "unit": "kg|l", "mixture_percent"?,
/// "customs_code": HS code (6–10 digits, dots allowed), "transport": "road|rail|air|sea|river|postal|other",
/// "transit"?: [country codes], "route"?, "port_of_exit"?, "port_of_entry"?, "departure_on",
/// "arrival_on": "YYYY-MM-DD", "notes"?, "classification"? (default RESTRICTED)}`. Its reply
/// deadline is the importing country's reply period in working days after today.
#[utoipa::path(post, path = "/api/v1/pre-export-notifications", tag = "early_warning", request_body = Object,
    responses((status = 201, body = NotificationOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn send(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<NotificationOut>)> {
    let n = app.pre_exports().send(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(NotificationOut::of(&n))))
}

/// The notifications you may read, newest first, each with whether its reply is late.
#[utoipa::path(get, path = "/api/v1/pre-export-notifications", tag = "early_warning",
    responses((status = 200, body = NotificationList)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<NotificationList>> {
    let all = app.pre_exports().list(&ctx).await?;
    Ok(Json(NotificationList {
        notifications: all.iter().map(NotificationOut::of).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/pre-export-notifications/{id}", tag = "early_warning",
    params(("id" = String, Path)),
    responses((status = 200, body = NotificationOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<NotificationOut>> {
    let n = app.pre_exports().get(&ctx, &id).await?;
    Ok(Json(NotificationOut::of(&n)))
}

/// Takes a step: `{"kind", "text"?}`. The importing country: `acknowledged`, `no_objection`,
/// `objection` (text: the reason), `information_requested` (text: what it needs); the exporting
/// country: `information_given` (text), `withdrawn` (text: why). Nothing is answered after a
/// final answer, nothing at all after a withdrawal.
#[utoipa::path(post, path = "/api/v1/pre-export-notifications/{id}/steps", tag = "early_warning",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = NotificationOut), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn step(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<NotificationOut>> {
    let n = app.pre_exports().step(&ctx, &id, &body).await?;
    Ok(Json(NotificationOut::of(&n)))
}

/// One importing country's reply period.
#[derive(Serialize, ToSchema)]
pub struct ReplyDaysOut {
    pub country: String,
    pub working_days: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReplyDaysList {
    /// The period of a country that set none.
    pub default_working_days: u32,
    pub countries: Vec<ReplyDaysOut>,
}

/// The reply periods importing countries set (others have the default).
#[utoipa::path(get, path = "/api/v1/pre-export-reply-days", tag = "early_warning",
    responses((status = 200, body = ReplyDaysList)), security(("bearer" = [])))]
pub async fn reply_days(
    State(app): State<Arc<App>>,
    ApiUser(_ctx): ApiUser,
) -> ApiResult<Json<ReplyDaysList>> {
    let all = app.pre_exports().all_reply_days().await?;
    Ok(Json(ReplyDaysList {
        default_working_days: DEFAULT_REPLY_DAYS,
        countries: all
            .into_iter()
            .map(|(country, working_days)| ReplyDaysOut {
                country,
                working_days,
            })
            .collect(),
    }))
}

/// Sets an importing country's reply period: `{"working_days": 1..60}` — the centre's
/// administrators, or the country's own focal point. Notifications already sent keep theirs.
#[utoipa::path(put, path = "/api/v1/pre-export-reply-days/{country}", tag = "early_warning",
    params(("country" = String, Path)), request_body = Object,
    responses((status = 200, body = ReplyDaysOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_reply_days(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(country): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<ReplyDaysOut>> {
    let invalid = |field: &str, key: &'static str| -> ApiError {
        AppError::invalid(field, Reason::coded(key, &[])).into()
    };
    if let Some(key) = body
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "working_days"))
    {
        return Err(invalid(key, "field-unknown"));
    }
    let days = match body.get("working_days") {
        // Not a whole number: out of range, refused with the range named.
        Some(Value::Number(n)) => n.as_i64().unwrap_or(-1),
        _ => return Err(invalid("working_days", "field-required")),
    };
    let (country, days) = app
        .pre_exports()
        .set_reply_days(&ctx, &country, days)
        .await?;
    Ok(Json(ReplyDaysOut {
        country: country.to_string(),
        working_days: i64::from(days),
    }))
}
