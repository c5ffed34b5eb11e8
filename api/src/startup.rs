//! Building and running the HTTP application.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App, HttpServer};
use sea_orm::DatabaseConnection;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

use crate::configuration::Settings;
use crate::error::{json_error_handler, path_error_handler, query_error_handler};
use crate::service::inspector::Inspector;
use crate::service::receipts::ReceiptSigner;
use crate::telemetry::{expose_request_id, log_request, record_metrics, Metrics};
use crate::{database, frontend, routes};

/// Everything a request handler may need, shared across workers.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub inspector: Inspector,
    pub signer: ReceiptSigner,
    /// Where upload bodies are held while they arrive and are checked (`upload_memory_mib`,
    /// `upload_disk_mib`).
    pub upload_budget: crate::uploads::UploadBudget,
    /// Uploads in flight per candidate (`uploads_per_candidate`).
    pub upload_slots: crate::uploads::UploadSlots,
    /// The outbox's mail sender, when SMTP is configured (readiness asks whether it still runs).
    pub mail_sender: Option<Arc<tokio::task::JoinHandle<()>>>,
    /// Accepted uploads' writes, batched into shared commits on SQLite.
    pub group_commit: crate::group_commit::GroupCommit,
    /// Exports being prepared, one per account at a time.
    pub export_slots: crate::downloads::ExportSlots,
    /// Staff sign-in through the organisation's OpenID provider, when `oidc_issuer` is set.
    pub organisation_sign_in: Option<crate::service::oidc::OrganisationSignIn>,
    /// The mail templates: built in, some replaced from `mail_templates_dir`.
    pub mail: Arc<crate::service::mail::MailTemplates>,
}

/// The OpenAPI document, generated once at start from the handlers' annotations.
#[derive(Clone)]
pub struct OpenApiDocument(pub Arc<String>);

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    data_folder_lock: Option<database::DataFolderLock>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

/// The security headers every response carries. The CSP forbids inline script and any
/// third-party origin: the pages are our own static modules. A site whose public origin is HTTPS
/// also tells browsers never to reach it over plain HTTP (a year, the preload lists' minimum).
fn security_headers(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((
            "Content-Security-Policy",
            crate::frontend::CONTENT_SECURITY_POLICY,
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
}

impl Application {
    /// Connects to the database, applies migrations, binds the listener. Port 0 picks a free port.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let data_folder_lock = match settings.database_url {
            None => Some(
                database::DataFolderLock::acquire(&settings.data_dir)
                    .map_err(StartupError::Other)?,
            ),
            Some(_) => None,
        };
        // Before anything else: a broken template is the operator's to fix now, not a candidate's
        // missing mail later.
        let mail = Arc::new(
            crate::service::mail::MailTemplates::load(settings.mail_templates_dir.as_deref())
                .map_err(StartupError::Other)?,
        );
        let db = database::connect(&settings).await?;
        database::migrate(&db).await?;
        if settings.demo {
            crate::service::demo::load_if_empty(&db, &settings)
                .await
                .map_err(|e| StartupError::Other(format!("demo data: {e}")))?;
        }
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartupError::Bind {
            address: settings.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| StartupError::Other(e.to_string()))?
            .port();
        let mail_sender = settings.smtp_url.clone().map(|smtp_url| {
            crate::service::outbox::spawn_sender(db.clone(), smtp_url, settings.mail_from.clone())
        });
        spawn_daily_purge(db.clone(), settings.retention_months);
        crate::service::integrations::spawn_dispatcher(
            db.clone(),
            crate::service::integrations::DispatcherSettings {
                poll: std::time::Duration::from_millis(settings.webhook_poll_millis.max(50)),
                timeout: std::time::Duration::from_secs(settings.webhook_timeout_seconds.max(1)),
                retry_base: std::time::Duration::from_millis(settings.webhook_retry_base_millis),
                public_origin: settings.public_origin.clone(),
            },
        );
        let metrics = Metrics::new().map_err(|e| StartupError::Other(e.to_string()))?;
        let inspector = Inspector::new(&settings)
            .map_err(|e| StartupError::Other(format!("inspection worker: {e}")))?;
        let signer = ReceiptSigner::from_settings(&settings)
            .map_err(|e| StartupError::Other(format!("receipt signing key: {e}")))?;
        let upload_budget = crate::uploads::UploadBudget::new(
            settings.upload_memory_mib,
            settings.upload_disk_mib,
            settings.data_dir.join("incoming"),
        );
        say_which_instant_counts(&settings);
        let organisation_sign_in =
            crate::service::oidc::OrganisationSignIn::from_settings(&settings)
                .map_err(|e| StartupError::Other(format!("organisation sign-in: {e}")))?;
        let settings = Arc::new(settings);
        crate::service::reminders::spawn_pass(db.clone(), settings.clone(), mail.clone());
        let state = AppState {
            db: db.clone(),
            settings,
            inspector,
            signer,
            upload_budget,
            upload_slots: Default::default(),
            mail_sender: mail_sender.map(Arc::new),
            group_commit: Default::default(),
            export_slots: Default::default(),
            organisation_sign_in,
            mail,
        };
        let server = run(listener, state, metrics)?;
        Ok(Self {
            port,
            server,
            db,
            data_folder_lock,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn database(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until SIGINT/SIGTERM; in-flight requests are allowed to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        // Held until the server has stopped, not merely until it was built.
        drop(self.data_folder_lock);
        served
    }
}

/// Says in the log which instant an upload's "began" is (see [`which_instant_counts`]).
fn say_which_instant_counts(settings: &Settings) {
    let (warn, message) = which_instant_counts(settings);
    if warn {
        tracing::warn!(proxies = ?settings.trusted_proxies, "{message}");
    } else {
        tracing::info!("{message}");
    }
}

/// Which instant an upload's "began" is with these settings, and whether that deserves a warning.
/// A proxy that buffers request bodies (nginx's default, `proxy_request_buffering on`) passes an
/// upload on only once its body has fully arrived, so a slow upload begun before the deadline
/// would be judged by its arrival. The server cannot see what the proxy does; the operator says
/// so with `proxy_streams_bodies`.
pub fn which_instant_counts(settings: &Settings) -> (bool, &'static str) {
    if settings.trusted_proxies.is_empty() {
        (
            false,
            "an upload begins when its request headers reach this server (no trusted proxy)",
        )
    } else if settings.proxy_streams_bodies {
        (
            false,
            "an upload begins when the proxy passes its headers on; the proxy is declared to \
             stream request bodies (proxy_streams_bodies = true)",
        )
    } else {
        (
            true,
            "trusted_proxies is set but proxy_streams_bodies is not: if the proxy buffers request \
             bodies (nginx's default), an upload 'begins' only when its whole body has reached the \
             proxy, and a slow upload started before the deadline may be refused. Configure the \
             proxy to stream bodies (nginx: proxy_request_buffering off; see the README, 'Which \
             instant counts'), then set proxy_streams_bodies = true",
        )
    }
}

/// Retention, carried out daily (a minute after start, then every 24 hours). Several instances
/// may run it at once: each vacancy's purge re-checks inside its own transaction.
fn spawn_daily_purge(db: DatabaseConnection, retention_months: u32) {
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        loop {
            match crate::service::privacy::purge(&db, retention_months, chrono::Utc::now(), false)
                .await
            {
                Ok(report) if report.vacancies.is_empty() && report.accounts_erased == 0 => {}
                Ok(report) => tracing::info!(
                    vacancies = report.vacancies.len(),
                    accounts_erased = report.accounts_erased,
                    "retention: personal data deleted"
                ),
                Err(error) => tracing::warn!(%error, "retention purge failed; retried tomorrow"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
        }
    });
}

/// The OpenAPI document of every route registered through `routes::configure`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .configure(routes::configure)
        .split_for_parts();
    api.info.title = "essay-portal".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api.info.description = Some(
        "Upload, check and assess the 'Key challenges' essays that vacancy notices ask for.".into(),
    );
    // Other systems call the routes whose `security` names `bearer` with an API token created on
    // the Integrations page; people use the session cookie their sign-in set.
    use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
    api.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("ept_…")
                    .description(Some(
                        "An API token (`Authorization: Bearer ept_…`) created by an admin on the \
                         Integrations page, with scopes vacancies:read, vacancies:write, \
                         results:read, essays:read. Accepted only on the routes whose security \
                         names the token's scope; every other route answers 403.",
                    ))
                    .build(),
            ),
        );
    api
}

