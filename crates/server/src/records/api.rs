//! Records: submit, read (full or hit), change, delete, search, and links between records.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{
    records::{parse_record_input, LinkInput, SearchParams},
    App, AppError,
};
use pamir_domain::{link::LinkKind, ValidationErrors};
use serde::Deserialize;
use serde_json::Value;

use crate::api::types::*;
use crate::{
    error::{
        field, int_field, only_fields, required_string, string_field, ApiQuery, ApiResult, JsonBody,
    },
    extract::ApiUser,
};

/// Submit a record on behalf of your agency.
#[utoipa::path(post, path = "/api/v1/records", tag = "records", request_body = RecordIn,
    responses((status = 201, body = RecordOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "the id is taken"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<RecordOut>)> {
    let input = parse_record_input(&body, app.clock.today(), "")?;
    let stored = app.records().create(&ctx, input).await?;
    Ok((StatusCode::CREATED, Json(RecordOut::of(&stored))))
}

fn parse_links(body: &Value) -> Result<Vec<LinkInput>, AppError> {
    let Some(list) = field(body, "links") else {
        return Ok(Vec::new());
    };
    let Some(items) = list.as_array() else {
        return Err(AppError::invalid("links", "must be a list"));
    };
    let mut errors = ValidationErrors::default();
    let mut out = Vec::new();
    for (i, l) in items.iter().enumerate() {
        let get = |k: &str| l.get(k).and_then(Value::as_str).map(str::to_string);
        let kind = match get("kind").map(|k| k.parse::<LinkKind>()) {
            Some(Ok(k)) => Some(k),
            Some(Err(e)) => {
                errors.push(format!("links[{i}].kind"), e);
                None
            }
            None => {
                errors.push(format!("links[{i}].kind"), "is required");
                None
            }
        };
        let (source, target) = (get("source"), get("target"));
        if source.is_none() {
            errors.push(format!("links[{i}].source"), "is required");
        }
        if target.is_none() {
            errors.push(format!("links[{i}].target"), "is required");
        }
        if let (Some(kind), Some(source), Some(target)) = (kind, source, target) {
            out.push(LinkInput {
                kind,
                source,
                target,
                role: get("role"),
            });
        }
    }
    errors.into_result(out).map_err(AppError::Invalid)
}

/// Submit several records and the links between them in one transaction — e.g. a seizure with
/// its persons and vehicles. Stored whole or not at all.
#[utoipa::path(post, path = "/api/v1/records/bundle", tag = "records", request_body = BundleIn,
    responses((status = 201, body = BundleOut), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_bundle(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<BundleOut>)> {
    only_fields(&body, &["records", "links"])?;
    let Some(items) = field(&body, "records").and_then(Value::as_array) else {
        return Err(AppError::invalid("records", "must be a non-empty list").into());
    };
    if items.is_empty() || items.len() > 200 {
        return Err(AppError::invalid("records", "must hold 1–200 records").into());
    }
    let mut errors = ValidationErrors::default();
    let mut inputs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match parse_record_input(item, app.clock.today(), &format!("records[{i}].")) {
            Ok(input) => inputs.push(input),
            Err(e) => errors.extend(e),
        }
    }
    let links = match parse_links(&body) {
        Ok(l) => l,
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            Vec::new()
        }
        Err(other) => return Err(other.into()),
    };
    errors.into_result(()).map_err(AppError::Invalid)?;
    let stored = app.records().create_bundle(&ctx, inputs, links).await?;
    Ok((
        StatusCode::CREATED,
        Json(BundleOut {
            records: stored.iter().map(RecordOut::of).collect(),
        }),
    ))
}

