//! Messaging: messages between agencies, focal points and Border Liaison Offices, BLO channels,
//! attachments, and the live event stream the pages update from.

pub mod api;
mod pages;

use std::sync::Arc;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};
use pamir_app::{App, UserContext};
use pamir_domain::Role;
use utoipa::OpenApi;

use crate::capability::{Capability, NavEntry};
use crate::web::i18n::M;

pub const CAPABILITY: Capability = Capability {
    name: "messaging",
    api: api_routes,
    pages: page_routes,
    openapi: || Doc::openapi(),
    nav,
};

fn api_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/messages", get(api::list).post(api::send))
        .route("/messages/unread", get(api::unread))
        .route("/messages/{id}", get(api::get))
        .route("/messages/{id}/thread", get(api::thread))
        .route("/messages/{id}/ack", post(api::ack))
        .route("/channels", get(api::channels))
        .route(
            "/attachments",
            post(api::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/attachments/{id}", get(api::download))
        .route("/events", get(api::events))
}

fn page_routes(_: &App) -> Router<Arc<App>> {
    Router::new()
        .route("/messages", get(pages::inbox))
        .route("/messages/new", get(pages::compose).post(pages::send))
        .route("/messages/{id}", get(pages::thread))
        .route("/messages/{id}/ack", post(pages::ack))
        .route("/channels", get(pages::channels))
        .route(
            "/channels/{id}",
            get(pages::channel).post(pages::channel_post),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::send, api::list, api::unread, api::get, api::thread, api::ack,
        api::channels, api::events, api::upload, api::download,
    ),
    components(schemas(api::MessageOut, api::MessageList, api::MessageMetaOut, api::RecipientOut,
        api::CreatedOut, api::UnreadOut, api::ChannelOut, api::AttachmentOut)),
    tags((name = "messages")),
)]
struct Doc;

fn nav(ctx: &UserContext) -> Vec<NavEntry> {
    let mut entries = Vec::new();
    if !pamir_domain::message::messages_allowed(&ctx.subject) {
        return entries;
    }
    if ctx.has(Role::BloOfficer) {
        entries.push(NavEntry {
            weight: 10,
            href: "/channels",
            label: M::MsgBloChannels,
            badge: None,
        });
    }
    entries.push(NavEntry {
        weight: 20,
        href: "/messages",
        label: M::MsgMessages,
        badge: Some("unread"),
    });
    entries
}
