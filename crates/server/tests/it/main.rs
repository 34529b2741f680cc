//! The server's integration tests: one binary (link once on two cores).

// Tests fail loudly: unwrapping is how they say what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Runs `scenarios::NAME` of the calling module on every engine (SQLite, and PostgreSQL when
/// configured), each on a fresh database.
macro_rules! on_every_engine {
    ($($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                for t in TestApp::all(true, demo_config()).await {
                    eprintln!("{} on {}", stringify!($name), t.label);
                    scenarios::$name(&t).await;
                    t.cleanup().await;
                }
            }
        )*
    };
}

mod adversarial;
mod api;
mod browser;
mod events;
mod fuzz;
mod messaging;
mod property;
mod support;
mod web;
