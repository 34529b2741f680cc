//! The web pages in a real browser: headless Chromium driven through ChromeDriver (Debian
//! packages `chromium` and `chromium-driver`). An officer logs in, reports a seizure and finds it.
//!
//! Without Chromium the test says it was skipped; with `PAMIR_REQUIRE_BROWSER=1` (as `.ci/run`
//! sets it) a missing browser is a failure.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use pamir_app::{demo, App, Clock, Config};
use pamir_store::testing::TestDb;

static BROWSER_NOTE: std::sync::Once = std::sync::Once::new();

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| candidates.iter().map(move |c| d.join(c)))
                .find(|p| p.is_file())
        })
}

struct Driver {
    child: Child,
    url: String,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

/// Starts ChromeDriver, or explains why the browser test cannot run here.
fn start_driver() -> Result<(Driver, PathBuf), String> {
    let chromium = find(&[
        "/usr/bin/chromium",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ])
    .ok_or("Chromium is not installed (Debian package `chromium`)")?;
    let driver = find(&["/usr/bin/chromedriver", "chromedriver"])
        .ok_or("ChromeDriver is not installed (Debian package `chromium-driver`)")?;
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start chromedriver: {e}"))?;
    let profile = std::env::temp_dir().join(format!("pamir-chrome-{}-{port}", std::process::id()));
    let d = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        profile,
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            return Err("chromedriver did not start listening".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((d, chromium))
}

async fn browser(driver: &Driver, chromium: &std::path::Path) -> Client {
    // Each session needs a profile of its own: two browsers at once cannot share one.
    static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let profile = driver.profile.join(n.to_string());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--lang=en-GB", format!("--user-data-dir={}", profile.display())]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("cannot open a browser session: {e}"))
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    el.clear().await.ok();
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

async fn choose(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{css}={value}: {e}"));
}

async fn text_of(c: &Client, css: &str) -> String {
    let el = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    el.text().await.unwrap_or_default()
}

/// ChromeDriver with Chromium, or `None` after saying why the test is skipped (a failure when
/// `PAMIR_REQUIRE_BROWSER=1`).
fn driver_or_skip() -> Option<(Driver, PathBuf)> {
    match start_driver() {
        Ok(d) => Some(d),
        Err(why) => {
            if std::env::var("PAMIR_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("PAMIR_REQUIRE_BROWSER=1 but {why}");
            }
            pamir_store::testing::say_once(
                &BROWSER_NOTE,
                &format!("note: browser test SKIPPED: {why}"),
            );
            None
        }
    }
}

/// The real server on a free loopback port: its base address and task.
async fn serve(app: &Arc<App>) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(pamir_server::serve(
        app.clone(),
        listener,
        std::future::pending(),
    ));
    (base, server)
}

#[tokio::test]
async fn an_officer_logs_in_reports_a_seizure_and_finds_it() {
    let Some((driver, chromium)) = driver_or_skip() else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = Arc::new(App::with_store(
        db.store.clone(),
        Config::default(),
        true,
        Clock::system(),
    ));
    demo::seed_reference(&app).await.expect("seed");
    let (base, server) = serve(&app).await;

    let c = browser(&driver, &chromium).await;
    c.goto(&format!("{base}/lang/en?next=/login"))
        .await
        .expect("open login");
    fill(&c, "#username", "kz.officer").await;
    fill(&c, "#password", "demo").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .expect("login button")
        .click()
        .await
        .expect("click");
    text_of(&c, "div.counts").await;
    let h1 = text_of(&c, "main h1").await;
    assert!(
        h1.starts_with("Welcome"),
        "dashboard after login, got {h1:?}"
    );

    c.goto(&format!("{base}/report/seizure"))
        .await
        .expect("form");
    fill(&c, "#s_date", "").await;
    c.execute(
        "document.getElementById('s_date').value = '2024-09-12';",
        vec![],
    )
    .await
    .expect("set date");
    choose(&c, "#s_country", "kz").await;
    fill(&c, "#s_place", "Кордай").await;
    fill(&c, "#s_substance", "героин").await;
    choose(&c, "#s_substanceGroup", "opiates").await;
    fill(&c, "#s_quantity", "7.25").await;
    choose(&c, "#s_unit", "kg").await;
    choose(&c, "#s_transportMode", "road").await;
    fill(&c, "#p0_name", "Сейтқали Нұрлан").await;
    fill(&c, "#v0_registrationNumber", "777 KZA 02").await;
    choose(&c, "#classification", "RESTRICTED").await;
    c.find(Locator::Css("form.stack > p > button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    text_of(&c, "div.marking").await;
    let caption = text_of(&c, "main h1").await;
    assert!(
        caption.contains("7.25 kg героин — Кордай"),
        "record page, got {caption:?}"
    );
    let url = c.current_url().await.expect("url").to_string();
    let record_path = url.trim_start_matches(&base).to_string();
    let page = c.source().await.expect("source");
    assert!(
        page.contains("Сейтқали Нұрлан") && page.contains("Seytqali Nurlan"),
        "person with its Latin reading"
    );

    c.goto(&format!("{base}/records?q=korday"))
        .await
        .expect("search");
    let results = text_of(&c, "main table").await;
    assert!(
        results.contains("7.25 kg героин"),
        "found by its Latin reading: {results}"
    );
    let link = c
        .find(Locator::Css(&format!("a[href='{record_path}']")))
        .await;
    assert!(link.is_ok(), "the result links to the record");

    c.close().await.ok();
    server.abort();
    db.cleanup().await;
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn log_in(c: &Client, base: &str, username: &str) {
    c.goto(&format!("{base}/lang/en?next=/login"))
        .await
        .expect("open login");
    fill(c, "#username", username).await;
    fill(c, "#password", "demo").await;
    click(c, "form.stack button[type=submit]").await;
    text_of(c, "div.counts").await;
}

async fn log_out(c: &Client) {
    click(c, "header form button[type=submit]").await;
    text_of(c, "#username").await;
}

/// A Tajik officer screens a name, gets only a hit on a Kazakh CONFIDENTIAL record, asks for it;
/// the Kazakh officer approves on the requests page; the Tajik officer then reads it.
#[tokio::test]
async fn a_hit_is_requested_approved_and_then_read() {
    let Some((driver, chromium)) = driver_or_skip() else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = Arc::new(App::with_store(
        db.store.clone(),
        Config::default(),
        true,
        Clock::system(),
    ));
    demo::seed_reference(&app).await.expect("seed");
    let kz = app.context_for("kz.officer").await.expect("kz");
    let input = pamir_app::records::parse_record_input(
        &serde_json::json!({"schema": "Person",
            "properties": {"name": ["Хасанов Джамшид Рустамович"], "birthDate": ["1985-03-14"]},
            "meta": {"classification": "CONFIDENTIAL", "dissemination": {"countries": ["KZ"]}}}),
        app.clock.today(),
        "",
    )
    .expect("input");
    let secret = app.create_record(&kz, input).await.expect("record");
    let (base, server) = serve(&app).await;
    let c = browser(&driver, &chromium).await;

    log_in(&c, &base, "tj.officer").await;
    c.goto(&format!("{base}/screen")).await.expect("screen");
    fill(&c, "form.screen input[name=name]", "KHASANOV DZHAMSHED").await;
    fill(&c, "form.screen input[name=birthDate]", "1985-03-14").await;
    click(&c, "form.screen button[type=submit]").await;
    let results = text_of(&c, "table.matches").await;
    assert!(
        results.contains("Hit") && results.contains("KZ-MVD"),
        "{results}"
    );
    assert!(
        !results.contains("Джамшид"),
        "a hit shows no content: {results}"
    );
    click(&c, "details.request summary").await;
    fill(
        &c,
        "details.request textarea[name=justification]",
        "Same courier detained at Fayzobod, case TJ-2026-114.",
    )
    .await;
    click(&c, "details.request button[type=submit]").await;
    let requests = text_of(&c, "table.disclosures").await;
    assert!(requests.contains("pending"), "{requests}");
    log_out(&c).await;

    log_in(&c, &base, "kz.officer").await;
    c.goto(&format!("{base}/disclosures"))
        .await
        .expect("requests");
    let incoming = text_of(&c, "table.disclosures").await;
    assert!(incoming.contains("Fayzobod"), "{incoming}");
    click(&c, "form.decide button[name=approve]").await;
    let decided = text_of(&c, "table.disclosures").await;
    assert!(decided.contains("approved"), "{decided}");
    log_out(&c).await;

    log_in(&c, &base, "tj.officer").await;
    c.goto(&format!("{base}/records/{}", secret.entity.id))
        .await
        .expect("record");
    text_of(&c, "div.marking").await;
    let page = c.source().await.expect("source");
    assert!(
        page.contains("Хасанов Джамшид Рустамович"),
        "readable after approval"
    );

    c.close().await.ok();
    server.abort();
    db.cleanup().await;
}

/// Waits until `css` holds `text` (live updates arrive without a reload).
async fn wait_for_text(c: &Client, css: &str, text: &str) -> String {
    let started = Instant::now();
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now.contains(text) {
            return now;
        }
        if started.elapsed() > Duration::from_secs(15) {
            panic!("{css} did not come to show {text:?}; it shows {now:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The demo's story: kz.officer writes to the Tajik drug control agency; the message appears in
/// tj.officer's open inbox without a reload, with the unread count; tj.officer acknowledges it
/// and kz.officer's open page shows the acknowledgement, again without a reload. Then a BLO
/// channel: a line posted at Korday appears on the Kyrgyz side's open channel page.
#[tokio::test]
async fn a_message_appears_live_in_another_browser_and_its_acknowledgement_returns() {
    let Some((driver, chromium)) = driver_or_skip() else {
        return;
    };
    let db = TestDb::sqlite().await;
    let app = Arc::new(App::with_store(
        db.store.clone(),
        Config::default(),
        true,
        Clock::system(),
    ));
    demo::seed_reference(&app).await.expect("seed");
    let (base, server) = serve(&app).await;
    let kz = browser(&driver, &chromium).await;
    let tj = browser(&driver, &chromium).await;
    log_in(&kz, &base, "kz.officer").await;
    log_in(&tj, &base, "tj.officer").await;
    tj.goto(&format!("{base}/messages")).await.expect("inbox");
    assert_eq!(text_of(&tj, "#unread-count").await, "0");
    // The page's stream is open before anything is sent.
    wait_for_attr(&tj, "body", "data-live", "on").await;

    kz.goto(&format!("{base}/messages/new"))
        .await
        .expect("compose");
    choose(&kz, "#to-agencies", "TJ-AKN").await;
    fill(&kz, "#subject", "Курьер через Кордай").await;
    fill(
        &kz,
        "#body",
        "Просим проверить Хасанова Д.Р. по вашим учётам.",
    )
    .await;
    choose(&kz, "#priority", "urgent").await;
    click(&kz, "#send").await;
    wait_for_text(&kz, "main", "TJ-AKN").await;
    let message_url = kz.current_url().await.expect("url").to_string();
    wait_for_attr(&kz, "body", "data-live", "on").await;

    // Live in the other browser: the list and the count, no reload.
    let row = wait_for_text(&tj, "#message-list", "Курьер через Кордай").await;
    assert!(row.contains("kz.officer"), "{row}");
    wait_for_text(&tj, "#unread-count", "1").await;
    let marker: String = tj
        .execute(
            "return document.body.getAttribute('data-live-last') || ''",
            vec![],
        )
        .await
        .expect("script")
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !marker.is_empty(),
        "the page was updated by an event, not reloaded"
    );

    click(&tj, "#message-list a").await;
    wait_for_text(&tj, "main", "Просим проверить").await;
    click(&tj, "button.ack").await;
    wait_for_text(&tj, "td.acked", "tj.officer").await;

    // The sender's open page shows the acknowledgement without a reload.
    assert_eq!(
        kz.current_url().await.expect("url").to_string(),
        message_url
    );
    wait_for_text(&kz, "td.acked", "tj.officer").await;

    // A BLO channel, both sides open.
    log_out(&kz).await;
    log_out(&tj).await;
    log_in(&kz, &base, "kz.blo").await;
    log_in(&tj, &base, "kg.blo").await;
    tj.goto(&format!("{base}/channels/kz-kg-korday"))
        .await
        .expect("channel");
    wait_for_attr(&tj, "body", "data-live", "on").await;
    kz.goto(&format!("{base}/channels/kz-kg-korday"))
        .await
        .expect("channel");
    fill(
        &kz,
        "#channel-text",
        "Фура 01KZ123ABC идёт к вам, проверьте прицеп",
    )
    .await;
    click(&kz, "#channel-send").await;
    wait_for_text(&kz, "#channel-log", "01KZ123ABC").await;
    wait_for_text(&tj, "#channel-log", "01KZ123ABC").await;

    kz.close().await.ok();
    tj.close().await.ok();
    server.abort();
    db.cleanup().await;
}

async fn wait_for_attr(c: &Client, css: &str, attr: &str, value: &str) {
    let started = Instant::now();
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if el.attr(attr).await.ok().flatten().as_deref() == Some(value) {
                return;
            }
        }
        if started.elapsed() > Duration::from_secs(15) {
            panic!("{css} never had {attr}={value}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
