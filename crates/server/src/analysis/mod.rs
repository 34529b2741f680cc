//! Analysis: seizure statistics over exactly what the reader may see, as JSON, CSV and a page
//! with server-drawn charts (SVG, readable without script).

pub mod api;
mod chart;
pub mod links;
mod pages;
mod view;

use std::sync::Arc;

use axum::{routing::get, Router};
use pamir_app::{App, UserContext};
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "analysis",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/analysis/seizures", get(api::seizures))
        .route("/analysis/routes", get(api::routes))
        .route("/analysis/chart", get(links::chart))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/analysis", get(pages::statistics))
        .route("/analysis/seizures.csv", get(pages::csv))
        .route("/analysis/routes", get(pages::routes))
        .route("/analysis/routes.csv", get(pages::routes_csv))
        .route("/analysis/chart", get(links::page))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::seizures, api::routes, links::chart),
    components(schemas(api::StatisticOut, api::RowOut, api::TallyOut, api::PeriodOut, api::RoutesOut, api::LegOut,
        links::ChartOut, links::ChartNodeOut, links::ChartEdgeOut)),
    tags((name = "analysis", description = "Statistics over the seizures the caller may read in full")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    if ctx.user.roles.iter().any(|r| r.reads_records()) {
        vec![NavEntry {
            weight: 75,
            href: "/analysis",
            label: M::NavAnalysis,
            badge: None,
        }]
    } else {
        Vec::new()
    }
}
