//! The web pages through the router: login with its CSRF cookie, pages in both languages, the
//! seizure form, uploads, and that no form post without its CSRF token changes anything.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};

use crate::support::{demo_config, Reply, TestApp};

fn cookie_value(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|c| c.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no hidden {name} in page"));
    html[start..].split('"').next().unwrap_or("").to_string()
}

struct Browser<'a> {
    t: &'a TestApp,
    cookies: Vec<(String, String)>,
    lang: &'a str,
}

impl<'a> Browser<'a> {
    fn new(t: &'a TestApp, lang: &'a str) -> Self {
        Browser {
            t,
            cookies: Vec::new(),
            lang,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, r: &Reply) {
        for name in ["pamir_session", "pamir_login_csrf", "pamir_lang"] {
            if let Some(v) = cookie_value(r, name) {
                self.cookies.retain(|(k, _)| k != name);
                self.cookies.push((name.to_string(), v));
            }
        }
    }

    async fn get(&mut self, uri: &str) -> Reply {
        let req = Request::builder()
            .uri(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, self.lang)
            .body(Body::empty())
            .unwrap();
        let r = self.t.send(req).await;
        self.keep(&r);
        r
    }

    async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT_LANGUAGE, self.lang)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = self.t.send(req).await;
        self.keep(&r);
        r
    }

    async fn login(&mut self, username: &str) {
        let page = self.get("/login").await;
        let csrf = hidden(&page.text(), "csrf");
        let r = self
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("username", username),
                    ("password", "demo"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login: {}", r.text());
        assert!(cookie_value(&r, "pamir_session").is_some());
    }
}

