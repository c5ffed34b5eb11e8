//! `loadgen proxy`: the deployment that `deploy/nginx/` describes, run for real. Real nginx
//! (unprivileged, from a folder of its own) terminates TLS with the certificate it is given and
//! balances two instances on one fresh PostgreSQL database; every check goes through it over
//! HTTPS, from 127.0.0.2 while nginx listens on 127.0.0.1, so that the client's address and the
//! proxy's differ. Each check prints PASS or FAIL and how long it took; times are reported, never
//! judged (CI is a shared machine running the debug build).

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};
use testkit::client::{csrf, post_expecting, Candidate};
use testkit::pdf::A4;
use testkit::server::{Server, Spec};
use testkit::PASSWORD;

use crate::{database, instances, ProxyArgs, Res, Run};

const ADMIN: &str = "admin@example.org";
/// The vacancy whose deadline is moved a few seconds ahead.
const DEADLINE_REFERENCE: &str = "990201";
/// The vacancy that stays open for the size and failover checks.
const OPEN_REFERENCE: &str = "990202";
/// The application's defaults, which the template's limits follow.
const FILE_LIMIT: usize = 10 * 1024 * 1024;
/// The address the client connects from; nginx listens on 127.0.0.1 and is the instances' peer.
const CLIENT_ADDRESS: [u8; 4] = [127, 0, 0, 2];

pub async fn run(args: ProxyArgs) -> Res<bool> {
    if args.common.database_url.is_none() {
        return Err(
            "proxy needs --database-url: two instances share one PostgreSQL database".into(),
        );
    }
    let run = Run::new(&args.common)?;
    // Removed when dropped, on every path out of here.
    let nginx_dir = tempfile::Builder::new()
        .prefix("loadgen-nginx-")
        .tempdir()?;
    let mut restored = None;
    let outcome = drive(&args, &run, nginx_dir.path(), &mut restored).await;
    let ok = match outcome {
        Ok(ok) => ok,
        Err(e) => {
            println!("SET-UP FAILED: {e}");
            false
        }
    };
    if !ok {
        print_logs(&run, nginx_dir.path());
    }
    if let (Some(base), Some(url)) = (&args.common.database_url, restored) {
        database::drop_database(base, &url);
    }
    run.finish(args.common.keep);
    Ok(ok)
}

