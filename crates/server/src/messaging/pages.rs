//! Messages on the web: the inbox (with search), compose, a thread with its delivery states and
//! acknowledgement, and Border Liaison Office channels. Every page works without script; the
//! small `pamir-live.js` adds live updates from the event stream (new messages, receipts,
//! unread counts) without a reload.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use maud::{html, Markup};
use pamir_app::{
    format_time,
    messaging::{MessageFilter, MessageInput, MessageView},
    App, AppError,
};
use pamir_domain::{
    handling::HandlingCode,
    message::{parse_priority, Priority},
    schema::Lang,
    Classification,
};
use pamir_store::Folder;

use super::api::ListParams;
use crate::extract::WebUser;
use crate::web::{
    check_csrf, error_page,
    i18n::{t, M},
    layout::{classification_badge, csrf_field, error_box},
    render, FormData,
};

fn priority_label(lang: Lang, p: Priority) -> &'static str {
    match p {
        Priority::Routine => t(lang, M::MsgRoutine),
        Priority::Urgent => t(lang, M::MsgUrgent),
        Priority::Immediate => t(lang, M::MsgImmediate),
    }
}

fn priority_badge(lang: Lang, p: Priority) -> Markup {
    html! { span class={ "prio p-" (p.as_str()) } { (priority_label(lang, p)) } }
}

/// A message's state for the viewer, in a few words.
fn state_of(lang: Lang, v: &MessageView, user: &WebUser, now: i64) -> Markup {
    let ctx = &user.ctx;
    let m = &v.message;
    let acked = m.recipients.iter().filter(|r| r.acked_at.is_some()).count();
    html! {
        @if v.awaits_ack_from(ctx) {
            span.state.await { (t(lang, M::MsgAwaitingYourAcknowledgement)) }
        }
        @if v.overdue(now) {
            " " span.state.overdue { (t(lang, M::MsgAcknowledgementOverdue)) }
        }
        @if v.standing.sender && m.priority.requires_ack() {
            " " span.state { (acked) "/" (m.recipients.len()) " " (t(lang, M::MsgAcknowledged)) }
        }
    }
}

fn list_rows(lang: Lang, views: &[MessageView], user: &WebUser, now: i64) -> Markup {
    html! {
        @if views.is_empty() {
            p.muted { (t(lang, M::MsgNoMessages)) }
        } @else {
            table.messages {
                thead { tr {
                    th { (t(lang, M::MsgSubject)) } th { (t(lang, M::MsgFrom)) } th { (t(lang, M::MsgTo)) }
                    th { (t(lang, M::MsgPriority)) } th { (t(lang, M::MsgSent)) } th { (t(lang, M::MsgState)) }
                } }
                tbody {
                    @for v in views {
                        @let m = &v.message;
                        tr class=[v.unread_by(&user.ctx).then_some("unread")] data-message=(m.id) {
                            td { a href={ "/messages/" (m.id) } { (m.subject) } " " (classification_badge(m.classification)) }
                            td { (m.sender) " · " (m.sender_agency) }
                            td { (recipients_text(m)) }
                            td { (priority_badge(lang, m.priority)) }
                            td.when { (format_time(m.created_at)) }
                            td { (state_of(lang, v, user, now)) }
                        }
                    }
                }
            }
        }
    }
}

