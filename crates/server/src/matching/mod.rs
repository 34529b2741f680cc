//! Cross-matching: matches of a record, hits (a match on a record the caller may not read),
//! screening a name without storing it, and disclosure requests to a record's owner.

pub mod api;
pub(crate) mod pages;

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
    name: "matching",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/records/{id}/matches", get(api::record_matches))
        .route("/hits", get(api::hits))
        .route("/match", post(api::screen))
        .route("/disclosures", get(api::list).post(api::request))
        .route("/disclosures/{id}/approve", post(api::approve))
        .route("/disclosures/{id}/decline", post(api::decline))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/hits", get(pages::inbox))
        .route("/disclosures", get(pages::disclosures).post(pages::request))
        .route("/disclosures/{id}/{decision}", post(pages::decide))
        .route("/screen", get(pages::screen_page).post(pages::screen))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::record_matches, api::hits, api::screen, api::request, api::list, api::approve,
        api::decline,
    ),
    components(schemas(api::MatchOut, api::MatchList, api::ScreenOut, api::DisclosureOut,
        api::DisclosureLists)),
    tags((name = "matching")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    if !ctx.user.roles.iter().any(|r| r.reads_records()) {
        return Vec::new();
    }
    [
        (40, "/screen", M::NavScreen),
        (50, "/hits", M::NavHits),
        (60, "/disclosures", M::NavDisclosures),
    ]
    .into_iter()
    .map(|(weight, href, label)| NavEntry {
        weight,
        href,
        label,
        badge: None,
    })
    .collect()
}
