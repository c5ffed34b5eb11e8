//! The static pages, embedded in the binary so that one file runs anywhere.
//!
//! Every page is the same HTML shell (`frontend/shell.html`) with one module script; the server
//! picks that script from [`page_script`], a fixed map from page path to script name compiled
//! into the binary. Nothing of the request reaches the HTML: an unknown path is a 404, not a
//! page.
//!
//! Scripts, styles and the favicon go out compressed (brotli, else gzip, as the browser accepts;
//! each file is compressed once and kept), with a weak `ETag` from the file's SHA-256 so that a
//! browser revalidates with a 304 instead of fetching the file again. Pages name every script and
//! style by its content's hash ([`Versions`]): asked for by that URL, a file is kept a year. JSON is never compressed
//! here or anywhere in the application (BREACH: it carries the CSRF token next to text the
//! client chose; docs/deploy.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::Embed;

use crate::error::ApiError;

#[derive(Embed)]
#[folder = "../frontend/"]
struct Assets;

/// The shell every page is served from.
const SHELL: &str = "shell.html";
/// Where the page's script name goes in the shell (exactly once).
const PLACEHOLDER: &str = "{{page}}";

/// The script (`/js/pages/<name>.js`) of the page at `path` (without its leading `/`), if there
/// is such a page. `/x.html` is the same page as `/x`, as when each page had its own file.
fn page_script(path: &str) -> Option<&'static str> {
    let page = match path {
        "" => "index",
        _ => path.strip_suffix(".html").unwrap_or(path),
    };
    Some(match page {
        "index" => "index",
        "vacancy" => "vacancy",
        "login" => "login",
        "register" => "register",
        "reset" => "reset",
        "account" => "account",
        "applications" => "applications",
        "receipt" => "receipt",
        "assess" => "assess",
        "essay" => "essay",
        "admin" => "admin",
        "admin/vacancies/new" | "admin/vacancy" => "admin-vacancy",
        "admin/import" => "admin-import",
        "admin/applications" => "admin-applications",
        "admin/accounts" => "admin-accounts",
        "admin/audit" => "admin-audit",
        "admin/integrations" => "admin-integrations",
        "admin/mail" => "admin-mail",
        _ => return None,
    })
}

/// The policy every response carries (startup's default headers). Pages add to it the hash of
/// their one inline script, the import map ([`Versions`]).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
     frame-src 'self' blob:; worker-src 'self'";

/// Every script and style named by its content: `/js/dom.js?v=<hash>`. A browser keeps such a
/// file for a year without asking again (`immutable`), and a new release, whose files have new
/// hashes, is fetched at once. Modules import each other by plain relative paths; the import map
/// in every page sends each of those to its versioned URL, so no module's text is rewritten.
/// The map is an inline script, which the policy allows by its hash, and nothing else inline.
struct Versions {
    /// Path (no leading `/`) → 16 hex digits of the file's SHA-256.
    hashes: HashMap<String, String>,
    /// `<script type="importmap">…</script>`.
    import_map: String,
    /// [`CONTENT_SECURITY_POLICY`] with `script-src` allowing the import map by its hash.
    policy: String,
}

fn versions() -> &'static Versions {
    static VERSIONS: OnceLock<Versions> = OnceLock::new();
    VERSIONS.get_or_init(|| {
        use base64::Engine;
        use sha2::Digest;
        let mut hashes = HashMap::new();
        let files = Assets::iter()
            .map(|path| path.into_owned())
            .filter(|path| path.ends_with(".js") || path.ends_with(".mjs"))
            .chain(std::iter::once("css/all.css".to_owned()));
        for path in files {
            if let Some((_, hash)) = asset(&path) {
                hashes.insert(path, hex::encode(&hash[..8]));
            }
        }
        let imports: std::collections::BTreeMap<String, String> = hashes
            .iter()
            .filter(|(path, _)| !path.ends_with(".css"))
            .map(|(path, hash)| (format!("/{path}"), format!("/{path}?v={hash}")))
            .collect();
        let map = serde_json::json!({ "imports": imports }).to_string();
        let digest = sha2::Sha256::digest(map.as_bytes());
        let policy = format!(
            "{CONTENT_SECURITY_POLICY}; script-src 'self' 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        Versions {
            hashes,
            import_map: format!(r#"<script type="importmap">{map}</script>"#),
            policy,
        }
    })
}

