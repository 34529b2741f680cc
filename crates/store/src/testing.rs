//! Fresh databases for tests: a SQLite file in a temporary folder, and — when
//! `PAMIR_TEST_DATABASE_URL` is set — a schema of its own on that PostgreSQL server. Each test
//! gets its own and drops it afterwards; nothing is shared between tests.
//!
//! When `PAMIR_REQUIRE_POSTGRES=1` (as `.ci/run` sets it), a missing PostgreSQL is a failure
//! rather than a skip.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::Store;

static COUNTER: AtomicU64 = AtomicU64::new(0);
static PG_NOTE: std::sync::Once = std::sync::Once::new();

/// Prints a note once per test binary, straight to the terminal: the test harness hides what
/// passing tests print with `eprintln!`, and a skip must not go unnoticed.
pub fn say_once(once: &std::sync::Once, note: &str) {
    once.call_once(|| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{note}");
    });
}

pub struct TestDb {
    pub store: Store,
    /// `sqlite` or `postgres`, for messages.
    pub label: &'static str,
    /// A URL another process (the `pamir` binary) can open, with the schema for PostgreSQL.
    pub url: String,
    dir: Option<std::path::PathBuf>,
    pg: Option<(String, String)>,
}

fn unique(prefix: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{prefix}_{now}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL URL for tests, or `None` (after saying so) when tests should skip it.
pub fn postgres_url() -> Option<String> {
    match std::env::var("PAMIR_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("PAMIR_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PAMIR_REQUIRE_POSTGRES=1 but PAMIR_TEST_DATABASE_URL is not set");
            }
            say_once(
                &PG_NOTE,
                "note: PostgreSQL tests SKIPPED: set PAMIR_TEST_DATABASE_URL=postgres://USER@HOST/DB to run them too",
            );
            None
        }
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(unique("pamir-test"));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let url = format!("sqlite://{}", dir.join("pamir.db").display());
        let store = Store::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("sqlite: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("sqlite migrate: {e}"));
        TestDb {
            store,
            label: "sqlite",
            url,
            dir: Some(dir),
            pg: None,
        }
    }

    pub async fn postgres(base: &str) -> TestDb {
        drop_stale_schemas(base).await;
        let schema = unique("pamir_t");
        let store = Store::connect_postgres_schema(base, &schema)
            .await
            .unwrap_or_else(|e| panic!("postgres: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("postgres migrate: {e}"));
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        TestDb {
            store,
            label: "postgres",
            url,
            dir: None,
            pg: Some((base.to_string(), schema)),
        }
    }

    /// SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        if let Some(url) = postgres_url() {
            dbs.push(TestDb::postgres(&url).await);
        }
        dbs
    }

    pub async fn cleanup(self) {
        let _ = self.store.close().await;
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((base, schema)) = self.pg {
            drop_schema(&base, &schema).await;
        }
    }
}

async fn drop_schema(base: &str, schema: &str) {
    use sqlx::{Connection, Executor};
    if let Ok(mut conn) = sqlx::PgConnection::connect(base).await {
        let _ = conn
            .execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str())
            .await;
        let _ = conn.close().await;
    }
}

/// Schemas left behind by tests that panicked, more than two hours old.
async fn drop_stale_schemas(base: &str) {
    use sqlx::{Connection, Row};
    let Ok(mut conn) = sqlx::PgConnection::connect(base).await else {
        return;
    };
    let Ok(rows) = sqlx::query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pamir_t_%'")
        .fetch_all(&mut conn)
        .await
    else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for row in rows {
        let Ok(name) = row.try_get::<String, _>("nspname") else {
            continue;
        };
        let born = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(now);
        if now.saturating_sub(born) > 7200 {
            drop_schema(base, &name).await;
        }
    }
    let _ = conn.close().await;
}
