//! Typed events with their origin: every event a node writes names the node and its place in the
//! node's sequence; the node's id is made once (or chosen) and cannot change under a database.

use pamir_app::{App, AppError, Clock};
use pamir_domain::event::{Event, RecordRef};
use serde_json::json;

use crate::support::{demo_config, TestApp};

on_every_engine!(every_event_names_its_node_and_place);

mod scenarios {
    use super::*;

    pub async fn every_event_names_its_node_and_place(t: &TestApp) {
        let node = t.app.node_id().await.unwrap().to_string();
        assert!(node.starts_with("node-") && node.len() > 8, "{node}");
        assert_eq!(
            t.app.node_id().await.unwrap(),
            node,
            "asked again, the same"
        );

        let kz = t.login("kz.officer").await;
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                json!({"id": "kz-mvd:evented", "schema": "Person", "properties": {"name": ["Событиев Тест"]},
                       "meta": {"classification": "RESTRICTED"}}),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.text());
        let events = t.app.events_after(0, 1_000).await.unwrap();
        let (seq, created) = events
            .iter()
            .find(|(_, e)| matches!(&e.event, Event::RecordCreated(r) if r.id == "kz-mvd:evented"))
            .expect("the record's event");
        assert_eq!(created.origin, node);
        assert_eq!(
            created.origin_seq, *seq,
            "this node's events are numbered by its own sequence"
        );
        assert_eq!(
            created.event,
            Event::RecordCreated(RecordRef {
                id: "kz-mvd:evented".into(),
                schema: "Person".into(),
                owner: pamir_domain::AgencyCode::parse("KZ-MVD").unwrap(),
                version: 1,
            })
        );
        let seqs: Vec<i64> = events.iter().map(|(s, _)| *s).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {seqs:?}");
        assert!(events.iter().all(|(_, e)| e.origin == node));

        // Another process over the same database: the same node; a configured other id is refused.
        let same = App::with_store(t.store().clone(), demo_config(), true, Clock::system());
        assert_eq!(same.node_id().await.unwrap(), node);
        let mut config = demo_config();
        config.node.id = "kz-almaty".into();
        let other = App::with_store(t.store().clone(), config, true, Clock::system());
        match other.node_id().await {
            Err(AppError::Conflict(m)) => {
                assert!(m.contains("kz-almaty") && m.contains(&node), "{m}")
            }
            x => panic!("a second node id was accepted: {x:?}"),
        }
    }
}

/// A database first opened with a configured id keeps it.
#[tokio::test]
async fn a_configured_node_id_is_given_on_first_use() {
    for db in pamir_store::testing::TestDb::all().await {
        let mut config = demo_config();
        config.node.id = "caricc".into();
        let app = App::with_store(db.store.clone(), config, true, Clock::system());
        assert_eq!(app.node_id().await.unwrap(), "caricc");
        let again = App::with_store(db.store.clone(), demo_config(), true, Clock::system());
        assert_eq!(again.node_id().await.unwrap(), "caricc", "{}", db.label);
        db.cleanup().await;
    }
}
