//! Login, logout and the language switch.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use maud::html;
use pamir_app::{auth::LoginRequest, secrets, App, AppError};
use pamir_domain::schema::Lang;
use serde::Deserialize;

use crate::web::{
    check_csrf,
    i18n::{t, M},
    layout::{csrf_field, error_box, page, Shell},
    FormData,
};
use crate::{
    extract::{client_addr, cookie, lang_of, safe_next, WebUser, LANG_COOKIE, LOGIN_CSRF_COOKIE},
    identity::api::session_cookie,
};

#[derive(Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

fn login_page(
    app: &App,
    lang: Lang,
    csrf: &str,
    next: &str,
    username: &str,
    error: Option<&AppError>,
) -> Response {
    let body = html! {
        div.login.card {
            h1 { (t(lang, M::LoginTitle)) }
            p.muted { (t(lang, M::AppTagline)) }
            @if let Some(e) = error { (error_box(lang, e)) }
            form.stack method="post" action="/login" {
                (csrf_field(csrf))
                input type="hidden" name="next" value=(next);
                label for="username" { (t(lang, M::Username)) }
                input #username type="text" name="username" value=(username) autocomplete="username" required autofocus[username.is_empty()];
                label for="password" { (t(lang, M::Password)) }
                input #password type="password" name="password" autocomplete="current-password" required autofocus[!username.is_empty()];
                label for="totp" { (t(lang, M::TotpCode)) }
                input #totp type="text" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8";
                p.muted { small { (t(lang, M::TotpHint)) } }
                p { button type="submit" { (t(lang, M::Login)) } }
            }
        }
    };
    let status = match error {
        Some(e) => crate::error::status_of(e),
        None => StatusCode::OK,
    };
    let mut resp = (
        status,
        Html(
            page(
                Shell {
                    lang,
                    title: t(lang, M::Login),
                    user: None,
                    demo: app.demo,
                    path: "/login",
                    here: "/login",
                },
                body,
            )
            .into_string(),
        ),
    )
        .into_response();
    let secure = if app.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}"
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

pub async fn login_form(State(app): State<Arc<App>>, parts: Parts) -> Response {
    let q: Option<Query<NextParam>> = Query::try_from_uri(&parts.uri).ok();
    let next = safe_next(q.as_ref().and_then(|q| q.next.as_deref()));
    login_page(
        &app,
        lang_of(&parts),
        &secrets::new_token(),
        &next,
        "",
        None,
    )
}

pub async fn login(State(app): State<Arc<App>>, parts: Parts, form: FormData) -> Response {
    let lang = lang_of(&parts);
    let next = safe_next(form.get("next"));
    let username = form.text("username").to_string();
    let fresh = secrets::new_token();
    let expected = cookie(&parts, LOGIN_CSRF_COOKIE);
    if expected.is_none() || expected != form.get("csrf") || !crate::extract::same_origin(&parts) {
        let e = AppError::Forbidden(t(lang, M::ErrCsrf).into());
        return login_page(&app, lang, &fresh, &next, &username, Some(&e));
    }
    let client = client_addr(&parts);
    let req = LoginRequest {
        username: &username,
        password: form.text("password"),
        totp: form.get("totp"),
        client: &client,
    };
    match app.identity().login(req).await {
        Ok(outcome) => {
            let max_age = (outcome.session.expires_at.unwrap_or(0) - app.clock.now_ms()) / 1000;
            let mut headers = HeaderMap::new();
            headers.append(
                header::SET_COOKIE,
                session_cookie(&app, outcome.token.expose(), max_age),
            );
            if let Some(l) = outcome.user.language.as_deref() {
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "{LANG_COOKIE}={l}; Path=/; SameSite=Strict; Max-Age=31536000"
                )) {
                    headers.append(header::SET_COOKIE, v);
                }
            }
            (headers, Redirect::to(&next)).into_response()
        }
        Err(e) => login_page(&app, lang, &fresh, &next, &username, Some(&e)),
    }
}

pub async fn logout(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(resp) = check_csrf(&app, &user, &form) {
        return resp;
    }
    if let Err(e) = app.identity().logout(&user.ctx).await {
        return crate::web::error_page(&app, &user, &e);
    }
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie(&app, "", 0));
    (headers, Redirect::to("/login")).into_response()
}

pub async fn set_lang(Path(code): Path<String>, Query(q): Query<NextParam>) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::EN);
    let next = safe_next(q.next.as_deref());
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000",
        lang.code()
    )) {
        headers.insert(header::SET_COOKIE, v);
    }
    (headers, Redirect::to(&next)).into_response()
}
