//! Administration: countries, agencies and user accounts, for the centre administrator and (for
//! their own country) national focal points; and each user's own API tokens.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{
    routing::{get, patch, post},
    Router,
};
use pamir_app::{App, UserContext};
use pamir_domain::Role;
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "admin",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route(
            "/countries",
            get(api::list_countries).post(api::add_country),
        )
        .route("/countries/{code}", patch(api::update_country))
        .route("/agencies", get(api::list_agencies).post(api::add_agency))
        .route("/users", get(api::list_users).post(api::add_user))
        .route("/users/{username}", patch(api::change_user))
        .route("/users/{username}/totp", post(api::enrol_totp))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/users/{username}/{action}", post(pages::user_action))
        .route(
            "/admin/agencies",
            get(pages::agencies).post(pages::add_agency),
        )
        .route(
            "/account/tokens",
            get(pages::tokens).post(pages::create_token),
        )
        .route("/account/tokens/{id}/revoke", post(pages::revoke_token))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list_countries, api::add_country, api::update_country, api::list_agencies,
        api::add_agency, api::list_users, api::add_user, api::change_user, api::enrol_totp,
    ),
    components(schemas(crate::api::types::UserOut, crate::api::types::UserIn,
        crate::api::types::UserPatch, crate::api::types::TotpOut, crate::api::types::AgencyOut,
        crate::api::types::CountryOut)),
    tags((name = "reference"), (name = "users")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    let mut out = Vec::new();
    if ctx.has(Role::CentreAdmin) || ctx.has(Role::NationalFocalPoint) {
        out.push(NavEntry {
            weight: 90,
            href: "/admin/users",
            label: M::NavUsers,
            badge: None,
        });
        out.push(NavEntry {
            weight: 100,
            href: "/admin/agencies",
            label: M::NavAgencies,
            badge: None,
        });
    }
    out.push(NavEntry {
        weight: 120,
        href: "/account/tokens",
        label: M::NavTokens,
        badge: None,
    });
    out
}
