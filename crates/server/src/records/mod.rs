//! Records: the central database's entities (persons, seizures, vehicles, documents …) with
//! their links, the dashboard and search, the seizure report form, import and export.

pub mod api;
mod import_page;
mod pages;
pub(crate) mod report;
pub mod transfer;

use std::sync::Arc;

use axum::{
    extract::DefaultBodyLimit,
    routing::{delete, get, post},
    Router,
};
use pamir_app::{App, UserContext};
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "records",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn import_limit(app: &App) -> usize {
    usize::try_from(app.config.server.import_max_bytes).unwrap_or(usize::MAX)
}

fn api_routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/records", get(api::list).post(api::create))
        .route("/records/bundle", post(api::create_bundle))
        .route(
            "/records/{id}",
            get(api::get).put(api::update).delete(api::delete),
        )
        .route("/links", post(api::create_link))
        .route("/links/{id}", delete(api::delete_link))
        .route("/schemata", get(api::schemata))
        .route(
            "/import",
            post(transfer::import).layer(DefaultBodyLimit::max(import_limit(app))),
        )
        .route("/export", get(transfer::export))
}

fn page_routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/records", get(pages::search))
        .route("/records/{id}", get(pages::view))
        .route("/records/{id}/delete", post(pages::delete))
        .route("/report/seizure", get(report::form).post(report::submit))
        .route(
            "/import",
            get(import_page::form)
                .post(import_page::submit)
                .layer(DefaultBodyLimit::max(import_limit(app))),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::create, api::create_bundle, api::get, api::update, api::delete, api::list,
        api::create_link, api::delete_link, api::schemata, transfer::import, transfer::export,
    ),
    components(schemas(crate::api::types::MetaIn, crate::api::types::MetaOut, crate::api::types::DisseminationDoc, crate::api::types::EvaluationIn,
        crate::api::types::RecordIn, crate::api::types::RecordUpdateIn, crate::api::types::RecordOut, crate::api::types::HitOut, crate::api::types::RecordPage, crate::api::types::BundleIn,
        crate::api::types::BundleOut, crate::api::types::LinkIn, crate::api::types::LinkOut, crate::api::types::LinkEnd, crate::api::types::ImportOut, crate::api::types::SchemaOut,
        crate::api::types::PropertyOut)),
    tags((name = "records"), (name = "transfer")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    let entry = |weight, href, label| NavEntry {
        weight,
        href,
        label,
        badge: None,
    };
    let mut out = vec![entry(0, "/", M::NavDashboard)];
    if ctx.user.roles.iter().any(|r| r.reads_records()) {
        out.push(entry(30, "/records", M::NavSearch));
    }
    if ctx.user.roles.iter().any(|r| r.writes_records()) {
        out.push(entry(70, "/report/seizure", M::NavReport));
        out.push(entry(80, "/import", M::NavImport));
    }
    out
}
