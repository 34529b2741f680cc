//! Users, sessions and API tokens (the password hash and TOTP secret stay in the application).
//!
//! `sql.rs` holds its SQL, shared by both engines (`include!`d by `crate::shared_sql!`).

use std::collections::BTreeSet;

use pamir_domain::{AgencyCode, Classification, Role, Username};

use crate::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: Username,
    pub display_name: String,
    pub agency: AgencyCode,
    pub roles: BTreeSet<Role>,
    pub clearance: Classification,
    /// Argon2id PHC string.
    pub password_hash: pamir_domain::secret::Secret,
    /// Base32 TOTP secret, when the user has enrolled a second factor.
    pub totp_secret: Option<pamir_domain::secret::Secret>,
    /// The last TOTP time step accepted, so that a code cannot be replayed.
    pub totp_last_step: Option<i64>,
    pub language: Option<String>,
    pub disabled: bool,
    pub failed_logins: i64,
    /// Unix ms until which logins are refused after repeated failures.
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A browser or API login; expires when idle.
    Web,
    /// A long-lived bearer token for a national system; lives until revoked or expired.
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Public handle used to list and revoke; never the secret.
    pub id: String,
    /// SHA-256 of the bearer secret.
    pub token_hash: String,
    pub username: Username,
    pub kind: SessionKind,
    pub label: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: i64,
    pub revoked_at: Option<i64>,
}

/// Never prints the form token (it guards the session's forms) or the bearer secret's hash.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("kind", &self.kind)
            .field("label", &self.label)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_used_at", &self.last_used_at)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

forward! { &self Store;
    pub async fn get_user(username: &str) -> Result<Option<User>>;
    pub async fn list_users(country: Option<&str>) -> Result<Vec<User>>;
    pub async fn agency_users(agency: &str) -> Result<Vec<User>>;
    pub async fn find_session(token_hash: &str) -> Result<Option<Session>>;
    pub async fn find_session_user(token_hash: &str) -> Result<Option<(Session, User, Option<pamir_domain::CountryStatus>)>>;
    pub async fn touch_session(id: &str, at: i64) -> Result<()>;
    pub async fn list_sessions(username: &str) -> Result<Vec<Session>>;
    pub async fn get_session(id: &str) -> Result<Option<Session>>;
}

forward! { &mut self WriteTx;
    pub async fn insert_user(u: &User) -> Result<()>;
    pub async fn set_user_profile(u: &User) -> Result<()>;
    pub async fn set_user_disabled(username: &str, disabled: bool) -> Result<()>;
    pub async fn set_user_password(username: &str, password_hash: &str) -> Result<()>;
    pub async fn set_user_totp(username: &str, secret: &str) -> Result<()>;
    pub async fn count_login_failure(username: &str, threshold: i64, lock_until: i64) -> Result<Option<i64>>;
    pub async fn record_login_success(username: &str, checked_hash: &str, totp_step: Option<i64>, now: i64) -> Result<bool>;
    pub async fn insert_session(s: &Session) -> Result<()>;
    pub async fn revoke_session(id: &str, at: i64) -> Result<bool>;
    pub async fn revoke_user_sessions(username: &str, at: i64) -> Result<u64>;
}
