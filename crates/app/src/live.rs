//! Live events for users: new messages, receipts, escalations, match hits and disclosure
//! decisions, fed from the outbox so that nothing committed is lost and a restart loses nothing.
//!
//! One follower reads the outbox (woken at once by writes in this process, and every 250 ms for
//! writes by others) and routes each event only to the subscriptions of the agencies (and, for
//! national focal points, the countries) it concerns, through a bounded channel per
//! subscription. A subscriber whose channel is full is not given more memory: it is marked
//! behind and re-reads what it missed from the outbox. The outbox sequence number is each
//! event's id, so a client that reconnects with its last id misses nothing.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use pamir_domain::{
    event::Event,
    message::{self, Addressing, Receipt},
    operation, Role,
};
use pamir_domain::{AgencyCode, Username};
use pamir_store::{OutboxEvent, WriteTx, LIVE_KINDS};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

use crate::{context::UserContext, App, AppError, AppResult};

/// Events queued per subscription; beyond this it re-reads the outbox.
const BUFFER: usize = 1_024;
/// Outbox events read per query, by the follower and by a catching-up subscriber.
const PAGE: i64 = 500;
/// Live events kept in memory for subscribers catching up (after a reconnect, a slow spell or
/// a restart), so that a thousand reconnecting clients do not each re-read the outbox.
const RECENT: usize = 20_000;
/// How often the follower looks for events written by other processes.
pub(crate) const POLL: Duration = Duration::from_millis(250);

/// An outbox event, typed once for every subscription it goes to.
#[derive(Debug)]
pub struct LiveItem {
    pub event: OutboxEvent,
    /// `None` for a kind the live push does not carry: it concerns nobody.
    pub typed: Option<Event>,
}

impl LiveItem {
    fn of(event: OutboxEvent) -> LiveItem {
        let typed = Event::read(&event.kind, &event.payload);
        LiveItem { event, typed }
    }
}

struct Route {
    sender: mpsc::Sender<Arc<LiveItem>>,
    behind: Arc<AtomicBool>,
}

#[derive(Default)]
struct Routes {
    by_id: HashMap<u64, (Registered, Route)>,
    by_agency: HashMap<String, Vec<u64>>,
    by_country: HashMap<String, Vec<u64>>,
    by_focal_country: HashMap<String, Vec<u64>>,
}

/// Where a stream is filed: its user's agency, that agency's country, and the country it is
/// the focal point of, if any.
struct Registered {
    agency: String,
    country: String,
    focal_country: Option<String>,
}

/// The routing side.
pub struct Live {
    routes: Mutex<Routes>,
    next_id: AtomicU64,
    capacity: usize,
    wake: Notify,
    /// The last outbox sequence number routed.
    head: AtomicI64,
    recent: std::sync::RwLock<Recent>,
}

/// The latest live events: every one with a sequence number from `from` up to the head.
struct Recent {
    from: i64,
    items: std::collections::VecDeque<Arc<LiveItem>>,
}

impl Default for Live {
    fn default() -> Self {
        Live::with_capacity(BUFFER)
    }
}

impl Live {
    /// A hub that queues `capacity` events per subscription (tests use a small one).
    pub fn with_capacity(capacity: usize) -> Self {
        Live {
            routes: Mutex::new(Routes::default()),
            next_id: AtomicU64::new(1),
            capacity: capacity.max(1),
            wake: Notify::new(),
            head: AtomicI64::new(-1),
            recent: std::sync::RwLock::new(Recent {
                from: i64::MAX,
                items: Default::default(),
            }),
        }
    }

    /// Starts the in-memory window after `seq` (the follower's first position).
    fn start_recent(&self, seq: i64) {
        if let Ok(mut r) = self.recent.write() {
            r.from = seq + 1;
            r.items.clear();
        }
    }

    /// Events after `last`, at most `limit`, when the window holds everything after it.
    fn recent_after(&self, last: i64, limit: usize) -> Option<Vec<Arc<LiveItem>>> {
        let r = self.recent.read().ok()?;
        if last + 1 < r.from {
            return None;
        }
        let start = r.items.partition_point(|i| i.event.seq <= last);
        Some(r.items.iter().skip(start).take(limit).cloned().collect())
    }

