//! Messages, BLO channels and the live event stream (server-sent events).

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use pamir_app::{
    live::{LiveEvent, Subscription},
    messaging::{MessageFilter, MessageInput, MessageView},
    App, AppError, UserContext,
};
use pamir_domain::{
    handling::HandlingCode,
    message::{parse_priority, Priority},
    Classification, ValidationErrors,
};
use pamir_store::{Folder, RecipientState};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::types::ErrorBody;
use crate::{
    error::{field, only_fields, string_field, ApiQuery, ApiResult, JsonBody},
    extract::ApiUser,
};

#[derive(Serialize, ToSchema)]
pub struct RecipientOut {
    /// `agency`, `country` (its national focal points) or `channel` (its BLO officers).
    pub kind: String,
    pub code: String,
    pub delivered_at: Option<i64>,
    pub read_at: Option<i64>,
    pub read_by: Option<String>,
    pub acked_at: Option<i64>,
    pub acked_by: Option<String>,
    /// When the missing acknowledgement was escalated to the country's focal point.
    pub escalated_at: Option<i64>,
}

impl RecipientOut {
    fn of(r: &RecipientState) -> Self {
        RecipientOut {
            kind: r.kind.to_string(),
            code: r.code.clone(),
            delivered_at: r.delivered_at,
            read_at: r.read_at,
            read_by: r.read_by.clone(),
            acked_at: r.acked_at,
            acked_by: r.acked_by.clone(),
            escalated_at: r.escalated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MessageMetaOut {
    pub owner: String,
    pub classification: String,
    pub handling_codes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    pub id: String,
    pub thread: String,
    /// The message this one replies to or forwards.
    pub parent: Option<String>,
    /// `new`, `reply` or `forward`.
    pub relation: String,
    pub channel: Option<String>,
    pub sender: String,
    pub sender_agency: String,
    pub subject: String,
    pub body: String,
    /// `routine`, `urgent` or `immediate`.
    pub priority: String,
    pub meta: MessageMetaOut,
    pub links: Vec<String>,
    pub created_at: i64,
    /// When an acknowledgement is due (urgent and immediate messages).
    pub ack_due_at: Option<i64>,
    /// Some recipient's acknowledgement is past due.
    pub overdue: bool,
    /// How you stand to it: `sender`, `recipient` or `sender and recipient`.
    pub standing: String,
    /// Your side has not read it yet.
    pub unread: bool,
    /// Your side still has to acknowledge it.
    pub awaiting_your_ack: bool,
    pub recipients: Vec<RecipientOut>,
    /// Files attached (listed when a message or thread is opened).
    pub attachments: Vec<AttachmentOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

impl AttachmentOut {
    pub fn of(a: &pamir_store::Attachment) -> Self {
        AttachmentOut {
            id: a.id.clone(),
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
        }
    }
}

impl MessageOut {
    pub fn of(v: &MessageView, ctx: &UserContext, now: i64) -> Self {
        let m = &v.message;
        MessageOut {
            id: m.id.clone(),
            thread: m.thread_id.clone(),
            parent: m.parent_id.clone(),
            relation: m.relation.clone(),
            channel: m.channel.clone(),
            sender: m.sender.clone(),
            sender_agency: m.sender_agency.clone(),
            subject: m.subject.clone(),
            body: m.body.clone(),
            priority: m.priority.to_string(),
            meta: MessageMetaOut {
                owner: m.sender_agency.clone(),
                classification: m.classification.to_string(),
                handling_codes: m.handling_codes.iter().map(|c| c.to_string()).collect(),
            },
            links: m.links.clone(),
            created_at: m.created_at,
            ack_due_at: m.ack_due_at,
            overdue: v.overdue(now),
            standing: v.standing.to_string(),
            unread: v.unread_by(ctx),
            awaiting_your_ack: v.awaits_ack_from(ctx),
            recipients: m.recipients.iter().map(RecipientOut::of).collect(),
            attachments: Vec::new(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MessageList {
    pub messages: Vec<MessageOut>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_before: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedOut {
    pub id: String,
    pub thread: String,
}

#[derive(Serialize, ToSchema)]
pub struct UnreadOut {
    pub unread: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ChannelOut {
    pub id: String,
    pub name: String,
    pub agencies: Vec<String>,
}

fn strings(body: &Value, name: &str, errors: &mut ValidationErrors) -> Vec<String> {
    match field(body, name) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    errors.push(format!("{name}[{i}]"), "must be a string");
                    None
                }
            })
            .collect(),
        Some(_) => {
            errors.push(name, "must be a list of strings");
            Vec::new()
        }
    }
}

/// Reads the body of `POST /api/v1/messages`, naming every bad field.
pub fn message_input(body: &Value) -> Result<MessageInput, AppError> {
    only_fields(
        body,
        &[
            "to",
            "subject",
            "body",
            "priority",
            "meta",
            "links",
            "reply_to",
            "forward_of",
            "attachments",
        ],
    )?;
    let mut errors = ValidationErrors::default();
    let mut input = MessageInput::default();
    match field(body, "to") {
        None => {}
        Some(to @ Value::Object(obj)) => {
            for k in obj.keys() {
                if !["agencies", "countries", "channel", "operations"].contains(&k.as_str()) {
                    errors.push(
                        format!("to.{k}"),
                        "unknown field: use agencies, countries, channel or operations",
                    );
                }
            }
            let mut inner = ValidationErrors::default();
            input.agencies = strings(to, "agencies", &mut inner);
            input.countries = strings(to, "countries", &mut inner);
            input.operations = strings(to, "operations", &mut inner);
            for e in inner.0 {
                errors.push(format!("to.{}", e.field), e.reason);
            }
            match string_field(to, "channel") {
                Ok(c) => input.channel = c,
                Err(_) => errors.push("to.channel", "must be a string"),
            }
        }
        Some(_) => errors.push(
            "to",
            "must be an object {\"agencies\": [...], \"countries\": [...]}",
        ),
    }
    for (name, slot) in [("subject", &mut input.subject), ("body", &mut input.body)] {
        match string_field(body, name) {
            Ok(v) => *slot = v.unwrap_or_default(),
            Err(_) => errors.push(name, "must be a string"),
        }
    }
    match string_field(body, "priority") {
        Ok(Some(p)) => match parse_priority(&p) {
            Ok(p) => input.priority = p,
            Err(e) => errors.push("priority", e),
        },
        Ok(None) => input.priority = Priority::Routine,
        Err(_) => errors.push("priority", "must be a string"),
    }
    match field(body, "meta") {
        None => {}
        Some(meta @ Value::Object(obj)) => {
            for k in obj.keys() {
                if !["classification", "handling_codes"].contains(&k.as_str()) {
                    errors.push(
                        format!("meta.{k}"),
                        "unknown field: use classification or handling_codes",
                    );
                }
            }
            match string_field(meta, "classification") {
                Ok(Some(c)) => match c.parse::<Classification>() {
                    Ok(c) => input.classification = c,
                    Err(e) => errors.push("meta.classification", e),
                },
                Ok(None) => {}
                Err(_) => errors.push("meta.classification", "must be a string"),
            }
            let mut inner = ValidationErrors::default();
            for (i, code) in strings(meta, "handling_codes", &mut inner)
                .iter()
                .enumerate()
            {
                match code.parse::<HandlingCode>() {
                    Ok(c) => {
                        input.handling_codes.insert(c);
                    }
                    Err(e) => errors.push(format!("meta.handling_codes[{i}]"), e),
                }
            }
            for e in inner.0 {
                errors.push(format!("meta.{}", e.field), e.reason);
            }
        }
        Some(_) => errors.push(
            "meta",
            "must be an object {\"classification\", \"handling_codes\"}",
        ),
    }
    input.links = strings(body, "links", &mut errors);
    input.attachments = strings(body, "attachments", &mut errors);
    for (name, slot) in [
        ("reply_to", &mut input.reply_to),
        ("forward_of", &mut input.forward_of),
    ] {
        match string_field(body, name) {
            Ok(v) => *slot = v,
            Err(_) => errors.push(name, "must be a string"),
        }
    }
    errors.into_result(input).map_err(AppError::Invalid)
}

/// Sends a message on behalf of your agency: `{"to": {"agencies": [...], "countries": [...],
/// "channel": "...", "operations": [...]}, "subject", "body", "priority": "routine|urgent|immediate", "meta":
/// {"classification", "handling_codes"}, "links": [record ids], "reply_to" | "forward_of",
/// "attachments": [upload ids]}`. A country is reached through its national focal points; an
/// operation (one your agency takes part in, up to its ceiling) by every party taking part.
/// Without `meta.classification` the message is RESTRICTED.
#[utoipa::path(post, path = "/api/v1/messages", tag = "messages", request_body = Object,
    responses((status = 201, body = CreatedOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn send(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    JsonBody(body): JsonBody,
) -> ApiResult<(StatusCode, Json<CreatedOut>)> {
    let input = message_input(&body)?;
    let m = app.messaging().send(&ctx, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedOut {
            id: m.id,
            thread: m.thread_id,
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `inbox` (default), `sent` or `all`.
    folder: Option<String>,
    /// Only this BLO channel's messages.
    channel: Option<String>,
    /// Full-text search over subject and body, in any script.
    q: Option<String>,
    priority: Option<String>,
    /// A sender's username or agency code.
    sender: Option<String>,
    /// Only messages linked to this record, case or operation id.
    link: Option<String>,
    /// From this date (YYYY-MM-DD, UTC) or unix milliseconds, inclusive.
    from: Option<String>,
    /// Until this date (YYYY-MM-DD, the whole day) or unix milliseconds, inclusive.
    to: Option<String>,
    /// Only messages your side has not read.
    unread: Option<bool>,
    before: Option<i64>,
    limit: Option<i64>,
}

/// Parses a date bound: `YYYY-MM-DD` (a day, from its start or to its end) or unix ms.
pub fn date_bound(name: &str, raw: &str, end_of_day: bool) -> Result<i64, AppError> {
    let raw = raw.trim();
    if let Ok(ms) = raw.parse::<i64>() {
        return Ok(ms);
    }
    let day = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::invalid(name, format!("{raw:?} is not a date: use YYYY-MM-DD")))?;
    let start = day
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(0);
    Ok(if end_of_day {
        start + 86_400_000 - 1
    } else {
        start
    })
}

impl ListParams {
    /// The `from` (or `to`) bound as typed, when it is a date: for the search form.
    pub fn date_text(&self, from: bool) -> Option<String> {
        let raw = if from {
            self.from.as_deref()
        } else {
            self.to.as_deref()
        }?;
        chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .ok()
            .map(|_| raw.trim().to_string())
    }

    pub fn filter(&self) -> Result<MessageFilter, AppError> {
        let folder = match self.folder.as_deref().map(str::trim) {
            None | Some("") | Some("inbox") => Folder::Inbox,
            Some("sent") => Folder::Sent,
            Some("all") => Folder::All,
            Some(other) => {
                return Err(AppError::invalid(
                    "folder",
                    format!("{other:?}: use inbox, sent or all"),
                ))
            }
        };
        let priority = match self.priority.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(parse_priority(p).map_err(|e| AppError::invalid("priority", e))?),
        };
        Ok(MessageFilter {
            folder,
            channel: self.channel.clone().filter(|c| !c.trim().is_empty()),
            text: self.q.clone().filter(|q| !q.trim().is_empty()),
            priority,
            sender: self.sender.clone(),
            link: self.link.clone(),
            from: self
                .from
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| date_bound("from", s, false))
                .transpose()?,
            to: self
                .to
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| date_bound("to", s, true))
                .transpose()?,
            unread_only: self.unread.unwrap_or(false),
            before: self.before,
            limit: self.limit.unwrap_or(50),
        })
    }
}

/// Your messages, newest first: the inbox (addressed to your agency, to your country if you are
/// its focal point, to your BLO channels), what your agency sent, or both; searchable.
#[utoipa::path(get, path = "/api/v1/messages", tag = "messages", params(ListParams),
    responses((status = 200, body = MessageList), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<Json<MessageList>> {
    let filter = params.filter()?;
    let views = app.messaging().list(&ctx, &filter).await?;
    let now = app.clock.now_ms();
    let next_before = (views.len() as i64 >= filter.limit.clamp(1, pamir_app::messaging::MAX_PAGE))
        .then(|| views.last().map(|v| v.message.mid))
        .flatten();
    Ok(Json(MessageList {
        messages: views.iter().map(|v| MessageOut::of(v, &ctx, now)).collect(),
        next_before,
    }))
}

/// How many messages addressed to your side nobody there has read.
#[utoipa::path(get, path = "/api/v1/messages/unread", tag = "messages",
    responses((status = 200, body = UnreadOut)), security(("bearer" = [])))]
pub async fn unread(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<UnreadOut>> {
    Ok(Json(UnreadOut {
        unread: app.messaging().unread_count(&ctx).await?,
    }))
}

/// Opens a message: marks it read for your side; audited.
#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, body = MessageOut), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn get(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageOut>> {
    let v = app.messaging().read(&ctx, &id).await?;
    let mut out = MessageOut::of(&v, &ctx, app.clock.now_ms());
    out.attachments = app
        .messaging()
        .attachments_of(&v)
        .await?
        .iter()
        .map(AttachmentOut::of)
        .collect();
    Ok(Json(out))
}

/// The thread a message belongs to, oldest first: the messages of it you may read.
#[utoipa::path(get, path = "/api/v1/messages/{id}/thread", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, body = MessageList), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn thread(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageList>> {
    let views = app.messaging().thread(&ctx, &id).await?;
    let now = app.clock.now_ms();
    let mut messages = Vec::with_capacity(views.len());
    for v in &views {
        let mut out = MessageOut::of(v, &ctx, now);
        out.attachments = app
            .messaging()
            .attachments_of(v)
            .await?
            .iter()
            .map(AttachmentOut::of)
            .collect();
        messages.push(out);
    }
    Ok(Json(MessageList {
        messages,
        next_before: None,
    }))
}

/// Acknowledges a message for your side (agency, country or channel side). Repeating it is
/// harmless; the sender sees it live.
#[utoipa::path(post, path = "/api/v1/messages/{id}/ack", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, body = MessageOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn ack(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageOut>> {
    let v = app.messaging().ack(&ctx, &id).await?;
    Ok(Json(MessageOut::of(&v, &ctx, app.clock.now_ms())))
}

/// The BLO channels you are a member of.
#[utoipa::path(get, path = "/api/v1/channels", tag = "messages",
    responses((status = 200, body = [ChannelOut])), security(("bearer" = [])))]
pub async fn channels(State(app): State<Arc<App>>, ApiUser(ctx): ApiUser) -> Json<Vec<ChannelOut>> {
    Json(
        app.messaging()
            .channels_of(&ctx)
            .into_iter()
            .map(|c| ChannelOut {
                id: c.id.clone(),
                name: c.name.clone(),
                agencies: c.agencies.clone(),
            })
            .collect(),
    )
}

/// How often a quiet stream sends a comment, so proxies keep it open and a dead client is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Your live events as server-sent events: `message` (data `{"id", "priority", "from",
/// "channel"}`), `receipt` (`{"id", "recipient", "state", "by"}`), `escalation`, `hit`,
/// `disclosure` and `alert`. Each has an `id`; reconnect with `Last-Event-ID` (header or
/// `last_event_id` parameter) to receive everything after it. An id this server never sent is
/// refused with 400.
#[utoipa::path(get, path = "/api/v1/events", tag = "messages",
    params(("Last-Event-ID" = Option<String>, Header), ("last_event_id" = Option<String>, Query)),
    responses((status = 200, content_type = "text/event-stream", description = "the event stream"),
              (status = 400, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn events(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<EventParams>,
) -> ApiResult<Response> {
    let last = headers
        .get("last-event-id")
        .map(|v| {
            v.to_str()
                .map(str::to_string)
                .unwrap_or_else(|_| "\u{fffd}".into())
        })
        .or(params.last_event_id);
    let session = ctx.session.as_ref().map(|s| s.id.clone());
    let sub = app.subscribe(ctx, last.as_deref()).await?;
    let state = StreamState {
        app: app.clone(),
        sub,
        session,
        pending: None,
        first: true,
    };
    let stream = futures_util::stream::unfold(state, next_chunk);
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/event-stream"),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    Ok(resp)
}

#[derive(Deserialize, Default)]
pub struct EventParams {
    last_event_id: Option<String>,
}

struct StreamState {
    app: Arc<App>,
    sub: Subscription,
    session: Option<String>,
    /// The event written last: it counts as delivered once the next chunk is asked for.
    pending: Option<LiveEvent>,
    first: bool,
}

async fn next_chunk(mut s: StreamState) -> Option<(Result<String, std::io::Error>, StreamState)> {
    if let Some(e) = s.pending.take() {
        s.sub.sent(&e);
    }
    if s.first {
        s.first = false;
        // Tell EventSource to retry soon after a drop, and open the stream at once.
        return Some((
            Ok(format!(
                "retry: 2000\n: connected at event {}\n\n",
                s.sub.last_id()
            )),
            s,
        ));
    }
    let next = tokio::select! {
        e = s.sub.next() => Some(e),
        _ = tokio::time::sleep(KEEP_ALIVE) => None,
    };
    match next {
        Some(Ok(e)) => {
            let chunk = format!("id: {}\nevent: {}\ndata: {}\n\n", e.id, e.event, e.data);
            s.pending = Some(e);
            Some((Ok(chunk), s))
        }
        Some(Err(err)) => {
            tracing::warn!("live stream ended: {err}");
            None
        }
        None => {
            // A session ended meanwhile (logout, revocation, expiry) ends its stream.
            if let Some(id) = &s.session {
                if !matches!(s.app.identity().session_is_live(id).await, Ok(true)) {
                    return None;
                }
            }
            Some((Ok(": keep-alive\n\n".to_string()), s))
        }
    }
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name, as it should be offered for download.
    filename: Option<String>,
}

/// Uploads an attachment: the raw file as the body, its type as `Content-Type` (PDF, JPEG, PNG or
/// UTF-8 text; the first bytes must match), `?filename=`. It is encrypted as it streams in and
/// answered with an id to name in a message's `attachments`. Larger than `attachments.max_bytes`:
/// 413.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "messages", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentOut), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn upload(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<UploadParams>,
    body: Body,
) -> ApiResult<(StatusCode, Json<AttachmentOut>)> {
    use futures_util::StreamExt;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let filename = params.filename.unwrap_or_default();
    let mut upload = app
        .attachments()
        .begin_upload(&ctx, &filename, content_type)
        .await?;
    let mut stream = body.into_data_stream();
    while let Some(piece) = stream.next().await {
        let piece =
            piece.map_err(|e| AppError::BadRequest(format!("the upload broke off: {e}")))?;
        upload.write(&piece).await?;
    }
    let a = upload.finish(&app).await?;
    Ok((StatusCode::CREATED, Json(AttachmentOut::of(&a))))
}

/// Downloads an attachment of a message you may read (or your own upload not sent yet), decrypted
/// as it streams out; audited.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "messages", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the file"), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn download(
    State(app): State<Arc<App>>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let d = app.attachments().open_attachment(&ctx, &id).await?;
    let content_type = d.attachment.content_type.clone();
    let disposition = format!(
        "attachment; filename=\"{}\"",
        d.attachment
            .filename
            // Quotes and backslashes would end or escape the quoted name: the rest of a name
            // chosen by the uploader could then set another (`filename*=…run.exe`).
            .replace(
                |c: char| (!c.is_ascii_graphic() && c != ' ') || c == '"' || c == '\\',
                "_"
            )
    );
    let size = d.attachment.size;
    let stream = futures_util::stream::unfold(d, |mut d| async move {
        match d.next().await {
            Ok(Some(bytes)) => Some((Ok::<_, std::io::Error>(bytes), d)),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), d)),
        }
    });
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    if let Ok(v) = header::HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = header::HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, header::HeaderValue::from(size));
    Ok(resp)
}
