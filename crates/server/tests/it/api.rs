//! The JSON API through the router, on every engine: the contract, the access policy, version
//! conflicts, bad input, authentication, import and export, administration and the audit trail.

use axum::http::{Method, StatusCode};
use pamir_app::Config;
use serde_json::{json, Value};

use crate::support::{demo_config, TestApp};

on_every_engine!(
    contract_create_fetch_hit_and_list,
    updates_name_the_version_they_read,
    only_the_owner_changes_a_record,
    invalid_records_are_refused_naming_the_field,
    malformed_bodies_are_refused_clearly,
    sql_metacharacters_are_plain_text,
    forged_revoked_and_expired_tokens_are_refused,
    api_tokens_for_national_systems,
    lockout_after_repeated_failures,
    import_is_all_or_nothing,
    csv_import_with_mapping_and_ragged_rows,
    export_keeps_handling_codes_and_withholds_no_onward,
    administration_respects_focal_point_limits,
    auditors_read_the_trail_of_reads_and_hits,
    bundles_and_links_follow_the_access_of_both_ends,
    health_openapi_and_unknown_routes,
    refusals_are_audited_and_nothing_is_overwritten,
    hit_no_hit_disclosure_and_screening,
    matches_follow_imports_changes_deletions_and_restarts,
);

