//! Pamir's application services: what the server and the CLI do, without HTTP.
//!
//! It owns identity (login, second factor, sessions, API tokens), the records service (every
//! read goes through `pamir_domain::access::decide`, every change through the owner's rights
//! and into the audit trail), import and export, administration of countries, agencies and
//! users, audit verification, configuration and the demo data set.
//!
//! It must not know HTTP, HTML or SQL: the server maps [`AppError`] to responses and the store
//! hides both database engines.

pub mod admin;
pub mod analysis;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod config;
pub mod context;
pub mod demo;
pub mod early_warning;
pub mod error;
mod events;
pub mod export;
pub mod import;
pub mod live;
pub mod matching;
pub mod messaging;
pub mod node;
pub mod operations;
pub mod records;
pub mod secrets;
pub mod workers;

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

pub use config::Config;
pub use context::{Account, Principal, UserContext};
pub use error::{AppError, AppResult, LineError};
pub use pamir_store::Store;

/// The time source. Tests freeze and move it; everything else uses the system clock.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    pub fn system() -> Self {
        Clock(None)
    }
    pub fn fixed(ms: i64) -> Self {
        Clock(Some(Arc::new(AtomicI64::new(ms))))
    }
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Some(t) => t.load(Ordering::SeqCst),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        }
    }
    pub fn advance(&self, ms: i64) {
        if let Some(t) = &self.0 {
            t.fetch_add(ms, Ordering::SeqCst);
        }
    }
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::DateTime::from_timestamp_millis(self.now_ms())
            .map(|d| d.date_naive())
            .unwrap_or_default()
    }
}

/// Formats unix milliseconds as `2026-11-23 17:55 UTC`.
pub fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// The running application: the store, the configuration and the state shared by requests.
pub struct App {
    /// Reached only through the services: the server never touches the store.
    pub(crate) store: Store,
    pub config: Config,
    pub clock: Clock,
    /// Demo mode: TOTP is off and the interface says so.
    pub demo: bool,
    pub(crate) limiter: auth::LoginLimiter,
    pub(crate) match_index: matching::MatchIndex,
    pub live: live::Live,
    pub(crate) deliveries: messaging::PendingDeliveries,
    pub(crate) outgoing: messaging::Outgoing,
    /// This node's id, read (or given) once.
    pub(crate) node: tokio::sync::OnceCell<String>,
}

impl App {
    /// Whether the database answers (for health checks).
    pub async fn database_answers(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Connects to the configured database and applies pending migrations.
    pub async fn open(config: Config, demo: bool) -> AppResult<Arc<App>> {
        let url = config.effective_database_url();
        if url.starts_with("sqlite:") {
            if let Some(parent) = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:")
                .rsplit_once('/')
            {
                if !parent.0.is_empty() {
                    std::fs::create_dir_all(parent.0).map_err(|e| {
                        AppError::BadRequest(format!("cannot create data folder {}: {e}", parent.0))
                    })?;
                }
            }
        }
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        let app = App::with_store(store, config, demo, Clock::system());
        // A node id that cannot be is refused now, not at the first event.
        app.node_id().await?;
        Ok(Arc::new(app))
    }

    pub fn with_store(store: Store, mut config: Config, demo: bool, clock: Clock) -> App {
        if demo && config.messaging.blo_channels.is_empty() {
            config.messaging.blo_channels = demo::blo_channels();
        }
        let limiter = auth::LoginLimiter::new(config.security.login_attempts_per_minute);
        let match_index = matching::MatchIndex::with_threshold(config.matching.threshold as f32);
        App {
            store,
            config,
            clock,
            demo,
            limiter,
            match_index,
            live: live::Live::default(),
            deliveries: Default::default(),
            outgoing: Default::default(),
            node: Default::default(),
        }
    }

    /// TOTP is required unless turned off by configuration or demo mode.
    pub fn totp_required(&self) -> bool {
        self.config.security.require_totp && !self.demo
    }
}
