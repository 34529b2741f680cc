//! Joint operations, standing programmes and controlled deliveries: closed workspaces that
//! only their participants see.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{
    routing::{get, post},
    Router,
};
use pamir_app::{App, UserContext};
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "operations",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/operations", get(api::list).post(api::open))
        .route("/operations/{id}", get(api::get))
        .route("/operations/{id}/participants", post(api::invite))
        .route(
            "/operations/{id}/participants/{party}",
            axum::routing::delete(api::remove),
        )
        .route(
            "/operations/{id}/participants/{party}/accept",
            post(api::accept),
        )
        .route(
            "/operations/{id}/participants/{party}/decline",
            post(api::decline),
        )
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/operations", get(pages::list).post(pages::open))
        .route("/operations/{id}", get(pages::show))
        .route("/operations/{id}/invite", post(pages::invite))
        .route("/operations/{id}/answer", post(pages::answer))
        .route("/operations/{id}/remove", post(pages::remove))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::open, api::list, api::get, api::invite, api::accept, api::decline, api::remove),
    components(schemas(api::OperationOut, api::ParticipantOut, api::OperationList)),
    tags((name = "operations")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    if !ctx.subject.reads_records() {
        return Vec::new();
    }
    vec![NavEntry {
        weight: 65,
        href: "/operations",
        label: M::NavOperations,
        badge: None,
    }]
}
