//! Login with password and second factor, sessions, bearer tokens and the limits that keep
//! guessing out: a per-address rate limit and an account lock after repeated failures.

use pamir_domain::error::Reason;
use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use pamir_domain::{
    audit::{Action, AuditDraft},
    Classification, Subject, Username,
};
use pamir_store::{Session, SessionKind, User};
use serde_json::json;

use crate::{
    format_time,
    secrets::{self, totp},
    App, AppError, AppResult, UserContext,
};

/// Attempts per client address in a sliding minute; bounded in memory.
pub(crate) struct LoginLimiter {
    per_minute: u32,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    const MAX_CLIENTS: usize = 50_000;

    pub(crate) fn new(per_minute: u32) -> Self {
        LoginLimiter {
            per_minute: per_minute.max(1),
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn check(&self, client: &str) -> AppResult<()> {
        let now = Instant::now();
        let window = Duration::from_secs(60);
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > Self::MAX_CLIENTS {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = seen.entry(client.to_string()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() as u32 >= self.per_minute {
            let retry = q
                .front()
                .map(|t| window.saturating_sub(now.duration_since(*t)).as_secs() + 1)
                .unwrap_or(60);
            return Err(AppError::RateLimited {
                retry_after_secs: retry,
            });
        }
        q.push_back(now);
        Ok(())
    }
}

/// What a successful login hands back: the bearer secret (shown once) and the session.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// The bearer secret: never printed, read with `expose()` where it is handed over.
    pub token: pamir_domain::secret::Secret,
    pub session: Session,
    pub user: crate::Account,
}

pub struct LoginRequest<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub totp: Option<&'a str>,
    /// The client's address, for the rate limit and the audit trail.
    pub client: &'a str,
}

/// The reason a failed one-time code is audited with.
const TOTP_WRONG: &str = "wrong one-time code";

/// Identity as a service, reached as `app.identity()`: login, sessions and bearer tokens.
#[derive(Clone, Copy)]
pub struct Identity<'a> {
    app: &'a App,
}

impl App {
    pub fn identity(&self) -> Identity<'_> {
        Identity { app: self }
    }

    /// The access-policy subject of a user: their agency's country and its standing.
    pub(crate) async fn subject_of(&self, user: &User) -> AppResult<Subject> {
        let country = user.agency.country();
        let status = self
            .store
            .get_country(country.as_str())
            .await?
            .map(|c| c.status)
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "country {country} of user {} is not registered",
                    user.username
                ))
            })?;
        self.subject_with(user, status).await
    }

    /// The subject of a user whose country's standing is known: the operations their agency
    /// takes part in are read afresh each time (a removal applies to the next request). Like
    /// `operation::standing`, an operation counts only for users cleared for its workspace.
    async fn subject_with(
        &self,
        user: &User,
        status: pamir_domain::CountryStatus,
    ) -> AppResult<Subject> {
        let operations = self
            .store
            .operations_taking_part(user.agency.as_str(), user.agency.country().as_str())
            .await?;
        Ok(Subject {
            username: user.username.clone(),
            agency: user.agency.clone(),
            country: user.agency.country(),
            country_status: status,
            roles: user.roles.clone(),
            clearance: user.clearance,
            active: !user.disabled,
            operations: operations
                .into_iter()
                .filter(|(_, level)| user.clearance.level() >= *level)
                .map(|(id, _)| id)
                .collect(),
        })
    }
}

