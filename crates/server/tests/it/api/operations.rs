//! Operations through the API: a closed workspace that its participants see and nobody else
//! learns exists — not by status, body or list.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::id_of;
use crate::support::{demo_config, TestApp};

on_every_engine!(
    an_operation_is_closed_to_outsiders,
    tasks_through_the_api,
    only_participants_hear_of_an_operation_live,
    outsiders_learn_nothing_from_any_operations_path,
);

mod scenarios {
    use super::*;

    pub async fn an_operation_is_closed_to_outsiders(t: &TestApp) {
        let coordinator = t.login("coordinator").await;
        let tj = t.login("tj.officer").await;
        let kg = t.login("kg.officer").await;
        let body = json!({"code_name": "Channel", "kind": "controlled_delivery", "starts": "2026-12-01",
                          "ends": "2026-12-31", "classification": "CONFIDENTIAL", "ceiling": "SECRET",
                          "description": "Heroin by lorry"});
        // Not a coordinator: refused before the body is read.
        let r = t.post("/api/v1/operations", &tj, json!({"kind": 5})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // A bad field is named.
        let r = t
            .post(
                "/api/v1/operations",
                &coordinator,
                json!({"code_name": "X", "kind": "controlled_delivery", "starts": "2026-12-05", "ends": "2026-12-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("\"ends\""), "{}", r.text());

        let r = t.post("/api/v1/operations", &coordinator, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["standing"], "coordinator");
        let id = id_of(&r.json());
        let uri = format!("/api/v1/operations/{id}");

        // An outsider gets exactly what an id that does not exist gets.
        let missing = t.get("/api/v1/operations/op-nothing-here", &kg).await;
        let hidden = t.get(&uri, &kg).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(
            hidden.text(),
            missing.text().replace("op-nothing-here", &id)
        );
        let r = t.get("/api/v1/operations", &kg).await;
        assert_eq!(r.json()["operations"], json!([]));
        let r = t
            .post(
                &format!("{uri}/participants"),
                &kg,
                json!({"party": "KG-SBNON"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

        let r = t
            .post(
                &format!("{uri}/participants"),
                &coordinator,
                json!({"party": "TJ-AKN"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .post(
                &format!("{uri}/participants"),
                &coordinator,
                json!({"party": "FR"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

        // Invited: the header and the invitation to answer, nothing more.
        let r = t.get(&uri, &tj).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        assert_eq!(v["standing"], "invited");
        assert_eq!(v["you_answer_for"], json!(["TJ-AKN"]));
        assert!(
            v.get("description").is_none() && v.get("participants").is_none(),
            "{v}"
        );
        assert!(!r.text().contains("Heroin"));

        let r = t
            .post(&format!("{uri}/participants/TJ-AKN/accept"), &tj, json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["standing"], "member");
        assert_eq!(r.json()["description"], "Heroin by lorry");
        // A participant does not manage participants.
        let r = t
            .post(
                &format!("{uri}/participants"),
                &tj,
                json!({"party": "KG-SBNON"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

        // Removed: 404 again; declining an invitation answers 204 and hides it too.
        let r = t
            .call(
                Method::DELETE,
                &format!("{uri}/participants/TJ-AKN"),
                Some(&coordinator),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(t.get(&uri, &tj).await.status, StatusCode::NOT_FOUND);
        t.post(
            &format!("{uri}/participants"),
            &coordinator,
            json!({"party": "TJ-AKN"}),
        )
        .await;
        let r = t
            .post(
                &format!("{uri}/participants/TJ-AKN/decline"),
                &tj,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        assert_eq!(t.get(&uri, &tj).await.status, StatusCode::NOT_FOUND);
        let r = t.get(&uri, &coordinator).await;
        let states: Vec<String> = r.json()["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}={}",
                    p["party"].as_str().unwrap(),
                    p["state"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(states, ["TJ-AKN=declined"]);

        // The refusals are on record for the auditor.
        let auditor = t.login("auditor").await;
        let r = t.get("/api/v1/audit?action=access.denied", &auditor).await;
        let text = r.text();
        assert!(
            text.contains("operation.open") && text.contains("operation.invite"),
            "{text}"
        );
    }

    pub async fn tasks_through_the_api(t: &TestApp) {
        let coordinator = t.login("coordinator").await;
        let tj = t.login("tj.officer").await;
        let uz = t.login("uz.officer").await;
        let kg = t.login("kg.officer").await;
        let r = t
            .post(
                "/api/v1/operations",
                &coordinator,
                json!({"code_name": "Reflex", "kind": "standing_programme", "starts": "2026-01-01"}),
            )
            .await;
        let id = id_of(&r.json());
        let uri = format!("/api/v1/operations/{id}");
        for party in ["TJ-AKN", "UZ-IIV"] {
            t.post(
                &format!("{uri}/participants"),
                &coordinator,
                json!({"party": party}),
            )
            .await;
        }
        t.post(&format!("{uri}/participants/TJ-AKN/accept"), &tj, json!({}))
            .await;
        let due = "2999-12-31";
        let r = t
            .post(
                &format!("{uri}/tasks"),
                &coordinator,
                json!({"title": "Report first detections", "assignee": "TJ-AKN", "due": due}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let task = r.json();
        let task_id = task["id"].as_str().unwrap().to_string();
        assert_eq!(task["status"], "open");
        // Bad input names its field; an invited agency is no assignee.
        let r = t
            .post(
                &format!("{uri}/tasks"),
                &coordinator,
                json!({"title": "x", "assignee": "UZ-IIV", "due": "2000-01-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let text = r.text();
        assert!(text.contains("\"due\""), "{text}");
        // Invited: refused; outsider: not found.
        assert_eq!(
            t.get(&format!("{uri}/tasks"), &uz).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.get(&format!("{uri}/tasks"), &kg).await.status,
            StatusCode::NOT_FOUND
        );
        let status = format!("{uri}/tasks/{task_id}/status");
        let r = t
            .post(&status, &tj, json!({"status": "in_progress", "version": 1}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .post(&status, &tj, json!({"status": "done", "version": 1}))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        let r = t.post(&status, &tj, json!({"status": "flying"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = t
            .post(
                &format!("{uri}/tasks/{task_id}/comments"),
                &tj,
                json!({"body": "Two so far."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t.get(&format!("{uri}/tasks"), &coordinator).await;
        assert_eq!(r.json()["tasks"][0]["comments"][0]["body"], "Two so far.");
        assert_eq!(r.json()["tasks"][0]["status"], "in_progress");
        // A task of another operation is not reachable through this one.
        let other = t
            .post(
                "/api/v1/operations",
                &coordinator,
                json!({"code_name": "Other", "kind": "joint_operation", "starts": "2026-01-01"}),
            )
            .await;
        let other = id_of(&other.json());
        let r = t
            .post(
                &format!("/api/v1/operations/{other}/tasks/{task_id}/status"),
                &coordinator,
                json!({"status": "cancelled"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    }

    /// The live stream: a participant hears of every change and of a message to the operation;
    /// an outsider, an observer, a user of a participating country cleared below the workspace,
    /// and the auditor hear nothing.
    pub async fn only_participants_hear_of_an_operation_live(t: &TestApp) {
        use crate::messaging::Events;
        use std::time::Duration;
        // The live push follows the outbox as the server's worker does.
        let follower = tokio::spawn(t.app.clone().follow_live());
        let coordinator = t.login("coordinator").await;
        let tj = t.login("tj.officer").await;
        let kz_focal = t.login("kz.focal").await;
        let mut heard = Events::open(t, &tj, None).await.unwrap();
        let mut deaf = Vec::new();
        for user in [
            "kg.officer",
            "fr.observer",
            "kz.blo",
            "auditor",
            "uz.officer",
        ] {
            let token = t.login(user).await;
            deaf.push((user, Events::open(t, &token, None).await.unwrap()));
        }
        let r = t
            .post(
                "/api/v1/operations",
                &coordinator,
                json!({"code_name": "Silk Thread", "kind": "controlled_delivery", "starts": "2026-12-01",
                       "classification": "CONFIDENTIAL"}),
            )
            .await;
        let id = id_of(&r.json());
        let uri = format!("/api/v1/operations/{id}");
        for party in ["TJ-AKN", "KZ"] {
            t.post(
                &format!("{uri}/participants"),
                &coordinator,
                json!({"party": party}),
            )
            .await;
        }
        t.post(&format!("{uri}/participants/TJ-AKN/accept"), &tj, json!({}))
            .await;
        t.post(
            &format!("{uri}/participants/KZ/accept"),
            &kz_focal,
            json!({}),
        )
        .await;
        let r = t
            .call(
                Method::PUT,
                &format!("{uri}/delivery"),
                Some(&coordinator),
                Some(json!({"kind": "transit", "substance": "heroin"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .post(
                &format!("{uri}/delivery/legs"),
                &coordinator,
                json!({"from": "TJ-AKN", "to": "KZ", "planned_departure": "2026-12-08T06:00",
                       "planned_handover": "2026-12-08T14:00"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .post(
                &format!("{uri}/tasks"),
                &coordinator,
                json!({"title": "Fit the tracker", "assignee": "TJ-AKN", "due": "2999-01-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let r = t
            .post(
                "/api/v1/messages",
                &coordinator,
                json!({"to": {"operations": [id]}, "subject": "Convoy left Khorog", "body": "On schedule."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

        // The participant hears the invitation, the answers, the delivery, the leg, the task and
        // the message to the operation.
        let mut kinds = Vec::new();
        while let Some(e) = heard.next_within(Duration::from_secs(5)).await {
            kinds.push(e.event.clone());
            if e.event == "message" {
                break;
            }
        }
        for kind in ["operation", "delivery", "task", "message"] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "{kind} not heard: {kinds:?}"
            );
        }
        // Everyone else: not a frame about it.
        for (user, stream) in &mut deaf {
            while let Some(e) = stream.next_within(Duration::from_millis(300)).await {
                assert!(
                    !matches!(
                        e.event.as_str(),
                        "operation" | "task" | "delivery" | "message"
                    ),
                    "{user} heard {e:?}"
                );
            }
        }
        follower.abort();
    }

    /// Every operations path, asked by an observer, another country's officer, a member of a
    /// participating country cleared below the workspace, an under-cleared user of a
    /// participating agency, and a disabled participant: the answer (status and body) is the
    /// one for an operation that does not exist, and nothing is written.
    pub async fn outsiders_learn_nothing_from_any_operations_path(t: &TestApp) {
        use pamir_app::{admin::NewUser, Principal};
        use pamir_domain::{Classification, Role};
        let coordinator = t.login("coordinator").await;
        let tj = t.login("tj.officer").await;
        let kz_focal = t.login("kz.focal").await;
        t.app
            .admin()
            .add_user(
                Principal::System("test"),
                NewUser {
                    username: "tj.low".into(),
                    display_name: "Low clearance".into(),
                    agency: "TJ-AKN".into(),
                    roles: vec![Role::Officer],
                    clearance: Classification::Restricted,
                    password: "a long enough password".into(),
                    language: None,
                },
            )
            .await
            .unwrap();
        let r = t
            .post(
                "/api/v1/operations",
                &coordinator,
                json!({"code_name": "Silk Thread", "kind": "controlled_delivery", "starts": "2026-12-01",
                       "classification": "CONFIDENTIAL"}),
            )
            .await;
        let id = id_of(&r.json());
        let op = format!("/api/v1/operations/{id}");
        t.post(
            &format!("{op}/participants"),
            &coordinator,
            json!({"party": "TJ-AKN"}),
        )
        .await;
        t.post(
            &format!("{op}/participants"),
            &coordinator,
            json!({"party": "KZ"}),
        )
        .await;
        t.post(&format!("{op}/participants/TJ-AKN/accept"), &tj, json!({}))
            .await;
        t.post(
            &format!("{op}/participants/KZ/accept"),
            &kz_focal,
            json!({}),
        )
        .await;
        t.call(
            Method::PUT,
            &format!("{op}/delivery"),
            Some(&coordinator),
            Some(json!({"kind": "transit", "substance": "heroin"})),
        )
        .await;
        let legs = t
            .post(
                &format!("{op}/delivery/legs"),
                &coordinator,
                json!({"from": "TJ-AKN", "to": "KZ", "planned_departure": "2026-12-08T06:00",
                         "planned_handover": "2026-12-08T14:00"}),
            )
            .await;
        let leg = legs.json()["legs"][0]["id"].as_str().unwrap().to_string();
        let task = t
            .post(
                &format!("{op}/tasks"),
                &coordinator,
                json!({"title": "Fit the tracker", "assignee": "TJ-AKN", "due": "2999-01-01"}),
            )
            .await;
        let task = task.json()["id"].as_str().unwrap().to_string();

        // Every path, with a body that would be accepted from a participant.
        let paths = |base: &str| -> Vec<(Method, String, Option<serde_json::Value>)> {
            vec![
                (Method::GET, base.to_string(), None),
                (Method::GET, format!("{base}/tasks"), None),
                (Method::GET, format!("{base}/delivery"), None),
                (Method::GET, format!("{base}/journal"), None),
                (Method::GET, format!("{base}/report"), None),
                (
                    Method::POST,
                    format!("{base}/participants"),
                    Some(json!({"party": "KG-SBNON"})),
                ),
                (
                    Method::POST,
                    format!("{base}/participants/TJ-AKN/accept"),
                    Some(json!({})),
                ),
                (
                    Method::POST,
                    format!("{base}/participants/TJ-AKN/decline"),
                    Some(json!({})),
                ),
                (Method::DELETE, format!("{base}/participants/TJ-AKN"), None),
                (
                    Method::PUT,
                    base.to_string(),
                    Some(
                        json!({"code_name": "Renamed", "kind": "controlled_delivery",
                                "starts": "2026-12-01", "classification": "CONFIDENTIAL"}),
                    ),
                ),
                (
                    Method::POST,
                    format!("{base}/tasks"),
                    Some(json!({"title": "x", "assignee": "TJ-AKN", "due": "2999-01-01"})),
                ),
                (
                    Method::POST,
                    format!("{base}/tasks/{task}/status"),
                    Some(json!({"status": "in_progress"})),
                ),
                (
                    Method::POST,
                    format!("{base}/tasks/{task}/comments"),
                    Some(json!({"body": "hello"})),
                ),
                (
                    Method::PUT,
                    format!("{base}/delivery"),
                    Some(json!({"kind": "transit", "substance": "heroin"})),
                ),
                (
                    Method::POST,
                    format!("{base}/delivery/status"),
                    Some(json!({"status": "authorised"})),
                ),
                (
                    Method::PUT,
                    format!("{base}/delivery/authorisations/TJ"),
                    Some(
                        json!({"authority": "PGO", "legal_basis": "OSA art. 12", "reference": "R-1",
                                "date": "2026-12-01", "consent": "given", "duty_contact": "+992 000"}),
                    ),
                ),
                (
                    Method::POST,
                    format!("{base}/delivery/legs"),
                    Some(
                        json!({"from": "KZ", "to": "TJ-AKN", "planned_departure": "2026-12-09T06:00",
                             "planned_handover": "2026-12-09T14:00"}),
                    ),
                ),
                (
                    Method::POST,
                    format!("{base}/delivery/legs/{leg}"),
                    Some(json!({"status": "in_transit"})),
                ),
                (
                    Method::POST,
                    format!("{base}/results"),
                    Some(json!({"arrests": 1})),
                ),
            ]
        };
        let written = || async { t.app.events_after(0, 1_000_000).await.unwrap().len() };
        let mut users = Vec::new();
        for name in ["fr.observer", "kg.officer", "kz.blo"] {
            users.push((name, t.login(name).await));
        }
        let low = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "tj.low", "password": "a long enough password"})),
            )
            .await;
        users.push(("tj.low", low.json()["token"].as_str().unwrap().to_string()));
        // A participant disabled after logging in.
        let disabled = t.login("tj.officer").await;
        t.app
            .admin()
            .set_user_disabled(Principal::System("test"), "tj.officer", true)
            .await
            .unwrap();
        users.push(("tj.officer (disabled)", disabled));
        let before = written().await;
        let missing = "op-0000000000000000000000000000dead";
        for (name, token) in &users {
            for ((method, real, body), (_, fake, fake_body)) in paths(&op)
                .into_iter()
                .zip(paths(&format!("/api/v1/operations/{missing}")))
            {
                let seen = t.call(method.clone(), &real, Some(token), body).await;
                let absent = t.call(method.clone(), &fake, Some(token), fake_body).await;
                assert!(
                    matches!(
                        seen.status,
                        StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED
                    ),
                    "{name} {method} {real}: {} {}",
                    seen.status,
                    seen.text()
                );
                assert_eq!(
                    (seen.status, seen.text().replace(&id, missing)),
                    (absent.status, absent.text()),
                    "{name} {method} {real} answers unlike an absent operation"
                );
            }
        }
        assert_eq!(
            written().await,
            before,
            "nothing was written by any of them"
        );
    }
}
