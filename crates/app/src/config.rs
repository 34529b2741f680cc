//! Configuration: one typed struct, read from defaults, then a TOML file, then `PAMIR_*`
//! environment variables (`PAMIR_SERVER_BIND` sets `server.bind`), then command-line flags.
//! Unknown keys are refused and every value is validated with a message naming its key.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`; empty means SQLite at `<data_dir>/pamir.db`.
    pub database_url: String,
    pub data_dir: PathBuf,
    pub node: NodeConfig,
    pub server: ServerConfig,
    pub security: SecurityConfig,
    pub matching: MatchingConfig,
    pub messaging: MessagingConfig,
    pub attachments: AttachmentsConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttachmentsConfig {
    /// Folder of the encrypted files; empty means `<data_dir>/attachments`.
    pub dir: PathBuf,
    pub max_bytes: u64,
    /// The master key as 64 hexadecimal digits; empty means the key file.
    pub master_key: pamir_domain::secret::Secret,
    /// File holding the master key; empty means `<data_dir>/attachments.key` (made on first use).
    pub master_key_file: PathBuf,
    /// Uploads not attached to a message within this many hours are removed.
    pub unattached_hours: u32,
    /// Most uploads one user may have waiting to be attached.
    pub pending_per_user: u32,
}

impl Default for AttachmentsConfig {
    fn default() -> Self {
        AttachmentsConfig {
            dir: PathBuf::new(),
            max_bytes: 25 * 1024 * 1024,
            master_key: Default::default(),
            master_key_file: PathBuf::new(),
            unattached_hours: 24,
            pending_per_user: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MessagingConfig {
    /// Largest message body, in bytes of UTF-8.
    pub max_body_bytes: u64,
    /// Minutes within which an urgent message must be acknowledged before it is escalated.
    pub ack_minutes_urgent: u32,
    /// The same for an immediate message.
    pub ack_minutes_immediate: u32,
    /// Standing conversations between Border Liaison Offices of neighbouring countries.
    pub blo_channels: Vec<BloChannel>,
}

/// A BLO channel: the BLO officers of these agencies (one or more on each side of a border).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BloChannel {
    /// Short identifier used in addresses: lowercase letters, digits and hyphens.
    pub id: String,
    /// The crossing point(s), as shown to users.
    pub name: String,
    pub agencies: Vec<String>,
}

impl Default for MessagingConfig {
    fn default() -> Self {
        MessagingConfig {
            max_body_bytes: 64 * 1024,
            ack_minutes_urgent: 60,
            ack_minutes_immediate: 15,
            blo_channels: Vec::new(),
        }
    }
}

/// This installation as a node of the centre's network: every event it writes names it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodeConfig {
    /// The node's id (`caricc`, `kz-almaty`); empty means the id made for the database when it
    /// was first used. Fixed once the database has one.
    pub id: String,
}

/// Whether `id` can name a node: 2–64 of a–z, 0–9 and `-`, starting with a letter.
pub fn valid_node_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchingConfig {
    /// Lowest score, in [0, 1], at which two records are a match (stored, shown, notified).
    pub threshold: f64,
}

impl Default for MatchingConfig {
    fn default() -> Self {
        MatchingConfig {
            // Three decimals: f32's 0.7 is 0.699999988… as an f64.
            threshold: (f64::from(pamir_match::DEFAULT_THRESHOLD) * 1000.0).round() / 1000.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub bind: String,
    /// The address users reach; `https://…` makes cookies `Secure`.
    pub public_url: String,
    pub max_body_bytes: u64,
    pub import_max_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// Require a TOTP second factor of every user cleared above RESTRICTED (always on in `serve`
    /// unless set false here; `demo` turns it off and says so).
    pub require_totp: bool,
    pub lockout_threshold: u32,
    pub lockout_minutes: u32,
    pub login_attempts_per_minute: u32,
    pub session_idle_minutes: u32,
    pub session_max_hours: u32,
    pub api_token_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// error, warn, info, debug or trace.
    pub level: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: String::new(),
            data_dir: PathBuf::from("./pamir-data"),
            node: NodeConfig::default(),
            server: ServerConfig::default(),
            security: SecurityConfig::default(),
            matching: MatchingConfig::default(),
            messaging: MessagingConfig::default(),
            attachments: AttachmentsConfig::default(),
            log: LogConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_url: String::new(),
            max_body_bytes: 2 * 1024 * 1024,
            import_max_bytes: 256 * 1024 * 1024,
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            require_totp: true,
            lockout_threshold: 5,
            lockout_minutes: 15,
            login_attempts_per_minute: 20,
            session_idle_minutes: 60,
            session_max_hours: 12,
            api_token_days: 365,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: "info".into(),
        }
    }
}

/// What each key means, for the generated example file; a test keeps it complete.
const DOCS: &[(&str, &str)] = &[
    (
        "database_url",
        "sqlite://PATH or postgres://USER@HOST/DB; empty means SQLite at <data_dir>/pamir.db",
    ),
    (
        "data_dir",
        "Folder for the SQLite database and other local state",
    ),
    (
        "node.id",
        "This node's id in the centre's network (a-z, 0-9, -), named by every event it writes; empty means the id made for the database on first use. Fixed once the database has one",
    ),
    ("server.bind", "Address and port the server listens on"),
    (
        "server.public_url",
        "The address users reach; https://... makes session cookies Secure",
    ),
    (
        "server.max_body_bytes",
        "Largest request body accepted, except imports",
    ),
    ("server.import_max_bytes", "Largest import upload accepted"),
    (
        "matching.threshold",
        "Lowest score (0 to 1) at which two records are a match: stored, shown on both, notified",
    ),
    (
        "messaging.max_body_bytes",
        "Largest message body accepted, in bytes",
    ),
    (
        "messaging.ack_minutes_urgent",
        "Minutes an urgent message may stay unacknowledged before it is escalated to the recipient country's focal point",
    ),
    (
        "messaging.ack_minutes_immediate",
        "The same for an immediate message",
    ),
    (
        "messaging.blo_channels",
        "Border Liaison Office channels: [{ id = \"kz-kg-korday\", name = \"Korday - Ak-Zhol\", agencies = [\"KZ-PS\", \"KG-GTS\"] }]",
    ),
    (
        "attachments.dir",
        "Folder of the encrypted attachments; empty means <data_dir>/attachments",
    ),
    ("attachments.max_bytes", "Largest attachment accepted, in bytes"),
    (
        "attachments.unattached_hours",
        "Hours an upload may wait to be attached to a message before it is removed",
    ),
    (
        "attachments.pending_per_user",
        "Most uploads one user may have waiting to be attached",
    ),
    (
        "attachments.master_key",
        "Master key wrapping each attachment's own key, 64 hex digits; empty means the key file. Prefer the file or PAMIR_ATTACHMENTS_MASTER_KEY",
    ),
    (
        "attachments.master_key_file",
        "File with the master key; empty means <data_dir>/attachments.key, created on first use (back it up)",
    ),
    (
        "security.require_totp",
        "Require a TOTP code of every user cleared above RESTRICTED",
    ),
    (
        "security.lockout_threshold",
        "Failed logins in a row that lock an account",
    ),
    (
        "security.lockout_minutes",
        "How long a locked account stays locked",
    ),
    (
        "security.login_attempts_per_minute",
        "Login attempts allowed per client address per minute",
    ),
    (
        "security.session_idle_minutes",
        "A web session ends after this long unused",
    ),
    (
        "security.session_max_hours",
        "A web session ends this long after login, used or not",
    ),
    (
        "security.api_token_days",
        "Default lifetime of API tokens for national systems",
    ),
    ("log.level", "error, warn, info, debug or trace"),
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: String, message: String },
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
    #[error("config key {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Config {
    /// Defaults, then `file` if given, then `PAMIR_*` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut value =
            toml::Value::try_from(Config::default()).map_err(|e| ConfigError::Parse {
                path: "(defaults)".into(),
                message: e.to_string(),
            })?;
        let mut source = "(defaults)".to_string();
        if let Some(path) = file {
            source = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
                path: source.clone(),
                source: e,
            })?;
            let file_value: toml::Value =
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: source.clone(),
                    message: e.to_string(),
                })?;
            merge(&mut value, file_value);
        }
        apply_env(&mut value, "", &env)?;
        let config: Config = value
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Parse {
                path: source,
                message: e.to_string(),
            })?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, message: &str| {
            Err(ConfigError::Invalid {
                key,
                message: message.to_string(),
            })
        };
        if !self.database_url.is_empty()
            && !["sqlite:", "postgres://", "postgresql://"]
                .iter()
                .any(|p| self.database_url.starts_with(p))
        {
            return invalid(
                "database_url",
                "must start with sqlite:, postgres:// or postgresql://",
            );
        }
        if !(self.node.id.is_empty() || valid_node_id(&self.node.id)) {
            return invalid(
                "node.id",
                "must be 2-64 of a-z, 0-9 and -, starting with a letter",
            );
        }
        if self.server.bind.parse::<std::net::SocketAddr>().is_err() {
            return invalid(
                "server.bind",
                "must be an address and port such as 127.0.0.1:8080",
            );
        }
        let url = &self.server.public_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return invalid("server.public_url", "must start with http:// or https://");
        }
        if !(0.0..=1.0).contains(&self.matching.threshold) || self.matching.threshold.is_nan() {
            return invalid("matching.threshold", "must be between 0 and 1");
        }
        if self.server.max_body_bytes < 1024 {
            return invalid("server.max_body_bytes", "must be at least 1024");
        }
        if self.server.import_max_bytes < self.server.max_body_bytes {
            return invalid(
                "server.import_max_bytes",
                "must be at least server.max_body_bytes",
            );
        }
        if self.security.lockout_threshold == 0 {
            return invalid("security.lockout_threshold", "must be at least 1");
        }
        if self.security.session_idle_minutes == 0 || self.security.session_max_hours == 0 {
            return invalid(
                "security.session_idle_minutes",
                "session lifetimes must be positive",
            );
        }
        if self.attachments.max_bytes < 1024 {
            return invalid("attachments.max_bytes", "must be at least 1024");
        }
        if self.attachments.unattached_hours == 0 || self.attachments.pending_per_user == 0 {
            return invalid(
                "attachments.unattached_hours",
                "upload expiry and the pending-upload quota must be at least 1",
            );
        }
        if !self.attachments.master_key.is_empty() {
            if let Err(e) =
                crate::attachments::MasterKey::from_hex(self.attachments.master_key.expose())
            {
                return invalid("attachments.master_key", &e);
            }
        }
        let m = &self.messaging;
        if m.max_body_bytes < 1024 || m.max_body_bytes > self.server.max_body_bytes {
            return invalid(
                "messaging.max_body_bytes",
                "must be at least 1024 and at most server.max_body_bytes",
            );
        }
        if m.ack_minutes_urgent == 0 || m.ack_minutes_immediate == 0 {
            return invalid(
                "messaging.ack_minutes_urgent",
                "acknowledgement times must be positive",
            );
        }
        let mut ids = std::collections::BTreeSet::new();
        for c in &m.blo_channels {
            let ok_id = !c.id.is_empty()
                && c.id.len() <= 40
                && c.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok_id {
                return invalid(
                    "messaging.blo_channels",
                    &format!(
                        "channel id {:?}: use lowercase letters, digits and hyphens",
                        c.id
                    ),
                );
            }
            if !ids.insert(c.id.as_str()) {
                return invalid(
                    "messaging.blo_channels",
                    &format!("channel id {:?} is used twice", c.id),
                );
            }
            if c.name.trim().is_empty() {
                return invalid(
                    "messaging.blo_channels",
                    &format!("channel {}: name is empty", c.id),
                );
            }
            let agencies: Vec<_> = c
                .agencies
                .iter()
                .map(|a| pamir_domain::AgencyCode::parse(a))
                .collect();
            if let Some(Err(e)) = agencies.iter().find(|a| a.is_err()) {
                return invalid("messaging.blo_channels", &format!("channel {}: {e}", c.id));
            }
            let countries: std::collections::BTreeSet<_> =
                agencies.iter().flatten().map(|a| a.country()).collect();
            if countries.len() < 2 {
                return invalid(
                    "messaging.blo_channels",
                    &format!("channel {}: needs agencies of two countries", c.id),
                );
            }
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&self.log.level.as_str()) {
            return invalid("log.level", "must be error, warn, info, debug or trace");
        }
        Ok(())
    }

    /// The database URL in effect: the configured one, or SQLite under the data folder.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("pamir.db").display())
        } else {
            self.database_url.clone()
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }

    /// A commented example file with every key at its default.
    pub fn example_toml() -> String {
        let defaults = toml::Value::try_from(Config::default())
            .unwrap_or(toml::Value::Table(Default::default()));
        let mut out = String::from(
            "# Pamir configuration. Every key is optional; shown here with its default.\n\
             # Each key can also be set by an environment variable: PAMIR_ and the key's path in upper case,\n\
             # dots as underscores (server.bind -> PAMIR_SERVER_BIND).\n",
        );
        let mut section = String::new();
        for (path, doc) in DOCS {
            let (sect, key) = match path.rsplit_once('.') {
                Some((s, k)) => (s.to_string(), k),
                None => (String::new(), *path),
            };
            if sect != section {
                out.push_str(&format!("\n[{sect}]\n"));
                section = sect;
            } else {
                out.push('\n');
            }
            let value = lookup(&defaults, path)
                .map(|v| v.to_string())
                .unwrap_or_default();
            out.push_str(&format!("# {doc}\n{key} = {value}\n"));
        }
        out
    }

    /// Every key path the struct has, for tests of the example's completeness.
    pub fn key_paths() -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(v) = toml::Value::try_from(Config::default()) {
            leaves(&v, "", &mut out);
        }
        out
    }

    pub fn documented_keys() -> Vec<&'static str> {
        DOCS.iter().map(|(k, _)| *k).collect()
    }
}

