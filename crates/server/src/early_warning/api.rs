//! The substance registry over the API: list and search, read, add, change, export and import
//! (JSON or CSV).

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{FromRequest, Path, Request, State},
    http::{header, StatusCode},
    response::Response,
    Json,
};
use pamir_app::{
    early_warning::{interchange, registry::ControlFilter, RegistryFilter, Substance},
    App, AppError,
};
use pamir_domain::{error::Reason, substance::NameKind, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{body_rejection, int_field, ApiQuery, ApiResult, JsonBody},
    extract::ApiUser,
    web::download,
};

/// A registry entry: the fields `POST /api/v1/substances` takes, with its id, version and who
/// last changed it.
#[derive(Serialize, ToSchema, Debug)]
pub struct SubstanceOut {
    pub id: String,
    /// The English name shown (the first English name).
    pub name_en: String,
    /// The Russian name shown (the first Russian name).
    pub name_ru: String,
    /// Every name: `{"text", "lang": "en" | "ru" | "local"}`.
    #[schema(value_type = Vec<Object>)]
    pub names: serde_json::Value,
    pub class: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cas: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inchikey: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Schedules and tables of the conventions (`1961/I`, `1971/II`, `1988/I`); empty when not
    /// under international control.
    pub international: Vec<String>,
    /// Status in each country from a date: `{"country", "status", "effective", "note"}`.
    #[schema(value_type = Vec<Object>)]
    pub countries: serde_json::Value,
    pub sources: Vec<String>,
    pub notes: String,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

impl SubstanceOut {
    pub fn of(s: &Substance) -> SubstanceOut {
        let d = &s.draft;
        let json = d.to_json();
        SubstanceOut {
            id: s.id.clone(),
            name_en: d.name(NameKind::En).to_string(),
            name_ru: d.name(NameKind::Ru).to_string(),
            names: json["names"].clone(),
            class: d.class.as_str().to_string(),
            cas: d.cas.as_ref().map(|c| c.to_string()),
            inchikey: d.inchikey.as_ref().map(|c| c.to_string()),
            formula: d.formula.as_ref().map(|c| c.to_string()),
            international: d.controls.iter().map(|c| c.code()).collect(),
            countries: json["countries"].clone(),
            sources: d.sources.clone(),
            notes: d.notes.clone(),
            version: s.version,
            updated_by: s.updated_by.clone(),
            updated_at: s.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubstanceList {
    pub substances: Vec<SubstanceOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Which entries to list.
#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Any name (street names too; spacing, case and punctuation aside), a CAS number or an
    /// InChIKey.
    pub q: Option<String>,
    /// A substance class (`synthetic_cathinone`, `opioid`, `precursor` …).
    pub class: Option<String>,
    /// `1961`, `1971` or `1988` (any schedule or table of that convention), one schedule
    /// (`1971/II`), or `none` (not under international control).
    pub control: Option<String>,
}

impl ListParams {
    pub fn filter(&self) -> Result<RegistryFilter, AppError> {
        let mut errors = ValidationErrors::default();
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let class = blank(&self.class)
            .and_then(|c| c.parse().map_err(|r: Reason| errors.push("class", r)).ok());
        let control = blank(&self.control).and_then(|c| {
            ControlFilter::parse(&c)
                .map_err(|r| errors.push("control", r))
                .ok()
        });
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 500) {
            errors.push("q", Reason::coded("search-query-too-long", &[]));
        }
        errors
            .into_result(RegistryFilter {
                q: blank(&self.q),
                class,
                control,
            })
            .map_err(AppError::Invalid)
    }
}

/// The registry, by English name: every reader of records may list it.
#[utoipa::path(get, path = "/api/v1/substances", tag = "early_warning", params(ListParams),
    responses((status = 200, body = SubstanceList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult<Json<SubstanceList>> {
    let filter = p.filter()?;
    let all = app.substances().list(&ctx, &filter).await?;
    Ok(Json(SubstanceList {
        substances: all.iter().map(SubstanceOut::of).collect(),
    }))
}

/// Adds a substance (analysts of member countries and the centre, centre administrators):
/// `{"names": [{"text", "lang"}], "class", "cas"?, "inchikey"?, "formula"?, "international"?:
/// ["1971/II"], "countries"?: [{"country", "status", "effective", "note"?}], "sources"?, "notes"?}`.
/// A name, CAS number or InChIKey another substance holds is refused (422) naming the holder.
#[utoipa::path(post, path = "/api/v1/substances", tag = "early_warning", request_body = Object,
    responses((status = 201, body = SubstanceOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<SubstanceOut>)> {
    let s = app.substances().create(&ctx, &body).await?;
    Ok((StatusCode::CREATED, Json(SubstanceOut::of(&s))))
}

#[utoipa::path(get, path = "/api/v1/substances/{id}", tag = "early_warning", params(("id" = String, Path)),
    responses((status = 200, body = SubstanceOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<SubstanceOut>> {
    let s = app.substances().get(&ctx, &id).await?;
    Ok(Json(SubstanceOut::of(&s)))
}

/// Changes a substance: the body of `POST` with `"version"`, the version you read (a stale one
/// is answered 409).
#[utoipa::path(put, path = "/api/v1/substances/{id}", tag = "early_warning", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = SubstanceOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(mut body): JsonBody,
) -> ApiResult<Json<SubstanceOut>> {
    let version = int_field(&body, "version")?
        .ok_or_else(|| AppError::invalid("version", Reason::coded("field-required", &[])))?;
    if let Some(obj) = body.as_object_mut() {
        obj.remove("version");
    }
    let s = app.substances().update(&ctx, &id, version, &body).await?;
    Ok(Json(SubstanceOut::of(&s)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// The whole registry as a file to import elsewhere: JSON (a list of entries with their ids)
/// or CSV (one row per substance; names, controls, countries and sources one per line of their
/// cell).
#[utoipa::path(get, path = "/api/v1/substances/export", tag = "early_warning", params(ExportParams),
    responses((status = 200, description = "the registry as a file"), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn export(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let csv = match p.format.as_deref().unwrap_or("json") {
        "json" => false,
        "csv" => true,
        other => {
            return Err(AppError::invalid(
                "format",
                Reason::coded(
                    "value-not-one-of",
                    &[("value", &other), ("allowed", &"json, csv")],
                ),
            )
            .into())
        }
    };
    Ok(export_file(&app, &ctx, csv).await?)
}

/// The registry as a JSON or CSV download (shared with the pages).
pub async fn export_file(
    app: &App,
    ctx: &pamir_app::UserContext,
    csv: bool,
) -> Result<Response, AppError> {
    let entries = app.substances().export(ctx).await?;
    Ok(if csv {
        download(
            "text/csv; charset=utf-8",
            "substances.csv",
            interchange::to_csv(&entries),
        )
    } else {
        let body = serde_json::to_string_pretty(&entries)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        download("application/json", "substances.json", body)
    })
}

/// Imports entries as `export` writes them — a JSON list (`Content-Type: application/json`) or
/// CSV (`text/csv`). An entry whose `id` names a registry substance replaces it; any other is
/// added. All or nothing: any bad entry and the answer (422, `import_rejected`) names every
/// bad line and field, and nothing is written.
#[utoipa::path(post, path = "/api/v1/substances/import", tag = "early_warning",
    request_body(content = String, description = "a JSON list of entries, or CSV", content_type = "application/json"),
    responses((status = 200, body = ImportOut), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    req: Request,
) -> ApiResult<Json<ImportOut>> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let csv = match content_type.as_str() {
        "application/json" => false,
        "text/csv" => true,
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "send the registry as application/json or text/csv".into(),
            )
            .into())
        }
    };
    let body = Bytes::from_request(req, &())
        .await
        .map_err(body_rejection)?;
    let done = import_bytes(&app, &ctx, csv, &body).await?;
    Ok(Json(ImportOut {
        created: done.created,
        updated: done.updated,
        unchanged: done.unchanged,
    }))
}

/// A JSON or CSV file imported (shared with the pages).
pub async fn import_bytes(
    app: &App,
    ctx: &pamir_app::UserContext,
    csv: bool,
    bytes: &[u8],
) -> Result<pamir_app::early_warning::registry::RegistryImport, AppError> {
    if csv {
        return app.substances().import_csv(ctx, bytes).await;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::invalid(
            "",
            Reason::coded("json-malformed", &[("error", &e.to_string())]),
        )
    })?;
    let Some(entries) = value.as_array() else {
        return Err(AppError::invalid(
            "",
            Reason::coded("field-must-be-list", &[]),
        ));
    };
    app.substances().import(ctx, entries).await
}
