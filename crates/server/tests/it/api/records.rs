//! Records through the API: the contract, versions, the owner's rights, bad input, bundles and links, refusals.

use axum::http::{Method, StatusCode};
use pamir_app::Config;
use serde_json::{json, Value};

use super::{id_of, person};
use crate::support::{demo_config, TestApp};

on_every_engine!(
    contract_create_fetch_hit_and_list,
    updates_name_the_version_they_read,
    only_the_owner_changes_a_record,
    invalid_records_are_refused_naming_the_field,
    malformed_bodies_are_refused_clearly,
    sql_metacharacters_are_plain_text,
    bundles_and_links_follow_the_access_of_both_ends,
    refusals_are_audited_and_nothing_is_overwritten,
    health_openapi_and_unknown_routes,
);

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

mod scenarios {
    use super::*;

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
        // The names not given are kept: Russian as it was, English as given.
        assert_eq!(r.json()["names"]["en"], "Republic of Kazakhstan");
        assert_eq!(r.json()["names"]["ru"], "Казахстан");
        assert_eq!(r.json()["name_ru"], "Казахстан");
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
}
