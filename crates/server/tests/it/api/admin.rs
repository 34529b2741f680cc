//! Administration and the audit trail through the API.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{id_of, person};
use crate::support::{demo_config, TestApp};

on_every_engine!(
    administration_respects_focal_point_limits,
    reference_names_change_only_by_those_who_manage_them,
    auditors_read_the_trail_of_reads_and_hits,
);

mod scenarios {
    use super::*;
    use axum::http::Method;

    /// Names by language on countries and agencies: an observer, another country's focal point,
    /// a member of the agency's own country without the focal-point role, and a disabled focal
    /// point can neither register an agency nor rename a country; each answer says only that
    /// (no name given comes back, nothing is stored), and each refusal is audited.
    pub async fn reference_names_change_only_by_those_who_manage_them(t: &TestApp) {
        let admin = t.login("admin").await;
        let auditor = t.login("auditor").await;
        let agency = json!({"code": "KZ-NMX", "kind": "customs",
            "names": {"en": "Marker customs", "ru": "Маркерная таможня"}});
        let rename = json!({"names": {"en": "Marker Kazakhstan"}});
        let kz_focal = t.login("kz.focal").await;
        // Disabled: its token answers 401 from then on.
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/users/kz.focal",
                Some(&admin),
                Some(json!({"disabled": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let mut refused = Vec::new();
        for (who, token, expected) in [
            (
                "observer",
                t.login("fr.observer").await,
                StatusCode::FORBIDDEN,
            ),
            (
                "other country's focal point",
                t.login("tj.focal").await,
                StatusCode::FORBIDDEN,
            ),
            (
                "officer of the same country",
                t.login("kz.officer").await,
                StatusCode::FORBIDDEN,
            ),
            (
                "disabled focal point",
                kz_focal.clone(),
                StatusCode::UNAUTHORIZED,
            ),
        ] {
            let r = t.post("/api/v1/agencies", &token, agency.clone()).await;
            assert_eq!(r.status, expected, "{who}: {}", r.text());
            assert!(!r.text().contains("Marker"), "{who}: {}", r.text());
            let r = t
                .call(
                    Method::PATCH,
                    "/api/v1/countries/KZ",
                    Some(&token),
                    Some(rename.clone()),
                )
                .await;
            assert_eq!(r.status, expected, "{who}: {}", r.text());
            assert!(!r.text().contains("Marker"), "{who}: {}", r.text());
            if expected == StatusCode::FORBIDDEN {
                refused.push(who);
            }
        }
        let agencies = t.get("/api/v1/agencies", &admin).await.text();
        assert!(
            !agencies.contains("KZ-NMX") && !agencies.contains("Marker"),
            "{agencies}"
        );
        let countries = t.get("/api/v1/countries", &admin).await.json();
        let kz = countries
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "KZ")
            .unwrap();
        assert_eq!(kz["names"]["en"], "Kazakhstan", "{kz}");
        let denied = t
            .get("/api/v1/audit?action=access.denied", &auditor)
            .await
            .json();
        let attempts = denied["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                let a = e["details"]["attempted"].as_str().unwrap_or("");
                a == "agency.create" || a == "country.update"
            })
            .count();
        assert!(
            attempts >= 2 * refused.len(),
            "{refused:?} not all audited: {denied}"
        );
        // The administrator may, and the names come back as given.
        let r = t.post("/api/v1/agencies", &admin, agency).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["names"]["ru"], "Маркерная таможня");
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
        // Names by language: English required, each language one the catalogue has, and the
        // error names the language's field.
        let r = t
            .post(
                "/api/v1/agencies",
                &admin,
                json!({"code": "KZ-NRU", "kind": "police", "names": {"ru": "Только по-русски"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("name_en"), "{}", r.text());
        let r = t
            .post(
                "/api/v1/agencies",
                &admin,
                json!({"code": "KZ-NXX", "kind": "police", "names": {"en": "X", "xx": "?"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("name_xx"), "{}", r.text());
        let r = t
            .post(
                "/api/v1/agencies",
                &admin,
                json!({"code": "KZ-NEN", "kind": "police", "names": {"en": "Border police"}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let listed = t.get("/api/v1/agencies", &admin).await.json();
        let added = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "KZ-NEN")
            .unwrap()
            .clone();
        assert_eq!(added["names"], json!({"en": "Border police"}));
        // No Russian name: the Russian field shows the English one.
        assert_eq!(added["name_ru"], "Border police");

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
}
