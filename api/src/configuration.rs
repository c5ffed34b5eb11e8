//! One typed settings struct, layered: defaults → optional TOML file → environment → command-line flags.
//! Nothing else in the code base reads the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Every configuration key, with its default. The README documents each one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    /// Address and port the HTTP server listens on; port 0 picks a free port.
    pub bind: SocketAddr,
    /// Directory holding all local state: the SQLite database and the receipt signing key.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; empty means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Maximum database connections in the pool.
    pub database_max_connections: u32,
    /// Public origin of the site (scheme, host, port) used for the CSRF Origin check and links in emails.
    /// Empty means "whatever Host the request names", which suits local use.
    pub public_origin: Option<String>,
    /// Mark the session cookie `Secure` (set when the site is served over HTTPS).
    pub cookie_secure: bool,
    /// Session idle timeout, in minutes.
    pub session_idle_minutes: i64,
    /// Session absolute lifetime, in hours.
    pub session_absolute_hours: i64,
    /// Largest accepted JSON body, in bytes.
    pub json_limit_bytes: usize,
    /// Largest accepted upload (the whole multipart body), in bytes.
    pub upload_limit_bytes: usize,
    /// Upload bytes held in memory at once, in MiB: half for bodies arriving (a body that finds
    /// none free goes on to a temporary file rather than wait), half for complete files being
    /// checked and stored (they wait for it; their arrival instant is already recorded).
    pub upload_memory_mib: usize,
    /// Upload bytes held in temporary files (under `data_dir/incoming`) at once, in MiB, when the
    /// memory for arriving bodies is taken. Beyond it an upload is answered 503 at once.
    pub upload_disk_mib: usize,
    /// An upload whose body goes quiet this many seconds is ended (408).
    pub upload_idle_seconds: u64,
    /// An upload whose body has not fully arrived this many seconds after it began is ended (408).
    pub upload_body_seconds: u64,
    /// Uploads (and so inspections) one candidate may have in flight at once; more get 429.
    pub uploads_per_candidate: usize,
    /// Addresses of reverse proxies whose `Forwarded`/`X-Forwarded-*` headers are believed (the
    /// client address for throttles and logs, the host for the Origin check). From anyone else
    /// those headers are removed before anything reads them.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The operator's word that the trusted proxies stream request bodies to this server as they
    /// arrive (nginx: `proxy_request_buffering off`). Without it, a server behind a proxy warns at
    /// start that an upload's "began" may be the instant its body finished reaching the proxy.
    pub proxy_streams_bodies: bool,
    /// Registrations from one client address before it is slowed down (each costs a password
    /// hash). A load generator that stands in for many candidates from one address raises it.
    pub registrations_per_address: i32,
    /// Bearer token that `GET /metrics` requires (`Authorization: Bearer …`); empty turns the
    /// endpoint off. Metrics reveal traffic and failure patterns, so they are not public.
    pub metrics_token: Option<String>,
    /// Log format: `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `tracing` filter directive, e.g. `info` or `api=debug,info`.
    pub log_level: String,
    /// Path of the executable that runs document inspection in a sandboxed child process.
    /// Empty means this executable.
    pub inspection_worker: Option<PathBuf>,
    /// CPU-seconds a single inspection may use before the worker is killed.
    pub inspection_cpu_seconds: u64,
    /// Wall-clock seconds a single inspection may take before the worker is killed.
    pub inspection_timeout_seconds: u64,
    /// Address-space limit of an inspection worker, in MiB.
    pub inspection_memory_mib: u64,
    /// Inspections allowed to run at once.
    pub inspection_concurrency: usize,
    /// SMTP server URL for outgoing mail (e.g. `smtps://user:pass@mail.example.org`); empty keeps mail in the outbox.
    pub smtp_url: Option<String>,
    /// Sender address of outgoing mail.
    pub mail_from: String,
    /// A folder of mail templates replacing the built-in ones of the same name (e.g.
    /// `receipt.fr.txt`; see docs/mail.md). Checked at start: one that does not render stops it.
    pub mail_templates_dir: Option<PathBuf>,
    /// Load demo vacancies and one account per role into an empty database at start.
    pub demo: bool,
    /// The receipt signing key (PKCS#8 PEM, made by `essay-portal keys generate --to FILE`).
    /// Every instance that serves one database must sign with the same key, so deployments of
    /// more than one instance set it; empty means `receipt-signing-key.pem` in `data_dir`,
    /// created on first start.
    pub receipt_key_file: Option<PathBuf>,
    /// Months a vacancy's personal data (applications, essays, attempts, scores, decisions) is
    /// kept after it closes, unless an admin set the vacancy's own period. Then it is deleted.
    pub retention_months: u32,
    /// Versions of one document an application keeps (at least 2). An accepted upload beyond it
    /// deletes the oldest replaced versions and their files, except versions an assessor scored;
    /// the current version is never deleted.
    pub versions_per_document: u32,
    /// Refused upload attempts of one document an application keeps on record; each refused
    /// upload beyond it deletes the oldest refused ones.
    pub refused_attempts_per_document: u32,
    /// The organisation's OpenID provider (its issuer URL, e.g.
    /// `https://login.microsoftonline.com/<tenant>/v2.0`) for staff sign-in; empty turns it off.
    /// docs/oidc.md says how to set up Keycloak, Entra ID and Google Workspace.
    pub oidc_issuer: Option<String>,
    /// This service's client id at the provider.
    pub oidc_client_id: Option<String>,
    /// Its client secret; prefer `oidc_client_secret_file` (or the environment) to a config file.
    pub oidc_client_secret: Option<Secret>,
    /// A file holding the client secret (surrounding white space ignored); wins over
    /// `oidc_client_secret`.
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The ID-token claim whose values make someone staff, e.g. `groups` or `roles`: a string or
    /// an array of strings.
    pub oidc_staff_claim: String,
    /// Values of the staff claim that make an admin (checked first).
    pub oidc_admin_values: Vec<String>,
    /// Values of the staff claim that make an assessor.
    pub oidc_assessor_values: Vec<String>,
    /// Scopes asked for besides `openid email profile` (e.g. `groups` where the provider puts the
    /// groups claim behind a scope of its own).
    pub oidc_extra_scopes: Vec<String>,
    /// How far the provider's clock may be from ours when an ID token's `exp` and `iat` are
    /// checked, in seconds.
    pub oidc_clock_skew_seconds: u64,
    /// Whether assessors and admins may also sign in with a password. `false` leaves them only
    /// the organisation's sign-in; candidates always keep their passwords.
    pub staff_password_login: bool,
    /// How often each instance looks for webhook events to fan out and deliveries that are due.
    pub webhook_poll_millis: u64,
    /// A webhook receiver must answer within this (connection and answer together).
    pub webhook_timeout_seconds: u64,
    /// The wait before a failed delivery's first retry; each later retry waits twice as long,
    /// at most an hour.
    pub webhook_retry_base_millis: u64,
}

