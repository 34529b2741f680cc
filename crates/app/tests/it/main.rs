//! The application's services without HTTP, on SQLite and (with `PAMIR_TEST_DATABASE_URL`)
//! PostgreSQL: a service's rules are tested where they live. Each test gets a database of its
//! own with the demo's reference data and users.

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use pamir_app::{
    admin::NewUser,
    demo,
    messaging::MessageInput,
    records::{parse_record_input, RecordAccess},
    App, AppError, Clock, Config, Principal,
};
use pamir_domain::{names::Names, AgencyCode, AgencyKind, Classification, Role};
use pamir_store::{testing::TestDb, Agency};
use serde_json::json;

/// The application on `db`, with the demo's reference data, and a scratch data directory.
async fn app_on(db: &TestDb) -> (Arc<App>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "pamir-app-test-{}-{}",
        std::process::id(),
        pamir_app::secrets::new_handle()
    ));
    let config = Config {
        data_dir: dir.clone(),
        ..Config::default()
    };
    let app = Arc::new(App::with_store(
        db.store.clone(),
        config,
        true,
        // Fixed at the present, so that a test can move it (deadlines, expiry).
        Clock::fixed(Clock::system().now_ms()),
    ));
    demo::seed_reference(&app).await.expect("reference data");
    (app, dir)
}

macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                for db in TestDb::all().await {
                    eprintln!("{} on {}", stringify!($name), db.label);
                    let (app, dir) = app_on(&db).await;
                    scenarios::$name(&app).await;
                    drop(app);
                    std::fs::remove_dir_all(&dir).ok();
                    db.cleanup().await;
                }
            }
        )*
    };
}

on_every_engine!(
    a_record_is_read_in_full_as_a_hit_or_not_at_all,
    a_message_reaches_its_addressees_and_only_a_recipient_acknowledges,
    names_are_checked_by_the_service_whoever_calls_it,
    each_change_writes_its_event_in_its_transaction,
    an_operation_is_seen_by_its_participants_only,
    tasks_are_worked_by_their_assignee_and_escalated_when_late,
    a_controlled_delivery_runs_leg_by_leg_among_its_participants,
    the_operation_report_adds_up_the_linked_seizures,
    records_tagged_to_an_operation_reach_its_parties_only,
    a_message_to_an_operation_reaches_whoever_takes_part,
    the_registry_holds_each_substance_once_and_is_kept_by_analysts,
    a_registry_import_writes_all_or_nothing,
    the_shipped_registry_loads_whole,
    a_first_detection_is_computed_and_alerted_to_its_readers_only,
    a_pre_export_notification_is_answered_by_the_importer_and_flagged_when_late,
    a_precursor_incident_reaches_the_countries_on_its_way_only,
    a_risk_communication_is_issued_updated_and_retracted,
    analysts_add_assessment_notes_to_detections_they_read,
);

mod scenarios {
    use super::*;

    fn person(name: &str, classification: &str, countries: &[&str]) -> serde_json::Value {
        json!({"schema": "Person",
            "properties": {"name": [name]},
            "meta": {"classification": classification, "dissemination": {"countries": countries}}})
    }

    /// The access policy as the records service applies it: the owner reads in full; a member
    /// country outside the dissemination list, and a member of the owner agency cleared too
    /// low, learn only that the record exists and who owns it (a hit).
    pub async fn a_record_is_read_in_full_as_a_hit_or_not_at_all(app: &App) {
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        let input = parse_record_input(
            &person("Хасанов Джамшид", "CONFIDENTIAL", &["KZ"]),
            app.clock.today(),
            "",
        )
        .unwrap();
        let stored = app.records().create(&kz, input).await.unwrap();
        let id = stored.entity.id.to_string();

        match app.records().get(&kz, &id).await.unwrap() {
            RecordAccess::Full { record, .. } => {
                assert_eq!(record.entity.first("name"), Some("Хасанов Джамшид"))
            }
            other => panic!("the owner reads in full: {other:?}"),
        }
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        match app.records().get(&tj, &id).await.unwrap() {
            RecordAccess::Hit { owner, .. } => assert_eq!(owner.as_str(), "KZ-MVD"),
            other => panic!("another member country gets a hit: {other:?}"),
        }
        // A member of the owner agency cleared only for RESTRICTED.
        app.admin()
            .add_user(
                Principal::System("test"),
                NewUser {
                    username: "kz.low".into(),
                    display_name: "Low clearance".into(),
                    agency: "KZ-MVD".into(),
                    roles: vec![Role::Officer],
                    clearance: Classification::Restricted,
                    password: "a long enough password".into(),
                    language: None,
                },
            )
            .await
            .unwrap();
        let low = app.identity().context_for("kz.low").await.unwrap();
        match app.records().get(&low, &id).await.unwrap() {
            RecordAccess::Hit { owner, .. } => assert_eq!(owner.as_str(), "KZ-MVD"),
            other => panic!("in scope but cleared too low is a hit, no content: {other:?}"),
        }
    }

    /// Messaging's rules: the addressed agency sees the message and acknowledges it once; the
    /// sender cannot acknowledge its own message; an agency not addressed does not see it.
    pub async fn a_message_reaches_its_addressees_and_only_a_recipient_acknowledges(app: &App) {
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        let sent = app
            .messaging()
            .send(
                &kz,
                MessageInput {
                    agencies: vec!["TJ-AKN".into()],
                    subject: "Курьер".into(),
                    body: "Проверьте по учётам.".into(),
                    ..MessageInput::default()
                },
            )
            .await
            .unwrap();
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        let seen = app.messaging().read(&tj, &sent.id).await.unwrap();
        assert_eq!(seen.message.subject, "Курьер");
        assert!(matches!(
            app.messaging().ack(&kz, &sent.id).await,
            Err(AppError::Forbidden(_))
        ));
        app.messaging().ack(&tj, &sent.id).await.unwrap();
        // Again changes nothing and is no error.
        app.messaging().ack(&tj, &sent.id).await.unwrap();
        let kg = app.identity().context_for("kg.officer").await.unwrap();
        assert!(matches!(
            app.messaging().read(&kg, &sent.id).await,
            Err(AppError::NotFound(_))
        ));
    }

    /// The application writes the event of each change beside it: a record created, changed
    /// and deleted, and a message with its acknowledgement, each appear in the outbox in order,
    /// stamped with this node.
    pub async fn each_change_writes_its_event_in_its_transaction(app: &App) {
        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        let parse = |name: &str| {
            parse_record_input(&person(name, "RESTRICTED", &["KZ"]), app.clock.today(), "").unwrap()
        };
        let stored = app.records().create(&kz, parse("Курбонов")).await.unwrap();
        let id = stored.entity.id.to_string();
        let changed = app
            .records()
            .update(&kz, &id, stored.version, parse("Курбонов Алишер"))
            .await
            .unwrap();
        app.records()
            .delete(&kz, &id, Some(changed.version))
            .await
            .unwrap();
        let sent = app
            .messaging()
            .send(
                &kz,
                MessageInput {
                    agencies: vec!["TJ-AKN".into()],
                    subject: "s".into(),
                    body: "b".into(),
                    ..MessageInput::default()
                },
            )
            .await
            .unwrap();
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        app.messaging().ack(&tj, &sent.id).await.unwrap();

        let node = app.node_id().await.unwrap().to_string();
        let events = app.events_after(start, 1000).await.unwrap();
        let kinds: Vec<(&str, String)> = events
            .iter()
            .map(|(_, e)| (e.event.kind(), e.event.subject().to_string()))
            .collect();
        let position = |kind: &str, subject: &str| {
            kinds
                .iter()
                .position(|(k, s)| *k == kind && s == subject)
                .unwrap_or_else(|| panic!("no {kind} for {subject} in {kinds:?}"))
        };
        let created = position("record.created", &id);
        let updated = position("record.updated", &id);
        let deleted = position("record.deleted", &id);
        assert!(created < updated && updated < deleted, "{kinds:?}");
        let message = position("message.created", &sent.id);
        let receipt = position("message.receipt", &sent.id);
        assert!(message < receipt, "{kinds:?}");
        assert!(
            events.iter().all(|(_, e)| e.origin == node),
            "stamped with this node"
        );
    }

