//! Identity: logging in and out (API sessions and the login page with its second factor), who
//! the caller is, API tokens, and the interface language.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{
    routing::{delete, get, post},
    Router,
};
use pamir_app::{App, UserContext};
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};

pub const CAPABILITY: Capability = Capability {
    name: "identity",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/session", post(api::login).delete(api::logout))
        .route("/me", get(api::me))
        .route("/tokens", get(api::list_tokens).post(api::create_token))
        .route("/tokens/{id}", delete(api::revoke_token))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang/{code}", get(pages::set_lang))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::login, api::logout, api::me, api::list_tokens, api::create_token, api::revoke_token,
    ),
    components(schemas(crate::api::types::LoginIn, crate::api::types::LoginOut, crate::api::types::MeOut, crate::api::types::TokenIn, crate::api::types::TokenOut)),
    tags((name = "session")),
)]
struct Doc;

/// Signing in and out is in the page header, not the navigation.
fn nav(_: &UserContext) -> Vec<NavEntry> {
    Vec::new()
}