#[tokio::test]
async fn second_factor_is_required_above_restricted_outside_demo() {
    for t in TestApp::all(false, Config::default()).await {
        scenarios::totp(&t).await;
        t.cleanup().await;
    }
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_client() {
    let mut config = Config::default();
    config.security.login_attempts_per_minute = 3;
    let db = pamir_store::testing::TestDb::sqlite().await;
    let t = TestApp::new(db, true, config).await;
    for _ in 0..3 {
        let r = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "nobody", "password": "x"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = t
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "kz.officer", "password": "demo"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.code(), "rate_limited");
    assert!(r.headers.get("retry-after").is_some());
    t.cleanup().await;
}

#[tokio::test]
async fn sessions_expire_when_idle_and_locks_lift_in_time() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let clock = pamir_app::Clock::fixed(now);
    let t = TestApp::with_clock(
        pamir_store::testing::TestDb::sqlite().await,
        true,
        Config::default(),
        clock.clone(),
    )
    .await;
    let token = t.login("kz.officer").await;
    clock.advance(59 * 60_000);
    assert_eq!(
        t.get("/api/v1/me", &token).await.status,
        StatusCode::OK,
        "used within the idle limit"
    );
    clock.advance(61 * 60_000);
    let r = t.get("/api/v1/me", &token).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated".to_string()),
        "idle for an hour"
    );
    let api = t.login("kz.blo").await;
    let created = t
        .post("/api/v1/tokens", &api, json!({"label": "short", "days": 1}))
        .await
        .json();
    let long_lived = created["token"].as_str().unwrap().to_string();
    clock.advance(23 * 3_600_000);
    assert_eq!(
        t.get("/api/v1/me", &long_lived).await.status,
        StatusCode::OK,
        "API tokens do not idle out"
    );
    clock.advance(2 * 3_600_000);
    assert_eq!(
        t.get("/api/v1/me", &long_lived).await.status,
        StatusCode::UNAUTHORIZED,
        "but they expire"
    );

    for _ in 0..5 {
        t.call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "kg.officer", "password": "nope"})),
        )
        .await;
    }
    let r = t
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "kg.officer", "password": "demo"})),
        )
        .await;
    assert_eq!(r.code(), "account_locked");
    clock.advance(16 * 60_000);
    let r = t
        .call(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"username": "kg.officer", "password": "demo"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the lock lifts after lockout_minutes: {}",
        r.text()
    );
    t.cleanup().await;
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let mut config = Config::default();
    config.server.max_body_bytes = 4096;
    config.server.import_max_bytes = 8192;
    let db = pamir_store::testing::TestDb::sqlite().await;
    let t = TestApp::new(db, true, config).await;
    let token = t.login("kz.officer").await;
    let big = json!({"schema": "Person", "properties": {"name": ["x".repeat(10_000)]}, "meta": {"classification": "RESTRICTED"}});
    let r = t.post("/api/v1/records", &token, big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(r.code(), "payload_too_large");
    let line = json!({"schema": "Person", "properties": {"name": ["A"]}}).to_string() + "\n";
    let r = t
        .raw(
            Method::POST,
            "/api/v1/import?classification=RESTRICTED",
            Some(&token),
            "application/x-ndjson",
            line.repeat(400).into_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    t.cleanup().await;
}

pub fn person(name: &str, classification: &str, dissemination: Value) -> Value {
    json!({"schema": "Person", "properties": {"name": [name], "birthDate": ["1985-03-02"], "nationality": ["tj"]},
           "meta": {"classification": classification, "dissemination": dissemination}})
}

pub fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

mod scenarios {
    use super::*;

    fn named(name: &str, birth: &str, classification: &str, dissemination: Value) -> Value {
        json!({"schema": "Person", "properties": {"name": [name], "birthDate": [birth]},
               "meta": {"classification": classification, "dissemination": dissemination}})
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
        let ctx = t.app.context_for("tj.officer").await.unwrap();
        let mut input = pamir_app::records::parse_record_input(
            &json!({"id": "tj-akn:c", "schema": "Person", "properties": {"name": ["Nazarov Farrukh Saidovich"], "birthDate": ["1990-06-01"]},
                    "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}}),
            t.app.clock.today(),
            "",
        )
        .unwrap();
        input.id = Some(pamir_domain::entity::EntityId::parse("tj-akn:c").unwrap());
        let mut tx = t.app.store.begin().await.unwrap();
        let record = pamir_store::NewRecord::new(
            input.entity,
            input.meta.into_meta(ctx.user.agency.clone()),
            "tester",
        );
        tx.insert_record(&record).await.unwrap();
        tx.commit().await.unwrap();
        let again = pamir_app::App::with_store(
            t.app.store.clone(),
            demo_config(),
            true,
            pamir_app::Clock::system(),
        );
        let views = again.record_matches(&ctx, "tj-akn:a").await.unwrap();
        assert!(
            views
                .iter()
                .any(|v| matches!(v.other, pamir_app::matching::MatchSide::Hit { .. })),
            "{views:?}"
        );
        let views = again.record_matches(&ctx, "tj-akn:c").await.unwrap();
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

    pub async fn refusals_are_audited_and_nothing_is_overwritten(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let id = id_of(
            &t.post(
                "/api/v1/records",
                &kz,
                person("Owned", "CONFIDENTIAL", json!({"countries": ["KZ"]})),
            )
            .await
            .json(),
        );
        // tj may know the record exists (a hit), so it learns why it cannot change it.
        let mut change = person("Changed", "CONFIDENTIAL", json!({"countries": ["KZ"]}));
        change["version"] = json!(1);
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/records/{id}"),
                Some(&tj),
                Some(change),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/records/{id}"),
                Some(&tj),
                None
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.post(
                "/api/v1/records",
                &kz,
                person("Too secret", "SECRET", json!({}))
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.get("/api/v1/audit", &kz).await.status,
            StatusCode::FORBIDDEN
        );
        let auditor = t.login("auditor").await;
        let denied = t
            .get("/api/v1/audit?action=access.denied", &auditor)
            .await
            .json();
        let attempts: Vec<(String, String)> = denied["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap().to_string(),
                    e["details"]["attempted"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for expected in [
            ("tj.officer", "record.update"),
            ("tj.officer", "record.delete"),
            ("kz.officer", "record.create"),
            ("kz.officer", "audit.read"),
        ] {
            assert!(
                attempts.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {attempts:?}"
            );
        }
        // A search's results are on record by id.
        t.get("/api/v1/records?q=owned", &kz).await;
        let searches = t
            .get(
                "/api/v1/audit?action=record.search&actor=kz.officer",
                &auditor,
            )
            .await
            .json();
        assert_eq!(searches["items"][0]["details"]["ids"], json!([id]));

        let admin = t.login("admin").await;
        let kazakhstan =
            json!({"code": "KZ", "status": "observer", "name_en": "K", "name_ru": "К"});
        let r = t.post("/api/v1/countries", &admin, kazakhstan).await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a registered country is not overwritten: {}",
            r.text()
        );
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/countries/KZ",
                Some(&admin),
                Some(json!({"name_en": "Republic of Kazakhstan"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["status"], "member");
        let updates = t
            .get("/api/v1/audit?action=country.update", &auditor)
            .await
            .json();
        assert_eq!(updates["items"].as_array().unwrap().len(), 1);

        let token = t
            .post("/api/v1/tokens", &kz, json!({"label": "system"}))
            .await
            .json()["token"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(
            t.post("/api/v1/tokens", &token, json!({"label": "child"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let focal = t.login("kz.focal").await;
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/users/kz.focal",
                Some(&focal),
                Some(json!({"disabled": true})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "no one disables their own account"
        );
        let centre = json!({"code": "KZ-CENTRE", "kind": "centre", "name_en": "x", "name_ru": "х"});
        assert_eq!(
            t.post("/api/v1/agencies", &focal, centre).await.status,
            StatusCode::FORBIDDEN
        );
        let r = t.get("/api/v1/records?limit=abc", &kz).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "bad_request".to_string()),
            "query errors are JSON too"
        );
    }

    pub async fn contract_create_fetch_hit_and_list(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                person(
                    "Хасанов Шерзод",
                    "CONFIDENTIAL",
                    json!({"countries": ["KZ"]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let created = r.json();
        assert_eq!(created["version"], 1);
        let id = id_of(&created);

        let full = t.get(&format!("/api/v1/records/{id}"), &kz).await;
        assert_eq!(full.status, StatusCode::OK);
        let full = full.json();
        assert_eq!(full["access"], "full");
        assert_eq!(full["properties"]["name"][0], "Хасанов Шерзод");
        assert_eq!(full["meta"]["classification"], "CONFIDENTIAL");
        assert_eq!(full["meta"]["owner"], "KZ-MVD");

        let hit = t.get(&format!("/api/v1/records/{id}"), &tj).await;
        assert_eq!(hit.status, StatusCode::OK);
        let hit = hit.json();
        assert_eq!(
            hit,
            json!({"id": id, "schema": "Person", "owner": "KZ-MVD", "access": "hit"})
        );

        let observer = t.login("fr.observer").await;
        assert_eq!(
            t.get(&format!("/api/v1/records/{id}"), &observer)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let absent = t.get("/api/v1/records/no-such-record", &kz).await;
        assert_eq!(
            (absent.status, absent.code()),
            (StatusCode::NOT_FOUND, "not_found".to_string())
        );

        let kz_list = t
            .get("/api/v1/records?schema=Person&q=khasanov", &kz)
            .await
            .json();
        assert!(
            kz_list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == id.as_str()),
            "{kz_list}"
        );
        let tj_list = t
            .get("/api/v1/records?schema=Person&q=khasanov", &tj)
            .await
            .json();
        assert!(!tj_list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id.as_str()));
        let bad = t.get("/api/v1/records?schema=Spaceship", &kz).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let auditor = t.login("auditor").await;
        assert_eq!(
            t.get(&format!("/api/v1/records/{id}"), &auditor)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get("/api/v1/records", &auditor).await.status,
            StatusCode::FORBIDDEN
        );
    }

    pub async fn updates_name_the_version_they_read(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let id = id_of(
            &t.post(
                "/api/v1/records",
                &kz,
                person("Иванов", "RESTRICTED", json!({"all_members": true})),
            )
            .await
            .json(),
        );
        let mut change = person("Иванов Иван", "RESTRICTED", json!({"all_members": true}));
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/records/{id}"),
                Some(&kz),
                Some(change.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "version is required: {}",
            r.text()
        );
        change["version"] = json!(1);
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/records/{id}"),
                Some(&kz),
                Some(change.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["version"], 2);
        let stale = t
            .call(
                Method::PUT,
                &format!("/api/v1/records/{id}"),
                Some(&kz),
                Some(change),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.code(), "version_conflict");
        assert_eq!(stale.json()["error"]["details"]["current_version"], 2);
        let del = t
            .call(
                Method::DELETE,
                &format!("/api/v1/records/{id}?version=1"),
                Some(&kz),
                None,
            )
            .await;
        assert_eq!(del.status, StatusCode::CONFLICT);
        let del = t
            .call(
                Method::DELETE,
                &format!("/api/v1/records/{id}?version=2"),
                Some(&kz),
                None,
            )
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT);
        assert_eq!(
            t.get(&format!("/api/v1/records/{id}"), &kz).await.status,
            StatusCode::NOT_FOUND
        );
    }

    pub async fn only_the_owner_changes_a_record(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let kg = t.login("kg.officer").await;
        let id = id_of(
            &t.post(
                "/api/v1/records",
                &kz,
                person("Asanov", "RESTRICTED", json!({"all_members": true})),
            )
            .await
            .json(),
        );
        let mut change = person("Asanov B.", "RESTRICTED", json!({"all_members": true}));
        change["version"] = json!(1);
        let r = t
            .call(
                Method::PUT,
                &format!("/api/v1/records/{id}"),
                Some(&kg),
                Some(change),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "forbidden".to_string())
        );
        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/records/{id}"),
                Some(&kg),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let secret = t
            .post("/api/v1/records", &kz, person("X", "SECRET", json!({})))
            .await;
        assert_eq!(
            secret.status,
            StatusCode::FORBIDDEN,
            "above clearance: {}",
            secret.text()
        );
    }

    pub async fn invalid_records_are_refused_naming_the_field(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let fields = |body: Value| async {
            let r = t.post("/api/v1/records", &kz, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
            assert_eq!(r.code(), "invalid");
            r.json()["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["field"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(json!({"schema": "Spaceship", "properties": {}, "meta": {"classification": "RESTRICTED"}})).await, ["schema"]);
        assert_eq!(
            fields(json!({"schema": "Person", "properties": {"name": "A", "colour": ["red"]}, "meta": {"classification": "RESTRICTED"}})).await,
            ["properties.colour"]
        );
        assert_eq!(fields(json!({"schema": "Person", "properties": {"name": [5]}, "meta": {"classification": "RESTRICTED"}})).await, ["properties.name[0]"]);
        assert_eq!(
            fields(json!({"schema": "Person", "properties": {"name": "A", "birthDate": "2023-02-30", "nationality": "QQ"}, "meta": {"classification": "RESTRICTED"}})).await,
            ["properties.birthDate[0]", "properties.nationality[0]"]
        );
        assert_eq!(
            fields(json!({"schema": "Seizure", "properties": {"date": "2024-01-01", "country": "kz", "substance": "heroin", "quantity": "-4", "unit": "kg"}, "meta": {"classification": "RESTRICTED"}})).await,
            ["properties.quantity[0]"]
        );
        assert_eq!(
            fields(json!({"schema": "Person", "properties": {"name": "A"}})).await,
            ["meta"]
        );
        assert_eq!(
            fields(json!({"schema": "Person", "properties": {"name": "A"}, "meta": {"classification": "RESTRICTED", "dissemination": {"agencies": ["UZ-NOPE"]}}})).await,
            ["meta.dissemination.agencies[0]"]
        );
        assert_eq!(fields(json!({"schema": "Person", "properties": {"name": "A"}, "meta": {"classification": 3}})).await, ["meta.classification"]);
        assert_eq!(fields(json!({"schema": "Person", "id": "../etc/passwd", "properties": {"name": "A"}, "meta": {"classification": "RESTRICTED"}})).await, ["id"]);
        let total = t.get("/api/v1/records", &kz).await.json()["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(total, 0, "nothing was written");
    }

    pub async fn malformed_bodies_are_refused_clearly(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let r = t
            .raw(
                Method::POST,
                "/api/v1/records",
                Some(&kz),
                "application/json",
                b"{\"schema\": ".to_vec(),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "bad_request".to_string())
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 1"));
        let r = t
            .raw(
                Method::POST,
                "/api/v1/records",
                Some(&kz),
                "application/json",
                vec![b'{', 0xff, 0xfe, b'}'],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8"));
        let r = t
            .raw(
                Method::POST,
                "/api/v1/records",
                Some(&kz),
                "application/json",
                Vec::new(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = t
            .raw(
                Method::POST,
                "/api/v1/records",
                Some(&kz),
                "application/json",
                b"[1, 2]".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t
            .post(
                "/api/v1/session",
                "",
                json!({"username": 5, "password": "demo"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    pub async fn sql_metacharacters_are_plain_text(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let evil = "Robert'); DROP TABLE records; -- \" OR 1=1 % _ \\ ;";
        let body = json!({"schema": "Person", "properties": {"name": [evil], "notes": [evil], "passportNumber": [evil], "birthPlace": [evil]},
                          "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}});
        let r = t.post("/api/v1/records", &kz, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = id_of(&r.json());
        assert_eq!(
            t.get(&format!("/api/v1/records/{id}"), &kz).await.json()["properties"]["name"][0],
            evil
        );
        for q in [
            evil,
            "robert",
            "' OR ''='",
            "\"*",
            "a\" OR \"b",
            "NEAR(",
            "x:*&!|",
        ] {
            let uri = format!("/api/v1/records?q={}", pamir_server::extract::urlencode(q));
            let r = t.get(&uri, &kz).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
        }
        let found = t.get("/api/v1/records?q=robert", &kz).await.json();
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        for field in ["agency", "country", "classification", "schema"] {
            let r = t
                .get(&format!("/api/v1/records?{field}=%27%20OR%201%3D1--"), &kz)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        }
        let r = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "admin' --", "password": "' OR '1'='1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = t
            .get(
                "/api/v1/audit?actor=%27%20OR%201%3D1--",
                &t.login("auditor").await,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.json()["items"].as_array().unwrap().is_empty());
    }

    pub async fn forged_revoked_and_expired_tokens_are_refused(t: &TestApp) {
        let r = t.get("/api/v1/me", "forged-token").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "unauthenticated".to_string())
        );
        let r = t.call(Method::GET, "/api/v1/me", None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let kz = t.login("kz.officer").await;
        assert_eq!(t.get("/api/v1/me", &kz).await.json()["agency"], "KZ-MVD");
        assert_eq!(
            t.call(Method::DELETE, "/api/v1/session", Some(&kz), None)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.get("/api/v1/me", &kz).await.status,
            StatusCode::UNAUTHORIZED,
            "logged-out token"
        );
        // A session past its end: move its expiry into the past directly in the store.
        let kg = t.login("kg.officer").await;
        let session = t
            .app
            .store
            .find_session(&pamir_app::secrets::token_hash(&kg))
            .await
            .unwrap()
            .unwrap();
        let mut tx = t.app.store.begin().await.unwrap();
        tx.revoke_session(&session.id, 1).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            t.get("/api/v1/me", &kg).await.status,
            StatusCode::UNAUTHORIZED
        );
        // A disabled account's sessions end at once.
        let tj = t.login("tj.officer").await;
        let admin = t.login("admin").await;
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/users/tj.officer",
                Some(&admin),
                Some(json!({"disabled": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(
            t.get("/api/v1/me", &tj).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "tj.officer", "password": "demo"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // A cookie session must send X-CSRF-Token to change anything.
        let login = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "uz.officer", "password": "demo"})),
            )
            .await;
        let cookie = login
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert!(login
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("HttpOnly; SameSite=Strict"));
        let req = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/api/v1/records")
            .header("cookie", &cookie)
            .body(axum::body::Body::from(
                person("A", "RESTRICTED", json!({})).to_string(),
            ))
            .unwrap();
        let r = t.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let req = axum::http::Request::builder()
            .method(Method::GET)
            .uri("/api/v1/me")
            .header("cookie", &cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(t.send(req).await.status, StatusCode::OK);
    }

    pub async fn api_tokens_for_national_systems(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let r = t
            .post(
                "/api/v1/tokens",
                &kz,
                json!({"label": "KZ national system", "days": 30}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let created = r.json();
        let token = created["token"].as_str().unwrap().to_string();
        assert_eq!(t.get("/api/v1/me", &token).await.status, StatusCode::OK);
        let list = t.get("/api/v1/tokens", &kz).await.json();
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|t| t.get("token").is_none()),
            "secrets are never listed"
        );
        let id = created["id"].as_str().unwrap();
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/tokens/{id}"),
                Some(&kz),
                None
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.get("/api/v1/me", &token).await.status,
            StatusCode::UNAUTHORIZED
        );
        let kg = t.login("kg.officer").await;
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/tokens/{id}"),
                Some(&kg),
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.post("/api/v1/tokens", &kz, json!({"label": ""}))
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    pub async fn lockout_after_repeated_failures(t: &TestApp) {
        let attempt = |password: &'static str| async move {
            t.call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "uz.officer", "password": password})),
            )
            .await
        };
        for _ in 0..4 {
            let r = attempt("wrong").await;
            assert_eq!(r.code(), "unauthenticated");
        }
        assert_eq!(attempt("wrong").await.code(), "account_locked");
        let r = attempt("demo").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "account_locked".to_string()),
            "locked even with the right password"
        );
        let admin = t.login("admin").await;
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/users/uz.officer",
                Some(&admin),
                Some(json!({"password": "a new password"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "uz.officer", "password": "a new password"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "unlocked by the reset: {}",
            r.text()
        );
        let auditor = t.login("auditor").await;
        let failures = t
            .get(
                "/api/v1/audit?action=login.failure&target=uz.officer",
                &auditor,
            )
            .await
            .json();
        assert_eq!(failures["items"].as_array().unwrap().len(), 6);
    }

    pub async fn import_is_all_or_nothing(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let good = [
            json!({"id": "kz-mvd:1", "schema": "Person", "properties": {"name": ["Нурланов Ерлан"]}}),
            json!({"id": "kz-mvd:2", "schema": "Vehicle", "properties": {"registrationNumber": ["123 ABC 02"]}, "datasets": ["kz"]}),
            json!({"id": "kz-mvd:3", "schema": "Person", "properties": {"name": ["Secret one"]}, "meta": {"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}}}),
        ];
        let body = good
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n\n";
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=RESTRICTED&all_members=true",
                Some(&kz),
                "application/x-ndjson",
                body.clone().into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json(), json!({"lines": 3, "created": 3, "updated": 0}));
        // Importing the same ids again updates them.
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=RESTRICTED&all_members=true",
                Some(&kz),
                "application/x-ndjson",
                body.into_bytes(),
            )
            .await;
        assert_eq!(r.json(), json!({"lines": 3, "created": 0, "updated": 3}));
        assert_eq!(
            t.get("/api/v1/records/kz-mvd:3", &kz).await.json()["meta"]["classification"],
            "CONFIDENTIAL"
        );
        let tj = t.login("tj.officer").await;
        assert_eq!(
            t.get("/api/v1/records/kz-mvd:1", &tj).await.json()["access"],
            "full"
        );

        let bad = [
            json!({"id": "tj-akn:n-1", "schema": "Person", "properties": {"name": ["Fine"]}}).to_string(),
            "{not json".to_string(),
            json!({"id": "tj-akn:n-3", "schema": "Spaceship", "properties": {}}).to_string(),
            json!({"id": "tj-akn:n-1", "schema": "Person", "properties": {"name": ["Duplicate"]}}).to_string(),
            json!({"id": "tj-akn:n-5", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["1999-02-31"]}}).to_string(),
            json!({"id": "kz-mvd:1", "schema": "Person", "properties": {"name": ["Taken"]}}).to_string(),
            json!({"id": "tj-akn:n-7", "schema": "Seizure", "properties": {"date": "2024-01-01", "country": "tj", "substance": "heroin", "quantity": "-1", "unit": "kg"}}).to_string(),
        ];
        let mut bytes = bad.join("\n").into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe\n");
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=RESTRICTED",
                Some(&tj),
                "application/x-ndjson",
                bytes,
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "import_rejected".to_string()
            ),
            "{}",
            r.text()
        );
        let lines: Vec<String> = r.json()["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect();
        let numbers: Vec<u64> = r.json()["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers, [2, 3, 4, 5, 6, 7, 8], "{lines:#?}");
        assert!(
            lines.iter().any(
                |l| l.starts_with("line 4: id: \"tj-akn:n-1\" appears again (first on line 1)")
            ),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "line 6: id: \"kz-mvd:1\" is not an id of your agency: an id you choose begins with \"tj-akn:\" (or leave it out)"),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("line 8: line: is not valid UTF-8")),
            "{lines:#?}"
        );
        assert_eq!(
            t.get("/api/v1/records/tj-akn:n-1", &tj).await.status,
            StatusCode::NOT_FOUND,
            "nothing was written"
        );

        let r = t
            .raw(
                Method::POST,
                "/api/v1/import",
                Some(&tj),
                "application/x-ndjson",
                b"{}".to_vec(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the default classification is required"
        );
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?classification=SECRET",
                Some(&tj),
                "application/x-ndjson",
                good[0].to_string().into_bytes(),
            )
            .await;
        assert_eq!(
            r.code(),
            "import_rejected",
            "above the importer's clearance: {}",
            r.text()
        );
    }

    pub async fn csv_import_with_mapping_and_ragged_rows(t: &TestApp) {
        let tj = t.login("tj.officer").await;
        let csv = "ID,ФИО,Дата рождения,Гражданство,Примечание\ntj-akn:t-1,Қурбонов Ҷамшед,1990-01-02,tj,x\ntj-akn:t-2,\"Rahimov, Farhod\",1988,uz,y\n";
        let uri = "/api/v1/import?format=csv&schema=Person&classification=RESTRICTED&map=ID%3Did,%D0%A4%D0%98%D0%9E%3Dname,%D0%94%D0%B0%D1%82%D0%B0%20%D1%80%D0%BE%D0%B6%D0%B4%D0%B5%D0%BD%D0%B8%D1%8F%3DbirthDate,%D0%93%D1%80%D0%B0%D0%B6%D0%B4%D0%B0%D0%BD%D1%81%D1%82%D0%B2%D0%BE%3Dnationality,%D0%9F%D1%80%D0%B8%D0%BC%D0%B5%D1%87%D0%B0%D0%BD%D0%B8%D0%B5%3Dnotes";
        let r = t
            .raw(
                Method::POST,
                uri,
                Some(&tj),
                "text/csv",
                csv.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["created"], 2);
        assert_eq!(
            t.get("/api/v1/records/tj-akn:t-2", &tj).await.json()["properties"]["name"][0],
            "Rahimov, Farhod"
        );

        let ragged = "name,birthDate\nA,1990\nB\nC,1991,extra\n";
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?schema=Person&classification=RESTRICTED",
                Some(&tj),
                "text/csv",
                ragged.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.code(), "import_rejected", "{}", r.text());
        let lines: Vec<u64> = r.json()["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 4]);
        let unknown_column = "name,colour\nA,red\n";
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?schema=Person&classification=RESTRICTED",
                Some(&tj),
                "text/csv",
                unknown_column.as_bytes().to_vec(),
            )
            .await;
        assert!(
            r.json()["error"]["details"][0]["message"]
                .as_str()
                .unwrap()
                .contains("colour"),
            "{}",
            r.text()
        );
        let r = t
            .raw(
                Method::POST,
                "/api/v1/import?format=csv&classification=RESTRICTED",
                Some(&tj),
                "text/csv",
                b"name\nA\n".to_vec(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "CSV needs a schema"
        );
    }

    pub async fn export_keeps_handling_codes_and_withholds_no_onward(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let mut a = person(
            "Shared with codes",
            "RESTRICTED",
            json!({"all_members": true}),
        );
        a["meta"]["handling_codes"] = json!(["LE_ONLY", "NO_EVIDENCE"]);
        let mut b = person("No onward", "RESTRICTED", json!({"all_members": true}));
        b["meta"]["handling_codes"] = json!(["NO_ONWARD"]);
        assert_eq!(
            t.post("/api/v1/records", &kz, a).await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            t.post("/api/v1/records", &kz, b).await.status,
            StatusCode::CREATED
        );
        let own = t.get("/api/v1/export", &kz).await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(own.text().lines().count(), 2, "the owner exports both");
        let other = t.get("/api/v1/export?schema=Person", &tj).await;
        let lines: Vec<Value> = other
            .text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines.len(),
            1,
            "NO_ONWARD stays with its owner: {}",
            other.text()
        );
        assert_eq!(
            lines[0]["meta"]["handling_codes"],
            json!(["LE_ONLY", "NO_EVIDENCE"])
        );
        assert_eq!(lines[0]["schema"], "Person");
        let auditor = t.login("auditor").await;
        let exports = t.get("/api/v1/audit?action=export", &auditor).await.json();
        let items = exports["items"].as_array().unwrap();
        assert_eq!(
            items.len(),
            6,
            "each export is on record when it starts, with each page's ids, and when it ends: {exports}"
        );
        assert_eq!(
            (items[0]["actor"].as_str(), items[0]["outcome"].as_str()),
            (Some("tj.officer"), Some("ok"))
        );
        assert_eq!(items[0]["details"], json!({"exported": 1, "withheld": 1}));
        assert_eq!(items[1]["outcome"], "page");
        assert_eq!(items[1]["details"]["ids"][0], lines[0]["id"]);
        assert_eq!(items[2]["outcome"], "started");
    }

    pub async fn administration_respects_focal_point_limits(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        let user = |username: &str, agency: &str, roles: Value, clearance: &str| json!({"username": username, "display_name": "N", "agency": agency, "roles": roles, "clearance": clearance, "password": "long enough"});
        let r = t
            .post(
                "/api/v1/users",
                &focal,
                user("kz.new", "KZ-KNB", json!(["officer"]), "RESTRICTED"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(
            t.post(
                "/api/v1/users",
                &focal,
                user("kz.new", "KZ-KNB", json!(["officer"]), "RESTRICTED")
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            t.post(
                "/api/v1/users",
                &focal,
                user("tj.new", "TJ-AKN", json!(["officer"]), "RESTRICTED")
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.post(
                "/api/v1/users",
                &focal,
                user("kz.boss", "KZ-KNB", json!(["centre_admin"]), "RESTRICTED")
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let r = t
            .post(
                "/api/v1/users",
                &focal,
                user("kz.weak", "KZ-KNB", json!(["officer"]), "RESTRICTED"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let r = t.post("/api/v1/users", &focal, json!({"username": "kz.short", "display_name": "N", "agency": "KZ-KNB", "roles": ["officer"], "clearance": "RESTRICTED", "password": "short"})).await;
        assert_eq!(r.json()["error"]["details"][0]["field"], "password");
        let listed = t.get("/api/v1/users", &focal).await.json();
        assert!(listed
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["agency"].as_str().unwrap().starts_with("KZ-")));
        let officer = t.login("kz.officer").await;
        assert_eq!(
            t.get("/api/v1/users", &officer).await.status,
            StatusCode::FORBIDDEN
        );

        let admin = t.login("admin").await;
        let agency = json!({"code": "KZ-MFK", "kind": "customs", "name_en": "Financial customs", "name_ru": "Финансовая таможня"});
        assert_eq!(
            t.post("/api/v1/agencies", &admin, agency.clone())
                .await
                .status,
            StatusCode::CREATED
        );
        assert_eq!(
            t.post("/api/v1/agencies", &admin, agency).await.status,
            StatusCode::CONFLICT
        );
        let tj_focal = t.login("tj.focal").await;
        let kz_agency = json!({"code": "KZ-XYZ", "kind": "police", "name_en": "X", "name_ru": "Х"});
        assert_eq!(
            t.post("/api/v1/agencies", &tj_focal, kz_agency)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let r = t.post("/api/v1/users/kz.new/totp", &admin, json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.json()["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Pamir:kz.new?secret="));
        let auditor = t.login("auditor").await;
        let admin_actions = t.get("/api/v1/audit?action=user.*", &auditor).await.json();
        assert_eq!(
            admin_actions["items"].as_array().unwrap().len(),
            3,
            "{admin_actions}"
        );
    }

    pub async fn auditors_read_the_trail_of_reads_and_hits(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let id = id_of(
            &t.post(
                "/api/v1/records",
                &kz,
                person("Audited", "CONFIDENTIAL", json!({"countries": ["KZ"]})),
            )
            .await
            .json(),
        );
        t.get(&format!("/api/v1/records/{id}"), &kz).await;
        t.get(&format!("/api/v1/records/{id}"), &tj).await;
        t.get("/api/v1/records?q=audited", &tj).await;
        assert_eq!(
            t.get("/api/v1/audit", &kz).await.status,
            StatusCode::FORBIDDEN
        );
        let auditor = t.login("auditor").await;
        let trail = t
            .get(&format!("/api/v1/audit?target={id}"), &auditor)
            .await
            .json();
        let actions: Vec<(String, String)> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["actor"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                ("record.hit".into(), "tj.officer".into()),
                ("record.read".into(), "kz.officer".into()),
                ("record.create".into(), "kz.officer".into())
            ]
        );
        let searches = t
            .get(
                "/api/v1/audit?action=record.search&actor=tj.officer",
                &auditor,
            )
            .await
            .json();
        assert_eq!(searches["items"][0]["target"], "audited");
        let logins = t
            .get("/api/v1/audit?action=login.success", &auditor)
            .await
            .json();
        assert!(logins["items"].as_array().unwrap().len() >= 3);
        let verify = t.get("/api/v1/audit/verify", &auditor).await.json();
        assert_eq!(verify["intact"], true, "{verify}");
        let r = t.get("/api/v1/audit?action=no.such", &auditor).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t.get("/api/v1/audit?from=yesterday", &auditor).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    pub async fn bundles_and_links_follow_the_access_of_both_ends(t: &TestApp) {
        let tj = t.login("tj.officer").await;
        let meta = json!({"classification": "RESTRICTED", "dissemination": {"all_members": true}});
        let bundle = json!({
            "records": [
                {"schema": "Seizure", "properties": {"date": "2024-05-01", "country": "tj", "place": "Хорог", "substance": "героин", "quantity": "12.5", "unit": "kg"}, "meta": meta},
                {"schema": "Person", "properties": {"name": "Раҳимов Фарҳод"}, "meta": meta},
                {"schema": "Vehicle", "properties": {"registrationNumber": "1234 AB 01"}, "meta": {"classification": "RESTRICTED"}},
            ],
            "links": [
                {"kind": "seizure_involves", "source": "#0", "target": "#1", "role": "курьер"},
                {"kind": "carried_by", "source": "#0", "target": "#2"},
            ]
        });
        let r = t.post("/api/v1/records/bundle", &tj, bundle.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let records = r.json()["records"].as_array().unwrap().clone();
        let seizure = id_of(&records[0]);
        let own = t
            .get(&format!("/api/v1/records/{seizure}"), &tj)
            .await
            .json();
        assert_eq!(own["links"].as_array().unwrap().len(), 2);
        let kz = t.login("kz.officer").await;
        let theirs = t
            .get(&format!("/api/v1/records/{seizure}"), &kz)
            .await
            .json();
        let links = theirs["links"].as_array().unwrap();
        assert_eq!(
            links.len(),
            1,
            "the vehicle is the owner's alone, so is its link: {theirs}"
        );
        assert_eq!(links[0]["other"]["caption"], "Раҳимов Фарҳод");
        assert_eq!(links[0]["role"], "курьер");

        let mut wrong = bundle.clone();
        wrong["links"] = json!([{"kind": "carried_by", "source": "#1", "target": "#2"}]);
        let r = t.post("/api/v1/records/bundle", &tj, wrong).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let mut wrong = bundle;
        wrong["records"][1]["properties"]["birthDate"] = json!("2099-01-01");
        let r = t.post("/api/v1/records/bundle", &tj, wrong).await;
        assert_eq!(
            r.json()["error"]["details"][0]["field"],
            "records[1].properties.birthDate[0]"
        );

        let person = id_of(&records[1]);
        let kz_person = id_of(
            &t.post(
                "/api/v1/records",
                &kz,
                super::person("Other", "RESTRICTED", json!({"all_members": true})),
            )
            .await
            .json(),
        );
        let r = t
            .post(
                "/api/v1/links",
                &kz,
                json!({"kind": "associate_of", "source": kz_person, "target": person}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let link = r.json()["id"].as_str().unwrap().to_string();
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/links/{link}"),
                Some(&tj),
                None
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.call(
                Method::DELETE,
                &format!("/api/v1/links/{link}"),
                Some(&kz),
                None
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        let r = t
            .post(
                "/api/v1/links",
                &kz,
                json!({"kind": "owns", "source": kz_person, "target": person}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a person does not own a person"
        );
    }

    pub async fn health_openapi_and_unknown_routes(t: &TestApp) {
        let r = t.call(Method::GET, "/healthz", None, None).await;
        assert_eq!(
            (r.status, r.json()["database"].as_str()),
            (StatusCode::OK, Some("ok"))
        );
        let doc = t
            .call(Method::GET, "/api/v1/openapi.json", None, None)
            .await
            .json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/session",
            "/api/v1/records",
            "/api/v1/records/{id}",
            "/api/v1/import",
            "/api/v1/audit",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} documented");
        }
        // Every path parameter is in its path; query parameters are declared as such.
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap();
                    let in_path = path.contains(&format!("{{{name}}}"));
                    assert_eq!(
                        p["in"] == "path",
                        in_path,
                        "{method} {path}: parameter {name} is declared in {}",
                        p["in"]
                    );
                }
            }
        }
        let required = doc["components"]["schemas"]["ErrorDetail"]["required"]
            .as_array()
            .unwrap();
        assert!(
            !required.contains(&json!("details")),
            "details are optional"
        );
        let list = &doc["paths"]["/api/v1/records"]["get"]["parameters"];
        assert!(list
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "q" && p["in"] == "query" && p["required"] != true));
        let r = t.call(Method::GET, "/api/v1/nothing", None, None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::NOT_FOUND, "not_found".to_string())
        );
        let r = t.call(Method::PATCH, "/api/v1/records", None, None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        let schemata = t
            .call(Method::GET, "/api/v1/schemata", None, None)
            .await
            .json();
        assert!(schemata
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Seizure"));
    }

    pub async fn totp(t: &TestApp) {
        use pamir_app::secrets::totp;
        let login = |code: Option<String>| async move {
            let mut body = json!({"username": "kz.officer", "password": "demo"});
            if let Some(c) = code {
                body["totp"] = json!(c);
            }
            t.call(Method::POST, "/api/v1/session", None, Some(body))
                .await
        };
        let r = login(None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "forbidden".to_string()),
            "not enrolled: {}",
            r.text()
        );
        // RESTRICTED users need no second factor.
        let r = t
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(json!({"username": "kz.blo", "password": "demo"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let (secret, _) = t
            .app
            .enrol_totp(pamir_app::Principal::System("test"), "kz.officer")
            .await
            .unwrap();
        let r = login(None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNAUTHORIZED, "totp_required".to_string())
        );
        assert_eq!(
            login(Some("000000".into())).await.status,
            StatusCode::UNAUTHORIZED
        );
        let step = t.app.clock.now_ms() / 1000 / 30;
        let code = totp::code_at(&secret, step).unwrap();
        let r = login(Some(code.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = login(Some(code)).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "a code is accepted once"
        );
    }
}
