//! Administration of reference data and accounts. The centre administrator manages everything;
//! a national focal point manages the agencies and users of their own country, and cannot grant
//! the centre administrator or auditor roles or a clearance above their own.

use pamir_domain::error::Reason;
use std::collections::BTreeSet;

use pamir_domain::{audit::Action, AgencyCode, AgencyKind, Classification, Role, Username};
use pamir_store::{Agency, Country, User};
use serde_json::json;

use crate::{secrets, Account, App, AppError, AppResult, Principal};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub agency: String,
    pub roles: Vec<Role>,
    pub clearance: Classification,
    pub password: String,
    pub language: Option<String>,
}

/// What an administrator may change about an account.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub roles: Option<Vec<Role>>,
    pub clearance: Option<Classification>,
    pub language: Option<String>,
}

fn is_admin(p: &Principal) -> bool {
    match p {
        Principal::System(_) => true,
        Principal::User(ctx) => ctx.has(Role::CentreAdmin),
    }
}

/// May `p` manage accounts and agencies of `agency`'s country, granting `roles` and `clearance`?
fn may_manage(
    p: &Principal,
    agency: &AgencyCode,
    roles: &BTreeSet<Role>,
    clearance: Classification,
) -> AppResult<()> {
    if is_admin(p) {
        return Ok(());
    }
    let Principal::User(ctx) = p else {
        return Ok(());
    };
    if !ctx.has(Role::NationalFocalPoint) {
        return Err(AppError::Forbidden(
            "only a centre administrator or a national focal point manages accounts".into(),
        ));
    }
    if agency.country() != ctx.subject.country {
        return Err(AppError::Forbidden(format!(
            "a national focal point manages only agencies of {}",
            ctx.subject.country
        )));
    }
    if roles.contains(&Role::CentreAdmin) || roles.contains(&Role::Auditor) {
        return Err(AppError::Forbidden(
            "only a centre administrator grants the centre_admin and auditor roles".into(),
        ));
    }
    if clearance > ctx.user.clearance {
        return Err(AppError::Forbidden(format!(
            "you cannot grant a clearance above your own ({})",
            ctx.user.clearance
        )));
    }
    Ok(())
}

fn check_display_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "display_name",
            Reason::coded("name-printable-200", &[]),
        ));
    }
    Ok(name.to_string())
}

/// Names in the catalogue's languages, English among them; the error names the field
/// `name_<lang>` at fault (as the forms and the API name them).
fn check_names(names: &pamir_domain::names::Names) -> AppResult<()> {
    names
        .check()
        .map_err(|(lang, reason)| AppError::invalid(&format!("name_{lang}"), reason))
}

fn accounts(users: Vec<User>) -> Vec<Account> {
    users.into_iter().map(Account::from).collect()
}

fn check_language(lang: Option<String>) -> AppResult<Option<String>> {
    match lang.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => match pamir_domain::schema::Lang::exact(code) {
            Some(l) => Ok(Some(l.code().to_string())),
            None => Err(AppError::invalid(
                "language",
                pamir_domain::names::language_unknown(),
            )),
        },
    }
}

/// Administration as a service, reached as `app.admin()`: countries, agencies and user accounts,
/// for the centre administrator and (for their own country) national focal points.
#[derive(Clone, Copy)]
pub struct Admin<'a> {
    app: &'a App,
}

impl App {
    pub fn admin(&self) -> Admin<'_> {
        Admin { app: self }
    }

    pub async fn list_agencies(&self) -> AppResult<Vec<Agency>> {
        Ok(self.store.list_agencies().await?)
    }

    pub async fn list_countries(&self) -> AppResult<Vec<Country>> {
        Ok(self.store.list_countries().await?)
    }
}

