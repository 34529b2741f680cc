//! Authentication and request context as extractors, so a handler cannot forget to check:
//! a handler that takes [`ApiUser`] or [`WebUser`] runs only for an authenticated user.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts, Method},
    response::{IntoResponse, Redirect, Response},
};
use pamir_app::{App, AppError, UserContext};
use pamir_domain::schema::Lang;

use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "pamir_session";
pub const LANG_COOKIE: &str = "pamir_lang";
pub const LOGIN_CSRF_COOKIE: &str = "pamir_login_csrf";

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

/// The client's address, for rate limits and the audit trail.
pub fn client_addr(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// An API caller, by `Authorization: Bearer` or by the session cookie. With the cookie, a
/// request that changes something must also carry the session's `X-CSRF-Token`.
pub struct ApiUser(pub UserContext);

impl FromRequestParts<Arc<App>> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(parts) {
            return Ok(ApiUser(app.identity().authenticate(token).await?));
        }
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(AppError::Unauthenticated(
                "log in first: send Authorization: Bearer <token>".into(),
            )
            .into());
        };
        let ctx = app.identity().authenticate(token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok());
            let expected = ctx.session.as_ref().map(|s| s.csrf_token.as_str());
            if sent.is_none() || sent != expected {
                return Err(AppError::Forbidden(
                    "with a session cookie, changes need the X-CSRF-Token header".into(),
                )
                .into());
            }
        }
        Ok(ApiUser(ctx))
    }
}

/// The interface language: the user's choice (cookie), else `Accept-Language`, else English.
#[derive(Debug, Clone, Copy)]
pub struct UiLang(pub Lang);

pub fn lang_of(parts: &Parts) -> Lang {
    if let Some(l) = cookie(parts, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    let accept = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Take the first listed language we speak, in the client's order of preference.
    let mut best: Option<(f32, Lang)> = None;
    for item in accept.split(',') {
        let mut bits = item.trim().split(';');
        let tag = bits.next().unwrap_or("");
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(l) = Lang::parse(tag) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, l));
            }
        }
    }
    best.map(|(_, l)| l).unwrap_or(Lang::EN)
}

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(UiLang(lang_of(parts)))
    }
}

/// A signed-in user of the web pages; anyone else is sent to the login page.
pub struct WebUser {
    pub ctx: UserContext,
    pub lang: Lang,
    pub csrf: String,
    /// The page's own address with its query, so that switching language stays on it.
    pub here: String,
}

pub struct ToLogin(String);

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/login?next={}", urlencode(&self.0))).into_response()
    }
}

impl FromRequestParts<Arc<App>> for WebUser {
    type Rejection = ToLogin;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(ToLogin(next));
        };
        let ctx = app
            .identity()
            .authenticate(token)
            .await
            .map_err(|_| ToLogin(next.clone()))?;
        let lang = match cookie(parts, LANG_COOKIE) {
            Some(_) => lang_of(parts),
            None => ctx
                .user
                .language
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_else(|| lang_of(parts)),
        };
        let csrf = ctx
            .session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default();
        Ok(WebUser {
            ctx,
            lang,
            csrf,
            here: next,
        })
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only local paths are followed after login, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_else(|| "/".into())
}

/// `next` if it is a path on this site: it starts with one `/`, holds no backslash, no control
/// or space character (browsers strip tabs and newlines: `/<TAB>/evil.example` goes to
/// `//evil.example`) and no escape of one in its path, and parses as a relative reference with
/// no authority. Anything else is refused whole rather than repaired.
pub fn local_path(next: &str) -> Option<String> {
    let bytes = next.as_bytes();
    if bytes.first() != Some(&b'/') || bytes.get(1).is_some_and(|b| *b == b'/' || *b == b'\\') {
        return None;
    }
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    // In the path, a percent-escape decoding to a control, space, slash or backslash could be
    // unescaped into a host by whatever handles the address next. (The query cannot name one.)
    let path = next.split(['?', '#']).next().unwrap_or("");
    let mut i = 0;
    while let Some(p) = path[i..].find('%') {
        let at = i + p;
        let b = u8::from_str_radix(path.get(at + 1..at + 3)?, 16).ok()?;
        if b < 0x21 || b == 0x7f || b == b'/' || b == b'\\' {
            return None;
        }
        i = at + 3;
    }
    let uri: axum::http::Uri = next.parse().ok()?;
    if uri.scheme().is_some() || uri.authority().is_some() || !uri.path().starts_with('/') {
        return None;
    }
    Some(next.to_string())
}

/// Whether a request that sets a session cookie comes from this site. A browser names the
/// page's origin in `Origin` (and, on newer ones, `Sec-Fetch-Site`); a foreign or opaque
/// (`null`) origin is refused, so that another site cannot log a visitor in to an account of
/// its choosing. Clients that are not browsers send neither and are let through.
pub fn same_origin(parts: &Parts) -> bool {
    if parts
        .headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|s| s == "cross-site" || s == "same-site")
    {
        return false;
    }
    let Some(origin) = parts.headers.get(axum::http::header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(authority) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    // The address the browser used: `Host`, or the one a proxy in front passed on (a page of
    // another site cannot set `X-Forwarded-Host` without asking first).
    ["x-forwarded-host", "host"]
        .iter()
        .filter_map(|h| parts.headers.get(*h).and_then(|v| v.to_str().ok()))
        .chain(parts.uri.authority().map(|a| a.as_str()))
        .any(|host| host.eq_ignore_ascii_case(authority))
}
