//! Bad input, generated: the import parsers (JSON lines and CSV, with or without a column
//! mapping) and the event-id parser (`Last-Event-ID`) take arbitrary bytes through the API. Each
//! answer is a clear refusal or a success — never a server error, never a stuck request — and
//! the server answers normally afterwards. `PROPTEST_CASES` raises the number of cases.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use proptest::prelude::*;

use crate::support::{demo_config, TestApp};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Lines that look like what an import gets: FtM JSON, JSON of the wrong shape, CSV, broken
/// UTF-8, control characters, huge numbers, deep nesting.
fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(r#"{"schema": "Person", "properties": {"name": ["Хасанов Джамшид"]}}"#.as_bytes().to_vec()),
        Just(br#"{"id": "x-1", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["1985-13-45"]}}"#.to_vec()),
        Just(br#"{"schema": "Vehicle", "properties": {"registrationNumber": [1e309]}}"#.to_vec()),
        Just(br#"{"schema": "Person", "meta": {"classification": "TOP", "dissemination": 7}}"#.to_vec()),
        Just(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]".to_vec()),
        Just("ID,ФИО,\"unterminated".as_bytes().to_vec()),
        Just(b"\xff\xfe\x00bad".to_vec()),
        "[ -~\\t\\\"{}\\[\\]:,а-я]{0,80}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..120),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(line(), 0..12).prop_map(|lines| lines.join(&b'\n'))
}

const IMPORTS: &[(&str, &str)] = &[
    ("/api/v1/import?classification=RESTRICTED&all_members=true", "application/x-ndjson"),
    ("/api/v1/import?format=csv&schema=Person&classification=RESTRICTED&all_members=true", "text/csv"),
    ("/api/v1/import?format=csv&schema=Person&classification=RESTRICTED&map=ID%3Did,name%3Dname,x%3D-", "text/csv"),
    ("/api/v1/import?format=csv&delimiter=tab&classification=RESTRICTED", "text/csv"),
];

#[test]
fn imports_of_arbitrary_bytes_are_refused_clearly_or_written() {
    let rt = runtime();
    let db = rt.block_on(pamir_store::testing::TestDb::sqlite());
    let t = rt.block_on(TestApp::new(db, true, demo_config()));
    let token = rt.block_on(t.login("kz.officer"));
    let config = ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(body in body(), which in 0..IMPORTS.len())| {
        let (uri, content_type) = IMPORTS[which];
        let r = rt.block_on(t.raw(Method::POST, uri, Some(&token), content_type, body.clone()));
        prop_assert!(
            matches!(r.status, StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT),
            "{uri} with {:?}: {} {}", String::from_utf8_lossy(&body), r.status, r.text()
        );
        if r.status != StatusCode::OK {
            prop_assert!(r.json()["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    });
    let health = rt.block_on(t.get("/api/v1/me", &token));
    assert_eq!(health.status, StatusCode::OK);
    rt.block_on(t.cleanup());
}

#[test]
fn event_ids_of_any_shape_are_refused_clearly_or_followed() {
    let rt = runtime();
    let db = rt.block_on(pamir_store::testing::TestDb::sqlite());
    let t = rt.block_on(TestApp::new(db, true, demo_config()));
    let token = rt.block_on(t.login("tj.officer"));
    let config = ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let id = prop_oneof![
        "-?[0-9]{0,25}",
        "[ -~]{0,40}",
        Just("9223372036854775808".to_string()),
        Just("0x10".to_string()),
        Just(" 1 ".to_string()),
    ];
    proptest!(config, |(id in id, as_query in any::<bool>())| {
        let mut req = Request::builder().uri("/api/v1/events").header(header::AUTHORIZATION, format!("Bearer {token}"));
        if as_query {
            let q: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
            req = Request::builder().uri(format!("/api/v1/events?last_event_id={q}")).header(header::AUTHORIZATION, format!("Bearer {token}"));
        } else if let Ok(v) = header::HeaderValue::from_str(&id) {
            req = req.header("last-event-id", v);
        }
        let resp = rt.block_on(async {
            tower::ServiceExt::oneshot(t.router.clone(), req.body(Body::empty()).unwrap()).await
        }).unwrap();
        let status = resp.status();
        prop_assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{id:?}: {status}");
        if status == StatusCode::BAD_REQUEST {
            let body = rt.block_on(axum::body::to_bytes(resp.into_body(), 1 << 16)).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            prop_assert_eq!(v["error"]["code"].as_str(), Some("bad_request"));
        }
    });
    rt.block_on(t.cleanup());
}