/// The versioned URL of an embedded file (`path` without its leading `/`).
fn versioned(path: &str) -> Option<String> {
    Some(format!("/{path}?v={}", versions().hashes.get(path)?))
}

/// The shell with `script` as its page script, its style sheet and page script at their
/// versioned URLs, and the import map before them.
fn render_page(script: &'static str) -> Option<String> {
    let shell = Assets::get(SHELL)?;
    let shell = std::str::from_utf8(&shell.data).ok()?;
    let page = format!("js/pages/{script}.js");
    Some(
        shell
            .replacen(
                &format!("/js/pages/{PLACEHOLDER}.js"),
                &versioned(&page)?,
                1,
            )
            .replacen(
                "\"/css/all.css\"",
                &format!("\"{}\"", versioned("css/all.css")?),
                1,
            )
            .replacen(
                "<script type=\"module\"",
                &format!("{}\n<script type=\"module\"", versions().import_map),
                1,
            ),
    )
}

/// A page's response: the shell, never cached without asking, with the policy that lets its
/// import map run, compressed as the browser accepts (the shell holds nothing secret and
/// nothing of the request, so compressing it reveals nothing).
async fn page_response(
    mut response: actix_web::HttpResponseBuilder,
    request: &HttpRequest,
    script: &'static str,
    html: String,
) -> Result<HttpResponse, ApiError> {
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((header::CONTENT_SECURITY_POLICY, versions().policy.as_str()));
    match coding(request) {
        Some(coding) => {
            let body = packed(
                &format!("page:{script}"),
                "",
                coding,
                html.into_bytes().into(),
            )
            .await?;
            Ok(response
                .insert_header((header::CONTENT_ENCODING, coding.name()))
                .body(body.as_ref().clone()))
        }
        None => Ok(response.body(html)),
    }
}

/// Serves each page path (`/`, `/login`, `/login.html`, ...) as the shell with that page's script,
/// and any other embedded file (scripts, styles) by its path. The shell itself is not served as a
/// file. Unknown paths, and everything under `/api/`, are 404 problems.
pub async fn serve(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(ApiError::NotFound("route"));
    }
    let path = request.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return Err(ApiError::NotFound("route"));
    }
    if let Some(script) = page_script(path) {
        let html = render_page(script).ok_or(ApiError::NotFound("page"))?;
        return page_response(HttpResponse::Ok(), &request, script, html).await;
    }
    // The only HTML file is the shell, a template: never served as it is.
    if path.ends_with(".html") {
        return not_found_page(&request).await;
    }
    // Browsers ask for /favicon.ico on their own; it is the same picture as the page's icon.
    let path = if path == "favicon.ico" {
        "favicon.svg"
    } else {
        path
    };
    match asset(path) {
        Some((data, hash)) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let etag = format!("W/\"{}\"", hex::encode(&hash[..8]));
            // Asked for by this very version's URL: it never changes, keep it. Any other URL of
            // the file (no version, or an older release's) is revalidated.
            let cache = if query_version(&request) == Some(hex::encode(&hash[..8])) {
                IMMUTABLE_CACHE
            } else {
                ASSET_CACHE
            };
            let fresh = request
                .headers()
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
            if fresh {
                return Ok(HttpResponse::NotModified()
                    .insert_header((header::ETAG, etag))
                    .insert_header((header::CACHE_CONTROL, cache))
                    .insert_header((header::VARY, "Accept-Encoding"))
                    .finish());
            }
            let mut response = HttpResponse::Ok();
            response
                .content_type(mime.essence_str())
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header((header::ETAG, etag.clone()));
            if !compressible(mime.essence_str()) || data.len() < MIN_COMPRESSED {
                return Ok(response.body(data.into_owned()));
            }
            response.insert_header((header::VARY, "Accept-Encoding"));
            match coding(&request) {
                Some(coding) => {
                    let body = packed(path, &etag, coding, data).await?;
                    Ok(response
                        .insert_header((header::CONTENT_ENCODING, coding.name()))
                        .body(body.as_ref().clone()))
                }
                None => Ok(response.body(data.into_owned())),
            }
        }
        // A missing script, style or image is a problem for the page that asked for it; a
        // missing page is one a person asked for: they get a page that says so.
        None if looks_like_a_file(path) => Err(ApiError::NotFound("page")),
        None => not_found_page(&request).await,
    }
}

