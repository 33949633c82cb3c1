//! Serving the built web app: files from Trunk's `dist/`, with the SPA fallback to
//! `index.html` and cache headers that make updates safe.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// A service that serves `dir`, answering unknown paths with `dir/index.html` so that
/// client-side routes survive a reload. The build writes a brotli and a gzip copy of each
/// text and wasm file (`scripts/lib.sh`); a browser gets the one it asks for. Every browser a
/// cadre's phone runs asks for brotli, which makes the app's first load about 17 % smaller
/// than gzip (docs/benchmarks.md).
pub fn service(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dir.join("index.html")))
}

/// Sets `Cache-Control` and `Vary`: hashed assets never change, so they are cached for a
/// year; everything else (index.html, the service worker, the manifest) is revalidated on
/// every load so a new deployment is seen at once.
pub async fn cache_headers(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if path.starts_with("/api/") {
        // A blob is content-addressed: the long private caching its handler set stands.
        let keeps_own = path.starts_with("/api/v1/blobs/")
            && response.status().is_success()
            && response.headers().contains_key(header::CACHE_CONTROL);
        if !keeps_own {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return response;
    }
    let value = if is_hashed_asset(&path) && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The body depends on the encoding asked for (a brotli, gzip or plain copy): a shared
    // cache on the way must not hand a brotli copy to a browser that asked for gzip.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Security headers. `nosniff` on everything; the document policies (CSP, no framing, no
/// referrer) on everything except built subresources: the wasm module, its JS glue and the
/// stylesheet are never documents, browsers ignore those policies on them, and leaving them
/// off saves about 1.4 KB of headers on a phone's first load. What a hashed path answers with
/// HTML (the SPA fallback) is a document and gets them.
pub async fn security_headers(
    State(csp): State<Arc<HeaderValue>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    if hashed && !is_html {
        return response;
    }
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("no-referrer"));
    headers
        .entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert_with(|| csp.as_ref().clone());
    response
}

/// Trunk names built assets `name-<16 hex digits>.ext` (or `_bg.wasm`).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit('-')
        .next()
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed_asset(
            "/konvergen-frontend-1a2b3c4d5e6f7a8b_bg.wasm"
        ));
        assert!(is_hashed_asset("/konvergen-frontend-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }
}

/// The Content-Security-Policy of the app: only our own scripts (plus the one inline module
/// loader Trunk writes into index.html, allowed by its hash), WebAssembly compilation, no
/// framing, no plugins.
pub fn content_security_policy(dir: &Path) -> String {
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    let hashes: Vec<String> = inline_scripts(&index)
        .map(|script| {
            use base64::Engine;
            use sha2::Digest;
            let digest = sha2::Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

/// Bodies of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        if attributes.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

#[cfg(test)]
mod csp_tests {
    use super::inline_scripts;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">import x;</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["import x;"]);
    }
}
