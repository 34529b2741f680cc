//! Pamir's HTTP layer: the only crate that knows HTTP, cookies and HTML.
//!
//! It serves the JSON API under `/api/v1` (with its OpenAPI document), the server-rendered web
//! pages in English and Russian with every asset embedded in the binary, and `/healthz`.
//! Authentication is an extractor ([`extract::ApiUser`], [`extract::WebUser`]); decisions about
//! access are the application's and the domain's, never made here.

pub mod api;
pub mod error;
pub mod extract;
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
        .layer(axum::middleware::map_response(web::protective_headers))
        .with_state(app)
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let follower = tokio::spawn(follow_outbox(app.clone()));
    let live = tokio::spawn(app.clone().follow_live());
    let upkeep = tokio::spawn(messaging_upkeep(app.clone()));
    let router = router(app).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    follower.abort();
    live.abort();
    upkeep.abort();
    served
}

/// Keeps the matching index and stored matches current with the outbox, whatever wrote to it
/// (the API, the pages, an import, another process): the index is built at start, then every
/// new event is applied within a moment.
async fn follow_outbox(app: Arc<App>) {
    loop {
        if let Err(e) = app.sync_matches().await {
            tracing::warn!("matching: {e}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// Writes noted deliveries every 200 ms, escalates overdue acknowledgements every 10 s and
/// expires uploads never attached every 10 minutes.
async fn messaging_upkeep(app: Arc<App>) {
    let mut tick: u32 = 0;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if let Err(e) = app.flush_deliveries().await {
            tracing::warn!("message deliveries: {e}");
        }
        tick = tick.wrapping_add(1);
        if tick.is_multiple_of(3_000) {
            // Every ten minutes: uploads never attached expire.
            match app.expire_uploads().await {
                Ok(0) => {}
                Ok(n) => tracing::info!("removed {n} upload(s) never attached to a message"),
                Err(e) => tracing::warn!("upload expiry: {e}"),
            }
        }
        if tick.is_multiple_of(50) {
            match app.escalate_overdue().await {
                Ok(0) => {}
                Ok(n) => tracing::info!("escalated {n} overdue acknowledgement(s)"),
                Err(e) => tracing::warn!("escalation: {e}"),
            }
        }
    }
}
