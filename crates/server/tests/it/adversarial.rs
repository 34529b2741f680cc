//! The standing adversarial suite: one test per class of defect an independent review found
//! around the access policy, each driven through the router as a hostile but authenticated user
//! would, on every engine. A class's test names every path of that shape it covers.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use pamir_app::{auth::LoginRequest, AppError, Principal};
use serde_json::{json, Value};

use crate::{
    messaging::Events,
    support::{demo_config, Reply, TestApp, PATIENCE},
};

on_every_engine!(
    redirects_after_login_stay_on_this_site,
    login_from_another_site_sets_no_session,
    json_endpoints_read_only_json,
    a_disclosure_request_hides_the_record_until_approved,
    refusals_give_the_true_reason,
    no_onward_binds_every_copy_to_its_first_scope,
    message_links_answer_alike_for_absent_and_unknown_records,
    chosen_ids_tell_nothing_of_records_one_may_not_know,
    every_read_of_content_is_audited,
    an_import_changes_only_what_a_change_may,
    ids_and_file_names_cannot_reach_outside_their_place,
);

/// A request with the given headers and body, not authenticated.
async fn send(
    t: &TestApp,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    t.send(req.body(Body::from(body.to_string())).unwrap())
        .await
}

fn location(r: &Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn sets_session(r: &Reply) -> bool {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("pamir_session=") && !c.starts_with("pamir_session=;"))
}

/// Addresses that a browser would follow to another site, each as `next` after choosing a
/// language, after logging in, and after a form on the hits and requests pages.
const FOREIGN: &[&str] = &[
    "//evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0D/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " /evil",
    "evil.example",
];

mod scenarios {
    use super::*;

