//! Messages between agencies: sending (new, reply, forward), reading, acknowledging, listing and
//! searching, delivery states and escalation of overdue acknowledgements.
//!
//! Who may read what is `pamir_domain::message::standing`; every path here goes through it, and
//! a message one may not read answers "not found" so that its existence is not revealed.

use pamir_domain::error::Reason;
use std::collections::{BTreeSet, HashSet};

use pamir_domain::{
    audit::{Action, AuditDraft},
    handling::HandlingCode,
    message::{self, Addressing, Priority, Receipt, RecipientKind, Standing},
    operation, text, AgencyCode, Classification, CountryCode, EntityId, Role, ValidationErrors,
};
use pamir_store::{Attachment, Folder, MessageQuery, MessageViewer, NewMessage, StoredMessage};
use serde_json::json;

use crate::{config::BloChannel, context::UserContext, App, AppError, AppResult};

/// Longest listing page.
pub const MAX_PAGE: i64 = 200;

/// What a sender writes. Strings are checked here, once, with field paths in the errors.
#[derive(Debug, Clone)]
pub struct MessageInput {
    pub agencies: Vec<String>,
    pub countries: Vec<String>,
    pub channel: Option<String>,
    /// Operation ids: every party taking part reads the message.
    pub operations: Vec<String>,
    pub subject: String,
    pub body: String,
    pub priority: Priority,
    pub classification: Classification,
    pub handling_codes: BTreeSet<HandlingCode>,
    pub links: Vec<String>,
    /// Reply to this message: same thread; addressed to its sender when `to` is empty.
    pub reply_to: Option<String>,
    /// Forward this message: its text is quoted, its classification and handling codes kept.
    pub forward_of: Option<String>,
    pub attachments: Vec<String>,
}

impl Default for MessageInput {
    /// An empty routine RESTRICTED message: the usual marking for law-enforcement exchange.
    fn default() -> Self {
        MessageInput {
            agencies: Vec::new(),
            countries: Vec::new(),
            channel: None,
            operations: Vec::new(),
            subject: String::new(),
            body: String::new(),
            priority: Priority::Routine,
            classification: Classification::Restricted,
            handling_codes: BTreeSet::new(),
            links: Vec::new(),
            reply_to: None,
            forward_of: None,
            attachments: Vec::new(),
        }
    }
}

/// A message as the caller may see it.
#[derive(Debug, Clone)]
pub struct MessageView {
    pub message: StoredMessage,
    pub standing: Standing,
}

impl MessageView {
    /// Whether the caller's side still has to acknowledge it.
    pub fn awaits_ack_from(&self, ctx: &UserContext) -> bool {
        self.message.priority.requires_ack()
            && message::recipient_keys(&ctx.subject, &self.message.addressing)
                .iter()
                .any(|(k, c)| {
                    self.message
                        .recipients
                        .iter()
                        .any(|r| r.kind == *k && &r.code == c && r.acked_at.is_none())
                })
    }

    /// Whether nobody on the caller's side has read it yet.
    pub fn unread_by(&self, ctx: &UserContext) -> bool {
        message::recipient_keys(&ctx.subject, &self.message.addressing)
            .iter()
            .any(|(k, c)| {
                self.message
                    .recipients
                    .iter()
                    .any(|r| r.kind == *k && &r.code == c && r.read_at.is_none())
            })
    }

    /// An acknowledgement the sender waits for and did not get in time.
    pub fn overdue(&self, now: i64) -> bool {
        self.message.ack_due_at.is_some_and(|due| due <= now)
            && self.message.recipients.iter().any(|r| r.acked_at.is_none())
    }
}

/// Filters of a listing or search.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub folder: Folder,
    pub channel: Option<String>,
    pub text: Option<String>,
    pub priority: Option<Priority>,
    pub sender: Option<String>,
    pub link: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub unread_only: bool,
    pub before: Option<i64>,
    pub limit: i64,
}

pub fn viewer(ctx: &UserContext) -> MessageViewer {
    MessageViewer {
        agency: ctx.agency().to_string(),
        country: ctx.subject.country.as_str().to_string(),
        focal_point: ctx.has(Role::NationalFocalPoint),
        blo_officer: ctx.has(Role::BloOfficer),
        clearance: ctx.subject.clearance,
        operations: ctx.subject.operations.iter().cloned().collect(),
    }
}

fn not_found() -> AppError {
    AppError::NotFound("no such message".into())
}