fn recipients_text(m: &pamir_store::StoredMessage) -> String {
    if let Some(ch) = &m.channel {
        return format!("BLO {ch}");
    }
    m.addressing
        .agencies
        .iter()
        .cloned()
        .chain(m.addressing.countries.iter().map(|c| format!("{c} (NFP)")))
        .chain(m.addressing.operations.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/messages`: inbox, sent or all, with search and filters.
pub async fn inbox(
    State(app): State<Arc<App>>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Response {
    let lang = user.lang;
    let filter = match params.filter() {
        Ok(f) => f,
        Err(e) => return error_page(&app, &user, &e),
    };
    let views = match app.messaging().list(&user.ctx, &filter).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    let unread = app.messaging().unread_count(&user.ctx).await.unwrap_or(0);
    let channels = app.messaging().channels_of(&user.ctx);
    let now = app.clock.now_ms();
    let folder = filter.folder;
    let tab = |f: Folder, href: &'static str, label: &'static str| {
        html! { a href=(href) class=[(folder == f).then_some("current")] { (label) } }
    };
    let body = html! {
        h1 { (t(lang, M::MsgMessages)) " "
            span.count title=(t(lang, M::MsgUnreadTitle)) { span #unread-count data-live="unread" { (unread) } " " (t(lang, M::MsgUnread)) } }
        p { a.button href="/messages/new" { (t(lang, M::MsgWriteAMessage)) } }
        @if !channels.is_empty() {
            p { (t(lang, M::MsgBloChannelsColon)) " "
                @for c in &channels { a href={ "/channels/" (c.id) } { (c.name) } " " } }
        }
        nav.tabs {
            (tab(Folder::Inbox, "/messages", t(lang, M::MsgFolderInbox)))
            (tab(Folder::Sent, "/messages?folder=sent", t(lang, M::MsgFolderSent)))
            (tab(Folder::All, "/messages?folder=all", t(lang, M::MsgFolderAll)))
        }
        form.search method="get" action="/messages" {
            input type="hidden" name="folder" value=(match folder { Folder::Inbox => "inbox", Folder::Sent => "sent", Folder::All => "all" });
            input type="search" name="q" value=[filter.text.as_deref()] placeholder=(t(lang, M::MsgSearchSubjectAndText));
            select name="priority" {
                option value="" { (t(lang, M::MsgAnyPriority)) }
                @for p in Priority::ALL { option value=(p.as_str()) selected[filter.priority == Some(*p)] { (priority_label(lang, *p)) } }
            }
            input type="text" name="sender" value=[filter.sender.as_deref()] placeholder=(t(lang, M::MsgSenderOrAgency));
            input type="text" name="link" value=[filter.link.as_deref()] placeholder=(t(lang, M::MsgLinkedRecordOperation));
            label { (t(lang, M::MsgDateFrom)) " " input type="date" name="from" value=[params_date(&params, true)]; }
            label { (t(lang, M::MsgDateTo)) " " input type="date" name="to" value=[params_date(&params, false)]; }
            button type="submit" { (t(lang, M::Search)) }
        }
        div #message-list data-live="list" { (list_rows(lang, &views, &user, now)) }
    };
    render(&app, &user, t(lang, M::MsgMessages), "/messages", body)
}

fn params_date(p: &ListParams, from: bool) -> Option<String> {
    p.date_text(from)
}

#[derive(serde::Deserialize, Default)]
pub struct ComposeParams {
    reply: Option<String>,
    forward: Option<String>,
    to: Option<String>,
    /// An operation to write to (from the operation's page).
    operation: Option<String>,
}

/// The compose page, with what the form offers: agencies, and the operations the user takes
/// part in.
async fn compose_page(
    app: &App,
    user: &WebUser,
    p: &ComposeParams,
    error: Option<&AppError>,
) -> Response {
    let lang = user.lang;
    let agencies = match app.list_agencies().await {
        Ok(a) => a,
        Err(e) => return error_page(app, user, &e),
    };
    let operations = match app.operations().list(&user.ctx).await {
        Ok(ops) => ops
            .into_iter()
            .filter(|o| o.standing.takes_part())
            .collect::<Vec<_>>(),
        Err(e) => return error_page(app, user, &e),
    };
    let body = html! {
        h1 { (t(lang, M::MsgNewMessage)) }
        (compose_form(app, user, p, &agencies, &operations, error))
    };
    let mut resp = render(app, user, t(lang, M::MsgNewMessage), "/messages", body);
    if let Some(e) = error {
        *resp.status_mut() = crate::error::status_of(e);
    }
    resp
}

fn compose_form(
    app: &App,
    user: &WebUser,
    p: &ComposeParams,
    agencies: &[pamir_store::Agency],
    operations: &[pamir_app::operations::Operation],
    error: Option<&AppError>,
) -> Markup {
    let lang = user.lang;
    let channels = app.messaging().channels_of(&user.ctx);
    html! {
        @if let Some(e) = error { (error_box(lang, e)) }
        form.compose method="post" action="/messages/new" {
            (csrf_field(&user.csrf))
            @if let Some(r) = &p.reply { input type="hidden" name="reply_to" value=(r); p.muted { (t(lang, M::MsgReplyToTheThreadLeave)) } }
            @if let Some(f) = &p.forward { input type="hidden" name="forward_of" value=(f); p.muted { (t(lang, M::MsgTheOriginalIsQuotedBelow)) } }
            fieldset {
                legend { (t(lang, M::MsgTo)) }
                label { (t(lang, M::AgenciesTitle)) " "
                    select #to-agencies name="agency" multiple size="6" {
                        @for a in agencies.iter().filter(|a| a.code != user.ctx.user.agency) {
                            option value=(a.code) selected[p.to.as_deref() == Some(a.code.as_str())] { (a.code) " — " (a.name(lang)) }
                        }
                    }
                }
                label { (t(lang, M::MsgCountriesViaTheNationalFocal)) " "
                    input #to-countries type="text" name="countries" placeholder="TJ, KG";
                }
                @if !operations.is_empty() {
                    label { (t(lang, M::MsgOperations)) " "
                        select #to-operations name="operation" multiple size=(operations.len().min(4)) {
                            @for o in operations {
                                option value=(o.id) selected[p.operation.as_deref() == Some(o.id.as_str())] { (o.code_name) }
                            }
                        }
                    }
                }
                @if !channels.is_empty() {
                    label { (t(lang, M::MsgBloChannel)) " "
                        select name="channel" { option value="" { "—" } @for c in &channels { option value=(c.id) { (c.name) } } }
                    }
                }
            }
            label { (t(lang, M::MsgSubject)) input #subject type="text" name="subject" maxlength="200"; }
            label { (t(lang, M::MsgText)) textarea #body name="body" rows="8" {} }
            div.row {
                label { (t(lang, M::MsgPriority)) " "
                    select #priority name="priority" { @for pr in Priority::ALL { option value=(pr.as_str()) { (priority_label(lang, *pr)) } } } }
                label { (t(lang, M::Classification)) " "
                    select #classification name="classification" {
                        @for c in Classification::ALL.iter().filter(|c| **c <= user.ctx.subject.clearance) {
                            option value=(c.as_str()) selected[*c == Classification::Restricted] { (c.as_str()) }
                        }
                    } }
            }
            fieldset.codes {
                legend { (t(lang, M::HandlingCodes)) }
                @for c in HandlingCode::ALL { label { input type="checkbox" name="handling_codes" value=(c.as_str()); " " (c.label(lang)) } }
            }
            label { (t(lang, M::MsgLinkedRecordsCasesOrOperations))
                input type="text" name="links"; }
            button #send type="submit" { (t(lang, M::MsgSend)) }
        }
    }
}

/// `/messages/new`: compose (also reply `?reply=ID` and forward `?forward=ID`).
pub async fn compose(
    State(app): State<Arc<App>>,
    user: WebUser,
    Query(p): Query<ComposeParams>,
) -> Response {
    compose_page(&app, &user, &p, None).await
}

fn input_from_form(form: &FormData) -> Result<MessageInput, AppError> {
    let mut input = MessageInput {
        agencies: form.all("agency").iter().map(|s| s.to_string()).collect(),
        countries: form
            .text("countries")
            .split([',', ' ', ';'])
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_uppercase())
            .collect(),
        channel: form.get("channel").map(str::to_string),
        operations: form
            .all("operation")
            .iter()
            .map(|s| s.to_string())
            .collect(),
        subject: form.text("subject").to_string(),
        body: form.text("body").to_string(),
        priority: parse_priority(form.text("priority"))
            .map_err(|e| AppError::invalid("priority", e))?,
        links: form
            .text("links")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        reply_to: form.get("reply_to").map(str::to_string),
        forward_of: form.get("forward_of").map(str::to_string),
        ..MessageInput::default()
    };
    if let Some(c) = form.get("classification") {
        input.classification = c.parse().map_err(|e: pamir_domain::error::Reason| {
            AppError::invalid("meta.classification", e)
        })?;
    }
    for c in form.all("handling_codes") {
        input
            .handling_codes
            .insert(c.parse().map_err(|e: pamir_domain::error::Reason| {
                AppError::invalid("meta.handling_codes", e)
            })?);
    }
    Ok(input)
}

pub async fn send(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(refused) = check_csrf(&app, &user, &form) {
        return refused;
    }
    let result = match input_from_form(&form) {
        Ok(input) => app.messaging().send(&user.ctx, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(m) => Redirect::to(&format!("/messages/{}", m.id)).into_response(),
        Err(e) => {
            let p = ComposeParams {
                reply: form.get("reply_to").map(str::to_string),
                forward: form.get("forward_of").map(str::to_string),
                to: None,
                operation: None,
            };
            compose_page(&app, &user, &p, Some(&e)).await
        }
    }
}

fn message_block(
    lang: Lang,
    v: &MessageView,
    files: &[pamir_store::Attachment],
    user: &WebUser,
    now: i64,
    current: bool,
) -> Markup {
    let m = &v.message;
    html! {
        article.message id={ "m-" (m.id) } class=[current.then_some("current")] {
            header {
                h2 { (m.subject) }
                p { (classification_badge(m.classification)) " " (priority_badge(lang, m.priority))
                    @for c in &m.handling_codes { " " span.badge.code title=(c.label(lang)) { (c.as_str()) } } }
                p.muted { (t(lang, M::MsgFrom)) " " (m.sender) " · " (m.sender_agency) " · " (format_time(m.created_at))
                    @if m.relation == "forward" { " · " (t(lang, M::MsgForwarded)) } }
            }
            div.body { @for line in m.body.lines() { (line) br; } }
            @if !files.is_empty() {
                ul.attachments { @for f in files {
                    li { a href={ "/api/v1/attachments/" (f.id) } { (f.filename) } " "
                         span.muted { "(" (f.content_type) ", " (f.size / 1024 + 1) " KB)" } }
                } }
            }
            @if !m.links.is_empty() {
                p { (t(lang, M::MsgLinked)) " " @for id in &m.links { a href={ "/records/" (id) } { (id) } " " } }
            }
            table.receipts data-live="receipts" {
                thead { tr { th { (t(lang, M::MsgRecipient)) } th { (t(lang, M::MsgDelivered)) } th { (t(lang, M::MsgRead)) } th { (t(lang, M::MsgAcknowledgedColumn)) } } }
                tbody {
                    @for r in &m.recipients {
                        tr data-recipient=(r.code) {
                            td { (r.code) @if r.kind == pamir_domain::message::RecipientKind::Country { " (NFP)" }
                                 @if r.escalated_at.is_some() { " " span.state.overdue { (t(lang, M::MsgEscalated)) } } }
                            td.delivered { (r.delivered_at.map(format_time).unwrap_or_default()) }
                            td.read { (r.read_at.map(format_time).unwrap_or_default()) " " (r.read_by.clone().unwrap_or_default()) }
                            td.acked { (r.acked_at.map(format_time).unwrap_or_default()) " " (r.acked_by.clone().unwrap_or_default()) }
                        }
                    }
                }
            }
            (state_of(lang, v, user, now))
            div.actions {
                @if v.awaits_ack_from(&user.ctx) {
                    form method="post" action={ "/messages/" (m.id) "/ack" } {
                        (csrf_field(&user.csrf))
                        button.ack type="submit" { (t(lang, M::MsgAcknowledge)) }
                    }
                }
                a href={ "/messages/new?reply=" (m.id) } { (t(lang, M::MsgReply)) } " "
                a href={ "/messages/new?forward=" (m.id) } { (t(lang, M::MsgForward)) }
            }
        }
    }
}

/// `/messages/{id}`: the thread, the message marked read for the viewer's side.
pub async fn thread(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    let lang = user.lang;
    let mut views = match app.messaging().thread(&user.ctx, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    // Opening a thread reads the message asked for (audited) and what else in it is new to the
    // viewer; each read answers with the message's new state.
    for v in views
        .iter_mut()
        .filter(|v| v.message.id == id || v.unread_by(&user.ctx))
    {
        match app.messaging().read(&user.ctx, &v.message.id).await {
            Ok(fresh) => *v = fresh,
            Err(e) if v.message.id == id => return error_page(&app, &user, &e),
            Err(_) => {}
        }
    }
    let mut files = std::collections::HashMap::new();
    for v in &views {
        match app.messaging().attachments_of(v).await {
            Ok(a) => files.insert(v.message.id.clone(), a),
            Err(e) => return error_page(&app, &user, &e),
        };
    }
    let now = app.clock.now_ms();
    let title = views
        .iter()
        .find(|v| v.message.id == id)
        .map(|v| v.message.subject.clone())
        .unwrap_or_default();
    let body = html! {
        p { a href="/messages" { "← " (t(lang, M::MsgMessages)) } }
        div #thread data-live="thread" data-ids=(views.iter().map(|v| v.message.id.as_str()).collect::<Vec<_>>().join(" ")) {
            @for v in &views {
                (message_block(lang, v, files.get(&v.message.id).map(Vec::as_slice).unwrap_or(&[]), &user, now, v.message.id == id))
            }
        }
    };
    render(&app, &user, &title, "/messages", body)
}

pub async fn ack(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(refused) = check_csrf(&app, &user, &form) {
        return refused;
    }
    match app.messaging().ack(&user.ctx, &id).await {
        Ok(_) => Redirect::to(&format!("/messages/{id}")).into_response(),
        Err(e) => error_page(&app, &user, &e),
    }
}

/// `/channels/{id}`: a BLO channel as one standing conversation, newest at the bottom; a small
/// page for slow links.
pub async fn channel(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
) -> Response {
    channel_page(&app, &user, &id, None).await
}

async fn channel_page(app: &App, user: &WebUser, id: &str, error: Option<&AppError>) -> Response {
    let lang = user.lang;
    let filter = MessageFilter {
        channel: Some(id.to_string()),
        limit: 50,
        ..MessageFilter::default()
    };
    let mut views = match app.messaging().list(&user.ctx, &filter).await {
        Ok(v) => v,
        Err(e) => return error_page(app, user, &e),
    };
    views.reverse();
    let Some(ch) = app.messaging().channel(id) else {
        return error_page(app, user, &AppError::NotFound("no such channel".into()));
    };
    let now = app.clock.now_ms();
    let body = html! {
        h1 { (t(lang, M::MsgBloChannel)) " " (ch.name) }
        p.muted { (ch.agencies.join(" ⇄ ")) }
        ol #channel-log.channel data-live="channel" data-channel=(ch.id) {
            @for v in &views {
                @let m = &v.message;
                li class=[v.awaits_ack_from(&user.ctx).then_some("await")] {
                    span.when { (format_time(m.created_at)) } " " strong { (m.sender_agency) } " " (priority_badge(lang, m.priority)) " "
                    a href={ "/messages/" (m.id) } { (m.subject) } ": " (m.body)
                    " " (state_of(lang, v, user, now))
                }
            }
        }
        @if let Some(e) = error { (error_box(lang, e)) }
        form.channel-post method="post" action={ "/channels/" (ch.id) } {
            (csrf_field(&user.csrf))
            input #channel-text type="text" name="body" required maxlength="4000" placeholder=(t(lang, M::MsgMessageToTheOtherSide));
            select name="priority" { @for pr in Priority::ALL { option value=(pr.as_str()) { (priority_label(lang, *pr)) } } }
            button #channel-send type="submit" { (t(lang, M::MsgSend)) }
        }
    };
    render(app, user, &ch.name.clone(), "/messages", body)
}

pub async fn channel_post(
    State(app): State<Arc<App>>,
    user: WebUser,
    Path(id): Path<String>,
    form: FormData,
) -> Response {
    if let Some(refused) = check_csrf(&app, &user, &form) {
        return refused;
    }
    let text = form.text("body").to_string();
    // A channel line has no separate subject: its first words are.
    let subject: String = text.lines().next().unwrap_or("").chars().take(60).collect();
    let input = match parse_priority(form.text("priority")) {
        Ok(priority) => MessageInput {
            channel: Some(id.clone()),
            subject,
            body: text,
            priority,
            ..MessageInput::default()
        },
        Err(e) => {
            return channel_page(&app, &user, &id, Some(&AppError::invalid("priority", e))).await
        }
    };
    match app.messaging().send(&user.ctx, input).await {
        Ok(_) => Redirect::to(&format!("/channels/{id}")).into_response(),
        Err(e) => channel_page(&app, &user, &id, Some(&e)).await,
    }
}

/// `/channels`: the caller's BLO channels (a BLO officer's first screen).
pub async fn channels(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let channels = app.messaging().channels_of(&user.ctx);
    let body = html! {
        h1 { (t(lang, M::MsgBloChannels)) }
        @if channels.is_empty() { p.muted { (t(lang, M::MsgYouAreNotAMember)) } }
        ul { @for c in &channels { li { a href={ "/channels/" (c.id) } { (c.name) } " " span.muted { (c.agencies.join(" ⇄ ")) } } } }
        p { a href="/messages" { (t(lang, M::MsgAllMessages)) } }
    };
    render(&app, &user, t(lang, M::MsgBloChannels), "/messages", body)
}