#[tokio::test]
async fn pages_in_both_languages_and_the_seizure_form() {
    for t in TestApp::all(true, demo_config()).await {
        let mut b = Browser::new(&t, "ru-RU,ru;q=0.9,en;q=0.5");
        let r = b.get("/").await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "anonymous users go to the login page"
        );
        let login = b.get("/login").await;
        assert!(
            login.text().contains("Вход в Памир"),
            "Russian from Accept-Language"
        );
        let set_cookie = login
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"));

        // A login post without the login form's CSRF token is refused.
        let r = b
            .post(
                "/login",
                &[("username", "tj.officer"), ("password", "demo")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        b.login("tj.officer").await;
        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        // Classified pages are not cached, framed or referred.
        assert_eq!(home.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert_eq!(home.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        assert!(home
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        let html = home.text();
        assert!(html.contains("Демонстрационный режим"), "demo banner");
        assert!(html.contains("Сообщить об изъятии"));
        assert!(html.contains("Шерзод Раҳимов"));
        let csrf = hidden(&html, "csrf");

        let form = b.get("/report/seizure").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text().contains("Дата изъятия"));
        let fields = [
            ("csrf", csrf.as_str()),
            ("s_date", "2024-06-01"),
            ("s_country", "tj"),
            ("s_place", "Ишкашим"),
            ("s_substance", "гашиш"),
            ("s_substanceGroup", "cannabis"),
            ("s_quantity", "41,5"),
            ("s_unit", "kg"),
            ("s_transportMode", "road"),
            ("s_transitCountries", "TJ, KG"),
            ("p0_name", "Назаров Умед"),
            ("p0_birthDate", "1991-07-14"),
            ("p0_nationality", "tj"),
            ("p0_role", "курьер"),
            ("v0_registrationNumber", "0777 TT 01"),
            ("classification", "RESTRICTED"),
            ("all_members", "1"),
            ("handling", "LE_ONLY"),
        ];
        // Without the CSRF token nothing is stored.
        let without: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(k, _)| *k != "csrf")
            .copied()
            .collect();
        let r = b.post("/report/seizure", &without).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = b.post("/report/seizure", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let location = r
            .headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let record = b.get(&location).await.text();
        assert!(record.contains("41.5 kg гашиш — Ишкашим"), "caption");
        assert!(
            record.contains("Назаров Умед") && record.contains("(Nazarov Umed)"),
            "name with its Latin reading"
        );
        assert!(
            record.contains("LE_ONLY")
                && record.contains("Только для использования правоохранительными органами")
        );
        let found = b.get("/records?q=ishkashim").await.text();
        assert!(
            found.contains(&location),
            "found by the Latin reading of the place"
        );

        // A form with mistakes comes back with the values kept and each problem named.
        let mut bad = fields.to_vec();
        bad.retain(|(k, _)| *k != "s_substance");
        bad.push(("p1_birthDate", "2099-01-01"));
        let r = b.post("/report/seizure", &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text();
        assert!(text.contains("Изъятие: Вещество"), "{text}");
        assert!(text.contains("Лицо 2: Дата рождения"));
        assert!(text.contains("value=\"Ишкашим\""), "values kept");

        // English on request; an auditor has no report form and reads the trail.
        let mut en = Browser::new(&t, "en");
        en.login("auditor").await;
        let audit = en.get("/audit?action=record.create").await;
        assert_eq!(audit.status, StatusCode::OK);
        assert!(audit.text().contains("Audit trail") && audit.text().contains("tj.officer"));
        let verify = en.get("/audit/verify").await.text();
        assert!(verify.contains("The chain is intact"), "{verify}");
        assert!(!en.get("/").await.text().contains("Report a seizure"));
        assert_eq!(en.get("/admin/users").await.status, StatusCode::FORBIDDEN);
        let switched = en.get("/lang/ru?next=/audit").await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert!(en.get("/audit").await.text().contains("Журнал аудита"));
        let bad_next = en.get("/lang/en?next=//evil.example").await;
        assert_eq!(bad_next.headers.get(header::LOCATION).unwrap(), "/");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn uploads_report_every_bad_line_and_never_use_the_client_file_name() {
    let t = TestApp::new(
        pamir_store::testing::TestDb::sqlite().await,
        true,
        demo_config(),
    )
    .await;
    let mut b = Browser::new(&t, "en");
    b.login("kz.officer").await;
    let csrf = hidden(&b.get("/import").await.text(), "csrf");
    let boundary = "XBOUNDARYX";
    let part = |name: &str, filename: Option<&str>, value: &str| {
        match filename {
        Some(f) => format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n{value}\r\n"),
        None => format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"),
    }
    };
    let upload = |csrf: &str, content: &str| {
        let body = [
            part("csrf", None, csrf),
            part("format", None, "jsonl"),
            part("classification", None, "RESTRICTED"),
            part("all_members", None, "1"),
            part("file", Some("../../etc/<script>passwd"), content),
        ]
        .concat()
            + &format!("--{boundary}--\r\n");
        Request::builder()
            .method(Method::POST)
            .uri("/import")
            .header(header::COOKIE, b.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let content = "{\"schema\": \"Person\", \"properties\": {\"name\": [\"Ok\"]}}\n{\"schema\": \"Person\", \"properties\": {\"nme\": [\"typo\"]}}\n";
    let r = t.send(upload(&csrf, content)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("properties.nme"), "{html}");
    assert!(
        html.contains("../../etc/&lt;script&gt;passwd"),
        "the name is shown escaped, nothing else"
    );
    let r = t
        .send(upload(
            "not-the-token",
            "{\"schema\": \"Person\", \"properties\": {\"name\": [\"Ok\"]}}\n",
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let good = t
        .send(upload(
            &csrf,
            "{\"schema\": \"Person\", \"properties\": {\"name\": [\"Ok\"]}}\n",
        ))
        .await;
    assert_eq!(good.status, StatusCode::OK);
    assert!(good.text().contains("Import complete"));
    t.cleanup().await;
}

/// The story through the pages: a hit on the record page, a request, the owner's
/// approval on the requests page, and the record readable afterwards; screening too.
#[tokio::test]
async fn hits_requests_and_approval_through_the_pages() {
    use serde_json::json;
    for t in TestApp::all(true, demo_config()).await {
        let kz_token = t.login("kz.officer").await;
        let tj_token = t.login("tj.officer").await;
        let kz_id = t
            .post(
                "/api/v1/records",
                &kz_token,
                json!({"schema": "Person", "properties": {"name": ["Хасанов Джамшид Рустамович"], "birthDate": ["1985-03-14"]},
                       "meta": {"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}}}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let tj_id = t
            .post(
                "/api/v1/records",
                &tj_token,
                json!({"schema": "Person", "properties": {"name": ["Ҳасанов Ҷамшед"], "birthDate": ["1985-03-14"]},
                       "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_string();

        let mut tj = Browser::new(&t, "en");
        tj.login("tj.officer").await;
        let page = tj.get(&format!("/records/{tj_id}")).await.text();
        assert!(
            page.contains("Matches") && page.contains("KZ-MVD"),
            "{page}"
        );
        assert!(page.contains("Request disclosure"), "{page}");
        assert!(
            !page.contains("Джамшид") && !page.contains(&kz_id),
            "a hit leaks content"
        );
        let reference = hidden(&page, "reference");
        let csrf = hidden(&page, "csrf");
        let r = tj
            .post(
                "/disclosures",
                &[
                    ("csrf", &csrf),
                    ("reference", &reference),
                    (
                        "justification",
                        "Courier of operation Kulma, crossing 2026-11-02.",
                    ),
                    ("next", &format!("/records/{tj_id}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = tj.get(&format!("/records/{tj_id}")).await.text();
        assert!(page.contains("requested, pending"), "{page}");
        assert!(tj.get("/hits").await.text().contains("KZ-MVD"));
        let screened = tj
            .post(
                "/screen",
                &[
                    ("csrf", &csrf),
                    ("schema", "Person"),
                    ("name", "KHASANOV DZHAMSHED"),
                    ("birthDate", "1985"),
                ],
            )
            .await
            .text();
        assert!(
            screened.contains("Hit") && screened.contains("KZ-MVD"),
            "{screened}"
        );
        // A post without the CSRF token changes nothing.
        tj.post(
            "/disclosures",
            &[
                ("reference", &reference),
                ("justification", "no token here at all"),
            ],
        )
        .await;
        assert_eq!(
            t.get("/api/v1/disclosures", &tj_token).await.json()["outgoing"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        let mut kz = Browser::new(&t, "ru-RU,ru;q=0.9");
        kz.login("kz.officer").await;
        let page = kz.get("/disclosures").await.text();
        assert!(
            page.contains("Одобрить") && page.contains("Courier of operation Kulma"),
            "{page}"
        );
        let marker = "action=\"/disclosures/";
        let start = page.find(marker).unwrap() + marker.len();
        let request_id = page[start..].split('/').next().unwrap().to_string();
        let csrf = hidden(&page, "csrf");
        let r = kz
            .post(
                &format!("/disclosures/{request_id}/approve"),
                &[("csrf", &csrf), ("code", "NO_ONWARD")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = tj.get(&format!("/records/{kz_id}")).await.text();
        assert!(page.contains("Хасанов Джамшид Рустамович"), "{page}");
        assert!(page.contains("NO_ONWARD"));
        t.cleanup().await;
    }
}

/// Poor links: pages, assets and JSON answers go out gzipped to a client that accepts it — the
/// same bytes once unpacked — and as they are to one that does not; the live event stream is
/// never buffered for compression.
#[tokio::test]
async fn answers_are_gzipped_for_clients_that_accept_it_and_streams_are_not() {
    use std::io::Read;
    use tower::ServiceExt;
    let t = TestApp::new(
        pamir_store::testing::TestDb::sqlite().await,
        true,
        demo_config(),
    )
    .await;
    let token = t.login("kz.officer").await;
    let get = |uri: &str, gzip: bool| {
        let mut req = Request::builder()
            .method(Method::GET)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if gzip {
            req = req.header(header::ACCEPT_ENCODING, "br;q=1.0, gzip;q=0.8");
        }
        req.body(Body::empty()).expect("request")
    };
    for uri in [
        "/assets/pamir.css",
        "/assets/pamir-live.js",
        "/api/v1/openapi.json",
        "/api/v1/schemata",
    ] {
        let plain = t.send(get(uri, false)).await;
        let packed = t.send(get(uri, true)).await;
        assert_eq!(plain.status, StatusCode::OK, "{uri}");
        assert!(
            plain.headers.get(header::CONTENT_ENCODING).is_none(),
            "{uri}"
        );
        assert_eq!(
            packed
                .headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.as_bytes()),
            Some(&b"gzip"[..]),
            "{uri}"
        );
        assert!(packed.body.len() * 2 < plain.body.len(), "{uri} shrinks");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&packed.body[..])
            .read_to_end(&mut unpacked)
            .expect("gzip");
        assert_eq!(unpacked, plain.body, "{uri}: the same bytes");
    }
    // The event stream answers at once, uncompressed, and keeps going.
    let resp = t
        .router
        .clone()
        .oneshot(get("/api/v1/events", true))
        .await
        .expect("events");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get(header::CONTENT_ENCODING).is_none());
    t.cleanup().await;
}

/// Assets on a slow link: pages link the stylesheet and script with their content's tag, kept
/// a year under that name; asked again with its `ETag`, an asset costs a `304` and no body.
#[tokio::test]
async fn assets_are_linked_by_version_and_revalidated_without_a_body() {
    let t = TestApp::new(
        pamir_store::testing::TestDb::sqlite().await,
        true,
        demo_config(),
    )
    .await;
    let ask = |uri: &str, etag: Option<&str>| {
        let mut req = Request::builder().method(Method::GET).uri(uri);
        if let Some(e) = etag {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        req.body(Body::empty()).expect("request")
    };
    let login = t.send(ask("/login", None)).await;
    let page = login.text();
    for path in ["/assets/pamir.css", "/assets/pamir-live.js"] {
        let marker = format!("{path}?v=");
        // The live script is linked on signed-in pages only: asked by its bare path here.
        let linked = page
            .find(&marker)
            .map(|start| page[start..].split('"').next().unwrap_or("").to_string());
        let versioned = t.send(ask(linked.as_deref().unwrap_or(path), None)).await;
        assert_eq!(versioned.status, StatusCode::OK);
        let etag = versioned.headers[header::ETAG]
            .to_str()
            .unwrap_or("")
            .to_string();
        let cache = versioned.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or("");
        match &linked {
            Some(href) => {
                assert!(cache.contains("immutable"), "{cache}");
                assert!(href.ends_with(etag.trim_matches('"')), "{href} {etag}");
            }
            None => assert_eq!(path, "/assets/pamir-live.js", "{page}"),
        }
        let again = t.send(ask(path, Some(&etag))).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert!(again.body.is_empty());
        let stale = t.send(ask(path, Some("\"0000\""))).await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(stale.headers[header::CACHE_CONTROL], "no-cache");
        assert_eq!(stale.body, versioned.body);
    }
    t.cleanup().await;
}

#[tokio::test]
async fn the_statistics_page_shows_the_apis_figures_in_both_languages() {
    for t in TestApp::all(true, demo_config()).await {
        let token = t.login("kz.focal").await;
        for (date, qty) in [
            ("2026-03-05", "2.5"),
            ("2026-03-06", "1250"),
            ("2025-03-07", "4"),
        ] {
            let unit = if qty == "1250" { "g" } else { "kg" };
            let r = t
                .post(
                    "/api/v1/records",
                    &token,
                    serde_json::json!({"schema": "Seizure",
                        "properties": {"date": [date], "country": ["KZ"], "substance": ["heroin"],
                                       "substanceGroup": ["opiates"], "quantity": [qty], "unit": [unit],
                                       "originCountry": ["AF"], "destinationCountry": ["KZ"]},
                        "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let query = "from=2026-03-01&to=2026-03-31&by=country";
        let api = t
            .get(&format!("/api/v1/analysis/seizures?{query}"), &token)
            .await
            .json();
        assert_eq!(api["rows"][0]["current"]["count"], 2);
        assert_eq!(api["rows"][0]["current"]["kg"], 3.75);

        let mut b = Browser::new(&t, "ru-RU,ru;q=0.9");
        b.login("kg.officer").await;
        let page = b.get(&format!("/analysis?{query}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Статистика изъятий"), "{html}");
        assert!(
            html.contains("<svg class=\"chart\""),
            "a chart drawn by the server"
        );
        // The row: country, the API's count and mass (as Russian writes numbers), a year before.
        let row = html
            .split("<th scope=\"row\">Казахстан (KZ)</th>")
            .nth(1)
            .expect("a row for Kazakhstan");
        let cells: Vec<&str> = row
            .split("<td class=\"num\">")
            .skip(1)
            .take(6)
            .map(|c| c.split('<').next().unwrap())
            .collect();
        assert_eq!(cells, ["2", "3,75", "0", "0", "0", "—"], "{row}");
        let csv = b.get(&format!("/analysis/seizures.csv?{query}")).await;
        assert!(csv
            .headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(
            csv.text().contains("KZ,Казахстан (KZ),2,3.75,0,0,"),
            "{}",
            csv.text()
        );
        // The routes page draws the leg on the map, with its figures on hover and in the table.
        let routes = b
            .get("/analysis/routes?from=2026-03-01&to=2026-03-31")
            .await
            .text();
        assert_eq!(
            routes.matches("<path class=\"flow\"").count(),
            1,
            "{routes}"
        );
        assert!(
            routes.contains("<title>Афганистан → Казахстан: 2 изъятия, 3,75 кг</title>"),
            "{routes}"
        );
        let legs = b
            .get("/analysis/routes.csv?from=2026-03-01&to=2026-03-31")
            .await
            .text();
        assert!(
            legs.contains("\r\nAF,KZ,Афганистан,Казахстан,2,3.75,"),
            "{legs}"
        );
        // A bad filter is named on the page.
        let bad = b
            .get("/analysis?by=colour&from=2026-04-01&to=2026-03-01")
            .await;
        let html = bad.text();
        assert!(
            html.contains("class=\"errors\"") && html.contains(">by<") && html.contains(">to<"),
            "{html}"
        );
        t.cleanup().await;
    }
}

/// Early warning's pages: the board with its first detections and the spread heat map, the
/// registry's list, search and form (an error named in the page's language, a good entry saved),
/// and a reader of no detection seeing none.
#[tokio::test]
async fn early_warning_pages_show_first_detections_and_keep_the_registry() {
    for t in TestApp::all(true, demo_config()).await {
        pamir_app::demo::seed_registry(&t.app).await.unwrap();
        pamir_app::demo::seed_detections(&t.app).await.unwrap();
        assert_eq!(
            pamir_app::demo::seed_risk_communications(&t.app)
                .await
                .unwrap(),
            3
        );
        let mut b = Browser::new(&t, "ru-RU,ru;q=0.9");
        b.login("caricc.analyst").await;
        let board = b.get("/early-warning").await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.text());
        let html = board.text();
        // Standing risk communications on the board; the retracted one is not among them.
        assert!(
            html.contains("Сообщения о рисках")
                && html.contains("A nitazene opioid new to the region"),
            "{html}"
        );
        assert!(
            !html.contains("Herbal mixtures with MDMB-4en-PINACA"),
            "{html}"
        );
        assert!(html.contains("Впервые в регионе"), "{html}");
        assert!(html.contains("N-пирролидино-протонитазен"), "{html}");
        let start = html.find("/early-warning/sub-").unwrap() + "/early-warning/".len();
        let id: String = html[start..].chars().take_while(|c| *c != '"').collect();
        let spread = b.get(&format!("/early-warning/{id}")).await;
        assert_eq!(spread.status, StatusCode::OK);
        // A detection's page: the report, and an analyst's assessment added to it.
        let html = spread.text();
        let start = html.find("/detections/det-").unwrap() + "/detections/".len();
        let det: String = html[start..].chars().take_while(|c| *c != '"').collect();
        let page = b.get(&format!("/detections/{det}")).await;
        assert!(page.text().contains("Оценок пока нет."), "{}", page.text());
        let csrf = hidden(&page.text(), "csrf");
        let r = b
            .post(
                &format!("/detections/{det}/notes"),
                &[("csrf", &csrf), ("text", "Та же партия, что и в октябре.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = b.get(&format!("/detections/{det}")).await;
        assert!(
            page.text().contains("Та же партия, что и в октябре."),
            "{}",
            page.text()
        );
        // An analyst issues a risk communication from the substance's page.
        assert!(
            spread.text().contains("Выпустить сообщение о риске"),
            "{}",
            spread.text()
        );
        let csrf = hidden(&spread.text(), "csrf");
        let risk = |title: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("substance", id.clone()),
                ("title", title.to_string()),
                ("severity", "warning".to_string()),
                ("risk", "Deaths reported.".to_string()),
                ("classification", "RESTRICTED".to_string()),
            ]
        };
        let form = risk("");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = b.post("/risk-communications/new", &pairs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let form = risk("Counterfeit tablets");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = b.post("/risk-communications/new", &pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let to = r.headers["location"].to_str().unwrap().to_string();
        let page = b.get(&to).await;
        assert!(
            page.text().contains("Counterfeit tablets") && page.text().contains("Отозвать"),
            "{}",
            page.text()
        );
        assert!(
            spread.text().contains("★") && spread.text().contains("heat l"),
            "{}",
            spread.text()
        );

        let list = b
            .get("/substances?q=%D0%BC%D0%B5%D1%84%D0%B5%D0%B4%D1%80%D0%BE%D0%BD")
            .await;
        assert!(list.text().contains("Мефедрон"), "{}", list.text());
        let form = b.get("/substances/new").await;
        let csrf = hidden(&form.text(), "csrf");
        let names = "en: Test-NPS-1\nru: Тест-НПВ-1";
        let r = b
            .post(
                "/substances/new",
                &[
                    ("csrf", &csrf),
                    ("names", names),
                    ("class", "other"),
                    ("cas", "50-36-3"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("контрольной цифры"), "{}", r.text());
        assert!(
            r.text().contains("Test-NPS-1"),
            "the form keeps what was sent"
        );
        let r = b
            .post(
                "/substances/new",
                &[
                    ("csrf", &csrf),
                    ("names", names),
                    ("class", "other"),
                    ("international", "1971/II"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        // The seizure form offers the registry's substances by name, in the page's language.
        let report = b.get("/report/seizure").await;
        let html = report.text();
        assert!(html.contains("list=\"registry-substances\""), "{html}");
        assert!(
            html.contains("<option value=\"Мефедрон\">Mephedrone</option>"),
            "{html}"
        );

        // A substance's page counts the seizures reported under any of its names.
        let analyst = t.login("caricc.analyst").await;
        let day = (t.app.clock.today() - chrono::Duration::days(10))
            .format("%Y-%m-%d")
            .to_string();
        let r = t
            .post(
                "/api/v1/records",
                &analyst,
                serde_json::json!({"schema": "Seizure",
                    "properties": {"date": [day], "country": ["KZ"], "substance": ["мефедрон"],
                                   "substanceGroup": ["nps"], "quantity": ["2.5"], "unit": ["kg"]},
                    "meta": {"classification": "RESTRICTED", "dissemination": {"all_members": true}}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let ctx = t
            .app
            .identity()
            .context_for("caricc.analyst")
            .await
            .unwrap();
        let filter = pamir_app::early_warning::RegistryFilter {
            q: Some("Mephedrone".into()),
            ..Default::default()
        };
        let m = t.app.substances().list(&ctx, &filter).await.unwrap()[0]
            .id
            .clone();
        let page = b.get(&format!("/early-warning/{m}")).await;
        assert!(
            page.text().contains("изъятий: 1; 2.5 кг"),
            "{}",
            page.text()
        );

        // A border officer of another agency reads no detection.
        let mut blo = Browser::new(&t, "en");
        blo.login("uz.blo").await;
        let board = blo.get("/early-warning").await;
        assert!(
            board.text().contains("No detections you may read yet."),
            "{}",
            board.text()
        );
        t.cleanup().await;
    }
}

/// Pre-export notifications' pages: the list flags a late answer for both sides; the form names
/// a bad field in the page's language and keeps what was sent; the importing country answers
/// on the notification's page; a third country finds nothing.
#[tokio::test]
async fn pre_export_pages_send_answer_and_flag_late_replies() {
    for t in TestApp::all(true, demo_config()).await {
        pamir_app::demo::seed_registry(&t.app).await.unwrap();
        assert!(pamir_app::demo::seed_pre_exports(&t.app).await.unwrap() >= 6);
        assert!(
            pamir_app::demo::seed_precursor_incidents(&t.app)
                .await
                .unwrap()
                >= 4
        );
        assert_eq!(
            pamir_app::demo::seed_precursor_incidents(&t.app)
                .await
                .unwrap(),
            0
        );
        let mut kz = Browser::new(&t, "ru-RU,ru;q=0.9");
        kz.login("kz.officer").await;
        let list = kz.get("/pre-exports").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text());
        // Russia's notification, answered late by Kazakhstan: flagged on the importer's side.
        assert!(
            list.text().contains("Ответ с опозданием"),
            "{}",
            list.text()
        );
        let form = kz.get("/pre-exports/new").await;
        let html = form.text();
        let csrf = hidden(&html, "csrf");
        let start = html.find("<option value=\"sub-").unwrap() + "<option value=\"".len();
        let substance: String = html[start..].chars().take_while(|c| *c != '"').collect();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("importer_country", "uz"),
            ("exporter", "Shymkent Chemical Trading LLP"),
            ("importer", "Tashkent Leather Works JSC"),
            ("substance", substance.as_str()),
            ("quantity", "1200,5"),
            ("unit", "kg"),
            ("customs_code", "29-15"),
            ("transport", "road"),
            ("transit", "KG"),
            ("departure_on", "2027-02-01"),
            ("arrival_on", "2027-02-03"),
            ("classification", "RESTRICTED"),
        ];
        let r = kz.post("/pre-exports/new", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("не код ТН ВЭД"), "{}", r.text());
        assert!(
            r.text().contains("Shymkent Chemical Trading LLP"),
            "the form keeps what was sent"
        );
        fields[7] = ("customs_code", "2915.24");
        let r = kz.post("/pre-exports/new", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let to = r.headers["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/pre-exports/pen-"), "{to}");

        let mut uz = Browser::new(&t, "en");
        uz.login("uz.officer").await;
        let page = uz.get(&to).await;
        let html = page.text();
        assert!(
            html.contains("You answer for the importing country."),
            "{html}"
        );
        assert!(html.contains("1200.5"), "{html}");
        let csrf = hidden(&html, "csrf");
        let r = uz
            .post(
                &format!("{to}/steps"),
                &[("csrf", &csrf), ("kind", "objection"), ("text", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        let r = uz
            .post(
                &format!("{to}/steps"),
                &[("csrf", &csrf), ("kind", "no_objection"), ("text", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = kz.get(&to).await;
        assert!(page.text().contains("Возражений нет"), "{}", page.text());
        assert!(page.text().contains("Ответ в срок"), "{}", page.text());

        // The importer turns it into a precursor incident from its page, in one action.
        let page = uz.get(&to).await;
        assert!(
            page.text().contains("Report as a precursor incident"),
            "{}",
            page.text()
        );
        let csrf = hidden(&page.text(), "csrf");
        let r = uz
            .post(
                &format!("{to}/incident"),
                &[
                    ("csrf", &csrf),
                    ("kind", "stopped_shipment"),
                    ("modus_operandi", "Consignee unknown"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let incident = r.headers["location"].to_str().unwrap().to_string();
        assert!(
            incident.starts_with("/precursor-incidents/pci-"),
            "{incident}"
        );
        let page = uz.get(&incident).await;
        assert!(
            page.text().contains("Stopped shipment") && page.text().contains("Consignee unknown"),
            "{}",
            page.text()
        );
        // Kazakhstan (the origin) reads it in its list, with the demo's incidents on its way.
        let list = kz.get("/precursor-incidents").await;
        assert!(
            list.text().contains("Остановленная поставка"),
            "{}",
            list.text()
        );
        assert!(list.text().contains(&incident), "{}", list.text());

        let mut tj = Browser::new(&t, "en");
        tj.login("tj.officer").await;
        assert_eq!(tj.get(&to).await.status, StatusCode::NOT_FOUND);
        assert_eq!(tj.get(&incident).await.status, StatusCode::NOT_FOUND);
        t.cleanup().await;
    }
}
