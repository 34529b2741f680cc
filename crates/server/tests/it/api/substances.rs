//! The substance registry through the API: who reads and who keeps it, bad input named by
//! field with nothing written, a substance refused under another of its names, stale changes
//! refused, and the interchange (JSON and CSV) giving back what it was given.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::messaging::Events;
use crate::support::{demo_config, TestApp};

on_every_engine!(
    the_registry_is_read_by_all_and_kept_by_analysts,
    the_registry_travels_as_json_and_csv,
    a_first_detection_is_alerted_live_to_its_readers_only,
);

fn mephedrone() -> Value {
    json!({
        "names": [{"text": "Mephedrone", "lang": "en"}, {"text": "4-MMC", "lang": "en"},
                  {"text": "Мефедрон", "lang": "ru"}, {"text": "мяу", "lang": "local"}],
        "class": "synthetic_cathinone",
        "cas": "1189805-46-6",
        "formula": "C11H15NO",
        "international": ["1971/II"],
        "countries": [{"country": "KZ", "status": "controlled", "effective": "2012-03-01", "note": "List I"}],
        "sources": ["CND decision 58/1 (2015)"]
    })
}

/// The fields named in a 422 answer.
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

    pub async fn the_registry_is_read_by_all_and_kept_by_analysts(t: &TestApp) {
        let analyst = t.login("caricc.analyst").await;
        let officer = t.login("tj.officer").await;
        let auditor = t.login("auditor").await;
        let observer = t.login("fr.observer").await;

        // Keepers only; refusals write nothing.
        for token in [&officer, &auditor, &observer] {
            let r = t.post("/api/v1/substances", token, mephedrone()).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        }
        // Bad input: every field named, nothing written.
        let mut bad = mephedrone();
        bad["cas"] = json!("1189805-46-5");
        bad["inchikey"] = json!("not-a-key");
        bad["formula"] = json!("C11H15Xq");
        bad["international"] = json!(["1988/III"]);
        bad["countries"] =
            json!([{"country": "KZ", "status": "controlled", "effective": "2012-02-30"}]);
        let r = t.post("/api/v1/substances", &analyst, bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let named = fields(&r.json());
        for f in [
            "cas",
            "inchikey",
            "formula",
            "international[0]",
            "countries[0].effective",
        ] {
            assert!(named.contains(&f.to_string()), "{f} not in {named:?}");
        }
        assert!(r.text().contains("check digit"), "{}", r.text());
        let r = t.get("/api/v1/substances", &officer).await;
        assert_eq!(r.json()["substances"], json!([]), "nothing written");

        let r = t.post("/api/v1/substances", &analyst, mephedrone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let m = r.json();
        let id = m["id"].as_str().unwrap().to_string();
        assert_eq!(m["name_ru"], "Мефедрон");
        assert_eq!(m["version"], 1);

        // The same substance under another spelling of a name, or its CAS number.
        let again = json!({"names": [{"text": "4 MMC", "lang": "en"}, {"text": "4-ММЦ", "lang": "ru"}],
                           "class": "synthetic_cathinone", "cas": "1189805-46-6"});
        let r = t.post("/api/v1/substances", &analyst, again).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["names[0].text", "cas"]);
        assert!(r.text().contains(&id), "names the holder: {}", r.text());

        // Every reader finds it, by a street name too; the auditor does not read the registry.
        let r = t
            .get("/api/v1/substances?q=%D0%BC%D1%8F%D1%83", &observer)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["substances"][0]["id"], id.as_str());
        let r = t.get("/api/v1/substances?class=opioid", &officer).await;
        assert_eq!(r.json()["substances"], json!([]));
        let r = t.get("/api/v1/substances?control=1971", &officer).await;
        assert_eq!(r.json()["substances"].as_array().unwrap().len(), 1);
        let r = t
            .get("/api/v1/substances?class=dessert&control=1999", &officer)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["class", "control"]);
        let r = t.get("/api/v1/substances", &auditor).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t.get(&format!("/api/v1/substances/{id}"), &auditor).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let r = t.get("/api/v1/substances/sub-nothing", &officer).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

        // Changes name the version read.
        let uri = format!("/api/v1/substances/{id}");
        let mut body = mephedrone();
        body["notes"] = json!("Sold as bath salts.");
        let r = t
            .call(Method::PUT, &uri, Some(&analyst), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["version"]);
        body["version"] = json!(1);
        let r = t
            .call(Method::PUT, &uri, Some(&analyst), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["version"], 2);
        let r = t
            .call(Method::PUT, &uri, Some(&analyst), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        // A Russian analyst may not change Kazakhstan's status.
        let ru = t.login("ru.analyst").await;
        body["version"] = json!(2);
        body["countries"] = json!([]);
        let r = t.call(Method::PUT, &uri, Some(&ru), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(
            r.text().contains("substance") || r.text().contains("KZ"),
            "{}",
            r.text()
        );
    }

    pub async fn the_registry_travels_as_json_and_csv(t: &TestApp) {
        let analyst = t.login("caricc.analyst").await;
        let r = t.post("/api/v1/substances", &analyst, mephedrone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let heroin = json!([{"names": [{"text": "Heroin", "lang": "en"}, {"text": "Героин", "lang": "ru"}],
                             "class": "opioid", "cas": "561-27-3", "international": ["1961/I", "1961/IV"]}]);
        let r = t
            .raw(
                Method::POST,
                "/api/v1/substances/import",
                Some(&analyst),
                "application/json",
                heroin.to_string().into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["created"], 1);

        let json_file = t.get("/api/v1/substances/export", &analyst).await;
        assert_eq!(json_file.status, StatusCode::OK);
        let csv_file = t
            .get("/api/v1/substances/export?format=csv", &analyst)
            .await;
        assert_eq!(csv_file.status, StatusCode::OK);
        assert!(
            csv_file.text().starts_with("id,names,class"),
            "{}",
            csv_file.text()
        );
        for (ct, body) in [
            ("application/json", json_file.body.clone()),
            ("text/csv", csv_file.body.clone()),
        ] {
            let r = t
                .raw(
                    Method::POST,
                    "/api/v1/substances/import",
                    Some(&analyst),
                    ct,
                    body,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{ct}: {}", r.text());
            assert_eq!(
                (r.json()["created"].as_i64(), r.json()["unchanged"].as_i64()),
                (Some(0), Some(2)),
                "{ct}"
            );
        }
        // A bad CSV line: every bad line named, nothing written.
        let csv = "names,class,cas\n\"en: Cocaine\nru: Кокаин\",stimulant,50-36-3\n\"en: Khat\",plant_based,\n";
        let r = t
            .raw(
                Method::POST,
                "/api/v1/substances/import",
                Some(&analyst),
                "text/csv",
                csv.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let lines: Vec<(i64, String)> = r.json()["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["line"].as_i64().unwrap(),
                    d["field"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert!(lines.contains(&(2, "cas".into())), "{lines:?}");
        assert!(lines.contains(&(4, "names".into())), "{lines:?}");
        let r = t.get("/api/v1/substances", &analyst).await;
        assert_eq!(
            r.json()["substances"].as_array().unwrap().len(),
            2,
            "nothing written"
        );
        // Another type of body, and an officer, are refused.
        let r = t
            .raw(
                Method::POST,
                "/api/v1/substances/import",
                Some(&analyst),
                "text/plain",
                b"x".to_vec(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text());
        let officer = t.login("kz.officer").await;
        let r = t
            .raw(
                Method::POST,
                "/api/v1/substances/import",
                Some(&officer),
                "application/json",
                json_file.body,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    }

    /// Done-when of issue 12: a first detection in Kyrgyzstan reaches the analysts and focal
    /// points of every member country live, and nobody outside its readers.
    pub async fn a_first_detection_is_alerted_live_to_its_readers_only(t: &TestApp) {
        tokio::spawn(t.app.clone().follow_live());
        let readers = [
            "ru.analyst",
            "tj.focal",
            "kz.focal",
            "caricc.analyst",
            "kg.officer",
        ];
        let others = ["tj.officer", "uz.officer", "fr.observer", "auditor"];
        let mut streams = Vec::new();
        let mut tokens = std::collections::BTreeMap::new();
        for user in readers.iter().chain(others.iter()) {
            let token = t.login(user).await;
            streams.push((*user, Events::open(t, &token, None).await.unwrap()));
            tokens.insert(*user, token);
        }
        let analyst = tokens["caricc.analyst"].clone();
        let m = t
            .post("/api/v1/substances", &analyst, mephedrone())
            .await
            .json();
        let kg = tokens["kg.officer"].clone();
        let body = json!({"substance": m["id"], "methods": ["gc_ms"], "laboratory": "Forensic centre, Bishkek",
                          "confidence": "confirmed", "country": "KG", "detected_on": "2026-01-10"});
        let r = t.post("/api/v1/detections", &kg, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let d = r.json();
        assert_eq!(
            (
                d["first_in_country"].as_bool(),
                d["first_in_region"].as_bool()
            ),
            (Some(true), Some(true))
        );
        let id = d["id"].as_str().unwrap().to_string();
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
            while let Some(e) = events
                .next_within(std::time::Duration::from_millis(
                    if readers.contains(user) { 5000 } else { 500 },
                ))
                .await
            {
                if e.event == "detection" {
                    got = Some(e);
                    break;
                }
            }
            if readers.contains(user) {
                let e = got.unwrap_or_else(|| panic!("{user} was not alerted"));
                assert_eq!(e.data["id"], id.as_str(), "{user}");
                assert_eq!(e.data["first_in_region"], true, "{user}");
                assert_eq!(e.data["country"], "KG", "{user}");
                let r = t
                    .get(&format!("/api/v1/detections/{id}"), &tokens[user])
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text());
            } else {
                assert!(got.is_none(), "{user} was told: {got:?}");
                let r = t
                    .get(&format!("/api/v1/detections/{id}"), &tokens[user])
                    .await;
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}: {}", r.text());
            }
        }
        // Bad reports are named, nothing written.
        let r = t
            .post(
                "/api/v1/detections",
                &kg,
                json!({"substance": m["id"], "confidence": "confirmed",
            "country": "KG", "detected_on": "2999-01-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(fields(&r.json()), vec!["methods", "detected_on"]);
        let r = t.get("/api/v1/detections", &kg).await;
        assert_eq!(r.json()["detections"].as_array().unwrap().len(), 1);
        // Every read of the (RESTRICTED) report is on record.
        let auditor = t.login("auditor").await;
        let trail = t
            .get("/api/v1/audit?action=detection.read&limit=500", &auditor)
            .await;
        assert!(trail.text().contains(&id), "{}", trail.text());
    }
}
