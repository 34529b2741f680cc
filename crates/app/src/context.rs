//! Who is acting: a logged-in user (with the access-policy subject derived from their agency and
//! country), or the local system operator running the CLI.

use std::collections::BTreeSet;

use pamir_domain::{
    audit::{Action, AuditDraft},
    AgencyCode, Classification, Role, Subject, Username,
};
use pamir_store::{Session, User};

use crate::{App, AppError, AppResult};

/// A user account as it leaves the application: everything but its secrets (the password hash
/// and the TOTP secret stay in the application layer, which alone checks them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub username: Username,
    pub display_name: String,
    pub agency: AgencyCode,
    pub roles: BTreeSet<Role>,
    pub clearance: Classification,
    /// Whether a second factor (TOTP) is enrolled.
    pub totp_enrolled: bool,
    pub language: Option<String>,
    pub disabled: bool,
    pub failed_logins: i64,
    /// Unix ms until which logins are refused after repeated failures.
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<User> for Account {
    fn from(u: User) -> Account {
        Account {
            totp_enrolled: u.totp_secret.is_some(),
            username: u.username,
            display_name: u.display_name,
            agency: u.agency,
            roles: u.roles,
            clearance: u.clearance,
            language: u.language,
            disabled: u.disabled,
            failed_logins: u.failed_logins,
            locked_until: u.locked_until,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct UserContext {
    pub user: Account,
    pub subject: Subject,
    /// The session or API token the request came with.
    pub session: Option<Session>,
}

impl UserContext {
    pub fn username(&self) -> &str {
        self.user.username.as_str()
    }
    pub fn agency(&self) -> &str {
        self.user.agency.as_str()
    }
    pub fn has(&self, role: Role) -> bool {
        self.user.roles.contains(&role)
    }
    pub fn draft(&self, action: Action, target: impl Into<String>) -> AuditDraft {
        AuditDraft::new(self.username(), self.agency(), action, target)
    }
    pub fn require(&self, role: Role) -> AppResult<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("this needs the {role} role")))
        }
    }
}

/// Who performs an administrative action.
#[derive(Debug, Clone, Copy)]
pub enum Principal<'a> {
    /// The operator at the server's console (`pamir user add …`), recorded under this name.
    System(&'a str),
    User(&'a UserContext),
}

impl Principal<'_> {
    pub fn draft(&self, action: Action, target: impl Into<String>) -> AuditDraft {
        match self {
            Principal::System(name) => {
                AuditDraft::new(format!("system:{name}"), "-", action, target)
            }
            Principal::User(ctx) => ctx.draft(action, target),
        }
    }
}

impl App {
    /// Records a refused attempt in the audit trail and hands back the error to show: refusals
    /// matter to those who watch for misuse.
    pub async fn refused(
        &self,
        ctx: &UserContext,
        attempted: &str,
        target: &str,
        error: AppError,
    ) -> AppError {
        let draft = ctx
            .draft(Action::AccessDenied, target)
            .outcome("denied")
            .details(serde_json::json!({"attempted": attempted, "reason": error.to_string()}));
        match self.store.audit(&draft).await {
            Ok(_) => error,
            Err(e) => e.into(),
        }
    }
}