    /// Path traversal through ids, and a file name that tries to end its header field: ids are
    /// looked up, never joined to a path as given; a downloaded file's name cannot add a field.
    pub async fn ids_and_file_names_cannot_reach_outside_their_place(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        for uri in [
            "/api/v1/attachments/..%2F..%2F..%2Fetc%2Fpasswd",
            "/api/v1/attachments/..%5C..%5Cattachments.key",
            "/api/v1/records/..%2F..%2Fetc%2Fpasswd",
            "/api/v1/messages/..%2Fattachments.key",
        ] {
            let r = t.get(uri, &kz).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.text());
            assert!(!r.text().contains("root:"), "{uri}");
        }
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(2_000, b'x');
        let name = "report.pdf\"; filename*=UTF-8''run.exe; x=\"\\";
        let q: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
        let up = t
            .raw(
                Method::POST,
                &format!("/api/v1/attachments?filename={q}"),
                Some(&kz),
                "application/pdf",
                pdf,
            )
            .await;
        assert_eq!(up.status, StatusCode::CREATED, "{}", up.text());
        let aid = up.json()["id"].as_str().unwrap().to_string();
        sent(t, &kz, json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "File", "body": "b", "attachments": [aid]})).await;
        let got = t.get(&format!("/api/v1/attachments/{aid}"), &tj).await;
        assert_eq!(got.status, StatusCode::OK);
        let disposition = got.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(disposition.matches('"').count(), 2, "{disposition}");
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.ends_with('"'),
            "{disposition}"
        );
    }

    /// Imports JSON lines with the metadata of the query (`classification=…&all_members=true`).
    async fn import(t: &TestApp, token: &str, meta: &str, lines: &[Value]) -> Reply {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let uri = format!("/api/v1/import?{meta}");
        t.raw(
            Method::POST,
            &uri,
            Some(token),
            "application/x-ndjson",
            body.into_bytes(),
        )
        .await
    }

    /// Import: a line whose id the importer's agency holds is a change like any other — the
    /// modification check against the stored metadata, the same schema, an audit entry per
    /// record naming what changed; an id another agency holds is refused without naming it.
    pub async fn an_import_changes_only_what_a_change_may(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        let officer = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let secret = json!({"id": "kz-mvd:secret-source", "schema": "Person", "properties": {"name": ["Источник Тайный"]},
            "meta": {"classification": "SECRET", "dissemination": {"countries": ["KZ"]}}});
        let r = t.post("/api/v1/records", &focal, secret).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let own = json!({"id": "kz-mvd:open-case", "schema": "Person", "properties": {"name": ["Открытый Случай"]},
            "meta": {"classification": "RESTRICTED", "dissemination": {"countries": ["KZ"]}}});
        let r = t.post("/api/v1/records", &officer, own).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

        // A CONFIDENTIAL officer re-imports the SECRET record of their agency as RESTRICTED.
        let downgrade = json!({"id": "kz-mvd:secret-source", "schema": "Person", "properties": {"name": ["Перезаписано"]}});
        let r = import(
            t,
            &officer,
            "classification=RESTRICTED&all_members=true",
            &[downgrade],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("above your clearance"), "{}", r.text());
        let kept = t
            .get("/api/v1/records/kz-mvd:secret-source", &focal)
            .await
            .json();
        assert_eq!(kept["meta"]["classification"], "SECRET", "{kept}");
        assert_eq!(kept["properties"]["name"][0], "Источник Тайный");
        // Nor may an import raise a record above the importer's clearance, or change its schema.
        for (meta, line) in [
            (
                "classification=SECRET&countries=KZ",
                json!({"id": "kz-mvd:open-case", "schema": "Person", "properties": {"name": ["x"]}}),
            ),
            (
                "classification=RESTRICTED&countries=KZ",
                json!({"id": "kz-mvd:open-case", "schema": "Company", "properties": {"name": ["x"]}}),
            ),
        ] {
            let r = import(t, &officer, meta, std::slice::from_ref(&line)).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{line}: {}",
                r.text()
            );
        }
        // A change within the rules goes through, audited per record with what changed.
        let widen = json!({"id": "kz-mvd:open-case", "schema": "Person", "properties": {"name": ["Открытый Случай"], "birthDate": ["1990"]}});
        let r = import(
            t,
            &officer,
            "classification=RESTRICTED&all_members=true",
            &[widen],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let auditor = t.login("auditor").await;
        let trail = t
            .get("/api/v1/audit?action=record.update", &auditor)
            .await
            .json();
        let entry = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["target"] == "kz-mvd:open-case")
            .unwrap_or_else(|| panic!("no per-record entry: {trail}"))
            .clone();
        assert_eq!(entry["details"]["via"], "import", "{entry}");
        assert_eq!(
            entry["details"]["properties"],
            json!(["birthDate"]),
            "{entry}"
        );
        assert!(
            entry["details"]["dissemination"]["from"].is_object(),
            "{entry}"
        );
        // Only what a person wrote is searched: the entry's hash is hex and may hold any digits.
        assert!(
            !entry["details"].to_string().contains("1990")
                && !entry["target"].to_string().contains("1990"),
            "the trail copies no content: {entry}"
        );

        // Another agency's id: refused, naming neither the owner nor anything of the record.
        let r = import(
            t,
            &tj,
            "classification=RESTRICTED&all_members=true",
            &[json!({"id": "kz-mvd:secret-source", "schema": "Person", "properties": {"name": ["y"]}})],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(
            !r.text().contains("KZ-MVD") && !r.text().contains("Person"),
            "{}",
            r.text()
        );
    }

    async fn sent(t: &TestApp, token: &str, body: Value) -> String {
        let r = t.post("/api/v1/messages", token, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_string()
    }

    /// NO_ONWARD: the first owner and scope travel with every forward and reply, to any depth
    /// and whatever the recipient — agency, country or BLO channel; only the owner widens it.
    pub async fn no_onward_binds_every_copy_to_its_first_scope(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let uz = t.login("uz.officer").await;
        let kz_blo = t.login("kz.blo").await;
        let first = sent(
            t,
            &kz,
            json!({"to": {"agencies": ["TJ-AKN", "UZ-IIV", "KZ-PS"]},
            "subject": "Source report", "body": "Only for these three.",
            "meta": {"classification": "RESTRICTED", "handling_codes": ["NO_ONWARD"]}}),
        )
        .await;
        // Inside the scope: allowed, and the copy keeps the code.
        let inside = sent(
            t,
            &tj,
            json!({"forward_of": first, "to": {"agencies": ["UZ-IIV"]}, "body": "FYI"}),
        )
        .await;
        let copy = t
            .get(&format!("/api/v1/messages/{inside}"), &uz)
            .await
            .json();
        assert_eq!(
            copy["meta"]["handling_codes"],
            json!(["NO_ONWARD"]),
            "{copy}"
        );
        let refused = |r: Reply, how: &str| {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{how}: {}", r.text());
            assert!(
                r.text().contains("KZ-MVD"),
                "{how} names the owner: {}",
                r.text()
            );
        };
        // The forwarder's agency does not become the owner: forwarding its own forward out is
        // refused, to an agency or to a country.
        let r = t
            .post(
                "/api/v1/messages",
                &tj,
                json!({"forward_of": inside, "to": {"agencies": ["KG-SBNON"]}, "body": "on"}),
            )
            .await;
        refused(r, "a forward of a forward by its sender");
        let r = t
            .post(
                "/api/v1/messages",
                &uz,
                json!({"forward_of": inside, "to": {"countries": ["TJ"]}, "body": "on"}),
            )
            .await;
        refused(r, "a forward of a forward to a country");
        // Deeper: a forward inside the scope of a forward inside the scope, then out.
        let deeper = sent(
            t,
            &uz,
            json!({"forward_of": inside, "to": {"agencies": ["TJ-AKN"]}, "body": "back"}),
        )
        .await;
        let r = t
            .post(
                "/api/v1/messages",
                &tj,
                json!({"forward_of": deeper, "to": {"agencies": ["RU-MVD"]}, "body": "out"}),
            )
            .await;
        refused(r, "a third-generation forward");
        // A BLO channel whose other side is outside the scope.
        let r = t.post("/api/v1/messages", &kz_blo, json!({"forward_of": first, "to": {"channel": "kz-kg-korday"}, "body": "to the post"})).await;
        refused(r, "a forward to a BLO channel");
        // A reply that adds someone outside.
        let r = t
            .post(
                "/api/v1/messages",
                &tj,
                json!({"reply_to": inside, "to": {"agencies": ["KG-SBNON"]}, "body": "re"}),
            )
            .await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "a reply reached outside the scope: {} {}",
            r.status,
            r.text()
        );
        // The owner widens it.
        sent(t, &kz, json!({"forward_of": first, "to": {"agencies": ["KG-SBNON"]}, "body": "shared by the owner"})).await;
    }

    /// A message's links: a record the sender may not know of answers exactly as one that does
    /// not exist.
    pub async fn message_links_answer_alike_for_absent_and_unknown_records(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let observer = t.login("fr.observer").await;
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                json!({"id": "kz-mvd:secret-courier", "schema": "Person", "properties": {"name": ["Тайный Курьер"]},
                       "meta": {"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let answer = |id: &'static str| {
            let observer = observer.clone();
            async move {
                let r = t
                    .post(
                        "/api/v1/messages",
                        &observer,
                        json!({"to": {"agencies": ["KZ-MVD"]}, "subject": "s", "body": "b", "links": [id]}),
                    )
                    .await;
                (r.status, r.text().replace(id, "ID"))
            }
        };
        let unknown = answer("kz-mvd:secret-courier").await;
        let absent = answer("kz-mvd:nobody-at-all").await;
        assert_eq!(
            unknown, absent,
            "a link to another's record answers unlike an absent one"
        );
    }

    /// Ids a caller chooses: creating or importing with an id another agency holds answers
    /// exactly as with one nobody holds — for an observer, an officer of another country and an
    /// officer of the same country — because such ids lie in the chooser's agency's namespace.
    /// Covers create, the report bundle and import (JSON lines and CSV).
    pub async fn chosen_ids_tell_nothing_of_records_one_may_not_know(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        let r = t
            .post(
                "/api/v1/records",
                &focal,
                json!({"id": "kz-mvd:hidden-source", "schema": "Person", "properties": {"name": ["Скрытый Источник"]},
                       "meta": {"classification": "SECRET", "dissemination": {"countries": ["KZ"]}}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        // The owner agency's own namespace: a taken id is a conflict there, and only there.
        let again = t
            .post(
                "/api/v1/records",
                &focal,
                json!({"id": "KZ-MVD:hidden-source", "schema": "Person", "properties": {"name": ["x"]},
                       "meta": {"classification": "RESTRICTED"}}),
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::CREATED,
            "ids are case-sensitive: {}",
            again.text()
        );
        let taken = t
            .post(
                "/api/v1/records",
                &focal,
                json!({"id": "kz-mvd:hidden-source", "schema": "Person", "properties": {"name": ["x"]},
                       "meta": {"classification": "RESTRICTED"}}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text());

        for user in ["fr.observer", "tj.officer", "kz.blo"] {
            let token = t.login(user).await;
            let attempts = |id: &'static str| {
                let token = token.clone();
                async move {
                    let person = json!({"id": id, "schema": "Person", "properties": {"name": ["Probe"]},
                                        "meta": {"classification": "RESTRICTED"}});
                    let create = t.post("/api/v1/records", &token, person.clone()).await;
                    let bundle = t
                        .post(
                            "/api/v1/records/bundle",
                            &token,
                            json!({"records": [person], "links": []}),
                        )
                        .await;
                    let line =
                        json!({"id": id, "schema": "Person", "properties": {"name": ["Probe"]}});
                    let jsonl = import(t, &token, "classification=RESTRICTED", &[line]).await;
                    let csv = t
                        .raw(
                            Method::POST,
                            "/api/v1/import?classification=RESTRICTED&schema=Person",
                            Some(&token),
                            "text/csv",
                            format!("id,name\n{id},Probe\n").into_bytes(),
                        )
                        .await;
                    [create, bundle, jsonl, csv].map(|r| (r.status, r.text().replace(id, "ID")))
                }
            };
            let held = attempts("kz-mvd:hidden-source").await;
            let free = attempts("kz-mvd:nobody-holds-this").await;
            assert_eq!(held, free, "{user}: a held id answers unlike a free one");
            for (status, _) in &held {
                assert_ne!(*status, StatusCode::CONFLICT, "{user}: {held:?}");
                assert_ne!(*status, StatusCode::CREATED, "{user}: {held:?}");
            }
            // Outside any namespace, alike too: a record's id that the user may not read.
            let plain = attempts("hidden-source").await;
            let other = attempts("kz-mvd-hidden-source").await;
            assert_eq!(plain, other, "{user}");
        }
        // A disabled user learns nothing either: the same refusal for a held and a free id.
        let admin = t.login("admin").await;
        let disabled = t.login("tj.officer").await;
        let r = t
            .call(
                Method::PATCH,
                "/api/v1/users/tj.officer",
                Some(&admin),
                Some(json!({"disabled": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let as_disabled = |id: &'static str| {
            let token = disabled.clone();
            async move {
                let body = json!({"id": id, "schema": "Person", "properties": {"name": ["Probe"]},
                                  "meta": {"classification": "RESTRICTED"}});
                let r = t.post("/api/v1/records", &token, body).await;
                (r.status, r.text().replace(id, "ID"))
            }
        };
        let held = as_disabled("kz-mvd:hidden-source").await;
        assert_eq!(held, as_disabled("kz-mvd:nobody-holds-this").await);
        assert_eq!(held.0, StatusCode::UNAUTHORIZED, "{held:?}");
        // The residual the issue accepts: an under-cleared member of the owner agency learns
        // that an id of its own namespace is taken (a conflict), never what the record holds.
        let officer = t.login("kz.officer").await;
        let taken = t
            .post(
                "/api/v1/records",
                &officer,
                json!({"id": "kz-mvd:hidden-source", "schema": "Person", "properties": {"name": ["x"]},
                       "meta": {"classification": "RESTRICTED"}}),
            )
            .await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text());
        assert!(!taken.text().contains("Скрытый"), "{}", taken.text());
        let kept = t
            .get("/api/v1/records/kz-mvd:hidden-source", &focal)
            .await
            .json();
        assert_eq!(kept["properties"]["name"][0], "Скрытый Источник", "{kept}");
    }

    /// Reads of content are audited whichever path returns it: message listings and threads,
    /// records shown as links and as matches, and each page of an export names its records.
    pub async fn every_read_of_content_is_audited(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let auditor = t.login("auditor").await;
        let id = sent(
            t,
            &kz,
            json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "Listing", "body": "Read in a list.",
            "meta": {"classification": "RESTRICTED"}}),
        )
        .await;
        let list = t.get("/api/v1/messages", &tj).await;
        assert!(list.text().contains("Read in a list."), "{}", list.text());
        let trail = |action: &'static str| {
            let auditor = auditor.clone();
            async move {
                t.get(
                    &format!("/api/v1/audit?action={action}&limit=500"),
                    &auditor,
                )
                .await
                .text()
            }
        };
        let reads = trail("message.read").await;
        assert!(
            reads.contains(&id) && reads.contains("list"),
            "a listing's bodies are not on record: {reads}"
        );
        let thread = t.get(&format!("/api/v1/messages/{id}/thread"), &tj).await;
        assert_eq!(thread.status, StatusCode::OK);
        assert!(trail("message.read").await.contains("thread"));

        let person = |name: &str, id: &str| {
            json!({"id": id, "schema": "Person", "properties": {"name": [name], "birthDate": ["1979-11-02"]},
                   "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}})
        };
        for (n, i) in [
            ("Каримов Бахтиёр", "kz-mvd:read-a"),
            ("Karimov Bakhtiyor", "kz-mvd:read-b"),
        ] {
            let r = t.post("/api/v1/records", &kz, person(n, i)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let r = t
            .post(
                "/api/v1/links",
                &kz,
                json!({"kind": "associate_of", "source": "kz-mvd:read-a", "target": "kz-mvd:read-b"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let record = t.get("/api/v1/records/kz-mvd:read-a", &tj).await;
        assert_eq!(record.status, StatusCode::OK, "{}", record.text());
        let matches = t.get("/api/v1/records/kz-mvd:read-a/matches", &tj).await;
        assert_eq!(matches.status, StatusCode::OK);
        let record_reads = trail("record.read").await;
        assert!(
            record_reads.contains("links"),
            "a linked record shown is not on record: {record_reads}"
        );
        if matches.text().contains("kz-mvd:read-b") {
            assert!(
                record_reads.contains("\"matches\""),
                "a match shown in full is not on record: {record_reads}"
            );
        }
        let export = t.get("/api/v1/export", &tj).await;
        assert_eq!(export.status, StatusCode::OK);
        let exported = trail("export").await;
        assert!(
            exported.contains("kz-mvd:read-a") && exported.contains("kz-mvd:read-b"),
            "{exported}"
        );
    }

    /// A refusal names its real cause: an under-cleared member of the owner agency is told the
    /// record is above their clearance (not that another agency owns it); an audit filter that
    /// could never match is refused rather than answered with an empty trail.
    pub async fn refusals_give_the_true_reason(t: &TestApp) {
        let focal = t.login("kz.focal").await;
        let officer = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let body = |version: Option<i64>| {
            let mut b = json!({"schema": "Person", "properties": {"name": ["Оспанов Марат"]},
                   "meta": {"classification": "SECRET", "dissemination": {"all_members": true}}});
            if let Some(v) = version {
                b["version"] = json!(v);
            }
            b
        };
        let r = t.post("/api/v1/records", &focal, body(None)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_string();
        let put = |token: String| {
            let uri = format!("/api/v1/records/{id}");
            async move {
                t.call(Method::PUT, &uri, Some(&token), Some(body(Some(1))))
                    .await
            }
        };
        let r = put(officer).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("above your clearance") && !message.contains("owner agency"),
            "{message}"
        );
        let r = put(tj).await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
            "{}",
            r.text()
        );
        if r.status == StatusCode::FORBIDDEN {
            assert!(r.text().contains("owner agency KZ-MVD"), "{}", r.text());
        }
        let auditor = t.login("auditor").await;
        for (filter, status) in [
            ("r.*", StatusCode::UNPROCESSABLE_ENTITY),
            ("rec.*", StatusCode::UNPROCESSABLE_ENTITY),
            ("login.fail.*", StatusCode::UNPROCESSABLE_ENTITY),
            ("record.*", StatusCode::OK),
            ("login.*", StatusCode::OK),
            ("record.create", StatusCode::OK),
        ] {
            let r = t
                .get(&format!("/api/v1/audit?action={filter}"), &auditor)
                .await;
            assert_eq!(r.status, status, "{filter}: {}", r.text());
        }
    }

    /// Open redirect: only a path of this site is followed; anything else goes home.
    pub async fn redirects_after_login_stay_on_this_site(t: &TestApp) {
        for next in FOREIGN {
            let q: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
            let r = send(t, Method::GET, &format!("/lang/en?next={q}"), &[], "").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}");
            assert_eq!(location(&r), "/", "language switch followed {next:?}");
            let page = send(t, Method::GET, &format!("/login?next={q}"), &[], "").await;
            assert!(
                !page.text().contains("evil"),
                "the login page carries {next:?} on: {}",
                page.text()
            );
        }
        // Local paths, with their queries and escapes, are kept.
        for next in ["/records?q=a%20b", "/messages/abc", "/hits", "/"] {
            let q: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
            let r = send(t, Method::GET, &format!("/lang/ru?next={q}"), &[], "").await;
            assert_eq!(location(&r), next);
        }
    }

    /// Login CSRF: another site's page cannot log its visitor in to an account of its choosing,
    /// neither through the API nor through the login form.
    pub async fn login_from_another_site_sets_no_session(t: &TestApp) {
        let creds = r#"{"username":"kz.officer","password":"demo"}"#;
        for (content_type, origin, fetch_site) in [
            ("text/plain", Some("http://evil.example"), None),
            ("text/plain", None, None),
            (
                "application/x-www-form-urlencoded",
                Some("http://evil.example"),
                None,
            ),
            ("application/json", Some("http://evil.example"), None),
            ("application/json", Some("null"), None),
            ("application/json", None, Some("cross-site")),
        ] {
            let mut headers = vec![("content-type", content_type)];
            if let Some(o) = origin {
                headers.push(("origin", o));
            }
            if let Some(s) = fetch_site {
                headers.push(("sec-fetch-site", s));
            }
            let r = send(t, Method::POST, "/api/v1/session", &headers, creds).await;
            assert!(
                r.status.is_client_error(),
                "{headers:?} logged in: {} {}",
                r.status,
                r.text()
            );
            assert!(!sets_session(&r), "{headers:?} set a session cookie");
            assert!(!r.text().contains("token\""), "{headers:?}: {}", r.text());
        }
        // The centre's own pages, and clients that are not browsers, log in.
        for headers in [
            vec![("content-type", "application/json")],
            vec![
                ("content-type", "application/json"),
                ("origin", "http://localhost"),
            ],
            vec![
                ("content-type", "application/json; charset=utf-8"),
                ("sec-fetch-site", "same-origin"),
            ],
        ] {
            let mut all = headers.clone();
            all.push(("host", "localhost"));
            let r = send(t, Method::POST, "/api/v1/session", &all, creds).await;
            assert_eq!(r.status, StatusCode::OK, "{all:?}: {}", r.text());
        }
        // The login form: a token from the login page and a foreign origin is still refused.
        let page = send(t, Method::GET, "/login", &[], "").await;
        let cookie = page
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| {
                c.split(';')
                    .next()
                    .filter(|c| c.starts_with("pamir_login_csrf="))
            })
            .expect("a login CSRF cookie")
            .to_string();
        let token = cookie.trim_start_matches("pamir_login_csrf=").to_string();
        let form = format!("username=kz.officer&password=demo&csrf={token}");
        let r = send(
            t,
            Method::POST,
            "/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &cookie),
                ("origin", "http://evil.example"),
                ("host", "localhost"),
            ],
            &form,
        )
        .await;
        assert!(!sets_session(&r), "the form logged in from another site");
        let r = send(
            t,
            Method::POST,
            "/login",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &cookie),
                ("origin", "http://localhost"),
                ("host", "localhost"),
            ],
            &form,
        )
        .await;
        assert!(
            sets_session(&r),
            "the form from this site logs in: {}",
            r.text()
        );
    }

    /// Every JSON endpoint refuses a body that does not say it is JSON (a form or `text/plain`
    /// post needs no permission from another site's page), before reading it.
    pub async fn json_endpoints_read_only_json(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let record = json!({"schema": "Person", "properties": {"name": ["Test Person"]},
                            "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}});
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
        ] {
            let r = t
                .raw(
                    Method::POST,
                    "/api/v1/records",
                    Some(&kz),
                    content_type,
                    record.to_string().into_bytes(),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{content_type:?}: {}",
                r.text()
            );
            assert_eq!(r.code(), "unsupported_media_type");
        }
        let r = t
            .raw(
                Method::POST,
                "/api/v1/records",
                Some(&kz),
                "application/json",
                record.to_string().into_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }

    /// A disclosure request names the opaque reference of the hit, never the record, until the
    /// owner approves it: the record's id can carry a name.
    pub async fn a_disclosure_request_hides_the_record_until_approved(t: &TestApp) {
        let kz = t.login("kz.officer").await;
        let tj = t.login("tj.officer").await;
        let secret_id = "kz-mvd:person-khasanov-jamshid";
        let r = t
            .post(
                "/api/v1/records",
                &kz,
                json!({"id": secret_id, "schema": "Person",
                       "properties": {"name": ["Хасанов Джамшид Рустамович"], "birthDate": ["1985-03-14"]},
                       "meta": {"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let screen = t
            .post(
                "/api/v1/match",
                &tj,
                json!({"schema": "Person", "properties": {"name": ["KHASANOV DZHAMSHED"], "birthDate": ["1985-03-14"]}}),
            )
            .await;
        let reference = screen.json()["hits"][0]["reference"]
            .as_str()
            .unwrap_or_else(|| panic!("a hit: {}", screen.text()))
            .to_string();
        let asked = t
            .post(
                "/api/v1/disclosures",
                &tj,
                json!({"reference": reference, "justification": "Same courier, case TJ-2026-114."}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text());
        assert!(!asked.text().contains(secret_id), "{}", asked.text());
        assert_eq!(asked.json()["reference"], reference.as_str());
        let id = asked.json()["id"].as_str().unwrap().to_string();
        let mine = t.get("/api/v1/disclosures", &tj).await;
        assert!(!mine.text().contains(secret_id), "{}", mine.text());
        assert_eq!(mine.json()["outgoing"][0]["reference"], reference.as_str());
        // The owner knows what is asked for.
        let theirs = t.get("/api/v1/disclosures", &kz).await.json();
        assert_eq!(theirs["incoming"][0]["record"], secret_id, "{theirs}");
        // Declined: still nothing.
        let declined = t
            .post(
                &format!("/api/v1/disclosures/{id}/decline"),
                &kz,
                json!({"reason": "Not now."}),
            )
            .await;
        assert_eq!(declined.status, StatusCode::OK, "{}", declined.text());
        let mine = t.get("/api/v1/disclosures", &tj).await;
        assert!(!mine.text().contains(secret_id), "{}", mine.text());
        // Approved: the requester may open it, so learns its id.
        let again = t
            .post(
                "/api/v1/disclosures",
                &tj,
                json!({"reference": reference, "justification": "New evidence: the same plate at Fayzobod."}),
            )
            .await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
        let id = again.json()["id"].as_str().unwrap().to_string();
        let approved = t
            .post(&format!("/api/v1/disclosures/{id}/approve"), &kz, json!({}))
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
        let mine: Value = t.get("/api/v1/disclosures", &tj).await.json();
        let row = mine["outgoing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["record"], secret_id, "{mine}");
    }
}

fn login_as<'a>(username: &'a str, password: &'a str, client: &'a str) -> LoginRequest<'a> {
    LoginRequest {
        username,
        password,
        totp: None,
        client,
    }
}

/// Login race, on every engine with real concurrency: wrong passwords tried at once each count,
/// so the lockout holds; a login racing an administrator's disable or password reset never
/// undoes it, and a session it got is ended with the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_logins_cannot_bypass_lockout_or_undo_a_disable() {
    let mut config = demo_config();
    config.security.login_attempts_per_minute = 10_000;
    for t in TestApp::all(true, config).await {
        let app = t.app.clone();
        let tasks: Vec<_> = (0..19)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    let client = format!("10.0.0.{i}");
                    app.identity()
                        .login(login_as("kz.officer", "wrong", &client))
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap().is_err(), "a wrong password logged in");
        }
        let r = app
            .identity()
            .login(login_as("kz.officer", "demo", "10.0.1.1"))
            .await;
        assert!(
            matches!(r, Err(AppError::AccountLocked { .. })),
            "19 wrong passwords at once on {} did not lock the account: {r:?}",
            t.label
        );

        let system = Principal::System("adversarial-test");
        for round in 0..6 {
            app.admin()
                .set_user_disabled(system, "tj.officer", false)
                .await
                .unwrap();
            let login = {
                let app = app.clone();
                tokio::spawn(async move {
                    app.identity()
                        .login(login_as("tj.officer", "demo", "10.0.2.1"))
                        .await
                })
            };
            if round % 2 == 1 {
                tokio::task::yield_now().await;
            }
            app.admin()
                .set_user_disabled(system, "tj.officer", true)
                .await
                .unwrap();
            let login = login.await.unwrap();
            let user = t.store().get_user("tj.officer").await.unwrap().unwrap();
            assert!(
                user.disabled,
                "round {round} on {}: a login undid the disable",
                t.label
            );
            if let Ok(outcome) = login {
                assert!(
                    app.identity()
                        .authenticate(outcome.token.expose())
                        .await
                        .is_err(),
                    "round {round} on {}: a session outlived the disable",
                    t.label
                );
            }
        }

        let new_password = "Kordai-crossing-2026!";
        for round in 0..4 {
            let old = if round == 0 {
                "demo"
            } else {
                "Previous-pass-2026!"
            };
            let login = {
                let app = app.clone();
                tokio::spawn(async move {
                    app.identity()
                        .login(login_as("uz.officer", old, "10.0.3.1"))
                        .await
                })
            };
            app.admin()
                .reset_password(system, "uz.officer", new_password)
                .await
                .unwrap();
            let login = login.await.unwrap();
            if let Ok(outcome) = login {
                assert!(
                    app.identity()
                        .authenticate(outcome.token.expose())
                        .await
                        .is_err(),
                    "round {round} on {}: a session on the old password outlived the reset",
                    t.label
                );
            }
            assert!(
                app.identity()
                    .login(login_as("uz.officer", old, "10.0.3.2"))
                    .await
                    .is_err(),
                "round {round} on {}: the old password still works",
                t.label
            );
            let fresh = app
                .identity()
                .login(login_as("uz.officer", new_password, "10.0.3.3"))
                .await;
            assert!(fresh.is_ok(), "round {round} on {}: {fresh:?}", t.label);
            app.admin()
                .reset_password(system, "uz.officer", "Previous-pass-2026!")
                .await
                .unwrap();
        }
        t.cleanup().await;
    }
}

/// A writer of log lines into memory, to read what a test logged.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Secrets never print: a user's password hash and second-factor secret, a session's bearer
/// secret, the attachment master key — not in `Debug`, not in a configuration dump, not in the
/// log of a login, a failed login or a wrong one-time code (logged at every level).
#[tokio::test]
async fn secrets_never_print() {
    let master = "5e".repeat(32);
    let mut config = demo_config();
    config.attachments.master_key = master.as_str().into();
    config.security.require_totp = true;
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    for t in TestApp::all(false, config.clone()).await {
        let system = Principal::System("adversarial-test");
        let (totp, _) = t
            .app
            .admin()
            .enrol_totp(system, "kz.officer")
            .await
            .unwrap();
        let user = t.store().get_user("kz.officer").await.unwrap().unwrap();
        let hash = user.password_hash.expose().to_string();
        assert!(hash.starts_with("$argon2"), "a real hash to look for");
        let shown = format!("{user:?} {:?}", t.app.config);
        let dump = serde_json::to_string(&t.app.config).unwrap();
        let ok = t
            .app
            .identity()
            .login(LoginRequest {
                username: "kz.blo",
                password: "demo",
                totp: None,
                client: "10.0.4.1",
            })
            .await;
        let failed = t
            .app
            .identity()
            .login(login_as("kz.officer", "wrong", "10.0.4.2"))
            .await;
        let wrong_code = t
            .app
            .identity()
            .login(LoginRequest {
                username: "kz.officer",
                password: "demo",
                totp: Some("123456"),
                client: "10.0.4.3",
            })
            .await;
        let outcomes = format!("{ok:?} {failed:?} {wrong_code:?}");
        let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        for (what, text) in [
            ("Debug of a user and the configuration", &shown),
            ("the configuration dump", &dump),
            ("login outcomes", &outcomes),
            ("the log", &logged),
        ] {
            for (name, secret) in [
                ("password hash", hash.as_str()),
                ("TOTP secret", totp.as_str()),
                ("master key", master.as_str()),
                ("password", "demo\""),
            ] {
                assert!(
                    !text.contains(secret),
                    "{what} on {} shows the {name}",
                    t.label
                );
            }
        }
        assert!(
            ok.is_ok(),
            "a RESTRICTED user logs in without a second factor: {ok:?}"
        );
        if let Ok(o) = &ok {
            assert!(
                !outcomes.contains(o.token.expose()),
                "a login outcome shows its token"
            );
            assert!(!logged.contains(o.token.expose()), "the log shows a token");
            assert!(
                !outcomes.contains(&o.session.csrf_token),
                "a login outcome shows its form token"
            );
            assert!(
                !outcomes.contains(&o.session.token_hash),
                "a login outcome shows its token hash"
            );
        }
        t.cleanup().await;
    }
}

/// Abandoned uploads: a body that breaks off leaves no partial file; uploads never attached
/// expire after `attachments.unattached_hours` (file, row, audited); a user may keep only
/// `attachments.pending_per_user` uploads waiting, so uploading cannot fill the disk.
#[tokio::test]
async fn abandoned_uploads_leave_nothing_and_expire() {
    for db in pamir_store::testing::TestDb::all().await {
        let dir = std::env::temp_dir().join(format!(
            "pamir-adv-upload-{}-{}",
            std::process::id(),
            db.label
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mut config = demo_config();
        config.data_dir = dir.clone();
        config.attachments.pending_per_user = 3;
        config.attachments.unattached_hours = 24;
        let clock = pamir_app::Clock::fixed(1_790_000_000_000);
        let t = TestApp::with_clock(db, true, config, clock.clone()).await;
        let kz = t.login("kz.officer").await;
        let files = || -> Vec<String> {
            std::fs::read_dir(dir.join("attachments"))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !n.ends_with(".key"))
                        .collect()
                })
                .unwrap_or_default()
        };
        let pdf = |n: u8| {
            let mut b = b"%PDF-1.7\n".to_vec();
            b.resize(70_000 + usize::from(n), n);
            b
        };

        // The client goes away halfway: nothing stays on disk.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(pdf(1)[..65_536].to_vec()),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "gone",
            )),
        ];
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/attachments?filename=broken.pdf")
            .header(header::AUTHORIZATION, format!("Bearer {kz}"))
            .header(header::CONTENT_TYPE, "application/pdf")
            .body(Body::from_stream(futures_util::stream::iter(chunks)))
            .unwrap();
        let r = t.send(req).await;
        assert!(!r.status.is_success(), "a broken upload was accepted");
        assert!(files().is_empty(), "left behind: {:?}", files());

        // Three waiting uploads are the limit; the fourth is refused until one expires.
        let mut ids = Vec::new();
        for n in 0..3 {
            let r = t
                .raw(
                    Method::POST,
                    "/api/v1/attachments?filename=a.pdf",
                    Some(&kz),
                    "application/pdf",
                    pdf(n),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            ids.push(r.json()["id"].as_str().unwrap().to_string());
        }
        let r = t
            .raw(
                Method::POST,
                "/api/v1/attachments?filename=a.pdf",
                Some(&kz),
                "application/pdf",
                pdf(9),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(files().len(), 3, "{:?}", files());
        // One of them is sent: it never expires.
        let r = t
            .post(
                "/api/v1/messages",
                &kz,
                json!({"to": {"agencies": ["TJ-AKN"]}, "subject": "File", "body": "See it.", "attachments": [ids[0]]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

        clock.advance(23 * 3_600_000);
        assert_eq!(
            t.app.attachments().expire_uploads().await.unwrap(),
            0,
            "not yet"
        );
        clock.advance(2 * 3_600_000);
        assert_eq!(t.app.attachments().expire_uploads().await.unwrap(), 2);
        assert_eq!(files(), vec![ids[0].clone()]);
        let kz = t.login("kz.officer").await;
        assert_eq!(
            t.get(&format!("/api/v1/attachments/{}", ids[1]), &kz)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let auditor = t.login("auditor").await;
        let trail = t
            .get("/api/v1/audit?action=attachment.expire", &auditor)
            .await;
        assert!(
            trail.text().contains(&ids[1]) && trail.text().contains(&ids[2]),
            "{}",
            trail.text()
        );
        let r = t
            .raw(
                Method::POST,
                "/api/v1/attachments?filename=a.pdf",
                Some(&kz),
                "application/pdf",
                pdf(9),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "room again: {}", r.text());
        t.cleanup().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Live streams outlive no right: a stream ends at the event that says its user was disabled,
/// logged out, had the token revoked or the password reset — before any later event reaches it
/// — and a lowered clearance applies to the next event, without a reconnect.
#[tokio::test]
async fn live_streams_end_with_the_rights_they_stood_on() {
    for t in TestApp::all(true, demo_config()).await {
        tokio::spawn(t.app.clone().follow_live());
        let kz = t.login("kz.officer").await;
        let admin = t.login("admin").await;
        let send = |subject: &'static str, classification: &'static str| {
            let kz = kz.clone();
            let t = &t;
            async move {
                let r = t
                    .post(
                        "/api/v1/messages",
                        &kz,
                        json!({"to": {"agencies": ["TJ-AKN"]}, "subject": subject, "body": "b",
                               "meta": {"classification": classification}}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
                r.json()["id"].as_str().unwrap().to_string()
            }
        };
        let patch_user = |body: Value| {
            let admin = admin.clone();
            let t = &t;
            async move {
                let r = t
                    .call(
                        Method::PATCH,
                        "/api/v1/users/tj.officer",
                        Some(&admin),
                        Some(body),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            }
        };
        let ends_before = |mut events: Events, after: String, how: &'static str| async move {
            let carried = events
                .until_end(PATIENCE)
                .await
                .unwrap_or_else(|| panic!("the stream stayed open after {how}"));
            assert!(
                !carried.iter().any(|e| e.data["id"] == after.as_str()),
                "after {how} the stream still carried {after}: {carried:?}"
            );
        };

        // Disabled: the stream ends, the next message never reaches it.
        let tj = t.login("tj.officer").await;
        let events = Events::open(&t, &tj, None).await.unwrap();
        patch_user(json!({"disabled": true})).await;
        let later = send("after the disable", "RESTRICTED").await;
        ends_before(events, later, "a disable").await;
        patch_user(json!({"disabled": false})).await;

        // Logged out.
        let tj = t.login("tj.officer").await;
        let events = Events::open(&t, &tj, None).await.unwrap();
        let r = t
            .call(Method::DELETE, "/api/v1/session", Some(&tj), None)
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let later = send("after the logout", "RESTRICTED").await;
        ends_before(events, later, "a logout").await;

        // An API token revoked.
        let tj = t.login("tj.officer").await;
        let token = t
            .post(
                "/api/v1/tokens",
                &tj,
                json!({"label": "national system", "days": 30}),
            )
            .await
            .json();
        let events = Events::open(&t, token["token"].as_str().unwrap(), None)
            .await
            .unwrap();
        let r = t
            .call(
                Method::DELETE,
                &format!("/api/v1/tokens/{}", token["id"].as_str().unwrap()),
                Some(&tj),
                None,
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
        let later = send("after the revocation", "RESTRICTED").await;
        ends_before(events, later, "a token revocation").await;

        // The password reset by an administrator.
        let events = Events::open(&t, &tj, None).await.unwrap();
        patch_user(json!({"password": "Fayzobod-post-2026!"})).await;
        let later = send("after the reset", "RESTRICTED").await;
        ends_before(events, later, "a password reset").await;
        patch_user(json!({"password": "demo-Demo-2026!"})).await;

        // Clearance lowered: the stream goes on, but no longer carries what is above it.
        let tj = {
            let r = t
                .call(
                    Method::POST,
                    "/api/v1/session",
                    None,
                    Some(json!({"username": "tj.officer", "password": "demo-Demo-2026!"})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            r.json()["token"].as_str().unwrap().to_string()
        };
        let mut events = Events::open(&t, &tj, None).await.unwrap();
        patch_user(json!({"clearance": "RESTRICTED"})).await;
        let above = send("confidential, after the change", "CONFIDENTIAL").await;
        let within = send("restricted, after the change", "RESTRICTED").await;
        let e = events.expect("message").await;
        assert_eq!(
            e.data["id"],
            within.as_str(),
            "the CONFIDENTIAL message was carried first: {above}"
        );
        t.cleanup().await;
    }
}

/// A small deterministic generator (splitmix64): a failing world is replayed from its seed.
struct Dice(u64);

impl Dice {
    /// Seeded from `PAMIR_TEST_SEED`, or the clock; the seed is printed so a world can be replayed.
    fn seeded() -> (u64, Dice) {
        let seed = std::env::var("PAMIR_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(7)
            });
        eprintln!("world seed {seed} (PAMIR_TEST_SEED={seed} replays it)");
        (seed, Dice(seed))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, of: &'a [T]) -> &'a T {
        &of[self.below(of.len())]
    }
    fn some<T: Clone>(&mut self, of: &[T]) -> Vec<T> {
        of.iter().filter(|_| self.below(3) == 0).cloned().collect()
    }
}

const DEMO_USERS: &[&str] = &[
    "admin",
    "auditor",
    "caricc.analyst",
    "coordinator",
    "kz.officer",
    "kz.focal",
    "kz.blo",
    "kg.officer",
    "kg.blo",
    "tj.officer",
    "tj.focal",
    "tj.blo",
    "uz.officer",
    "uz.blo",
    "ru.analyst",
    "az.officer",
    "tm.officer",
    "fr.observer",
];
const WRITERS: &[&str] = &[
    "kz.officer",
    "kz.focal",
    "tj.officer",
    "uz.officer",
    "kg.officer",
    "az.officer",
    "tm.officer",
];
const LEVELS: &[&str] = &["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"];
const COUNTRIES: &[&str] = &["KZ", "TJ", "UZ", "KG", "RU", "AZ", "TM", "FR"];
const AGENCIES: &[&str] = &[
    "KZ-MVD",
    "KZ-PS",
    "TJ-AKN",
    "TJ-PV",
    "UZ-IIV",
    "KG-SBNON",
    "KG-GTS",
    "RU-MVD",
    "AZ-DIN",
    "TM-IIM",
    "FR-OFAST",
    "XC-CARICC",
];
const SPELLINGS: &[&str] = &[
    "Хасанов Джамшид Рустамович",
    "Khasanov Jamshid",
    "Ҳасанов Ҷамшед",
    "Hasanov Dzhamshid Rustamovich",
];

/// For random worlds (records of every classification and dissemination that match each other,
/// messages to agencies and countries at every level, disclosure requests), every event each
/// demo user's stream carries — every role, observers included — is one that the same user can
/// see through the API: a `message`, `receipt` or `escalation` about a message they may open,
/// a `hit` on a match in their hits inbox, a `disclosure` in their requests. The seed is printed;
/// `PAMIR_TEST_SEED` replays a world.
#[tokio::test]
async fn every_event_a_stream_carries_is_visible_through_the_api() {
    let (seed, mut dice) = Dice::seeded();
    for t in TestApp::all(true, demo_config()).await {
        tokio::spawn(t.app.clone().follow_live());
        let mut tokens = std::collections::BTreeMap::new();
        let mut streams = Vec::new();
        for user in DEMO_USERS {
            let token = t.login(user).await;
            streams.push((*user, Events::open(&t, &token, None).await.unwrap()));
            tokens.insert(*user, token);
        }
        let mut cases = 0;
        for _ in 0..14 {
            let writer = *dice.pick(WRITERS);
            let dissemination = match dice.below(3) {
                0 => json!({"all_members": true}),
                1 => json!({"countries": dice.some(COUNTRIES)}),
                _ => json!({"agencies": dice.some(AGENCIES), "countries": dice.some(COUNTRIES)}),
            };
            let body = json!({"schema": "Person",
                "properties": {"name": [dice.pick(SPELLINGS)], "birthDate": ["1985-03-14"]},
                "meta": {"classification": dice.pick(LEVELS), "dissemination": dissemination}});
            let r = t.post("/api/v1/records", &tokens[writer], body).await;
            assert!(
                r.status != StatusCode::INTERNAL_SERVER_ERROR,
                "{}",
                r.text()
            );
        }
        for _ in 0..12 {
            let sender = *dice.pick(WRITERS);
            let to = json!({"agencies": dice.some(AGENCIES), "countries": dice.some(COUNTRIES)});
            let body = json!({"to": to, "subject": "s", "body": "b", "priority": "urgent",
                              "meta": {"classification": dice.pick(LEVELS)}});
            let r = t.post("/api/v1/messages", &tokens[sender], body).await;
            assert!(
                r.status != StatusCode::INTERNAL_SERVER_ERROR,
                "{}",
                r.text()
            );
        }
        // Some hits become requests, some answered.
        for user in WRITERS {
            let hits = t.get("/api/v1/hits", &tokens[user]).await.json();
            for m in hits["matches"].as_array().into_iter().flatten() {
                if m["access"] == "hit" && dice.below(2) == 0 {
                    let body = json!({"reference": m["reference"], "justification": "Joint case, random world."});
                    let r = t.post("/api/v1/disclosures", &tokens[user], body).await;
                    assert!(
                        r.status != StatusCode::INTERNAL_SERVER_ERROR,
                        "{}",
                        r.text()
                    );
                }
            }
        }
        for user in WRITERS {
            let lists = t.get("/api/v1/disclosures", &tokens[user]).await.json();
            for d in lists["incoming"].as_array().into_iter().flatten() {
                if d["status"] == "pending" && dice.below(2) == 0 {
                    let uri = format!("/api/v1/disclosures/{}/approve", d["id"].as_str().unwrap());
                    t.post(&uri, &tokens[user], json!({})).await;
                }
            }
        }
        // Everything committed is routed; then each stream is read until it goes quiet.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !t.app.live_caught_up().await.unwrap() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "live events not routed in {PATIENCE:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        for (user, events) in &mut streams {
            let token = &tokens[user];
            let hits: Vec<String> = t.get("/api/v1/hits?limit=1000", token).await.json()["matches"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|m| m["id"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            let requests = t.get("/api/v1/disclosures", token).await.text();
            // Listing does not mark anything read, so checking makes no new events.
            let messages = t
                .get("/api/v1/messages?folder=all&limit=200", token)
                .await
                .text();
            while let Some(e) = events
                .next_within(std::time::Duration::from_millis(300))
                .await
            {
                cases += 1;
                let id = e.data["id"].as_str().unwrap_or("").to_string();
                let visible = match e.event.as_str() {
                    "message" | "receipt" | "escalation" => messages.contains(&format!("\"{id}\"")),
                    "hit" => hits.contains(&id),
                    "disclosure" => requests.contains(&format!("\"{id}\"")),
                    "alert" => true,
                    other => panic!("unknown event {other}"),
                };
                assert!(
                    visible,
                    "seed {seed} on {}: {user}'s stream carried {} {id} that the API does not show them",
                    t.label, e.event
                );
            }
        }
        eprintln!("{} events checked on {} (seed {seed})", cases, t.label);
        t.cleanup().await;
    }
}

/// `template` with every parameter set to `id` (`{decision}` to `approve`), with an empty JSON
/// body for writes.
async fn call_endpoint(
    t: &TestApp,
    method: &Method,
    template: &str,
    id: &str,
    token: &str,
) -> Reply {
    let mut uri = template.replace("{decision}", "approve");
    while let (Some(a), Some(b)) = (uri.find('{'), uri.find('}')) {
        uri.replace_range(a..=b, id);
    }
    let body = (*method != Method::GET && *method != Method::DELETE).then(|| json!({}));
    t.call(method.clone(), &uri, Some(token), body).await
}

/// Every endpoint of the OpenAPI document, as every demo user (and a disabled one; observers,
/// other countries and under-cleared members of the owner agency — SECRET records of kz.focal
/// seen by kz.officer — among them), with every
/// id of a random world — records and messages each carrying a marker word in their content,
/// disclosure requests, usernames — in each path parameter, and an absent id beside each:
/// - no answer to a user holds the marker of a record `decide` does not give them in full, or
///   of a message they do not stand to (body or headers);
/// - for a record or message a user may not know of, every endpoint answers exactly as for an
///   id that does not exist (status and body, the id aside).
///
/// The endpoints are read from the document, so one added tomorrow is covered the day it is
/// added. Reads come first; writes (with an empty body) after them, each compared in the same
/// way. `GET /events` (a stream that does not end) is covered by the live test above and
/// `DELETE /session` (the caller's logout) is left out. The number of requests is printed.
#[tokio::test]
async fn every_endpoint_as_every_user_tells_no_more_than_decide() {
    let (seed, mut dice) = Dice::seeded();
    for t in TestApp::all(true, demo_config()).await {
        let mut tokens = std::collections::BTreeMap::new();
        for user in DEMO_USERS {
            tokens.insert(*user, t.login(user).await);
        }
        // The world: records and messages with a marker each.
        let mut markers: Vec<(String, String, &str)> = Vec::new(); // (id, marker, kind)
        for n in 0..8 {
            let writer = *dice.pick(WRITERS);
            let marker = format!("Zmark{n}q{}", dice.below(1000));
            let dissemination = match dice.below(3) {
                0 => json!({"all_members": true}),
                1 => json!({"countries": dice.some(COUNTRIES)}),
                _ => json!({"agencies": dice.some(AGENCIES)}),
            };
            let body = json!({"schema": "Person",
                "properties": {"name": [format!("{} {marker}", dice.pick(SPELLINGS))], "birthDate": ["1985-03-14"]},
                "meta": {"classification": dice.pick(LEVELS), "dissemination": dissemination}});
            let r = t.post("/api/v1/records", &tokens[writer], body).await;
            if r.status == StatusCode::CREATED {
                markers.push((
                    r.json()["id"].as_str().unwrap().to_string(),
                    marker,
                    "record",
                ));
            }
        }
        for n in 0..6 {
            let sender = *dice.pick(WRITERS);
            let marker = format!("Ymsg{n}q{}", dice.below(1000));
            let body = json!({"to": {"agencies": dice.some(&AGENCIES[..7])}, "subject": format!("S {marker}"),
                              "body": format!("B {marker}"), "meta": {"classification": dice.pick(&LEVELS[..3])}});
            let r = t.post("/api/v1/messages", &tokens[sender], body).await;
            if r.status == StatusCode::CREATED {
                markers.push((
                    r.json()["id"].as_str().unwrap().to_string(),
                    marker,
                    "message",
                ));
            }
        }
        // Hits and a disclosure request, so that those paths have something to show.
        let hits = t.get("/api/v1/hits", &tokens["tj.officer"]).await.json();
        let mut other_ids = vec![
            "kz.officer".to_string(),
            "KZ".to_string(),
            "KZ-MVD".to_string(),
        ];
        if let Some(h) = hits["matches"]
            .as_array()
            .and_then(|a| a.iter().find(|m| m["access"] == "hit"))
        {
            other_ids.push(h["id"].as_str().unwrap().to_string());
            let r = t
                .post(
                    "/api/v1/disclosures",
                    &tokens["tj.officer"],
                    json!({"reference": h["reference"], "justification": "Joint case, the sweep."}),
                )
                .await;
            if r.status == StatusCode::CREATED {
                other_ids.push(r.json()["id"].as_str().unwrap().to_string());
            }
        }
        // A disabled user, logged in before the disable.
        let disabled = t.login("uz.blo").await;
        t.app
            .admin()
            .set_user_disabled(Principal::System("sweep"), "uz.blo", true)
            .await
            .unwrap();

        let doc = t.get("/api/v1/openapi.json", &tokens["admin"]).await.json();
        let mut endpoints: Vec<(Method, String)> = Vec::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().unwrap().keys() {
                let m: Method = method.to_uppercase().parse().unwrap();
                let skip = (path == "/api/v1/events")
                    || (m == Method::DELETE && path == "/api/v1/session");
                if !skip {
                    endpoints.push((m, path.clone()));
                }
            }
        }
        // Reads first: writes may change the world.
        endpoints.sort_by_key(|(m, p)| (*m != Method::GET, p.clone()));
        assert!(
            endpoints.len() >= 40,
            "the document lists {} operations",
            endpoints.len()
        );

        let absent = "world-absent-0000";
        let users: Vec<(&str, String)> = DEMO_USERS
            .iter()
            .map(|u| (*u, tokens[u].clone()))
            .chain([("uz.blo (disabled)", disabled)])
            .collect();
        let (mut requests, mut shown, mut compared) = (0u64, 0u64, 0u64);
        for (method, template) in &endpoints {
            let params = template.matches('{').count();
            let ids: Vec<String> = if params == 0 {
                vec![String::new()]
            } else {
                markers
                    .iter()
                    .map(|(id, _, _)| id.clone())
                    .chain(other_ids.iter().cloned())
                    .collect()
            };
            for (user, token) in &users {
                let ctx = t
                    .app
                    .identity()
                    .context_for(user.split(' ').next().unwrap())
                    .await
                    .ok();
                for id in &ids {
                    let r = call_endpoint(&t, method, template, id, token).await;
                    requests += 1;
                    let seen = format!("{:?} {}", r.headers, r.text());
                    for (mid, marker, kind) in &markers {
                        let allowed = match (&ctx, *kind) {
                            (None, _) => false,
                            (Some(_), _) if user.contains("disabled") => false,
                            (Some(ctx), "record") => {
                                match t.store().get_record(mid).await.unwrap() {
                                    Some(rec) => {
                                        pamir_domain::access::decide(&ctx.subject, &rec.meta)
                                            == pamir_domain::Access::Full
                                    }
                                    None => true,
                                }
                            }
                            (Some(ctx), _) => match t.store().get_message(mid).await.unwrap() {
                                Some(m) => {
                                    pamir_domain::message::standing(&ctx.subject, &m.addressing)
                                        .is_some()
                                }
                                None => true,
                            },
                        };
                        if allowed && seen.contains(marker.as_str()) {
                            shown += 1;
                        }
                        assert!(
                            allowed || !seen.contains(marker.as_str()),
                            "{} on {}: {method} {template} with {id:?} as {user} shows {kind} {mid}: {} {}",
                            seed, t.label, r.status, r.text()
                        );
                    }
                    // Invisible answers as absent.
                    let Some(ctx) = &ctx else { continue };
                    let invisible = match markers.iter().find(|(m, _, _)| m == id) {
                        Some((_, _, "record")) => {
                            t.store().get_record(id).await.unwrap().is_some_and(|rec| {
                                pamir_domain::access::decide(&ctx.subject, &rec.meta)
                                    == pamir_domain::Access::None
                            })
                        }
                        Some(_) => t.store().get_message(id).await.unwrap().is_some_and(|m| {
                            pamir_domain::message::standing(&ctx.subject, &m.addressing).is_none()
                        }),
                        None => false,
                    };
                    if invisible && !user.contains("disabled") {
                        let a = call_endpoint(&t, method, template, absent, token).await;
                        requests += 1;
                        compared += 1;
                        let norm = |r: &Reply, id: &str| (r.status, r.text().replace(id, "ID"));
                        assert_eq!(
                            norm(&r, id),
                            norm(&a, absent),
                            "{seed} on {}: {method} {template} as {user} answers differently for {id}, which they may not know of, than for an absent id",
                            t.label
                        );
                    }
                }
            }
        }
        let summary = format!(
            "{requests} requests on {} ({} operations, {} users, seed {seed}): content shown where allowed {shown} times, {compared} answers about unknowable ids compared with absent ones",
            t.label,
            endpoints.len(),
            users.len()
        );
        eprintln!("{summary}");
        // CI prints this file after the tests: the suite's size is on record with each run.
        let figures =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("adversarial-cases.txt");
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(figures)
        {
            use std::io::Write;
            let _ = writeln!(f, "{summary}");
        }
        assert!(shown > 0 && compared > 0, "the sweep checked nothing");
        t.cleanup().await;
    }
}