/// Read a record. A record you may only learn exists answers `{"id", "schema", "owner", "access": "hit"}`;
/// one that does not exist or that you may not know of answers 404.
#[utoipa::path(get, path = "/api/v1/records/{id}", tag = "records", params(("id" = String, Path)),
    responses((status = 200, description = "RecordOut (access full) or HitOut (access hit)", body = RecordOut),
              (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let access = app.records().get(&ctx, &id).await?;
    Ok(Json(record_access_json(&access)))
}

/// Replace a record's properties and metadata. Only the owner agency may; name the version you read.
#[utoipa::path(put, path = "/api/v1/records/{id}", tag = "records", params(("id" = String, Path)), request_body = RecordUpdateIn,
    responses((status = 200, body = RecordOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "stale version"), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    JsonBody(mut body): JsonBody,
) -> ApiResult<Json<RecordOut>> {
    let version = int_field(&body, "version")?
        .ok_or_else(|| AppError::invalid("version", "is required: the version you read"))?;
    if let Some(obj) = body.as_object_mut() {
        obj.remove("version");
    }
    let input = parse_record_input(&body, app.clock.today(), "")?;
    let stored = app.records().update(&ctx, &id, version, input).await?;
    Ok(Json(RecordOut::of(&stored)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// The version you read; when given, a stale one is answered 409.
    version: Option<i64>,
}

#[utoipa::path(delete, path = "/api/v1/records/{id}", tag = "records", params(("id" = String, Path), DeleteParams),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DeleteParams>,
) -> ApiResult<StatusCode> {
    app.records().delete(&ctx, &id, p.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The query parameters of `GET /api/v1/records`, documented for OpenAPI; they deserialise as
/// the application's [`SearchParams`], which the search page uses too.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Words to find in names, identifiers and texts (any script; prefixes match).
    q: Option<String>,
    schema: Option<String>,
    /// Owner's country.
    country: Option<String>,
    /// Owner agency.
    agency: Option<String>,
    classification: Option<String>,
    /// Keyset cursor from the previous page's `next`.
    before: Option<i64>,
    /// 1–500, default 50.
    limit: Option<i64>,
}

/// List or search the records you may read in full, newest first. Every search is audited.
#[utoipa::path(get, path = "/api/v1/records", tag = "records", params(ListParams),
    responses((status = 200, body = RecordPage), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> ApiResult<Json<RecordPage>> {
    let page = app.records().search(&ctx, &params).await?;
    Ok(Json(RecordPage {
        items: page.items.iter().map(RecordOut::of).collect(),
        next: page.next,
    }))
}

/// Link two records you may read in full, on behalf of your agency.
#[utoipa::path(post, path = "/api/v1/links", tag = "records", request_body = LinkIn,
    responses((status = 201, body = LinkOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_link(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<LinkOut>)> {
    only_fields(&body, &["kind", "source", "target", "role"])?;
    let kind = required_string(&body, "kind")?
        .parse::<LinkKind>()
        .map_err(|e| AppError::invalid("kind", e))?;
    let link = app
        .records()
        .create_link(
            &ctx,
            LinkInput {
                kind,
                source: required_string(&body, "source")?,
                target: required_string(&body, "target")?,
                role: string_field(&body, "role")?,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(LinkOut::plain(&link))))
}

#[utoipa::path(delete, path = "/api/v1/links/{id}", tag = "records", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn delete_link(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.records().delete_link(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The record schemata with their properties, types and labels.
#[utoipa::path(get, path = "/api/v1/schemata", tag = "records", responses((status = 200, body = [SchemaOut])))]
pub async fn schemata() -> Json<Vec<SchemaOut>> {
    use pamir_domain::schema::{Lang, PropType, SCHEMATA};
    let labels = |key: &str| {
        Lang::all()
            .map(|l| (l.code().to_string(), pamir_i18n::text(l, key).to_string()))
            .collect()
    };
    Json(
        SCHEMATA
            .iter()
            .map(|s| SchemaOut {
                name: s.name.into(),
                labels: labels(s.label_key),
                label_en: s.label(Lang::EN).into(),
                label_ru: s.label(Lang::RU).into(),
                required: s
                    .required
                    .iter()
                    .map(|alts| alts.iter().map(|a| a.to_string()).collect())
                    .collect(),
                pamir_extension: s.pamir_extension,
                properties: s
                    .props()
                    .map(|p| PropertyOut {
                        name: p.name.into(),
                        ty: p.ty.name().into(),
                        labels: labels(p.label_key),
                        label_en: p.label(Lang::EN).into(),
                        label_ru: p.label(Lang::RU).into(),
                        values: match p.ty {
                            PropType::Enum(v) => Some(v.codes().map(str::to_string).collect()),
                            _ => None,
                        },
                    })
                    .collect(),
            })
            .collect(),
    )
}
