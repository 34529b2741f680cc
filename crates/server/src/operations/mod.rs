//! Joint operations, standing programmes and controlled deliveries: closed workspaces that
//! only their participants see.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{
    routing::{get, post, put},
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
        .route("/operations/{id}", get(api::get).put(api::edit))
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
        .route(
            "/operations/{id}/tasks",
            get(api::tasks).post(api::add_task),
        )
        .route(
            "/operations/{id}/tasks/{task}/status",
            post(api::task_status),
        )
        .route(
            "/operations/{id}/tasks/{task}/comments",
            post(api::comment_task),
        )
        .route(
            "/operations/{id}/delivery",
            get(api::delivery).put(api::set_delivery),
        )
        .route(
            "/operations/{id}/delivery/status",
            post(api::delivery_status),
        )
        .route("/operations/{id}/delivery/legs", post(api::add_leg))
        .route(
            "/operations/{id}/delivery/authorisations/{country}",
            put(api::set_authorisation),
        )
        .route("/operations/{id}/journal", get(api::journal))
        .route("/operations/{id}/report", get(api::report))
        .route("/operations/{id}/results", post(api::report_result))
        .route(
            "/operations/{id}/delivery/legs/{leg}",
            post(api::report_leg),
        )
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/operations", get(pages::list).post(pages::open))
        .route("/operations/{id}", get(pages::show))
        .route("/operations/{id}/edit", post(pages::edit))
        .route("/operations/{id}/invite", post(pages::invite))
        .route("/operations/{id}/answer", post(pages::answer))
        .route("/operations/{id}/remove", post(pages::remove))
        .route("/operations/{id}/tasks", post(pages::add_task))
        .route("/operations/{id}/delivery", post(pages::set_delivery))
        .route("/operations/{id}/journal", get(pages::journal))
        .route(
            "/operations/{id}/report",
            get(pages::report).post(pages::report_result),
        )
        .route(
            "/operations/{id}/delivery/status",
            post(pages::delivery_status),
        )
        .route("/operations/{id}/delivery/legs", post(pages::add_leg))
        .route(
            "/operations/{id}/delivery/authorisations",
            post(pages::set_authorisation),
        )
        .route(
            "/operations/{id}/delivery/legs/{leg}",
            post(pages::report_leg),
        )
        .route(
            "/operations/{id}/tasks/{task}/status",
            post(pages::task_status),
        )
        .route(
            "/operations/{id}/tasks/{task}/comments",
            post(pages::comment_task),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(api::open, api::list, api::get, api::edit, api::invite, api::accept, api::decline, api::remove,
        api::tasks, api::add_task, api::task_status, api::comment_task, api::delivery,
        api::set_delivery, api::set_authorisation, api::delivery_status, api::add_leg, api::report_leg, api::journal,
        api::report, api::report_result),
    components(schemas(api::OperationOut, api::ParticipantOut, api::OperationList, api::TaskOut,
        api::TaskCommentOut, api::TaskList, api::DeliveryOut, api::LegOut, api::AuthorisationOut,
        api::JournalEntryOut, api::JournalOut, api::ResultOut, api::TotalOut, api::ReportOut)),
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