/// Everything between the fresh database and the clean-up; the servers and nginx it starts are
/// stopped when it returns, whichever way.
async fn drive(
    args: &ProxyArgs,
    run: &Run,
    nginx_dir: &Path,
    restored: &mut Option<String>,
) -> Res<bool> {
    let setup = Instant::now();
    let mut spec = run.spec.clone();
    spec.env.extend(
        [
            ("ESSAY_PORTAL_TRUSTED_PROXIES", r#"["127.0.0.1"]"#),
            ("ESSAY_PORTAL_PROXY_STREAMS_BODIES", "true"),
            ("ESSAY_PORTAL_COOKIE_SECURE", "true"),
            ("ESSAY_PORTAL_LOG_FORMAT", "json"),
            ("ESSAY_PORTAL_LOG_LEVEL", "warn,api=info"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    spec.create_admin(ADMIN, PASSWORD)?;
    // Two instances, one database, one receipt key file (made with `essay-portal keys generate`).
    let specs = instances::specs(&spec, 2, None)?;
    let mut servers: Vec<Option<Server>> = Vec::new();
    for spec in &specs {
        servers.push(Some(spec.start().await?));
    }

    let port = testkit::server::free_port();
    let mut nginx = Nginx::start(args, nginx_dir, port, &specs)?;
    let origin = format!("https://127.0.0.1:{port}");
    let cert = reqwest::Certificate::from_pem(&std::fs::read(&args.tls_cert)?)?;
    let proxy = Proxy {
        url: origin.clone(),
        origin,
        cert,
    };
    wait_for_tls(&proxy, &mut nginx).await?;
    println!(
        "set-up: nginx {} on 127.0.0.1:{port} (TLS, {}), 2 instances on one PostgreSQL database, client from {} in {:.1} s",
        nginx.version,
        if nginx.unprivileged {
            "run as nobody"
        } else {
            "run as this user"
        },
        IpAddr::from(CLIENT_ADDRESS),
        setup.elapsed().as_secs_f64()
    );

    let mut checks = Checks::default();
    readiness_and_headers(&proxy, &mut checks).await;
    client_address(&proxy, &specs, &mut checks).await;

    // Candidates and vacancies, through the proxy as a browser would make them (not timed).
    let admin = log_in(&proxy, ADMIN).await?;
    let far = Utc::now() + chrono::Duration::days(1);
    create_vacancy(&proxy, &admin, DEADLINE_REFERENCE, far, 30).await?;
    create_vacancy(&proxy, &admin, OPEN_REFERENCE, far, 30).await?;
    let slow = candidate(&proxy, 0, &[DEADLINE_REFERENCE]).await?.remove(0);
    let late = candidate(&proxy, 1, &[DEADLINE_REFERENCE]).await?.remove(0);
    let sizes = candidate(&proxy, 2, &[OPEN_REFERENCE]).await?.remove(0);

    deadline(&proxy, &admin, &slow, &late, &mut checks).await?;
    upload_sizes(&proxy, &sizes, &mut checks).await;
    let killed = servers[0].take();
    failover(&proxy, nginx_dir, killed, &specs[1], &sizes, &mut checks).await;
    backup_and_restore(args, run, &specs[1], restored, &mut checks).await;

    drop(servers);
    drop(nginx);
    Ok(checks.finish())
}

/// What every request needs: where nginx listens, the Origin a page of it sends, the certificate.
struct Proxy {
    url: String,
    origin: String,
    cert: reqwest::Certificate,
}

impl Proxy {
    /// A browser of its own: cookie jar, trusting only the certificate nginx was given, connecting
    /// from [`CLIENT_ADDRESS`], sending the Origin its pages would.
    fn browser(&self) -> Res<reqwest::Client> {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_str(&self.origin)?);
        Ok(reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .https_only(true)
            .tls_built_in_root_certs(false)
            .add_root_certificate(self.cert.clone())
            .local_address(IpAddr::from(CLIENT_ADDRESS))
            .default_headers(headers)
            .build()?)
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

/// The checks' outcomes, printed as they come.
#[derive(Default)]
struct Checks {
    passed: usize,
    failed: usize,
}

impl Checks {
    fn record(&mut self, name: &str, started: Instant, outcome: Res<String>) {
        let took = started.elapsed().as_secs_f64();
        match outcome {
            Ok(detail) => {
                self.passed += 1;
                println!("PASS {took:7.2} s  {name}: {detail}");
            }
            Err(e) => {
                self.failed += 1;
                println!("FAIL {took:7.2} s  {name}: {e}");
            }
        }
    }

    fn finish(&self) -> bool {
        println!("proxy: {} passed, {} failed", self.passed, self.failed);
        self.failed == 0 && self.passed > 0
    }
}

/// nginx, started from `deploy/nginx/standalone.conf` and the rendered template in a folder of its
/// own, in a process group of its own so that stopping it stops its workers too.
struct Nginx {
    child: Child,
    version: String,
    unprivileged: bool,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SIGTERM: the master stops its workers. SIGKILL only if it does not within 10 s, to the
        // whole group, since a master killed first would leave its workers listening.
        // SAFETY: kill(2) on a process group this harness started.
        unsafe { libc::kill(group, libc::SIGTERM) };
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: as above.
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Nginx {
    fn start(args: &ProxyArgs, dir: &Path, port: u16, specs: &[Spec]) -> Res<Self> {
        let nginx = find_nginx(&args.nginx)?;
        let version = Command::new(&nginx).arg("-v").output()?;
        let version = String::from_utf8_lossy(&version.stderr)
            .trim()
            .trim_start_matches("nginx version: ")
            .to_owned();
        std::fs::copy(&args.nginx_conf, dir.join("nginx.conf"))?;
        // Copies nginx can read once it runs as nobody.
        std::fs::copy(&args.tls_cert, dir.join("cert.pem"))?;
        std::fs::copy(&args.tls_key, dir.join("key.pem"))?;
        let upstreams: Vec<String> = specs
            .iter()
            .map(|s| format!("server 127.0.0.1:{} max_fails=1 fail_timeout=10s;", s.port))
            .collect();
        // The command docs/deploy.md gives, with exactly the four names.
        let rendered = Command::new("envsubst")
            .arg("$LISTEN_PORT $TLS_CERT $TLS_KEY $UPSTREAMS")
            .env("LISTEN_PORT", format!("127.0.0.1:{port}"))
            .env("TLS_CERT", dir.join("cert.pem"))
            .env("TLS_KEY", dir.join("key.pem"))
            .env("UPSTREAMS", upstreams.join(" "))
            .stdin(std::fs::File::open(&args.template)?)
            .stdout(std::fs::File::create(dir.join("essay-portal.conf"))?)
            .status()
            .map_err(|e| format!("envsubst (Debian package gettext-base): {e}"))?;
        if !rendered.success() {
            return Err("envsubst failed".into());
        }
        // Root in CI: nginx runs as nobody all the same, which proves it needs no privilege here.
        // SAFETY: geteuid has no preconditions.
        let unprivileged = unsafe { libc::geteuid() } == 0;
        if unprivileged {
            let chowned = Command::new("chown")
                .args(["-R", "nobody:nogroup"])
                .arg(dir)
                .status()?;
            if !chowned.success() {
                return Err("chown of nginx's folder failed".into());
            }
        }
        let command = |test: bool| {
            let mut command = if unprivileged {
                let mut c = Command::new("setpriv");
                c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                    .arg(&nginx);
                c
            } else {
                Command::new(&nginx)
            };
            if test {
                command.arg("-t");
            }
            command
                .arg("-p")
                .arg(dir)
                .arg("-c")
                .arg(dir.join("nginx.conf"))
                .arg("-e")
                .arg(dir.join("error.log"))
                .args(["-g", "daemon off;"]);
            command
        };
        let tested = command(true).output()?;
        if !tested.status.success() {
            return Err(format!(
                "nginx -t refused the rendered configuration:\n{}",
                String::from_utf8_lossy(&tested.stderr)
            )
            .into());
        }
        let child = {
            use std::os::unix::process::CommandExt;
            command(false)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()?
        };
        Ok(Self {
            child,
            version,
            unprivileged,
        })
    }

    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

/// `--nginx`, or Debian's, which is in /usr/sbin (not on every user's PATH).
fn find_nginx(given: &Option<PathBuf>) -> Res<PathBuf> {
    if let Some(path) = given {
        return Ok(path.clone());
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join("nginx"))
        .find(|p| p.is_file())
        .ok_or_else(|| "nginx not found (apt-get install nginx)".into())
}

async fn wait_for_tls(proxy: &Proxy, nginx: &mut Nginx) -> Res<()> {
    let client = proxy.browser()?;
    for _ in 0..300 {
        if client.get(proxy.at("/health")).send().await.is_ok() {
            return Ok(());
        }
        if nginx.exited() {
            return Err("nginx stopped at start (its error log follows)".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("nginx did not answer over TLS within 30 s".into())
}

/// `/health/ready` through the proxy over TLS, with HSTS; static text compressed, JSON not.
async fn readiness_and_headers(proxy: &Proxy, checks: &mut Checks) {
    let started = Instant::now();
    let outcome = async {
        let client = proxy.browser()?;
        let ready = client.get(proxy.at("/health/ready")).send().await?;
        let status = ready.status().as_u16();
        let hsts = header(ready.headers(), "strict-transport-security");
        let body: Value = ready.json().await.unwrap_or(Value::Null);
        if status != 200 || body["ready"] != true {
            return Err(format!("{status} {body}").into());
        }
        if !hsts.contains("max-age=") {
            return Err(format!("no Strict-Transport-Security (got '{hsts}')").into());
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(format!(
            "200 ready over HTTPS; Strict-Transport-Security: {hsts}"
        ))
    }
    .await;
    checks.record(
        "TLS, /health/ready through the proxy, HSTS",
        started,
        outcome,
    );

    let started = Instant::now();
    let outcome = async {
        let client = proxy.browser()?;
        let encoding = |path: &'static str| {
            let client = client.clone();
            let url = proxy.at(path);
            async move {
                let response = client
                    .get(url)
                    .header("accept-encoding", "gzip")
                    .send()
                    .await?;
                Ok::<_, reqwest::Error>((
                    response.status().as_u16(),
                    header(response.headers(), "content-encoding"),
                ))
            }
        };
        let script = encoding("/js/api.js").await?;
        let json = encoding("/api/session").await?;
        if script != (200, "gzip".to_owned()) {
            return Err(format!("/js/api.js: {script:?}").into());
        }
        if json.1 == "gzip" {
            return Err("/api/session (JSON with the CSRF token) was compressed".into());
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(
            "a script is gzipped; JSON (which carries the CSRF token) is not".to_owned(),
        )
    }
    .await;
    checks.record("compression of text responses", started, outcome);
}

/// The instances' request log names the client (127.0.0.2), not nginx (127.0.0.1), and not the
/// addresses the client wrote in its own forwarding headers.
async fn client_address(proxy: &Proxy, specs: &[Spec], checks: &mut Checks) {
    let started = Instant::now();
    let outcome = async {
        let client = proxy.browser()?;
        let response = client
            .get(proxy.at("/health/ready"))
            .header("x-forwarded-for", "198.51.100.8")
            .header("forwarded", "for=198.51.100.9;proto=http")
            .send()
            .await?;
        let id = header(response.headers(), "x-request-id");
        let entry = find_in_logs(specs, &id).await?;
        let logged = entry["fields"]["client"].as_str().unwrap_or_default();
        let expected = IpAddr::from(CLIENT_ADDRESS).to_string();
        if logged != expected {
            return Err(format!("request {id} logged from '{logged}', expected {expected}").into());
        }
        for spec in specs {
            let start = std::fs::read_to_string(spec.data_dir.join("server.log"))?;
            if start.contains("\"WARN\"") && start.contains("proxy_streams_bodies") {
                return Err("an instance warns that the proxy may buffer bodies".into());
            }
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(format!(
            "request {id} logged with client {logged} (nginx is 127.0.0.1; the client's own X-Forwarded-For and Forwarded were not believed)"
        ))
    }
    .await;
    checks.record(
        "the request log shows the client's address, not the proxy's",
        started,
        outcome,
    );
}

/// The log entry (JSON) of request `id`, from whichever instance served it; the log is written
/// as the answer leaves, so it is read again for a few seconds.
async fn find_in_logs(specs: &[Spec], id: &str) -> Res<Value> {
    if id.is_empty() {
        return Err("the answer had no X-Request-Id".into());
    }
    for _ in 0..50 {
        for spec in specs {
            let log = std::fs::read_to_string(spec.data_dir.join("server.log"))?;
            for line in log.lines().filter(|l| l.contains(id)) {
                if let Ok(entry) = serde_json::from_str::<Value>(line) {
                    if entry["target"] == "api::request" {
                        return Ok(entry);
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("request {id} is in no instance's request log").into())
}

/// An upload that begins before the deadline and whose body is still arriving after it is
/// accepted: streamed, the request reached the application when it began. One that begins after
/// the deadline is refused.
async fn deadline(
    proxy: &Proxy,
    admin: &(reqwest::Client, String),
    slow: &Candidate,
    late: &Candidate,
    checks: &mut Checks,
) -> Res<()> {
    // A few seconds ahead (room for a slow machine to begin the upload before it), with a grace
    // period long enough for the slow body to finish in it.
    let grace = 30;
    let deadline = Utc::now() + chrono::Duration::seconds(6);
    let deadline = DateTime::<Utc>::from_timestamp(deadline.timestamp(), 0).ok_or("a time")?;
    update_vacancy(proxy, admin, DEADLINE_REFERENCE, deadline, grace).await?;
    let until = Instant::now()
        + (deadline - Utc::now()).to_std().unwrap_or_default()
        + Duration::from_secs(2);

    let started = Instant::now();
    let name = format!("{DEADLINE_REFERENCE} Key challenges.pdf");
    let bytes = testkit::pdf::essay(&[A4, A4], "slow upload through the proxy", 96 * 1024);
    let slow_upload = send_upload(proxy, slow, &name, Body::Dribbled(bytes, until));
    // Begins once the deadline has passed, while the slow one is still arriving.
    let late_upload = async {
        tokio::time::sleep_until((until - Duration::from_secs(1)).into()).await;
        let bytes = testkit::pdf::essay(&[A4, A4], "late upload through the proxy", 0);
        send_upload(proxy, late, &name, Body::Whole(bytes)).await
    };
    let (slow_answer, late_answer) = tokio::join!(slow_upload, late_upload);

    let outcome = slow_answer.and_then(|(status, _, body)| {
        let version = &body["version"];
        let began = instant(&version["upload_began_at"]);
        let completed = instant(&version["upload_completed_at"]);
        match (status, began, completed) {
            (201, Some(began), Some(completed)) if began < deadline && completed > deadline => {
                Ok(format!(
                    "201; began {:.1} s before the deadline, body complete {:.1} s after it (grace {grace} s)",
                    seconds(deadline - began),
                    seconds(completed - deadline)
                ))
            }
            _ => Err(format!(
                "{status}, deadline {deadline}, began {:?}, completed {:?}: {body}",
                version["upload_began_at"], version["upload_completed_at"]
            )
            .into()),
        }
    });
    checks.record(
        "an upload begun before the deadline, its body arriving after it, is accepted",
        started,
        outcome,
    );
    let outcome = late_answer.and_then(|(status, _, body)| {
        if status == 409 && body["type"] == "/problems/deadline-passed" {
            Ok(format!("409 {}", body["type"].as_str().unwrap_or_default()))
        } else {
            Err(format!("{status} {body}").into())
        }
    });
    checks.record(
        "an upload begun after the deadline is refused",
        started,
        outcome,
    );
    Ok(())
}

/// 10 MiB passes; just above it, and well above it, the application's own 413; above nginx's limit,
/// nginx's 413 in the application's words (application/problem+json, not an HTML page).
async fn upload_sizes(proxy: &Proxy, who: &Candidate, checks: &mut Checks) {
    let name = format!("{OPEN_REFERENCE} Key challenges.pdf");
    let started = Instant::now();
    let outcome = async {
        let bytes = pdf_of_exactly(FILE_LIMIT, "ten mebibytes")?;
        let (status, _, body) = send_upload(proxy, who, &name, Body::Whole(bytes)).await?;
        if status == 201 {
            Ok(format!("201, {} bytes", body["version"]["size_bytes"]))
        } else {
            Err(format!("{status} {body}").into())
        }
    }
    .await;
    checks.record("a 10 MiB upload passes", started, outcome);

    for (label, size, from_application) in [
        (
            "10 MiB + 1 byte: the application's 413 (body read to its limit)",
            FILE_LIMIT + 1,
            true,
        ),
        (
            "10.5 MiB: the application's 413 (refused on Content-Length while the body streams)",
            FILE_LIMIT + FILE_LIMIT / 20,
            true,
        ),
        (
            "16 MiB, above nginx's limit: a problem+json 413, not nginx's HTML",
            16 * 1024 * 1024,
            false,
        ),
    ] {
        let started = Instant::now();
        let outcome = async {
            let bytes = pdf_of_exactly(size, label)?;
            let (status, headers, body) =
                send_upload(proxy, who, &name, Body::Whole(bytes)).await?;
            let content_type = header(&headers, "content-type");
            let request_id = header(&headers, "x-request-id");
            let problem = status == 413
                && content_type == "application/problem+json"
                && body["type"] == "/problems/payload-too-large";
            // The application's answers carry its request id; nginx's own do not.
            if problem && (!from_application || !request_id.is_empty()) {
                Ok(format!(
                    "413 {content_type} {}{}",
                    body["detail"].as_str().unwrap_or_default(),
                    if request_id.is_empty() {
                        " (from nginx)".to_owned()
                    } else {
                        format!(" (request {request_id})")
                    }
                ))
            } else {
                Err(format!("{status} {content_type} request id '{request_id}': {body}").into())
            }
        }
        .await;
        checks.record(label, started, outcome);
    }
}

/// With the first instance killed (-9), uploads succeed on the other and pages load.
async fn failover(
    proxy: &Proxy,
    nginx_dir: &Path,
    killed: Option<Server>,
    survivor: &Spec,
    who: &Candidate,
    checks: &mut Checks,
) {
    let started = Instant::now();
    let outcome = async {
        let mut killed = killed.ok_or("no first instance")?;
        killed.kill()?;
        drop(killed);
        // Round robin sends one of two requests in a row to the dead instance first: an upload
        // whose connection is refused there, before a byte of it was sent, goes to the other.
        let mut served = Vec::new();
        for n in 0..2 {
            let name = format!("{OPEN_REFERENCE} Key challenges.pdf");
            let tag = format!("upload {n} after one instance died");
            let bytes = testkit::pdf::essay(&[A4, A4], &tag, 0);
            let (status, headers, body) =
                send_upload(proxy, who, &name, Body::Whole(bytes)).await?;
            if status != 201 {
                return Err(format!("upload {n}: {status} {body}").into());
            }
            let id = header(&headers, "x-request-id");
            find_in_logs(std::slice::from_ref(survivor), &id).await?;
            served.push(id);
        }
        let client = proxy.browser()?;
        for path in ["/", "/login", "/", "/health/ready", "/", "/js/api.js"] {
            let response = client.get(proxy.at(path)).send().await?;
            if response.status() != 200 {
                return Err(format!("GET {path}: {}", response.status()).into());
            }
        }
        let refused_posts = std::fs::read_to_string(nginx_dir.join("error.log"))?
            .lines()
            .filter(|l| l.contains("connect() failed") && l.contains("\"POST "))
            .count();
        if refused_posts == 0 {
            return Err("no upload met the dead instance first (nginx's error log)".into());
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(format!(
            "2 uploads 201, served by the other instance (requests {}); {refused_posts} refused by the dead one first and passed on (nginx's error log); 6 pages 200",
            served.join(", ")
        ))
    }
    .await;
    checks.record(
        "one instance killed: uploads succeed on the other, pages load",
        started,
        outcome,
    );
}

/// The restore drill of docs/deploy.md: `essay-portal backup --to FILE` while the surviving
/// instance serves, `essay-portal restore FILE` into a new empty database, the same versions back.
async fn backup_and_restore(
    args: &ProxyArgs,
    run: &Run,
    serving: &Spec,
    restored: &mut Option<String>,
    checks: &mut Checks,
) {
    let started = Instant::now();
    let outcome = async {
        let base = args.common.database_url.as_deref().ok_or("no database")?;
        let source = run.spec.database_url.as_deref().ok_or("no database")?;
        let file = run.spec.data_dir.join(format!(
            "essay-portal-{}.zip",
            Utc::now().format("%Y%m%dT%H%M%S")
        ));
        essay_portal(serving, source, &["backup", "--to"], &file)?;
        let name = format!("{}_restore", source.rsplit_once('/').ok_or("url")?.1);
        database::psql(base, &format!("CREATE DATABASE {name}"))?;
        let target = format!("{}/{name}", source.rsplit_once('/').ok_or("url")?.0);
        *restored = Some(target.clone());
        essay_portal(serving, &target, &["restore"], &file)?;
        let count = "SELECT COUNT(*) FROM document_versions";
        let before = database::psql(source, count)?;
        let after = database::psql(&target, count)?;
        if before == after && before != "0" {
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(format!(
                "{after} versions in the restored database, as in the one served"
            ))
        } else {
            Err(format!("{before} versions served, {after} restored").into())
        }
    }
    .await;
    checks.record(
        "backup while serving, restore into an empty database",
        started,
        outcome,
    );
}

/// `essay-portal ARGS FILE` on `database`, with the instance's settings.
fn essay_portal(spec: &Spec, database: &str, args: &[&str], file: &Path) -> Res<()> {
    let mut command = Command::new(&spec.bin);
    command
        .args(args)
        .arg(file)
        .env("DATABASE_URL", database)
        .env("ESSAY_PORTAL_DATA_DIR", &spec.data_dir)
        .env("ESSAY_PORTAL_LOG_LEVEL", "warn");
    for (key, value) in &spec.env {
        command.env(key, value);
    }
    let out = command.output()?;
    if !out.status.success() {
        return Err(format!(
            "essay-portal {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(())
}

/// An upload's body: all at once, or dribbled so that its last part leaves at `until`.
enum Body {
    Whole(Vec<u8>),
    Dribbled(Vec<u8>, Instant),
}

/// One upload through the proxy; returns status, headers and the body as JSON (Null if not).
async fn send_upload(
    proxy: &Proxy,
    who: &Candidate,
    name: &str,
    body: Body,
) -> Res<(u16, HeaderMap, Value)> {
    let part = match body {
        Body::Whole(bytes) => reqwest::multipart::Part::bytes(bytes),
        Body::Dribbled(bytes, until) => {
            let length = bytes.len() as u64;
            let pieces: Vec<Vec<u8>> = bytes
                .chunks(bytes.len().div_ceil(12))
                .map(<[u8]>::to_vec)
                .collect();
            let count = pieces.len() as u32;
            let gap = until
                .saturating_duration_since(Instant::now())
                .checked_div(count.saturating_sub(1).max(1))
                .unwrap_or_default();
            let stream = futures_util::stream::iter(pieces.into_iter().enumerate()).then(
                move |(n, piece)| async move {
                    if n > 0 {
                        tokio::time::sleep(gap).await;
                    }
                    Ok::<_, std::io::Error>(piece)
                },
            );
            reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), length)
        }
    };
    let part = part
        .file_name(name.to_owned())
        .mime_str("application/pdf")?;
    let response = who
        .client
        .post(proxy.at(&format!(
            "/api/applications/{}/documents/key-challenges",
            who.application
        )))
        .header("x-csrf-token", &who.csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    Ok((status, headers, body))
}

/// A valid two-page PDF of exactly `size` bytes.
fn pdf_of_exactly(size: usize, tag: &str) -> Res<Vec<u8>> {
    let base = testkit::pdf::essay(&[A4, A4], tag, 0).len();
    let mut padding = size.saturating_sub(base);
    // The padding stream's length and the cross-reference offsets grow with it: a few rounds
    // settle on the exact size.
    for _ in 0..8 {
        let bytes = testkit::pdf::essay(&[A4, A4], tag, padding);
        match bytes.len().cmp(&size) {
            std::cmp::Ordering::Equal => return Ok(bytes),
            std::cmp::Ordering::Greater => padding -= bytes.len() - size,
            std::cmp::Ordering::Less => padding += size - bytes.len(),
        }
    }
    Err(format!("no PDF of exactly {size} bytes").into())
}

async fn log_in(proxy: &Proxy, email: &str) -> Res<(reqwest::Client, String)> {
    let client = proxy.browser()?;
    let token = csrf(&client, &proxy.url).await?;
    let body = json!({"email": email, "password": PASSWORD});
    let response = post_expecting(
        &client,
        &proxy.at("/api/session"),
        &token,
        &body,
        200,
        &format!("log in {email}"),
    )
    .await?;
    let login: Value = response.json().await?;
    let token = login["csrf_token"].as_str().ok_or("no csrf_token")?;
    Ok((client, token.to_owned()))
}

/// Candidate `n` registered, logged in, and applied to each of `references`.
async fn candidate(proxy: &Proxy, n: usize, references: &[&str]) -> Res<Vec<Candidate>> {
    let email = testkit::client::candidate_email(n);
    let registration = proxy.browser()?;
    let token = csrf(&registration, &proxy.url).await?;
    let body = json!({"email": email, "full_name": format!("Candidate {n}"),
        "nationality": "BE", "password": PASSWORD});
    post_expecting(
        &registration,
        &proxy.at("/api/accounts"),
        &token,
        &body,
        201,
        &format!("register {email}"),
    )
    .await?;
    let (client, csrf) = log_in(proxy, &email).await?;
    let mut applications = Vec::new();
    for reference in references {
        let response = post_expecting(
            &client,
            &proxy.at(&format!("/api/vacancies/{reference}/application")),
            &csrf,
            &json!({"affirmations": []}),
            201,
            &format!("apply {email} to {reference}"),
        )
        .await?;
        let applied: Value = response.json().await?;
        applications.push(Candidate {
            client: client.clone(),
            csrf: csrf.clone(),
            application: applied["id"]
                .as_str()
                .ok_or("no application id")?
                .to_owned(),
        });
    }
    Ok(applications)
}

fn vacancy(reference: &str, deadline: DateTime<Utc>, grace_seconds: u32) -> Value {
    json!({
        "reference": reference, "title_en": "Behind the proxy", "title_fr": "Derrière le mandataire",
        "status": "open", "opens_at": null,
        "rules": {"reference": reference, "deadline": deadline, "grace_seconds": grace_seconds,
            "documents": [{"kind": "key-challenges", "title_en": "Key challenges", "title_fr": "Défis",
                "formats": ["pdf", "docx"], "max_pages": 2, "paper": "A4",
                "filename_phrase": "Key challenges", "filename_must_include_reference": true,
                "max_bytes": FILE_LIMIT}]}
    })
}

async fn create_vacancy(
    proxy: &Proxy,
    admin: &(reqwest::Client, String),
    reference: &str,
    deadline: DateTime<Utc>,
    grace_seconds: u32,
) -> Res<()> {
    post_expecting(
        &admin.0,
        &proxy.at("/api/admin/vacancies"),
        &admin.1,
        &vacancy(reference, deadline, grace_seconds),
        201,
        &format!("create vacancy {reference}"),
    )
    .await?;
    Ok(())
}

async fn update_vacancy(
    proxy: &Proxy,
    admin: &(reqwest::Client, String),
    reference: &str,
    deadline: DateTime<Utc>,
    grace_seconds: u32,
) -> Res<()> {
    let response = admin
        .0
        .put(proxy.at(&format!("/api/admin/vacancies/{reference}")))
        .header("x-csrf-token", &admin.1)
        .json(&vacancy(reference, deadline, grace_seconds))
        .send()
        .await?;
    if response.status() != 200 {
        return Err(format!(
            "moving the deadline of {reference}: {} {}",
            response.status(),
            response.text().await.unwrap_or_default()
        )
        .into());
    }
    Ok(())
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn seconds(delta: chrono::TimeDelta) -> f64 {
    delta.num_milliseconds() as f64 / 1000.0
}

fn instant(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str()?.parse().ok()
}

/// On failure: the end of nginx's error log and of each instance's log, before they are removed.
fn print_logs(run: &Run, nginx_dir: &Path) {
    let mut logs = vec![nginx_dir.join("error.log")];
    if let Ok(entries) = std::fs::read_dir(&run.spec.data_dir) {
        let mut instances: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path().join("server.log")))
            .filter(|p| p.is_file())
            .collect();
        instances.sort();
        logs.extend(instances);
    }
    for log in logs {
        let Ok(file) = std::fs::File::open(&log) else {
            continue;
        };
        let lines: Vec<String> = BufReader::new(file).lines().map_while(Result::ok).collect();
        println!("--- last lines of {}", log.display());
        for line in &lines[lines.len().saturating_sub(15)..] {
            println!("{line}");
        }
    }
}