    /// The administration service checks names itself, so a caller that builds them by hand
    /// (not through `Names::parse`) cannot store a nameless or unknown-language agency.
    pub async fn names_are_checked_by_the_service_whoever_calls_it(app: &App) {
        let system = Principal::System("test");
        let agency = |code: &str, names: Names| Agency {
            code: AgencyCode::parse(code).unwrap(),
            country: AgencyCode::parse(code).unwrap().country(),
            kind: AgencyKind::Customs,
            names,
        };
        let no_english = Names::from_stored([("ru".to_string(), "Таможня".to_string())].into());
        match app
            .admin()
            .add_agency(system, agency("KZ-TX1", no_english))
            .await
        {
            Err(AppError::Invalid(e)) => assert!(format!("{e:?}").contains("name_en"), "{e:?}"),
            other => panic!("an agency without an English name: {other:?}"),
        }
        let unknown = Names::from_stored(
            [
                ("en".to_string(), "Customs".to_string()),
                ("zz".to_string(), "?".to_string()),
            ]
            .into(),
        );
        match app
            .admin()
            .add_agency(system, agency("KZ-TX2", unknown))
            .await
        {
            Err(AppError::Invalid(e)) => assert!(format!("{e:?}").contains("name_zz"), "{e:?}"),
            other => panic!("a name in a language the catalogue lacks: {other:?}"),
        }
        let good = Names::parse([("en", "Customs"), ("ru", "Таможня")]).unwrap();
        app.admin()
            .add_agency(system, agency("KZ-TX3", good.clone()))
            .await
            .unwrap();
        let stored = app
            .list_agencies()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.code.as_str() == "KZ-TX3")
            .unwrap();
        assert_eq!(stored.names, good);
    }

    /// An operation is a closed workspace: its coordinator invites parties, an invited party
    /// sees its header only until it accepts, a whole country takes part through its focal
    /// point, and nobody else — another agency, an under-cleared user, a removed party — learns
    /// it exists. Every change writes its event.
    pub async fn an_operation_is_seen_by_its_participants_only(app: &App) {
        use pamir_domain::operation::{ParticipantState, Standing};
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let coordinator = ctx("coordinator").await;
        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        let ops = app.operations();
        let body = json!({"code_name": "Channel", "kind": "controlled_delivery", "lead_country": "TJ",
                          "starts": "2026-12-01", "ends": "2026-12-31", "classification": "CONFIDENTIAL",
                          "ceiling": "SECRET", "description": "Heroin by lorry, Dushanbe to Moscow"});
        // Only a coordinator opens an operation; a bad field is named.
        let officer = ctx("kz.officer").await;
        assert!(matches!(
            ops.open(&officer, &body).await,
            Err(AppError::Forbidden(_))
        ));
        match ops
            .open(
                &coordinator,
                &json!({"code_name": "X", "kind": "raid", "starts": "2026-12-01"}),
            )
            .await
        {
            Err(AppError::Invalid(e)) => assert_eq!(e.0[0].field, "kind"),
            other => panic!("a bad kind is named: {other:?}"),
        }
        let op = ops.open(&coordinator, &body).await.unwrap();
        assert_eq!(op.standing, Standing::Coordinator);
        let id = op.id.clone();

        for party in ["TJ-AKN", "KZ", "UZ"] {
            ops.invite(&coordinator, &id, party).await.unwrap();
        }
        for (party, key) in [
            ("FR", "operation-observer-country"),
            ("XC-CARICC", "operation-party-coordinator"),
            ("KZ-NOPE", "agency-not-registered"),
            ("TJ-AKN", "operation-party-already"),
            ("K", "operation-party-invalid"),
        ] {
            match ops.invite(&coordinator, &id, party).await {
                Err(AppError::Invalid(e)) => assert_eq!(e.0[0].reason.key(), Some(key), "{party}"),
                other => panic!("inviting {party} is refused: {other:?}"),
            }
        }

        // Invited: the header to decide on, nothing more.
        let tj = ctx("tj.officer").await;
        let seen = ops.get(&tj, &id).await.unwrap();
        assert_eq!(
            (seen.standing, seen.details.is_none()),
            (Standing::Invited, true)
        );
        // Outsiders, and those who may not answer an invitation, learn nothing.
        for name in [
            "kg.officer",
            "uz.officer",
            "kz.officer",
            "fr.observer",
            "auditor",
            "ru.analyst",
        ] {
            let c = ctx(name).await;
            assert!(
                matches!(ops.get(&c, &id).await, Err(AppError::NotFound(_))),
                "{name}"
            );
            assert!(ops.list(&c).await.unwrap().is_empty(), "{name}");
        }
        // Only a party's own answerer answers; a participant does not invite.
        let kg = ctx("kg.officer").await;
        assert!(ops.answer(&kg, &id, "TJ-AKN", true).await.is_err());
        let taking_part = ops.answer(&tj, &id, "TJ-AKN", true).await.unwrap().unwrap();
        assert_eq!(taking_part.standing, Standing::Member);
        let details = taking_part.details.unwrap();
        assert_eq!(details.description, "Heroin by lorry, Dushanbe to Moscow");
        assert!(details
            .participants
            .iter()
            .any(|p| p.party.code() == "TJ-AKN" && p.state == ParticipantState::Accepted));
        assert!(matches!(
            ops.invite(&tj, &id, "KG-SBNON").await,
            Err(AppError::Forbidden(_))
        ));
        assert!(
            ops.answer(&tj, &id, "TJ-AKN", true).await.is_err(),
            "answered once"
        );

        // A whole country through its focal point: every agency of it, each user still cleared.
        let kz_focal = ctx("kz.focal").await;
        assert!(
            ops.answer(&officer, &id, "KZ", true).await.is_err(),
            "not the focal point"
        );
        ops.answer(&kz_focal, &id, "KZ", true).await.unwrap();
        assert_eq!(
            ops.get(&officer, &id).await.unwrap().standing,
            Standing::Member
        );
        assert_eq!(ops.list(&officer).await.unwrap().len(), 1);
        let kz_blo = ctx("kz.blo").await; // RESTRICTED, below the workspace
        assert!(matches!(
            ops.get(&kz_blo, &id).await,
            Err(AppError::NotFound(_))
        ));

        // Removed: nothing of it again.
        ops.remove(&coordinator, &id, "TJ-AKN").await.unwrap();
        assert!(matches!(
            ops.get(&tj, &id).await,
            Err(AppError::NotFound(_))
        ));
        assert!(ops.list(&tj).await.unwrap().is_empty());
        // ... until invited again.
        ops.invite(&coordinator, &id, "TJ-AKN").await.unwrap();
        assert_eq!(ops.get(&tj, &id).await.unwrap().standing, Standing::Invited);

        let kinds: Vec<String> = app
            .events_after(start, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, e)| e.event.kind().to_string())
            .collect();
        assert_eq!(
            kinds,
            ["operation.changed"]
                .into_iter()
                .chain(["operation.participant"; 7])
                .map(String::from)
                .collect::<Vec<_>>()
        );
    }

    /// Tasks: a coordinator sets them for participating agencies only; the assignee works on
    /// them, nobody else does; statuses move in order and a stale version is a conflict; a late
    /// task is escalated once, as an event for the coordinator and the assignee's side.
    pub async fn tasks_are_worked_by_their_assignee_and_escalated_when_late(app: &App) {
        use pamir_domain::task::TaskStatus;
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let coordinator = ctx("coordinator").await;
        let tj = ctx("tj.officer").await;
        let kz = ctx("kz.officer").await;
        let ops = app.operations();
        let op = ops
            .open(
                &coordinator,
                &json!({"code_name": "Silk Thread", "kind": "controlled_delivery", "starts": "2026-01-01"}),
            )
            .await
            .unwrap();
        let id = op.id.clone();
        ops.invite(&coordinator, &id, "TJ-AKN").await.unwrap();
        ops.invite(&coordinator, &id, "KZ-MVD").await.unwrap();
        ops.answer(&tj, &id, "TJ-AKN", true).await.unwrap();

        let today = app.clock.today().to_string();
        let task = |assignee: &str| json!({"title": "Fit the tracker", "assignee": assignee, "due": today});
        // Only to a participating agency; only by a coordinator; nothing for the invited.
        match ops.add_task(&coordinator, &id, &task("KZ-MVD")).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.0[0].reason.key(), Some("task-not-participant"))
            }
            other => panic!("an invited agency is given no task: {other:?}"),
        }
        assert!(matches!(
            ops.add_task(&tj, &id, &task("TJ-AKN")).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            ops.tasks(&kz, &id).await,
            Err(AppError::Forbidden(_))
        ));
        let kg = ctx("kg.officer").await;
        assert!(matches!(
            ops.tasks(&kg, &id).await,
            Err(AppError::NotFound(_))
        ));
        let t = ops
            .add_task(&coordinator, &id, &task("TJ-AKN"))
            .await
            .unwrap();
        assert_eq!((t.status, t.overdue), (TaskStatus::Open, false));
        // A second task, with a reminder the day after tomorrow and its due date later.
        let later = |days: u64| (app.clock.today() + chrono::Days::new(days)).to_string();
        ops.add_task(
            &coordinator,
            &id,
            &json!({"title": "Photograph the markers", "assignee": "TJ-AKN",
                    "due": later(5), "remind": later(2)}),
        )
        .await
        .unwrap();
        assert_eq!(ops.remind_due_tasks().await.unwrap(), 0, "not yet");

        // The assignee works on it; a coordinator's own agency may not mark it done for them
        // unless coordinating; nobody cancels but the coordinator.
        assert!(matches!(
            ops.set_task_status(&tj, &id, &t.id, "cancelled", None)
                .await,
            Err(AppError::Forbidden(_))
        ));
        let t2 = ops
            .set_task_status(&tj, &id, &t.id, "in_progress", Some(t.version))
            .await
            .unwrap();
        assert_eq!(t2.status, TaskStatus::InProgress);
        assert!(matches!(
            ops.set_task_status(&tj, &id, &t.id, "done", Some(t.version))
                .await,
            Err(AppError::VersionConflict { .. })
        ));
        ops.comment_task(&tj, &id, &t.id, "Tracker fitted under the trailer.")
            .await
            .unwrap();
        let seen = ops.tasks(&coordinator, &id).await.unwrap();
        assert_eq!(
            seen[0].comments[0].body,
            "Tracker fitted under the trailer."
        );

        // Two days later the first is late: escalated once, not twice; the second's reminder
        // goes out, once.
        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(s, _)| *s)
            .unwrap_or(0);
        app.clock.advance(2 * 86_400_000);
        assert!(ops.tasks(&tj, &id).await.unwrap()[0].overdue);
        assert_eq!(ops.escalate_overdue_tasks().await.unwrap(), 1);
        assert_eq!(ops.escalate_overdue_tasks().await.unwrap(), 0);
        assert_eq!(ops.remind_due_tasks().await.unwrap(), 1);
        assert_eq!(ops.remind_due_tasks().await.unwrap(), 0);
        let events = app.events_after(start, 100).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|(_, e)| e.event.kind()).collect();
        assert_eq!(kinds, ["task.overdue", "task.reminder"]);
        // Done and closed for good.
        ops.set_task_status(&tj, &id, &t.id, "done", None)
            .await
            .unwrap();
        match ops
            .set_task_status(&coordinator, &id, &t.id, "open", None)
            .await
        {
            Err(AppError::Invalid(e)) => assert_eq!(e.0[0].reason.key(), Some("task-status-move")),
            other => panic!("a done task stays done: {other:?}"),
        }
    }

    /// A controlled delivery across three borders: legs chained in order and time between
    /// participants only, statuses that skip nothing, reports from a leg's own ends, the
    /// consignment's position moving on, and nothing for an outsider.
    pub async fn a_controlled_delivery_runs_leg_by_leg_among_its_participants(app: &App) {
        use pamir_app::operations::LegReport;
        use pamir_domain::delivery::{DeliveryStatus, LegStatus};
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let coordinator = ctx("coordinator").await;
        let ops = app.operations();
        let op = ops
            .open(
                &coordinator,
                &json!({"code_name": "Silk Thread", "kind": "controlled_delivery", "starts": "2026-12-01"}),
            )
            .await
            .unwrap();
        let id = op.id.clone();
        for (party, user) in [
            ("TJ-AKN", "tj.officer"),
            ("UZ-IIV", "uz.officer"),
            ("KZ-MVD", "kz.officer"),
            ("RU-MVD", "ru.analyst"),
        ] {
            ops.invite(&coordinator, &id, party).await.unwrap();
            ops.answer(&ctx(user).await, &id, party, true)
                .await
                .unwrap();
        }
        let invalid = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid(e)) => (
                e.0[0].field.clone(),
                e.0[0].reason.key().unwrap_or("").to_string(),
            ),
            Err(other) => panic!("expected a named field, got {other:?}"),
            Ok(_) => panic!("expected a named field, got success"),
        };
        // Only a controlled delivery has one.
        let joint = ops
            .open(
                &coordinator,
                &json!({"code_name": "J", "kind": "joint_operation", "starts": "2026-12-01"}),
            )
            .await
            .unwrap();
        assert_eq!(
            invalid(
                ops.set_delivery(
                    &coordinator,
                    &joint.id,
                    &json!({"kind": "transit", "substance": "heroin"})
                )
                .await
            )
            .1,
            "delivery-not-controlled"
        );
        let d = ops
            .set_delivery(
                &coordinator,
                &id,
                &json!({"kind": "transit", "substance": "heroin", "declared_quantity": 40, "conveyance": "refrigerated lorry",
                        "markers": "GPS tracker under the trailer", "substitution": "partial"}),
            )
            .await
            .unwrap();
        assert_eq!(d.status, DeliveryStatus::Requested);
        let leg = |from: &str, to: &str, dep: &str, hand: &str| json!({"from": from, "to": to, "crossing_point": "x", "planned_departure": dep, "planned_handover": hand});
        ops.add_leg(
            &coordinator,
            &id,
            &leg("TJ-AKN", "UZ-IIV", "2026-12-08T06:00", "2026-12-08T14:00"),
        )
        .await
        .unwrap();
        assert_eq!(
            invalid(
                ops.add_leg(
                    &coordinator,
                    &id,
                    &leg("KZ-MVD", "RU-MVD", "2026-12-09T06:00", "2026-12-09T14:00")
                )
                .await
            ),
            ("from".into(), "leg-not-chained".into())
        );
        assert_eq!(
            invalid(
                ops.add_leg(
                    &coordinator,
                    &id,
                    &leg("UZ-IIV", "KZ-MVD", "2026-12-08T10:00", "2026-12-09T14:00")
                )
                .await
            ),
            ("planned_departure".into(), "leg-overlaps".into())
        );
        assert_eq!(
            invalid(
                ops.add_leg(
                    &coordinator,
                    &id,
                    &leg("UZ-IIV", "KG-SBNON", "2026-12-09T06:00", "2026-12-09T14:00")
                )
                .await
            ),
            ("to".into(), "leg-party-not-participant".into())
        );
        ops.add_leg(
            &coordinator,
            &id,
            &leg("UZ-IIV", "KZ-MVD", "2026-12-09T06:00", "2026-12-09T18:00"),
        )
        .await
        .unwrap();
        let d = ops
            .add_leg(
                &coordinator,
                &id,
                &leg("KZ-MVD", "RU-MVD", "2026-12-10T06:00", "2026-12-11T18:00"),
            )
            .await
            .unwrap();
        assert_eq!((d.legs.len(), d.position), (3, Some(1)));

        // Nothing skipped; a participant does not steer the delivery.
        assert_eq!(
            invalid(
                ops.set_delivery_status(&coordinator, &id, "in_transit", None)
                    .await
            )
            .1,
            "delivery-status-move"
        );
        let tj = ctx("tj.officer").await;
        assert!(matches!(
            ops.set_delivery_status(&tj, &id, "authorised", None).await,
            Err(AppError::Forbidden(_))
        ));
        // Not authorised while a state on the route has not consented; each state records its
        // own authorisation (or the coordinator for it), and only a participating state.
        assert_eq!(
            invalid(
                ops.set_delivery_status(&coordinator, &id, "authorised", None)
                    .await
            ),
            ("status".into(), "delivery-consent-missing".into())
        );
        let auth = |consent: &str| {
            json!({"authority": "Prosecutor's office", "legal_basis": "Law on OSA, art. 12",
                   "reference": "REF-1", "date": "2026-12-01", "consent": consent,
                   "duty_contact": "Duty officer +000 000"})
        };
        assert!(matches!(
            ops.set_authorisation(&tj, &id, "UZ", &auth("given")).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            ops.set_authorisation(&ctx("kg.officer").await, &id, "KG", &auth("given"))
                .await,
            Err(AppError::NotFound(_))
        ));
        assert_eq!(
            invalid(
                ops.set_authorisation(&coordinator, &id, "KG", &auth("given"))
                    .await
            ),
            (
                "country".into(),
                "authorisation-country-not-participant".into()
            )
        );
        assert_eq!(
            invalid(
                ops.set_authorisation(&tj, &id, "TJ", &json!({"authority": "x"}))
                    .await
            )
            .0,
            "legal_basis"
        );
        ops.set_authorisation(&tj, &id, "TJ", &auth("given"))
            .await
            .unwrap();
        ops.set_authorisation(&ctx("uz.officer").await, &id, "UZ", &auth("withdrawn"))
            .await
            .unwrap();
        for country in ["KZ", "RU"] {
            ops.set_authorisation(&coordinator, &id, country, &auth("given"))
                .await
                .unwrap();
        }
        match ops
            .set_delivery_status(&coordinator, &id, "authorised", None)
            .await
        {
            Err(AppError::Invalid(e)) => assert!(e.0[0].reason.as_str().contains("UZ"), "{e:?}"),
            other => panic!("UZ withdrew its consent: {other:?}"),
        }
        let d = ops
            .set_authorisation(&ctx("uz.officer").await, &id, "UZ", &auth("given"))
            .await
            .unwrap();
        assert!(d.missing_consent.is_empty() && d.authorisations.len() == 4);
        ops.set_delivery_status(&coordinator, &id, "authorised", None)
            .await
            .unwrap();
        ops.set_delivery_status(&coordinator, &id, "in_transit", None)
            .await
            .unwrap();

        // Reports come from a leg's own ends; a hand-over before departure is refused.
        let first = d.legs[0].id.clone();
        let report = |status: &str| LegReport {
            status: status.into(),
            ..LegReport::default()
        };
        let kz = ctx("kz.officer").await;
        assert!(matches!(
            ops.report_leg(&kz, &id, &first, report("in_transit")).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            invalid(
                ops.report_leg(&tj, &id, &first, report("handed_over"))
                    .await
            )
            .1,
            "leg-status-move"
        );
        ops.report_leg(
            &tj,
            &id,
            &first,
            LegReport {
                actual_departure: Some("2026-12-08T06:20".into()),
                ..report("in_transit")
            },
        )
        .await
        .unwrap();
        let uz = ctx("uz.officer").await;
        assert_eq!(
            invalid(
                ops.report_leg(
                    &uz,
                    &id,
                    &first,
                    LegReport {
                        actual_handover: Some("2026-12-08T05:00".into()),
                        ..report("handed_over")
                    }
                )
                .await
            ),
            (
                "actual_handover".into(),
                "leg-handover-before-departure".into()
            )
        );
        let d = ops
            .report_leg(
                &uz,
                &id,
                &first,
                LegReport {
                    actual_handover: Some("2026-12-08T13:40".into()),
                    ..report("handed_over")
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (d.legs[0].status, d.position),
            (LegStatus::HandedOver, Some(2))
        );

        // An outsider learns nothing; every change was an event.
        let kg = ctx("kg.officer").await;
        assert!(matches!(
            ops.delivery(&kg, &id).await,
            Err(AppError::NotFound(_))
        ));
        let kinds: Vec<String> = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, e)| e.event.kind().to_string())
            .filter(|k| k.starts_with("delivery."))
            .collect();
        assert_eq!(
            kinds.iter().filter(|k| *k == "delivery.leg").count(),
            5,
            "{kinds:?}"
        );
        assert_eq!(
            kinds.iter().filter(|k| *k == "delivery.changed").count(),
            3,
            "{kinds:?}"
        );
    }

    /// Results: each participant links its own Seizure records (another agency's, or none, is
    /// refused alike); the report's totals equal the sum of the linked seizures as they stand,
    /// each counted once, per country, substance and unit.
    pub async fn the_operation_report_adds_up_the_linked_seizures(app: &App) {
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let coordinator = ctx("coordinator").await;
        let tj = ctx("tj.officer").await;
        let uz = ctx("uz.officer").await;
        let ops = app.operations();
        let op = ops
            .open(&coordinator, &json!({"code_name": "Reflex", "kind": "standing_programme", "starts": "2026-01-01"}))
            .await
            .unwrap();
        let id = op.id.clone();
        for (party, who) in [("TJ-AKN", &tj), ("UZ-IIV", &uz)] {
            ops.invite(&coordinator, &id, party).await.unwrap();
            ops.answer(who, &id, party, true).await.unwrap();
        }
        let seizure = |who: &pamir_app::UserContext,
                       country: &str,
                       substance: &str,
                       q: f64,
                       unit: &str| {
            let body = json!({"schema": "Seizure", "properties": {"date": ["2026-03-01"], "country": [country],
                "substance": [substance], "quantity": [q.to_string()], "unit": [unit]},
                "meta": {"classification": "RESTRICTED", "dissemination": {}}});
            let input = parse_record_input(&body, app.clock.today(), "").unwrap();
            let who = who.clone();
            async move {
                app.records()
                    .create(&who, input)
                    .await
                    .unwrap()
                    .entity
                    .id
                    .to_string()
            }
        };
        let a = seizure(&tj, "tj", "heroin", 12.5, "kg").await;
        let b = seizure(&tj, "tj", "Heroin", 2.25, "kg").await;
        let c = seizure(&uz, "uz", "heroin", 4.0, "kg").await;
        let d = seizure(&uz, "uz", "mephedrone", 300.0, "g").await;

        // Another agency's seizure is refused, as one that does not exist.
        for bad in [c.as_str(), "tj-akn:nothing"] {
            match ops
                .report_result(&tj, &id, &json!({"seizures": [a, bad]}))
                .await
            {
                Err(AppError::Invalid(e)) => {
                    assert_eq!(e.0[0].reason.key(), Some("result-not-own-seizure"))
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        ops.report_result(
            &tj,
            &id,
            &json!({"seizures": [a, b], "arrests": 3, "cases_opened": 1}),
        )
        .await
        .unwrap();
        ops.report_result(
            &uz,
            &id,
            &json!({"seizures": format!("{c}, {d}"), "arrests": 2,
                                           "assets_value": 15000, "assets_currency": "usd"}),
        )
        .await
        .unwrap();
        // The same seizure reported again counts once.
        let report = ops
            .report_result(&tj, &id, &json!({"seizures": [a]}))
            .await
            .unwrap();
        let got: Vec<(String, String, String, f64, usize)> = report
            .totals
            .iter()
            .map(|t| {
                (
                    t.country.map(|c| c.to_string()).unwrap_or_default(),
                    t.substance.clone(),
                    t.unit.clone(),
                    t.quantity,
                    t.seizures,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("TJ".into(), "heroin".into(), "kg".into(), 14.75, 2),
                ("UZ".into(), "heroin".into(), "kg".into(), 4.0, 1),
                ("UZ".into(), "mephedrone".into(), "g".into(), 300.0, 1),
            ]
        );
        assert_eq!((report.arrests, report.cases_opened), (5, 1));
        assert_eq!(report.assets, [("USD".to_string(), 15000.0)]);
        assert_eq!(report.results.len(), 3);
        // Outsiders learn nothing; the invited may not see results yet.
        let kg = ctx("kg.officer").await;
        assert!(matches!(
            ops.report(&kg, &id).await,
            Err(AppError::NotFound(_))
        ));
        ops.invite(&coordinator, &id, "KZ-MVD").await.unwrap();
        let kz = ctx("kz.officer").await;
        assert!(matches!(
            ops.report(&kz, &id).await,
            Err(AppError::Forbidden(_))
        ));
    }

    /// An operation as a dissemination scope: only a party taking part tags a record to it, never
    /// above its ceiling, and then its parties read it in full (still under clearance) for as
    /// long as they take part; an unknown operation and one the writer does not take part in are
    /// refused alike, and a refused record is not written.
    pub async fn records_tagged_to_an_operation_reach_its_parties_only(app: &App) {
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let ops = app.operations();
        let coordinator = ctx("coordinator").await;
        let op = ops
            .open(
                &coordinator,
                &json!({"code_name": "Tagged", "kind": "joint_operation", "lead_country": "TJ",
                        "starts": "2026-12-01", "classification": "RESTRICTED", "ceiling": "RESTRICTED"}),
            )
            .await
            .unwrap();
        let id = op.id.clone();
        ops.invite(&coordinator, &id, "TJ-AKN").await.unwrap();
        ops.invite(&coordinator, &id, "KZ-MVD").await.unwrap();
        let tj = ctx("tj.officer").await;
        ops.answer(&tj, &id, "TJ-AKN", true).await.unwrap();
        let tj = ctx("tj.officer").await;

        let tagged = |name: &str, classification: &str, op: &str| {
            parse_record_input(
                &json!({"schema": "Person", "properties": {"name": [name]},
                        "meta": {"classification": classification,
                                 "dissemination": {"countries": ["UZ"], "operations": [op]}}}),
                app.clock.today(),
                "",
            )
            .unwrap()
        };
        let refusal = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid(e)) => (e.0[0].field.clone(), e.0[0].reason.key()),
            Ok(_) => panic!("written"),
            Err(other) => panic!("not a validation error: {other:?}"),
        };
        // Invited but not taking part, and an operation nobody holds: the same answer.
        let kz = ctx("kz.officer").await;
        let field = "meta.dissemination.operations[0]".to_string();
        for op in [id.as_str(), "op-nobody-holds-this"] {
            assert_eq!(
                refusal(
                    app.records()
                        .create(&kz, tagged("Refused", "RESTRICTED", op))
                        .await
                ),
                (field.clone(), Some("operation-tag-not-party")),
                "{op}"
            );
        }
        assert_eq!(
            refusal(
                app.records()
                    .create(&tj, tagged("Too high", "CONFIDENTIAL", &id))
                    .await
            ),
            (field.clone(), Some("operation-tag-above-ceiling"))
        );
        let found = |c, q: &'static str| async move {
            let params = pamir_app::records::SearchParams {
                q: Some(q.into()),
                ..Default::default()
            };
            app.records().search(c, &params).await.unwrap().items.len()
        };
        assert_eq!(found(&kz, "Refused").await, 0, "nothing written");
        assert_eq!(found(&tj, "high").await, 0, "nothing written");

        let stored = app
            .records()
            .create(&tj, tagged("Ахмедов Рустам", "RESTRICTED", &id))
            .await
            .unwrap();
        let rid = stored.entity.id.to_string();
        // A fresh context each time: what a user takes part in is read with it.
        let full = |name: &'static str| {
            let rid = rid.clone();
            async move {
                let c = ctx(name).await;
                matches!(
                    app.records().get(&c, &rid).await,
                    Ok(RecordAccess::Full { .. })
                )
            }
        };
        // The coordinating agency reads it; KZ-MVD, invited only, gets a hit.
        assert!(full("caricc.analyst").await);
        assert!(!full("kz.officer").await);
        ops.answer(&ctx("kz.officer").await, &id, "KZ-MVD", true)
            .await
            .unwrap();
        assert!(full("kz.officer").await);
        // Removed: it keeps nothing the operation gave it.
        ops.remove(&coordinator, &id, "KZ-MVD").await.unwrap();
        assert!(!full("kz.officer").await);
        // Observers outside every scope learn nothing at all.
        assert!(matches!(
            app.records()
                .get(&ctx("fr.observer").await, &stored.entity.id.to_string())
                .await,
            Err(AppError::NotFound(_))
        ));
        // The owner may raise it no higher than the ceiling, and keeps its tag.
        let current = app
            .records()
            .get(&tj, &stored.entity.id.to_string())
            .await
            .unwrap();
        let RecordAccess::Full { record, .. } = current else {
            panic!("the owner reads in full")
        };
        assert_eq!(
            refusal(
                app.records()
                    .update(
                        &tj,
                        record.entity.id.as_str(),
                        record.version,
                        tagged("Ахмедов Рустам", "CONFIDENTIAL", &id)
                    )
                    .await
            ),
            (field, Some("operation-tag-above-ceiling"))
        );
        // The coordinator changes the operation: never its kind, never its ceiling below what
        // is tagged to it; a participant may not, an outsider learns nothing.
        let refused = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid(e)) => (e.0[0].field.clone(), e.0[0].reason.key()),
            Ok(_) => panic!("changed"),
            Err(other) => panic!("not a validation error: {other:?}"),
        };
        let edit = |kind: &str, classification: &str, ceiling: &str| {
            json!({"code_name": "Tagged II", "kind": kind, "lead_country": "TJ", "starts": "2026-12-01",
                   "classification": classification, "ceiling": ceiling})
        };
        assert_eq!(
            refused(
                ops.edit(
                    &coordinator,
                    &id,
                    &edit("joint_operation", "UNCLASSIFIED", "UNCLASSIFIED")
                )
                .await
            ),
            (
                "ceiling".to_string(),
                Some("operation-ceiling-below-tagged")
            )
        );
        assert_eq!(
            refused(
                ops.edit(
                    &coordinator,
                    &id,
                    &edit("controlled_delivery", "RESTRICTED", "RESTRICTED")
                )
                .await
            ),
            ("kind".to_string(), Some("operation-kind-fixed"))
        );
        assert!(matches!(
            ops.edit(
                &tj,
                &id,
                &edit("joint_operation", "RESTRICTED", "CONFIDENTIAL")
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            ops.edit(
                &ctx("kg.officer").await,
                &id,
                &edit("joint_operation", "RESTRICTED", "CONFIDENTIAL")
            )
            .await,
            Err(AppError::NotFound(_))
        ));
        let changed = ops
            .edit(
                &coordinator,
                &id,
                &edit("joint_operation", "RESTRICTED", "CONFIDENTIAL"),
            )
            .await
            .unwrap();
        assert_eq!(
            (changed.code_name.as_str(), changed.ceiling),
            ("Tagged II", Classification::Confidential)
        );
    }

    /// A message addressed to an operation: written only by a party taking part, up to the
    /// ceiling; read by every party taking part (the coordinating agency, accepted agencies)
    /// and by nobody else, not even as a count; a reply stays in the operation; a party that is
    /// removed no longer sees it; onward-restricted content does not leave it.
    pub async fn a_message_to_an_operation_reaches_whoever_takes_part(app: &App) {
        use pamir_app::messaging::MessageFilter;
        let ctx =
            |name: &'static str| async move { app.identity().context_for(name).await.unwrap() };
        let ops = app.operations();
        let coordinator = ctx("coordinator").await;
        let id = ops
            .open(
                &coordinator,
                &json!({"code_name": "Letters", "kind": "joint_operation", "lead_country": "KZ",
                        "starts": "2026-12-01", "classification": "RESTRICTED", "ceiling": "RESTRICTED"}),
            )
            .await
            .unwrap()
            .id;
        for party in ["TJ-AKN", "KZ-MVD", "UZ-IIV"] {
            ops.invite(&coordinator, &id, party).await.unwrap();
        }
        ops.answer(&ctx("tj.officer").await, &id, "TJ-AKN", true)
            .await
            .unwrap();
        ops.answer(&ctx("kz.officer").await, &id, "KZ-MVD", true)
            .await
            .unwrap();
        let to_op = |op: &str, classification: Classification| MessageInput {
            operations: vec![op.to_string()],
            subject: "Маршрут".into(),
            body: "Груз прошёл Хорог.".into(),
            classification,
            ..MessageInput::default()
        };
        let refusal = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid(e)) => (e.0[0].field.clone(), e.0[0].reason.key()),
            Ok(_) => panic!("sent"),
            Err(other) => panic!("not a validation error: {other:?}"),
        };
        let field = "to.operations[0]".to_string();
        // Invited only, and an operation nobody holds: the same answer.
        for op in [id.as_str(), "op-nobody-holds-this"] {
            assert_eq!(
                refusal(
                    app.messaging()
                        .send(
                            &ctx("uz.officer").await,
                            to_op(op, Classification::Restricted)
                        )
                        .await
                ),
                (field.clone(), Some("operation-tag-not-party"))
            );
        }
        let tj = ctx("tj.officer").await;
        assert_eq!(
            refusal(
                app.messaging()
                    .send(&tj, to_op(&id, Classification::Confidential))
                    .await
            ),
            (field, Some("operation-tag-above-ceiling"))
        );
        let mut input = to_op(&id, Classification::Restricted);
        input
            .handling_codes
            .insert(pamir_domain::handling::HandlingCode::NoOnward);
        let sent = app.messaging().send(&tj, input).await.unwrap();

        let sent_id = sent.id.clone();
        let inbox = |name: &'static str| {
            let sent_id = sent_id.clone();
            async move {
                let c = ctx(name).await;
                let listed = app
                    .messaging()
                    .list(
                        &c,
                        &MessageFilter {
                            limit: 50,
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap()
                    .iter()
                    .any(|v| v.message.subject == "Маршрут");
                let readable = app.messaging().visible(&c, &sent_id).await.is_ok();
                let unread = app.messaging().unread_count(&c).await.unwrap();
                (listed, readable, unread)
            }
        };
        for name in ["kz.officer", "caricc.analyst"] {
            let (listed, readable, unread) = inbox(name).await;
            assert!(listed && readable && unread >= 1, "{name} takes part");
        }
        for name in ["uz.officer", "kg.officer", "fr.observer", "ru.analyst"] {
            let before = inbox(name).await;
            assert_eq!(
                (before.0, before.1),
                (false, false),
                "{name} learns nothing"
            );
        }
        // Invited-only UZ learns not even a count.
        assert_eq!(inbox("uz.officer").await.2, 0);

        // A reply goes to the whole operation; reading marks the operation's row.
        let kz = ctx("kz.officer").await;
        app.messaging().read(&kz, &sent.id).await.unwrap();
        let reply = app
            .messaging()
            .send(
                &kz,
                MessageInput {
                    reply_to: Some(sent.id.clone()),
                    body: "Принято.".into(),
                    ..MessageInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(reply.addressing.operations, std::slice::from_ref(&id));
        // NO_ONWARD: it does not leave the operation.
        assert!(matches!(
            app.messaging()
                .send(
                    &kz,
                    MessageInput {
                        forward_of: Some(sent.id.clone()),
                        agencies: vec!["KG-SBNON".into()],
                        body: "FYI".into(),
                        ..MessageInput::default()
                    },
                )
                .await,
            Err(AppError::Forbidden(_))
        ));
        // Removed: KZ-MVD no longer sees the operation's messages.
        ops.remove(&coordinator, &id, "KZ-MVD").await.unwrap();
        assert_eq!(inbox("kz.officer").await, (false, false, 0));
    }

    fn mephedrone() -> serde_json::Value {
        json!({
            "names": [
                {"text": "Mephedrone", "lang": "en"},
                {"text": "4-MMC", "lang": "en"},
                {"text": "Мефедрон", "lang": "ru"},
                {"text": "соль", "lang": "local"}
            ],
            "class": "synthetic_cathinone",
            "cas": "1189805-46-6",
            "formula": "C11H15NO",
            "international": ["1971/II"],
            "countries": [{"country": "KZ", "status": "controlled", "effective": "2012-03-01"}]
        })
    }

    fn field_keys(e: &AppError) -> Vec<(String, Option<&'static str>)> {
        match e {
            AppError::Invalid(v) => {
                v.0.iter()
                    .map(|f| (f.field.clone(), f.reason.key()))
                    .collect()
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    /// The registry: any reader reads it, analysts of members and the centre keep it, a
    /// substance is never entered twice under another of its names, CAS number or InChIKey,
    /// a country's status is set by its own analysts or the centre's, and a change made on a
    /// stale version is refused.
    pub async fn the_registry_holds_each_substance_once_and_is_kept_by_analysts(app: &App) {
        let kz = app.identity().context_for("kz.focal").await.unwrap();
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let ru = app.identity().context_for("ru.analyst").await.unwrap();
        let reg = app.substances();
        // Only keepers add; a refusal says why and writes nothing.
        for who in ["kz.officer", "fr.observer", "auditor"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            let e = reg.create(&ctx, &mephedrone()).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden(_)), "{who}: {e:?}");
        }
        // A Russian analyst may not set Kazakhstan's status.
        let e = reg.create(&ru, &mephedrone()).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("countries[0]".into(), Some("substance-country-not-yours"))]
        );
        let m = reg.create(&centre, &mephedrone()).await.unwrap();
        assert_eq!(m.version, 1);

        // The same substance under another spelling of one of its names, or its CAS number.
        let mut again = json!({
            "names": [{"text": "4 mmc", "lang": "en"}, {"text": "4-ММК", "lang": "ru"}],
            "class": "synthetic_cathinone",
            "cas": "1189805-46-6"
        });
        let e = reg.create(&ru, &again).await.unwrap_err();
        let keys = field_keys(&e);
        assert!(
            keys.contains(&("names[0].text".into(), Some("substance-name-taken"))),
            "{keys:?}"
        );
        assert!(
            keys.contains(&("cas".into(), Some("substance-cas-taken"))),
            "{keys:?}"
        );
        assert!(
            e.to_string().contains("Mephedrone"),
            "names the holder: {e}"
        );
        // A street name may name several substances.
        again = json!({
            "names": [{"text": "alpha-PVP", "lang": "en"}, {"text": "альфа-PVP", "lang": "ru"},
                      {"text": "Соль", "lang": "local"}],
            "class": "synthetic_cathinone",
            "international": ["1971/II"]
        });
        let pvp = reg.create(&ru, &again).await.unwrap();

        // Readers find entries by any name, class and control.
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        let find = |q: &str| pamir_app::early_warning::RegistryFilter {
            q: Some(q.into()),
            ..Default::default()
        };
        let ids = |v: Vec<pamir_app::early_warning::Substance>| -> Vec<String> {
            v.into_iter().map(|s| s.id).collect()
        };
        assert_eq!(
            ids(reg.list(&tj, &find("мефедрон")).await.unwrap()),
            vec![m.id.clone()]
        );
        assert_eq!(
            ids(reg.list(&tj, &find("α-PVP")).await.unwrap()),
            vec![pvp.id.clone()]
        );
        assert_eq!(reg.list(&tj, &find("соль")).await.unwrap().len(), 2);
        assert_eq!(
            ids(reg.list(&tj, &find("1189805-46-6")).await.unwrap()),
            vec![m.id.clone()]
        );
        let none = pamir_app::early_warning::RegistryFilter {
            control: Some(
                pamir_app::early_warning::registry::ControlFilter::parse("none").unwrap(),
            ),
            ..Default::default()
        };
        assert!(reg.list(&tj, &none).await.unwrap().is_empty());
        let auditor = app.identity().context_for("auditor").await.unwrap();
        assert!(matches!(
            reg.list(&auditor, &Default::default()).await.unwrap_err(),
            AppError::Forbidden(_)
        ));

        // Changes: Kazakhstan's focal point is no analyst; Kazakhstan's analyst would be. The
        // centre changes Kazakhstan's status; a change on the old version is refused.
        let mut body = mephedrone();
        body["countries"] = json!([
            {"country": "KZ", "status": "controlled", "effective": "2012-03-01"},
            {"country": "UZ", "status": "analogue", "effective": "2015-06-01", "note": "generic"}
        ]);
        assert!(matches!(
            reg.update(&kz, &m.id, 1, &body).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
        let e = reg.update(&ru, &m.id, 1, &body).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("countries[1]".into(), Some("substance-country-not-yours"))]
        );
        let m2 = reg.update(&centre, &m.id, 1, &body).await.unwrap();
        assert_eq!(m2.version, 2);
        let e = reg
            .update(&centre, &m.id, 1, &mephedrone())
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::VersionConflict { current: 2 }),
            "{e:?}"
        );
        // Taking another's name on change is refused too.
        let mut steal = again.clone();
        steal["names"] =
            json!([{"text": "Mephedrone", "lang": "en"}, {"text": "альфа-PVP", "lang": "ru"}]);
        let e = reg.update(&ru, &pvp.id, 1, &steal).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("names[0].text".into(), Some("substance-name-taken"))]
        );
        assert_eq!(reg.get(&tj, &m.id).await.unwrap().draft.countries.len(), 2);
    }

    /// An import writes every entry or none: a bad entry, or two entries naming the same
    /// substance, refuse it all with their lines; an export imported again changes nothing.
    pub async fn a_registry_import_writes_all_or_nothing(app: &App) {
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let reg = app.substances();
        reg.create(&centre, &mephedrone()).await.unwrap();
        let heroin = json!({
            "names": [{"text": "Heroin", "lang": "en"}, {"text": "Героин", "lang": "ru"}],
            "class": "opioid",
            "cas": "561-27-3",
            "international": ["1961/I", "1961/IV"]
        });
        let mut bad_cas = heroin.clone();
        bad_cas["names"] =
            json!([{"text": "Cocaine", "lang": "en"}, {"text": "Кокаин", "lang": "ru"}]);
        bad_cas["cas"] = json!("50-36-3");
        let twice = json!({"names": [{"text": "HEROIN", "lang": "en"}, {"text": "диацетилморфин", "lang": "ru"}],
            "class": "opioid"});
        let taken = json!({"names": [{"text": "4-MMC", "lang": "en"}, {"text": "4-ММЦ", "lang": "ru"}],
            "class": "synthetic_cathinone"});
        let e = reg
            .import(&centre, &[heroin.clone(), bad_cas, twice, taken])
            .await
            .unwrap_err();
        let AppError::ImportRejected(lines) = e else {
            panic!("{e:?}")
        };
        let got: Vec<(u64, &str, Option<&str>)> = lines
            .iter()
            .map(|l| (l.line, l.field.as_str(), l.reason.key()))
            .collect();
        assert!(
            got.contains(&(2, "cas", Some("cas-check-digit"))),
            "{got:?}"
        );
        assert!(
            got.contains(&(3, "names[0].text", Some("substance-name-taken"))),
            "{got:?}"
        );
        assert_eq!(
            reg.list(&centre, &Default::default()).await.unwrap().len(),
            1,
            "nothing written"
        );
        // Only the clash with the registry left: still nothing written.
        let e = reg
            .import(&centre, &[heroin.clone(), taken_entry()])
            .await
            .unwrap_err();
        let AppError::ImportRejected(lines) = e else {
            panic!("{e:?}")
        };
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(
            (lines[0].line, lines[0].reason.key()),
            (2, Some("substance-name-taken"))
        );
        assert_eq!(
            reg.list(&centre, &Default::default()).await.unwrap().len(),
            1,
            "nothing written"
        );

        let done = reg.import(&centre, &[heroin]).await.unwrap();
        assert_eq!(done.created, 1);
        let exported = reg.export(&centre).await.unwrap();
        assert_eq!(exported.len(), 2);
        let again = reg.import(&centre, &exported).await.unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
        // An exported entry changed comes back as a change of that entry.
        let mut changed = exported.clone();
        changed[0]["notes"] = json!("reviewed");
        let r = reg.import(&centre, &changed).await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 1));
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        assert!(matches!(
            reg.import(&kz, &exported).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
    }

    fn taken_entry() -> serde_json::Value {
        json!({"names": [{"text": "4-MMC", "lang": "en"}, {"text": "4-ММЦ", "lang": "ru"}],
            "class": "synthetic_cathinone"})
    }

    /// The registry Pamir ships loads into an empty registry without a refusal, and holds what
    /// the issue asks of it: the drugs under control, at least 150 new psychoactive substances
    /// across the monitored classes, and every precursor of Tables I and II of the 1988
    /// Convention.
    pub async fn the_shipped_registry_loads_whole(app: &App) {
        let n = demo::seed_registry(app).await.unwrap();
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let all = app
            .substances()
            .list(&centre, &Default::default())
            .await
            .unwrap();
        assert_eq!(all.len(), n);
        use pamir_domain::substance::{Control, SubstanceClass as C};
        let nps = all
            .iter()
            .filter(|s| {
                matches!(
                    s.draft.class,
                    C::SyntheticCathinone
                        | C::SyntheticCannabinoid
                        | C::Phenethylamine
                        | C::Tryptamine
                        | C::Benzodiazepine
                        | C::Arylcyclohexylamine
                        | C::Piperazine
                        | C::Aminoindane
                        | C::Piperidine
                ) || (s.draft.class == C::Opioid
                    && s.draft
                        .name(pamir_domain::substance::NameKind::En)
                        .contains("zene"))
            })
            .count();
        assert!(nps >= 150, "{nps} new psychoactive substances");
        let in_table = |t: u8| {
            all.iter()
                .filter(|s| s.draft.controls.contains(&Control::Precursor1988(t)))
                .count()
        };
        assert!(in_table(1) >= 20, "{} in Table I", in_table(1));
        assert_eq!(in_table(2), 9, "Table II");
        assert!(
            all.iter().all(|s| !s.draft.sources.is_empty()),
            "every entry names its source"
        );
        // Loading again adds nothing.
        assert_eq!(demo::seed_registry(app).await.unwrap(), 0);
        // The demo's year of detections: a new nitazene first detected in Kyrgyzstan.
        assert!(demo::seed_detections(app).await.unwrap() >= 15);
        let ru = app.identity().context_for("ru.analyst").await.unwrap();
        let all = app.detections().list(&ru, None).await.unwrap();
        let kg_first: Vec<_> = all
            .iter()
            .filter(|d| d.first_in_region && d.draft.country.as_str() == "KG")
            .collect();
        assert_eq!(kg_first.len(), 1, "{kg_first:?}");
        assert!(all.iter().filter(|d| d.first_in_region).count() >= 4);
        assert_eq!(demo::seed_detections(app).await.unwrap(), 0);
    }

    /// Detections: a country reports its own; the first confirmed detection of a substance in a
    /// country and in the region is computed and its event says so; who may read a detection
    /// reads it, anyone else finds nothing; a reader's first detections are computed over what
    /// that reader may read, so a flag tells nothing of a detection hidden from them.
    pub async fn a_first_detection_is_computed_and_alerted_to_its_readers_only(app: &App) {
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let m = app
            .substances()
            .create(&centre, &mephedrone())
            .await
            .unwrap();
        let kg = app.identity().context_for("kg.officer").await.unwrap();
        let kz = app.identity().context_for("kz.focal").await.unwrap();
        let det = app.detections();
        let report = |country: &str, on: &str, confidence: &str| {
            json!({"substance": m.id, "methods": ["gc_ms", "nmr"], "laboratory": "Forensic centre",
                   "confidence": confidence, "country": country, "detected_on": on,
                   "notes": "Crystals sold as bath salts"})
        };
        // Bad reports: another country's detection, a date ahead, an unknown substance.
        let e = det
            .report(&kz, &report("KG", "2026-01-10", "confirmed"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
        let ahead = (app.clock.today() + chrono::Duration::days(2))
            .format("%Y-%m-%d")
            .to_string();
        let e = det
            .report(&kg, &report("KG", &ahead, "confirmed"))
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("detected_on".into(), Some("date-in-future"))]
        );
        let mut unknown = report("KG", "2026-01-10", "confirmed");
        unknown["substance"] = json!("sub-none");
        let e = det.report(&kg, &unknown).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("substance".into(), Some("detection-substance-unknown"))]
        );
        let mut seizure = report("KG", "2026-01-10", "confirmed");
        seizure["seizures"] = json!(["no-such-seizure"]);
        let e = det.report(&kg, &seizure).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("seizures[0]".into(), Some("detection-seizure-unknown"))]
        );

        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        // A provisional detection is no first; the confirmed one after it is.
        let p = det
            .report(&kg, &report("KG", "2026-01-05", "provisional"))
            .await
            .unwrap();
        assert!(!p.first_in_country && !p.first_in_region);
        let first = det
            .report(&kg, &report("KG", "2026-01-10", "confirmed"))
            .await
            .unwrap();
        assert!(first.first_in_country && first.first_in_region, "{first:?}");
        let later = det
            .report(&kg, &report("KG", "2026-02-01", "confirmed"))
            .await
            .unwrap();
        assert!(!later.first_in_country && !later.first_in_region);
        let in_kz = det
            .report(&kz, &report("KZ", "2026-03-01", "confirmed"))
            .await
            .unwrap();
        assert!(in_kz.first_in_country && !in_kz.first_in_region);
        let events = app.events_after(start, 100).await.unwrap();
        let firsts: Vec<(String, bool, bool)> = events
            .iter()
            .filter_map(|(_, e)| match &e.event {
                pamir_domain::event::Event::DetectionReported {
                    id,
                    first_in_country,
                    first_in_region,
                    ..
                } => Some((id.clone(), *first_in_country, *first_in_region)),
                _ => None,
            })
            .collect();
        assert_eq!(
            firsts,
            vec![
                (p.id.clone(), false, false),
                (first.id.clone(), true, true),
                (later.id.clone(), false, false),
                (in_kz.id.clone(), true, false),
            ]
        );

        // Readers: analysts and focal points of members, the reporting agency; not another
        // country's officer, an observer not named, the auditor.
        for who in ["ru.analyst", "tj.focal", "kg.officer", "caricc.analyst"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            det.get(&ctx, &first.id)
                .await
                .unwrap_or_else(|e| panic!("{who}: {e:?}"));
        }
        for who in ["tj.officer", "fr.observer", "auditor"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            assert!(
                matches!(
                    det.get(&ctx, &first.id).await.unwrap_err(),
                    AppError::NotFound(_)
                ),
                "{who}"
            );
            assert!(det.list(&ctx, None).await.unwrap().is_empty(), "{who}");
        }

        // An earlier SECRET detection: first for whoever may read it, hidden from a reader cleared
        // only for CONFIDENTIAL, for whom the earlier RESTRICTED one stays first.
        let mut secret = report("KG", "2025-12-01", "confirmed");
        secret["classification"] = json!("SECRET");
        let s = det.report(&centre, &secret).await.unwrap();
        assert!(s.first_in_country && s.first_in_region);
        app.admin()
            .add_user(
                Principal::System("test"),
                NewUser {
                    username: "uz.analyst".into(),
                    display_name: "Analyst".into(),
                    agency: "UZ-IIV".into(),
                    roles: vec![Role::Analyst],
                    clearance: Classification::Confidential,
                    password: "a long enough password".into(),
                    language: None,
                },
            )
            .await
            .unwrap();
        let low = app.identity().context_for("uz.analyst").await.unwrap();
        let seen = det.list(&low, Some(&m.id)).await.unwrap();
        assert!(
            seen.iter().all(|d| d.id != s.id),
            "the SECRET one is hidden"
        );
        let f = seen.iter().find(|d| d.id == first.id).unwrap();
        assert!(f.first_in_country && f.first_in_region, "{f:?}");
        let ru = app.identity().context_for("ru.analyst").await.unwrap();
        let f = det.get(&ru, &first.id).await.unwrap();
        assert!(!f.first_in_country && !f.first_in_region, "{f:?}");
    }

    fn acetic_anhydride() -> serde_json::Value {
        json!({
            "names": [{"text": "Acetic anhydride", "lang": "en"}, {"text": "Уксусный ангидрид", "lang": "ru"}],
            "class": "precursor",
            "cas": "108-24-7",
            "international": ["1988/I"]
        })
    }

    /// Pre-export notifications: the exporting country sends, the importing country answers by
    /// the deadline (5 working days unless it set its own); a reply after it is late for both
    /// sides; nobody else reads it; a reply by the exporter, to a withdrawn notification or after
    /// a final answer is refused with nothing written; every step is an event for both sides.
    pub async fn a_pre_export_notification_is_answered_by_the_importer_and_flagged_when_late(
        app: &App,
    ) {
        use pamir_domain::pre_export::{StepKind, Timeliness};
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let aa = app
            .substances()
            .create(&centre, &acetic_anhydride())
            .await
            .unwrap();
        let m = app
            .substances()
            .create(&centre, &mephedrone())
            .await
            .unwrap();
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        let uz = app.identity().context_for("uz.officer").await.unwrap();
        let pen = app.pre_exports();
        let body = |substance: &str| {
            json!({"exporter_country": "KZ", "importer_country": "UZ", "reference": "KZ-PEN-2026-0412",
                "exporter": "Shymkent Chemical Trading LLP", "importer": "Tashkent Leather Works",
                "substance": substance, "quantity": 18000, "unit": "l", "customs_code": "2915.24",
                "transport": "rail", "transit": [], "port_of_exit": "Saryagash", "port_of_entry": "Keles",
                "departure_on": "2027-01-11", "arrival_on": "2027-01-13"})
        };
        // Bad notifications: a drug rather than a chemical, an unknown substance, from another
        // country.
        let e = pen.send(&kz, &body(&m.id)).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("substance".into(), Some("pen-substance-not-chemical"))]
        );
        let e = pen.send(&kz, &body("sub-none")).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("substance".into(), Some("pen-substance-unknown"))]
        );
        let e = pen.send(&uz, &body(&aa.id)).await.unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
        assert!(pen.list(&kz).await.unwrap().is_empty());

        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        let n = pen.send(&kz, &body(&aa.id)).await.unwrap();
        assert_eq!(
            n.due_on,
            pamir_domain::pre_export::due_on(app.clock.today(), 5)
        );
        assert_eq!(n.timeliness, Timeliness::Awaiting);
        assert_eq!(n.substance_names.0, "Acetic anhydride");
        // The exporter may not answer its own notification; the importer may.
        let e = pen
            .step(&kz, &n.id, &json!({"kind": "no_objection"}))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
        // Readers: both countries and the centre's analyst; not a third country, an observer,
        // the auditor; nor can they answer (not found, as for one that does not exist).
        for who in ["kz.focal", "uz.officer", "caricc.analyst"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            pen.get(&ctx, &n.id)
                .await
                .unwrap_or_else(|e| panic!("{who}: {e:?}"));
        }
        for who in ["tj.officer", "fr.observer", "auditor", "kg.officer"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            assert!(
                matches!(
                    pen.get(&ctx, &n.id).await.unwrap_err(),
                    AppError::NotFound(_)
                ),
                "{who}"
            );
            assert!(pen.list(&ctx).await.unwrap().is_empty(), "{who}");
            assert!(matches!(
                pen.step(&ctx, &n.id, &json!({"kind": "objection", "text": "no"}))
                    .await
                    .unwrap_err(),
                AppError::NotFound(_) | AppError::Forbidden(_)
            ));
        }
        let ack = pen
            .step(&uz, &n.id, &json!({"kind": "acknowledged"}))
            .await
            .unwrap();
        assert_eq!(ack.status, Some(StepKind::Acknowledged));
        // Eight days on, with no reply: overdue, for both sides, and flagged to them once.
        assert_eq!(pen.flag_overdue().await.unwrap(), 0);
        app.clock.advance(8 * 86_400_000);
        for ctx in [&kz, &uz] {
            assert!(pen.get(ctx, &n.id).await.unwrap().timeliness.is_late());
        }
        assert_eq!(pen.flag_overdue().await.unwrap(), 1);
        assert_eq!(pen.flag_overdue().await.unwrap(), 0);
        let e = pen
            .step(&uz, &n.id, &json!({"kind": "objection"}))
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("text".into(), Some("field-required"))]
        );
        let answered = pen
            .step(
                &uz,
                &n.id,
                &json!({"kind": "objection", "text": "The importer holds no licence for acetic anhydride"}),
            )
            .await
            .unwrap();
        assert!(
            matches!(answered.timeliness, Timeliness::Late { days } if days > 0),
            "{answered:?}"
        );
        assert!(pen.get(&kz, &n.id).await.unwrap().timeliness.is_late());
        // After the final answer: no more answers; the exporter may still withdraw, and after
        // that nothing at all.
        let e = pen
            .step(&uz, &n.id, &json!({"kind": "no_objection"}))
            .await
            .unwrap_err();
        assert_eq!(field_keys(&e), vec![("kind".into(), Some("pen-answered"))]);
        pen.step(
            &kz,
            &n.id,
            &json!({"kind": "withdrawn", "text": "Shipment cancelled"}),
        )
        .await
        .unwrap();
        let e = pen
            .step(
                &uz,
                &n.id,
                &json!({"kind": "information_requested", "text": "?"}),
            )
            .await
            .unwrap_err();
        assert_eq!(field_keys(&e), vec![("kind".into(), Some("pen-withdrawn"))]);
        let steps: Vec<StepKind> = pen
            .get(&kz, &n.id)
            .await
            .unwrap()
            .steps
            .iter()
            .map(|s| s.kind)
            .collect();
        assert_eq!(
            steps,
            vec![
                StepKind::Acknowledged,
                StepKind::Objection,
                StepKind::Withdrawn
            ]
        );
        let events: Vec<(String, bool)> = app
            .events_after(start, 100)
            .await
            .unwrap()
            .iter()
            .filter_map(|(_, e)| match &e.event {
                pamir_domain::event::Event::PreExportChanged { change, late, .. } => {
                    Some((change.clone(), *late))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            events,
            vec![
                ("sent".into(), false),
                ("acknowledged".into(), false),
                ("overdue".into(), true),
                ("objection".into(), true),
                ("withdrawn".into(), false)
            ]
        );

        // A country's own reply period: set by its focal point (not by another's), used for
        // what is sent after.
        let tj = app.identity().context_for("tj.focal").await.unwrap();
        assert!(matches!(
            pen.set_reply_days(&tj, "UZ", 10).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
        let admin = app.identity().context_for("admin").await.unwrap();
        let e = pen.set_reply_days(&admin, "UZ", 0).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("working_days".into(), Some("pen-reply-days"))]
        );
        pen.set_reply_days(&admin, "UZ", 10).await.unwrap();
        let second = pen.send(&kz, &body(&aa.id)).await.unwrap();
        assert_eq!(
            second.due_on,
            pamir_domain::pre_export::due_on(app.clock.today(), 10)
        );
        // Answered in time, after a request for information the exporter answered.
        pen.step(
            &uz,
            &second.id,
            &json!({"kind": "information_requested", "text": "End-user certificate?"}),
        )
        .await
        .unwrap();
        let e = pen
            .step(
                &uz,
                &second.id,
                &json!({"kind": "no_objection", "bogus": 1}),
            )
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("bogus".into(), Some("field-unknown"))]
        );
        pen.step(&kz, &second.id, &json!({"kind": "information_given", "text": "Certificate 2026/118 attached to the licence file"}))
            .await
            .unwrap();
        let done = pen
            .step(&uz, &second.id, &json!({"kind": "no_objection"}))
            .await
            .unwrap();
        assert_eq!(done.timeliness, Timeliness::OnTime);
        assert_eq!(done.status, Some(StepKind::NoObjection));
        assert_eq!(pen.list(&uz).await.unwrap().len(), 2);
        assert_eq!(pen.list(&centre).await.unwrap().len(), 2);
    }

    /// Precursor incidents: reported by the country where it happened, read by the countries on
    /// its way (where, origin, transit, destination), the reporter and the centre, nobody else;
    /// its companies and seizures must be records the reporter reads; a party of a pre-export
    /// notification turns it into an incident in one action.
    pub async fn a_precursor_incident_reaches_the_countries_on_its_way_only(app: &App) {
        use pamir_domain::precursor_incident::IncidentKind;
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let aa = app
            .substances()
            .create(&centre, &acetic_anhydride())
            .await
            .unwrap();
        let m = app
            .substances()
            .create(&centre, &mephedrone())
            .await
            .unwrap();
        let kz = app.identity().context_for("kz.officer").await.unwrap();
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        let company = |name: &str, classification: &str, countries: &[&str]| {
            parse_record_input(
                &json!({"schema": "Company", "properties": {"name": [name]},
                    "meta": {"classification": classification, "dissemination": {"countries": countries}}}),
                app.clock.today(),
                "",
            )
            .unwrap()
        };
        let ours = app
            .records()
            .create(
                &kz,
                company("Shymkent Chemical Trading LLP", "RESTRICTED", &["KZ"]),
            )
            .await
            .unwrap()
            .entity
            .id
            .to_string();
        let theirs = app
            .records()
            .create(&tj, company("Pamir Trans LLC", "CONFIDENTIAL", &["TJ"]))
            .await
            .unwrap()
            .entity
            .id
            .to_string();
        let inc = app.precursor_incidents();
        let report = |substance: &str, companies: Vec<String>| {
            json!({"kind": "stopped_shipment", "substance": substance, "quantity": 4000, "unit": "l",
                "country": "KZ", "place": "Khorgos", "occurred_on": "2026-11-20", "origin": "CN",
                "destination": "AF", "modus_operandi": "Declared as a cleaning agent", "companies": companies})
        };
        // Bad reports: a drug rather than a chemical, a company the reporter may not read,
        // another country's incident, a date ahead.
        let e = inc.report(&kz, &report(&m.id, vec![])).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("substance".into(), Some("pen-substance-not-chemical"))]
        );
        let e = inc
            .report(&kz, &report(&aa.id, vec![theirs.clone()]))
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("companies[0]".into(), Some("incident-company-unknown"))]
        );
        let uz = app.identity().context_for("uz.officer").await.unwrap();
        assert!(matches!(
            inc.report(&uz, &report(&aa.id, vec![])).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
        let mut ahead = report(&aa.id, vec![]);
        ahead["occurred_on"] = json!((app.clock.today() + chrono::Duration::days(3))
            .format("%Y-%m-%d")
            .to_string());
        let e = inc.report(&kz, &ahead).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("occurred_on".into(), Some("date-in-future"))]
        );
        assert!(inc.list(&kz).await.unwrap().is_empty());

        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        let i = inc.report(&kz, &report(&aa.id, vec![ours])).await.unwrap();
        assert_eq!(i.substance_names.0, "Acetic anhydride");
        for who in ["kz.focal", "kz.officer", "caricc.analyst"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            inc.get(&ctx, &i.id)
                .await
                .unwrap_or_else(|e| panic!("{who}: {e:?}"));
        }
        for who in ["uz.officer", "tj.officer", "fr.observer", "auditor"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            assert!(
                matches!(
                    inc.get(&ctx, &i.id).await.unwrap_err(),
                    AppError::NotFound(_)
                ),
                "{who}"
            );
            assert!(inc.list(&ctx).await.unwrap().is_empty(), "{who}");
        }
        let events: Vec<String> = app
            .events_after(start, 100)
            .await
            .unwrap()
            .iter()
            .filter_map(|(_, e)| match &e.event {
                pamir_domain::event::Event::PrecursorIncidentReported { id, scope, .. } => {
                    Some(format!("{id} {}", scope.countries.len()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(events, vec![format!("{} 3", i.id)]);

        // A notification turned into an incident by the importing country: its route and
        // quantity carried over, the notification named; not by a reader who is no party.
        let n = app
            .pre_exports()
            .send(
                &kz,
                &json!({"exporter_country": "KZ", "importer_country": "UZ", "exporter": "Shymkent Chemical Trading LLP",
                    "importer": "Termez Trading", "substance": aa.id, "quantity": 9000, "unit": "l",
                    "customs_code": "2915.24", "transport": "road", "transit": ["KG"],
                    "departure_on": "2027-01-11", "arrival_on": "2027-01-13"}),
            )
            .await
            .unwrap();
        assert!(matches!(
            inc.from_notification(&centre, &n.id, &json!({}))
                .await
                .unwrap_err(),
            AppError::Forbidden(_)
        ));
        assert!(matches!(
            inc.from_notification(&tj, &n.id, &json!({}))
                .await
                .unwrap_err(),
            AppError::NotFound(_)
        ));
        let e = inc
            .from_notification(&uz, &n.id, &json!({"colour": "red"}))
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("colour".into(), Some("field-unknown"))]
        );
        let from = inc
            .from_notification(
                &uz,
                &n.id,
                &json!({"modus_operandi": "The importer is unknown at its address", "kind": "diversion_attempt"}),
            )
            .await
            .unwrap();
        assert_eq!(from.draft.kind, IncidentKind::DiversionAttempt);
        assert_eq!(from.draft.notification.as_deref(), Some(n.id.as_str()));
        assert_eq!(from.draft.quantity, 9000.0);
        assert_eq!(from.draft.country.as_str(), "UZ");
        let kg = app.identity().context_for("kg.officer").await.unwrap();
        inc.get(&kg, &from.id).await.unwrap();
        assert_eq!(inc.of_notification(&kz, &n.id).await.unwrap().len(), 1);
        assert!(inc.of_notification(&tj, &n.id).await.unwrap().is_empty());
    }

    /// Risk communications: an analyst issues one about a substance, resting on detections it
    /// may read; its readers are the detection readers; only the issuing agency's analysts update
    /// (with the version read) and retract it; a retracted one stays readable and changes no
    /// more; each step is an event.
    pub async fn a_risk_communication_is_issued_updated_and_retracted(app: &App) {
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let m = app
            .substances()
            .create(&centre, &mephedrone())
            .await
            .unwrap();
        let kg = app.identity().context_for("kg.officer").await.unwrap();
        let det = app
            .detections()
            .report(
                &kg,
                &json!({"substance": m.id, "methods": ["gc_ms"], "laboratory": "Forensic service, Bishkek",
                    "confidence": "confirmed", "country": "KG", "detected_on": "2026-11-01"}),
            )
            .await
            .unwrap();
        let risks = app.risk_communications();
        let body = json!({"substance": m.id, "title": "High-purity mephedrone in festival season",
            "severity": "warning", "risk": "Purity above 90 %; two hospitalisations.",
            "advice": "Laboratories: report purity.", "detections": [det.id]});
        // Not an analyst; a detection of another substance or none.
        assert!(matches!(
            risks.issue(&kg, &body).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
        let mut bad = body.clone();
        bad["detections"] = json!(["det-none"]);
        let e = risks.issue(&centre, &bad).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("detections[0]".into(), Some("risk-detection-unknown"))]
        );
        let start = app
            .events_after(0, 100_000)
            .await
            .unwrap()
            .last()
            .map(|(seq, _)| *seq)
            .unwrap_or(0);
        let r = risks.issue(&centre, &body).await.unwrap();
        assert_eq!(r.version, 1);
        for who in ["ru.analyst", "tj.focal", "kz.focal"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            risks
                .get(&ctx, &r.id)
                .await
                .unwrap_or_else(|e| panic!("{who}: {e:?}"));
        }
        for who in ["tj.officer", "kg.officer", "fr.observer", "auditor"] {
            let ctx = app.identity().context_for(who).await.unwrap();
            assert!(
                matches!(
                    risks.get(&ctx, &r.id).await.unwrap_err(),
                    AppError::NotFound(_)
                ),
                "{who}"
            );
        }
        // Another agency's analyst may not change it; a stale version is refused.
        let ru = app.identity().context_for("ru.analyst").await.unwrap();
        let mut update = body.clone();
        update["severity"] = json!("alert");
        update["version"] = json!(1);
        assert!(matches!(
            risks.update(&ru, &r.id, &update).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
        let u = risks.update(&centre, &r.id, &update).await.unwrap();
        assert_eq!(u.version, 2);
        assert!(matches!(
            risks.update(&centre, &r.id, &update).await.unwrap_err(),
            AppError::VersionConflict { current: 2 }
        ));
        let e = risks.retract(&centre, &r.id, &json!({})).await.unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("reason".into(), Some("field-required"))]
        );
        let gone = risks
            .retract(
                &centre,
                &r.id,
                &json!({"reason": "The purity figure was a laboratory error."}),
            )
            .await
            .unwrap();
        assert_eq!(
            gone.retraction.as_deref(),
            Some("The purity figure was a laboratory error.")
        );
        update["version"] = json!(3);
        assert!(matches!(
            risks.update(&centre, &r.id, &update).await.unwrap_err(),
            AppError::Conflict(_)
        ));
        assert_eq!(risks.list(&ru, Some(&m.id)).await.unwrap().len(), 1);
        let changes: Vec<String> = app
            .events_after(start, 100)
            .await
            .unwrap()
            .iter()
            .filter_map(|(_, e)| match &e.event {
                pamir_domain::event::Event::RiskCommunicationChanged {
                    change, version, ..
                } => Some(format!("{change} {version}")),
                _ => None,
            })
            .collect();
        assert_eq!(changes, vec!["issued 1", "updated 2", "retracted 3"]);
    }

    /// Assessment notes: an analyst who reads a detection adds one; an officer who reads it may
    /// not; a reader of nothing finds nothing; the notes come back in order.
    pub async fn analysts_add_assessment_notes_to_detections_they_read(app: &App) {
        let centre = app.identity().context_for("caricc.analyst").await.unwrap();
        let m = app
            .substances()
            .create(&centre, &mephedrone())
            .await
            .unwrap();
        let kg = app.identity().context_for("kg.officer").await.unwrap();
        let d = app
            .detections()
            .report(
                &kg,
                &json!({"substance": m.id, "methods": ["gc_ms"], "laboratory": "Forensic service, Bishkek",
                    "confidence": "confirmed", "country": "KG", "detected_on": "2026-11-01"}),
            )
            .await
            .unwrap();
        let det = app.detections();
        let ru = app.identity().context_for("ru.analyst").await.unwrap();
        let tj = app.identity().context_for("tj.officer").await.unwrap();
        assert!(matches!(
            det.add_note(&kg, &d.id, &json!({"text": "Mine"}))
                .await
                .unwrap_err(),
            AppError::Forbidden(_)
        ));
        assert!(matches!(
            det.add_note(&tj, &d.id, &json!({"text": "?"}))
                .await
                .unwrap_err(),
            AppError::NotFound(_)
        ));
        let e = det
            .add_note(&ru, &d.id, &json!({"text": "  "}))
            .await
            .unwrap_err();
        assert_eq!(
            field_keys(&e),
            vec![("text".into(), Some("field-required"))]
        );
        det.add_note(
            &ru,
            &d.id,
            &json!({"text": "Same batch as the Moscow seizures in October."}),
        )
        .await
        .unwrap();
        let notes = det
            .add_note(
                &centre,
                &d.id,
                &json!({"text": "Agreed; watch the postal route."}),
            )
            .await
            .unwrap();
        let who: Vec<&str> = notes.iter().map(|n| n.author.as_str()).collect();
        assert_eq!(who, vec!["ru.analyst", "caricc.analyst"]);
        assert_eq!(det.notes(&kg, &d.id).await.unwrap().len(), 2);
        assert!(matches!(
            det.notes(&tj, &d.id).await.unwrap_err(),
            AppError::NotFound(_)
        ));
    }
}
