//! Early warning (issue 12): the substance registry — its API (`/api/v1/substances…`) and its
//! pages (`/substances…`) — and detections (`/api/v1/detections…`), whose first detections are
//! alerted live; and pre-export notifications (`/api/v1/pre-export-notifications…`,
//! `/pre-exports…`), answered by the importing country and flagged to both sides when late.

pub mod api;
mod board;
mod detection_page;
pub mod detections;
mod incident_pages;
pub mod incidents;
mod pages;
mod pre_export_pages;
pub mod pre_exports;
mod risk_pages;
pub mod risks;

use std::sync::Arc;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};
use pamir_app::{App, UserContext};
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "early_warning",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn import_limit(app: &App) -> usize {
    usize::try_from(app.config.server.import_max_bytes).unwrap_or(usize::MAX)
}

fn api_routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/substances", get(api::list).post(api::create))
        .route("/substances/export", get(api::export))
        .route(
            "/substances/import",
            post(api::import).layer(DefaultBodyLimit::max(import_limit(app))),
        )
        .route("/substances/{id}", get(api::get).put(api::update))
        .route(
            "/detections",
            get(detections::list).post(detections::report),
        )
        .route("/detections/{id}", get(detections::get))
        .route(
            "/detections/{id}/notes",
            get(detections::notes).post(detections::add_note),
        )
        .route(
            "/pre-export-notifications",
            get(pre_exports::list).post(pre_exports::send),
        )
        .route("/pre-export-notifications/{id}", get(pre_exports::get))
        .route(
            "/pre-export-notifications/{id}/steps",
            post(pre_exports::step),
        )
        .route(
            "/pre-export-notifications/{id}/incident",
            post(incidents::from_notification),
        )
        .route(
            "/precursor-incidents",
            get(incidents::list).post(incidents::report),
        )
        .route("/precursor-incidents/{id}", get(incidents::get))
        .route("/risk-communications", get(risks::list).post(risks::issue))
        .route(
            "/risk-communications/{id}",
            get(risks::get).put(risks::update),
        )
        .route("/risk-communications/{id}/retract", post(risks::retract))
        .route("/pre-export-reply-days", get(pre_exports::reply_days))
        .route(
            "/pre-export-reply-days/{country}",
            axum::routing::put(pre_exports::set_reply_days),
        )
}

fn page_routes(app: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/substances", get(pages::list))
        .route("/substances.csv", get(pages::csv))
        .route("/substances.json", get(pages::json))
        .route("/substances/new", get(pages::new_form).post(pages::create))
        .route(
            "/substances/import",
            get(pages::import_form)
                .post(pages::import)
                .layer(DefaultBodyLimit::max(import_limit(app))),
        )
        .route("/substances/{id}", get(pages::show))
        .route(
            "/substances/{id}/edit",
            get(pages::edit_form).post(pages::edit),
        )
        .route("/early-warning", get(board::board))
        .route("/early-warning/{id}", get(board::substance))
        .route("/pre-exports", get(pre_export_pages::list))
        .route(
            "/pre-exports/new",
            get(pre_export_pages::new_form).post(pre_export_pages::create),
        )
        .route("/pre-exports/{id}", get(pre_export_pages::show))
        .route("/pre-exports/{id}/steps", post(pre_export_pages::step))
        .route(
            "/pre-exports/{id}/incident",
            post(incident_pages::create_from_notification),
        )
        .route("/detections/{id}", get(detection_page::show))
        .route("/detections/{id}/notes", post(detection_page::add_note))
        .route("/risk-communications/new", post(risk_pages::create))
        .route("/risk-communications/{id}", get(risk_pages::show))
        .route("/risk-communications/{id}/edit", post(risk_pages::edit))
        .route(
            "/risk-communications/{id}/retract",
            post(risk_pages::retract),
        )
        .route("/precursor-incidents", get(incident_pages::list))
        .route(
            "/precursor-incidents/new",
            get(incident_pages::new_form).post(incident_pages::create),
        )
        .route("/precursor-incidents/{id}", get(incident_pages::show))
}

#[derive(OpenApi)]
#[openapi(
    paths(api::list, api::create, api::get, api::update, api::export, api::import,
        detections::report, detections::list, detections::get, detections::notes, detections::add_note,
        pre_exports::send, pre_exports::list, pre_exports::get, pre_exports::step,
        pre_exports::reply_days, pre_exports::set_reply_days,
        incidents::report, incidents::list, incidents::get, incidents::from_notification,
        risks::issue, risks::list, risks::get, risks::update, risks::retract),
    components(schemas(api::SubstanceOut, api::SubstanceList, api::ImportOut,
        detections::DetectionOut, detections::DetectionList, detections::NoteOut, detections::NoteList,
        pre_exports::NotificationOut, pre_exports::NotificationList, pre_exports::StepOut,
        pre_exports::ReplyDaysOut, pre_exports::ReplyDaysList,
        incidents::IncidentOut, incidents::IncidentList, risks::RiskOut, risks::RiskList)),
    tags((name = "early_warning", description = "The substance registry: names, identifiers, control status")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    if ctx.user.roles.iter().any(|r| r.reads_records()) {
        vec![
            NavEntry {
                weight: 68,
                href: "/early-warning",
                label: M::NavEarlyWarning,
                badge: None,
            },
            NavEntry {
                weight: 70,
                href: "/substances",
                label: M::NavSubstances,
                badge: None,
            },
            NavEntry {
                weight: 72,
                href: "/pre-exports",
                label: M::NavPreExports,
                badge: None,
            },
            NavEntry {
                weight: 73,
                href: "/precursor-incidents",
                label: M::NavPrecursorIncidents,
                badge: None,
            },
        ]
    } else {
        Vec::new()
    }
}