/// The style sheets every page uses, sent as one: `/css/all.css`, one request instead of four.
const STYLES: [&str; 4] = [
    "css/site.css",
    "css/admin.css",
    "css/accounts.css",
    "css/assess.css",
];

/// The embedded file at `path` (or the style sheets joined, for `css/all.css`) and its SHA-256.
fn asset(path: &str) -> Option<(std::borrow::Cow<'static, [u8]>, [u8; 32])> {
    if path == "css/all.css" {
        use sha2::Digest;
        let mut joined = Vec::new();
        for style in STYLES {
            joined.extend_from_slice(&Assets::get(style)?.data);
            joined.push(b'\n');
        }
        let hash: [u8; 32] = sha2::Sha256::digest(&joined).into();
        return Some((joined.into(), hash));
    }
    Assets::get(path).map(|file| (file.data, file.metadata.sha256_hash()))
}

/// How long a browser keeps a script or style before it asks again (with its ETag).
const ASSET_CACHE: &str = "public, max-age=300";
/// A file asked for by its versioned URL (`?v=` its hash): kept a year, never asked for again.
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// The `v` of the query string, if any.
fn query_version(request: &HttpRequest) -> Option<String> {
    request
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("v="))
        .map(str::to_owned)
}

/// Bodies smaller than this go out as they are: compression would save less than its headers.
const MIN_COMPRESSED: usize = 1024;

/// Whether a file of this type is text worth compressing (images other than SVG, PDFs and
/// Word files are compressed already).
fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || matches!(
            mime,
            "application/javascript" | "image/svg+xml" | "application/xml"
        )
}

/// A content coding the server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// The coding to answer `request` with: brotli if its `Accept-Encoding` takes it, else gzip,
/// else none. A coding with `q=0` is refused.
fn coding(request: &HttpRequest) -> Option<Coding> {
    let accepted = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())?;
    let takes = |name: &str| {
        accepted.split(',').any(|item| {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            token.eq_ignore_ascii_case(name) && !refused
        })
    };
    if takes("br") {
        Some(Coding::Brotli)
    } else if takes("gzip") {
        Some(Coding::Gzip)
    } else {
        None
    }
}

/// Compressed files, by path, version (ETag) and coding: each is compressed once.
type Packed = Mutex<HashMap<(String, String, Coding), Arc<Vec<u8>>>>;
static PACKED: OnceLock<Packed> = OnceLock::new();

/// `data` (the file at `path`, version `etag`) in `coding`, compressed once off the executor.
async fn packed(
    path: &str,
    etag: &str,
    coding: Coding,
    data: std::borrow::Cow<'static, [u8]>,
) -> Result<Arc<Vec<u8>>, ApiError> {
    let cache = PACKED.get_or_init(Default::default);
    let key = (path.to_owned(), etag.to_owned(), coding);
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(hit.clone());
    }
    let body = actix_web::web::block(move || compress(&data, coding))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let body = Arc::new(body);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, body.clone());
    Ok(body)
}