    /// Tells the follower that something was committed.
    pub(crate) fn wake_signal(&self) -> &Notify {
        &self.wake
    }

    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn register(
        &self,
        agency: &AgencyCode,
        focal_country: Option<&str>,
    ) -> (u64, mpsc::Receiver<Arc<LiveItem>>, Arc<AtomicBool>) {
        let (sender, receiver) = mpsc::channel(self.capacity);
        let behind = Arc::new(AtomicBool::new(false));
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let at = Registered {
            agency: agency.to_string(),
            country: agency.country().to_string(),
            focal_country: focal_country.map(str::to_string),
        };
        if let Ok(mut r) = self.routes.lock() {
            r.by_agency.entry(at.agency.clone()).or_default().push(id);
            r.by_country.entry(at.country.clone()).or_default().push(id);
            if let Some(c) = &at.focal_country {
                r.by_focal_country.entry(c.clone()).or_default().push(id);
            }
            r.by_id.insert(
                id,
                (
                    at,
                    Route {
                        sender,
                        behind: behind.clone(),
                    },
                ),
            );
        }
        (id, receiver, behind)
    }

    fn unregister(&self, id: u64) {
        if let Ok(mut r) = self.routes.lock() {
            if let Some((at, _)) = r.by_id.remove(&id) {
                let drop_from = |map: &mut HashMap<String, Vec<u64>>, key: &str| {
                    if let Some(v) = map.get_mut(key) {
                        v.retain(|x| *x != id);
                        if v.is_empty() {
                            map.remove(key);
                        }
                    }
                };
                drop_from(&mut r.by_agency, &at.agency);
                drop_from(&mut r.by_country, &at.country);
                if let Some(c) = &at.focal_country {
                    drop_from(&mut r.by_focal_country, c);
                }
            }
        }
    }

    /// Hands an event to the subscriptions it may concern; a full queue marks its owner behind.
    fn route(&self, item: Arc<LiveItem>) {
        if let Ok(mut recent) = self.recent.write() {
            recent.items.push_back(item.clone());
            while recent.items.len() > RECENT {
                if let Some(old) = recent.items.pop_front() {
                    recent.from = old.event.seq + 1;
                }
            }
        }
        let Ok(r) = self.routes.lock() else { return };
        let Some(audience) = item.typed.as_ref().map(Event::audience) else {
            return;
        };
        let mut ids: Vec<u64> = if audience.everyone {
            r.by_id.keys().copied().collect()
        } else {
            audience
                .agencies
                .iter()
                .filter_map(|a| r.by_agency.get(a))
                .chain(
                    audience
                        .focal_countries
                        .iter()
                        .filter_map(|c| r.by_focal_country.get(c)),
                )
                .chain(
                    audience
                        .countries
                        .iter()
                        .filter_map(|c| r.by_country.get(c)),
                )
                .flatten()
                .copied()
                .collect()
        };
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if let Some((_, route)) = r.by_id.get(&id) {
                if route.sender.try_send(item.clone()).is_err() {
                    route.behind.store(true, Ordering::SeqCst);
                }
            }
        }
    }
}

/// Notes in the outbox that a user's rights changed (disabled, re-cleared, new roles, password
/// reset) or that one of their sessions ended (`session`): their open streams re-check their
/// standing at once, on every server, instead of at the next reconnect.
pub(crate) async fn account_changed(
    tx: &mut WriteTx,
    username: &Username,
    agency: &AgencyCode,
    session: Option<&str>,
) -> Result<i64, pamir_store::StoreError> {
    tx.emit(&Event::AccountChanged {
        username: username.to_string(),
        agency: agency.clone(),
        session: session.map(str::to_string),
    })
    .await
}

/// One event as a user receives it: `id` is the outbox sequence number.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    pub id: i64,
    /// `message`, `receipt`, `escalation`, `hit`, `disclosure`, `alert`, `operation`, `task` or `delivery`.
    pub event: &'static str,
    pub data: Value,
    /// For `message` events: the addressing, to note the delivery.
    pub(crate) delivered: Option<(String, Addressing)>,
}

impl App {
    /// Follows the outbox and broadcasts live events until the task is aborted (the "live
    /// events" worker).
    pub async fn follow_live(self: Arc<Self>) {
        self.run_worker("live events").await
    }

