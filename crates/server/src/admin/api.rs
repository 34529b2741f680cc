//! Reference data and accounts: countries, agencies, users.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use pamir_app::{
    admin::{NewUser, UserChange},
    App, AppError, Principal,
};
use pamir_domain::{
    names::Names, AgencyCode, AgencyKind, Classification, CountryCode, CountryStatus, Role,
};
use pamir_store::{Agency, Country};
use serde_json::Value;

use crate::api::types::*;
use crate::{
    error::{bool_field, field, only_fields, required_string, string_field, ApiResult, JsonBody},
    extract::ApiUser,
};

fn roles_field(body: &Value, name: &str) -> Result<Option<Vec<Role>>, AppError> {
    let Some(v) = field(body, name) else {
        return Ok(None);
    };
    let items = v
        .as_array()
        .ok_or_else(|| AppError::invalid(name, "must be a list of roles"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.as_str()
                .ok_or_else(|| pamir_domain::error::Reason::coded("field-must-be-string", &[]))
                .and_then(|s| s.parse::<Role>())
                .map_err(|e| AppError::invalid(&format!("{name}[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn parse_with<T, E: Into<pamir_domain::error::Reason>>(
    body: &Value,
    name: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, AppError> {
    string_field(body, name)?
        .map(|s| parse(&s).map_err(|e| AppError::invalid(name, e)))
        .transpose()
}

#[utoipa::path(get, path = "/api/v1/countries", tag = "reference", responses((status = 200, body = [CountryOut])), security(("bearer" = [])))]
pub async fn list_countries(
    State(app): State<Arc<App>>,
    ApiUser(_): ApiUser,
) -> ApiResult<Json<Vec<CountryOut>>> {
    Ok(Json(
        app.list_countries()
            .await?
            .iter()
            .map(CountryOut::of)
            .collect(),
    ))
}

/// The names a body gives over `known`: `names` ({"en": …, "ru": …, …}, one per language of the
/// catalogue) and the older `name_en` and `name_ru`. English is required; an error names the
/// field `name_<lang>` at fault.
fn names_in(body: &Value, known: &Names) -> ApiResult<Names> {
    let mut given = Vec::new();
    match body.get("names") {
        None => {}
        Some(Value::Object(map)) => {
            for (lang, name) in map {
                let name = name.as_str().ok_or_else(|| {
                    AppError::invalid(&format!("name_{lang}"), "must be a string")
                })?;
                given.push((lang.clone(), name.to_string()));
            }
        }
        Some(_) => {
            return Err(
                AppError::invalid("names", "must be an object of names by language code").into(),
            )
        }
    }
    for lang in ["en", "ru"] {
        if let Some(name) = string_field(body, &format!("name_{lang}"))? {
            given.push((lang.to_string(), name));
        }
    }
    known
        .updated(given.iter().map(|(l, n)| (l.as_str(), n.as_str())))
        .map_err(|(lang, reason)| AppError::invalid(&format!("name_{lang}"), reason).into())
}

/// Register a country (centre administrator). A registered country answers 409: change it with PATCH.
#[utoipa::path(post, path = "/api/v1/countries", tag = "reference", request_body = CountryOut,
    responses((status = 201, body = CountryOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_country(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<CountryOut>)> {
    only_fields(&body, &["code", "names", "name_en", "name_ru", "status"])?;
    let country = Country {
        code: parse_with(&body, "code", CountryCode::parse)?
            .ok_or_else(|| AppError::invalid("code", "is required"))?,
        names: names_in(&body, &Names::default())?,
        status: parse_with(&body, "status", |s| s.parse::<CountryStatus>())?
            .ok_or_else(|| AppError::invalid("status", "is required"))?,
    };
    app.admin()
        .add_country(Principal::User(&ctx), country.clone())
        .await?;
    Ok((StatusCode::CREATED, Json(CountryOut::of(&country))))
}

/// Change a country's names or standing (centre administrator). Its standing decides what its
/// users see: an observer sees only what is disseminated to it by name.
#[utoipa::path(patch, path = "/api/v1/countries/{code}", tag = "reference", params(("code" = String, Path)), request_body = CountryOut,
    responses((status = 200, body = CountryOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_country(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(code): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<CountryOut>> {
    only_fields(&body, &["names", "name_en", "name_ru", "status"])?;
    let code = CountryCode::parse(&code).map_err(|e| AppError::invalid("code", e))?;
    let current = app
        .list_countries()
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or_else(|| AppError::not_found(&format!("country {code}")))?;
    let country = Country {
        code,
        names: names_in(&body, &current.names)?,
        status: parse_with(&body, "status", |s| s.parse::<CountryStatus>())?
            .unwrap_or(current.status),
    };
    app.admin()
        .update_country(Principal::User(&ctx), country.clone())
        .await?;
    Ok(Json(CountryOut::of(&country)))
}

#[utoipa::path(get, path = "/api/v1/agencies", tag = "reference", responses((status = 200, body = [AgencyOut])), security(("bearer" = [])))]
pub async fn list_agencies(
    State(app): State<Arc<App>>,
    ApiUser(_): ApiUser,
) -> ApiResult<Json<Vec<AgencyOut>>> {
    Ok(Json(
        app.list_agencies()
            .await?
            .iter()
            .map(AgencyOut::of)
            .collect(),
    ))
}

/// Register an agency (centre administrator, or the country's national focal point).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "reference", request_body = AgencyOut,
    responses((status = 201, body = AgencyOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_agency(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<AgencyOut>)> {
    only_fields(
        &body,
        &["code", "country", "kind", "names", "name_en", "name_ru"],
    )?;
    let code = parse_with(&body, "code", AgencyCode::parse)?
        .ok_or_else(|| AppError::invalid("code", "is required"))?;
    let agency = Agency {
        country: parse_with(&body, "country", CountryCode::parse)?
            .unwrap_or_else(|| code.country()),
        code,
        kind: parse_with(&body, "kind", |s| s.parse::<AgencyKind>())?
            .ok_or_else(|| AppError::invalid("kind", "is required"))?,
        names: names_in(&body, &Names::default())?,
    };
    app.admin()
        .add_agency(Principal::User(&ctx), agency.clone())
        .await?;
    Ok((StatusCode::CREATED, Json(AgencyOut::of(&agency))))
}

/// Accounts you manage: all for the centre administrator, your country's for a focal point.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = [UserOut]), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_users(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<UserOut>>> {
    let now = app.clock.now_ms();
    Ok(Json(
        app.admin()
            .list_users(Principal::User(&ctx))
            .await?
            .iter()
            .map(|u| UserOut::of(u, now))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserIn,
    responses((status = 201, body = UserOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn add_user(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    only_fields(
        &body,
        &[
            "username",
            "display_name",
            "agency",
            "roles",
            "clearance",
            "password",
            "language",
        ],
    )?;
    let input = NewUser {
        username: required_string(&body, "username")?,
        display_name: required_string(&body, "display_name")?,
        agency: required_string(&body, "agency")?,
        roles: roles_field(&body, "roles")?
            .ok_or_else(|| AppError::invalid("roles", "is required"))?,
        clearance: parse_with(&body, "clearance", |s| s.parse::<Classification>())?
            .ok_or_else(|| AppError::invalid("clearance", "is required"))?,
        password: required_string(&body, "password")?,
        language: string_field(&body, "language")?,
    };
    let user = app.admin().add_user(Principal::User(&ctx), input).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserOut::of(&user, app.clock.now_ms())),
    ))
}

/// Change an account: name, roles, clearance, language; disable or enable; set a new password.
#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "users", params(("username" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = UserOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn change_user(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(username): Path<String>,
    JsonBody(body): JsonBody,
) -> ApiResult<Json<UserOut>> {
    only_fields(
        &body,
        &[
            "display_name",
            "roles",
            "clearance",
            "language",
            "disabled",
            "password",
        ],
    )?;
    let p = Principal::User(&ctx);
    let change = UserChange {
        display_name: string_field(&body, "display_name")?,
        roles: roles_field(&body, "roles")?,
        clearance: parse_with(&body, "clearance", |s| s.parse::<Classification>())?,
        language: string_field(&body, "language")?,
    };
    let mut user = app.admin().change_user(p, &username, change).await?;
    if let Some(password) = string_field(&body, "password")? {
        app.admin().reset_password(p, &username, &password).await?;
    }
    if let Some(disabled) = bool_field(&body, "disabled")? {
        user = app
            .admin()
            .set_user_disabled(p, &username, disabled)
            .await?;
    }
    Ok(Json(UserOut::of(&user, app.clock.now_ms())))
}

/// Enrol (or replace) the user's TOTP second factor; the secret is shown in this answer only.
#[utoipa::path(post, path = "/api/v1/users/{username}/totp", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = TotpOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn enrol_totp(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(username): Path<String>,
) -> ApiResult<Json<TotpOut>> {
    let (secret, uri) = app
        .admin()
        .enrol_totp(Principal::User(&ctx), &username)
        .await?;
    Ok(Json(TotpOut { secret, uri }))
}