impl<'a> Identity<'a> {
    pub async fn login(&self, req: LoginRequest<'_>) -> AppResult<LoginOutcome> {
        self.app.limiter.check(req.client)?;
        let now = self.app.clock.now_ms();
        let shown_name: String = req.username.chars().take(64).collect();
        let failure = |reason: &str| {
            AuditDraft::new(
                shown_name.clone(),
                "-",
                Action::LoginFailure,
                shown_name.clone(),
            )
            .outcome("failed")
            .details(json!({"reason": reason, "client": req.client}))
        };
        let user = match Username::parse(req.username) {
            Ok(name) => self.app.store.get_user(name.as_str()).await?,
            Err(_) => None,
        };
        let Some(mut user) = user else {
            secrets::burn_password_check(req.password);
            self.app.store.audit(&failure("unknown user")).await?;
            return Err(AppError::BadCredentials);
        };
        let failure = |reason: &str| failure(reason).agency_of(&user);
        if let Some(until) = user.locked_until.filter(|u| *u > now) {
            secrets::burn_password_check(req.password);
            self.app.store.audit(&failure("account locked")).await?;
            return Err(AppError::AccountLocked {
                until: format_time(until),
            });
        }
        if !secrets::verify_password(req.password, user.password_hash.expose()) {
            return Err(self.count_failure(&user, now, "wrong password").await);
        }
        if user.disabled {
            self.app.store.audit(&failure("account disabled")).await?;
            return Err(AppError::Unauthenticated("the account is disabled".into()));
        }
        let mut totp_step = None;
        if self.app.totp_required()
            && (user.clearance > Classification::Restricted || user.totp_secret.is_some())
        {
            let Some(secret) = user.totp_secret.clone() else {
                self.app
                    .store
                    .audit(&failure("second factor not enrolled"))
                    .await?;
                return Err(AppError::Forbidden(format!(
                    "your clearance requires a second factor, and none is enrolled: ask an administrator to run `pamir user totp {}`",
                    user.username
                )));
            };
            let Some(code) = req.totp.filter(|c| !c.trim().is_empty()) else {
                return Err(AppError::TotpRequired);
            };
            match totp::verify(secret.expose(), code, now, user.totp_last_step) {
                Some(step) => totp_step = Some(step),
                None => return Err(self.count_failure(&user, now, TOTP_WRONG).await),
            }
        }
        let token = secrets::new_token();
        let session = Session {
            id: secrets::new_handle(),
            token_hash: secrets::token_hash(&token),
            username: user.username.clone(),
            kind: SessionKind::Web,
            label: format!("login from {}", req.client),
            csrf_token: secrets::new_token(),
            created_at: now,
            expires_at: Some(
                now + i64::from(self.app.config.security.session_max_hours) * 3_600_000,
            ),
            last_used_at: now,
            revoked_at: None,
        };
        let mut tx = self.app.store.begin().await?;
        // The user row was read before the (slow) password check; whatever an administrator or
        // a concurrent attempt changed meanwhile wins: the session is issued only if the account
        // is, at this commit, still enabled, unlocked and on the password that was checked.
        let still_valid = tx
            .record_login_success(
                user.username.as_str(),
                user.password_hash.expose(),
                totp_step,
                now,
            )
            .await?;
        if !still_valid {
            drop(tx);
            self.app
                .store
                .audit(&failure("account changed during login"))
                .await?;
            return Err(AppError::BadCredentials);
        }
        tx.insert_session(&session).await?;
        tx.audit(
            &AuditDraft::new(
                user.username.as_str(),
                user.agency.as_str(),
                Action::LoginSuccess,
                user.username.as_str(),
            )
            .details(json!({"session": session.id, "client": req.client})),
        )
        .await?;
        tx.commit().await?;
        user.failed_logins = 0;
        user.locked_until = None;
        if totp_step.is_some() {
            user.totp_last_step = totp_step;
        }
        Ok(LoginOutcome {
            token: token.into(),
            session,
            user: user.into(),
        })
    }

    /// Counts a failed attempt in one atomic statement, locking the account at the threshold;
    /// returns the error to show.
    async fn count_failure(&self, user: &User, now: i64, reason: &str) -> AppError {
        let threshold = i64::from(self.app.config.security.lockout_threshold);
        let lock_until = now + i64::from(self.app.config.security.lockout_minutes) * 60_000;
        let result = async {
            let mut tx = self.app.store.begin().await?;
            let locked = tx
                .count_login_failure(user.username.as_str(), threshold, lock_until)
                .await?;
            let draft = AuditDraft::new(
                user.username.as_str(),
                user.agency.as_str(),
                Action::LoginFailure,
                user.username.as_str(),
            )
            .outcome("failed")
            .details(json!({"reason": reason, "locked": locked.is_some()}));
            tx.audit(&draft).await?;
            tx.commit().await?;
            Ok::<_, pamir_store::StoreError>(locked)
        }
        .await;
        match result {
            Err(e) => e.into(),
            Ok(Some(until)) => AppError::AccountLocked {
                until: format_time(until),
            },
            Ok(None) if reason == TOTP_WRONG => AppError::TotpWrong,
            Ok(None) => AppError::BadCredentials,
        }
    }

    /// Resolves a bearer secret (cookie or `Authorization` header) to the acting user.
    pub async fn authenticate(&self, token: &str) -> AppResult<UserContext> {
        let expired = || {
            AppError::Unauthenticated("the session has expired or was ended; log in again".into())
        };
        let (session, user, status) = self
            .app
            .store
            .find_session_user(&secrets::token_hash(token))
            .await?
            .ok_or_else(expired)?;
        let now = self.app.clock.now_ms();
        if session.revoked_at.is_some() || session.expires_at.is_some_and(|e| e <= now) {
            return Err(expired());
        }
        let idle = i64::from(self.app.config.security.session_idle_minutes) * 60_000;
        if session.kind == SessionKind::Web && now - session.last_used_at > idle {
            return Err(expired());
        }
        if user.disabled {
            return Err(AppError::Unauthenticated("the account is disabled".into()));
        }
        if now - session.last_used_at > 60_000 {
            self.app.store.touch_session(&session.id, now).await?;
        }
        let subject = match status {
            Some(status) => self.app.subject_with(&user, status).await?,
            None => self.app.subject_of(&user).await?,
        };
        Ok(UserContext {
            user: user.into(),
            subject,
            session: Some(session),
        })
    }

