//! The JSON API under `/api/v1`, and its OpenAPI 3 document generated from the handlers.

pub mod types;

use std::sync::Arc;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use pamir_app::{App, AppError};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

use crate::error::ApiError;
use types::*;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(
                    "A token from POST /api/v1/session or POST /api/v1/tokens. The session cookie works too; then changes also need X-CSRF-Token.",
                )).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Pamir API", description = "Central database of the regional centre against cross-border drug trafficking: records under the access policy, import and export, administration and the audit trail."),
    paths(healthz),
    components(schemas(ErrorBody, ErrorDetail, Health)),
    modifiers(&BearerAuth),
    tags((name = "session")),
)]
pub struct ApiDoc;

/// The whole document: this module's paths and every capability's (`crate::capability`).
pub fn document() -> utoipa::openapi::OpenApi {
    crate::capability::openapi(ApiDoc::openapi())
}

/// The document is the same for the process's life: built and serialised once.
async fn openapi() -> Response {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let json = DOCUMENT.get_or_init(|| serde_json::to_string(&document()).unwrap_or_default());
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json.as_str(),
    )
        .into_response()
}

/// 200 when the database answers, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "session", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(State(app): State<Arc<App>>) -> Response {
    match app.database_answers().await {
        Ok(()) => Json(Health {
            status: "ok".into(),
            database: "ok".into(),
        })
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable".into(),
                    database: "not answering".into(),
                }),
            )
                .into_response()
        }
    }
}

async fn not_found() -> ApiError {
    ApiError(AppError::NotFound(
        "no such API endpoint; see /api/v1/openapi.json".into(),
    ))
}

async fn method_not_allowed() -> Response {
    let body = serde_json::json!({"error": {"code": "method_not_allowed", "message": "this endpoint does not take that method"}});
    (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

pub fn routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(crate::capability::api_routes(app))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}
