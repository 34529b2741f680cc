//! The audit trail for auditors: entries by filter, and verification of the hash chain.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{routing::get, Router};
use pamir_app::{App, UserContext};
use pamir_domain::Role;
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "audit",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/audit", get(api::list))
        .route("/audit/verify", get(api::verify))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/audit", get(pages::list))
        .route("/audit/verify", get(pages::verify))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::list, api::verify),
    components(schemas(crate::api::types::AuditEntryOut, crate::api::types::AuditPage,
        crate::api::types::VerifyOut)),
    tags((name = "audit")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    if !ctx.has(Role::Auditor) {
        return Vec::new();
    }
    vec![NavEntry {
        weight: 110,
        href: "/audit",
        label: M::NavAudit,
        badge: None,
    }]
}