/// Messaging as a service, reached as `app.messaging()`: sending, reading, acknowledging and
/// listing messages, BLO channels, deliveries and escalation.
#[derive(Clone, Copy)]
pub struct Messaging<'a> {
    app: &'a App,
}

impl App {
    pub fn messaging(&self) -> Messaging<'_> {
        Messaging { app: self }
    }
}

impl<'a> Messaging<'a> {
    /// The BLO channels the caller is a member of.
    pub fn channels_of(&self, ctx: &UserContext) -> Vec<&'a BloChannel> {
        self.app
            .config
            .messaging
            .blo_channels
            .iter()
            .filter(|c| message::channel_member(&ctx.subject, &c.agencies))
            .collect()
    }

    pub fn channel(&self, id: &str) -> Option<&'a BloChannel> {
        self.app
            .config
            .messaging
            .blo_channels
            .iter()
            .find(|c| c.id == id)
    }

    fn check_messaging(&self, ctx: &UserContext) -> AppResult<()> {
        if message::messages_allowed(&ctx.subject) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "your roles do not include messaging".into(),
            ))
        }
    }

    /// A message the caller may read, or "not found".
    pub async fn visible(&self, ctx: &UserContext, id: &str) -> AppResult<MessageView> {
        self.check_messaging(ctx)?;
        let message = self
            .app
            .store
            .get_message(id)
            .await?
            .ok_or_else(not_found)?;
        let standing =
            message::standing(&ctx.subject, &message.addressing).ok_or_else(not_found)?;
        Ok(MessageView { message, standing })
    }

    /// Sends a message on behalf of the caller's agency.
    pub async fn send(&self, ctx: &UserContext, input: MessageInput) -> AppResult<StoredMessage> {
        self.check_messaging(ctx)?;
        let mut input = input;
        let mut errors = ValidationErrors::default();

        // Threads: a reply joins its parent's thread, a forward starts one and quotes the original.
        let parent = match (&input.reply_to, &input.forward_of) {
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "forward_of",
                    Reason::coded("message-reply-or-forward", &[]),
                ))
            }
            (Some(id), None) | (None, Some(id)) => {
                Some(self.visible(ctx, id).await.map_err(|e| match e {
                    AppError::NotFound(_) => {
                        AppError::NotFound(format!("no such message {id} to reply to or forward"))
                    }
                    e => e,
                })?)
            }
            (None, None) => None,
        };
        let forwarding = input.forward_of.is_some();
        if let (Some(p), false) = (&parent, forwarding) {
            if input.agencies.is_empty()
                && input.countries.is_empty()
                && input.channel.is_none()
                && input.operations.is_empty()
            {
                let m = &p.message;
                if let Some(ch) = &m.channel {
                    input.channel = Some(ch.clone());
                } else if !m.addressing.operations.is_empty() {
                    // A reply in an operation's conversation goes to the whole operation.
                    input.operations = m.addressing.operations.clone();
                } else if m.sender_agency == ctx.agency() {
                    input.agencies = m.addressing.agencies.clone();
                    input.countries = m.addressing.countries.clone();
                } else {
                    input.agencies = vec![m.sender_agency.clone()];
                }
            }
            if input.subject.trim().is_empty() {
                input.subject = reply_subject("Re: ", &p.message.subject);
            }
        }
        if let (Some(p), true) = (&parent, forwarding) {
            let m = &p.message;
            input.classification =
                message::forwarded_classification(input.classification, m.classification);
            input
                .handling_codes
                .extend(m.handling_codes.iter().copied());
            if input.subject.trim().is_empty() {
                input.subject = reply_subject("Fwd: ", &m.subject);
            }
            input.body = format!(
                "{}\n\n---- Forwarded message ----\nFrom: {} ({})\nDate: {}\nSubject: {}\n\n{}",
                input.body.trim_end(),
                m.sender,
                m.sender_agency,
                crate::format_time(m.created_at),
                m.subject,
                m.body
            );
            input.links.extend(m.links.iter().cloned());
        }

        let subject = input.subject.trim().to_string();
        if subject.is_empty() {
            errors.push("subject", Reason::coded("field-required", &[]));
        } else if subject.chars().count() > message::MAX_SUBJECT_CHARS {
            errors.push(
                "subject",
                Reason::coded(
                    "message-subject-too-long",
                    &[("limit", &message::MAX_SUBJECT_CHARS)],
                ),
            );
        } else if subject.chars().any(char::is_control) {
            errors.push("subject", Reason::coded("message-subject-one-line", &[]));
        }
        let max_body = self.app.config.messaging.max_body_bytes as usize;
        if input.body.len() > max_body {
            return Err(AppError::TooLarge(format!(
                "the message body is {} bytes; the limit is {max_body} bytes: send long texts as an attachment",
                input.body.len()
            )));
        }
        if input.body.trim().is_empty() && input.attachments.is_empty() {
            errors.push("body", Reason::coded("message-body-required", &[]));
        }
        if input.classification > ctx.subject.clearance {
            errors.push(
                "meta.classification",
                Reason::coded(
                    "message-above-clearance",
                    &[
                        ("classification", &input.classification),
                        ("clearance", &ctx.subject.clearance),
                    ],
                ),
            );
        }

        // Recipients.
        let mut agencies: Vec<AgencyCode> = Vec::new();
        // The users of each addressed agency: that it exists, and who could read the message.
        let mut users: Vec<pamir_store::User> = Vec::new();
        for (i, a) in input.agencies.iter().enumerate() {
            let field = format!("to.agencies[{i}]");
            match AgencyCode::parse(a.trim()) {
                Err(e) => errors.push(field, e),
                Ok(code) if code == ctx.user.agency => {
                    errors.push(field, Reason::coded("message-own-agency", &[]))
                }
                Ok(code) if agencies.contains(&code) => {}
                Ok(code) => {
                    let staff = self.app.store.agency_users(code.as_str()).await?;
                    if staff.is_empty() && self.app.store.get_agency(code.as_str()).await?.is_none()
                    {
                        errors.push(
                            field,
                            Reason::coded("agency-not-registered", &[("agency", &code)]),
                        );
                    } else {
                        users.extend(staff);
                        agencies.push(code);
                    }
                }
            }
        }
        let mut countries: Vec<CountryCode> = Vec::new();
        for (i, c) in input.countries.iter().enumerate() {
            let field = format!("to.countries[{i}]");
            match CountryCode::parse(c.trim()) {
                Err(e) => errors.push(field, e),
                Ok(code) if self.app.store.get_country(code.as_str()).await?.is_none() => errors
                    .push(
                        field,
                        Reason::coded("country-not-registered", &[("country", &code)]),
                    ),
                Ok(code) if !countries.contains(&code) => countries.push(code),
                Ok(_) => {}
            }
        }
        let channel = match &input.channel {
            None => None,
            Some(id) => match self.channel(id.trim()) {
                None => {
                    errors.push(
                        "to.channel",
                        Reason::coded("message-no-such-channel", &[("value", &format!("{id:?}"))]),
                    );
                    None
                }
                Some(ch) if !message::channel_member(&ctx.subject, &ch.agencies) => {
                    return Err(AppError::Forbidden(format!(
                        "only the Border Liaison Offices of channel {} post to it",
                        ch.id
                    )))
                }
                Some(ch) => Some(ch.clone()),
            },
        };
        // Operations: only a party taking part writes to one, up to its ceiling.
        let mut operations: Vec<String> = Vec::new();
        let mut operation_parties: BTreeSet<String> = BTreeSet::new();
        if !input.operations.is_empty() {
            let taggable = self
                .app
                .operations()
                .taggable(&ctx.user.agency, Some(&ctx.subject))
                .await?;
            for (i, o) in input.operations.iter().enumerate() {
                let field = format!("to.operations[{i}]");
                match operation::parse_id(o) {
                    Err(e) => errors.push(field, e),
                    Ok(id) if operations.contains(&id) => {}
                    Ok(id) => match taggable.check(&id, input.classification) {
                        Err(reason) => errors.push(field, reason),
                        Ok(()) => {
                            operation_parties.extend(taggable.parties(&id).iter().cloned());
                            operations.push(id);
                        }
                    },
                }
            }
        }
        if agencies.is_empty()
            && countries.is_empty()
            && channel.is_none()
            && operations.is_empty()
            && errors.is_empty()
        {
            errors.push("to", Reason::coded("message-no-recipient", &[]));
        }
        if agencies.len() + countries.len() + operations.len() > message::MAX_RECIPIENTS {
            errors.push(
                "to",
                Reason::coded(
                    "message-too-many-recipients",
                    &[("limit", &message::MAX_RECIPIENTS)],
                ),
            );
        }
        if input.links.len() > message::MAX_LINKS {
            errors.push(
                "links",
                Reason::coded("message-too-many-links", &[("limit", &message::MAX_LINKS)]),
            );
        }
        let mut links: Vec<String> = Vec::new();
        for (i, l) in input.links.iter().enumerate() {
            match EntityId::parse(l.trim()) {
                Ok(id) if !links.contains(&id.to_string()) => links.push(id.to_string()),
                Ok(_) => {}
                Err(e) => errors.push(format!("links[{i}]"), e),
            }
        }
        if errors.is_empty() && !links.is_empty() {
            let found = self.app.store.get_records(&links).await?;
            for (i, l) in links.iter().enumerate() {
                // A record the sender may not know of answers as one that does not exist.
                let known = found.iter().any(|r| {
                    r.entity.id.as_str() == l
                        && pamir_domain::access::decide(&ctx.subject, &r.meta)
                            != pamir_domain::access::Access::None
                });
                if !known {
                    errors.push(
                        format!("links[{i}]"),
                        Reason::coded("message-link-no-record", &[("value", &format!("{l:?}"))]),
                    );
                }
            }
        }
        // Somebody on each side must be able to read it: a country needs a focal point, and each
        // recipient someone cleared for the classification.
        if errors.is_empty() {
            self.check_reachable(
                users,
                &agencies,
                &countries,
                channel.as_ref(),
                input.classification,
                &mut errors,
            )
            .await?;
        }
        errors.into_result(()).map_err(AppError::Invalid)?;

        let addressing = Addressing {
            sender_agency: ctx.agency().to_string(),
            classification: input.classification.level(),
            agencies: agencies.iter().map(|a| a.to_string()).collect(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            channel_agencies: channel
                .as_ref()
                .map(|c| c.agencies.clone())
                .unwrap_or_default(),
            operations: operations.clone(),
            operation_parties: operation_parties.into_iter().collect(),
            origin: None,
        };
        // Onward-restricted content keeps its first owner's scope through every reply and
        // forward, to any depth and whatever the recipients (agencies, countries, channels).
        let mut addressing = addressing;
        if let Some(p) = &parent {
            let m = &p.message;
            if m.handling_codes.iter().any(|c| c.restricts_onward()) {
                let scope = m.addressing.origin_scope();
                if let Err(denied) = message::can_forward(
                    &ctx.subject,
                    &scope,
                    &m.handling_codes,
                    &message::Recipients {
                        agencies: &agencies,
                        countries: &countries,
                        channel_agencies: &addressing.channel_agencies,
                        operations: &operations,
                    },
                ) {
                    let target = m.id.clone();
                    return Err(self
                        .app
                        .refused(
                            ctx,
                            if forwarding {
                                "message.forward"
                            } else {
                                "message.reply"
                            },
                            &target,
                            AppError::Forbidden(denied.to_string()),
                        )
                        .await);
                }
                input.handling_codes.extend(
                    m.handling_codes
                        .iter()
                        .copied()
                        .filter(|c| c.restricts_onward()),
                );
                // The owner sending it on consents: the new scope is theirs.
                if scope.owner != ctx.agency() {
                    addressing.origin = Some(scope);
                }
            }
        }
        let mut recipients: Vec<(RecipientKind, String)> = Vec::new();
        recipients.extend(
            agencies
                .iter()
                .map(|a| (RecipientKind::Agency, a.to_string())),
        );
        recipients.extend(
            countries
                .iter()
                .map(|c| (RecipientKind::Country, c.to_string())),
        );
        if let Some(ch) = &channel {
            recipients.extend(
                ch.agencies
                    .iter()
                    .filter(|a| a.as_str() != ctx.agency())
                    .map(|a| (RecipientKind::Channel, a.clone())),
            );
        }
        recipients.extend(
            operations
                .iter()
                .map(|o| (RecipientKind::Operation, o.clone())),
        );
        let now = self.app.clock.now_ms();
        let ack_minutes = match input.priority {
            Priority::Routine => None,
            Priority::Urgent => Some(self.app.config.messaging.ack_minutes_urgent),
            Priority::Immediate => Some(self.app.config.messaging.ack_minutes_immediate),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let thread_id = match (&parent, forwarding) {
            (Some(p), false) => p.message.thread_id.clone(),
            _ => id.clone(),
        };
        let new = NewMessage {
            thread_id,
            parent_id: parent.as_ref().map(|p| p.message.id.clone()),
            relation: match (&parent, forwarding) {
                (None, _) => "new",
                (Some(_), false) => "reply",
                (Some(_), true) => "forward",
            }
            .into(),
            channel: channel.as_ref().map(|c| c.id.clone()),
            sender: ctx.username().to_string(),
            sender_agency: ctx.agency().to_string(),
            search_text: text::tokens(&format!("{subject}\n{}", input.body)).join(" "),
            subject,
            body: input.body,
            priority: input.priority,
            classification: input.classification,
            handling_codes: input.handling_codes,
            links,
            addressing,
            created_at: now,
            ack_due_at: ack_minutes.map(|m| now + i64::from(m) * 60_000),
            recipients,
            attachments: input.attachments,
            id,
        };
        let draft = ctx.draft(Action::MessageSend, &new.id).details(json!({
            "relation": new.relation, "parent": new.parent_id, "priority": new.priority.as_str(),
            "classification": new.classification.as_str(), "to": new.recipients.iter().map(|(k, c)| format!("{k}:{c}")).collect::<Vec<_>>(),
            "attachments": new.attachments.len(),
        }));
        let (new, mid) = self.commit_message(new, draft).await?;
        self.app.live.wake();
        Ok(StoredMessage {
            mid,
            id: new.id,
            thread_id: new.thread_id,
            parent_id: new.parent_id,
            relation: new.relation,
            channel: new.channel,
            sender: new.sender,
            sender_agency: new.sender_agency,
            subject: new.subject,
            body: new.body,
            priority: new.priority,
            classification: new.classification,
            handling_codes: new.handling_codes,
            links: new.links,
            addressing: new.addressing,
            created_at: new.created_at,
            ack_due_at: new.ack_due_at,
            recipients: Vec::new(),
        })
    }

    /// Commits a message with its audit entry. Messages sent at the same moment are committed
    /// together (group commit): whoever takes the commit lock writes everything queued, so a
    /// burst costs one transaction (and on PostgreSQL one flush) instead of one each.
    async fn commit_message(
        &self,
        new: NewMessage,
        draft: AuditDraft,
    ) -> AppResult<(NewMessage, i64)> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.app
            .outgoing
            .queue
            .lock()
            .map_err(|_| AppError::Internal("message queue poisoned".into()))?
            .push(Pending {
                message: new,
                draft,
                done,
            });
        let mut result = result;
        // Either a leader commits this message, or this caller becomes the leader.
        let leader = tokio::select! {
            done = &mut result => {
                return done.map_err(|_| AppError::Internal("the message was not committed".into()))?;
            }
            guard = self.app.outgoing.lock.lock() => guard,
        };
        let batch: Vec<Pending> = match self.app.outgoing.queue.lock() {
            Ok(mut q) => q.drain(..).collect(),
            Err(_) => Vec::new(),
        };
        if !batch.is_empty() {
            self.commit_batch(batch).await;
        }
        drop(leader);
        result
            .await
            .map_err(|_| AppError::Internal("the message was not committed".into()))?
    }

    async fn commit_batch(&self, batch: Vec<Pending>) {
        let rows: Vec<(NewMessage, AuditDraft)> = batch
            .iter()
            .map(|p| (p.message.clone(), p.draft.clone()))
            .collect();
        let together = async {
            let mut tx = self.app.store.begin().await?;
            let mids = tx.insert_messages(&rows).await?;
            let created: Vec<_> = rows
                .iter()
                .map(|(m, _)| crate::events::message_created(m))
                .collect();
            tx.emit_all(&created).await?;
            tx.commit().await?;
            Ok::<_, pamir_store::StoreError>(mids)
        };
        match together.await {
            Ok(mids) => {
                self.app.live.wake();
                for (p, mid) in batch.into_iter().zip(mids) {
                    let _ = p.done.send(Ok((p.message, mid)));
                }
            }
            // One bad message must not fail the others: commit each on its own.
            Err(_) if batch.len() > 1 => {
                for (p, row) in batch.into_iter().zip(rows) {
                    let one = async {
                        let mut tx = self.app.store.begin().await?;
                        let mid = tx.insert_messages(std::slice::from_ref(&row)).await?;
                        tx.emit(&crate::events::message_created(&row.0)).await?;
                        tx.commit().await?;
                        Ok::<_, pamir_store::StoreError>(mid.first().copied().unwrap_or_default())
                    };
                    let result = one.await.map_err(send_error);
                    if result.is_ok() {
                        self.app.live.wake();
                    }
                    let _ = p.done.send(result.map(|mid| (p.message, mid)));
                }
            }
            Err(e) => {
                if let Some(p) = batch.into_iter().next() {
                    let _ = p.done.send(Err(send_error(e)));
                }
            }
        }
    }

    async fn check_reachable(
        &self,
        mut users: Vec<pamir_store::User>,
        agencies: &[AgencyCode],
        countries: &[CountryCode],
        channel: Option<&BloChannel>,
        classification: Classification,
        errors: &mut ValidationErrors,
    ) -> AppResult<()> {
        for c in countries {
            users.extend(self.app.store.list_users(Some(c.as_str())).await?);
        }
        let readable = |u: &&pamir_store::User| {
            !u.disabled
                && u.clearance >= classification
                && !u.roles.iter().all(|r| *r == Role::Auditor)
        };
        for (i, a) in agencies.iter().enumerate() {
            if !users.iter().filter(readable).any(|u| &u.agency == a) {
                errors.push(
                    format!("to.agencies[{i}]"),
                    Reason::coded(
                        "message-nobody-cleared",
                        &[("agency", &a), ("classification", &classification)],
                    ),
                );
            }
        }
        for (i, c) in countries.iter().enumerate() {
            let focal: Vec<_> = users
                .iter()
                .filter(|u| u.agency.country() == *c && u.roles.contains(&Role::NationalFocalPoint))
                .collect();
            if focal.is_empty() {
                errors.push(
                    format!("to.countries[{i}]"),
                    Reason::coded("message-no-focal-point", &[("country", &c)]),
                );
            } else if !focal.iter().any(readable) {
                errors.push(
                    format!("to.countries[{i}]"),
                    Reason::coded(
                        "message-focal-point-not-cleared",
                        &[("country", &c), ("classification", &classification)],
                    ),
                );
            }
        }
        if let Some(ch) = channel {
            if classification > Classification::Restricted {
                // Channels run on border posts' links and clearances: keep them at RESTRICTED.
                errors.push(
                    "meta.classification",
                    Reason::coded("message-channel-restricted", &[("channel", &ch.id)]),
                );
            }
        }
        Ok(())
    }

    /// Opens a message: marks it read for the caller's side and audits the read.
    pub async fn read(&self, ctx: &UserContext, id: &str) -> AppResult<MessageView> {
        let mut view = self.visible(ctx, id).await?;
        let mut tx = self.app.store.begin().await?;
        let changed = mark_own_side(&mut tx, ctx, &view, Receipt::Read).await?;
        tx.audit(
            &ctx.draft(Action::MessageRead, id)
                .details(json!({"as": view.standing.to_string()})),
        )
        .await?;
        tx.commit().await?;
        if changed {
            self.app.live.wake();
            view = self.visible(ctx, id).await?;
        }
        Ok(view)
    }

    /// The files attached to a message the caller reads (a view is had only through a read
    /// that checked the caller may see the message).
    pub async fn attachments_of(&self, view: &MessageView) -> AppResult<Vec<Attachment>> {
        Ok(self.app.store.attachments_of(&view.message.id).await?)
    }

    /// Acknowledges a message for the caller's side. Acknowledging again changes nothing.
    pub async fn ack(&self, ctx: &UserContext, id: &str) -> AppResult<MessageView> {
        let view = self.visible(ctx, id).await?;
        let keys = message::recipient_keys(&ctx.subject, &view.message.addressing);
        if keys.is_empty() {
            return Err(AppError::Forbidden(
                "only a recipient acknowledges a message; you are its sender".into(),
            ));
        }
        let mut tx = self.app.store.begin().await?;
        let changed = mark_own_side(&mut tx, ctx, &view, Receipt::Acknowledged).await?;
        if changed {
            tx.audit(&ctx.draft(Action::MessageAck, id)).await?;
        }
        tx.commit().await?;
        if changed {
            self.app.live.wake();
        }
        self.visible(ctx, id).await
    }

    /// The messages of a thread the caller may read, oldest first.
    pub async fn thread(&self, ctx: &UserContext, id: &str) -> AppResult<Vec<MessageView>> {
        let first = self.visible(ctx, id).await?;
        let all = self.app.store.thread(&first.message.thread_id, 500).await?;
        let views: Vec<MessageView> = all
            .into_iter()
            .filter_map(|message| {
                message::standing(&ctx.subject, &message.addressing)
                    .map(|standing| MessageView { message, standing })
            })
            .collect();
        self.audit_content_reads(ctx, &views, "thread", id).await?;
        Ok(views)
    }

    /// Lists or searches the caller's messages, newest first. Searches are audited.
    pub async fn list(&self, ctx: &UserContext, f: &MessageFilter) -> AppResult<Vec<MessageView>> {
        self.check_messaging(ctx)?;
        if let Some(ch) = &f.channel {
            let member = self
                .channel(ch)
                .is_some_and(|c| message::channel_member(&ctx.subject, &c.agencies));
            if !member {
                return Err(AppError::NotFound(format!("no BLO channel {ch} of yours")));
            }
        }
        let terms = f.text.as_deref().map(text::query_terms).unwrap_or_default();
        let q = MessageQuery {
            viewer: viewer(ctx),
            folder: if f.channel.is_some() {
                Folder::All
            } else {
                f.folder
            },
            channel: f.channel.clone(),
            terms,
            priority: f.priority,
            sender: f.sender.clone().filter(|s| !s.trim().is_empty()),
            link: f.link.clone().filter(|s| !s.trim().is_empty()),
            from: f.from,
            to: f.to,
            unread_only: f.unread_only,
            before: f.before,
            limit: f.limit.clamp(1, MAX_PAGE),
        };
        let rows = self.app.store.list_messages(&q).await?;
        let searched = f.text.as_deref().is_some_and(|t| !t.trim().is_empty())
            || q.sender.is_some()
            || q.link.is_some()
            || f.priority.is_some()
            || f.from.is_some()
            || f.to.is_some();
        if searched {
            self.app.store
                .audit(&ctx.draft(Action::MessageSearch, f.text.clone().unwrap_or_else(|| "-".into())).details(json!({
                    "priority": f.priority.map(|p| p.as_str()), "sender": q.sender, "link": q.link,
                    "from": f.from, "to": f.to, "results": rows.len(),
                })))
                .await?;
        }
        let views: Vec<MessageView> = rows
            .into_iter()
            .filter_map(|message| {
                // The query states the rule in SQL; the domain function stays the judge.
                message::standing(&ctx.subject, &message.addressing)
                    .map(|standing| MessageView { message, standing })
            })
            .collect();
        self.audit_content_reads(ctx, &views, "list", "-").await?;
        Ok(views)
    }

    /// Listings and threads return bodies: every message above UNCLASSIFIED among them is
    /// named in one audit entry, as a read.
    async fn audit_content_reads(
        &self,
        ctx: &UserContext,
        views: &[MessageView],
        via: &str,
        target: &str,
    ) -> AppResult<()> {
        let ids: Vec<&str> = views
            .iter()
            .filter(|v| v.message.classification > Classification::Unclassified)
            .map(|v| v.message.id.as_str())
            .collect();
        if !ids.is_empty() {
            self.app
                .store
                .audit(
                    &ctx.draft(Action::MessageRead, target)
                        .details(json!({"via": via, "ids": ids})),
                )
                .await?;
        }
        Ok(())
    }

    /// Messages addressed to the caller's side that nobody there has read.
    pub async fn unread_count(&self, ctx: &UserContext) -> AppResult<i64> {
        if !message::messages_allowed(&ctx.subject) {
            return Ok(0);
        }
        Ok(self.app.store.unread_count(&viewer(ctx)).await?)
    }

    /// Records that the caller's client received a message (its live event was written to their
    /// stream); written in batches by [`App::flush_deliveries`].
    pub fn note_delivered(&self, ctx: &UserContext, message_id: &str, addressing: &Addressing) {
        let keys = message::recipient_keys(&ctx.subject, addressing);
        if keys.is_empty() {
            return;
        }
        if let Ok(mut pending) = self.app.deliveries.lock() {
            for (kind, code) in keys {
                pending.insert((message_id.to_string(), kind, code, addressing.clone()));
            }
        }
    }

    /// Writes the deliveries noted since the last call, in one transaction.
    pub async fn flush_deliveries(&self) -> AppResult<usize> {
        let batch: Vec<_> = match self.app.deliveries.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let items: Vec<(String, RecipientKind, String)> = batch
            .iter()
            .map(|(id, kind, code, _)| (id.clone(), *kind, code.clone()))
            .collect();
        let mut tx = self.app.store.begin().await?;
        let changed = tx.mark_delivered(&items).await?;
        let receipts: Vec<_> = changed
            .iter()
            .filter_map(|&i| batch.get(i))
            .map(|(id, kind, code, addressing)| {
                crate::events::message_receipt(id, *kind, code, Receipt::Delivered, "-", addressing)
            })
            .collect();
        tx.emit_all(&receipts).await?;
        tx.commit().await?;
        if !changed.is_empty() {
            self.app.live.wake();
        }
        Ok(changed.len())
    }

    /// Escalates acknowledgements overdue by now to the recipient country's focal points: they
    /// are added as recipients, see the message and are told live. Returns how many.
    pub async fn escalate_overdue(&self) -> AppResult<usize> {
        let now = self.app.clock.now_ms();
        let overdue = self.app.store.overdue(now, 500).await?;
        let mut done = 0;
        for o in overdue {
            let Some(m) = self.app.store.get_message(&o.message_id).await? else {
                continue;
            };
            let country = match o.kind {
                RecipientKind::Country => o.code.clone(),
                // An operation's silence goes to the focal points of its coordinator's country.
                RecipientKind::Operation => match self.app.store.get_operation(&o.code).await? {
                    Some(op) => match AgencyCode::parse(&op.coordinator_agency) {
                        Ok(a) => a.country().to_string(),
                        Err(_) => continue,
                    },
                    None => continue,
                },
                _ => match AgencyCode::parse(&o.code) {
                    Ok(a) => a.country().to_string(),
                    Err(_) => continue,
                },
            };
            let mut addressing = m.addressing.clone();
            if !addressing.countries.contains(&country) {
                addressing.countries.push(country.clone());
            }
            let mut tx = self.app.store.begin().await?;
            if tx
                .escalate(&o.message_id, o.kind, &o.code, &country, &addressing)
                .await?
            {
                tx.emit(&crate::events::message_escalated(
                    &o.message_id,
                    o.kind,
                    &o.code,
                    &country,
                    &addressing,
                ))
                .await?;
                tx.audit(
                    &pamir_domain::audit::AuditDraft::new("system:escalation", "-", Action::MessageEscalate, &o.message_id)
                        .details(json!({"recipient": o.code, "kind": o.kind.as_str(), "country": country, "due": o.ack_due_at})),
                )
                .await?;
                done += 1;
            }
            tx.commit().await?;
        }
        if done > 0 {
            self.app.live.wake();
        }
        Ok(done)
    }
}

