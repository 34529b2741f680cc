//! Server-rendered pages in English and Russian. No script is needed to use them and every
//! asset is embedded in the binary: they work from a border post on a poor link.

pub mod assets;
pub mod compress;
pub mod i18n;
pub mod layout;

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use maud::{html, Markup};
use pamir_app::{App, AppError};

use crate::extract::{UiLang, WebUser};
use i18n::{t, M};
use layout::{error_box, page, Shell};

/// Headers every answer carries: classified pages must not be cached (shared computers at border
/// posts), framed by another site, or leak their address to one.
pub async fn protective_headers(mut resp: Response) -> Response {
    use axum::http::HeaderValue;
    let h = resp.headers_mut();
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // No address leaves for another site; this site's own form posts keep their `Origin`
    // (under `no-referrer` a browser sends `Origin: null`, which the login check must refuse:
    // another site's page can send that too).
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    resp
}

pub fn routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route(assets::STYLESHEET.path, get(assets::stylesheet))
        .route(assets::LIVE_SCRIPT.path, get(assets::live_script))
        .merge(crate::capability::page_routes(app))
        .fallback(not_found)
}

async fn not_found(UiLang(lang): UiLang) -> Response {
    let body = html! { h1 { (t(lang, M::ErrorTitle)) } p { (t(lang, M::NotFoundPage)) } p { a href="/" { (t(lang, M::NavDashboard)) } } };
    (
        StatusCode::NOT_FOUND,
        Html(
            page(
                Shell {
                    lang,
                    title: t(lang, M::ErrorTitle),
                    user: None,
                    demo: false,
                    path: "/",
                    here: "/",
                },
                body,
            )
            .into_string(),
        ),
    )
        .into_response()
}

/// Renders a full page for a signed-in user.
pub(crate) fn render(app: &App, user: &WebUser, title: &str, path: &str, body: Markup) -> Response {
    Html(
        page(
            Shell {
                lang: user.lang,
                title,
                user: Some(user),
                demo: app.demo,
                path,
                here: &user.here,
            },
            body,
        )
        .into_string(),
    )
    .into_response()
}

/// An error as a page, with the status its code means.
pub(crate) fn error_page(app: &App, user: &WebUser, e: &AppError) -> Response {
    let lang = user.lang;
    let body = html! {
        h1 { (t(lang, M::ErrorTitle)) }
        (error_box(lang, e))
        p { a href="/" { (t(lang, M::Back)) } }
    };
    let mut resp = render(app, user, t(lang, M::ErrorTitle), "/", body);
    *resp.status_mut() = crate::error::status_of(e);
    resp
}

/// A submitted form as its (name, value) pairs, so repeated names (checkboxes) keep every value.
pub(crate) struct FormData(pub(crate) Vec<(String, String)>);

impl FormData {
    pub fn parse(bytes: &[u8]) -> FormData {
        FormData(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| e.into_response())?;
        Ok(FormData::parse(&bytes))
    }
}

/// Every form post carries the session's CSRF token; without it nothing happens and the
/// answer is the refusal page.
pub(crate) fn check_csrf(app: &App, user: &WebUser, form: &FormData) -> Option<Response> {
    if !user.csrf.is_empty() && form.get("csrf") == Some(user.csrf.as_str()) {
        return None;
    }
    let e = AppError::Forbidden(t(user.lang, M::ErrCsrf).to_string());
    Some(error_page(app, user, &e))
}

/// A file to download: its type, its name and its body.
pub(crate) fn download(mime: &str, name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A multipart form with one file (`file`): its other fields, and the file's name (shown only,
/// never used as a path) and bytes when one was sent.
pub(crate) async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<(FormData, Option<(String, Bytes)>), AppError> {
    let mut pairs = Vec::new();
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    let file_name: String = field
                        .file_name()
                        .unwrap_or("upload")
                        .chars()
                        .take(200)
                        .collect();
                    match field.bytes().await {
                        Ok(bytes) => file = Some((file_name, bytes)),
                        Err(e) => return Err(upload_error(e.status().as_u16())),
                    }
                } else {
                    match field.text().await {
                        Ok(text) => pairs.push((name, text)),
                        Err(e) => return Err(upload_error(e.status().as_u16())),
                    }
                }
            }
            Ok(None) => break,
            Err(e) => return Err(upload_error(e.status().as_u16())),
        }
    }
    Ok((FormData(pairs), file))
}

fn upload_error(status: u16) -> AppError {
    if status == 413 {
        AppError::TooLarge("the file is larger than this server accepts".into())
    } else {
        AppError::BadRequest("the upload could not be read".into())
    }
}
