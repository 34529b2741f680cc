//! Precursor incidents through the API: alerted live to the users of the countries on their way
//! and the centre, and to nobody else, who read nothing of them; a suspicious notification
//! turned into an incident by the importing country; bad input named by field.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::messaging::Events;
use crate::support::{demo_config, TestApp};

on_every_engine!(an_incident_is_alerted_live_to_the_countries_on_its_way_only);

fn potassium_permanganate() -> Value {
    json!({
        "names": [{"text": "Potassium permanganate", "lang": "en"}, {"text": "Перманганат калия", "lang": "ru"}],
        "class": "precursor",
        "cas": "7722-64-7",
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

mod scenarios {
    use super::*;

    pub async fn an_incident_is_alerted_live_to_the_countries_on_its_way_only(t: &TestApp) {
        tokio::spawn(t.app.clone().follow_live());
        let told = ["kz.officer", "kz.focal", "uz.officer", "caricc.analyst"];
        let others = ["tj.officer", "kg.officer", "fr.observer", "auditor"];
        let mut tokens = std::collections::BTreeMap::new();
        let mut streams = Vec::new();
        for user in told.iter().chain(others.iter()) {
            let token = t.login(user).await;
            streams.push((*user, Events::open(t, &token, None).await.unwrap()));
            tokens.insert(*user, token);
        }
        let pp = t
            .post(
                "/api/v1/substances",
                &tokens["caricc.analyst"],
                potassium_permanganate(),
            )
            .await
            .json();
        let kz = tokens["kz.officer"].clone();
        let body = json!({"kind": "seizure", "substance": pp["id"], "quantity": "2500", "unit": "kg",
            "country": "KZ", "place": "Zhibek Zholy rail crossing", "occurred_on": "2026-11-20",
            "origin": "RU", "transit": ["UZ"], "destination": "AF",
            "modus_operandi": "Declared as water-treatment salts, false invoices"});
        let mut bad = body.clone();
        bad["kind"] = json!("theft");
        bad["occurred_on"] = json!("2999-01-01");
        bad["seizures"] = json!(["kz-mvd:no-such-seizure"]);
        let r = t.post("/api/v1/precursor-incidents", &kz, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["kind", "occurred_on"]);
        let r = t
            .post(
                "/api/v1/precursor-incidents",
                &tokens["uz.officer"],
                body.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t.post("/api/v1/precursor-incidents", &kz, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let i = r.json();
        let id = i["id"].as_str().unwrap().to_string();
        assert_eq!(i["countries"], json!(["AF", "KZ", "RU", "UZ"]));

        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while !t.app.live_caught_up().await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "live events not routed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        for (user, events) in &mut streams {
            let mut got = None;
            let wait = if told.contains(user) { 5000 } else { 500 };
            while let Some(e) = events
                .next_within(std::time::Duration::from_millis(wait))
                .await
            {
                if e.event == "precursor_incident" {
                    got = Some(e);
                    break;
                }
            }
            let r = t
                .get(&format!("/api/v1/precursor-incidents/{id}"), &tokens[user])
                .await;
            if told.contains(user) {
                let e = got.unwrap_or_else(|| panic!("{user} was not alerted"));
                assert_eq!(e.data["id"], id.as_str(), "{user}");
                assert_eq!(r.status, StatusCode::OK, "{user}");
            } else {
                assert!(got.is_none(), "{user} was told: {got:?}");
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}: {}", r.text());
            }
        }

        // A notification turned into an incident by the importing country, in one call.
        let n = t
            .post(
                "/api/v1/pre-export-notifications",
                &kz,
                json!({"exporter_country": "KZ", "importer_country": "UZ", "exporter": "Aktobe Reagents LLP",
                    "importer": "Termez Trading", "substance": pp["id"], "quantity": 800, "unit": "kg",
                    "customs_code": "2841.61", "transport": "road", "departure_on": "2027-01-11",
                    "arrival_on": "2027-01-12"}),
            )
            .await
            .json();
        let nid = n["id"].as_str().unwrap();
        let path = format!("/api/v1/pre-export-notifications/{nid}/incident");
        let r = t.post(&path, &tokens["tj.officer"], json!({})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
        let r = t
            .post(
                &path,
                &tokens["uz.officer"],
                json!({"kind": "diversion_attempt",
                "modus_operandi": "The consignee does not exist at the declared address"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let from = r.json();
        assert_eq!(from["notification"], nid);
        assert_eq!(from["country"], "UZ");
        assert_eq!(
            (from["origin"].as_str(), from["destination"].as_str()),
            (Some("KZ"), Some("UZ"))
        );
        assert_eq!(from["quantity"], 800.0);
        let r = t.get("/api/v1/precursor-incidents", &kz).await;
        assert_eq!(r.json()["incidents"].as_array().unwrap().len(), 2);
    }
}