/// Sets `state` on every recipient row the caller answers for; true when something changed.
async fn mark_own_side(
    tx: &mut pamir_store::WriteTx,
    ctx: &UserContext,
    view: &MessageView,
    state: Receipt,
) -> AppResult<bool> {
    let m = &view.message;
    let mut changed = false;
    for (kind, code) in message::recipient_keys(&ctx.subject, &m.addressing) {
        if tx
            .set_receipt(&m.id, kind, &code, state, ctx.username())
            .await?
        {
            tx.emit(&crate::events::message_receipt(
                &m.id,
                kind,
                &code,
                state,
                ctx.username(),
                &m.addressing,
            ))
            .await?;
            changed = true;
        }
    }
    Ok(changed)
}

fn send_error(e: pamir_store::StoreError) -> AppError {
    match e {
        pamir_store::StoreError::MissingReference(what) => AppError::invalid(
            "attachments",
            Reason::coded("message-attachment-not-yours", &[("attachment", &what)]),
        ),
        e => e.into(),
    }
}

/// A message waiting for the group commit, and who waits for it.
pub(crate) struct Pending {
    message: NewMessage,
    draft: AuditDraft,
    done: tokio::sync::oneshot::Sender<AppResult<(NewMessage, i64)>>,
}

/// Messages waiting to be committed, and the lock whose holder commits them.
#[derive(Default)]
pub(crate) struct Outgoing {
    queue: std::sync::Mutex<Vec<Pending>>,
    lock: tokio::sync::Mutex<()>,
}

fn reply_subject(prefix: &str, subject: &str) -> String {
    let s = subject.trim();
    let mut out = if s.starts_with(prefix.trim_end()) {
        s.to_string()
    } else {
        format!("{prefix}{s}")
    };
    if out.chars().count() > message::MAX_SUBJECT_CHARS {
        out = out.chars().take(message::MAX_SUBJECT_CHARS).collect();
    }
    out
}

/// Pending deliveries: (message id, recipient kind, recipient code, addressing).
pub(crate) type PendingDeliveries =
    std::sync::Mutex<HashSet<(String, RecipientKind, String, Addressing)>>;
