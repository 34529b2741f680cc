//! Matching through the API: hit/no-hit, disclosure, screening, and matches that follow the outbox.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{id_of, named};
use crate::support::{demo_config, TestApp};

on_every_engine!(
    hit_no_hit_disclosure_and_screening,
    matches_follow_imports_changes_deletions_and_restarts,
);

mod scenarios {
    use super::*;

    /// The story: a Tajik officer submits a person a Kazakh agency holds as
    /// CONFIDENTIAL to KZ only, sees only a hit, asks, and reads it once the owner approves.
    pub async fn hit_no_hit_disclosure_and_screening(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                named(
                    "Хасанов Джамшид Рустамович",
                    "1985-03-14",
                    "CONFIDENTIAL",
                    json!({"countries": ["KZ"]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let kz_id = id_of(&r.json());
        let r = t
            .post(
                "/api/v1/records",
                &tj,
                named(
                    "Ҳасанов Ҷамшед",
                    "1985-03-14",
                    "RESTRICTED",
                    json!({"all_members": true}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let tj_id = id_of(&r.json());

        // The Tajik officer learns only that a Kazakh record exists.
        let r = t
            .get(&format!("/api/v1/records/{tj_id}/matches"), &tj)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let body = r.text();
        let matches = r.json()["matches"].as_array().unwrap().clone();
        assert_eq!(matches.len(), 1, "{body}");
        let hit = &matches[0];
        assert_eq!(hit["access"], "hit");
        assert_eq!(hit["owner"], "KZ-MVD");
        assert_eq!(hit["schema"], "Person");
        assert!(hit["score"].as_f64().unwrap() >= 0.7);
        for secret in [
            "Джамшид",
            "Рустамович",
            kz_id.as_str(),
            "explanation",
            "caption",
        ] {
            assert!(!body.contains(secret), "a hit leaks {secret}: {body}");
        }
        let reference = hit["reference"].as_str().unwrap().to_string();
        // The Kazakh officer sees the match in full, with the reasons.
        let r = t
            .get(&format!("/api/v1/records/{kz_id}/matches"), &kz)
            .await
            .json();
        assert_eq!(r["matches"][0]["access"], "full", "{r}");
        assert_eq!(r["matches"][0]["other"], tj_id.as_str());
        assert!(
            r["matches"][0]["explanation"]
                .as_str()
                .unwrap()
                .contains("surname: transliteration match"),
            "{r}"
        );
        // Both inboxes show it.
        let inbox = t.get("/api/v1/hits", &tj).await.json();
        assert_eq!(inbox["matches"][0]["access"], "hit", "{inbox}");
        let inbox = t.get("/api/v1/hits", &kz).await.json();
        assert_eq!(inbox["matches"][0]["access"], "full", "{inbox}");

        // Screening a passport at the border finds both, without storing anything.
        let before = t.get("/api/v1/records?limit=100", &tj).await.json()["items"]
            .as_array()
            .unwrap()
            .len();
        let r = t
            .post(
                "/api/v1/match",
                &tj,
                json!({"schema": "Person", "properties": {"name": ["KHASANOV DZHAMSHED"], "birthDate": ["1985-03-14"]}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let screen = r.json();
        assert_eq!(screen["matches"][0]["other"], tj_id.as_str(), "{screen}");
        assert_eq!(screen["hits"][0]["owner"], "KZ-MVD", "{screen}");
        assert!(!r.text().contains("Джамшид"));
        let after = t.get("/api/v1/records?limit=100", &tj).await.json()["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after, "screening stores nothing");
        assert_ne!(
            screen["hits"][0]["reference"],
            kz_id.as_str(),
            "a hit's reference is opaque"
        );
        for bad in [
            json!({"schema": "Person", "properties": {"name": ["Hasanov"], "birthDate": ["1985-13-45"]}}),
            json!({"schema": "Person", "properties": {"name": ["Hasanov"], "shoeSize": ["44"]}}),
            json!({"schema": "Person", "properties": {"name": ["A".repeat(10_000)]}}),
        ] {
            let r = t.post("/api/v1/match", &tj, bad.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{bad}: {}",
                r.text()
            );
        }
        // An observer out of scope may not even learn the record exists.
        let observer = t.login("fr.observer").await;
        let r = t
            .get(&format!("/api/v1/records/{kz_id}/matches"), &observer)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        let r = t
            .get(&format!("/api/v1/records/{kz_id}/matches"), &tj)
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a hit's holder learns why: {}",
            r.text()
        );
        let r = t
            .post(
                "/api/v1/match",
                &tj,
                json!({"schema": "Person", "properties": {"name": ["!!!"]}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = t
            .post(
                "/api/v1/match",
                &tj,
                json!({"schema": "Passport", "properties": {}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());

        // Asking: a reason is required, one pending request per agency and record.
        let r = t
            .post(
                "/api/v1/disclosures",
                &tj,
                json!({"reference": reference, "justification": "why"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let ask = json!({"reference": reference, "justification": "Joint investigation TJ-2026-114: the same courier crossed at Fayzobod."});
        let r = t.post("/api/v1/disclosures", &tj, ask.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let request = r.json();
        assert_eq!(request["status"], "pending");
        assert_eq!(request["owner"], "KZ-MVD");
        let request_id = request["id"].as_str().unwrap().to_string();
        assert_eq!(
            t.post("/api/v1/disclosures", &tj, ask).await.status,
            StatusCode::CONFLICT
        );
        let r = t
            .get(&format!("/api/v1/records/{tj_id}/matches"), &tj)
            .await
            .json();
        assert_eq!(r["matches"][0]["request"], "pending", "{r}");
        // Nothing of the content before approval; the requester cannot approve.
        assert_eq!(
            t.get(&format!("/api/v1/records/{kz_id}"), &tj).await.json()["access"],
            "hit"
        );
        let r = t
            .post(
                &format!("/api/v1/disclosures/{request_id}/approve"),
                &tj,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

        // The owner approves, adding a handling code.
        let lists = t.get("/api/v1/disclosures", &kz).await.json();
        assert_eq!(lists["incoming"][0]["id"], request_id.as_str(), "{lists}");
        let r = t
            .post(
                &format!("/api/v1/disclosures/{request_id}/approve"),
                &kz,
                json!({"handling_codes": ["NO_ONWARD"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["status"], "approved");
        let record = t.get(&format!("/api/v1/records/{kz_id}"), &tj).await.json();
        assert_eq!(record["access"], "full", "{record}");
        assert_eq!(
            record["properties"]["name"][0],
            "Хасанов Джамшид Рустамович"
        );
        assert!(record["meta"]["handling_codes"]
            .as_array()
            .unwrap()
            .contains(&json!("NO_ONWARD")));
        let r = t
            .get(&format!("/api/v1/records/{tj_id}/matches"), &tj)
            .await
            .json();
        assert_eq!(r["matches"][0]["access"], "full", "{r}");
        let r = t
            .post(
                &format!("/api/v1/disclosures/{request_id}/approve"),
                &kz,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // A decline needs a reason and leaves the record unread.
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                named(
                    "Каримов Фарход Алишерович",
                    "1979-11-02",
                    "CONFIDENTIAL",
                    json!({"countries": ["KZ"]}),
                ),
            )
            .await;
        let other_id = id_of(&r.json());
        let screen = t
            .post("/api/v1/match", &tj, json!({"schema": "Person", "properties": {"name": ["Karimov Farhod"], "birthDate": ["1979"]}}))
            .await
            .json();
        let reference = screen["hits"][0]["reference"].as_str().unwrap().to_string();
        let r = t
            .post("/api/v1/disclosures", &tj, json!({"reference": reference, "justification": "Seen at the Kulma pass with a known courier."}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let second = r.json()["id"].as_str().unwrap().to_string();
        let r = t
            .post(
                &format!("/api/v1/disclosures/{second}/decline"),
                &kz,
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = t
            .post(
                &format!("/api/v1/disclosures/{second}/decline"),
                &kz,
                json!({"reason": "Covert operation in progress."}),
            )
            .await;
        assert_eq!(r.json()["status"], "declined", "{}", r.text());
        assert_eq!(
            t.get(&format!("/api/v1/records/{other_id}"), &tj)
                .await
                .json()["access"],
            "hit"
        );

        // Every step is in the audit trail.
        let auditor = t.login("auditor").await;
        for action in [
            "match.found",
            "record.hit",
            "match.screen",
            "disclosure.request",
            "disclosure.approve",
            "disclosure.decline",
        ] {
            let page = t
                .get(&format!("/api/v1/audit?action={action}"), &auditor)
                .await
                .json();
            assert!(
                !page["items"].as_array().unwrap().is_empty(),
                "no {action} in the audit trail"
            );
        }
    }

    /// Matching follows every change through the outbox — imports included — re-evaluates a
    /// change, forgets a deletion, and a new process finds what the last one stored and picks
    /// up what it had not matched yet.
    pub async fn matches_follow_imports_changes_deletions_and_restarts(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let lines = [
            json!({"id": "kz-mvd:a", "schema": "Person", "properties": {"name": ["Назаров Фаррух Саидович"], "birthDate": ["1990-06-01"]}}),
            json!({"id": "kz-mvd:b", "schema": "Company", "properties": {"name": ["ТОО «Памир Логистик»"], "registrationNumber": ["120340012345"]}}),
        ]
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=CONFIDENTIAL&countries=KZ",
                Some(&kz),
                "application/x-ndjson",
                lines.into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let lines = [
            json!({"id": "tj-akn:a", "schema": "Person", "properties": {"name": ["NAZAROV FARRUKH"], "birthDate": ["1990"]}}),
            json!({"id": "tj-akn:b", "schema": "Company", "properties": {"name": ["Pamir Logistic LLP"]}}),
        ]
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=RESTRICTED&all_members=true",
                Some(&tj),
                "application/x-ndjson",
                lines.into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        for id in ["tj-akn:a", "tj-akn:b"] {
            let m = t
                .get(&format!("/api/v1/records/{id}/matches"), &tj)
                .await
                .json();
            assert_eq!(m["matches"][0]["access"], "hit", "{id}: {m}");
        }
        // A new process over the same database: stored matches are there, and a record written
        // while no process was matching is matched when the next one starts.
        let ctx = t.app.identity().context_for("tj.officer").await.unwrap();
        let mut input = pamir_app::records::parse_record_input(
            &json!({"id": "tj-akn:c", "schema": "Person", "properties": {"name": ["Nazarov Farrukh Saidovich"], "birthDate": ["1990-06-01"]},
                    "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}}),
            t.app.clock.today(),
            "",
        )
        .unwrap();
        input.id = Some(pamir_domain::entity::EntityId::parse("tj-akn:c").unwrap());
        let mut tx = t.store().begin().await.unwrap();
        let record = pamir_store::NewRecord::new(
            input.entity,
            input.meta.into_meta(ctx.user.agency.clone()),
            "tester",
        );
        tx.insert_record(&record).await.unwrap();
        tx.commit().await.unwrap();
        let again = pamir_app::App::with_store(
            t.store().clone(),
            demo_config(),
            true,
            pamir_app::Clock::system(),
        );
        let views = again
            .matching()
            .record_matches(&ctx, "tj-akn:a")
            .await
            .unwrap();
        assert!(
            views
                .iter()
                .any(|v| matches!(v.other, pamir_app::matching::MatchSide::Hit { .. })),
            "{views:?}"
        );
        let views = again
            .matching()
            .record_matches(&ctx, "tj-akn:c")
            .await
            .unwrap();
        let others: Vec<String> = views
            .iter()
            .map(|v| match &v.other {
                pamir_app::matching::MatchSide::Full { id, .. } => id.clone(),
                pamir_app::matching::MatchSide::Hit { owner, .. } => owner.clone(),
            })
            .collect();
        assert!(
            others.contains(&"tj-akn:a".to_string()) && others.contains(&"KZ-MVD".to_string()),
            "{others:?}"
        );
        // A change re-evaluates; a deletion forgets.
        let current = t.get("/api/v1/records/tj-akn:b", &tj).await.json();
        let r = t
            .call(Method::PUT, "/api/v1/records/tj-akn:b", Some(&tj), Some(json!({
                "schema": "Company", "version": current["version"], "properties": {"name": ["Dushanbe Textile"]},
                "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let m = t.get("/api/v1/records/tj-akn:b/matches", &tj).await.json();
        assert_eq!(m["matches"], json!([]), "{m}");
        assert_eq!(
            t.call(Method::DELETE, "/api/v1/records/kz-mvd:a", Some(&kz), None)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        let m = t.get("/api/v1/records/tj-akn:a/matches", &tj).await.json();
        assert!(
            m["matches"]
                .as_array()
                .unwrap()
                .iter()
                .all(|x| x["owner"] != "KZ-MVD"),
            "{m}"
        );
    }
}
