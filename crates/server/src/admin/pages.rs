//! Administration pages (users and agencies, for centre administrators and national focal
//! points) and the user's own API tokens.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{admin::NewUser, format_time, App, AppError, Principal};
use pamir_domain::{names::Names, schema::Lang, AgencyCode, AgencyKind, Classification, Role};
use pamir_store::Agency;

use crate::extract::{urlencode, WebUser};
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{classification_badge, country_name, csrf_field, error_box, notice},
    render, FormData,
};

async fn users_page(app: &App, user: &WebUser, flash: Option<Markup>) -> Response {
    let lang = user.lang;
    let p = Principal::User(&user.ctx);
    let users = match app.admin().list_users(p).await {
        Ok(u) => u,
        Err(e) => return error_page(app, user, &e),
    };
    let agencies = app.list_agencies().await.unwrap_or_default();
    let is_admin = user.ctx.has(Role::CentreAdmin);
    let now = app.clock.now_ms();
    let body = html! {
        h1 { (t(lang, M::UsersTitle)) }
        @if let Some(f) = flash { (f) }
        table {
            thead { tr {
                th { (t(lang, M::Username)) } th { (t(lang, M::DisplayName)) } th { (t(lang, M::Agency)) } th { (t(lang, M::Roles)) }
                th { (t(lang, M::Clearance)) } th { (t(lang, M::Status)) } th { (t(lang, M::TotpEnrolled)) } th {}
            } }
            tbody {
                @for u in &users {
                    tr {
                        td.code { (u.username) } td { (u.display_name) } td { (u.agency) }
                        td { (u.roles.iter().map(|r| r.label(lang)).collect::<Vec<_>>().join(", ")) }
                        td { (classification_badge(u.clearance)) }
                        td {
                            @if u.disabled { (t(lang, M::Disabled)) }
                            @else if u.locked_until.is_some_and(|l| l > now) { (t(lang, M::Locked)) }
                            @else { (t(lang, M::Active)) }
                        }
                        td { @if u.totp_enrolled { (t(lang, M::Yes)) } @else { (t(lang, M::No)) } }
                        td {
                            @let base = format!("/admin/users/{}", urlencode(u.username.as_str()));
                            form method="post" action={ (base) "/" (if u.disabled { "enable" } else { "disable" }) } {
                                (csrf_field(&user.csrf))
                                button.small type="submit" { (t(lang, if u.disabled { M::Enable } else { M::Disable })) }
                            }
                            form method="post" action={ (base) "/totp" } {
                                (csrf_field(&user.csrf))
                                button.small type="submit" { (t(lang, M::EnrolTotp)) }
                            }
                            form method="post" action={ (base) "/password" } {
                                (csrf_field(&user.csrf))
                                input type="password" name="password" placeholder=(t(lang, M::NewPassword)) aria-label=(t(lang, M::NewPassword)) size="10" minlength="8" required;
                                button.small type="submit" { (t(lang, M::ResetPassword)) }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t(lang, M::AddUser)) }
        form.stack.card method="post" action="/admin/users" {
            (csrf_field(&user.csrf))
            div.grid {
                div { label for="username" { (t(lang, M::Username)) } input #username type="text" name="username" required; }
                div { label for="display_name" { (t(lang, M::DisplayName)) } input #display_name type="text" name="display_name" required; }
                div { label for="agency" { (t(lang, M::Agency)) }
                    select #agency name="agency" {
                        @for a in agencies.iter().filter(|a| is_admin || a.country == user.ctx.subject.country) {
                            option value=(a.code) { (a.code) " — " (a.name(lang)) }
                        }
                    }
                }
                div { label for="clearance" { (t(lang, M::Clearance)) }
                    select #clearance name="clearance" {
                        @for c in Classification::ALL.iter().filter(|c| is_admin || **c <= user.ctx.user.clearance) { option value=(c.as_str()) { (c.as_str()) } }
                    }
                }
                div { label for="password" { (t(lang, M::Password)) } input #password type="password" name="password" minlength="8" required; }
                div { label for="language" { (t(lang, M::Language)) }
                    select #language name="language" { option value="" { "—" } option value="en" { (M::LanguageName.text(pamir_domain::schema::Lang::EN)) } option value="ru" { (M::LanguageName.text(pamir_domain::schema::Lang::RU)) } }
                }
            }
            label { (t(lang, M::Roles)) }
            div.checks {
                @for r in Role::ALL.iter().filter(|r| is_admin || !matches!(r, Role::CentreAdmin | Role::Auditor)) {
                    label { input type="checkbox" name="roles" value=(r.as_str()) checked[*r == Role::Officer]; " " (r.label(lang)) }
                }
            }
            p { button type="submit" { (t(lang, M::AddUser)) } }
        }
    };
    render(app, user, t(lang, M::UsersTitle), "/admin/users", body)
}

pub async fn users(State(app): State<Arc<App>>, user: WebUser) -> Response {
    users_page(&app, &user, None).await
}

pub async fn add_user(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let lang = user.lang;
    let roles: Result<Vec<Role>, pamir_domain::error::Reason> = form
        .all("roles")
        .iter()
        .map(|r| r.parse::<Role>())
        .collect();
    let clearance = form.text("clearance").parse::<Classification>();
    let result = match (roles, clearance) {
        (Ok(roles), Ok(clearance)) => {
            let input = NewUser {
                username: form.text("username").into(),
                display_name: form.text("display_name").into(),
                agency: form.text("agency").into(),
                roles,
                clearance,
                password: form.text("password").into(),
                language: form.get("language").map(str::to_string),
            };
            app.admin()
                .add_user(Principal::User(&user.ctx), input)
                .await
                .map(|_| ())
        }
        (Err(e), _) => Err(AppError::invalid("roles", e)),
        (_, Err(e)) => Err(AppError::invalid("clearance", e)),
    };
    let flash = match &result {
        Ok(()) => notice(t(lang, M::Done)),
        Err(e) => error_box(lang, e),
    };
    let mut resp = users_page(&app, &user, Some(flash)).await;
    if let Err(e) = &result {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

pub async fn user_action(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path((username, action)): Path<(String, String)>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let lang = user.lang;
    let p = Principal::User(&user.ctx);
    let result: Result<Option<Markup>, AppError> = match action.as_str() {
        "disable" => app
            .admin()
            .set_user_disabled(p, &username, true)
            .await
            .map(|_| None),
        "enable" => app
            .admin()
            .set_user_disabled(p, &username, false)
            .await
            .map(|_| None),
        "password" => app
            .admin()
            .reset_password(p, &username, form.text("password"))
            .await
            .map(|_| None),
        "totp" => app
            .admin()
            .enrol_totp(p, &username)
            .await
            .map(|(secret, uri)| {
                Some(html! {
                    div.notice role="status" {
                        p { (t(lang, M::TotpSecretShown)) }
                        p.code { (secret) }
                        p.code { (uri) }
                    }
                })
            }),
        _ => Err(AppError::NotFound("no such action".into())),
    };
    let flash = match &result {
        Ok(Some(m)) => m.clone(),
        Ok(None) => notice(t(lang, M::Done)),
        Err(e) => error_box(lang, e),
    };
    let mut resp = users_page(&app, &user, Some(flash)).await;
    if let Err(e) = &result {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

async fn agencies_page(app: &App, user: &WebUser, flash: Option<Markup>) -> Response {
    let lang = user.lang;
    let agencies = app.list_agencies().await.unwrap_or_default();
    let countries = app.list_countries().await.unwrap_or_default();
    let is_admin = user.ctx.has(Role::CentreAdmin);
    if !is_admin && !user.ctx.has(Role::NationalFocalPoint) {
        return error_page(
            app,
            user,
            &AppError::Forbidden(
                "only a centre administrator or a national focal point manages agencies".into(),
            ),
        );
    }
    let body = html! {
        h1 { (t(lang, M::AgenciesTitle)) }
        @if let Some(f) = flash { (f) }
        table {
            thead { tr { th { (t(lang, M::Code)) } th { (t(lang, M::Country)) } th { (t(lang, M::Kind)) } @for l in Lang::all() { th { (M::NameIn.with(lang, &[("language", M::LanguageName.text(l))])) } } } }
            tbody {
                @for a in &agencies {
                    tr { td.code { (a.code) } td { (country_name(lang, a.country.as_str())) } td { (a.kind.label(lang)) } @for l in Lang::all() { td { (a.names.exactly(l).unwrap_or("—")) } } }
                }
            }
        }
        h2 { (t(lang, M::AddAgency)) }
        form.stack.card method="post" action="/admin/agencies" {
            (csrf_field(&user.csrf))
            div.grid {
                div { label for="country" { (t(lang, M::Country)) }
                    select #country name="country" {
                        @for c in countries.iter().filter(|c| is_admin || c.code == user.ctx.subject.country) {
                            option value=(c.code) { (country_name(lang, c.code.as_str())) }
                        }
                    }
                }
                div { label for="code" { (t(lang, M::Code)) } input #code type="text" name="code" placeholder="KZ-MVD" required; }
                div { label for="kind" { (t(lang, M::Kind)) }
                    select #kind name="kind" { @for k in AgencyKind::ALL { option value=(k.as_str()) { (k.label(lang)) } } }
                }
                @for l in Lang::all() {
                    @let field = format!("name_{}", l.code());
                    div { label for=(field) { (M::NameIn.with(lang, &[("language", M::LanguageName.text(l))])) } input id=(field) type="text" name=(field) lang=(l.code()) required[l == Lang::EN]; }
                }
            }
            p { button type="submit" { (t(lang, M::AddAgency)) } }
        }
    };
    render(
        app,
        user,
        t(lang, M::AgenciesTitle),
        "/admin/agencies",
        body,
    )
}

pub async fn agencies(State(app): State<Arc<App>>, user: WebUser) -> Response {
    agencies_page(&app, &user, None).await
}

pub async fn add_agency(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let lang = user.lang;
    let result = async {
        let code =
            AgencyCode::parse(form.text("code")).map_err(|e| AppError::invalid("code", e))?;
        let country = pamir_domain::CountryCode::parse(form.text("country"))
            .map_err(|e| AppError::invalid("country", e))?;
        let kind = form
            .text("kind")
            .parse::<AgencyKind>()
            .map_err(|e| AppError::invalid("kind", e))?;
        // Each language's field; one left empty is a language without a name.
        let given: Vec<(&str, &str)> = Lang::all()
            .map(|l| (l.code(), form.text(&format!("name_{}", l.code()))))
            .filter(|(code, name)| *code == Lang::EN.code() || !name.trim().is_empty())
            .collect();
        let names = Names::parse(given)
            .map_err(|(l, reason)| AppError::invalid(&format!("name_{l}"), reason))?;
        let agency = Agency {
            code,
            country,
            kind,
            names,
        };
        app.admin()
            .add_agency(Principal::User(&user.ctx), agency)
            .await
    }
    .await;
    let flash = match &result {
        Ok(()) => notice(t(lang, M::Done)),
        Err(e) => error_box(lang, e),
    };
    let mut resp = agencies_page(&app, &user, Some(flash)).await;
    if let Err(e) = &result {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

async fn tokens_page(app: &App, user: &WebUser, flash: Option<Markup>) -> Response {
    let lang = user.lang;
    let tokens = app
        .identity()
        .list_tokens(&user.ctx)
        .await
        .unwrap_or_default();
    let now = app.clock.now_ms();
    let body = html! {
        h1 { (t(lang, M::TokensTitle)) }
        p.muted { (t(lang, M::TokensIntro)) }
        @if let Some(f) = flash { (f) }
        table {
            thead { tr { th { (t(lang, M::Label)) } th { (t(lang, M::Kind)) } th { (t(lang, M::Created)) } th { (t(lang, M::Expires)) } th { (t(lang, M::Status)) } th {} } }
            tbody {
                @for s in &tokens {
                    tr {
                        td { (s.label) } td { (s.kind.as_str()) } td { (format_time(s.created_at)) }
                        td { (s.expires_at.map(format_time).unwrap_or_default()) }
                        td { @if s.revoked_at.is_some() { (t(lang, M::Revoked)) } @else if s.expires_at.is_some_and(|e| e <= now) { "—" } @else { (t(lang, M::Active)) } }
                        td { @if s.revoked_at.is_none() {
                            form method="post" action={ "/account/tokens/" (s.id) "/revoke" } {
                                (csrf_field(&user.csrf))
                                button.small.danger type="submit" { (t(lang, M::Revoke)) }
                            }
                        } }
                    }
                }
            }
        }
        h2 { (t(lang, M::CreateToken)) }
        form.inline method="post" action="/account/tokens" {
            (csrf_field(&user.csrf))
            label { (t(lang, M::Label)) " " input type="text" name="label" required maxlength="100"; }
            label { (t(lang, M::Days)) " " input type="number" name="days" min="1" max="3650" value=(app.config.security.api_token_days); }
            button type="submit" { (t(lang, M::CreateToken)) }
        }
    };
    render(app, user, t(lang, M::TokensTitle), "/account/tokens", body)
}

pub async fn tokens(State(app): State<Arc<App>>, user: WebUser) -> Response {
    tokens_page(&app, &user, None).await
}

pub async fn create_token(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    let lang = user.lang;
    let days = form.get("days").and_then(|d| d.parse().ok());
    let flash = match app
        .identity()
        .create_api_token(&user.ctx, form.text("label"), days)
        .await
    {
        Ok((token, _)) => {
            html! { div.notice role="status" { p { (t(lang, M::TokenShown)) } p.code { (token) } } }
        }
        Err(e) => error_box(lang, &e),
    };
    tokens_page(&app, &user, Some(flash)).await
}

pub async fn revoke_token(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    match app.identity().revoke_token(&user.ctx, &id).await {
        Ok(()) => Redirect::to("/account/tokens").into_response(),
        Err(e) => error_page(&app, &user, &e),
    }
}
