//! The HTTP layer's capabilities. Each lives in a folder of its own (`messaging/`, …) holding its
//! API handlers, its pages, and one [`Capability`] that says what it adds: API routes under
//! `/api/v1`, page routes, its part of the OpenAPI document and its entries in the navigation.
//! [`CAPABILITIES`] lists them: a new capability is a folder and one line there.

use std::sync::Arc;

use axum::Router;
use pamir_app::{App, UserContext};

use crate::web::i18n::M;

/// What one capability adds to the server.
pub struct Capability {
    pub name: &'static str,
    /// Its API routes, nested under `/api/v1`.
    pub api: fn(&App) -> Router<Arc<App>>,
    /// Its pages.
    pub pages: fn(&App) -> Router<Arc<App>>,
    /// Its paths, schemas and tags of the OpenAPI document.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// The navigation entries a signed-in user gets from it.
    pub nav: fn(&UserContext) -> Vec<NavEntry>,
}

/// A link in the top navigation. Entries of every capability are shown by `weight`, so each
/// places its own among the others' (dashboard 0, messages 10–20, records 30, matching 40–60, operations 65,
/// substances 70, analysis 75, administration 90–100, audit 110, tokens 120).
pub struct NavEntry {
    pub weight: u16,
    pub href: &'static str,
    pub label: M,
    /// A live badge after the label (`data-live` name), such as the unread count.
    pub badge: Option<&'static str>,
}

/// Every capability, in the order their routes are merged.
pub const CAPABILITIES: &[Capability] = &[
    crate::identity::CAPABILITY,
    crate::records::CAPABILITY,
    crate::messaging::CAPABILITY,
    crate::matching::CAPABILITY,
    crate::operations::CAPABILITY,
    crate::early_warning::CAPABILITY,
    crate::analysis::CAPABILITY,
    crate::admin::CAPABILITY,
    crate::audit::CAPABILITY,
];

/// Every capability's API routes.
pub fn api_routes(app: &App) -> Router<Arc<App>> {
    CAPABILITIES
        .iter()
        .fold(Router::new(), |r, c| r.merge((c.api)(app)))
}

/// Every capability's pages.
pub fn page_routes(app: &App) -> Router<Arc<App>> {
    CAPABILITIES
        .iter()
        .fold(Router::new(), |r, c| r.merge((c.pages)(app)))
}

/// `doc` with every capability's part merged in.
pub fn openapi(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for c in CAPABILITIES {
        doc.merge((c.openapi)());
    }
    doc
}

/// Every capability's navigation entries for `ctx`, in order of weight.
pub fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    for c in CAPABILITIES {
        entries.extend((c.nav)(ctx));
    }
    entries.sort_by_key(|e| e.weight);
    entries
}
