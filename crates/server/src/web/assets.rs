//! The stylesheet and the live script, embedded in the binary. Pages name them with their
//! content's tag (`/assets/pamir.css?v=…`), so a browser keeps them for a year and still fetches
//! the new one the moment a server is upgraded; asked without the tag (or by an old page), they
//! are revalidated with their `ETag` and cost a `304` and no body on a slow link.

use std::sync::OnceLock;

use axum::{
    extract::Query,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

pub struct Asset {
    pub path: &'static str,
    content_type: &'static str,
    body: &'static str,
    tag: OnceLock<String>,
}

impl Asset {
    const fn new(path: &'static str, content_type: &'static str, body: &'static str) -> Asset {
        Asset {
            path,
            content_type,
            body,
            tag: OnceLock::new(),
        }
    }

    /// A digest of the content (FNV-1a, 64 bits): the same bytes give the same tag on every
    /// server of a deployment, a changed file a new one.
    pub fn tag(&self) -> &str {
        self.tag.get_or_init(|| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in self.body.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        })
    }

    /// Where a page links it: the path with the content's tag.
    pub fn href(&self) -> String {
        format!("{}?v={}", self.path, self.tag())
    }

    fn answer(&self, headers: &HeaderMap, version: Option<&str>) -> Response {
        let etag = format!("\"{}\"", self.tag());
        let cache = if version == Some(self.tag()) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        if fresh {
            return (
                StatusCode::NOT_MODIFIED,
                [
                    (header::ETAG, etag),
                    (header::CACHE_CONTROL, cache.to_string()),
                ],
            )
                .into_response();
        }
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_string()),
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
            self.body,
        )
            .into_response()
    }
}

pub static STYLESHEET: Asset = Asset::new(
    "/assets/pamir.css",
    "text/css; charset=utf-8",
    include_str!("../../assets/pamir.css"),
);

pub static LIVE_SCRIPT: Asset = Asset::new(
    "/assets/pamir-live.js",
    "text/javascript; charset=utf-8",
    include_str!("../../assets/pamir-live.js"),
);

#[derive(serde::Deserialize)]
pub struct Version {
    v: Option<String>,
}

pub async fn stylesheet(headers: HeaderMap, Query(q): Query<Version>) -> Response {
    STYLESHEET.answer(&headers, q.v.as_deref())
}

pub async fn live_script(headers: HeaderMap, Query(q): Query<Version>) -> Response {
    LIVE_SCRIPT.answer(&headers, q.v.as_deref())
}
