//! Pamir's HTTP layer: the only crate that knows HTTP, cookies and HTML.
//!
//! It serves the JSON API under `/api/v1` (with its OpenAPI document), the server-rendered web
//! pages in English and Russian with every asset embedded in the binary, and `/healthz`.
//! Authentication is an extractor ([`extract::ApiUser`], [`extract::WebUser`]); decisions about
//! access are the application's and the domain's, never made here.

pub mod admin;
pub mod analysis;
pub mod api;
pub mod audit;
pub mod capability;
pub mod early_warning;
pub mod error;
pub mod extract;
pub mod identity;
pub mod matching;
pub mod messaging;
pub mod operations;
pub mod records;
pub mod web;

use std::{future::Future, net::SocketAddr, sync::Arc};

use axum::{extract::DefaultBodyLimit, routing::get, Router};
use pamir_app::App;

/// The whole application as a router: API, pages, assets and health.
pub fn router(app: Arc<App>) -> Router {
    let body_limit = usize::try_from(app.config.server.max_body_bytes).unwrap_or(usize::MAX);
    Router::new()
        .nest("/api/v1", api::routes(&app))
        .route("/healthz", get(api::healthz))
        .merge(web::routes(&app))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(web::compress::gzip))
        .layer(axum::middleware::map_response(web::protective_headers))
        .with_state(app)
}

/// Serves until `shutdown` completes, then finishes requests in flight. The application's
/// background workers (`pamir_app::workers`) run meanwhile.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let workers = app.start_workers();
    let router = router(app).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    drop(workers);
    served
}
