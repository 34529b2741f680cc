//! The one public error type of the application, with stable codes that clients can rely on.
//! Internal causes are logged where they are converted and never shown to users.

use pamir_domain::{access::Denied, ValidationErrors};
use pamir_store::StoreError;

/// One bad line of an import: `line N: field: reason`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub reason: pamir_domain::error::Reason,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    /// A login with an unknown user or a wrong password (the two are not told apart).
    #[error("wrong username or password")]
    BadCredentials,
    /// A login whose password was right and whose one-time code was not.
    #[error("wrong one-time code")]
    TotpWrong,
    #[error("a one-time code from your authenticator is required")]
    TotpRequired,
    #[error("the account is locked after repeated failed logins; try again after {until}")]
    AccountLocked { until: String },
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("the record was changed meanwhile: it is now at version {current}; reload it and apply your change again")]
    VersionConflict { current: i64 },
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0}")]
    Conflict(String),
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooLarge(String),
    /// A body in a form the endpoint does not read (a JSON endpoint sent a form).
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the import was refused: {} bad line(s); nothing was written", .0.len())]
    ImportRejected(Vec<LineError>),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) | AppError::BadCredentials | AppError::TotpWrong => {
                "unauthenticated"
            }
            AppError::TotpRequired => "totp_required",
            AppError::AccountLocked { .. } => "account_locked",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::VersionConflict { .. } => "version_conflict",
            AppError::AlreadyExists(_) => "already_exists",
            AppError::Conflict(_) => "conflict",
            AppError::Invalid(_) => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::ImportRejected(_) => "import_rejected",
            AppError::Internal(_) => "internal",
        }
    }

    /// Structured details for the client, when there are any.
    pub fn details(&self) -> Option<serde_json::Value> {
        match self {
            AppError::Invalid(errors) => serde_json::to_value(errors).ok(),
            AppError::ImportRejected(lines) => {
                Some(serde_json::json!(lines.iter().map(|l| serde_json::json!({
                    "line": l.line, "field": l.field, "reason": l.reason, "message": l.to_string()
                })).collect::<Vec<_>>()))
            }
            AppError::VersionConflict { current } => {
                Some(serde_json::json!({"current_version": current}))
            }
            AppError::RateLimited { retry_after_secs } => {
                Some(serde_json::json!({"retry_after_secs": retry_after_secs}))
            }
            _ => None,
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn invalid(field: &str, reason: impl Into<pamir_domain::error::Reason>) -> Self {
        AppError::Invalid(ValidationErrors::single(field, reason))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found("the item"),
            StoreError::Conflict { current } => AppError::VersionConflict { current },
            StoreError::Duplicate(what) => AppError::AlreadyExists(what),
            StoreError::AlreadyDecided => {
                AppError::Conflict("the request was decided already".into())
            }
            StoreError::MissingReference(what) => {
                AppError::BadRequest(format!("{what} refers to something that does not exist"))
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<Denied> for AppError {
    fn from(e: Denied) -> Self {
        AppError::Forbidden(e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
