//! Bulk import (FtM JSON lines or CSV) and export (FtM JSON lines), both audited.

use std::sync::Arc;

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{
    export::Exporter,
    import::{parse_mapping, Format, Importer},
    App, AppError,
};
use pamir_domain::meta::MetaInput;
use serde::Deserialize;
use serde_json::json;

use crate::api::types::*;
use crate::{
    error::{body_rejection, ApiQuery, ApiResult},
    extract::ApiUser,
};

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `jsonl` (FtM JSON lines, default) or `csv` (default when the body is sent as text/csv).
    pub format: Option<String>,
    /// For CSV: the schema of every row.
    pub schema: Option<String>,
    /// For CSV: `COLUMN=PROPERTY,…`; `COLUMN=-` ignores a column.
    pub map: Option<String>,
    /// For CSV: the field separator, one character or `tab`; default: taken from the header row.
    pub delimiter: Option<String>,
    /// Default classification of the records (a JSON line may carry its own `meta`).
    pub classification: Option<String>,
    pub all_members: Option<bool>,
    /// Comma-separated country codes.
    pub countries: Option<String>,
    /// Comma-separated agency codes.
    pub agencies: Option<String>,
    /// Comma-separated operation ids (`op-…`) your agency takes part in.
    pub operations: Option<String>,
    /// Comma-separated handling codes.
    pub handling_codes: Option<String>,
}

fn list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl ImportParams {
    /// The default metadata, validated like a record's `meta`.
    pub fn defaults(&self) -> Result<MetaInput, AppError> {
        let meta = json!({
            "classification": self.classification.as_deref().filter(|c| !c.trim().is_empty()),
            "dissemination": {"all_members": self.all_members.unwrap_or(false), "countries": list(&self.countries), "agencies": list(&self.agencies), "operations": list(&self.operations)},
            "handling_codes": list(&self.handling_codes),
        });
        MetaInput::parse(&meta, "meta").map_err(AppError::Invalid)
    }

    pub fn format(&self, content_type: Option<&str>) -> Result<Format, AppError> {
        let name = match self.format.as_deref() {
            Some(f) => f.trim().to_ascii_lowercase(),
            None if content_type.is_some_and(|c| c.starts_with("text/csv")) => "csv".into(),
            None => "jsonl".into(),
        };
        match name.as_str() {
            "jsonl" | "ftm" | "ndjson" => Ok(Format::JsonLines),
            "csv" => {
                let schema_name = self
                    .schema
                    .as_deref()
                    .ok_or_else(|| AppError::invalid("schema", "is required for CSV"))?;
                let schema = pamir_domain::schema::schema(schema_name).ok_or_else(|| {
                    AppError::invalid("schema", format!("unknown schema {schema_name:?}"))
                })?;
                let mapping = parse_mapping(self.map.as_deref().unwrap_or(""))
                    .map_err(|e| AppError::invalid("map", e))?;
                let delimiter = match self.delimiter.as_deref() {
                    None | Some("") => None,
                    Some("tab") => Some(b'\t'),
                    Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
                    Some(d) => {
                        return Err(AppError::invalid(
                            "delimiter",
                            format!("{d:?} is not one character or `tab`"),
                        ))
                    }
                };
                Ok(Format::Csv {
                    schema,
                    mapping,
                    delimiter,
                })
            }
            other => Err(AppError::invalid(
                "format",
                format!("{other:?} is not jsonl or csv"),
            )),
        }
    }
}

/// Import a file for your agency. The whole file is checked first: any bad line and the answer
/// (422, code `import_rejected`) lists every bad line as `line N: field: reason`, and nothing is
/// written. A good file is written in one transaction.
#[utoipa::path(post, path = "/api/v1/import", tag = "transfer", params(ImportParams),
    request_body(content = String, description = "FtM JSON lines or CSV", content_type = "application/x-ndjson"),
    responses((status = 200, body = ImportOut), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn import(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    req: Request,
) -> ApiResult<Json<ImportOut>> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let format = p.format(content_type.as_deref())?;
    let defaults = p.defaults()?;
    let body = Bytes::from_request(req, &())
        .await
        .map_err(body_rejection)?;
    let importer = Importer {
        actor: ctx.username().to_string(),
        agency: ctx.user.agency.clone(),
        subject: Some(&ctx.subject),
    };
    let report = app
        .imports()
        .run(
            &importer,
            &format,
            defaults,
            std::io::Cursor::new(body),
            &|_, _| {},
        )
        .await?;
    Ok(Json(ImportOut {
        lines: report.lines,
        created: report.created,
        updated: report.updated,
    }))
}

use axum::extract::FromRequest;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Only records of this schema.
    pub schema: Option<String>,
}

/// Export what you may read as FtM JSON lines, each with its `meta` (handling codes kept).
/// Items marked NO_ONWARD are left out unless your agency owns them. Audited.
#[utoipa::path(get, path = "/api/v1/export", tag = "transfer", params(ExportParams),
    responses((status = 200, description = "FtM JSON lines", content_type = "application/x-ndjson")), security(("bearer" = [])))]
pub async fn export(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let exporter = Exporter::start(app, ctx, p.schema.as_deref().filter(|s| !s.is_empty())).await?;
    let stream = futures_util::stream::unfold(Some(exporter), |state| async move {
        let mut ex = state?;
        match ex.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok::<Bytes, std::io::Error>(Bytes::from(chunk)), Some(ex))),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
        }
    });
    let mut resp = Body::from_stream(stream).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
    );
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"pamir-export.jsonl\""),
    );
    Ok(resp)
}