    /// A context for a user by name, without a session: for the CLI (`pamir export --user`).
    pub async fn context_for(&self, username: &str) -> AppResult<UserContext> {
        let user = self
            .app
            .store
            .get_user(username)
            .await?
            .ok_or_else(|| AppError::not_found(&format!("user {username}")))?;
        if user.disabled {
            return Err(AppError::Forbidden(format!("user {username} is disabled")));
        }
        let subject = self.app.subject_of(&user).await?;
        Ok(UserContext {
            user: user.into(),
            subject,
            session: None,
        })
    }

    pub async fn logout(&self, ctx: &UserContext) -> AppResult<()> {
        let Some(session) = &ctx.session else {
            return Ok(());
        };
        let draft = ctx
            .draft(Action::Logout, ctx.username())
            .details(json!({"session": session.id}));
        self.end_session(ctx, &session.id, &draft).await
    }

    /// Creates a long-lived bearer token for a national system; the secret is returned once.
    pub async fn create_api_token(
        &self,
        ctx: &UserContext,
        label: &str,
        days: Option<u32>,
    ) -> AppResult<(String, Session)> {
        if ctx
            .session
            .as_ref()
            .is_some_and(|s| s.kind == SessionKind::Api)
        {
            // A leaked token must not be able to renew itself.
            let e = AppError::Forbidden(
                "API tokens are made from a logged-in session, not with another API token".into(),
            );
            return Err(self.app.refused(ctx, "token.create", "-", e).await);
        }
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 100 {
            return Err(AppError::invalid(
                "label",
                Reason::coded("token-label-length", &[]),
            ));
        }
        let days = days.unwrap_or(self.app.config.security.api_token_days);
        if !(1..=3650).contains(&days) {
            return Err(AppError::invalid(
                "days",
                Reason::coded("token-days-range", &[]),
            ));
        }
        let now = self.app.clock.now_ms();
        let token = secrets::new_token();
        let session = Session {
            id: secrets::new_handle(),
            token_hash: secrets::token_hash(&token),
            username: ctx.user.username.clone(),
            kind: SessionKind::Api,
            label: label.to_string(),
            csrf_token: secrets::new_token(),
            created_at: now,
            expires_at: Some(now + i64::from(days) * 86_400_000),
            last_used_at: now,
            revoked_at: None,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_session(&session).await?;
        tx.audit(
            &ctx.draft(Action::TokenCreate, &session.id)
                .details(json!({"label": label, "days": days})),
        )
        .await?;
        tx.commit().await?;
        Ok((token, session))
    }

    /// Whether session `id` is still good: not revoked, not expired (an open stream ends when
    /// its session does).
    pub async fn session_is_live(&self, id: &str) -> AppResult<bool> {
        let now = self.app.clock.now_ms();
        Ok(self
            .app
            .store
            .get_session(id)
            .await?
            .is_some_and(|s| s.revoked_at.is_none() && s.expires_at.is_none_or(|e| e > now)))
    }

    /// Revokes one of the caller's own sessions or tokens.
    pub async fn revoke_token(&self, ctx: &UserContext, id: &str) -> AppResult<()> {
        let session = self
            .app
            .store
            .get_session(id)
            .await?
            .filter(|s| s.username == ctx.user.username);
        let Some(session) = session else {
            return Err(AppError::not_found("token"));
        };
        let draft = ctx.draft(Action::TokenRevoke, &session.id);
        self.end_session(ctx, &session.id, &draft).await
    }

    /// Ends one session of the caller's: revoked, audited, and noted in the outbox so that its
    /// open streams end at once.
    async fn end_session(&self, ctx: &UserContext, id: &str, draft: &AuditDraft) -> AppResult<()> {
        let mut tx = self.app.store.begin().await?;
        tx.revoke_session(id, self.app.clock.now_ms()).await?;
        crate::live::account_changed(&mut tx, &ctx.user.username, &ctx.user.agency, Some(id))
            .await?;
        tx.audit(draft).await?;
        tx.commit().await?;
        self.app.live.wake();
        Ok(())
    }

    pub async fn list_tokens(&self, ctx: &UserContext) -> AppResult<Vec<Session>> {
        Ok(self.app.store.list_sessions(ctx.username()).await?)
    }
}

trait AgencyOf {
    fn agency_of(self, user: &User) -> Self;
}

impl AgencyOf for AuditDraft {
    fn agency_of(mut self, user: &User) -> Self {
        self.agency = user.agency.as_str().to_string();
        self
    }
}
