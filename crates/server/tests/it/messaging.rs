//! Messages and the live event stream through the router, on every engine: the contract, who
//! may read and address what, delivery states, escalation, forwarding under NO_ONWARD, BLO
//! channels, search, resuming a stream and bad input.

use std::time::Duration;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use futures_util::StreamExt;
use pamir_app::{live::Live, App, Clock};
use pamir_store::testing::TestDb;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::{demo_config, TestApp, PATIENCE};

on_every_engine!(
    contract_message_event_ack_and_resume,
    recipients_are_checked_and_limits_enforced,
    countries_reach_focal_points_and_search_filters,
    forwarding_obeys_no_onward_and_replies_keep_the_thread,
    blo_channels_belong_to_their_members,
);

/// An open event stream, read frame by frame.
pub struct Events {
    stream: axum::body::BodyDataStream,
    buf: String,
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub event: String,
    pub data: Value,
}

impl Events {
    pub async fn open(
        t: &TestApp,
        token: &str,
        last_id: Option<&str>,
    ) -> Result<Events, (StatusCode, String)> {
        let mut req = Request::builder()
            .uri("/api/v1/events")
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        let resp = t
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        if resp.status() != StatusCode::OK {
            let status = resp.status();
            let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
                .await
                .unwrap();
            return Err((status, String::from_utf8_lossy(&body).into_owned()));
        }
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
        Ok(Events {
            stream: resp.into_body().into_data_stream(),
            buf: String::new(),
        })
    }

    /// The next event (skipping comments), or None after `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(e) = self.buffered() {
                return Some(e);
            }
            let chunk = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??
                .ok()?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next whole event already received (skipping comments).
    fn buffered(&mut self) -> Option<Event> {
        while let Some(end) = self.buf.find("\n\n") {
            let frame: String = self.buf.drain(..end + 2).collect();
            let (mut id, mut event, mut data) = (None, None, None);
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = v.parse().ok();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    event = Some(v.to_string());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).ok();
                }
            }
            if let (Some(id), Some(event), Some(data)) = (id, event, data) {
                return Some(Event { id, event, data });
            }
        }
        None
    }

    /// Reads until the server ends the stream, returning the events it still carried; `None`
    /// if it was still open after `wait`.
    pub async fn until_end(&mut self, wait: Duration) -> Option<Vec<Event>> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut events = Vec::new();
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return None,
                Ok(None) | Ok(Some(Err(_))) => break,
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
            }
        }
        while let Some(e) = self.buffered() {
            events.push(e);
        }
        Some(events)
    }

    pub async fn expect(&mut self, kind: &str) -> Event {
        loop {
            let e = self
                .next_within(PATIENCE)
                .await
                .unwrap_or_else(|| panic!("no {kind} event within {PATIENCE:?}"));
            if e.event == kind {
                return e;
            }
        }
    }
}

fn follow(t: &TestApp) {
    tokio::spawn(t.app.clone().follow_live());
}

