//! Login, logout, the caller's identity and API tokens.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{auth::LoginRequest, App, AppError};

use crate::api::types::*;
use crate::{
    error::{int_field, only_fields, required_string, string_field, ApiResult, JsonBody},
    extract::{client_addr, ApiUser, SESSION_COOKIE},
};

pub fn session_cookie(app: &App, token: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if app.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Client context that the handler needs from the request head. A request from another
/// site's page (by `Origin`) is refused here: logging in sets the session cookie.
pub struct Client(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = crate::error::ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if !crate::extract::same_origin(parts) {
            return Err(AppError::Forbidden(
                "this request comes from another site's page; log in on Pamir's own pages".into(),
            )
            .into());
        }
        Ok(Client(client_addr(parts)))
    }
}

/// Log in; the token works as `Authorization: Bearer` and is also set as the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginIn,
    responses((status = 200, body = LoginOut), (status = 401, body = ErrorBody, description = "wrong credentials, one-time code required (code totp_required) or account locked"),
              (status = 429, body = ErrorBody)))]
pub async fn login(
    State(app): State<Arc<App>>,
    Client(client): Client,
    JsonBody(body): JsonBody,
) -> ApiResult<Response> {
    only_fields(&body, &["username", "password", "totp"])?;
    let username = required_string(&body, "username")?;
    let password = required_string(&body, "password")?;
    let totp = match body.get("totp") {
        Some(serde_json::Value::Number(n)) => Some(format!("{:06}", n.as_u64().unwrap_or(0))),
        _ => string_field(&body, "totp")?,
    };
    let outcome = app
        .identity()
        .login(LoginRequest {
            username: &username,
            password: &password,
            totp: totp.as_deref(),
            client: &client,
        })
        .await?;
    let max_age = (outcome.session.expires_at.unwrap_or(0) - app.clock.now_ms()) / 1000;
    let mut resp = Json(LoginOut {
        token: outcome.token.expose().to_string(),
        csrf_token: outcome.session.csrf_token.clone(),
        expires_at: outcome.session.expires_at.map(iso).unwrap_or_default(),
        user: MeOut::of(&outcome.user),
    })
    .into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&app, outcome.token.expose(), max_age),
    );
    Ok(resp)
}

/// End the current session (or revoke the token used).
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)), security(("bearer" = [])))]
pub async fn logout(State(app): State<Arc<App>>, ApiUser(ctx): ApiUser) -> ApiResult<Response> {
    app.identity().logout(&ctx).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie(&app, "", 0));
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = MeOut)), security(("bearer" = [])))]
pub async fn me(ApiUser(ctx): ApiUser) -> Json<MeOut> {
    Json(MeOut::of(&ctx.user))
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "session", responses((status = 200, body = [TokenOut])), security(("bearer" = [])))]
pub async fn list_tokens(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<TokenOut>>> {
    let sessions = app.identity().list_tokens(&ctx).await?;
    Ok(Json(
        sessions.iter().map(|s| TokenOut::of(s, None)).collect(),
    ))
}

/// Create a long-lived bearer token for a national system. The secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = TokenIn,
    responses((status = 201, body = TokenOut), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_token(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<TokenOut>)> {
    only_fields(&body, &["label", "days"])?;
    let label = required_string(&body, "label")?;
    let days = int_field(&body, "days")?
        .map(|d| {
            u32::try_from(d).map_err(|_| AppError::invalid("days", "must be between 1 and 3650"))
        })
        .transpose()?;
    let (token, session) = app.identity().create_api_token(&ctx, &label, days).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenOut::of(&session, Some(token))),
    ))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_token(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    app.identity().revoke_token(&ctx, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
