//! A Pamir instance per test, on a database of its own, driven through the router.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use pamir_app::{demo, App, Clock, Config};
use pamir_store::testing::TestDb;
use serde_json::Value;
use tower::ServiceExt;

/// How long a test waits for something to happen before it fails: long enough for a two-core
/// machine with both cores busy. Tests wait for a condition, so a fast machine never waits this.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

pub struct TestApp {
    pub app: Arc<App>,
    pub router: Router,
    pub db: Option<TestDb>,
    pub label: &'static str,
    /// The data folder made for this instance (attachments), removed with it.
    scratch: Option<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = self.scratch.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A data folder of its own for an instance left on the default one, so that no test writes
/// files into the source tree or shares them with another test.
fn scratch_data_dir(config: &mut Config) -> Option<std::path::PathBuf> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if config.data_dir != Config::default().data_dir {
        return None;
    }
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("pamir-test-data-{}-{n}", std::process::id()));
    config.data_dir = dir.clone();
    Some(dir)
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl TestApp {
    /// The store under the application, for a test's own setup and checks (the server reaches
    /// it only through the application).
    pub fn store(&self) -> &pamir_store::Store {
        &self.db.as_ref().expect("a test database").store
    }

    /// An instance with the demo's reference data and users (password `demo`), no records.
    pub async fn new(db: TestDb, demo_mode: bool, config: Config) -> TestApp {
        Self::with_clock(db, demo_mode, config, Clock::system()).await
    }

    pub async fn with_clock(
        db: TestDb,
        demo_mode: bool,
        mut config: Config,
        clock: Clock,
    ) -> TestApp {
        let scratch = scratch_data_dir(&mut config);
        let app = App::with_store(db.store.clone(), config, demo_mode, clock);
        let mut t = Self::with_app(db, app).await;
        t.scratch = scratch;
        t
    }

    /// An instance around an application, without the demo's reference data.
    pub fn bare(db: TestDb, app: Arc<App>) -> TestApp {
        TestApp {
            router: pamir_server::router(app.clone()),
            app,
            label: db.label,
            db: Some(db),
            scratch: None,
        }
    }

    /// An instance around an application the test has set up itself.
    pub async fn with_app(db: TestDb, app: App) -> TestApp {
        let app = Arc::new(app);
        demo::seed_reference(&app)
            .await
            .expect("seed reference data");
        let router = pamir_server::router(app.clone());
        TestApp {
            app,
            router,
            label: db.label,
            db: Some(db),
            scratch: None,
        }
    }

    /// Every engine: SQLite, and PostgreSQL when configured.
    pub async fn all(demo_mode: bool, config: Config) -> Vec<TestApp> {
        let mut out = Vec::new();
        for db in TestDb::all().await {
            out.push(TestApp::new(db, demo_mode, config.clone()).await);
        }
        out
    }

    pub async fn cleanup(mut self) {
        if let Some(db) = self.db.take() {
            db.cleanup().await;
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), 64 << 20)
            .await
            .expect("body")
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.call(Method::GET, uri, Some(token), None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, uri, Some(token), Some(body)).await
    }

    pub async fn login(&self, username: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/session",
                None,
                Some(serde_json::json!({"username": username, "password": "demo"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "login {username} on {}: {}",
            self.label,
            r.text()
        );
        r.json()["token"].as_str().expect("token").to_string()
    }
}

pub fn demo_config() -> Config {
    Config::default()
}
