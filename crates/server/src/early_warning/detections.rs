//! Detections over the API: report one, list and read what the caller may see. A detection the
//! caller may not read answers 404, exactly as one that does not exist.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{early_warning::Detection, App};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{ApiQuery, ApiResult, JsonBody},
    extract::ApiUser,
};

/// A detection as the caller may see it.
#[derive(Serialize, ToSchema, Debug)]
pub struct DetectionOut {
    pub id: String,
    /// The registry substance, when identified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substance_name_en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substance_name_ru: Option<String>,
    /// What was found, when not identified.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unidentified: String,
    pub methods: Vec<String>,
    pub laboratory: String,
    /// `confirmed` or `provisional`.
    pub confidence: String,
    pub country: String,
    pub place: String,
    /// `YYYY-MM-DD`.
    pub detected_on: String,
    pub seizures: Vec<String>,
    pub adverse_events: String,
    pub notes: String,
    pub classification: String,
    pub observers: Vec<String>,
    pub reporter: String,
    pub reported_by: String,
    pub reported_at: i64,
    /// The first confirmed detection of its substance in its country (of those you may read).
    pub first_in_country: bool,
    /// The first in the region (of those you may read).
    pub first_in_region: bool,
}

impl DetectionOut {
    pub fn of(d: &Detection) -> DetectionOut {
        let r = &d.draft;
        DetectionOut {
            id: d.id.clone(),
            substance: r.substance.clone(),
            substance_name_en: d.substance_names.as_ref().map(|n| n.0.clone()),
            substance_name_ru: d.substance_names.as_ref().map(|n| n.1.clone()),
            unidentified: r.unidentified.clone(),
            methods: r.methods.iter().map(|m| m.as_str().to_string()).collect(),
            laboratory: r.laboratory.clone(),
            confidence: r.confidence.as_str().to_string(),
            country: r.country.to_string(),
            place: r.place.clone(),
            detected_on: r.detected_on.format("%Y-%m-%d").to_string(),
            seizures: r.seizures.clone(),
            adverse_events: r.adverse_events.clone(),
            notes: r.notes.clone(),
            classification: r.classification.as_str().to_string(),
            observers: r.observers.iter().map(|c| c.to_string()).collect(),
            reporter: d.reporter.to_string(),
            reported_by: d.created_by.clone(),
            reported_at: d.created_at,
            first_in_country: d.first_in_country,
            first_in_region: d.first_in_region,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DetectionList {
    pub detections: Vec<DetectionOut>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetectionParams {
    /// Only detections of this registry substance.
    substance: Option<String>,
}

/// Reports a detection: `{"substance": "sub-…"} or {"unidentified": "description"}, "methods":
/// ["gc_ms", …], "laboratory", "confidence": "confirmed|provisional", "country", "place"?,
/// "detected_on": "YYYY-MM-DD", "seizures"?: [record ids], "adverse_events"?, "notes"?,
/// "classification"? (default RESTRICTED), "observers"?: [observer country codes]}`. A member
/// country reports its own detections (the centre any). The first confirmed detection of a
/// substance in a country or in the region is alerted live (`detection` events).
#[utoipa::path(post, path = "/api/v1/detections", tag = "early_warning", request_body = Object,
    responses((status = 201, body = DetectionOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<DetectionOut>)> {
    let d = app.detections().report(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(DetectionOut::of(&d))))
}

/// The detections you may read, newest first.
#[utoipa::path(get, path = "/api/v1/detections", tag = "early_warning", params(DetectionParams),
    responses((status = 200, body = DetectionList)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<DetectionParams>,
) -> ApiResult<Json<DetectionList>> {
    let all = app.detections().list(&ctx, p.substance.as_deref()).await?;
    Ok(Json(DetectionList {
        detections: all.iter().map(DetectionOut::of).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/detections/{id}", tag = "early_warning", params(("id" = String, Path)),
    responses((status = 200, body = DetectionOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<DetectionOut>> {
    let d = app.detections().get(&ctx, &id).await?;
    Ok(Json(DetectionOut::of(&d)))
}

/// An analyst's assessment note.
#[derive(Serialize, ToSchema)]
pub struct NoteOut {
    pub agency: String,
    pub author: String,
    pub text: String,
    pub at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NoteList {
    pub notes: Vec<NoteOut>,
}

fn notes_out(notes: Vec<pamir_app::early_warning::detections::Note>) -> NoteList {
    NoteList {
        notes: notes
            .into_iter()
            .map(|n| NoteOut {
                agency: n.agency,
                author: n.author,
                text: n.text,
                at: n.at,
            })
            .collect(),
    }
}

/// A detection's assessment notes, oldest first.
#[utoipa::path(get, path = "/api/v1/detections/{id}/notes", tag = "early_warning", params(("id" = String, Path)),
    responses((status = 200, body = NoteList), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn notes(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<NoteList>> {
    Ok(Json(notes_out(app.detections().notes(&ctx, &id).await?)))
}

/// Adds an analyst's assessment note: `{"text"}`. Analysts who read the detection.
#[utoipa::path(post, path = "/api/v1/detections/{id}/notes", tag = "early_warning", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 201, body = NoteList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_note(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<NoteList>)> {
    let notes = app.detections().add_note(&ctx, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(notes_out(notes))))
}
