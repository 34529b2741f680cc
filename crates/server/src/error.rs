//! HTTP errors: `{"error": {"code", "message", "details"}}` with the status each code means.
//! Internal causes were logged where they arose; clients see only the code and a clear message.

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, FromRequest, Request},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::AppError;
use serde_json::{json, Value};

/// An [`AppError`] on its way out of the JSON API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<pamir_domain::ValidationErrors> for ApiError {
    fn from(e: pamir_domain::ValidationErrors) -> Self {
        ApiError(AppError::Invalid(e))
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated(_)
        | AppError::BadCredentials
        | AppError::TotpWrong
        | AppError::TotpRequired
        | AppError::AccountLocked { .. } => StatusCode::UNAUTHORIZED,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::VersionConflict { .. } | AppError::AlreadyExists(_) | AppError::Conflict(_) => {
            StatusCode::CONFLICT
        }
        AppError::Invalid(_) | AppError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn error_body(e: &AppError) -> Value {
    let mut err = json!({"code": e.code(), "message": e.to_string()});
    if let Some(d) = e.details() {
        err["details"] = d;
    }
    json!({ "error": err })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let mut resp = (status, Json(error_body(&self.0))).into_response();
        if let AppError::RateLimited { retry_after_secs } = self.0 {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Maps a failure to read the request body: too large, or not readable.
pub fn body_rejection(r: BytesRejection) -> AppError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge("the request body is larger than this server accepts".into())
    } else {
        AppError::BadRequest(format!("cannot read the request body: {}", r.body_text()))
    }
}

/// A JSON request body, parsed with errors in the API's format: invalid UTF-8 and malformed
/// JSON are 400 with where it went wrong, an oversized body is 413.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A JSON endpoint reads only what says it is JSON: a form or `text/plain` post, which
        // another site's page can send without asking, is refused before it is read.
        let json = req
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
            .is_some_and(|m| {
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !json {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON, with Content-Type: application/json".into(),
            )
            .into());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if bytes.is_empty() {
            return Err(AppError::BadRequest("a JSON body is required".into()).into());
        }
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            AppError::BadRequest(format!(
                "the body is not valid UTF-8 (at byte {})",
                e.valid_up_to()
            ))
        })?;
        serde_json::from_str(text).map(JsonBody).map_err(|e| {
            AppError::BadRequest(format!(
                "malformed JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
            .into()
        })
    }
}

/// Query parameters, with errors in the API's format (`?limit=abc` is a 400 naming the parameter).
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| {
                AppError::BadRequest(format!(
                    "bad query parameters: {}",
                    e.body_text()
                        .trim_start_matches("Failed to deserialize query string: ")
                ))
                .into()
            })
    }
}

/// Reads a typed field set from a JSON object, naming the field on a type mismatch.
pub fn field<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

pub fn string_field(body: &Value, name: &str) -> Result<Option<String>, AppError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(AppError::invalid(name, "must be a string")),
    }
}

pub fn required_string(body: &Value, name: &str) -> Result<String, AppError> {
    string_field(body, name)?.ok_or_else(|| AppError::invalid(name, "is required"))
}

pub fn int_field(body: &Value, name: &str) -> Result<Option<i64>, AppError> {
    match field(body, name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| AppError::invalid(name, "must be a whole number")),
    }
}

pub fn bool_field(body: &Value, name: &str) -> Result<Option<bool>, AppError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(AppError::invalid(name, "must be true or false")),
    }
}

/// Refuses fields a body must not have, naming them.
pub fn only_fields(body: &Value, allowed: &[&str]) -> Result<(), AppError> {
    let Some(obj) = body.as_object() else {
        return Err(AppError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    };
    let mut errors = pamir_domain::ValidationErrors::default();
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            errors.push(k.clone(), "unknown field");
        }
    }
    errors.into_result(()).map_err(AppError::Invalid)
}
