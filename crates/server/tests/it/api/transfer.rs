//! Import and export through the API: all or nothing, CSV mappings, handling codes kept.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::person;
use crate::support::{demo_config, TestApp};

on_every_engine!(
    import_is_all_or_nothing,
    csv_import_with_mapping_and_ragged_rows,
    export_keeps_handling_codes_and_withholds_no_onward,
);

mod scenarios {
    use super::*;

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
}
