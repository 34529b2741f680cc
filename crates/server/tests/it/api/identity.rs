//! Identity through the API: sessions, tokens, the second factor, lockout and rate limits.

use axum::http::{Method, StatusCode};
use pamir_app::Config;
use serde_json::json;

use super::person;
use crate::support::{demo_config, TestApp};

on_every_engine!(
    forged_revoked_and_expired_tokens_are_refused,
    api_tokens_for_national_systems,
    lockout_after_repeated_failures,
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

mod scenarios {
    use super::*;

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
            .store()
            .find_session(&pamir_app::secrets::token_hash(&kg))
            .await
            .unwrap()
            .unwrap();
        let mut tx = t.store().begin().await.unwrap();
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
            .admin()
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
