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

    /// The live stream: a participant hears of every change; an outsider, an observer, a user
    /// of a participating country cleared below the workspace, and the auditor hear nothing.
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

        // The participant hears the invitation, the answers, the delivery, the leg and the task.
        let mut kinds = Vec::new();
        while let Some(e) = heard.next_within(Duration::from_secs(5)).await {
            kinds.push(e.event.clone());
            if e.event == "task" {
                break;
            }
        }
        for kind in ["operation", "delivery", "task"] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "{kind} not heard: {kinds:?}"
            );
        }
        // Everyone else: not a frame about it.
        for (user, stream) in &mut deaf {
            while let Some(e) = stream.next_within(Duration::from_millis(300)).await {
                assert!(
                    !matches!(e.event.as_str(), "operation" | "task" | "delivery"),
                    "{user} heard {e:?}"
                );
            }
        }
        follower.abort();
    }
}
