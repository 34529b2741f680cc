//! Pre-export notifications through the API: sent by the exporting country, answered by the
//! importing one, a late answer flagged to both sides live and on every read, nobody else told
//! or shown anything, bad input named by field with nothing written.

use axum::http::StatusCode;
use pamir_app::Clock;
use pamir_store::testing::TestDb;
use serde_json::{json, Value};

use crate::messaging::Events;
use crate::support::{demo_config, TestApp};

fn acetic_anhydride() -> Value {
    json!({
        "names": [{"text": "Acetic anhydride", "lang": "en"}, {"text": "Уксусный ангидрид", "lang": "ru"}],
        "class": "precursor",
        "cas": "108-24-7",
        "international": ["1988/I"]
    })
}

fn fields(v: &Value) -> Vec<String> {
    v["error"]["details"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Done when (issue 12): a notification answered late is flagged to both sides — live, to the
/// exporter's and importer's users and the centre, and on every read — and to nobody else.
#[tokio::test]
async fn a_late_answer_is_flagged_to_both_sides_live() {
    for db in TestDb::all().await {
        eprintln!("on {}", db.label);
        let clock = Clock::fixed(1_790_000_000_000);
        // Sessions that outlast the reply period, so that the same users see it come and go.
        let mut config = demo_config();
        config.security.session_idle_minutes = 30 * 24 * 60;
        config.security.session_max_hours = 30 * 24;
        let t = TestApp::with_clock(db, true, config, clock.clone()).await;
        tokio::spawn(t.app.clone().follow_live());
        let told = ["kz.officer", "kz.focal", "uz.officer", "caricc.analyst"];
        let others = ["tj.officer", "kg.officer", "fr.observer", "auditor"];
        let mut tokens = std::collections::BTreeMap::new();
        let mut streams = Vec::new();
        for user in told.iter().chain(others.iter()) {
            let token = t.login(user).await;
            streams.push((*user, Events::open(&t, &token, None).await.unwrap()));
            tokens.insert(*user, token);
        }
        let aa = t
            .post(
                "/api/v1/substances",
                &tokens["caricc.analyst"],
                acetic_anhydride(),
            )
            .await
            .json();
        let (kz, uz) = (tokens["kz.officer"].clone(), tokens["uz.officer"].clone());
        let body = json!({"exporter_country": "KZ", "importer_country": "UZ", "exporter": "Shymkent Chemical Trading LLP",
            "importer": "Tashkent Leather Works", "substance": aa["id"], "quantity": "18000", "unit": "l",
            "customs_code": "2915.24", "transport": "rail", "departure_on": "2026-09-01", "arrival_on": "2026-09-03"});

        // Bad input: every field named, nothing written.
        let mut bad = body.clone();
        bad["customs_code"] = json!("29-15");
        bad["quantity"] = json!(0);
        bad["importer_country"] = json!("KZ");
        bad["arrival_on"] = json!("2026-08-01");
        let r = t.post("/api/v1/pre-export-notifications", &kz, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(
            fields(&r.json()),
            vec!["importer_country", "quantity", "customs_code", "arrival_on"]
        );
        let r = t
            .post("/api/v1/pre-export-notifications", &uz, body.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t.get("/api/v1/pre-export-notifications", &kz).await;
        assert_eq!(r.json()["notifications"], json!([]));

        let r = t.post("/api/v1/pre-export-notifications", &kz, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let n = r.json();
        let id = n["id"].as_str().unwrap().to_string();
        assert_eq!(n["timeliness"], "awaiting");
        assert_eq!(n["next_steps"], json!(["withdrawn"]));
        let steps = format!("/api/v1/pre-export-notifications/{id}/steps");
        // The exporter cannot answer for the importer; a third country cannot see it at all.
        let r = t.post(&steps, &kz, json!({"kind": "no_objection"})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t
            .post(
                &steps,
                &tokens["tj.officer"],
                json!({"kind": "no_objection"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

        // Eight days without an answer: overdue for both sides.
        clock.advance(8 * 86_400_000);
        for token in [&kz, &uz] {
            let r = t
                .get(&format!("/api/v1/pre-export-notifications/{id}"), token)
                .await;
            assert_eq!(r.json()["timeliness"], "overdue", "{}", r.text());
        }
        let r = t
            .post(
                &steps,
                &uz,
                json!({"kind": "objection", "text": "No import licence for this importer"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["timeliness"], "late");
        assert!(r.json()["late_days"].as_i64().unwrap() > 0);
        // Nothing after the final answer.
        let r = t.post(&steps, &uz, json!({"kind": "no_objection"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["kind"]);

        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while !t.app.live_caught_up().await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "live events not routed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        for (user, events) in &mut streams {
            let mut got = Vec::new();
            let wait = if told.contains(user) { 5000 } else { 500 };
            while let Some(e) = events
                .next_within(std::time::Duration::from_millis(wait))
                .await
            {
                if e.event == "pre_export" {
                    got.push((
                        e.data["change"].as_str().unwrap_or("").to_string(),
                        e.data["late"] == true,
                    ));
                    if got.len() == 2 {
                        break;
                    }
                }
            }
            let r = t
                .get(
                    &format!("/api/v1/pre-export-notifications/{id}"),
                    &tokens[user],
                )
                .await;
            if told.contains(user) {
                assert_eq!(
                    got,
                    vec![("sent".to_string(), false), ("objection".to_string(), true)],
                    "{user}"
                );
                assert_eq!(r.status, StatusCode::OK, "{user}");
                assert_eq!(r.json()["timeliness"], "late", "{user}");
            } else {
                assert!(got.is_empty(), "{user} was told: {got:?}");
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}: {}", r.text());
            }
        }
        // Every step is on record.
        let auditor = t.login("auditor").await;
        let trail = t
            .get("/api/v1/audit?action=pre_export.step&limit=50", &auditor)
            .await;
        assert!(trail.text().contains(&id), "{}", trail.text());
        t.cleanup().await;
    }
}