    pub(crate) async fn broadcast_new(&self) -> AppResult<()> {
        let live = &self.live;
        let mut head = live.head.load(Ordering::SeqCst);
        if head < 0 {
            // Start a little in the past, so that clients reconnecting after a restart catch up
            // from memory.
            head = (self.store.outbox_last_seq().await? - RECENT as i64).max(0);
            live.start_recent(head);
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
                live.route(Arc::new(LiveItem::of(e)));
                live.head.store(head, Ordering::SeqCst);
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// Whether every live event committed so far has been handed to the subscriptions (tests
    /// and health checks wait on this rather than on time).
    pub async fn live_caught_up(&self) -> AppResult<bool> {
        let head = self.live.head.load(Ordering::SeqCst);
        Ok(head >= 0
            && self
                .store
                .outbox_kinds_after(head, LIVE_KINDS, 1)
                .await?
                .is_empty())
    }

    /// Starts a user's stream after `last_id` (the client's `Last-Event-ID`), or from now.
    /// An id that is not a number, or is ahead of the outbox, is refused: it was not ours.
    pub async fn subscribe(
        self: &Arc<Self>,
        ctx: UserContext,
        last_id: Option<&str>,
    ) -> AppResult<Subscription> {
        let focal = ctx
            .has(Role::NationalFocalPoint)
            .then(|| ctx.subject.country.as_str().to_string());
        let (route, receiver, behind) = self.live.register(&ctx.user.agency, focal.as_deref());
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
            route,
            behind,
            receiver,
            backlog: Default::default(),
            catching_up: last < newest,
        })
    }

