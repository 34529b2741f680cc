//! Compression of answers for poor links: a page, stylesheet, script, SVG map or JSON answer
//! goes out gzipped when the client accepts it (a border post's link is slow; the text of a page
//! shrinks five- to tenfold). Streams — the live event stream, exports written as they are read —
//! go out as they are, never buffered.
//!
//! BREACH needs the victim's browser to fetch an authenticated page with attacker-chosen text in
//! it; the session cookie is `SameSite=Strict`, so a request another site makes carries no
//! session, and its answer holds no secret of the user.

use std::io::Write;

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, Response},
    middleware::Next,
};
use flate2::{write::GzEncoder, Compression};

/// Smaller answers are not worth the gzip header and the work.
const MIN_BYTES: u64 = 860;
/// Larger answers are streamed or downloaded; they are left alone.
const MAX_BYTES: u64 = 8 << 20;

/// Whether the `Accept-Encoding` header accepts gzip (not with `q=0`).
fn accepts_gzip(value: &str) -> bool {
    value.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// Text worth compressing; event streams and line-delimited exports are not buffered.
fn compressible(content_type: &str) -> bool {
    let t = content_type.split(';').next().unwrap_or_default().trim();
    matches!(
        t,
        "text/html"
            | "text/css"
            | "text/plain"
            | "text/csv"
            | "text/javascript"
            | "application/javascript"
            | "application/json"
            | "image/svg+xml"
    )
}

pub async fn gzip(req: Request, next: Next) -> Response<Body> {
    let wanted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_gzip);
    let resp = next.run(req).await;
    if !wanted || resp.headers().contains_key(header::CONTENT_ENCODING) {
        return resp;
    }
    let fits = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(compressible);
    let size = axum::body::HttpBody::size_hint(resp.body()).exact();
    if !fits || !size.is_some_and(|n| (MIN_BYTES..=MAX_BYTES).contains(&n)) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BYTES as usize).await else {
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    // `Bytes` clones share the buffer: the original is still there to send if packing fails.
    let packed = if bytes.len() > 64 * 1024 {
        let copy = bytes.clone();
        tokio::task::spawn_blocking(move || pack(&copy))
            .await
            .ok()
            .and_then(Result::ok)
    } else {
        pack(&bytes).ok()
    };
    let Some(gz) = packed else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    Response::from_parts(parts, Body::from(gz))
}

fn pack(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::new(6));
    enc.write_all(bytes)?;
    enc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_encoding() {
        for yes in ["gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "*"] {
            assert!(accepts_gzip(yes), "{yes}");
        }
        for no in ["", "br", "gzip;q=0", "deflate, gzip; q=0.0", "gzipx"] {
            assert!(!accepts_gzip(no), "{no}");
        }
        assert!(compressible("text/html; charset=utf-8"));
        assert!(!compressible("text/event-stream"));
        assert!(!compressible("application/x-ndjson"));
    }
}
