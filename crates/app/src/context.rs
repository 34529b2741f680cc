//! Who is acting: a logged-in user (with the access-policy subject derived from their agency and
//! country), or the local system operator running the CLI.

use pamir_domain::{
    audit::{Action, AuditDraft},
    Role, Subject,
};
use pamir_store::{Session, User};

use crate::{App, AppError, AppResult};

#[derive(Debug, Clone)]
pub struct UserContext {
    pub user: User,
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