fn run(listener: TcpListener, state: AppState, metrics: Metrics) -> Result<Server, StartupError> {
    let document = openapi()
        .to_json()
        .map_err(|e| StartupError::Other(e.to_string()))?;
    let document = OpenApiDocument(Arc::new(document));
    let json_limit = state.settings.json_limit_bytes;
    let https = state.settings.serves_https();
    let state = web::Data::new(state);
    let metrics = web::Data::new(metrics);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(crate::auth::role_gate))
            .wrap(from_fn(crate::auth::csrf_guard))
            .wrap(from_fn(crate::error::localized_problems))
            .wrap(from_fn(expose_request_id))
            .wrap(TracingLogger::default())
            .wrap(from_fn(log_request))
            .wrap(from_fn(record_metrics))
            .wrap(security_headers(https))
            .wrap(from_fn(crate::auth::untrusted_forwarding_removed))
            .wrap(from_fn(crate::uploads::stamp_arrival))
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(web::Data::new(document.clone()))
            .app_data(
                web::JsonConfig::default()
                    .limit(json_limit)
                    .error_handler(json_error_handler),
            )
            .app_data(web::QueryConfig::default().error_handler(query_error_handler))
            .app_data(web::PathConfig::default().error_handler(path_error_handler))
            .into_utoipa_app()
            .configure(routes::configure)
            .into_app()
            .configure(routes::meta::configure_unlisted)
            .configure(routes::oidc::configure)
            .default_service(web::to(frontend::serve))
    })
    .listen(listener)
    .map_err(|e| StartupError::Other(e.to_string()))?
    .shutdown_timeout(30)
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_log_warns_only_behind_a_proxy_not_declared_to_stream_bodies() {
        let proxy = vec!["127.0.0.1".parse().expect("address")];
        // (trusted proxies, streams bodies, warns, words of the message)
        let cases = [
            (vec![], false, false, "no trusted proxy"),
            (proxy.clone(), false, true, "proxy_request_buffering off"),
            (proxy, true, false, "declared to stream"),
        ];
        for (trusted_proxies, proxy_streams_bodies, warns, words) in cases {
            let settings = Settings {
                trusted_proxies,
                proxy_streams_bodies,
                ..Settings::default()
            };
            let (warned, message) = which_instant_counts(&settings);
            assert_eq!(warned, warns, "{message}");
            assert!(message.contains(words), "{message}");
        }
    }
}