    /// What `ctx` may learn of an outbox event, if anything.
    pub fn live_view(&self, ctx: &UserContext, item: &LiveItem) -> Option<LiveEvent> {
        let event = |event: &'static str, data: Value| {
            Some(LiveEvent {
                id: item.event.seq,
                event,
                data,
                delivered: None,
            })
        };
        match item.typed.as_ref()? {
            Event::MessageCreated {
                id,
                priority,
                channel,
                addressing,
                ..
            } => {
                message::standing(&ctx.subject, addressing)?;
                let mut ev = event(
                    "message",
                    json!({"id": id, "priority": priority, "from": addressing.sender_agency,
                           "channel": channel}),
                )?;
                ev.delivered = Some((id.clone(), addressing.clone()));
                Some(ev)
            }
            Event::MessageReceipt {
                id,
                recipient,
                state,
                by,
                addressing,
                ..
            } => {
                let standing = message::standing(&ctx.subject, addressing)?;
                // Deliveries interest the sender; reads and acknowledgements both sides.
                if state == Receipt::Delivered.as_str() && !standing.sender {
                    return None;
                }
                event(
                    "receipt",
                    json!({"id": id, "recipient": recipient, "state": state, "by": by}),
                )
            }
            Event::MessageEscalated {
                id,
                recipient,
                country,
                addressing,
                ..
            } => {
                message::standing(&ctx.subject, addressing)?;
                event(
                    "escalation",
                    json!({"id": id, "recipient": recipient, "country": country}),
                )
            }
            Event::MatchFound { id, owners, .. } => {
                if !ctx.subject.reads_records() {
                    return None;
                }
                let ours = |owner: &AgencyCode| {
                    owner == &ctx.user.agency
                        || (ctx.has(Role::NationalFocalPoint)
                            && owner.country() == ctx.subject.country)
                };
                owners.iter().any(ours).then_some(())?;
                event("hit", json!({"id": id}))
            }
            Event::DisclosureRequested { id, owner, .. } => {
                (owner == &ctx.user.agency).then_some(())?;
                event("disclosure", json!({"id": id, "status": "pending"}))
            }
            Event::DisclosureDecided {
                id,
                requester,
                status,
                ..
            } => {
                (requester == &ctx.user.agency).then_some(())?;
                event("disclosure", json!({"id": id, "status": status}))
            }
            Event::AlertRaised { id } => {
                ctx.subject.reads_records().then_some(())?;
                event("alert", json!({"id": id}))
            }
            Event::DetectionReported {
                id,
                substance,
                country,
                first_in_country,
                first_in_region,
                scope,
            } => {
                pamir_domain::detection::may_read(&ctx.subject, scope).then_some(())?;
                event(
                    "detection",
                    json!({"id": id, "substance": substance, "country": country,
                           "first_in_country": first_in_country, "first_in_region": first_in_region}),
                )
            }
            Event::PreExportChanged {
                id,
                change,
                late,
                scope,
            } => {
                pamir_domain::pre_export::may_read(&ctx.subject, scope).then_some(())?;
                event(
                    "pre_export",
                    json!({"id": id, "change": change, "late": late,
                           "exporter": scope.exporter, "importer": scope.importer}),
                )
            }
            Event::PrecursorIncidentReported {
                id,
                country,
                substance,
                scope,
            } => {
                pamir_domain::precursor_incident::may_read(&ctx.subject, scope).then_some(())?;
                event(
                    "precursor_incident",
                    json!({"id": id, "country": country, "substance": substance}),
                )
            }
            Event::RiskCommunicationChanged {
                id,
                substance,
                change,
                version,
                scope,
            } => {
                pamir_domain::detection::may_read(&ctx.subject, scope).then_some(())?;
                event(
                    "risk",
                    json!({"id": id, "substance": substance, "change": change, "version": version}),
                )
            }
            Event::OperationChanged { id, change, scope } => {
                operation::standing(&ctx.subject, scope)?;
                event("operation", json!({"id": id, "change": change}))
            }
            Event::ParticipantChanged {
                id,
                party,
                state,
                scope,
            } => {
                operation::standing(&ctx.subject, scope)?;
                event(
                    "operation",
                    json!({"id": id, "party": party, "state": state}),
                )
            }
            Event::TaskChanged {
                id,
                operation,
                status,
                scope,
                ..
            } => {
                taking_part(ctx, scope)?;
                event(
                    "task",
                    json!({"id": id, "operation": operation, "status": status}),
                )
            }
            Event::TaskReminder {
                id,
                operation,
                assignee,
                scope,
            } => {
                taking_part(ctx, scope)?;
                (&ctx.user.agency == assignee).then_some(())?;
                event(
                    "task",
                    json!({"id": id, "operation": operation, "reminder": true}),
                )
            }
            Event::TaskOverdue {
                id,
                operation,
                assignee,
                scope,
            } => {
                let standing = operation::standing(&ctx.subject, scope)?;
                let concerned = standing == operation::Standing::Coordinator
                    || &ctx.user.agency == assignee
                    || (ctx.has(Role::NationalFocalPoint)
                        && ctx.subject.country == assignee.country());
                (standing.takes_part() && concerned).then_some(())?;
                event(
                    "task",
                    json!({"id": id, "operation": operation, "overdue": true}),
                )
            }
            Event::DeliveryChanged { id, status, scope } => {
                taking_part(ctx, scope)?;
                event("delivery", json!({"operation": id, "status": status}))
            }
            Event::AuthorisationChanged {
                id,
                country,
                consent,
                scope,
            } => {
                taking_part(ctx, scope)?;
                event(
                    "delivery",
                    json!({"operation": id, "country": country, "consent": consent}),
                )
            }
            Event::LegChanged {
                id,
                operation,
                seq,
                status,
                scope,
            } => {
                taking_part(ctx, scope)?;
                event(
                    "delivery",
                    json!({"id": id, "operation": operation, "seq": seq, "status": status}),
                )
            }
            Event::ResultReported {
                id,
                operation,
                agency,
                scope,
            } => {
                taking_part(ctx, scope)?;
                event(
                    "operation",
                    json!({"id": id, "operation": operation, "agency": agency}),
                )
            }
            Event::AccountChanged { .. }
            | Event::RecordCreated(_)
            | Event::RecordUpdated(_)
            | Event::RecordDeleted(_)
            | Event::LinkCreated { .. }
            | Event::LinkDeleted { .. } => None,
        }
    }
}

/// `Some` when `ctx` takes part in the operation of `scope` (an invited user only learns of the
/// operation itself, not of its work).
fn taking_part(ctx: &UserContext, scope: &operation::OperationScope) -> Option<()> {
    operation::standing(&ctx.subject, scope)?
        .takes_part()
        .then_some(())
}

/// A user's live stream. Memory is bounded: its queue, and at most one page of outbox events
/// while catching up.
pub struct Subscription {
    app: Arc<App>,
    ctx: UserContext,
    last: i64,
    route: u64,
    behind: Arc<AtomicBool>,
    receiver: mpsc::Receiver<Arc<LiveItem>>,
    backlog: std::collections::VecDeque<Arc<LiveItem>>,
    catching_up: bool,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.app.live.unregister(self.route);
    }
}

