//! Live events for users: new messages, receipts, escalations, match hits and disclosure
//! decisions, fed from the outbox so that nothing committed is lost and a restart loses nothing.
//!
//! One follower reads the outbox (woken at once by writes in this process, and every 250 ms for
//! writes by others) and broadcasts each event to every subscription. A subscription filters
//! what its user may learn; a subscriber that falls behind the bounded broadcast buffer is not
//! given more memory: it re-reads what it missed from the outbox. The outbox sequence number is
//! each event's id, so a client that reconnects with its last id misses nothing.

use std::{
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

use pamir_domain::{
    message::{self, Addressing, Receipt},
    Role,
};
use pamir_store::{OutboxEvent, LIVE_KINDS};
use serde_json::{json, Value};
use tokio::sync::{broadcast, Notify};

use crate::{context::UserContext, App, AppError, AppResult};

/// Events kept for subscribers that read slowly; beyond this they re-read the outbox.
const BUFFER: usize = 4_096;
/// Outbox events read per query, by the follower and by a catching-up subscriber.
const PAGE: i64 = 500;
/// How often the follower looks for events written by other processes.
const POLL: Duration = Duration::from_millis(250);

/// The broadcast side.
pub struct Live {
    sender: broadcast::Sender<Arc<OutboxEvent>>,
    wake: Notify,
    /// The last outbox sequence number broadcast.
    head: AtomicI64,
}

impl Default for Live {
    fn default() -> Self {
        Live::with_capacity(BUFFER)
    }
}

impl Live {
    /// A hub that keeps `capacity` events for slow subscribers (tests use a small one).
    pub fn with_capacity(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Live {
            sender,
            wake: Notify::new(),
            head: AtomicI64::new(-1),
        }
    }
}

impl Live {
    /// Tells the follower that something was committed.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}

/// One event as a user receives it: `id` is the outbox sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    pub id: i64,
    /// `message`, `receipt`, `escalation`, `hit`, `disclosure` or `alert`.
    pub event: &'static str,
    pub data: Value,
    /// For `message` events: the addressing, to note the delivery.
    pub(crate) delivered: Option<(String, Addressing)>,
}

impl App {
    /// Follows the outbox and broadcasts live events until the process ends.
    pub async fn follow_live(self: Arc<Self>) {
        loop {
            if let Err(e) = self.broadcast_new().await {
                tracing::warn!("live events: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            let _ = tokio::time::timeout(POLL, self.live.wake.notified()).await;
        }
    }

    async fn broadcast_new(&self) -> AppResult<()> {
        let live = &self.live;
        let mut head = live.head.load(Ordering::SeqCst);
        if head < 0 {
            head = self.store.outbox_last_seq().await?;
            live.head.store(head, Ordering::SeqCst);
        }
        loop {
            let page = self
                .store
                .outbox_kinds_after(head, LIVE_KINDS, PAGE)
                .await?;
            let full = page.len() as i64 == PAGE;
            for e in page {
                head = e.seq;
                live.head.store(head, Ordering::SeqCst);
                // No subscriber is not an error: they will read the outbox when they come.
                let _ = live.sender.send(Arc::new(e));
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Starts a user's stream after `last_id` (the client's `Last-Event-ID`), or from now.
    /// An id that is not a number, or is ahead of the outbox, is refused: it was not ours.
    pub async fn subscribe(
        self: &Arc<Self>,
        ctx: UserContext,
        last_id: Option<&str>,
    ) -> AppResult<Subscription> {
        let receiver = self.live.sender.subscribe();
        let newest = self.store.outbox_last_seq().await?;
        let last = match last_id.map(str::trim) {
            None | Some("") => newest,
            Some(raw) => {
                let id: i64 = raw.parse().map_err(|_| {
                    AppError::BadRequest(format!(
                        "Last-Event-ID {raw:?} is not an event id: ids are whole numbers"
                    ))
                })?;
                if id < 0 || id > newest {
                    return Err(AppError::BadRequest(format!(
                        "Last-Event-ID {id} is not an event of this server (the newest is {newest}); reconnect without it"
                    )));
                }
                id
            }
        };
        Ok(Subscription {
            app: self.clone(),
            ctx,
            last,
            receiver,
            backlog: Default::default(),
            catching_up: last < newest,
        })
    }

    /// What `ctx` may learn of an outbox event, if anything.
    pub fn live_view(&self, ctx: &UserContext, e: &OutboxEvent) -> Option<LiveEvent> {
        let p = &e.payload;
        let text = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let addressing = || serde_json::from_value::<Addressing>(p.get("addressing")?.clone()).ok();
        let event = |event: &'static str, data: Value| {
            Some(LiveEvent {
                id: e.seq,
                event,
                data,
                delivered: None,
            })
        };
        match e.kind.as_str() {
            "message.created" => {
                let a = addressing()?;
                message::standing(&ctx.subject, &a)?;
                let mut ev = event(
                    "message",
                    json!({"id": text("id"), "priority": text("priority"), "from": a.sender_agency,
                           "channel": p.get("channel").cloned().unwrap_or(Value::Null)}),
                )?;
                ev.delivered = Some((text("id"), a));
                Some(ev)
            }
            "message.receipt" => {
                let a = addressing()?;
                let standing = message::standing(&ctx.subject, &a)?;
                // Deliveries interest the sender; reads and acknowledgements both sides.
                if text("state") == Receipt::Delivered.as_str() && !standing.sender {
                    return None;
                }
                event(
                    "receipt",
                    json!({"id": text("id"), "recipient": text("code"), "state": text("state"), "by": text("by")}),
                )
            }
            "message.escalated" => {
                let a = addressing()?;
                message::standing(&ctx.subject, &a)?;
                event(
                    "escalation",
                    json!({"id": text("id"), "recipient": text("code"), "country": text("country")}),
                )
            }
            "match.found" => {
                if !ctx.subject.reads_records() {
                    return None;
                }
                let ours = |owner: &str| {
                    owner == ctx.agency()
                        || (ctx.has(Role::NationalFocalPoint)
                            && owner.get(..2) == Some(ctx.subject.country.as_str()))
                };
                (ours(&text("a_owner")) || ours(&text("b_owner"))).then_some(())?;
                event("hit", json!({"id": text("id")}))
            }
            "disclosure.requested" => {
                (text("owner") == ctx.agency()).then_some(())?;
                event("disclosure", json!({"id": text("id"), "status": "pending"}))
            }
            "disclosure.decided" => {
                (text("requester") == ctx.agency()).then_some(())?;
                event(
                    "disclosure",
                    json!({"id": text("id"), "status": text("status")}),
                )
            }
            "alert.raised" => {
                ctx.subject.reads_records().then_some(())?;
                event("alert", json!({"id": text("id")}))
            }
            _ => None,
        }
    }
}

/// A user's live stream. Memory is bounded: the shared broadcast buffer, and at most one page
/// of outbox events while catching up.
pub struct Subscription {
    app: Arc<App>,
    ctx: UserContext,
    last: i64,
    receiver: broadcast::Receiver<Arc<OutboxEvent>>,
    backlog: std::collections::VecDeque<OutboxEvent>,
    catching_up: bool,
}

impl Subscription {
    /// The id of the last event considered (sent or filtered out).
    pub fn last_id(&self) -> i64 {
        self.last
    }

    /// The next event for this user; waits until there is one.
    pub async fn next(&mut self) -> AppResult<LiveEvent> {
        loop {
            if let Some(e) = self.backlog.pop_front() {
                self.last = e.seq;
                if let Some(v) = self.view(&e) {
                    return Ok(v);
                }
                continue;
            }
            if self.catching_up {
                let page = self
                    .app
                    .store
                    .outbox_kinds_after(self.last, LIVE_KINDS, PAGE)
                    .await?;
                if page.is_empty() {
                    self.catching_up = false;
                } else {
                    self.backlog.extend(page);
                }
                continue;
            }
            match self.receiver.recv().await {
                Ok(e) if e.seq > self.last => {
                    self.last = e.seq;
                    if let Some(v) = self.view(&e) {
                        return Ok(v);
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Too slow for the buffer: start again at its end and read the gap from the outbox.
                    self.receiver = self.receiver.resubscribe();
                    self.catching_up = true;
                }
                Err(broadcast::error::RecvError::Closed) => {
                    return Err(AppError::Internal("the live event feed stopped".into()))
                }
            }
        }
    }

    fn view(&self, e: &OutboxEvent) -> Option<LiveEvent> {
        self.app.live_view(&self.ctx, e)
    }

    /// Call after the event was written to the client: a message then counts as delivered.
    pub fn sent(&self, e: &LiveEvent) {
        if let Some((id, addressing)) = &e.delivered {
            self.app.note_delivered(&self.ctx, id, addressing);
        }
    }
}
