//! Precursor incidents over the API: report one (or turn a pre-export notification into one),
//! list and read what the caller may see. An incident the caller may not read answers 404,
//! exactly as one that does not exist.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{early_warning::Incident, App};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{ApiResult, JsonBody},
    extract::ApiUser,
};

/// A precursor incident as the caller may see it.
#[derive(Serialize, ToSchema, Debug)]
pub struct IncidentOut {
    pub id: String,
    /// `seizure`, `stopped_shipment` or `diversion_attempt`.
    pub kind: String,
    pub substance: String,
    pub substance_name_en: String,
    pub substance_name_ru: String,
    pub quantity: f64,
    /// `kg` or `l`.
    pub unit: String,
    /// Where it happened.
    pub country: String,
    pub place: String,
    /// `YYYY-MM-DD`.
    pub occurred_on: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    pub transit: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    pub modus_operandi: String,
    /// Company and organisation records involved.
    pub companies: Vec<String>,
    /// Seizure records made.
    pub seizures: Vec<String>,
    /// The pre-export notification it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<String>,
    pub notes: String,
    pub classification: String,
    /// The countries concerned (alerted): where it happened, origin, transit, destination.
    pub countries: Vec<String>,
    pub reporter: String,
    pub reported_by: String,
    pub reported_at: i64,
}

impl IncidentOut {
    pub fn of(i: &Incident) -> IncidentOut {
        let d = &i.draft;
        IncidentOut {
            id: i.id.clone(),
            kind: d.kind.as_str().to_string(),
            substance: d.substance.clone(),
            substance_name_en: i.substance_names.0.clone(),
            substance_name_ru: i.substance_names.1.clone(),
            quantity: d.quantity,
            unit: d.unit.as_str().to_string(),
            country: d.country.to_string(),
            place: d.place.clone(),
            occurred_on: d.occurred_on.format("%Y-%m-%d").to_string(),
            origin: d.origin.map(|c| c.to_string()),
            transit: d.transit.iter().map(|c| c.to_string()).collect(),
            destination: d.destination.map(|c| c.to_string()),
            modus_operandi: d.modus_operandi.clone(),
            companies: d.companies.clone(),
            seizures: d.seizures.clone(),
            notification: d.notification.clone(),
            notes: d.notes.clone(),
            classification: d.classification.as_str().to_string(),
            countries: d.countries().iter().map(|c| c.to_string()).collect(),
            reporter: i.reporter.to_string(),
            reported_by: i.created_by.clone(),
            reported_at: i.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncidentList {
    pub incidents: Vec<IncidentOut>,
}

/// Reports a precursor incident: `{"kind": "seizure|stopped_shipment|diversion_attempt",
/// "substance": registry id of a precursor or chemical, "quantity" (> 0), "unit": "kg|l",
/// "country": where it happened, "place"?, "occurred_on": "YYYY-MM-DD", "origin"?, "transit"?:
/// [country codes], "destination"?, "modus_operandi"?, "companies"?: [Company or Organization
/// record ids], "seizures"?: [Seizure record ids], "notification"?: pre-export notification id,
/// "notes"?, "classification"? (default RESTRICTED)}`. A member country reports the incidents on
/// its territory (the centre any); the countries concerned are alerted live
/// (`precursor_incident` events).
#[utoipa::path(post, path = "/api/v1/precursor-incidents", tag = "early_warning", request_body = Object,
    responses((status = 201, body = IncidentOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<IncidentOut>)> {
    let i = app.precursor_incidents().report(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(IncidentOut::of(&i))))
}

/// The incidents you may read, newest first.
#[utoipa::path(get, path = "/api/v1/precursor-incidents", tag = "early_warning",
    responses((status = 200, body = IncidentList)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<IncidentList>> {
    let all = app.precursor_incidents().list(&ctx).await?;
    Ok(Json(IncidentList {
        incidents: all.iter().map(IncidentOut::of).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/precursor-incidents/{id}", tag = "early_warning",
    params(("id" = String, Path)),
    responses((status = 200, body = IncidentOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentOut>> {
    let i = app.precursor_incidents().get(&ctx, &id).await?;
    Ok(Json(IncidentOut::of(&i)))
}

/// Turns a suspicious pre-export notification into a precursor incident where your country
/// stands (the exporting or the importing one): its substance, quantity and route are carried
/// over; the body adds `{"kind"?: default stopped_shipment, "modus_operandi"?, "place"?,
/// "notes"?}`.
#[utoipa::path(post, path = "/api/v1/pre-export-notifications/{id}/incident", tag = "early_warning",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 201, body = IncidentOut), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn from_notification(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<IncidentOut>)> {
    let i = app
        .precursor_incidents()
        .from_notification(&ctx, &id, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(IncidentOut::of(&i))))
}
