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

use super::{
    check_csrf, error_page, lang_label as l,
    layout::{classification_badge, csrf_field, error_box},
    render, FormData,
};
use crate::{api::messages::ListParams, extract::WebUser};

fn priority_label(lang: Lang, p: Priority) -> &'static str {
    match p {
        Priority::Routine => l(lang, "routine", "обычное"),
        Priority::Urgent => l(lang, "urgent", "срочное"),
        Priority::Immediate => l(lang, "immediate", "немедленное"),
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
            span.state.await { (l(lang, "awaiting your acknowledgement", "ждёт вашего подтверждения")) }
        }
        @if v.overdue(now) {
            " " span.state.overdue { (l(lang, "acknowledgement overdue", "подтверждение просрочено")) }
        }
        @if v.standing.sender && m.priority.requires_ack() {
            " " span.state { (acked) "/" (m.recipients.len()) " " (l(lang, "acknowledged", "подтвердили")) }
        }
    }
}

fn list_rows(lang: Lang, views: &[MessageView], user: &WebUser, now: i64) -> Markup {
    html! {
        @if views.is_empty() {
            p.muted { (l(lang, "No messages.", "Сообщений нет.")) }
        } @else {
            table.messages {
                thead { tr {
                    th { (l(lang, "Subject", "Тема")) } th { (l(lang, "From", "От")) } th { (l(lang, "To", "Кому")) }
                    th { (l(lang, "Priority", "Приоритет")) } th { (l(lang, "Sent", "Отправлено")) } th { (l(lang, "State", "Состояние")) }
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
    let views = match app.list_messages(&user.ctx, &filter).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    let unread = app.unread_messages(&user.ctx).await.unwrap_or(0);
    let channels = app.channels_of(&user.ctx);
    let now = app.clock.now_ms();
    let folder = filter.folder;
    let tab = |f: Folder, href: &'static str, label: &'static str| {
        html! { a href=(href) class=[(folder == f).then_some("current")] { (label) } }
    };
    let body = html! {
        h1 { (l(lang, "Messages", "Сообщения")) " "
            span.count title=(l(lang, "unread", "непрочитанные")) { span #unread-count data-live="unread" { (unread) } " " (l(lang, "unread", "непрочитано")) } }
        p { a.button href="/messages/new" { (l(lang, "Write a message", "Написать сообщение")) } }
        @if !channels.is_empty() {
            p { (l(lang, "BLO channels: ", "Каналы ПОС: "))
                @for c in &channels { a href={ "/channels/" (c.id) } { (c.name) } " " } }
        }
        nav.tabs {
            (tab(Folder::Inbox, "/messages", l(lang, "Inbox", "Входящие")))
            (tab(Folder::Sent, "/messages?folder=sent", l(lang, "Sent", "Отправленные")))
            (tab(Folder::All, "/messages?folder=all", l(lang, "All", "Все")))
        }
        form.search method="get" action="/messages" {
            input type="hidden" name="folder" value=(match folder { Folder::Inbox => "inbox", Folder::Sent => "sent", Folder::All => "all" });
            input type="search" name="q" value=[filter.text.as_deref()] placeholder=(l(lang, "Search subject and text", "Поиск по теме и тексту"));
            select name="priority" {
                option value="" { (l(lang, "any priority", "любой приоритет")) }
                @for p in Priority::ALL { option value=(p.as_str()) selected[filter.priority == Some(*p)] { (priority_label(lang, *p)) } }
            }
            input type="text" name="sender" value=[filter.sender.as_deref()] placeholder=(l(lang, "sender or agency", "отправитель или ведомство"));
            input type="text" name="link" value=[filter.link.as_deref()] placeholder=(l(lang, "linked record / operation", "связанная запись / операция"));
            label { (l(lang, "from", "с")) " " input type="date" name="from" value=[params_date(&params, true)]; }
            label { (l(lang, "to", "по")) " " input type="date" name="to" value=[params_date(&params, false)]; }
            button type="submit" { (l(lang, "Search", "Найти")) }
        }
        div #message-list data-live="list" { (list_rows(lang, &views, &user, now)) }
    };
    render(
        &app,
        &user,
        l(lang, "Messages", "Сообщения"),
        "/messages",
        body,
    )
}

fn params_date(p: &ListParams, from: bool) -> Option<String> {
    p.date_text(from)
}

#[derive(serde::Deserialize, Default)]
pub struct ComposeParams {
    reply: Option<String>,
    forward: Option<String>,
    to: Option<String>,
}

fn compose_form(
    app: &App,
    user: &WebUser,
    p: &ComposeParams,
    agencies: &[pamir_store::Agency],
    error: Option<&AppError>,
) -> Markup {
    let lang = user.lang;
    let channels = app.channels_of(&user.ctx);
    html! {
        @if let Some(e) = error { (error_box(lang, e)) }
        form.compose method="post" action="/messages/new" {
            (csrf_field(&user.csrf))
            @if let Some(r) = &p.reply { input type="hidden" name="reply_to" value=(r); p.muted { (l(lang, "Reply to the thread; leave recipients empty to answer the sender.", "Ответ в ветке; оставьте получателей пустыми, чтобы ответить отправителю.")) } }
            @if let Some(f) = &p.forward { input type="hidden" name="forward_of" value=(f); p.muted { (l(lang, "The original is quoted below your text, with its classification and handling codes.", "Исходное сообщение будет приведено под вашим текстом, с его грифом и условиями обращения.")) } }
            fieldset {
                legend { (l(lang, "To", "Кому")) }
                label { (l(lang, "Agencies", "Ведомства")) " "
                    select #to-agencies name="agency" multiple size="6" {
                        @for a in agencies.iter().filter(|a| a.code != user.ctx.user.agency) {
                            option value=(a.code) selected[p.to.as_deref() == Some(a.code.as_str())] { (a.code) " — " (if lang == Lang::Ru { &a.name_ru } else { &a.name_en }) }
                        }
                    }
                }
                label { (l(lang, "Countries (via the national focal point)", "Страны (через национальный координационный центр)")) " "
                    input #to-countries type="text" name="countries" placeholder="TJ, KG";
                }
                @if !channels.is_empty() {
                    label { (l(lang, "BLO channel", "Канал ПОС")) " "
                        select name="channel" { option value="" { "—" } @for c in &channels { option value=(c.id) { (c.name) } } }
                    }
                }
            }
            label { (l(lang, "Subject", "Тема")) input #subject type="text" name="subject" maxlength="200"; }
            label { (l(lang, "Text", "Текст")) textarea #body name="body" rows="8" {} }
            div.row {
                label { (l(lang, "Priority", "Приоритет")) " "
                    select #priority name="priority" { @for pr in Priority::ALL { option value=(pr.as_str()) { (priority_label(lang, *pr)) } } } }
                label { (l(lang, "Classification", "Гриф")) " "
                    select #classification name="classification" {
                        @for c in Classification::ALL.iter().filter(|c| **c <= user.ctx.subject.clearance) {
                            option value=(c.as_str()) selected[*c == Classification::Restricted] { (c.as_str()) }
                        }
                    } }
            }
            fieldset.codes {
                legend { (l(lang, "Handling codes", "Условия обращения")) }
                @for c in HandlingCode::ALL { label { input type="checkbox" name="handling_codes" value=(c.as_str()); " " (c.label(lang)) } }
            }
            label { (l(lang, "Linked records, cases or operations (ids, comma-separated)", "Связанные записи, дела или операции (идентификаторы через запятую)"))
                input type="text" name="links"; }
            button #send type="submit" { (l(lang, "Send", "Отправить")) }
        }
    }
}

/// `/messages/new`: compose (also reply `?reply=ID` and forward `?forward=ID`).
pub async fn compose(
    State(app): State<Arc<App>>,
    user: WebUser,
    Query(p): Query<ComposeParams>,
) -> Response {
    let lang = user.lang;
    let agencies = app.store.list_agencies().await.unwrap_or_default();
    let body = html! {
        h1 { (l(lang, "New message", "Новое сообщение")) }
        (compose_form(&app, &user, &p, &agencies, None))
    };
    render(
        &app,
        &user,
        l(lang, "New message", "Новое сообщение"),
        "/messages",
        body,
    )
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
        input.classification = c
            .parse()
            .map_err(|e: String| AppError::invalid("meta.classification", e))?;
    }
    for c in form.all("handling_codes") {
        input.handling_codes.insert(
            c.parse()
                .map_err(|e: String| AppError::invalid("meta.handling_codes", e))?,
        );
    }
    Ok(input)
}

pub async fn send(State(app): State<Arc<App>>, user: WebUser, form: FormData) -> Response {
    if let Some(refused) = check_csrf(&app, &user, &form) {
        return refused;
    }
    let lang = user.lang;
    let result = match input_from_form(&form) {
        Ok(input) => app.send_message(&user.ctx, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(m) => Redirect::to(&format!("/messages/{}", m.id)).into_response(),
        Err(e) => {
            let agencies = app.store.list_agencies().await.unwrap_or_default();
            let p = ComposeParams {
                reply: form.get("reply_to").map(str::to_string),
                forward: form.get("forward_of").map(str::to_string),
                to: None,
            };
            let body = html! {
                h1 { (l(lang, "New message", "Новое сообщение")) }
                (compose_form(&app, &user, &p, &agencies, Some(&e)))
            };
            let mut resp = render(
                &app,
                &user,
                l(lang, "New message", "Новое сообщение"),
                "/messages",
                body,
            );
            *resp.status_mut() = crate::error::status_of(&e);
            resp
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
                p.muted { (l(lang, "From ", "От ")) (m.sender) " · " (m.sender_agency) " · " (format_time(m.created_at))
                    @if m.relation == "forward" { " · " (l(lang, "forwarded", "пересланное")) } }
            }
            div.body { @for line in m.body.lines() { (line) br; } }
            @if !files.is_empty() {
                ul.attachments { @for f in files {
                    li { a href={ "/api/v1/attachments/" (f.id) } { (f.filename) } " "
                         span.muted { "(" (f.content_type) ", " (f.size / 1024 + 1) " KB)" } }
                } }
            }
            @if !m.links.is_empty() {
                p { (l(lang, "Linked: ", "Связано: ")) @for id in &m.links { a href={ "/records/" (id) } { (id) } " " } }
            }
            table.receipts data-live="receipts" {
                thead { tr { th { (l(lang, "Recipient", "Получатель")) } th { (l(lang, "Delivered", "Доставлено")) } th { (l(lang, "Read", "Прочитано")) } th { (l(lang, "Acknowledged", "Подтверждено")) } } }
                tbody {
                    @for r in &m.recipients {
                        tr data-recipient=(r.code) {
                            td { (r.code) @if r.kind == pamir_domain::message::RecipientKind::Country { " (NFP)" }
                                 @if r.escalated_at.is_some() { " " span.state.overdue { (l(lang, "escalated", "передано координатору")) } } }
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
                        button.ack type="submit" { (l(lang, "Acknowledge", "Подтвердить получение")) }
                    }
                }
                a href={ "/messages/new?reply=" (m.id) } { (l(lang, "Reply", "Ответить")) } " "
                a href={ "/messages/new?forward=" (m.id) } { (l(lang, "Forward", "Переслать")) }
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
    let mut views = match app.message_thread(&user.ctx, &id).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &user, &e),
    };
    // Opening a thread reads the message asked for (audited) and what else in it is new to the
    // viewer; each read answers with the message's new state.
    for v in views
        .iter_mut()
        .filter(|v| v.message.id == id || v.unread_by(&user.ctx))
    {
        match app.read_message(&user.ctx, &v.message.id).await {
            Ok(fresh) => *v = fresh,
            Err(e) if v.message.id == id => return error_page(&app, &user, &e),
            Err(_) => {}
        }
    }
    let mut files = std::collections::HashMap::new();
    for v in &views {
        files.insert(
            v.message.id.clone(),
            app.store
                .attachments_of(&v.message.id)
                .await
                .unwrap_or_default(),
        );
    }
    let now = app.clock.now_ms();
    let title = views
        .iter()
        .find(|v| v.message.id == id)
        .map(|v| v.message.subject.clone())
        .unwrap_or_default();
    let body = html! {
        p { a href="/messages" { "← " (l(lang, "Messages", "Сообщения")) } }
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
    match app.ack_message(&user.ctx, &id).await {
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
    let mut views = match app.list_messages(&user.ctx, &filter).await {
        Ok(v) => v,
        Err(e) => return error_page(app, user, &e),
    };
    views.reverse();
    let Some(ch) = app.channel(id) else {
        return error_page(app, user, &AppError::NotFound("no such channel".into()));
    };
    let now = app.clock.now_ms();
    let body = html! {
        h1 { (l(lang, "BLO channel ", "Канал ПОС ")) (ch.name) }
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
            input #channel-text type="text" name="body" required maxlength="4000" placeholder=(l(lang, "Message to the other side", "Сообщение другой стороне"));
            select name="priority" { @for pr in Priority::ALL { option value=(pr.as_str()) { (priority_label(lang, *pr)) } } }
            button #channel-send type="submit" { (l(lang, "Send", "Отправить")) }
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
    match app.send_message(&user.ctx, input).await {
        Ok(_) => Redirect::to(&format!("/channels/{id}")).into_response(),
        Err(e) => channel_page(&app, &user, &id, Some(&e)).await,
    }
}

/// `/channels`: the caller's BLO channels (a BLO officer's first screen).
pub async fn channels(State(app): State<Arc<App>>, user: WebUser) -> Response {
    let lang = user.lang;
    let channels = app.channels_of(&user.ctx);
    let body = html! {
        h1 { (l(lang, "BLO channels", "Каналы ПОС")) }
        @if channels.is_empty() { p.muted { (l(lang, "You are not a member of any channel.", "Вы не состоите ни в одном канале.")) } }
        ul { @for c in &channels { li { a href={ "/channels/" (c.id) } { (c.name) } " " span.muted { (c.agencies.join(" ⇄ ")) } } } }
        p { a href="/messages" { (l(lang, "All messages", "Все сообщения")) } }
    };
    render(
        &app,
        &user,
        l(lang, "BLO channels", "Каналы ПОС"),
        "/messages",
        body,
    )
}
