//! Structured logs (tracing) and Prometheus metrics.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use tracing_subscriber::EnvFilter;

use crate::configuration::{LogFormat, Settings};

/// Installs the global tracing subscriber once; later calls (tests start many apps) are no-ops.
pub fn init_tracing(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The application's metrics, exported at `GET /metrics`.
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_latency: HistogramVec,
    pub uploads: IntCounterVec,
    pub inspection_seconds: HistogramVec,
    /// Where an upload's time goes, by stage (see `service::submissions::upload`).
    pub upload_stage_seconds: HistogramVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["method", "route", "status"],
        )?;
        let http_latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route"],
        )?;
        let uploads = IntCounterVec::new(
            Opts::new(
                "uploads_total",
                "Uploads by outcome and, for rejections, the first failing rule",
            ),
            &["outcome", "rule"],
        )?;
        let inspection_seconds = HistogramVec::new(
            HistogramOpts::new(
                "inspection_duration_seconds",
                "Time to inspect an uploaded document",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["format"],
        )?;
        let upload_stage_seconds = HistogramVec::new(
            HistogramOpts::new(
                "upload_stage_seconds",
                "Time an upload spends in each stage: checks (the database reads before the \
                 body), body, inspection (the worker round trip), store (verdict, receipt, the \
                 write and its commit)",
            )
            .buckets(vec![
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
            ]),
            &["stage"],
        )?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(upload_stage_seconds.clone()))?;
        registry.register(Box::new(http_latency.clone()))?;
        registry.register(Box::new(uploads.clone()))?;
        registry.register(Box::new(inspection_seconds.clone()))?;
        Ok(Self {
            registry,
            http_requests,
            http_latency,
            uploads,
            inspection_seconds,
            upload_stage_seconds,
        })
    }

    pub fn render(&self) -> String {
        let encoder = prometheus::TextEncoder::new();
        let mut text = encoder
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default();
        let commits = crate::database::SQLITE_COMMITS.load(std::sync::atomic::Ordering::Relaxed);
        text.push_str(&format!(
            "# HELP database_commits_total Write transactions committed to SQLite (0 on PostgreSQL)\n\
             # TYPE database_commits_total counter\ndatabase_commits_total {commits}\n"
        ));
        text
    }
}

/// Records one request's route, status and latency. Unmatched paths share one label so that
/// scanners cannot blow up the metric's cardinality.
pub async fn record_metrics(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = request.app_data::<actix_web::web::Data<Metrics>>().cloned();
    let method = method_label(request.method()).to_owned();
    let response = next.call(request).await?;
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let status = response.status().as_u16().to_string();
        metrics
            .http_requests
            .with_label_values(&[method.as_str(), route.as_str(), status.as_str()])
            .inc();
        metrics
            .http_latency
            .with_label_values(&[method.as_str(), route.as_str()])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}

/// A fixed set: the method is whatever the client sent, and each new value would be a new
/// series (500 requests with 4,000-character methods once grew the metrics to 32 MB), or as much
/// text in every log line.
fn method_label(method: &actix_web::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// The request log: one line per answered request, for operators. The client is the address the
/// throttles and the audit log use (`auth::client_ip`): behind a trusted proxy, the client's,
/// not the proxy's, and never an address the client wrote itself. The route is the pattern, never
/// the path: paths and query strings carry one-time tokens and ids. Installed outside the
/// request's tracing span on purpose, since the span's own fields include the full path.
pub async fn log_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let client = crate::auth::client_ip(request.request()).unwrap_or_default();
    let method = method_label(request.method());
    let outcome = next.call(request).await;
    let (status, route, request_id) = match &outcome {
        Ok(response) => {
            let request = response.request();
            let request_id = request
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map(|id| id.to_string())
                .unwrap_or_default();
            let route = request
                .match_pattern()
                .unwrap_or_else(|| "unmatched".to_owned());
            (response.status(), route, request_id)
        }
        // Refused by a middleware (the CSRF check, the role gate), which runs before routing: no
        // route was chosen yet, and the answer carries no request id.
        Err(error) => (
            error.as_response_error().status_code(),
            "unrouted".to_owned(),
            String::new(),
        ),
    };
    tracing::info!(
        target: "api::request",
        client = %client,
        method = %method,
        route = %route,
        status = status.as_u16(),
        ms = (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        request_id = %request_id,
        "request"
    );
    outcome
}

/// Copies the request id that tracing-actix-web assigned into an `X-Request-Id` response header,
/// so a candidate can quote it to support and it can be found in the logs.
pub async fn expose_request_id(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = request
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    let mut response = next.call(request).await?;
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(response)
}