async fn send(t: &TestApp, token: &str, body: Value) -> String {
    let r = t.post("/api/v1/messages", token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

fn field_errors(r: &crate::support::Reply) -> Vec<String> {
    r.json()["error"]["details"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

mod scenarios {
    use super::*;

    pub async fn contract_message_event_ack_and_resume(t: &TestApp) {
        follow(t);
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let uz = t.login("uz.officer").await;
        let mut kz_events = Events::open(t, &kz, None).await.unwrap();
        let mut tj_events = Events::open(t, &tj, None).await.unwrap();

        let id = send(
            t,
            &kz,
            json!({"to": {"agencies": ["TJ-AKN"], "countries": []}, "subject": "Курьер через Кордай",
                   "body": "Просим проверить Хасанова Д.Р. по вашим учётам.", "priority": "urgent",
                   "meta": {"classification": "CONFIDENTIAL", "handling_codes": ["LE_ONLY"]}}),
        )
        .await;
        let e = tj_events.expect("message").await;
        assert_eq!(e.data["id"], id);
        assert_eq!(e.data["priority"], "urgent");
        // The event carries no content: the client fetches what it may read.
        assert!(e.data.get("subject").is_none() && e.data.get("body").is_none());

        // Delivered (the event reached tj.officer's client: it asks for more), seen live by the sender.
        assert!(tj_events
            .next_within(Duration::from_millis(100))
            .await
            .is_none());
        t.app.messaging().flush_deliveries().await.unwrap();
        let r = kz_events.expect("receipt").await;
        assert_eq!(
            (r.data["id"].as_str(), r.data["state"].as_str()),
            (Some(id.as_str()), Some("delivered"))
        );

        let inbox = t.get("/api/v1/messages", &tj).await.json();
        assert_eq!(inbox["messages"][0]["id"], id);
        assert_eq!(inbox["messages"][0]["unread"], true);
        assert_eq!(inbox["messages"][0]["awaiting_your_ack"], true);
        assert_eq!(
            t.get("/api/v1/messages/unread", &tj).await.json()["unread"],
            1
        );
        let m = t.get(&format!("/api/v1/messages/{id}"), &tj).await;
        assert_eq!(m.status, StatusCode::OK);
        assert_eq!(
            m.json()["body"],
            "Просим проверить Хасанова Д.Р. по вашим учётам."
        );
        assert_eq!(m.json()["meta"]["handling_codes"], json!(["LE_ONLY"]));
        assert_eq!(
            t.get("/api/v1/messages/unread", &tj).await.json()["unread"],
            0
        );
        assert_eq!(kz_events.expect("receipt").await.data["state"], "read");

        let ack = t
            .post(&format!("/api/v1/messages/{id}/ack"), &tj, json!({}))
            .await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.text());
        let r = kz_events.expect("receipt").await;
        assert_eq!(
            (r.data["state"].as_str(), r.data["by"].as_str()),
            (Some("acknowledged"), Some("tj.officer"))
        );
        // Acknowledging again is harmless; the sender may not acknowledge.
        assert_eq!(
            t.post(&format!("/api/v1/messages/{id}/ack"), &tj, json!({}))
                .await
                .status,
            StatusCode::OK
        );
        let own = t
            .post(&format!("/api/v1/messages/{id}/ack"), &kz, json!({}))
            .await;
        assert_eq!(own.status, StatusCode::FORBIDDEN);
        let sent = t.get("/api/v1/messages?folder=sent", &kz).await.json();
        let rcpt = &sent["messages"][0]["recipients"][0];
        assert_eq!(
            (rcpt["code"].as_str(), rcpt["acked_by"].as_str()),
            (Some("TJ-AKN"), Some("tj.officer"))
        );
        assert!(rcpt["delivered_at"].is_i64() && rcpt["read_at"].is_i64());

        // Someone not addressed learns nothing, not even that it exists.
        assert_eq!(
            t.get(&format!("/api/v1/messages/{id}"), &uz).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.post(&format!("/api/v1/messages/{id}/ack"), &uz, json!({}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert!(
            t.get("/api/v1/messages?folder=all", &uz).await.json()["messages"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // A client that reconnects with the id before the message gets it, and what followed, again.
        let mut resumed = Events::open(t, &tj, Some(&(e.id - 1).to_string()))
            .await
            .unwrap();
        let again = resumed.expect("message").await;
        assert_eq!(
            (again.id, again.data["id"].as_str()),
            (e.id, Some(id.as_str()))
        );
        let next = resumed.next_within(PATIENCE).await.unwrap();
        assert!(next.id > e.id && next.event == "receipt", "{next:?}");
        // Reconnecting with the latest id gets nothing twice.
        let mut latest = Events::open(t, &tj, Some(&e.id.to_string())).await.unwrap();
        let first = latest.next_within(PATIENCE).await.unwrap();
        assert!(first.id > e.id);

        // Reading and acknowledging are audited.
        let audit = t
            .get(
                "/api/v1/audit?action=message.ack",
                &t.login("auditor").await,
            )
            .await
            .json();
        assert!(audit.to_string().contains(&id), "{audit}");
    }

    pub async fn recipients_are_checked_and_limits_enforced(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"agencies": ["XX-NOPE", "TJ-AKN"]}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(field_errors(&r), vec!["to.agencies[0]"]);
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"agencies": ["KZ-MVD"]}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(field_errors(&r), vec!["to.agencies[0]"], "{}", r.text());
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(field_errors(&r), vec!["to"]);
        // A country without a national focal point has nobody to route it.
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"countries": ["AZ"]}, "subject": "s", "body": "b"}),
            )
            .await;
        assert!(r.text().contains("focal point"), "{}", r.text());
        let r = t
            .post("/api/v1/messages", &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "", "body": "", "priority": "asap",
                "meta": {"classification": "SECRET", "colour": "red"}, "bcc": []}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = field_errors(&r);
        assert!(fields.contains(&"bcc".to_string()), "{fields:?}");
        let r = t
            .post("/api/v1/messages", &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "", "body": "", "priority": "asap",
                "meta": {"classification": "SECRET", "colour": "red"}}))
            .await;
        let fields = field_errors(&r);
        for f in ["priority", "meta.colour"] {
            assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
        }
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "", "body": "",
                "meta": {"classification": "SECRET"}}),
            )
            .await;
        let fields = field_errors(&r);
        for f in ["subject", "body", "meta.classification"] {
            assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
        }
        // Nobody at UZ-IIV is cleared for SECRET, so nobody could read it.
        let focal = t.login("kz.focal").await;
        let r = t
            .post(
                "/api/v1/messages",
                &focal,
                json!({"to": {"agencies": ["UZ-IIV"]}, "subject": "s", "body": "b",
                "meta": {"classification": "SECRET"}}),
            )
            .await;
        assert!(
            r.text().contains("nobody at UZ-IIV is cleared for SECRET"),
            "{}",
            r.text()
        );
        // Body over the limit: 413 naming the limit.
        let big = "я".repeat(40_000);
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "s", "body": big}),
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
        assert!(r.text().contains("65536"), "{}", r.text());
        // Links must name existing records.
        let r = t
            .post("/api/v1/messages", &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "s", "body": "b", "links": ["no-such-record"]}))
            .await;
        assert_eq!(field_errors(&r), vec!["links[0]"], "{}", r.text());
        // Auditors do not message.
        let auditor = t.login("auditor").await;
        let r = t
            .post(
                "/api/v1/messages",
                &auditor,
                json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Event ids this server never sent are refused.
        for bad in ["abc", "-5", "99999999"] {
            let Err((status, body)) = Events::open(t, &kz, Some(bad)).await else {
                panic!("{bad} accepted")
            };
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
            assert!(body.contains("Last-Event-ID"), "{body}");
        }
        assert_eq!(
            t.get("/api/v1/events", "forged-token").await.status,
            StatusCode::UNAUTHORIZED
        );
    }

    pub async fn countries_reach_focal_points_and_search_filters(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let focal = t.login("tj.focal").await;
        let id = send(
            t,
            &kz,
            json!({"to": {"countries": ["TJ"]}, "subject": "Маршрут через Памир", "priority": "immediate",
                   "body": "Джамшид Хасанов выехал из Хорога 12 ноября."}),
        )
        .await;
        send(t, &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "Routine note", "body": "Nothing about anyone."})).await;
        // The focal point receives what is addressed to the country; an officer there does not.
        assert_eq!(
            t.get(&format!("/api/v1/messages/{id}"), &tj).await.status,
            StatusCode::NOT_FOUND
        );
        let inbox = t.get("/api/v1/messages", &focal).await.json();
        let ids: Vec<&str> = inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&id.as_str()), "{inbox}");
        // Search: Latin spelling of a Cyrillic name, priority, sender, dates.
        let found = |q: &str, token: &str| {
            let q = q.to_string();
            let token = token.to_string();
            async move {
                let r = t
                    .get(&format!("/api/v1/messages?folder=all&{q}"), &token)
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                r.json()["messages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(found("q=khasanov", &focal).await, vec![id.clone()]);
        assert_eq!(
            found("q=%D1%85%D0%BE%D1%80%D0%BE%D0%B3", &focal).await,
            vec![id.clone()]
        );
        assert_eq!(found("priority=immediate", &kz).await, vec![id.clone()]);
        assert_eq!(found("q=khasanov", &tj).await, Vec::<String>::new());
        assert_eq!(found("sender=kz.officer", &focal).await.len(), 2);
        assert_eq!(found("sender=UZ-IIV", &focal).await.len(), 0);
        assert_eq!(found("from=2000-01-01&to=2000-12-31", &kz).await.len(), 0);
        assert_eq!(found("from=2000-01-01", &kz).await.len(), 2);
        let r = t.get("/api/v1/messages?from=yesterday", &kz).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t.get("/api/v1/messages?folder=spam", &kz).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let audit = t
            .get(
                "/api/v1/audit?action=message.search",
                &t.login("auditor").await,
            )
            .await
            .json();
        assert!(audit.to_string().contains("khasanov"), "{audit}");
    }

    pub async fn forwarding_obeys_no_onward_and_replies_keep_the_thread(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let id = send(
            t,
            &kz,
            json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "Source report", "body": "Only for you.",
                   "meta": {"classification": "RESTRICTED", "handling_codes": ["NO_ONWARD"]}}),
        )
        .await;
        let r = t
            .post(
                "/api/v1/messages",
                &tj,
                json!({"forward_of": id, "to": {"agencies": ["UZ-IIV"]}, "body": "FYI"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(
            r.text().contains("NO_ONWARD") && r.text().contains("KZ-MVD"),
            "{}",
            r.text()
        );
        // The owner may send it on; so may anyone once it carries no such code.
        let fwd = send(t, &kz, json!({"forward_of": id, "to": {"agencies": ["UZ-IIV"]}, "body": "Sharing with Tashkent."})).await;
        let uz = t.login("uz.officer").await;
        let m = t.get(&format!("/api/v1/messages/{fwd}"), &uz).await.json();
        assert_eq!(m["subject"], "Fwd: Source report");
        assert!(m["body"].as_str().unwrap().contains("Only for you."));
        assert_eq!(m["meta"]["handling_codes"], json!(["NO_ONWARD"]));
        assert_eq!(m["relation"], "forward");
        // A reply goes back to the sender's agency, in the same thread.
        let reply = send(
            t,
            &tj,
            json!({"reply_to": id, "body": "Received, checking."}),
        )
        .await;
        let thread = t
            .get(&format!("/api/v1/messages/{reply}/thread"), &kz)
            .await
            .json();
        let subjects: Vec<&str> = thread["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["subject"].as_str().unwrap())
            .collect();
        assert_eq!(subjects, vec!["Source report", "Re: Source report"]);
        // The forward started its own thread, which tj.officer may not see.
        assert_eq!(
            t.get(&format!("/api/v1/messages/{fwd}/thread"), &tj)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }

    pub async fn blo_channels_belong_to_their_members(t: &TestApp) {
        let kz = t.login("kz.blo").await;
        let kg = t.login("kg.blo").await;
        let channels = t.get("/api/v1/channels", &kg).await.json();
        assert!(channels.to_string().contains("kz-kg-korday"), "{channels}");
        let id = send(t, &kz, json!({"to": {"channel": "kz-kg-korday"}, "subject": "Фура 01KZ123ABC", "body": "Идёт к вам, проверьте прицеп.", "priority": "immediate"})).await;
        let listing = t
            .get("/api/v1/messages?channel=kz-kg-korday", &kg)
            .await
            .json();
        assert_eq!(listing["messages"][0]["id"], id, "{listing}");
        assert_eq!(listing["messages"][0]["awaiting_your_ack"], true);
        assert_eq!(
            t.post(&format!("/api/v1/messages/{id}/ack"), &kg, json!({}))
                .await
                .status,
            StatusCode::OK
        );
        // Not a member: cannot read, list or post.
        let tj = t.login("tj.blo").await;
        assert_eq!(
            t.get(&format!("/api/v1/messages/{id}"), &tj).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get("/api/v1/messages?channel=kz-kg-korday", &tj)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = t
            .post(
                "/api/v1/messages",
                &tj,
                json!({"to": {"channel": "kz-kg-korday"}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let officer = t.login("kg.officer").await;
        assert_eq!(
            t.get(&format!("/api/v1/messages/{id}"), &officer)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"channel": "nowhere"}, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(field_errors(&r), vec!["to.channel"]);
    }
}

/// Urgent messages nobody acknowledges in time are escalated to the recipient country's focal
/// point, who then sees the message and is told live.
#[tokio::test]
async fn overdue_acknowledgements_escalate_to_the_focal_point() {
    for db in TestDb::all().await {
        let clock = Clock::fixed(1_790_000_000_000);
        let t = TestApp::with_clock(db, true, demo_config(), clock.clone()).await;
        follow(&t);
        let kz = t.login("kz.officer").await;
        let focal = t.login("tj.focal").await;
        let mut focal_events = Events::open(&t, &focal, None).await.unwrap();
        let id = send(&t, &kz, json!({"to": {"agencies": ["TJ-PV"]}, "subject": "Urgent", "body": "Please confirm.", "priority": "urgent"})).await;
        assert_eq!(
            t.get(&format!("/api/v1/messages/{id}"), &focal)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        clock.advance(59 * 60_000);
        assert_eq!(t.app.messaging().escalate_overdue().await.unwrap(), 0);
        clock.advance(2 * 60_000);
        assert_eq!(t.app.messaging().escalate_overdue().await.unwrap(), 1);
        assert_eq!(
            t.app.messaging().escalate_overdue().await.unwrap(),
            0,
            "escalated once"
        );
        let e = focal_events.expect("escalation").await;
        assert_eq!(
            (e.data["id"].as_str(), e.data["recipient"].as_str()),
            (Some(id.as_str()), Some("TJ-PV"))
        );
        // An hour passed: the web session idled out, log in again.
        let focal = t.login("tj.focal").await;
        let m = t
            .get(&format!("/api/v1/messages/{id}"), &focal)
            .await
            .json();
        assert_eq!(m["overdue"], true, "{m}");
        let pv = m["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "TJ-PV")
            .unwrap()
            .clone();
        assert!(pv["escalated_at"].is_i64(), "{m}");
        t.cleanup().await;
    }
}

/// A subscriber that does not read is not given memory: the shared buffer stays bounded, and
/// when it reads again it gets everything it missed from the outbox, in order, once.
#[tokio::test]
async fn a_stream_that_is_not_read_stays_bounded_and_loses_nothing() {
    for db in TestDb::all().await {
        let mut app = App::with_store(db.store.clone(), demo_config(), true, Clock::system());
        app.live = Live::with_capacity(8);
        let t = TestApp::with_app(db, app).await;
        follow(&t);
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let mut slow = Events::open(&t, &tj, None).await.unwrap();
        let mut sent = Vec::new();
        for i in 0..40 {
            sent.push(send(&t, &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": format!("n{i}"), "body": "x"})).await);
        }
        // Let the follower route all of them while the stream is not read, so its queue overflows.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !t.app.live_caught_up().await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the follower did not route the messages within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut got = Vec::new();
        let mut last = 0;
        while got.len() < sent.len() {
            let e = slow
                .next_within(PATIENCE)
                .await
                .expect("every message arrives");
            assert!(e.id > last, "in order, once");
            last = e.id;
            if e.event == "message" {
                got.push(e.data["id"].as_str().unwrap().to_string());
            }
        }
        assert_eq!(got, sent);
        t.cleanup().await;
    }
}

/// Attachments are encrypted at rest, checked for type and size as they stream in, readable only
/// by those who may read their message, and survive a master-key rotation.
#[tokio::test]
async fn attachments_are_encrypted_checked_and_survive_key_rotation() {
    for db in TestDb::all().await {
        let dir =
            std::env::temp_dir().join(format!("pamir-att-{}-{}", std::process::id(), db.label));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = demo_config();
        config.data_dir = dir.clone();
        config.attachments.max_bytes = 300_000;
        let store = db.store.clone();
        let t = TestApp::with_app(
            db,
            App::with_store(store.clone(), config.clone(), true, Clock::system()),
        )
        .await;
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let uz = t.login("uz.officer").await;
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend((0..200_000u32).map(|i| (i * 7 % 251) as u8));
        let up = t
            .raw(
                axum::http::Method::POST,
                "/api/v1/attachments?filename=report%20Korday.pdf",
                Some(&kz),
                "application/pdf",
                pdf.clone(),
            )
            .await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
        let aid = up.json()["id"].as_str().unwrap().to_string();
        assert_eq!(up.json()["size"], pdf.len());
        // At rest the file is ciphertext.
        let stored = std::fs::read(dir.join("attachments").join(&aid)).unwrap();
        assert!(stored.len() > pdf.len() && !stored.windows(5).any(|w| w == b"%PDF-"));

        let id = send(&t, &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "Report", "body": "See the file.", "attachments": [aid]})).await;
        let m = t.get(&format!("/api/v1/messages/{id}"), &tj).await.json();
        assert_eq!(m["attachments"][0]["filename"], "report Korday.pdf");
        let got = t.get(&format!("/api/v1/attachments/{aid}"), &tj).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(got.body == pdf, "the file comes back as it went in");
        assert_eq!(
            t.get(&format!("/api/v1/attachments/{aid}"), &uz)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // An attachment belongs to one message.
        let r = t.post("/api/v1/messages", &kz, json!({"to": {"agencies": ["UZ-IIV"]}, "subject": "again", "body": "b", "attachments": [aid]})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

        // Type and size are checked as the file streams in.
        let r = t
            .raw(
                axum::http::Method::POST,
                "/api/v1/attachments?filename=x.png",
                Some(&kz),
                "image/png",
                pdf.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = t
            .raw(
                axum::http::Method::POST,
                "/api/v1/attachments?filename=x.exe",
                Some(&kz),
                "application/x-msdownload",
                b"MZ\x90\0".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(400_000, b'x');
        let r = t
            .raw(
                axum::http::Method::POST,
                "/api/v1/attachments?filename=big.pdf",
                Some(&kz),
                "application/pdf",
                big,
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
        let leftovers: Vec<_> = std::fs::read_dir(dir.join("attachments"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "refused uploads leave nothing behind: {leftovers:?}"
        );

        // A byte changed on disk is detected, not served.
        let path = dir.join("attachments").join(&aid);
        let mut tampered = stored.clone();
        tampered[100] ^= 1;
        std::fs::write(&path, &tampered).unwrap();
        let tj_ctx = t.app.identity().context_for("tj.officer").await.unwrap();
        let mut d = t
            .app
            .attachments()
            .open_attachment(&tj_ctx, &aid)
            .await
            .unwrap();
        assert!(d.next().await.is_err());
        std::fs::write(&path, &stored).unwrap();

        // Rotation: re-wrap under a new key; the server configured with it reads the file.
        let new_key =
            pamir_app::attachments::MasterKey::from_file(&dir.join("new.key"), true).unwrap();
        assert_eq!(
            t.app
                .attachments()
                .rotate_master_key(&new_key)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            t.app
                .attachments()
                .rotate_master_key(&new_key)
                .await
                .unwrap(),
            0,
            "running it again changes nothing"
        );
        assert!(
            t.app
                .attachments()
                .open_attachment(&tj_ctx, &aid)
                .await
                .is_err(),
            "the old key no longer opens it"
        );
        let mut rotated = config.clone();
        rotated.attachments.master_key_file = dir.join("new.key");
        let after = App::with_store(store.clone(), rotated, true, Clock::system());
        let mut d = after
            .attachments()
            .open_attachment(&tj_ctx, &aid)
            .await
            .unwrap();
        let mut back = Vec::new();
        while let Some(piece) = d.next().await.unwrap() {
            back.extend(piece);
        }
        assert!(back == pdf);
        t.cleanup().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