fn leaves(v: &toml::Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, child) in t {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(child, &path, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

fn lookup<'a>(v: &'a toml::Value, path: &str) -> Option<&'a toml::Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) if existing.is_table() && v.is_table() => merge(existing, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// Sets each leaf from `PAMIR_<PATH>` when present, parsed as the leaf's type.
fn apply_env(
    value: &mut toml::Value,
    prefix: &str,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    let toml::Value::Table(table) = value else {
        return Ok(());
    };
    for (k, v) in table.iter_mut() {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}_{k}")
        };
        if v.is_table() {
            apply_env(v, &path, env)?;
            continue;
        }
        let var = format!("PAMIR_{}", path.to_ascii_uppercase());
        let Some(raw) = env(&var) else { continue };
        let bad = |message: &str| ConfigError::Env {
            var: var.clone(),
            message: message.to_string(),
        };
        *v = match v {
            toml::Value::Boolean(_) => match raw.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => toml::Value::Boolean(true),
                "0" | "false" | "no" | "off" => toml::Value::Boolean(false),
                _ => return Err(bad("must be true or false")),
            },
            toml::Value::Integer(_) => toml::Value::Integer(
                raw.trim()
                    .parse()
                    .map_err(|_| bad("must be a whole number"))?,
            ),
            toml::Value::Float(_) => toml::Value::Float(
                raw.trim()
                    .parse()
                    .map_err(|_| bad("must be a number such as 0.7"))?,
            ),
            _ => toml::Value::String(raw),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_documented_and_nothing_else() {
        let mut keys = Config::key_paths();
        keys.sort();
        let mut docs: Vec<String> = Config::documented_keys()
            .iter()
            .map(|s| s.to_string())
            .collect();
        docs.sort();
        assert_eq!(keys, docs);
    }

    #[test]
    fn the_committed_example_is_current() {
        let committed = include_str!("../../../pamir.example.toml");
        assert_eq!(
            committed,
            Config::example_toml(),
            "regenerate with: cargo run -- config example > pamir.example.toml"
        );
    }

    #[test]
    fn environment_overrides_the_file_and_bad_values_name_their_key() {
        let dir = std::env::temp_dir().join(format!("pamir-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pamir.toml");
        std::fs::write(
            &file,
            "[server]\nbind = \"0.0.0.0:9000\"\n[security]\nlockout_threshold = 3\n",
        )
        .unwrap();
        let env = |k: &str| match k {
            "PAMIR_SECURITY_LOCKOUT_THRESHOLD" => Some("7".to_string()),
            "PAMIR_SECURITY_REQUIRE_TOTP" => Some("false".to_string()),
            _ => None,
        };
        let c = Config::load(Some(&file), env).unwrap();
        assert_eq!(c.server.bind, "0.0.0.0:9000");
        assert_eq!(c.security.lockout_threshold, 7);
        assert!(!c.security.require_totp);

        std::fs::write(&file, "[server]\nbnd = \"x\"\n").unwrap();
        let e = Config::load(Some(&file), |_| None).unwrap_err().to_string();
        assert!(e.contains("bnd"), "{e}");
        let e = Config::load(None, |k| {
            (k == "PAMIR_SECURITY_LOCKOUT_MINUTES").then(|| "soon".into())
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("PAMIR_SECURITY_LOCKOUT_MINUTES"),
            "{e}"
        );
        let e = Config::load(None, |k| {
            (k == "PAMIR_SERVER_BIND").then(|| "nowhere".into())
        })
        .unwrap_err();
        assert!(e.to_string().contains("server.bind"), "{e}");
        std::fs::remove_dir_all(dir).ok();
    }
}