fn compress(data: &[u8], coding: Coding) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    match coding {
        Coding::Brotli => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
            Ok(out)
        }
        Coding::Gzip => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(data)?;
            encoder.finish()
        }
    }
}

/// The script of the page that says a page does not exist.
const NOT_FOUND_SCRIPT: &str = "not-found";

/// Whether `path`'s last segment has an extension (`js/x.js`, `logo.png`): a file a page asked
/// for, not a page a person typed or followed.
fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext != "html")
}

/// Status 404 with the shell and the "not-found" page script: a page in the reader's language
/// with a way home, rather than a problem document.
async fn not_found_page(request: &HttpRequest) -> Result<HttpResponse, ApiError> {
    let html = render_page(NOT_FOUND_SCRIPT).ok_or(ApiError::NotFound("page"))?;
    page_response(HttpResponse::NotFound(), request, NOT_FOUND_SCRIPT, html).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;
    use actix_web::test::TestRequest;

    /// Every page path the site links to, and its script.
    const PAGES: [(&str, &str); 19] = [
        ("", "index"),
        ("vacancy", "vacancy"),
        ("login", "login"),
        ("register", "register"),
        ("reset", "reset"),
        ("account", "account"),
        ("applications", "applications"),
        ("receipt", "receipt"),
        ("assess", "assess"),
        ("essay", "essay"),
        ("admin", "admin"),
        ("admin/vacancies/new", "admin-vacancy"),
        ("admin/import", "admin-import"),
        ("admin/applications", "admin-applications"),
        ("admin/accounts", "admin-accounts"),
        ("admin/audit", "admin-audit"),
        ("admin/mail", "admin-mail"),
        ("admin/vacancy", "admin-vacancy"),
        ("admin/integrations", "admin-integrations"),
    ];

    #[test]
    fn the_shell_has_one_place_for_the_script() {
        let shell = Assets::get(SHELL).expect("frontend/shell.html is embedded");
        let shell = std::str::from_utf8(&shell.data).unwrap();
        assert_eq!(shell.matches(PLACEHOLDER).count(), 1);
        assert!(shell.contains(r#"<script type="module" src="/js/pages/{{page}}.js"></script>"#));
    }

    #[test]
    fn every_page_has_its_script_and_every_page_script_has_a_page() {
        for (path, script) in PAGES {
            assert_eq!(page_script(path), Some(script), "/{path}");
            assert!(
                Assets::get(&format!("js/pages/{script}.js")).is_some(),
                "/{path}: js/pages/{script}.js is missing"
            );
        }
        for file in Assets::iter() {
            if let Some(name) = file
                .strip_prefix("js/pages/")
                .and_then(|f| f.strip_suffix(".js"))
            {
                assert!(
                    name == NOT_FOUND_SCRIPT || PAGES.iter().any(|(_, script)| *script == name),
                    "js/pages/{name}.js belongs to no page"
                );
            }
        }
        // One shell for every page: no other HTML file is embedded.
        let html: Vec<_> = Assets::iter().filter(|f| f.ends_with(".html")).collect();
        assert_eq!(html, [SHELL]);
    }

    #[test]
    fn page_paths_are_a_fixed_list() {
        assert_eq!(page_script("index"), Some("index"));
        assert_eq!(page_script("index.html"), Some("index"));
        assert_eq!(page_script("login.html"), Some("login"));
        for unknown in [
            "shell",
            "shell.html",
            ".html",
            "nope",
            "login/",
            "login.html.html",
            "../login",
            "js/pages/login",
            "LOGIN",
        ] {
            assert_eq!(page_script(unknown), None, "{unknown}");
        }
    }

    async fn get(path: &str) -> (u16, String, String) {
        let request = TestRequest::get().uri(path).to_http_request();
        match serve(request).await {
            Ok(response) => {
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned();
                let body = response.into_body().try_into_bytes().unwrap();
                (
                    status,
                    content_type,
                    String::from_utf8_lossy(&body).into_owned(),
                )
            }
            Err(_) => (404, String::new(), String::new()),
        }
    }

    #[tokio::test]
    async fn each_page_is_the_shell_with_its_own_script() {
        for (path, script) in PAGES {
            for url in [format!("/{path}"), format!("/{path}?lang=fr")] {
                let (status, content_type, body) = get(&url).await;
                assert_eq!(status, 200, "{url}");
                assert!(content_type.starts_with("text/html"), "{url}");
                let page = versioned(&format!("js/pages/{script}.js")).unwrap();
                let tag = format!(r#"<script type="module" src="{page}"></script>"#);
                assert!(body.contains(&tag), "{url}: {body}");
                // The page's module and the import map before it; nothing else.
                assert_eq!(body.matches("<script").count(), 2, "{url}");
                assert_eq!(
                    body.matches(r#"<script type="importmap">"#).count(),
                    1,
                    "{url}"
                );
                assert!(!body.contains(PLACEHOLDER), "{url}");
            }
        }
        let (status, _, body) = get("/index.html").await;
        assert_eq!(status, 200);
        assert!(body.contains("/js/pages/index.js"));
    }

    #[tokio::test]
    async fn the_shell_and_unknown_paths_are_not_pages() {
        for path in [
            "/shell",
            "/shell.html",
            "/nope",
            "/nope.html",
            "/api/x",
            "/login/x",
            "/js/nope.js",
        ] {
            assert_eq!(get(path).await.0, 404, "{path}");
        }
        let (status, content_type, body) = get("/js/pages/login.js").await;
        assert_eq!(status, 200);
        assert!(content_type.contains("javascript"), "{content_type}");
        assert!(body.contains("frame("));
    }

    #[tokio::test]
    async fn an_unknown_page_is_a_404_page_and_an_unknown_api_path_a_problem() {
        let not_found = versioned("js/pages/not-found.js").unwrap();
        let tag = format!(r#"<script type="module" src="{not_found}"></script>"#);
        let tag = tag.as_str();
        for path in [
            "/nope",
            "/nope.html",
            "/login/x",
            "/shell",
            "/vacancies/251334",
        ] {
            let (status, content_type, body) = get(path).await;
            assert_eq!(status, 404, "{path}");
            assert!(
                content_type.starts_with("text/html"),
                "{path}: {content_type}"
            );
            assert!(body.contains(tag), "{path}: {body}");
        }
        for path in [
            "/api/x",
            "/api/vacancies/x/y/z",
            "/js/nope.js",
            "/css/nope.css",
        ] {
            let (status, content_type, _) = get(path).await;
            assert_eq!(
                (status, content_type.as_str()),
                (404, ""),
                "{path}: not a page"
            );
        }
    }

    async fn get_with(path: &str, headers: &[(&str, &str)]) -> actix_web::HttpResponse {
        let mut request = TestRequest::get().uri(path);
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        serve(request.to_http_request()).await.unwrap()
    }

    #[actix_web::test]
    async fn scripts_go_out_compressed_as_the_browser_accepts_and_revalidate_with_their_etag() {
        let plain = Assets::get("js/layout.js").unwrap().data.into_owned();
        for (accepted, coding) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip", Some("gzip")),
            ("identity", None),
        ] {
            let response = get_with("/js/layout.js", &[("Accept-Encoding", accepted)]).await;
            assert_eq!(response.status(), 200);
            let said = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(said.as_deref(), coding, "{accepted}");
            assert_eq!(
                response.headers().get(header::VARY).unwrap(),
                "Accept-Encoding"
            );
            let body = response.into_body().try_into_bytes().unwrap();
            let unpacked = match coding {
                Some("br") => {
                    let mut out = vec![];
                    brotli::BrotliDecompress(&mut &body[..], &mut out).unwrap();
                    out
                }
                Some(_) => {
                    use std::io::Read;
                    let mut out = vec![];
                    flate2::read::GzDecoder::new(&body[..])
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }
                None => body.to_vec(),
            };
            assert_eq!(unpacked, plain, "{accepted}");
            if coding.is_some() {
                assert!(
                    body.len() * 2 < plain.len(),
                    "{accepted}: {} of {}",
                    body.len(),
                    plain.len()
                );
            }
        }
        let first = get_with("/js/layout.js", &[]).await;
        let etag = first
            .headers()
            .get(header::ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let again = get_with("/js/layout.js", &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status(), 304);
        assert!(again.into_body().try_into_bytes().unwrap().is_empty());
    }

    #[actix_web::test]
    async fn the_favicon_is_there_and_pictures_are_not_compressed_twice() {
        for path in ["/favicon.ico", "/favicon.svg"] {
            let response = get_with(path, &[("Accept-Encoding", "br")]).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(
                response.headers().get(header::CONTENT_TYPE).unwrap(),
                "image/svg+xml"
            );
        }
        let shell = render_page("index").unwrap();
        assert!(shell.contains(r#"<link rel="icon" href="/favicon.svg""#));
        // One style sheet, the four joined.
        assert_eq!(shell.matches("rel=\"stylesheet\"").count(), 1);
        let all = get_with("/css/all.css", &[]).await;
        assert_eq!(all.headers().get(header::CONTENT_TYPE).unwrap(), "text/css");
        let body = all.into_body().try_into_bytes().unwrap();
        for style in STYLES {
            let part = Assets::get(style).unwrap().data;
            assert!(body.windows(part.len()).any(|w| w == &part[..]), "{style}");
        }
    }

    #[actix_web::test]
    async fn a_file_asked_for_by_its_version_is_kept_a_year_and_the_page_allows_only_its_import_map(
    ) {
        use base64::Engine;
        use sha2::Digest;
        // The page: its style and script at versioned URLs, the import map naming every module
        // at its own, and a policy that allows that one inline script by its hash.
        let response = get_with("/login", &[]).await;
        let policy = response
            .headers()
            .get_all(header::CONTENT_SECURITY_POLICY)
            .map(|v| v.to_str().unwrap().to_owned())
            .collect::<Vec<_>>();
        let body =
            String::from_utf8(response.into_body().try_into_bytes().unwrap().to_vec()).unwrap();
        let start = body.find(r#"<script type="importmap">"#).unwrap()
            + r#"<script type="importmap">"#.len();
        let map = &body[start..start + body[start..].find("</script>").unwrap()];
        let hash =
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(map.as_bytes()));
        assert_eq!(policy.len(), 1, "{policy:?}");
        assert!(
            policy[0].contains(&format!("script-src 'self' 'sha256-{hash}'")),
            "{policy:?}"
        );
        let map: serde_json::Value = serde_json::from_str(map).unwrap();
        let dom = map["imports"]["/js/dom.js"].as_str().unwrap().to_owned();
        assert_eq!(Some(dom.clone()), versioned("js/dom.js"));
        assert!(body.contains(&format!(r#"href="{}""#, versioned("css/all.css").unwrap())));

        // By its versioned URL: a year, immutable. By its plain URL or an old version: asked again.
        let cache = |response: &HttpResponse| {
            response
                .headers()
                .get(header::CACHE_CONTROL)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(cache(&get_with(&dom, &[]).await), IMMUTABLE_CACHE);
        assert_eq!(cache(&get_with("/js/dom.js", &[]).await), ASSET_CACHE);
        assert_eq!(
            cache(&get_with("/js/dom.js?v=0000000000000000", &[]).await),
            ASSET_CACHE
        );
        let css = versioned("css/all.css").unwrap();
        assert_eq!(cache(&get_with(&css, &[]).await), IMMUTABLE_CACHE);
    }
}
