//! The standing adversarial suite: one test per class of defect an independent review found
//! around the access policy, each driven through the router as a hostile but authenticated user
//! would, on every engine. A class's test names every path of that shape it covers.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use serde_json::{json, Value};

use crate::support::{demo_config, Reply, TestApp};

on_every_engine!(
    redirects_after_login_stay_on_this_site,
    login_from_another_site_sets_no_session,
    json_endpoints_read_only_json,
    a_disclosure_request_hides_the_record_until_approved,
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
        let secret_id = "kz-person-khasanov-jamshid";
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
