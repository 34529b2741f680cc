// Users, sessions and API tokens (SQL shared by both engines).

const USER_COLS: &str = "username, display_name, agency, roles, clearance, password_hash, totp_secret, totp_last_step, language, \
    disabled, failed_logins, locked_until, created_at, updated_at";

const SESSION_COLS: &str =
    "id, token_hash, username, kind, label, csrf_token, created_at, expires_at, last_used_at, revoked_at";

fn user_from_row(row: &DbRow) -> Result<User> {
    let username: String = row.try_get("username")?;
    let bad = |what: &str| corrupt(format!("user {username}: {what}"));
    let roles: String = row.try_get("roles")?;
    Ok(User {
        username: Username::parse(&username).map_err(|_| bad("username"))?,
        display_name: row.try_get("display_name")?,
        agency: AgencyCode::parse(&row.try_get::<String, _>("agency")?).map_err(|_| bad("agency"))?,
        roles: split_codes(&roles).map(|r| r.parse::<Role>()).collect::<std::result::Result<_, _>>().map_err(|_| bad("roles"))?,
        clearance: Classification::from_level(row.try_get("clearance")?).ok_or_else(|| bad("clearance"))?,
        password_hash: pamir_domain::secret::Secret::new(row.try_get::<String, _>("password_hash")?),
        totp_secret: row.try_get::<Option<String>, _>("totp_secret")?.map(pamir_domain::secret::Secret::new),
        totp_last_step: row.try_get("totp_last_step")?,
        language: row.try_get("language")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn session_from_row(row: &DbRow) -> Result<Session> {
    let username: String = row.try_get("username")?;
    let kind: String = row.try_get("kind")?;
    Ok(Session {
        id: row.try_get("id")?,
        token_hash: row.try_get("token_hash")?,
        username: Username::parse(&username).map_err(|_| corrupt("session username"))?,
        kind: match kind.as_str() {
            "api" => SessionKind::Api,
            _ => SessionKind::Web,
        },
        label: row.try_get("label")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

impl Engine {
    pub async fn get_user(&self, username: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn agency_users(&self, agency: &str) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE agency = $1 ORDER BY username"))
            .bind(agency)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn list_users(&self, country: Option<&str>) -> Result<Vec<User>> {
        let rows = match country {
            Some(c) => {
                sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE agency LIKE $1 ORDER BY username"))
                    .bind(format!("{c}-%"))
                    .fetch_all(&self.read)
                    .await?
            }
            None => sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY username")).fetch_all(&self.read).await?,
        };
        rows.iter().map(user_from_row).collect()
    }

    pub async fn find_session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// A session with its user and the status of the user's country, in one query: every
    /// authenticated request asks for all three.
    pub async fn find_session_user(&self, token_hash: &str) -> Result<Option<(Session, User, Option<CountryStatus>)>> {
        let user_cols = USER_COLS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        let row = sqlx::query(&format!(
            "SELECT {user_cols}, s.id, s.token_hash, s.kind, s.label, s.csrf_token, s.created_at AS session_created_at, \
             s.expires_at, s.last_used_at, s.revoked_at, c.status AS country_status \
             FROM sessions s JOIN users u ON u.username = s.username \
             LEFT JOIN countries c ON c.code = substr(u.agency, 1, 2) WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row)?;
        let kind: String = row.try_get("kind")?;
        let session = Session {
            id: row.try_get("id")?,
            token_hash: row.try_get("token_hash")?,
            username: user.username.clone(),
            kind: match kind.as_str() {
                "api" => SessionKind::Api,
                _ => SessionKind::Web,
            },
            label: row.try_get("label")?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: row.try_get("session_created_at")?,
            expires_at: row.try_get("expires_at")?,
            last_used_at: row.try_get("last_used_at")?,
            revoked_at: row.try_get("revoked_at")?,
        };
        let status: Option<String> = row.try_get("country_status")?;
        let status = status.map(|s| s.parse::<CountryStatus>().map_err(corrupt)).transpose()?;
        Ok(Some((session, user, status)))
    }

    pub async fn get_session(&self, id: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    /// Records that a session was used; not audited and outside the chain lock, so it never
    /// waits behind a long import.
    pub async fn touch_session(&self, id: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2").bind(at).bind(id).execute(&self.write).await?;
        Ok(())
    }

    pub async fn list_sessions(&self, username: &str) -> Result<Vec<Session>> {
        let rows = sqlx::query(&format!("SELECT {SESSION_COLS} FROM sessions WHERE username = $1 ORDER BY created_at DESC"))
            .bind(username)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(session_from_row).collect()
    }
}

impl WriteTx {
    pub async fn insert_user(&mut self, u: &User) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(u.username.as_str())
        .bind(&u.display_name)
        .bind(u.agency.as_str())
        .bind(join_codes(&u.roles))
        .bind(u.clearance.level())
        .bind(u.password_hash.expose())
        .bind(u.totp_secret.as_ref().map(|s| s.expose()))
        .bind(u.totp_last_step)
        .bind(&u.language)
        .bind(i64::from(u.disabled))
        .bind(u.failed_logins)
        .bind(u.locked_until)
        .bind(self.now)
        .bind(self.now)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| classify(e, &format!("user {}", u.username), &format!("agency {}", u.agency)))?;
        Ok(())
    }

    /// Changes what an administrator manages (name, roles, clearance, language) and nothing
    /// else: a concurrent login or password reset keeps what it wrote.
    pub async fn set_user_profile(&mut self, u: &User) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, roles = $2, clearance = $3, language = $4, updated_at = $5 \
             WHERE username = $6",
        )
        .bind(&u.display_name)
        .bind(join_codes(&u.roles))
        .bind(u.clearance.level())
        .bind(&u.language)
        .bind(self.now)
        .bind(u.username.as_str())
        .execute(&mut *self.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Sets `set` (SQL assigning `$1`) on one user's row and stamps it; nothing else changes.
    async fn set_user_columns<T>(&mut self, username: &str, set: &str, value: T) -> Result<()>
    where
        T: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send,
    {
        let sql = format!("UPDATE users SET {set}, updated_at = $2 WHERE username = $3");
        let done = sqlx::query(&sql)
            .bind(value)
            .bind(self.now)
            .bind(username)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Disables or enables an account, clearing its failure count and lock.
    pub async fn set_user_disabled(&mut self, username: &str, disabled: bool) -> Result<()> {
        self.set_user_columns(username, "disabled = $1, failed_logins = 0, locked_until = NULL", i64::from(disabled)).await
    }

    /// Sets a new password hash, clearing the failure count and lock.
    pub async fn set_user_password(&mut self, username: &str, password_hash: &str) -> Result<()> {
        self.set_user_columns(username, "password_hash = $1, failed_logins = 0, locked_until = NULL", password_hash.to_string()).await
    }

    /// Enrols a new second factor (its last used step forgotten).
    pub async fn set_user_totp(&mut self, username: &str, secret: &str) -> Result<()> {
        self.set_user_columns(username, "totp_secret = $1, totp_last_step = NULL", secret.to_string()).await
    }

    /// Counts one failed login in a single statement, so that concurrent attempts each count;
    /// at `threshold` the account is locked until `lock_until` and the count starts again.
    /// Returns the lock when this failure set it.
    pub async fn count_login_failure(&mut self, username: &str, threshold: i64, lock_until: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "UPDATE users SET \
               locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END, \
               failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END \
             WHERE username = $3 RETURNING locked_until, failed_logins",
        )
        .bind(threshold)
        .bind(lock_until)
        .bind(username)
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let locked: Option<i64> = row.try_get("locked_until")?;
        let failed: i64 = row.try_get("failed_logins")?;
        Ok(locked.filter(|l| *l == lock_until && failed == 0))
    }

    /// Records a successful login, only if at this moment the account is still enabled, not
    /// locked, has the password that was checked and (with a second factor) has not seen this
    /// or a later step. False means one of those changed since it was read: no session.
    pub async fn record_login_success(
        &mut self,
        username: &str,
        checked_hash: &str,
        totp_step: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, \
               totp_last_step = COALESCE($1, totp_last_step) \
             WHERE username = $2 AND disabled = 0 AND password_hash = $3 \
               AND (locked_until IS NULL OR locked_until <= $4) \
               AND ($1 IS NULL OR totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(totp_step)
        .bind(username)
        .bind(checked_hash)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_session(&mut self, s: &Session) -> Result<()> {
        sqlx::query(&format!("INSERT INTO sessions ({SESSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
            .bind(&s.id)
            .bind(&s.token_hash)
            .bind(s.username.as_str())
            .bind(s.kind.as_str())
            .bind(&s.label)
            .bind(&s.csrf_token)
            .bind(s.created_at)
            .bind(s.expires_at)
            .bind(s.last_used_at)
            .bind(s.revoked_at)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| classify(e, "session", &format!("user {}", s.username)))?;
        Ok(())
    }

    pub async fn revoke_session(&mut self, id: &str, at: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn revoke_user_sessions(&mut self, username: &str, at: i64) -> Result<u64> {
        let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE username = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(username)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected())
    }
}