impl Subscription {
    /// The id of the last event considered (sent or filtered out).
    pub fn last_id(&self) -> i64 {
        self.last
    }

    /// What this user may be told of `item`, re-checking their rights first when the event
    /// says they changed. An error ends the stream.
    async fn view(&mut self, item: &LiveItem) -> AppResult<Option<LiveEvent>> {
        if let Some(Event::AccountChanged { username, .. }) = &item.typed {
            if username == self.ctx.username() {
                self.recheck().await?;
            }
            return Ok(None);
        }
        // What the user's agency takes part in changed: later messages and records addressed
        // to the operation follow the new answer (and this event is judged by it).
        let concerns_us = match &item.typed {
            Some(Event::ParticipantChanged { party, .. }) => {
                pamir_domain::operation::Party::parse(party)
                    .is_ok_and(|p| p.includes(&self.ctx.subject))
            }
            Some(Event::OperationChanged { scope, .. }) => {
                scope.coordinator.as_ref() == Some(&self.ctx.subject.agency)
            }
            _ => false,
        };
        if concerns_us {
            self.recheck().await?;
        }
        let Some(v) = self.app.live_view(&self.ctx, item) else {
            return Ok(None);
        };
        // A hit only for a match the user's hits inbox shows: the stream tells no more than the
        // pages.
        if let Some(Event::MatchFound { id, .. }) = &item.typed {
            if !self.app.matching().match_in_inbox(&self.ctx, id).await? {
                return Ok(None);
            }
        }
        Ok(Some(v))
    }

    /// Reloads the user (and session) behind the stream: a disabled user, a revoked or expired
    /// session ends it; new roles or clearance apply to the next event.
    async fn recheck(&mut self) -> AppResult<()> {
        let ended = || {
            AppError::Unauthenticated("the session has expired or was ended; log in again".into())
        };
        let user = self
            .app
            .store
            .get_user(self.ctx.username())
            .await?
            .filter(|u| !u.disabled)
            .ok_or_else(ended)?;
        if let Some(s) = &self.ctx.session {
            if !self.app.identity().session_is_live(&s.id).await? {
                return Err(ended());
            }
        }
        let subject = self.app.subject_of(&user).await?;
        self.ctx.user = user.into();
        self.ctx.subject = subject;
        Ok(())
    }

    /// The next event for this user; waits until there is one.
    pub async fn next(&mut self) -> AppResult<LiveEvent> {
        loop {
            if let Some(item) = self.backlog.pop_front() {
                self.last = item.event.seq;
                if let Some(v) = self.view(&item).await? {
                    return Ok(v);
                }
                continue;
            }
            if self.behind.swap(false, Ordering::SeqCst) {
                // The queue overflowed: drop it and read the gap from the outbox.
                while self.receiver.try_recv().is_ok() {}
                self.catching_up = true;
            }
            if self.catching_up {
                if let Some(items) = self.app.live.recent_after(self.last, PAGE as usize) {
                    if items.is_empty() {
                        self.catching_up = false;
                    } else {
                        self.backlog.extend(items);
                    }
                    continue;
                }
                let page = self
                    .app
                    .store
                    .outbox_kinds_after(self.last, LIVE_KINDS, PAGE)
                    .await?;
                if page.is_empty() {
                    self.catching_up = false;
                } else {
                    self.backlog
                        .extend(page.into_iter().map(|e| Arc::new(LiveItem::of(e))));
                }
                continue;
            }
            match self.receiver.recv().await {
                Some(item) if item.event.seq > self.last => {
                    self.last = item.event.seq;
                    if let Some(v) = self.view(&item).await? {
                        return Ok(v);
                    }
                }
                Some(_) => {}
                None => return Err(AppError::Internal("the live event feed stopped".into())),
            }
        }
    }

    /// Call after the event was written to the client: a message then counts as delivered.
    pub fn sent(&self, e: &LiveEvent) {
        if let Some((id, addressing)) = &e.delivered {
            self.app
                .messaging()
                .note_delivered(&self.ctx, id, addressing);
        }
    }
}