impl<'a> Admin<'a> {
    /// Registers a country; one already registered is refused (409): changing a member into an
    /// observer changes who sees what, so it is done on purpose with [`App::update_country`].
    pub async fn add_country(&self, p: Principal<'_>, c: Country) -> AppResult<()> {
        self.require_admin(&p, "country.create", c.code.as_str())
            .await?;
        check_names(&c.names)?;
        let mut tx = self.app.store.begin().await?;
        tx.insert_country(&c).await?;
        tx.audit(
            &p.draft(Action::CountryCreate, c.code.as_str())
                .details(json!({"status": c.status, "names": c.names})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a registered country's names or standing (member, observer, centre).
    pub async fn update_country(&self, p: Principal<'_>, c: Country) -> AppResult<()> {
        self.require_admin(&p, "country.update", c.code.as_str())
            .await?;
        let before = self
            .app
            .store
            .get_country(c.code.as_str())
            .await?
            .ok_or_else(|| AppError::not_found(&format!("country {}", c.code)))?;
        check_names(&c.names)?;
        let mut tx = self.app.store.begin().await?;
        tx.upsert_country(&c).await?;
        tx.audit(
            &p.draft(Action::CountryUpdate, c.code.as_str())
                .details(json!({
                    "status": c.status, "previous_status": before.status, "names": c.names
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn require_admin(
        &self,
        p: &Principal<'_>,
        attempted: &str,
        target: &str,
    ) -> AppResult<()> {
        match p {
            _ if is_admin(p) => Ok(()),
            Principal::User(ctx) => {
                let e = AppError::Forbidden("only a centre administrator manages countries".into());
                Err(self.app.refused(ctx, attempted, target, e).await)
            }
            Principal::System(_) => Ok(()),
        }
    }

    /// [`may_manage`], with a refusal written to the audit trail.
    async fn check_manage(
        &self,
        p: &Principal<'_>,
        agency: &AgencyCode,
        roles: &BTreeSet<Role>,
        clearance: Classification,
        attempted: &str,
        target: &str,
    ) -> AppResult<()> {
        match (may_manage(p, agency, roles, clearance), p) {
            (Ok(()), _) => Ok(()),
            (Err(e), Principal::User(ctx)) => {
                Err(self.app.refused(ctx, attempted, target, e).await)
            }
            (Err(e), Principal::System(_)) => Err(e),
        }
    }

    pub async fn add_agency(&self, p: Principal<'_>, a: Agency) -> AppResult<()> {
        self.check_manage(
            &p,
            &a.code,
            &BTreeSet::new(),
            Classification::Unclassified,
            "agency.create",
            a.code.as_str(),
        )
        .await?;
        if a.kind == AgencyKind::Centre && !is_admin(&p) {
            return Err(AppError::Forbidden(
                "only a centre administrator registers the centre's agencies".into(),
            ));
        }
        if a.code.country() != a.country {
            return Err(AppError::invalid(
                "code",
                Reason::coded("agency-code-country", &[("country", &a.country)]),
            ));
        }
        check_names(&a.names)?;
        if self
            .app
            .store
            .get_country(a.country.as_str())
            .await?
            .is_none()
        {
            return Err(AppError::invalid(
                "country",
                Reason::coded("country-not-registered", &[("country", &a.country)]),
            ));
        }
        let mut tx = self.app.store.begin().await?;
        tx.insert_agency(&a).await?;
        tx.audit(
            &p.draft(Action::AgencyCreate, a.code.as_str())
                .details(json!({"kind": a.kind, "names": a.names})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_user(&self, p: Principal<'_>, input: NewUser) -> AppResult<Account> {
        let username =
            Username::parse(&input.username).map_err(|e| AppError::invalid("username", e))?;
        let agency =
            AgencyCode::parse(&input.agency).map_err(|e| AppError::invalid("agency", e))?;
        let roles: BTreeSet<Role> = input.roles.iter().copied().collect();
        if roles.is_empty() {
            return Err(AppError::invalid(
                "roles",
                Reason::coded("roles-required", &[]),
            ));
        }
        self.check_manage(
            &p,
            &agency,
            &roles,
            input.clearance,
            "user.create",
            username.as_str(),
        )
        .await?;
        if self.app.store.get_agency(agency.as_str()).await?.is_none() {
            return Err(AppError::invalid(
                "agency",
                Reason::coded("agency-not-registered", &[("agency", &agency)]),
            ));
        }
        secrets::check_password_strength(&input.password)
            .map_err(|e| AppError::invalid("password", e))?;
        let now = self.app.clock.now_ms();
        let user = User {
            username,
            display_name: check_display_name(&input.display_name)?,
            agency,
            roles,
            clearance: input.clearance,
            password_hash: secrets::hash_password(&input.password)
                .map_err(AppError::Internal)?
                .into(),
            totp_secret: None,
            totp_last_step: None,
            language: check_language(input.language)?,
            disabled: false,
            failed_logins: 0,
            locked_until: None,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.app.store.begin().await?;
        tx.insert_user(&user).await?;
        tx.audit(
            &p.draft(Action::UserCreate, user.username.as_str())
                .details(json!({
                    "agency": user.agency, "roles": user.roles, "clearance": user.clearance
                })),
        )
        .await?;
        tx.commit().await?;
        Ok(user.into())
    }

    /// Users `p` may manage: all for the centre administrator, their country's for a focal point.
    pub async fn list_users(&self, p: Principal<'_>) -> AppResult<Vec<Account>> {
        if is_admin(&p) {
            return Ok(accounts(self.app.store.list_users(None).await?));
        }
        match p {
            Principal::User(ctx) if ctx.has(Role::NationalFocalPoint) => Ok(accounts(
                self.app
                    .store
                    .list_users(Some(ctx.subject.country.as_str()))
                    .await?,
            )),
            Principal::User(ctx) => {
                let e = AppError::Forbidden(
                    "only a centre administrator or a national focal point manages accounts".into(),
                );
                Err(self.app.refused(ctx, "user.list", "-", e).await)
            }
            Principal::System(_) => Ok(accounts(self.app.store.list_users(None).await?)),
        }
    }

    async fn managed_user(
        &self,
        p: &Principal<'_>,
        username: &str,
        attempted: &str,
    ) -> AppResult<User> {
        let user = self
            .app
            .store
            .get_user(username)
            .await?
            .ok_or_else(|| AppError::not_found(&format!("user {username}")))?;
        self.check_manage(
            p,
            &user.agency,
            &user.roles,
            user.clearance,
            attempted,
            username,
        )
        .await?;
        Ok(user)
    }

    /// Nobody disables, demotes or re-clears their own account: a mistake would lock them out,
    /// and a grant to oneself is no grant.
    fn not_oneself(p: &Principal<'_>, username: &str, what: &str) -> AppResult<()> {
        match p {
            Principal::User(ctx) if ctx.username() == username => Err(AppError::Forbidden(
                format!("you cannot {what} your own account"),
            )),
            _ => Ok(()),
        }
    }

    pub async fn change_user(
        &self,
        p: Principal<'_>,
        username: &str,
        change: UserChange,
    ) -> AppResult<Account> {
        let mut user = self.managed_user(&p, username, "user.update").await?;
        if change.roles.is_some() || change.clearance.is_some() {
            Self::not_oneself(&p, username, "change the roles or clearance of")?;
        }
        if let Some(name) = change.display_name {
            user.display_name = check_display_name(&name)?;
        }
        if let Some(roles) = change.roles {
            let roles: BTreeSet<Role> = roles.into_iter().collect();
            if roles.is_empty() {
                return Err(AppError::invalid(
                    "roles",
                    Reason::coded("roles-required", &[]),
                ));
            }
            user.roles = roles;
        }
        if let Some(c) = change.clearance {
            user.clearance = c;
        }
        if change.language.is_some() {
            user.language = check_language(change.language)?;
        }
        self.check_manage(
            &p,
            &user.agency,
            &user.roles,
            user.clearance,
            "user.update",
            username,
        )
        .await?;
        let mut tx = self.app.store.begin().await?;
        tx.set_user_profile(&user).await?;
        crate::live::account_changed(&mut tx, &user.username, &user.agency, None).await?;
        tx.audit(
            &p.draft(Action::UserUpdate, username)
                .details(json!({"roles": user.roles, "clearance": user.clearance})),
        )
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        Ok(user.into())
    }

    /// Disables (ending every session and token at once) or re-enables an account.
    pub async fn set_user_disabled(
        &self,
        p: Principal<'_>,
        username: &str,
        disabled: bool,
    ) -> AppResult<Account> {
        if disabled {
            Self::not_oneself(&p, username, "disable")?;
        }
        let mut user = self
            .managed_user(
                &p,
                username,
                if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
            )
            .await?;
        user.disabled = disabled;
        user.failed_logins = 0;
        user.locked_until = None;
        let mut tx = self.app.store.begin().await?;
        tx.set_user_disabled(username, disabled).await?;
        crate::live::account_changed(&mut tx, &user.username, &user.agency, None).await?;
        if disabled {
            tx.revoke_user_sessions(username, self.app.clock.now_ms())
                .await?;
        }
        tx.audit(&p.draft(
            if disabled {
                Action::UserDisable
            } else {
                Action::UserEnable
            },
            username,
        ))
        .await?;
        tx.commit().await?;
        self.app.live.wake();
        Ok(user.into())
    }

    /// Sets a new password, unlocks the account and ends its sessions.
    pub async fn reset_password(
        &self,
        p: Principal<'_>,
        username: &str,
        password: &str,
    ) -> AppResult<()> {
        let mut user = self
            .managed_user(&p, username, "user.password_reset")
            .await?;
        secrets::check_password_strength(password).map_err(|e| AppError::invalid("password", e))?;
        user.password_hash = secrets::hash_password(password)
            .map_err(AppError::Internal)?
            .into();
        user.failed_logins = 0;
        user.locked_until = None;
        let mut tx = self.app.store.begin().await?;
        tx.set_user_password(username, user.password_hash.expose())
            .await?;
        crate::live::account_changed(&mut tx, &user.username, &user.agency, None).await?;
        tx.revoke_user_sessions(username, self.app.clock.now_ms())
            .await?;
        tx.audit(&p.draft(Action::UserPasswordReset, username))
            .await?;
        tx.commit().await?;
        self.app.live.wake();
        Ok(())
    }

    /// Enrols (or replaces) a user's TOTP second factor; returns the secret and its otpauth URI,
    /// to be shown once to the user for their authenticator app.
    pub async fn enrol_totp(
        &self,
        p: Principal<'_>,
        username: &str,
    ) -> AppResult<(String, String)> {
        let mut user = self.managed_user(&p, username, "user.totp").await?;
        let secret = secrets::totp::new_secret();
        user.totp_secret = Some(secret.clone().into());
        user.totp_last_step = None;
        let mut tx = self.app.store.begin().await?;
        tx.set_user_totp(username, &secret).await?;
        tx.audit(&p.draft(Action::UserTotp, username)).await?;
        tx.commit().await?;
        let uri = secrets::totp::uri(&secret, username);
        Ok((secret, uri))
    }
}