/// A secret from the configuration: never written to logs (`Debug` says `[redacted]`).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 16,
            public_origin: None,
            cookie_secure: false,
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            json_limit_bytes: 256 * 1024,
            upload_limit_bytes: 10 * 1024 * 1024,
            upload_memory_mib: 128,
            upload_disk_mib: 2048,
            proxy_streams_bodies: false,
            metrics_token: None,
            registrations_per_address: 10,
            trusted_proxies: Vec::new(),
            upload_idle_seconds: 30,
            upload_body_seconds: 300,
            uploads_per_candidate: 2,
            log_format: LogFormat::Pretty,
            log_level: "info".to_owned(),
            inspection_worker: None,
            inspection_cpu_seconds: 5,
            inspection_timeout_seconds: 10,
            inspection_memory_mib: 1024,
            inspection_concurrency: 4,
            smtp_url: None,
            mail_from: "essay-portal <no-reply@localhost>".to_owned(),
            mail_templates_dir: None,
            demo: false,
            receipt_key_file: None,
            retention_months: 24,
            versions_per_document: 20,
            refused_attempts_per_document: 50,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_client_secret_file: None,
            oidc_staff_claim: "groups".to_owned(),
            oidc_admin_values: Vec::new(),
            oidc_assessor_values: Vec::new(),
            oidc_extra_scopes: Vec::new(),
            oidc_clock_skew_seconds: 60,
            staff_password_login: true,
            webhook_poll_millis: 2000,
            webhook_timeout_seconds: 10,
            webhook_retry_base_millis: 5_000,
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Clone, Serialize)]
pub struct CommandLineOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigurationError(#[from] Box<figment::Error>);

impl Settings {
    /// Loads the layers. `config_file` is the `--config` flag or the `ESSAY_PORTAL_CONFIG` variable.
    /// Environment variables are `ESSAY_PORTAL_<KEY>` (e.g. `ESSAY_PORTAL_BIND`), plus the
    /// conventional `DATABASE_URL`.
    pub fn load(
        config_file: Option<&Path>,
        overrides: &CommandLineOverrides,
    ) -> Result<Self, ConfigurationError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let env_file = std::env::var_os("ESSAY_PORTAL_CONFIG").map(PathBuf::from);
        if let Some(file) = config_file.map(Path::to_path_buf).or(env_file) {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(Env::prefixed("ESSAY_PORTAL_").ignore(&["CONFIG"]))
            .merge(Serialized::defaults(overrides));
        let settings: Settings = figment.extract().map_err(Box::new)?;
        Ok(settings.normalised())
    }

    /// Empty strings from the environment mean "not set".
    fn normalised(mut self) -> Self {
        for value in [
            &mut self.database_url,
            &mut self.public_origin,
            &mut self.smtp_url,
            &mut self.oidc_issuer,
            &mut self.oidc_client_id,
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *value = None;
            }
        }
        if self
            .oidc_client_secret
            .as_ref()
            .is_some_and(|s| s.0.trim().is_empty())
        {
            self.oidc_client_secret = None;
        }
        for path in [
            &mut self.inspection_worker,
            &mut self.receipt_key_file,
            &mut self.mail_templates_dir,
            &mut self.oidc_client_secret_file,
        ] {
            if path.as_deref().is_some_and(|p| p.as_os_str().is_empty()) {
                *path = None;
            }
        }
        self
    }

    /// Whether the public origin is HTTPS: cookies are then `Secure` and responses carry
    /// Strict-Transport-Security.
    pub fn serves_https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|origin| origin.trim().to_ascii_lowercase().starts_with("https://"))
    }

    /// Whether cookies are marked `Secure`: as configured, and always on a site served over
    /// HTTPS, whatever `cookie_secure` says (forgetting it was the second adversarial review's
    /// finding 14).
    pub fn secure_cookies(&self) -> bool {
        self.cookie_secure || self.serves_https()
    }

    /// The database to connect to: the configured URL, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("essay-portal.sqlite").display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oidc_client_secret_never_reaches_a_log() {
        let settings = Settings {
            oidc_client_secret: Some(Secret("a-secret-that-must-not-be-logged".into())),
            ..Settings::default()
        };
        let logged = format!("{settings:?}");
        assert!(!logged.contains("must-not-be-logged"), "{logged}");
        assert!(logged.contains("[redacted]"));
    }
}
